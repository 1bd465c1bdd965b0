-- Current ward values of one indicator; {table} and {value} are composed identifiers.
SELECT {value} FROM {table} WHERE level = 'ward' AND {value} IS NOT NULL
