from __future__ import annotations

import pytest

from regiongap import config
from regiongap.errors import SchemaError, SourceError


def test_data_dir_follows_argument_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIONGAP_DATA_DIR", str(tmp_path / "env"))
    assert config.data_dir() == (tmp_path / "env").resolve()
    assert config.data_dir(tmp_path / "arg") == (tmp_path / "arg").resolve()
    assert config.cache_dir() == (tmp_path / "env" / "raw").resolve()


def test_mirror_unset_is_none_and_missing_folder_is_an_error(tmp_path, monkeypatch):
    assert config.mirror_dir() is None
    monkeypatch.setenv("REGIONGAP_MIRROR", str(tmp_path / "nowhere"))
    with pytest.raises(SourceError, match="nowhere"):
        config.mirror_dir()


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("0", False), ("", False)]
)
def test_offline_switch(raw, expected, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", raw)
    assert config.is_offline() is expected


def test_offline_switch_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "maybe")
    with pytest.raises(SchemaError, match="maybe"):
        config.is_offline()


def test_api_urls_are_overridable(monkeypatch):
    assert config.eurostat_api() == config.DEFAULT_EUROSTAT_API
    monkeypatch.setenv("REGIONGAP_EUROSTAT_API", "http://127.0.0.1:9/api/")
    assert config.eurostat_api() == "http://127.0.0.1:9/api"


def test_http_settings_follow_argument_then_environment(monkeypatch):
    assert config.http_settings() == config.HttpSettings(30.0, 3, 0.5, 60.0, 600.0)
    monkeypatch.setenv("REGIONGAP_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("REGIONGAP_HTTP_RETRIES", "0")
    settings = config.http_settings(backoff=0.01)
    assert (settings.timeout, settings.retries, settings.backoff) == (2.0, 0, 0.01)
    assert settings.max_seconds == 120.0  # max(120, 20 × timeout)
    assert config.http_settings(timeout=9.0).timeout == 9.0


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("REGIONGAP_HTTP_TIMEOUT", "soon"),
        ("REGIONGAP_HTTP_RETRIES", "0.5"),
        ("REGIONGAP_HTTP_BACKOFF", "-1"),
        ("REGIONGAP_HTTP_MAX_WAIT", "x"),
        ("REGIONGAP_HTTP_MAX_SECONDS", "-2"),
    ],
)
def test_http_settings_refuse_nonsense(monkeypatch, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(SchemaError, match=f"{name}={raw!r} is not a non-negative"):
        config.http_settings()


def test_max_bytes(monkeypatch):
    assert config.max_bytes(10) == 10
    monkeypatch.setenv("REGIONGAP_MAX_BYTES", "1000")
    assert config.max_bytes(10) == 1000
    monkeypatch.setenv("REGIONGAP_MAX_BYTES", "lots")
    with pytest.raises(SchemaError, match="REGIONGAP_MAX_BYTES='lots'"):
        config.max_bytes(10)
