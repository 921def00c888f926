"""An analyst's own membership file (CSV or Excel), read and validated row by row.

Use it for networks the shipped registry does not hold (Interreg projects, Vanguard
pilots, ERRIN working groups): the table :func:`read_membership` returns works
everywhere the registry does, through the ``registry=`` argument of
:func:`regiongap.members`, :func:`regiongap.membership_matrix` and
:func:`regiongap.membership_groups`.
"""

from __future__ import annotations

import csv
import os
import zipfile
from pathlib import Path

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.membership._reading import (
    decimal_points,
    decode,
    delimiter_name,
    find_header,
    rows_to_frame,
    sniff_delimiter,
    split_rows,
)
from regiongap.membership.validate import validate_members
from regiongap.membership.vocabulary import (
    MEMBER_LISTS,
    MEMBERS_NUTS_YEAR,
    MemberList,
)
from regiongap.schema import NutsYear

__all__ = ["EXCEL_SUFFIXES", "TEXT_SUFFIXES", "read_membership"]

TEXT_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt")
"""File types read as delimited text (comma, semicolon or tab)."""
EXCEL_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm")
"""File types read as Excel workbooks (with openpyxl)."""


def _text_rows(
    path: Path, encoding: str | None
) -> tuple[list[list[str]], dict[str, str]]:
    """Rows of cells of a delimited text file, with its encoding and delimiter."""
    text, used = decode(path.read_bytes(), path.name, encoding)
    delimiter = sniff_delimiter(text)
    try:
        rows = split_rows(text, delimiter)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        msg = f"cannot parse membership file {path}: {exc}"
        raise SchemaError(msg) from exc
    return rows, {"encoding": used, "delimiter": delimiter_name(delimiter)}


def _excel_rows(path: Path, sheet: int | str) -> list[list[object]]:
    """Rows of cells of one sheet of an Excel workbook, from the sheet's first row."""
    try:
        table = pd.read_excel(
            path, sheet_name=sheet, header=None, dtype=str, keep_default_na=False
        )
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        msg = f"cannot parse membership file {path}: {exc}"
        raise SchemaError(msg) from exc
    except ImportError as exc:  # openpyxl is needed for Excel files
        msg = f"reading {path.name!r} needs openpyxl: pip install openpyxl ({exc})"
        raise SchemaError(msg) from exc
    return table.to_numpy().tolist()


def _read_table(
    path: Path, sheet: int | str, encoding: str | None
) -> tuple[pd.DataFrame, pd.Series, dict[str, object]]:
    """Return the table below the header, each row's number, and how it was read."""
    suffix = path.suffix.lower()
    info: dict[str, object]
    rows: list[list[str]] | list[list[object]]
    if suffix in TEXT_SUFFIXES:
        rows, text_info = _text_rows(path, encoding)
        info = dict(text_info)
    elif suffix in EXCEL_SUFFIXES:
        rows, info = _excel_rows(path, sheet), {"sheet": sheet}
    else:
        msg = (
            f"cannot read {path.name!r}: use a .csv or .xlsx file (also read: "
            f"{', '.join(s for s in (*TEXT_SUFFIXES, *EXCEL_SUFFIXES))})"
        )
        raise SchemaError(msg)
    header = find_header(rows)
    try:
        raw, numbers = rows_to_frame(rows, header)
    except SchemaError as exc:
        msg = f"cannot parse membership file {path}: {exc}"
        raise SchemaError(msg) from exc
    raw, decimals = decimal_points(raw)
    info.update(header_row=header + 1, decimal_comma=decimals)
    return raw, numbers, info


def read_membership(
    path: str | os.PathLike[str],
    *,
    nuts_year: NutsYear | None = MEMBERS_NUTS_YEAR,
    member_list: MemberList | None = None,
    sheet: int | str = 0,
    encoding: str | None = None,
) -> pd.DataFrame:
    r"""Read an analyst's own membership file (CSV or Excel) and validate every row.

    The file has one row per (network, region), like the shipped registry:
    required columns ``partnership_id``, ``nuts_code`` (or ``geo``) and ``role``;
    optional ``region_name``, ``country``, ``level``, ``nuts_year`` (the row's
    NUTS version), ``confidence``, ``source_url``, ``notes``, ``member_list``.
    Files written for regiongap 0.1, whose level column is called
    ``nuts_level``, keep working: the column is read as ``level`` (and messages
    name it as the file does). Use it for networks the
    registry does not hold (Interreg projects, Vanguard pilots, ERRIN working
    groups); the result works everywhere the shipped registry does, e.g.
    ``rg.members(registry=frame, level=2)`` or
    ``rg.membership_matrix(registry=frame)``.

    Files as spreadsheets save them in any European locale are read as they are:

    * the delimiter (comma, semicolon or tab) is found from the header row;
    * the encoding is detected (UTF-8 with or without byte-order mark, UTF-16
      with one, cp1252 or Latin-1) by charset-normalizer; a file in none of them
      is refused with a message naming the encodings tried;
    * title rows above the header (the first row naming two of the columns
      above) and empty rows are skipped; row numbers stay those of the file;
    * decimal commas are read: a level written ``2,0`` is level 2, and the
      analyst's own columns of numbers with decimal commas (``2,5``,
      ``1.234,5``) are rewritten with decimal points; they stay text, read them
      with :func:`pandas.to_numeric`.

    Parameters
    ----------
    path : str or os.PathLike
        A delimited text file (``.csv``, ``.tsv``, ``.txt``) or an Excel
        workbook (``.xlsx``, ``.xlsm``).
    nuts_year : {2021, 2013, 2016, 2024, None}, default 2021
        NUTS version of the codes (of rows whose ``nuts_year`` cell is empty);
        ``None`` takes each code's own version (2021 when it is a NUTS 2021
        code). A code of another version than its row's is reported with its
        successor from the official correspondence (``FR30`` → ``FRE1``), a code
        of no version with the closest codes of its country. Members are mapped
        to the analysis version by :func:`regiongap.members` (``nuts_year=``).
    member_list : {"complete", "partial", "leads_only", "none"}, optional
        Declares how complete the file's lists are when it has no ``member_list``
        column. Without either, lists count as ``"partial"``, so
        :func:`regiongap.membership_groups` refuses a
        members-versus-non-members split until you declare them complete.
    sheet : int or str, default 0
        Excel sheet to read (ignored for text files).
    encoding : str, optional
        The text file's encoding as a Python codec name (e.g. ``"cp1250"`` for
        a Central European Windows file), instead of detecting it.

    Returns
    -------
    pandas.DataFrame
        The shape of :func:`regiongap.members`
        (:data:`~regiongap.membership.validate.MEMBER_COLUMNS`, then any extra
        columns of the file). A missing ``confidence`` column counts as
        ``"high"`` (the analyst's own list); ``country``, ``level`` and
        ``region_name`` are filled from the NUTS table where absent.
        ``attrs`` say how the file was read: ``source`` (the path),
        ``header_row`` (its row number), ``decimal_comma`` (the columns read
        with decimal commas), and ``encoding`` and ``delimiter`` for a text
        file or ``sheet`` for a workbook.

    Raises
    ------
    MembershipError
        One error listing every bad row (row numbers as in the spreadsheet) and
        every reason; see
        :func:`~regiongap.membership.validate.validate_members`.
    SchemaError
        If the file type is not supported, its encoding cannot be detected (or is
        not *encoding*), or the file cannot be parsed.
    FileNotFoundError
        If *path* does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import regiongap as rg
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "network.csv").write_text(
    ...     "partnership_id,nuts_code,role\n"
    ...     "my_network,ES21,lead\n"
    ...     "my_network,FRH,member\n", encoding="utf-8")
    >>> mine = rg.read_membership(folder / "network.csv", member_list="complete")
    >>> mine[["partnership_id", "geo", "region_name", "level", "role"]]
      partnership_id   geo region_name  level    role
    0     my_network  ES21  País Vasco      2    lead
    1     my_network   FRH    Bretagne      1  member
    >>> rg.membership_matrix(registry=mine)
    partnership_id  my_network
    geo
    ES21                     1
    FRH0                     1

    A file saved by a French spreadsheet: a title row, semicolons, cp1252,
    decimal commas and an empty row at the end.

    >>> _ = (folder / "réseau.csv").write_bytes(
    ...     "Mon réseau (2024);;;;\n"
    ...     "partnership_id;nuts_code;region_name;role;budget\n"
    ...     "mon_reseau;FR10;Île-de-France;lead;1.234,5\n"
    ...     ";;;;\n".encode("cp1252"))
    >>> mine = rg.read_membership(folder / "réseau.csv")
    >>> mine[["geo", "region_name", "role", "budget"]]
        geo    region_name  role  budget
    0  FR10  Île-de-France  lead  1234.5
    >>> [mine.attrs[k] for k in ("encoding", "delimiter", "header_row")]
    ['cp1252', 'semicolon', 2]
    """
    path = Path(path)
    if not path.is_file():
        msg = f"membership file not found: {path}"
        raise FileNotFoundError(msg)
    if member_list is not None and member_list not in MEMBER_LISTS:
        msg = f"member_list={member_list!r} is not one of {MEMBER_LISTS}"
        raise SchemaError(msg)
    raw, numbers, info = _read_table(path, sheet, encoding)
    frame = validate_members(
        raw,
        nuts_year=nuts_year,
        default_confidence="high",
        default_member_list=member_list or "partial",
        what=f"membership file {path.name!r}",
        row_numbers=numbers,
        row_label="row",
        header_row=int(str(info["header_row"])),
    )
    frame.attrs.update(source=str(path), **info)
    return frame
