"""NUTS maps: a classified or continuous choropleth and a partnership map.

Both take frames and a GeoDataFrame of shapes (``geo, name, geometry``, as
:func:`regiongap.nuts_regions` returns) and give back a plotly ``Figure``; they
never fetch, show or write anything.

Geometry is made light before it is embedded: shapes are clipped to the
European frame (longitude −25…45, latitude 34…72; outermost regions such as the
Canary Islands, the French overseas departments, the Azores and Madeira fall
outside it and are listed in ``fig.layout.meta["outside_frame"]``), simplified
with a tolerance of 0.01° (about 1 km, below the resolution of GISCO's
1:20 million boundaries), rounded to a 0.001° grid and given clockwise exterior
rings (the orientation d3-geo, plotly's map engine, expects). A NUTS 2 map of
Europe then
weighs about 0.3 MB in the HTML.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from regiongap.errors import SchemaError
from regiongap.viz._frames import flag_text, region_values
from regiongap.viz.style import (
    HIGHLIGHT,
    MISSING,
    ROLE_COLOURS,
    apply_style,
    class_colours,
    escape,
    source_note,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd
    import pandas as pd
    import plotly.graph_objects as go

__all__ = [
    "CLASSIFICATIONS",
    "EUROPE_FRAME",
    "SIMPLIFY_TOLERANCE",
    "choropleth",
    "partnership_map",
]

#: Classification schemes accepted by :func:`choropleth` -> mapclassify scheme.
CLASSIFICATIONS: dict[str, str | None] = {
    "quantiles": "quantiles",
    "fisher_jenks": "fisherjenks",
    "user": "userdefined",
    "continuous": None,
}
#: (min lon, min lat, max lon, max lat) of the area drawn.
EUROPE_FRAME: tuple[float, float, float, float] = (-25.0, 34.0, 45.0, 72.0)
#: Douglas–Peucker tolerance in degrees used to simplify shapes for display.
SIMPLIFY_TOLERANCE = 0.01
_GRID = 0.001
_CONTEXT = "#f0f0f0"
_TRANSPARENT = [[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]]


def _display_shapes(
    shapes: gpd.GeoDataFrame, tolerance: float
) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, str], list[str]]:
    """Return features, names and countries by geo, and the geos outside the frame."""
    import shapely

    for col in ("geo", "geometry"):
        if col not in shapes.columns:
            msg = (
                f"shapes need a {col!r} column (got {sorted(map(str, shapes.columns))})"
            )
            raise SchemaError(msg)
    geoms = shapes.geometry
    if shapes.crs is not None and shapes.crs.to_epsg() != 4326:
        geoms = geoms.to_crs(4326)
    geoms = shapely.clip_by_rect(geoms.to_numpy(), *EUROPE_FRAME)
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, _GRID)
    # plotly draws with d3-geo, which reads rings on the sphere: exteriors must be
    # clockwise (the reverse of RFC 7946), or a region would cover the globe.
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    features: dict[str, dict[str, Any]] = {}
    outside: list[str] = []
    geo_ids = shapes["geo"].astype(str).to_numpy()
    for geo, geom in zip(geo_ids, geoms, strict=True):
        if geom is None or shapely.is_empty(geom):
            outside.append(geo)
            continue
        features[geo] = {
            "type": "Feature",
            "id": geo,
            "properties": {},
            "geometry": shapely.geometry.mapping(geom),
        }
    names = (
        dict(zip(geo_ids, shapes["name"].astype(str), strict=True))
        if "name" in shapes.columns
        else {g: g for g in geo_ids}
    )
    if "country" in shapes.columns:
        countries = dict(zip(geo_ids, shapes["country"].astype(str), strict=True))
    else:
        countries = {g: g[:2] for g in geo_ids}
    return features, names, countries, outside


def _collection(features: dict[str, dict[str, Any]], geos: Iterable[str]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [features[g] for g in geos if g in features],
    }


def _region_trace(
    features: dict[str, dict[str, Any]],
    geos: Sequence[str],
    *,
    colour: str,
    name: str,
    customdata: list[list[str]] | None,
    hovertemplate: str | None,
    showlegend: bool = True,
    line_colour: str = "white",
    line_width: float = 0.4,
) -> go.Choropleth:
    import plotly.graph_objects as go

    kept = [g for g in geos if g in features]
    keep = set(kept)
    data = None
    if customdata is not None:
        data = [row for g, row in zip(geos, customdata, strict=True) if g in keep]
    return go.Choropleth(
        geojson=_collection(features, kept),
        locations=kept,
        z=[1.0] * len(kept),
        colorscale=[[0.0, colour], [1.0, colour]],
        showscale=False,
        name=name,
        legendgroup=name,
        showlegend=showlegend,
        customdata=data,
        hovertemplate=hovertemplate,
        hoverinfo="skip" if hovertemplate is None else None,
        marker={"line": {"color": line_colour, "width": line_width}},
    )


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _decimals(values: Sequence[float]) -> int:
    import numpy as np

    finite = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    if finite.size == 0:
        return 1
    span = float(np.nanmax(np.abs(finite)))
    return 0 if span >= 1000 else 1 if span >= 10 else 2


def choropleth(
    frame: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    value: str = "value",
    *,
    classification: str = "quantiles",
    k: int = 5,
    bins: Sequence[float] | None = None,
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
        ``geo, name, geometry`` (plus ``country``), e.g. from
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
        Columns with the year and flag of each value (default: detected).
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
        user classes, or fewer distinct values than classes.
    """
    import mapclassify
    import numpy as np
    import plotly.graph_objects as go

    if classification not in CLASSIFICATIONS:
        msg = (
            f"classification={classification!r} is not known; use one of "
            f"{sorted(CLASSIFICATIONS)}"
        )
        raise SchemaError(msg)
    if classification == "user" and not bins:
        msg = "classification='user' needs bins=[upper bound of each class, ...]"
        raise SchemaError(msg)

    data = region_values(frame, value, year=year, flag=flag)
    features, names, countries, outside = _display_shapes(shapes, tolerance)
    label = label or value
    unit_txt = f" {unit}" if unit else ""
    highlight_set = {str(g) for g in highlight} if highlight is not None else set()

    # classes come from every value passed, drawn or not (e.g. outermost regions)
    valued = data[np.isfinite(data["value"])]
    data = data[data["geo"].isin(features)]
    present = data[np.isfinite(data["value"])]
    covered = {countries.get(g, g[:2]) for g in data["geo"]}
    no_data = [
        g
        for g in features
        if g not in set(present["geo"]) and countries.get(g) in covered
    ]
    context = [g for g in features if countries.get(g) not in covered]
    decimals = _decimals(present["value"].tolist())

    def custom(rows: pd.DataFrame) -> list[list[str]]:
        return [
            [
                escape(names.get(r.geo, r.name if isinstance(r.name, str) else r.geo)),
                escape(r.geo),
                _fmt(r.value, decimals) + escape(unit_txt),
                "n/a" if r.year is None or r.year != r.year else escape(r.year),
                escape(flag_text(r.flag)),
            ]
            for r in rows.itertuples(index=False)
        ]

    hover = (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        + escape(label)
        + ": %{customdata[2]}<br>Year: %{customdata[3]}<br>Flag: %{customdata[4]}"
        "<extra></extra>"
    )
    fig = go.Figure()
    meta: dict[str, Any] = {
        "figure": "choropleth",
        "classification": classification,
        "value": value,
        "no_data": no_data,
        "outside_frame": outside,
        "simplify_tolerance": tolerance,
    }
    if context:
        fig.add_trace(
            _region_trace(
                features,
                context,
                colour=_CONTEXT,
                name="Not covered",
                customdata=[[escape(names.get(g, g))] for g in context],
                hovertemplate="%{customdata[0]}<br>not covered<extra></extra>",
                showlegend=False,
            )
        )
    if len(valued) == 0:
        pass
    elif classification == "continuous":
        rows = present
        fig.add_trace(
            go.Choropleth(
                geojson=_collection(features, rows["geo"]),
                locations=rows["geo"].tolist(),
                z=rows["value"].tolist(),
                colorscale="Viridis",
                customdata=custom(rows),
                hovertemplate=hover,
                name=escape(label),
                marker={"line": {"color": "white", "width": 0.4}},
                colorbar={
                    "title": {"text": escape(unit or label), "side": "right"},
                    "thickness": 14,
                    "len": 0.6,
                },
            )
        )
    else:
        y = valued["value"].to_numpy()
        scheme = CLASSIFICATIONS[classification]
        if classification == "user":
            classifier = mapclassify.classify(y, scheme, bins=list(bins or []))
        else:
            if len(np.unique(y)) < k:
                msg = (
                    f"{len(np.unique(y))} distinct values cannot make k={k} classes; "
                    "lower k or use classification='continuous'"
                )
                raise SchemaError(msg)
            with warnings.catch_warnings():
                # mapclassify falls back to pure Python without numba; that is
                # fast enough for a few hundred regions and not worth a warning
                warnings.filterwarnings("ignore", message="Numba not installed")
                classifier = mapclassify.classify(y, scheme, k=k)
        upper = [float(b) for b in classifier.bins]
        meta["bins"] = upper
        colours = class_colours(len(upper))
        lower = float(np.min(y))
        drawn = valued["geo"].isin(features).to_numpy()
        for i, top in enumerate(upper):
            rows = valued[(classifier.yb == i) & drawn]
            text = f"{_fmt(lower, decimals)} – {_fmt(top, decimals)}"
            lower = top
            if rows.empty:
                continue
            fig.add_trace(
                _region_trace(
                    features,
                    rows["geo"].tolist(),
                    colour=colours[i],
                    name=text,
                    customdata=custom(rows),
                    hovertemplate=hover,
                )
            )
    if no_data:
        fig.add_trace(
            _region_trace(
                features,
                no_data,
                colour=MISSING,
                name="No data",
                customdata=[[escape(names.get(g, g)), escape(g)] for g in no_data],
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                "No data<extra></extra>",
            )
        )
    outlined = [g for g in features if g in highlight_set]
    if outlined:
        fig.add_trace(
            go.Choropleth(
                geojson=_collection(features, outlined),
                locations=outlined,
                z=[0.0] * len(outlined),
                colorscale=_TRANSPARENT,
                showscale=False,
                name=escape(highlight_label),
                legendgroup="highlight",
                showlegend=False,
                hoverinfo="skip",
                marker={"line": {"color": HIGHLIGHT, "width": 1.8}},
            )
        )
        # a choropleth's legend swatch shows its fill, not its outline: an empty
        # marker trace gives the outline its legend entry
        fig.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="markers",
                marker={
                    "symbol": "square-open",
                    "size": 13,
                    "color": HIGHLIGHT,
                    "line": {"width": 2},
                },
                name=escape(highlight_label),
                legendgroup="highlight",
                hoverinfo="skip",
            )
        )
    meta["highlighted"] = outlined
    _europe_geo(fig)
    apply_style(
        fig,
        title=title,
        subtitle=subtitle,
        source=source
        if source is not None
        else source_note(frame.attrs.get("provenance")),
        height=height,
    )
    fig.update_layout(
        meta=meta,
        legend={
            "title": {"text": escape(unit or label)},
            "x": 0.0,
            "y": 0.92,
            "xanchor": "left",
        },
    )
    return fig


def _europe_geo(fig: go.Figure) -> None:
    # visible=False: no plotly base map, so no topojson request leaves the page.
    fig.update_geos(
        visible=False,
        projection={"type": "azimuthal equal area", "rotation": {"lon": 10, "lat": 52}},
        lonaxis={"range": [-24.0, 42.0]},
        lataxis={"range": [34.5, 71.0]},
        domain={"x": [0.14, 1.0], "y": [0.0, 1.0]},
        fitbounds=False,
        bgcolor="white",
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
        ``geo, name, geometry`` of all regions drawn as context.
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
    """
    import plotly.graph_objects as go

    for col in ("geo", role):
        if col not in members.columns:
            got = sorted(map(str, members.columns))
            msg = f"members need a {col!r} column (got {got})"
            raise SchemaError(msg)
    features, names, _, outside = _display_shapes(shapes, tolerance)
    order = list(ROLE_COLOURS)
    table = members.assign(
        _rank=members[role]
        .astype(str)
        .map(lambda r: order.index(r) if r in order else len(order))
    ).sort_values("_rank", kind="stable")
    table = table.drop_duplicates("geo")
    fig = go.Figure()
    rest = [g for g in features if g not in set(table["geo"])]
    fig.add_trace(
        _region_trace(
            features,
            rest,
            colour=_CONTEXT,
            name="Other regions",
            customdata=[[escape(names.get(g, g)), escape(g)] for g in rest],
            hovertemplate="%{customdata[0]} (%{customdata[1]})<extra></extra>",
            showlegend=False,
            line_colour="#c8c8c8",
            line_width=0.3,
        )
    )
    extra_colours = iter(("#999933", "#882255", "#44AA99"))
    roles = list(dict.fromkeys(table[role].astype(str)))
    for r in sorted(roles, key=lambda x: order.index(x) if x in order else len(order)):
        rows = table[table[role].astype(str) == r]
        colour = ROLE_COLOURS.get(r) or next(extra_colours, "#777777")
        custom = [
            [
                escape(names.get(g, g)),
                escape(g),
                escape(r),
                escape(getattr(row, "region_name", "") or ""),
                escape(getattr(row, "listed_geo", g) or g),
                escape(getattr(row, "confidence", "") or "n/a"),
            ]
            for g, row in zip(rows["geo"], rows.itertuples(index=False), strict=True)
        ]
        fig.add_trace(
            _region_trace(
                features,
                rows["geo"].astype(str).tolist(),
                colour=colour,
                name=escape(r.capitalize()),
                customdata=custom,
                hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                "Role: %{customdata[2]}<br>Listed as: %{customdata[3]} "
                "(%{customdata[4]})<br>Confidence: %{customdata[5]}<extra></extra>",
                line_colour="white",
                line_width=0.6,
            )
        )
    _europe_geo(fig)
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
            "outside_frame": outside,
            "members": table["geo"].astype(str).tolist(),
        },
        legend={"title": {"text": "Role"}, "x": 0.0, "y": 0.92, "xanchor": "left"},
    )
    return fig
