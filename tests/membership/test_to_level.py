"""Members moved to one NUTS level: expanded, mapped to the parent, merged."""

from __future__ import annotations

import pandas as pd
import pytest

import regiongap as rg
from regiongap.geo.lists import nuts_codes


@pytest.mark.parametrize(
    ("partnership", "listed", "expected"),
    [
        ("cybersecurity", "FRH", {"FRH0"}),
        ("cybersecurity", "EE", {"EE00"}),
        ("chemicals", "PL9", {"PL91", "PL92"}),
        ("social_economy", "SI", {"SI03", "SI04"}),
        ("cybersecurity", "UKL", {"UKL1", "UKL2"}),
    ],
)
def test_coarse_members_are_expanded_to_nuts2(partnership, listed, expected):
    rows = rg.members(partnership, level=2)
    hit = rows[rows["listed_geo"] == listed]
    assert set(hit["geo"]) == expected
    assert (hit["mapping"] == "expanded").all()


def test_nuts3_members_are_mapped_to_parent_and_merged_not_duplicated():
    rows = rg.members("mining", level=2)
    fi1d = rows[rows["geo"] == "FI1D"]
    assert len(fi1d) == 1
    row = fi1d.iloc[0]
    assert set(row["listed_geo"].split(", ")) == {"FI1D7", "FI1D3", "FI1D8"}
    assert row["n_listed"] == 3
    assert row["mapping"] == "parent"
    # Lapland and North Karelia lead, Kainuu is a member: the strongest role wins
    assert row["role"] == "co-lead"
    names = nuts_codes(2021).set_index("geo")["region_name"]
    assert row["region_name"] == names["FI1D"]


def test_merge_keeps_strongest_role_and_highest_confidence():
    frame = pd.DataFrame(
        {
            "partnership_id": ["net", "net"],
            "geo": ["FI1D7", "FI1D3"],
            "role": ["member", "lead"],
            "confidence": ["high", "low"],
            "member_list": ["complete", "complete"],
        }
    )
    row = rg.members(level=2, registry=frame).iloc[0]
    assert (row["role"], row["confidence"], row["n_listed"]) == ("lead", "high", 2)


def test_level1_maps_up_and_down():
    rows = rg.members("social_economy", level=1)
    assert set(rows["geo"]) == {"ES2", "ES6", "FI1", "ITH", "SE1", "SI0", "BE3"}
    mapping = dict(zip(rows["listed_geo"], rows["mapping"], strict=True))
    assert mapping == {
        "ES22": "parent",
        "ES62": "parent",
        "FI1D7": "parent",
        "ITH5": "parent",
        "SE124": "parent",
        "SI": "expanded",
        "BE3": "as_listed",
    }
