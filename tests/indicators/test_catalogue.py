"""Catalogue, derivations and fetch_indicator on hand-made SDMX-CSV tables.

The tables below are written by hand in Eurostat's SDMX-CSV layout and parsed by
:func:`regiongap.sdmx.parse`, so the indicator layer sees exactly the frames the data
layer gives it; ``fetch._load_dataset`` is replaced so no source is touched.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DatasetNotFoundError, SchemaError
from regiongap.indicators import _entries, fetch
from regiongap.indicators import catalogue as ind
from regiongap.indicators.derive import DERIVATIONS, combine_flags, ratio
from regiongap.schema import INDICATOR_COLUMNS
from tests.support.catalogue_tables import HEAD, rows, serve_tables

HHINC = rows(
    "NAMA_10R_2HHINC",
    HEAD.format(dims="unit,direct,na_item"),
    "A,MIO_EUR,BAL,B5N,AT11,2018,5800,",
    "A,MIO_EUR,BAL,B5N,AT11,2019,6000,p",
    "A,MIO_EUR,BAL,B5N,AT12,2019,40000,",
    "A,MIO_EUR,BAL,B5N,AT13,2019,,",
    "A,MIO_EUR,BAL,B5N,AT1,2019,46000,",
    "A,MIO_EUR,BAL,B5N,ATZZ,2019,1,",
    "A,MIO_EUR,BAL,B5N,EU27_2020,2019,9,",
)
POP = rows(
    "DEMO_R_D2JAN",
    HEAD.format(dims="unit,sex,age"),
    "A,NR,T,TOTAL,AT11,2018,295000,",
    "A,NR,T,TOTAL,AT11,2019,300000,e",
    "A,NR,T,TOTAL,AT12,2019,1600000,",
    "A,NR,T,TOTAL,AT13,2019,1900000,",
    "A,NR,T,TOTAL,AT1,2019,3800000,",
    "A,NR,T,TOTAL,EU27_2020,2019,447000000,",
)
HRST = rows(
    "HRST_ST_RCAT",
    HEAD.format(dims="category,unit"),
    "A,HRST,PC_ACT,AT11,2019,40.5,",
    "A,HRST,PC_ACT,AT12,2019,45.1,b",
    "A,HRST,PC_ACT,AT12,2020,46.0,",
    "A,HRST,PC_POP,AT11,2019,20.0,",
    "A,HRST,THS,AT11,2019,120,",
    "A,HRST,PC_ACT,QQ11,2019,1.0,",
)
TABLES = {"nama_10r_2hhinc": HHINC, "demo_r_d2jan": POP, "hrst_st_rcat": HRST}


@pytest.fixture
def tables(monkeypatch):
    """Serve the hand-made tables; count how often each dataset is asked for."""
    return serve_tables(monkeypatch, TABLES)


# ------------------------------------------------------------------ the catalogue


def test_catalogue_lists_every_pillar_of_the_issue():
    cat = rg.catalogue()
    assert list(cat.columns[: len(ind.CATALOGUE_COLUMNS)]) == list(
        ind.CATALOGUE_COLUMNS
    )
    assert cat["indicator"].is_unique
    assert set(cat["pillar"]) == set(ind.PILLARS)
    datasets = set(cat["dataset"])
    for code in (
        "nama_10r_3gdp",
        "nama_10r_2hhinc",
        "rd_e_gerdreg",
        "rd_p_persreg",
        "hrst_st_rcat",
        "htec_emp_reg2",
        "pat_ep_rtot",
        "edat_lfse_04",
        "trng_lfse_04",
        "lfst_r_lfe2emprt",
        "lfst_r_lfp2actrt",
        "lfst_r_lfu3rt",
        "isoc_r_broad_h",
        "isoc_r_iacc_h",
        "tran_r_net",
        "hlth_rs_bdsrg2",
        "demo_r_d2jan",
        "demo_r_d3dens",
        "reg_area3",
    ):
        assert code in datasets, code
    # R&D spending: the total and the business sector, both as % of GDP
    rd = cat.set_index("indicator").loc[
        ["rd_expenditure_pct_gdp", "rd_expenditure_business_pct_gdp"]
    ]
    assert rd["filters"].tolist() == [
        "sectperf=TOTAL;unit=PC_GDP",
        "sectperf=BES;unit=PC_GDP",
    ]


def test_catalogue_columns_are_typed():
    cat = rg.catalogue().set_index("indicator")
    assert str(cat["higher_is_better"].dtype) == "boolean"
    better = cat.loc[["unemployment_rate_15_74", "broadband_households"]]
    assert better["higher_is_better"].tolist() == [False, True]
    assert pd.isna(cat.loc["population", "higher_is_better"])  # context
    derived = cat.loc[cat["derivation"] != "none"]
    assert set(derived["derivation"]) <= set(DERIVATIONS)
    assert derived["denominator"].notna().all()
    assert derived["denominator"].isin(cat.index).all()
    assert (derived["scale"] > 0).all()
    assert cat.loc[cat["derivation"] == "none", "scale"].isna().all()
    hh = cat.loc["household_primary_income_per_inhabitant"]
    assert (hh["denominator"], hh["scale"], hh["unit"]) == (
        "population",
        1_000_000.0,
        "EUR_HAB",
    )
    assert cat["in_mirror"].isna().all()  # no mirror configured in tests


def test_in_mirror_checks_the_mirror_folder(tmp_path):
    (tmp_path / "eurostat").mkdir()
    (tmp_path / "eurostat" / "nama_10r_2hhinc.csv.gz").write_bytes(b"")
    cat = rg.catalogue(mirror=tmp_path).set_index("indicator")["in_mirror"]
    # a derived indicator needs its denominator's dataset too
    assert cat[["household_primary_income_per_inhabitant", "population"]].tolist() == [
        False,
        False,
    ]
    (tmp_path / "eurostat" / "demo_r_d2jan.csv.gz").write_bytes(b"")
    cat = rg.catalogue(mirror=tmp_path).set_index("indicator")["in_mirror"]
    got = cat[["household_primary_income_per_inhabitant", "rd_expenditure_pct_gdp"]]
    assert got.tolist() == [True, False]


def test_indicators_by_pillar_and_unknown_pillar():
    digital = rg.catalogue("digital_infrastructure")
    assert set(digital["indicator"]) == {
        "broadband_households",
        "internet_access_households",
    }
    with pytest.raises(SchemaError, match="unknown pillar 'digital'"):
        rg.catalogue("digital")


def test_catalogue_datasets_cover_denominators():
    codes = ind.catalogue_datasets()
    assert codes == sorted(set(codes))
    assert "demo_r_d2jan" in codes and "demo_r_pjanaggr3" in codes
    cat = rg.catalogue()
    eurostat = set(cat["dataset"]) - {"gisco:healthcare"}  # GISCO points, not Eurostat
    assert set(codes) == eurostat


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit=PC", {"unit": "PC"}),
        (" sex=T ; age=Y25-64 ", {"sex": "T", "age": "Y25-64"}),
    ],
)
def test_parse_filters(text, expected):
    assert ind.parse_filters(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "non-empty"),
        ("unit", "not 'dim=VALUE'"),
        ("unit=PC;unit=NR", "appears twice"),
        ("geo=DE11", "cannot be a catalogue filter"),
        ("Unit=PC", "lowercase"),
        ("unit=", "not 'dim=VALUE'"),
    ],
)
def test_parse_filters_rejects(text, match):
    with pytest.raises(SchemaError, match=match):
        ind.parse_filters(text)


def _catalogue_rows(**changes):
    frame = _entries.catalogue_table()
    row = frame["indicator"] == changes.pop(
        "indicator", "household_primary_income_per_inhabitant"
    )
    for column, value in changes.items():
        frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"pillar": "wealth"}, "pillar 'wealth'"),
        ({"levels": "2;4"}, "levels '2;4'"),
        ({"derivation": "per_head"}, "derivation 'per_head'"),
        ({"denominator": "people"}, "denominator 'people' is not a catalogue id"),
        ({"denominator": ""}, "needs a denominator"),
        ({"scale": "-1"}, "scale '-1'"),
        ({"levels": "0;1;2;3"}, "exceed those of its denominator"),
        ({"higher_is_better": "yes"}, "higher_is_better"),
        ({"indicator": "population", "scale": "10"}, "takes no denominator"),
        ({"indicator": "population", "dataset": "Demo_r_d2jan"}, "lowercase Eurostat"),
    ],
)
def test_catalogue_validation_names_the_bad_row(changes, match):
    with pytest.raises(SchemaError, match=match):
        _entries.validate_catalogue(_catalogue_rows(**changes))


def test_catalogue_validation_rejects_duplicate_ids():
    frame = _entries.catalogue_table()
    with pytest.raises(SchemaError, match="duplicated key"):
        _entries.validate_catalogue(
            pd.concat([frame, frame.iloc[:1]], ignore_index=True)
        )


# ------------------------------------------------------------------ derivations


def test_combine_flags_is_the_sorted_union_of_letters():
    a = pd.Series(["p", None, "b", None, "bd", "e"], dtype="string")
    b = pd.Series(["e", "e", "bp", None, "u", "e"], dtype="string")
    got = combine_flags(a, b)
    assert got.tolist() == ["ep", "e", "bp", pd.NA, "bdu", "e"]
    assert str(got.dtype) == "string"


def test_combine_flags_rejects_mismatched_lengths():
    with pytest.raises(SchemaError, match="differ in length"):
        combine_flags(pd.Series(["p"]), pd.Series(["e", "b"]))


def test_ratio_closed_form_inner_join_and_zero_denominator():
    num = pd.DataFrame(
        {
            "geo": ["A1", "A1", "B1", "C1"],
            "time": [2019, 2020, 2019, 2019],
            "value": [10.0, 12.0, 3.0, 5.0],
            "flag": pd.array(["p", None, None, None], dtype="string"),
        }
    )
    den = pd.DataFrame(
        {
            "geo": ["A1", "B1", "C1", "D1"],
            "time": [2019, 2019, 2019, 2019],
            "value": [4.0, 0.0, float("nan"), 1.0],
            "flag": pd.array(["e", None, None, "b"], dtype="string"),
        }
    )
    out = ratio(num, den, scale=100)
    assert out["geo"].tolist() == ["A1", "B1", "C1"]  # (A1, 2020) and D1: one part only
    assert out["value"].iloc[0] == pytest.approx(250.0)
    assert math.isnan(out["value"].iloc[1])  # zero denominator
    assert math.isnan(out["value"].iloc[2])  # missing denominator
    assert out["flag"].tolist() == ["ep", pd.NA, pd.NA]


def test_ratio_rejects_duplicated_keys():
    num = pd.DataFrame(
        {"geo": ["A1", "A1"], "time": [2019, 2019], "value": [1.0, 2.0], "flag": None}
    )
    with pytest.raises(SchemaError, match="duplicated key"):
        ratio(num, num.iloc[:1])


# --------------------------------------------------------------- fetch_indicator


def test_fetch_published_indicator_keeps_level_years_and_flags(tables):
    out = rg.fetch_indicator("hrst_pct_active_population", level=2)
    assert list(out.columns) == list(INDICATOR_COLUMNS)
    assert out[["geo", "time"]].values.tolist() == [
        ["AT11", 2019],
        ["AT12", 2019],
        ["AT12", 2020],
    ]
    assert out["value"].tolist() == [40.5, 45.1, 46.0]
    assert out["flag"].tolist() == [pd.NA, "b", pd.NA]
    assert set(out["unit"]) == {"PC_ACT"} and set(out["dataset"]) == {"hrst_st_rcat"}
    assert out.attrs["dropped"]["other"] == ["QQ11"]  # not a NUTS code
    assert str(out["time"].dtype) == "int64" and str(out["flag"].dtype) == "string"
    for years in (2019, [2019], range(2019, 2020), (2019,)):
        got = rg.fetch_indicator("hrst_pct_active_population", years=years)
        assert got["time"].unique().tolist() == [2019]


def test_fetch_derived_indicator_by_hand(tables):
    out = rg.fetch_indicator("household_primary_income_per_inhabitant", level=2)
    got = {
        (g, t): (v, f) for g, t, v, f in out[["geo", "time", "value", "flag"]].values
    }
    assert got[("AT11", 2019)][0] == pytest.approx(6000e6 / 300000)
    assert got[("AT11", 2019)][1] == "ep"  # p (income) + e (population)
    assert got[("AT11", 2018)][0] == pytest.approx(5800e6 / 295000)
    assert pd.isna(got[("AT11", 2018)][1])
    assert got[("AT12", 2019)] == (pytest.approx(25000.0), pd.NA)
    # AT13's income is ':' without a flag: nothing to report, so no row
    assert ("AT13", 2019) not in got
    assert set(out["dataset"]) == {"nama_10r_2hhinc / demo_r_d2jan"}
    assert set(out["unit"]) == {"EUR_HAB"}
    assert out.attrs["dropped"]["aggregates"] == ["EU27_2020"]
    assert out.attrs["dropped"]["extra_regio"] == ["ATZZ"]
    assert out.attrs["denominator"] == "population"


def test_fetch_level_one(tables):
    out = rg.fetch_indicator("household_primary_income_per_inhabitant", level=1)
    assert out["geo"].tolist() == ["AT1"]
    assert out["value"].iloc[0] == pytest.approx(46000e6 / 3800000)


def test_fetch_a_level_the_source_lacks(tables):
    with pytest.raises(SchemaError, match="no rows at NUTS level 0"):
        rg.fetch_indicator("hrst_pct_active_population", level=0)


def test_fetch_a_level_the_indicator_lacks(tables):
    with pytest.raises(SchemaError, match=r"levels \[0, 1, 2\], not at level 3"):
        rg.fetch_indicator("hrst_pct_active_population", level=3)


def test_unknown_indicator_lists_close_matches():
    with pytest.raises(SchemaError, match="unknown indicator 'broadband'") as err:
        rg.fetch_indicator("broadband")
    assert "broadband_households" in str(err.value)
    with pytest.raises(SchemaError, match="known indicators"):
        rg.fetch_indicator("zzzz")


@pytest.mark.parametrize("level", [4, -1, "2", 2.0, True, None])
def test_bad_level(level):
    with pytest.raises(SchemaError, match="NUTS level"):
        rg.fetch_indicator("population", level=level)


@pytest.mark.parametrize("years", ["2019", 2019.5, [2019, "x"], [], True, object()])
def test_bad_years(years):
    with pytest.raises(SchemaError, match="years"):
        rg.fetch_indicator("population", years=years)


def test_filter_that_matches_nothing_lists_available_values(monkeypatch):
    text = HRST.replace("PC_ACT", "PC_XX")
    serve_tables(monkeypatch, {"hrst_st_rcat": text})
    with pytest.raises(SchemaError, match=r"filter unit=PC_ACT matches nothing") as err:
        rg.fetch_indicator("hrst_pct_active_population")
    assert "['PC_POP', 'PC_XX', 'THS']" in str(err.value)


def test_filter_on_a_missing_dimension(monkeypatch):
    text = rows(
        "HRST_ST_RCAT",
        HEAD.format(dims="unit"),
        "A,PC_ACT,AT11,2019,40.5,",
    )
    serve_tables(monkeypatch, {"hrst_st_rcat": text})
    with pytest.raises(SchemaError, match="category=HRST names a dimension"):
        rg.fetch_indicator("hrst_pct_active_population")


def test_filters_that_leave_a_dimension_open(monkeypatch):
    text = rows(
        "HRST_ST_RCAT",
        HEAD.format(dims="category,unit,sex"),
        "A,HRST,PC_ACT,F,AT11,2019,40.5,",
        "A,HRST,PC_ACT,M,AT11,2019,41.5,",
    )
    serve_tables(monkeypatch, {"hrst_st_rcat": text})
    with pytest.raises(
        SchemaError, match=r"dimension 'sex' .* several values \['F', 'M'\]"
    ):
        rg.fetch_indicator("hrst_pct_active_population")


def test_only_annual_data_is_used(monkeypatch):
    text = rows(
        "HRST_ST_RCAT",
        HEAD.format(dims="category,unit"),
        "Q,HRST,PC_ACT,AT11,2019-Q1,40.5,",
    )
    serve_tables(monkeypatch, {"hrst_st_rcat": text})
    with pytest.raises(SchemaError, match="no annual data"):
        rg.fetch_indicator("hrst_pct_active_population")


def test_missing_value_with_a_flag_is_kept(monkeypatch):
    text = rows(
        "HRST_ST_RCAT",
        HEAD.format(dims="category,unit"),
        "A,HRST,PC_ACT,AT11,2019,,c",
        "A,HRST,PC_ACT,AT12,2019,,",
    )
    serve_tables(monkeypatch, {"hrst_st_rcat": text})
    out = rg.fetch_indicator("hrst_pct_active_population")
    assert out["geo"].tolist() == ["AT11"]
    assert math.isnan(out["value"].iloc[0]) and out["flag"].iloc[0] == "c"


def test_source_errors_propagate(tables):
    with pytest.raises(DatasetNotFoundError, match="rd_e_gerdreg"):
        rg.fetch_indicator("rd_expenditure_pct_gdp")


def test_lazy_public_names():
    assert rg.fetch_indicator is fetch.fetch_indicator
    assert rg.catalogue is ind.catalogue


def test_public_functions_stay_functions_whatever_was_imported_first():
    import importlib
    import inspect
    import subprocess
    import sys

    importlib.import_module("regiongap.indicators.panel")
    assert inspect.isfunction(rg.panel) and inspect.isfunction(rg.catalogue)
    assert "year" in inspect.signature(rg.panel).parameters
    assert rg.catalogue("context")["pillar"].unique().tolist() == ["context"]
    # a fresh interpreter that loads the modules before the public names
    code = (
        "import inspect, regiongap as rg, regiongap.indicators.catalogue, "
        "regiongap.indicators.fetch, regiongap.indicators.panel, "
        "regiongap.membership.registry; rg.fetch_indicator; rg.members; "
        "print(all(inspect.isfunction(f) for f in "
        "(rg.catalogue, rg.panel, rg.partnerships)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"
