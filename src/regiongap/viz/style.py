"""One look for every regiongap figure: palettes, fonts, titles and source notes.

Palettes are colour-blind safe: sequential data use *viridis* (or *cividis*),
categories use the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
Design"), and missing data is a light neutral grey that no palette uses.

Nothing here imports plotly at module level; :func:`apply_style` and
:func:`setup_notebook` import it when called.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from regiongap.errors import SchemaError
from regiongap.viz._frames import is_missing

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = [
    "FONT_FAMILY",
    "HIGHLIGHT",
    "MISSING",
    "MUTED",
    "OKABE_ITO",
    "ROLE_COLOURS",
    "SEQUENTIAL",
    "Provenance",
    "apply_style",
    "class_colours",
    "escape",
    "setup_notebook",
    "source_note",
]

#: Okabe–Ito categorical palette (black last: it is kept for outlines).
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Plotly's name for the sequential scale used for values.
SEQUENTIAL = "Viridis"
#: Fill of regions without a value ("no data"); never part of a value scale.
MISSING = "#d9d9d9"
#: Colour of context elements (all regions, non-members, reference lines).
MUTED = "#9a9a9a"
#: Outline colour of highlighted regions (partnership members).
HIGHLIGHT = "#000000"
FONT_FAMILY = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"

#: What :func:`source_note` accepts: one provenance record, several (a list or a
#: mapping of name to record), a ready-made note, or nothing.
Provenance = str | Mapping[str, Any] | Iterable[Mapping[str, Any]] | None

#: Fixed colour per partnership role so every map reads the same way.
ROLE_COLOURS: dict[str, str] = {
    "lead": OKABE_ITO[4],
    "co-lead": OKABE_ITO[0],
    "member": OKABE_ITO[3],
    "associate": OKABE_ITO[1],
    "unknown": OKABE_ITO[5],
}


def escape(text: object) -> str:
    """Return *text* as a string safe to place in plotly's HTML-like labels.

    Plotly renders a subset of HTML in titles, hover labels and legends, so a
    region or partnership name such as ``"<script>"`` must be escaped.

    Parameters
    ----------
    text : object
        Any value; ``None`` and missing values become an empty string.

    Returns
    -------
    str
        The escaped text.

    Examples
    --------
    >>> escape("<script>"), escape(None)
    ('&lt;script&gt;', '')
    """
    if is_missing(text):
        return ""
    return html.escape(str(text), quote=True)


def class_colours(k: int, scale: str = SEQUENTIAL) -> list[str]:
    """Return *k* colours sampled evenly from a plotly sequential scale.

    Parameters
    ----------
    k : int
        Number of classes (at least 1).
    scale : str
        Name of a plotly sequential colour scale (default viridis).

    Returns
    -------
    list of str
        Colours from light to dark value order (low class first).

    Raises
    ------
    SchemaError
        If *k* is below 1.

    Examples
    --------
    >>> class_colours(3)
    ['rgb(68, 1, 84)', 'rgb(34, 144, 140)', 'rgb(253, 231, 37)']
    """
    from plotly.colors import sample_colorscale

    if k < 1:
        msg = f"number of classes k={k!r} must be at least 1"
        raise SchemaError(msg)
    points = [0.5] if k == 1 else [i / (k - 1) for i in range(k)]
    return sample_colorscale(scale, points)


def _provenances(provenance: object) -> list[Mapping[str, Any]]:
    if provenance is None:
        return []
    if isinstance(provenance, Mapping):
        # one provenance, or {name: provenance}
        if "dataset" in provenance or "last_update" in provenance:
            return [provenance]
        return [p for v in provenance.values() for p in _provenances(v)]
    if isinstance(provenance, Iterable) and not isinstance(provenance, str | bytes):
        return [p for v in provenance for p in _provenances(v)]
    return []


def source_note(
    provenance: Provenance = None,
    *,
    geography: str | None = "GISCO NUTS 2021",
    extra: str | None = None,
) -> str:
    """Build the "Source: …" line printed under a figure.

    Parameters
    ----------
    provenance : mapping, list of mappings, str or None
        A provenance record (``frame.attrs["provenance"]``: keys ``dataset`` and
        ``last_update``), a list of them, a mapping of name to record, or a
        ready-made string used as is.
    geography : str or None
        Boundary source appended after the datasets; ``None`` to omit.
    extra : str or None
        A further note appended at the end (e.g. "Members as listed by …").

    Returns
    -------
    str
        For example ``"Source: Eurostat (nama_10r_2gdp), last update 2023-02-21;
        GISCO NUTS 2021"``; several datasets are listed inside one
        ``Eurostat (…)``.

    Examples
    --------
    >>> source_note({"dataset": "nama_10r_2gdp", "last_update": "2023-02-21T23:00"})
    'Source: Eurostat (nama_10r_2gdp), last update 2023-02-21; GISCO NUTS 2021'
    >>> source_note(
    ...     [{"dataset": "nama_10r_2gdp"}, {"dataset": "demo_r_d2jan"}], geography=None
    ... )
    'Source: Eurostat (nama_10r_2gdp; demo_r_d2jan)'
    """
    if isinstance(provenance, str):
        parts = [provenance]
    else:
        seen: dict[str, str | None] = {}
        for record in _provenances(provenance):
            code = record.get("dataset")
            if not code:
                continue
            update = record.get("last_update")
            update = str(update)[:10] if update else None
            if code not in seen or (update and not seen[code]):
                seen[code] = update
        if len(seen) == 1:
            ((code, update),) = seen.items()
            single = f"Eurostat ({code})"
            parts = [f"{single}, last update {update}" if update else single]
        elif seen:
            listed = "; ".join(
                f"{code}, last update {update}" if update else code
                for code, update in seen.items()
            )
            parts = [f"Eurostat ({listed})"]
        else:
            parts = []
        if parts:
            parts[0] = "Source: " + parts[0]
    if geography:
        parts.append(geography if parts else f"Source: {geography}")
    if extra:
        parts.append(extra)
    return "; ".join(parts)


def apply_style(
    fig: go.Figure,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    height: int | None = None,
    legend_above: bool = False,
) -> go.Figure:
    """Give *fig* the regiongap look: white background, fonts, title, source note.

    The title block is pinned to the top edge of the figure (never cut off,
    however short the figure) and the top margin holds it; with
    *legend_above* a one-line horizontal legend sits between the subtitle and
    the plot.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Figure to style (modified in place and returned).
    title, subtitle : str, optional
        Title and a smaller line under it; both are escaped.
    source : str, optional
        Source note (see :func:`source_note`), printed bottom left; escaped.
    height : int, optional
        Figure height in pixels.
    legend_above : bool
        Place a horizontal legend above the plot, under the titles.

    Returns
    -------
    plotly.graph_objects.Figure
        The same figure.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = apply_style(
    ...     go.Figure(), title="GDP <per> inhabitant", source="Source: Eurostat"
    ... )
    >>> fig.layout.title.text
    '<b>GDP &lt;per&gt; inhabitant</b>'
    >>> [a.name for a in fig.layout.annotations]
    ['source']
    >>> fig.layout.title.yref, fig.layout.margin.t
    ('container', 52)
    """
    text = f"<b>{escape(title)}</b>" if title else ""
    sub = {"text": escape(subtitle), "font": {"size": 13, "color": "#555"}}
    top = (
        _TITLE_PAD + (_TITLE_LINE if title else 0) + (_SUBTITLE_LINE if subtitle else 0)
    )
    legend: dict[str, Any] = {"bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12}}
    if legend_above:
        legend.update(orientation="h", x=0.0, xanchor="left", y=1.0, yanchor="bottom")
        top += _LEGEND_LINE
    fig.update_layout(
        template="simple_white",
        font={"family": FONT_FAMILY, "size": 13, "color": "#222"},
        # pinned to the figure's top edge in pixels: a share of the height
        # (y=0.97) put a short figure's title above the page, cut off
        title={
            "text": text,
            "subtitle": sub if subtitle else {"text": ""},
            "x": 0.0,
            "xanchor": "left",
            "xref": "container",
            "y": 1.0,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 10, "l": 10},
        },
        margin={"l": 10, "r": 10, "t": max(top, 30), "b": 60},
        legend=legend,
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    if height is not None:
        fig.update_layout(height=height)
    if source:
        lines = _wrap(escape(source), _SOURCE_WIDTH)
        bottom = 64 + 14 * len(lines)
        fig.update_layout(margin={"b": bottom})
        # pinned to the bottom edge of the figure, below any axis title
        fig.add_annotation(
            text="<span style='color:#666'>" + "<br>".join(lines) + "</span>",
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-bottom + 4,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            align="left",
            font={"size": 11},
            name="source",
        )
    return fig


#: Characters per line of a source note: about 650 px at 11 px, so a note stays
#: inside a figure on an A4 page.
_SOURCE_WIDTH = 110
#: Heights in pixels of the title block: padding, title line, subtitle line and a
#: legend line above the plot.
_TITLE_PAD, _TITLE_LINE, _SUBTITLE_LINE, _LEGEND_LINE = 20, 32, 24, 28


def _wrap(text: str, width: int) -> list[str]:
    """Break a source note after "; " (then ", ") so no line is much wider than *width*.

    >>> _wrap("Source: Eurostat (a); GISCO NUTS 2021", 20)
    ['Source: Eurostat (a);', 'GISCO NUTS 2021']
    >>> _wrap("weights: CY00, EL41, EL42, EL43", 16)
    ['weights: CY00,', 'EL41, EL42, EL43']
    """
    lines: list[str] = []
    for part in _join(text.split("; "), "; ", width):
        lines.extend(
            _join(part.split(", "), ", ", width) if len(part) > width else [part]
        )
    return lines


def _join(pieces: list[str], sep: str, width: int) -> list[str]:
    """Join *pieces* with *sep* into lines of about *width*, *sep* ending a line."""
    lines: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{sep}{piece}" if current else piece
        if current and len(candidate) > width:
            lines.append(current + sep.rstrip())
            current = piece
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def setup_notebook() -> str:
    """Make figures display as plotly's MIME bundle, in JupyterLab and in reports.

    Sets plotly's default renderer to ``"plotly_mimetype"``: JupyterLab (and VS
    Code) draw it natively, and :func:`regiongap.build_reports` turns each such
    output into a figure drawn by the single copy of plotly.js embedded in the
    report page — no output carries plotly.js and nothing comes from a CDN.

    Returns
    -------
    str
        The renderer now in use.

    Examples
    --------
    >>> import plotly.io as pio
    >>> before = pio.renderers.default
    >>> setup_notebook()
    'plotly_mimetype'
    >>> pio.renderers.default = before
    """
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype"
    return pio.renderers.default
