"""A NUTS map of categories: one colour per category, e.g. hot and cold spots.

:func:`category_map` draws a label per region (a LISA cluster, a cohesion-policy
category, a typology) with a fixed colour per category, in a fixed legend order;
regions with a shape but no label are "No data" in grey, countries without any
label light context, and chosen regions (e.g. a partnership's members) are
outlined in black. The shapes are prepared as for :func:`regiongap.viz.maps.
choropleth` (cached, clipped, simplified).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz._geometry import (
    SIMPLIFY_TOLERANCE,
    display_shapes,
    europe_geo,
    region_trace,
)
from regiongap.viz._layers import context_trace, no_data_trace, outline
from regiongap.viz.style import OKABE_ITO, apply_style, escape, source_note

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd
    import plotly.graph_objects as go

__all__ = ["LISA_COLOURS", "LISA_LABELS", "category_map", "lisa_map"]

#: Colours of the LISA clusters: hot spots red, cold spots blue, outliers light.
LISA_COLOURS: dict[str, str] = {
    "HH": "#d7301f",
    "HL": "#fc8d59",
    "LH": "#91bfdb",
    "LL": "#2166ac",
    "not significant": "#ebe6d6",
}
#: Legend text of the LISA clusters.
LISA_LABELS: dict[str, str] = {
    "HH": "Hot spot: high, neighbours high (HH)",
    "HL": "High among low neighbours (HL)",
    "LH": "Low among high neighbours (LH)",
    "LL": "Cold spot: low, neighbours low (LL)",
    "not significant": "Not significant",
}


def _labels(frame: pd.DataFrame, value: str) -> pd.Series:
    """Return the label of each region by ``geo`` (strings; missing dropped)."""
    if value not in frame.columns:
        msg = f"no column {value!r} to map (columns: {list(frame.columns)})"
        raise SchemaError(msg)
    geos = frame["geo"] if "geo" in frame.columns else frame.index.to_series()
    labels = pd.Series(frame[value].to_numpy(), index=geos.astype(str).to_numpy())
    labels = labels[labels.notna()].astype(str)
    if labels.index.duplicated().any():
        twice = sorted(set(labels.index[labels.index.duplicated()]))
        msg = f"regions appear twice in the frame: {twice}"
        raise SchemaError(msg)
    return labels


def category_map(
    frame: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    value: str,
    *,
    colours: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    order: Sequence[str] | None = None,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "Partnership member",
    legend_title: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    tolerance: float = SIMPLIFY_TOLERANCE,
    height: int = 620,
) -> go.Figure:
    """Map a category per NUTS region, one colour and legend entry per category.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per region: a ``geo`` column or index, and *value*.
    shapes : geopandas.GeoDataFrame
        ``geo, region_name, geometry`` (plus ``country``), e.g. from
        :func:`regiongap.nuts_regions`.
    value : str
        Column with the category of each region.
    colours : mapping of str to str, optional
        Colour of each category (default: the Okabe–Ito palette in *order*).
    names : mapping of str to str, optional
        Legend text of each category (default: the category).
    order : sequence of str, optional
        Legend order (default: *colours*' order, then the others sorted).
    highlight : iterable of str, optional
        Regions to outline in black.
    highlight_label : str
        Legend entry of the outline.
    legend_title, title, subtitle, source : str, optional
        Texts of the figure.
    tolerance : float
        Simplification tolerance in degrees.
    height : int
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per category present; ``fig.layout.meta`` has the regions of
        each category (``categories``) and those without one (``no_data``).

    Raises
    ------
    SchemaError
        If *value* is not a column, a region appears twice, or *shapes* lacks
        ``geo``/``geometry``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import pandas as pd
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame(
    ...     {"geo": ["AT11", "AT12", "AT13"]},
    ...     geometry=[box(16, 47, 17, 48), box(15, 48, 16, 49), box(16, 48, 17, 49)],
    ...     crs=4326,
    ... )
    >>> lisa = pd.DataFrame({"geo": ["AT11", "AT13"], "cluster": ["LL", "HH"]})
    >>> fig = category_map(lisa, shapes, "cluster", colours=LISA_COLOURS)
    >>> [trace.name for trace in fig.data]
    ['HH', 'LL', 'No data']
    >>> fig.layout.meta["categories"]
    {'HH': ['AT13'], 'LL': ['AT11']}
    """
    import plotly.graph_objects as go

    labels = _labels(frame, value)
    drawn = display_shapes(shapes, tolerance)
    known = list(order or colours or [])
    cats = known + sorted(set(labels) - set(known))
    palette = dict(colours or {})
    spare = iter(c for c in OKABE_ITO if c not in palette.values())
    fig = go.Figure()
    countries = {drawn.countries.get(g, g[:2]) for g in labels.index}
    context = [g for g in drawn.features if drawn.countries.get(g) not in countries]
    if context:
        fig.add_trace(context_trace(context, drawn))
    meta: dict[str, Any] = {"figure": "category_map", "value": value}
    groups: dict[str, list[str]] = {}
    for cat in cats:
        geos = [g for g in labels.index[labels == cat] if g in drawn.features]
        if not geos:
            continue
        groups[cat] = geos
        fig.add_trace(
            region_trace(
                drawn.features,
                geos,
                colour=palette.get(cat) or next(spare, "#777777"),
                name=escape((names or {}).get(cat, cat)),
                customdata=[
                    [escape(drawn.names.get(g, g)), escape(g), escape(cat)]
                    for g in geos
                ],
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                "%{customdata[2]}<extra></extra>",
            )
        )
    no_data = [
        g
        for g in drawn.features
        if g not in labels.index and drawn.countries.get(g) in countries
    ]
    if no_data:
        fig.add_trace(no_data_trace(no_data, drawn))
    outlined = {str(g) for g in highlight} if highlight is not None else set()
    meta["highlighted"] = outline(fig, drawn.features, outlined, highlight_label)
    meta.update(categories=groups, no_data=no_data, outside_frame=drawn.outside)
    europe_geo(fig)
    note = source if source is not None else source_note(frame.attrs.get("provenance"))
    apply_style(fig, title=title, subtitle=subtitle, source=note, height=height)
    fig.update_layout(
        meta=meta,
        legend={
            "title": {"text": escape(legend_title or "")},
            "x": 0.0,
            "y": 0.92,
            "xanchor": "left",
        },
    )
    return fig


def lisa_map(
    clusters: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    *,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "Partnership member",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    height: int = 620,
) -> go.Figure:
    """Map the hot and cold spots of :func:`regiongap.lisa_clusters`.

    Hot spots (``HH``) red, cold spots (``LL``) blue, the two kinds of outlier
    (``HL``, ``LH``) light, regions not significant after the false-discovery-rate
    correction pale (:data:`LISA_COLOURS`, legend :data:`LISA_LABELS`).

    Parameters
    ----------
    clusters : pandas.DataFrame
        :func:`regiongap.lisa_clusters`: index or column ``geo`` and ``cluster``.
    shapes : geopandas.GeoDataFrame
        NUTS shapes of the same level, e.g. :func:`regiongap.nuts_regions`.
    highlight : iterable of str, optional
        Regions to outline in black (e.g. a partnership's members).
    highlight_label : str
        Legend entry of the outline.
    title, subtitle, source : str, optional
        Texts of the figure.
    height : int
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        As :func:`category_map`, legend titled "Local Moran cluster".

    Raises
    ------
    SchemaError
        If *clusters* has no ``cluster`` column, or as :func:`category_map`.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame(
    ...     {"geo": ["AT11", "AT12"]},
    ...     geometry=[box(16, 47, 17, 48), box(15, 48, 16, 49)],
    ...     crs=4326,
    ... )
    >>> clusters = pd.DataFrame({"cluster": ["HH", "not significant"]},
    ...                         index=pd.Index(["AT11", "AT12"], name="geo"))
    >>> [t.name for t in lisa_map(clusters, shapes).data]
    ['Hot spot: high, neighbours high (HH)', 'Not significant']
    """
    return category_map(
        clusters,
        shapes,
        "cluster",
        colours=LISA_COLOURS,
        names=LISA_LABELS,
        highlight=highlight,
        highlight_label=highlight_label,
        legend_title="Local Moran cluster",
        title=title,
        subtitle=subtitle,
        source=source,
        height=height,
    )
