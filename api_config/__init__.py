"""Publishing: pygeoapi configuration generated from the catalogs, the server, and the CLI."""
