r"""regiongap.load.datasets.fetch_dataset: cache round trip, filters, failures.

The small datasets written here are hand-made, in the real SDMX-TSV layout
(``freq,unit,geo\TIME_PERIOD`` header, ``value flag`` cells).
"""

from __future__ import annotations

import gzip
import hashlib
import re

import pandas as pd
import pytest

from regiongap import sdmx
from regiongap.cache import store as cache
from regiongap.errors import (
    DataQualityWarning,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.load import datasets
from tests.support import assert_frames_identical

QUARTERLY = (
    b"freq,unit,geo\\TIME_PERIOD\t2020-Q1 \t2020-Q2 \t2020-Q3 \n"
    b"Q,PC,AT1\t1.5 \t2.5 p\t: \n"
    b"Q,PC,DE1\t: \t3 e\t4.25 \n"
    b"Q,THS,AT1\t10 \t11 \t12 b\n"
)
MONTHLY = b"freq,unit,geo\\TIME_PERIOD\t2021-01 \t2021-02 \nM,PC,AT1\t1 \t2 \n"
DUPLICATE = (
    b"freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \nA,PC,AT1\t1 \t2 \nA,PC,AT1\t3 \t4 \n"
)


@pytest.fixture
def hand_mirror(tmp_path, monkeypatch):
    """A mirror folder holding hand-made datasets (and REGIONGAP_MIRROR set)."""
    folder = tmp_path / "mirror"
    (folder / "eurostat").mkdir(parents=True)
    (folder / "eurostat" / "quarterly_x.tsv.gz").write_bytes(
        gzip.compress(QUARTERLY, mtime=0)
    )
    (folder / "eurostat" / "monthly_x.tsv").write_bytes(MONTHLY)
    monkeypatch.setenv("REGIONGAP_MIRROR", str(folder))
    return folder


@pytest.fixture
def no_fetch(monkeypatch):
    """Make any attempt to get raw bytes fail loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("fetch_raw called")

    monkeypatch.setattr(datasets, "fetch_raw", refuse)


def _cache_file(code):
    return cache.cache_path("eurostat", code)


def test_fetch_from_mirror_then_from_cache(mirror, monkeypatch):
    first = datasets.fetch_dataset("nama_10r_3gdp")
    path = mirror / "eurostat" / "nama_10r_3gdp.tsv.gz"
    expected = sdmx.parse(path.read_bytes())
    assert_frames_identical(first, expected)
    prov = first.attrs["provenance"]
    assert prov == {
        "dataset": "nama_10r_3gdp",
        "source": "mirror",
        "location": str(path),
        "retrieved_at": prov["retrieved_at"],
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "last_update": None,
    }
    assert first.attrs["format"] == "tsv-old"
    assert _cache_file("nama_10r_3gdp").is_file()

    monkeypatch.setattr(datasets, "fetch_raw", None)  # the cache must answer
    second = datasets.fetch_dataset("NAMA_10R_3GDP")
    assert_frames_identical(second, expected)
    assert second.attrs["provenance"] == prov
    assert second.attrs["format"] == "tsv-old"


def test_csv_attrs_and_last_update_survive_the_cache(mirror, monkeypatch):
    first = datasets.fetch_dataset("isoc_r_broad_h")
    monkeypatch.setattr(datasets, "fetch_raw", None)
    second = datasets.fetch_dataset("isoc_r_broad_h")
    assert_frames_identical(first, second)
    assert second.attrs["last_update"] == "2024-06-16T23:00:00"
    assert second.attrs["provenance"]["last_update"] == "2024-06-16T23:00:00"
    assert second.attrs["dataflow"] == "ESTAT:ISOC_R_BROAD_H(1.0)"


@pytest.mark.parametrize(
    ("code", "freq"), [("quarterly_x", "Q-DEC"), ("monthly_x", "M")]
)
def test_period_time_round_trips(hand_mirror, monkeypatch, code, freq):
    first = datasets.fetch_dataset(code)
    assert isinstance(first["time"].dtype, pd.PeriodDtype)
    assert str(first["time"].dtype) == f"period[{freq}]"
    monkeypatch.setattr(datasets, "fetch_raw", None)
    second = datasets.fetch_dataset(code)
    assert_frames_identical(first, second)


def test_filters(mirror):
    frame = datasets.fetch_dataset(
        "nama_10r_3gdp",
        {"UNIT": "eur_hab", "geo": ["DE1", "DE2"], "time": [2020, "2021"]},
    )
    assert len(frame) == 4
    assert set(frame["geo"]) == {"DE1", "DE2"}
    assert list(frame["unit"].cat.categories) == ["EUR_HAB"]
    assert list(frame["geo"].cat.categories) == ["DE1", "DE2"]
    assert sorted(frame["time"].unique()) == [2020, 2021]
    full = sdmx.parse((mirror / "eurostat" / "nama_10r_3gdp.tsv.gz").read_bytes())
    sel = full[
        (full["unit"] == "EUR_HAB")
        & full["geo"].isin(["DE1", "DE2"])
        & full["time"].isin([2020, 2021])
    ]
    assert sorted(frame["value"]) == sorted(sel["value"])
    assert frame.attrs["provenance"]["dataset"] == "nama_10r_3gdp"


def test_filters_on_periods(hand_mirror):
    frame = datasets.fetch_dataset("quarterly_x", {"time": ["2020-Q2", "2020Q3"]})
    assert [str(p) for p in frame["time"]] == ["2020Q2", "2020Q3"] * 3
    with pytest.raises(SchemaError, match="2019-Q1"):
        datasets.fetch_dataset("quarterly_x", {"time": "2019-Q1"})
    with pytest.raises(SchemaError, match=r"period\[Q-DEC\]"):
        datasets.fetch_dataset("quarterly_x", {"time": "soon"})


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"country": "DE"}, "no dimension 'country'.*'unit', 'geo', 'time'"),
        ({"unit": "EUR"}, "unit 'EUR' not in .*'EUR_HAB'"),
        ({"geo": ["DE1", "XX9"]}, "geo 'XX9' not in"),
        ({"time": 1850}, "time 1850 not in .*2000–2021"),
        ({"time": 2020.5}, "years"),
        ({"time": True}, "years"),
        ({"unit": []}, "empty list"),
        ([("unit", "EUR_HAB")], "mapping"),
    ],
)
def test_bad_filters_name_the_value_and_the_allowed_ones(mirror, filters, message):
    with pytest.raises(SchemaError, match=message):
        datasets.fetch_dataset("nama_10r_3gdp", filters)


def test_implausible_code_touches_nothing(data_dir, no_fetch):
    with pytest.raises(SchemaError, match="not a valid Eurostat dataset code"):
        datasets.fetch_dataset("../../etc/passwd")
    assert not (data_dir / "raw").exists()


def test_corrupt_cache_is_refetched_never_returned(mirror):
    good = datasets.fetch_dataset("reg_area3")
    path = _cache_file("reg_area3")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.warns(RuntimeWarning, match="unusable.*fetching"):
        again = datasets.fetch_dataset("reg_area3")
    assert_frames_identical(again, good)
    cache.read_table(path)  # valid again


def test_corrupt_cache_and_failing_source_raises(mirror, monkeypatch):
    datasets.fetch_dataset("reg_area3")
    path = _cache_file("reg_area3")
    path.write_bytes(b"garbage")
    monkeypatch.setenv("REGIONGAP_MIRROR", str(mirror / "geo"))  # no eurostat/
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.warns(RuntimeWarning), pytest.raises(SourceError):
        datasets.fetch_dataset("reg_area3", allow_stale=True)


def test_refresh_refetches(mirror):
    first = datasets.fetch_dataset("reg_area3")
    second = datasets.fetch_dataset("reg_area3", refresh=True)
    assert_frames_identical(first, second)
    assert (
        second.attrs["provenance"]["retrieved_at"]
        >= (first.attrs["provenance"]["retrieved_at"])
    )


def test_failed_refresh_keeps_the_cache_and_raises(mirror, monkeypatch):
    datasets.fetch_dataset("reg_area3")
    path = _cache_file("reg_area3")
    before = path.read_bytes()
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    monkeypatch.delenv("REGIONGAP_MIRROR")
    with pytest.raises(OfflineError):
        datasets.fetch_dataset("reg_area3", refresh=True)
    assert path.read_bytes() == before


def test_failed_refresh_with_allow_stale_warns_with_the_date(mirror, monkeypatch):
    first = datasets.fetch_dataset("reg_area3")
    when = first.attrs["provenance"]["retrieved_at"]
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    monkeypatch.delenv("REGIONGAP_MIRROR")
    with pytest.warns(DataQualityWarning, match=re.escape(f"retrieved {when}")):
        stale = datasets.fetch_dataset(
            "reg_area3", {"geo": "AT"}, refresh=True, allow_stale=True
        )
    assert set(stale["geo"]) == {"AT"}
    assert stale.attrs["provenance"]["retrieved_at"] == when


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "html"),
        (gzip.compress(QUARTERLY, mtime=0)[:-20], "truncated gzip"),
        (DUPLICATE, "duplicate keys"),
        (b"just,some,csv\n1,2,3\n", "not sdmx"),
    ],
)
def test_unparseable_bytes_are_a_source_error_and_nothing_is_cached(
    hand_mirror, content, why
):
    path = hand_mirror / "eurostat" / "broken_x.tsv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        datasets.fetch_dataset("broken_x")
    msg = str(info.value)
    assert "'broken_x'" in msg and str(path) in msg
    assert isinstance(info.value.__cause__, SchemaError)
    assert not _cache_file("broken_x").exists()


def test_bad_refresh_keeps_previous_cache(hand_mirror):
    good = datasets.fetch_dataset("quarterly_x")
    before = _cache_file("quarterly_x").read_bytes()
    (hand_mirror / "eurostat" / "quarterly_x.tsv.gz").write_bytes(b"<html></html>")
    with pytest.raises(SourceError):
        datasets.fetch_dataset("quarterly_x", refresh=True)
    assert _cache_file("quarterly_x").read_bytes() == before
    assert_frames_identical(datasets.fetch_dataset("quarterly_x"), good)


def test_offline_with_nothing_cached(data_dir, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.raises(OfflineError, match="REGIONGAP_MIRROR"):
        datasets.fetch_dataset("nama_10r_3gdp")
    assert not _cache_file("nama_10r_3gdp").exists()


def test_offline_with_a_cache_needs_no_network(mirror, monkeypatch):
    first = datasets.fetch_dataset("reg_area3")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    monkeypatch.delenv("REGIONGAP_MIRROR")
    assert_frames_identical(datasets.fetch_dataset("reg_area3"), first)


def test_explicit_cache_dir(mirror, tmp_path):
    datasets.fetch_dataset("reg_area3", cache_dir=tmp_path / "c")
    assert (tmp_path / "c" / "eurostat" / "reg_area3.parquet").is_file()
    assert not _cache_file("reg_area3").exists()


def test_frame_comparison_helper_sees_differences():
    frame = sdmx.parse(QUARTERLY)
    assert_frames_identical(frame, frame.copy())
    changed = frame.copy()
    changed.loc[0, "value"] = 1.25
    reordered = frame.copy()
    reordered["unit"] = reordered["unit"].cat.reorder_categories(["THS", "PC"])
    flagged = frame.copy()
    flagged.loc[0, "flag"] = "e"
    for other in (changed, reordered, flagged, frame.iloc[:-1]):
        with pytest.raises(AssertionError):
            assert_frames_identical(frame, other)


def test_public_name():
    import regiongap

    assert regiongap.fetch_dataset is datasets.fetch_dataset


def test_frame_read_from_the_cache_can_be_assigned_into(mirror):
    datasets.fetch_dataset("nama_10r_3gdp")
    frame = datasets.fetch_dataset("nama_10r_3gdp")  # from the cache
    first = frame.loc[1, "geo"]
    frame.loc[0, "geo"] = first
    frame.loc[0, "value"] = 1.5
    frame.loc[0, "time"] = 1999
    frame.loc[0, "flag"] = "p"
    assert frame.loc[0, ["geo", "value", "time", "flag"]].tolist() == [
        first,
        1.5,
        1999,
        "p",
    ]
