-- Row count and an order-independent checksum of one table: md5 of the sorted md5s of its rows.
SELECT count(*) AS row_count,
       md5(coalesce(string_agg(h, '' ORDER BY h COLLATE "C"), '')) AS checksum
FROM (SELECT md5(t::text) AS h FROM {table} AS t) AS hashed
