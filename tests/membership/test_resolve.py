"""One resolver of "who is a member" for every metric, with one set of rules."""

from __future__ import annotations

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.resolve import (
    NOT_MEMBER,
    USER_LIST,
    Membership,
    infer_level,
    resolve_membership,
    resolve_memberships,
)

GEOS = ["ES21", "ES22", "ES23", "ES24", "ES30", "ES41"]


@pytest.mark.parametrize("text", ["false", "FALSE", " 0 ", "none", "non-member", ""])
def test_texts_that_say_no_are_not_members(text):
    flags = pd.Series(["member", text], index=["ES21", "ES22"], name="net")
    members = resolve_membership(None, flags, level=2)
    assert members.geos == ["ES21"]
    assert members.partnership == "net"


def test_text_roles_are_kept_and_other_text_is_member():
    flags = pd.Series(["Lead", "co-lead", "yes", "unknown"], index=GEOS[:4])
    roles = resolve_membership("net", flags, level=2).roles
    assert roles.to_dict() == {
        "ES21": "lead",
        "ES22": "co-lead",
        "ES23": "member",
        "ES24": "unknown",
    }
    assert roles.index.name == "geo"


@pytest.mark.parametrize(
    "values",
    [
        [True, False, True, False, None, False],
        [1, 0, 2, 0, float("nan"), 0],
        ["true", "false", "1", "0", None, ""],
    ],
)
def test_flags_as_bools_numbers_or_strings_agree(values):
    flags = pd.Series(values, index=GEOS)
    assert resolve_membership("net", flags, level=2).geos == ["ES21", "ES23"]


def test_every_form_gives_the_same_members():
    frame = pd.DataFrame({"geo": ["ES21", "ES30"], "partnership_id": ["net", "net"]})
    matrix = pd.DataFrame({"net": [1, 0, 1]}, index=["ES21", "ES22", "ES30"])
    roles = pd.Series(["member", pd.NA, "member"], index=["ES21", "ES22", "ES30"])
    forms = [frame, matrix, roles, ["ES30", "ES21"], pd.Index(["ES21", "ES30"])]
    for form in forms:
        members = resolve_membership("net", form, level=2)
        assert isinstance(members, Membership)
        assert members.geos == ["ES21", "ES30"], form
        assert members.source == "argument"
        assert members.member_list == USER_LIST


def test_a_region_listed_twice_keeps_its_strongest_role():
    frame = pd.DataFrame({"geo": ["ES21", "ES21"], "role": ["member", "co-lead"]})
    assert resolve_membership(None, frame, level=2).roles.to_dict() == {
        "ES21": "co-lead"
    }


def test_several_partnerships_need_a_choice():
    frame = pd.DataFrame({"geo": ["ES21", "ES30"], "partnership_id": ["a", "b"]})
    with pytest.raises(MembershipError, match="pass partnership="):
        resolve_membership(None, frame, level=2)
    assert resolve_membership("b", frame, level=2).geos == ["ES30"]
    matrix = pd.DataFrame({"a": [1], "b": [0]}, index=["ES21"])
    with pytest.raises(MembershipError, match="naming one of them"):
        resolve_membership(None, matrix, level=2)


def test_empty_or_unrecognised_membership_raises():
    with pytest.raises(MembershipError, match="is empty"):
        resolve_membership(
            "net", pd.Series(["false", "0"], index=["ES21", "ES22"]), level=2
        )
    with pytest.raises(MetricInputError, match="got int"):
        resolve_membership("net", 42, level=2)
    with pytest.raises(MetricInputError):
        resolve_membership("net", "ES21", level=2)
    with pytest.raises(MembershipError, match="give a partnership id"):
        resolve_membership(None, None, level=2)


def test_registry_partnership_matches_members():
    members = resolve_membership("social_economy", None, level=2)
    expected = rg.members("social_economy", level=2)
    assert sorted(members.geos) == sorted(expected["geo"])
    assert (members.source, members.member_list) == ("registry", "complete")
    assert members.completeness.startswith("complete list per source")
    with pytest.raises(MembershipError, match="social_econmy"):
        resolve_membership("social_econmy", None, level=2)


def test_completeness_travels_with_a_matrix_or_groups():
    matrix = rg.membership_matrix(partnerships=["hydrogen_valleys"])
    members = resolve_membership("hydrogen_valleys", matrix, level=2)
    assert members.member_list == "partial"
    roles = rg.membership_matrix(value="role", partnerships=["social_economy"])
    members = resolve_membership(None, roles, level=2)
    assert members.partnership == "social_economy"
    assert members.roles["ES22"] == "lead"
    assert members.member_list == "complete"


def test_resolve_memberships_keeps_every_partnership():
    matrix = pd.DataFrame(
        {"a": [1, 0], "b": ["0", "false"], "c": ["lead", None]}, index=["ES21", "ES22"]
    )
    resolved = resolve_memberships(matrix)
    assert [(m.partnership, m.geos) for m in resolved] == [
        ("a", ["ES21"]),
        ("b", []),
        ("c", ["ES21"]),
    ]
    frame = pd.DataFrame({"geo": ["ES21", "ES30"], "partnership_id": ["b", "a"]})
    assert [m.partnership for m in resolve_memberships(frame)] == ["a", "b"]
    (one,) = resolve_memberships(pd.Series([True, False], index=["ES21", "ES22"]))
    assert one.partnership is None and one.geos == ["ES21"]


def test_not_member_texts_are_documented():
    assert {"false", "0"} <= set(NOT_MEMBER)


def test_infer_level():
    assert infer_level(["ES21", "ES22", "ES3"]) == 2
    assert infer_level(["ES21123"]) == 3
    with pytest.raises(MetricInputError):
        infer_level([])
