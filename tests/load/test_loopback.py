"""The online path for real: fetch_dataset against the loopback Eurostat API.

Every real mirror dataset is downloaded over HTTP from the loopback server
(``REGIONGAP_EUROSTAT_API`` points at it), cached, read back from the cache without
touching the server, and refreshed; then the bad inputs of issue 3 and concurrent
processes.
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
from pathlib import Path

import pytest

from regiongap import sdmx
from regiongap.cache import store as cache
from regiongap.errors import (
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.load.datasets import fetch_dataset
from tests.support import assert_frames_identical
from tests.support.fake_eurostat import FakeEurostat, faults

PROJECT = Path(__file__).resolve().parents[2]
DUPLICATE = (
    b"freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \n"
    b"A,PC,AT1\t1 \t2 \n"
    b"A,PC,AT1\t3 \t4 \n"
)  # hand-made, real SDMX-TSV layout, one series key twice


@pytest.fixture(scope="module")
def server(mirror_path):
    extra = {"dup_keys": gzip.compress(DUPLICATE, mtime=0)}
    with FakeEurostat(mirror_path, datasets=extra) as srv:
        yield srv


@pytest.fixture
def loopback_env():
    return {
        "REGIONGAP_HTTP_BACKOFF": 0.01,
        "REGIONGAP_HTTP_TIMEOUT": 0.5,
        "REGIONGAP_HTTP_RETRIES": 1,
    }


def _mirror_codes(mirror: Path) -> list[str]:
    with FakeEurostat(mirror) as srv:
        return srv.codes


MIRROR_CODES = [
    "demo_r_d2jan",
    "demo_r_d3dens",
    "demo_r_pjanaggr3",
    "hrst_st_rcat",
    "htec_emp_reg2",
    "isoc_r_broad_h",
    "isoc_r_iacc_h",
    "lfst_r_lfp2actrt",
    "nama_10r_2gdp",
    "nama_10r_2hhinc",
    "nama_10r_3gdp",
    "reg_area3",
    "tgs00007",
    "tgs00010",
    "tgs00042",
    "tgs00109",
    "trng_lfse_04",
]


def test_the_server_serves_every_mirror_dataset(mirror_path):
    assert _mirror_codes(mirror_path) == MIRROR_CODES


@pytest.mark.parametrize("code", MIRROR_CODES)
def test_download_cache_refresh(api, mirror_path, code):
    served = api.raw(code)
    first = fetch_dataset(code)
    assert api.count("/data/") == 1
    path = cache.cache_path("eurostat", code)
    assert path.is_file()
    # the frame is the parse of the mirror file, value for value
    mirror_file = next((mirror_path / "eurostat").glob(f"{code}.*"))
    assert_frames_identical(first, sdmx.parse(mirror_file.read_bytes()))
    prov = first.attrs["provenance"]
    assert prov["dataset"] == code
    assert prov["source"] == "api"
    assert prov["location"] == api.data_url(code)
    assert prov["sha256"] == hashlib.sha256(served).hexdigest()
    assert prov["last_update"] == first.attrs["last_update"]

    second = fetch_dataset(code)
    assert api.count("/data/") == 1  # read from Parquet, the server untouched
    assert_frames_identical(second, first)
    assert second.attrs["provenance"] == prov
    _, stored = cache.read_table(path)
    assert stored["sha256"] == prov["sha256"]

    third = fetch_dataset(code, refresh=True)
    assert api.count("/data/") == 2
    assert_frames_identical(third, first)


def test_filters_after_download(api):
    frame = fetch_dataset("demo_r_pjanaggr3", {"sex": "T", "age": "TOTAL", "geo": "AT"})
    assert set(frame["geo"]) == {"AT"}
    assert frame["time"].is_monotonic_increasing
    assert api.count("/data/") == 1


# ------------------------------------------------------------------- bad input
def _assert_nothing_cached(code):
    assert not cache.cache_path("eurostat", code).exists()


def test_unknown_dataset(api):
    with pytest.raises(DatasetNotFoundError) as info:
        fetch_dataset("no_such_dataset")
    msg = str(info.value)
    assert "'no_such_dataset'" in msg and api.data_url("no_such_dataset") in msg
    _assert_nothing_cached("no_such_dataset")


def test_implausible_code_sends_nothing(api, data_dir):
    with pytest.raises(SchemaError):
        fetch_dataset("../../etc/passwd")
    assert api.count() == 0
    assert not (data_dir / "raw").exists()


@pytest.mark.parametrize(
    ("fault", "times", "message"),
    [
        (faults.status(404, body=b"gone"), 1, "not found"),
        (faults.status(500), 2, "HTTP 500"),
        (faults.status(503, retry_after=0), 2, "HTTP 503"),
        (faults.delay(1.5), 2, "Timeout"),
        (faults.reset_mid_body(2000), 2, "IncompleteRead|Connection"),
        (faults.drop(), 2, "Connection"),
        (faults.truncated(0.5), 1, "SDMX"),
        (faults.html_200(), 1, "SDMX"),
    ],
    ids=["404", "500", "503", "timeout", "reset", "drop", "truncated-gzip", "html"],
)
def test_network_faults_leave_nothing_and_keep_the_old_cache(
    api, fault, times, message
):
    code = "reg_area3"
    api.add_fault(fault, times=times)
    with pytest.raises(SourceError, match=message) as info:
        fetch_dataset(code)
    msg = str(info.value)
    assert f"'{code}'" in msg and api.data_url(code) in msg
    _assert_nothing_cached(code)

    good = fetch_dataset(code)
    before = cache.cache_path("eurostat", code).read_bytes()
    api.add_fault(fault, times=times)
    with pytest.raises(SourceError):
        fetch_dataset(code, refresh=True)
    assert cache.cache_path("eurostat", code).read_bytes() == before
    assert_frames_identical(fetch_dataset(code), good)


def test_retries_recover_transparently(api, monkeypatch):
    monkeypatch.setenv("REGIONGAP_HTTP_RETRIES", "3")
    api.add_fault(faults.status(503, retry_after=0))
    api.add_fault(faults.reset_mid_body(1000))
    frame = fetch_dataset("reg_area3")
    assert api.count("/data/") == 3
    assert len(frame) > 0


def test_non_sdmx_header_and_duplicate_keys(api):
    api.add_fault(
        faults.status(200, body=b"code;value\nAT;1\n", content_type="text/csv")
    )
    with pytest.raises(SourceError, match="SDMX"):
        fetch_dataset("reg_area3")
    _assert_nothing_cached("reg_area3")
    with pytest.raises(SourceError, match="'dup_keys'") as info:
        fetch_dataset("dup_keys")
    assert isinstance(info.value.__cause__, SchemaError)
    assert "AT1" in str(info.value)
    _assert_nothing_cached("dup_keys")


def test_offline_with_nothing_cached(api, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.raises(OfflineError) as info:
        fetch_dataset("reg_area3")
    assert "REGIONGAP_MIRROR" in str(info.value)
    assert api.count() == 0
    _assert_nothing_cached("reg_area3")


def test_stale_copy_only_when_allowed(api):
    from regiongap.errors import DataQualityWarning

    good = fetch_dataset("reg_area3")
    api.add_fault(faults.status(503, retry_after=0), times=4)
    with pytest.raises(SourceError):
        fetch_dataset("reg_area3", refresh=True)
    with pytest.warns(DataQualityWarning, match="cached copy retrieved"):
        stale = fetch_dataset("reg_area3", refresh=True, allow_stale=True)
    assert_frames_identical(stale, good)


# ----------------------------------------------------------------- concurrency
def _fetch_in_process(code: str) -> tuple[str, str, str]:
    import pandas as pd

    frame = fetch_dataset(code)
    digest = hashlib.sha256(
        pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    ).hexdigest()
    return code, digest, frame.attrs["provenance"]["sha256"]


def test_processes_fetching_into_one_cache(api, monkeypatch):
    monkeypatch.syspath_prepend(str(PROJECT))  # spawned children import this module
    codes = ["nama_10r_3gdp", "nama_10r_3gdp", "reg_area3", "reg_area3"]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.map_async(_fetch_in_process, codes).get(timeout=120)
    by_code: dict[str, set] = {}
    for code, digest, sha in results:
        by_code.setdefault(code, set()).add((digest, sha))
    assert all(len(v) == 1 for v in by_code.values())
    for code in ("nama_10r_3gdp", "reg_area3"):
        _, prov = cache.read_table(cache.cache_path("eurostat", code))
        assert prov["sha256"] == hashlib.sha256(api.raw(code)).hexdigest()
        assert _fetch_in_process(code)[1:] == next(iter(by_code[code]))
    leftovers = list(cache.cache_path("eurostat", "x").parent.glob("*.tmp"))
    assert leftovers == []


# ------------------------------------------------------------ eurostat package
def test_the_eurostat_package_runs_unmodified_against_the_server(api):
    """The benchmarks compare against eurostat.get_data_df on this same server."""
    with api.patch_eurostat_package() as pkg:
        wide = pkg.get_data_df("reg_area3")
        assert pkg.__Uri__.BASE_URL["EUROSTAT"].startswith(api.base_url)
    assert pkg.__Uri__.BASE_URL["EUROSTAT"].startswith("https://ec.europa.eu/")
    tidy = fetch_dataset("reg_area3")
    years = [c for c in wide.columns if str(c).strip().isdigit()]
    assert len(wide) * len(years) == len(tidy)
    assert api.count("/dataflow/ESTAT/reg_area3") >= 1
    assert api.count("/datastructure/ESTAT/REG_AREA3") >= 1


# ------------------------------------------------------------------ SDMX-CSV 2.0
CSV2 = {  # code served -> the mirror's real SDMX-CSV 2.0 file (labels=both)
    "tgs00042": "tgs00042.csv.gz",
    "nama_10r_2gdp": "alt/nama_10r_2gdp.2026-02.csv.gz",
}
LABEL_ATTRS = ("format", "dataflow", "title", "column_labels", "labels")


@pytest.mark.parametrize("how", [None, "plain", "content-encoding"],
                         ids=["gzip-file", "plain", "http-gzip"])  # fmt: skip
@pytest.mark.parametrize("code", list(CSV2))
def test_sdmx_csv2_over_http_with_labels_through_the_cache(
    mirror_path, monkeypatch, code, how
):
    mirror_file = mirror_path / "eurostat" / CSV2[code]
    served = mirror_file.read_bytes()
    text = gzip.decompress(served)
    with FakeEurostat(
        datasets={code: served}, served_as={code: how} if how else None
    ) as srv:
        monkeypatch.setenv("REGIONGAP_EUROSTAT_API", srv.base_url)
        expected = sdmx.parse(served)
        assert expected.attrs["format"] == "csv2" and expected.attrs["labels"]
        first = fetch_dataset(code)
        assert srv.count("/data/") == 1
        assert_frames_identical(first, expected)
        for key in LABEL_ATTRS:
            assert first.attrs[key] == expected.attrs[key], key
        body = served if how is None else text  # what the client received
        assert first.attrs["provenance"]["sha256"] == hashlib.sha256(body).hexdigest()
        # the cache round trip keeps every label, and the frame bit for bit
        second = fetch_dataset(code)
        assert srv.count("/data/") == 1
        assert_frames_identical(second, expected)
        for key in LABEL_ATTRS:
            assert second.attrs[key] == expected.attrs[key], key
        assert "geo" not in second.attrs["labels"] or set(
            second.attrs["labels"]["geo"]
        ) >= set(second["geo"].cat.categories)
