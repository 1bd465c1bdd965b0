"""Run every benchmark in bench/ (``make bench``): each ``bench_*.py`` module's ``main()``."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sys.argv[1:] or sorted(p.stem for p in here.glob("bench_*.py"))
    if not names:
        print("no benchmarks found in bench/")
        return 1
    for name in names:
        print(f"== {name}")
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"bench/{name}.py"]  # each benchmark parses its own (default) arguments
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
