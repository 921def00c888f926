"""Matchmaking inside a partnership, complementary candidates, co-membership network.

Closed-form cases on hand-made profiles, networkx's own algorithms on a hand-built
graph as the reference for the centralities, and the mirror's partnerships.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from regiongap.errors import MembershipError, MetricInputError
from regiongap.metrics.partnerships.candidates import candidates
from regiongap.metrics.partnerships.matchmaking import (
    collective_profile,
    mentor_pairs,
    pillar_roles,
)
from regiongap.metrics.partnerships.network import (
    comembership_network,
    lagging_outside,
    network_centrality,
)

PROFILE = pd.DataFrame(
    {
        "rd": [80.0, 20.0, 50.0, 95.0, 10.0, 60.0],
        "skills": [10.0, 90.0, 40.0, 30.0, 99.0, 55.0],
        "digital": [50.0, 45.0, 40.0, 20.0, 30.0, 90.0],
    },
    index=pd.Index(["AT11", "AT12", "AT13", "BE10", "BE21", "BE22"], name="geo"),
)
MEMBERS = ["AT11", "AT12", "AT13"]


def test_roles_and_mentor_pairs_closed_form():
    roles = pillar_roles(PROFILE, membership=MEMBERS)
    rd = roles[roles["pillar"] == "rd"].set_index("geo")
    assert rd["role"].to_dict() == {"AT11": "leads", "AT13": "middle", "AT12": "lags"}
    pairs = mentor_pairs(PROFILE, membership=MEMBERS)
    assert pairs[["pillar", "mentor", "mentee", "gap"]].to_numpy().tolist() == [
        ["skills", "AT12", "AT11", 80.0],
        ["rd", "AT11", "AT12", 60.0],
        ["digital", "AT11", "AT13", 10.0],
    ]
    assert pairs["gap_rank"].tolist() == [1, 2, 3]
    # profile distance: standardised over every region, by hand
    z = (PROFILE - PROFILE.mean()) / PROFILE.std(ddof=1)
    d = np.sqrt(((z.loc["AT11"] - z.loc["AT13"]) ** 2).sum())
    assert pairs.loc[2, "profile_distance"] == pytest.approx(d)


def test_collective_profile_and_uncovered_pillars():
    cp = collective_profile(PROFILE, membership=MEMBERS)
    assert cp.loc["rd", "best_member"] == "AT11"
    assert cp.loc["rd", "eu27_top_decile"] == pytest.approx(PROFILE["rd"].quantile(0.9))
    assert cp.attrs["uncovered"] == ["rd", "skills", "digital"]
    relaxed = collective_profile(PROFILE, membership=MEMBERS, quantile=0.5)
    assert relaxed["covered"].all()


def test_complementary_candidates_fill_the_gaps():
    out = candidates(PROFILE, membership=MEMBERS, kind="complementary", n=None)
    assert out.attrs["lacking"] == ["rd", "skills", "digital"]
    assert out.index[0] == "BE22"  # strong in digital, which no member covers
    assert out.loc["BE22", "fills"] == 1
    assert "digital 90.0 vs best member 50.0" in out.loc["BE22", "explained_by"]
    similar = candidates(PROFILE, membership=MEMBERS, standardise=False)
    assert "explained_by" in similar.columns
    with pytest.raises(MetricInputError, match="kind"):
        candidates(PROFILE, membership=MEMBERS, kind="opposite")


def test_one_member_is_refused():
    with pytest.raises(MembershipError, match="at least 2"):
        mentor_pairs(PROFILE, membership=["AT11"])
    with pytest.raises(MembershipError, match="at least 2"):
        collective_profile(PROFILE, membership=["AT11"])


def test_network_against_networkx_on_a_hand_built_graph():
    matrix = pd.DataFrame(
        {"a": [1, 1, 1, 0, 0], "b": [0, 0, 1, 1, 0], "c": [0, 0, 0, 0, 0]},
        index=["AT11", "AT12", "AT13", "BE10", "BE21"],
    )
    g = comembership_network(matrix)
    ref = nx.Graph(
        [("AT11", "AT12"), ("AT11", "AT13"), ("AT12", "AT13"), ("AT13", "BE10")]
    )
    ref.add_node("BE21")
    assert nx.utils.graphs_equal(nx.Graph(g.edges()), nx.Graph(ref.edges()))
    c = network_centrality(matrix)
    expected = nx.betweenness_centrality(ref)
    for geo, value in expected.items():
        assert c.loc[geo, "betweenness"] == pytest.approx(value)
    assert c.index[0] == "AT13"  # the bridge between the two partnerships
    assert c.loc["AT13", "n_partnerships"] == 2
    assert c.loc["BE21", "degree"] == 0


def test_lagging_regions_outside_every_partnership():
    values = pd.Series({"AT11": 1.0, "AT12": 2.0, "AT13": 3.0, "BE10": 4.0})
    matrix = pd.DataFrame({"a": [1]}, index=["AT11"])
    out = lagging_outside(values, matrix, share=0.5)
    assert out.index.tolist() == ["AT12"]
    assert out.attrs["n_lagging"] == 2 and out.attrs["n_outside"] == 1
    lower = lagging_outside(values, matrix, share=0.5, higher_is_better=False)
    assert lower.index.tolist() == ["BE10", "AT13"]


@pytest.mark.mirror
def test_registry_network_and_matchmaking_on_the_mirror(mirror):
    import regiongap as rg

    matrix = rg.membership_matrix(level=2)
    c = network_centrality(matrix)
    assert c.attrs["n_regions"] == len(matrix)
    assert c["betweenness"].iloc[0] > 0
