"""Light map geometry: NUTS shapes clipped, simplified and oriented for plotly.

Shapes are clipped to the European frame (longitude −25…45, latitude 34…72;
outermost regions such as the Canary Islands, the French overseas departments, the
Azores and Madeira fall outside it and are listed), simplified with a tolerance of
0.01° (about 1 km, below the resolution of GISCO's 1:20 million boundaries),
rounded to a 0.001° grid and given clockwise exterior rings (the orientation
d3-geo, plotly's map engine, expects). A NUTS 2 map of Europe then weighs about
0.3 MB in the HTML.

The maps of :mod:`regiongap.viz.maps` share these steps: :func:`display_shapes`
turns a GeoDataFrame into GeoJSON features by ``geo``, :func:`region_trace` draws a
set of regions in one colour and :func:`europe_geo` frames the map.

Preparing the shapes is the slow part of a map (about 0.15 s for the 1,512 NUTS 3
regions), so :func:`display_shapes` keeps the last :data:`CACHE_SIZE` results, keyed
by a SHA-256 digest of everything it reads (codes, names, countries, CRS and the
geometries' WKB) and the tolerance: a map of another indicator or year on the same
boundaries reuses them, and changed shapes are never served from the cache.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from regiongap.errors import SchemaError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd
    import numpy as np
    import plotly.graph_objects as go

__all__ = [
    "CACHE_SIZE",
    "EUROPE_FRAME",
    "SIMPLIFY_TOLERANCE",
    "DisplayShapes",
    "clear_cache",
    "collection",
    "display_shapes",
    "europe_geo",
    "region_trace",
    "shapes_digest",
]

#: (min lon, min lat, max lon, max lat) of the area drawn.
EUROPE_FRAME: tuple[float, float, float, float] = (-25.0, 34.0, 45.0, 72.0)
#: Douglas–Peucker tolerance in degrees used to simplify shapes for display.
SIMPLIFY_TOLERANCE = 0.01
_GRID = 0.001
#: Prepared shapes kept by :func:`display_shapes` (one per boundary set and tolerance).
CACHE_SIZE = 8

#: A GeoJSON feature (``type, id, properties, geometry``).
Feature = dict[str, Any]


@dataclass(frozen=True)
class DisplayShapes:
    """The regions a map can draw, ready for plotly.

    Attributes
    ----------
    features : dict of str to dict
        GeoJSON feature of every region inside the frame, by ``geo``.
    names : dict of str to str
        Region name by ``geo`` (the code where *shapes* has no ``region_name``).
    countries : dict of str to str
        Country code by ``geo`` (``country`` column, else the code's first two
        letters).
    outside : list of str
        Regions wholly outside :data:`EUROPE_FRAME`, in the order of *shapes*.
    """

    features: dict[str, Feature]
    names: dict[str, str]
    countries: dict[str, str]
    outside: list[str]


def display_shapes(
    shapes: gpd.GeoDataFrame, tolerance: float = SIMPLIFY_TOLERANCE
) -> DisplayShapes:
    """Clip, simplify and orient *shapes* for display; index them by ``geo``.

    The result is cached (see the module docstring) and shared between maps:
    read it, never change it.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        ``geo`` and ``geometry`` (plus ``region_name`` and ``country``), in any CRS.
    tolerance : float
        Simplification tolerance in degrees (0 keeps the geometry as is).

    Returns
    -------
    DisplayShapes
        Features, names and countries by ``geo``, and the regions outside the
        frame.

    Raises
    ------
    SchemaError
        If *shapes* has no ``geo`` or ``geometry`` column.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame(
    ...     {"geo": ["AT13", "ES70"], "region_name": ["Wien", "Canarias"]},
    ...     geometry=[box(16.2, 48.1, 16.6, 48.3), box(-18.0, 27.6, -13.4, 29.4)],
    ...     crs=4326,
    ... )
    >>> drawn = display_shapes(shapes)
    >>> list(drawn.features), drawn.outside, drawn.names["AT13"]
    (['AT13'], ['ES70'], 'Wien')
    >>> display_shapes(shapes.copy()) is drawn  # same content: from the cache
    True
    """
    for col in ("geo", "geometry"):
        if col not in shapes.columns:
            msg = (
                f"shapes need a {col!r} column (got {sorted(map(str, shapes.columns))})"
            )
            raise SchemaError(msg)
    key = (shapes_digest(shapes), float(tolerance))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    drawn = _prepare(shapes, tolerance)
    with _LOCK:
        _CACHE[key] = drawn
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return drawn


_CACHE: OrderedDict[tuple[str, float], DisplayShapes] = OrderedDict()
_LOCK = threading.Lock()


def clear_cache() -> int:
    """Forget every prepared boundary set; return how many were kept.

    Returns
    -------
    int
        The number of cached :class:`DisplayShapes` removed.

    Examples
    --------
    >>> clear_cache() >= 0, clear_cache()
    (True, 0)
    """
    with _LOCK:
        count = len(_CACHE)
        _CACHE.clear()
    return count


def shapes_digest(shapes: gpd.GeoDataFrame) -> str:
    """Return a SHA-256 digest of what a map reads from *shapes*.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        ``geo`` and ``geometry`` (plus ``region_name`` and ``country``).

    Returns
    -------
    str
        Hex digest of the CRS, the ``geo``, ``region_name`` and ``country``
        columns and the geometries' WKB (a few milliseconds for NUTS 3).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame({"geo": ["AT13"]}, geometry=[box(16, 48, 17, 49)])
    >>> moved = shapes.set_geometry([box(16, 48, 17, 50)])
    >>> shapes_digest(shapes) == shapes_digest(shapes.copy())
    True
    >>> shapes_digest(shapes) == shapes_digest(moved)
    False
    """
    import shapely

    digest = hashlib.sha256(str(shapes.crs).encode())
    for col in ("geo", "region_name", "country"):
        if col in shapes.columns:
            text = "\x1f".join(shapes[col].astype(str))
            digest.update(f"\x1e{col}:{len(text)}:{text}".encode())
    for wkb in shapely.to_wkb(shapes.geometry.to_numpy()):
        part = b"" if wkb is None else bytes(wkb)
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def _prepare(shapes: gpd.GeoDataFrame, tolerance: float) -> DisplayShapes:
    """Return the display shapes of *shapes* (the uncached work)."""
    import shapely

    geoms = _light(shapes, tolerance)
    features: dict[str, Feature] = {}
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
        dict(zip(geo_ids, shapes["region_name"].astype(str), strict=True))
        if "region_name" in shapes.columns
        else {g: g for g in geo_ids}
    )
    if "country" in shapes.columns:
        countries = dict(zip(geo_ids, shapes["country"].astype(str), strict=True))
    else:
        countries = {g: g[:2] for g in geo_ids}
    return DisplayShapes(features, names, countries, outside)


def _light(shapes: gpd.GeoDataFrame, tolerance: float) -> np.ndarray:
    """Return the geometries in WGS 84, clipped, simplified, gridded and oriented."""
    import shapely

    geoms = shapes.geometry
    if shapes.crs is not None and shapes.crs.to_epsg() != 4326:
        geoms = geoms.to_crs(4326)
    geoms = shapely.clip_by_rect(geoms.to_numpy(), *EUROPE_FRAME)
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, _GRID)
    # plotly draws with d3-geo, which reads rings on the sphere: exteriors must be
    # clockwise (the reverse of RFC 7946), or a region would cover the globe.
    return shapely.orient_polygons(geoms, exterior_cw=True)


def collection(features: Mapping[str, Feature], geos: Iterable[str]) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of the *geos* that have a feature.

    Parameters
    ----------
    features : dict of str to dict
        Features by ``geo`` (:attr:`DisplayShapes.features`).
    geos : iterable of str
        Regions wanted; those without a feature are left out.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``.

    Examples
    --------
    >>> feature = {"type": "Feature", "id": "AT13", "properties": {}, "geometry": None}
    >>> len(collection({"AT13": feature}, ["AT13", "XX99"])["features"])
    1
    """
    return {
        "type": "FeatureCollection",
        "features": [features[g] for g in geos if g in features],
    }


def region_trace(
    features: dict[str, Feature],
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
    """Return a choropleth trace drawing *geos* in one *colour*, under one legend entry.

    Parameters
    ----------
    features : dict of str to dict
        Features by ``geo``; regions without one are left out (with their row
        of *customdata*).
    geos : sequence of str
        Regions to draw.
    colour : str
        Fill colour.
    name : str
        Legend entry (already escaped).
    customdata : list of list of str, optional
        One row of hover fields per region of *geos*.
    hovertemplate : str, optional
        Plotly hover template; ``None`` turns hover off.
    showlegend : bool
        Whether the trace has a legend entry.
    line_colour, line_width : str, float
        Outline of each region.

    Returns
    -------
    plotly.graph_objects.Choropleth
        The trace.

    Examples
    --------
    >>> feature = {"type": "Feature", "id": "AT13", "properties": {}, "geometry": None}
    >>> trace = region_trace(
    ...     {"AT13": feature}, ["AT13", "XX99"], colour="#d9d9d9", name="No data",
    ...     customdata=None, hovertemplate=None,
    ... )
    >>> trace.locations, trace.hoverinfo
    (('AT13',), 'skip')
    """
    import plotly.graph_objects as go

    kept = [g for g in geos if g in features]
    keep = set(kept)
    data = None
    if customdata is not None:
        data = [row for g, row in zip(geos, customdata, strict=True) if g in keep]
    return go.Choropleth(
        geojson=collection(features, kept),
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


def europe_geo(fig: go.Figure) -> None:
    """Frame *fig*'s map on Europe, with no base map (nothing leaves the page).

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The map, changed in place.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure()
    >>> europe_geo(fig)
    >>> fig.layout.geo.visible, fig.layout.geo.projection.type
    (False, 'azimuthal equal area')
    """
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
