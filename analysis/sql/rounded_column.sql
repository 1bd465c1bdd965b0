-- One real column of a level view, rounded to its stated precision; infinities and NaN become NULL
-- (no value), never a number a reader could take literally.  The column part and the digits part are composed.
CASE WHEN t.{column} = ANY (ARRAY['Infinity', '-Infinity', 'NaN']::double precision[]) THEN NULL
     ELSE round(t.{column}::numeric, {digits})::double precision END AS {column}
