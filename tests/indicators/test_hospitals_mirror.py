"""Hospitals per region from GISCO's real healthcare points (the mirror's file).

Expected figures are read with plain Python (``csv``, ``gzip``) from the mirror's
files, apart from regiongap's loaders.
"""

from __future__ import annotations

import csv
import gzip
import io
import warnings

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning
from regiongap.indicators.hospitals import COMPARABILITY_NOTE, HOSPITAL_COLUMNS

pytestmark = pytest.mark.mirror

# GISCO's codes for French outermost regions and Greece, in Eurostat's terms
_COUNTRY = {"MQ": "FR", "RE": "FR", "GP": "FR", "GF": "FR", "YT": "FR", "PM": "FR"}


def _points(mirror) -> list[dict[str, str]]:
    path = mirror / "services" / "gisco_healthcare_services_2020_all.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _population(mirror, geo: str, year: int) -> float:
    path = mirror / "eurostat" / "demo_r_pjanaggr3.tsv.gz"
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    years = [h.strip() for h in lines[0].split("\t")[1:]]
    for line in lines[1:]:
        key, *cells = line.split("\t")
        if key == f"A,NR,T,TOTAL,{geo}":
            return float(cells[years.index(str(year))].split()[0])
    raise AssertionError(geo)


def _nuts2(mirror, countries: set[str]) -> set[str]:
    path = mirror / "eurostat" / "NUTS_AT_2021.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return {
        r["NUTS_ID"]
        for r in csv.DictReader(io.StringIO(text))
        if len(r["NUTS_ID"]) == 4
        and r["CNTR_CODE"] in countries
        and not r["NUTS_ID"].endswith("ZZ")
    }


@pytest.fixture(scope="module")
def nuts2(mirror_path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIONGAP_MIRROR", str(mirror_path))
        mp.setenv("REGIONGAP_OFFLINE", "1")
        return rg.hospitals(level=2)


def test_every_nuts2_region_of_the_countries_in_the_file_has_a_value(mirror, nuts2):
    countries = {_COUNTRY.get(r["cc"], r["cc"]) for r in _points(mirror)}
    assert len(countries) == 28  # 34 GISCO codes, six of them French territories
    regions = _nuts2(mirror, countries)
    assert set(nuts2["geo"]) == regions
    # Svalbard and Jan Mayen: no resident population, so no rate (and no hospital)
    no_rate = nuts2.loc[nuts2["hospitals_per_100k"].isna()]
    assert no_rate["geo"].tolist() == ["NO0B"]
    assert no_rate["population"].tolist() == [0.0] and no_rate["no_hospital"].all()
    assert list(nuts2.columns) == list(HOSPITAL_COLUMNS)


def test_luxembourg_by_hand(mirror, nuts2):
    n = sum(1 for r in _points(mirror) if r["cc"] == "LU")
    people = _population(mirror, "LU00", 2020)
    row = nuts2.set_index("geo").loc["LU00"]
    assert row["n_hospitals"] == n == 21
    assert row["population"] == people
    assert row["hospitals_per_100k"] == pytest.approx(n / people * 1e5, rel=1e-12)
    assert nuts2.attrs["reference_years"]["LU"] == [2019]


def test_every_point_is_counted_once_or_reported(mirror, nuts2):
    rows = _points(mirror)
    distinct = {tuple(r.values()) for r in rows}
    attrs = nuts2.attrs
    assert attrs["n_points"] == len(distinct) == len(rows) - attrs["duplicates"]
    assert attrs["no_coordinates"] == 0
    placed = attrs["n_points"] - attrs["unassigned"]
    assert int(nuts2["n_hospitals"].sum()) == placed
    # the two unassigned points are in Saint-Pierre-et-Miquelon, which is no region
    assert attrs["unassigned"] == 2
    assert all(i.startswith("PM_") for i in attrs["unassigned_ids"])


def test_beds_only_where_every_hospital_reports_them(mirror, nuts2):
    got = nuts2.set_index("geo")
    complete = got["n_with_beds"] == got["n_hospitals"]
    assert got.loc[~complete, "hospital_beds_per_100k"].isna().all()
    assert got.loc["DE30", "n_with_beds"] == 0  # Germany reports no beds
    assert pd.isna(got.loc["DE30", "beds"])
    # Belgium reports the beds of every hospital: the national sum, by hand
    belgium = [r for r in _points(mirror) if r["cc"] == "BE"]
    assert all(r["cap_beds"] for r in belgium)
    countries = rg.hospitals(level=0).set_index("geo")
    assert countries.loc["BE", "n_hospitals"] == len(belgium)
    assert countries.loc["BE", "beds"] == sum(float(r["cap_beds"]) for r in belgium)
    people = _population(mirror, "BE", 2020)
    assert countries.loc["BE", "hospital_beds_per_100k"] == pytest.approx(
        countries.loc["BE", "beds"] / people * 1e5, rel=1e-12
    )


def test_no_hospital_regions_and_the_catalogue_indicators_agree(mirror):
    nuts3 = rg.hospitals(level=3)
    assert nuts3.attrs["no_hospital"] == nuts3.loc[nuts3["no_hospital"], "geo"].tolist()
    none = nuts3.loc[nuts3["no_hospital"]]
    assert (none["hospitals_per_100k"].eq(0) | none["population"].eq(0)).all()
    assert len(nuts3.attrs["no_hospital"]) > 0
    frame = rg.fetch_indicator("hospitals_per_100k", level=3, years=2020)
    by_hand = nuts3.set_index("geo")["hospitals_per_100k"].dropna()
    got = frame.set_index("geo")["value"].reindex(by_hand.index)
    assert (got == by_hand).all()  # the same numbers, bit for bit
    assert set(frame["dataset"]) == {"gisco:healthcare / demo_r_pjanaggr3"}


def test_the_caveat_is_said_everywhere(mirror, nuts2):
    assert nuts2.attrs["comparability"] == COMPARABILITY_NOTE
    assert "comparable within a country" in COMPARABILITY_NOTE
    cat = rg.catalogue().set_index("indicator")
    for indicator in ("hospitals_per_100k", "hospital_beds_per_100k"):
        assert cat.loc[indicator, "comparability"] == "within_country"
        assert "comparable within a country" in cat.loc[indicator, "source_note"]
        assert cat.loc[indicator, "in_mirror"]


def test_hospitals_stay_out_of_the_default_index(mirror):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        panel = rg.panel(
            ["gdp_pps_per_inhabitant", "hospitals_per_100k"],
            year=2020,
            policy="exact",
            nuts_year=2021,
        )
    assert panel["hospitals_per_100k"].notna().sum() == 241
    assert pd.isna(panel.loc["EE00", "hospitals_per_100k"])  # GISCO has no EE point
    framework, left_out = rg.index_framework(panel)
    assert framework["indicator"].tolist() == ["gdp_pps_per_inhabitant"]
    assert left_out["hospitals_per_100k"].startswith("comparable within a country")
