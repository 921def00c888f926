"""Row-by-row checking of membership tables: clean cells, collect problems, raise once.

The validators of :mod:`regiongap.membership.validate` check every row and report
every problem of every row in **one** :class:`~regiongap.errors.MembershipError`;
this module holds the collector that does so and the small cell readers they share.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

from regiongap.errors import MembershipError

__all__ = [
    "Problems",
    "as_int",
    "clean_strings",
    "is_missing",
    "slugify",
    "suggest",
]

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def clean_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip whitespace in every text cell; empty cells become ``<NA>``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table read as text.

    Returns
    -------
    pandas.DataFrame
        A copy with every column as ``string`` dtype.

    Examples
    --------
    >>> clean_strings(pd.DataFrame({"geo": [" es21 ", ""]}))["geo"].tolist()
    ['es21', <NA>]
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column].astype("string").str.strip()
        out[column] = values.mask(values == "", pd.NA)
    return out


def is_missing(value: object) -> bool:
    """Return whether a cell is missing (``None``, ``<NA>``, NaN or NaT).

    Parameters
    ----------
    value : object
        A cell.

    Returns
    -------
    bool
        ``True`` for a missing cell.

    Examples
    --------
    >>> is_missing(pd.NA), is_missing(float("nan")), is_missing("ES21")
    (True, True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def suggest(value: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest of *choices*, or ``""``.

    Parameters
    ----------
    value : str
        What was written.
    choices : iterable of str
        What is allowed.

    Returns
    -------
    str
        The hint, or an empty string when nothing is close.

    Examples
    --------
    >>> suggest("leader", ["lead", "member"])
    " (did you mean 'lead'?)"
    """
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def slugify(value: str) -> str:
    """Return *value* as a slug (lowercase letters, digits, single underscores).

    Parameters
    ----------
    value : str
        Any text.

    Returns
    -------
    str
        The slug.

    Examples
    --------
    >>> slugify("Net A")
    'net_a'
    """
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


def as_int(value: object) -> int | None:
    """Return ``"2"``, ``"2.0"`` or ``"2,0"`` as 2; anything else as ``None``.

    Parameters
    ----------
    value : object
        A cell.

    Returns
    -------
    int or None
        The whole number, if the cell holds one.

    Examples
    --------
    >>> as_int("2.0"), as_int("2,0"), as_int("2.5"), as_int("two")
    (2, 2, None, None)
    """
    text = str(value).strip()
    if _DECIMAL_COMMA.match(text):  # a spreadsheet in a European locale
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


class Problems:
    """Collect (row, key columns, reason) and raise them all at once.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table being checked (its index labels identify rows).
    row_numbers : pandas.Series
        Row number of each row in its file, indexed like *frame*.
    key_columns : sequence of str
        Columns that identify a row in the message.
    header_row : int, default 1
        Row number of the header in the file (below title rows, if any).

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": ["ES21", "XX"]})
    >>> problems = Problems(frame, pd.Series([2, 3]), ("geo",))
    >>> problems.add(1, "unknown code")
    >>> problems.raise_if_any("my table", "row")
    Traceback (most recent call last):
    regiongap.errors.MembershipError: my table has 1 bad row (row numbers count the
    header as row 1):
      row 3 (geo='XX'): unknown code
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        row_numbers: pd.Series,
        key_columns: Sequence[str],
        *,
        header_row: int = 1,
    ) -> None:
        self._frame = frame
        self._rows = {label: int(n) for label, n in row_numbers.items()}
        self._keys = tuple(key_columns)
        self._header_row = header_row
        self.items: list[dict[str, object]] = []

    def add(self, index: Hashable, reason: str) -> None:
        """Record that the row labelled *index* has the problem *reason*.

        Parameters
        ----------
        index : hashable
            The row's label in the frame.
        reason : str
            What is wrong, and the fix where one is known.
        """
        row = self._frame.loc[[index]].iloc[0]
        entry: dict[str, object] = {"row": self._rows[index]}
        for key in self._keys:
            value = row.get(key, pd.NA)
            entry[key] = None if is_missing(value) else str(value)
        entry["problem"] = reason
        self.items.append(entry)

    def raise_if_any(self, what: str, row_label: str) -> None:
        """Raise one :class:`MembershipError` listing every problem, if there is one.

        Parameters
        ----------
        what : str
            How the table is named in the message.
        row_label : str
            Word used for row numbers ("row" or "line").

        Raises
        ------
        MembershipError
            One line per bad row with all of its reasons; the exception's
            ``problems`` attribute holds them as a frame (row, key columns, problem).
        """
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
            f"({row_label} numbers count the header as {row_label} "
            f"{self._header_row}):\n" + "\n".join(lines)
        )
        error = MembershipError(msg)
        error.problems = table  # type: ignore[attr-defined]  # documented extra attribute
        raise error
