"""regiongap.cache.contents: list the cache's files and clear them."""

from __future__ import annotations

import pytest

from regiongap.cache import contents
from regiongap.cache import store as cache
from regiongap.errors import SchemaError
from tests.cache.test_store import PROV, _table


@pytest.fixture
def path(data_dir):
    return cache.cache_path("eurostat", "demo")


def test_cache_list_reports_each_file(data_dir, path):
    assert contents.cache_list().empty
    cache.write_table(path, _table(), PROV)
    bad = cache.cache_path("gisco", "broken")
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"PAR1 nonsense PAR1")
    frame = contents.cache_list()
    assert list(frame.columns) == [
        "kind", "name", "path", "size", "retrieved_at", "source", "location",
        "last_update", "valid", "problem",
    ]  # fmt: skip
    assert frame.set_index("name")["valid"].to_dict() == {"demo": True, "broken": False}
    good = frame.set_index("name").loc["demo"]
    assert good["retrieved_at"] == PROV["retrieved_at"]
    assert good["source"] == "api" and good["last_update"] == PROV["last_update"]
    assert good["size"] == path.stat().st_size
    assert "unusable" in frame.set_index("name").loc["broken", "problem"]
    assert list(contents.cache_list(kind="gisco")["name"]) == ["broken"]
    assert contents.cache_list(verify=False).set_index("name").loc["demo", "valid"]


def test_cache_clear_deletes_only_regiongap_files(data_dir, path):
    cache.write_table(path, _table(), PROV)
    cache.write_table(cache.cache_path("eurostat", "other"), _table(), PROV)
    cache.write_table(cache.cache_path("gisco", "shapes"), _table(), PROV)
    mine = data_dir / "raw" / "eurostat" / "notes.txt"
    mine.write_text("keep me")
    outside = data_dir / "raw" / "elsewhere.parquet"
    outside.write_bytes(b"x")
    assert contents.cache_clear(kind="eurostat", name="other") == 1
    assert contents.cache_clear(kind="gisco") == 1
    assert contents.cache_clear() == 1
    assert contents.cache_clear() == 0
    assert mine.read_text() == "keep me"
    assert outside.exists()
    with pytest.raises(SchemaError):
        contents.cache_clear(kind="nope")
