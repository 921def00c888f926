"""Hand one test a loopback server: no faults, an empty log, the environment set."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from tests.support.fake_eurostat import FakeEurostat


@contextmanager
def serving(
    server: FakeEurostat,
    env: Mapping[str, object] | None = None,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> Iterator[Any]:
    """Clear the server's faults and log, set ``env`` for the test, clear faults after.

    Parameters
    ----------
    server : FakeEurostat
        A running loopback server (or a subclass serving other paths).
    env : Mapping[str, object], optional
        Environment variables for the test (values pass through ``str``), e.g. the
        API base URL and the HTTP timeouts; needs ``monkeypatch``.
    monkeypatch : pytest.MonkeyPatch, optional
        The test's monkeypatch, which undoes ``env`` after the test.
    """
    server.clear_faults()
    server.reset_log()
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, str(value))
    try:
        yield server
    finally:
        server.clear_faults()
