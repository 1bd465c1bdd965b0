"""Declare the API-key requirement in the OpenAPI document (what the middleware enforces)."""

from __future__ import annotations

import re
from typing import Any

from api_config.security.policy import READ_METHODS

SCHEME = "bearerAuth"
_PROTECTED = re.compile(r"^(/jobs(/.*)?|/processes/[^/]+/execution)$")
_JOB = re.compile(r"^/jobs/.+$")
_EXCEPTION = {
    "type": "object",
    "required": ["code", "description"],
    "properties": {
        "code": {"type": "string"},
        "type": {"type": "string"},
        "description": {"type": "string", "description": "Vietnamese / English"},
    },
}


def _response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _EXCEPTION}}}


def declare_security(document: dict[str, Any]) -> dict[str, Any]:
    """Add the bearer scheme, and ``security`` plus 401 (403 on jobs) to every operation that
    needs an identity (:mod:`api_config.security.policy`)."""
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "description": "API key from `dothi api-key create` (Authorization: Bearer dothi_…).",
    }
    responses = components.setdefault("responses", {})
    responses["Unauthorized"] = _response("No valid API key (WWW-Authenticate: Bearer)")
    responses["Forbidden"] = _response("The key's role may not (another user's job)")
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or not _needs_key(path, method.upper()):
                continue
            operation["security"] = [{SCHEME: []}]
            codes = operation.setdefault("responses", {})
            codes["401"] = {"$ref": "#/components/responses/Unauthorized"}
            if _JOB.match(path):
                codes["403"] = {"$ref": "#/components/responses/Forbidden"}
    return document


def _needs_key(path: str, method: str) -> bool:
    """pygeoapi documents no write besides execution and jobs (no transactions are offered)."""
    return method in {*READ_METHODS, "POST", "DELETE"} - {"OPTIONS"} and bool(_PROTECTED.match(path))
