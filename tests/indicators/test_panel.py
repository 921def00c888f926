"""panel() and coverage() on hand-made SDMX-CSV tables (no source is touched)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, DatasetNotFoundError, SchemaError
from regiongap.geo.lists import nuts_codes
from regiongap.indicators._entries import entries
from regiongap.indicators.coverage import COVERAGE_COLUMNS
from regiongap.membership.groups import membership_matrix
from tests.support.catalogue_tables import HEAD, rows, serve_tables

HRST = rows(
    "HRST_ST_RCAT",
    HEAD.format(dims="category,unit"),
    "A,HRST,PC_ACT,AT11,2017,39.0,",
    "A,HRST,PC_ACT,AT11,2019,40.5,",
    "A,HRST,PC_ACT,AT12,2019,45.1,b",
    "A,HRST,PC_ACT,AT12,2020,46.0,",
    "A,HRST,PC_ACT,AT13,2020,,",
    "A,HRST,PC_ACT,AT13,2016,50.0,",
    "A,HRST,PC_ACT,AL01,2020,20.0,",
    "A,HRST,PC_ACT,HU10,2020,30.0,",
    "A,HRST,PC_ACT,EU27_2020,2020,35.0,",
)
POP = rows(
    "DEMO_R_D2JAN",
    HEAD.format(dims="unit,sex,age"),
    "A,NR,T,TOTAL,AT11,2019,300000,e",
    "A,NR,T,TOTAL,AT12,2019,1600000,",
    "A,NR,T,TOTAL,AT12,2020,1610000,",
)
HHINC = rows(
    "NAMA_10R_2HHINC",
    HEAD.format(dims="unit,direct,na_item"),
    "A,MIO_EUR,BAL,B5N,AT11,2019,6000,p",
    "A,MIO_EUR,BAL,B5N,AT12,2019,40000,",
)
NON_EU = rows(
    "HTEC_EMP_REG2",
    HEAD.format(dims="nace_r2,unit,sex"),
    "A,HTC,PC_EMP,T,AL01,2019,3.0,",
)
TABLES = {
    "hrst_st_rcat": HRST,
    "demo_r_d2jan": POP,
    "nama_10r_2hhinc": HHINC,
    "htec_emp_reg2": NON_EU,
}
HRST_ID = "hrst_pct_active_population"
N_EU27_NUTS2 = 242


@pytest.fixture
def calls(monkeypatch):
    return serve_tables(monkeypatch, TABLES)


# -------------------------------------------------------------------------- panel


def test_latest_policy_takes_the_latest_year_in_the_window_and_says_so(calls):
    with pytest.warns(DataQualityWarning, match=r"hrst_pct_active_population: 1 of 2"):
        p = rg.panel([HRST_ID], year=2020, window=1)
    assert p.index.name == "geo"
    assert len(p) == N_EU27_NUTS2
    assert list(p.columns) == [HRST_ID, f"{HRST_ID}__year", f"{HRST_ID}__flag"]
    assert p.loc["AT11", HRST_ID] == 40.5 and p.loc["AT11", f"{HRST_ID}__year"] == 2019
    assert p.loc["AT12", HRST_ID] == 46.0 and p.loc["AT12", f"{HRST_ID}__year"] == 2020
    # AT13: 2020 is ':' and 2016 is outside the window
    assert pd.isna(p.loc["AT13", HRST_ID]) and pd.isna(
        p.loc["AT13", f"{HRST_ID}__year"]
    )
    assert str(p[HRST_ID].dtype) == "float64"
    assert str(p[f"{HRST_ID}__year"].dtype) == "Int64"
    assert str(p[f"{HRST_ID}__flag"].dtype) == "string"
    meta = p.attrs["panel"]
    assert (meta["policy"], meta["year"], meta["window"], meta["level"]) == (
        "latest",
        2020,
        1,
        2,
    )
    info = meta["indicators"][HRST_ID]
    assert info["years"] == [2019, 2020]
    assert (info["n_regions"], info["n_other_year"]) == (2, 1)
    # HU10 (NUTS 2016) has a value but is no NUTS 2021 row; AL01 is not EU-27
    assert info["not_in_index"] == ["HU10"]
    assert meta["unavailable"] == {}


def test_years_without_any_value_are_said_not_silently_empty(calls):
    with pytest.warns(DataQualityWarning, match=r"no region has a value in 1848–1850"):
        p = rg.panel([HRST_ID], year=1850, window=2)
    assert len(p) == N_EU27_NUTS2 and p[HRST_ID].isna().all()
    with pytest.warns(
        DataQualityWarning, match=rf"{HRST_ID}: no region has a value in 1850"
    ):
        rg.panel([HRST_ID], year=1850, policy="exact")


def test_latest_policy_window_reaches_back(calls):
    with pytest.warns(DataQualityWarning, match="from other years"):
        p = rg.panel([HRST_ID], year=2020, window=4)
    assert p.loc["AT13", HRST_ID] == 50.0
    assert p.loc["AT13", f"{HRST_ID}__year"] == 2016
    assert p.attrs["panel"]["indicators"][HRST_ID]["years"] == [2016, 2019, 2020]


def test_exact_policy_never_mixes_years(calls):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = rg.panel([HRST_ID], year=2019, policy="exact", window=5)
    assert p.loc["AT12", HRST_ID] == 45.1 and p.loc["AT12", f"{HRST_ID}__flag"] == "b"
    assert p[f"{HRST_ID}__year"].dropna().unique().tolist() == [2019]
    assert p.attrs["panel"]["window"] == 0
    assert p[HRST_ID].notna().sum() == 2


def test_flags_and_derived_values_in_the_panel(calls):
    p = rg.panel(
        ["household_primary_income_per_inhabitant", "population"],
        year=2019,
        policy="exact",
    )
    hh = "household_primary_income_per_inhabitant"
    assert p.loc["AT11", hh] == pytest.approx(6000e6 / 300000)
    assert p.loc["AT11", f"{hh}__flag"] == "ep"
    assert pd.isna(p.loc["AT12", f"{hh}__flag"])
    # the population table is read once although two indicators use it
    assert calls["demo_r_d2jan"] == 1
    assert p.attrs["panel"]["indicators"][hh]["dataset"] == (
        "nama_10r_2hhinc / demo_r_d2jan"
    )


def test_unavailable_indicators_are_skipped_with_a_warning(calls):
    with pytest.warns(DataQualityWarning, match=r"rd_expenditure_pct_gdp: not loaded"):
        p = rg.panel([HRST_ID, "rd_expenditure_pct_gdp"], year=2019, policy="exact")
    assert "rd_expenditure_pct_gdp" not in p.columns
    reason = p.attrs["panel"]["unavailable"]["rd_expenditure_pct_gdp"]
    assert reason.startswith("DatasetNotFoundError") and "rd_e_gerdreg" in reason
    with pytest.raises(DatasetNotFoundError, match="rd_e_gerdreg"):
        rg.panel(["rd_expenditure_pct_gdp"], year=2019, errors="raise")


def test_default_ids_are_every_indicator_of_the_level(calls):
    with pytest.warns(DataQualityWarning, match="not loaded"):
        p = rg.panel(level=3, year=2019, policy="exact")
    meta = p.attrs["panel"]
    level3 = [i for i, e in entries().items() if 3 in e.levels]
    assert sorted([*meta["indicators"], *meta["unavailable"]]) == sorted(level3)
    assert len(p) == len(nuts_codes(2021, 3, countries="EU27"))


def test_names_country_and_membership(calls):
    p = rg.panel(
        [HRST_ID],
        year=2019,
        policy="exact",
        with_names=True,
        with_country=True,
        with_membership=True,
    )
    assert list(p.columns[:2]) == ["region_name", "country"]
    assert p.loc["AT11", "region_name"] == "Burgenland"
    assert p.loc["EL30", "country"] == "EL"
    matrix = membership_matrix(level=2)
    members = [c for c in p.columns if c.startswith("member__")]
    assert members == [f"member__{pid}" for pid in matrix.columns]
    assert len(members) > 0
    for pid in matrix.columns:
        expected = matrix[pid].reindex(p.index, fill_value=0)
        assert (p[f"member__{pid}"] == expected).all(), pid
    assert p.attrs["panel"]["member_list"] == matrix.attrs["member_list"]


def test_eu27_only_false_adds_other_countries(calls):
    with pytest.warns(DataQualityWarning, match="from other years"):
        p = rg.panel([HRST_ID], year=2020, window=1, eu27_only=False)
    assert len(p) == len(nuts_codes(2021, 2))
    assert p.loc["AL01", HRST_ID] == 20.0
    assert p.attrs["panel"]["indicators"][HRST_ID]["not_in_index"] == ["HU10"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"policy": "nearest"}, "policy='nearest'"),
        ({"window": -1}, "window must be ≥ 0"),
        ({"year": "2019"}, "year must be an int"),
        ({"errors": "ignore"}, "errors='ignore'"),
        ({"ids": []}, "ids is empty"),
        ({"ids": ["hrst"]}, "unknown indicator 'hrst'"),
        ({"ids": [HRST_ID], "level": 3}, "not at level 3"),
        ({"level": 5}, "NUTS level"),
    ],
)
def test_panel_bad_arguments(calls, kwargs, match):
    with pytest.raises(SchemaError, match=match):
        rg.panel(**kwargs)


# ----------------------------------------------------------------------- coverage


def test_coverage_counts_values_and_flags(calls):
    cov = rg.coverage([HRST_ID, "rd_expenditure_pct_gdp"], years=[2018, 2019, 2020])
    assert list(cov.columns) == list(COVERAGE_COLUMNS)
    hrst = cov.loc[cov["indicator"] == HRST_ID].set_index("year")
    assert hrst.index.tolist() == [2018, 2019, 2020]
    assert hrst["n_regions"].unique().tolist() == [N_EU27_NUTS2]
    assert hrst["n_with_value"].tolist() == [0, 2, 1]  # HU10, AL01, EU27 not counted
    assert hrst.loc[2019, "share_with_value"] == pytest.approx(2 / N_EU27_NUTS2)
    assert hrst["n_flagged"].tolist() == [0, 1, 0]
    assert pd.isna(hrst.loc[2018, "share_flagged"])
    assert hrst.loc[2019, "share_flagged"] == pytest.approx(0.5)
    assert (hrst["status"] == "ok").all() and hrst["pillar"].iloc[
        0
    ] == "research_innovation"
    rd = cov.loc[cov["indicator"] == "rd_expenditure_pct_gdp"]
    assert rd["status"].tolist() == ["unavailable"]
    assert "rd_e_gerdreg" in rd["reason"].iloc[0]
    assert pd.isna(rd["year"].iloc[0])


def test_coverage_years_default_to_the_source(calls):
    cov = rg.coverage(HRST_ID)
    assert cov["year"].tolist() == [2016, 2017, 2019, 2020]
    assert cov["n_with_value"].tolist() == [1, 1, 2, 1]


def test_coverage_empty_when_no_eu_region_has_data(calls):
    cov = rg.coverage("hightech_employment_pct")
    assert cov["status"].tolist() == ["empty"]
    assert cov["year"].isna().all()


def test_coverage_bad_arguments(calls):
    with pytest.raises(SchemaError, match="unknown indicator"):
        rg.coverage("nope")
    with pytest.raises(SchemaError, match="years"):
        rg.coverage(HRST_ID, years="2019")
