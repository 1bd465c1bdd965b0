"""``dothi``: the command line of the whole job, one module per verb group.

Each module registers its commands on :data:`api_config.cli.app.cli` when imported.
"""

from api_config.cli import (  # noqa: F401
    apikeys,
    areas,
    db,
    db_ops,
    demo_data,
    indicators,
    jobs,
    load,
    qgis,
    rasters,
    scenario,
    serve,
)
from api_config.cli.app import cli, main

__all__ = ["cli", "db", "indicators", "load", "main", "qgis", "serve"]
