"""Scripts and styles of pygeoapi's HTML pages, served by dothi itself (``/assets/…``).

pygeoapi's templates load Bootstrap, Leaflet and Leaflet.markercluster from public CDNs (unstyled
offline, and every visitor's address sent to a third party) and run inline scripts, which a strict
Content-Security-Policy forbids.  dothi overrides those templates (``api_config/templates``,
``server.templates.path`` in the generated configuration): libraries come from the npm packages
installed by ``make`` in ``api_config/web`` (package.json pins the versions: Bootstrap, Leaflet,
Leaflet.markercluster, Swagger UI), and the pages' scripts from ``templates/assets/pages.js`` (which
reads its data from a JSON data block) and ``templates/assets/swagger.js``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

TEMPLATES_DIR = Path(__file__).with_name("templates")
_MODULES = Path(__file__).with_name("web") / "node_modules"
FILES = {
    "bootstrap.min.css": _MODULES / "bootstrap/dist/css/bootstrap.min.css",
    "leaflet.js": _MODULES / "leaflet/dist/leaflet.js",
    "leaflet.css": _MODULES / "leaflet/dist/leaflet.css",
    "markercluster.js": _MODULES / "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": _MODULES / "leaflet.markercluster/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": _MODULES / "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "pages.js": TEMPLATES_DIR / "assets/pages.js",
    "swagger-ui.css": _MODULES / "swagger-ui-dist/swagger-ui.css",
    "swagger-ui-bundle.js": _MODULES / "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js": _MODULES / "swagger-ui-dist/swagger-ui-standalone-preset.js",
    "favicon-32x32.png": _MODULES / "swagger-ui-dist/favicon-32x32.png",
    "swagger.js": TEMPLATES_DIR / "assets/swagger.js",
}
#: Leaflet's stylesheet refers to its marker and control images as ``images/<name>``.
LEAFLET_IMAGES = _MODULES / "leaflet/dist/images"

blueprint = Blueprint("dothi_assets", __name__)


@blueprint.route("/assets/<name>")
def asset(name: str) -> ResponseReturnValue:
    path = FILES.get(name)
    if path is None:
        abort(404)
    if not path.is_file():
        abort(503, description="web libraries not installed: run `make` (npm ci in api_config/web)")
    return send_from_directory(path.parent, path.name)


@blueprint.route("/assets/images/<name>")
def leaflet_image(name: str) -> ResponseReturnValue:
    return send_from_directory(LEAFLET_IMAGES, name)
