"""Network faults against the loopback Eurostat API: fault × previous cache × stale.

Every fault a flaky dissemination API shows is injected into the download of a real
dataset, with and without a previous cache file, with and without ``allow_stale``.
Each case checks

* the number of requests: transient faults are retried exactly ``RETRIES`` times
  (more faults are queued than may be used, so a retry loop that did not stop would
  be seen), permanent ones are not retried; the waits between attempts follow the
  back-off or the ``Retry-After`` header;
* the error: the library's own (a :class:`~regiongap.errors.RegiongapError` raised
  from ``regiongap``), of the expected class, naming the dataset and the URL;
* the cache: a previous file is byte-for-byte unchanged, returned only with
  ``allow_stale=True`` and then with a :class:`~regiongap.errors.DataQualityWarning`
  saying so; without a previous file nothing (not even a temporary file) is left.

The table of contents (downloaded by the ``eurostat`` package) gets the same faults,
with and without a cached copy: an error of the library's own, or the cached copy
with a warning.

Another matrix lets every transient fault hit all attempts but the last: the fetch
must then succeed transparently with the right data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pytest

from regiongap import sdmx
from regiongap.cache import store as cache
from regiongap.errors import (
    DataQualityWarning,
    DatasetNotFoundError,
    ParseError,
    RegiongapError,
    SourceError,
)
from regiongap.load.datasets import fetch_dataset
from regiongap.load.toc import search_datasets
from tests.reliability.conftest import (
    BACKOFF,
    CODE,
    MAX_BYTES,
    MAX_WAIT,
    RETRIES,
    TIMEOUT,
    frame_digest,
)
from tests.support.fake_eurostat import Fault, faults

#: faults queued per case: more than any retry loop may use
QUEUED = RETRIES + 3
RETRY_AFTER = 1


@dataclass(frozen=True)
class Case:
    """One injected fault and what the library must do about it."""

    fault: Fault
    error: type[RegiongapError]
    retried: bool
    message: str  # a fragment the error must contain (besides dataset and URL)
    retry_after: float | None = None


CASES = {
    "404": Case(faults.status(404), DatasetNotFoundError, False, "HTTP 404"),
    "429-retry-after": Case(
        faults.status(429, retry_after=RETRY_AFTER),
        SourceError,
        True,
        "HTTP 429",
        retry_after=RETRY_AFTER,
    ),
    "503-retry-after": Case(
        faults.status(503, retry_after=RETRY_AFTER),
        SourceError,
        True,
        "HTTP 503",
        retry_after=RETRY_AFTER,
    ),
    "500": Case(faults.status(500), SourceError, True, "HTTP 500"),
    "timeout": Case(faults.delay(3 * TIMEOUT), SourceError, True, "Timeout"),
    "slow-drip": Case(
        faults.slow_drip(chunk=64, interval=0.02), SourceError, True, "still arriving"
    ),
    "reset-mid-body": Case(
        faults.reset_mid_body(after=2000), SourceError, True, "IncompleteRead"
    ),
    "dropped-connection": Case(faults.drop(), SourceError, True, "Connection"),
    "truncated-gzip": Case(faults.truncated(0.5), SourceError, False, "SDMX"),
    "html-200": Case(faults.html_200(), SourceError, False, "SDMX"),
    "oversized": Case(
        faults.oversized(MAX_BYTES + 1), SourceError, False, "larger than the limit"
    ),
}
RETRIED = [name for name, case in CASES.items() if case.retried]


def _cache_files(code: str) -> list[str]:
    folder = cache.cache_path("eurostat", code).parent
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def _check_waits(case: Case, waits: list[float]) -> None:
    if not case.retried:
        assert waits == []
        return
    assert len(waits) == RETRIES
    for attempt, wait in enumerate(waits):
        if case.retry_after is not None:
            assert min(case.retry_after, MAX_WAIT) <= wait <= MAX_WAIT
        else:
            base = min(MAX_WAIT, BACKOFF * 2**attempt)
            assert base / 2 <= wait <= base


def _check_error(exc: BaseException, case: Case, url: str) -> None:
    assert isinstance(exc, case.error), type(exc)
    assert type(exc).__module__.startswith("regiongap"), type(exc)
    msg = str(exc)
    assert f"'{CODE}'" in msg, msg
    assert url in msg, msg
    assert case.message in msg, msg


@pytest.mark.parametrize("allow_stale", [False, True], ids=["strict", "allow-stale"])
@pytest.mark.parametrize("previous", [False, True], ids=["no-cache", "cached"])
@pytest.mark.parametrize("name", list(CASES))
def test_fault_matrix(api, waits, drip_guard, name, previous, allow_stale):
    case = CASES[name]
    path = cache.cache_path("eurostat", CODE)
    good = None
    if previous:
        good = fetch_dataset(CODE)
        before = path.read_bytes()
        waits.clear()
        api.reset_log()
    api.add_fault(case.fault, times=QUEUED)

    if previous and allow_stale:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            stale = fetch_dataset(CODE, refresh=True, allow_stale=True)
        assert [w.category for w in caught] == [DataQualityWarning]
        said = str(caught[0].message)
        retrieved = good.attrs["provenance"]["retrieved_at"]
        assert "cached copy" in said and retrieved in said and f"'{CODE}'" in said
        assert frame_digest(stale) == frame_digest(good)
        assert stale.attrs["provenance"] == good.attrs["provenance"]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no warning may hide the failure
            with pytest.raises(RegiongapError) as info:
                fetch_dataset(CODE, refresh=previous, allow_stale=allow_stale)
        _check_error(info.value, case, api.data_url(CODE))
        if name in ("truncated-gzip", "html-200"):
            assert isinstance(info.value.__cause__, ParseError)

    attempts = RETRIES + 1 if case.retried else 1
    assert api.count("/data/") == attempts
    assert api.pending_faults == QUEUED - attempts
    _check_waits(case, waits)
    if previous:
        assert path.read_bytes() == before  # byte for byte
        assert _cache_files(CODE) == [path.name]
        assert frame_digest(fetch_dataset(CODE)) == frame_digest(good)
        assert api.count("/data/") == attempts  # read from the cache
    else:
        assert _cache_files(CODE) == []


@pytest.mark.parametrize("name", RETRIED)
def test_transient_faults_recover_on_the_last_attempt(api, waits, drip_guard, name):
    case = CASES[name]
    api.add_fault(case.fault, times=RETRIES)
    frame = fetch_dataset(CODE)
    assert api.count("/data/") == RETRIES + 1
    assert api.pending_faults == 0
    _check_waits(case, waits)
    expected = sdmx.parse(api.raw(CODE))
    assert frame_digest(frame) == frame_digest(expected)
    _, prov = cache.read_table(cache.cache_path("eurostat", CODE))
    assert prov["sha256"] == frame.attrs["provenance"]["sha256"]


# ---------------------------------------------------- table of contents (toc)
#: faults on the table of contents, which the ``eurostat`` package downloads
TOC_FAULTS = {
    "404": faults.status(404),
    "429-retry-after": faults.status(429, retry_after=RETRY_AFTER),
    "503": faults.status(503),
    "timeout": faults.delay(3 * TIMEOUT),
    "reset-mid-body": faults.reset_mid_body(after=100),
    "dropped-connection": faults.drop(),
    "truncated-gzip": faults.truncated(0.5),
    "html-200": faults.html_200(),
}


@pytest.mark.parametrize("previous", [False, True], ids=["no-cache", "cached"])
@pytest.mark.parametrize("name", list(TOC_FAULTS))
def test_toc_fault_matrix(api, name, previous):
    path = cache.cache_path("toc", "toc")
    good = None
    if previous:
        good = search_datasets("gdp")
        before = path.read_bytes()
        api.reset_log()
    api.add_fault(TOC_FAULTS[name], times=10, path="/dataflow/")
    if previous:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = search_datasets("gdp", refresh=True)
        assert [w.category for w in caught] == [RuntimeWarning]
        said = str(caught[0].message)
        assert "could not refresh Eurostat's table of contents" in said
        assert api.base_url in said and "using the copy retrieved" in said
        assert got.equals(good)
        assert path.read_bytes() == before
    else:
        with pytest.raises(SourceError) as info:
            search_datasets("gdp", refresh=True)
        assert type(info.value).__module__.startswith("regiongap")
        msg = str(info.value)
        assert "table of contents" in msg and api.base_url in msg
        status = name.split("-")[0]
        if status.isdigit():  # the HTTP status is named, not only the package's error
            assert f"HTTP {status} from {api.base_url}/sdmx/2.1/dataflow/" in msg
        assert not path.exists()
    # bounded: the eurostat package makes at most four attempts of its own
    assert 1 <= api.count("/dataflow/") <= 4
