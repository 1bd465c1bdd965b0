"""A deterministic generator of the layers no open data exists for (Mỹ Tho).

Every family lives in its own module — :mod:`~layers.synthetic.water`,
:mod:`~layers.synthetic.streets`, :mod:`~layers.synthetic.buildings`,
:mod:`~layers.synthetic.facilities`, :mod:`~layers.synthetic.green_landuse`,
:mod:`~layers.synthetic.rasters` — and :mod:`~layers.synthetic.generate` runs them in order and
loads the result.  Everything is generated in the city's metric CRS (EPSG:32648) from one seed,
calibrated to real facts (2019 ward boundaries, census population and households), and labelled
``synthetic = true`` with ``source = 'dothi synthetic generator vX, seed N'``.  Methods, sources
and limitations: ``docs/synthetic-data.md``.
"""

from __future__ import annotations

from layers.synthetic.context import GENERATOR_VERSION, City, load_city

__all__ = ["GENERATOR_VERSION", "City", "load_city"]
