"""Member regions × pillar scores as a heatmap; a missing score stays blank."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz.charts._labels import figure_source, fmt, name_of
from regiongap.viz.style import apply_style, escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["pillar_heatmap"]


def pillar_heatmap(
    pillars: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    zrange: tuple[float, float] | None = (0.0, 100.0),
    scale_label: str = "Score",
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
    names : mapping of str to str, optional
        Region names by ``geo``, for the rows.
    labels : mapping of str to str, optional
        Readable pillar names by pillar, for the columns.
    zrange : tuple of float or None
        Fixed colour range (default 0–100, the min–max score scale) so two
        partnerships' heatmaps can be compared; ``None`` fits the data.
    scale_label : str
        Title of the colour bar (default "Score").
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap trace; cells without a score are transparent and say
        "no score" on hover.

    Raises
    ------
    SchemaError
        If *pillars* has no column.

    Examples
    --------
    >>> import pandas as pd
    >>> pillars = pd.DataFrame(
    ...     {"economy": [80.0, None], "digital": [55.5, 20.0]},
    ...     index=pd.Index(["AT13", "PL91"], name="geo"),
    ... )
    >>> fig = pillar_heatmap(pillars, names={"AT13": "Wien"}, title="Pillars")
    >>> fig.data[0].y, fig.data[0].text[1]
    (('Wien', 'PL91'), ['no score', '20.0'])
    >>> fig.layout.meta["missing_cells"]
    1
    """
    import plotly.graph_objects as go

    if pillars.shape[1] == 0:
        msg = "pillar_heatmap needs at least one pillar column"
        raise SchemaError(msg)
    z = pillars.to_numpy(dtype=float)
    rows = [escape(name_of(names, str(g))) for g in pillars.index]
    cols = [escape((labels or {}).get(str(c), str(c))) for c in pillars.columns]
    text = [[fmt(v) if np.isfinite(v) else "no score" for v in row] for row in z]
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
            colorbar={"title": {"text": escape(scale_label)}, "thickness": 14},
        )
    )
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source=figure_source(pillars, source),
        height=max(324, 164 + 28 * len(rows)),
    )
    fig.update_layout(
        # the pillar names stand above the cells: room for them under the titles
        margin={"t": fig.layout.margin.t + 24},
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
