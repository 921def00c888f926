"""The rows :func:`~regiongap.geo.versions.recode_nuts` adds: regions that are unions.

A region of the target version that is exactly the union of regions of the source
version (``FRC = FR26 + FR43``, NUTS 2013 → 2016) gets a row wherever the frame has
all its parts for the same key (every column but the code, the value, the flags and
the weights): the sum of an additive quantity, the weighted mean of a ratio when
weights are given, NaN otherwise. A single part (``FRB = FR24``: the same land at
another level) carries its value as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy

from regiongap.geo._steps import Union

__all__ = ["ADDED", "NOT_KEY", "how_combined", "key_columns", "union_rows"]

#: The columns recode_nuts adds.
ADDED: tuple[str, ...] = ("geo_original", "nuts_change", "nuts_note")
#: Columns that never identify a row besides the code and the value.
NOT_KEY: tuple[str, ...] = ("flag", "conf_status", *ADDED)


def key_columns(
    frame: pd.DataFrame, geo: str, value: str | None, weights: str | None
) -> list[str]:
    """Return the columns that, with *geo*, identify a row of *frame*.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame being recoded.
    geo : str
        The code column.
    value, weights : str or None
        The value and weights columns, if any.

    Returns
    -------
    list of str
        Every other column, in the frame's order.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["unit", "geo", "time", "value", "flag"])
    >>> key_columns(frame, "geo", "value", None)
    ['unit', 'time']
    """
    skip = {geo, value, weights, *NOT_KEY}
    return [c for c in frame.columns if c not in skip]


def how_combined(n_parts: int, *, additive: bool, weights: str | None) -> str:
    """Return how a union's value is formed from its parts, in words.

    Parameters
    ----------
    n_parts : int
        How many parts the union has.
    additive : bool
        Whether the value is an additive quantity (a count, an amount).
    weights : str or None
        The weights column.

    Returns
    -------
    str
        For the ``nuts_note`` of the added rows.

    Examples
    --------
    >>> how_combined(2, additive=False, weights=None)
    'not additive: NaN (additive=True sums the parts, weights= averages them)'
    """
    if n_parts == 1:
        return "the same land: value carried"
    if additive:
        return "sum of the parts"
    if weights is not None:
        return f"mean of the parts weighted by {weights!r}"
    return "not additive: NaN (additive=True sums the parts, weights= averages them)"


def _grouped(parts: pd.DataFrame, key: list[str]) -> DataFrameGroupBy:
    """Group *parts* by *key* in order of first appearance (one group if no key)."""
    by = [parts[k] for k in key] or [pd.Series(0, index=parts.index)]
    return parts.groupby(by, dropna=False, sort=False, observed=True)


def _value(
    parts: pd.DataFrame, key: list[str], value: str, weights: str | None, how: str
) -> np.ndarray:
    """Return each group's combined value, groups in order of first appearance."""
    vals = parts[value].astype(float)
    if how == "carry":
        return _grouped(parts, key)[value].first().to_numpy(dtype=float)
    if how == "none":
        return np.full(_grouped(parts, key).ngroups, np.nan)
    frame = parts[key].copy()
    if how == "sum":
        frame["num"], frame["den"] = vals, 1.0
    else:
        w = parts[str(weights)].astype(float)
        frame["num"], frame["den"] = vals * w, w
    frame["bad"] = frame[["num", "den"]].isna().any(axis=1)
    groups = _grouped(frame, key)
    sums = groups[["num", "den"]].sum(min_count=1)
    bad = groups["bad"].any()
    result = sums["num"].to_numpy() / (sums["den"].to_numpy() if how != "sum" else 1.0)
    return np.where(bad.to_numpy(), np.nan, result)


def _combine(
    parts: pd.DataFrame, key: list[str], value: str, weights: str | None, *, how: str
) -> pd.DataFrame:
    groups = _grouped(parts, key)
    out = groups.head(1).reset_index(drop=True)
    out[value] = _value(parts, key, value, weights, how)
    if weights is not None:
        out[weights] = groups[weights].sum(min_count=1).to_numpy()
    if "flag" in parts.columns:
        out["flag"] = _flags(parts, key)
    return out


def _flags(parts: pd.DataFrame, key: list[str]) -> pd.Series:
    """Return each group's flag letters (every letter of any part, sorted)."""
    flags = parts["flag"].astype("string").fillna("")
    letters = sorted(set("".join(pd.unique(flags))))
    joined = np.full(_grouped(parts, key).ngroups, "", dtype=object)
    if letters:
        has = pd.DataFrame(
            {letter: flags.str.contains(letter, regex=False) for letter in letters},
            index=parts.index,
        )
        has[key] = parts[key]
        found = _grouped(has, key)[letters].any()
        for letter in letters:
            joined = joined + np.where(found[letter].to_numpy(), letter, "")
    return pd.Series([j or None for j in joined], dtype="string")


def union_rows(
    active: pd.DataFrame,
    unions: tuple[Union, ...],
    levels: set[int],
    spec: tuple[str, str | None, str | None],
    *,
    additive: bool,
) -> pd.DataFrame:
    """Return one new row per union and key for which *active* holds every part.

    Parameters
    ----------
    active : pandas.DataFrame
        Rows whose codes are in the source version (with the :data:`ADDED` columns).
    unions : tuple of Union
        The unions of the step.
    levels : set of int
        The NUTS levels the frame has rows at: only unions at these levels get rows.
    spec : tuple
        ``(geo, value, weights)``: the code, value and weights columns (``None``
        when the frame has none).
    additive : bool
        Whether the value may be summed.

    Returns
    -------
    pandas.DataFrame
        The new rows (codes of the target version), columns of *active*;
        ``geo_original`` holds the parts joined with ``+``. Empty when there is none.

    Examples
    --------
    >>> active = pd.DataFrame({"geo": ["FR26", "FR43"], "time": [2014, 2014],
    ...                        "value": [1.6, 1.2], "geo_original": ["FR26", "FR43"],
    ...                        "nuts_change": "unchanged", "nuts_note": ""})
    >>> row = union_rows(active, (Union("FRC", ("FR26", "FR43")),), {1, 2},
    ...                  ("geo", "value", None), additive=True)
    >>> row[["geo", "time", "value", "geo_original", "nuts_change"]]
       geo  time  value geo_original nuts_change
    0  FRC  2014    2.8    FR26+FR43      merged
    """
    geo, value, weights = spec
    key = key_columns(active, geo, value, weights)
    found = []
    for union in unions:
        if len(union.target) - 2 not in levels:
            continue
        parts = active[active[geo].isin(union.parts)]
        if parts.empty:
            continue
        complete = _grouped(parts, key)[geo].transform("nunique") == len(union.parts)
        parts = parts[complete]
        if parts.empty:
            continue
        found.append(_one_union(parts, union, key, spec, additive=additive))
    if not found:
        return active.iloc[0:0]
    return pd.concat(found, ignore_index=True)


def _one_union(
    parts: pd.DataFrame,
    union: Union,
    key: list[str],
    spec: tuple[str, str | None, str | None],
    *,
    additive: bool,
) -> pd.DataFrame:
    geo, value, weights = spec
    how = (
        "carry"
        if len(union.parts) == 1
        else ("sum" if additive else "weighted" if weights else "none")
    )
    if value is None:
        out = _grouped(parts, key).head(1).reset_index(drop=True)
    else:
        out = _combine(parts, key, value, weights, how=how)
    out[geo] = union.target
    out["geo_original"] = "+".join(union.parts)
    out["nuts_change"] = "recoded" if len(union.parts) == 1 else "merged"
    out["nuts_note"] = ""
    return out
