"""One full-scale generation per session (the real thing, ~40 s), shared by the generator tests."""

from __future__ import annotations

import pytest

from layers.synthetic.context import City, load_city
from layers.synthetic.generate import SyntheticData, generate

SEED = 7


@pytest.fixture(scope="session")
def city() -> City:
    return load_city(seed=SEED)


@pytest.fixture(scope="session")
def data(city: City) -> SyntheticData:
    return generate(seed=SEED, city=city)
