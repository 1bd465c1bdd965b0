"""Column types shared by every generated table (layer catalog, indicator results)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

#: Catalog attribute type → SQLAlchemy column type.
SQL_TYPES: dict[str, type[sa.types.TypeEngine[Any]]] = {
    "text": sa.Text,
    "integer": sa.BigInteger,
    "real": sa.Float,
    "boolean": sa.Boolean,
    "date": sa.Date,
}
