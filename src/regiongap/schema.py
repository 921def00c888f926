"""The glossary: the words regiongap uses everywhere, its long tables and checks.

Words
    ``geo``
        a region code (GISCO ``NUTS_ID``, Eurostat's ``geo``): ``"ES22"``.
    ``level``
        a NUTS level, 0 to 3 (:data:`NUTS_LEVELS`); the number of characters of a
        code after the two-letter country.
    ``nuts_year``
        a NUTS version, the year its classification took effect
        (:data:`NUTS_YEARS`). Never called ``year``.
    ``year``
        a data year (``time`` of annual data). Never a NUTS version.
    ``value=``
        the argument that names a value column (never ``value_col=``, ``column=``
        or ``y=``).
    ``toc``
        Eurostat's table of contents (the datasets it publishes).
    ``catalogue``
        regiongap's indicator catalogue (:func:`regiongap.catalogue`).
    ``region_name``
        a region's name as a column; ``level`` (never ``nuts_level``) as a column
        holds a NUTS level.

Observations (any Eurostat dataset, :func:`regiongap.fetch_dataset`)
    one categorical column per dataset dimension (lowercase, e.g. ``unit``, ``sex``),
    ``geo``, ``time`` (int year for annual data, :class:`pandas.Period` otherwise),
    ``value`` (float64, NaN where Eurostat writes ``:``) and ``flag`` (Eurostat's
    flag letters, ``<NA>`` where there is none).

Indicators (:func:`regiongap.fetch_indicator`)
    ``indicator, geo, time, value, unit, flag, dataset``; ``(indicator, geo, time)``
    is unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Literal, overload

import pandas as pd

from regiongap.errors import SchemaError

__all__ = [
    "DATASET",
    "FLAG",
    "GEO",
    "INDICATOR",
    "INDICATOR_COLUMNS",
    "INDICATOR_KEY",
    "LEVEL",
    "NUTS_LEVELS",
    "NUTS_YEAR",
    "NUTS_YEARS",
    "REGION_NAME",
    "TIME",
    "UNIT",
    "VALUE",
    "Level",
    "NutsYear",
    "check_level",
    "check_nuts_year",
    "format_rows",
    "require_columns",
    "require_unique",
]

GEO = "geo"
TIME = "time"
VALUE = "value"
FLAG = "flag"
UNIT = "unit"
INDICATOR = "indicator"
DATASET = "dataset"

LEVEL = "level"
NUTS_YEAR = "nuts_year"
REGION_NAME = "region_name"

#: A NUTS level.
Level = Literal[0, 1, 2, 3]
#: A NUTS version regiongap knows (the year its classification took effect).
NutsYear = Literal[2013, 2016, 2021, 2024]
NUTS_LEVELS: Final[tuple[Level, ...]] = (0, 1, 2, 3)
NUTS_YEARS: Final[tuple[NutsYear, ...]] = (2013, 2016, 2021, 2024)

INDICATOR_COLUMNS: tuple[str, ...] = (INDICATOR, GEO, TIME, VALUE, UNIT, FLAG, DATASET)
INDICATOR_KEY: tuple[str, ...] = (INDICATOR, GEO, TIME)

_MAX_ROWS_SHOWN = 10


def format_rows(frame: pd.DataFrame, limit: int = _MAX_ROWS_SHOWN) -> str:
    """Render the first *limit* rows of *frame* for an error message."""
    shown = frame.head(limit).to_string()
    more = len(frame) - limit
    return shown + (f"\n… and {more} more rows" if more > 0 else "")


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, what: str = "frame"
) -> None:
    """Raise :class:`SchemaError` if *frame* lacks any of *columns*."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{what} is missing column(s) {missing}; it has {list(frame.columns)}"
        raise SchemaError(msg)


def require_unique(
    frame: pd.DataFrame, key: Sequence[str], *, what: str = "frame"
) -> None:
    """Raise :class:`SchemaError` listing the rows whose *key* appears twice."""
    dup = frame.duplicated(list(key), keep=False)
    if dup.any():
        rows = frame.loc[dup].sort_values(list(key))
        msg = (
            f"{what} has {int(dup.sum())} rows with a duplicated key {list(key)}:\n"
            f"{format_rows(rows)}"
        )
        raise SchemaError(msg)


@overload
def check_level(level: object, *, allow_none: Literal[False] = False) -> Level: ...
@overload
def check_level(level: object, *, allow_none: Literal[True]) -> Level | None: ...
def check_level(level: object, *, allow_none: bool = False) -> Level | None:
    """Return *level* if it is a NUTS level (0–3), else raise :class:`SchemaError`.

    Parameters
    ----------
    level : object
        What the caller passed as ``level``.
    allow_none : bool, default False
        Whether ``None`` ("no particular level") is allowed.

    Returns
    -------
    int or None
        *level*, unchanged.

    Raises
    ------
    SchemaError
        Naming the value and the levels allowed.

    Examples
    --------
    >>> check_level(2)
    2
    >>> check_level(5)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: level=5 is not a NUTS level; use 0, 1, 2 or 3
    """
    if level is None and allow_none:
        return None
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or level not in NUTS_LEVELS
    ):
        allowed = "None, 0, 1, 2 or 3" if allow_none else "0, 1, 2 or 3"
        msg = f"level={level!r} is not a NUTS level; use {allowed}"
        raise SchemaError(msg)
    return level


def check_nuts_year(nuts_year: object) -> NutsYear:
    """Return *nuts_year* if it is a NUTS version regiongap knows, else raise.

    Parameters
    ----------
    nuts_year : object
        What the caller passed as ``nuts_year``.

    Returns
    -------
    int
        *nuts_year*, unchanged.

    Raises
    ------
    SchemaError
        Naming the value and :data:`NUTS_YEARS`.

    Examples
    --------
    >>> check_nuts_year(2024)
    2024
    >>> check_nuts_year(2019)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: nuts_year=2019 is not a NUTS version; use ...
    """
    if (
        isinstance(nuts_year, bool)
        or not isinstance(nuts_year, int)
        or nuts_year not in NUTS_YEARS
    ):
        known = ", ".join(str(y) for y in NUTS_YEARS[:-1]) + f" or {NUTS_YEARS[-1]}"
        msg = f"nuts_year={nuts_year!r} is not a NUTS version; use {known}"
        raise SchemaError(msg)
    return nuts_year
