"""Concurrency slots for jobs: PostgreSQL session advisory locks, so the bound holds across every
web worker and job process, and a killed job releases its slot with its connection.

A job runs only while its connection holds

* the lock of its process (one run of an indicator at a time: no duplicate keys, no deadlocks
  between two runs writing the same tables), and
* one of ``max_jobs`` slot locks.

Waiting jobs queue on a *gate* lock (PostgreSQL grants waiters in turn), and the holder of the
gate polls the slots; a synchronous execution only ever tries (it is refused when it would wait).
Only ``psycopg2`` cursors are used here: a waiting job process has not imported anything heavier.
"""

from __future__ import annotations

import time
from typing import Any

#: Advisory-lock class ids (the first key of the two-key form): ``'jobs'`` and ``'proc'`` as int4.
JOBS_CLASS = 0x6A6F6273
PROCESS_CLASS = 0x70726F63
ADMISSION = 0  # held (transaction lock) while a submission counts active jobs and inserts its own
GATE = 1
SLOT_BASE = 1000
#: Seconds between two looks at the slots by the job at the head of the queue.
POLL_S = 0.2


def _one(cur: Any, query: str, params: tuple[Any, ...]) -> Any:
    cur.execute(query, params)
    return cur.fetchone()[0]


def try_slot(cur: Any, max_jobs: int) -> int | None:
    """Take a free slot (its number), or None when all ``max_jobs`` are held."""
    for slot in range(max_jobs):
        if _one(cur, "SELECT pg_try_advisory_lock(%s, %s)", (JOBS_CLASS, SLOT_BASE + slot)):
            return slot
    return None


def try_process(cur: Any, process_id: str) -> bool:
    return bool(_one(cur, "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (PROCESS_CLASS, process_id)))


def wait_for_slot(cur: Any, process_id: str, max_jobs: int) -> int:
    """Block until this session holds its process's lock and a slot; returns the slot."""
    cur.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (PROCESS_CLASS, process_id))
    cur.execute("SELECT pg_advisory_lock(%s, %s)", (JOBS_CLASS, GATE))
    try:
        while (slot := try_slot(cur, max_jobs)) is None:
            time.sleep(POLL_S)
    finally:
        cur.execute("SELECT pg_advisory_unlock(%s, %s)", (JOBS_CLASS, GATE))
    return slot


def try_now(cur: Any, process_id: str, max_jobs: int) -> int | None:
    """A slot at once (no job waiting, one free, no other run of the process), else None and
    nothing held."""
    if not _one(cur, "SELECT pg_try_advisory_lock(%s, %s)", (JOBS_CLASS, GATE)):
        return None
    try:
        if not try_process(cur, process_id):
            return None
        slot = try_slot(cur, max_jobs)
        if slot is None:
            cur.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (PROCESS_CLASS, process_id))
        return slot
    finally:
        cur.execute("SELECT pg_advisory_unlock(%s, %s)", (JOBS_CLASS, GATE))


def release_all(cur: Any) -> None:
    cur.execute("SELECT pg_advisory_unlock_all()")


def busy_slots(cur: Any) -> int:
    """Slots held now (for tests and benchmarks)."""
    return int(
        _one(
            cur,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = %s AND objid >= %s AND objsubid = 2",
            (JOBS_CLASS, SLOT_BASE),
        )
    )
