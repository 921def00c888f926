"""regiongap.cache.codec: a parsed frame to an Arrow table and back, exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from regiongap import sdmx
from regiongap.cache import codec
from regiongap.cache import store as cache
from regiongap.errors import CacheError
from tests.load.test_datasets import MONTHLY, QUARTERLY
from tests.support import assert_frames_identical


def test_unused_categories_are_kept_in_the_cache(tmp_path):
    frame = sdmx.parse(QUARTERLY)
    frame["unit"] = frame["unit"].cat.add_categories(["ZZZ"])
    table, extra = codec.to_table(frame)
    back = codec.to_frame(table, extra, "memory")
    assert_frames_identical(back, frame)


def _sdmx_fixtures():
    from pathlib import Path

    folder = Path(__file__).parents[1] / "data" / "sdmx"
    return sorted(p for p in folder.iterdir() if p.suffix in (".tsv", ".csv"))


@pytest.mark.parametrize("path", _sdmx_fixtures(), ids=lambda p: p.name)
def test_every_parse_output_round_trips_through_the_cache_file(path, tmp_path):
    frame = sdmx.parse(path.read_bytes(), name=path.name)
    target = tmp_path / "x.parquet"
    table, extra = codec.to_table(frame)
    cache.write_table(target, table, {"dataset": "x", **extra})
    stored, prov = cache.read_table(target)
    back = codec.to_frame(stored, prov, target)
    assert_frames_identical(back, frame)
    assert [str(t) for t in back.dtypes] == [str(t) for t in frame.dtypes]
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            assert back[name].cat.categories.dtype == frame[name].cat.categories.dtype


@pytest.mark.parametrize("data", [QUARTERLY, MONTHLY], ids=["quarterly", "monthly"])
def test_period_time_and_missing_categories_round_trip(data, tmp_path):
    frame = sdmx.parse(data)
    frame["geo"] = frame["geo"].cat.add_categories(["ZZ9"])
    frame.loc[1, "geo"] = None  # a missing code (-1) survives too
    table, extra = codec.to_table(frame)
    back = codec.to_frame(table, extra, "memory")
    assert isinstance(back["time"].dtype, pd.PeriodDtype)
    assert back["geo"].isna().sum() == 1
    assert_frames_identical(back, frame)


def test_dimensions_are_stored_as_codes_with_a_checksummed_layout():
    frame = sdmx.parse(QUARTERLY)
    table, extra = codec.to_table(frame)
    assert str(table.schema.field("geo").type) == "int8"
    assert extra["categories"]["geo"] == ["AT1", "DE1"]
    assert extra["layout_sha256"] == codec.layout_digest(extra)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["categories"].update(geo=["DE1", "AT1"]), "checksum"),
        (lambda p: p["dtypes"].update(value="float32"), "checksum"),
        (lambda p: p.update(attrs={"format": "csv"}), "checksum"),
        (lambda p: p.pop("layout"), "layout"),
        (lambda p: p.update(layout=1), "layout"),
    ],
    ids=["categories", "dtypes", "attrs", "no-layout", "old-layout"],
)
def test_changed_or_old_layout_records_are_refused(change, message):
    import copy

    table, extra = codec.to_table(sdmx.parse(QUARTERLY))
    prov = copy.deepcopy(extra)
    change(prov)
    with pytest.raises(CacheError, match=message):
        codec.to_frame(table, prov, "memory")


def test_codes_outside_the_categories_are_refused():
    import pyarrow as pa

    table, extra = codec.to_table(sdmx.parse(QUARTERLY))
    index = table.column_names.index("geo")
    bad = table.set_column(index, "geo", pa.array([5] * len(table), pa.int8()))
    with pytest.raises(CacheError, match="does not hold a regiongap dataset"):
        codec.to_frame(bad, extra, "memory")


def test_a_table_can_be_turned_into_a_frame_twice():
    frame = sdmx.parse(QUARTERLY)
    table, extra = codec.to_table(frame)
    codec.to_frame(table, extra, "memory")
    assert_frames_identical(codec.to_frame(table, extra, "memory"), frame)
