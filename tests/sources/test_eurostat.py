"""regiongap.sources.eurostat: codes, URLs, mirror/API bytes."""

from __future__ import annotations

import hashlib

import pytest

from regiongap import config
from regiongap.errors import (
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.sources import eurostat as es

REAL_CODES = [
    "nama_10r_3gdp",
    "demo_r_pjanaggr3",
    "isoc_r_broad_h",
    "lfst_r_lfp2actrt",
    "trng_lfse_04",
    "reg_area3",
    "ei_bsco_m",
    "tgs00026",
]


# ----------------------------------------------------------------------- codes
@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert es.validate_code(code) == code
    assert es.validate_code(code.upper()) == code


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "nama_10r_3gdp/../x",
        "a\\b",
        "nama 10r",
        "",
        "x",
        ".hidden",
        "a..b",
        "nama.10r",
        "x" * 65,
        "naïve",
        "code\n",
        "-rf",
    ],
)
def test_implausible_codes_are_refused(bad):
    with pytest.raises(SchemaError) as info:
        es.validate_code(bad)
    assert repr(bad) in str(info.value)
    assert es.CODE_PATTERN.pattern in str(info.value)


@pytest.mark.parametrize("bad", [None, 3, b"nama_10r_3gdp", ["nama_10r_3gdp"]])
def test_non_string_codes_are_refused(bad):
    with pytest.raises(SchemaError, match="must be a string"):
        es.validate_code(bad)


def test_dataset_url(monkeypatch):
    assert es.dataset_url("nama_10r_3gdp") == (
        "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/"
        "NAMA_10R_3GDP?format=TSV&compressed=true"
    )
    assert es.dataset_url("reg_area3", "http://h/api/") == (
        "http://h/api/sdmx/2.1/data/REG_AREA3?format=TSV&compressed=true"
    )
    monkeypatch.setenv("REGIONGAP_EUROSTAT_API", "http://mirror.example/x")
    assert es.dataset_url("reg_area3").startswith("http://mirror.example/x/sdmx/")
    with pytest.raises(SchemaError):
        es.dataset_url("../x")


# ------------------------------------------------------------------- fetch_raw
def test_fetch_raw_reads_the_mirror(mirror):
    raw = es.fetch_raw("NAMA_10R_3GDP")
    path = mirror / "eurostat" / "nama_10r_3gdp.tsv.gz"
    assert raw.code == "nama_10r_3gdp"
    assert raw.source == "mirror"
    assert raw.location == str(path)
    assert raw.content == path.read_bytes()
    assert raw.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert raw.retrieved_at.endswith("+00:00")


def test_mirror_suffix_order(tmp_path):
    folder = tmp_path / "eurostat"
    folder.mkdir()
    (folder / "abc_1.csv").write_bytes(b"csv")
    assert es.fetch_raw("abc_1", mirror=tmp_path).content == b"csv"
    (folder / "abc_1.csv.gz").write_bytes(b"csv.gz")
    assert es.fetch_raw("abc_1", mirror=tmp_path).content == b"csv.gz"
    (folder / "abc_1.tsv").write_bytes(b"tsv")
    assert es.fetch_raw("abc_1", mirror=tmp_path).content == b"tsv"
    (folder / "abc_1.tsv.gz").write_bytes(b"tsv.gz")
    raw = es.fetch_raw("abc_1", mirror=tmp_path)
    assert raw.content == b"tsv.gz"
    assert raw.location == str(folder / "abc_1.tsv.gz")


def test_missing_in_mirror_offline_lists_what_the_mirror_has(mirror, api):
    with pytest.raises(DatasetNotFoundError) as info:
        es.fetch_raw("nama_10r_2gdp_x", offline=True)
    msg = str(info.value)
    assert "'nama_10r_2gdp_x'" in msg and str(mirror) in msg
    assert "nama_10r_3gdp" in msg and "reg_area3" in msg
    assert api.count() == 0


def test_missing_in_mirror_online_falls_back_to_the_api(tmp_path, api):
    (tmp_path / "eurostat").mkdir()
    raw = es.fetch_raw("reg_area3", mirror=tmp_path)
    assert raw.source == "api"
    assert raw.location == api.data_url("reg_area3")
    assert raw.content == api.raw("reg_area3")
    assert api.count("/data/") == 1


def test_no_mirror_offline_says_how_to_get_the_data(api, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.raises(OfflineError) as info:
        es.fetch_raw("reg_area3")
    msg = str(info.value)
    assert "'reg_area3'" in msg and "REGIONGAP_MIRROR" in msg
    assert api.count() == 0


def test_unknown_dataset_at_the_api(api):
    with pytest.raises(DatasetNotFoundError, match="'no_such_data'"):
        es.fetch_raw("no_such_data")


def test_api_csv_only_dataset_is_served_as_its_csv_bytes(api, mirror_path):
    raw = es.fetch_raw("isoc_r_broad_h")
    assert (
        raw.content == (mirror_path / "eurostat" / "isoc_r_broad_h.csv.gz").read_bytes()
    )


def test_download_size_cap_from_environment(api, monkeypatch):
    monkeypatch.setenv("REGIONGAP_MAX_BYTES", "1000")
    with pytest.raises(SourceError, match="larger than the limit"):
        es.fetch_raw("reg_area3")
    monkeypatch.setenv("REGIONGAP_MAX_BYTES", "lots")
    with pytest.raises(SchemaError, match="REGIONGAP_MAX_BYTES"):
        es.fetch_raw("reg_area3")


def test_default_api_is_eurostat():
    assert config.eurostat_api() == config.DEFAULT_EUROSTAT_API
