"""A panel in one NUTS version: the version chosen, every source recoded, said so."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning
from regiongap.indicators._versions import choose_nuts_year, recode_frames

TERTIARY = "tertiary_attainment_25_64"


def _panel(ids, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return rg.panel(ids, policy="exact", offline=True, **kwargs)


@pytest.mark.mirror
def test_the_summary_tables_nuts_2024_codes_make_a_2024_panel(mirror):
    p = _panel([TERTIARY], year=2024)
    meta = p.attrs["panel"]
    assert meta["nuts_year"] == 2024 and len(p) == 244
    assert meta["nuts_year_reason"].startswith("NUTS 2024: ")
    assert p.loc[["PT19", "PT1A", "PT1D"], TERTIARY].notna().all()
    assert meta["indicators"][TERTIARY]["nuts_recode"]["lost"] == 0


@pytest.mark.mirror
def test_a_2021_panel_recodes_them_and_counts_what_is_lost(mirror):
    p = _panel([TERTIARY], year=2024, nuts_year=2021)
    meta = p.attrs["panel"]
    assert meta["nuts_year"] == 2021 and len(p) == 242
    assert meta["nuts_year_reason"] == "chosen by the caller"
    recode = meta["indicators"][TERTIARY]["nuts_recode"]
    # Portugal's and the Netherlands' 2024 regions have no NUTS 2021 counterpart
    assert recode["codes_not_kept"] == [
        "NL35",
        "NL36",
        "PT19",
        "PT1A",
        "PT1B",
        "PT1C",
        "PT1D",
    ]
    assert recode["lost"] == 7 and recode["unchanged"] == 236
    assert p.loc[["PT16", "PT17", "PT18"], TERTIARY].isna().all()
    assert p.loc["PT11", TERTIARY] == 29.1
    assert any("NUTS 2024 → 2021" in m for m in meta["recode_messages"])


@pytest.mark.mirror
def test_the_2019_panel_stays_in_nuts_2021(mirror):
    p = _panel(None, year=2019)  # every indicator: most carry NUTS 2021 codes
    assert p.attrs["panel"]["nuts_year"] == 2021 and len(p) == 242


def test_a_tie_keeps_nuts_2021_and_a_newer_version_must_fit_more():
    same = pd.DataFrame({"geo": ["AT11", "AT12"], "value": [1.0, 2.0]})
    assert choose_nuts_year({"x": same}, 2, ["AT"])[0] == 2021
    new = pd.DataFrame({"geo": ["PT19", "PT1A", "AT11"], "value": 1.0})
    assert choose_nuts_year({"x": new}, 2, ["AT", "PT"])[0] == 2024


def test_recoding_keeps_target_rows_and_counts_codes():
    frame = pd.DataFrame(
        {
            "indicator": "x",
            "geo": ["HR04", "HR03", "AT11", "AL01", "EU27_2020"],
            "time": 2019,
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    frames = {"x": frame}
    counts, messages = recode_frames(frames, 2021, ["HR", "AT"])
    assert counts["x"] == {
        "unchanged": 2,
        "recoded": 0,
        "merged": 0,
        "lost": 1,
        "unknown": 0,
        "codes_not_kept": ["HR04"],
    }
    out = frames["x"].set_index("geo")["value"]
    assert sorted(out.index) == ["AT11", "HR03", "HR04"]  # AL, EU27: not kept
    assert (out["HR03"], out["AT11"]) == (2.0, 3.0)
    assert pd.isna(out["HR04"])  # split: no NUTS 2021 region has its land
    assert messages and "HR04" in messages[0]


@pytest.mark.mirror
def test_membership_follows_the_panel_into_nuts_2024(mirror):
    # The registry lists Alentejo as PT18 (NUTS 2021); in a NUTS 2024 panel the
    # Solar Energy member is its successor PT1C, not a region outside the panel.
    p = _panel([TERTIARY], year=2024, with_membership=True)
    assert p.attrs["panel"]["nuts_year"] == 2024
    assert "PT18" not in p.index
    assert p.loc["PT1C", "member__solar_energy"] == 1
    listed = rg.members("solar_energy", level=2)
    assert "PT18" in set(listed["geo"])
    in_2024 = rg.members("solar_energy", level=2, nuts_year=2024)
    assert p["member__solar_energy"].sum() == in_2024["geo"].isin(p.index).sum()
