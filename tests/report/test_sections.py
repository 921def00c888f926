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
