"""The tables shipped inside the package (``regiongap/data/``), read one way.

NUTS code lists and typologies, the indicator catalogue and the partnership registry
are package data: every layer that needs one reads it here, so the tables are parsed
the same way (UTF-8, empty cells kept as ``""``, the caller's dtypes).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

import pandas as pd

__all__ = ["read_package_csv"]

_PACKAGE = "regiongap"


def read_package_csv(
    *parts: str, dtype: Mapping[str, object] | type = str
) -> pd.DataFrame:
    """Read the CSV ``regiongap/data/<parts…>`` shipped with the package.

    Parameters
    ----------
    *parts : str
        The path below ``regiongap/data``, e.g. ``"nuts", "nuts2021.csv"``.
    dtype : mapping or type, default str
        Column types, passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame
        The table; empty cells are ``""``, never NaN.

    Examples
    --------
    >>> table = read_package_csv("nuts", "nuts2021.csv")
    >>> list(table.columns[:3])
    ['geo', 'region_name', 'level']
    """
    source = resources.files(_PACKAGE).joinpath("data", *parts)
    with source.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=dtype, keep_default_na=False)  # type: ignore[arg-type]  # pandas-stubs narrows dtype to its own aliases
