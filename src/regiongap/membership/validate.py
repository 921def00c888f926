"""Membership tables: their vocabulary and their validation.

A *membership table* has one row per (partnership, region) and the columns of
:data:`~regiongap.membership.vocabulary.MEMBER_COLUMNS`. The shipped S3 registry
(:mod:`regiongap.membership.registry`) and an analyst's own file
(:func:`regiongap.membership.files.read_membership`) go through the same validator,
:func:`validate_members`, which checks every row and raises **one**
:class:`~regiongap.errors.MembershipError` listing every bad row with every reason.

Normalisation is limited to what cannot change meaning: surrounding whitespace is
stripped, NUTS and country codes are upper-cased, roles, confidence levels,
member-list kinds and partnership ids are lower-cased. Nothing else is guessed:
``GR`` is not turned into ``EL``, a code of another NUTS version than its row's is
not recoded; both are reported with the fix (for a code, its successor in the
official correspondence). Codes of any NUTS version are accepted when the row says
which (a ``nuts_year`` column, or the ``nuts_year`` argument; ``None`` takes each
code's own version); every validated row says its version in ``nuts_year``.

>>> frame = pd.DataFrame({"partnership_id": ["net"], "geo": ["es21"], "role": ["lead"]})
>>> validate_members(frame)[["geo", "region_name", "country", "level", "nuts_year"]]
    geo region_name country  level  nuts_year
0  ES21  País Vasco      ES      2       2021
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable
from typing import Literal

import pandas as pd

from regiongap.errors import MembershipError
from regiongap.membership._codes import check_code, nuts_lookup, row_version
from regiongap.membership._rows import (
    Problems,
    as_int,
    clean_strings,
    is_missing,
    slugify,
    suggest,
)
from regiongap.membership.vocabulary import (
    CONFIDENCE_LEVELS,
    MEMBER_COLUMNS,
    MEMBER_LISTS,
    MEMBERS_NUTS_YEAR,
    PARTNERSHIP_COLUMNS,
    PLATFORMS,
    ROLES,
    Confidence,
    MemberList,
)
from regiongap.schema import NutsYear, check_nuts_year

__all__ = ["validate_members", "validate_partnerships"]

_SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_URL = re.compile(r"^https?://\S+$")
_ROLE_ALIASES = {"co_lead": "co-lead", "co lead": "co-lead", "colead": "co-lead"}
# Column names of files written for regiongap 0.1, accepted and renamed.
_OLD_NAMES = {"nuts_code": "geo", "nuts_level": "level"}


# ------------------------------------------------------------------ row checks
def _check_id(
    pid: object,
    idx: Hashable,
    known: Collection[str] | None,
    problems: Problems,
) -> None:
    if is_missing(pid):
        problems.add(idx, "missing partnership_id")
    elif not _SLUG.match(str(pid)):
        problems.add(
            idx,
            f"partnership_id {pid!r} is not a slug (lowercase letters, digits and "
            f"single underscores); use {slugify(str(pid))!r}",
        )
    elif known is not None and pid not in known:
        problems.add(
            idx,
            f"partnership_id {pid!r} is not in the partnership table"
            + suggest(str(pid), known),
        )


def _check_choice(
    value: object,
    column: str,
    allowed: tuple[str, ...],
    idx: Hashable,
    problems: Problems,
    *,
    required: bool,
) -> None:
    if is_missing(value):
        if required:
            problems.add(idx, f"missing {column}")
    elif value not in allowed:
        problems.add(
            idx,
            f"{column} {value!r} is not one of {', '.join(allowed)}"
            + suggest(str(value), allowed),
        )


def _check_vocabulary(
    row: pd.Series, idx: Hashable, require: Collection[str], problems: Problems
) -> None:
    for column, allowed in (
        ("role", ROLES),
        ("confidence", CONFIDENCE_LEVELS),
        ("member_list", MEMBER_LISTS),
    ):
        _check_choice(
            row[column], column, allowed, idx, problems, required=column in require
        )


def _check_urls(value: object, idx: Hashable, problems: Problems) -> None:
    if is_missing(value):
        problems.add(idx, "missing source_url")
        return
    bad = [u for u in str(value).split(" | ") if not _URL.match(u.strip())]
    if bad:
        problems.add(idx, f"source_url is not an http(s) URL: {bad[0]!r}")


def _check_duplicates(
    out: pd.DataFrame, row_numbers: pd.Series, row_label: str, problems: Problems
) -> None:
    key = out[["partnership_id", "geo"]]
    dup = key.notna().all(axis=1) & key.duplicated(keep=False)
    for _, group in out[dup].groupby(["partnership_id", "geo"], sort=False):
        numbers = [int(row_numbers.loc[i]) for i in group.index]
        for i in group.index:
            others = [n for n in numbers if n != int(row_numbers.loc[i])]
            problems.add(
                i,
                "duplicate (partnership_id, nuts_code): also on "
                + ", ".join(f"{row_label} {n}" for n in others),
            )


def _check_member_lists(out: pd.DataFrame, problems: Problems) -> None:
    lists = out.dropna(subset=["partnership_id", "member_list"])
    for pid, group in lists.groupby("partnership_id", sort=False):
        kinds = sorted(group["member_list"].unique())
        if len(kinds) > 1:
            for i in group.index:
                problems.add(
                    i,
                    f"member_list differs inside partnership {pid!r}: {kinds} "
                    "(one value per partnership)",
                )


# ------------------------------------------------------------------ validators
def _renamed(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Rename 0.1 column names; return the frame and the name of its level column."""
    renames = {
        old: new
        for old, new in _OLD_NAMES.items()
        if old in frame.columns and new not in frame.columns
    }
    level_name = "nuts_level" if "nuts_level" in renames else "level"
    return frame.rename(columns=renames).reset_index(drop=True), level_name


def _normalised(frame: pd.DataFrame, defaults: dict[str, str | None]) -> pd.DataFrame:
    """Clean cells, add absent columns (with *defaults*), fix the case of codes."""
    out = clean_strings(frame)
    for column, default in defaults.items():
        if column not in out.columns and default is not None:
            out[column] = pd.Series(default, index=out.index, dtype="string")
    for column in MEMBER_COLUMNS:
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["partnership_id"] = out["partnership_id"].str.lower()
    out["geo"] = out["geo"].str.upper()
    out["country"] = out["country"].str.upper()
    for column in ("role", "confidence", "member_list"):
        out[column] = out[column].str.lower()
    out["role"] = out["role"].replace(_ROLE_ALIASES)
    return out


def _filled(out: pd.DataFrame, found: dict[Hashable, tuple[int, int]]) -> pd.DataFrame:
    """Fill country, region name, level and version from NUTS; order the columns."""
    versions = pd.Series({i: year for i, (_, year) in found.items()}, dtype="int64")
    for column in ("country", "region_name"):
        official = [
            nuts_lookup(int(versions[i])).at[code, column]
            for i, code in zip(out.index, out["geo"], strict=True)
        ]
        out[column] = out[column].fillna(
            pd.Series(official, index=out.index, dtype="string")
        )
    levels = pd.Series({i: level for i, (level, _) in found.items()}, dtype="int64")
    out["level"] = levels.reindex(out.index).astype("int64")
    out["nuts_year"] = versions.reindex(out.index).astype("int64")
    extra = [c for c in out.columns if c not in MEMBER_COLUMNS]
    return out[[*MEMBER_COLUMNS, *extra]]


def validate_members(
    frame: pd.DataFrame,
    *,
    nuts_year: NutsYear | None = MEMBERS_NUTS_YEAR,
    known_partnerships: Collection[str] | None = None,
    require: Collection[str] = ("partnership_id", "geo", "role"),
    default_confidence: Confidence | None = None,
    default_member_list: MemberList | None = None,
    what: str = "membership table",
    row_numbers: pd.Series | None = None,
    row_label: Literal["row", "line"] = "row",
    header_row: int = 1,
) -> pd.DataFrame:
    """Check a membership table row by row and return it normalised.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (partnership, region); the region code in column ``geo``
        (``nuts_code`` is accepted and renamed). Optional columns: ``region_name``,
        ``country``, ``level`` (``nuts_level``, its name in regiongap 0.1, is
        accepted and renamed), ``nuts_year`` (the row's NUTS version),
        ``confidence``, ``source_url``, ``notes``, ``member_list``; any others are
        kept after :data:`MEMBER_COLUMNS`.
    nuts_year : {2021, 2013, 2016, 2024, None}, default 2021
        NUTS version of the codes of rows whose ``nuts_year`` cell is empty (or
        that have none); ``None``: the version each code belongs to (2021 if it
        is a NUTS 2021 code, else the nearest version that has it).
    known_partnerships : collection of str, optional
        If given, every ``partnership_id`` must be one of these.
    require : collection of str
        Columns that must exist and be filled on every row.
    default_confidence : {"high", "medium", "low"}, optional
        Value used when the ``confidence`` column is absent (not when a cell is
        empty).
    default_member_list : {"complete", "partial", "leads_only", "none"}, optional
        Value used when the ``member_list`` column is absent.
    what : str
        How the table is named in the error message.
    row_numbers : pandas.Series, optional
        Row number of each row in its file (default: index position + 2, the
        header being row 1).
    row_label : {"row", "line"}
        Word used for row numbers in messages.
    header_row : int, default 1
        Row number of the header in the file, for messages (title rows above it
        push it down).

    Returns
    -------
    pandas.DataFrame
        The :data:`MEMBER_COLUMNS` (then any extra columns): codes upper-cased,
        ``country``, ``level`` and ``region_name`` filled from the code list of
        the row's NUTS version where absent, ``level`` and ``nuts_year`` as
        int64.

    Raises
    ------
    SchemaError
        If *nuts_year* is not a NUTS version.
    MembershipError
        Listing every bad row with all of its problems: missing or malformed
        partnership id, unknown partnership, missing/malformed/unknown NUTS code
        (with the closest codes of its country), a ``nuts_year`` that is no NUTS
        version, a code of another NUTS version than the row's (with its
        successor in the row's version), country or level not
        matching the code, missing or unknown role/confidence/member list,
        duplicate (partnership_id, geo), member list differing inside one
        partnership. The exception's ``problems`` attribute holds the same
        information as a frame (row, partnership_id, geo, problem).

    Examples
    --------
    >>> frame = pd.DataFrame({"partnership_id": ["net", "net"],
    ...                       "nuts_code": ["ES21", "ES2X"], "role": ["lead", "boss"]})
    >>> validate_members(frame)
    Traceback (most recent call last):
    regiongap.errors.MembershipError: membership table has 1 bad row (row numbers
    count the header as row 1):
      row 3 (partnership_id='net', geo='ES2X'): unknown NUTS 2021 code 'ES2X': ...
    """
    if nuts_year is not None:
        check_nuts_year(nuts_year)
    frame, level_name = _renamed(frame)
    missing = [c for c in require if c not in frame.columns]
    if missing:
        msg = (
            f"{what} is missing column(s) {missing}; it has {list(frame.columns)}. "
            f"Required: {sorted(require)} (the region code may be called 'nuts_code' "
            "or 'geo')"
        )
        raise MembershipError(msg)
    if row_numbers is None:
        row_numbers = pd.Series(range(2, len(frame) + 2), index=frame.index)
    else:
        row_numbers = pd.Series(list(row_numbers), index=frame.index)
    out = _normalised(
        frame,
        {"confidence": default_confidence, "member_list": default_member_list},
    )
    problems = Problems(
        out, row_numbers, ("partnership_id", "geo"), header_row=header_row
    )
    found: dict[Hashable, tuple[int, int]] = {}
    for idx, row in out.iterrows():
        _check_id(row["partnership_id"], idx, known_partnerships, problems)
        version = row_version(row["nuts_year"], nuts_year, idx, problems)
        checked = check_code(row, idx, version, problems, level_name)
        if checked is not None:
            found[idx] = checked
        _check_vocabulary(row, idx, require, problems)
        if "source_url" in require or not is_missing(row["source_url"]):
            _check_urls(row["source_url"], idx, problems)
    _check_duplicates(out, row_numbers, row_label, problems)
    _check_member_lists(out, problems)
    problems.raise_if_any(what, row_label)
    return _filled(out, found)


def _check_partnership_row(
    row: pd.Series, idx: Hashable, repeated: bool, problems: Problems
) -> None:
    pid = row["partnership_id"]
    if is_missing(pid):
        problems.add(idx, "missing partnership_id")
    elif not _SLUG.match(str(pid)):
        problems.add(
            idx, f"partnership_id {pid!r} is not a slug; use {slugify(str(pid))!r}"
        )
    elif repeated:
        problems.add(idx, f"partnership_id {pid!r} appears more than once")
    if is_missing(row["name"]):
        problems.add(idx, "missing name")
    for column, allowed in (("platform", PLATFORMS), ("member_list", MEMBER_LISTS)):
        _check_choice(row[column], column, allowed, idx, problems, required=True)
    for column, low, high in (("members_stated", 0, 10_000), ("launched", 1990, 2100)):
        value = row[column]
        if is_missing(value):
            continue
        number = as_int(value)
        if number is None or not low <= number <= high:
            problems.add(
                idx, f"{column} {value!r} is not a whole number in [{low}, {high}]"
            )
    _check_urls(row["source_url"], idx, problems)


def validate_partnerships(
    frame: pd.DataFrame, *, what: str = "partnership table"
) -> pd.DataFrame:
    """Check the partnership table (one row per partnership) and return it typed.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns :data:`PARTNERSHIP_COLUMNS` (text).
    what : str
        How the table is named in the error message.

    Returns
    -------
    pandas.DataFrame
        ``launched`` and ``members_stated`` as nullable Int64, text as ``string``.

    Raises
    ------
    MembershipError
        Listing every bad row: id missing, not a slug or repeated; name missing;
        platform not in :data:`PLATFORMS`; member_list not in :data:`MEMBER_LISTS`;
        members_stated or launched not whole numbers; source_url missing or not a URL.

    Examples
    --------
    >>> table = pd.DataFrame([{
    ...     "partnership_id": "Net A", "name": "Net A", "platform": "agri-food",
    ...     "launched": "2018", "lead_regions": "", "member_list": "complete",
    ...     "members_stated": "", "source_url": "https://example.org",
    ...     "source_note": ""}])
    >>> validate_partnerships(table)
    Traceback (most recent call last):
    regiongap.errors.MembershipError: partnership table has 1 bad row (row numbers
    count the header as row 1):
      row 2 (partnership_id='net a'): partnership_id 'net a' is not a slug; use
      'net_a'; platform 'agri-food' is not one of industrial_modernisation, energy,
      agrifood (did you mean 'agrifood'?)
    """
    missing = [c for c in PARTNERSHIP_COLUMNS if c not in frame.columns]
    if missing:
        msg = f"{what} is missing column(s) {missing}; it has {list(frame.columns)}"
        raise MembershipError(msg)
    out = clean_strings(frame.reset_index(drop=True))
    out["partnership_id"] = out["partnership_id"].str.lower()
    for column in ("platform", "member_list"):
        out[column] = out[column].str.lower()
    rows = pd.Series(range(2, len(out) + 2), index=out.index)
    problems = Problems(out, rows, ("partnership_id",))
    dup = out["partnership_id"].notna() & out["partnership_id"].duplicated(keep=False)
    repeated = set(out.index[dup])
    for idx, row in out.iterrows():
        _check_partnership_row(row, idx, idx in repeated, problems)
    problems.raise_if_any(what, "row")
    for column in ("members_stated", "launched"):
        out[column] = pd.array(
            [as_int(v) if not is_missing(v) else None for v in out[column]],
            dtype="Int64",
        )
    return out[
        [
            *PARTNERSHIP_COLUMNS,
            *[c for c in out.columns if c not in PARTNERSHIP_COLUMNS],
        ]
    ]
