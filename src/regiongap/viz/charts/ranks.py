"""Each region's index rank with its uncertainty band (e.g. 5–95 %)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz.charts._labels import MEMBER, figure_source, fmt, name_of
from regiongap.viz.style import MUTED, apply_style, escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["rank_chart"]


def _band_trace(
    part: pd.DataFrame,
    columns: tuple[str, str, str],
    style: tuple[str, str, int],
    names: Mapping[str, str] | None,
) -> go.Scatter:
    """Regions of *part* as dots at their median rank with a (low, high) band."""
    import plotly.graph_objects as go

    median, low, high = columns
    name, colour, size = style
    return go.Scatter(
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
            [escape(name_of(names, str(g))), escape(g), fmt(lo), fmt(hi)]
            for g, lo, hi in zip(part["geo"], part[low], part[high], strict=True)
        ],
        hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        "Median rank: %{y}<br>Band: %{customdata[2]} – %{customdata[3]}"
        "<extra></extra>",
    )


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
    names : mapping of str to str, optional
        Region names by ``geo``, for hover labels.
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

    Raises
    ------
    SchemaError
        If a rank column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> ranks = pd.DataFrame(
    ...     {"median_rank": [2.0, 1.0, 3.0], "rank_p05": [1.0, 1.0, 2.0],
    ...      "rank_p95": [3.0, 2.0, 3.0]},
    ...     index=pd.Index(["AT11", "AT13", "AT12"], name="geo"),
    ... )
    >>> fig = rank_chart(ranks, highlight=["AT11"])
    >>> [(trace.name, trace.x) for trace in fig.data]
    [('Other regions', (1, 3)), ('Partnership member', (2,))]
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
    for marked, style in (
        (False, ("Other regions", MUTED, 5)),
        (True, (escape(highlight_label), MEMBER, 9)),
    ):
        part = data[is_marked == marked]
        if not part.empty:
            fig.add_trace(_band_trace(part, (median, low, high), style, names))
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source=figure_source(ranks, source),
        height=460,
        legend_above=True,
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
        meta=meta,
    )
    return fig
