"""regiongap.sources.http.get_bytes against the loopback Eurostat server, faults."""

from __future__ import annotations

import email.utils
import time

import pytest

from regiongap.errors import (
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.sources import http
from tests.support.fake_eurostat import FakeEurostat, faults
from tests.support.loopback import serving

CODE = "reg_area3"
WHAT = "Eurostat dataset 'reg_area3'"


@pytest.fixture
def fake(server):
    with serving(server) as srv:
        yield srv


@pytest.fixture
def waits(monkeypatch):
    """Record the back-off waits instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr(http, "_sleep", recorded.append)
    return recorded


def test_success_returns_the_served_bytes(fake, waits):
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT)
    assert resp.status == 200
    assert resp.content == fake.raw(CODE)
    assert resp.attempts == 1
    assert resp.headers["content-type"] == "application/octet-stream"
    assert fake.count("/data/") == 1
    assert waits == []


def test_progress_bar_does_not_change_the_bytes(fake, capsys):
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT, progress=True)
    assert resp.content == fake.raw(CODE)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(fake, waits, status):
    fake.add_fault(faults.status(status), times=2)
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT, backoff=0.01)
    assert resp.content == fake.raw(CODE)
    assert resp.attempts == 3
    assert fake.count("/data/") == 3
    assert len(waits) == 2


def test_retry_after_seconds_is_honoured(fake, waits):
    fake.add_fault(faults.status(503, retry_after=7))
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT, backoff=0.01)
    assert resp.attempts == 2
    assert waits == [pytest.approx(7.0)]


def test_retry_after_http_date_is_honoured(fake, waits):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    fake.add_fault(faults.status(429, retry_after=when))
    http.get_bytes(fake.data_url(CODE), what=WHAT, backoff=0.01)
    assert 25 <= waits[0] <= 31


def test_retry_after_is_capped(fake, waits):
    fake.add_fault(faults.status(503, retry_after=3600))
    http.get_bytes(fake.data_url(CODE), what=WHAT, backoff=0.01, max_wait=5)
    assert waits == [pytest.approx(5.0)]


def test_backoff_grows_exponentially_with_jitter():
    for attempt in range(5):
        delays = [http._backoff_delay(attempt, 0.5, 60) for _ in range(200)]
        base = 0.5 * 2**attempt
        assert min(delays) >= base / 2
        assert max(delays) <= base
        assert len(set(delays)) > 1  # jitter
    assert http._backoff_delay(20, 0.5, 60) <= 60


def test_gives_up_after_bounded_retries(fake, waits):
    fake.add_fault(faults.status(500), times=10)
    url = fake.data_url(CODE)
    with pytest.raises(SourceError) as info:
        http.get_bytes(url, what=WHAT, retries=2, backoff=0.01)
    assert fake.count("/data/") == 3
    assert len(waits) == 2
    msg = str(info.value)
    assert WHAT in msg and url in msg and "HTTP 500" in msg and "3 attempts" in msg
    assert info.value.status == 500
    assert info.value.url == url


def test_404_is_dataset_not_found_and_not_retried(fake, waits):
    url = fake.data_url("no_such_dataset")
    with pytest.raises(DatasetNotFoundError) as info:
        http.get_bytes(url, what="Eurostat dataset 'no_such_dataset'")
    assert fake.count("/data/") == 1
    msg = str(info.value)
    assert "'no_such_dataset'" in msg and url in msg and "No results found" in msg
    assert isinstance(info.value, LookupError)


def test_other_client_errors_are_not_retried(fake, waits):
    fake.add_fault(faults.status(400))
    with pytest.raises(SourceError, match="HTTP 400") as info:
        http.get_bytes(fake.data_url(CODE), what=WHAT)
    assert not isinstance(info.value, DatasetNotFoundError)
    assert fake.count("/data/") == 1


def test_read_timeout_is_retried(fake, waits):
    fake.add_fault(faults.delay(1.0))
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT, timeout=0.2, backoff=0.01)
    assert resp.attempts == 2
    assert resp.content == fake.raw(CODE)


def test_timeouts_exhaust_retries_with_a_clear_error(fake, waits):
    fake.add_fault(faults.delay(1.0), times=2)
    with pytest.raises(SourceError, match="Timeout") as info:
        http.get_bytes(
            fake.data_url(CODE), what=WHAT, timeout=0.2, retries=1, backoff=0.01
        )
    assert WHAT in str(info.value)


@pytest.mark.parametrize(
    "fault", [faults.reset_mid_body(1000), faults.drop()], ids=["reset", "drop"]
)
def test_connection_resets_are_retried(fake, waits, fault):
    fake.add_fault(fault)
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT, backoff=0.01)
    assert resp.attempts == 2
    assert resp.content == fake.raw(CODE)


def test_reset_every_time_ends_in_source_error(fake, waits):
    fake.add_fault(faults.reset_mid_body(1000), times=4)
    with pytest.raises(SourceError, match=r"IncompleteRead|Connection") as info:
        http.get_bytes(fake.data_url(CODE), what=WHAT, backoff=0.01)
    assert fake.count("/data/") == 4
    assert fake.data_url(CODE) in str(info.value)


def test_slow_drip_is_cut_off(fake, waits):
    fake.add_fault(faults.slow_drip(chunk=50, interval=0.05))
    start = time.monotonic()
    with pytest.raises(SourceError, match="still arriving"):
        http.get_bytes(fake.data_url(CODE), what=WHAT, retries=0, max_seconds=0.3)
    assert time.monotonic() - start < 3


def test_slow_drip_deadline_from_the_environment(fake, waits, monkeypatch):
    monkeypatch.setenv("REGIONGAP_HTTP_MAX_SECONDS", "0.3")
    fake.add_fault(faults.slow_drip(chunk=50, interval=0.05))
    start = time.monotonic()
    with pytest.raises(SourceError, match=r"still arriving after 0\.3 s"):
        http.get_bytes(fake.data_url(CODE), what=WHAT, retries=0)
    assert time.monotonic() - start < 3
    monkeypatch.setenv("REGIONGAP_HTTP_MAX_SECONDS", "soon")
    with pytest.raises(SchemaError, match="REGIONGAP_HTTP_MAX_SECONDS='soon'"):
        http.get_bytes(fake.data_url(CODE), what=WHAT)


def test_oversized_body_is_refused_from_content_length(fake, waits):
    with pytest.raises(SourceError, match="larger than the limit of 1,000 bytes"):
        http.get_bytes(fake.data_url(CODE), what=WHAT, max_bytes=1000)
    assert fake.count("/data/") == 1


def test_oversized_fault_is_refused(fake, waits):
    fake.add_fault(faults.oversized(200_000))
    with pytest.raises(SourceError, match="larger than the limit") as info:
        http.get_bytes(fake.data_url(CODE), what=WHAT, max_bytes=100_000)
    assert WHAT in str(info.value)


def test_oversized_without_content_length_is_cut_while_streaming(fake, waits):
    chunks = [b"x" * 65536] * 4

    class Raw:
        def __init__(self):
            self.parts = list(chunks)

        def read1(self, n, decode_content=True):
            return self.parts.pop(0) if self.parts else b""

    class Resp:
        headers: dict = {}  # noqa: RUF012 - a stub
        raw = Raw()

    with pytest.raises(http._TooLargeError):
        http._read_body(
            Resp(), max_bytes=100_000, progress=False, what=WHAT, deadline=1e18
        )


def test_truncated_gzip_and_html_are_the_callers_concern(fake, waits):
    fake.add_fault(faults.truncated(0.5))
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT)
    assert resp.content == fake.raw(CODE)[: len(fake.raw(CODE)) // 2]
    fake.add_fault(faults.html_200())
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT)
    assert resp.content.startswith(b"<!DOCTYPE html>")


def test_offline_opens_no_socket(fake, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.raises(OfflineError) as info:
        http.get_bytes(fake.data_url(CODE), what=WHAT)
    msg = str(info.value)
    assert WHAT in msg and "REGIONGAP_MIRROR" in msg and fake.data_url(CODE) in msg
    assert fake.count() == 0
    with pytest.raises(OfflineError):
        http.get_bytes(fake.data_url(CODE), what=WHAT, offline=True)


def test_offline_false_overrides_the_environment(fake, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    resp = http.get_bytes(fake.data_url(CODE), what=WHAT, offline=False)
    assert resp.content == fake.raw(CODE)


def test_refused_connection_is_retried_then_reported(waits):
    with FakeEurostat() as srv:
        url = srv.data_url(CODE)
    with pytest.raises(SourceError, match="ConnectionError") as info:
        http.get_bytes(url, what=WHAT, retries=1, backoff=0.01)
    assert len(waits) == 1
    assert url in str(info.value)


def test_bad_url_is_a_source_error():
    with pytest.raises(SourceError, match="nonsense"):
        http.get_bytes("nonsense://x", what="nonsense")


def test_environment_sets_the_defaults(fake, waits, monkeypatch):
    monkeypatch.setenv("REGIONGAP_HTTP_RETRIES", "0")
    fake.add_fault(faults.status(503))
    with pytest.raises(SourceError, match="1 attempt\\)"):
        http.get_bytes(fake.data_url(CODE), what=WHAT)
    assert waits == []
    monkeypatch.setenv("REGIONGAP_HTTP_TIMEOUT", "soon")
    with pytest.raises(SchemaError, match="REGIONGAP_HTTP_TIMEOUT"):
        http.get_bytes(fake.data_url(CODE), what=WHAT)


# ``.invalid`` never resolves (RFC 6761): a DNS failure without any network
UNRESOLVABLE = "http://regiongap-test.invalid/data/reg_area3"


def test_an_unresolvable_host_is_retried_once_then_refused_at_once(waits, fake):
    with pytest.raises(SourceError, match="gave up after 3 attempts") as first:
        http.get_bytes(UNRESOLVABLE, what=WHAT, retries=2, backoff=0.01)
    assert "regiongap-test.invalid" in str(first.value)
    assert len(waits) == 2
    with pytest.raises(SourceError, match="could not be resolved") as second:
        http.get_bytes(UNRESOLVABLE + "?again", what=WHAT, retries=2, backoff=0.01)
    assert "REGIONGAP_OFFLINE=1" in str(second.value)
    assert second.value.url == UNRESOLVABLE + "?again"
    assert len(waits) == 2  # no new attempt, no wait
    # another host is not affected
    assert http.get_bytes(fake.data_url(CODE), what=WHAT).status == 200


def test_an_unresolvable_host_is_tried_again_after_the_pause(waits, monkeypatch):
    with pytest.raises(SourceError, match="gave up after 2 attempts"):
        http.get_bytes(UNRESOLVABLE, what=WHAT, retries=1, backoff=0.01)
    monkeypatch.setattr(http, "UNRESOLVED_SECONDS", 0.0)
    with pytest.raises(SourceError, match="gave up after 2 attempts"):
        http.get_bytes(UNRESOLVABLE, what=WHAT, retries=1, backoff=0.01)
    assert len(waits) == 2


def test_a_refused_connection_is_not_remembered(waits):
    with FakeEurostat() as srv:
        url = srv.data_url(CODE)
    for _ in range(2):
        with pytest.raises(SourceError, match="gave up after 2 attempts"):
            http.get_bytes(url, what=WHAT, retries=1, backoff=0.01)
    assert len(waits) == 2
