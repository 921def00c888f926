"""Capacity index (Handbook steps 1-8) and its Monte Carlo rank uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiongap.errors import MetricInputError
from regiongap.metrics.composite.index import CapacityIndex, capacity_index
from regiongap.metrics.composite.uncertainty import index_uncertainty
from tests.support.mirror_files import old_tsv_year, sdmx_csv_year


def _geo(*codes: str) -> pd.Index:
    return pd.Index(list(codes), name="geo")


@pytest.fixture
def three() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = pd.DataFrame(
        {"a": [0.0, 5.0, 10.0], "b": [30.0, 10.0, 20.0]}, index=_geo("X", "Y", "Z")
    )
    framework = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "pillar": ["p", "q"],
            "higher_is_better": [True, False],
        }
    )
    return data, framework


# ------------------------------------------------------------- closed forms


def test_minmax_arithmetic_by_hand(three):
    data, fw = three
    ci = capacity_index(data, fw)
    # a: (x - 0) / 10 * 100 -> 0, 50, 100; b lower-is-better: (30 - x) / 20 * 100
    # -> 0, 100, 50; index = mean of the two pillars
    assert ci.normalised["a"].tolist() == [0.0, 50.0, 100.0]
    assert ci.normalised["b"].tolist() == [0.0, 100.0, 50.0]
    assert ci.scores["index"].tolist() == [0.0, 75.0, 75.0]
    assert ci.scores["rank"].tolist() == [3, 1, 1]
    assert ci.scores["excluded_reason"].isna().all()
    assert isinstance(ci, CapacityIndex)
    assert ci.settings["minmax_range"] == (0.0, 100.0)


def test_three_regions_two_indicators_one_pillar_hand_ranks():
    data = pd.DataFrame(
        {"a": [2.0, 4.0, 8.0], "b": [1.0, 3.0, 2.0]}, index=_geo("A", "B", "C")
    )
    fw = pd.DataFrame(
        {"indicator": ["a", "b"], "pillar": ["p", "p"], "higher_is_better": [True] * 2}
    )
    ci = capacity_index(data, fw)
    # a -> 0, 33.33, 100; b -> 0, 100, 50; mean -> 0, 66.67, 75
    np.testing.assert_allclose(ci.scores["index"], [0.0, 200 / 3, 75.0])
    assert ci.scores["rank"].tolist() == [3, 2, 1]
    np.testing.assert_allclose(ci.pillars["p"], ci.scores["index"])


def test_geometric_vs_arithmetic_known_values():
    data = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=_geo("A", "B", "C")
    )
    fw = pd.DataFrame(
        {"indicator": ["a", "b"], "pillar": ["p", "q"], "higher_is_better": [True] * 2}
    )
    # rank normalisation: a -> 1, 2, 3 ; b -> 3, 1, 2
    ari = capacity_index(data, fw, normalisation="rank")
    geo = capacity_index(data, fw, normalisation="rank", aggregation="geometric")
    np.testing.assert_allclose(ari.scores["index"], [2.0, 1.5, 2.5])
    np.testing.assert_allclose(
        geo.scores["index"], [math.sqrt(3), math.sqrt(2), math.sqrt(6)]
    )
    # the geometric mean never exceeds the arithmetic one (AM-GM)
    assert (geo.scores["index"] <= ari.scores["index"] + 1e-12).all()


def test_geometric_minmax_is_rescaled_to_1_100_and_says_so(three):
    data, fw = three
    ci = capacity_index(data, fw, aggregation="geometric")
    assert ci.settings["minmax_range"] == (1.0, 100.0)
    assert ci.normalised["a"].tolist() == [1.0, 50.5, 100.0]
    expected = [math.sqrt(1 * 1), math.sqrt(50.5 * 100), math.sqrt(100 * 50.5)]
    np.testing.assert_allclose(ci.scores["index"], expected)


def test_contributions_sum_to_index_arithmetic_and_log_index_geometric():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(
        rng.uniform(1, 50, size=(8, 5)),
        index=_geo(*[f"R{i}" for i in range(8)]),
        columns=list("abcde"),
    )
    fw = pd.DataFrame(
        {
            "indicator": list("abcde"),
            "pillar": ["p", "p", "q", "q", "r"],
            "higher_is_better": [True, False, True, True, False],
            "weight": [1.0, 3.0, 1.0, 1.0, 1.0],
        }
    )
    ari = capacity_index(data, fw, pillar_weights={"p": 2, "q": 1, "r": 1})
    np.testing.assert_allclose(ari.contributions.sum(axis=1), ari.scores["index"])
    geo = capacity_index(data, fw, aggregation="geometric")
    assert geo.settings["contributions_scale"] == "log"
    np.testing.assert_allclose(
        geo.contributions.sum(axis=1), np.log(geo.scores["index"])
    )


def test_weights_within_and_across_pillars_by_hand():
    data = pd.DataFrame(
        {"a": [0.0, 10.0], "b": [10.0, 0.0], "c": [0.0, 10.0]}, index=_geo("A", "B")
    )
    fw = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "pillar": ["p", "p", "q"],
            "higher_is_better": [True] * 3,
            "weight": [3.0, 1.0, 1.0],
        }
    )
    ci = capacity_index(data, fw, pillar_weights={"p": 1.0, "q": 3.0})
    # region A: p = (3*0 + 1*100)/4 = 25, q = 0 -> (25 + 0*3)/4 = 6.25
    # region B: p = (3*100 + 0)/4 = 75, q = 100 -> (75 + 300)/4 = 93.75
    np.testing.assert_allclose(ci.pillars["p"], [25.0, 75.0])
    np.testing.assert_allclose(ci.scores["index"], [6.25, 93.75])
    eff = ci.framework.set_index("indicator")["effective_weight"]
    np.testing.assert_allclose(eff[["a", "b", "c"]], [0.1875, 0.0625, 0.75])


def test_zscore_uses_sample_standard_deviation():
    data = pd.DataFrame({"a": [1.0, 2.0, 3.0, 6.0]}, index=_geo("A", "B", "C", "D"))
    fw = pd.DataFrame(
        {"indicator": ["a"], "pillar": ["p"], "higher_is_better": [False]}
    )
    ci = capacity_index(data, fw, normalisation="zscore")
    mean, sd = 3.0, math.sqrt((4 + 1 + 0 + 9) / 3)
    expected = [-(x - mean) / sd for x in (1.0, 2.0, 3.0, 6.0)]
    np.testing.assert_allclose(ci.normalised["a"], expected)


def test_distance_to_reference(three):
    data, fw = three
    data = data.assign(a=[5.0, 10.0, 20.0])
    ci = capacity_index(
        data,
        fw,
        normalisation="distance_to_reference",
        reference={"a": 10.0, "b": 20.0},
    )
    assert ci.normalised["a"].tolist() == [50.0, 100.0, 200.0]
    # lower-is-better: 100 * ref / x
    np.testing.assert_allclose(ci.normalised["b"], [100 * 20 / 30, 200.0, 100.0])


def test_coverage_screen_and_imputation_none_exclude_with_reason():
    data = pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, np.nan, 5.0],
            "b": [2.0, 1.0, 4.0, np.nan, 3.0],
            "c": [5.0, 3.0, 1.0, 2.0, np.nan],
            "d": [1.0, 1.5, 2.0, 2.5, 3.0],
        },
        index=_geo("A", "B", "C", "D", "E"),
    )
    fw = pd.DataFrame(
        {
            "indicator": list("abcd"),
            "pillar": ["p", "p", "q", "q"],
            "higher_is_better": [True] * 4,
        }
    )
    ci = capacity_index(data, fw, min_coverage=0.75)
    reason = ci.scores["excluded_reason"]
    assert "coverage 0.50 < min_coverage 0.75" in reason["D"]
    assert "missing a, b" in reason["D"]
    assert reason["E"] == "missing c and imputation='none'"
    assert reason[["A", "B", "C"]].isna().all()
    assert ci.scores.loc[["D", "E"], "index"].isna().all()
    assert ci.scores.loc[["D", "E"], "rank"].isna().all()
    assert ci.scores["coverage"].tolist() == [1.0, 1.0, 1.0, 0.5, 0.75]
    assert list(ci.excluded.index) == ["D", "E"]
    # normalisation used the included regions only: d ranges over 1..2
    assert ci.normalised["d"].tolist() == [0.0, 50.0, 100.0]


def test_pillar_mean_and_median_imputation_are_flagged():
    data = pd.DataFrame(
        {
            "a": [0.0, 10.0, 20.0, 5.0],
            "b": [0.0, 10.0, 20.0, np.nan],
            "c": [1.0, 2.0, 3.0, 4.0],
        },
        index=_geo("A", "B", "C", "D"),
    )
    fw = pd.DataFrame(
        {
            "indicator": list("abc"),
            "pillar": ["p", "p", "q"],
            "higher_is_better": [True] * 3,
        }
    )
    pm = capacity_index(data, fw, imputation="pillar_mean", min_coverage=0.5)
    # D: a normalised = 25 (5 of 0..20); b imputed by the pillar mean of D = 25
    assert pm.normalised.loc["D", "b"] == 25.0
    assert pm.imputed.loc["D", "b"]
    assert int(pm.imputed.to_numpy().sum()) == 1
    assert pm.scores.loc["D", "n_imputed"] == 1
    med = capacity_index(data, fw, imputation="median", min_coverage=0.5)
    # b normalised over A, B, C = 0, 50, 100 -> median 50
    assert med.normalised.loc["D", "b"] == 50.0
    assert med.imputed.equals(pm.imputed)


def test_pillar_mean_impossible_when_pillar_is_empty():
    data = pd.DataFrame(
        {
            "a": [0.0, 10.0, 20.0, np.nan],
            "b": [1.0, 2.0, 3.0, 4.0],
            "c": [1.0, 5.0, 3.0, 4.0],
            "d": [1.0, 0.0, 3.0, 4.0],
        },
        index=_geo("A", "B", "C", "D"),
    )
    fw = pd.DataFrame(
        {
            "indicator": list("abcd"),
            "pillar": ["p", "q", "q", "q"],
            "higher_is_better": [True] * 4,
        }
    )
    ci = capacity_index(data, fw, imputation="pillar_mean")
    assert (
        "no observed indicator in pillar(s) p" in ci.scores.loc["D", "excluded_reason"]
    )


def test_accepts_panel_and_long_frames(three):
    data, fw = three
    panel = data.assign(
        a__year=pd.array([2020] * 3, dtype="Int64"),
        a__flag=pd.array([pd.NA, "p", pd.NA], dtype="string"),
        b__year=pd.array([2019] * 3, dtype="Int64"),
        b__flag=pd.array([pd.NA] * 3, dtype="string"),
        name=["x", "y", "z"],
    )
    assert capacity_index(panel, fw).scores["index"].tolist() == [0.0, 75.0, 75.0]
    long = data.reset_index().melt(id_vars="geo", var_name="indicator")
    assert capacity_index(long, fw).scores["index"].tolist() == [0.0, 75.0, 75.0]


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"normalisation": "softmax"}, r"normalisation 'softmax'.*\['distance_to_ref"),
        ({"aggregation": "harmonic"}, r"aggregation 'harmonic'.*\['arithmetic', 'geo"),
        ({"imputation": "em"}, r"imputation 'em'.*'none', 'pillar_mean', 'median'"),
        ({"pillar_weights": {"p": 1.0}}, r"pillar_weights.*missing \['q'\]"),
        ({"pillar_weights": {"p": 1, "q": 1, "z": 1}}, r"unknown \['z'\]"),
        ({"pillar_weights": {"p": -1.0, "q": 2.0}}, r"non-negative.*'p': -1"),
        ({"pillar_weights": {"p": 0.0, "q": 0.0}}, r"sum to 0"),
        ({"normalisation": "zscore", "aggregation": "geometric"}, r"zscore"),
        ({"normalisation": "distance_to_reference"}, r"reference.*\['a', 'b'\]"),
        ({"min_coverage": 1.5}, r"min_coverage"),
    ],
)
def test_bad_arguments_are_named(three, kwargs, match):
    data, fw = three
    with pytest.raises(MetricInputError, match=match):
        capacity_index(data, fw, **kwargs)


def test_bad_frameworks_are_named(three):
    data, fw = three
    with pytest.raises(MetricInputError, match=r"weight.*'a': -2"):
        capacity_index(data, fw.assign(weight=[-2.0, 1.0]))
    with pytest.raises(MetricInputError, match=r"missing column\(s\) \['pillar'\]"):
        capacity_index(data, fw.drop(columns="pillar"))
    with pytest.raises(MetricInputError, match=r"\['a'\] more than once"):
        capacity_index(data, pd.concat([fw, fw.iloc[[0]]]))
    with pytest.raises(MetricInputError, match=r"True or False.*'yes'"):
        capacity_index(data, fw.assign(higher_is_better=["yes", True]))
    with pytest.raises(
        MetricInputError, match=r"no column for framework indicator.*'c'"
    ):
        extra = pd.DataFrame(
            {"indicator": ["c"], "pillar": ["p"], "higher_is_better": [True]}
        )
        capacity_index(data, pd.concat([fw, extra]))


def test_constant_indicator_and_geometric_zero_are_errors(three):
    data, fw = three
    with pytest.raises(MetricInputError, match=r"'a' has the same value"):
        capacity_index(data.assign(a=1.0), fw)
    with pytest.raises(MetricInputError, match=r"strictly positive.*never shifts"):
        capacity_index(data, fw, aggregation="geometric", minmax_range=(0, 100))


# ------------------------------------------------------------- uncertainty


def _random_case(seed: int = 0):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        rng.lognormal(size=(30, 6)),
        index=_geo(*[f"R{i:02d}" for i in range(30)]),
        columns=[f"i{j}" for j in range(6)],
    )
    fw = pd.DataFrame(
        {
            "indicator": data.columns,
            "pillar": ["p", "p", "q", "q", "r", "r"],
            "higher_is_better": [True, True, False, True, True, False],
        }
    )
    return data, fw


def test_uncertainty_is_deterministic_for_a_seed():
    data, fw = _random_case()
    a = index_uncertainty(data, fw, n_runs=300, seed=7)
    b = index_uncertainty(data, fw, n_runs=300, seed=7)
    c = index_uncertainty(data, fw, n_runs=300, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["mean_rank"].equals(c["mean_rank"])
    assert sum(a.attrs["pairs"].values()) == 300
    assert "zscore/geometric" not in a.attrs["pairs"]
    assert (a["rank_p05"] <= a["median_rank"]).all()
    assert (a["median_rank"] <= a["rank_p95"]).all()
    assert (a["best_rank"] >= 1).all()
    assert (a["worst_rank"] <= len(data)).all()


def test_uncertainty_without_noise_reproduces_the_nominal_rank():
    data, fw = _random_case(1)
    u = index_uncertainty(
        data,
        fw,
        n_runs=50,
        normalisations=["minmax"],
        aggregations=["arithmetic"],
        weight_noise=0.0,
    )
    nominal = capacity_index(data, fw).scores["rank"]
    assert (u["median_rank"] == u["nominal_rank"]).all()
    assert (u["rank_width"] == 0).all()
    assert u["nominal_rank"].equals(nominal.loc[u.index])


def test_a_dominant_region_is_first_in_every_run():
    data, fw = _random_case(2)
    best = data.max().where(fw.set_index("indicator")["higher_is_better"], data.min())
    data.loc["TOP"] = best * np.where(fw["higher_is_better"], 2.0, 0.5)
    u = index_uncertainty(data, fw, n_runs=200, seed=0, weight_noise=0.5)
    assert u.loc["TOP", "worst_rank"] == 1
    assert u.index[0] == "TOP"


def test_uncertainty_bad_input():
    data, fw = _random_case()
    with pytest.raises(MetricInputError, match="normalisations: 'softmax'"):
        index_uncertainty(data, fw, normalisations=["softmax"])
    with pytest.raises(MetricInputError, match="no valid"):
        index_uncertainty(
            data, fw, normalisations=["zscore"], aggregations=["geometric"]
        )
    with pytest.raises(MetricInputError, match="weight_noise"):
        index_uncertainty(data, fw, weight_noise=1.5)
    with pytest.raises(MetricInputError, match="n_runs"):
        index_uncertainty(data, fw, n_runs=0)


# ------------------------------------------------------------- real data


@pytest.mark.mirror
def test_real_two_indicator_index_matches_a_loop_computation(mirror_path):
    eu = mirror_path / "eurostat"
    gdp = old_tsv_year(eu / "nama_10r_3gdp.tsv.gz", "PPS_HAB_EU27_2020", 2019, 2)
    htc = sdmx_csv_year(eu / "htec_emp_reg2.csv.gz", "PC_EMP", 2019, 2)
    geos = sorted(set(gdp) | set(htc))
    data = pd.DataFrame(
        {
            "gdp": [gdp.get(g, np.nan) for g in geos],
            "htc": [htc.get(g, np.nan) for g in geos],
        },
        index=_geo(*geos),
    )
    fw = pd.DataFrame(
        {
            "indicator": ["gdp", "htc"],
            "pillar": ["economy", "technology"],
            "higher_is_better": [True, True],
        }
    )
    ci = capacity_index(data, fw)

    both = [g for g in geos if g in gdp and g in htc]
    assert len(both) > 200
    lo_g, hi_g = min(gdp[g] for g in both), max(gdp[g] for g in both)
    lo_h, hi_h = min(htc[g] for g in both), max(htc[g] for g in both)
    expected = {
        g: 0.5 * 100 * (gdp[g] - lo_g) / (hi_g - lo_g)
        + 0.5 * 100 * (htc[g] - lo_h) / (hi_h - lo_h)
        for g in both
    }
    got = ci.scores["index"].dropna()
    assert sorted(got.index) == sorted(both)
    for g in both:
        assert got[g] == pytest.approx(expected[g], abs=1e-9)
    top = max(both, key=lambda g: expected[g])
    assert ci.scores.loc[top, "rank"] == 1
    excluded = ci.excluded
    assert len(excluded) == len(geos) - len(both)
    assert excluded.str.contains("coverage 0.50").all()


# ------------------------------------------------------------- properties


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(
        st.tuples(
            st.floats(0, 1000, allow_nan=False),
            st.floats(0, 1000, allow_nan=False),
            st.floats(0, 1000, allow_nan=False),
        ),
        min_size=3,
        max_size=12,
    ),
    scale=st.floats(0.01, 100),
    shift=st.floats(-1000, 1000),
)
def test_minmax_index_ignores_units_and_contributions_add_up(values, scale, shift):
    data = pd.DataFrame(
        values,
        columns=["a", "b", "c"],
        index=_geo(*[f"R{i}" for i in range(len(values))]),
    )
    if (data.max() - data.min()).min() < 1e-6:
        return  # a constant indicator is refused, tested elsewhere
    fw = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "pillar": ["p", "p", "q"],
            "higher_is_better": [True, False, True],
        }
    )
    base = capacity_index(data, fw)
    rescaled = capacity_index(data.assign(a=data["a"] * scale + shift), fw)
    np.testing.assert_allclose(
        rescaled.scores["index"], base.scores["index"], rtol=1e-9, atol=1e-7
    )
    np.testing.assert_allclose(
        base.contributions.sum(axis=1), base.scores["index"], rtol=1e-12, atol=1e-9
    )
    assert base.scores["index"].between(-1e-9, 100 + 1e-9).all()
