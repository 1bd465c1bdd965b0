"""Writes the research notebooks (kept as code so they are reviewed as text; stored without outputs).

Run: .venv/bin/python notebooks/_make_notebooks.py
"""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parent
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
SETUP = (
    "import os\n\n"
    "import geopandas as gpd\n"
    "import matplotlib.pyplot as plt\n"
    "import pandas as pd\n\n"
    "from gis.engine import create_engine, database_url\n"
    "from gis.settings import DatabaseSettings\n"
    "from layers.read import read_layer\n\n"
    "API = os.environ.get('DOTHI_API_URL', 'http://127.0.0.1:5000')\n"
    "settings = DatabaseSettings()\n"
    "engine = create_engine(database_url(settings))"
)


def write(name: str, cells: list) -> None:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    nbf.write(nb, HERE / name)


write("01_quickstart.ipynb", [
    md("# dothi quickstart — Bắt đầu nhanh\n\n"
       "Layers and indicators into geopandas, straight from PostGIS and through the OGC API.\n"
       "*Đọc lớp dữ liệu và chỉ số vào geopandas, trực tiếp từ PostGIS và qua OGC API.*\n\n"
       "Run `make demo` first (database up, data loaded, API on http://127.0.0.1:5000)."),
    code(SETUP),
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
    md("## 3. A map with context — Bản đồ có bối cảnh\n\nClasses by natural breaks (mapclassify), "
       "with the rivers and canals, the main streets and the ward names from dothi's own layers. "
       "Maps in a metric CRS (UTM 48N), never in degrees.\n*Phân lớp theo ngắt tự nhiên, kèm sông "
       "rạch, đường chính và tên phường từ các lớp của dothi.*"),
    code("water = read_layer(engine, 'water_bodies').to_crs(32648)\n"
         "roads = read_layer(engine, 'roads').to_crs(32648)\n"
         "main_roads = roads[roads['road_class'].isin(['primary', 'secondary', 'tertiary', 'trunk'])]\n"
         "wards_m = density.to_crs(32648)\n"
         "ax = wards_m.plot(column='density_per_km2', scheme='NaturalBreaks', k=5, cmap='OrRd',\n"
         "                  legend=True, legend_kwds={'title': 'người/km² · people/km²', 'loc': 'lower left'},\n"
         "                  figsize=(9, 7), edgecolor='grey', linewidth=0.5)\n"
         "water.plot(ax=ax, color='#9ecae1', linewidth=0)\n"
         "main_roads.plot(ax=ax, color='#555555', linewidth=0.6)\n"
         "for _, ward in wards_m.iterrows():\n"
         "    point = ward.geom.representative_point()\n"
         "    ax.annotate(ward['name_vi'], (point.x, point.y), ha='center', fontsize=7)\n"
         "ax.set_xlim(wards_m.total_bounds[[0, 2]]); ax.set_ylim(wards_m.total_bounds[[1, 3]])\n"
         "ax.set_title('Mật độ dân số 2019 / Population density 2019')\n"
         "ax.set_axis_off()\n"
         "plt.show()"),
    md("An interactive map (folium) — *bản đồ tương tác*: `explore()` with the same classes; the "
       "streets and water as layers you can switch."),
    code("m = density.explore(column='density_per_km2', scheme='NaturalBreaks', k=5, cmap='OrRd',\n"
         "                    tooltip=['name_vi', 'density_per_km2'], tiles=None, name='density')\n"
         "water.to_crs(4326).explore(m=m, color='#6baed6', name='water / sông, kênh')\n"
         "main_roads.to_crs(4326).explore(m=m, color='#444444', name='main streets / đường chính')\n"
         "import folium\n"
         "folium.LayerControl().add_to(m)\n"
         "m"),
])

write("02_indicators_by_ward.ipynb", [
    md("# Indicators by ward — Chỉ số theo phường\n\n"
       "Run an indicator with changed parameters through **OGC API – Processes**, compare wards, "
       "chart the result.\n*Chạy chỉ số với tham số khác qua OGC API – Processes, so sánh các phường.*"),
    md("Running a process needs an API key (`dothi api-key create NAME --role planner`), sent as "
       "`Authorization: Bearer <key>`; here it comes from `DOTHI_API_KEY`. A process run returns "
       "its own result and never changes the published one.\n*Chạy tiến trình cần khoá API; kết "
       "quả trả về riêng, không thay đổi kết quả đã xuất bản.*"),
    code(SETUP + "\n\nfrom owslib.ogcapi.processes import Processes\n"
         "processes = Processes(API, headers={'Authorization': f\"Bearer {os.environ['DOTHI_API_KEY']}\"})\n"
         "ids = [p['id'] for p in processes.processes()]\n"
         "ids"),
    md("## The process description — Mô tả tiến trình"),
    code("desc = processes.process('health_access-run')\n"
         "{name: spec['schema'] for name, spec in desc['inputs'].items()}"),
    md("## Walking distance 1 km (default) vs 500 m — Khoảng cách đi bộ 1 km và 500 m"),
    code("def run(distance_m):\n"
         "    result = processes.execute('health_access-run', inputs={'distance_m': distance_m}, response='raw')\n"
         "    frame = gpd.GeoDataFrame.from_features(result['features'], crs='EPSG:4326')\n"
         "    return frame[(frame['level'] == 'ward') & (frame['vintage'] == 2019)].set_index('name_vi')\n\n"
         "near = run(500)\n"
         "far = run(1000)  # the default (the published results are never changed by a run)\n"
         "compare = pd.DataFrame({'500 m': near['share_pct'], '1 km': far['share_pct']}).sort_values('1 km')\n"
         "assert (compare['500 m'] <= compare['1 km'] + 1e-9).all()  # a shorter walk never reaches more\n"
         "compare"),
    code("ax = compare.plot.barh(figsize=(8, 7))\n"
         "ax.set_xlabel('% dân số / % of population')\n"
         "ax.set_title('Tiếp cận cơ sở y tế / Walking access to health facilities')\n"
         "plt.tight_layout()\n"
         "plt.show()"),
    md("## Several indicators side by side — Nhiều chỉ số cùng lúc\n\nStraight from the results "
       "tables in PostGIS (each has the run id that produced it; provenance in "
       "`analysis.indicator_runs`)."),
    code("def ward_values(indicator, column):\n"
         "    sql = f\"SELECT name_vi, {column} FROM analysis.{indicator} WHERE level = 'ward' AND vintage = 2019\"\n"
         "    return pd.read_sql(sql, engine).set_index('name_vi')[column]\n\n"
         "table = pd.DataFrame({\n"
         "    'density': ward_values('population_density', 'density_per_km2'),\n"
         "    'health_1km_pct': ward_values('health_access', 'share_pct'),\n"
         "})\n"
         "ax = table.plot.scatter(x='density', y='health_1km_pct', figsize=(6, 4))\n"
         "ax.set_xlabel('people/km²'); ax.set_ylabel('% within 1 km of a health facility')\n"
         "plt.show()\n"
         "table.sort_values('density', ascending=False).head()"),
    code("runs = pd.read_sql(\"SELECT run_id, indicator_id, parameters, inputs, finished_at \"\n"
         "                   \"FROM analysis.indicator_runs ORDER BY run_id DESC LIMIT 5\", engine)\n"
         "runs"),
])

write("03_flood_exposure.ipynb", [
    md("# Flood exposure — Phơi nhiễm ngập lụt\n\n"
       "The elevation raster with rasterio, exposure at several water levels, plots.\n"
       "*Lớp độ cao với rasterio, mức độ phơi nhiễm ở nhiều mực nước.*\n\n"
       "In the demo the elevation model is **synthetic** (generated, calibrated to the delta's "
       "0.3–2.5 m); load a real DEM with `dothi load raster elevation dem.tif` for real results."),
    code(SETUP + "\n\nfrom pathlib import Path\n\nimport numpy as np\nimport rasterio\n\n"
         "from layers.rasters import list_rasters, raster_file\n\n"
         "# rasters are Cloud-Optimized GeoTIFFs in the data folder (.data/rasters), listed in catalog.rasters\n"
         "data_dir = Path(os.environ.get('DOTHI_RASTER_DIR', settings.data_dir))"),
    code("pd.DataFrame(list_rasters(engine))[['layer', 'year', 'path', 'synthetic']]"),
    code("path = raster_file(engine, data_dir, 'elevation')\n"
         "with rasterio.open(path) as src:\n"
         "    dem = src.read(1, masked=True)\n"
         "    print(src.crs, src.res, src.shape)\n"
         "print('elevation m: min %.2f, median %.2f, max %.2f' % (dem.min(), np.ma.median(dem), dem.max()))"),
    code("fig, axes = plt.subplots(1, 3, figsize=(14, 4))\n"
         "for ax, h in zip(axes, (1.5, 1.8, 2.0)):\n"
         "    ax.imshow(np.ma.filled(dem <= h, False), cmap='Blues')\n"
         "    ax.set_title(f'≤ {h} m'); ax.set_axis_off()\n"
         "plt.suptitle('Ô thấp hơn mực nước / cells at or below the water level (before connectivity)')\n"
         "plt.show()"),
    md("## Exposure per ward — Phơi nhiễm theo phường\n\nThe indicator keeps only low cells "
       "hydrologically connected to a river or canal (low land behind higher ground stays dry)."),
    code("flood = gpd.read_postgis(\"SELECT * FROM analysis.flood_exposure WHERE level = 'ward' \"\n"
         "                         \"AND vintage = 2019\", engine, geom_col='geom').set_index('name_vi')\n"
         "levels = [c for c in flood.columns if c.startswith('population_') and c.endswith('_pct')]\n"
         "assert levels, 'no exposure columns'\n"
         "# higher water never floods fewer people\n"
         "values = flood[levels].to_numpy()\n"
         "assert (np.diff(values, axis=1) >= -1e-9).all()\n"
         "flood[levels].sort_values(levels[-1], ascending=False).head(8)"),
    code("ax = flood[levels].sort_values(levels[-1]).plot.barh(figsize=(8, 7))\n"
         "ax.set_xlabel('% dân số bị ngập / % of population exposed')\n"
         "plt.tight_layout(); plt.show()"),
    code("ax = flood.to_crs(32648).plot(column=levels[-1], cmap='Blues', legend=True, figsize=(8, 6),\n"
         "                               edgecolor='grey')\n"
         "ax.set_title('Dân số bị ngập ở mực nước cao nhất (%) / exposed at the highest level (%)')\n"
         "ax.set_axis_off(); plt.show()"),
])
