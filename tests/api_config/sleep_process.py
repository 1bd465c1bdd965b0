"""A process that sleeps (a stand-in for a long indicator run) and says when it ran."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from pygeoapi.process.base import BaseProcessor


class SleepProcessor(BaseProcessor):
    """``{"inputs": {"seconds": s}}`` → ``{"slept": s, "start": …, "end": …, "pid": …}``; with
    ``"marker": path`` it also writes that file when it starts."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        metadata = {
            "id": processor_def.get("process_id", "sleep-test"),
            "version": "1",
            "title": "Sleep",
            "description": "Sleeps (tests)",
            "jobControlOptions": ["sync-execute", "async-execute"],
            "inputs": {},
            "outputs": {},
        }
        super().__init__(processor_def, metadata)

    def execute(self, data: dict[str, Any], outputs: Any = None) -> tuple[str, Any]:  # noqa: ARG002
        start = time.time()
        if data.get("marker"):  # proof that the job ran
            Path(data["marker"]).write_text(str(start), encoding="utf-8")
        time.sleep(float(data.get("seconds", 0)))
        return "application/json", {
            "slept": data.get("seconds", 0),
            "start": start,
            "end": time.time(),
            "pid": os.getpid(),
        }


def process_resource(process_id: str) -> dict[str, Any]:
    """A pygeoapi resource entry for the sleeping process."""
    return {
        "type": "process",
        "processor": {"name": f"{__name__}.SleepProcessor", "process_id": process_id},
    }
