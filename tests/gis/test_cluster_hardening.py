"""The embedded cluster's hardening: no group root, private files, no statement values in the log."""

from __future__ import annotations

import json
import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gis import roles
from gis.cluster import LOG_SETTINGS, EmbeddedCluster
from gis.engine import create_engine
from gis.settings import DatabaseSettings

#: these tests start clusters of their own (not the shared test database): the db tier
pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]


def _cluster(settings: DatabaseSettings) -> EmbeddedCluster:
    return EmbeddedCluster(settings.data_dir, db_name=settings.db_name)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _proc_ids(pid: int, field: str) -> set[int]:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return {int(v) for v in line.split(":", 1)[1].split()}
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def test_postmaster_runs_without_group_root(db_settings: DatabaseSettings) -> None:
    status = _cluster(db_settings).status()
    assert status.pid is not None
    gids, groups = _proc_ids(status.pid, "Gid"), _proc_ids(status.pid, "Groups")
    assert 0 not in gids and 0 not in groups
    if os.geteuid() == 0:  # run as the unprivileged dothi-db user with its own group only
        assert 0 not in _proc_ids(status.pid, "Uid")
        assert groups <= gids


def test_cluster_files_are_private(db_settings: DatabaseSettings) -> None:
    cluster = _cluster(db_settings)
    assert _mode(cluster.logfile) == 0o600
    assert _mode(cluster.state_file) == 0o600
    assert _mode(cluster.pgdata) == 0o700
    assert _mode(cluster.rundir) == 0o700


def test_failed_statements_and_their_values_are_not_logged(
    db_settings: DatabaseSettings, engine: Engine
) -> None:
    marker = f"dothi-marker-{uuid.uuid4().hex}"
    with engine.connect() as conn:
        shown = {
            name: conn.exec_driver_sql(f"SHOW {name}").scalar()
            for name in (
                "log_min_error_statement",
                "log_error_verbosity",
                "log_parameter_max_length_on_error",
            )
        }
        with pytest.raises(sa.exc.DataError):  # division by zero: the message itself quotes nothing
            conn.execute(sa.text("SELECT 1 / 0 WHERE :m <> ''"), {"m": marker})
    assert shown == {
        "log_min_error_statement": "panic",
        "log_error_verbosity": "terse",
        "log_parameter_max_length_on_error": "0",
    }
    log = _cluster(db_settings).logfile.read_text(errors="replace")
    assert "division by zero" in log  # the error is logged …
    assert marker not in log  # … but not the statement with its value


@pytest.fixture
def own_cluster() -> Iterator[EmbeddedCluster]:
    folder = ROOT / ".data" / f"test-roles-cluster-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    cluster = EmbeddedCluster(folder, preferred_port=56532)
    yield cluster
    cluster.destroy()
    shutil.rmtree(folder, ignore_errors=True)


def _role(cluster: EmbeddedCluster, login: str) -> tuple[bool, bool]:
    engine = create_engine(cluster.url("postgres", login=login))
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT rolsuper, pg_has_role(current_user, :g, 'MEMBER') FROM pg_roles "
                    "WHERE rolname = current_user"
                ),
                {"g": roles.LOGINS[login]},
            ).one()
    finally:
        engine.dispose()
    return bool(row[0]), bool(row[1])


def test_a_cluster_made_before_roles_gets_them_and_a_private_log(own_cluster: EmbeddedCluster) -> None:
    own_cluster.init()  # what `db up` did before roles existed: no logins in the state file
    own_cluster.logfile.chmod(0o644)  # and a world-readable log
    own_cluster.start()
    assert "logins" not in json.loads(own_cluster.state_file.read_text())
    own_cluster.stop()
    own_cluster.logfile.chmod(0o644)
    own_cluster.up()
    assert _mode(own_cluster.logfile) == 0o600
    passwords = json.loads(own_cluster.state_file.read_text())["logins"]
    assert set(passwords) == set(roles.LOGINS)
    for login in roles.LOGINS:
        assert _role(own_cluster, login) == (False, True)
    # a login changed by hand is repaired; passwords are kept
    superuser = create_engine(own_cluster.url("postgres"))
    with superuser.begin() as conn:
        conn.execute(sa.text("ALTER ROLE dothi_api SUPERUSER"))
    superuser.dispose()
    own_cluster.up()
    assert _role(own_cluster, roles.API_LOGIN) == (False, True)
    assert json.loads(own_cluster.state_file.read_text())["logins"] == passwords


def test_a_server_started_by_an_older_dothi_is_restarted_hardened(own_cluster: EmbeddedCluster) -> None:
    """Upgrading while the embedded server runs: `db up` restarts it once with today's settings."""
    own_cluster.up()
    old_pid = own_cluster.status().pid
    assert old_pid is not None
    opts = own_cluster.pgdata / "postmaster.opts"
    # what an older dothi's start left behind: the same command line without the log settings
    text = opts.read_text()
    for setting in LOG_SETTINGS:
        text = text.replace(f' "-c" "{setting}"', "")
    opts.write_text(text)
    own_cluster.up()
    new_pid = own_cluster.status().pid
    assert new_pid is not None and new_pid != old_pid
    assert all(setting in opts.read_text() for setting in LOG_SETTINGS)
    own_cluster.up()  # and only once: a hardened server is left running
    assert own_cluster.status().pid == new_pid
