"""Shared fixtures of the reliability suite: one loopback Eurostat API per module.

Timeouts, retries and back-off are shrunk through the environment variables
:mod:`regiongap.sources.http` reads at call time, so every fault costs milliseconds,
and the
waits between attempts are recorded (and slept, capped) so tests can assert that
back-off and ``Retry-After`` were honoured without waiting for them.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from regiongap.sources import http

#: attempts after the first one, in every reliability test (bounded retries)
RETRIES = 2
#: read timeout in seconds (a fault delaying longer is a timeout)
TIMEOUT = 0.25
#: base of the exponential back-off, seconds
BACKOFF = 0.01
#: the cap on waits, also on ``Retry-After``
MAX_WAIT = 5.0
#: largest download accepted (``REGIONGAP_MAX_BYTES``); the small test dataset fits
MAX_BYTES = 200_000
#: longest time one attempt may take to deliver a body (the slow-drip guard)
MAX_SECONDS = 0.3
#: a small real dataset (about 19 kB gzipped, SDMX-TSV)
CODE = "reg_area3"


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's values, dtypes, categories and column names."""
    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    digest.update(repr([str(t) for t in frame.dtypes]).encode())
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            digest.update(repr(list(col.cat.categories)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


#: the HTTP settings of every reliability test, whichever service it talks to
HTTP_ENV = {
    "REGIONGAP_HTTP_TIMEOUT": TIMEOUT,
    "REGIONGAP_HTTP_RETRIES": RETRIES,
    "REGIONGAP_HTTP_BACKOFF": BACKOFF,
    "REGIONGAP_HTTP_MAX_WAIT": MAX_WAIT,
}


@pytest.fixture
def loopback_env():
    """Tiny timeouts and back-off for ``api`` (the loopback API, tests/conftest.py)."""
    return {**HTTP_ENV, "REGIONGAP_MAX_BYTES": MAX_BYTES}


@pytest.fixture
def waits(monkeypatch):
    """Record every wait between attempts; sleep at most 10 ms of it."""
    import time

    recorded: list[float] = []

    def sleep(seconds: float) -> None:
        recorded.append(seconds)
        time.sleep(min(seconds, 0.01))

    monkeypatch.setattr(http, "_sleep", sleep)
    return recorded


@pytest.fixture
def drip_guard(monkeypatch):
    """Shorten the whole-body deadline so a slow drip is cut after 0.3 s."""
    monkeypatch.setenv("REGIONGAP_HTTP_MAX_SECONDS", str(MAX_SECONDS))
