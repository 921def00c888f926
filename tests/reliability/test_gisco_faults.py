"""NUTS boundaries from a faulty GISCO service, and damaged boundary caches.

The loopback server of the Eurostat tests is reused with GISCO's paths
(``/distribution/v2/nuts/geojson/{file}.geojson``, the mirror's real boundary files)
and the same faults. Each case checks the request count (transient faults retried a
bounded number of times), that the error is the library's own and names the file and
the URL, and that a previous boundary cache is byte-for-byte intact. Damaged
boundary cache files are detected, fetched again and never returned.
"""

from __future__ import annotations

import gzip
import os
import warnings

import pytest

from regiongap.cache import store as cache
from regiongap.errors import DatasetNotFoundError, RegiongapError, SourceError
from regiongap.load.boundaries import nuts_regions
from regiongap.sources import gisco
from tests.reliability.conftest import HTTP_ENV, RETRIES, TIMEOUT
from tests.support.fake_eurostat import FakeEurostat, faults
from tests.support.loopback import serving

LEVEL = 0  # the smallest real boundary file (54 kB gzipped)
NAME = gisco.nuts_file_name(LEVEL, 2021, "20M", 4326)
QUEUED = RETRIES + 3


class FakeGisco(FakeEurostat):
    """GISCO's distribution service for NUTS GeoJSON, on the Eurostat fake."""

    def __init__(self, mirror):
        super().__init__(prefix="/distribution/v2")
        self.geo = mirror / "geo"

    def _route(self, path, query):
        name = path.removeprefix(f"{self.prefix}/nuts/geojson/")
        file = self.geo / f"{name}.gz"
        if name == path or not file.is_file():
            return self._not_found(f"No such file: {path}")
        body = gzip.decompress(file.read_bytes())
        return 200, body, {"Content-Type": "application/geo+json"}


@pytest.fixture(scope="module")
def gisco_server(mirror_path):
    with FakeGisco(mirror_path) as srv:
        yield srv


@pytest.fixture
def service(gisco_server, monkeypatch, waits, drip_guard):
    env = {"REGIONGAP_GISCO_API": gisco_server.base_url, **HTTP_ENV}
    with serving(gisco_server, env, monkeypatch) as srv:
        yield srv


#: fault, expected error class, retried?, a fragment of the message
CASES = {
    "404": (faults.status(404), DatasetNotFoundError, False, "HTTP 404"),
    "429-retry-after": (faults.status(429, retry_after=1), SourceError, True, "429"),
    "503-retry-after": (faults.status(503, retry_after=1), SourceError, True, "503"),
    "500": (faults.status(500), SourceError, True, "HTTP 500"),
    "timeout": (faults.delay(3 * TIMEOUT), SourceError, True, "Timeout"),
    "slow-drip": (faults.slow_drip(64, 0.02), SourceError, True, "still arriving"),
    "reset-mid-body": (faults.reset_mid_body(2000), SourceError, True, "Incomplete"),
    "dropped-connection": (faults.drop(), SourceError, True, "Connection"),
    "truncated": (faults.truncated(0.5), SourceError, False, "unreadable GeoJSON"),
    "html-200": (faults.html_200(), SourceError, False, "not GeoJSON"),
}


def _frame_bytes(frame) -> bytes:
    """Attributes as CSV and every geometry as WKB: equal bytes, equal frames."""
    attributes = frame.drop(columns="geometry").to_csv().encode()
    return (
        attributes
        + b"".join(frame.geometry.to_wkb())
        + str(frame.crs.to_epsg()).encode()
    )


@pytest.mark.parametrize("previous", [False, True], ids=["no-cache", "cached"])
@pytest.mark.parametrize("name", list(CASES))
def test_gisco_fault_matrix(service, waits, name, previous):
    fault, error, retried, fragment = CASES[name]
    path = cache.cache_path("gisco", NAME)
    if previous:
        good = nuts_regions(LEVEL)
        before = path.read_bytes()
        service.reset_log()
        waits.clear()
    service.add_fault(fault, times=QUEUED, path="/nuts/")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RegiongapError) as info:
            nuts_regions(LEVEL, refresh=previous)
    exc = info.value
    assert isinstance(exc, error) and type(exc).__module__.startswith("regiongap")
    msg = str(exc)
    url = gisco.nuts_url(LEVEL, 2021, "20M", 4326, service.base_url)
    assert NAME in msg and url in msg and fragment in msg, msg
    attempts = RETRIES + 1 if retried else 1
    assert service.count("/nuts/") == attempts
    assert len(waits) == attempts - 1
    if previous:
        assert path.read_bytes() == before
        assert _frame_bytes(nuts_regions(LEVEL)) == _frame_bytes(good)
        assert service.count("/nuts/") == attempts  # served from the cache
    else:
        assert not path.exists()
    assert list(path.parent.glob("*.tmp")) == []


DAMAGES = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "garbage": lambda p: p.write_bytes(os.urandom(2048)),
    "empty": lambda p: p.write_bytes(b""),
    "flipped-byte": lambda p: p.write_bytes(
        (lambda b: b[:100] + bytes([b[100] ^ 0xFF]) + b[101:])(p.read_bytes())
    ),
    "directory-in-place": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_boundary_cache_is_refetched(service, damage):
    path = cache.cache_path("gisco", NAME)
    good = nuts_regions(LEVEL)
    DAMAGES[damage](path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = nuts_regions(LEVEL)
    folder = damage == "directory-in-place"  # also reported as not cached
    assert [w.category for w in caught] == [RuntimeWarning] * (2 if folder else 1)
    assert str(path) in str(caught[0].message)
    assert service.count("/nuts/") == 2
    assert _frame_bytes(again) == _frame_bytes(good)
    if folder:
        assert path.is_dir() and "without caching them" in str(caught[1].message)
    else:
        cache.read_table(path)
