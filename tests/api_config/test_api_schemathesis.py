"""A bounded schemathesis run over the served OpenAPI document (issue 11): every operation of the
demo API fuzzed from its own (self-contained) document, with 0 × 5xx, 0 response-schema and 0
content-type violations allowed.

Bounded to run in about four minutes on two cores: a few examples per operation (``-n``), the
``examples`` and ``fuzzing`` phases, and a time budget (``--max-time``).  Process execution
(``POST /processes/{id}/execution``: each example would run an indicator for seconds, and its
bodies are tested in test_api_robust.py) and ``DELETE`` are left out.  NUL characters are
generated too: the request guard refuses them with a 400 naming the parameter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
EXAMPLES_PER_OPERATION = 5
MAX_TIME_S = 180
SEED = 11


def test_schemathesis_finds_no_5xx_and_no_contract_violation(demo_api_server: str, tmp_path: Path) -> None:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{demo_api_server}/openapi?f=json",
        "--url",
        demo_api_server,
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--workers",
        "2",
        "--phases",
        "examples,fuzzing",
        "--max-time",
        str(MAX_TIME_S),
        "--exclude-path-regex",
        "/execution$",
        "--exclude-method",
        "DELETE",
        "--generation-allow-x00",
        "true",
        "--request-timeout",
        "60",
        "--seed",
        str(SEED),
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    # in tmp_path: schemathesis keeps a cache of crashes in ./.schemathesis
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=MAX_TIME_S + 240, check=False, cwd=tmp_path
    )
    output = run.stdout + run.stderr
    (tmp_path / "schemathesis.log").write_text(output, encoding="utf-8")
    assert "Specification:    Open API" in output, output[-3000:]
    failures = [line for line in output.splitlines() if line.startswith(("___", "- ST", "[5", "    curl"))]
    assert run.returncode == 0, "\n".join(failures)[:20000] + "\n" + output[-3000:]
    assert "No tests were run" not in output, output[-3000:]
