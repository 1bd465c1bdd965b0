"""Pure indicator functions, one module per family.

These modules take GeoDataFrames / arrays and return Series / DataFrames aligned to the input index.
They import no database, HTTP or pygeoapi code (an import-linter contract checks it).
"""
