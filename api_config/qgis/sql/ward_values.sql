-- Current ward values of one indicator; the table part and the value part are composed identifiers.
SELECT {value} FROM {table} WHERE level = 'ward' AND {value} IS NOT NULL
