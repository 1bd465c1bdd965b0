-- One Mapbox Vector Tile (WebMercatorQuad z/x/y) built in PostGIS.
-- The index filter uses the tile envelope (plus the render buffer) transformed once to the storage
-- SRID; each geometry is transformed with an integer SRID, simplified to a fraction of the tile's
-- pixel size below zoom SIMPLIFY_BELOW_Z (above, ST_AsMVTGeom's grid snapping is enough) and clipped
-- by ST_AsMVTGeom; at most %(cap)s features per tile.
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326) AS search
),
rows AS (
    SELECT ST_AsMVTGeom(
               CASE WHEN %(simplify)s
                    THEN ST_Simplify(ST_Transform(t.{geom}, 3857), %(tolerance)s, true)
                    ELSE ST_Transform(t.{geom}, 3857) END,
               bounds.tile, %(extent)s, %(buffer)s, true
           ) AS mvt_geom,
           {columns}
    FROM {table} AS t, bounds
    WHERE t.{geom} && bounds.search
    LIMIT %(cap)s
)
SELECT ST_AsMVT(rows, %(layer)s, %(extent)s, 'mvt_geom'),
       -- the table's change version, read in the same snapshot as the rows (see tilecache.py)
       coalesce((SELECT version FROM catalog.data_versions WHERE table_name = %(table_key)s), 0)
FROM rows
WHERE mvt_geom IS NOT NULL
