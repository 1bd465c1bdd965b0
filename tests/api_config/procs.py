"""Child processes seen in /proc (server processes, zombies), for the job and limit tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    state: str
    cmdline: str
    rss_kb: int


def processes() -> list[Proc]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        out.append(Proc(int(entry.name), int(fields[1]), fields[0], cmd, int(fields[21]) * 4))
    return out


def children(ppid: int) -> list[Proc]:
    return [p for p in processes() if p.ppid == ppid]


def descendants(pid: int) -> list[Proc]:
    """Every process below ``pid`` (gunicorn master → workers → job processes)."""
    every = processes()
    found, frontier = [], {pid}
    while frontier:
        level = [p for p in every if p.ppid in frontier]
        found.extend(level)
        frontier = {p.pid for p in level}
    return found
