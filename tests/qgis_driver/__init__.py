"""PyQGIS scripts run by the system Python (``python3-qgis``) from the tests; JSON in, JSON out."""
