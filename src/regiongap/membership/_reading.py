r"""An analyst's file as text cells: encoding, delimiter, title rows, numbers.

Membership files come out of spreadsheets saved in many locales: comma-, semicolon-
or tab-separated, in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or cp1252/Latin-1, with a title row above the header, empty rows at
the end and decimal commas. The readers here turn such a file into one frame of text
cells and the file's row number of each row, so that every problem is reported where
the analyst sees it in the spreadsheet. The encoding is detected by
`charset-normalizer <https://charset-normalizer.readthedocs.io>`_ among the
encodings of :data:`ENCODINGS`, never guessed from a few bytes.

>>> text = "My network;;\npartnership_id;nuts_code;role\nnet;ES21;lead\n;;\n"
>>> rows = split_rows(text, sniff_delimiter(text))
>>> frame, numbers = rows_to_frame(rows, find_header(rows))
>>> frame
  partnership_id nuts_code  role
0            net      ES21  lead
>>> numbers.tolist()  # the header is the file's row 2
[3]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from itertools import islice

import pandas as pd
from charset_normalizer import from_bytes

from regiongap.errors import SchemaError
from regiongap.membership.vocabulary import MEMBER_COLUMNS

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "decimal_points",
    "decode",
    "delimiter_name",
    "find_header",
    "rows_to_frame",
    "sniff_delimiter",
    "split_rows",
]

ENCODINGS: tuple[str, ...] = ("utf_8", "utf_16", "cp1252", "latin_1")
"""The encodings a membership file is detected among (Python codec names)."""
_ENCODING_NAMES = (
    "utf-8 (with or without BOM), utf-16 (with BOM), cp1252 (Windows Western "
    "European) and latin-1 (ISO-8859-1)"
)
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
"""The cell separators a delimited membership file may use."""
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# Column names that mark the header row (the 0.1 names included).
_HEADER_NAMES = frozenset(MEMBER_COLUMNS) | {"nuts_code", "nuts_level"}
# The membership columns are checked as written (a level "2,0" is read by the
# validator); only the analyst's own columns are rewritten with decimal points.
_SCAN_ROWS = 30  # the header is looked for among the first rows
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")
_MAX_CHAOS = 0.2  # charset-normalizer's share of "mess" above which text is refused
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    r"""Return the text of a file and the encoding it was read in.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file's name, for messages.
    encoding : str, optional
        A Python codec to use instead of detecting one.

    Returns
    -------
    (str, str)
        The text (without a byte-order mark) and the encoding, e.g. ``"cp1252"``
        or ``"utf_8 (BOM)"``.

    Raises
    ------
    SchemaError
        If *encoding* is not a codec or does not decode the file, or if no
        encoding of :data:`ENCODINGS` reads it as text (naming the file and the
        encodings tried).

    Examples
    --------
    >>> decode("Île-de-France".encode("cp1252"), "m.csv")
    ('Île-de-France', 'cp1252')
    >>> decode(b"\xef\xbb\xbfES21", "m.csv")
    ('ES21', 'utf_8 (BOM)')
    >>> decode(bytes(range(256)) * 4, "m.csv")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: cannot detect the encoding of membership file
    'm.csv': it reads as text in none of utf-8 (with or without BOM), utf-16 (with
    BOM), cp1252 (Windows Western European) and latin-1 (ISO-8859-1). Save it as
    "CSV UTF-8" or pass encoding= (a Python codec name such as 'cp1250')
    """
    if encoding is not None:
        return _decode_as(data, name, encoding), encoding
    match = from_bytes(data, cp_isolation=list(ENCODINGS), threshold=_MAX_CHAOS).best()
    # a byte-order mark is taken at its word even when the text is a mess: the
    # detector then reports the mess at the threshold, which is refused here
    if match is not None and match.chaos < _MAX_CHAOS:
        codec = "utf_8_sig" if match.encoding == "utf_8" else match.encoding
        try:  # the detector is lenient with truncated UTF-16; decoding is not
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and not _CONTROL.search(text):
            label = match.encoding + (" (BOM)" if match.bom else "")
            return text, label
    msg = (
        f"cannot detect the encoding of membership file {name!r}: it reads as text "
        f'in none of {_ENCODING_NAMES}. Save it as "CSV UTF-8" or pass encoding= '
        "(a Python codec name such as 'cp1250')"
    )
    raise SchemaError(msg)


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    """Decode *data* with the codec the caller named; a BOM is dropped."""
    try:
        text = data.decode(encoding)
    except LookupError as exc:
        msg = f"encoding={encoding!r} is not a Python codec (e.g. 'utf-8', 'cp1252')"
        raise SchemaError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = (
            f"membership file {name!r} is not {encoding}: {exc}. Leave encoding= "
            f"unset to detect it among {_ENCODING_NAMES}"
        )
        raise SchemaError(msg) from exc
    return text.removeprefix("\ufeff")


def split_rows(text: str, delimiter: str) -> list[list[str]]:
    r"""Split delimited *text* into rows of cells (quotes as in CSV).

    Parameters
    ----------
    text : str
        The file's text.
    delimiter : str
        One of :data:`DELIMITERS`.

    Returns
    -------
    list of list of str
        One list of cells per row of the file, empty rows included.

    Examples
    --------
    >>> split_rows('a;"b;c"\n\n1;2\n', ";")
    [['a', 'b;c'], [], ['1', '2']]
    """
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _known_names(row: Sequence[object]) -> int:
    """How many cells of *row* are membership column names."""
    return len({str(c).strip().lower() for c in row} & _HEADER_NAMES)


def sniff_delimiter(text: str) -> str:
    r"""Return the delimiter of a membership file: the one that splits out its header.

    Each delimiter of :data:`DELIMITERS` is tried on the first rows; the one that
    yields a row with the most membership column names (``partnership_id``,
    ``nuts_code`` …) wins, title rows above it notwithstanding. A file with no such
    row is left to :class:`csv.Sniffer` (comma if it cannot tell).

    Parameters
    ----------
    text : str
        The file's text.

    Returns
    -------
    str
        ``","``, ``";"`` or ``"\t"``.

    Examples
    --------
    >>> sniff_delimiter("My network\npartnership_id;nuts_code;role\nnet;ES21;lead\n")
    ';'
    >>> sniff_delimiter("a\tb\n1\t2\n")
    '\t'
    """
    best, best_count = None, 1
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        count = max(
            (_known_names(row) for row in islice(reader, _SCAN_ROWS)), default=0
        )
        if count > best_count:
            best, best_count = delimiter, count
    if best is not None:
        return best
    try:
        sample = "\n".join(text.splitlines()[:_SCAN_ROWS])
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def find_header(rows: Sequence[Sequence[object]]) -> int:
    """Return the index of the header row: the first naming two membership columns.

    Title rows above the header (a network's name, a date) are skipped. When no
    row names two membership columns, the first non-empty row is the header (and
    the validator reports the columns it lacks).

    Parameters
    ----------
    rows : sequence of sequence
        The file's rows of cells.

    Returns
    -------
    int
        Index of the header in *rows* (0 for an empty file).

    Examples
    --------
    >>> find_header([["Network A, 2024"], [], ["partnership_id", "nuts_code"]])
    2
    >>> find_header([[], ["a", "b"], ["1", "2"]])
    1
    """
    for index, row in enumerate(islice(rows, _SCAN_ROWS)):
        if _known_names(row) >= 2:
            return index
    for index, row in enumerate(rows):
        if any(str(c).strip() for c in row):
            return index
    return 0


def rows_to_frame(
    rows: Sequence[Sequence[object]], header: int
) -> tuple[pd.DataFrame, pd.Series]:
    """Build the table below the header row; drop empty rows and empty columns.

    Parameters
    ----------
    rows : sequence of sequence
        The file's rows of cells (text; Excel cells are turned into text).
    header : int
        Index of the header row in *rows*.

    Returns
    -------
    (pandas.DataFrame, pandas.Series)
        The table (text cells, column names stripped and lower-cased; rows with
        no text and unnamed columns with no text dropped) and, indexed like it,
        each row's number in the file (the file's first row being 1).

    Raises
    ------
    SchemaError
        If there is no header row (an empty file).

    Examples
    --------
    >>> rows = [["Geo ", "role", ""], ["ES21", "lead"], [], ["ES22", "member"]]
    >>> frame, numbers = rows_to_frame(rows, 0)
    >>> frame
        geo    role
    0  ES21    lead
    2  ES22  member
    >>> numbers.tolist()
    [2, 4]
    """
    if header >= len(rows):
        msg = "No columns to parse (the file is empty)"
        raise SchemaError(msg)
    names = [str(c).strip().lower() for c in rows[header]]
    body = [[_text(c) for c in row] for row in rows[header + 1 :]]
    width = max([len(names), *(len(r) for r in body)])
    names += [""] * (width - len(names))
    cells = [r + [""] * (width - len(r)) for r in body]
    filled = pd.DataFrame(
        [[bool(c.strip()) for c in r] for r in cells], columns=range(width), dtype=bool
    )
    keep = [i for i in range(width) if names[i] or bool(filled[i].any())]
    frame = pd.DataFrame(
        [[r[i] for i in keep] for r in cells],
        columns=[names[i] or f"unnamed: {i + 1}" for i in keep],
        dtype=object,
    )
    numbers = pd.Series(range(header + 2, header + 2 + len(body)), dtype="int64")
    used = filled.any(axis=1)
    return frame[used], numbers[used]


def _text(cell: object) -> str:
    """Return one cell as text: Excel's missing cells become ``""``."""
    missing = cell is None or (isinstance(cell, float) and cell != cell)
    return "" if missing else str(cell)


def decimal_points(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Write the numbers of columns that use decimal commas with decimal points.

    A column is read this way when every filled cell is a number, at least one
    with a decimal comma (``"2,5"``, ``"1.234,5"``, where a dot groups
    thousands). Only the analyst's own columns are rewritten: the membership
    columns are checked as the file writes them (the validator reads a level
    ``"2,0"`` as 2). Cells stay text: :func:`pandas.to_numeric` reads them.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of text cells.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table with such columns rewritten, and their names.

    Examples
    --------
    >>> table = pd.DataFrame({"budget": ["1.234,5", "10", ""],
    ...                       "notes": ["2,5", "", ""]})
    >>> table, columns = decimal_points(table)
    >>> table["budget"].tolist(), table["notes"].tolist(), columns
    (['1234.5', '10', ''], ['2,5', '', ''], ['budget'])
    """
    out = frame.copy()
    changed = []
    for column in out.columns:
        if column in _HEADER_NAMES:
            continue
        cells = out[column].astype(str).str.strip()
        filled = cells[cells != ""]
        commas = filled.str.match(_DECIMAL_COMMA)
        if not commas.any() or not (commas | filled.str.match(_INTEGER)).all():
            continue
        fixed = filled.str.replace(".", "", regex=False).str.replace(",", ".")
        out.loc[fixed.index, column] = fixed
        changed.append(str(column))
    return out, changed


def delimiter_name(delimiter: str) -> str:
    r"""Return ``"semicolon"`` for ``";"`` (and so on), for messages and attributes.

    Parameters
    ----------
    delimiter : str
        One of :data:`DELIMITERS`.

    Returns
    -------
    str
        Its name.

    Examples
    --------
    >>> delimiter_name("\t")
    'tab'
    """
    return _DELIMITER_NAMES.get(delimiter, repr(delimiter))
