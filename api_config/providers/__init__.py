"""pygeoapi plugins of dothi, loaded by dotted path from the generated configuration.

* :class:`api_config.providers.postgis.PostGISProvider` — OGC API Features, GeoJSON built in PostGIS.
* :class:`api_config.providers.mvt.PostGISTileProvider` — OGC API Tiles, MVT built in PostGIS.
"""
