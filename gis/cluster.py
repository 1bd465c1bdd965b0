"""The embedded PostgreSQL + PostGIS cluster that dothi runs in a project-local folder.

The cluster lives in ``<data_dir>/postgres`` (git-ignored), listens only on 127.0.0.1 on a free port,
and is reached with a generated password.  It never touches the machine's own clusters: it has its own
data directory, port, socket directory and log.  When dothi runs as root, the cluster runs as the
unprivileged system user ``dothi-db`` (PostgreSQL refuses to run as root).

State that must survive between commands (port, passwords) is kept in ``<data_dir>/cluster.json``
(mode 0600).  Besides the superuser ``dothi`` (migrations, loads, the CLI), :meth:`EmbeddedCluster.up`
keeps the API's login roles ``dothi_api`` and ``dothi_jobs`` (:mod:`gis.roles`) with generated
passwords.

Hardening: the server runs as ``dothi-db`` with only that user's group (no group root inherited
from a root caller); the data folder, socket folder and log are private to it; failed statements
and their parameters are not written to the log (``log_min_error_statement = panic``,
``log_error_verbosity = terse``: no DETAIL lines quoting row values).
"""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from gis.errors import ClusterError

DB_SUPERUSER = "dothi"
SYSTEM_USER = "dothi-db"
EXTENSIONS = ("postgis", "postgis_raster", "pgrouting")
PG_MAJOR = 15
APT_PACKAGES = f"postgresql-{PG_MAJOR} postgresql-{PG_MAJOR}-postgis-3 postgresql-{PG_MAJOR}-pgrouting"
INSTALL_HINT = f"sudo apt-get install -y {APT_PACKAGES}   (or run `make` as root, which does it)"
#: Server settings given at every start: no statement text, parameters or row values in the log.
LOG_SETTINGS = (
    "log_min_error_statement=panic",
    "log_statement=none",
    "log_min_duration_statement=-1",
    "log_parameter_max_length=0",
    "log_parameter_max_length_on_error=0",
    "log_error_verbosity=terse",
)


class State(StrEnum):
    NOT_INITIALISED = "not initialised"
    STOPPED = "stopped"
    RUNNING = "running"


@dataclass(frozen=True)
class Status:
    state: State
    data_dir: Path
    port: int | None
    pid: int | None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": str(self.state),
            "data_dir": str(self.data_dir),
            "port": self.port,
            "pid": self.pid,
            "detail": self.detail,
        }


def find_bindir(candidates: list[Path] | None = None) -> Path:
    """Locate PostgreSQL's server binaries (``initdb``, ``pg_ctl``, ``postgres``)."""
    if candidates is None:
        candidates = [Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")]
        pg_ctl = shutil.which("pg_ctl")
        if pg_ctl:
            candidates.append(Path(pg_ctl).resolve().parent)
    for bindir in candidates:
        if all((bindir / exe).is_file() for exe in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise ClusterError(
        f"PostgreSQL {PG_MAJOR} server binaries (initdb, pg_ctl, postgres) were not found.",
        hint=f"Install them: {INSTALL_HINT}",
    )


def check_extensions_installed(bindir: Path) -> None:
    """Refuse early, with the install command, when PostGIS or pgRouting are missing."""
    pg_config = bindir / "pg_config"
    sharedir = Path(f"/usr/share/postgresql/{PG_MAJOR}")
    if pg_config.is_file():
        out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            sharedir = Path(out.stdout.strip())
    missing = [e for e in EXTENSIONS if not (sharedir / "extension" / f"{e}.control").is_file()]
    if missing:
        raise ClusterError(
            f"PostgreSQL extensions not installed: {', '.join(missing)}.",
            hint=f"Install them: {INSTALL_HINT}",
        )


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int) -> int:
    """The preferred port if it is free on loopback, else the next free one."""
    for port in range(preferred, preferred + 200):
        if port_is_free(port):
            return port
    raise ClusterError(f"No free loopback port found in {preferred}–{preferred + 199}.")


class EmbeddedCluster:
    """A project-local PostgreSQL cluster.

    Parameters
    ----------
    data_dir:
        The dothi data folder; the cluster goes in ``data_dir / "postgres"``.
    db_name:
        The database created in the cluster (with PostGIS, PostGIS raster and pgRouting).
    preferred_port:
        First port tried when the cluster is created or its port is taken.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        db_name: str = "dothi",
        preferred_port: int = 55432,
        bin_candidates: list[Path] | None = None,
    ):
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "postgres"
        self.rundir = self.data_dir / "run"
        self.logfile = self.data_dir / "postgres.log"
        self.state_file = self.data_dir / "cluster.json"
        self.db_name = db_name
        self.preferred_port = preferred_port
        self.bin_candidates = bin_candidates

    # -- state ---------------------------------------------------------------------------------
    def _read_state(self) -> dict[str, Any]:
        if not self.state_file.is_file():
            return {}
        return dict(json.loads(self.state_file.read_text()))

    def _write_state(self, state: dict[str, Any]) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2))
        tmp.chmod(0o600)
        tmp.replace(self.state_file)

    @property
    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").is_file() and self.state_file.is_file()

    @property
    def port(self) -> int | None:
        port = self._read_state().get("port")
        return int(port) if port else None

    def url(self, db_name: str | None = None, *, login: str = DB_SUPERUSER) -> str:
        """SQLAlchemy URL of a database in this cluster, as the superuser or one of the API's logins."""
        state = self._read_state()
        if not state:
            raise ClusterError(
                f"The embedded database in {self.pgdata} has not been created yet.",
                hint="Run `dothi db up`.",
            )
        if login == DB_SUPERUSER:
            password = state["password"]
        else:
            password = state.get("logins", {}).get(login)
            if password is None:
                raise ClusterError(
                    f"The embedded database has no login role {login!r} yet (created before roles existed).",
                    hint="Run `dothi db up`, which creates it.",
                )
        return f"postgresql+psycopg2://{login}:{password}@127.0.0.1:{state['port']}/{db_name or self.db_name}"

    # -- running commands as the unprivileged user ----------------------------------------------
    def _run_as(self) -> str | None:
        return SYSTEM_USER if os.geteuid() == 0 else None

    def _ensure_system_user(self) -> None:
        user = self._run_as()
        if user is None:
            return
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
                check=True,
                capture_output=True,
            )

    def _own(self, *paths: Path) -> None:
        user = self._run_as()
        if user is None:
            return
        for path in paths:
            shutil.chown(path, user=user, group=user)

    def _identity(self) -> dict[str, Any]:
        """``subprocess`` options running a command as ``dothi-db`` with its own group only.

        ``user=`` alone keeps the caller's groups: the server would run with group root.
        """
        user = self._run_as()
        if user is None:
            return {}
        return {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}

    def _make_private(self) -> None:
        """The log, the socket folder and the state file readable by their owner only."""
        for path, mode in ((self.logfile, 0o600), (self.rundir, 0o700), (self.state_file, 0o600)):
            if path.exists():
                path.chmod(mode)

    def _run(self, args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(args, capture_output=True, text=True, cwd="/", check=False, **self._identity())
        if check and proc.returncode != 0:
            raise ClusterError(
                f"`{Path(args[0]).name} {' '.join(args[1:])}` failed "
                f"(exit {proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}",
                hint=f"See the server log {self.logfile}.",
            )
        return proc

    # -- lifecycle ---------------------------------------------------------------------------
    def status(self) -> Status:
        if not (self.pgdata / "PG_VERSION").is_file():
            return Status(State.NOT_INITIALISED, self.pgdata, None, None)
        pid = self._live_pid()
        if pid is None:
            return Status(State.STOPPED, self.pgdata, self.port, None)
        return Status(State.RUNNING, self.pgdata, self.port, pid)

    def _live_pid(self) -> int | None:
        """PID of the postmaster if it is really running (a stale pid file gives None)."""
        pidfile = self.pgdata / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if b"postgres" in cmdline else None

    def init(self) -> None:
        """Create the cluster (``initdb``) if it does not exist yet."""
        if (self.pgdata / "PG_VERSION").is_file():
            return
        bindir = find_bindir(self.bin_candidates)
        check_extensions_installed(bindir)
        self._check_traversable()
        self._ensure_system_user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.pgdata.exists():  # a half-created folder from an interrupted initdb
            shutil.rmtree(self.pgdata)
        self.pgdata.mkdir(mode=0o700)
        self.rundir.mkdir(mode=0o700, exist_ok=True)
        self.logfile.touch(mode=0o600)
        self._make_private()
        self._own(self.pgdata, self.rundir, self.logfile)
        password = secrets.token_urlsafe(24)
        pwfile = self.rundir / "initdb.pw"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        self._own(pwfile)
        try:
            self._run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    DB_SUPERUSER,
                    "--pwfile",
                    str(pwfile),
                    "--auth-host=scram-sha-256",
                    "--auth-local=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            )
        finally:
            pwfile.unlink(missing_ok=True)
        self._write_state({"port": free_port(self.preferred_port), "password": password})

    def init_replica_of(self, primary: EmbeddedCluster) -> None:
        """Create this cluster as a streaming replica (hot standby) of ``primary``, a running
        embedded cluster on this machine: ``pg_basebackup -R`` over a loopback replication
        connection, the primary's passwords (a physical copy has the same roles), its own port.

        Start it with :meth:`start`; it follows the primary until stopped.  Used by the replica
        tests and to try ``DOTHI_DATABASE_READ_URLS`` on one machine (docs/deployment.md).
        """
        if (self.pgdata / "PG_VERSION").is_file():
            raise ClusterError(f"{self.pgdata} already holds a cluster; a replica needs an empty folder.")
        source = primary._read_state()
        if not source or primary._live_pid() is None:
            raise ClusterError(f"The primary in {primary.pgdata} is not running.", hint="Run `dothi db up`.")
        bindir = find_bindir(self.bin_candidates)
        self._check_traversable()
        self._ensure_system_user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.rundir.mkdir(mode=0o700, exist_ok=True)
        self.logfile.touch(mode=0o600)
        self._make_private()
        self._own(self.data_dir, self.rundir, self.logfile)
        # never the password on a command line; kept (0600, like cluster.json): -R writes this
        # passfile into the standby's primary_conninfo, which the WAL receiver reads to reconnect
        passfile = self.data_dir / "replication.pgpass"
        passfile.write_text(f"127.0.0.1:{source['port']}:*:{DB_SUPERUSER}:{source['password']}\n")
        passfile.chmod(0o600)
        self._own(passfile)
        self._run(
            [
                str(bindir / "pg_basebackup"),
                "-D",
                str(self.pgdata),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-w",
                "-d",
                f"host=127.0.0.1 port={source['port']} user={DB_SUPERUSER} passfile={passfile}",
            ]
        )
        self._write_state(
            {**source, "port": free_port(self.preferred_port), "replica_of": str(primary.pgdata)}
        )

    def _check_traversable(self) -> None:
        user = self._run_as()
        if user is None:
            return
        for parent in [*reversed(self.data_dir.parents)]:
            if parent.exists() and not parent.stat().st_mode & 0o001:
                raise ClusterError(
                    f"The folder {parent} is not accessible to the database user {user!r}, "
                    f"so the embedded cluster cannot live under {self.data_dir}.",
                    hint=f"Run `chmod o+x {parent}` or set DOTHI_DATA_DIR to another folder.",
                )

    def start(self) -> None:
        """Start the server if it is not running; survives a stale pid file after a crash.

        A server started by an older dothi (without :data:`LOG_SETTINGS` and its own group) is
        restarted once, so that an upgrade gets the hardening without a manual ``db down``.
        """
        if self._live_pid() is not None:
            if self._started_hardened():
                return
            self.stop()
        bindir = find_bindir(self.bin_candidates)
        self._remove_stale_locks()
        state = self._read_state()
        port = int(state["port"])
        if not port_is_free(port):
            port = free_port(self.preferred_port)
            state["port"] = port
            self._write_state(state)
        self.rundir.mkdir(mode=0o700, exist_ok=True)
        self.logfile.touch(mode=0o600)
        self._make_private()
        self._own(self.rundir, self.logfile)
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.rundir} "
            # max_connections: API workers' pools, job workers, Dask workers and QGIS users together
            "-c shared_buffers=256MB -c max_connections=300 "
            "-c fsync=on -c timezone=UTC " + " ".join(f"-c {setting}" for setting in LOG_SETTINGS)
        )
        self._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.logfile),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ]
        )

    def _started_hardened(self) -> bool:
        """Whether the running server was started with today's settings (``postmaster.opts``)."""
        try:
            opts = (self.pgdata / "postmaster.opts").read_text()
        except OSError:
            return True  # cannot tell: leave a running server alone
        return all(setting in opts for setting in LOG_SETTINGS)

    def _remove_stale_locks(self) -> None:
        """After a crash: the pid file and socket lock files name a dead (or zombie) postmaster.

        Only called when :meth:`_live_pid` found no live postmaster; the socket folder is private
        to this cluster, so nothing else's locks are touched.
        """
        (self.pgdata / "postmaster.pid").unlink(missing_ok=True)
        if self.rundir.is_dir():
            for lock in self.rundir.glob(".s.PGSQL.*"):
                lock.unlink(missing_ok=True)

    def stop(self) -> bool:
        """Stop the server (fast shutdown).  Returns False when it was not running."""
        if self._live_pid() is None:
            return False
        bindir = find_bindir(self.bin_candidates)
        self._run([str(bindir / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"])
        return True

    def up(self) -> Status:
        """Create if needed, start if needed, API login roles if missing: idempotent."""
        self.init()
        self.start()
        self.ensure_logins()
        return self.status()

    def ensure_logins(self) -> dict[str, str]:
        """Create or repair the API's login roles (:mod:`gis.roles`); passwords kept in the state file.

        Also for clusters created before the roles existed.  Returns login → password.
        """
        # psycopg2 only here: `dothi --help` imports this module and stays fast
        import psycopg2  # noqa: PLC0415

        from gis import roles  # noqa: PLC0415

        with self._state_lock():  # two commands at once must not keep different passwords
            state = self._read_state()
            passwords = roles.new_passwords(state.get("logins", {}))
            if passwords != state.get("logins"):
                self._write_state({**state, "logins": passwords})
            conn = psycopg2.connect(
                host="127.0.0.1",
                port=state["port"],
                dbname="postgres",
                user=DB_SUPERUSER,
                password=state["password"],
                connect_timeout=10,
            )
            try:
                roles.ensure_logins(conn, passwords)
            finally:
                conn.close()
        return passwords

    @contextmanager
    def _state_lock(self) -> Iterator[None]:
        """An exclusive lock on the state file's folder (released when the block ends)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.data_dir / "cluster.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def destroy(self) -> None:
        """Stop the server and delete the cluster's folder and state."""
        self.stop()
        shutil.rmtree(self.pgdata, ignore_errors=True)
        shutil.rmtree(self.rundir, ignore_errors=True)
        self.state_file.unlink(missing_ok=True)
        self.logfile.unlink(missing_ok=True)
        (self.data_dir / "cluster.lock").unlink(missing_ok=True)
        (self.data_dir / "replication.pgpass").unlink(missing_ok=True)
