-- First and last year (vintage) of a published table.
SELECT min({column}), max({column}) FROM {table}
