"""Where chosen regions stand among all regions, indicator by indicator.

One row per indicator, a common axis for all of them: the percentile among all
regions with a value (100 = ahead of or equal to every region, whatever the
indicator's direction), so that indicators of different units sit side by side.
Each member is a dot (an open dot when its value was taken from a parent region),
the partnership median a vertical tick, the median region of all (the 50th
percentile) a dotted line; the hover label gives the value in its unit, its year
and level, and the gaps to the partnership median, the EU-27 median and the best
member.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz._frames import flag_text, is_missing, year_text
from regiongap.viz.charts._labels import (
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

__all__ = ["POSITION_FIELDS", "position_chart"]

#: Columns :func:`position_chart` reads (one row per region and indicator).
POSITION_FIELDS = (
    "indicator",
    "geo",
    "value",
    "percentile",
    "year",
    "source_level",
    "flag",
    "median_percentile",
    "partnership_median",
    "eu27_median",
    "gap_to_partnership_median",
    "gap_to_eu27_median",
    "gap_to_best",
)


def _level_text(level: object, own: int | None) -> str:
    if is_missing(level):
        return "n/a"
    number = int(float(str(level)))
    text = f"NUTS {number}"
    if own is not None and number < own:
        text += " (value of the parent region)"
    return text


def _hover(
    rows: pd.DataFrame,
    names: Mapping[str, str] | None,
    units: Mapping[str, str],
    own_level: int | None,
) -> list[list[str]]:
    numbers = {
        c: rows[c].to_numpy(dtype=float)
        for c in (
            "value",
            "percentile",
            "gap_to_partnership_median",
            "gap_to_eu27_median",
            "gap_to_best",
        )
    }
    out = []
    for i, r in enumerate(rows.itertuples(index=False)):
        unit = units.get(str(r.indicator), "")
        out.append(
            [
                escape(name_of(names, str(r.geo))),
                escape(r.geo),
                escape(f"{fmt(numbers['value'][i])} {unit}".strip()),
                escape(year_text(r.year)),
                escape(_level_text(r.source_level, own_level)),
                f"{numbers['percentile'][i]:.0f}",
                signed(numbers["gap_to_partnership_median"][i]),
                signed(numbers["gap_to_eu27_median"][i]),
                signed(numbers["gap_to_best"][i]),
                escape(flag_text(r.flag)),
            ]
        )
    return out


_TEMPLATE = (
    "<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{y}: %{customdata[2]}"
    "<br>Year: %{customdata[3]} · %{customdata[4]}<br>Percentile among all regions: "
    "%{customdata[5]}<br>vs partnership median: %{customdata[6]}<br>vs EU-27 "
    "median: %{customdata[7]}<br>vs best member: %{customdata[8]}<br>Flag: "
    "%{customdata[9]}<extra></extra>"
)


def _members(
    data: pd.DataFrame,
    labels: list[str],
    hover: list[list[str]],
    parent: np.ndarray,
) -> list[go.Scatter]:
    """Two marker traces: own values (filled) and parent-level values (open)."""
    import plotly.graph_objects as go

    traces = []
    for mask, name, symbol in (
        (~parent, "Member region", "circle"),
        (parent, "Member, value of its parent region", "circle-open"),
    ):
        if not mask.any():
            continue
        picked = np.flatnonzero(mask)
        traces.append(
            go.Scatter(
                x=data["percentile"].to_numpy()[picked].tolist(),
                y=[labels[i] for i in picked],
                mode="markers",
                marker={
                    "size": 11,
                    "color": MEMBER,
                    "symbol": symbol,
                    "line": {
                        "color": "white" if symbol == "circle" else MEMBER,
                        "width": 1.5,
                    },
                    "opacity": 0.85,
                },
                name=name,
                customdata=[hover[i] for i in picked],
                hovertemplate=_TEMPLATE,
            )
        )
    return traces


def _medians(data: pd.DataFrame, label_of: Mapping[str, str]) -> go.Scatter:
    import plotly.graph_objects as go

    first = data.drop_duplicates("indicator")
    return go.Scatter(
        x=first["median_percentile"].tolist(),
        y=[label_of[str(i)] for i in first["indicator"]],
        mode="markers",
        marker={
            "symbol": "line-ns",
            "size": 22,
            "line": {"color": PARTNERSHIP, "width": 3},
        },
        name="Partnership median",
        customdata=[fmt(v) for v in first["partnership_median"]],
        hovertemplate="Partnership median: %{customdata} (percentile %{x:.0f})"
        "<extra></extra>",
    )


def position_chart(
    frame: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    level: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Show each member's percentile among all regions, one row per indicator.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member and indicator with :data:`POSITION_FIELDS`, e.g. the
        infrastructure positions of a report (members without a value are
        left out of the dots).
    names : mapping of str to str, optional
        Region names by ``geo``.
    labels, units : mapping of str to str, optional
        Row label and unit of each indicator (default: its id, no unit).
    level : int, optional
        NUTS level of the regions: a value from a coarser level is drawn as an
        open dot and said to be its parent region's.
    title, subtitle, source : str, optional
        Texts of the figure.

    Returns
    -------
    plotly.graph_objects.Figure
        Member dots (filled; open for parent-level values), the partnership
        median of each indicator and the line of the median region (50).

    Raises
    ------
    SchemaError
        If a column of :data:`POSITION_FIELDS` is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({
    ...     "indicator": ["internet"] * 2, "geo": ["DE11", "AT13"],
    ...     "value": [88.0, 91.0], "percentile": [40.0, 70.0], "year": [2019] * 2,
    ...     "source_level": [1, 2], "flag": [None, None],
    ...     "median_percentile": [55.0] * 2, "partnership_median": [89.5] * 2,
    ...     "eu27_median": [89.0] * 2, "gap_to_partnership_median": [-1.5, 1.5],
    ...     "gap_to_eu27_median": [-1.0, 2.0], "gap_to_best": [-3.0, 0.0],
    ... })
    >>> fig = position_chart(rows, labels={"internet": "Internet access"}, level=2)
    >>> [trace.name for trace in fig.data]
    ['Member region', 'Member, value of its parent region', 'Partnership median']
    >>> fig.data[1].customdata[0][4]
    'NUTS 1 (value of the parent region)'
    """
    import plotly.graph_objects as go

    missing = [c for c in POSITION_FIELDS if c not in frame.columns]
    if missing:
        msg = f"position_chart needs the columns {missing} (got {list(frame.columns)})"
        raise SchemaError(msg)
    order = list(dict.fromkeys(frame["indicator"].astype(str)))
    label_of = {i: escape((labels or {}).get(i, i)) for i in order}
    data = frame[np.isfinite(frame["percentile"].astype(float))].reset_index(drop=True)
    levels = pd.to_numeric(data["source_level"], errors="coerce")
    parent = np.zeros(len(data), dtype=bool)
    if level is not None:
        parent = (levels < level).fillna(False).to_numpy(dtype=bool)
    hover = _hover(data, names, units or {}, level)
    row_labels = [label_of[str(i)] for i in data["indicator"]]
    fig = go.Figure(_members(data, row_labels, hover, parent))
    if len(data):
        fig.add_trace(_medians(data, label_of))
    fig.add_vline(x=50, line={"color": MUTED, "dash": "dot", "width": 2})
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source=figure_source(frame, source),
        height=max(320, 170 + 48 * len(order)),
        legend_above=True,
    )
    fig.update_layout(
        xaxis={
            "title": {
                "text": "Percentile among all regions (100 = best; "
                "dotted line = the median region)"
            },
            "range": [-2, 102],
            "showgrid": True,
            "gridcolor": "#eee",
        },
        yaxis={
            "title": None,
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": [label_of[i] for i in reversed(order)],
        },
        meta={
            "figure": "position_chart",
            "indicators": order,
            "parent_level": int(parent.sum()),
        },
    )
    return fig
