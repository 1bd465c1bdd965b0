"""Floor apps for the API benchmarks: what a WSGI server costs with (almost) nothing in it.

* ``app`` returns a constant GeoJSON Feature: the HTTP floor of ``bench_api.py``.
* ``single`` answers ``GET /collections/{c}/items/{id}`` with the statement dothi's lean path
  sends (``DOTHI_BENCH_ITEM_SQL``, a psycopg2 statement with ``%(id)s``, on
  ``DOTHI_BENCH_DSN``), gzip from zlib-ng as dothi's, and nothing else: no guards (security
  headers, CORS, authentication, limits, input checks, time budget), no access log, no pool (one
  connection per thread, kept), a single ``self`` link.  ``bench_throughput.py --servers bare``
  runs it under granian with dothi's workers and threads: the rate no Python WSGI server can beat
  for this request on the same machine, the ceiling of dothi's single-feature figure.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"type":"Feature","id":"x","geometry":null,"properties":{}}'


def app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/geo+json"), ("Content-Length", str(len(BODY)))])
    return [BODY]


_ITEM = re.compile(r"/collections/([^/]+)/items/([^/]+)\Z")
_LOCAL = threading.local()
_LINKS = (
    ',"links":[{{"rel":"self","type":"application/geo+json",'
    '"href":"{base}/collections/{c}/items/{i}?f=json"}}]}}'
)


def _cursor() -> Any:
    conn = getattr(_LOCAL, "conn", None)
    if conn is None:
        import psycopg2  # noqa: PLC0415 - only this app needs it

        conn = _LOCAL.conn = psycopg2.connect(os.environ["DOTHI_BENCH_DSN"])
        conn.autocommit = True
    return conn.cursor()


def single(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    from api_config.guard.compression import gzip_bytes  # noqa: PLC0415 - dothi's gzip, same work

    match = _ITEM.match(environ.get("PATH_INFO", ""))
    if match is None:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    with _cursor() as cur:
        cur.execute(os.environ["DOTHI_BENCH_ITEM_SQL"], {"id": match.group(2)})
        row = cur.fetchone()
    if row is None:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    base = f"http://{environ.get('HTTP_HOST', '')}"
    body = (row[0] + _LINKS.format(base=base, c=match.group(1), i=match.group(2))).encode()
    headers = [("Content-Type", "application/geo+json")]
    if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
        body = gzip_bytes(body)
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(body))))
    start_response("200 OK", headers)
    return [body]
