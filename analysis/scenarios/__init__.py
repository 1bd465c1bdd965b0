"""Scenarios: named sets of edits over the baseline layers, evaluated incrementally.

* :mod:`analysis.scenarios.edits` — an edit, parsed from GeoJSON or a file and validated against the
  layer catalog exactly like a load (nothing is half-applied);
* :mod:`analysis.scenarios.store` — the ``scenario`` schema (create, list, copy, rename, delete,
  edits, published results);
* :mod:`analysis.scenarios.evaluate` — which indicators an edit touches, incremental evaluation
  (:mod:`analysis.indicators.incremental_recipes`) or a full recomputation on the edited layers,
  and the changes per city, ward and grid cell.

The baseline tables are never written.
"""
