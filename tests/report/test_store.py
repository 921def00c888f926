"""The shared report tables: stored once, read back as they were, never half-read."""

from __future__ import annotations

import pandas as pd
import pytest


def test_stored_tables_read_back(small_data, tmp_path):
    from regiongap.report.store import TABLES, read_report_data, write_report_data

    write_report_data(small_data, tmp_path)
    back = read_report_data(tmp_path)
    assert back is not None
    pd.testing.assert_frame_equal(back.scores, small_data.scores)
    pd.testing.assert_frame_equal(back.members, small_data.members)
    assert list(back.panel["region_name"]) == list(small_data.panel["region_name"])
    assert back.provenance == small_data.provenance
    assert back.unavailable == small_data.unavailable
    assert (back.year, back.level) == (2019, 2)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted([*(f"{t}.parquet" for t in TABLES), "meta.json"])


def test_the_panel_description_moves_out_of_attrs_and_is_stored(small_data, tmp_path):
    import dataclasses

    from regiongap.report.store import read_report_data, write_report_data

    panel = small_data.panel.copy()
    info = {"window": 3, "indicators": {"gdp_pps_per_inhabitant": {"source": "x"}}}
    panel.attrs["panel"] = info
    notes = ["UKM (Scotland, NUTS 2021) in NUTS 2024: no such region"]
    data = dataclasses.replace(
        small_data, panel=panel, panel_info={}, member_notes=notes
    )
    # pandas deep-copies attrs on every operation: the report's panel has none
    assert data.panel.attrs == {} and data.panel_info == info
    assert panel.attrs["panel"] == info  # the caller's frame is left as it was
    write_report_data(data, tmp_path)
    back = read_report_data(tmp_path)
    assert back is not None and back.panel_info == info and back.panel.attrs == {}
    assert back.member_notes == notes


def test_a_folder_without_its_meta_file_is_not_read(small_data, tmp_path):
    from regiongap.report.store import read_report_data, write_report_data

    write_report_data(small_data, tmp_path)
    (tmp_path / "meta.json").unlink()  # as a build that stopped half-way leaves it
    assert read_report_data(tmp_path) is None
    assert read_report_data(tmp_path / "nothing-here") is None


def test_tables_are_computed_once_then_read(small_data, monkeypatch, data_dir):
    from regiongap.report import store

    calls = []

    def compute(year, level, *, nuts_year=None):
        calls.append((year, level))
        return small_data

    monkeypatch.setattr(store, "compute_report_data", compute)
    first = store.load_report_data(2019)
    again = store.load_report_data(2019)
    assert calls == [(2019, 2)]
    pd.testing.assert_frame_equal(first.scores, again.scores)
    folder = data_dir / "processed" / "report-L2-2019-nuts-auto"
    assert (folder / "meta.json").is_file()
    store.load_report_data(2019, refresh=True)
    assert calls == [(2019, 2), (2019, 2)]


def test_each_nuts_version_has_its_own_tables(small_data, monkeypatch, data_dir):
    import dataclasses

    from regiongap.errors import SchemaError
    from regiongap.report import store

    asked = []

    def compute(year, level, *, nuts_year=None):
        asked.append(nuts_year)
        return dataclasses.replace(small_data, nuts_year=nuts_year or 2021)

    monkeypatch.setattr(store, "compute_report_data", compute)
    assert store.load_report_data(2019, nuts_year=2024).nuts_year == 2024
    assert store.load_report_data(2019).nuts_year == 2021
    assert store.load_report_data(2019, nuts_year=2024).nuts_year == 2024  # stored
    assert asked == [2024, None]
    assert (data_dir / "processed" / "report-L2-2019-nuts-2024" / "meta.json").is_file()
    with pytest.raises(SchemaError, match="2020"):
        store.load_report_data(2019, nuts_year=2020)
