"""Frames kept in memory between reads of the same verified cache file.

A warm read still reads and verifies the whole file; only the decoding is skipped
when the process holds the frame made from the same bytes. The frames are the same,
bit for bit, whichever way they come (parse, memory, decoded from the file), and a
caller can never change what the next caller gets.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from regiongap import sdmx
from regiongap.cache import store as cache
from regiongap.load.boundaries import nuts_regions
from regiongap.load.datasets import fetch_dataset
from tests.support import assert_frames_identical, frame_digest

#: one real mirror file per format: old TSV, new TSV, SDMX-CSV 1.0, SDMX-CSV 2.0
CODES = ["nama_10r_3gdp", "demo_r_pjanaggr3", "isoc_r_iacc_h", "tgs00042"]


def _parsed(mirror_path, code):
    path = next((mirror_path / "eurostat").glob(f"{code}.*"))
    return sdmx.parse(path.read_bytes())


def _same(left, right):
    assert_frames_identical(left, right)
    assert {k: v for k, v in left.attrs.items() if k != "provenance"} == {
        k: v for k, v in right.attrs.items() if k != "provenance"
    }
    assert left.attrs["provenance"] == right.attrs["provenance"]


@pytest.mark.mirror
@pytest.mark.parametrize("code", CODES)
def test_the_frame_is_the_same_from_parse_memory_and_file(
    mirror, mirror_path, monkeypatch, code
):
    cold = fetch_dataset(code)  # parsed, written, kept
    warm = fetch_dataset(code)  # verified, from memory
    monkeypatch.setenv("REGIONGAP_MEMORY_CACHE", "0")
    decoded = fetch_dataset(code)  # verified and decoded from the file
    expected = _parsed(mirror_path, code)
    assert_frames_identical(cold, expected)
    _same(warm, cold)
    _same(decoded, cold)
    assert cold.attrs["format"] == expected.attrs["format"]
    if code == "tgs00042":
        assert warm.attrs["labels"] == expected.attrs["labels"]
        assert decoded.attrs["labels"] == expected.attrs["labels"]


@pytest.mark.mirror
def test_a_caller_cannot_change_what_the_next_caller_gets(mirror):
    first = fetch_dataset("reg_area3")
    before = first.copy(deep=True)
    first.loc[0, "value"] = -1.0
    first["geo"] = first["geo"].cat.rename_categories(lambda c: c.lower())
    first.attrs["format"] = "changed"
    first.attrs["provenance"]["source"] = "changed"
    again = fetch_dataset("reg_area3")
    assert_frames_identical(again, before)
    assert again.attrs["format"] != "changed"
    assert again.attrs["provenance"]["source"] == "mirror"
    third = fetch_dataset("reg_area3")
    third["value"] *= 2
    assert_frames_identical(fetch_dataset("reg_area3"), before)


@pytest.mark.mirror
def test_filters_from_memory_match_filters_from_the_file(mirror, monkeypatch):
    filters = {"geo": ["AT1", "DE3"], "time": [2020, 2021]}
    fetch_dataset("reg_area3")
    warm = fetch_dataset("reg_area3", filters)
    monkeypatch.setenv("REGIONGAP_MEMORY_CACHE", "0")
    _same(warm, fetch_dataset("reg_area3", filters))


@pytest.mark.mirror
def test_a_file_changed_by_another_writer_is_read_again(mirror):
    fetch_dataset("reg_area3")
    path = cache.cache_path("eurostat", "reg_area3")
    table, provenance = cache.read_table(path)
    values = table["value"].to_numpy(zero_copy_only=False) + 1
    changed = table.set_column(
        table.column_names.index("value"), "value", pa.array(values)
    )
    cache.write_table(path, changed, provenance)  # what a refresh elsewhere does
    again = fetch_dataset("reg_area3")
    assert np.array_equal(again["value"].to_numpy(), values, equal_nan=True)


@pytest.mark.mirror
def test_shapes_from_memory_are_copies(mirror):
    first = nuts_regions(0)
    first.loc[0, "region_name"] = "changed"
    again = nuts_regions(0)
    assert "changed" not in set(again["region_name"])
    assert again.attrs["provenance"]["source"] == "mirror"


def test_a_bad_memory_setting_names_the_variable(monkeypatch):
    from regiongap import config
    from regiongap.errors import SchemaError

    monkeypatch.setenv("REGIONGAP_MEMORY_CACHE", "lots")
    with pytest.raises(SchemaError, match="REGIONGAP_MEMORY_CACHE='lots'"):
        config.memory_cache_bytes()


#: digests of the frames as the parser gave them before the cold and warm paths were
#: made faster (commit 2d38ba0): the frames must stay the same, bit for bit
RECORDED = {
    "nama_10r_3gdp.tsv.gz": "42531eff2da38cac",
    "demo_r_pjanaggr3.tsv.gz": "d76566b568726781",
    "reg_area3.tsv.gz": "9b01e2010586b524",
    "alt/nama_10r_2gdp.2017.tsv.gz": "54a4106e26607919",
    "alt/demo_r_pjanaggr3.2023-10.tsv.gz": "82b2294bfc281810",
    "isoc_r_iacc_h.csv.gz": "36c120b0c9b8f692",
    "nama_10r_2gdp.csv.gz": "d1c15ed025b54dd0",
    "tgs00042.csv.gz": "8845aefc5c9fb861",
    "alt/nama_10r_2gdp.2026-02.csv.gz": "7f1853e50cd2149f",
}


@pytest.mark.mirror
@pytest.mark.parametrize("relative", list(RECORDED))
def test_frames_are_bit_identical_before_and_after(
    mirror, mirror_path, monkeypatch, relative
):
    assert (
        frame_digest(sdmx.parse((mirror_path / "eurostat" / relative).read_bytes()))
        == (RECORDED[relative])
    )
    if relative.startswith("alt/"):
        return  # not a dataset the mirror serves under its code
    code = relative.split(".", 1)[0]
    assert frame_digest(fetch_dataset(code)) == RECORDED[relative]  # cold
    assert frame_digest(fetch_dataset(code)) == RECORDED[relative]  # kept in memory
    monkeypatch.setenv("REGIONGAP_MEMORY_CACHE", "0")
    assert frame_digest(fetch_dataset(code)) == RECORDED[relative]  # decoded
