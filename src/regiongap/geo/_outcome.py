"""What :func:`~regiongap.geo.versions.recode_nuts` hands back, and what it says.

A region held twice after recoding (under an old and a new code) keeps one row
(:func:`drop_collisions`); the frame gets its dtypes and counts (:func:`finish`);
the rows not carried over are counted in one warning (:func:`recode_warning`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.geo._recode import CARRIED, CHANGES, LOST
from regiongap.geo._rules import shown

__all__ = ["drop_collisions", "finish", "recode_warning"]

_SHOWN = 8


def drop_collisions(
    out: pd.DataFrame, key: list[str], value: str | None
) -> tuple[pd.DataFrame, int, list[str]]:
    """Keep one row of a region held twice after recoding (an old and a new code).

    Rows are the same where *key* (the code included) is equal; only groups with a
    recoded or added row are looked at. The row with a value wins, then the least
    changed one (unchanged, recoded, merged).

    Parameters
    ----------
    out : pandas.DataFrame
        The recoded frame, with the :data:`~regiongap.geo._unions.ADDED` columns.
    key : list of str
        The columns that identify a row, the code column included.
    value : str or None
        The value column, if any.

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
    >>> kept, n, codes = drop_collisions(out, ["geo"], "value")
    >>> kept["value"].tolist(), n, codes
    ([1.0], 1, ['HR041'])
    """
    moved = out["nuts_change"].isin(CARRIED[1:])
    if not moved.any():
        return out, 0, []
    dup = out.duplicated(key, keep=False)
    if not (dup & moved).any():
        return out, 0, []
    missing = out[value].isna() if value is not None else False
    rank = out["nuts_change"].map({c: i for i, c in enumerate(CARRIED)}).fillna(0)
    ranked = out.assign(_m=np.asarray(missing, dtype=int), _r=rank)
    ranked = ranked.sort_values(["_m", "_r"], kind="stable")
    by = [out[k] for k in key]
    shared = moved.groupby(by, dropna=False, observed=True).transform("any")
    loser = ranked.index[ranked.duplicated(key, keep="first").to_numpy()]
    loser = loser[(dup & shared).loc[loser].to_numpy()]
    codes = sorted({shown(c) for c in out.loc[loser, "geo_original"]})
    return out.drop(index=loser), len(loser), codes


def _codes_of(out: pd.DataFrame, kind: str) -> str:
    found = sorted(
        {shown(c) for c in out.loc[out["nuts_change"] == kind, "geo_original"]}
    )
    more = f", … ({len(found)} codes)" if len(found) > _SHOWN else ""
    return ", ".join(found[:_SHOWN]) + more


def recode_warning(
    out: pd.DataFrame, summary: dict[str, int], dropped_codes: list[str], what: str
) -> str | None:
    """Return the warning about rows not carried over or dropped, or ``None``.

    Parameters
    ----------
    out : pandas.DataFrame
        The recoded frame.
    summary : dict
        Rows per ``nuts_change``, ``added_rows`` and ``dropped_duplicates``.
    dropped_codes : list of str
        Original codes of the dropped rows.
    what : str
        The recoding, e.g. ``"NUTS 2016 → 2021"``.

    Returns
    -------
    str or None
        The message, or ``None`` when every row was carried over.

    Examples
    --------
    >>> out = pd.DataFrame({"geo_original": ["HR04"], "nuts_change": ["split"]})
    >>> summary = {"unchanged": 0, "recoded": 0, "merged": 0, "split": 1,
    ...            "boundary_shift": 0, "discontinued": 0, "unknown": 0,
    ...            "added_rows": 0, "dropped_duplicates": 0}
    >>> recode_warning(out, summary, [], "NUTS 2016 → 2021")
    'recode_nuts NUTS 2016 → 2021: 0 rows unchanged, 0 recoded, 0 merged; 1 rows ...'
    """
    problems = [
        f"{summary[kind]} rows {kind} (values set to NaN: {_codes_of(out, kind)})"
        for kind in LOST
        if summary[kind]
    ]
    if summary["unknown"]:
        problems.append(
            f"{summary['unknown']} rows unknown (kept as they are: "
            f"{_codes_of(out, 'unknown')})"
        )
    if summary["dropped_duplicates"]:
        problems.append(
            f"{summary['dropped_duplicates']} rows dropped because the frame holds "
            "the same region under an old and a new code (kept the row with a "
            f"value, preferring the least changed; dropped rows of "
            f"{', '.join(dropped_codes[:_SHOWN])})"
        )
    if not problems:
        return None
    return (
        f"recode_nuts {what}: {summary['unchanged']} rows unchanged, "
        f"{summary['recoded']} recoded, {summary['merged']} merged; "
        + "; ".join(problems)
    )


def finish(
    out: pd.DataFrame, frame: pd.DataFrame, geo: str, counts: dict[str, int]
) -> pd.DataFrame:
    """Give the recoded frame its dtypes; add the rows per change to *counts*.

    Parameters
    ----------
    out : pandas.DataFrame
        The recoded frame.
    frame : pandas.DataFrame
        The input (a categorical *geo* stays categorical).
    geo : str
        The code column.
    counts : dict
        Updated in place with the number of rows per :data:`CHANGES`.

    Returns
    -------
    pandas.DataFrame
        *out*, ``nuts_change`` categorical, ``nuts_note`` string.

    Examples
    --------
    >>> out = pd.DataFrame({"geo": ["DE1"], "geo_original": ["DE1"],
    ...                     "nuts_change": ["unchanged"], "nuts_note": [""]})
    >>> counts = {}
    >>> finish(out, out, "geo", counts)["nuts_change"].cat.categories.tolist()
    ['unchanged', 'recoded', 'merged', 'split', 'boundary_shift', 'discontinued',
     'unknown']
    >>> counts["unchanged"], counts["split"]
    (1, 0)
    """
    if isinstance(frame[geo].dtype, pd.CategoricalDtype):
        out[geo] = out[geo].astype("category")
        out["geo_original"] = out["geo_original"].astype("category")
    else:
        out["geo_original"] = out["geo_original"].astype(object)
    out["nuts_change"] = pd.Categorical(out["nuts_change"], categories=CHANGES)
    out["nuts_note"] = out["nuts_note"].astype("string")
    tally = out["nuts_change"].value_counts().reindex(CHANGES, fill_value=0)
    counts.update({str(k): int(v) for k, v in tally.items()})
    return out
