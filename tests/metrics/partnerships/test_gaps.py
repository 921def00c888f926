"""Partnership gaps and members-versus-non-members comparisons."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import MembershipError, MetricInputError
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.metrics import coefficient_of_variation, gini
from regiongap.metrics.composite.index import capacity_index
from regiongap.metrics.partnerships.gaps import members_vs_nonmembers, partnership_gaps
from tests.support.mirror_files import old_tsv_year


@pytest.fixture
def values() -> pd.Series:
    return pd.Series(
        {
            "AT11": 50.0,
            "AT12": 70.0,
            "AT13": 90.0,
            "BE10": 80.0,
            "BE21": 60.0,
            "CH01": 500.0,  # not EU-27: never in the EU-27 median
            "DE11": 40.0,
        },
        name="index",
    )


# ------------------------------------------------------------- partnership gaps


def test_gaps_by_hand(values):
    roles = pd.Series({"AT11": "member", "AT13": "co-lead", "BE10": "co-lead"})
    g = partnership_gaps(values, membership=roles)
    t = g.table
    assert list(t.index) == ["AT11", "AT13", "BE10"]
    # leader = the best-scoring of the two co-leads: AT13 (90)
    assert g.summary["leader"] == "AT13"
    assert t["gap_to_leader"].tolist() == [-40.0, 0.0, -10.0]
    # partnership median = median(50, 90, 80) = 80
    assert t["gap_to_partnership_median"].tolist() == [-30.0, 10.0, 0.0]
    # EU-27 median over the 6 EU regions: median(50, 70, 90, 80, 60, 40) = 65
    assert t["eu27_median"].iloc[0] == 65.0
    assert t["gap_to_eu27_median"].tolist() == [-15.0, 25.0, 15.0]
    # national median: AT median(50, 70, 90) = 70 ; BE median(80, 60) = 70
    assert t["gap_to_national"].tolist() == [-20.0, 20.0, 10.0]
    assert t["rank_in_partnership"].tolist() == [3, 1, 2]
    assert any("best-scoring" in n for n in g.notes)
    assert g.member_list == "caller-supplied"


def test_lower_is_better_flips_leader_and_sign(values):
    roles = pd.Series({"AT11": "lead", "AT13": "lead", "BE10": "member"})
    g = partnership_gaps(values, membership=roles, higher_is_better=False)
    assert g.summary["leader"] == "AT11"  # 50 is the best when lower is better
    # negative still means behind: ref - value
    assert g.table["gap_to_leader"].tolist() == [0.0, -40.0, -30.0]


def test_national_mean_weighted_and_explicit(values):
    roles = ["AT11", "BE10"]
    pop = pd.Series(
        {
            "AT11": 1.0,
            "AT12": 1.0,
            "AT13": 2.0,
            "BE10": 1.0,
            "BE21": 3.0,
            "CH01": 1.0,
            "DE11": 1.0,
        }
    )
    g = partnership_gaps(values, membership=roles, national="mean", weights=pop)
    # AT: (50 + 70 + 2*90) / 4 = 75 ; BE: (80 + 3*60) / 4 = 65
    assert g.table["national_value"].tolist() == [75.0, 65.0]
    explicit = pd.Series({"AT": 100.0, "BE": 50.0})
    g = partnership_gaps(values, membership=roles, national=explicit)
    assert g.table["gap_to_national"].tolist() == [-50.0, 30.0]


def test_summary_dispersion_matches_inequality_functions(values):
    members = ["AT11", "AT12", "BE10", "DE11"]
    g = partnership_gaps(values, membership=members)
    x = np.array([50.0, 70.0, 80.0, 40.0])
    assert g.summary["cv"] == pytest.approx(x.std() / x.mean())
    assert g.summary["cv"] == pytest.approx(coefficient_of_variation(x))
    assert g.summary["gini"] == pytest.approx(gini(x))
    assert g.summary["max_min_ratio"] == pytest.approx(2.0)
    assert g.summary["leader"] is None
    assert math.isnan(g.table["gap_to_leader"].iloc[0])
    assert any("no lead" in n for n in g.notes)


def test_member_without_value_is_kept_and_noted(values):
    g = partnership_gaps(values, membership=["AT11", "FR10"])
    assert math.isnan(g.table.loc["FR10", "index"])
    assert any("FR10" in n for n in g.notes)
    assert g.summary["n_with_value"] == 1


def test_capacity_index_input_reports_pillars():
    data = pd.DataFrame(
        {"a": [0.0, 5.0, 10.0, 2.0], "b": [1.0, 2.0, 3.0, 4.0]},
        index=pd.Index(["AT11", "AT12", "BE10", "BE21"], name="geo"),
    )
    fw = pd.DataFrame(
        {"indicator": ["a", "b"], "pillar": ["p", "q"], "higher_is_better": [True] * 2}
    )
    ci = capacity_index(data, fw)
    g = partnership_gaps(ci, membership=pd.Series({"AT12": "lead", "BE10": "member"}))
    assert {"index", "p", "q"} <= set(g.table.columns)
    assert g.settings["headline"] == "index"
    assert g.table.loc["BE10", "gap_to_leader"] == pytest.approx(
        ci.scores.loc["BE10", "index"] - ci.scores.loc["AT12", "index"]
    )


def test_long_frame_needs_a_year(values):
    long = pd.concat(
        [
            values.rename("value").rename_axis("geo").reset_index().assign(time=t)
            for t in (2019, 2020)
        ]
    )
    with pytest.raises(MetricInputError, match="pass year="):
        partnership_gaps(long, membership=["AT11"])
    g = partnership_gaps(long, membership=["AT11", "AT13"], year=2020)
    assert g.table["value"].tolist() == [50.0, 90.0]


def test_gap_bad_input(values):
    with pytest.raises(MembershipError, match="empty"):
        partnership_gaps(values, membership=[])
    with pytest.raises(MembershipError, match="partnership id"):
        partnership_gaps(values)
    with pytest.raises(MetricInputError, match="national='max'"):
        partnership_gaps(values, membership=["AT11"], national="max")
    wide = values.to_frame().assign(other=1.0)
    with pytest.raises(MetricInputError, match="pass value="):
        partnership_gaps(wide, membership=["AT11"])
    with pytest.raises(MetricInputError, match=r"weights has no value.*AT12"):
        partnership_gaps(values, membership=["AT11"], weights=pd.Series({"AT11": 1.0}))


# ------------------------------------------------------------- members vs non-members


def test_difference_exact_and_theil_split():
    v = pd.Series({"A1": 10.0, "A2": 10.0, "B1": 5.0, "B2": 5.0, "B3": 5.0})
    r = members_vs_nonmembers(v, membership=["A1", "A2"], n_boot=200)
    assert r.difference == 5.0
    # no variation inside groups: every bootstrap difference is 5
    assert r.ci_low == r.ci_high == 5.0
    assert (r.n_members, r.n_nonmembers) == (2, 3)
    # within = 0, so between = total
    assert r.theil.within == pytest.approx(0.0, abs=1e-15)
    assert r.theil.between == pytest.approx(r.theil.total)
    mu = 35 / 5
    expected = sum(x / mu * math.log(x / mu) for x in v) / 5
    assert r.theil.total == pytest.approx(expected)
    assert r.member_list == "caller-supplied"
    assert r.to_frame()["difference"].iloc[0] == 5.0


def test_bootstrap_contains_truth_and_is_reproducible():
    rng = np.random.default_rng(42)
    members = pd.Series(rng.normal(60, 5, 40), index=[f"M{i:02d}" for i in range(40)])
    others = pd.Series(rng.normal(50, 5, 60), index=[f"N{i:02d}" for i in range(60)])
    v = pd.concat([members, others])
    a = members_vs_nonmembers(v, membership=list(members.index), seed=3)
    b = members_vs_nonmembers(v, membership=list(members.index), seed=3)
    c = members_vs_nonmembers(v, membership=list(members.index), seed=4)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)
    assert a.ci_low < 10.0 < a.ci_high
    assert a.ci_low < a.difference < a.ci_high
    # width close to the normal-theory interval 2 * 1.96 * SE (population SDs)
    se = math.sqrt(members.var(ddof=0) / 40 + others.var(ddof=0) / 60)
    assert (a.ci_high - a.ci_low) == pytest.approx(2 * 1.96 * se, rel=0.15)
    assert a.settings["n_boot"] == 2000


def test_weighted_difference():
    v = pd.Series({"A1": 10.0, "A2": 20.0, "B1": 5.0, "B2": 8.0})
    w = pd.Series({"A1": 3.0, "A2": 1.0, "B1": 1.0, "B2": 2.0})
    r = members_vs_nonmembers(v, membership=["A1", "A2"], weights=w, n_boot=100)
    assert r.mean_members == pytest.approx(12.5)
    assert r.mean_nonmembers == pytest.approx(7.0)
    assert r.difference == pytest.approx(5.5)


def test_incomplete_list_refused_unless_asked():
    v = pd.Series({"A1": 10.0, "A2": 12.0, "B1": 4.0})
    listed = pd.DataFrame(
        {
            "geo": ["A1"],
            "partnership_id": ["p"],
            "role": ["lead"],
            "member_list": ["partial"],
        }
    )
    with pytest.raises(MembershipError, match=r"'partial'.*complete_only=False"):
        members_vs_nonmembers(v, membership=listed)
    r = members_vs_nonmembers(v, membership=listed, complete_only=False, n_boot=50)
    assert r.member_list == "partial"
    assert any("complete_only=False" in n for n in r.notes)


def test_registry_partnership_completeness():
    v = pd.Series(
        {"ES22": 110.0, "ES61": 68.0, "BE31": 150.0, "FRK1": 100.0, "ES41": 80.0}
    )
    with pytest.raises(MembershipError, match="'batteries' is 'partial'"):
        members_vs_nonmembers(v, "batteries")
    r = members_vs_nonmembers(v, "social_economy", n_boot=50)
    assert r.member_list == "complete"
    assert r.partnership == "social_economy"
    assert r.n_members == 2  # ES22 and BE31 of this small universe


def test_comparison_bad_input():
    v = pd.Series({"A1": 10.0, "A2": 12.0})
    with pytest.raises(MembershipError, match="no non-member"):
        members_vs_nonmembers(v, membership=["A1", "A2"])
    with pytest.raises(MembershipError, match=r"no member of None has a 'value' value"):
        members_vs_nonmembers(v.rename("value"), membership=["Z9"])
    with pytest.raises(MetricInputError, match="n_boot"):
        members_vs_nonmembers(v, membership=["A1"], n_boot=0)
    with pytest.raises(MetricInputError, match="confidence"):
        members_vs_nonmembers(v, membership=["A1"], confidence=95)


# ------------------------------------------------------------- real data


@pytest.mark.mirror
def test_social_economy_gdp_gaps_recomputed(mirror_path):
    import regiongap as rg

    path = mirror_path / "eurostat" / "nama_10r_3gdp.tsv.gz"
    pps = old_tsv_year(path, "PPS_HAB_EU27_2020", 2019)
    values = pd.Series(pps, name="gdp_pps")
    g = partnership_gaps(values, "social_economy")
    members = rg.members("social_economy", level=2)
    geos = sorted(members["geo"])
    assert sorted(g.table.index) == geos
    lead = members.loc[members["role"] == "lead", "geo"].tolist()
    assert lead == ["ES22"]  # Navarra
    member_values = [pps[x] for x in geos]
    med = statistics.median(member_values)
    eu = [v for k, v in pps.items() if k[:2] in EU27_COUNTRIES and k[3] != "Z"]
    eu_med = statistics.median(eu)
    for geo in geos:
        row = g.table.loc[geo]
        assert row["gap_to_leader"] == pps[geo] - pps["ES22"]
        assert row["gap_to_partnership_median"] == pps[geo] - med
        assert row["gap_to_eu27_median"] == pps[geo] - eu_med
        national = statistics.median(
            [v for k, v in pps.items() if k[:2] == geo[:2] and k[3] != "Z"]
        )
        assert row["gap_to_national"] == pytest.approx(pps[geo] - national)
    mean = sum(member_values) / len(member_values)
    sd = math.sqrt(sum((x - mean) ** 2 for x in member_values) / len(member_values))
    assert g.summary["cv"] == pytest.approx(sd / mean)

    eu_values = pd.Series({k: v for k, v in pps.items() if k[:2] in EU27_COUNTRIES})
    r = members_vs_nonmembers(eu_values, "social_economy", n_boot=500)
    m = [v for k, v in eu_values.items() if k in geos]
    n = [v for k, v in eu_values.items() if k not in geos]
    assert r.difference == pytest.approx(sum(m) / len(m) - sum(n) / len(n))
    assert r.n_members == len(m)
    assert r.ci_low < r.difference < r.ci_high


def test_registry_membership_forms_carry_their_completeness():
    import regiongap as rg

    v = pd.Series(
        {
            "ES22": 110.0,
            "ES61": 68.0,
            "BE31": 150.0,
            "FI1D": 90.0,
            "ES41": 80.0,
            "EL64": 60.0,
            "PT11": 70.0,
        }
    )
    long = rg.members(level=2)
    r = members_vs_nonmembers(v, "mining", membership=long, n_boot=20)
    assert r.member_list == "complete"
    assert r.n_members == 3  # FI1D, ES41, EL64 of this small universe
    matrix = rg.membership_matrix(level=2)
    with pytest.raises(MembershipError, match="'partial'"):
        members_vs_nonmembers(v, "batteries", membership=matrix)
    groups = rg.membership_groups("social_economy")
    r = members_vs_nonmembers(v, membership=groups, n_boot=20)
    assert (r.partnership, r.member_list) == ("social_economy", "complete")
    assert r.completeness.startswith("complete list")
    g = partnership_gaps(v, "mining", membership=long)
    assert g.summary["leader"] == "FI1D"  # the co-lead with a value


def test_bootstrap_interval_agrees_with_scipy():
    from scipy.stats import bootstrap

    rng = np.random.default_rng(11)
    members = rng.lognormal(4.0, 0.4, 25)
    others = rng.lognormal(3.8, 0.5, 80)
    v = pd.Series(np.r_[members, others], index=[f"R{i:03d}" for i in range(25 + 80)])
    ours = members_vs_nonmembers(v, membership=list(v.index[:25]), n_boot=20000, seed=1)
    ref = bootstrap(
        (members, others),
        lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis),
        n_resamples=20000,
        method="percentile",
        random_state=np.random.default_rng(2),
    ).confidence_interval
    width = ref.high - ref.low
    assert ours.ci_low == pytest.approx(ref.low, abs=0.03 * width)
    assert ours.ci_high == pytest.approx(ref.high, abs=0.03 * width)
