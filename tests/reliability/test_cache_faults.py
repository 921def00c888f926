"""Cache faults: damaged files are detected, re-fetched and never returned as data.

A real dataset is fetched into the cache (through the loopback API or from the
mirror folder), its cache file is then damaged in one of several ways, and the
dataset is fetched again. Each case checks that

* the damage is detected (a :class:`RuntimeWarning` naming the file),
* the dataset is fetched again (one more request to the API, for the API source),
* the frame returned equals a fresh parse of the source bytes (never the damage),
* afterwards the cache file is valid again (:func:`regiongap.cache.store.read_table`).

When the source fails too, a damaged file is not a stale copy: even with
``allow_stale=True`` the caller gets the source's error, never the damaged data.

A writer process is killed with SIGKILL at several points in the middle of a large
write: the previous file must still read, with its content unchanged. A cache write
that fails (disk full, no permission…) must still return the fresh data, with a
warning, and leave the previous file as it was. Data revised at the source replace
the cached copy on refresh, and only then.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from regiongap import sdmx
from regiongap.cache import store as cache
from regiongap.errors import CacheError, OfflineError, SourceError
from regiongap.load.datasets import fetch_dataset
from tests.reliability.conftest import CODE, frame_digest
from tests.support.fake_eurostat import faults

PROJECT = Path(__file__).resolve().parents[2]


def _rewrite_meta(path: Path, change) -> None:
    """Rewrite *path* as plain Parquet with its provenance passed through *change*."""
    table = pq.read_table(path)
    prov = json.loads(pq.read_metadata(path).metadata[cache.METADATA_KEY])
    new = change(table, prov)
    if isinstance(new, tuple):
        table, prov = new
    else:
        prov = new
    meta = dict(table.schema.metadata or {})
    if prov is None:
        meta.pop(cache.METADATA_KEY, None)
    else:
        meta[cache.METADATA_KEY] = json.dumps(prov).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))


def _other_values(path: Path) -> None:
    """Same schema and provenance, different numbers: the checksum must catch it."""

    def change(table, prov):
        values = pa.compute.multiply(table["value"], 2.0)
        index = table.schema.get_field_index("value")
        return table.set_column(index, "value", values), prov

    _rewrite_meta(path, change)


def _older_schema(path: Path) -> None:
    """A valid cache file whose provenance says an older cache schema version."""
    table, prov = cache.read_table(path)
    real = cache.SCHEMA_VERSION
    cache.SCHEMA_VERSION = real - 1
    try:
        cache.write_table(path, table, dict(prov))
    finally:
        cache.SCHEMA_VERSION = real
    assert json.loads(pq.read_metadata(path).metadata[cache.METADATA_KEY])[
        "schema_version"
    ] == (real - 1)


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "something.txt").write_text("a folder where the cache file belongs")


def _not_a_dataset(path: Path) -> None:
    """A valid regiongap cache file that does not hold a dataset's layout."""
    cache.write_table(path, pa.table({"x": [1, 2, 3]}), {"dataset": CODE})


def _wrong_categories(path: Path) -> None:
    """Valid checksum, but the recorded categories do not match the data."""
    table, prov = cache.read_table(path)
    first = next(iter(prov["categories"]))
    prov = {**prov, "categories": {**prov["categories"], first: ["ZZZ"]}}
    cache.write_table(path, table, prov)


DAMAGES = {
    "truncated-half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "truncated-footer": lambda p: p.write_bytes(p.read_bytes()[:-5]),
    "garbage-bytes": lambda p: p.write_bytes(os.urandom(4096)),
    "html-in-file": lambda p: p.write_bytes(b"<html><body>502</body></html>"),
    "empty-file": lambda p: p.write_bytes(b""),
    "flipped-byte": _flip,
    "checksum-mismatch": _other_values,
    "no-provenance": lambda p: _rewrite_meta(p, lambda t, prov: None),
    "provenance-not-json": lambda p: _rewrite_meta(p, lambda t, prov: "{not json"),
    "older-schema-version": _older_schema,
    "not-a-dataset": _not_a_dataset,
    "categories-mismatch": _wrong_categories,
    "directory-in-place": _directory,
}


@pytest.fixture(params=["api", "mirror"])
def source(request, monkeypatch, mirror_path):
    """Where the data comes from: the loopback API or the mirror folder."""
    if request.param == "mirror":
        monkeypatch.setenv("REGIONGAP_MIRROR", str(mirror_path))
        return None
    return request.getfixturevalue("api")


def _fresh(mirror_path: Path):
    return sdmx.parse((mirror_path / "eurostat" / f"{CODE}.tsv.gz").read_bytes())


def _requests(api) -> int:
    return 0 if api is None else api.count("/data/")


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_cache_is_refetched_never_returned(source, mirror_path, damage):
    api = source
    path = cache.cache_path("eurostat", CODE)
    good = fetch_dataset(CODE)
    expected = frame_digest(_fresh(mirror_path))
    assert frame_digest(good) == expected
    before = _requests(api)
    DAMAGES[damage](path)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = fetch_dataset(CODE)
    # detected; a folder in the way is also reported as not cached
    expected_warnings = 2 if damage == "directory-in-place" else 1
    assert [w.category for w in caught] == [RuntimeWarning] * expected_warnings
    assert str(path) in str(caught[0].message)
    if damage == "directory-in-place":
        assert "without caching it" in str(caught[1].message)
    if api is not None:
        assert _requests(api) == before + 1
    assert frame_digest(again) == expected
    assert again.attrs["provenance"]["source"] == ("mirror" if api is None else "api")
    if damage == "directory-in-place":
        # never deleted (it may hold someone's files); the data still comes back
        assert (path / "something.txt").is_file()
    else:
        _, prov = cache.read_table(path)
        assert prov["sha256"] == again.attrs["provenance"]["sha256"]
        # and the repaired cache serves the next call without the source
        assert frame_digest(fetch_dataset(CODE)) == expected
        if api is not None:
            assert _requests(api) == before + 1


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_cache_is_no_stale_copy(api, waits, damage):
    path = cache.cache_path("eurostat", CODE)
    fetch_dataset(CODE)
    DAMAGES[damage](path)
    api.add_fault(faults.status(503), times=10)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(SourceError) as info:
            fetch_dataset(CODE, allow_stale=True)
    assert type(info.value).__module__.startswith("regiongap")
    assert api.data_url(CODE) in str(info.value)
    assert [w.category for w in caught] == [RuntimeWarning]


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_cache_offline_is_an_offline_error(api, monkeypatch, damage):
    path = cache.cache_path("eurostat", CODE)
    fetch_dataset(CODE)
    DAMAGES[damage](path)
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    api.reset_log()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(OfflineError, match=CODE):
            fetch_dataset(CODE)
    assert api.count() == 0


# --------------------------------------------------------------- killed writer
_WRITER = """
import sys
import numpy as np
import pyarrow as pa
from regiongap.cache import store as cache

rows = int(sys.argv[2])
rng = np.random.default_rng(7)
table = pa.table({
    "geo": pa.array(rng.integers(0, 1 << 40, rows)).cast(pa.string()),
    "value": rng.random(rows),
})
print("ready", flush=True)
while True:  # keep rewriting until killed
    cache.write_table(sys.argv[1], table, {"dataset": "big", "rows": rows})
"""


def _temp_files(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


#: when to kill the writer: once its temp file exists and holds this many bytes
KILL_POINTS = {"temp-created": 0, "temp-1MB": 1 << 20, "temp-8MB": 8 << 20}


@pytest.mark.parametrize("at", list(KILL_POINTS))
def test_sigkill_mid_write_leaves_the_old_file_intact(tmp_path, at):
    path = tmp_path / "eurostat" / "old.parquet"
    old = pa.table({"geo": ["AT1", "BE2", "CZ0"], "value": [1.5, 2.5, float("nan")]})
    cache.write_table(path, old, {"dataset": "old"})
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(1_500_000)],
        env=env,
        stdout=subprocess.PIPE,
    )
    try:
        assert proc.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 30
        killed_at = None
        while time.monotonic() < deadline and killed_at is None:
            for tmp in _temp_files(path):
                try:
                    size = tmp.stat().st_size
                except FileNotFoundError:
                    continue
                if size >= KILL_POINTS[at]:
                    proc.send_signal(signal.SIGKILL)
                    killed_at = size
                    break
        assert killed_at is not None, "the writer never got that far"
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    # the old file is there, unchanged, and still reads
    assert path.read_bytes() == before
    table, prov = cache.read_table(path)
    assert table.to_pandas().equals(old.to_pandas()) and prov["dataset"] == "old"
    # the killed process's lock is gone with it: the next writer is not blocked
    started = time.monotonic()
    cache.write_table(path, old.slice(0, 2), {"dataset": "next"})
    assert time.monotonic() - started < 5
    assert cache.read_table(path)[1]["dataset"] == "next"
    shutil.rmtree(tmp_path / "eurostat")


def test_cache_error_is_the_librarys_own(tmp_path):
    """read_table on the damages above raises CacheError, never a pyarrow error."""
    path = cache.cache_path("eurostat", "x", tmp_path)
    raised = []
    for name, damage in DAMAGES.items():
        if name in ("not-a-dataset", "categories-mismatch"):
            continue  # valid cache files; fetch_dataset refuses their layout
        cache.write_table(path, pa.table({"value": [1.0, 2.0]}), {"dataset": "x"})
        damage(path)
        with pytest.raises(CacheError) as info:
            cache.read_table(path)
        assert str(path) in str(info.value)
        raised.append(name)
        if path.is_dir():
            shutil.rmtree(path)
    assert len(raised) == len(DAMAGES) - 2


# ------------------------------------------------------------ failed cache writes
WRITE_ERRORS = {
    "disk-full": errno.ENOSPC,
    "quota": errno.EDQUOT,
    "permission": errno.EACCES,
    "read-only": errno.EROFS,
    "io-error": errno.EIO,
}


@pytest.mark.parametrize("previous", [False, True], ids=["no-cache", "cached"])
@pytest.mark.parametrize("name", list(WRITE_ERRORS))
def test_failed_cache_write_returns_fresh_data_and_keeps_the_old_file(
    api, mirror_path, monkeypatch, name, previous
):
    path = cache.cache_path("eurostat", CODE)
    before = None
    if previous:
        fetch_dataset(CODE)
        before = path.read_bytes()
    code = WRITE_ERRORS[name]

    def fail(self, *args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(pq.ParquetWriter, "write_table", fail)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = fetch_dataset(CODE, refresh=previous)
    assert [w.category for w in caught] == [RuntimeWarning]
    said = str(caught[0].message)
    assert os.strerror(code) in said and "without caching it" in said
    assert frame_digest(frame) == frame_digest(_fresh(mirror_path))
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    if previous:
        assert path.read_bytes() == before
    else:
        assert not path.exists()


# ----------------------------------------------------------- revised by Eurostat
def _tsv(values: tuple[str, str]) -> bytes:
    """A hand-made two-region dataset in the real SDMX-TSV layout."""
    return (
        "freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \n"
        f"A,KM2,AT1\t{values[0]}\t{values[1]}\n"
        "A,KM2,AT2\t5 \t6 p\n"
    ).encode()


def test_revised_data_replace_the_cache_only_on_refresh(tmp_path, monkeypatch):
    """Eurostat revises without notice: the cache keeps what was fetched until a
    refresh, then holds the revision, with its own checksum."""
    from tests.support.fake_eurostat import FakeEurostat

    served = tmp_path / "revised.tsv"
    served.write_bytes(_tsv(("1 ", "2 ")))
    with FakeEurostat(datasets={"revised_x": served}) as srv:
        monkeypatch.setenv("REGIONGAP_EUROSTAT_API", srv.base_url)
        first = fetch_dataset("revised_x")
        served.write_bytes(_tsv(("1.5 ", "2.5 r")))
        cached = fetch_dataset("revised_x")
        assert srv.count("/data/") == 1
        assert frame_digest(cached) == frame_digest(first)
        revised = fetch_dataset("revised_x", refresh=True)
        assert srv.count("/data/") == 2
    assert revised["value"].tolist()[:2] == [1.5, 2.5]
    assert revised["flag"].tolist()[1] == "r"
    assert revised.attrs["provenance"]["sha256"] != first.attrs["provenance"]["sha256"]
    _, prov = cache.read_table(cache.cache_path("eurostat", "revised_x"))
    assert prov["sha256"] == revised.attrs["provenance"]["sha256"]
    assert frame_digest(fetch_dataset("revised_x")) == frame_digest(revised)
