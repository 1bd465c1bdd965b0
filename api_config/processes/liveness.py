"""Is the process that runs a job still there?  (Jobs interrupted by a restart or a crash.)

A job records the process that runs it: pid, host name, the kernel's boot id and the process's
start time (clock ticks since boot, from ``/proc/<pid>/stat``).  Pid and start time together
identify a process even when the pid has been reused; the boot id tells that the machine itself
restarted.  A process on another host cannot be checked from here: such jobs are left alone.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PROC = Path("/proc")
_DEAD_STATES = {"Z", "X", "x"}  # zombie (killed, not yet reaped) or dead


@dataclass(frozen=True)
class ProcessIdentity:
    """Who runs a job: enough to tell later whether that very process still exists."""

    pid: int
    host: str
    boot_id: str | None
    started: int | None

    def as_columns(self) -> dict[str, object]:
        """Values of the jobs table's process columns."""
        return {"pid": self.pid, "host": self.host, "boot_id": self.boot_id, "proc_start": self.started}


@cache
def boot_id() -> str | None:
    """This machine's boot id (Linux), or None where the kernel does not tell."""
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return None


def _stat(pid: int) -> tuple[str, int] | None:
    """State letter and start time of ``pid`` from ``/proc``, or None when there is no such process."""
    try:
        text = (_PROC / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    # "pid (comm) state ppid ..." — comm may hold spaces and parentheses: split after the last ")"
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[19])


def identify(pid: int | None = None) -> ProcessIdentity:
    """The identity of process ``pid`` (this process by default) on this machine."""
    pid = os.getpid() if pid is None else pid
    started = None
    if _PROC.is_dir():
        stat = _stat(pid)
        started = stat[1] if stat else None
    return ProcessIdentity(pid=pid, host=socket.gethostname(), boot_id=boot_id(), started=started)


def is_gone(recorded: ProcessIdentity) -> bool:
    """True when the recorded process certainly no longer exists.

    False when it still runs — or when it cannot be checked from here (another host).
    """
    if recorded.host != socket.gethostname():
        return False
    if recorded.boot_id and boot_id() and recorded.boot_id != boot_id():
        return True  # the machine restarted since
    if not _PROC.is_dir():
        return not _exists(recorded.pid)
    stat = _stat(recorded.pid)
    if stat is None or stat[0] in _DEAD_STATES:
        return True
    return recorded.started is not None and stat[1] != recorded.started  # pid reused


def _exists(pid: int) -> bool:
    """Whether a process ``pid`` exists (systems without ``/proc``)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
