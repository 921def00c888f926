"""NUTS maps: a classified or continuous choropleth and a partnership map.

Both take frames and a GeoDataFrame of shapes (``geo, region_name, geometry``, as
:func:`regiongap.nuts_regions` returns) and give back a plotly ``Figure``; they
never fetch, show or write anything. The shapes are made light before they are
embedded (:mod:`regiongap.viz._geometry`): clipped to
:data:`EUROPE_FRAME` (regions outside it are listed in
``fig.layout.meta["outside_frame"]``) and simplified with
:data:`SIMPLIFY_TOLERANCE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz._frames import region_values
from regiongap.viz._geometry import (
    EUROPE_FRAME,
    SIMPLIFY_TOLERANCE,
    DisplayShapes,
    display_shapes,
    europe_geo,
    region_trace,
)
from regiongap.viz._layers import (
    CLASSIFICATIONS,
    CONTEXT,
    Classification,
    Hover,
    check_classification,
    class_traces,
    classify,
    context_trace,
    continuous_trace,
    decimals_for,
    no_data_trace,
    outline,
    split_regions,
)
from regiongap.viz.style import ROLE_COLOURS, apply_style, escape, source_note

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd
    import plotly.graph_objects as go

__all__ = [
    "CLASSIFICATIONS",
    "EUROPE_FRAME",
    "SIMPLIFY_TOLERANCE",
    "Classification",
    "choropleth",
    "partnership_map",
]


def choropleth(
    frame: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    value: str = "value",
    *,
    classification: Classification = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
    class_labels: Sequence[str] | None = None,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "Partnership member",
    label: str | None = None,
    unit: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    year: str | None = None,
    flag: str | None = None,
    tolerance: float = SIMPLIFY_TOLERANCE,
    height: int = 620,
) -> go.Figure:
    """Map a value per NUTS region, classed with mapclassify or on a continuous scale.

    Regions with a shape but no value are drawn in grey under a "No data" legend
    entry (never as zero); countries with no value at all are drawn as light
    context without a legend entry.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per region: a long frame (``geo, time, value, flag``) for one
        year, or a panel indexed by ``geo`` with ``{value}``, ``{value}__year``
        and ``{value}__flag`` columns.
    shapes : geopandas.GeoDataFrame
        ``geo, region_name, geometry`` (plus ``country``), e.g. from
        :func:`regiongap.nuts_regions`.
    value : str
        Column with the values to map.
    classification : {"quantiles", "fisher_jenks", "user", "continuous"}
        How values become colours: classes from :func:`mapclassify.classify`
        (``Quantiles``, ``FisherJenks``, ``UserDefined`` with *bins*) or a
        continuous viridis scale.
    k : int
        Number of classes for quantiles and Fisher–Jenks.
    bins : sequence of float, optional
        Upper class bounds for ``classification="user"``.
    class_labels : sequence of str, optional
        Legend entry of each class, lowest first (default: its bounds, e.g.
        "25,000 – 30,000"); as many as there are classes.
    highlight : iterable of str, optional
        Regions to outline in black (e.g. partnership members).
    highlight_label : str
        Legend entry of the outline.
    label, unit : str, optional
        Name of the value and its unit, shown in the hover label and legend.
    title, subtitle, source : str, optional
        Texts of the figure; *source* defaults to a note built from
        ``frame.attrs["provenance"]``.
    year, flag : str, optional
        Columns with the data year and flag of each value (default: detected).
    tolerance : float
        Simplification tolerance in degrees (0 keeps the geometry as is).
    height : int
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig.layout.meta`` records the classification, the class bounds
        (``bins``, equal to mapclassify's on every finite value passed, drawn
        or not), the regions without data and the regions outside the frame.

    Raises
    ------
    SchemaError
        For an unknown classification, a missing column, *bins* missing for
        user classes, fewer distinct values than classes, or *class_labels*
        not one per class.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame(
    ...     {"geo": ["AT11", "AT12", "AT13"],
    ...      "region_name": ["Burgenland", "Niederösterreich", "Wien"]},
    ...     geometry=[box(16, 47, 17, 48), box(15, 48, 16, 49), box(16, 48, 17, 49)],
    ...     crs=4326,
    ... )
    >>> gdp = pd.DataFrame({"geo": ["AT11", "AT13"], "value": [25000.0, 45000.0]})
    >>> fig = choropleth(gdp, shapes, classification="user", bins=[30000, 50000])
    >>> [trace.name for trace in fig.data]
    ['25,000 – 30,000', '30,000 – 50,000', 'No data']
    >>> fig.layout.meta["no_data"]
    ['AT12']
    """
    import plotly.graph_objects as go

    check_classification(classification, bins)
    data = region_values(frame, value, year=year, flag=flag)
    drawn = display_shapes(shapes, tolerance)
    regions = split_regions(data, drawn)
    hover = Hover(
        drawn.names,
        label or value,
        unit,
        decimals_for(regions.present["value"].tolist()),
    )
    fig = go.Figure()
    meta: dict[str, Any] = {
        "figure": "choropleth",
        "classification": classification,
        "value": value,
        "no_data": regions.no_data,
        "outside_frame": drawn.outside,
        "simplify_tolerance": tolerance,
    }
    if regions.context:
        fig.add_trace(context_trace(regions.context, drawn))
    if len(regions.valued) and classification == "continuous":
        fig.add_trace(continuous_trace(regions.present, drawn.features, hover))
    elif len(regions.valued):
        classifier = classify(
            regions.valued["value"].to_numpy(), classification, k, bins
        )
        meta["bins"] = class_traces(
            fig, regions, drawn.features, hover, classifier, class_labels
        )
    if regions.no_data:
        fig.add_trace(no_data_trace(regions.no_data, drawn))
    outlined = {str(g) for g in highlight} if highlight is not None else set()
    meta["highlighted"] = outline(fig, drawn.features, outlined, highlight_label)
    europe_geo(fig)
    if source is None:
        source = source_note(frame.attrs.get("provenance"))
    apply_style(fig, title=title, subtitle=subtitle, source=source, height=height)
    fig.update_layout(
        meta=meta,
        legend={
            "title": {"text": escape(unit or label or value)},
            "x": 0.0,
            "y": 0.92,
            "xanchor": "left",
        },
    )
    return fig


def _by_role(members: pd.DataFrame, role: str) -> pd.DataFrame:
    """One row per region, keeping its first role in the order of ROLE_COLOURS."""
    for col in ("geo", role):
        if col not in members.columns:
            got = sorted(map(str, members.columns))
            msg = f"members need a {col!r} column (got {got})"
            raise SchemaError(msg)
    order = list(ROLE_COLOURS)
    table = members.assign(
        _rank=members[role]
        .astype(str)
        .map(lambda r: order.index(r) if r in order else len(order))
    ).sort_values("_rank", kind="stable")
    return table.drop_duplicates("geo")


def _role_rows(rows: pd.DataFrame, role: str, names: dict[str, str]) -> list[list[str]]:
    """Hover fields of members of one role: name, code, role, how listed."""
    return [
        [
            escape(names.get(g, g)),
            escape(g),
            escape(role),
            escape(getattr(row, "region_name", "") or ""),
            escape(getattr(row, "listed_geo", g) or g),
            escape(getattr(row, "confidence", "") or "n/a"),
        ]
        for g, row in zip(rows["geo"], rows.itertuples(index=False), strict=True)
    ]


def _role_traces(
    fig: go.Figure, table: pd.DataFrame, role: str, drawn: DisplayShapes
) -> None:
    """Add one trace per role present, in the order of ROLE_COLOURS."""
    order = list(ROLE_COLOURS)
    extra_colours = iter(("#999933", "#882255", "#44AA99"))
    roles = list(dict.fromkeys(table[role].astype(str)))
    for r in sorted(roles, key=lambda x: order.index(x) if x in order else len(order)):
        rows = table[table[role].astype(str) == r]
        colour = ROLE_COLOURS.get(r) or next(extra_colours, "#777777")
        fig.add_trace(
            region_trace(
                drawn.features,
                rows["geo"].astype(str).tolist(),
                colour=colour,
                name=escape(r.capitalize()),
                customdata=_role_rows(rows, r, drawn.names),
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                "Role: %{customdata[2]}<br>Listed as: %{customdata[3]} "
                "(%{customdata[4]})<br>Confidence: %{customdata[5]}<extra></extra>",
                line_colour="white",
                line_width=0.6,
            )
        )


def partnership_map(
    members: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    *,
    role: str = "role",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    tolerance: float = SIMPLIFY_TOLERANCE,
    height: int = 620,
) -> go.Figure:
    """Map a partnership's member regions coloured by role, over all regions.

    Parameters
    ----------
    members : pandas.DataFrame
        One row per member region at the level of *shapes*: ``geo`` and *role*
        (e.g. :func:`regiongap.members` with ``level=2``); optional
        ``region_name`` (as listed), ``listed_geo`` and ``confidence`` are shown
        on hover. A region listed twice keeps its first role in the order
        lead, co-lead, member, others.
    shapes : geopandas.GeoDataFrame
        ``geo, region_name, geometry`` of all regions drawn as context.
    role : str
        Column with the role.
    title, subtitle, source : str, optional
        Texts of the figure.
    tolerance : float
        Simplification tolerance in degrees.
    height : int
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        One trace for the context and one per role present.

    Raises
    ------
    SchemaError
        If *members* has no ``geo`` or *role* column, or *shapes* no ``geo`` or
        ``geometry``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame(
    ...     {"geo": ["SI03", "SI04", "HR02"]},
    ...     geometry=[box(14, 45, 15, 46), box(15, 45, 16, 46), box(16, 45, 17, 46)],
    ...     crs=4326,
    ... )
    >>> members = pd.DataFrame({"geo": ["SI03", "SI04"], "role": ["lead", "member"]})
    >>> fig = partnership_map(members, shapes, title="Batteries")
    >>> [trace.name for trace in fig.data], fig.layout.meta["members"]
    (['Other regions', 'Lead', 'Member'], ['SI03', 'SI04'])
    """
    import plotly.graph_objects as go

    table = _by_role(members, role)
    drawn = display_shapes(shapes, tolerance)
    fig = go.Figure()
    listed = set(table["geo"])
    rest = [g for g in drawn.features if g not in listed]
    fig.add_trace(
        region_trace(
            drawn.features,
            rest,
            colour=CONTEXT,
            name="Other regions",
            customdata=[[escape(drawn.names.get(g, g)), escape(g)] for g in rest],
            hovertemplate="%{customdata[0]} (%{customdata[1]})<extra></extra>",
            showlegend=False,
            line_colour="#c8c8c8",
            line_width=0.3,
        )
    )
    _role_traces(fig, table, role, drawn)
    europe_geo(fig)
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source=source if source is not None else source_note(None),
        height=height,
    )
    fig.update_layout(
        meta={
            "figure": "partnership_map",
            "outside_frame": drawn.outside,
            "members": table["geo"].astype(str).tolist(),
        },
        legend={"title": {"text": "Role"}, "x": 0.0, "y": 0.92, "xanchor": "left"},
    )
    return fig
