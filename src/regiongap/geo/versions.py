"""NUTS versions: validate codes, tell 2016 from 2021, recode 2016 → 2021.

Eurostat publishes regional tables that mix NUTS versions (a 2025 population file
holds NUTS 2024 codes beside NUTS 2016 ones kept for history). These functions say
which code belongs where and convert NUTS 2016 codes with the official change table
(``data/nuts/nuts_changes_2016_2021.csv``, from Eurostat's NUTS 2021 workbook).
They are re-exported by :mod:`regiongap.geo.codes`.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import (
    NUTS_YEARS,
    _changes_table,
    _check_code,
    _code_set,
    check_year,
    is_aggregate,
)

__all__ = [
    "NUTS_CHANGES",
    "NutsVersion",
    "nuts_version",
    "recode_nuts",
    "validate_nuts",
]

#: Values of the ``nuts_change`` column written by :func:`recode_nuts`.
NUTS_CHANGES: tuple[str, ...] = ("unchanged", "recoded", "boundary_changed", "unknown")

_SHOWN = 8

# Eurostat's "not regionalised" codes (FRX, HUXX, ALXXX): values it could not
# attribute to a region. Well-formed, in no NUTS version, worth naming as such.
_NOT_REGIONALISED = re.compile(r"[A-Z]{2}X{1,3}")
_UNKNOWN_VERSION = "(a code of another version, e.g. NUTS 2024 or 2013, or a typo)"


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


def _problem(code: object) -> str | None:
    """Return why *code* is not a well-formed NUTS code, or ``None`` if it is."""
    try:
        _check_code(code)
    except SchemaError as exc:
        return str(exc).split("; known:")[0]
    return None


def _shown(code: object) -> str:
    return "<missing>" if _missing(code) else str(code)


def _missing(code: object) -> bool:
    return code is None or (isinstance(code, float) and np.isnan(code)) or code is pd.NA


def _describe(code: object, year: int) -> tuple[bool, int | None, str | None, str]:
    """Return (valid, level, country, reason) of one code against NUTS *year*."""
    if _missing(code):
        return False, None, None, "missing code"
    if isinstance(code, str) and is_aggregate(code):
        return False, None, None, "aggregate of countries, not a NUTS region"
    problem = _problem(code)
    if problem is not None:
        return False, None, None, f"malformed: {problem}"
    assert isinstance(code, str)  # narrowed by _problem
    level, country = len(code) - 2, code[:2]
    if code in _code_set(year):
        return True, level, country, ""
    others = [y for y in NUTS_YEARS if y != year and code in _code_set(y)]
    if others:
        hint = " (recode_nuts converts it)" if others[0] < year else ""
        return (
            False,
            level,
            country,
            f"not in NUTS {year}; a NUTS {others[0]} code{hint}",
        )
    return False, level, country, _unknown_reason(code)


def _unknown_reason(code: str) -> str:
    versions = " or ".join(map(str, NUTS_YEARS))
    if _NOT_REGIONALISED.fullmatch(code):
        return (
            f"not in NUTS {versions}: Eurostat's 'not regionalised' code "
            "(values not attributed to any region)"
        )
    return f"not in NUTS {versions} {_UNKNOWN_VERSION}"


def validate_nuts(codes: Iterable[object], year: int = 2021) -> pd.DataFrame:
    """Check each code against the official list of NUTS *year*.

    Parameters
    ----------
    codes : iterable of str
        Codes as found in data (a list, a Series, a frame's ``geo`` column).
        Nothing is normalised: ``"de11 "`` is reported, not fixed.
    year : {2016, 2021}
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
        If *codes* is a single string or not iterable, or *year* is unknown.

    Examples
    --------
    >>> validate_nuts(["DE11", "HR04", "XX99"])[["code", "valid"]]
       code  valid
    0  DE11   True
    1  HR04  False
    2  XX99  False
    """
    check_year(year)
    items = _as_list(codes)
    unique: dict[object, tuple[bool, int | None, str | None, str]] = {}
    rows = []
    for code in items:
        key = "<missing>" if _missing(code) else code
        if key not in unique:
            unique[key] = _describe(code, year)
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
    year : int or None
        The version with most codes only it has (ties broken by most codes valid
        overall, then the later version); ``None`` when no code is a NUTS code.
    counts : pandas.DataFrame
        Indexed by NUTS year: ``valid`` (distinct codes in that version),
        ``exclusive`` (distinct codes in that version only), ``share``
        (``valid`` / distinct well-formed region codes).
    n_codes : int
        Distinct codes looked at (aggregates and missing values excluded).
    unknown : tuple of str
        Distinct codes in no version regiongap knows (e.g. NUTS 2024 ``DEG0Q``).
    mixed : bool
        ``True`` when codes exclusive to more than one version are present.
    """

    year: int | None
    counts: pd.DataFrame = field(repr=False)
    n_codes: int
    unknown: tuple[str, ...]
    mixed: bool

    def __str__(self) -> str:
        parts = [
            f"NUTS {y}: {int(r.valid)} valid ({int(r.exclusive)} only there)"
            for y, r in self.counts.iterrows()
        ]
        head = f"mostly NUTS {self.year}" if self.year else "no NUTS version"
        tail = f"; {len(self.unknown)} in no known version" if self.unknown else ""
        return f"{head} of {self.n_codes} codes — " + ", ".join(parts) + tail


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
        ``year``, the ``counts`` table per version, ``n_codes``, ``unknown`` codes
        and whether the list is ``mixed``.

    Examples
    --------
    >>> nuts_version(["HR04", "HR03", "NO011"]).year
    2016
    """
    items = _as_list(codes)
    distinct: list[str] = []
    seen: set[object] = set()
    unknown: list[str] = []
    for code in items:
        if _missing(code) or code in seen:
            continue
        seen.add(code)
        if isinstance(code, str) and is_aggregate(code):
            continue
        if not isinstance(code, str) or _problem(code) is not None:
            unknown.append(str(code))
            continue
        distinct.append(code)
    sets = {y: _code_set(y) for y in NUTS_YEARS}
    records = {}
    for year in NUTS_YEARS:
        valid = sum(c in sets[year] for c in distinct)
        exclusive = sum(
            c in sets[year] and not any(c in sets[o] for o in NUTS_YEARS if o != year)
            for c in distinct
        )
        records[year] = {"valid": valid, "exclusive": exclusive}
    unknown += [c for c in distinct if not any(c in s for s in sets.values())]
    counts = pd.DataFrame.from_dict(records, orient="index")
    counts.index.name = "year"
    n = len(distinct) + sum(1 for u in unknown if u not in distinct)
    counts["share"] = counts["valid"] / len(distinct) if distinct else np.nan
    if counts["valid"].sum() == 0:
        best = None
    else:
        best = max(
            NUTS_YEARS,
            key=lambda y: (records[y]["exclusive"], records[y]["valid"], y),
        )
    mixed = int((counts["exclusive"] > 0).sum()) > 1
    return NutsVersion(
        year=best, counts=counts, n_codes=n, unknown=tuple(unknown), mixed=mixed
    )


# ----------------------------------------------------------------- recoding
def _recode_map(code: object, from_year: int, to_year: int) -> tuple[object, str, str]:
    """Return (new geo, nuts_change, note) for one code, 2016 → 2021."""
    if _missing(code):
        return code, "unknown", "missing code"
    if isinstance(code, str) and is_aggregate(code):
        return code, "unchanged", "aggregate of countries (same in every version)"
    problem = _problem(code)
    if problem is not None:
        return code, "unknown", f"malformed: {problem}"
    assert isinstance(code, str)  # narrowed by _problem
    in_from, in_to = code in _code_set(from_year), code in _code_set(to_year)
    change = _change_of(code)
    if change is not None:
        kind, target, remark = change
        if kind == 1:  # renamed: same code, same territory
            return code, "unchanged", f"renamed in NUTS {to_year}"
        if kind == 2:
            return target, "recoded", f"recoded {code} → {target} ({remark})"
        where = f" → {target}" if target else ""
        return (
            code,
            "boundary_changed",
            f"{remark}{where}; value not comparable with NUTS {to_year}, set to NaN",
        )
    if in_to:
        if in_from:
            return code, "unchanged", ""
        return code, "unchanged", f"already a NUTS {to_year} code"
    if in_from:  # pragma: no cover - every vanished code has a change row
        return code, "unknown", f"NUTS {from_year} code with no change record"
    return code, "unknown", f"{_unknown_reason(code)}; kept as it is"


@functools.cache
def _changes_by_2016_code() -> dict[str, tuple[int, str | None, str]]:
    table = _changes_table()
    out: dict[str, tuple[int, str | None, str]] = {}
    for row in table.itertuples(index=False):
        if not isinstance(row.code_2016, str):
            continue  # "new" rows: a NUTS 2021 code with no 2016 predecessor
        target = row.code_2021 if isinstance(row.code_2021, str) else None
        remark = row.remark if isinstance(row.remark, str) else row.change
        out[row.code_2016] = (int(row.change_code), target, remark)
    return out


def _change_of(code: str) -> tuple[int, str | None, str] | None:
    return _changes_by_2016_code().get(code)


def recode_nuts(
    frame: pd.DataFrame,
    from_year: int = 2016,
    to_year: int = 2021,
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
    from_year, to_year : int
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

    Warns
    -----
    DataQualityWarning
        Summarising counts when any row is boundary-changed, unknown, or dropped
        as a duplicate of a target-version row.

    Raises
    ------
    SchemaError
        If *geo* is not a column, the frame already has ``geo_original`` /
        ``nuts_change`` / ``nuts_note`` columns, or the years are not 2016 → 2021.
    """
    if (from_year, to_year) != (2016, 2021):
        check_year(from_year)
        check_year(to_year)
        msg = (
            f"recoding NUTS {from_year} → {to_year} is not supported; the official "
            "change table converts NUTS 2016 → 2021 (from_year=2016, to_year=2021)"
        )
        raise SchemaError(msg)
    if not isinstance(frame, pd.DataFrame):
        msg = f"recode_nuts needs a pandas DataFrame, got {type(frame).__name__}"
        raise SchemaError(msg)
    if geo not in frame.columns:
        msg = f"frame has no column {geo!r} (columns: {list(frame.columns)})"
        raise SchemaError(msg)
    added = ["geo_original", "nuts_change", "nuts_note"]
    clash = [c for c in added if c in frame.columns]
    if clash:
        msg = f"frame already has column(s) {clash}; was it recoded already?"
        raise SchemaError(msg)

    original = frame[geo]
    was_categorical = isinstance(original.dtype, pd.CategoricalDtype)
    codes = original.astype(object)
    uniques = pd.unique(codes)
    mapping = {
        ("<missing>" if _missing(c) else c): _recode_map(c, from_year, to_year)
        for c in uniques
    }

    def pick(i: int) -> pd.Series:
        return codes.map(
            lambda c: mapping["<missing>" if _missing(c) else c][i]
        ).astype(object)

    out = frame.copy()
    out[geo] = pick(0)
    out["geo_original"] = codes
    out["nuts_change"] = pick(1)
    out["nuts_note"] = pick(2)

    has_value = value is not None and value in out.columns
    boundary = out["nuts_change"] == "boundary_changed"
    if has_value and boundary.any():
        out.loc[boundary, value] = np.nan

    # collisions: a recoded row duplicating a row already in the target version
    key = [c for c in out.columns if c not in {*added, value, "flag"}]
    recoded = out["nuts_change"] == "recoded"
    dropped = 0
    dropped_codes: list[str] = []
    if recoded.any():
        dup = out.duplicated(key, keep=False)
        if (dup & recoded).any():
            missing_value = (
                out[value].isna() if has_value else pd.Series(False, index=out.index)
            )
            order = pd.DataFrame(
                {"missing": missing_value.astype(int), "recoded": recoded.astype(int)}
            )
            ranked = out.assign(_m=order["missing"], _r=order["recoded"])
            ranked = ranked.sort_values(["_m", "_r"], kind="stable")
            keep = ~ranked.duplicated(key, keep="first")
            loser = ranked.index[~keep.to_numpy()]
            loser = loser[dup.loc[loser].to_numpy()]
            dropped_codes = sorted({_shown(c) for c in out.loc[loser, "geo_original"]})
            dropped = len(loser)
            out = out.drop(index=loser)

    if was_categorical:
        out[geo] = out[geo].astype("category")
        out["geo_original"] = out["geo_original"].astype("category")
    out["nuts_change"] = pd.Categorical(out["nuts_change"], categories=NUTS_CHANGES)
    out["nuts_note"] = out["nuts_note"].astype("string")

    counts = out["nuts_change"].value_counts().reindex(NUTS_CHANGES, fill_value=0)
    summary = {k: int(v) for k, v in counts.items()}
    summary["dropped_duplicates"] = dropped
    out.attrs = {**frame.attrs, "nuts_recode": summary}

    def codes_of(kind: str) -> str:
        found = sorted(
            {_shown(c) for c in out.loc[out["nuts_change"] == kind, "geo_original"]}
        )
        more = f", … ({len(found)} codes)" if len(found) > _SHOWN else ""
        return ", ".join(found[:_SHOWN]) + more

    problems = []
    if summary["boundary_changed"]:
        problems.append(
            f"{summary['boundary_changed']} rows boundary_changed (values set to NaN: "
            f"{codes_of('boundary_changed')})"
        )
    if summary["unknown"]:
        problems.append(
            f"{summary['unknown']} rows unknown (kept as they are: "
            f"{codes_of('unknown')})"
        )
    if dropped:
        problems.append(
            f"{dropped} rows dropped because the frame holds the same region under "
            f"its NUTS {from_year} and {to_year} codes (kept the row with a value, "
            f"preferring the NUTS {to_year} one; dropped rows of "
            f"{', '.join(dropped_codes[:_SHOWN])})"
        )
    if problems:
        msg = (
            f"recode_nuts NUTS {from_year} → {to_year}: {summary['unchanged']} rows "
            f"unchanged, {summary['recoded']} recoded; " + "; ".join(problems)
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=2)
    return out
