"""The WSGI application gunicorn serves: pygeoapi's Flask app plus dothi's web map at ``/map``.

pygeoapi reads ``PYGEOAPI_CONFIG`` and ``PYGEOAPI_OPENAPI`` at import, so this module is only imported
by the server process (``gunicorn api_config.wsgi:APP``), never by the CLI.
"""

from pygeoapi.flask_app import APP

from api_config.webmap import blueprint

APP.register_blueprint(blueprint)

__all__ = ["APP"]
