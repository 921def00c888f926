"""The catalogue file read once, checked row by row, and typed: what the package shares.

``regiongap/data/indicators.csv`` holds one row per indicator. This module reads it
once per process, checks every row (:func:`validate_catalogue`, from
:mod:`~regiongap.indicators._checks`, names the bad row and what is allowed) and
hands out typed :class:`Entry` rows by id.
:mod:`~regiongap.indicators.catalogue` lists them for analysts,
:mod:`~regiongap.indicators.fetch` and :mod:`~regiongap.indicators.panel` look them
up; the three share the years argument's check too.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from typing import SupportsInt, TypeGuard

import pandas as pd

from regiongap._package_data import read_package_csv
from regiongap.errors import SchemaError
from regiongap.indicators._checks import (
    CATALOGUE_COLUMNS,
    PILLARS,
    Entry,
    Pillar,
    parse_filters,
    validate_catalogue,
)

__all__ = [
    "CATALOGUE_COLUMNS",
    "PILLARS",
    "Entry",
    "Pillar",
    "catalogue_table",
    "check_years",
    "datasets_of",
    "entries",
    "entry",
    "parse_filters",
    "validate_catalogue",
]

_CATALOGUE_FILE = "indicators.csv"


# ------------------------------------------------------------------------ lookups


@functools.lru_cache(maxsize=1)
def _read() -> tuple[pd.DataFrame, dict[str, Entry]]:
    frame = read_package_csv(_CATALOGUE_FILE)
    return frame, validate_catalogue(frame)


def catalogue_table() -> pd.DataFrame:
    """Return the checked catalogue file as text cells (a copy).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CATALOGUE_COLUMNS`, every cell a string (``""`` if empty).

    Examples
    --------
    >>> catalogue_table().loc[0, ["indicator", "levels", "higher_is_better"]].tolist()
    ['gdp_pps_per_inhabitant', '0;1;2;3', 'true']
    """
    return _read()[0].copy()


def entries() -> dict[str, Entry]:
    """Return every catalogue entry by id, in catalogue order.

    Returns
    -------
    dict of str to Entry
        The shared, read-once entries (do not modify).

    Examples
    --------
    >>> [i for i, e in entries().items() if 3 in e.levels][:2]
    ['gdp_pps_per_inhabitant', 'gdp_pps_per_inhabitant_index']
    """
    return _read()[1]


def entry(indicator: str) -> Entry:
    """Return the entry of *indicator*, or say which ids come close.

    Parameters
    ----------
    indicator : str
        A catalogue id.

    Returns
    -------
    Entry
        Its catalogue row.

    Raises
    ------
    SchemaError
        For an unknown id, listing close matches (or every id).

    Examples
    --------
    >>> entry("population").dataset
    'demo_r_d2jan'
    >>> entry("broadband")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: unknown indicator 'broadband'; did you mean [...
    """
    known = entries()
    if isinstance(indicator, str) and indicator in known:
        return known[indicator]
    close = difflib.get_close_matches(str(indicator), list(known), n=5, cutoff=0.5)
    hint = f"did you mean {close}?" if close else f"known indicators: {sorted(known)}"
    msg = f"unknown indicator {indicator!r}; {hint} (see regiongap.catalogue())"
    raise SchemaError(msg)


def datasets_of(item: Entry) -> list[tuple[str, ...]]:
    """Return what *item* reads: its own sources, then its denominator's.

    Parameters
    ----------
    item : Entry
        A catalogue entry.

    Returns
    -------
    list of tuple of str
        One tuple per part (the indicator, then its denominator): the dataset
        and its fallbacks, in the order they are tried; a part is readable when
        one of them is.

    Examples
    --------
    >>> datasets_of(entry("household_primary_income_per_inhabitant"))
    [('nama_10r_2hhinc',), ('demo_r_d2jan',)]
    >>> datasets_of(entry("rd_expenditure_pct_gdp"))
    [('rd_e_gerdreg', 'tgs00042')]
    """
    parts = [item.sources]
    if item.denominator is not None:
        parts.extend(datasets_of(entries()[item.denominator]))
    return parts


# ---------------------------------------------------------------------- arguments


def check_years(years: int | Iterable[int] | None) -> frozenset[int] | None:
    """Normalise a *years* argument: None, an int, a range or an iterable of ints.

    Parameters
    ----------
    years : int, range, iterable of int or None
        What the caller passed as ``years``.

    Returns
    -------
    frozenset of int or None
        The years, ``None`` for every year.

    Raises
    ------
    SchemaError
        For anything but whole years, or an empty selection.

    Examples
    --------
    >>> sorted(check_years(range(2018, 2021)))
    [2018, 2019, 2020]
    >>> check_years("2019")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: years must be an int, a range or a list ... '2019'
    """
    if years is None:
        return None
    if isinstance(years, bool | str | bytes):
        msg = f"years must be an int, a range or a list of ints, got {years!r}"
        raise SchemaError(msg)
    items: Iterable[object] = [years] if isinstance(years, int) else years
    try:
        values = list(items)
    except TypeError:
        msg = f"years must be an int, a range or a list of ints, got {years!r}"
        raise SchemaError(msg) from None
    bad = [y for y in values if isinstance(y, bool) or not _is_int(y)]
    if bad:
        msg = f"years must be whole years like 2019; {bad[:5]!r} are not"
        raise SchemaError(msg)
    if not values:
        msg = "years is empty; pass None for every year"
        raise SchemaError(msg)
    return frozenset(int(y) for y in values if _is_int(y))


def _is_int(value: object) -> TypeGuard[SupportsInt]:
    """Whether *value* is a whole number that is neither a float nor text."""
    if isinstance(value, float | str) or not isinstance(value, SupportsInt):
        return False
    try:
        return int(value) == value
    except (TypeError, ValueError):
        return False
