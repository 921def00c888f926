"""Values from the parent level, marked; coverage that explains itself; one warning.

Hand-made SDMX-CSV (values made up, codes real): Austria publishes household
internet access at NUTS 2, Germany at NUTS 1 only, Greece nationally only.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.indicators._pick import pick
from regiongap.indicators.coverage import COUNTRY_COVERAGE_COLUMNS
from tests.support.catalogue_tables import HEAD, rows, serve_tables

NET = "internet_access_households"
ISOC = rows(
    "ISOC_R_IACC_H",
    HEAD.format(dims="unit"),
    "A,PC_HH,AT11,2019,88.0,",
    "A,PC_HH,AT12,2018,90.0,b",
    "A,PC_HH,AT1,2019,89.0,",
    "A,PC_HH,AT,2019,90.5,",
    "A,PC_HH,DE1,2019,93.0,",
    "A,PC_HH,DE2,2018,92.0,u",
    "A,PC_HH,DE,2019,94.0,",
    "A,PC_HH,EL,2019,80.0,",
    "A,PC_HH,EL3,2012,70.0,",
)


@pytest.fixture
def calls(monkeypatch):
    return serve_tables(monkeypatch, {"isoc_r_iacc_h": ISOC})


def _panel(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return rg.panel([NET], year=2019, window=1, nuts_year=2021, **kwargs)


def test_regions_of_a_country_without_own_values_take_their_parents(calls):
    p = _panel(fill_from_parent=True)
    assert list(p.columns) == [
        NET,
        f"{NET}__year",
        f"{NET}__flag",
        f"{NET}__source_level",
        f"{NET}__from_parent",
    ]
    cols = [NET, f"{NET}__year", f"{NET}__flag", f"{NET}__source_level"]
    got = p.loc[["AT11", "AT12", "AT13", "DE11", "DE25", "DEA1", "EL30"], cols]
    assert got[NET].tolist()[:2] == [88.0, 90.0]
    # AT13: Austria publishes NUTS 2 values, so its gap is a gap
    assert pd.isna(got.loc["AT13", NET])
    assert got.loc["DE11"].tolist() == [93.0, 2019, pd.NA, 1]
    assert got.loc["DE25"].tolist() == [92.0, 2018, "u", 1]
    # DEA: no NUTS 1 value, so the national one; EL3's 2012 value is outside
    assert got.loc["DEA1"].tolist() == [94.0, 2019, pd.NA, 0]
    assert got.loc["EL30"].tolist() == [80.0, 2019, pd.NA, 0]
    assert str(p[f"{NET}__source_level"].dtype) == "Int64"
    assert str(p[f"{NET}__from_parent"].dtype) == "boolean"
    assert p[f"{NET}__from_parent"].sum() == 38 + 13
    assert not p.loc["AT11", f"{NET}__from_parent"]
    meta = p.attrs["panel"]
    info = meta["indicators"][NET]
    assert meta["fill_from_parent"] is True
    assert meta["from_parent"] == {NET: 51}
    assert info["n_from_parent"] == 51
    assert info["parent_countries"] == ["DE", "EL"]
    de1 = sum(1 for g in p.index if g.startswith(("DE1", "DE2")))
    assert info["from_parent"] == {"nuts1": de1, "nuts0": 51 - de1}
    assert info["n_regions"] == 2 + 51


def test_without_fill_from_parent_nothing_changes(calls):
    p = _panel()
    assert list(p.columns) == [NET, f"{NET}__year", f"{NET}__flag"]
    assert p[NET].notna().sum() == 2
    assert p.attrs["panel"]["from_parent"] == {}


def test_a_parent_value_never_comes_from_another_nuts_version():
    frame = pd.DataFrame(
        {
            "geo": ["DE1"],
            "time": [2019],
            "value": [93.0],
            "flag": pd.array([None], dtype="string"),
        }
    )
    regions = pd.Index(["DE11"], name="geo")
    frame.attrs["nuts_year"] = 2016
    with pytest.raises(
        SchemaError,
        match=r"codes are NUTS 2016, the regions are "
        r"NUTS 2021.*recode_nuts",
    ):
        pick(frame, regions, 2, fill_from_parent=True, nuts_year=2021)
    frame.attrs = {}
    with pytest.raises(SchemaError, match="of no single NUTS version"):
        pick(frame, regions, 2, fill_from_parent=True, nuts_year=2021)
    values, _ = pick(frame, regions, 2)  # own values only: no version needed
    assert values[["value"]].isna().all().all()


def test_coverage_explains_the_gaps(calls):
    cov = rg.coverage(NET, years=2019)
    text = cov["explanation"].iloc[0]
    assert text.startswith("1 of 242 regions; 0 countries complete at NUTS 2")
    assert (
        "at a higher level only: DE (38 regions, NUTS 1), EL (13 regions, NUTS 0)"
        in text
    )
    assert "partly: AT (1 of 9)" in text
    assert "none: BE, BG" in text
    by_country = rg.coverage(NET, years=[2018, 2019], by="country")
    assert list(by_country.columns) == list(COUNTRY_COVERAGE_COLUMNS)
    de = by_country.loc[by_country["country"] == "DE"].set_index("year")
    assert de["reporting"].tolist() == ["higher_level_only"] * 2
    assert de["reported_level"].tolist() == [1, 1]
    at = by_country.loc[by_country["country"] == "AT"].set_index("year")
    assert at.loc[2018, "n_with_value"] == 1 and at.loc[2018, "reporting"] == "partial"
    assert str(by_country["reported_level"].dtype) == "Int64"
    be = by_country.loc[by_country["country"] == "BE", "reporting"]
    assert set(be) == {"none"}


def test_the_panel_warns_once_one_line_per_indicator_without_paths(monkeypatch):
    serve_tables(monkeypatch, {"isoc_r_iacc_h": ISOC})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rg.panel(
            [NET, "rd_expenditure_business_pct_gdp", "population"],
            year=2019,
            window=1,
            nuts_year=2021,
        )
    assert len(caught) == 1
    lines = str(caught[0].message).splitlines()
    assert lines[0].startswith("panel for 2019: 3 indicator(s) to know about")
    assert lines[1:] == [
        "  rd_expenditure_business_pct_gdp: not loaded (no table rd_e_gerdreg in "
        "this test)",
        "  population: not loaded (no table demo_r_d2jan in this test)",
        f"  {NET}: 1 of 2 regions from other years [2018]",
    ]
    assert "/" not in str(caught[0].message)
