"""Sobol indices (SALib) of a model and of every region's rank in the index.

Three checks: a linear model whose indices are known in closed form, the Ishigami
function's analytical indices (Ishigami & Homma 1990; Saltelli et al. 2008,
*Global Sensitivity Analysis: The Primer*, §4.6), and a brute-force reference
(exact conditional variances of a model on a grid); then the index itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import MetricInputError
from regiongap.metrics.composite.sensitivity import index_sensitivity, sobol_indices

PI = np.pi


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return (
        np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    )


def ishigami_analytical(a: float = 7.0, b: float = 0.1) -> tuple[list, list]:
    v1 = 0.5 * (1 + b * PI**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * PI**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def test_linear_model_closed_form():
    # Y = 1 X1 + 2 X2 + 3 X3 with X ~ U(0, 1): S_i = a_i^2 / sum a^2, S_Ti = S_i
    a = np.array([1.0, 2.0, 3.0])
    s = sobol_indices(
        lambda x: x @ a,
        dict.fromkeys(["x1", "x2", "x3"], (0.0, 1.0)),
        n_base=4096,
        seed=1,
    )
    expected = a**2 / (a**2).sum()
    np.testing.assert_allclose(s["S1"], expected, atol=0.02)
    np.testing.assert_allclose(s["ST"], expected, atol=0.02)


def test_ishigami_analytical_indices():
    first, total = ishigami_analytical()
    bounds = dict.fromkeys(["x1", "x2", "x3"], (-PI, PI))
    s = sobol_indices(ishigami, bounds, n_base=8192, seed=0)
    np.testing.assert_allclose(s["S1"], first, atol=0.02)
    np.testing.assert_allclose(s["ST"], total, atol=0.02)
    # convergence: the half sample agrees, the intervals are narrow
    assert (s["ST"] - s["ST_half"]).abs().max() < 0.01
    assert s["ST_conf"].max() < 0.05
    assert s.attrs["n_runs"] == 8192 * 5


def test_groups_against_a_brute_force_reference():
    # Y = X1 * X2 + X3 on a fine grid: exact first-order share of the group {X1, X2}
    s = sobol_indices(
        lambda x: x[:, 0] * x[:, 1] + x[:, 2],
        dict.fromkeys(["x1", "x2", "x3"], (0.0, 1.0)),
        n_base=4096,
        groups={"x1": "product", "x2": "product", "x3": "x3"},
    )
    g = (np.arange(200) + 0.5) / 200
    x1, x2, x3 = np.meshgrid(g, g, g, indexing="ij")
    y = x1 * x2 + x3
    v = y.var()
    s_product = (x1 * x2).mean(axis=2).var() / v  # V(E[Y | X1, X2]) / V(Y)
    assert s.loc["product", "S1"] == pytest.approx(s_product, abs=0.02)
    assert s.loc["x3", "ST"] == pytest.approx(1 / 12 / v, abs=0.02)


def test_too_few_runs_and_bad_bounds_are_refused():
    with pytest.raises(MetricInputError, match="power of 2 and at least 64"):
        sobol_indices(lambda x: x[:, 0], {"x": (0.0, 1.0)}, n_base=50)
    with pytest.raises(MetricInputError, match="power of 2"):
        sobol_indices(lambda x: x[:, 0], {"x": (0.0, 1.0)}, n_base=100)
    with pytest.raises(MetricInputError, match="low < high"):
        sobol_indices(lambda x: x[:, 0], {"x": (1.0, 1.0)})
    with pytest.raises(MetricInputError, match="outputs"):
        sobol_indices(lambda x: x[:5, 0], {"x": (0.0, 1.0)}, n_base=64)


@pytest.fixture
def small():
    rng = np.random.default_rng(4)
    data = pd.DataFrame(
        rng.uniform(1, 10, size=(12, 4)),
        columns=["a", "b", "c", "d"],
        index=pd.Index([f"AT{i:02d}" for i in range(12)], name="geo"),
    )
    data.iloc[0, 0] = np.nan  # one gap: imputation and coverage matter
    fw = pd.DataFrame(
        {
            "indicator": ["a", "b", "c", "d"],
            "pillar": ["p", "p", "q", "r"],
            "higher_is_better": [True, True, True, False],
        }
    )
    return data, fw


def test_index_sensitivity_states_runs_and_convergence(small):
    data, fw = small
    s = index_sensitivity(data, fw, n_base=128, seed=3)
    assert s.n_runs == 128 * (5 + 2)
    assert list(s.total_order.columns) == [
        "normalisation",
        "aggregation",
        "imputation",
        "pillar_weights",
        "coverage",
    ]
    assert list(s.total_order.index) == list(data.index)
    assert set(s.convergence.columns) == {"max_change", "mean_change"}
    long = s.table()
    assert len(long) == 12 * 5
    assert (long["total_order"] >= -0.1).all()
    # the region with the gap: imputation only matters for it, noticeably
    assert (
        s.total_order.loc["AT00", "imputation"]
        > s.total_order["imputation"].drop("AT00").max()
    )


def test_index_sensitivity_leaves_out_regions_not_always_in_the_index(small):
    data, fw = small
    s = index_sensitivity(data, fw, n_base=64, coverage=(0.5, 1.0))
    assert list(s.left_out) == ["AT00"]
    assert "coverage 0.75 < min_coverage 1.00" in s.left_out["AT00"]
    assert "AT00" not in s.total_order.index


def test_index_sensitivity_bad_choices(small):
    data, fw = small
    with pytest.raises(MetricInputError, match="zscore"):
        index_sensitivity(data, fw, n_base=64, normalisations=["zscore", "minmax"])
    with pytest.raises(MetricInputError, match="power of 2"):
        index_sensitivity(data, fw, n_base=63)
    with pytest.raises(MetricInputError, match="no assumption varies"):
        index_sensitivity(
            data,
            fw,
            n_base=64,
            normalisations=["minmax"],
            aggregations=["arithmetic"],
            imputations=["median"],
            coverage=(0.5, 0.5),
            weight_noise=0.0,
        )
