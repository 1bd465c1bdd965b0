"""API keys: created by an operator (``dothi api-key create``), sent as ``Authorization: Bearer``.

A token is ``dothi_<key id>_<secret>``: the key id (12 hex digits) is public and finds the key's
row, the secret is 256 random bits (:func:`secrets.token_urlsafe`).  The database keeps only the
SHA-256 of the whole token, in ``auth.api_keys`` (migration ``0008_auth``); the token is shown
once, at creation.  The API resolves a token with the SECURITY DEFINER function
``auth.identify`` (the API's roles cannot read the digests), which compares SHA-256 of the two
digests, so the comparison's timing says nothing about the stored digest.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from api_config.security.errors import ApiKeyError
from api_config.security.identity import ROLES, Identity, Role
from gis.sqlfiles import load_sql

PREFIX = "dothi"
_TOKEN = re.compile(r"^dothi_(?P<key_id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class ApiKey:
    """A key as listed (never its token)."""

    name: str
    role: str
    key_id: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


def new_token() -> tuple[str, str]:
    """A fresh ``(key id, token)``."""
    key_id = secrets.token_hex(6)
    return key_id, f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def digest(token: str) -> bytes:
    """The SHA-256 of a token: what the database keeps."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def key_id_of(token: str) -> str | None:
    """The key id of a well-formed token, or None for anything else."""
    match = _TOKEN.match(token)
    return match["key_id"] if match else None


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def _check(name: str, role: str) -> None:
    if not _NAME.match(name):
        raise ApiKeyError(
            f"Tên khoá không hợp lệ / invalid key name {name!r}.",
            hint="1–64 letters, digits and . _ @ -, starting with a letter or digit.",
        )
    if role not in ROLES:
        raise ApiKeyError(f"Vai trò không hợp lệ / invalid role {role!r}: one of {', '.join(ROLES)}.")


def create_key(engine: Engine, name: str, role: str) -> tuple[ApiKey, str]:
    """Store a new key; returns it and its token (the only time the token is known)."""
    _check(name, role)
    key_id, token = new_token()
    values = {"key_id": key_id, "name": name, "role": role, "token_sha256": digest(token)}
    with engine.begin() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("api_config.security", "key_insert"), values)
        row = cur.fetchone()
    if row is None:
        raise ApiKeyError(
            f"Khoá {name!r} đã tồn tại / a key named {name!r} already exists.",
            hint="Choose another name (names stay unique, even after revocation, for the audit trail).",
        )
    return ApiKey(name, role, key_id, row[0], "", None, None), token


def list_keys(engine: Engine) -> list[ApiKey]:
    """Every key, revoked ones included."""
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("api_config.security", "key_list"))
        return [ApiKey(*row) for row in cur.fetchall()]


def revoke_key(engine: Engine, name: str) -> datetime:
    """Revoke a key (at once: the next request with it is refused); returns when it was revoked."""
    with engine.begin() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("api_config.security", "key_revoke"), {"name": name})
        row = cur.fetchone()
    if row is None:
        raise ApiKeyError(
            f"Không có khoá {name!r} / no API key named {name!r}.", hint="See `dothi api-key list`."
        )
    return row[0]


def identify(engine: Engine, token: str) -> Identity | None:
    """The identity of a valid, unrevoked token; None otherwise."""
    key_id = key_id_of(token)
    if key_id is None:
        return None
    with engine.begin() as conn:
        cur = _cursor(conn)
        cur.execute(
            load_sql("api_config.security", "identify"), {"key_id": key_id, "token_sha256": digest(token)}
        )
        row = cur.fetchone()
    if row is None:
        return None
    role: Role = row[1]
    return Identity(name=row[0], role=role)
