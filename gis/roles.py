"""The database roles dothi's API connects as (least privilege), and their creation.

Two NOLOGIN group roles hold the privileges, granted per database by revision ``0007_roles``:

============== ===================================================================================
group role     may
============== ===================================================================================
dothi_reader   read the published schemas (land, infrastructure, environment, analysis, catalog)
dothi_analyst  what the reader may, write pygeoapi's jobs table (``public.jobs``), use the job queue
               (``jobs_queue``, revision ``0015_jobs_queue``)
============== ===================================================================================

Two login roles are their members: ``dothi_api`` (reader: the feature, tile and records providers)
and ``dothi_jobs`` (analyst: the processes, the job manager and the job workers).  Neither is a
superuser or may create databases or roles.  Migrations, loads and the CLI's indicator runs keep
the owner role.
The embedded cluster creates the login roles itself (:meth:`gis.cluster.EmbeddedCluster.up`); on
an external server an administrator creates them (``dothi db roles`` or the SQL of
:data:`EXTERNAL_SQL`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from psycopg2 import sql

from gis.sqlfiles import load_sql

READER = "dothi_reader"
ANALYST = "dothi_analyst"
API_LOGIN = "dothi_api"
JOBS_LOGIN = "dothi_jobs"
#: login role → the group role it is a member of
LOGINS = {API_LOGIN: READER, JOBS_LOGIN: ANALYST}

#: What an administrator of an external server runs (then ``dothi db migrate`` grants the groups).
EXTERNAL_SQL = (
    "CREATE ROLE dothi_reader NOLOGIN; CREATE ROLE dothi_analyst NOLOGIN; "
    "GRANT dothi_reader TO dothi_analyst; "
    "CREATE ROLE dothi_api LOGIN PASSWORD '…' IN ROLE dothi_reader; "
    "CREATE ROLE dothi_jobs LOGIN PASSWORD '…' IN ROLE dothi_analyst;"
)


def new_passwords(existing: Mapping[str, str]) -> dict[str, str]:
    """A password for every login role: the existing ones kept, the missing ones generated."""
    return {login: existing.get(login) or secrets.token_urlsafe(24) for login in LOGINS}


def ensure_logins(conn: Any, passwords: Mapping[str, str]) -> None:
    """Create (or repair) the group and login roles, with these passwords, in one transaction.

    ``conn`` is a psycopg2 connection of a role that may create roles.  Idempotent, and safe when
    several processes call it at once (an advisory lock serialises them).
    """
    with conn.cursor() as cur:
        cur.execute(load_sql("gis", "roles_lock"))
        for login, group in LOGINS.items():
            _create_missing(cur, group, "group_role")
            _create_missing(cur, login, "login_role_create")
            cur.execute(
                sql.SQL(load_sql("gis", "login_role_alter")).format(role=sql.Identifier(login)),
                {"password": passwords[login]},
            )
            cur.execute(
                sql.SQL(load_sql("gis", "grant_membership")).format(
                    group=sql.Identifier(group), role=sql.Identifier(login)
                )
            )
        cur.execute(
            sql.SQL(load_sql("gis", "grant_membership")).format(
                group=sql.Identifier(READER), role=sql.Identifier(ANALYST)
            )
        )
    conn.commit()


def _create_missing(cur: Any, role: str, statement: str) -> None:
    cur.execute(load_sql("gis", "role_exists"), {"name": role})
    if not cur.fetchone()[0]:
        cur.execute(sql.SQL(load_sql("gis", statement)).format(role=sql.Identifier(role)))
