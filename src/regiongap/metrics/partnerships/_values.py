"""The value inputs of the partnership metrics, as one geo-indexed frame.

:func:`value_frame` accepts what analysts have at hand (a capacity index, a
Series, a panel, a long indicator frame) and :func:`weights_for` lines weights up
with its regions; partnership gaps, members-versus-non-members comparisons and
candidate searches all start from these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError
from regiongap.metrics.composite.index import CapacityIndex

__all__ = ["Values", "value_frame", "weights_for"]

#: What the partnership metrics accept as ``values``.
Values = CapacityIndex | pd.Series | pd.DataFrame


def _one_year(frame: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Rows of one year of a long ``geo, time, value`` frame."""
    if "time" not in frame.columns:
        return frame
    times = frame["time"].dropna().unique()
    if year is None and len(times) > 1:
        msg = (
            f"values has {len(times)} years; pass year= to choose one "
            f"(e.g. year={int(max(times))})"
        )
        raise MetricInputError(msg)
    if year is not None:
        frame = frame[frame["time"] == year]
        if frame.empty:
            msg = f"values has no row for year={year}"
            raise MetricInputError(msg)
    return frame


def _from_long(frame: pd.DataFrame, year: int | None) -> pd.DataFrame:
    frame = _one_year(frame, year)
    dup = frame["geo"].astype(str).duplicated()
    if dup.any():
        msg = (
            "values has several rows per geo for one year: "
            f"{sorted(set(frame.loc[dup, 'geo'].astype(str)))[:5]}"
        )
        raise MetricInputError(msg)
    return frame.set_index(frame["geo"].astype(str))[["value"]]


def _from_wide(frame: pd.DataFrame, value: str | None) -> tuple[pd.DataFrame, str]:
    if "geo" in frame.columns:
        frame = frame.set_index("geo")
    numeric = [
        c
        for c in frame.columns
        if "__" not in str(c) and pd.api.types.is_numeric_dtype(frame[c])
    ]
    if value is None and len(numeric) != 1:
        msg = (
            f"values has {len(numeric)} numeric columns {numeric[:10]}; "
            "pass value= to choose the one to compare"
        )
        raise MetricInputError(msg)
    return frame[numeric], value if value is not None else numeric[0]


def _as_frame(
    values: Values, value: str | None, year: int | None
) -> tuple[pd.DataFrame, str]:
    if isinstance(values, CapacityIndex):
        frame = values.pillars.copy()
        frame.insert(0, "index", values.scores["index"].reindex(frame.index))
        return frame, value or "index"
    if isinstance(values, pd.Series):
        name = str(values.name) if values.name is not None else "value"
        return values.rename(name).to_frame(), name
    if isinstance(values, pd.DataFrame):
        if {"geo", "value"} <= set(values.columns):
            return _from_long(values, year), value or "value"
        return _from_wide(values, value)
    msg = (
        "values must be a CapacityIndex, a Series indexed by geo, or a DataFrame "
        f"(wide by geo, or long geo/time/value); got {type(values).__name__}"
    )
    raise MetricInputError(msg)


def value_frame(
    values: Values, *, value: str | None = None, year: int | None = None
) -> tuple[pd.DataFrame, str]:
    """Turn the accepted value inputs into a geo-indexed frame and its headline column.

    Parameters
    ----------
    values : CapacityIndex, pandas.Series or pandas.DataFrame
        A :class:`~regiongap.metrics.composite.index.CapacityIndex` (headline
        ``index``, plus its pillar scores), a Series indexed by ``geo``, a wide
        frame indexed by ``geo`` (or with a ``geo`` column; ``__year``/``__flag``
        columns of a panel are ignored) or a long frame ``geo, time, value``.
    value : str, optional
        The headline column of a wide frame (required when it has several
        numeric columns).
    year : int, optional
        The data year to take from a long frame with several years.

    Returns
    -------
    tuple
        The float64 frame indexed by ``geo`` (str), and the headline column.

    Raises
    ------
    MetricInputError
        An input of another type, several years or numeric columns and no
        choice, an unknown headline, or duplicated regions.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"geo": ["AT11", "AT12"], "gdp": [1, 2], "rd": [3, 4]})
    >>> frame, headline = value_frame(wide, value="rd")
    >>> headline, frame["rd"].to_dict()
    ('rd', {'AT11': 3.0, 'AT12': 4.0})
    """
    frame, headline = _as_frame(values, value, year)
    if headline not in frame.columns:
        msg = f"column {headline!r} is not in values; it has {list(frame.columns)}"
        raise MetricInputError(msg)
    frame = frame.astype("float64")
    frame.index = pd.Index([str(g) for g in frame.index], name="geo")
    if frame.index.has_duplicates:
        dups = sorted(set(frame.index[frame.index.duplicated()]))[:5]
        msg = f"values has duplicated regions {dups}"
        raise MetricInputError(msg)
    return frame, headline


def weights_for(weights: pd.Series | None, geos: pd.Index) -> pd.Series | None:
    """Return *weights* (a Series by geo) aligned with *geos*, or None.

    Parameters
    ----------
    weights : pandas.Series, optional
        Weight (e.g. population) of each region, indexed by ``geo``.
    geos : pandas.Index
        The regions to align with.

    Returns
    -------
    pandas.Series or None
        Float weights in the order of *geos*; None when *weights* is None.

    Raises
    ------
    MetricInputError
        Not a Series, a region without a weight, or a negative or infinite one.

    Examples
    --------
    >>> import pandas as pd
    >>> weights_for(pd.Series({"B": 2, "A": 1}), pd.Index(["A", "B"])).tolist()
    [1.0, 2.0]
    """
    if weights is None:
        return None
    if not isinstance(weights, pd.Series):
        msg = f"weights must be a Series indexed by geo, got {type(weights).__name__}"
        raise MetricInputError(msg)
    w = weights.copy()
    w.index = w.index.astype(str)
    missing = [g for g in geos if g not in w.index or pd.isna(w[g])]
    if missing:
        msg = f"weights has no value for regions {missing[:10]}"
        raise MetricInputError(msg)
    w = w.reindex(geos).astype("float64")
    bad = w[(w < 0) | ~np.isfinite(w)]
    if len(bad):
        msg = (
            f"weights must be finite and non-negative; bad for {bad.head(5).to_dict()}"
        )
        raise MetricInputError(msg)
    return w
