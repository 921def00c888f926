"""The value inputs of the partnership metrics, as one geo-indexed frame.

:func:`value_frame` accepts what analysts have at hand (a capacity index, a
Series, a panel, a long indicator frame) and :func:`weights_for` lines weights up
with its regions; partnership gaps, members-versus-non-members comparisons and
candidate searches all start from these.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError

__all__ = ["value_frame", "weights_for"]


def value_frame(
    values: Any, *, column: str | None = None, year: int | None = None
) -> tuple[pd.DataFrame, str]:
    """Turn the accepted value inputs into a geo-indexed frame and its headline column.

    Accepts a :class:`~regiongap.metrics.composite.index.CapacityIndex` (headline
    ``index``, plus its pillar scores), a Series indexed by ``geo``, a wide frame
    indexed by ``geo`` (or with a ``geo`` column; ``__year``/``__flag`` columns
    of a panel are ignored) or a long frame ``geo, time, value`` (with ``year``
    when it has several years).
    """
    from regiongap.metrics.composite.index import CapacityIndex

    if isinstance(values, CapacityIndex):
        frame = values.pillars.copy()
        frame.insert(0, "index", values.scores["index"].reindex(frame.index))
        headline = column or "index"
    elif isinstance(values, pd.Series):
        name = str(values.name) if values.name is not None else "value"
        frame = values.rename(name).to_frame()
        headline = name
    elif isinstance(values, pd.DataFrame):
        frame = values
        if {"geo", "value"} <= set(frame.columns):
            if "time" in frame.columns:
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
            dup = frame["geo"].astype(str).duplicated()
            if dup.any():
                msg = (
                    "values has several rows per geo for one year: "
                    f"{sorted(set(frame.loc[dup, 'geo'].astype(str)))[:5]}"
                )
                raise MetricInputError(msg)
            frame = frame.set_index(frame["geo"].astype(str))[["value"]]
            headline = column or "value"
        else:
            if "geo" in frame.columns:
                frame = frame.set_index("geo")
            numeric = [
                c
                for c in frame.columns
                if "__" not in str(c) and pd.api.types.is_numeric_dtype(frame[c])
            ]
            frame = frame[numeric]
            if column is None:
                if len(numeric) != 1:
                    msg = (
                        f"values has {len(numeric)} numeric columns {numeric[:10]}; "
                        "pass column= to choose the one to compare"
                    )
                    raise MetricInputError(msg)
                column = numeric[0]
            headline = column
    else:
        msg = (
            "values must be a CapacityIndex, a Series indexed by geo, or a DataFrame "
            f"(wide by geo, or long geo/time/value); got {type(values).__name__}"
        )
        raise MetricInputError(msg)
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


def weights_for(weights: Any, geos: pd.Index) -> pd.Series | None:
    """Return *weights* (a Series by geo) aligned with *geos*, or None."""
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
