-- A real column as published: rounded to its stated precision, infinities and NaN as no value.
-- The column part and the digits part are composed.
CASE WHEN t.{column} = ANY (ARRAY['Infinity', '-Infinity', 'NaN']::double precision[]) THEN NULL
     ELSE round(t.{column}::numeric, {digits})::double precision END
