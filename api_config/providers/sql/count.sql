-- Exact number of features matching the request's filters.
SELECT count(*) FROM {table} AS t WHERE {where}
