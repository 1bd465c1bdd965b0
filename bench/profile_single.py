"""CPU per single-feature request inside one worker, without the HTTP server (issue 15).

Calls the WSGI app as ``dothi serve`` configures it (every guard, the lean path, the pool) on the
bench database (``bench_api.py``'s 1,000,000 polygons; run ``bench_throughput.py`` once first),
for random ids, and prints wall and CPU time per request; ``--profile`` adds a cProfile of the same
loop.  What it does not count is the HTTP server (granian) and the load generator: see
``bench_throughput.py`` for requests per second under concurrency.

    .venv/bin/python bench/profile_single.py [--requests 3000] [--profile] [--sort cumulative]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api_config import server, servers  # noqa: E402
from bench.bench_api import OUT  # noqa: E402
from gis.engine import create_engine, database_url  # noqa: E402
from gis.logins import api_logins  # noqa: E402
from gis.settings import ApiSettings, DatabaseSettings  # noqa: E402

PORT = 5199  # only written into the links: nothing listens


def _environ(i: int) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/collections/buildings/items/b{i:07d}",
        "QUERY_STRING": "f=json",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(PORT),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"127.0.0.1:{PORT}",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    args = parser.parse_args()
    settings = DatabaseSettings()
    url = database_url(settings).set(database=f"{settings.db_name}_bench")
    api = ApiSettings(port=PORT, workers=1)
    logins = api_logins(settings, url)
    files = server.generate(create_engine(url), logins, api, OUT / "profile")
    os.environ.update(servers.worker_env(server.server_env(files, logins), api.server))
    os.environ.setdefault("DOTHI_API_ACCESS_LOG", "false")  # lines would go to this terminal
    from api_config.wsgi import APP  # noqa: PLC0415 - reads the environment set above

    status: list[str] = []

    def start_response(code: str, _headers: list[tuple[str, str]], *_exc: Any) -> None:
        status[:] = [code]

    def one() -> None:
        b"".join(APP(_environ(random.randrange(1_000_000)), start_response))
        if not status[0].startswith("200"):
            raise SystemExit(f"unexpected answer {status[0]}: is the bench database generated?")

    for _ in range(300):  # warm the pool and the per-collection caches
        one()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        one()
    n = args.requests
    print(
        f"{n} single features: {1e6 * (time.perf_counter() - wall) / n:.0f} µs wall, "
        f"{1e6 * (time.process_time() - cpu) / n:.0f} µs CPU a request "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(n):
            one()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
