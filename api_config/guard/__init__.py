"""dothi's request and response guards around pygeoapi (WSGI middleware and logging).

* :mod:`~api_config.guard.inputs` refuses malformed requests with a 4xx naming the parameter
  (invalid UTF-8, ``limit``/``offset`` that are not integers, empty or non-object JSON bodies);
* :mod:`~api_config.guard.unavailable` answers 503 with ``Retry-After`` when the database cannot
  be reached;
* :mod:`~api_config.guard.responses` makes every response's ``Content-Encoding`` true and adds the
  security headers (``nosniff``, ``Referrer-Policy``, a ``Content-Security-Policy`` on HTML);
* :mod:`~api_config.guard.logs` logs a 4xx as one line and keeps tracebacks for 5xx.
"""
