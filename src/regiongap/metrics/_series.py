"""Regional time series as one region × year matrix, for the dynamics measures.

:func:`wide_series` turns a long ``geo, time, value`` frame (or a wide one) into
regions × years over a window and sets aside the regions with a gap;
:func:`lag_weights` keeps the weights of the regions a chain uses.
"""

from __future__ import annotations

import warnings

import pandas as pd
from libpysal.weights import W, w_subset

from regiongap.errors import DataQualityWarning, MetricInputError

__all__ = ["class_labels", "lag_weights", "warn_gaps", "wide_series"]

_LONG = ("geo", "time", "value")
_IGNORED = ("flag",)


def class_labels(k: int) -> list[str]:
    """Names of *k* quantile classes, bottom first.

    Parameters
    ----------
    k : int
        Number of classes.

    Returns
    -------
    list of str
        ``["Q1", …, "Qk"]``.

    Examples
    --------
    >>> class_labels(3)
    ['Q1', 'Q2', 'Q3']
    """
    return [f"Q{i + 1}" for i in range(k)]


def _from_long(series: pd.DataFrame) -> pd.DataFrame:
    others = [c for c in series.columns if c not in _LONG and c not in _IGNORED]
    several = {
        c: sorted(map(str, series[c].dropna().unique()))[:5]
        for c in others
        if series[c].nunique(dropna=True) > 1
    }
    if several:
        msg = (
            f"series has several values of {several}; select one of each first "
            "(e.g. filters={'unit': 'PPS_EU27_2020_HAB'})"
        )
        raise MetricInputError(msg)
    frame = series.assign(geo=series["geo"].astype(str))
    if frame.duplicated(["geo", "time"]).any():
        msg = "series has several rows per (geo, time)"
        raise MetricInputError(msg)
    return frame.pivot(index="geo", columns="time", values="value")


def _as_wide(series: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(series, pd.DataFrame):
        msg = (
            "series must be a long frame geo, time, value or a wide frame of "
            f"regions × years; got {type(series).__name__}"
        )
        raise MetricInputError(msg)
    wide = _from_long(series) if set(_LONG) <= set(series.columns) else series
    try:
        years = [int(c) for c in wide.columns]
    except (TypeError, ValueError) as exc:
        msg = (
            f"the columns of a wide series must be years, got {list(wide.columns)[:5]}"
        )
        raise MetricInputError(msg) from exc
    wide = wide.set_axis(years, axis=1).sort_index(axis=1)
    wide.index = pd.Index([str(g) for g in wide.index], name="geo")
    return wide.apply(pd.to_numeric, errors="coerce").astype("float64")


def wide_series(
    series: pd.DataFrame, years: tuple[int, int] | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Regions × years over the window; regions with a gap are set aside.

    Parameters
    ----------
    series : pandas.DataFrame
        Long ``geo, time, value`` (other dimension columns must hold one value
        each; ``flag`` is ignored) or wide, regions × years.
    years : tuple of int or None
        First and last year, inclusive (None: every year given).

    Returns
    -------
    tuple
        The complete regions × years matrix, and ``{geo: reason}`` of the
        regions left out.

    Raises
    ------
    MetricInputError
        Not a frame, several units, columns that are not years, fewer than 2
        years, or no region with a complete series.

    Examples
    --------
    >>> long = pd.DataFrame({"geo": ["A", "A", "B"], "time": [2000, 2001, 2000],
    ...                      "value": [1.0, 2.0, 3.0]})
    >>> wide, left = wide_series(long, None)
    >>> wide.to_dict("index"), left
    ({'A': {2000: 1.0, 2001: 2.0}}, {'B': 'no value in 2001'})
    """
    wide = _as_wide(series)
    if years is not None:
        first, last = (int(years[0]), int(years[1]))
        kept = [y for y in wide.columns if first <= int(y) <= last]
        wide = wide[kept]
    if wide.shape[1] < 2:
        msg = f"a chain needs at least 2 years; the window has {list(wide.columns)}"
        raise MetricInputError(msg)
    gaps = wide.isna()
    left = {
        str(geo): "no value in " + ", ".join(str(y) for y in wide.columns[row])
        for geo, row in zip(wide.index, gaps.to_numpy(), strict=True)
        if row.any()
    }
    complete = wide.loc[~gaps.any(axis=1)]
    if complete.empty:
        msg = (
            f"no region has a value in every year {wide.columns[0]}–{wide.columns[-1]}"
        )
        raise MetricInputError(msg)
    return complete, left


def lag_weights(w: W, geos: list[str]) -> tuple[W | None, list[str]]:
    """Return the weights of *geos* and the regions with no neighbour left among them.

    Parameters
    ----------
    w : libpysal.weights.W
        Weights with string ids.
    geos : list of str
        The regions to keep (all in *w*).

    Returns
    -------
    tuple
        Row-standardised weights of the regions that keep a neighbour (None
        when fewer than 2 do), and the regions that have none among *geos*.

    Examples
    --------
    >>> w = W({"A": ["B"], "B": ["A", "C"], "C": ["B"]})
    >>> sub, alone = lag_weights(w, ["A", "C"])
    >>> sub is None, alone
    (True, ['A', 'C'])
    """
    sub = w_subset(w, geos, silence_warnings=True)
    alone = [g for g in geos if not sub.neighbors[g]]
    keep = [g for g in geos if g not in set(alone)]
    if len(keep) < 2:
        return None, alone
    out = w_subset(sub, keep, silence_warnings=True)
    out.transform = "r"
    return out, alone


def warn_gaps(left: dict[str, str]) -> None:
    """Warn, naming them, about the regions left out of a chain for a gap.

    Parameters
    ----------
    left : dict of str to str
        ``{geo: reason}`` of :func:`wide_series` (nothing is said when empty).

    Warns
    -----
    DataQualityWarning
        Naming up to 12 regions and how many more.

    Examples
    --------
    >>> warn_gaps({})
    """
    if left:
        names = ", ".join(list(left)[:12])
        more = f" and {len(left) - 12} more" if len(left) > 12 else ""
        warnings.warn(
            f"{len(left)} region(s) with a gap in the years left out "
            f"(gaps are never interpolated): {names}{more}",
            DataQualityWarning,
            stacklevel=3,
        )
