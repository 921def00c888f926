"""The catalogue against the real mirror files and the API's URL scheme.

Expected values here are computed with plain Python (``csv``/``gzip``) straight from
the mirror's files — a different code path from the library's parser, cache and
derivation — and compared with what :func:`regiongap.fetch_indicator`,
:func:`regiongap.panel` and :func:`regiongap.coverage` return.
"""

from __future__ import annotations

import csv
import gzip
import io
import warnings
from pathlib import Path

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.indicators._series import select_series
from regiongap.indicators.catalogue import parse_filters
from tests.support.fake_eurostat import FakeEurostat

pytestmark = pytest.mark.mirror

EU27 = {
    "BE",
    "BG",
    "CZ",
    "DK",
    "DE",
    "EE",
    "IE",
    "EL",
    "ES",
    "FR",
    "HR",
    "IT",
    "CY",
    "LV",
    "LT",
    "LU",
    "HU",
    "MT",
    "NL",
    "AT",
    "PL",
    "PT",
    "RO",
    "SI",
    "SK",
    "FI",
    "SE",
}
# The mirror's nama_10r_2hhinc holds only unit=MIO_EUR, na_item=B5N (see its
# MANIFEST row): the PPS disposable-income series cannot come from the mirror.
KNOWN_MIRROR_GAPS = {
    "household_disposable_income_pps_per_inhabitant": {
        "unit=PPS_EU27_2020_HAB",
        "na_item=B6N",
    }
}


def _mirror_file(mirror: Path, code: str) -> Path | None:
    for suffix in (".tsv.gz", ".csv.gz"):
        path = mirror / "eurostat" / f"{code}{suffix}"
        if path.is_file():
            return path
    return None


def _read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a mirror file: dimensions, ``geo``, ``time``, ``value``, ``flag``.

    Plain Python, independent of regiongap.sdmx: SDMX-CSV is read with ``csv``; both
    TSV layouts are split on tabs and commas by hand.
    """
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    if path.name.endswith(".csv.gz"):
        out = []
        for row in csv.DictReader(io.StringIO(text)):
            rec = {k: v for k, v in row.items() if k not in _CSV_META}
            rec["time"] = row["TIME_PERIOD"]
            rec["value"] = row["OBS_VALUE"]
            rec["flag"] = row["OBS_FLAG"]
            out.append(rec)
        return out
    lines = text.splitlines()
    header = lines[0].split("\t")
    dims = header[0].split("\\")[0].split(",")
    periods = [h.strip() for h in header[1:]]
    out = []
    for line in lines[1:]:
        cells = line.split("\t")
        key = dict(zip(dims, cells[0].split(","), strict=True))
        for period, cell in zip(periods, cells[1:], strict=True):
            number, _, flag = cell.strip().partition(" ")
            rec = dict(key)
            rec["time"] = period
            rec["value"] = "" if number == ":" else number
            rec["flag"] = flag.strip()
            out.append(rec)
    return out


_CSV_META = {
    "DATAFLOW",
    "LAST UPDATE",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
    "CONF_STATUS",
}
_ROWS: dict[Path, list[dict[str, str]]] = {}


def rows_of(path: Path) -> list[dict[str, str]]:
    if path not in _ROWS:
        _ROWS[path] = _read_rows(path)
    return _ROWS[path]


def select(path: Path, filters: str, geo: str, year: int) -> tuple[float, str]:
    """The value and flag of one region and year, selected by hand."""
    wanted = parse_filters(filters)
    hits = [
        r
        for r in rows_of(path)
        if r["geo"] == geo
        and r["time"] == str(year)
        and all(r.get(d) == v for d, v in wanted.items())
    ]
    assert len(hits) == 1, (path.name, filters, geo, year, hits)
    return float(hits[0]["value"]), hits[0]["flag"]


def eu27_regions(mirror: Path, level: int) -> set[str]:
    """EU-27 NUTS 2021 regions of *level* from GISCO's attribute table, by hand."""
    path = mirror / "eurostat" / "NUTS_AT_2021.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return {
        r["NUTS_ID"]
        for r in csv.DictReader(io.StringIO(text))
        if len(r["NUTS_ID"]) == 2 + level
        and r["CNTR_CODE"] in EU27
        and not r["NUTS_ID"].endswith("Z" * max(level, 1))
    }


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    return rg.catalogue().set_index("indicator")


# ---------------------------------------------- filters exist in the mirror files


def test_every_filter_value_exists_in_its_mirror_file(mirror_path, catalogue):
    checked = 0
    for indicator, entry in catalogue.iterrows():
        path = _mirror_file(mirror_path, entry["dataset"])
        if path is None:
            continue
        rows = rows_of(path)
        dims = {k for k in rows[0] if k not in ("geo", "time", "value", "flag")}
        missing = set()
        for dim, value in parse_filters(entry["filters"]).items():
            assert dim in dims, (
                f"{indicator}: {entry['dataset']} has no dimension {dim}"
            )
            if not any(r[dim] == value for r in rows):
                missing.add(f"{dim}={value}")
        assert missing == KNOWN_MIRROR_GAPS.get(indicator, set()), indicator
        # the filters fix every dimension but freq: one series per region
        assert dims - {"freq"} <= set(parse_filters(entry["filters"])), indicator
        checked += 1
    assert checked == 15  # every catalogue dataset the mirror holds


def test_every_mirror_indicator_loads_from_the_mirror(mirror, catalogue):
    in_mirror = rg.catalogue().set_index("indicator")["in_mirror"]
    loadable = [i for i, y in in_mirror.items() if y and i not in KNOWN_MIRROR_GAPS]
    # 15 with their dataset in the mirror, one known gap; 4 from a tgs fallback
    # (R&D, tertiary attainment, unemployment, employment 15-64); 2 from GISCO
    assert len(loadable) == 20
    for indicator in loadable:
        frame = rg.fetch_indicator(indicator, level=2, offline=True)
        # beds: only regions whose every hospital reports them (GISCO)
        assert len(frame) > (50 if indicator == "hospital_beds_per_100k" else 100)
        assert frame.duplicated(["indicator", "geo", "time"]).sum() == 0
        assert set(frame["unit"]) == {catalogue.loc[indicator, "unit"]}
        assert all(len(g) == 4 for g in frame["geo"]), indicator
        assert frame.attrs["provenance"][0]["source"] == "mirror"
    with pytest.raises(SchemaError, match="available unit values: \\['MIO_EUR'\\]"):
        rg.fetch_indicator("household_disposable_income_pps_per_inhabitant")


# ------------------------------------------------- derived values by hand


@pytest.mark.parametrize("geo", ["ES22", "DE11", "PL91"])
def test_household_income_per_inhabitant_by_hand(mirror, geo):
    income, income_flag = select(
        mirror / "eurostat" / "nama_10r_2hhinc.csv.gz",
        "unit=MIO_EUR;direct=BAL;na_item=B5N",
        geo,
        2019,
    )
    people, people_flag = select(
        mirror / "eurostat" / "demo_r_d2jan.csv.gz",
        "unit=NR;sex=T;age=TOTAL",
        geo,
        2019,
    )
    frame = rg.fetch_indicator(
        "household_primary_income_per_inhabitant", level=2, years=2019
    )
    row = frame.loc[frame["geo"] == geo].iloc[0]
    assert row["value"] == pytest.approx(income * 1e6 / people, rel=1e-12)
    flag = "".join(sorted(set(income_flag + people_flag))) or None
    assert (None if pd.isna(row["flag"]) else row["flag"]) == flag
    assert row["dataset"] == "nama_10r_2hhinc / demo_r_d2jan"
    assert row["unit"] == "EUR_HAB"


def test_a_flagged_part_flags_the_derived_value(mirror):
    frame = rg.fetch_indicator(
        "household_primary_income_per_inhabitant", level=2, years=2019
    )
    path = mirror / "eurostat" / "nama_10r_2hhinc.csv.gz"
    flagged = {
        r["geo"]
        for r in rows_of(path)
        if r["time"] == "2019" and r["flag"] and len(r["geo"]) == 4
    }
    assert flagged, "the mirror has flagged 2019 income values"
    got = frame.set_index("geo")["flag"]
    for geo in sorted(flagged & set(got.index)):
        assert not pd.isna(got[geo]), geo


@pytest.mark.parametrize(("geo", "year"), [("DE111", 2020), ("ITC11", 2022)])
def test_old_age_share_by_hand(mirror, geo, year):
    path = mirror / "eurostat" / "demo_r_pjanaggr3.tsv.gz"
    old, _ = select(path, "unit=NR;sex=T;age=Y_GE65", geo, year)
    everyone, _ = select(path, "unit=NR;sex=T;age=TOTAL", geo, year)
    frame = rg.fetch_indicator("population_65_plus_share", level=3, years=year)
    value = frame.set_index("geo").loc[geo, "value"]
    assert value == pytest.approx(100 * old / everyone, rel=1e-12)


# ------------------------------------------------------------ panel and coverage


def test_panel_nuts2_2019_has_every_eu27_region(mirror, catalogue):
    with pytest.warns(DataQualityWarning) as caught:
        p = rg.panel(level=2, year=2019, offline=True, with_names=True)
    messages = " ".join(str(w.message) for w in caught)
    assert "not loaded" in messages
    regions = eu27_regions(mirror, 2)
    assert len(regions) == 242
    assert set(p.index) == regions and p.index.is_unique
    meta = p.attrs["panel"]
    loaded = list(meta["indicators"])
    # what is missing is exactly what the mirror does not have
    for indicator in meta["unavailable"]:
        path = _mirror_file(mirror, catalogue.loc[indicator, "dataset"])
        assert path is None or indicator in KNOWN_MIRROR_GAPS, indicator
    assert len(loaded) >= 13
    for indicator in loaded:
        years = p[f"{indicator}__year"]
        values = p[indicator]
        assert (values.notna() == years.notna()).all(), indicator
        assert years.dropna().between(2016, 2019).all(), indicator
        assert set(years.dropna()) == set(meta["indicators"][indicator]["years"])
    # real values, independently selected
    hrst, hrst_flag = select(
        mirror / "eurostat" / "hrst_st_rcat.csv.gz",
        "category=HRST;unit=PC_ACT",
        "DE11",
        2019,
    )
    assert p.loc["DE11", "hrst_pct_active_population"] == hrst
    got_flag = p.loc["DE11", "hrst_pct_active_population__flag"]
    assert (got_flag if not pd.isna(got_flag) else "") == hrst_flag
    gdp, gdp_flag = select(
        mirror / "eurostat" / "nama_10r_3gdp.tsv.gz",
        "unit=PPS_EU27_2020_HAB",
        "ES22",
        2019,
    )
    assert p.loc["ES22", "gdp_pps_per_inhabitant"] == gdp
    got_flag = p.loc["ES22", "gdp_pps_per_inhabitant__flag"]
    assert (got_flag if not pd.isna(got_flag) else "") == gdp_flag
    assert p["gdp_pps_per_inhabitant"].notna().sum() == 242
    assert p["gdp_pps_per_inhabitant__flag"].notna().any()  # flags are carried
    assert "Navarra" in p.loc["ES22", "region_name"]


def test_coverage_recomputed_by_hand(mirror):
    cov = rg.coverage(
        ["adult_learning_25_64", "rd_expenditure_business_pct_gdp"],
        years=[2019, 2020],
        offline=True,
    )
    regions = eu27_regions(mirror, 2)
    path = mirror / "eurostat" / "trng_lfse_04.csv.gz"
    for year in (2019, 2020):
        hits = [
            r
            for r in rows_of(path)
            if r["time"] == str(year) and r["geo"] in regions and r["value"] != ""
        ]
        row = cov.loc[
            (cov["indicator"] == "adult_learning_25_64") & (cov["year"] == year)
        ].iloc[0]
        assert row["n_regions"] == len(regions) == 242
        assert row["n_with_value"] == len(hits)
        assert row["share_with_value"] == pytest.approx(len(hits) / 242)
        flagged = sum(1 for r in hits if r["flag"])
        assert row["n_flagged"] == flagged
        assert row["share_flagged"] == pytest.approx(flagged / len(hits))
    rd = cov.loc[cov["indicator"] == "rd_expenditure_business_pct_gdp"]
    assert rd["status"].tolist() == ["unavailable"]
    assert "rd_e_gerdreg" in rd["reason"].iloc[0]


# -------------------------------------------------- the API's URL scheme, loopback


def _hand_made_tsv(dataset: str, filters_by_indicator: list[str]) -> bytes:
    """A small SDMX-TSV table (the API's format) holding each catalogue series.

    For datasets the mirror lacks, the layout is built from the catalogue's own
    filters plus a decoy value per dimension (which the selection must skip): this
    checks the URL scheme and the selection, not Eurostat's real dimension list.
    """
    dims: list[str] = []
    for text in filters_by_indicator:
        for dim in parse_filters(text):
            if dim not in dims:
                dims.append(dim)
    lines = ["freq," + ",".join(dims) + ",geo\\TIME_PERIOD\t2019 \t2020 "]
    for n, text in enumerate(filters_by_indicator):
        wanted = parse_filters(text)
        key = [wanted.get(d, "TOTAL") for d in dims]
        lines.append("A," + ",".join(key) + f",DE11\t{10 + n} \t{11 + n} p")
        lines.append("A," + ",".join(key) + f",DE1\t{20 + n} \t: ")
    decoy = ["DECOY"] * len(dims)
    lines.append("A," + ",".join(decoy) + ",DE11\t99 \t99 ")
    return ("\n".join(lines) + "\n").encode()


def test_every_catalogue_entry_loads_through_the_api_url_scheme(
    mirror_path, catalogue, monkeypatch
):
    eurostat = catalogue.loc[~catalogue["dataset"].str.startswith("gisco:")]
    by_dataset: dict[str, list[str]] = {}
    for _, entry in eurostat.iterrows():
        by_dataset.setdefault(entry["dataset"], []).append(entry["filters"])
    extra = {
        code: _hand_made_tsv(code, filters)
        for code, filters in by_dataset.items()
        if _mirror_file(mirror_path, code) is None
    }
    assert set(extra) >= {"rd_e_gerdreg", "tran_r_net", "hlth_rs_bdsrg2"}
    with FakeEurostat(mirror_path, datasets=extra) as server:
        monkeypatch.setenv("REGIONGAP_EUROSTAT_API", server.base_url)
        for indicator, entry in eurostat.iterrows():
            if indicator in KNOWN_MIRROR_GAPS:
                continue
            level = 2 if 2 in [int(x) for x in entry["levels"].split(";")] else 3
            frame = rg.fetch_indicator(indicator, level=level, years=2019)
            assert len(frame) > 0, indicator
            assert frame.attrs["provenance"][0]["source"] == "api", indicator
            assert frame.attrs["provenance"][0]["location"] == server.data_url(
                entry["dataset"]
            )
            if entry["dataset"] in extra:
                assert frame["geo"].tolist() == ["DE11"], indicator
        requested = {s.path.split("?")[0].rsplit("/", 1)[1] for s in server.log}
        assert requested == {c.upper() for c in eurostat["dataset"]}
        # each dataset was downloaded once, then read from the cache
        assert server.count("/data/") == len(requested)


def test_offline_without_the_dataset_is_reported_not_raised_by_the_panel(mirror):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = rg.panel(
            ["rd_expenditure_business_pct_gdp", "area"], year=2019, offline=True
        )
    assert "rd_expenditure_business_pct_gdp" in p.attrs["panel"]["unavailable"]
    assert "area" in p.columns
    assert any(issubclass(w.category, DataQualityWarning) for w in caught)


# ------------------------------------------ fallbacks: the tgs files, SDMX-CSV 2.0


def _tgs_rows(path: Path) -> tuple[list[dict[str, str]], dict[str, dict[str, str]]]:
    """Rows of an SDMX-CSV 2.0 file with labels, and each code's label, by hand.

    After ``STRUCTURE, STRUCTURE_ID, STRUCTURE_NAME`` every code column is followed
    by its label column.
    """
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    codes = list(range(3, len(header), 2))
    names = {
        "TIME_PERIOD": "time",
        "OBS_VALUE": "value",
        "OBS_FLAG": "flag",
        "CONF_STATUS": "conf_status",
    }
    out, labels = [], {}
    for cells in reader:
        rec = {names.get(header[i], header[i]): cells[i] for i in codes}
        for i in codes:
            labels.setdefault(header[i], {})[cells[i]] = cells[i + 1]
        out.append(rec)
    return out, labels


#: The unit each fallback's unit code stands for, as the file labels it.
FALLBACK_UNITS = {
    "rd_expenditure_pct_gdp": "Percentage of gross domestic product (GDP)",
    "tertiary_attainment_25_64": "Percentage",
    "unemployment_rate_15_74": "Percentage",
    "employment_rate_15_64": "Percentage",
}


def test_every_fallback_is_verified_against_its_mirror_file(mirror, catalogue):
    checked = []
    for indicator, entry in catalogue.loc[catalogue["fallback"] != ""].iterrows():
        path = _mirror_file(mirror, entry["fallback"])
        assert path is not None, indicator
        rows, labels = _tgs_rows(path)
        wanted = parse_filters(entry["filters"])
        dims = {k for k in rows[0] if k not in ("geo", "time", "value", "flag")}
        dims -= {"conf_status", "freq"}
        # the filters fix every dimension: one series per region
        assert dims == set(wanted), indicator
        for dim, value in wanted.items():
            assert {r[dim] for r in rows} == {value}, (indicator, dim)
        assert labels["unit"][wanted["unit"]] == FALLBACK_UNITS[indicator]
        assert {len(r["geo"]) for r in rows} == {4}  # NUTS 2 only
        frame = rg.fetch_indicator(indicator, level=2, years=2019, offline=True)
        assert set(frame["dataset"]) == {entry["fallback"]}
        assert frame.attrs["provenance"][0]["source"] == "mirror"
        by_hand = {
            r["geo"]: float(r["value"])
            for r in rows
            if r["time"] == "2019" and r["value"]
        }
        got = frame.dropna(subset=["value"]).set_index("geo")["value"].to_dict()
        assert got == {g: v for g, v in by_hand.items() if g in got}
        dropped = {c for codes in frame.attrs["dropped"].values() for c in codes}
        assert set(by_hand) - set(got) <= dropped, indicator
        checked.append(indicator)
    assert sorted(checked) == sorted(FALLBACK_UNITS)


def test_a_fallback_lacking_the_filters_code_lists_the_codes_it_has(mirror):
    # Eurostat's summary of employment is the 15-64 rate: it has no 20-64 one
    raw = rg.fetch_dataset("tgs00007", offline=True)
    with pytest.raises(SchemaError, match=r"available age values: \['Y15-64'\]"):
        select_series(raw, {"sex": "T", "age": "Y20-64", "unit": "PC"}, "tgs00007", "x")


# ----------------------------------------------------- issue 15's numbers, 2019


@pytest.fixture(scope="module")
def panel_2019(mirror_path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIONGAP_MIRROR", str(mirror_path))
        mp.setenv("REGIONGAP_OFFLINE", "1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            return rg.panel(level=2, year=2019, fill_from_parent=True)


def test_the_2019_nuts2_panel_covers_what_issue_15_asks(panel_2019):
    p = panel_2019
    assert len(p) == 242 and p.attrs["panel"]["nuts_year"] == 2021
    share = (
        p[
            [
                "internet_access_households",
                "rd_expenditure_pct_gdp",
                "tertiary_attainment_25_64",
            ]
        ]
        .notna()
        .mean()
    )
    assert share["internet_access_households"] >= 0.95
    assert share["rd_expenditure_pct_gdp"] >= 0.80
    assert share["tertiary_attainment_25_64"] >= 0.95
    net = "internet_access_households"
    parents = p.loc[p[f"{net}__from_parent"].astype(bool)]
    assert set(parents.index.str[:2]) == {"DE", "EL", "PL"}
    assert (parents[f"{net}__source_level"] == 1).all()
    assert p.attrs["panel"]["from_parent"][net] == len(parents) == 38 + 13 + 17
    # R&D's gaps are France and the Netherlands (no 2016-2019 value at all)
    rd = p["rd_expenditure_pct_gdp"]
    assert rd[p.index.str[:2].isin(["FR", "NL"])].isna().all()


def test_parent_values_are_the_published_nuts1_values(mirror, panel_2019):
    path = mirror / "eurostat" / "isoc_r_iacc_h.csv.gz"
    value, flag = select(path, "unit=PC_HH", "DE1", 2019)
    net = "internet_access_households"
    row = panel_2019.loc["DE11"]
    assert row[net] == value and row[f"{net}__year"] == 2019
    assert (row[f"{net}__flag"] if not pd.isna(row[f"{net}__flag"]) else "") == flag
    own, _ = select(path, "unit=PC_HH", "AT11", 2019)
    assert panel_2019.loc["AT11", net] == own
    assert panel_2019.loc["AT11", f"{net}__source_level"] == 2
