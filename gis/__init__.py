"""dothi's spatial core: settings, database engine and embedded cluster, migrations, CRS policy, errors.

``gis`` imports nothing from the other dothi packages.
"""
