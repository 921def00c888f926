"""The analytics of the partnership pages, computed once on hand-made regions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def grid(small_data):
    """Sixteen regions on a 4 × 4 grid (hand-made), a west–east gradient, 3 pillars."""
    import geopandas as gpd
    from shapely.geometry import box

    rng = np.random.default_rng(0)
    geos = [f"AT{i:02d}" for i in range(16)]
    shapes = gpd.GeoDataFrame(
        {"geo": geos, "region_name": geos, "country": "AT"},
        geometry=[
            box(10 + i % 4, 45 + i // 4, 11 + i % 4, 46 + i // 4) for i in range(16)
        ],
        crs=4326,
    )
    east = np.array([i % 4 for i in range(16)], dtype=float)
    panel = pd.DataFrame(
        {
            "region_name": geos,
            "country": "AT",
            "a": 10 + 10 * east + rng.normal(0, 1, 16),
            "b": 50 + 5 * east + rng.normal(0, 1, 16),
            "c": 5 + east + rng.normal(0, 0.5, 16),
        },
        index=pd.Index(geos, name="geo"),
    )
    framework = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "pillar": ["economic_resources", "human_capital", "research_innovation"],
            "higher_is_better": [True, True, True],
        }
    )
    from regiongap.metrics.composite.index import capacity_index
    from regiongap.report.data import index_settings

    index = capacity_index(panel, framework, index_settings())
    years = range(2009, 2020)
    series = pd.DataFrame(
        [
            {"geo": g, "time": y, "value": 20000 + 3000 * e + 200 * (y - 2009) + d}
            for g, e, d in zip(geos, east, rng.normal(0, 500, 16), strict=True)
            for y in years
        ]
    )
    members = pd.DataFrame(
        {
            "partnership_id": "evil",
            "geo": ["AT00", "AT03", "AT05"],
            "role": ["lead", "member", "member"],
        }
    )
    return dataclasses.replace(
        small_data,
        panel=panel,
        framework=framework,
        scores=index.scores,
        pillars=index.pillars,
        gdp_series=series,
        members=members,
        _shapes=shapes,
    )


def test_analytics_are_computed_once_into_the_report_tables(grid, monkeypatch):
    from regiongap.report import analytics

    monkeypatch.setattr(analytics, "SENSITIVITY_BASE", 64)  # the smallest N allowed
    data = analytics.add_analytics(grid)
    assert data.analytics["failed"] == {}
    spatial = data.analytics["spatial"]
    assert spatial["morans_i"] > 0.5  # a west–east gradient clusters strongly
    assert set(data.clusters["cluster"]) <= {"HH", "LL", "HL", "LH", "not significant"}
    assert list(data.mobility["group"]) == ["members", "other regions"]
    assert set(data.sensitivity["assumption"]) >= {"normalisation", "aggregation"}
    assert data.analytics["sensitivity"]["n_runs"] > 0
    assert set(data.mentors["partnership"]) == {"evil"}
    assert len(data.collective) == 3  # one row per pillar
    assert len(data.complementary) <= 5


def test_an_analysis_that_cannot_be_made_is_named_not_raised(grid, monkeypatch):
    from regiongap.report import analytics

    monkeypatch.setattr(analytics, "SENSITIVITY_BASE", 64)
    constant = grid.scores.assign(index=50.0)
    data = analytics.add_analytics(dataclasses.replace(grid, scores=constant))
    assert "spatial" in data.analytics["failed"]
    assert data.clusters.empty
