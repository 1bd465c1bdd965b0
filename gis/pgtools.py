"""PostgreSQL client programs (pg_dump, pg_restore, psql) run against a SQLAlchemy URL.

The password travels in the child's environment (``PGPASSWORD``), never on its command line.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

from gis.cluster import PG_MAJOR
from gis.errors import BackupError

CLIENT_BINDIR = Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")
CLIENT_HINT = f"Cài / install: sudo apt-get install -y postgresql-client-{PG_MAJOR}"


def client(program: str, bindir: Path = CLIENT_BINDIR) -> str:
    """Full path of a PostgreSQL client program of the supported major version, or a clear error."""
    path = bindir / program
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise BackupError(
            f"Không tìm thấy / not found: {program} of PostgreSQL {PG_MAJOR} (looked in {bindir}).",
            hint=CLIENT_HINT,
        )
    return str(path)


def libpq_env(url: URL) -> dict[str, str]:
    """The environment that points libpq programs at ``url`` (password included)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    parts = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    env.update({k: str(v) for k, v in parts.items() if v})
    return env


def run(args: list[str], url: URL, *, what: str, stdin: bytes | None = None) -> bytes:
    """Run a client program; a failure becomes a :class:`BackupError` quoting its stderr."""
    proc = subprocess.run(args, env=libpq_env(url), input=stdin, capture_output=True, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(
            f"{what} thất bại / failed ({Path(args[0]).name}, exit {proc.returncode}): {detail}"
        )
    return proc.stdout


def check_server_version(server_version_num: int) -> None:
    """Our pg_dump cannot dump a server of a newer major version: say so before starting."""
    major = server_version_num // 10000
    if major > PG_MAJOR:
        raise BackupError(
            f"Máy chủ PostgreSQL {major} mới hơn công cụ sao lưu / the server is PostgreSQL {major}, "
            f"newer than the PostgreSQL {PG_MAJOR} client programs; pg_dump refuses to dump it.",
            hint=f"Install postgresql-client-{major} and use its pg_dump.",
        )
