"""Charts of regions and partnerships: gaps, pillars, distributions, convergence, ranks.

Each function takes frames (as the metrics return them) and gives back a plotly
``Figure``; nothing is fetched, shown or written. Colours come from
:mod:`regiongap.viz.style`: members in Okabe–Ito blue, everything else muted grey,
sequential values on cividis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from regiongap.errors import SchemaError
from regiongap.viz._frames import flag_text, region_values
from regiongap.viz.style import (
    MUTED,
    OKABE_ITO,
    apply_style,
    escape,
    source_note,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd
    import plotly.graph_objects as go

__all__ = [
    "convergence_chart",
    "distribution_chart",
    "gap_chart",
    "pillar_heatmap",
    "rank_chart",
]

_MEMBER = OKABE_ITO[3]
_LEADER = OKABE_ITO[4]
_PARTNERSHIP = OKABE_ITO[0]


def _source(frame: pd.DataFrame, source: str | None) -> str:
    if source is not None:
        return source
    return source_note(frame.attrs.get("provenance"), geography=None) or ""


def _name_of(names: Mapping[str, str] | None, geo: str, fallback: object = None) -> str:
    if names is not None and geo in names:
        return str(names[geo])
    if isinstance(fallback, str) and fallback:
        return fallback
    return geo


def _fmt(value: float) -> str:
    import math

    if value is None or not math.isfinite(value):
        return "n/a"
    a = abs(value)
    decimals = 0 if a >= 1000 else 1 if a >= 10 else 2
    return f"{value:,.{decimals}f}"


def _signed(value: float) -> str:
    text = _fmt(value)
    return text if text.startswith("-") or text == "n/a" else "+" + text


def gap_chart(
    frame: pd.DataFrame,
    value: str = "index",
    *,
    eu_median: float | None = None,
    leader: str | None = None,
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
    partnership_median : float, optional
        Median of the members; computed from *frame* when not given.
    names : mapping of geo -> name, optional
        Region names (else a ``name`` column, else the code).
    label : str, optional
        Axis title (default *value*).
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace for the members (gaps in the hover label) and one line
        trace per reference drawn.
    """
    import numpy as np
    import plotly.graph_objects as go

    data = region_values(frame, value)
    present = data[np.isfinite(data["value"])].sort_values("value")
    missing = data[~np.isfinite(data["value"])]
    if partnership_median is None:
        partnership_median = (
            float(np.median(present["value"])) if len(present) else float("nan")
        )
    leader_value = float("nan")
    if leader is not None:
        hit = data.loc[data["geo"] == leader, "value"]
        leader_value = float(hit.iloc[0]) if len(hit) else float("nan")
    eu = float("nan") if eu_median is None else float(eu_median)
    labels = [
        escape(_name_of(names, g, n)) + (" ★" if g == leader else "")
        for g, n in zip(present["geo"], present["name"], strict=True)
    ]
    custom = [
        [
            escape(g),
            _fmt(v),
            _signed(v - partnership_median),
            _signed(v - eu),
            _signed(v - leader_value),
            escape(y if y is not None and y == y else "n/a"),
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
    fig = go.Figure(
        go.Scatter(
            x=present["value"].tolist(),
            y=labels,
            mode="markers",
            marker={
                "size": 11,
                "color": _MEMBER,
                "line": {"color": "white", "width": 1},
            },
            name="Member region",
            customdata=custom,
            hovertemplate="<b>%{y}</b> (%{customdata[0]})<br>"
            + escape(label or value)
            + ": %{customdata[1]}<br>vs partnership median: %{customdata[2]}"
            "<br>vs EU-27 median: %{customdata[3]}<br>vs leader: %{customdata[4]}"
            "<br>Year: %{customdata[5]}<br>Flag: %{customdata[6]}<extra></extra>",
        )
    )
    refs = [
        ("Partnership median", partnership_median, _PARTNERSHIP, "dash"),
        ("EU-27 median", eu, MUTED, "dot"),
        ("Leader", leader_value, _LEADER, "solid"),
    ]
    if labels:
        for text, x, colour, dash in refs:
            if not np.isfinite(x):
                continue
            fig.add_trace(
                go.Scatter(
                    x=[x, x],
                    y=[labels[0], labels[-1]],
                    mode="lines",
                    line={"color": colour, "dash": dash, "width": 2},
                    name=f"{text} ({_fmt(x)})",
                    hovertemplate=f"{text}: {_fmt(x)}<extra></extra>",
                )
            )
    note = ""
    if len(missing):
        listed = ", ".join(
            escape(_name_of(names, g, n))
            for g, n in zip(missing["geo"], missing["name"], strict=True)
        )
        note = f"No value: {listed}"
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source="; ".join(s for s in (_source(frame, source), note) if s),
        height=max(320, 120 + 26 * len(labels)),
    )
    fig.update_layout(
        xaxis={
            "title": {"text": escape(label or value)},
            "showgrid": True,
            "gridcolor": "#eee",
        },
        yaxis={"title": None, "automargin": True},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0.0},
        meta={
            "figure": "gap_chart",
            "partnership_median": partnership_median,
            "eu_median": eu,
            "leader_value": leader_value,
            "no_value": missing["geo"].tolist(),
        },
    )
    return fig


def pillar_heatmap(
    pillars: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    zrange: tuple[float, float] | None = (0.0, 100.0),
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Show member regions × pillar scores as a heatmap; missing scores stay blank.

    Parameters
    ----------
    pillars : pandas.DataFrame
        Regions (index ``geo``) × pillars (columns), e.g.
        ``CapacityIndex.pillars`` restricted to the members.
    names : mapping of geo -> name, optional
        Region names for the rows.
    labels : mapping of pillar -> label, optional
        Readable pillar names for the columns.
    zrange : tuple of float or None
        Fixed colour range (default 0–100, the min–max score scale) so two
        partnerships' heatmaps can be compared; ``None`` fits the data.
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap trace; cells without a score are transparent and say
        "no score" on hover.
    """
    import numpy as np
    import plotly.graph_objects as go

    if pillars.shape[1] == 0:
        msg = "pillar_heatmap needs at least one pillar column"
        raise SchemaError(msg)
    z = pillars.to_numpy(dtype=float)
    rows = [escape(_name_of(names, str(g))) for g in pillars.index]
    cols = [escape((labels or {}).get(str(c), str(c))) for c in pillars.columns]
    text = [[_fmt(v) if np.isfinite(v) else "no score" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=[[None if not np.isfinite(v) else float(v) for v in row] for row in z],
            x=cols,
            y=rows,
            text=text,
            texttemplate="%{text}",
            colorscale="Cividis",
            zmin=None if zrange is None else zrange[0],
            zmax=None if zrange is None else zrange[1],
            hovertemplate="<b>%{y}</b><br>%{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Score"}, "thickness": 14},
        )
    )
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source=_source(pillars, source),
        height=max(300, 140 + 28 * len(rows)),
    )
    fig.update_layout(
        xaxis={"side": "top", "showline": False, "ticks": ""},
        yaxis={
            "autorange": "reversed",
            "showline": False,
            "ticks": "",
            "automargin": True,
        },
        meta={
            "figure": "pillar_heatmap",
            "missing_cells": int((~np.isfinite(z)).sum()),
        },
    )
    return fig


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
    names : mapping of geo -> name, optional
        Region names for hover labels (else a ``name`` column, else the code).
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
    """
    import numpy as np
    import plotly.graph_objects as go

    data = region_values(frame, value)
    present = data[np.isfinite(data["value"])]
    n_missing = int((~np.isfinite(data["value"])).sum())
    chosen = {str(g) for g in highlight} if highlight is not None else set()
    marked = present[present["geo"].isin(chosen)]
    row = "All regions"

    def custom(rows: pd.DataFrame) -> list[list[str]]:
        return [
            [
                escape(_name_of(names, g, n)),
                escape(g),
                _fmt(v),
                escape(y if y is not None and y == y else "n/a"),
                escape(flag_text(f)),
            ]
            for g, n, v, y, f in zip(
                rows["geo"],
                rows["name"],
                rows["value"],
                rows["year"],
                rows["flag"],
                strict=True,
            )
        ]

    hover = (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        + escape(label or value)
        + ": %{customdata[2]}<br>Year: %{customdata[3]}<br>Flag: %{customdata[4]}"
        "<extra></extra>"
    )
    fig = go.Figure(
        go.Box(
            x=present["value"].tolist(),
            y=[row] * len(present),
            orientation="h",
            name=f"All regions (n = {len(present)})",
            boxpoints="all",
            jitter=0.6,
            pointpos=0,
            marker={"color": MUTED, "size": 5, "opacity": 0.6},
            line={"color": "#555"},
            fillcolor="rgba(0,0,0,0)",
            customdata=custom(present),
            hovertemplate=hover,
            hoveron="points",
        )
    )
    if len(marked):
        fig.add_trace(
            go.Scatter(
                x=marked["value"].tolist(),
                y=[row] * len(marked),
                mode="markers",
                marker={
                    "color": _MEMBER,
                    "size": 13,
                    "symbol": "diamond",
                    "line": {"color": "white", "width": 1.5},
                },
                name=escape(highlight_label),
                customdata=custom(marked),
                hovertemplate=hover,
            )
        )
    note = f"{n_missing} regions without a value not shown" if n_missing else ""
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source="; ".join(s for s in (_source(frame, source), note) if s),
        height=330,
    )
    fig.update_layout(
        xaxis={
            "title": {"text": escape(label or value)},
            "showgrid": True,
            "gridcolor": "#eee",
        },
        yaxis={"showticklabels": False, "title": None},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0.0},
        meta={
            "figure": "distribution_chart",
            "n_regions": len(present),
            "n_missing": n_missing,
            "highlighted": marked["geo"].tolist(),
        },
    )
    return fig


def convergence_chart(
    frame: pd.DataFrame,
    *,
    x: str = "time",
    y: str = "value",
    group: str = "group",
    label: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Draw a dispersion measure over time, one line per group (e.g. members, others).

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame with columns *x* (year), *y* (the dispersion) and *group*.
    x, y, group : str
        Column names.
    label : str, optional
        Axis title of *y* (e.g. "Coefficient of variation (%)").
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace per group, in order of first appearance; years without
        a value are gaps in the line, not zeros.
    """
    import pandas as pd
    import plotly.graph_objects as go

    for col in (x, y, group):
        if col not in frame.columns:
            msg = (
                f"convergence_chart needs a {col!r} column (got {list(frame.columns)})"
            )
            raise SchemaError(msg)
    fig = go.Figure()
    groups = list(dict.fromkeys(frame[group].astype(str)))
    for i, g in enumerate(groups):
        part = frame[frame[group].astype(str) == g].sort_values(x)
        values = pd.to_numeric(part[y], errors="coerce")
        fig.add_trace(
            go.Scatter(
                x=part[x].tolist(),
                y=[None if pd.isna(v) else float(v) for v in values],
                mode="lines+markers",
                name=escape(g),
                line={"color": OKABE_ITO[i % 7], "width": 2.5},
                marker={"size": 6},
                connectgaps=False,
                hovertemplate=escape(g) + "<br>%{x}: %{y:.3g}<extra></extra>",
            )
        )
    apply_style(
        fig, title=title, subtitle=subtitle, source=_source(frame, source), height=420
    )
    fig.update_layout(
        xaxis={"title": None, "dtick": 1 if frame[x].nunique() <= 12 else None},
        yaxis={
            "title": {"text": escape(label or y)},
            "showgrid": True,
            "gridcolor": "#eee",
            "rangemode": "tozero",
        },
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0.0},
        meta={"figure": "convergence_chart", "groups": groups},
    )
    return fig


def rank_chart(
    ranks: pd.DataFrame,
    *,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "Partnership member",
    names: Mapping[str, str] | None = None,
    median: str = "median_rank",
    low: str = "rank_p05",
    high: str = "rank_p95",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Show each region's index rank with its uncertainty band (e.g. 5–95 %).

    Parameters
    ----------
    ranks : pandas.DataFrame
        Index ``geo`` (or a ``geo`` column) with *median*, *low* and *high*
        rank columns, as :func:`regiongap.index_uncertainty` returns them.
    highlight : iterable of str, optional
        Regions drawn in colour (others in grey).
    highlight_label : str
        Legend entry of the highlighted regions.
    names : mapping of geo -> name, optional
        Region names for hover labels.
    median, low, high : str
        Column names of the central rank and the band.
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        Regions ordered by median rank (best on the left), one trace for the
        other regions and one for the highlighted ones, each with error bars
        from *low* to *high*.
    """
    import plotly.graph_objects as go

    data = ranks if "geo" in ranks.columns else ranks.rename_axis("geo").reset_index()
    for col in (median, low, high):
        if col not in data.columns:
            msg = f"rank_chart needs a {col!r} column (got {list(data.columns)})"
            raise SchemaError(msg)
    data = data.sort_values([median, low]).reset_index(drop=True)
    data["position"] = range(1, len(data) + 1)
    chosen = {str(g) for g in highlight} if highlight is not None else set()
    is_marked = data["geo"].astype(str).isin(chosen)
    fig = go.Figure()
    for marked, name, colour, size in (
        (False, "Other regions", MUTED, 5),
        (True, escape(highlight_label), _MEMBER, 9),
    ):
        part = data[is_marked == marked]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["position"].tolist(),
                y=part[median].astype(float).tolist(),
                mode="markers",
                name=name,
                marker={"color": colour, "size": size},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (part[high] - part[median]).astype(float).tolist(),
                    "arrayminus": (part[median] - part[low]).astype(float).tolist(),
                    "color": colour,
                    "thickness": 1.2,
                    "width": 0,
                },
                customdata=[
                    [escape(_name_of(names, str(g))), escape(g), _fmt(lo), _fmt(hi)]
                    for g, lo, hi in zip(
                        part["geo"], part[low], part[high], strict=True
                    )
                ],
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                "Median rank: %{y}<br>Band: %{customdata[2]} – %{customdata[3]}"
                "<extra></extra>",
            )
        )
    apply_style(
        fig, title=title, subtitle=subtitle, source=_source(ranks, source), height=440
    )
    meta: dict[str, Any] = {"figure": "rank_chart", "n_regions": len(data)}
    fig.update_layout(
        xaxis={
            "title": {"text": "Regions, ordered by median rank"},
            "showticklabels": False,
            "ticks": "",
        },
        yaxis={
            "title": {"text": "Rank (1 = highest capacity)"},
            "autorange": "reversed",
            "showgrid": True,
            "gridcolor": "#eee",
        },
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0.0},
        meta=meta,
    )
    return fig
