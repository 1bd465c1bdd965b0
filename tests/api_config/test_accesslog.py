"""The access log the app writes (api_config.guard.accesslog): one line per request, hostile
request lines escaped, written by a background thread; and the same through a real server."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import requests

from api_config import servers
from api_config.guard.accesslog import MAX_TARGET, AccessLog
from tests.conftest import ROOT, free_port

LINE = re.compile(
    r'^(?P<addr>\S+) - - \[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<target>\S+) (?P<proto>\S+)" '
    r"(?P<status>\d{3}) (?P<ms>\d+\.\d{3})$"
)


def _app(status: str = "200 OK", fail: bool = False) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if fail:
            raise RuntimeError("boom")
        start_response(status, [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def _environ(path: str, query: str = "", method: str = "GET") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REMOTE_ADDR": "192.0.2.7",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


def _ignore(*_args: Any) -> None:
    """start_response of the tests: the server's side is not under test here."""


def _lines(log: AccessLog, stream: io.StringIO) -> list[str]:
    log.flush()
    return stream.getvalue().splitlines()


@pytest.mark.pure
def test_one_line_per_request_with_status_and_time() -> None:
    stream = io.StringIO()
    log = AccessLog(_app("404 NOT FOUND"), stream=stream)
    assert list(log(_environ("/collections/x/items", "f=json&limit=2"), _ignore)) == [b"ok"]
    (line,) = _lines(log, stream)
    found = LINE.match(line)
    assert found, line
    assert found["addr"] == "192.0.2.7"
    assert found["target"] == "/collections/x/items?f=json&limit=2"
    assert found["status"] == "404"
    assert float(found["ms"]) >= 0


@pytest.mark.pure
@pytest.mark.parametrize(
    ("path", "query", "written"),
    [
        ("/a\r\nFAKE 200", "", r"/a\x0d\x0aFAKE\x20200"),
        ("/a", "x=\x00", r"/a?x=\x00"),
        ('/a"b\\c', "", r"/a\x22b\x5cc"),
        ("/m\xe1\xbb\x8f", "", r"/m\xe1\xbb\x8f"),  # UTF-8 bytes as WSGI hands them (latin-1)
        ("/\u1ec3", "", r"/\u1ec3"),
        ("/a b", "", r"/a\x20b"),
    ],
)
def test_hostile_request_lines_stay_one_printable_line(path: str, query: str, written: str) -> None:
    stream = io.StringIO()
    log = AccessLog(_app(), stream=stream)
    log(_environ(path, query), _ignore)
    (line,) = _lines(log, stream)  # one request, one line: no forged second entry
    assert line.isascii() and line.isprintable()
    found = LINE.match(line)
    assert found, line
    assert found["target"] == written


@pytest.mark.pure
def test_a_huge_target_is_cut() -> None:
    stream = io.StringIO()
    log = AccessLog(_app(), stream=stream)
    log(_environ("/x", "q=" + "a" * 100_000), _ignore)
    (line,) = _lines(log, stream)
    assert len(line) < MAX_TARGET + 200
    assert "\\u2026" in line  # the cut is marked (escaped: the line stays ASCII)


@pytest.mark.pure
def test_an_app_failure_is_logged_as_500_and_raised() -> None:
    stream = io.StringIO()
    log = AccessLog(_app(fail=True), stream=stream)
    with pytest.raises(RuntimeError):
        log(_environ("/boom"), _ignore)
    (line,) = _lines(log, stream)
    assert LINE.match(line)["status"] == "500"  # type: ignore[index]


@pytest.mark.pure
def test_the_writer_thread_writes_without_an_explicit_flush() -> None:
    stream = io.StringIO()
    log = AccessLog(_app(), stream=stream, flush_s=0.05)
    for i in range(50):
        log(_environ(f"/p{i}"), _ignore)
    deadline = time.monotonic() + 5
    while stream.getvalue().count("\n") < 50 and time.monotonic() < deadline:
        time.sleep(0.02)
    lines = stream.getvalue().splitlines()
    assert [LINE.match(x)["target"] for x in lines] == [f"/p{i}" for i in range(50)]  # type: ignore[index]


@pytest.mark.http
def test_the_server_writes_escaped_lines(api_server: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Through `dothi serve`'s server: a request with CR/LF in its path is one escaped line."""
    marker = uuid.uuid4().hex
    response = requests.get(
        f"{api_server}/collections/admin_units/items/{marker}%0D%0AX:%201?f=json", timeout=30
    )
    assert 400 <= response.status_code < 500
    log_path = Path(tmp_path_factory.getbasetemp()) / "gunicorn.log"
    deadline = time.monotonic() + 10
    lines: list[str] = []
    while not lines and time.monotonic() < deadline:
        time.sleep(0.2)
        lines = [x for x in log_path.read_text(errors="replace").splitlines() if marker in x]
    assert len(lines) == 1, lines
    found = LINE.match(lines[0])
    assert found, lines[0]
    assert found["target"] == f"/collections/admin_units/items/{marker}\\x0d\\x0aX:\\x201?f=json"
    assert found["status"] == str(response.status_code)


@pytest.mark.http
def test_a_stopped_granian_worker_writes_its_queued_lines(tmp_path: Path) -> None:
    """Lines still queued when the server stops are written (granian's workers end with
    multiprocessing's exit, which skips atexit)."""
    port = free_port()
    log_path = tmp_path / "granian.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [servers.executable("granian"), "--interface", "wsgi", "--workers", "2", "--host", "127.0.0.1",
             "--port", str(port), "--no-ws", "tests.api_config.accesslog_app:app"],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(f"http://127.0.0.1:{port}/ready", timeout=2)
                    break
                except requests.ConnectionError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(log_path.read_text()) from None
                    time.sleep(0.2)
            for i in range(20):
                assert requests.get(f"http://127.0.0.1:{port}/p{i}", timeout=10).status_code == 200
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    targets = {m["target"] for m in map(LINE.match, log_path.read_text().splitlines()) if m}
    assert {f"/p{i}" for i in range(20)} <= targets
