"""Read layers back out of PostGIS as GeoDataFrames (the researchers' entry point).

Examples
--------
>>> from gis.engine import create_engine, database_url          # doctest: +SKIP
>>> from gis.settings import DatabaseSettings                   # doctest: +SKIP
>>> engine = create_engine(database_url(DatabaseSettings()))    # doctest: +SKIP
>>> wards = read_layer(engine, "admin_units", vintage=2019)      # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gis.crs import STORAGE_SRID
from layers.catalog import get_layer
from layers.errors import LayerError


def read_layer(engine: Engine, name: str, **equals: Any) -> gpd.GeoDataFrame:
    """All features of a catalog layer, optionally where attributes equal given values.

    Parameters
    ----------
    engine:
        Engine on dothi's database.
    name:
        Layer name, e.g. ``"admin_units"`` or ``"land.admin_units"``.
    **equals:
        Attribute filters, e.g. ``vintage=2019``; names must be attributes of the layer.
    """
    spec = get_layer(name)
    known = {*spec.attribute_names, "synthetic", "source", "load_id"}
    unknown = sorted(set(equals) - known)
    if unknown:
        raise LayerError(
            f"Layer {spec.qualified_name} has no attribute(s) {', '.join(unknown)}.",
            hint=f"Its attributes: {', '.join(sorted(known))}.",
        )
    quote = engine.dialect.identifier_preparer.quote
    conditions = [f"{quote(k)} = :{k}" for k in equals] or ["TRUE"]
    query = sa.text(
        f"SELECT * FROM {quote(spec.schema)}.{quote(spec.table)} "  # noqa: S608 - quoted, validated
        f"WHERE {' AND '.join(conditions)} ORDER BY {quote(spec.id_field)}"
    )
    with engine.connect() as conn:
        frame = gpd.read_postgis(query, conn, geom_col="geom", params=equals)
    if frame.crs is None:
        frame = frame.set_crs(epsg=STORAGE_SRID)
    return frame
