"""Move a tidy frame between NUTS levels: aggregate up, broadcast down.

Both functions work on any long frame with a code column (``geo``) and a value
column (``value``): the observation frame of :func:`regiongap.fetch_dataset`, the
indicator frame (``indicator, geo, time, value, unit, flag, dataset``), or a plain
``geo, time, value`` table. Every other column (``time``, ``unit``, ``indicator``,
``sex`` …) is a key: rows are grouped by it and it comes out unchanged.

Neither function guesses: an aggregate is computed only from the children the NUTS
version says a region has, and it says how many it found; a broadcast value says
where it came from.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo._aggregate import (
    apply_incomplete,
    children_frame,
    expected_children,
    mark_completeness,
    sum_by_parent,
)
from regiongap.geo._frames import (
    check_frame,
    examples,
    key_columns,
    levels_of,
    outside_rows,
    require_unique_key,
)
from regiongap.geo._rules import parent_codes
from regiongap.geo._tables import code_list
from regiongap.schema import check_level, check_nuts_year

__all__ = ["aggregate_up", "broadcast_down"]

_HOW = ("sum", "mean")
_INCOMPLETE = ("nan", "keep", "drop")
_ADDED_UP = ("n_children", "n_expected", "complete", "value_source")


def _check_aggregate_arguments(
    frame: pd.DataFrame,
    how: str,
    weights: pd.DataFrame | str | None,
    incomplete: str,
) -> None:
    if how not in _HOW:
        msg = f"how={how!r} is not one of {list(_HOW)}"
        raise SchemaError(msg)
    if incomplete not in _INCOMPLETE:
        msg = f"incomplete={incomplete!r} is not one of {list(_INCOMPLETE)}"
        raise SchemaError(msg)
    if how == "sum" and weights is not None:
        msg = "weights are for how='mean'; a sum takes no weights"
        raise SchemaError(msg)
    if how == "mean" and weights is None:
        msg = (
            "how='mean' needs weights: a frame of weights (e.g. population with "
            "columns geo, time, value) or weights='equal' for an unweighted mean"
        )
        raise SchemaError(msg)
    if isinstance(weights, str) and weights != "equal":
        msg = f"weights={weights!r}: give a DataFrame or 'equal'"
        raise SchemaError(msg)
    clash = [c for c in _ADDED_UP if c in frame.columns]
    if clash:
        msg = f"frame already has column(s) {clash}; was it aggregated already?"
        raise SchemaError(msg)


def _from_level(
    from_level: int | None,
    to_level: int,
    present: list[int],
    codes: pd.Series,
    nuts_year: int,
) -> int:
    """Return the children's level: given, or the deepest present; checked."""
    if from_level is None:
        if not present:
            msg = (
                f"aggregate_up: no code of the frame is a NUTS {nuts_year} region "
                f"(first codes: {list(pd.unique(codes.astype(object)))[:5]})"
            )
            raise SchemaError(msg)
        from_level = present[-1]
    check_level(from_level)
    if from_level <= to_level:
        msg = (
            f"from_level={from_level} must be below to_level={to_level} "
            f"(a larger number); levels present in the frame: {present}"
        )
        raise SchemaError(msg)
    return from_level


def _label(how: str, weights: pd.DataFrame | str | None) -> str:
    if how == "sum":
        return "sum"
    return "weighted mean" if isinstance(weights, pd.DataFrame) else "unweighted mean"


def aggregate_up(
    frame: pd.DataFrame,
    to_level: int,
    how: Literal["sum", "mean"] = "sum",
    weights: pd.DataFrame | Literal["equal"] | None = None,
    *,
    from_level: int | None = None,
    nuts_year: int = 2021,
    geo: str = "geo",
    value: str = "value",
    weight_value: str = "value",
    incomplete: Literal["nan", "keep", "drop"] = "nan",
) -> pd.DataFrame:
    r"""Aggregate regions at one NUTS level to their parents at a higher level.

    Sums suit counts (population, GDP in euro, km²); population-weighted means suit
    rates and shares (GDP per inhabitant, % of households), with the weights given
    explicitly.

    .. math::

        X_P = \sum_{c \in P} x_c \quad\text{(sum)}, \qquad
        X_P = \frac{\sum_{c \in P} w_c x_c}{\sum_{c \in P} w_c}
        \quad\text{(mean)}

    where :math:`c` runs over the children of region :math:`P` at *from_level* in
    NUTS *nuts_year*.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame with *geo* and *value* columns; every other column except
        ``flag`` is a key (``time``, ``unit``, ``indicator`` …).
    to_level : int
        Level of the result (0–2).
    how : {"sum", "mean"}
        Sum of the children, or their weighted mean.
    weights : pandas.DataFrame or "equal", optional
        For ``how="mean"``: a frame with *geo*, *weight_value* and any of the
        frame's key columns (typically ``time``), e.g. population per region and
        year; or ``"equal"`` for an unweighted mean (said explicitly, since an
        unweighted mean of regional rates is rarely what is wanted). Not allowed
        with ``how="sum"``.
    from_level : int, optional
        Level of the children (must be below *to_level*); default the deepest
        level present among the frame's NUTS *nuts_year* codes.
    nuts_year : {2016, 2021}
        NUTS version whose hierarchy is used; rows with codes of other versions
        are left out (with a warning: :func:`regiongap.recode_nuts` first).
    geo, value : str
        Names of the code and value columns.
    weight_value : str
        Name of the weight column in *weights*.
    incomplete : {"nan", "keep", "drop"}
        What to do with a parent some of whose children are missing (no row, NaN
        value, or no weight): ``"nan"`` (default) keeps the row with value NaN,
        ``"keep"`` keeps the partial aggregate, ``"drop"`` leaves the row out.
        Either way ``complete`` says so.

    Returns
    -------
    pandas.DataFrame
        One row per parent and key: the key columns, *geo* (the parent), *value*,
        ``flag`` (the letters of the children's flags, merged; ``<NA>`` if none),
        ``n_children`` (children with a usable value), ``n_expected`` (regions the
        NUTS version lists under the parent, extra-regio not counted),
        ``complete`` (``n_children >= n_expected``) and ``value_source``
        (e.g. "sum of 5/5 NUTS 3 regions"). Extra-regio children present in the
        frame are added to their parent's sum but not expected.

    Raises
    ------
    SchemaError
        Bad level/nuts_year/how/incomplete, missing columns, a non-numeric value,
        duplicated keys, weights missing or misplaced, negative weights.

    Warns
    -----
    DataQualityWarning
        When rows are left out (codes not in NUTS *nuts_year*) or aggregates are
        incomplete, with counts and examples.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"geo": ["HR050", "HR061", "HR062", "HR063", "HR064",
    ...                           "HR065"], "time": 2020, "value": 1.0})
    >>> aggregate_up(f, 2)[["geo", "value", "n_children", "n_expected"]]
        geo  value  n_children  n_expected
    0  HR05    1.0           1           1
    1  HR06    5.0           5           5
    """
    check_frame(frame, geo, value, "aggregate_up")
    check_nuts_year(nuts_year)
    check_level(to_level)
    _check_aggregate_arguments(frame, how, weights, incomplete)
    work = frame.copy()
    work["_level"] = levels_of(work[geo], nuts_year)
    outside = outside_rows(work[geo], work["_level"])
    present = sorted(int(x) for x in work["_level"].dropna().unique())
    from_level = _from_level(from_level, to_level, present, work[geo], nuts_year)

    problems: list[str] = []
    if outside.any():
        problems.append(
            f"{int(outside.sum())} rows left out: codes not in NUTS {nuts_year} "
            f"({examples(work.loc[outside, geo])}; recode_nuts converts NUTS 2016 "
            "codes)"
        )
    kids = work[work["_level"] == from_level].drop(columns="_level")
    if kids.empty:
        msg = (
            f"aggregate_up: the frame has no NUTS {from_level} rows of NUTS "
            f"{nuts_year} (levels present: {present})"
        )
        raise SchemaError(msg)
    keys = key_columns(kids, geo, value)
    require_unique_key(kids, [*keys, geo], "aggregate_up")

    kids = children_frame(
        kids,
        to_level=to_level,
        weights=weights if isinstance(weights, pd.DataFrame) else None,
        keys=keys,
        geo=geo,
        value=value,
        weight_value=weight_value,
    )
    out = sum_by_parent(kids, keys, how, value)
    expected = expected_children(nuts_year, from_level, to_level)
    out = mark_completeness(out, expected, _label(how, weights), from_level)
    out, problem = apply_incomplete(out, value, incomplete)
    if problem is not None:
        problems.append(problem)

    out = out.rename(columns={"_parent": geo})
    if isinstance(frame[geo].dtype, pd.CategoricalDtype):
        out[geo] = out[geo].astype("category")
    columns = [c for c in frame.columns if c in out.columns]
    columns += [c for c in ("flag",) if c in out.columns and c not in columns]
    out = out[[*columns, *_ADDED_UP]].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    if problems:
        warnings.warn(
            f"aggregate_up to NUTS {to_level}: " + "; ".join(problems),
            DataQualityWarning,
            stacklevel=2,
        )
    return out


def _broadcast_copies(
    usable: pd.DataFrame,
    levels: pd.Series,
    to_level: int,
    nuts_year: int,
    geo: str,
    value: str,
) -> list[pd.DataFrame]:
    """Return the rows at *to_level* and, per level above, their copies to it."""
    native = usable[levels == to_level].copy()
    native["value_source"] = "reported"
    native["_rank"] = np.where(native[value].notna(), 0, 99)
    pieces = [native]
    table = code_list(nuts_year)
    targets = table[(table["level"] == to_level) & ~table["extra_regio"]]["geo"]
    for level in range(to_level - 1, -1, -1):
        above = usable[levels == level]
        if above.empty:
            continue
        children = pd.DataFrame(
            {
                "_parent": parent_codes(targets, level).to_numpy(),
                "_child": targets.to_numpy(),
            }
        )
        copied = above.assign(_parent=above[geo].astype(str)).merge(
            children, on="_parent", how="inner"
        )
        copied["value_source"] = "broadcast from " + copied["_parent"]
        copied[geo] = copied["_child"]
        copied["_rank"] = np.where(copied[value].notna(), to_level - level, 98)
        pieces.append(copied.drop(columns=["_parent", "_child"]))
    return pieces


def broadcast_down(
    frame: pd.DataFrame,
    to_level: int = 2,
    nuts_year: int = 2021,
    *,
    geo: str = "geo",
    value: str = "value",
) -> pd.DataFrame:
    """Copy values of NUTS 0/1 regions to their regions at *to_level*, saying so.

    For rates, shares and other intensive values only: copying a count (population,
    euro) to each child would multiply it. A region that has its own value at
    *to_level* keeps it; one without (no row, or NaN) takes the value of its
    nearest ancestor that has one (NUTS 1 before NUTS 0).

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame with *geo* and *value*; other columns except ``flag`` are keys.
    to_level : int
        Level of the result (1–3; default 2).
    nuts_year : {2016, 2021}
        NUTS version whose hierarchy gives the children.
    geo, value : str
        Names of the code and value columns.

    Returns
    -------
    pandas.DataFrame
        The frame's columns at *to_level* only (extra-regio regions not created),
        plus ``value_source``: ``"reported"`` for the frame's own rows, else
        ``"broadcast from DE1"``. ``flag`` is copied with the value. Rows at
        other levels, aggregates and codes of other versions do not appear.

    Raises
    ------
    SchemaError
        Bad level/nuts_year, missing columns, non-numeric value, duplicated keys.

    Warns
    -----
    DataQualityWarning
        When rows with codes outside NUTS *nuts_year* are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"geo": ["HR0", "HR05"], "time": 2020, "value": [7.0, 9.0]})
    >>> broadcast_down(f, 2)[["geo", "value", "value_source"]]
        geo  value        value_source
    0  HR05    9.0            reported
    1  HR02    7.0  broadcast from HR0
    2  HR03    7.0  broadcast from HR0
    3  HR06    7.0  broadcast from HR0
    """
    check_frame(frame, geo, value, "broadcast_down")
    check_nuts_year(nuts_year)
    check_level(to_level)
    if to_level == 0:
        msg = "to_level=0: there is no level above countries to broadcast from"
        raise SchemaError(msg)
    if "value_source" in frame.columns:
        msg = "frame already has a 'value_source' column; was it broadcast already?"
        raise SchemaError(msg)
    work = frame.copy()
    work["_level"] = levels_of(work[geo], nuts_year)
    outside = outside_rows(work[geo], work["_level"])
    keys = key_columns(work, geo, value, ("_level",))
    inside = work["_level"].notna()
    usable = work[inside].drop(columns="_level")
    require_unique_key(usable, [*keys, geo], "broadcast_down")
    levels = work.loc[inside, "_level"].astype(int)

    pieces = _broadcast_copies(usable, levels, to_level, nuts_year, geo, value)
    out = pd.concat(pieces, ignore_index=True)
    categorical = isinstance(frame[geo].dtype, pd.CategoricalDtype)
    if categorical:
        out[geo] = out[geo].astype(str)
    out = out.sort_values("_rank", kind="stable")
    out = out.drop_duplicates([*keys, geo], keep="first").sort_index()
    out = out.drop(columns="_rank").reset_index(drop=True)
    if categorical:
        out[geo] = out[geo].astype("category")
    out = out[[*frame.columns, "value_source"]]
    out.attrs = dict(frame.attrs)
    if outside.any():
        warnings.warn(
            f"broadcast_down to NUTS {to_level}: {int(outside.sum())} rows left out, "
            f"codes not in NUTS {nuts_year} ({examples(work.loc[outside, geo])}; "
            "recode_nuts converts NUTS 2016 codes)",
            DataQualityWarning,
            stacklevel=2,
        )
    return out
