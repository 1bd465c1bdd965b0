"""Bounded work per request: body size, per-client rate of expensive requests, a time budget.

:mod:`api_config.limits.middleware` applies them around the whole WSGI application; the job queue
of OGC API – Processes is :mod:`api_config.processes.queue`.
"""
