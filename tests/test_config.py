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
