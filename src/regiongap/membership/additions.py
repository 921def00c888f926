"""Reviewed additions to a registry: checked row by row, merged into its member table.

A registry grows by additions: a CSV with the columns of the member table
(:data:`MEMBER_FILE_COLUMNS`; the level column may keep its regiongap 0.1 name
``nuts_level``) and, optionally, ``quote``, the words of the source that name the
region as a member. :func:`merge_additions` checks every added row as the registry
checks its own — a known partnership, a valid NUTS code matching country and level,
the vocabulary, and above all a **source URL on every row** (a row whose source is
not an http(s) URL is refused) — and that no (partnership, region) pair is already
in the registry, then returns the member table with the rows appended, cell for cell
as the files write them (the quote joins the row's notes). Nothing is written: the
maintainer writes the table (``scripts/merge_partnership_additions.py``) and edits
the partnership table (``member_list``, ``members_stated``) by hand, as reviewed.

>>> rows = pd.DataFrame([{
...     "partnership_id": "sports", "region_name": "Kainuu", "country": "FI",
...     "nuts_code": "FI1D8", "nuts_level": "3", "role": "member",
...     "source_url": "epsi.eu/clussport", "confidence": "high", "notes": ""}])
>>> merge_additions(rows)
Traceback (most recent call last):
regiongap.errors.MembershipError: additions has 1 bad row (row numbers count the
header as row 1):
  row 2 (partnership_id='sports', geo='FI1D8'): source_url is not an http(s) URL:
  'epsi.eu/clussport'
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from regiongap.errors import MembershipError
from regiongap.membership._rows import Problems, clean_strings
from regiongap.membership._tables import read_registry_table
from regiongap.membership.registry import MEMBERS_FILE, PARTNERSHIPS_FILE
from regiongap.membership.validate import validate_members

__all__ = ["MEMBER_FILE_COLUMNS", "merge_additions", "read_additions"]

MEMBER_FILE_COLUMNS: tuple[str, ...] = (
    "partnership_id",
    "region_name",
    "country",
    "nuts_code",
    "level",
    "role",
    "source_url",
    "confidence",
    "notes",
)
"""Columns of a registry's member table ``s3_partnership_members.csv``, in order."""

_REQUIRED = (
    "partnership_id",
    "geo",
    "region_name",
    "country",
    "level",
    "role",
    "confidence",
    "source_url",
)


def read_additions(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read a file of proposed member rows (UTF-8 CSV) as text cells.

    Parameters
    ----------
    path : str or os.PathLike
        The additions file.

    Returns
    -------
    pandas.DataFrame
        Its rows, every cell as text (empty cells ``""``).

    Raises
    ------
    FileNotFoundError
        If *path* does not exist.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "additions.csv"
    >>> _ = path.write_text("partnership_id,nuts_code\nsports,FI1D8\n")
    >>> read_additions(path)
      partnership_id nuts_code
    0         sports     FI1D8
    """
    return pd.read_csv(Path(path), dtype=str, keep_default_na=False, encoding="utf-8")


def _file_layout(additions: pd.DataFrame, what: str) -> pd.DataFrame:
    """Return the additions in the member file's columns, the quote in the notes."""
    frame = additions.rename(columns={"nuts_level": "level"})
    unknown = [c for c in frame.columns if c not in (*MEMBER_FILE_COLUMNS, "quote")]
    missing = [c for c in MEMBER_FILE_COLUMNS if c not in frame.columns]
    if unknown or missing:
        msg = (
            f"{what} must have the member table's columns "
            f"{list(MEMBER_FILE_COLUMNS)} (and optionally 'quote'); "
            f"missing {missing}, not allowed {unknown}"
        )
        raise MembershipError(msg)
    frame = clean_strings(frame.reset_index(drop=True))
    for column in ("nuts_code", "country"):
        frame[column] = frame[column].str.upper()
    for column in ("partnership_id", "role", "confidence"):
        frame[column] = frame[column].str.lower()
    if "quote" in frame.columns:
        quoted = frame["quote"].notna()
        quote = "source quote: “" + frame["quote"] + "”"
        notes = (frame["notes"] + "; ").fillna("") + quote
        frame.loc[quoted, "notes"] = notes[quoted]
    return frame[list(MEMBER_FILE_COLUMNS)]


def _check_new(frame: pd.DataFrame, registry: pd.DataFrame, problems: Problems) -> None:
    """Record every added (partnership, region) pair the registry already has."""
    lines: dict[tuple[str, str], int] = {
        (str(pid), str(code).upper()): i + 2
        for i, (pid, code) in enumerate(
            zip(registry["partnership_id"], registry["nuts_code"], strict=True)
        )
    }
    for idx, pid, code in zip(
        frame.index, frame["partnership_id"], frame["geo"], strict=True
    ):
        line = lines.get((pid, code))
        if line is not None:
            problems.add(
                idx, f"({pid!r}, {code!r}) is already in {MEMBERS_FILE} (line {line})"
            )


def merge_additions(
    additions: pd.DataFrame,
    *,
    folder: str | os.PathLike[str] | None = None,
    what: str = "additions",
) -> pd.DataFrame:
    """Check proposed member rows and return the registry's member table with them.

    Parameters
    ----------
    additions : pandas.DataFrame
        One row per proposed (partnership, region): the columns of
        :data:`MEMBER_FILE_COLUMNS` (``nuts_level`` is read as ``level``) and
        optionally ``quote``, as :func:`read_additions` returns them.
    folder : str or os.PathLike, optional
        The registry folder to merge into (default: the shipped registry).
    what : str, default "additions"
        How the additions are named in the error message.

    Returns
    -------
    pandas.DataFrame
        The registry's member table (:data:`MEMBER_FILE_COLUMNS`, text cells as
        the file writes them) followed by the additions in their order, their
        quote (if any) appended to their notes as ``source quote: “…”``.

    Raises
    ------
    MembershipError
        Listing every bad added row (row numbers of the additions file, the
        header being row 1): a source that is missing or not an http(s) URL, an
        unknown partnership, a NUTS code that is not a NUTS 2021 region of the
        row's country and level, a role or confidence outside the vocabulary, a
        pair listed twice, or a pair the registry already holds. Also when a
        column is missing or not one of the member table's.

    Examples
    --------
    >>> rows = pd.DataFrame([{
    ...     "partnership_id": "sports", "region_name": "Kainuu (FI)",
    ...     "country": "FI", "nuts_code": "FI1D8", "nuts_level": "3",
    ...     "role": "member", "source_url": "https://epsi.eu/clussport/",
    ...     "confidence": "high", "notes": "", "quote": "Kainuu (FI)"}])
    >>> merge_additions(rows)
    Traceback (most recent call last):
    regiongap.errors.MembershipError: additions has 1 bad row (row numbers count the
    header as row 1):
      row 2 (partnership_id='sports', geo='FI1D8'): ('sports', 'FI1D8') is already
      in s3_partnership_members.csv (line 149)
    >>> table = merge_additions(rows.iloc[:0])  # nothing to add: the table as it is
    >>> table.iloc[147][["partnership_id", "nuts_code", "level", "source_url"]].tolist()
    ['sports', 'FI1D8', '3', 'https://epsi.eu/clussport/']
    """
    frame = _file_layout(additions, what)
    keyed = frame.rename(columns={"nuts_code": "geo"})
    known = read_registry_table(folder, PARTNERSHIPS_FILE)["partnership_id"]
    validate_members(keyed, known_partnerships=set(known), require=_REQUIRED, what=what)
    registry = read_registry_table(folder, MEMBERS_FILE)
    rows = pd.Series(range(2, len(frame) + 2), index=frame.index)
    problems = Problems(keyed, rows, ("partnership_id", "geo"))
    _check_new(keyed, registry, problems)
    problems.raise_if_any(what, "row")
    added = frame.astype(object).where(frame.notna(), "")
    return pd.concat([registry[list(MEMBER_FILE_COLUMNS)], added], ignore_index=True)
