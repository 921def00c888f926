"""Points counted per region: hand-made squares and points (closed-form counts)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from regiongap.indicators._points import (
    COUNT_COLUMNS,
    SNAP_KM,
    count_points,
    counts_at_levels,
    measure,
)

# two countries: XX with three NUTS 3 squares in two NUTS 2, YY with one
REGIONS = gpd.GeoDataFrame(
    {
        "geo": ["XX011", "XX012", "XX021", "YY011"],
        "country": ["XX", "XX", "XX", "YY"],
    },
    geometry=[
        box(10, 50, 11, 51),
        box(11, 50, 12, 51),
        box(12, 50, 13, 51),
        box(13, 50, 14, 51),
    ],
    crs=4326,
)


def _points(rows: list[tuple[str, str, int | None, object]]) -> gpd.GeoDataFrame:
    ids, countries, beds, geometry = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {
            "id": list(ids),
            "country": list(countries),
            "cap_beds": pd.array(list(beds), dtype="Int64"),
        },
        geometry=list(geometry),
        crs=4326,
    )


def test_points_are_counted_in_their_region_of_their_country():
    points = _points(
        [
            ("a", "XX", 100, Point(10.5, 50.5)),
            ("b", "XX", 50, Point(10.6, 50.5)),
            ("c", "XX", None, Point(11.5, 50.5)),
            # an XX hospital drawn just across the generalised border in YY
            ("d", "XX", 10, Point(13.05, 50.5)),
            ("e", "YY", 20, Point(13.5, 50.5)),
        ]
    )
    counts = count_points(points, REGIONS)
    assert list(counts.columns) == list(COUNT_COLUMNS)
    got = counts.set_index("geo")
    assert got["n_hospitals"].to_dict() == {
        "XX011": 2,
        "XX012": 1,
        "XX021": 1,  # d: nearest XX region, not the YY one it lies in
        "YY011": 1,
    }
    assert got["n_with_beds"].to_dict() == {
        "XX011": 2,
        "XX012": 0,
        "XX021": 1,
        "YY011": 1,
    }
    assert got.loc["XX011", "beds"] == 150.0
    assert counts.attrs["snapped"] == 1 and counts.attrs["unassigned"] == 0


def test_far_missing_and_repeated_points_are_reported_not_counted():
    points = _points(
        [
            ("a", "XX", 100, Point(10.5, 50.5)),
            ("a", "XX", 100, Point(10.5, 50.5)),  # the same row twice
            ("far", "XX", 5, Point(10.5, 55.0)),  # some 450 km north: no region
            ("none", "XX", 5, None),  # no usable coordinates
        ]
    )
    counts = count_points(points, REGIONS)
    assert counts.set_index("geo")["n_hospitals"].to_dict() == {
        "XX011": 1,
        "XX012": 0,
        "XX021": 0,
    }  # YY has no point: none of its regions is listed
    attrs = counts.attrs
    assert (attrs["n_points"], attrs["duplicates"], attrs["no_coordinates"]) == (
        3,
        1,
        1,
    )
    assert attrs["unassigned"] == 1 and attrs["unassigned_ids"] == ["far"]
    assert SNAP_KM < 450


def test_counts_add_up_and_beds_need_every_hospital():
    counts = pd.DataFrame(
        {
            "geo": ["XX011", "XX012", "XX021", "YY011"],
            "country": ["XX", "XX", "XX", "YY"],
            "level": 3,
            "n_hospitals": [2, 1, 0, 3],
            "n_with_beds": [2, 0, 0, 0],
            "beds": [150.0, 0.0, 0.0, 0.0],
        }
    )
    out = counts_at_levels(counts, [0, 2, 3]).set_index("geo")
    assert out.loc["XX", "n_hospitals"] == 3 and out.loc["XX", "level"] == 0
    assert out.loc["XX01", "n_hospitals"] == 3
    assert out.loc["XX02", "n_hospitals"] == 0
    # XX011 reports every bed; XX012 does not; XX021 has no hospital: zero beds
    assert out.loc["XX011", "beds"] == 150.0
    assert pd.isna(out.loc["XX012", "beds"]) and pd.isna(out.loc["XX01", "beds"])
    assert out.loc["XX021", "beds"] == 0.0 and out.loc["XX02", "beds"] == 0.0
    # YY reports no bed at all: nothing is known there, not even zeros
    assert pd.isna(out.loc["YY011", "beds"]) and pd.isna(out.loc["YY", "beds"])


@pytest.mark.parametrize(("what", "column"), [("hospitals", 3.0), ("cap_beds", 7.0)])
def test_measure_is_one_series_of_the_release_year(what, column):
    counts = pd.DataFrame({"geo": ["XX0"], "n_hospitals": [3], "beds": [7.0]})
    series = measure(counts, what, 2020)
    assert series["value"].tolist() == [column]
    assert series["time"].tolist() == [2020] and series["flag"].isna().all()
