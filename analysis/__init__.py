"""Planning indicators: a registry, pure computations (``analysis.indicators``) and the runner that
reads inputs from PostGIS and writes results (with provenance) back to the ``analysis`` schema."""
