"""NUTS versions: validate codes, tell the versions apart, recode along the chain.

regiongap knows NUTS 2013, 2016, 2021 and 2024 and the official correspondence
between consecutive versions (:mod:`regiongap.geo.correspondence`). Eurostat
publishes regional tables that mix versions — across countries, across the years of
one country (NUTS 2021 codes for older years, NUTS 2024 for recent ones), and with
older codes kept beside their successors for history. These functions say which
code belongs where (:func:`validate_nuts`, :func:`nuts_version`,
:func:`nuts_versions`) and convert a frame to any version (:func:`recode_nuts`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo._detect import read_versions, version_groups
from regiongap.geo._outcome import drop_collisions, finish, recode_warning
from regiongap.geo._recode import (
    CHANGES,
    check_recode_arguments,
    recode_by_version,
    start_rows,
)
from regiongap.geo._rules import (
    MISSING,
    NOT_REGIONALISED,
    is_missing,
    problem,
    unknown_reason,
)
from regiongap.geo._tables import code_set
from regiongap.geo._unions import key_columns
from regiongap.geo.codes import is_aggregate
from regiongap.geo.correspondence import suggest_nuts
from regiongap.schema import NUTS_YEARS, check_nuts_year

__all__ = [
    "NUTS_CHANGES",
    "NutsVersion",
    "nuts_version",
    "nuts_versions",
    "recode_nuts",
    "validate_nuts",
]

#: Values of the ``nuts_change`` column written by :func:`recode_nuts`: the value is
#: carried over (``unchanged``, ``recoded``, ``merged``), or it is NaN because no
#: region of the target version has the row's land (``split``, ``boundary_shift``,
#: ``discontinued``), or the code is in no version (``unknown``).
NUTS_CHANGES: tuple[str, ...] = CHANGES


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


def _describe(
    code: object, nuts_year: int
) -> tuple[bool, int | None, str | None, str, str | None]:
    """Return (valid, level, country, reason, suggestion) of one code."""
    if is_missing(code):
        return False, None, None, "missing code", None
    if isinstance(code, str) and is_aggregate(code):
        return False, None, None, "aggregate of countries, not a NUTS region", None
    why = problem(code)
    if why is not None:
        return False, None, None, f"malformed: {why}", None
    assert isinstance(code, str)  # narrowed by problem()
    level, country = len(code) - 2, code[:2]
    if code in code_set(nuts_year):
        return True, level, country, "", None
    if NOT_REGIONALISED.fullmatch(code):
        return False, level, country, unknown_reason(code), None
    hint = suggest_nuts(code, nuts_year)
    others = [y for y in NUTS_YEARS if code in code_set(y)]
    if others:
        nearest = min(others, key=lambda y: (abs(y - nuts_year), -y))
        head = (
            f"not in NUTS {nuts_year}; a NUTS {nearest} code (recode_nuts converts it)"
        )
    else:
        head = unknown_reason(code)
    suggestion = ", ".join(hint.codes) or None
    return False, level, country, f"{head}; {hint}", suggestion


def validate_nuts(codes: Iterable[object], nuts_year: int = 2021) -> pd.DataFrame:
    """Check each code against the official list of NUTS *nuts_year*.

    Parameters
    ----------
    codes : iterable of str
        Codes as found in data (a list, a Series, a frame's ``geo`` column).
        Nothing is normalised: ``"de11 "`` is reported, not fixed.
    nuts_year : {2013, 2016, 2021, 2024}
        NUTS version to check against.

    Returns
    -------
    pandas.DataFrame
        One row per input code, in input order: ``code``, ``valid`` (bool),
        ``level`` (Int64, where the code is well formed), ``country`` (string,
        idem), ``reason`` (empty when valid; otherwise e.g. "not in NUTS 2021;
        a NUTS 2013 code (recode_nuts converts it); did you mean 'FRE1'? (…)",
        "aggregate of countries…", "malformed: …", "missing code") and
        ``suggestion`` (the codes of *nuts_year* :func:`suggest_nuts` proposes:
        from the official correspondence, else of the same country and level;
        ``<NA>`` when none). Extra-regio codes of the version are valid.

    Raises
    ------
    SchemaError
        If *codes* is a single string or not iterable, or *nuts_year* is unknown.

    Examples
    --------
    >>> validate_nuts(["DE11", "FR30", "XX99"])[["code", "valid", "suggestion"]]
       code  valid suggestion
    0  DE11   True       <NA>
    1  FR30  False       FRE1
    2  XX99  False       <NA>
    >>> print(validate_nuts(["FR30"]).loc[0, "reason"])
    not in NUTS 2021; a NUTS 2013 code (recode_nuts converts it); did you mean
    'FRE1'? (FR30 (Nord-Pas de Calais, NUTS 2013) in NUTS 2021: recoded; now FRE1)
    """
    check_nuts_year(nuts_year)
    items = _as_list(codes)
    unique: dict[object, tuple[bool, int | None, str | None, str, str | None]] = {}
    rows = []
    for code in items:
        key = MISSING if is_missing(code) else code
        if key not in unique:
            unique[key] = _describe(code, nuts_year)
        rows.append((code, *unique[key]))
    columns = ["code", "valid", "level", "country", "reason", "suggestion"]
    out = pd.DataFrame(rows, columns=columns)
    # the codes exactly as given (None stays None, not NaN)
    out["code"] = pd.Series(items, dtype=object)
    out["valid"] = out["valid"].astype(bool)
    out["level"] = out["level"].astype("Int64")
    out["country"] = out["country"].astype("string")
    out["reason"] = out["reason"].astype("string")
    out["suggestion"] = out["suggestion"].astype("string")
    return out


@dataclass(frozen=True)
class NutsVersion:
    """Which NUTS version a list of codes is mostly in (see :func:`nuts_version`).

    Attributes
    ----------
    nuts_year : int or None
        The version most of the codes are valid in (on a tie, the newest: codes
        valid in several versions do not tell them apart); ``None`` when no code
        is a NUTS code.
    counts : pandas.DataFrame
        Indexed by ``nuts_year``: ``valid`` (distinct codes in that version),
        ``exclusive`` (distinct codes in that version only), ``share``
        (``valid`` / distinct well-formed region codes).
    n_codes : int
        Distinct codes looked at (aggregates and missing values excluded).
    unknown : tuple of str
        Distinct codes in no version regiongap knows (typos, NUTS 2010 codes).
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
    """Say which NUTS version (2013, 2016, 2021 or 2024) a list of codes is mostly in.

    The version most codes are valid in, like ropensci ``nuts::nuts_classify``; on
    a tie the newest. For a frame whose versions differ by country and year (as
    Eurostat's tables do), :func:`nuts_versions` answers per country and year.

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
    >>> version = nuts_version(["HR04", "HR03", "NO011", "DE1Z"])
    >>> version.nuts_year, version.unknown
    (2016, ('DE1Z',))
    >>> print(version)
    mostly NUTS 2016 of 4 codes — NUTS 2013: 2 valid (0 only there),
    NUTS 2016: 3 valid (1 only there), NUTS 2021: 1 valid (0 only there),
    NUTS 2024: 1 valid (0 only there); 1 in no known version
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
        best = max(NUTS_YEARS, key=lambda y: (records[y]["valid"], y))
    mixed = int((counts["exclusive"] > 0).sum()) > 1
    return NutsVersion(
        nuts_year=best, counts=counts, n_codes=n, unknown=tuple(unknown), mixed=mixed
    )


def nuts_versions(
    frame: pd.DataFrame,
    geo: str = "geo",
    *,
    time: str | None = "time",
    value: str | None = "value",
) -> pd.DataFrame:
    """Say which NUTS version each country's codes are in, year by year.

    Like ropensci ``nuts::nuts_classify``, per country and data year: the share of
    the codes with a value that each version has, and the version they fit — the
    one most of them are valid in (the newest on a tie), provided every other code
    is *superseded*: a code of another version whose successors are all in the
    same year too (Eurostat keeps old codes beside their successors for history),
    or none of them (it covers land the year's other codes leave out). A code with
    only some of its successors there is *conflicting* (its land would count
    twice), and :func:`recode_nuts` refuses to guess.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a code column (the tidy long frame, an indicator frame).
    geo : str
        The code column.
    time : str or None
        The data-year column (``None`` or absent: one row per country).
    value : str or None
        The value column: only codes with a value count (``None`` or absent:
        every row counts).

    Returns
    -------
    pandas.DataFrame
        One row per country (and year): ``country``, ``time``, ``n_codes``,
        ``share_2013`` … ``share_2024`` (NaN where the version does not cover the
        country: NUTS 2013 lists the EU-28 only, NUTS 2024 has no UK),
        ``nuts_year`` (Int64), ``fits``, and the ``superseded``, ``conflicting``
        and ``unknown`` codes (tuples).

    Raises
    ------
    SchemaError
        If *frame* is not a DataFrame or has no *geo* column.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"geo": ["PT16", "PT19", "PT1D", "PT17", "PT1A",
    ...                               "PT1B", "PT18", "PT1C"], "time": 2023,
    ...                       "value": 1.0})
    >>> out = nuts_versions(frame)
    >>> out[["country", "time", "nuts_year", "fits", "share_2021", "share_2024"]]
      country  time  nuts_year  fits  share_2021  share_2024
    0      PT  2023       2024  True       0.375       0.625
    >>> out.loc[0, "superseded"]
    ('PT16', 'PT17', 'PT18')
    """
    if not isinstance(frame, pd.DataFrame) or geo not in frame.columns:
        got = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame)
        msg = f"nuts_versions needs a DataFrame with a {geo!r} column, got {got}"
        raise SchemaError(msg)
    return version_groups(frame, geo, time, value)


# ----------------------------------------------------------------- recoding
def recode_nuts(
    frame: pd.DataFrame,
    to_nuts_year: int = 2024,
    from_nuts_year: int | None = None,
    geo: str = "geo",
    *,
    value: str | None = "value",
    time: str | None = "time",
    additive: bool = False,
    weights: str | None = None,
) -> pd.DataFrame:
    """Return *frame* with its codes converted to NUTS *to_nuts_year*.

    Follows Eurostat's official correspondence (:func:`~regiongap.geo.
    correspondence.nuts_changes`) step by step along 2013 – 2016 – 2021 – 2024, in
    either direction. Every input row comes out, in input order, with three new
    columns, and nothing is carried over silently:

    ``geo_original``
        the code as it came in (for an added row, its parts: ``FR26+FR43``);
    ``nuts_change``
        ``"unchanged"`` (same code and land; also renamed regions, art. 5(2a)
        boundary shifts below 1 % of the population, codes already in the target
        version, aggregates such as ``EU27_2020`` and Eurostat's "not
        regionalised" codes such as ``FRXX``), ``"recoded"`` (same land, new
        code: the value is carried over, ``FR30`` → ``FRE1``), ``"merged"`` (an
        added row: a target region that is exactly the union of source regions,
        ``FRC = FR26 + FR43``: the sum of an additive quantity, the weighted mean
        with *weights*, NaN otherwise), ``"split"``, ``"boundary_shift"`` or
        ``"discontinued"`` (no target region has the row's land: the row keeps its
        old code and its value is set to NaN, the successors named), or
        ``"unknown"`` (missing, malformed or in no version: kept as it is);
    ``nuts_note``
        what happened, step by step (e.g. "boundary shift in NUTS 2024: now PT1C;
        value set to NaN").

    With ``from_nuts_year=None`` the version is read per country and data year
    (:func:`nuts_versions`): codes of the version most of a year's codes fit are
    read in it, the other codes in their own version. A country and year with a
    code beside only some of its successors (its land would count twice) is
    refused. A region held
    under both an old and a new code keeps one row (the one with a value, the
    least changed); the others are dropped and counted.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a *geo* column (the tidy long frame, an indicator frame, a
        list of regions). Columns other than *geo*, *value*, ``flag``,
        ``conf_status`` and *weights* identify a row (with the code).
    to_nuts_year : {2013, 2016, 2021, 2024}
        The version to convert to.
    from_nuts_year : {2013, 2016, 2021, 2024} or None
        The version every code is in; ``None`` (default) detects it per country
        and year. Codes not in it are kept as they are (``unknown``), or
        ``unchanged`` when they are already codes of *to_nuts_year*.
    geo : str
        Name of the code column.
    value : str or None
        Name of the value column (default ``"value"``); ``None`` or a column the
        frame lacks leaves values alone (rows are still flagged).
    time : str or None
        The data-year column detection groups by (``None`` or absent: per country).
    additive : bool
        Whether the values are additive quantities (counts, amounts) that may be
        summed into a merged region; default ``False`` (a ratio: NaN).
    weights : str, optional
        A numeric column weighting each part of a merged region (e.g. population
        for a per-inhabitant ratio); merged rows get the sum of the weights.

    Returns
    -------
    pandas.DataFrame
        A new frame with a fresh index (input rows in order, then added rows);
        *frame* is not modified. A categorical *geo* stays categorical.
        ``attrs["nuts_recode"]`` counts rows per change, ``added_rows`` and
        ``dropped_duplicates``, and records ``to_nuts_year`` and
        ``from_nuts_year`` (rows read in each version).

    Raises
    ------
    SchemaError
        If a version is unknown, *geo* is not a column, the frame already has the
        added columns, *weights* is not a numeric column or comes with
        ``additive=True``, or (with ``from_nuts_year=None``) a country and year fit
        no single version — naming the country, the year and the codes.

    Warns
    -----
    DataQualityWarning
        Counting the rows split, boundary-shifted, discontinued, unknown or
        dropped as duplicates.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"geo": ["FR1", "FR30", "FR26", "FR43"], "time": 2014,
    ...                   "value": [12.0, 4.1, 1.6, 1.2]})
    >>> out = recode_nuts(f, 2021, additive=True)
    >>> out[["geo", "geo_original", "nuts_change", "value"]]
        geo geo_original nuts_change  value
    0   FR1          FR1   unchanged   12.0
    1  FRE1         FR30     recoded    4.1
    2  FRC1         FR26     recoded    1.6
    3  FRC2         FR43     recoded    1.2
    4   FRC    FR26+FR43      merged    2.8
    >>> recode_nuts(f, 2021, 2013)[["geo", "value"]].tail(1)  # a ratio: NaN
       geo  value
    4  FRC    NaN
    """
    frame = check_recode_arguments(
        frame, (to_nuts_year, from_nuts_year), geo, weights, additive=additive
    )
    value = value if value is not None and value in frame.columns else None
    work = frame.reset_index(drop=True)
    codes = work[geo].astype(object)
    start = read_versions(work, (geo, time, value), to_nuts_year, from_nuts_year)
    start, change, note = start_rows(codes, start, to_nuts_year, from_nuts_year)
    work = work.assign(geo_original=codes, nuts_change=change, nuts_note=note)
    work[geo] = codes
    spec = (geo, value, weights)
    out, added = recode_by_version(work, start, to_nuts_year, spec, additive=additive)
    key = [geo, *key_columns(out, geo, value, weights)]
    out, dropped, dropped_codes = drop_collisions(out, key, value)
    tally = start[start > 0].value_counts()
    read_in = dict(zip(tally.index.astype(int), tally.astype(int), strict=True))
    counts = {"added_rows": added, "dropped_duplicates": dropped}
    out = finish(out.reset_index(drop=True), frame, geo, counts)
    out.attrs = {
        **frame.attrs,
        "nuts_recode": {
            **counts,
            "to_nuts_year": to_nuts_year,
            "from_nuts_year": dict(sorted(read_in.items())),
        },
    }
    versions = "/".join(map(str, sorted(read_in))) or "no version"
    what = f"NUTS {versions} → {to_nuts_year}"
    message = recode_warning(out, counts, dropped_codes, what)
    if message is not None:
        warnings.warn(message, DataQualityWarning, stacklevel=2)
    return out
