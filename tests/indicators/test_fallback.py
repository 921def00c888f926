"""A catalogue entry's fallback datasets, on hand-made SDMX-CSV tables (no source).

The summary tables are written the way the mirror's ``tgs*`` files are laid out
(SDMX-CSV, the dimensions of the full dataset fixed to one value each); values are
made up, codes are real.
"""

from __future__ import annotations

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DatasetNotFoundError, SchemaError
from regiongap.indicators import _entries
from tests.support.catalogue_tables import HEAD, rows, serve_tables

RD_ID = "rd_expenditure_pct_gdp"
TGS = rows(
    "TGS00042",
    HEAD.format(dims="sectperf,unit"),
    "A,TOTAL,PC_GDP,AT11,2019,0.87,",
    "A,TOTAL,PC_GDP,AT12,2019,1.54,p",
    "A,TOTAL,PC_GDP,FR10,2019,,c",
)
FULL = rows(
    "RD_E_GERDREG",
    HEAD.format(dims="sectperf,unit"),
    "A,TOTAL,PC_GDP,AT11,2019,0.88,",
    "A,BES,PC_GDP,AT11,2019,0.40,",
    "A,TOTAL,EUR_HAB,AT11,2019,300,",
    "A,TOTAL,PC_GDP,AT1,2019,2.00,",
)


def test_the_fallback_is_read_when_the_full_dataset_is_missing(monkeypatch):
    calls = serve_tables(monkeypatch, {"tgs00042": TGS})
    out = rg.fetch_indicator(RD_ID, level=2, years=2019)
    assert out["geo"].tolist() == ["AT11", "AT12", "FR10"]
    assert out["value"].tolist()[:2] == [0.87, 1.54]
    assert out["flag"].tolist() == [pd.NA, "p", "c"]
    assert set(out["dataset"]) == {"tgs00042"}
    assert out.attrs["dataset"] == "tgs00042"
    skipped = out.attrs["skipped_sources"]
    assert list(skipped) == ["rd_e_gerdreg"]
    assert skipped["rd_e_gerdreg"].startswith("DatasetNotFoundError")
    assert calls == {"rd_e_gerdreg": 1, "tgs00042": 1}


def test_the_full_dataset_wins_and_the_fallback_is_not_asked(monkeypatch):
    calls = serve_tables(monkeypatch, {"rd_e_gerdreg": FULL, "tgs00042": TGS})
    out = rg.fetch_indicator(RD_ID, level=2, years=2019)
    assert out["value"].tolist() == [0.88]
    assert out.attrs["dataset"] == "rd_e_gerdreg"
    assert out.attrs["skipped_sources"] == {}
    assert calls == {"rd_e_gerdreg": 1}
    # the full dataset has the levels its summary lacks
    assert rg.fetch_indicator(RD_ID, level=1)["geo"].tolist() == ["AT1"]


def test_no_source_at_all_names_every_dataset_tried(monkeypatch):
    serve_tables(monkeypatch, {})
    with pytest.raises(DatasetNotFoundError) as err:
        rg.fetch_indicator(RD_ID)
    message = str(err.value)
    assert "rd_e_gerdreg" in message and "tgs00042" in message
    assert message.startswith(
        f"indicator '{RD_ID}': none of its datasets rd_e_gerdreg, tgs00042 can be read"
    )


def test_a_fallback_without_the_filters_code_lists_the_codes_it_has(monkeypatch):
    text = TGS.replace("PC_GDP", "EUR_HAB")
    serve_tables(monkeypatch, {"tgs00042": text})
    with pytest.raises(
        SchemaError,
        match="filter unit=PC_GDP matches nothing in "
        r"tgs00042; available unit values: \['EUR_HAB'\]",
    ):
        rg.fetch_indicator(RD_ID)


def test_the_summary_table_has_nuts2_only(monkeypatch):
    serve_tables(monkeypatch, {"tgs00042": TGS})
    with pytest.raises(SchemaError, match=r"tgs00042 has no rows at NUTS level 1"):
        rg.fetch_indicator(RD_ID, level=1)


def test_the_panel_says_which_dataset_it_used(monkeypatch):
    serve_tables(monkeypatch, {"tgs00042": TGS})
    p = rg.panel([RD_ID], year=2019, policy="exact", nuts_year=2021)
    info = p.attrs["panel"]["indicators"][RD_ID]
    assert info["dataset"] == info["dataset_used"] == "tgs00042"
    assert list(info["skipped_sources"]) == ["rd_e_gerdreg"]
    assert p.loc["AT12", RD_ID] == 1.54


# ----------------------------------------------------------- the catalogue's rows


def _rows(indicator: str, **changes: str) -> pd.DataFrame:
    frame = _entries.catalogue_table()
    row = frame["indicator"] == indicator
    for column, value in changes.items():
        frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(
    ("indicator", "changes", "match"),
    [
        (RD_ID, {"fallback": "TGS00042"}, "fallback 'TGS00042' is not a lowercase"),
        (RD_ID, {"fallback": "tgs00042;tgs00042"}, "names a dataset twice"),
        (RD_ID, {"fallback": "rd_e_gerdreg"}, "names a dataset twice"),
        ("hospitals_per_100k", {"fallback": "hlth_rs_bdsrg2"}, "takes no fallback"),
        ("hospitals_per_100k", {"filters": "measure=doctors"}, "counts one measure"),
        ("hospitals_per_100k", {"dataset": "gisco:schools"}, "nor a GISCO layer"),
        (RD_ID, {"comparability": "eu"}, "comparability 'eu' is not one of"),
    ],
)
def test_bad_fallback_gisco_and_comparability_cells(indicator, changes, match):
    with pytest.raises(SchemaError, match=match):
        _entries.validate_catalogue(_rows(indicator, **changes))


def test_the_entries_with_a_fallback():
    fallbacks = {i: e.fallback for i, e in _entries.entries().items() if e.fallback}
    assert fallbacks == {
        "rd_expenditure_pct_gdp": ("tgs00042",),
        "tertiary_attainment_25_64": ("tgs00109",),
        "employment_rate_15_64": ("tgs00007",),
        "unemployment_rate_15_74": ("tgs00010",),
    }
    cat = rg.catalogue().set_index("indicator")
    assert cat.loc["employment_rate_15_64", "filters"] == "sex=T;age=Y15-64;unit=PC"
    within = cat.index[cat["comparability"] == "within_country"].tolist()
    assert within == ["hospitals_per_100k", "hospital_beds_per_100k"]
