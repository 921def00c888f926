"""How the reports' tables read: separators, decimals, units and alignment.

The tables of :mod:`regiongap.report.tables` keep their numbers as numbers (so they
can be tested and reused); a :class:`Table` adds how each column is written when a
notebook or a report page shows it: thousands separators, whole numbers for counts
and ranks, the same decimals for every value of an indicator (0 from 1,000, 1 from
10, else 2, as the figures write them), "–" for a missing value, text columns left
aligned, numbers right aligned, and every text HTML-escaped. :class:`Html` is a
block of HTML a notebook displays as such.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - typing only
    from pandas.io.formats.style import Styler
    from pandas.io.formats.style_render import CSSDict

__all__ = [
    "INDEX_LABEL",
    "MISSING_TEXT",
    "PILLAR_LABELS",
    "Html",
    "Table",
    "decimals",
    "note",
    "number_format",
    "pillar_label",
    "pillar_labels",
]

#: What a table shows for a missing value.
MISSING_TEXT = "–"
#: The capacity index's axis and column title.
INDEX_LABEL = "Capacity index (0–100)"
#: Readable names of the catalogue's pillars.
PILLAR_LABELS: dict[str, str] = {
    "economic_resources": "Economic resources",
    "research_innovation": "Research and innovation",
    "human_capital": "Human capital",
    "digital_infrastructure": "Digital infrastructure",
    "transport_infrastructure": "Transport infrastructure",
    "health_infrastructure": "Health infrastructure",
    "infrastructure": "Infrastructure",
    "context": "Context",
}

#: A column's format: a ``str.format`` pattern such as ``"{:,.1f}"`` or a function.
Format = str | Callable[[Any], str]


class Html(str):
    """A string of HTML that notebooks display as HTML (``_repr_html_``).

    Examples
    --------
    >>> Html("<p>No members</p>")._repr_html_()
    '<p>No members</p>'
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def note(text: str) -> Html:
    """Return a short note for a page (escaped), e.g. when there is nothing to draw.

    Parameters
    ----------
    text : str
        The note.

    Returns
    -------
    Html
        ``<p class='rg-note'>…</p>``.

    Examples
    --------
    >>> note("No members <listed>.")
    "<p class='rg-note'>No members &lt;listed&gt;.</p>"
    """
    return Html(f"<p class='rg-note'>{html.escape(text, quote=True)}</p>")


def pillar_labels(pillars: Iterable[str]) -> dict[str, str]:
    """Return :func:`pillar_label` of each pillar, by pillar id.

    Parameters
    ----------
    pillars : iterable of str
        Pillar ids (e.g. the columns of the pillar scores).

    Returns
    -------
    dict
        Pillar id -> readable name.

    Examples
    --------
    >>> pillar_labels(["human_capital"])
    {'human_capital': 'Human capital'}
    """
    return {str(p): pillar_label(str(p)) for p in pillars}


def pillar_label(pillar: str) -> str:
    """Return the readable name of a pillar.

    Parameters
    ----------
    pillar : str
        A pillar id of the catalogue, e.g. ``"research_innovation"``.

    Returns
    -------
    str
        Its name in :data:`PILLAR_LABELS`, else the id with spaces, capitalised.

    Examples
    --------
    >>> pillar_label("research_innovation"), pillar_label("blue_economy")
    ('Research and innovation', 'Blue economy')
    """
    return PILLAR_LABELS.get(pillar, pillar.replace("_", " ").capitalize())


def decimals(values: Iterable[object]) -> int:
    """Return the decimals every value of one indicator gets: 0 from 1,000, 1 from 10.

    Parameters
    ----------
    values : iterable
        The indicator's values (missing and non-numeric ones are ignored).

    Returns
    -------
    int
        0 when the largest absolute value is at least 1,000, 1 when at least
        10, else 2 (1 when there is no value).

    Examples
    --------
    >>> decimals([23000.0, 41000.0]), decimals([38.04, 57.2]), decimals([0.2, None])
    (0, 1, 2)
    """
    numbers = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce")
    finite = numbers.astype(float)
    finite = finite[np.isfinite(finite)]
    if finite.empty:
        return 1
    span = float(finite.abs().max())
    return 0 if span >= 1000 else 1 if span >= 10 else 2


def number_format(digits: int) -> str:
    """Return the format pattern of a number with separators and *digits* decimals.

    Parameters
    ----------
    digits : int
        Decimals.

    Returns
    -------
    str
        A ``str.format`` pattern, e.g. ``"{:,.0f}"``.

    Examples
    --------
    >>> number_format(0).format(30900.0), number_format(1).format(38.04)
    ('30,900', '38.0')
    """
    return "{:,.%df}" % digits  # noqa: UP031 - builds a str.format pattern


class Table(pd.DataFrame):
    """A table of a report page: a DataFrame that knows how each column reads.

    Build one with :meth:`Table.of`: the ``formats`` given for some columns (a
    ``str.format`` pattern or a function); every other numeric column gets
    separators and the decimals of :func:`decimals` (whole numbers for integer
    columns).

    Examples
    --------
    >>> import pandas as pd
    >>> table = Table.of(
    ...     pd.DataFrame({"Region": ["Wien"], "GDP (PPS)": [45123.4], "Rank": [3.0]}),
    ...     formats={"Rank": "{:,.0f}"},
    ... )
    >>> table.formatted()
      Region GDP (PPS) Rank
    0   Wien    45,123    3
    >>> float(table["GDP (PPS)"].iloc[0])  # still a number
    45123.4
    """

    _metadata: ClassVar[list[str]] = ["formats"]
    formats: dict[str, Format]

    @classmethod
    def of(
        cls, frame: pd.DataFrame, formats: Mapping[str, Format] | None = None
    ) -> Table:
        """Return *frame* as a table with the *formats* of some columns.

        Parameters
        ----------
        frame : pandas.DataFrame
            The table (a :class:`Table` keeps its formats).
        formats : mapping of str to str or callable, optional
            Format of some columns.

        Returns
        -------
        Table
            The same rows and columns.
        """
        out = cls(frame)
        out.formats = {**getattr(frame, "formats", {}), **dict(formats or {})}
        return out

    @property
    def _constructor(self) -> Callable[..., Table]:
        return Table

    def column_formats(self) -> dict[str, Format]:
        """Return the format of every numeric column (given, else inferred).

        Returns
        -------
        dict
            Column name -> format pattern or function.
        """
        given = getattr(self, "formats", None) or {}
        out: dict[str, Format] = {}
        for col in self.columns:
            series = self[col]
            if col in given:
                out[str(col)] = given[col]
            elif pd.api.types.is_bool_dtype(series):
                continue
            elif pd.api.types.is_integer_dtype(series):
                out[str(col)] = number_format(0)
            elif pd.api.types.is_float_dtype(series):
                out[str(col)] = number_format(decimals(series))
        return out

    def formatted(self) -> pd.DataFrame:
        """Return the table as the page shows it: every cell a string.

        Returns
        -------
        pandas.DataFrame
            Index and columns as in the table, cells formatted.
        """
        formats = self.column_formats()
        out = pd.DataFrame(self, copy=True)
        for col in self.columns:
            fmt = formats.get(str(col))
            out[col] = [_cell(v, fmt) for v in self[col]]
        return out

    def styler(self) -> Styler:
        """Return a pandas ``Styler`` writing the table for a page (HTML-escaped).

        Returns
        -------
        pandas.io.formats.style.Styler
            The index as the first column(s), one header row, formatted cells.
        """
        plain = pd.DataFrame(self)
        if not isinstance(plain.index, pd.RangeIndex) or plain.index.name:
            plain = plain.reset_index()
        formats = self.column_formats()
        cells: dict[Any, Format | None] = {
            col: _writer(formats.get(str(col))) for col in plain.columns
        }
        styler = plain.style.format(cells, na_rep=MISSING_TEXT, escape="html")
        styler = styler.format_index(escape="html", axis=1).hide(axis="index")
        digest = hashlib.sha1(plain.to_csv().encode(), usedforsecurity=False)
        styler.set_uuid(f"rg{digest.hexdigest()[:10]}")
        left: list[CSSDict] = [
            {"selector": sel.format(i), "props": [("text-align", "left")]}
            for i, col in enumerate(plain.columns)
            if _is_text(plain[col])
            for sel in ("td.col{}", "th.col_heading.col{}")
        ]
        return styler.set_table_styles(left, overwrite=False)

    def _repr_html_(self) -> str:
        return self.styler().to_html()


def _missing(value: object) -> bool:
    return (
        value is None or value is pd.NA or (isinstance(value, float) and value != value)
    )


def _cell(value: object, fmt: Format | None) -> str:
    """Write one cell: "–" when missing, else with *fmt* (or as text)."""
    if _missing(value):
        return MISSING_TEXT
    if fmt is None:
        return str(value)
    return fmt(value) if callable(fmt) else fmt.format(value)


def _writer(fmt: Format | None) -> Callable[[Any], str]:
    """Return a function writing the cells of one column."""
    return lambda value: _cell(value, fmt)


def _is_text(column: pd.Series) -> bool:
    """Whether a column is text to align left (not numbers, not "12–40" ranges)."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return False
    cells = [str(v) for v in column if not _missing(v)]
    return not all(c[:1].isdigit() or c in (MISSING_TEXT, "n/a") for c in cells)
