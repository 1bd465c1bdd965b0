"""Indicator runs on Dask distributed: partitions (study areas, tiles with overlap), the worker's
task, stitching and publication.  ``dothi indicators run --executor`` chooses (see :mod:`.choose`)."""
