"""One membership rule for every metric that takes ``membership=`` (issue 13).

``metrics/cohesion.py`` used to convert memberships itself and counted the strings
``"false"`` and ``"0"`` as members, while the partnership metrics treated them as
non-members. Every metric now reads memberships through
``regiongap.membership.resolve``; these tests pass the same flags through each of
them and check that the regions flagged ``"false"``, ``"0"``, ``False`` or ``0`` are
non-members everywhere.
"""

from __future__ import annotations

import pandas as pd
import pytest

from regiongap.metrics import (
    candidates,
    members_vs_nonmembers,
    participation_by_category,
    partnership_gaps,
    support_needs,
)

GEOS = ["AT11", "AT12", "AT13", "BE10", "BE21", "DE11"]
MEMBERS = ["AT11", "BE10"]
NON_MEMBERS = ["AT12", "AT13", "BE21", "DE11"]

FLAGS = {
    "text": ["member", "false", "0", "lead", "FALSE", " 0 "],
    "text-yes-no": ["yes", "False", "0", "true", "non-member", "none"],
    "bool": [True, False, False, True, False, False],
    "object-bool": pd.array([True, False, False, True, False, False], dtype=object),
    "int": [1, 0, 0, 1, 0, 0],
    "float": [1.0, 0.0, 0.0, 2.0, 0.0, float("nan")],
}


@pytest.fixture(params=sorted(FLAGS))
def flags(request) -> pd.Series:
    return pd.Series(FLAGS[request.param], index=GEOS, name="p")


@pytest.fixture
def values() -> pd.Series:
    return pd.Series([50.0, 70.0, 90.0, 80.0, 60.0, 40.0], index=GEOS, name="index")


def test_participation_by_category(flags):
    categories = pd.Series("transition", index=GEOS)
    out = participation_by_category(categories, flags)
    table = out.set_index(["partnership", "category"])
    assert table.loc[("any", "all"), "n_members"] == len(MEMBERS)
    assert table.loc[("p", "all"), "n_members"] == len(MEMBERS)
    assert table.loc[("p", "all"), "share"] == pytest.approx(2 / 6)


def test_participation_by_category_matrix_of_text_flags():
    categories = pd.Series("less developed", index=GEOS)
    matrix = pd.DataFrame(
        {
            "p": ["member", "false", "0", "lead", "False", None],
            "q": ["0", "0", "false", "false", "0", "0"],
        },
        index=GEOS,
    )
    out = participation_by_category(categories, matrix)
    table = out.set_index(["partnership", "category"])
    assert table.loc[("p", "all"), "n_members"] == len(MEMBERS)
    assert table.loc[("q", "all"), "n_members"] == 0  # a partnership with no member
    assert table.loc[("any", "all"), "n_members"] == len(MEMBERS)


def test_partnership_gaps(flags, values):
    g = partnership_gaps(values, membership=flags)
    assert g.table.index.tolist() == MEMBERS
    assert g.summary["n_members"] == len(MEMBERS)


def test_members_vs_nonmembers(flags, values):
    r = members_vs_nonmembers(values, membership=flags, n_boot=20)
    assert (r.n_members, r.n_nonmembers) == (len(MEMBERS), len(NON_MEMBERS))
    assert r.mean_members == pytest.approx((50.0 + 80.0) / 2)
    assert r.mean_nonmembers == pytest.approx((70.0 + 90.0 + 60.0 + 40.0) / 4)


def test_candidates(flags):
    profile = pd.DataFrame(
        {
            "p": [10.0, 12.0, 11.0, 14.0, 30.0, 50.0],
            "q": [5.0, 6.0, 5.5, 4.0, 2.0, 1.0],
        },
        index=pd.Index(GEOS, name="geo"),
    )
    out = candidates(profile, membership=flags, n=None, standardise=False)
    assert out.attrs["members_used"] == MEMBERS
    assert sorted(out.index) == NON_MEMBERS


def test_support_needs(flags, values):
    out = support_needs(values, membership=flags)
    assert sorted(out.index) == MEMBERS
