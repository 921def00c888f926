"""GISCO's healthcare points counted per NUTS region: hospitals and reported beds.

Each point is placed in the NUTS 3 region of its own country that contains it
(GISCO's 1:20 million boundaries are generalised, so a hospital on the coast or
by a border can fall in the sea or across the border: such a point goes to the
nearest NUTS 3 region of its country within :data:`SNAP_KM`, and is counted as
*snapped*; one farther away is *unassigned*, reported and not counted). Higher
levels add up their NUTS 3 regions. Every region of the countries in the layer
gets a count, zero included.

Beds are summed only where they can be: a region's beds are known when every
hospital located in it reports its beds (a sum over some of them would
understate it); else they are NaN. Nothing here reads a file: points and
regions in, counts out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from regiongap.schema import FLAG, GEO, TIME, VALUE

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["COUNT_COLUMNS", "SNAP_KM", "count_points", "counts_at_levels", "measure"]

#: How far (km) a point outside its country's generalised regions may be snapped.
SNAP_KM = 30.0
#: Columns of :func:`count_points` and :func:`counts_at_levels`.
COUNT_COLUMNS: tuple[str, ...] = (
    GEO,
    "country",
    "level",
    "n_hospitals",
    "n_with_beds",
    "beds",
)
_EQUAL_AREA = 3035  # ETRS89-LAEA: distances in metres


def _nearest_in_country(
    points: gpd.GeoDataFrame, regions: gpd.GeoDataFrame
) -> pd.Series:
    """Return, per point, the nearest region of its own country within SNAP_KM."""
    import geopandas as gpd

    found = pd.Series(pd.NA, index=points.index, dtype="string")
    if points.empty:
        return found
    pts = points.to_crs(_EQUAL_AREA)
    regs = regions.to_crs(_EQUAL_AREA)
    for country, group in pts.groupby("country", sort=True):
        own = regs.loc[regs["country"] == country, [GEO, "geometry"]]
        if own.empty:
            continue
        near = gpd.sjoin_nearest(
            group[["geometry"]], own, how="left", max_distance=SNAP_KM * 1000
        )
        near = near[~near.index.duplicated(keep="first")]
        found.loc[near.index] = near[GEO].astype("string")
    return found


def _place(points: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return ``geo`` (NUTS 3 of the point's country) and ``how`` for each point."""
    import geopandas as gpd

    joined = gpd.sjoin(
        points[["country", "geometry"]],
        regions[[GEO, "country", "geometry"]].rename(columns={"country": "_c"}),
        how="left",
        predicate="within",
    )
    joined = joined.loc[joined["country"] == joined["_c"]]
    joined = joined[~joined.index.duplicated(keep="first")]
    place = pd.DataFrame(
        {GEO: pd.Series(pd.NA, index=points.index, dtype="string"), "how": "within"}
    )
    place.loc[joined.index, GEO] = joined[GEO].astype("string")
    outside = place[GEO].isna()
    place.loc[outside, GEO] = _nearest_in_country(points.loc[outside], regions)
    place.loc[outside, "how"] = "snapped"
    place.loc[place[GEO].isna(), "how"] = "unassigned"
    return place


def count_points(
    points: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    codes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count hospitals and reported beds per NUTS 3 region.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        GISCO's healthcare points (:func:`regiongap.basic_services`): ``id``,
        ``country`` (Eurostat code), ``cap_beds`` (``<NA>`` if not reported),
        ``geometry`` (None when the coordinates are unusable). Rows identical in
        every column to an earlier one are counted once.
    regions : geopandas.GeoDataFrame
        NUTS 3 regions: ``geo``, ``country``, ``geometry``.
    codes : pandas.DataFrame, optional
        The official list of those regions (``geo``, ``country``), when it holds
        regions without a shape at the boundaries' scale (Svalbard and Jan Mayen
        at 1:20 million): they are listed, with no hospital. Default: *regions*.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`, one row per NUTS 3 region of the countries that
        have points (``level`` 3; ``beds`` the sum of the beds reported, which
        :func:`counts_at_levels` keeps only where every hospital reports them).
        ``attrs``: ``n_points``, ``duplicates``,
        ``no_coordinates``, ``snapped``, ``unassigned`` (counts) and
        ``unassigned_ids``.

    Examples
    --------
    Two hand-made regions and three hospitals (one without beds, one just off
    the coast of B, snapped to it):

    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> regions = gpd.GeoDataFrame(
    ...     {"geo": ["XX011", "XX012"], "country": ["XX", "XX"]},
    ...     geometry=[box(10, 50, 11, 51), box(11, 50, 12, 51)], crs=4326)
    >>> points = gpd.GeoDataFrame(
    ...     {"id": ["h1", "h2", "h3"], "country": ["XX"] * 3,
    ...      "cap_beds": pd.array([100, None, 50], dtype="Int64")},
    ...     geometry=[Point(10.5, 50.5), Point(11.5, 50.5), Point(12.1, 50.5)],
    ...     crs=4326)
    >>> counts = count_points(points, regions)
    >>> counts
         geo country  level  n_hospitals  n_with_beds   beds
    0  XX011      XX      3            1            1  100.0
    1  XX012      XX      3            2            1   50.0
    >>> counts.attrs["snapped"], counts.attrs["unassigned"]
    (1, 0)
    """
    columns = ["id", "country", "cap_beds", "geometry"]
    usable = points[columns]
    duplicated = points.drop(columns="geometry").duplicated()
    usable = usable.loc[~duplicated.to_numpy()]
    has_point = usable.geometry.notna() & ~usable.geometry.is_empty
    located = usable.loc[has_point]
    place = _place(located, regions)
    assigned = place[GEO].notna()
    frame = pd.DataFrame(
        {
            GEO: place.loc[assigned, GEO].astype(str),
            "beds": located.loc[assigned.to_numpy(), "cap_beds"].astype("Float64"),
        }
    )
    grouped = frame.groupby(GEO)["beds"]
    n = grouped.size()
    n_beds = grouped.count()
    total = grouped.sum(min_count=1)
    listed = regions if codes is None else codes
    keep = listed["country"].isin(set(usable["country"].dropna()))
    out = pd.DataFrame({GEO: listed.loc[keep, GEO].astype(str)})
    out["country"] = listed.loc[keep, "country"].astype(str).to_numpy()
    out["level"] = 3
    out["n_hospitals"] = out[GEO].map(n).fillna(0).astype("int64")
    out["n_with_beds"] = out[GEO].map(n_beds).fillna(0).astype("int64")
    out["beds"] = out[GEO].map(total).astype("float64").fillna(0.0)
    out = out.sort_values(GEO, kind="stable").reset_index(drop=True)
    out.attrs.update(_placement_counts(usable, has_point, place, int(duplicated.sum())))
    return out


def _placement_counts(
    usable: pd.DataFrame, has_point: pd.Series, place: pd.DataFrame, duplicates: int
) -> dict[str, Any]:
    unassigned = place.index[place["how"] == "unassigned"]
    return {
        "n_points": len(usable),
        "duplicates": duplicates,
        "no_coordinates": int((~has_point).sum()),
        "snapped": int((place["how"] == "snapped").sum()),
        "unassigned": len(unassigned),
        "unassigned_ids": usable.loc[unassigned, "id"].astype(str).tolist(),
    }


def _beds_known(frame: pd.DataFrame) -> pd.DataFrame:
    """Beds are NaN where a hospital does not report them, or no one in the country."""
    out = frame.copy()
    reports = out.groupby("country")["n_with_beds"].transform("sum") > 0
    complete = out["n_with_beds"] == out["n_hospitals"]
    out["beds"] = out["beds"].where(reports & complete)
    return out


def counts_at_levels(counts: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
    """Add NUTS 3 counts up to the levels asked for (a region's code prefix).

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`count_points` (NUTS 3).
    levels : sequence of int
        NUTS levels 0-3.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS` for every region of those levels; ``beds`` NaN
        where a hospital of the region does not report its beds, and for every
        region of a country where no hospital does.

    Examples
    --------
    >>> counts = pd.DataFrame({"geo": ["XX011", "XX012"], "country": ["XX", "XX"],
    ...                        "level": 3, "n_hospitals": [1, 2],
    ...                        "n_with_beds": [1, 1], "beds": [100.0, 0.0]})
    >>> counts_at_levels(counts, [3, 1])
         geo country  level  n_hospitals  n_with_beds   beds
    0    XX0      XX      1            3            2    NaN
    1  XX011      XX      3            1            1  100.0
    2  XX012      XX      3            2            1    NaN
    """
    parts = []
    for level in sorted(set(levels)):
        codes = counts[GEO].str[: 2 + level]
        summed = (
            counts.assign(**{GEO: codes})
            .groupby([GEO, "country"], as_index=False)[
                ["n_hospitals", "n_with_beds", "beds"]
            ]
            .sum()
        )
        summed["level"] = level
        parts.append(summed[list(COUNT_COLUMNS)])
    return _beds_known(pd.concat(parts, ignore_index=True))


def measure(counts: pd.DataFrame, what: str, year: int) -> pd.DataFrame:
    """Return one measure of the counts as a series ``geo, time, value, flag``.

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`counts_at_levels`.
    what : {"hospitals", "cap_beds"}
        The catalogue's measure: the number of hospitals, or their beds.
    year : int
        The layer's reference year (every value gets it).

    Returns
    -------
    pandas.DataFrame
        ``geo, time, value, flag`` (no flag).

    Examples
    --------
    >>> counts = pd.DataFrame({"geo": ["XX0"], "n_hospitals": [3],
    ...                        "beds": [float("nan")]})
    >>> measure(counts, "hospitals", 2020)
       geo  time  value  flag
    0  XX0  2020    3.0  <NA>
    """
    column = "n_hospitals" if what == "hospitals" else "beds"
    return pd.DataFrame(
        {
            GEO: counts[GEO].to_numpy(dtype=object),
            TIME: np.full(len(counts), year, dtype="int64"),
            VALUE: counts[column].to_numpy(dtype="float64"),
            FLAG: pd.array([pd.NA] * len(counts), dtype="string"),
        }
    )
