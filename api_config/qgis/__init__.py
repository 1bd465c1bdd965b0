"""QGIS for planners: default layer styles in PostGIS and a generated QGIS project.

* :mod:`api_config.qgis.breaks` — class breaks (Jenks, quantiles) rounded to sensible numbers;
* :mod:`api_config.qgis.styles` — QML styles from the catalog's style hints and the indicator
  registry (string templates, no QGIS needed);
* :mod:`api_config.qgis.store` — the styles into QGIS's own ``public.layer_styles`` table;
* :mod:`api_config.qgis.project` — the plan of the QGIS project (groups, layers, sources), built
  into a ``.qgs`` file and a project stored in PostgreSQL by :mod:`api_config.qgis.driver`, a
  script run by the system Python that has PyQGIS.
"""
