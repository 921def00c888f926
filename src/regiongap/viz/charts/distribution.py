"""The distribution of a value over all regions, with chosen regions marked.

A horizontal box with every region as a point; the regions to mark (e.g. a
partnership's members) are drawn on top as large coloured diamonds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from regiongap.viz._frames import flag_text, region_values, year_text
from regiongap.viz.charts._labels import MEMBER, figure_source, fmt, name_of
from regiongap.viz.style import MUTED, apply_style, escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["distribution_chart"]

_ROW = "All regions"


def _hover_rows(rows: pd.DataFrame, names: Mapping[str, str] | None) -> list[list[str]]:
    """Hover fields of each region: name, code, value, year, flag."""
    return [
        [
            escape(name_of(names, g, n)),
            escape(g),
            fmt(v),
            escape(year_text(y)),
            escape(flag_text(f)),
        ]
        for g, n, v, y, f in zip(
            rows["geo"],
            rows["region_name"],
            rows["value"],
            rows["year"],
            rows["flag"],
            strict=True,
        )
    ]


def _hover_template(label: str) -> str:
    return (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        + escape(label)
        + ": %{customdata[2]}<br>Year: %{customdata[3]}<br>Flag: %{customdata[4]}"
        "<extra></extra>"
    )


def _box(present: pd.DataFrame, names: Mapping[str, str] | None, label: str) -> go.Box:
    import plotly.graph_objects as go

    return go.Box(
        x=present["value"].tolist(),
        y=[_ROW] * len(present),
        orientation="h",
        name=f"All regions (n = {len(present)})",
        boxpoints="all",
        jitter=0.6,
        pointpos=0,
        marker={"color": MUTED, "size": 5, "opacity": 0.6},
        line={"color": "#555"},
        fillcolor="rgba(0,0,0,0)",
        customdata=_hover_rows(present, names),
        hovertemplate=_hover_template(label),
        hoveron="points",
    )


def _marked(
    marked: pd.DataFrame, names: Mapping[str, str] | None, label: str, legend: str
) -> go.Scatter:
    import plotly.graph_objects as go

    return go.Scatter(
        x=marked["value"].tolist(),
        y=[_ROW] * len(marked),
        mode="markers",
        marker={
            "color": MEMBER,
            "size": 13,
            "symbol": "diamond",
            "line": {"color": "white", "width": 1.5},
        },
        name=escape(legend),
        customdata=_hover_rows(marked, names),
        hovertemplate=_hover_template(label),
    )


def distribution_chart(
    frame: pd.DataFrame,
    value: str = "value",
    *,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "Partnership member",
    names: Mapping[str, str] | None = None,
    label: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Show the distribution of a value over all regions, with chosen regions marked.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per region (long frame of one year, or the panel).
    value : str
        Column with the values.
    highlight : iterable of str, optional
        Regions drawn as large coloured markers on top (e.g. members).
    highlight_label : str
        Legend entry of the highlighted regions.
    names : mapping of str to str, optional
        Region names by ``geo`` for hover labels (else a ``region_name``
        column, else the code).
    label : str, optional
        Axis title (default *value*).
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        A box with every region as a point, and a marker trace of the
        highlighted regions that have a value. Regions without a value are not
        drawn; their number is in the source line and ``fig.layout.meta``.

    Raises
    ------
    SchemaError
        If *value* is not a column or a region appears twice.

    Examples
    --------
    >>> import pandas as pd
    >>> gdp = pd.DataFrame(
    ...     {"geo": ["AT11", "AT12", "AT13", "SI04"],
    ...      "value": [25000.0, 32000.0, 45000.0, None]}
    ... )
    >>> fig = distribution_chart(gdp, highlight=["AT13", "SI04"])
    >>> [trace.name for trace in fig.data]
    ['All regions (n = 3)', 'Partnership member']
    >>> fig.layout.meta["highlighted"], fig.layout.meta["n_missing"]
    (['AT13'], 1)
    """
    import plotly.graph_objects as go

    data = region_values(frame, value)
    present = data[np.isfinite(data["value"])]
    n_missing = int((~np.isfinite(data["value"])).sum())
    chosen = {str(g) for g in highlight} if highlight is not None else set()
    marked = present[present["geo"].isin(chosen)]
    fig = go.Figure(_box(present, names, label or value))
    if len(marked):
        fig.add_trace(_marked(marked, names, label or value, highlight_label))
    note = f"{n_missing} regions without a value not shown" if n_missing else ""
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source="; ".join(s for s in (figure_source(frame, source), note) if s),
        height=350,
        legend_above=True,
    )
    fig.update_layout(
        xaxis={
            "title": {"text": escape(label or value)},
            "showgrid": True,
            "gridcolor": "#eee",
        },
        yaxis={"showticklabels": False, "title": None},
        meta={
            "figure": "distribution_chart",
            "n_regions": len(present),
            "n_missing": n_missing,
            "highlighted": marked["geo"].tolist(),
        },
    )
    return fig
