"""What the notebooks display: headers, tables, annex and notes, all escaped."""

from __future__ import annotations

import pytest

from regiongap.errors import MembershipError


def test_header_and_annex_escape_and_say_what_is_missing(small_data):
    from regiongap.report.sections import Profile, partnership_header, sources_annex

    data = small_data
    header = partnership_header(data, "evil")
    assert "<script>" not in header and "&lt;script&gt;" in header
    assert "complete member list" in header
    annex = sources_annex(data)
    for part in (
        "nama_10r_2gdp",
        "2023-02-21",
        "1 of 2 (50%)",
        "AT12",
        "HR04",
        "Motorway density",
        "working offline",
    ):
        assert part in annex
    assert "<script>" not in Profile(data, "evil").table().to_html()
    empty = Profile(data, "empty")
    assert not empty.has_members
    assert "no member regions" in empty.member_map()
    with pytest.raises(MembershipError, match="unknown partnership 'nope'"):
        Profile(data, "nope")


def test_the_annex_names_left_out_regions_parent_values_levels_and_version(small_data):
    import dataclasses

    import pandas as pd

    from regiongap.report.sections import Overview, sources_annex

    data = dataclasses.replace(
        small_data,
        nuts_year=2024,
        nuts_year_reason="NUTS 2024: asked for <it>",
        excluded=pd.DataFrame(
            {"region_name": ["Niederösterreich"], "reason": ["coverage 0.33 < 0.60"]},
            index=pd.Index(["AT12"], name="geo"),
        ),
        parent_values=pd.DataFrame(
            {
                "indicator": ["gdp_pps_per_inhabitant"],
                "geo": ["AT12"],
                "value": [30000.0],
                "year": pd.array([2019], dtype="Int64"),
                "source_level": pd.array([1], dtype="Int64"),
            }
        ),
        coverage_levels=pd.DataFrame(
            {
                "indicator": ["gdp_pps_per_inhabitant"] * 2,
                "country": ["AT", "DE"],
                "n_regions": [3, 38],
                "n_with_value": [2, 0],
                "reported_level": pd.array([2, 1], dtype="Int64"),
                "reporting": ["partial", "higher_level_only"],
                "year": pd.array([2019, 2019], dtype="Int64"),
            }
        ),
    )
    annex = sources_annex(data)
    for part in (
        "GISCO NUTS 2024 boundaries",
        "Niederösterreich",
        "coverage 0.33 &lt; 0.60",
        "NUTS 1: 1 region of AT (1)",
        "AT (2 of 3)",
        "DE (NUTS 1)",
        "asked for &lt;it&gt;",
    ):
        assert part in annex, part
    assert "<it>" not in annex
    overview = Overview(data)
    assert "NUTS 2024" in overview.version()
    assert overview.excluded().loc["Niederösterreich", "NUTS"] == "AT12"


def test_the_annex_names_members_followed_to_the_version_and_left_out(small_data):
    import dataclasses

    from regiongap.report.sections import sources_annex

    members = small_data.members.copy()
    members["listed_geo"] = ["AT11", "AT14"]
    members["nuts_change"] = ["unchanged", "boundary_shift"]
    members["nuts_note"] = ["", "<b>boundary</b> moved"]
    data = dataclasses.replace(
        small_data,
        nuts_year=2024,
        members=members,
        member_notes=["1 listed member row(s) have no region in NUTS 2024: <UKM>"],
    )
    annex = sources_annex(data)
    assert "Members followed to NUTS 2024" in annex
    assert "AT14 → AT13 (boundary_shift): &lt;b&gt;boundary&lt;/b&gt; moved" in annex
    assert "AT11 →" not in annex  # unchanged members are not listed
    assert "no region in NUTS 2024: &lt;UKM&gt;" in annex
    assert "<UKM>" not in annex
    plain = sources_annex(small_data)
    assert "Members followed" not in plain
