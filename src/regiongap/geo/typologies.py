"""Eurostat's territorial typologies of the NUTS 2021 level 3 regions.

Urban-rural, metropolitan and coastal, from the NUTS 2021 workbook (shipped in
``data/nuts/nuts2021_typologies.csv``, see ``data/nuts/README.md``).
"""

from __future__ import annotations

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._tables import typology_table
from regiongap.schema import check_nuts_year

__all__ = ["nuts_typologies"]


def nuts_typologies(nuts_year: int = 2021) -> pd.DataFrame:
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

    Parameters
    ----------
    nuts_year : int, default 2021
        The NUTS version; only NUTS 2021 has typologies in Eurostat's workbooks
        (for NUTS 2024, ``regiongap.nuts_regions(3, nuts_year=2024)`` carries
        GISCO's ``urbn_type`` and ``coast_type``).

    Returns
    -------
    pandas.DataFrame
        One row per NUTS 3 region (1,512: all but extra-regio and Jan Mayen and
        Svalbard, ``NO0B1``/``NO0B2``, which the workbook does not classify);
        a fresh copy.

    Raises
    ------
    SchemaError
        If *nuts_year* is not a NUTS version, or not 2021.

    Examples
    --------
    >>> t = nuts_typologies().set_index("geo")
    >>> int(t.loc["AT130", "urbn_type"]), t.loc["AT130", "metro_region"]
    (1, 'AT001MC')
    >>> nuts_typologies(2024)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: nuts_typologies(nuts_year=2024): ... 2021 only; ...
    """
    if check_nuts_year(nuts_year) != 2021:
        msg = (
            f"nuts_typologies(nuts_year={nuts_year}): Eurostat's workbooks give the "
            "typologies for NUTS 2021 only; for NUTS 2024, nuts_regions(3, "
            "nuts_year=2024) carries GISCO's urbn_type and coast_type"
        )
        raise SchemaError(msg)
    return typology_table().copy()
