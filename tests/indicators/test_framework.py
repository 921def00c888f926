"""index_framework: the capacity index's choice of indicators, on hand-made panels."""

from __future__ import annotations

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.indicators.framework import (
    FRAMEWORK_COLUMNS,
    FRAMEWORK_EXCLUDED,
    MIN_INDICATOR_COVERAGE,
    index_framework,
)

GEOS = pd.Index([f"AT{i}" for i in range(1, 11)], name="geo")


def _panel(**columns: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {k: pd.array(v, dtype="float64") for k, v in columns.items()}, index=GEOS
    )


FULL = [float(i) for i in range(10)]
EIGHT = [*FULL[:8], None, None]
SEVEN = [*FULL[:7], None, None, None]


def test_defaults_are_the_reports():
    assert MIN_INDICATOR_COVERAGE == 0.8
    assert FRAMEWORK_EXCLUDED == {
        "gdp_pps_per_inhabitant_index": "duplicates GDP per inhabitant in PPS"
    }
    assert rg.index_framework is index_framework


def test_indicators_with_a_direction_and_enough_regions_enter_in_catalogue_order():
    panel = _panel(
        unemployment_rate_15_74=FULL,  # higher is worse: still has a direction
        broadband_households=EIGHT,  # exactly 80 %: enough
        gdp_pps_per_inhabitant=FULL,
        population=FULL,  # context: no direction
        gdp_pps_per_inhabitant__year=FULL,  # not a catalogue id
    )
    framework, left_out = index_framework(panel)
    assert list(framework.columns) == list(FRAMEWORK_COLUMNS)
    assert framework["indicator"].tolist() == [
        "gdp_pps_per_inhabitant",
        "unemployment_rate_15_74",
        "broadband_households",
    ]
    assert framework["pillar"].tolist() == [
        "economic_resources",
        "human_capital",
        "digital_infrastructure",
    ]
    assert framework["higher_is_better"].tolist() == [True, False, True]
    assert str(framework["higher_is_better"].dtype) == "bool"
    assert framework.index.tolist() == [0, 1, 2]
    assert left_out == {}


def test_excluded_and_sparse_indicators_are_left_out_with_the_reason():
    panel = _panel(
        gdp_pps_per_inhabitant=FULL,
        gdp_pps_per_inhabitant_index=FULL,
        broadband_households=SEVEN,
    )
    framework, left_out = index_framework(panel)
    assert framework["indicator"].tolist() == ["gdp_pps_per_inhabitant"]
    assert left_out == {
        "gdp_pps_per_inhabitant_index": "duplicates GDP per inhabitant in PPS",
        "broadband_households": "only 70% of regions have a value (80% needed)",
    }
    relaxed, left_out = index_framework(panel, min_indicator_coverage=0.7)
    assert relaxed["indicator"].tolist() == [
        "gdp_pps_per_inhabitant",
        "broadband_households",
    ]
    assert list(left_out) == ["gdp_pps_per_inhabitant_index"]
    _, left_out = index_framework(panel, min_indicator_coverage=1)
    assert left_out["broadband_households"] == (
        "only 70% of regions have a value (100% needed)"
    )


def test_an_empty_panel_leaves_every_indicator_out():
    panel = _panel(gdp_pps_per_inhabitant=FULL).iloc[:0]
    framework, left_out = index_framework(panel)
    assert framework.empty and list(framework.columns) == list(FRAMEWORK_COLUMNS)
    assert left_out == {
        "gdp_pps_per_inhabitant": "only 0% of regions have a value (80% needed)"
    }


def test_the_framework_builds_an_index():
    panel = _panel(
        gdp_pps_per_inhabitant=FULL,
        unemployment_rate_15_74=FULL,
        broadband_households=EIGHT,
    )
    framework, _ = index_framework(panel)
    index = rg.capacity_index(panel, framework, imputation="pillar_mean")
    # broadband is the digital pillar's only indicator: its two gaps cannot be
    # imputed, which is why sparse indicators stay out of the framework
    assert index.scores["index"].notna().sum() == 8


@pytest.mark.parametrize("share", [-0.1, 1.5, "0.8", True, None, float("nan")])
def test_bad_min_indicator_coverage(share):
    with pytest.raises(SchemaError, match=r"min_indicator_coverage=.* is not a share"):
        index_framework(
            _panel(gdp_pps_per_inhabitant=FULL), min_indicator_coverage=share
        )


def test_panel_must_be_a_frame():
    with pytest.raises(SchemaError, match="panel must be a pandas DataFrame, got dict"):
        index_framework({"gdp_pps_per_inhabitant": FULL})


@pytest.mark.mirror
def test_the_reports_framework_on_the_mirror(mirror):
    with pytest.warns(DataQualityWarning):  # indicators the mirror does not have
        panel = rg.panel(level=2, year=2019, offline=True)
    framework, left_out = index_framework(panel)
    assert framework["indicator"].tolist() == [
        "gdp_pps_per_inhabitant",
        "household_primary_income_per_inhabitant",
        "rd_expenditure_pct_gdp",
        "hrst_pct_active_population",
        "hightech_employment_pct",
        "tertiary_attainment_25_64",
        "adult_learning_25_64",
        "employment_rate_15_64",
        "activity_rate_15_74",
        "unemployment_rate_15_74",
    ]
    within = (
        "comparable within a country only (national registers count differently), "
        "so its gaps across countries are not gaps in capacity"
    )
    assert left_out == {
        "gdp_pps_per_inhabitant_index": "duplicates GDP per inhabitant in PPS",
        "broadband_households": "only 70% of regions have a value (80% needed)",
        "internet_access_households": "only 70% of regions have a value (80% needed)",
        "hospitals_per_100k": within,
        "hospital_beds_per_100k": within,
    }


@pytest.mark.mirror
def test_the_default_index_has_infrastructure_and_research_spending(mirror):
    with pytest.warns(DataQualityWarning):
        panel = rg.panel(level=2, year=2019, offline=True, fill_from_parent=True)
    framework, left_out = index_framework(panel)
    pillars = framework.groupby("pillar", sort=False)["indicator"].agg(list)
    assert pillars.to_dict() == {
        "economic_resources": [
            "gdp_pps_per_inhabitant",
            "household_primary_income_per_inhabitant",
        ],
        "research_innovation": [
            "rd_expenditure_pct_gdp",
            "hrst_pct_active_population",
            "hightech_employment_pct",
        ],
        "human_capital": [
            "tertiary_attainment_25_64",
            "adult_learning_25_64",
            "employment_rate_15_64",
            "activity_rate_15_74",
            "unemployment_rate_15_74",
        ],
        "digital_infrastructure": [
            "broadband_households",
            "internet_access_households",
        ],
    }
    assert set(left_out) == {
        "gdp_pps_per_inhabitant_index",
        "hospitals_per_100k",
        "hospital_beds_per_100k",
    }
    # every region the index cannot score is named, with the reason
    left = framework.attrs["left_out_regions"]
    assert sorted(left) == ["FI20", "FRY5", "HR02", "HR05", "HR06"]
    assert left["FI20"] == (
        "no value for any indicator of digital_infrastructure "
        "(broadband_households, internet_access_households)"
    )
    index = rg.capacity_index(panel, framework, imputation="pillar_mean")
    scores = index.scores
    out = scores.index[scores["index"].isna()]
    assert sorted(out) == sorted(left)
    assert scores.loc[out, "excluded_reason"].notna().all()
    # not one whole country leaves the index
    kept = scores.index[scores["index"].notna()].str[:2]
    assert set(kept) == set(panel.index.str[:2])
