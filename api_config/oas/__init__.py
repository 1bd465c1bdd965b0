"""The served OpenAPI document, made self-contained and true to what the server answers.

pygeoapi's generated document ``$ref``s schemas on schemas.opengis.net and GitHub; offline
validators (and schemathesis in ``make test``) cannot follow them.  :mod:`~api_config.oas.bundle`
copies every referenced fragment from the vendored copies under ``vendor/`` (see
``vendor/SOURCES.md``) into the document's own ``components``; :mod:`~api_config.oas.contract`
corrects what pygeoapi 0.24 declares wrongly.
"""
