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
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import (
    _EXTRA_REGIO,
    _PREFIX_EXCEPTIONS,
    _code_set,
    _codes_table,
    check_level,
    check_year,
    is_aggregate,
)
from regiongap.schema import format_rows, require_columns

__all__ = ["aggregate_up", "broadcast_down"]

_HOW = ("sum", "mean")
_INCOMPLETE = ("nan", "keep", "drop")
_ADDED_UP = ("n_children", "n_expected", "complete", "value_source")
_SHOWN = 8


def _levels_of(codes: pd.Series, year: int) -> pd.Series:
    """NUTS level of each code that is a region of NUTS *year*, else <NA>."""
    valid = _code_set(year)
    as_text = codes.astype(object)
    level = as_text.map(
        lambda c: len(c) - 2 if isinstance(c, str) and c in valid else None
    )
    return level.astype("Int64")


def _outside(codes: pd.Series, levels: pd.Series) -> pd.Series:
    """Rows whose code is not a region of the version (aggregates don't count)."""
    aggregate = codes.astype(object).map(
        lambda c: isinstance(c, str) and is_aggregate(c)
    )
    return levels.isna() & ~aggregate.astype(bool)


def _parent_at(codes: pd.Series, level: int) -> pd.Series:
    prefix = codes.astype(str).str[: 2 + level]
    return prefix.replace(_PREFIX_EXCEPTIONS)


def _keys(frame: pd.DataFrame, geo: str, value: str, extra: Sequence[str]) -> list[str]:
    skip = {geo, value, "flag", *extra}
    return [c for c in frame.columns if c not in skip]


def _check_frame(frame: object, geo: str, value: str, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} needs a pandas DataFrame, got {type(frame).__name__}"
        raise SchemaError(msg)
    require_columns(frame, [geo, value], what=f"{what} frame")
    if not pd.api.types.is_numeric_dtype(frame[value]):
        msg = (
            f"{what}: column {value!r} must be numeric, got dtype {frame[value].dtype}"
        )
        raise SchemaError(msg)
    return frame


def _unique_or_raise(frame: pd.DataFrame, key: list[str], what: str) -> None:
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        msg = (
            f"{what}: {int(dup.sum())} rows share the key {key}; give one value per "
            f"region and key (filter the other dimensions first):\n"
            f"{format_rows(frame.loc[dup].sort_values(key))}"
        )
        raise SchemaError(msg)


def _merged_flags(rows: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Return, per group, the sorted union of the flag letters of *rows* (vectorised).

    One boolean column per distinct letter (Eurostat uses a handful), ``any`` per
    group, then the letters glued back in alphabetical order: ``p`` + ``e`` → ``ep``.
    """
    flagged = rows[rows["flag"].notna()]
    keys = rows[group].drop_duplicates()
    if flagged.empty:
        return keys.assign(flag=pd.NA)
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


def _expected_children(year: int, from_level: int, to_level: int) -> pd.Series:
    """Count the *from_level* children of every *to_level* region (no extra-regio)."""
    table = _codes_table(year)
    kids = table[(table["level"] == from_level)]
    parents = _parent_at(kids["geo"], to_level)
    regular = ~kids["extra_regio"].to_numpy()
    counts = parents[regular].value_counts()
    # an extra-regio parent (FRZZ) expects its extra-regio children (FRZZZ)
    extra = parents[~regular]
    extra = extra[extra.map(lambda p: bool(_EXTRA_REGIO.fullmatch(p)))]
    return pd.concat([counts, extra.value_counts()]).groupby(level=0).sum()


def aggregate_up(
    frame: pd.DataFrame,
    to_level: int,
    how: Literal["sum", "mean"] = "sum",
    weights: pd.DataFrame | Literal["equal"] | None = None,
    *,
    from_level: int | None = None,
    year: int = 2021,
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
    NUTS *year*.

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
        level present among the frame's NUTS *year* codes.
    year : {2016, 2021}
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

    Warns
    -----
    DataQualityWarning
        When rows are left out (codes not in NUTS *year*) or aggregates are
        incomplete, with counts and examples.

    Raises
    ------
    SchemaError
        Bad level/year/how/incomplete, missing columns, a non-numeric value,
        duplicated keys, weights missing or misplaced, negative weights.

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
    _check_frame(frame, geo, value, "aggregate_up")
    check_year(year)
    check_level(to_level)
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

    work = frame.copy()
    work["_level"] = _levels_of(work[geo], year)
    outside = _outside(work[geo], work["_level"])
    present = sorted(int(x) for x in work["_level"].dropna().unique())
    if from_level is None:
        if not present:
            msg = (
                f"aggregate_up: no code of the frame is a NUTS {year} region "
                f"(first codes: {list(pd.unique(work[geo].astype(object)))[:5]})"
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

    problems: list[str] = []
    if outside.any():
        left_out = sorted({str(c) for c in work.loc[outside, geo]})
        problems.append(
            f"{int(outside.sum())} rows left out: codes not in NUTS {year} "
            f"({', '.join(left_out[:_SHOWN])}{' …' if len(left_out) > _SHOWN else ''};"
            " recode_nuts converts NUTS 2016 codes)"
        )
    kids = work[work["_level"] == from_level].drop(columns="_level")
    if kids.empty:
        msg = (
            f"aggregate_up: the frame has no NUTS {from_level} rows of NUTS {year} "
            f"(levels present: {present})"
        )
        raise SchemaError(msg)
    keys = _keys(kids, geo, value, ())
    _unique_or_raise(kids, [*keys, geo], "aggregate_up")

    kids = kids.assign(_geo=kids[geo].astype(str))
    kids["_parent"] = _parent_at(kids["_geo"], to_level)
    kids["_x"] = kids[value].astype(float)
    if how == "mean":
        if isinstance(weights, pd.DataFrame):
            kids["_w"] = _join_weights(kids, weights, keys, geo, weight_value)
        else:
            kids["_w"] = 1.0
    else:
        kids["_w"] = 1.0
    usable = kids["_x"].notna() & kids["_w"].notna()
    kids["_usable"] = usable
    kids["_wx"] = np.where(usable, kids["_w"] * kids["_x"], 0.0)
    kids["_wu"] = np.where(usable, kids["_w"], 0.0)
    kids["_regular"] = ~kids["_geo"].map(lambda c: bool(_EXTRA_REGIO.fullmatch(c)))
    kids["_usable_regular"] = usable & (
        kids["_regular"]
        | kids["_parent"].map(lambda p: bool(_EXTRA_REGIO.fullmatch(p)))
    )

    group = [*keys, "_parent"]
    grouped = kids.groupby(group, observed=True, sort=False, dropna=False)
    out = grouped.agg(
        _wx=("_wx", "sum"),
        _wu=("_wu", "sum"),
        n_children=("_usable_regular", "sum"),
        _any=("_usable", "sum"),
    ).reset_index()
    if "flag" in kids.columns:
        flags = _merged_flags(kids[kids["_usable"]], group)
        out = out.merge(flags, on=group, how="left", validate="1:1")
        out["flag"] = out["flag"].astype("string")

    if how == "sum":
        agg_value = out["_wx"]
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            agg_value = out["_wx"] / out["_wu"]
    out[value] = np.where(out["_any"] > 0, agg_value, np.nan)
    expected = _expected_children(year, from_level, to_level)
    out["n_expected"] = out["_parent"].map(expected).fillna(0).astype("int64")
    out["n_children"] = out["n_children"].astype("int64")
    out["complete"] = out["n_children"] >= out["n_expected"]
    label = (
        "sum"
        if how == "sum"
        else (
            "weighted mean" if isinstance(weights, pd.DataFrame) else "unweighted mean"
        )
    )
    out["value_source"] = (
        f"{label} of "
        + out["n_children"].astype(str)
        + "/"
        + out["n_expected"].astype(str)
        + f" NUTS {from_level} regions"
    )
    short = ~out["complete"]
    if short.any():
        examples = ", ".join(
            f"{p} {n}/{e}"
            for p, n, e in out.loc[short, ["_parent", "n_children", "n_expected"]]
            .drop_duplicates("_parent")
            .head(_SHOWN)
            .itertuples(index=False)
        )
        action = {"nan": "value set to NaN", "keep": "partial value kept",
                  "drop": "rows dropped"}[incomplete]  # fmt: skip
        problems.append(
            f"{int(short.sum())} aggregates incomplete ({action}): {examples}"
        )
        if incomplete == "nan":
            out.loc[short, value] = np.nan
        elif incomplete == "drop":
            out = out[~short]

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
    _unique_or_raise(w, on, "weights")
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


def broadcast_down(
    frame: pd.DataFrame,
    to_level: int = 2,
    year: int = 2021,
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
    year : {2016, 2021}
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

    Warns
    -----
    DataQualityWarning
        When rows with codes outside NUTS *year* are left out.

    Raises
    ------
    SchemaError
        Bad level/year, missing columns, non-numeric value, duplicated keys.

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
    _check_frame(frame, geo, value, "broadcast_down")
    check_year(year)
    check_level(to_level)
    if to_level == 0:
        msg = "to_level=0: there is no level above countries to broadcast from"
        raise SchemaError(msg)
    if "value_source" in frame.columns:
        msg = "frame already has a 'value_source' column; was it broadcast already?"
        raise SchemaError(msg)
    work = frame.copy()
    work["_level"] = _levels_of(work[geo], year)
    outside = _outside(work[geo], work["_level"])
    keys = _keys(work, geo, value, ("_level",))
    inside = work["_level"].notna()
    usable = work[inside].drop(columns="_level")
    _unique_or_raise(usable, [*keys, geo], "broadcast_down")
    levels = work.loc[inside, "_level"].astype(int)

    pieces = []
    native = usable[levels == to_level].copy()
    native["value_source"] = "reported"
    native["_rank"] = np.where(native[value].notna(), 0, 99)
    pieces.append(native)
    table = _codes_table(year)
    targets = table[(table["level"] == to_level) & ~table["extra_regio"]]["geo"]
    for level in range(to_level - 1, -1, -1):
        above = usable[levels == level]
        if above.empty:
            continue
        children = pd.DataFrame(
            {
                "_parent": _parent_at(targets, level).to_numpy(),
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
    out = pd.concat(pieces, ignore_index=True)
    if isinstance(frame[geo].dtype, pd.CategoricalDtype):
        out[geo] = out[geo].astype(str)
    out = out.sort_values("_rank", kind="stable")
    out = out.drop_duplicates([*keys, geo], keep="first").sort_index()
    out = out.drop(columns="_rank").reset_index(drop=True)
    if isinstance(frame[geo].dtype, pd.CategoricalDtype):
        out[geo] = out[geo].astype("category")
    out = out[[*frame.columns, "value_source"]]
    out.attrs = dict(frame.attrs)
    if outside.any():
        left_out = sorted({str(c) for c in work.loc[outside, geo]})
        warnings.warn(
            f"broadcast_down to NUTS {to_level}: {int(outside.sum())} rows left out, "
            f"codes not in NUTS {year} ({', '.join(left_out[:_SHOWN])}"
            f"{' …' if len(left_out) > _SHOWN else ''}; recode_nuts converts NUTS "
            "2016 codes)",
            DataQualityWarning,
            stacklevel=2,
        )
    return out
