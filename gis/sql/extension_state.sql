-- Is the extension installed in this database, and is it available on the server?
SELECT
    EXISTS (SELECT FROM pg_extension WHERE extname = %(name)s) AS installed,
    EXISTS (SELECT FROM pg_available_extensions WHERE name = %(name)s) AS available
