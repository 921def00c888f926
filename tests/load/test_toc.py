"""regiongap.load.toc: Eurostat's table of contents and code labels, cached."""

from __future__ import annotations

import gzip

import pytest

from regiongap.errors import OfflineError, SchemaError, SourceError
from regiongap.load import toc
from tests.support.fake_eurostat import faults


def test_search_datasets_finds_titles_and_caches_them(api, data_dir):
    found = toc.search_datasets("BroadBand")
    assert list(found["code"]) == ["isoc_r_broad_h"]
    assert "broadband" in found.loc[0, "title"].lower()
    assert list(found.columns) == [
        "code", "title", "type", "last_update", "last_structure_change",
        "data_start", "data_end",
    ]  # fmt: skip
    assert api.count("/dataflow/all") == 1
    gdp = toc.search_datasets("gross domestic product")
    assert list(gdp["code"]) == ["nama_10r_2gdp", "nama_10r_3gdp"]
    assert api.count("/dataflow/all") == 1  # the cached table of contents
    assert (data_dir / "raw" / "toc" / "toc.parquet").is_file()
    assert list(toc.search_datasets("3GDP")["code"]) == ["nama_10r_3gdp"]


def test_search_works_when_its_cache_cannot_be_kept(api, data_dir):
    """A folder where the table of contents is cached: found, not cached, said."""
    blocker = data_dir / "raw" / "toc" / "toc.parquet"
    blocker.mkdir(parents=True)
    with pytest.warns(RuntimeWarning) as caught:
        found = toc.search_datasets("broadband")
    assert list(found["code"]) == ["isoc_r_broad_h"]
    said = [str(w.message) for w in caught]
    assert any("is not a file; looking it up again" in m for m in said), said
    assert any("without caching it" in m for m in said), said
    assert all(w.filename == __file__ for w in caught)  # points at the caller
    assert blocker.is_dir()  # never deleted


def test_search_is_literal_not_a_regular_expression(api):
    assert toc.search_datasets("(%)")["code"].tolist() == ["lfst_r_lfp2actrt"]
    assert toc.search_datasets("no such words").empty


def test_search_offline_uses_the_cache_or_explains(api, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    with pytest.raises(OfflineError, match="table of contents"):
        toc.search_datasets("gdp")
    assert api.count() == 0
    monkeypatch.delenv("REGIONGAP_OFFLINE")
    toc.search_datasets("gdp")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    assert not toc.search_datasets("gdp", refresh=True).empty
    assert api.count() == 1


def test_search_falls_back_to_the_cache_when_eurostat_fails(api):
    toc.search_datasets("gdp")
    api.add_fault(faults.status(500), times=20, path="/dataflow/")
    with pytest.warns(RuntimeWarning, match="using the copy retrieved"):
        found = toc.search_datasets("gdp", refresh=True)
    assert len(found) == 2


def test_search_without_cache_when_eurostat_fails(api):
    api.add_fault(faults.status(500), times=20, path="/dataflow/")
    with pytest.raises(SourceError, match="table of contents"):
        toc.search_datasets("gdp")


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_search_needs_a_word(bad):
    with pytest.raises(SchemaError):
        toc.search_datasets(bad)


def test_dataset_labels_from_the_code_list(api, mirror_path):
    labels = toc.dataset_labels("nama_10r_3gdp", "GEO")
    assert labels["DE3"] == "Berlin"
    assert labels["AT130"] == "Wien"
    text = gzip.decompress(
        (mirror_path / "eurostat" / "NUTS_AT_2021.csv.gz").read_bytes()
    )
    assert len(labels) == text.decode("utf-8-sig").count("\n") - 1
    served = api.count()
    assert toc.dataset_labels("nama_10r_3gdp", "geo") == labels
    assert api.count() == served  # cached


def test_dataset_labels_errors(api):
    with pytest.raises(SourceError, match="'unit'"):
        toc.dataset_labels("nama_10r_3gdp", "unit")  # no code list on the server
    with pytest.raises(SourceError, match="no_such_data"):
        toc.dataset_labels("no_such_data", "geo")
    with pytest.raises(SchemaError, match="dimension"):
        toc.dataset_labels("nama_10r_3gdp", "geo/../x")
    with pytest.raises(SchemaError):
        toc.dataset_labels("../x", "geo")


def test_eurostat_package_settings_are_restored(api):
    from eurostat import eurostat as pkg

    before = (dict(pkg.__Uri__.BASE_URL), dict(pkg.__ra__))
    toc.dataset_labels("reg_area3", "geo")
    with pytest.raises(SourceError):
        toc.dataset_labels("no_such_data", "geo")
    assert (dict(pkg.__Uri__.BASE_URL), dict(pkg.__ra__)) == before
    assert pkg.__Uri__.BASE_URL["EUROSTAT"].startswith("https://ec.europa.eu/")
