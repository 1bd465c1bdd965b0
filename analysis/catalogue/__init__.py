"""The first catalogue of indicators: one :class:`~analysis.spec.IndicatorSpec` per indicator,
grouped by theme.  :mod:`analysis.registry` collects them."""
