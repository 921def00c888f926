"""From a whole dataset to one indicator's series: filters, NUTS levels, the long frame.

Pure steps shared by :mod:`~regiongap.indicators.fetch` (and the GISCO point
counts): :func:`select_series` applies a catalogue row's filters and checks that
one series per region is left, :func:`keep_levels` keeps the regions of the NUTS
levels asked for and lists what it dropped, :func:`finish` builds the indicator
long frame of :mod:`regiongap.schema`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo.codes import is_aggregate, is_extra_regio, nuts_level
from regiongap.indicators._checks import Entry
from regiongap.schema import (
    DATASET,
    FLAG,
    GEO,
    INDICATOR,
    INDICATOR_COLUMNS,
    INDICATOR_KEY,
    TIME,
    UNIT,
    VALUE,
    require_unique,
)

__all__ = ["SERIES_COLUMNS", "finish", "geo_class", "keep_levels", "select_series"]

#: Columns of a selected series.
SERIES_COLUMNS: tuple[str, ...] = (GEO, TIME, VALUE, FLAG)
# dimension columns of the sdmx tidy frame that are not series dimensions
_NON_DIMENSIONS = frozenset({GEO, TIME, VALUE, FLAG, "conf_status"})


@functools.lru_cache(maxsize=65536)
def geo_class(code: str) -> int | str:
    """NUTS level of *code*, or why it is not a region.

    Parameters
    ----------
    code : str
        A ``geo`` code as published.

    Returns
    -------
    int or str
        The NUTS level, else ``"aggregate"``, ``"extra_regio"`` or ``"other"``.

    Examples
    --------
    >>> [geo_class(c) for c in ["DE1", "DE11", "EU27_2020", "DEZZ", "QQ11"]]
    [1, 2, 'aggregate', 'extra_regio', 'other']
    """
    try:
        if is_aggregate(code):
            return "aggregate"
        if is_extra_regio(code):
            return "extra_regio"
        return int(nuts_level(code))
    except SchemaError:
        return "other"


def _annual(frame: pd.DataFrame, code: str, what: str) -> np.ndarray:
    """Return where the rows are annual (every row when there is no ``freq``)."""
    if "freq" not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    freqs = sorted(str(f) for f in _values(frame["freq"], np.ones(len(frame), bool)))
    if "A" not in freqs:
        msg = f"{what}: {code} has no annual data (freq values {freqs})"
        raise SchemaError(msg)
    return (frame["freq"] == "A").to_numpy(dtype=bool, na_value=False)


def select_series(
    frame: pd.DataFrame, filters: Mapping[str, str], code: str, what: str
) -> pd.DataFrame:
    """Apply a catalogue row's filters; return ``geo, time, value, flag`` (annual).

    Parameters
    ----------
    frame : pandas.DataFrame
        A whole dataset, as :func:`regiongap.fetch_dataset` returns it.
    filters : mapping of str to str
        The row's filters.
    code : str
        The dataset's code (for messages).
    what : str
        The indicator (for messages).

    Returns
    -------
    pandas.DataFrame
        :data:`SERIES_COLUMNS`: ``geo`` object, ``time`` int64, ``value``
        float64, ``flag`` string.

    Raises
    ------
    SchemaError
        A filter naming a dimension the dataset lacks, or a code it does not
        have (the codes it has are listed), a dimension the filters leave open,
        or no annual data.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit": pd.Categorical(["PC", "NR"]),
    ...                       "geo": pd.Categorical(["AT11", "AT11"]),
    ...                       "time": [2019, 2019], "value": [1.5, 300.0],
    ...                       "flag": pd.array([None, "e"], dtype="string")})
    >>> select_series(frame, {"unit": "PC"}, "demo", "x")
        geo  time  value  flag
    0  AT11  2019    1.5  <NA>
    >>> select_series(frame, {"unit": "PC_HH"}, "demo", "x")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: x: filter unit=PC_HH matches nothing in demo; available unit values: ['NR', 'PC']
    """  # noqa: E501  (a doctest's expected output is one line)
    mask = _annual(frame, code, what)
    dims = [c for c in frame.columns if c not in _NON_DIMENSIONS and c != "freq"]
    for dim, value in filters.items():
        if dim not in frame.columns:
            msg = (
                f"{what}: filter {dim}={value} names a dimension {code} does not have; "
                f"its dimensions are {dims}"
            )
            raise SchemaError(msg)
        hit = mask & (frame[dim] == value).to_numpy(dtype=bool, na_value=False)
        if not hit.any():
            available = sorted(str(v) for v in _values(frame[dim], mask))
            msg = (
                f"{what}: filter {dim}={value} matches nothing in {code}; "
                f"available {dim} values: {available}"
            )
            raise SchemaError(msg)
        mask = hit
    for dim in dims:
        values = sorted(str(v) for v in _values(frame[dim], mask))
        if dim not in filters and len(values) > 1:
            msg = (
                f"{what}: the filters {dict(filters)} leave dimension {dim!r} of "
                f"{code} with several values {values}; add {dim}=<value> to the filters"
            )
            raise SchemaError(msg)
    if not pd.api.types.is_integer_dtype(frame[TIME]):
        msg = f"{what}: {code} time is {frame[TIME].dtype}, not annual years"
        raise SchemaError(msg)
    rows = np.flatnonzero(mask)
    return pd.DataFrame(
        {
            GEO: _objects(frame[GEO], rows),
            TIME: frame[TIME].to_numpy(dtype="int64")[rows],
            VALUE: frame[VALUE].to_numpy(dtype="float64")[rows],
            FLAG: pd.array(frame[FLAG].to_numpy(dtype=object)[rows], dtype="string"),
        }
    )


def _values(column: pd.Series, mask: np.ndarray) -> set[object]:
    """Return the distinct non-missing values of *column* where *mask* holds."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.unique(column.cat.codes.to_numpy()[mask])
        return {column.cat.categories[c] for c in codes if c >= 0}
    return set(column[mask].dropna().unique())


def _objects(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Return the values of *column* at *rows* as Python strings (object array)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = column.cat.categories.astype(str).to_numpy(dtype=object)
        return labels[column.cat.codes.to_numpy()[rows]]
    return column.astype(str).to_numpy(dtype=object)[rows]


def keep_levels(
    series: pd.DataFrame,
    levels: Sequence[int],
    code: str,
    what: str,
    years: frozenset[int] | None = None,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Keep the rows of the NUTS *levels*; list what is not a region.

    Parameters
    ----------
    series : pandas.DataFrame
        A selected series (:func:`select_series`).
    levels : sequence of int
        NUTS levels to keep; the first is the one asked for, the others the
        levels above it that may stand in for it.
    code, what : str
        The dataset and the indicator (for messages).
    years : frozenset of int, optional
        Keep the rows of these years only (after the levels are checked on every
        year: a level the source lacks is an error, a year it lacks is not).

    Returns
    -------
    series : pandas.DataFrame
        The rows of those levels.
    dropped : dict of str to list of str
        ``aggregates``, ``extra_regio`` and ``other`` (not NUTS) codes removed.

    Raises
    ------
    SchemaError
        When no row is at any of *levels* (the levels present are listed).

    Examples
    --------
    >>> s = pd.DataFrame({"geo": ["DE1", "DE11", "EU27_2020"], "time": [2019] * 3,
    ...                   "value": [1.0, 2.0, 3.0], "flag": [None] * 3})
    >>> kept, dropped = keep_levels(s, [2], "isoc_r_iacc_h", "x")
    >>> kept["geo"].tolist(), dropped["aggregates"]
    (['DE11'], ['EU27_2020'])
    >>> keep_levels(s, [3], "isoc_r_iacc_h", "x")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: x: isoc_r_iacc_h has no rows at NUTS level 3 ...
    """
    classes = {g: geo_class(g) for g in pd.unique(series[GEO])}
    dropped: dict[str, list[str]] = {"aggregates": [], "extra_regio": [], "other": []}
    names = {"aggregate": "aggregates", "extra_regio": "extra_regio", "other": "other"}
    for geo, cls in classes.items():
        if isinstance(cls, str):
            dropped[names[cls]].append(geo)
    keep = [g for g, cls in classes.items() if cls in levels]
    if not keep:
        present = sorted({c for c in classes.values() if isinstance(c, int)})
        shown = " or ".join(str(lv) for lv in levels)
        msg = (
            f"{what}: {code} has no rows at NUTS level {shown} in the current source "
            f"(levels present: {present})"
        )
        raise SchemaError(msg)
    rows = series[GEO].isin(keep).to_numpy().copy()
    if years is not None:
        rows &= np.isin(series[TIME].to_numpy(), list(years))
    return series.loc[rows], {k: sorted(v) for k, v in dropped.items()}


def finish(
    series: pd.DataFrame, item: Entry, dataset: str, years: frozenset[int] | None
) -> pd.DataFrame:
    """Build the indicator long frame from a series of kept regions.

    Parameters
    ----------
    series : pandas.DataFrame
        ``geo, time, value, flag``.
    item : Entry
        The catalogue row.
    dataset : str
        What the ``dataset`` column says (the dataset used, or both parts of a
        derived value).
    years : frozenset of int or None
        Years to keep (``None``: every year).

    Returns
    -------
    pandas.DataFrame
        ``indicator, geo, time, value, unit, flag, dataset`` sorted by geo and
        time; a ``:`` without a flag is dropped, a flagged missing value kept.

    Raises
    ------
    SchemaError
        If ``(geo, time)`` repeats.

    Examples
    --------
    >>> from regiongap.indicators._entries import entry
    >>> s = pd.DataFrame({"geo": ["AT11", "AT11"], "time": [2019, 2020],
    ...                   "value": [40.5, float("nan")],
    ...                   "flag": pd.array([None, None], dtype="string")})
    >>> finish(s, entry("hrst_pct_active_population"), "hrst_st_rcat", None)
                        indicator   geo  time  value    unit  flag       dataset
    0  hrst_pct_active_population  AT11  2019   40.5  PC_ACT  <NA>  hrst_st_rcat
    """
    if years is not None:
        series = series.loc[series[TIME].isin(years)]
    # ':' cells without a flag carry nothing; a flagged missing value is kept.
    series = series.loc[series[VALUE].notna() | series[FLAG].notna()]
    out = pd.DataFrame(
        {
            INDICATOR: item.indicator,
            GEO: series[GEO].to_numpy(dtype=object),
            TIME: series[TIME].to_numpy(dtype="int64"),
            VALUE: series[VALUE].to_numpy(dtype="float64"),
            UNIT: item.unit,
            FLAG: series[FLAG].astype("string").array,
            DATASET: dataset,
        },
        columns=list(INDICATOR_COLUMNS),
    )
    out = out.sort_values([GEO, TIME], kind="stable").reset_index(drop=True)
    require_unique(out, INDICATOR_KEY, what=f"indicator {item.indicator!r}")
    return out
