"""Moran's I, LISA clusters and the weights' island policy.

Three checks: closed-form lattices, esda's documented value on libpysal's St. Louis
example (bundled with libpysal), and esda itself as the reference implementation of
the conditional permutation test; then the bad inputs and the real NUTS shapes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from esda import fdr
from esda.moran import Moran_Local
from libpysal import examples
from libpysal import io as psio
from libpysal.weights import lat2W

from regiongap.errors import DataQualityWarning, MetricInputError
from regiongap.metrics.spatial import lisa_clusters, morans_i
from regiongap.metrics.spatial_weights import RegionWeights, region_weights


def _lattice(rows: int, cols: int) -> RegionWeights:
    return RegionWeights(w=lat2W(rows, cols), contiguity="rook", policy=None, k=1)


@pytest.fixture(scope="module")
def stl():
    w = psio.open(examples.get_path("stl.gal")).read()
    rates = psio.open(examples.get_path("stl_hom.txt")).by_col["HR8893"]
    rw = RegionWeights(w=w, contiguity="queen", policy=None, k=1)
    return pd.Series(rates, index=w.id_order, dtype="float64"), rw, w


# -- closed form -------------------------------------------------------------
def test_checkerboard_is_perfectly_negative_and_stripes_positive():
    board = pd.Series([(r + c) % 2 for r in range(4) for c in range(4)], dtype=float)
    assert morans_i(board, _lattice(4, 4), permutations=0).i == pytest.approx(-1.0)
    # two halves (left 0, right 1) on a 2x2: every region has one like, one unlike
    halves = pd.Series([0.0, 1.0, 0.0, 1.0])
    assert morans_i(halves, _lattice(2, 2), permutations=0).i == pytest.approx(0.0)
    # E[I] = -1/(n-1)
    assert morans_i(board, _lattice(4, 4), permutations=0).expected == pytest.approx(
        -1 / 15
    )


def test_morans_i_matches_its_formula(stl):
    y, rw, w = stl
    w.transform = "r"
    z = y.to_numpy() - y.mean()
    lag = np.asarray(w.sparse @ z).ravel()
    expected = len(z) / w.s0 * (z @ lag) / (z @ z)
    assert morans_i(y, rw, permutations=0).i == pytest.approx(expected)


# -- published value -----------------------------------------------------------
def test_esda_documented_value_on_st_louis(stl):
    """esda's Moran docstring: I = 0.244, EI = -0.012987, p_norm = 0.00027."""
    y, rw, _ = stl
    mi = morans_i(y, rw, permutations=999, seed=0)
    assert round(mi.i, 3) == 0.244
    assert mi.expected == pytest.approx(-0.012987012987012988)
    assert mi.p_norm == pytest.approx(0.00027147862770937614)
    assert mi.p_sim <= 0.01 and mi.n == 78


def test_seed_makes_permutations_repeatable_and_restores_global_state(stl):
    y, rw, _ = stl
    np.random.seed(5)
    before = np.random.random()
    np.random.seed(5)
    a = morans_i(y, rw, seed=3)
    after = np.random.random()
    b = morans_i(y, rw, seed=3)
    assert (a.p_sim, a.z_sim) == (b.p_sim, b.z_sim)
    assert before == after  # the caller's global generator is untouched


# -- reference implementation --------------------------------------------------
@pytest.mark.slow  # esda compiles its permutation loop with numba (tens of seconds)
@pytest.mark.filterwarnings("ignore:The alternative hypothesis:DeprecationWarning")
def test_lisa_agrees_with_esda(stl):
    y, rw, w = stl
    ours = lisa_clusters(y, rw, permutations=9999, seed=1, fdr=False)
    ref = Moran_Local(y.to_numpy(), w, permutations=9999, seed=1)
    np.testing.assert_allclose(ours["local_i"], ref.Is)
    assert (
        ours["quadrant"].to_numpy()
        == pd.Series(ref.q).map({1: "HH", 2: "LH", 3: "LL", 4: "HL"}).to_numpy()
    ).all()
    # two independent Monte Carlo estimates of the same p-values
    assert np.abs(ours["p_sim"].to_numpy() - ref.p_sim).max() < 0.03


def test_fdr_matches_esdas_benjamini_hochberg_cutoff(stl):
    y, rw, _ = stl
    lisa = lisa_clusters(y, rw, permutations=999, seed=2)
    cutoff = fdr(lisa["p_sim"].to_numpy(), 0.05)
    assert (lisa["significant"] == (lisa["p_sim"] <= cutoff)).all()
    raw = lisa_clusters(y, rw, permutations=999, seed=2, fdr=False)
    assert raw["significant"].sum() >= lisa["significant"].sum()
    assert set(lisa["cluster"]) <= {"HH", "LL", "HL", "LH", "not significant"}
    assert lisa.attrs["fdr"] == "Benjamini-Hochberg"


# -- bad input -------------------------------------------------------------------
def test_constant_values_and_too_few_regions_are_errors():
    rw = _lattice(2, 2)
    with pytest.raises(MetricInputError, match=r"constant .*undefined"):
        morans_i(pd.Series([3.0] * 4), rw)
    with pytest.raises(MetricInputError, match=r"only 0 region.*at least 2"):
        morans_i(pd.Series([1.0, np.nan, np.nan, np.nan]), rw)
    with pytest.raises(MetricInputError, match="permutations"):
        lisa_clusters(pd.Series([1.0, 2.0, 3.0, 4.0]), rw, permutations=10)


def test_regions_without_value_are_named():
    rw = _lattice(3, 3)
    values = pd.Series(np.arange(9.0))
    values[4] = np.nan
    with pytest.warns(DataQualityWarning, match=r"4 \(no value\)"):
        mi = morans_i(values, rw, permutations=0)
    assert mi.left_out == {"4": "no value"} and mi.n == 8


# -- the real NUTS shapes ----------------------------------------------------------
@pytest.mark.mirror
def test_islands_need_a_policy_and_the_output_says_which(mirror):
    import regiongap as rg

    shapes = rg.nuts_regions(level=2)
    eu = shapes[shapes["geo"].map(rg.is_eu27)]
    with pytest.raises(MetricInputError, match=r"MT00.*islands='knn'"):
        region_weights(eu)
    knn = region_weights(eu, islands="knn")
    assert knn.links["MT00"] == ["ITG1"] and "MT00" in knn.w.neighbors["ITG1"]
    assert {"CY00", "ES70", "PT20", "FRY1"} <= set(knn.islands)
    assert knn.w.n == 242 and not knn.w.islands
    assert "linked to their 1 nearest" in knn.describe()
    dropped = region_weights(eu, islands="drop")
    assert dropped.w.n == 242 - len(dropped.left_out)
    assert "left out: CY00" in dropped.describe()
    with pytest.raises(MetricInputError, match="policy"):
        region_weights(eu, islands="nearest")


@pytest.mark.mirror
def test_capacity_has_spatial_structure_on_the_mirror(mirror):
    import regiongap as rg

    gdp = rg.fetch_dataset("nama_10r_3gdp", filters={"unit": "PPS_EU27_2020_HAB"})
    y2019 = gdp[(gdp["time"] == 2019) & (gdp["geo"].str.len() == 4)]
    values = y2019.set_index("geo")["value"]
    shapes = rg.nuts_regions(level=2)
    eu = shapes[shapes["geo"].map(rg.is_eu27)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        mi = morans_i(values, region_weights(eu, islands="knn"))
        lisa = lisa_clusters(values, region_weights(eu, islands="drop"))
    assert mi.i > 0.3 and mi.p_sim < 0.01  # rich regions neighbour rich ones
    assert (lisa["cluster"] == "LL").sum() > 5
    assert "islands" not in lisa.index and lisa.attrs["left_out"]
