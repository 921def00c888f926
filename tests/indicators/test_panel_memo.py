"""The kept panel (the warm path) is the built one, bit for bit, and never stale."""

from __future__ import annotations

import os
import warnings

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning
from regiongap.indicators import _memo

pytestmark = pytest.mark.mirror

IDS = ["internet_access_households", "rd_expenditure_pct_gdp", "population"]


def _panel(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return rg.panel(IDS, year=2019, fill_from_parent=True, offline=True, **kwargs)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.dtypes.astype(str)) == list(b.dtypes.astype(str))
    assert a.attrs == b.attrs


def test_warm_panels_are_the_built_one_bit_for_bit(mirror, data_dir):
    _memo.forget()
    built = _panel()
    from_memory = _panel()
    _same(built, from_memory)
    files = list((data_dir / "processed" / "panels").glob("*.parquet"))
    assert len(files) == 1
    _memo.forget()  # as in a new interpreter: the file is read
    from_file = _panel()
    _same(built, from_file)
    rebuilt = _panel(refresh=True)
    _same(built, rebuilt)
    # what is returned is a copy: changing it changes nothing kept
    from_file.loc["AT11", "population"] = -1.0
    from_file.attrs["panel"]["year"] = 1900
    _same(built, _panel())


def test_a_changed_cache_or_other_arguments_build_again(mirror, data_dir):
    _memo.forget()
    first = _panel()
    cached = data_dir / "raw" / "eurostat" / "isoc_r_iacc_h.parquet"
    assert cached.is_file()
    stat = cached.stat()
    os.utime(cached, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = _panel()
    _same(first, again)  # the same data, built again under a new key
    assert len(list((data_dir / "processed" / "panels").glob("*.parquet"))) == 2
    other = _panel(window=1)
    assert other.attrs["panel"]["window"] == 1


def test_membership_columns_are_added_after_the_kept_panel(mirror):
    _memo.forget()
    plain = _panel()
    with_members = _panel(with_membership=True)
    members = [c for c in with_members.columns if c.startswith("member__")]
    assert members and not any(c.startswith("member__") for c in _panel().columns)
    pd.testing.assert_frame_equal(
        plain, with_members.drop(columns=members), check_exact=True
    )
    assert with_members.attrs["panel"]["member_list"]
    assert plain.attrs["panel"]["member_list"] == {}
