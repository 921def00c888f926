"""Several processes (and threads) fetching into one cache directory at once.

Spawned processes start together behind a barrier and fetch the same and different
real datasets from the loopback API into one cache folder, some with
``refresh=True`` so that writers overlap with readers; the server delays answers so
the downloads really overlap. Every process must get a frame identical (same hash)
to a fresh parse of the served bytes, and the cache must end valid: every file reads
back with :func:`regiongap.cache.store.read_table`, no temporary file is left behind.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from regiongap import sdmx
from regiongap.cache import contents
from regiongap.cache import store as cache
from regiongap.load.datasets import fetch_dataset
from tests.reliability.conftest import frame_digest
from tests.support.fake_eurostat import faults

PROJECT = Path(__file__).resolve().parents[2]

#: (dataset, refresh) per process: the same dataset several times, readers and
#: refreshing writers of one file at once, and other datasets alongside
TASKS = [
    ("reg_area3", False),
    ("reg_area3", False),
    ("reg_area3", True),
    ("isoc_r_broad_h", False),
    ("isoc_r_broad_h", True),
    ("trng_lfse_04", False),
]


def _fetch(code: str, refresh: bool) -> tuple[str, str, str]:
    frame = fetch_dataset(code, refresh=refresh)
    return code, frame_digest(frame), frame.attrs["provenance"]["sha256"]


def _child(barrier, results, code: str, refresh: bool) -> None:
    barrier.wait(timeout=60)
    try:
        results.put(("ok", *_fetch(code, refresh)))
    except BaseException as exc:  # report everything to the parent
        results.put(("error", code, f"{type(exc).__module__}.{exc!r}", ""))


def _expected(api, codes) -> dict[str, tuple[str, str]]:
    import hashlib

    out = {}
    for code in set(codes):
        raw = api.raw(code)
        out[code] = (frame_digest(sdmx.parse(raw)), hashlib.sha256(raw).hexdigest())
    return out


def _cache_is_valid(codes) -> None:
    listing = contents.cache_list(kind="eurostat")
    assert sorted(listing["name"]) == sorted(set(codes))
    assert listing["valid"].all(), listing["problem"].tolist()
    folder = cache.cache_path("eurostat", "x").parent
    for path in folder.glob("*.parquet"):
        cache.read_table(path)
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


#: first round into an empty cache, second into the cache the first one left
ROUNDS = 2


@pytest.mark.slow
def test_processes_fetch_into_one_cache(api, monkeypatch):
    # six processes on two cores: no spurious timeout may add a retry here
    monkeypatch.setenv("REGIONGAP_HTTP_TIMEOUT", "10")
    rounds = ROUNDS
    monkeypatch.syspath_prepend(str(PROJECT))  # spawned children import this module
    codes = [code for code, _ in TASKS]
    expected = _expected(api, codes)
    ctx = multiprocessing.get_context("spawn")
    for _ in range(rounds):
        api.add_fault(faults.delay(0.1), times=len(TASKS))  # downloads overlap
        barrier = ctx.Barrier(len(TASKS))
        results = ctx.Queue()
        procs = [
            ctx.Process(target=_child, args=(barrier, results, code, refresh))
            for code, refresh in TASKS
        ]
        for proc in procs:
            proc.start()
        got = []
        try:
            for _ in TASKS:
                got.append(results.get(timeout=120))
        except queue.Empty:
            pytest.fail(f"only {len(got)} of {len(TASKS)} processes answered")
        finally:
            for proc in procs:
                proc.join(timeout=30)
                if proc.is_alive():
                    proc.kill()
        api.clear_faults()
        assert [p.exitcode for p in procs] == [0] * len(TASKS)
        errors = [g for g in got if g[0] != "ok"]
        assert errors == []
        assert sorted(g[1] for g in got) == sorted(codes)
        for _, code, digest, sha in got:
            assert (digest, sha) == expected[code], code
        _cache_is_valid(codes)
    # refreshing processes always download; the others at most once each
    refreshing = sum(refresh for _, refresh in TASKS)
    assert rounds * refreshing <= api.count("/data/") <= rounds * len(TASKS)
    # and the cache they left serves this process the same frames
    for code in set(codes):
        assert _fetch(code, False)[1:] == expected[code]


def test_threads_fetch_into_one_cache(api, monkeypatch):
    monkeypatch.setenv("REGIONGAP_HTTP_TIMEOUT", "10")
    codes = [code for code, _ in TASKS] * 2
    tasks = TASKS * 2
    expected = _expected(api, codes)
    api.add_fault(faults.delay(0.05), times=len(tasks))
    with ThreadPoolExecutor(max_workers=min(8, 2 * (os.cpu_count() or 2))) as pool:
        got = list(pool.map(lambda task: _fetch(*task), tasks))
    api.clear_faults()
    for code, digest, sha in got:
        assert (digest, sha) == expected[code], code
    _cache_is_valid(codes)
