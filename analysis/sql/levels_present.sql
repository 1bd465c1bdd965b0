-- The (level, vintage) pairs of an indicator's current results; the table part is a composed identifier.
SELECT DISTINCT level, vintage FROM {table}
