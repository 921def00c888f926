"""regiongap.sources.eurostat_toc: the table of contents and labels, uncached."""

from __future__ import annotations

import pytest

from regiongap.errors import OfflineError, SchemaError, SourceError
from regiongap.sources import eurostat_toc


def test_fetch_toc_reads_the_api_and_caches_nothing(api, data_dir):
    toc = eurostat_toc.fetch_toc()
    assert list(toc.columns) == list(eurostat_toc.TOC_COLUMNS)
    assert "isoc_r_broad_h" in set(toc["code"])
    assert api.count("/dataflow/all") == 1
    assert not (data_dir / "raw").exists()


def test_fetch_labels(api):
    labels = eurostat_toc.fetch_labels("nama_10r_3gdp", "geo")
    assert list(labels.columns) == ["code", "label"]
    assert labels.set_index("code").loc["DE3", "label"] == "Berlin"
    with pytest.raises(SourceError, match="no_such_data"):
        eurostat_toc.fetch_labels("no_such_data", "geo")


def test_offline_opens_no_socket(api, monkeypatch):
    with pytest.raises(OfflineError, match="table of contents"):
        eurostat_toc.fetch_toc(offline=True)
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.raises(OfflineError, match="'geo'"):
        eurostat_toc.fetch_labels("nama_10r_3gdp", "geo")
    assert api.count() == 0


@pytest.mark.parametrize("bad", ["geo/../x", "", "1geo", None, 3])
def test_dimension_names_are_checked(bad):
    with pytest.raises(SchemaError, match="not a dimension name"):
        eurostat_toc.validate_dimension(bad)
