-- How a run was executed (Dask scheduler, partitions, overlap), recorded after its publication.
UPDATE analysis.indicator_runs SET execution = %(execution)s::jsonb WHERE run_id = %(run_id)s
