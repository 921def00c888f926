"""Eurostat's territorial typologies of the NUTS 2021 level 3 regions.

Urban-rural, metropolitan and coastal, from the NUTS 2021 workbook (shipped in
``data/nuts/nuts2021_typologies.csv``, see ``data/nuts/README.md``).
"""

from __future__ import annotations

import pandas as pd

from regiongap.geo._tables import typology_table

__all__ = ["nuts_typologies"]


def nuts_typologies() -> pd.DataFrame:
    """Return Eurostat's territorial typologies of the NUTS 2021 level 3 regions.

    From the NUTS 2021 workbook (sheets "Urban-rural", "Metropolitan", "Coastal"),
    coded as GISCO codes them in its attribute tables:

    ``urbn_type``
        urban-rural typology: 1 predominantly urban, 2 intermediate,
        3 predominantly rural;
    ``coast_type``
        1 coastal (on the coast), 2 coastal (≥ 50 % of the population within
        50 km of the coastline), 3 non-coastal;
    ``metropolitan``
        whether the region belongs to a metropolitan region, and
        ``metro_region`` its code (e.g. ``AT001MC``; ``MC`` marks a capital
        metropolitan region), ``<NA>`` otherwise.

    Returns
    -------
    pandas.DataFrame
        One row per NUTS 3 region (1,512: all but extra-regio and Jan Mayen and
        Svalbard, ``NO0B1``/``NO0B2``, which the workbook does not classify);
        a fresh copy.

    Examples
    --------
    >>> t = nuts_typologies().set_index("geo")
    >>> int(t.loc["AT130", "urbn_type"]), t.loc["AT130", "metro_region"]
    (1, 'AT001MC')
    """
    return typology_table().copy()
