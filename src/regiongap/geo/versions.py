"""NUTS versions: validate codes, tell 2016 from 2021, recode 2016 → 2021.

Eurostat publishes regional tables that mix NUTS versions (a 2025 population file
holds NUTS 2024 codes beside NUTS 2016 ones kept for history). These functions say
which code belongs where and convert NUTS 2016 codes with the official change table
(``data/nuts/nuts_changes_2016_2021.csv``, from Eurostat's NUTS 2021 workbook).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo._recode import (
    ADDED,
    drop_collisions,
    recode_column,
    recode_warning,
)
from regiongap.geo._rules import MISSING, is_missing, problem, unknown_reason
from regiongap.geo._tables import code_set
from regiongap.geo.codes import is_aggregate
from regiongap.schema import NUTS_YEARS, check_nuts_year

__all__ = [
    "NUTS_CHANGES",
    "NutsVersion",
    "nuts_version",
    "recode_nuts",
    "validate_nuts",
]

#: Values of the ``nuts_change`` column written by :func:`recode_nuts`.
NUTS_CHANGES: tuple[str, ...] = ("unchanged", "recoded", "boundary_changed", "unknown")


def _as_list(codes: object) -> list[object]:
    if isinstance(codes, str) or codes is None:
        msg = (
            f"codes must be a list, Series or other iterable of codes, got "
            f"{codes!r}; wrap a single code in a list"
        )
        raise SchemaError(msg)
    if isinstance(codes, pd.DataFrame):
        msg = "codes must be one column (a Series), not a DataFrame; pass frame['geo']"
        raise SchemaError(msg)
    if not isinstance(codes, Iterable):
        msg = f"codes must be iterable, got {type(codes).__name__}"
        raise SchemaError(msg)
    return list(codes)


def _describe(code: object, nuts_year: int) -> tuple[bool, int | None, str | None, str]:
    """Return (valid, level, country, reason) of one code against NUTS *nuts_year*."""
    if is_missing(code):
        return False, None, None, "missing code"
    if isinstance(code, str) and is_aggregate(code):
        return False, None, None, "aggregate of countries, not a NUTS region"
    why = problem(code)
    if why is not None:
        return False, None, None, f"malformed: {why}"
    assert isinstance(code, str)  # narrowed by problem()
    level, country = len(code) - 2, code[:2]
    if code in code_set(nuts_year):
        return True, level, country, ""
    others = [y for y in NUTS_YEARS if y != nuts_year and code in code_set(y)]
    if others:
        hint = " (recode_nuts converts it)" if others[0] < nuts_year else ""
        return (
            False,
            level,
            country,
            f"not in NUTS {nuts_year}; a NUTS {others[0]} code{hint}",
        )
    return False, level, country, unknown_reason(code)


def validate_nuts(codes: Iterable[object], nuts_year: int = 2021) -> pd.DataFrame:
    """Check each code against the official list of NUTS *nuts_year*.

    Parameters
    ----------
    codes : iterable of str
        Codes as found in data (a list, a Series, a frame's ``geo`` column).
        Nothing is normalised: ``"de11 "`` is reported, not fixed.
    nuts_year : {2016, 2021}
        NUTS version to check against.

    Returns
    -------
    pandas.DataFrame
        One row per input code, in input order: ``code``, ``valid`` (bool),
        ``level`` (Int64, where the code is well formed), ``country`` (string,
        idem) and ``reason`` (empty when valid; otherwise e.g. "not in NUTS 2021;
        a NUTS 2016 code (recode_nuts converts it)", "aggregate of countries…",
        "malformed: …", "missing code"). Extra-regio codes of the version are valid.

    Raises
    ------
    SchemaError
        If *codes* is a single string or not iterable, or *nuts_year* is unknown.

    Examples
    --------
    >>> validate_nuts(["DE11", "HR04", "XX99"])[["code", "valid"]]
       code  valid
    0  DE11   True
    1  HR04  False
    2  XX99  False
    >>> validate_nuts(["HR04"]).loc[0, "reason"]
    'not in NUTS 2021; a NUTS 2016 code (recode_nuts converts it)'
    """
    check_nuts_year(nuts_year)
    items = _as_list(codes)
    unique: dict[object, tuple[bool, int | None, str | None, str]] = {}
    rows = []
    for code in items:
        key = MISSING if is_missing(code) else code
        if key not in unique:
            unique[key] = _describe(code, nuts_year)
        rows.append((code, *unique[key]))
    out = pd.DataFrame(rows, columns=["code", "valid", "level", "country", "reason"])
    # the codes exactly as given (None stays None, not NaN)
    out["code"] = pd.Series(items, dtype=object)
    out["valid"] = out["valid"].astype(bool)
    out["level"] = out["level"].astype("Int64")
    out["country"] = out["country"].astype("string")
    out["reason"] = out["reason"].astype("string")
    return out


@dataclass(frozen=True)
class NutsVersion:
    """Which NUTS version a list of codes is mostly in (see :func:`nuts_version`).

    Attributes
    ----------
    nuts_year : int or None
        The version with most codes only it has (ties broken by most codes valid
        overall, then the later version); ``None`` when no code is a NUTS code.
    counts : pandas.DataFrame
        Indexed by ``nuts_year``: ``valid`` (distinct codes in that version),
        ``exclusive`` (distinct codes in that version only), ``share``
        (``valid`` / distinct well-formed region codes).
    n_codes : int
        Distinct codes looked at (aggregates and missing values excluded).
    unknown : tuple of str
        Distinct codes in no version regiongap knows (e.g. NUTS 2024 ``DEG0Q``).
    mixed : bool
        ``True`` when codes exclusive to more than one version are present.
    """

    nuts_year: int | None
    counts: pd.DataFrame = field(repr=False)
    n_codes: int
    unknown: tuple[str, ...]
    mixed: bool

    def __str__(self) -> str:
        parts = [
            f"NUTS {y}: {int(r.valid)} valid ({int(r.exclusive)} only there)"
            for y, r in self.counts.iterrows()
        ]
        head = f"mostly NUTS {self.nuts_year}" if self.nuts_year else "no NUTS version"
        tail = f"; {len(self.unknown)} in no known version" if self.unknown else ""
        return f"{head} of {self.n_codes} codes — " + ", ".join(parts) + tail


def _distinct_codes(items: list[object]) -> tuple[list[str], list[str]]:
    """Return the distinct well-formed region codes and the malformed ones."""
    distinct: list[str] = []
    seen: set[object] = set()
    unknown: list[str] = []
    for code in items:
        if is_missing(code) or code in seen:
            continue
        seen.add(code)
        if isinstance(code, str) and is_aggregate(code):
            continue
        if not isinstance(code, str) or problem(code) is not None:
            unknown.append(str(code))
            continue
        distinct.append(code)
    return distinct, unknown


def nuts_version(codes: Iterable[object]) -> NutsVersion:
    """Say which NUTS version (2016 or 2021) a list of codes is mostly in.

    Codes present in both versions say nothing; the decision rests on codes only
    one version has (e.g. ``HR04`` is NUTS 2016 only, ``HR05`` NUTS 2021 only).

    Parameters
    ----------
    codes : iterable of str
        Codes as found in data; aggregates and missing values are ignored,
        malformed codes count as unknown.

    Returns
    -------
    NutsVersion
        ``nuts_year``, the ``counts`` table per version, ``n_codes``, ``unknown``
        codes and whether the list is ``mixed``.

    Raises
    ------
    SchemaError
        If *codes* is a single string or not iterable.

    Examples
    --------
    >>> version = nuts_version(["HR04", "HR03", "NO011", "DEG0Q"])
    >>> version.nuts_year, version.unknown
    (2016, ('DEG0Q',))
    >>> print(version)  # doctest: +NORMALIZE_WHITESPACE
    mostly NUTS 2016 of 4 codes — NUTS 2016: 3 valid (2 only there),
    NUTS 2021: 1 valid (0 only there); 1 in no known version
    """
    distinct, unknown = _distinct_codes(_as_list(codes))
    sets = {y: code_set(y) for y in NUTS_YEARS}
    records = {}
    for nuts_year in NUTS_YEARS:
        valid = sum(c in sets[nuts_year] for c in distinct)
        exclusive = sum(
            c in sets[nuts_year]
            and not any(c in sets[o] for o in NUTS_YEARS if o != nuts_year)
            for c in distinct
        )
        records[nuts_year] = {"valid": valid, "exclusive": exclusive}
    unknown += [c for c in distinct if not any(c in s for s in sets.values())]
    counts = pd.DataFrame.from_dict(records, orient="index")
    counts.index.name = "nuts_year"
    n = len(distinct) + sum(1 for u in unknown if u not in distinct)
    counts["share"] = counts["valid"] / len(distinct) if distinct else np.nan
    best: int | None = None
    if counts["valid"].sum() != 0:
        best = max(
            NUTS_YEARS,
            key=lambda y: (records[y]["exclusive"], records[y]["valid"], y),
        )
    mixed = int((counts["exclusive"] > 0).sum()) > 1
    return NutsVersion(
        nuts_year=best, counts=counts, n_codes=n, unknown=tuple(unknown), mixed=mixed
    )


# ----------------------------------------------------------------- recoding
def _check_recode_arguments(
    frame: object, from_nuts_year: int, to_nuts_year: int, geo: str
) -> None:
    if (from_nuts_year, to_nuts_year) != (2016, 2021):
        check_nuts_year(from_nuts_year)
        check_nuts_year(to_nuts_year)
        msg = (
            f"recoding NUTS {from_nuts_year} → {to_nuts_year} is not supported; the "
            "official change table converts NUTS 2016 → 2021 (from_nuts_year=2016, "
            "to_nuts_year=2021)"
        )
        raise SchemaError(msg)
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


def recode_nuts(
    frame: pd.DataFrame,
    from_nuts_year: int = 2016,
    to_nuts_year: int = 2021,
    geo: str = "geo",
    *,
    value: str | None = "value",
) -> pd.DataFrame:
    """Return *frame* with its NUTS 2016 codes converted to NUTS 2021.

    Uses Eurostat's official change table (sheet "Changes detailed NUTS 2016-2021"
    of the NUTS 2021 workbook). Every input row comes out, in input order, with
    the *geo* column in the target version where that is meaningful and three new
    columns:

    ``geo_original``
        the code as it came in;
    ``nuts_change``
        ``"unchanged"`` (same code and territory in both versions, only renamed,
        already a NUTS 2021 code, or an aggregate such as ``EU27_2020``),
        ``"recoded"`` (same territory, new code: the value is carried over, e.g.
        ``HR041`` → ``HR050``, ``NO011`` → ``NO081``),
        ``"boundary_changed"`` (territory changed or the region was discontinued:
        the row keeps its NUTS 2016 code, and its *value* is set to NaN because no
        NUTS 2021 region has that value), or
        ``"unknown"`` (malformed, missing, or in neither version, e.g. NUTS 2024's
        ``DEG0Q``: kept as it is, value untouched, never dropped);
    ``nuts_note``
        why, with the workbook's remark (e.g. "discontinued; now part of NO082").

    A mixed frame may hold a region under both its 2016 and its 2021 code (Eurostat
    keeps old codes for history). Where a recoded row and a row already in the
    target version share every other key column, the target-version row is kept
    (unless its value is missing and the recoded one is not); the other is dropped
    and counted in the warning and in ``result.attrs["nuts_recode"]``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a *geo* column (the tidy long frame, an indicator frame, a
        list of regions).
    from_nuts_year, to_nuts_year : int
        Only 2016 → 2021 is supported (the official change table).
    geo : str
        Name of the code column.
    value : str or None
        Name of the value column nulled for boundary-changed rows (default
        ``"value"``); ``None`` or a column the frame lacks leaves values alone
        (rows are still flagged).

    Returns
    -------
    pandas.DataFrame
        A new frame; *frame* is not modified. A categorical *geo* stays categorical.

    Raises
    ------
    SchemaError
        If *geo* is not a column, the frame already has ``geo_original`` /
        ``nuts_change`` / ``nuts_note`` columns, or the versions are not 2016 → 2021.

    Warns
    -----
    DataQualityWarning
        Summarising counts when any row is boundary-changed, unknown, or dropped
        as a duplicate of a target-version row.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"geo": ["HR041", "NO011", "DE11"], "value": [1.0, 2.0, 3.0]})
    >>> recode_nuts(f)[["geo", "geo_original", "nuts_change", "value"]]
         geo geo_original nuts_change  value
    0  HR050        HR041     recoded    1.0
    1  NO081        NO011     recoded    2.0
    2   DE11         DE11   unchanged    3.0
    """
    _check_recode_arguments(frame, from_nuts_year, to_nuts_year, geo)
    was_categorical = isinstance(frame[geo].dtype, pd.CategoricalDtype)
    codes = frame[geo].astype(object)
    new_geo, change, note = recode_column(codes, from_nuts_year, to_nuts_year)
    out = frame.copy()
    out[geo] = new_geo
    out["geo_original"] = codes
    out["nuts_change"] = change
    out["nuts_note"] = note

    has_value = value is not None and value in out.columns
    boundary = out["nuts_change"] == "boundary_changed"
    if has_value and boundary.any():
        out.loc[boundary, value] = np.nan
    out, dropped, dropped_codes = drop_collisions(out, value, has_value=has_value)

    if was_categorical:
        out[geo] = out[geo].astype("category")
        out["geo_original"] = out["geo_original"].astype("category")
    out["nuts_change"] = pd.Categorical(out["nuts_change"], categories=NUTS_CHANGES)
    out["nuts_note"] = out["nuts_note"].astype("string")

    counts = out["nuts_change"].value_counts().reindex(NUTS_CHANGES, fill_value=0)
    summary = {str(k): int(v) for k, v in counts.items()}
    summary["dropped_duplicates"] = dropped
    out.attrs = {**frame.attrs, "nuts_recode": summary}
    message = recode_warning(out, summary, dropped_codes, from_nuts_year, to_nuts_year)
    if message is not None:
        warnings.warn(message, DataQualityWarning, stacklevel=2)
    return out
