-- Whether a table has a column.
SELECT EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = %(schema)s AND table_name = %(table)s AND column_name = %(column)s
)
