"""The access log: one line per request on stdout, written by the app under either server.

granian's own access log (``--access-log``) builds a :class:`logging.LogRecord`, formats a date
and flushes stdout for every request: measured on the single-feature case, ≈ 90 µs of server CPU
a request of ≈ 450 (bench/RESULTS.md, "Single feature: where the time went").  Here a request
costs one formatted string appended to a queue; a thread of each worker writes the queue to stdout
every :data:`FLUSH_S` seconds (at most that much is lost if the worker is killed; the rest is
written when the worker stops).

The line keeps the order of the common log format, with the time the app took (ms) last::

    127.0.0.1 - - [2026-12-02 06:30:00 +0000] "GET /collections/x/items?f=json HTTP/1.1" 200 1.234

The request line is hostile input: a path or query with CR, LF, NUL, other control characters,
spaces, quotes, backslashes or non-ASCII bytes is written with those as ``\\xNN`` escapes, so one request
is always one line that no client can forge; it is cut at :data:`MAX_TARGET` characters.

``DOTHI_API_ACCESS_LOG=false`` turns the log off (e.g. behind a reverse proxy that logs).
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, TextIO

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

#: Seconds between writes of the queued lines.
FLUSH_S = 0.5
#: Longest request target (path and query) written; the rest is replaced by ``…``.
MAX_TARGET = 2000
#: What a request line may carry raw: printable ASCII but space, the quote closing it and the escape
#: character itself (WSGI paths are bytes decoded as latin-1: non-ASCII bytes are escaped too).
_UNSAFE = re.compile(r"[^\x21\x23-\x5b\x5d-\x7e]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def request_target(environ: dict[str, Any]) -> str:
    """Path and query of the request as one printable line."""
    target = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    if query:
        target = f"{target}?{query}"
    if len(target) > MAX_TARGET:
        target = target[:MAX_TARGET] + "…"
    if _UNSAFE.search(target):
        target = _UNSAFE.sub(_escape, target)
    return target


class AccessLog:
    """WSGI middleware queueing one access-log line per request, written by a background thread."""

    def __init__(self, app: WsgiApp, stream: TextIO | None = None, flush_s: float = FLUSH_S) -> None:
        self.app = app
        self.stream = stream
        self.flush_s = flush_s
        self.lines: deque[str] = deque()
        self._pid = 0  # the process whose writer thread runs (a forked worker starts its own)
        self._second = -1
        self._stamp = ""

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self._pid != os.getpid():
            self._start_writer()
        started = time.perf_counter()
        status: list[str] = []

        def recorded(code: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            status[:] = [code]
            return start_response(code, headers, *exc_info)

        try:
            result = self.app(environ, recorded)
        except BaseException:
            self._queue(environ, "500", started)
            raise
        self._queue(environ, status[0][:3] if status else "500", started)
        return result

    def _queue(self, environ: dict[str, Any], status: str, started: float) -> None:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(now))
        method = environ.get("REQUEST_METHOD", "-")
        if _UNSAFE.search(method):
            method = _UNSAFE.sub(_escape, method)
        self.lines.append(
            f"{environ.get('REMOTE_ADDR', '-')} - - [{self._stamp}] "
            f'"{method} {request_target(environ)} {environ.get("SERVER_PROTOCOL", "-")}" '
            f"{status} {(time.perf_counter() - started) * 1000:.3f}\n"
        )

    # -- writing -------------------------------------------------------------------------------
    def _start_writer(self) -> None:
        self._pid = os.getpid()
        self.lines.clear()  # a forked worker does not write its parent's lines again
        threading.Thread(target=self._write_forever, name="dothi-access-log", daemon=True).start()
        atexit.register(self.flush)
        # granian's workers are multiprocessing children: they end with os._exit, after
        # multiprocessing's own exit hooks but without atexit's
        multiprocessing.util.Finalize(None, self.flush, exitpriority=100)

    def _write_forever(self) -> None:
        while True:
            time.sleep(self.flush_s)
            self.flush()

    def flush(self) -> None:
        """Write the queued lines (each line once, whichever thread flushes)."""
        lines = []
        try:
            while True:
                lines.append(self.lines.popleft())
        except IndexError:
            pass
        if lines:
            stream = self.stream or sys.stdout
            stream.write("".join(lines))
            stream.flush()
