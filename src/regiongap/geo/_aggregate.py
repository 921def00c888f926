"""The arithmetic of :func:`~regiongap.geo.levels.aggregate_up`.

Children get their parent, weight and usable value (:func:`children_frame`), are
summed per parent and key with their flags merged (:func:`sum_by_parent`), and each
parent is compared with the children its NUTS version lists
(:func:`expected_children`, :func:`mark_completeness`, :func:`apply_incomplete`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._frames import require_unique_key
from regiongap.geo._rules import EXTRA_REGIO, parent_codes
from regiongap.geo._tables import code_list
from regiongap.schema import format_rows, require_columns

__all__ = [
    "apply_incomplete",
    "children_frame",
    "expected_children",
    "mark_completeness",
    "merged_flags",
    "sum_by_parent",
]

_SHOWN = 8
_ACTIONS = {
    "nan": "value set to NaN",
    "keep": "partial value kept",
    "drop": "rows dropped",
}


def _is_extra_regio(code: str) -> bool:
    return bool(EXTRA_REGIO.fullmatch(code))


def merged_flags(rows: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Return, per group, the sorted union of the flag letters of *rows* (vectorised).

    One boolean column per distinct letter (Eurostat uses a handful), ``any`` per
    group, then the letters glued back in alphabetical order: ``p`` + ``e`` → ``ep``.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows with the *group* columns and ``flag``.
    group : list of str
        The grouping columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: the *group* columns and ``flag`` (missing if none).

    Examples
    --------
    >>> rows = pd.DataFrame({"g": ["A", "A", "B"], "flag": ["p", "e", None]})
    >>> merged_flags(rows, ["g"])
       g flag
    0  A   ep
    1  B  NaN
    """
    flagged = rows[rows["flag"].notna()]
    keys = rows[group].drop_duplicates()
    if flagged.empty:
        return keys.assign(flag=pd.Series(pd.NA, index=keys.index, dtype=object))
    text = flagged["flag"].astype(str)
    letters = sorted({ch for f in pd.unique(text) for ch in f if not ch.isspace()})
    marks = flagged[group].copy()
    for letter in letters:
        marks[letter] = text.str.contains(letter, regex=False).to_numpy()
    seen = marks.groupby(group, observed=True, dropna=False)[letters].any()
    glued = np.full(len(seen), "", dtype=object)
    for letter in letters:
        glued = glued + np.where(seen[letter].to_numpy(), letter, "")
    merged = seen.reset_index()[group].assign(flag=glued)
    merged["flag"] = merged["flag"].replace("", pd.NA)
    return keys.merge(merged, on=group, how="left")


def expected_children(nuts_year: int, from_level: int, to_level: int) -> pd.Series:
    """Count the *from_level* children of every *to_level* region (no extra-regio).

    Parameters
    ----------
    nuts_year : int
        The NUTS version.
    from_level, to_level : int
        The levels of the children and of the parents.

    Returns
    -------
    pandas.Series
        Children per parent code; an extra-regio parent (``FRZZ``) expects its
        extra-regio children (``FRZZZ``).

    Examples
    --------
    >>> int(expected_children(2021, 3, 2)["HR06"])
    5
    """
    table = code_list(nuts_year)
    kids = table[(table["level"] == from_level)]
    parents = parent_codes(kids["geo"], to_level)
    regular = ~kids["extra_regio"].to_numpy()
    counts = parents[regular].value_counts()
    extra = parents[~regular]
    extra = extra[extra.map(_is_extra_regio)]
    return pd.concat([counts, extra.value_counts()]).groupby(level=0).sum()


def _join_weights(
    kids: pd.DataFrame,
    weights: pd.DataFrame,
    keys: list[str],
    geo: str,
    weight_value: str,
) -> pd.Series:
    require_columns(weights, [geo, weight_value], what="weights")
    on = [geo, *[k for k in keys if k in weights.columns]]
    if not pd.api.types.is_numeric_dtype(weights[weight_value]):
        msg = f"weights column {weight_value!r} must be numeric"
        raise SchemaError(msg)
    w = weights[[*on, weight_value]].copy()
    require_unique_key(w, on, "weights")
    if (w[weight_value] < 0).any():
        bad = w[w[weight_value] < 0]
        msg = f"weights must be ≥ 0; negative rows:\n{format_rows(bad)}"
        raise SchemaError(msg)
    w[geo] = w[geo].astype(str)
    left = kids[on].copy()
    left[geo] = kids["_geo"]
    for column in on:
        if isinstance(left[column].dtype, pd.CategoricalDtype):
            left[column] = left[column].astype(object)
        if isinstance(w[column].dtype, pd.CategoricalDtype):
            w[column] = w[column].astype(object)
    merged = left.merge(w, on=on, how="left", validate="m:1")
    return pd.Series(merged[weight_value].to_numpy(dtype=float), index=kids.index)


def children_frame(
    kids: pd.DataFrame,
    *,
    to_level: int,
    weights: pd.DataFrame | None,
    keys: list[str],
    geo: str,
    value: str,
    weight_value: str,
) -> pd.DataFrame:
    """Add to the children their parent, weight and weighted value.

    Parameters
    ----------
    kids : pandas.DataFrame
        The rows at the children's level.
    to_level : int
        The parents' level.
    weights : pandas.DataFrame or None
        Weights by *geo* and any key columns; ``None`` weighs every child 1.
    keys : list of str
        The key columns.
    geo, value, weight_value : str
        The code, value and weight columns.

    Returns
    -------
    pandas.DataFrame
        *kids* with ``_geo``, ``_parent``, ``_x``, ``_w``, ``_usable``, ``_wx``,
        ``_wu``, ``_regular`` and ``_usable_regular``.

    Raises
    ------
    SchemaError
        Weights without the columns, not numeric, with a duplicated key or
        negative.

    Examples
    --------
    >>> kids = pd.DataFrame({"geo": ["HR061", "HRZZZ"], "value": [2.0, 1.0]})
    >>> out = children_frame(kids, to_level=2, weights=None, keys=[], geo="geo",
    ...                      value="value", weight_value="value")
    >>> out[["_parent", "_wx", "_usable_regular"]]
      _parent  _wx  _usable_regular
    0    HR06  2.0             True
    1    HRZZ  1.0             True
    """
    kids = kids.assign(_geo=kids[geo].astype(str))
    kids["_parent"] = parent_codes(kids["_geo"], to_level)
    kids["_x"] = kids[value].astype(float)
    if weights is not None:
        kids["_w"] = _join_weights(kids, weights, keys, geo, weight_value)
    else:
        kids["_w"] = 1.0
    usable = kids["_x"].notna() & kids["_w"].notna()
    kids["_usable"] = usable
    kids["_wx"] = np.where(usable, kids["_w"] * kids["_x"], 0.0)
    kids["_wu"] = np.where(usable, kids["_w"], 0.0)
    kids["_regular"] = ~kids["_geo"].map(_is_extra_regio)
    kids["_usable_regular"] = usable & (
        kids["_regular"] | kids["_parent"].map(_is_extra_regio)
    )
    return kids


def sum_by_parent(
    kids: pd.DataFrame, keys: list[str], how: Literal["sum", "mean"], value: str
) -> pd.DataFrame:
    """Sum (or average) the children of each parent and key, merging their flags.

    Parameters
    ----------
    kids : pandas.DataFrame
        :func:`children_frame`.
    keys : list of str
        The key columns.
    how : {"sum", "mean"}
        Weighted sum, or weighted mean.
    value : str
        The value column of the result.

    Returns
    -------
    pandas.DataFrame
        One row per key and ``_parent``: *value* (NaN where no child is usable),
        ``n_children`` (usable regular children) and ``flag`` if *kids* has one.

    Examples
    --------
    >>> kids = pd.DataFrame({"geo": ["HR061", "HR062"], "value": [2.0, 1.0]})
    >>> kids = children_frame(kids, to_level=2, weights=None, keys=[], geo="geo",
    ...                       value="value", weight_value="value")
    >>> sum_by_parent(kids, [], "sum", "value")[["_parent", "value", "n_children"]]
      _parent  value  n_children
    0    HR06    3.0           2
    """
    group = [*keys, "_parent"]
    grouped = kids.groupby(group, observed=True, sort=False, dropna=False)
    out = grouped.agg(
        _wx=("_wx", "sum"),
        _wu=("_wu", "sum"),
        n_children=("_usable_regular", "sum"),
        _any=("_usable", "sum"),
    ).reset_index()
    if "flag" in kids.columns:
        flags = merged_flags(kids[kids["_usable"]], group)
        out = out.merge(flags, on=group, how="left", validate="1:1")
        out["flag"] = out["flag"].astype("string")
    if how == "sum":
        agg_value = out["_wx"]
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            agg_value = out["_wx"] / out["_wu"]
    out[value] = np.where(out["_any"] > 0, agg_value, np.nan)
    return out


def mark_completeness(
    out: pd.DataFrame, expected: pd.Series, label: str, from_level: int
) -> pd.DataFrame:
    """Add ``n_expected``, ``complete`` and ``value_source`` to the parents.

    Parameters
    ----------
    out : pandas.DataFrame
        :func:`sum_by_parent`.
    expected : pandas.Series
        :func:`expected_children`.
    label : str
        How the value was computed ("sum", "weighted mean" …).
    from_level : int
        The children's level.

    Returns
    -------
    pandas.DataFrame
        *out*, with the columns added.

    Examples
    --------
    >>> out = pd.DataFrame({"_parent": ["HR06"], "n_children": [4]})
    >>> mark_completeness(out, pd.Series({"HR06": 5}), "sum", 3)
      _parent  n_children  n_expected  complete               value_source
    0    HR06           4           5     False  sum of 4/5 NUTS 3 regions
    """
    out["n_expected"] = out["_parent"].map(expected).fillna(0).astype("int64")
    out["n_children"] = out["n_children"].astype("int64")
    out["complete"] = out["n_children"] >= out["n_expected"]
    out["value_source"] = (
        f"{label} of "
        + out["n_children"].astype(str)
        + "/"
        + out["n_expected"].astype(str)
        + f" NUTS {from_level} regions"
    )
    return out


def apply_incomplete(
    out: pd.DataFrame, value: str, incomplete: Literal["nan", "keep", "drop"]
) -> tuple[pd.DataFrame, str | None]:
    """Treat the parents some of whose children are missing as *incomplete* says.

    Parameters
    ----------
    out : pandas.DataFrame
        :func:`mark_completeness`.
    value : str
        The value column.
    incomplete : {"nan", "keep", "drop"}
        Set their value to NaN, keep the partial value, or drop the row.

    Returns
    -------
    tuple
        The frame, and the warning's part about incomplete parents (``None`` if
        every parent is complete).

    Examples
    --------
    >>> out = pd.DataFrame({"_parent": ["HR06"], "value": [4.0], "n_children": [4],
    ...                     "n_expected": [5], "complete": [False]})
    >>> frame, problem = apply_incomplete(out, "value", "nan")
    >>> frame["value"].tolist(), problem
    ([nan], '1 aggregates incomplete (value set to NaN): HR06 4/5')
    """
    short = ~out["complete"]
    if not short.any():
        return out, None
    examples = ", ".join(
        f"{p} {n}/{e}"
        for p, n, e in out.loc[short, ["_parent", "n_children", "n_expected"]]
        .drop_duplicates("_parent")
        .head(_SHOWN)
        .itertuples(index=False)
    )
    problem = f"{int(short.sum())} aggregates incomplete ({_ACTIONS[incomplete]}): "
    if incomplete == "nan":
        out.loc[short, value] = np.nan
    elif incomplete == "drop":
        out = out[~short]
    return out, problem + examples
