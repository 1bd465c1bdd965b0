"""What each layer is (the catalog) and how it gets into PostGIS (validation and atomic loaders)."""
