"""Writes 01_quickstart.ipynb (kept as code so the notebook is reviewed as text; stored without outputs)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
nb = nbf.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb.cells = [
    md("# dothi quickstart — Bắt đầu nhanh\n\n"
       "Layers and indicators into geopandas, straight from PostGIS and through the OGC API.\n"
       "*Đọc lớp dữ liệu và chỉ số vào geopandas, trực tiếp từ PostGIS và qua OGC API.*\n\n"
       "Run `make demo` first (database up, data loaded, API on http://127.0.0.1:5000)."),
    code("import os\n\n"
         "import geopandas as gpd\n"
         "import matplotlib\n"
         "import matplotlib.pyplot as plt\n\n"
         "from gis.engine import create_engine, database_url\n"
         "from gis.settings import DatabaseSettings\n"
         "from layers.read import read_layer\n\n"
         "API = os.environ.get('DOTHI_API_URL', 'http://127.0.0.1:5000')\n"
         "engine = create_engine(database_url(DatabaseSettings()))"),
    md("## 1. From PostGIS — Từ PostGIS\n\nThe real 2019 wards and communes with the census."),
    code("wards = read_layer(engine, 'admin_units', vintage=2019)\n"
         "print(len(wards), 'units; population', int(wards['population'].sum()))\n"
         "wards[['name_vi', 'name_en', 'level', 'population', 'households']].head()"),
    code("density = gpd.read_postgis(\n"
         "    \"SELECT * FROM analysis.population_density WHERE level = 'ward' AND vintage = 2019\",\n"
         "    engine, geom_col='geom')\n"
         "density.sort_values('density_per_km2', ascending=False)[['name_vi', 'density_per_km2']].head()"),
    md("## 2. Through the OGC API with OWSLib — Qua OGC API"),
    code("from owslib.ogcapi.features import Features\n\n"
         "api = Features(API)\n"
         "print([c['id'] for c in api.collections()['collections']])\n"
         "items = api.collection_items('admin_units', limit=100)\n"
         "from_api = gpd.GeoDataFrame.from_features(items['features'], crs='EPSG:4326')\n"
         "assert len(from_api) == len(read_layer(engine, 'admin_units'))\n"
         "from_api[['name_vi', 'vintage']].head()"),
    md("## 3. A map — Bản đồ\n\nAreas and maps in a metric CRS (UTM 48N), never in degrees."),
    code("ax = density.to_crs(32648).plot(column='density_per_km2', cmap='OrRd', legend=True,\n"
         "                                 scheme=None, figsize=(8, 6), edgecolor='grey')\n"
         "ax.set_title('Mật độ dân số 2019 / Population density 2019 (people/km²)')\n"
         "ax.set_axis_off()\n"
         "plt.show()"),
]
nbf.write(nb, Path(__file__).with_name("01_quickstart.ipynb"))
