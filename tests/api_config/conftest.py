"""Fixtures of the API tests (the server with small limits: tests/api_config/limits_server.py)."""

from tests.api_config.limits_server import limits_server

__all__ = ["limits_server"]
