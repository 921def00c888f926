"""Candidate regions for a partnership, and members' support needs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import MembershipError, MetricInputError
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.metrics.composite.index import capacity_index
from regiongap.metrics.partnerships.candidates import candidates, support_needs
from tests.support.mirror_files import old_tsv_year, sdmx_csv_year


@pytest.fixture
def profile() -> pd.DataFrame:
    return pd.DataFrame(
        {"p": [0.0, 2.0, 1.0, 4.0, 1.0], "q": [0.0, 0.0, 1.0, 0.0, 0.0]},
        index=pd.Index(["A", "B", "C", "D", "E"], name="geo"),
    )


@pytest.fixture
def index() -> pd.Series:
    return pd.Series({"A": 10.0, "B": 20.0, "C": 30.0, "D": 100.0, "E": 15.0})


def _cv(xs: list[float]) -> float:
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs)) / m


def test_raw_distances_and_dispersion_effect(profile, index):
    out = candidates(profile, membership=["A", "B"], index=index, standardise=False)
    # centroid (1, 0): E at 0, C at 1, D at 3
    assert out.index.tolist() == ["E", "C", "D"]
    assert out["distance"].tolist() == [0.0, 1.0, 3.0]
    assert out["rank"].tolist() == [1, 2, 3]
    # members are both at distance 1 from the centroid
    assert out["within_member_range"].tolist() == [True, True, False]
    assert out.attrs["member_distance_max"] == 1.0
    assert out["cv_now"].iloc[0] == pytest.approx(_cv([10, 20]))
    assert out.loc["E", "cv_if_joined"] == pytest.approx(_cv([10, 20, 15]))
    assert out.loc["E", "delta_cv"] < 0  # joins without widening the gap
    assert out.loc["D", "delta_cv"] == pytest.approx(_cv([10, 20, 100]) - _cv([10, 20]))
    assert out.loc["D", "delta_cv"] > 0


def test_standardised_distances_by_hand(profile, index):
    out = candidates(profile, membership=["A", "B"], index=index, n=None)
    mean = profile.mean()
    sd = profile.std(ddof=1)
    z = (profile - mean) / sd
    c = z.loc[["A", "B"]].mean()
    for geo in ["C", "D", "E"]:
        expected = math.sqrt(sum((z.loc[geo, k] - c[k]) ** 2 for k in ["p", "q"]))
        assert out.loc[geo, "distance"] == pytest.approx(expected)
    assert out.attrs["standardised"] is True


def test_n_exclude_and_index_default(profile):
    out = candidates(
        profile, membership=["A", "B"], n=1, exclude=["E"], standardise=False
    )
    assert out.index.tolist() == ["C"]
    assert out.attrs["index_source"].startswith("row mean")
    assert out.loc["C", "index"] == 1.0


def test_capacity_index_profile():
    data = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [5.0, 3.0, 4.0, 1.0, 2.0]},
        index=pd.Index(["AT11", "AT12", "AT13", "BE10", "BE21"], name="geo"),
    )
    fw = pd.DataFrame(
        {"indicator": ["a", "b"], "pillar": ["p", "q"], "higher_is_better": [True] * 2}
    )
    ci = capacity_index(data, fw)
    out = candidates(ci, membership=["AT11", "AT12"], n=None)
    assert set(out.index) == {"AT13", "BE10", "BE21"}
    assert out.attrs["dimensions"] == ["p", "q"]
    assert out.loc["AT13", "index"] == ci.scores.loc["AT13", "index"]


def test_missing_profiles_and_bad_input(profile, index):
    gappy = profile.copy()
    gappy.loc["C", "q"] = np.nan
    out = candidates(gappy, membership=["A", "B", "Z"], index=index, standardise=False)
    assert "C" not in out.index
    assert any("Z" in n for n in out.attrs["notes"])
    with pytest.raises(MembershipError, match="no member"):
        candidates(profile, membership=["Z"])
    with pytest.raises(MetricInputError, match="n must be"):
        candidates(profile, membership=["A"], n=0)
    with pytest.raises(MetricInputError, match=r"\['q'\] do not vary"):
        candidates(profile.assign(q=1.0), membership=["A"])
    with pytest.raises(MembershipError, match="no non-member"):
        candidates(profile, membership=list("ABCDE"))


def test_support_needs_order_and_weakest_dimension():
    frame = pd.DataFrame(
        {
            "index": [50.0, 70.0, 90.0, 60.0],
            "p": [10.0, 80.0, 90.0, 70.0],
            "q": [90.0, 60.0, 90.0, 50.0],
        },
        index=pd.Index(["AT11", "AT12", "AT13", "BE10"], name="geo"),
    )
    out = support_needs(frame, membership=list(frame.index), value="index")
    # partnership median = 65: AT11 -15, BE10 -5, AT12 +5, AT13 +25
    assert out.index.tolist() == ["AT11", "BE10", "AT12", "AT13"]
    assert out["support_rank"].tolist() == [1, 2, 3, 4]
    assert out["gap_to_partnership_median"].tolist() == [-15.0, -5.0, 5.0, 25.0]
    # p median 75, q median 75: AT11 p -65 (weakest), BE10 q -25
    assert out.loc["AT11", "weakest_dimension"] == "p"
    assert out.loc["AT11", "weakest_gap"] == -65.0
    assert out.loc["BE10", "weakest_dimension"] == "q"


# ------------------------------------------------------------- real data


@pytest.mark.mirror
def test_real_candidates_for_social_economy(mirror_path):
    import regiongap as rg

    eu = mirror_path / "eurostat"
    gdp = old_tsv_year(eu / "nama_10r_3gdp.tsv.gz", "PPS_HAB_EU27_2020", 2019)
    htc = sdmx_csv_year(eu / "htec_emp_reg2.csv.gz", "PC_EMP", 2019)
    geos = sorted(g for g in set(gdp) & set(htc) if g[:2] in EU27_COUNTRIES)
    profile = pd.DataFrame(
        {"gdp": [gdp[g] for g in geos], "htc": [htc[g] for g in geos]},
        index=pd.Index(geos, name="geo"),
    )
    out = candidates(profile, "social_economy", n=5)
    members = set(rg.members("social_economy", level=2)["geo"])
    used = [g for g in geos if g in members]
    assert out.attrs["members_used"] == used
    assert not set(out.index) & members

    # recompute every distance with plain loops and check the top 5
    def stats(col: str) -> tuple[float, float]:
        xs = [profile.loc[g, col] for g in geos]
        m = sum(xs) / len(xs)
        return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))

    (mg, sg), (mh, sh) = stats("gdp"), stats("htc")
    z = {g: ((gdp[g] - mg) / sg, (htc[g] - mh) / sh) for g in geos}
    cg = sum(z[g][0] for g in used) / len(used)
    ch = sum(z[g][1] for g in used) / len(used)
    dist = {g: math.hypot(z[g][0] - cg, z[g][1] - ch) for g in geos if g not in members}
    best = sorted(dist, key=lambda g: (dist[g], g))[:5]
    assert out.index.tolist() == best
    for g in best:
        assert out.loc[g, "distance"] == pytest.approx(dist[g], rel=1e-12)
