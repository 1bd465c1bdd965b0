CASE t.level WHEN 'ward' THEN 0 WHEN 'city' THEN 1 WHEN 'block' THEN 2 ELSE 3 END, t.vintage DESC NULLS LAST
