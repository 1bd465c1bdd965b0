-- The planner's estimate of the rows matching the filters (cheap: nothing is read).
EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} AS t WHERE {where}
