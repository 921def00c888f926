"""A partnership's members against its median, the EU-27 median and its leader.

One dot per member on the value axis, with vertical reference lines; each
member's gaps to the three references are in its hover label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from regiongap.viz._frames import flag_text, region_values, year_text
from regiongap.viz.charts._labels import (
    LEADER,
    MEMBER,
    PARTNERSHIP,
    figure_source,
    fmt,
    name_of,
    signed,
)
from regiongap.viz.style import MUTED, apply_style, escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["gap_chart"]


def _leader_value(data: pd.DataFrame, leader: str | None) -> float:
    if leader is None:
        return float("nan")
    hit = data.loc[data["geo"] == leader, "value"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def _member_trace(
    present: pd.DataFrame,
    labels: list[str],
    references: tuple[float, float, float],
    label: str,
) -> go.Scatter:
    """Return the members' dots, with their gaps to (partnership, EU-27, leader)."""
    import plotly.graph_objects as go

    partnership, eu, leader = references
    custom = [
        [
            escape(g),
            fmt(v),
            signed(v - partnership),
            signed(v - eu),
            signed(v - leader),
            escape(year_text(y)),
            escape(flag_text(f)),
        ]
        for g, v, y, f in zip(
            present["geo"],
            present["value"],
            present["year"],
            present["flag"],
            strict=True,
        )
    ]
    return go.Scatter(
        x=present["value"].tolist(),
        y=labels,
        mode="markers",
        marker={"size": 11, "color": MEMBER, "line": {"color": "white", "width": 1}},
        name="Member region",
        customdata=custom,
        hovertemplate="<b>%{y}</b> (%{customdata[0]})<br>"
        + escape(label)
        + ": %{customdata[1]}<br>vs partnership median: %{customdata[2]}"
        "<br>vs EU-27 median: %{customdata[3]}<br>vs leader: %{customdata[4]}"
        "<br>Year: %{customdata[5]}<br>Flag: %{customdata[6]}<extra></extra>",
    )


def _reference_lines(
    fig: go.Figure, labels: list[str], references: tuple[float, float, float]
) -> None:
    """Add a vertical line per finite reference, spanning the members."""
    import plotly.graph_objects as go

    if not labels:
        return
    partnership, eu, leader = references
    for text, x, colour, dash in (
        ("Partnership median", partnership, PARTNERSHIP, "dash"),
        ("EU-27 median", eu, MUTED, "dot"),
        ("Leader", leader, LEADER, "solid"),
    ):
        if not np.isfinite(x):
            continue
        fig.add_trace(
            go.Scatter(
                x=[x, x],
                y=[labels[0], labels[-1]],
                mode="lines",
                line={"color": colour, "dash": dash, "width": 2},
                name=f"{text} ({fmt(x)})",
                hovertemplate=f"{text}: {fmt(x)}<extra></extra>",
            )
        )


def gap_chart(
    frame: pd.DataFrame,
    value: str = "index",
    *,
    eu_median: float | None = None,
    leader: str | None = None,
    leads: Iterable[str] | None = None,
    partnership_median: float | None = None,
    names: Mapping[str, str] | None = None,
    label: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Show each member against the partnership median, the EU-27 median and the leader.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member: a ``geo`` column or index and *value* (NaN for a
        member without a value, listed as such and not drawn).
    value : str
        Column to compare (e.g. ``"index"`` or an indicator id).
    eu_median : float, optional
        Median of all EU-27 regions, drawn as a reference line.
    leader : str, optional
        ``geo`` of the partnership's lead region; its value is drawn as a line.
        ``None`` draws no leader line.
    leads : iterable of str, optional
        Regions whose name gets a ★ (e.g. every lead and co-lead region);
        default: *leader* alone.
    partnership_median : float, optional
        Median of the members; computed from *frame* when not given.
    names : mapping of str to str, optional
        Region names by ``geo`` (else a ``region_name`` column, else the code).
    label : str, optional
        Axis title (default *value*).
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace for the members (gaps in the hover label) and one line
        trace per reference drawn.

    Raises
    ------
    SchemaError
        If *value* is not a column or a region appears twice.

    Examples
    --------
    >>> import pandas as pd
    >>> members = pd.DataFrame(
    ...     {"index": [30.0, 70.0, None]},
    ...     index=pd.Index(["AT11", "AT13", "AT12"], name="geo"),
    ... )
    >>> fig = gap_chart(
    ...     members, eu_median=50.0, leader="AT13", leads=["AT13", "AT11"]
    ... )
    >>> [trace.name for trace in fig.data]
    ['Member region', 'Partnership median (50.0)', 'EU-27 median (50.0)',
     'Leader (70.0)']
    >>> list(fig.data[0].y)
    ['AT11 ★', 'AT13 ★']
    >>> fig.layout.meta["no_value"]
    ['AT12']
    """
    import plotly.graph_objects as go

    data = region_values(frame, value)
    present = data[np.isfinite(data["value"])].sort_values("value")
    missing = data[~np.isfinite(data["value"])]
    if partnership_median is None:
        partnership_median = (
            float(np.median(present["value"])) if len(present) else float("nan")
        )
    references = (
        float(partnership_median),
        float("nan") if eu_median is None else float(eu_median),
        _leader_value(data, leader),
    )
    starred = {str(g) for g in leads} if leads is not None else {leader}
    labels = [
        escape(name_of(names, g, n)) + (" ★" if g in starred else "")
        for g, n in zip(present["geo"], present["region_name"], strict=True)
    ]
    fig = go.Figure(_member_trace(present, labels, references, label or value))
    _reference_lines(fig, labels, references)
    note = ""
    if len(missing):
        listed = ", ".join(
            escape(name_of(names, g, n))
            for g, n in zip(missing["geo"], missing["region_name"], strict=True)
        )
        note = f"No value: {listed}"
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source="; ".join(s for s in (figure_source(frame, source), note) if s),
        height=max(340, 150 + 26 * len(labels)),
        legend_above=True,
    )
    fig.update_layout(
        xaxis={
            "title": {"text": escape(label or value)},
            "showgrid": True,
            "gridcolor": "#eee",
        },
        yaxis={"title": None, "automargin": True},
        meta={
            "figure": "gap_chart",
            "partnership_median": references[0],
            "eu_median": references[1],
            "leader_value": references[2],
            "no_value": missing["geo"].tolist(),
        },
    )
    return fig
