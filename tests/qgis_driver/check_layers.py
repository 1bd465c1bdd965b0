"""Add layers as a planner does (PostGIS connection, OGC API Features) and report what QGIS sees.

stdin: {"connection": {host, port, dbname, user}, "postgres": [{schema, table, key}],
        "oapif": [{url, typename}]}; the password comes from PGPASSWORD.
stdout: {"postgres": {"schema.table": {...}}, "oapif": {"typename": {...}}}
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import answer, renderer_info, start
from qgis.core import QgsDataSourceUri, QgsVectorLayer


def postgres(conn: dict, item: dict) -> dict:
    uri = QgsDataSourceUri()
    uri.setConnection(conn["host"], str(conn["port"]), conn["dbname"], conn["user"], "")
    uri.setDataSource(item["schema"], item["table"], "geom", "", item["key"])
    layer = QgsVectorLayer(uri.uri(False), item["table"], "postgres")
    out = {"valid": layer.isValid()}
    if layer.isValid():
        out["feature_count"] = layer.featureCount()
        out.update(renderer_info(layer))
    return out


def oapif(item: dict) -> dict:
    uri = QgsDataSourceUri()
    uri.setParam("url", item["url"])
    uri.setParam("typename", item["typename"])
    layer = QgsVectorLayer(uri.uri(False), item["typename"], "OAPIF")
    out = {"valid": layer.isValid()}
    if layer.isValid():
        out["feature_count"] = sum(1 for _ in layer.getFeatures())
        out["fields"] = layer.fields().names()
        out["geometry_type"] = layer.geometryType()
    return out


def main() -> None:
    app, request = start()
    conn = request["connection"]
    result = {
        "postgres": {f"{i['schema']}.{i['table']}": postgres(conn, i) for i in request.get("postgres", [])},
        "oapif": {i["typename"]: oapif(i) for i in request.get("oapif", [])},
    }
    answer(result)
    app.exitQgis()


if __name__ == "__main__":
    main()
