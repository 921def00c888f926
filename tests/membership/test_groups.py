"""The region × partnership matrix and the members / non-members split."""

from __future__ import annotations

import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, MembershipError, SchemaError
from regiongap.geo.lists import nuts_codes
from regiongap.membership.vocabulary import COMPLETE


# ------------------------------------------------------------------ matrix
def test_matrix_has_one_row_per_region_and_counts_memberships():
    matrix = rg.membership_matrix(level=2)
    rows = rg.members(level=2)
    assert matrix.index.is_unique and matrix.index.name == "geo"
    assert set(matrix.columns) == set(rg.partnerships()["partnership_id"])
    assert set(matrix.to_numpy().ravel()) <= {0, 1}
    assert str(matrix.dtypes.unique()[0]) == "int64"
    # column sums = members per partnership; row sums = partnerships per region
    assert matrix.sum().to_dict() == {
        pid: int((rows["partnership_id"] == pid).sum()) for pid in matrix.columns
    }
    assert matrix.loc["ES41"].sum() == int((rows["geo"] == "ES41").sum()) >= 5
    assert matrix["photonics"].sum() == 0  # listed with no members


def test_matrix_roles_and_complete_only():
    roles = rg.membership_matrix(value="role", partnerships=["social_economy"])
    assert roles.loc["ES22", "social_economy"] == "lead"
    complete = rg.membership_matrix(complete_only=True)
    assert list(complete.columns) == [
        p
        for p in rg.partnerships()["partnership_id"]
        if p in rg.complete_partnerships()
    ]
    assert complete.attrs["member_list"] == dict.fromkeys(complete.columns, COMPLETE)
    with pytest.raises(MembershipError, match="not complete"):
        rg.membership_matrix(partnerships=["hydrogen_valleys"], complete_only=True)
    with pytest.raises(SchemaError):
        rg.membership_matrix(value="share")


def test_matrix_all_regions_covers_every_nuts2_region():
    matrix = rg.membership_matrix(all_regions=True, partnerships="social_economy")
    assert set(nuts_codes(2021, level=2)["geo"]) == set(matrix.index)
    assert matrix["social_economy"].sum() == len(rg.members("social_economy", level=2))


# ------------------------------------------------------------------ groups
def test_groups_refuse_incomplete_lists_by_default():
    with pytest.raises(MembershipError) as info:
        rg.membership_groups("hydrogen_valleys")
    text = str(info.value)
    assert "not complete" in text and "5 of 12" in text
    assert "social_economy" in text  # the complete alternatives are listed


def test_groups_on_a_complete_list():
    groups = rg.membership_groups("social_economy")
    assert groups.name == "social_economy"
    assert set(groups.cat.categories) == {"member", "non-member"}
    members = set(rg.members("social_economy", level=2)["geo"])
    assert set(groups[groups == "member"].index) == members
    eu27 = set(nuts_codes(2021, level=2, countries="EU27")["geo"])
    assert set(groups.index) == eu27
    assert groups.attrs["member_list"] == {"social_economy": COMPLETE}


def test_groups_on_incomplete_list_warn_when_allowed():
    with pytest.warns(DataQualityWarning, match="not complete"):
        groups = rg.membership_groups("hydrogen_valleys", complete_only=False)
    assert (groups == "member").sum() == len(rg.members("hydrogen_valleys", level=2))


def test_groups_warn_about_members_outside_the_universe():
    with pytest.warns(DataQualityWarning, match="UKL1, UKL2"):
        groups = rg.membership_groups("cybersecurity")
    assert "UKL1" not in groups.index
    everything = rg.membership_groups("cybersecurity", universe="all")
    assert everything["UKL1"] == "member"
