"""Which requests need an identity, and what each role may do (pure: no database, no HTTP).

* Anonymous callers read published data: GET, HEAD and OPTIONS anywhere except ``/jobs``, and
  CQL2 JSON queries POSTed to ``/collections/{id}/items`` (a read).
* Everything that computes or writes needs an identity: ``POST /processes/{id}/execution``,
  everything under ``/jobs`` and any other method (POST, PUT, PATCH, DELETE) anywhere.
* ``planner`` and ``analyst`` may both execute processes.  A planner sees, reads the results of and
  deletes only their own jobs (403 for any other job id, whether it exists or not); an analyst
  sees and deletes every job.
"""

from __future__ import annotations

import posixpath
import re

from api_config.security.identity import Identity

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_JOBS = re.compile(r"^/jobs(?:/|$)")
_JOB = re.compile(r"^/jobs/(?P<job_id>[^/]+)(?:/results)?/?$")
_ITEMS = re.compile(r"^/collections/[^/]+/items/?$")
_FEATURE_CREATE = "application/geo+json"
_SLASHES = re.compile(r"/{2,}")


def normalise(path: str) -> str:
    """The path as the router sees it: repeated slashes merged (Werkzeug routes ``//jobs`` to
    ``/jobs``), ``.`` and ``..`` segments resolved."""
    return posixpath.normpath(_SLASHES.sub("/", "/" + path))


def needs_identity(method: str, path: str, content_type: str = "") -> bool:
    """True when the request computes, writes, or touches jobs."""
    path = normalise(path)
    if method == "OPTIONS":
        return False  # CORS preflights carry no credentials
    if _JOBS.match(path):
        return True
    if method in READ_METHODS:
        return False
    return not is_query_post(method, path, content_type)


def is_query_post(method: str, path: str, content_type: str) -> bool:
    """A CQL2 JSON query POSTed to ``/items`` (pygeoapi treats any body but GeoJSON as a query)."""
    media = content_type.split(";", 1)[0].strip().lower()
    query = bool(_ITEMS.match(normalise(path)))
    return method == "POST" and query and bool(media) and media != _FEATURE_CREATE


def job_id_of(path: str) -> str | None:
    """The job id of ``/jobs/{id}`` and ``/jobs/{id}/results``."""
    match = _JOB.match(normalise(path))
    return match["job_id"] if match else None


def may_touch_job(identity: Identity, owner: str | None) -> bool:
    """Whether ``identity`` may read or delete a job submitted by ``owner`` (None: nobody known)."""
    return identity.sees_all_jobs or (owner is not None and owner == identity.name)
