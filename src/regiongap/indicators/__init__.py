"""Indicators: the catalogue, fetching one, the regional panel, the index's choice.

``catalogue`` lists the indicators (read and checked once in ``_entries``), ``fetch``
reads one from its Eurostat dataset (``derive`` computes the ratios Eurostat does not
publish), ``panel`` lines many up region by region and says how complete they are,
and ``framework`` chooses the capacity index's indicators.
"""
