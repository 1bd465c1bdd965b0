"""OGC API – Tiles: Mapbox Vector Tiles built in PostGIS (WebMercatorQuad).

One statement per tile (``sql/tile.sql``): ``&&`` on the GiST-indexed ``geom`` against the tile
envelope transformed once, ``ST_Transform(geom, 3857)`` with an integer SRID, ``ST_Simplify`` to half
a tile pixel at the tile's zoom, ``ST_AsMVTGeom`` clipping and a per-tile feature cap
(``options.max_features``).  Tiles are kept in a per-worker cache keyed by the table's change
version (:mod:`api_config.providers.tilecache`, ``options.cache_mb``).  Metadata and
tile-matrix-set links are pygeoapi's own (those of its
``MVT-postgresql`` provider), which OpenLayers' ``OGCVectorTile`` source and QGIS read.
"""

from __future__ import annotations

import math
from typing import Any

from psycopg2 import sql
from pygeoapi.models.provider.base import TileMatrixSetEnum
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.mvt_postgresql import MVTPostgreSQLProvider
from pygeoapi.provider.tile import ProviderTileNotFoundError

from api_config.providers.db import engine_for
from api_config.providers.postgis import PooledCursor, published_value
from api_config.providers.tables import TableInfo, describe
from api_config.providers.tilecache import process_cache
from gis.crs import STORAGE_SRID
from gis.sqlfiles import load_sql

#: Web Mercator circumference in metres.
_WORLD_M = 40_075_016.685578488
EXTENT = 4096
BUFFER = 64
DEFAULT_MAX_FEATURES = 50_000
#: From this zoom on, geometries are not simplified before ``ST_AsMVTGeom``: its snapping to the
#: 4096-unit grid already drops what a half-unit ``ST_Simplify`` would (a z16 tile of 1,260
#: buildings: 14 → 11 ms); below it, simplifying first saves work on detailed polygons.
SIMPLIFY_BELOW_Z = 14


#: Largest error (in tile grid units) accepted from mapping a tile's lon/lat box linearly onto the
#: grid instead of transforming every vertex to Web Mercator.
LINEAR_MAX_ERROR = 0.05


def linear_error(z: int, y: int, *, extent: int = EXTENT) -> float:
    """Largest y error (grid units) of the linear lon/lat → tile mapping in tile row ``y``.

    Mercator's y(φ) is exact at the tile's edges and bends between them by at most
    ``Δφ²/8 · y''(φ)``; in grid units that is ``extent · 2π · sin|φ| / (8 · 2^z)`` (x is exact).

    Examples
    --------
    >>> round(linear_error(16, 30867), 4)  # Mỹ Tho, z16: a hundredth of a unit
    0.0088
    >>> linear_error(10, 500) > LINEAR_MAX_ERROR  # z10: too coarse
    True
    """
    n = 2**z
    edges = [math.atan(math.sinh(math.pi * (1 - 2 * row / n))) for row in (y, y + 1)]
    return extent * 2 * math.pi * max(abs(math.sin(e)) for e in edges) / (8 * n)


def linear_ok(z: int, y: int) -> bool:
    """Whether the linear mapping is exact to within :data:`LINEAR_MAX_ERROR` grid units."""
    return linear_error(z, y) <= LINEAR_MAX_ERROR


def tolerance_m(z: int) -> float:
    """Half a tile pixel (of a 4096-unit tile) at zoom ``z``, in metres."""
    return _WORLD_M / (2**z) / EXTENT / 2


class PostGISTileProvider(MVTPostgreSQLProvider):
    """Vector tiles of a dothi layer or indicator table."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        # pygeoapi's metadata methods, none of its SQLAlchemy table reflection
        BaseMVTProvider.__init__(self, provider_def)
        options = self.options or {}
        self.info: TableInfo = describe(options["kind"], options["name"])
        self.engine = engine_for(self.data, options, read_only=True)
        self.geom = provider_def.get("geom_field", "geom")
        self.table = options["name"]
        self.max_features = int(options.get("max_features", DEFAULT_MAX_FEATURES))
        self._fields = {name: f.type for name, f in self.info.fields.items()}
        self.cache = process_cache(float(options.get("cache_mb", 0)))
        self.table_key = f"{self.info.schema}.{self.info.table}"
        #: the table whose change version says whether a cached tile is current (a view's base table)
        self.version_key = self.info.version_table
        self._statement_text: str | None = None

    def get_fields(self) -> dict[str, Any]:
        return self._fields

    def get_layer(self) -> str:
        return str(self.table)

    def get_tiling_schemes(self) -> list[Any]:
        return [TileMatrixSetEnum.WEBMERCATORQUAD.value]

    def get_tiles(
        self,
        layer: str = "default",
        tileset: str | None = None,
        z: Any = None,
        y: Any = None,
        x: Any = None,
        format_: str | None = None,
    ) -> bytes | None:
        """The tile as MVT bytes, or None when it holds no feature (HTTP 204)."""
        schemes = [s for s in self.get_tiling_schemes() if s.tileMatrixSet == tileset]
        try:
            z, y, x = int(z), int(y), int(x)
        except (TypeError, ValueError):
            raise ProviderTileNotFoundError from None
        zoom = (self.options or {}).get("zoom", {"min": 0, "max": 22})
        in_range = zoom["min"] <= z <= zoom["max"] and x >= 0 and y >= 0
        if not schemes or not in_range or not self.is_in_limits(schemes[0], z, x, y):
            raise ProviderTileNotFoundError
        params = {
            "z": z,
            "x": x,
            "y": y,
            "margin": BUFFER / EXTENT,
            "tolerance": tolerance_m(z),
            "simplify": z < SIMPLIFY_BELOW_Z,
            "linear": STORAGE_SRID == 4326 and linear_ok(z, y),
            "extent": EXTENT,
            "buffer": BUFFER,
            "cap": self.max_features,
            "layer": layer,
            "table_key": self.version_key,
        }
        with PooledCursor(self.engine) as cur:
            cacheable = False
            if self.cache is not None:
                cur.execute(load_sql("api_config.providers", "data_version"), {"table": self.version_key})
                version = cur.fetchone()[0]
                cacheable = version is not None
                if cacheable:
                    cached = self.cache.get((self.table_key, version, layer, z, x, y))
                    if cached is not None:
                        return cached or None
            cur.execute(self._statement(cur), params)
            data, version = cur.fetchone()
        tile = bytes(data)
        if self.cache is not None and cacheable:
            self.cache.put((self.table_key, version, layer, z, x, y), tile)
        return tile or None

    def _statement(self, cur: Any) -> str:
        """``tile.sql`` for this table as text, composed once per provider (a provider is kept per
        worker: composing it cost ≈ 0.2 ms of each tile)."""
        if self._statement_text is None:
            columns = sql.SQL(", ").join(
                sql.SQL("{} AS {}").format(published_value(self.info, n), sql.Identifier(n))
                for n in self.info.fields
            )
            statement = sql.SQL(load_sql("api_config.providers", "tile")).format(
                table=sql.Identifier(self.info.schema, self.info.table),
                geom=sql.Identifier(self.geom),
                columns=columns,
            )
            self._statement_text = statement.as_string(cur.connection)
        return self._statement_text

    def __repr__(self) -> str:
        return f"<PostGISTileProvider> {self.info.schema}.{self.info.table}"
