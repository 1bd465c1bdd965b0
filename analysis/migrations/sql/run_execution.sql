-- How an indicator run was executed: NULL for a run in one process, else the Dask scheduler, the
-- number of partitions, the areas and tiles and the overlap used (written by the distributed runner).
ALTER TABLE analysis.indicator_runs ADD COLUMN execution jsonb;
COMMENT ON COLUMN analysis.indicator_runs.execution IS
    'Dask execution: scheduler, partitions, tiles, overlap (NULL: one process)';
