"""Time the synthetic generator (full scale) per family, and validation of each generated layer.

Run: ``.venv/bin/python -m bench bench_generate`` (or ``python -m bench.bench_generate``).
Loading is measured separately with ``time dothi demo-data generate --seed 2019``.
"""

from __future__ import annotations

import time
from itertools import pairwise

from layers.catalog import LAYERS
from layers.synthetic.generate import generate
from layers.validate import validate


def main() -> None:
    start = last = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(message: str) -> None:
        nonlocal last
        now = time.perf_counter()
        marks.append((message, now - last))
        last = now

    data = generate(seed=2019, progress=mark)
    mark("done")
    print(f"generate(seed=2019): {time.perf_counter() - start:.1f} s")
    for (label, _), (_, seconds) in pairwise(marks):
        print(f"  {label:<40} {seconds:6.1f} s")
    for name, frame in data.layers.items():
        t0 = time.perf_counter()
        validate(LAYERS[name], frame, source=name)
        print(f"  validate {name:<31} {time.perf_counter() - t0:6.1f} s  ({len(frame)} features)")


if __name__ == "__main__":
    main()
