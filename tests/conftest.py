"""Test-wide setup: a temporary data folder, no mirror, no network by default.

Every test gets a fresh ``REGIONGAP_DATA_DIR`` (so the cache starts empty) and runs
with ``REGIONGAP_MIRROR`` and ``REGIONGAP_OFFLINE`` unset. Tests that read the real
files ask for the ``mirror`` fixture: the shared data folder next to the project
(``../shared/data``) or ``REGIONGAP_TEST_MIRROR``. Tests that download ask for
``api``: a loopback Eurostat API (``server``, one per module) serving the mirror,
with the HTTP settings of ``loopback_env``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.fake_eurostat import FakeEurostat
from tests.support.loopback import serving

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "tests" / "data"

_MIRROR_ENV = os.environ.get("REGIONGAP_TEST_MIRROR") or os.environ.get(
    "REGIONGAP_MIRROR"
)
# resolved, as regiongap.config resolves it (a fresh clone links ../shared)
MIRROR = (
    Path(_MIRROR_ENV) if _MIRROR_ENV else PROJECT.parent / "shared" / "data"
).resolve()


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("regiongap-data")
    monkeypatch.setenv("REGIONGAP_DATA_DIR", str(data))
    for name in (
        "REGIONGAP_MIRROR",
        "REGIONGAP_OFFLINE",
        "REGIONGAP_EUROSTAT_API",
        "REGIONGAP_GISCO_API",
        "REGIONGAP_GISCO_SERVICES_API",
    ):
        monkeypatch.delenv(name, raising=False)
    # hosts remembered as unresolvable by an earlier test are forgotten
    from regiongap.sources import http

    monkeypatch.setattr(http, "_unresolved", {})
    return data


@pytest.fixture
def data_dir(_isolated_environment) -> Path:
    """The temporary data folder of this test (its cache is ``data_dir / 'raw'``)."""
    return _isolated_environment


@pytest.fixture(scope="session")
def mirror_path() -> Path:
    """The real shared data folder; tests that need it skip when it is absent."""
    if not (MIRROR / "eurostat" / "MANIFEST.csv").is_file():
        pytest.skip(f"shared data mirror not found at {MIRROR}")
    return MIRROR


@pytest.fixture
def mirror(mirror_path, monkeypatch) -> Path:
    """Point the library at the real mirror for this test (``REGIONGAP_MIRROR``)."""
    monkeypatch.setenv("REGIONGAP_MIRROR", str(mirror_path))
    return mirror_path


@pytest.fixture(scope="module")
def server(mirror_path):
    """The loopback Eurostat API serving the mirror's datasets, one per test module."""
    with FakeEurostat(mirror_path) as srv:
        yield srv


@pytest.fixture
def loopback_env() -> dict[str, object]:
    """HTTP settings the ``api`` fixture sets; a module or folder overrides it."""
    return {"REGIONGAP_HTTP_BACKOFF": 0.01}


@pytest.fixture
def api(server, loopback_env, monkeypatch):
    """The loopback server as the Eurostat API, with a clean log and no faults."""
    env = {"REGIONGAP_EUROSTAT_API": server.base_url, **loopback_env}
    with serving(server, env, monkeypatch) as srv:
        yield srv
