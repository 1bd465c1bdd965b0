"""SQL kept in ``.sql`` files next to the Python that runs it, loaded with importlib.resources."""

from __future__ import annotations

from functools import cache
from importlib import metadata, resources


@cache
def load_sql(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql``."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def dothi_version() -> str:
    """The installed dothi version (recorded in provenance rows)."""
    try:
        return metadata.version("dothi")
    except metadata.PackageNotFoundError:
        return "unknown"
