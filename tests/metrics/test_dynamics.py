"""Quantile Markov chains, Shorrocks and rank mobility, spatial Markov.

Three checks: closed-form chains (a swap, a frozen order), giddy's documented
values on libpysal's US income example (bundled with libpysal: ``usjoin.csv``,
``states48.gal``), and hand counts / scipy's Kendall tau as references; then gaps,
bad input and the real GDP series of the mirror.
"""

from __future__ import annotations

import warnings
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from libpysal import examples
from libpysal import io as psio
from scipy.stats import kendalltau

from regiongap.errors import DataQualityWarning, MembershipError, MetricInputError
from regiongap.metrics.dynamics import spatial_markov, transition_matrix
from regiongap.metrics.mobility import mobility_by_group, rank_mobility
from regiongap.metrics.spatial_weights import RegionWeights


@pytest.fixture(scope="module")
def usjoin() -> pd.DataFrame:
    frame = pd.read_csv(examples.get_path("usjoin.csv"))
    return frame.set_index("Name").drop(columns="STATE_FIPS")


# -- closed form -------------------------------------------------------------
def test_a_full_swap_and_a_frozen_order():
    swap = pd.DataFrame({2000: [1.0, 2.0, 3.0, 4.0], 2001: [4.0, 3.0, 2.0, 1.0]})
    chain = transition_matrix(swap, k=2)
    assert chain.counts.to_numpy().tolist() == [[0, 2], [2, 0]]
    assert chain.shorrocks == 2.0  # (k - trace)/(k - 1) with trace 0
    frozen = pd.DataFrame({y: [1.0, 2.0, 3.0, 4.0] for y in (2000, 2001, 2002)})
    still = transition_matrix(frozen, k=2)
    assert still.shorrocks == 0.0
    assert still.probabilities.to_numpy().tolist() == [[1.0, 0.0], [0.0, 1.0]]
    ranks = rank_mobility(frozen)
    assert ranks["kendall_tau"].tolist() == [1.0, 1.0, 1.0]
    assert ranks[["start", "end"]].to_numpy().tolist()[-1] == [2000, 2002]


# -- published values ------------------------------------------------------------
def test_giddy_documented_chain_on_us_incomes(usjoin):
    """giddy.markov.Markov docstring: transitions and steady state of q5."""
    chain = transition_matrix(usjoin)
    assert chain.counts.to_numpy().astype(int).tolist() == [
        [729, 71, 1, 0, 0],
        [72, 567, 80, 3, 0],
        [0, 81, 631, 86, 2],
        [0, 3, 86, 573, 56],
        [0, 0, 1, 57, 741],
    ]
    np.testing.assert_allclose(
        chain.steady_state,
        [0.20774716, 0.18725774, 0.20740537, 0.18821787, 0.20937187],
        rtol=1e-6,
    )
    assert chain.years == (1929, 2009) and len(chain.regions) == 48


def test_giddy_documented_spatial_markov_on_us_incomes(usjoin):
    """giddy.markov.Spatial_Markov docstring (fixed=True, k=5): P[0] and p[0]."""
    w = psio.open(examples.get_path("states48.gal")).read()
    w.remap_ids(usjoin.index.tolist())
    sm = spatial_markov(
        usjoin, RegionWeights(w=w, contiguity="queen", policy=None, k=1)
    )
    np.testing.assert_allclose(
        sm.conditional["lag Q1"].to_numpy()[0],
        [0.96341463, 0.0304878, 0.00609756, 0.0, 0.0],
        atol=1e-7,
    )
    assert set(sm.tests.index) == {"Q", "LR"} and sm.tests["p_value"].max() < 0.01


# -- reference implementations ------------------------------------------------------
def test_counts_match_a_hand_count(usjoin):
    chain = transition_matrix(usjoin, years=(1990, 2009), k=4)
    classes = chain.classes.to_numpy() - 1
    hand = np.zeros((4, 4))
    for row in classes:
        for a, b in pairwise(row):
            hand[a, b] += 1
    np.testing.assert_array_equal(chain.counts.to_numpy(), hand)
    assert chain.shorrocks == pytest.approx(
        (4 - np.trace(chain.probabilities.to_numpy())) / 3
    )


def test_kendall_tau_matches_scipy(usjoin):
    ranks = rank_mobility(usjoin, years=(1929, 2009), step=40)
    assert ranks[["start", "end"]].to_numpy().tolist() == [
        [1929, 1969],
        [1969, 2009],
        [1929, 2009],
    ]
    for _, row in ranks.iterrows():
        tau, p = kendalltau(
            usjoin[str(int(row["start"]))], usjoin[str(int(row["end"]))]
        )
        assert row["kendall_tau"] == pytest.approx(tau)
        assert row["p_value"] == pytest.approx(p, rel=0.05)  # both asymptotic


# -- gaps and bad input ---------------------------------------------------------------
def test_regions_with_a_gap_are_left_out_and_named():
    long = pd.DataFrame(
        {
            "geo": ["A", "A", "B", "B", "C", "D", "D"],
            "time": [2000, 2001, 2000, 2001, 2000, 2000, 2001],
            "value": [1.0, 2.0, 2.0, 1.0, 5.0, 3.0, 4.0],
        }
    )
    with pytest.warns(DataQualityWarning, match=r"never interpolated\): C"):
        chain = transition_matrix(long, k=2)
    assert chain.left_out == {"C": "no value in 2001"}
    assert chain.regions == ["A", "B", "D"]


def test_bad_series_are_refused():
    two_units = pd.DataFrame(
        {
            "unit": ["PPS", "EUR"],
            "geo": ["A", "A"],
            "time": [2000, 2000],
            "value": [1.0, 2.0],
        }
    )
    with pytest.raises(MetricInputError, match=r"several values of .*unit"):
        transition_matrix(two_units)
    one_year = pd.DataFrame({2000: [1.0, 2.0, 3.0]})
    with pytest.raises(MetricInputError, match="at least 2 years"):
        transition_matrix(one_year)
    tiny = pd.DataFrame({2000: [1.0, 2.0], 2001: [2.0, 1.0]})
    with pytest.raises(MetricInputError, match="k=5"):
        transition_matrix(tiny)
    with pytest.raises(MetricInputError, match="step"):
        rank_mobility(tiny, step=0)


def test_members_against_other_regions():
    wide = pd.DataFrame(
        {2000: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2001: [1.0, 2.0, 6.0, 5.0, 4.0, 3.0]},
        index=["AT11", "AT12", "AT13", "AT21", "AT22", "AT31"],
    )
    out = mobility_by_group(wide, membership=["AT11", "AT12"], k=2)
    assert out.index.tolist() == ["members", "other regions"]
    assert out.loc["members", "shorrocks"] == 0.0  # both stay at the bottom
    assert out.loc["members", "stay_bottom"] == 1.0
    assert out.loc["other regions", "moved_down"] == pytest.approx(0.25)
    with pytest.raises(MembershipError, match="complete series"):
        mobility_by_group(wide, membership=["BE10"], k=2)


@pytest.mark.mirror
def test_gdp_per_inhabitant_2000_2021_at_nuts2(mirror):
    import regiongap as rg

    gdp = rg.fetch_dataset("nama_10r_3gdp", filters={"unit": "PPS_EU27_2020_HAB"})
    nuts2 = gdp[(gdp["geo"].str.len() == 4) & gdp["geo"].map(rg.is_eu27)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        chain = transition_matrix(nuts2, years=(2000, 2021))
        ranks = rank_mobility(nuts2, years=(2000, 2021), step=7)
    assert chain.years == (2000, 2021) and len(chain.regions) > 200
    assert 0 < chain.shorrocks < 0.3  # regions mostly keep their fifth
    assert abs(chain.steady_state.sum() - 1) < 1e-9
    assert 0.5 < ranks["kendall_tau"].iloc[-1] < 1  # 0.68 on the mirror
