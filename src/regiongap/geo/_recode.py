"""The steps of :func:`regiongap.geo.versions.recode_nuts`, NUTS 2016 → 2021.

One code at a time through Eurostat's change table (:func:`recode_code`), a whole
code column at once (:func:`recode_column`), the rows a mixed frame holds twice
(:func:`drop_collisions`) and the warning that counts what could not be recoded
(:func:`recode_warning`).
"""

from __future__ import annotations

import functools

import pandas as pd

from regiongap.geo._rules import (
    AGGREGATE,
    MISSING,
    is_missing,
    problem,
    shown,
    unknown_reason,
)
from regiongap.geo._tables import change_table, code_set

__all__ = [
    "ADDED",
    "drop_collisions",
    "recode_code",
    "recode_column",
    "recode_warning",
]

#: The columns :func:`recode_nuts` adds.
ADDED: tuple[str, ...] = ("geo_original", "nuts_change", "nuts_note")

_SHOWN = 8


@functools.cache
def _changes_by_2016_code() -> dict[str, tuple[int, str | None, str]]:
    table = change_table()
    out: dict[str, tuple[int, str | None, str]] = {}
    for code_2016, code_2021, change_code, change, remark in zip(
        table["code_2016"].tolist(),
        table["code_2021"].tolist(),
        table["change_code"].tolist(),
        table["change"].tolist(),
        table["remark"].tolist(),
        strict=True,
    ):
        if not isinstance(code_2016, str):
            continue  # "new" rows: a NUTS 2021 code with no 2016 predecessor
        target = code_2021 if isinstance(code_2021, str) else None
        why = remark if isinstance(remark, str) else change
        out[code_2016] = (int(change_code), target, str(why))
    return out


def _by_change(
    code: str, change: tuple[int, str | None, str], to_nuts_year: int
) -> tuple[object, str, str]:
    kind, target, remark = change
    if kind == 1:  # renamed: same code, same territory
        return code, "unchanged", f"renamed in NUTS {to_nuts_year}"
    if kind == 2:
        return target, "recoded", f"recoded {code} → {target} ({remark})"
    where = f" → {target}" if target else ""
    return (
        code,
        "boundary_changed",
        f"{remark}{where}; value not comparable with NUTS {to_nuts_year}, set to NaN",
    )


def recode_code(
    code: object, from_nuts_year: int, to_nuts_year: int
) -> tuple[object, str, str]:
    """Return ``(new geo, nuts_change, nuts_note)`` for one code, 2016 → 2021.

    Parameters
    ----------
    code : object
        A value of the code column.
    from_nuts_year, to_nuts_year : int
        2016 and 2021 (checked by the caller).

    Returns
    -------
    tuple
        The code in the target version (or as it came), one of
        :data:`regiongap.geo.versions.NUTS_CHANGES`, and why.

    Examples
    --------
    >>> recode_code("HR041", 2016, 2021)
    ('HR050', 'recoded', 'recoded HR041 → HR050 (recoded (reassignment))')
    >>> recode_code("DE11", 2016, 2021)
    ('DE11', 'unchanged', '')
    """
    if is_missing(code):
        return code, "unknown", "missing code"
    if isinstance(code, str) and AGGREGATE.fullmatch(code):
        return code, "unchanged", "aggregate of countries (same in every version)"
    why = problem(code)
    if why is not None:
        return code, "unknown", f"malformed: {why}"
    assert isinstance(code, str)  # narrowed by problem()
    change = _changes_by_2016_code().get(code)
    if change is not None:
        return _by_change(code, change, to_nuts_year)
    in_from, in_to = code in code_set(from_nuts_year), code in code_set(to_nuts_year)
    if in_to:
        if in_from:
            return code, "unchanged", ""
        return code, "unchanged", f"already a NUTS {to_nuts_year} code"
    if in_from:  # pragma: no cover - every vanished code has a change row
        return code, "unknown", f"NUTS {from_nuts_year} code with no change record"
    return code, "unknown", f"{unknown_reason(code)}; kept as it is"


def recode_column(
    codes: pd.Series, from_nuts_year: int, to_nuts_year: int
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Recode a code column: each distinct code is looked up once.

    Parameters
    ----------
    codes : pandas.Series
        The code column (object dtype).
    from_nuts_year, to_nuts_year : int
        2016 and 2021 (checked by the caller).

    Returns
    -------
    tuple of pandas.Series
        The new codes, ``nuts_change`` and ``nuts_note`` (object dtype, same
        index as *codes*).

    Examples
    --------
    >>> geo, change, note = recode_column(pd.Series(["HR041", "DE11"]), 2016, 2021)
    >>> geo.tolist(), change.tolist()
    (['HR050', 'DE11'], ['recoded', 'unchanged'])
    """
    mapping = {
        (MISSING if is_missing(c) else c): recode_code(c, from_nuts_year, to_nuts_year)
        for c in pd.unique(codes)
    }

    def pick(i: int) -> pd.Series:
        return codes.map(lambda c: mapping[MISSING if is_missing(c) else c][i]).astype(
            object
        )

    return pick(0), pick(1), pick(2)


def drop_collisions(
    out: pd.DataFrame, value: str | None, *, has_value: bool
) -> tuple[pd.DataFrame, int, list[str]]:
    """Drop recoded rows that duplicate a row already in the target version.

    Rows are the same where every column but the value, ``flag`` and the added
    columns is equal. The row with a value wins, then the target-version row.

    Parameters
    ----------
    out : pandas.DataFrame
        The recoded frame, with the :data:`ADDED` columns.
    value : str or None
        The value column's name.
    has_value : bool
        Whether *out* has the value column.

    Returns
    -------
    tuple
        The frame without the dropped rows, how many were dropped, and their
        original codes (sorted, distinct).

    Examples
    --------
    >>> out = pd.DataFrame({"geo": ["HR050", "HR050"], "value": [1.0, 2.0],
    ...                     "geo_original": ["HR050", "HR041"],
    ...                     "nuts_change": ["unchanged", "recoded"],
    ...                     "nuts_note": ["", ""]})
    >>> kept, n, codes = drop_collisions(out, "value", has_value=True)
    >>> kept["value"].tolist(), n, codes
    ([1.0], 1, ['HR041'])
    """
    key = [c for c in out.columns if c not in {*ADDED, value, "flag"}]
    recoded = out["nuts_change"] == "recoded"
    if not recoded.any():
        return out, 0, []
    dup = out.duplicated(key, keep=False)
    if not (dup & recoded).any():
        return out, 0, []
    missing_value = (
        out[value].isna() if has_value else pd.Series(False, index=out.index)
    )
    ranked = out.assign(_m=missing_value.astype(int), _r=recoded.astype(int))
    ranked = ranked.sort_values(["_m", "_r"], kind="stable")
    keep = ~ranked.duplicated(key, keep="first")
    loser = ranked.index[~keep.to_numpy()]
    loser = loser[dup.loc[loser].to_numpy()]
    dropped_codes = sorted({shown(c) for c in out.loc[loser, "geo_original"]})
    return out.drop(index=loser), len(loser), dropped_codes


def _codes_of(out: pd.DataFrame, kind: str) -> str:
    found = sorted(
        {shown(c) for c in out.loc[out["nuts_change"] == kind, "geo_original"]}
    )
    more = f", … ({len(found)} codes)" if len(found) > _SHOWN else ""
    return ", ".join(found[:_SHOWN]) + more


def recode_warning(
    out: pd.DataFrame,
    summary: dict[str, int],
    dropped_codes: list[str],
    from_nuts_year: int,
    to_nuts_year: int,
) -> str | None:
    """Return the warning about rows not recoded or dropped, or ``None``.

    Parameters
    ----------
    out : pandas.DataFrame
        The recoded frame.
    summary : dict
        Rows per ``nuts_change`` and ``dropped_duplicates``.
    dropped_codes : list of str
        Original codes of the dropped rows.
    from_nuts_year, to_nuts_year : int
        The versions.

    Returns
    -------
    str or None
        The message, or ``None`` when every row was unchanged or recoded.

    Examples
    --------
    >>> out = pd.DataFrame({"geo_original": ["HR04"], "nuts_change": ["unknown"]})
    >>> summary = {"unchanged": 0, "recoded": 0, "boundary_changed": 0,
    ...            "unknown": 1, "dropped_duplicates": 0}
    >>> recode_warning(out, summary, [], 2016, 2021)
    'recode_nuts NUTS 2016 → 2021: 0 rows unchanged, 0 recoded; 1 rows unknown ...'
    """
    problems = []
    if summary["boundary_changed"]:
        problems.append(
            f"{summary['boundary_changed']} rows boundary_changed (values set to NaN: "
            f"{_codes_of(out, 'boundary_changed')})"
        )
    if summary["unknown"]:
        problems.append(
            f"{summary['unknown']} rows unknown (kept as they are: "
            f"{_codes_of(out, 'unknown')})"
        )
    dropped = summary["dropped_duplicates"]
    if dropped:
        problems.append(
            f"{dropped} rows dropped because the frame holds the same region under "
            f"its NUTS {from_nuts_year} and {to_nuts_year} codes (kept the row with "
            f"a value, preferring the NUTS {to_nuts_year} one; dropped rows of "
            f"{', '.join(dropped_codes[:_SHOWN])})"
        )
    if not problems:
        return None
    return (
        f"recode_nuts NUTS {from_nuts_year} → {to_nuts_year}: "
        f"{summary['unchanged']} rows unchanged, {summary['recoded']} recoded; "
        + "; ".join(problems)
    )
