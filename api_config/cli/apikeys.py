"""``dothi api-key``: create, list and revoke the API keys that may run processes and see jobs."""

from __future__ import annotations

from typing import Any

import click

from api_config.cli.app import App, cli, pass_app

_JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")


@cli.group("api-key")
def api_key() -> None:
    """API keys (Authorization: Bearer) for process execution and jobs."""


@api_key.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["planner", "analyst"]),
    required=True,
    help="planner: run processes, see own jobs; analyst: also see and delete every job.",
)
@_JSON
@pass_app
def create(app: App, name: str, role: str, as_json: bool) -> None:
    """Create the key NAME and print its token — once: only its SHA-256 is stored."""
    from api_config.security.keys import create_key

    key, token = create_key(app.engine(), name, role)
    app.as_json = app.as_json or as_json
    app.output(
        {**key.as_dict(), "token": token},
        f"Khoá API / API key {key.name!r} ({key.role}):\n\n  {token}\n\n"
        "Hãy lưu ngay: khoá chỉ hiện một lần. / Store it now: it is shown only once.\n"
        f"Dùng / use: curl -H 'Authorization: Bearer {token[:18]}…' …",
    )


@api_key.command("list")
@_JSON
@pass_app
def list_(app: App, as_json: bool) -> None:
    """Every key (name, role, created, last used, revoked); never the tokens."""
    from api_config.security.keys import list_keys

    found = list_keys(app.engine())
    app.as_json = app.as_json or as_json
    lines = [_line(k) for k in found]
    app.output([k.as_dict() for k in found], "\n".join(lines) or "(no API keys / chưa có khoá API)")


def _line(key: Any) -> str:
    used = f"last used {key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never used"
    revoked = f"  REVOKED {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else ""
    return f"{key.name:<24} {key.role:<8} created {key.created_at:%Y-%m-%d %H:%M}, {used}{revoked}"


@api_key.command("revoke")
@click.argument("name")
@_JSON
@pass_app
def revoke(app: App, name: str, as_json: bool) -> None:
    """Revoke the key NAME: the next request with it is refused (401)."""
    from api_config.security.keys import revoke_key

    when = revoke_key(app.engine(), name)
    app.as_json = app.as_json or as_json
    text = f"Đã thu hồi / revoked {name!r} ({when:%Y-%m-%d %H:%M})"
    app.output({"name": name, "revoked_at": when.isoformat()}, text)
