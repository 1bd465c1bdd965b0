"""Who may compute or write through the API (issue 11).

* :mod:`.keys` — API keys (``dothi api-key``), stored as SHA-256 in ``auth.api_keys``;
* :mod:`.identity` — the request's identity (a context variable the job manager and processes read);
* :mod:`.policy` — which requests need an identity, what each role may do (pure);
* :mod:`.auth` — the WSGI middleware: Bearer keys, trusted single-sign-on proxy, 401/403;
* :mod:`.jobs` — who submitted each job (``auth.job_owners``), job listings per identity;
* :mod:`.cors` — CORS, read-only methods by default;
* :mod:`.openapi` — the bearer scheme in the OpenAPI document;
* :mod:`.wiring` — the middleware put around the app by :func:`api_config.wsgi.create_app`.
"""
