"""Tra cứu quy hoạch — the planning look-up and the place search of the public map.

* :mod:`~api_config.lookup.place`: what the plan says about one point (wards of both vintages,
  current and planned land use with the code's meaning, flood exposure at every modelled water
  level, walking distances to the nearest services, the ward's indicators against the city);
* :mod:`~api_config.lookup.walking`: the walking network held in memory with the distance from every
  street node to the nearest destination of each kind, so a look-up is one snap and a few sums;
* :mod:`~api_config.lookup.search`: ward, street, school, clinic and market names, accent-insensitive;
* :mod:`~api_config.lookup.web`: ``GET /lookup`` and ``GET /search`` (anonymous reads, rate limited),
  also used by QGIS and scripts; the OGC API process is :mod:`api_config.processes.lookup`.
"""
