"""The steps of :func:`regiongap.geo.versions.recode_nuts`, along the version chain.

Rows start in the version their code is read in (:func:`start_rows` names the rows
that cannot be recoded at all), then go through one :class:`~regiongap.geo._steps.Step`
after the other (:func:`recode_rows`): a code that keeps its land carries its value,
a region that is a union of source regions gets a new row
(:mod:`regiongap.geo._unions`), a code that loses its land keeps its old code with
its value set to NaN. What comes out is settled in :mod:`regiongap.geo._outcome`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._rules import (
    AGGREGATE,
    MISSING,
    NOT_REGIONALISED,
    is_missing,
    problem,
    unknown_reason,
)
from regiongap.geo._steps import Lost, Step, chain
from regiongap.geo._tables import code_set
from regiongap.geo._unions import ADDED, how_combined, union_rows
from regiongap.schema import NUTS_YEARS, check_nuts_year

__all__ = [
    "CARRIED",
    "CHANGES",
    "LOST",
    "check_recode_arguments",
    "recode_by_version",
    "recode_rows",
    "start_rows",
]

#: ``nuts_change`` values of rows whose value is carried over, least change first.
CARRIED: tuple[str, ...] = ("unchanged", "recoded", "merged")
#: ``nuts_change`` values of rows whose land no target region has.
LOST: tuple[str, ...] = ("split", "boundary_shift", "discontinued")
#: Every ``nuts_change`` value, as :data:`regiongap.geo.versions.NUTS_CHANGES`.
CHANGES: tuple[str, ...] = (*CARRIED, *LOST, "unknown")


def start_rows(
    codes: pd.Series,
    from_years: pd.Series,
    to_nuts_year: int,
    from_nuts_year: int | None = None,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return each row's starting version (0: not recodable), change and note.

    Parameters
    ----------
    codes : pandas.Series
        The code column (object dtype).
    from_years : pandas.Series
        The version each code is read in (0 where it is in none).
    to_nuts_year : int
        The target version.
    from_nuts_year : int, optional
        The version the caller said every code is in, if any.

    Returns
    -------
    tuple of pandas.Series
        The starting version (0 for missing, malformed, aggregate or unknown codes),
        ``nuts_change`` and ``nuts_note`` (same index as *codes*).

    Examples
    --------
    >>> codes = pd.Series(["EU27_2020", "FRXX", "DE1Z", "FR30"])
    >>> start, change, note = start_rows(codes, pd.Series([0, 0, 0, 2013]), 2021)
    >>> start.tolist(), change.tolist()
    ([0, 0, 0, 2013], ['unchanged', 'unchanged', 'unknown', 'unchanged'])
    """
    start = from_years.astype(int).copy()
    change = pd.Series("unchanged", index=codes.index, dtype=object)
    note = pd.Series("", index=codes.index, dtype=object)
    idle = start == 0
    if idle.any():
        found = {
            MISSING if is_missing(c) else c: _not_recodable(c, to_nuts_year,
                                                           from_nuts_year)
            for c in pd.unique(codes[idle])
        }  # fmt: skip
        keys = codes[idle].map(lambda c: MISSING if is_missing(c) else c)
        change[idle] = keys.map({k: v[0] for k, v in found.items()})
        note[idle] = keys.map({k: v[1] for k, v in found.items()})
    return start, change, note


def _not_recodable(
    code: object, to_nuts_year: int, from_nuts_year: int | None
) -> tuple[str, str]:
    if is_missing(code):
        return "unknown", "missing code"
    if isinstance(code, str) and AGGREGATE.fullmatch(code):
        return "unchanged", "aggregate of countries (same in every version)"
    why = problem(code)
    if why is not None:
        return "unknown", f"malformed: {why}"
    assert isinstance(code, str)  # narrowed by problem()
    if NOT_REGIONALISED.fullmatch(code):
        return "unchanged", "Eurostat's 'not regionalised' code (in no version)"
    if code in code_set(to_nuts_year):
        return "unchanged", f"already a NUTS {to_nuts_year} code"
    versions = [y for y in NUTS_YEARS if code in code_set(y)]
    if versions and from_nuts_year is not None:
        return "unknown", (
            f"a code of NUTS {', '.join(map(str, versions))}, not of NUTS "
            f"{from_nuts_year}: kept as it is (from_nuts_year=None reads each code "
            "in its own version)"
        )
    return "unknown", f"{unknown_reason(code)}; kept as it is"


def _lost_note(code: str, lost: Lost, to_nuts_year: int, *, has_value: bool) -> str:
    codes = ", ".join(lost.successors)
    if lost.change == "boundary_shift":
        text = f"boundary shift in NUTS {to_nuts_year}: now {codes}"
    elif lost.change == "split":
        text = f"split in NUTS {to_nuts_year} into {codes}"
    else:
        text = f"{code} is no region of NUTS {to_nuts_year}"
        text += f" (its land lies within {codes})" if codes else ""
    return text + ("; value set to NaN" if has_value else "")


def _kept_note(code: str, target: str, change: str, to_nuts_year: int) -> str:
    if change == "recoded":
        return f"recoded {code} → {target} in NUTS {to_nuts_year}"
    if change == "renamed":
        return f"renamed in NUTS {to_nuts_year}"
    if change == "minor_shift":
        return (
            f"boundary shift below 1 % of the population in NUTS {to_nuts_year} "
            "(art. 5(2a) of Regulation 1059/2003, no NUTS amendment): value kept"
        )
    return ""


def _apply_step(
    rows: pd.DataFrame, one: Step, geo: str, *, has_value: bool
) -> tuple[pd.DataFrame, pd.Series]:
    """Move the carried rows of *rows* one step; return them and the lost mask."""
    active = rows["nuts_change"].isin(CARRIED)
    moves: dict[str, tuple[str, str, str]] = {}
    for code in pd.unique(rows.loc[active, geo]):
        moved = one.follow(code)
        if isinstance(moved, Lost):
            note = _lost_note(code, moved, one.to_nuts_year, has_value=has_value)
            moves[code] = (code, moved.change, note)
        elif moved is None:  # pragma: no cover - codes are of the step's version
            moves[code] = (code, "unknown", f"not a NUTS {one.from_nuts_year} code")
        else:
            target, change = moved
            note = _kept_note(code, target, change, one.to_nuts_year)
            moves[code] = (target, "recoded" if change == "recoded" else "", note)
    current = rows.loc[active, geo]
    new_geo = current.map({c: m[0] for c, m in moves.items()})
    change_now = current.map({c: m[1] for c, m in moves.items()})
    note_now = current.map({c: m[2] for c, m in moves.items()})
    rows.loc[active, geo] = new_geo
    old = rows.loc[active, "nuts_change"]
    worse = change_now.map({"": -1, "recoded": 1}).fillna(9) > old.map(
        {c: i for i, c in enumerate(CARRIED)}
    )
    rows.loc[active, "nuts_change"] = old.where(~worse, change_now)
    before = rows.loc[active, "nuts_note"]
    rows.loc[active, "nuts_note"] = np.where(
        note_now == "",
        before,
        np.where(before == "", note_now, before + "; " + note_now),
    )
    lost = pd.Series(False, index=rows.index)
    lost[active] = change_now.isin(LOST).to_numpy()
    return rows, lost


def recode_rows(
    rows: pd.DataFrame,
    from_nuts_year: int,
    to_nuts_year: int,
    spec: tuple[str, str | None, str | None],
    *,
    additive: bool,
    first_new: int = 0,
) -> tuple[pd.DataFrame, int]:
    """Recode rows read in one version along the chain to *to_nuts_year*.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows with the :data:`~regiongap.geo._unions.ADDED` columns, all read in
        *from_nuts_year*.
    from_nuts_year, to_nuts_year : int
        The versions.
    spec : tuple
        ``(geo, value, weights)`` columns (``None`` where the frame has none).
    additive : bool
        Whether the value may be summed into unions.
    first_new : int
        The smallest index label of an added row.

    Returns
    -------
    tuple
        The recoded rows (the input's index, then new rows for unions, labelled
        from *first_new* on) and how many rows were added.

    Examples
    --------
    >>> rows = pd.DataFrame({"geo": ["FR1", "FR26", "FR43"],
    ...                      "value": [12.0, 1.6, 1.2],
    ...                      "geo_original": ["FR1", "FR26", "FR43"],
    ...                      "nuts_change": "unchanged", "nuts_note": ""})
    >>> out, added = recode_rows(rows, 2013, 2016, ("geo", "value", None),
    ...                          additive=True)
    >>> out[["geo", "value", "nuts_change"]], added
    (    geo  value nuts_change
    0   FR1   12.0   unchanged
    1  FRC1    1.6     recoded
    2  FRC2    1.2     recoded
    3   FRC    2.8      merged, 1)
    """
    geo, value, weights = spec
    has_value = value is not None
    levels = {len(c) - 2 for c in pd.unique(rows[geo]) if isinstance(c, str)}
    how = (additive, weights)
    added: list[int] = []
    for one in chain(from_nuts_year, to_nuts_year):
        active = rows[rows["nuts_change"].isin(CARRIED)]
        new = union_rows(active, one.unions, levels, spec, additive=additive)
        rows, lost = _apply_step(rows, one, geo, has_value=has_value)
        if has_value and lost.any():
            rows.loc[lost, str(value)] = np.nan
        if len(new):
            new["nuts_note"] = _union_notes(new, geo, one.from_nuts_year, how)
            new.index = pd.RangeIndex(len(new)) + max(first_new, _next_index(rows))
            rows = pd.concat([rows, new])
            added += new.index.tolist()
    # an added row whose land a later version splits again carries nothing
    status = rows.loc[added, "nuts_change"]
    gone = status.index[status.isin(LOST).to_numpy()]
    return rows.drop(index=gone), len(added) - len(gone)


def _union_notes(
    new: pd.DataFrame, geo: str, from_nuts_year: int, how: tuple[bool, str | None]
) -> list[str]:
    """Return the ``nuts_note`` of each added row: its parts and how they combine."""
    additive, weights = how
    notes = []
    for target, parts in zip(new[geo], new["geo_original"], strict=True):
        words = how_combined(parts.count("+") + 1, additive=additive, weights=weights)
        joined = parts.replace("+", " + ")
        notes.append(f"{target} = {joined} (NUTS {from_nuts_year}): {words}")
    return notes


def _next_index(rows: pd.DataFrame) -> int:
    index = rows.index
    return int(index.max()) + 1 if len(index) and index.dtype.kind in "iu" else 0


def check_recode_arguments(
    frame: object,
    versions: tuple[int, int | None],
    geo: str,
    weights: str | None,
    *,
    additive: bool,
) -> pd.DataFrame:
    """Return *frame* if :func:`~regiongap.geo.versions.recode_nuts` can take it.

    Parameters
    ----------
    frame : object
        What the caller passed.
    versions : tuple
        ``(to_nuts_year, from_nuts_year)``; the second may be ``None``.
    geo : str
        The code column.
    weights : str or None
        The weights column.
    additive : bool
        Whether the values may be summed.

    Returns
    -------
    pandas.DataFrame
        *frame*.

    Raises
    ------
    SchemaError
        Naming what is wrong.

    Examples
    --------
    >>> check_recode_arguments(pd.DataFrame({"geo": ["DE1"]}), (2019, None), "geo",
    ...                        None, additive=False)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: nuts_year=2019 is not a NUTS version; use ...
    """
    check_nuts_year(versions[0])
    if versions[1] is not None:
        check_nuts_year(versions[1])
    if not isinstance(frame, pd.DataFrame):
        msg = f"recode_nuts needs a pandas DataFrame, got {type(frame).__name__}"
        raise SchemaError(msg)
    if geo not in frame.columns:
        msg = f"frame has no column {geo!r} (columns: {list(frame.columns)})"
        raise SchemaError(msg)
    clash = [c for c in ADDED if c in frame.columns]
    if clash:
        msg = f"frame already has column(s) {clash}; was it recoded already?"
        raise SchemaError(msg)
    if weights is not None and additive:
        msg = "give additive=True (sum the parts) or weights= (average them), not both"
        raise SchemaError(msg)
    if weights is not None and (
        weights not in frame.columns
        or not pd.api.types.is_numeric_dtype(frame[weights])
    ):
        msg = f"weights={weights!r} is not a numeric column of the frame"
        raise SchemaError(msg)
    return frame


def recode_by_version(
    work: pd.DataFrame,
    start: pd.Series,
    to_nuts_year: int,
    spec: tuple[str, str | None, str | None],
    *,
    additive: bool,
) -> tuple[pd.DataFrame, int]:
    """Recode the rows of each starting version along its own chain.

    Parameters
    ----------
    work : pandas.DataFrame
        The frame (RangeIndex) with the :data:`~regiongap.geo._unions.ADDED`
        columns.
    start : pandas.Series
        The version each row is read in (0: not recodable, passed through).
    to_nuts_year : int
        The target version.
    spec : tuple
        ``(geo, value, weights)`` columns.
    additive : bool
        Whether the values may be summed.

    Returns
    -------
    tuple
        The rows in input order then the added rows (fresh index), and how many
        rows were added.

    Examples
    --------
    >>> work = pd.DataFrame({"geo": ["FR30", "FRE1"], "value": [1.0, 2.0],
    ...                      "geo_original": ["FR30", "FRE1"],
    ...                      "nuts_change": "unchanged", "nuts_note": ""})
    >>> out, added = recode_by_version(work, pd.Series([2013, 2016]), 2016,
    ...                                ("geo", "value", None), additive=False)
    >>> out["geo"].tolist(), out["nuts_change"].tolist()
    (['FRE1', 'FRE1'], ['recoded', 'unchanged'])
    """
    n = len(work)
    originals, extra, added = [work[start == 0]], [], 0
    for year in sorted(set(start.tolist()) - {0}):
        rows, count = recode_rows(
            work[start == year],
            int(year),
            to_nuts_year,
            spec,
            additive=additive,
            first_new=n,
        )
        originals.append(rows[rows.index < n])
        extra.append(rows[rows.index >= n])
        added += count
    out = pd.concat(originals).sort_index()
    return pd.concat([out, *extra], ignore_index=True), added
