"""Membership tables: their vocabulary, their validation, and reading them from files.

A *membership table* has one row per (partnership, region) and the columns of
:data:`MEMBER_COLUMNS`. The shipped S3 registry
(:mod:`regiongap.membership.registry`) and
an analyst's own file (:func:`read_membership`) go through the same validator,
:func:`validate_members`, which checks every row and raises **one**
:class:`~regiongap.errors.MembershipError` listing every bad row with every reason.

Normalisation is limited to what cannot change meaning: surrounding whitespace is
stripped, NUTS and country codes are upper-cased, roles, confidence levels,
member-list kinds and partnership ids are lower-cased. Nothing else is guessed:
``GR`` is not turned into ``EL``, a NUTS 2016 code is not recoded; both are
reported with the fix.
"""

from __future__ import annotations

import difflib
import os
import re
import warnings
from collections.abc import Collection, Iterable
from pathlib import Path

import pandas as pd

from regiongap.errors import DataQualityWarning, MembershipError, SchemaError

__all__ = [
    "COMPLETE",
    "CONFIDENCE_LEVELS",
    "MEMBER_COLUMNS",
    "MEMBER_LISTS",
    "PARTNERSHIP_COLUMNS",
    "PLATFORMS",
    "ROLES",
    "read_membership",
    "validate_members",
    "validate_partnerships",
]

COMPLETE = "complete"
"""``member_list`` value of a partnership whose source gives the full list."""

MEMBER_LISTS: tuple[str, ...] = (COMPLETE, "partial", "leads_only", "none")
"""How far a partnership's member rows can be trusted as a list (see the README)."""

PLATFORMS: tuple[str, ...] = ("industrial_modernisation", "energy", "agrifood")
"""The three S3 thematic platforms (2016–2023)."""

ROLES: tuple[str, ...] = ("lead", "co-lead", "member", "unknown")
"""Roles, strongest first: ``lead`` (sole lead), ``co-lead``, ``member``, ``unknown``.

Merging keeps the strongest.
"""

CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")
"""Confidence of a membership row, highest first (rules in the package data README)."""

MEMBER_COLUMNS: tuple[str, ...] = (
    "partnership_id",
    "geo",
    "region_name",
    "country",
    "nuts_level",
    "role",
    "confidence",
    "source_url",
    "notes",
    "member_list",
)
"""Columns of a membership table, in order (extra columns of a user file follow)."""

PARTNERSHIP_COLUMNS: tuple[str, ...] = (
    "partnership_id",
    "name",
    "platform",
    "launched",
    "lead_regions",
    "member_list",
    "members_stated",
    "source_url",
    "source_note",
)
"""Columns of the shipped partnership table ``s3_partnerships.csv``."""

_SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_URL = re.compile(r"^https?://\S+$")
_ROLE_ALIASES = {"co_lead": "co-lead", "co lead": "co-lead", "colead": "co-lead"}
# Eurostat's country codes differ from ISO 3166 for two countries only.
_ISO_TO_EUROSTAT = {"GR": "EL", "GB": "UK"}
_NUTS_YEARS = (2021,)


# ------------------------------------------------------------------ helpers
def _clean_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip whitespace in every text cell; empty cells become ``<NA>``."""
    out = frame.copy()
    for column in out.columns:
        values = out[column].astype("string").str.strip()
        out[column] = values.mask(values == "", pd.NA)
    return out


def _suggest(value: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest of *choices*, or ``""``."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


def _as_int(value: object) -> int | None:
    """``"2"``, ``"2.0"`` → 2; anything else that is not a whole number → ``None``."""
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


class _Problems:
    """Collect (row, partnership_id, code, reason) and raise them all at once."""

    def __init__(self, frame: pd.DataFrame, row_numbers: pd.Series, key_columns):
        self._frame = frame
        self._rows = row_numbers
        self._keys = key_columns
        self.items: list[dict[str, object]] = []

    def add(self, index: object, reason: str) -> None:
        row = self._frame.loc[index]
        entry: dict[str, object] = {"row": int(self._rows.loc[index])}
        for key in self._keys:
            value = row.get(key, pd.NA)
            entry[key] = None if pd.isna(value) else str(value)
        entry["problem"] = reason
        self.items.append(entry)

    def raise_if_any(self, what: str, row_label: str) -> None:
        if not self.items:
            return
        table = pd.DataFrame(self.items)
        lines = []
        for row, group in table.groupby("row", sort=True):
            first = group.iloc[0]
            ident = ", ".join(
                f"{k}=<missing>" if pd.isna(first[k]) else f"{k}={first[k]!r}"
                for k in self._keys
            )
            reasons = "; ".join(group["problem"])
            lines.append(f"  {row_label} {row} ({ident}): {reasons}")
        n_rows = table["row"].nunique()
        msg = (
            f"{what} has {n_rows} bad row{'s' if n_rows != 1 else ''} "
            f"({row_label} numbers count the header as {row_label} 1):\n"
            + "\n".join(lines)
        )
        error = MembershipError(msg)
        error.problems = table  # type: ignore[attr-defined]
        raise error


# ------------------------------------------------------------------ NUTS look-ups
def _nuts_lookup(year: int) -> pd.DataFrame:
    """Return the official NUTS *year* code list indexed by ``geo``."""
    from regiongap.geo import codes as nuts

    table = nuts.nuts_codes(year=year, extra_regio=True)
    return table.set_index("geo")[["name", "level", "country", "extra_regio"]]


def _other_version_hint(code: str, year: int) -> str:
    """Explain why a well-formed *code* is not in NUTS *year*, with its equivalent."""
    from regiongap.geo import codes as nuts

    report = nuts.validate_nuts([code], year=year).iloc[0]
    reason = str(report["reason"])
    if "NUTS 2016 code" not in reason:
        return (
            f"unknown NUTS {year} code {code!r}: not in NUTS 2016 either "
            "(another version such as NUTS 2013 or 2024, or a typo)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        recoded = nuts.recode_nuts(pd.DataFrame({"geo": [code]}), value=None).iloc[0]
    if recoded["nuts_change"] == "recoded":
        return (
            f"{code!r} is a NUTS 2016 code; its NUTS {year} equivalent is "
            f"{recoded['geo']!r} (same territory, new code)"
        )
    # boundary change or discontinued: the official remark names the new regions
    remark = str(recoded["nuts_note"]).split("; value not comparable")[0]
    remark = re.sub(r" → (nan|None|<NA>)$", "", remark)
    return (
        f"{code!r} is a NUTS 2016 code with no single NUTS {year} equivalent "
        f"({remark}); list the NUTS {year} region(s) it became"
    )


# ------------------------------------------------------------------ validators
def validate_members(
    frame: pd.DataFrame,
    *,
    nuts_year: int = 2021,
    known_partnerships: Collection[str] | None = None,
    require: Collection[str] = ("partnership_id", "geo", "role"),
    default_confidence: str | None = None,
    default_member_list: str | None = None,
    what: str = "membership table",
    row_numbers: pd.Series | None = None,
    row_label: str = "row",
) -> pd.DataFrame:
    """Check a membership table row by row and return it normalised.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (partnership, region); the region code in column ``geo``
        (``nuts_code`` is accepted and renamed). Optional columns: ``region_name``,
        ``country``, ``nuts_level``, ``confidence``, ``source_url``, ``notes``,
        ``member_list``; any others are kept after :data:`MEMBER_COLUMNS`.
    nuts_year : int, default 2021
        NUTS version the codes must belong to (only 2021 is supported).
    known_partnerships : collection of str, optional
        If given, every ``partnership_id`` must be one of these.
    require : collection of str
        Columns that must exist and be filled on every row.
    default_confidence, default_member_list : str, optional
        Value used when the column is absent (not when a cell is empty).
    what : str
        How the table is named in the error message.
    row_numbers : pandas.Series, optional
        Row number of each row in its file (default: index position + 2, the
        header being row 1).
    row_label : str
        Word used for row numbers in messages ("row" or "line").

    Returns
    -------
    pandas.DataFrame
        The :data:`MEMBER_COLUMNS` (then any extra columns): codes upper-cased,
        ``country``, ``nuts_level`` and ``region_name`` filled from the NUTS table
        where absent, ``nuts_level`` as int64.

    Raises
    ------
    MembershipError
        Listing every bad row with all of its problems: missing or malformed
        partnership id, unknown partnership, missing/malformed/unknown NUTS code,
        code from another NUTS version (with its equivalent), country or level not
        matching the code, missing or unknown role/confidence/member list,
        duplicate (partnership_id, geo), member list differing inside one
        partnership. The exception's ``problems`` attribute holds the same
        information as a frame (row, partnership_id, geo, problem).
    """
    if nuts_year not in _NUTS_YEARS:
        msg = f"nuts_year={nuts_year!r} is not supported; use one of {_NUTS_YEARS}"
        raise SchemaError(msg)
    if "nuts_code" in frame.columns and "geo" not in frame.columns:
        frame = frame.rename(columns={"nuts_code": "geo"})
    frame = frame.reset_index(drop=True)
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

    out = _clean_strings(frame)
    for column, default in (
        ("confidence", default_confidence),
        ("member_list", default_member_list),
    ):
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

    problems = _Problems(out, row_numbers, ("partnership_id", "geo"))
    lookup = _nuts_lookup(nuts_year)
    valid_codes = set(lookup.index)
    levels: dict[object, int] = {}

    for idx, row in out.iterrows():
        pid = row["partnership_id"]
        if pd.isna(pid):
            problems.add(idx, "missing partnership_id")
        elif not _SLUG.match(pid):
            problems.add(
                idx,
                f"partnership_id {pid!r} is not a slug (lowercase letters, digits and "
                f"single underscores); use {_slugify(pid)!r}",
            )
        elif known_partnerships is not None and pid not in known_partnerships:
            problems.add(
                idx,
                f"partnership_id {pid!r} is not in the partnership table"
                + _suggest(pid, known_partnerships),
            )
        levels_ok = _check_code(row, idx, lookup, valid_codes, nuts_year, problems)
        if levels_ok is not None:
            levels[idx] = levels_ok
        _check_vocabulary(row, idx, require, problems)
        if "source_url" in require or not pd.isna(row["source_url"]):
            _check_urls(row["source_url"], idx, problems)

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
    problems.raise_if_any(what, row_label)

    out["country"] = out["country"].fillna(
        out["geo"].map(lookup["country"]).astype("string")
    )
    out["region_name"] = out["region_name"].fillna(
        out["geo"].map(lookup["name"]).astype("string")
    )
    out["nuts_level"] = pd.Series(levels, dtype="int64").reindex(out.index)
    out["nuts_level"] = out["nuts_level"].astype("int64")
    extra = [c for c in out.columns if c not in MEMBER_COLUMNS]
    return out[[*MEMBER_COLUMNS, *extra]]


def _check_code(row, idx, lookup, valid_codes, year, problems) -> int | None:
    """Check ``geo``, ``country`` and ``nuts_level`` of one row; return its level."""
    from regiongap.geo import codes as nuts

    code = row["geo"]
    country = row["country"]
    if not pd.isna(country) and not _ISO2.match(country):
        problems.add(idx, f"country {country!r} is not a two-letter code")
    elif not pd.isna(country) and country in _ISO_TO_EUROSTAT:
        problems.add(
            idx,
            f"country {country!r} is the ISO code; Eurostat writes "
            f"{_ISO_TO_EUROSTAT[country]!r}",
        )
    if pd.isna(code):
        problems.add(idx, "missing nuts_code")
        return None
    try:
        nuts.nuts_level(code)
    except SchemaError as exc:
        problems.add(idx, f"malformed NUTS code: {exc}")
        return None
    if code not in valid_codes:
        hint = _other_version_hint(code, year)
        if hint.startswith("unknown"):
            same_level = [
                c for c in valid_codes if c[:2] == code[:2] and len(c) == len(code)
            ]
            hint += _suggest(code, same_level)
        problems.add(idx, hint)
        return None
    if bool(lookup.at[code, "extra_regio"]):
        problems.add(idx, f"{code!r} is an extra-regio code, not a region")
        return None
    level = int(lookup.at[code, "level"])
    code_country = str(lookup.at[code, "country"])
    comparable = not pd.isna(country) and _ISO2.match(country)
    if comparable and country not in _ISO_TO_EUROSTAT and country != code_country:
        problems.add(
            idx, f"country {country!r} does not match {code!r} ({code_country})"
        )
    given = row["nuts_level"]
    if not pd.isna(given):
        number = _as_int(given)
        if number is None:
            problems.add(idx, f"nuts_level {given!r} is not a whole number")
        elif number != level:
            problems.add(
                idx, f"nuts_level {number} does not match {code!r} (level {level})"
            )
    return level


def _check_vocabulary(row, idx, require, problems) -> None:
    for column, allowed in (
        ("role", ROLES),
        ("confidence", CONFIDENCE_LEVELS),
        ("member_list", MEMBER_LISTS),
    ):
        value = row[column]
        if pd.isna(value):
            if column in require:
                problems.add(idx, f"missing {column}")
            continue
        if value not in allowed:
            problems.add(
                idx,
                f"{column} {value!r} is not one of {', '.join(allowed)}"
                + _suggest(value, allowed),
            )


def _check_urls(value, idx, problems) -> None:
    if pd.isna(value):
        problems.add(idx, "missing source_url")
        return
    bad = [u for u in str(value).split(" | ") if not _URL.match(u.strip())]
    if bad:
        problems.add(idx, f"source_url is not an http(s) URL: {bad[0]!r}")


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
    """
    missing = [c for c in PARTNERSHIP_COLUMNS if c not in frame.columns]
    if missing:
        msg = f"{what} is missing column(s) {missing}; it has {list(frame.columns)}"
        raise MembershipError(msg)
    out = _clean_strings(frame.reset_index(drop=True))
    out["partnership_id"] = out["partnership_id"].str.lower()
    for column in ("platform", "member_list"):
        out[column] = out[column].str.lower()
    rows = pd.Series(range(2, len(out) + 2), index=out.index)
    problems = _Problems(out, rows, ("partnership_id",))
    dup = out["partnership_id"].notna() & out["partnership_id"].duplicated(keep=False)
    for idx, row in out.iterrows():
        pid = row["partnership_id"]
        if pd.isna(pid):
            problems.add(idx, "missing partnership_id")
        elif not _SLUG.match(pid):
            problems.add(
                idx, f"partnership_id {pid!r} is not a slug; use {_slugify(pid)!r}"
            )
        elif dup.loc[idx]:
            problems.add(idx, f"partnership_id {pid!r} appears more than once")
        if pd.isna(row["name"]):
            problems.add(idx, "missing name")
        for column, allowed in (("platform", PLATFORMS), ("member_list", MEMBER_LISTS)):
            value = row[column]
            if pd.isna(value):
                problems.add(idx, f"missing {column}")
            elif value not in allowed:
                problems.add(
                    idx,
                    f"{column} {value!r} is not one of {', '.join(allowed)}"
                    + _suggest(value, allowed),
                )
        for column, low, high in (
            ("members_stated", 0, 10_000),
            ("launched", 1990, 2100),
        ):
            value = row[column]
            if pd.isna(value):
                continue
            number = _as_int(value)
            if number is None or not low <= number <= high:
                problems.add(
                    idx, f"{column} {value!r} is not a whole number in [{low}, {high}]"
                )
        _check_urls(row["source_url"], idx, problems)
    problems.raise_if_any(what, "row")
    for column in ("members_stated", "launched"):
        out[column] = pd.array(
            [_as_int(v) if not pd.isna(v) else None for v in out[column]], dtype="Int64"
        )
    return out[
        [
            *PARTNERSHIP_COLUMNS,
            *[c for c in out.columns if c not in PARTNERSHIP_COLUMNS],
        ]
    ]


# ------------------------------------------------------------------ files
def read_membership(
    path: str | os.PathLike[str],
    *,
    nuts_year: int = 2021,
    member_list: str | None = None,
    sheet: int | str = 0,
) -> pd.DataFrame:
    """Read an analyst's own membership file (CSV or Excel) and validate every row.

    The file has one row per (network, region), like the shipped registry:
    required columns ``partnership_id``, ``nuts_code`` (or ``geo``) and ``role``;
    optional ``region_name``, ``country``, ``nuts_level``, ``confidence``,
    ``source_url``, ``notes``, ``member_list``. Use it for networks the registry
    does not hold (Interreg projects, Vanguard pilots, ERRIN working groups); the
    result works everywhere the shipped registry does, e.g.
    ``rg.members(registry=frame, level=2)`` or
    ``rg.membership_matrix(registry=frame)``.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.csv`` (UTF-8, comma-separated) or ``.xlsx`` file.
    nuts_year : int, default 2021
        NUTS version of the codes; only 2021 is supported, and codes of other
        versions are reported with their 2021 equivalent.
    member_list : {"complete", "partial", "leads_only", "none"}, optional
        Declares how complete the file's lists are when it has no ``member_list``
        column. Without either, lists count as ``"partial"``, so
        :func:`regiongap.membership_groups` refuses a
        members-versus-non-members split until you declare them complete.
    sheet : int or str, default 0
        Excel sheet to read (ignored for CSV).

    Returns
    -------
    pandas.DataFrame
        The shape of :func:`regiongap.members` (:data:`MEMBER_COLUMNS`, then any
        extra columns of the file). A missing ``confidence`` column counts as
        ``"high"`` (the analyst's own list); ``country``, ``nuts_level`` and
        ``region_name`` are filled from the NUTS table where absent.
        ``attrs["source"]`` holds the file path.

    Raises
    ------
    MembershipError
        One error listing every bad row (row numbers as in a spreadsheet, the
        header being row 1) and every reason; see :func:`validate_members`.
    SchemaError
        If the file type is not supported or the file cannot be parsed.
    FileNotFoundError
        If *path* does not exist.

    Examples
    --------
    >>> import regiongap as rg
    >>> mine = rg.read_membership("interreg_partners.csv",
    ...                           member_list="complete")      # doctest: +SKIP
    >>> rg.membership_matrix(registry=mine)                     # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        msg = f"membership file not found: {path}"
        raise FileNotFoundError(msg)
    if member_list is not None and member_list not in MEMBER_LISTS:
        msg = f"member_list={member_list!r} is not one of {MEMBER_LISTS}"
        raise SchemaError(msg)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            raw = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        elif suffix in (".xlsx", ".xlsm"):
            raw = pd.read_excel(
                path, sheet_name=sheet, dtype=str, keep_default_na=False
            )
        else:
            msg = f"cannot read {path.name!r}: use a .csv or .xlsx file"
            raise SchemaError(msg)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        if isinstance(exc, SchemaError):
            raise
        msg = f"cannot parse membership file {path}: {exc}"
        raise SchemaError(msg) from exc
    except ImportError as exc:  # openpyxl is needed for Excel files
        msg = f"reading {path.name!r} needs openpyxl: pip install openpyxl ({exc})"
        raise SchemaError(msg) from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    raw = raw.dropna(how="all")
    raw = raw[~(raw.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1)]
    rows = pd.Series(raw.index + 2, index=raw.index)
    frame = validate_members(
        raw,
        nuts_year=nuts_year,
        default_confidence="high",
        default_member_list=member_list or "partial",
        what=f"membership file {path.name!r}",
        row_numbers=rows,
        row_label="row",
    )
    frame.attrs["source"] = str(path)
    return frame
