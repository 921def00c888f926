"""A dispersion measure over time, one line per group (e.g. members, others)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz.charts._labels import figure_source
from regiongap.viz.style import OKABE_ITO, apply_style, escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["convergence_chart"]


def convergence_chart(
    frame: pd.DataFrame,
    *,
    x: str = "time",
    value: str = "value",
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
        Long frame with columns *x* (year), *value* (the dispersion) and *group*,
        e.g. what :func:`regiongap.sigma_convergence` returns (with
        ``value="dispersion"``).
    x : str
        Column with the year.
    value : str
        Column with the dispersion.
    group : str
        Column with the group of each row.
    label : str, optional
        Axis title of *value* (e.g. "Coefficient of variation (%)").
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace per group, in order of first appearance; years without
        a value are gaps in the line, not zeros.

    Raises
    ------
    SchemaError
        If a column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> sigma = pd.DataFrame(
    ...     {"time": [2015, 2016, 2015, 2016],
    ...      "group": ["Members", "Members", "Others", "Others"],
    ...      "value": [0.30, None, 0.41, 0.40]}
    ... )
    >>> fig = convergence_chart(sigma, label="Coefficient of variation")
    >>> [(trace.name, trace.y) for trace in fig.data]
    [('Members', (0.3, None)), ('Others', (0.41, 0.4))]
    """
    import plotly.graph_objects as go

    for col in (x, value, group):
        if col not in frame.columns:
            msg = (
                f"convergence_chart needs a {col!r} column (got {list(frame.columns)})"
            )
            raise SchemaError(msg)
    fig = go.Figure()
    groups = list(dict.fromkeys(frame[group].astype(str)))
    for i, g in enumerate(groups):
        part = frame[frame[group].astype(str) == g].sort_values(x)
        values = pd.to_numeric(part[value], errors="coerce")
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
        fig,
        title=title,
        subtitle=subtitle,
        source=figure_source(frame, source),
        height=440,
        legend_above=True,
    )
    fig.update_layout(
        xaxis={"title": None, "dtick": 1 if frame[x].nunique() <= 12 else None},
        yaxis={
            "title": {"text": escape(label or value)},
            "showgrid": True,
            "gridcolor": "#eee",
            "rangemode": "tozero",
        },
        meta={"figure": "convergence_chart", "groups": groups},
    )
    return fig
