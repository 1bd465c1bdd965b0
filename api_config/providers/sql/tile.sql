-- One Mapbox Vector Tile (WebMercatorQuad z/x/y) built in PostGIS.
-- With the linear parameter, geometries stay in lon/lat and ST_AsMVTGeom maps the tile's lon/lat box linearly
-- onto the tile grid: exact in x, and in y within a fraction of a grid unit at high zoom (the caller
-- decides, see mvt.linear_ok); otherwise each geometry is transformed to Web Mercator.
-- The index filter uses the tile envelope (plus the render buffer) transformed once to the storage
-- SRID; each geometry is transformed with an integer SRID, simplified to a fraction of the tile's
-- pixel size below zoom SIMPLIFY_BELOW_Z (above, ST_AsMVTGeom's grid snapping is enough) and clipped
-- by ST_AsMVTGeom; at most the cap parameter features per tile.
WITH bounds AS (
    SELECT CASE WHEN %(linear)s
                THEN ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4326)
                ELSE ST_TileEnvelope(%(z)s, %(x)s, %(y)s) END AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326) AS search
),
rows AS (
    SELECT ST_AsMVTGeom(
               CASE WHEN %(linear)s THEN t.{geom}
                    WHEN %(simplify)s THEN ST_Simplify(ST_Transform(t.{geom}, 3857), %(tolerance)s, true)
                    ELSE ST_Transform(t.{geom}, 3857) END,
               bounds.tile::box2d, %(extent)s, %(buffer)s, true
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
