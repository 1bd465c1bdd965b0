"""DOTHI_DATABASE_READ_URLS: parsed into host:port, bad values named; the read URL prefers standbys."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from api_config.providers.db import with_replicas
from gis.errors import ConfigError
from gis.logins import read_replicas
from gis.settings import DatabaseSettings


def test_urls_become_host_and_port() -> None:
    settings = DatabaseSettings(
        database_read_urls="postgresql://r1.example:5433/dothi, postgresql://user:pw@r2.example/dothi,"
    )
    assert read_replicas(settings) == ("r1.example:5433", "r2.example:5432")
    assert read_replicas(DatabaseSettings(database_read_urls=None)) == ()


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("mysql://r1/dothi", "URL 1"),
        ("postgresql://ok:5432/d,not a url", "URL 2"),
        ("postgresql:///d", "URL 1"),
    ],
)
def test_a_bad_url_is_named(value: str, where: str) -> None:
    with pytest.raises(ConfigError, match=f"DOTHI_DATABASE_READ_URLS, {where}"):
        read_replicas(DatabaseSettings(database_read_urls=value))


def test_the_read_url_tries_replicas_then_the_primary() -> None:
    url = URL.create(
        "postgresql+psycopg2", username="dothi_api", password="x", host="p", port=5432, database="d"
    )
    args = sa.create_engine(with_replicas(url, ["r1:5433", "r2:5434"])).dialect.create_connect_args(
        with_replicas(url, ["r1:5433", "r2:5434"])
    )[1]
    assert args["host"] == "r1,r2,p" and args["port"] == "5433,5434,5432"
    assert args["target_session_attrs"] == "prefer-standby"
    assert args["user"] == "dothi_api" and args["dbname"] == "d"
