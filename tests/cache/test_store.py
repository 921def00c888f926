"""regiongap.cache.store: atomic, verified Parquet files with provenance in metadata."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from regiongap.cache import contents
from regiongap.cache import store as cache
from regiongap.errors import CacheError, SchemaError

PROJECT = Path(__file__).resolve().parents[2]

PROV = {
    "dataset": "demo",
    "source": "api",
    "location": "http://example.invalid/demo",
    "retrieved_at": "2024-01-02T03:04:05+00:00",
    "sha256": "0" * 64,
    "last_update": "2023-12-31T00:00:00",
}


def _table(n: int = 1000, seed: int = 0) -> pa.Table:
    frame = pd.DataFrame(
        {
            "unit": pd.Categorical(["EUR", "PPS"] * (n // 2)),
            "geo": pd.Categorical([f"R{i % 37:02d}" for i in range(n)]),
            "time": pd.Series(range(n), dtype="int64") + seed,
            "value": pd.Series(range(n), dtype="float64") * 0.5,
            "flag": pd.array(["p" if i % 3 else None for i in range(n)], "string"),
        }
    )
    return pa.Table.from_pandas(frame, preserve_index=False)


@pytest.fixture
def path(data_dir):
    return cache.cache_path("eurostat", "demo")


def test_cache_path_layout(data_dir, tmp_path):
    assert cache.cache_path("eurostat", "nama_10r_3gdp") == (
        data_dir / "raw" / "eurostat" / "nama_10r_3gdp.parquet"
    )
    assert cache.cache_path("gisco", "x", cache_dir=tmp_path) == (
        tmp_path / "gisco" / "x.parquet"
    )


@pytest.mark.parametrize(
    "name", ["../etc", "a/b", ".hidden", "", "a..b", "x" * 200, "a b", 3, "a\\b", "x\n"]
)
def test_cache_path_rejects_names_that_could_escape(name):
    with pytest.raises(SchemaError, match="not allowed"):
        cache.cache_path("eurostat", name)


def test_cache_path_rejects_unknown_kind():
    with pytest.raises(SchemaError, match="eurostat, gisco, toc"):
        cache.cache_path("tmp", "x")


def test_round_trip_keeps_data_metadata_and_provenance(path):
    table = _table().replace_schema_metadata(
        {**_table().schema.metadata, b"geo": b'{"version": "1.0.0"}'}
    )
    cache.write_table(path, table, PROV)
    back, prov = cache.read_table(path)
    assert back.to_pydict() == table.to_pydict()
    pd.testing.assert_frame_equal(back.to_pandas(), table.to_pandas())
    assert back.schema.metadata[b"geo"] == b'{"version": "1.0.0"}'
    assert b"pandas" in back.schema.metadata
    assert cache.METADATA_KEY not in back.schema.metadata
    for key, value in PROV.items():
        assert prov[key] == value
    assert prov["schema_version"] == cache.SCHEMA_VERSION
    assert len(prov["content_sha256"]) == 64
    assert prov["regiongap_version"]
    # the provenance sits in the file's key-value metadata, beside the others
    kv = pq.read_metadata(path).metadata
    assert {b"geo", b"pandas", b"regiongap"} <= set(kv)
    assert json.loads(kv[b"regiongap"])["dataset"] == "demo"


def test_content_checksum_covers_the_bytes_before_the_footer(path):
    import hashlib
    import struct

    cache.write_table(path, _table(), PROV)
    data = path.read_bytes()
    (footer,) = struct.unpack("<I", data[-8:-4])
    _, prov = cache.read_table(path)
    expected = hashlib.sha256(data[: len(data) - 8 - footer]).hexdigest()
    assert prov["content_sha256"] == expected


def test_rewriting_a_read_table_replaces_the_old_provenance(path):
    cache.write_table(path, _table(), PROV)
    table, _ = cache.read_table(path)
    cache.write_table(path, table, {**PROV, "dataset": "again"})
    _, prov = cache.read_table(path)
    assert prov["dataset"] == "again"


def test_write_rejects_bad_arguments(path):
    with pytest.raises(SchemaError, match=r"pyarrow\.Table"):
        cache.write_table(path, pd.DataFrame({"a": [1]}), PROV)
    with pytest.raises(SchemaError, match="mapping"):
        cache.write_table(path, _table(), [("a", 1)])
    with pytest.raises(SchemaError, match="JSON"):
        cache.write_table(path, _table(), {"when": object()})
    assert not path.exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:-1], id="last-byte-missing"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b"<html>not parquet</html>" * 10, id="garbage"),
        pytest.param(lambda b: b[:200] + bytes([b[200] ^ 0xFF]) + b[201:], id="flip"),
        pytest.param(
            lambda b: b[:4] + b"\0" * (len(b) - 12) + b[-8:], id="zeroed-data"
        ),
    ],
)
def test_damaged_files_are_refused(path, damage):
    cache.write_table(path, _table(), PROV)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(CacheError, match="unusable") as info:
        cache.read_table(path)
    assert str(path) in str(info.value)


def test_file_without_provenance_is_refused(path):
    path.parent.mkdir(parents=True)
    pq.write_table(_table(), path)
    with pytest.raises(CacheError, match="no regiongap provenance"):
        cache.read_table(path)


def test_malformed_provenance_is_refused(path):
    path.parent.mkdir(parents=True)
    table = _table()
    pq.write_table(table.replace_schema_metadata({b"regiongap": b"{not json"}), path)
    with pytest.raises(CacheError, match="not valid JSON"):
        cache.read_table(path)
    pq.write_table(table.replace_schema_metadata({b"regiongap": b"[1, 2]"}), path)
    with pytest.raises(CacheError, match="not a JSON object"):
        cache.read_table(path)


def test_other_schema_version_is_refused(path, monkeypatch):
    monkeypatch.setattr(cache, "SCHEMA_VERSION", 0)
    cache.write_table(path, _table(), PROV)
    monkeypatch.undo()
    with pytest.raises(CacheError, match="schema version 0"):
        cache.read_table(path)


def test_provenance_of_another_file_does_not_match(path):
    cache.write_table(path, _table(seed=0), PROV)
    meta = pq.read_metadata(path).metadata[b"regiongap"]
    other = _table(seed=1).replace_schema_metadata({b"regiongap": meta})
    pq.write_table(other, path)
    with pytest.raises(CacheError, match="checksum does not match"):
        cache.read_table(path)


def test_missing_file_is_a_cache_error(path):
    with pytest.raises(CacheError, match="cannot read"):
        cache.read_table(path)


def test_failed_write_leaves_the_old_file_and_no_temp(path, monkeypatch):
    cache.write_table(path, _table(seed=0), PROV)
    before = path.read_bytes()

    def boom(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", boom)
    with pytest.raises(CacheError, match="No space left"):
        cache.write_table(path, _table(seed=1), PROV)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_killed_writer_leaves_the_old_file_intact(path):
    """A process killed after writing its temp file, before the rename."""
    cache.write_table(path, _table(seed=0), PROV)
    before = path.read_bytes()
    code = f"""
import os, pathlib
import regiongap.cache.store as cache
from tests.cache.test_store import _table, PROV
pathlib.Path.replace = lambda self, target: os._exit(9)   # killed right here
cache.write_table(pathlib.Path({str(path)!r}), _table(seed=5), PROV)
"""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, check=False)
    assert done.returncode == 9
    assert path.read_bytes() == before
    cache.read_table(path)
    leftovers = [p for p in path.parent.iterdir() if p.suffix == ".tmp"]
    assert len(leftovers) == 1
    # cache_clear removes such leftovers once they are old, and keeps fresh ones
    assert contents.cache_clear(kind="gisco") == 0
    assert leftovers[0].exists()
    old = time.time() - 2 * 3600
    os.utime(leftovers[0], (old, old))
    contents.cache_clear(kind="eurostat", name="not-this-one")
    assert not leftovers[0].exists()
    assert path.exists()


def _writer(args):
    path, seed, rounds = args
    for _ in range(rounds):
        cache.write_table(path, _table(n=20_000, seed=seed), {**PROV, "seed": seed})
    return seed


def test_two_processes_writing_one_file_both_succeed(path, monkeypatch):
    path.parent.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(PROJECT))  # spawned children import this module
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        done = pool.map_async(_writer, [(path, 1, 5), (path, 2, 5)]).get(timeout=120)
    assert done == [1, 2]
    table, prov = cache.read_table(path)
    assert table.to_pydict() == _table(n=20_000, seed=prov["seed"]).to_pydict()
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_write_settings_per_column_type(path):
    cache.write_table(path, _table(), PROV)
    meta = pq.ParquetFile(path).metadata
    chunks = {
        meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i)
        for i in range(meta.num_columns)
    }
    assert {c.compression for c in chunks.values()} == {"LZ4"}
    assert not any(c.is_stats_set for c in chunks.values())
    assert "BYTE_STREAM_SPLIT" in chunks["value"].encodings
    assert not chunks["value"].has_dictionary_page
    for name in ("unit", "geo", "time", "flag"):
        assert chunks[name].has_dictionary_page, name


def test_a_flipped_byte_in_any_column_chunk_is_caught(path):
    cache.write_table(path, _table(5000), PROV)
    meta = pq.ParquetFile(path).metadata
    data = path.read_bytes()
    for i in range(meta.num_columns):
        chunk = meta.row_group(0).column(i)
        start = chunk.dictionary_page_offset or chunk.data_page_offset
        where = start + chunk.total_compressed_size // 2
        path.write_bytes(data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1 :])
        with pytest.raises(CacheError, match=r"checksum|unreadable"):
            cache.read_table(path)
    path.write_bytes(data)
    cache.read_table(path)  # the undamaged bytes are still valid


def test_narrow_integer_columns_are_not_dictionary_encoded(path):
    import numpy as np

    codes = pa.array(np.arange(3000, dtype=np.int8) % 7)
    years = pa.array(np.arange(3000, dtype=np.int64) % 40 + 1980)
    cache.write_table(path, pa.table({"codes": codes, "year": years}), PROV)
    group = pq.ParquetFile(path).metadata.row_group(0)
    assert not group.column(0).has_dictionary_page
    assert group.column(1).has_dictionary_page
    assert cache.read_table(path)[0].equals(pa.table({"codes": codes, "year": years}))


# ------------------------------------------------------------------ atomic_write
def test_atomic_write_writes_text_and_bytes_with_usual_permissions(tmp_path):
    target = tmp_path / "new" / "page.html"
    cache.atomic_write(target, "<p>é</p>")
    assert target.read_bytes() == "<p>é</p>".encode()
    cache.atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_atomic_write_failure_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    cache.atomic_write(target, "old")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        cache.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


@pytest.mark.parametrize("data", [None, 3, ["a"]])
def test_atomic_write_needs_bytes_or_text(tmp_path, data):
    with pytest.raises(SchemaError, match="bytes or str"):
        cache.atomic_write(tmp_path / "x", data)
    assert not (tmp_path / "x").exists()


def test_atomic_write_killed_before_the_rename_leaves_the_old_file(tmp_path):
    target = tmp_path / "page.html"
    cache.atomic_write(target, "old")
    code = f"""
import os, pathlib
from regiongap.cache import store
pathlib.Path.replace = lambda self, target: os._exit(9)   # killed right here
store.atomic_write({str(target)!r}, "new")
"""
    done = subprocess.run([sys.executable, "-c", code], check=False)
    assert done.returncode == 9
    assert target.read_text() == "old"
