"""dothi's map styles, one description for every client.

* :mod:`api_config.styling.breaks` — class breaks (mapclassify), computed once;
* :mod:`api_config.styling.palette` — land use by national code, streets by class, ramps;
* :mod:`api_config.styling.model` — a collection's style (renderer, classes, labels);
* :mod:`api_config.styling.encode` — the model as a MapLibre / Mapbox GL style and as SLD 1.1
  (QML: :func:`api_config.qgis.styles.model_qml`);
* :mod:`api_config.styling.document` — every published collection's styles, written with the API
  configuration (``styles.json``);
* :mod:`api_config.styling.endpoint` — OGC API – Styles (``/styles``, ``/collections/{id}/styles``).
"""
