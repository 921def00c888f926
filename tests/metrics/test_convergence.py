"""Sigma and beta convergence (Barro & Sala-i-Martin 1992)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import MetricInputError
from regiongap.metrics.convergence import beta_convergence, sigma_convergence
from tests.support.mirror_files import EU27, is_eu27_nuts2, old_tsv_series


def _frame(table: dict[str, list[float]], years: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (g, y, v)
            for g, vals in table.items()
            for y, v in zip(years, vals, strict=True)
        ],
        columns=["geo", "time", "value"],
    )


# ------------------------------------------------------------- sigma


def test_sigma_equal_values_is_zero_and_closed_form():
    f = _frame({"A": [1.0, 5.0], "B": [3.0, 5.0], "C": [2.0, 5.0]}, [2000, 2010])
    cv = sigma_convergence(f)
    x = np.array([1.0, 3.0, 2.0])
    assert cv["dispersion"].tolist() == [pytest.approx(x.std() / x.mean()), 0.0]
    sd = sigma_convergence(f, measure="sd_log")
    assert sd["dispersion"].iloc[0] == pytest.approx(np.log(x).std())
    assert sd["dispersion"].iloc[1] == pytest.approx(0.0, abs=1e-15)
    gi = sigma_convergence(f, measure="gini")
    # Gini of (1, 2, 3): sum |xi - xj| / (2 n^2 mean) = 8 / (2 * 9 * 2)
    assert gi["dispersion"].iloc[0] == pytest.approx(8 / 36)
    assert gi["dispersion"].iloc[1] == 0.0


def test_sigma_by_group_weighted_and_balanced():
    f = _frame(
        {"A": [1.0, 2.0], "B": [3.0, 2.0], "C": [10.0, 10.0], "D": [20.0, np.nan]},
        [2000, 2010],
    )
    groups = pd.Series(
        {"A": "member", "B": "member", "C": "non-member", "D": "non-member"}
    )
    out = sigma_convergence(f, groups, measure="cv")
    assert out.attrs["dropped_by_balancing"] == ["D"]
    assert out["group"].astype(str).unique().tolist() == ["all", "member", "non-member"]
    members = out[out["group"] == "member"]
    assert members["dispersion"].tolist() == [pytest.approx(0.5), 0.0]
    assert out[out["group"] == "non-member"]["n"].tolist() == [1, 1]
    unbalanced = sigma_convergence(f, groups, balanced=False)
    assert unbalanced[unbalanced["group"] == "all"]["n"].tolist() == [4, 3]
    w = pd.Series({"A": 3.0, "B": 1.0, "C": 1.0, "D": 1.0})
    weighted = sigma_convergence(f, groups, weights=w)
    m = weighted[weighted["group"] == "member"]["dispersion"].iloc[0]
    mu = (3 * 1 + 3) / 4
    assert m == pytest.approx(math.sqrt((3 * (1 - mu) ** 2 + (3 - mu) ** 2) / 4) / mu)
    per_year = pd.DataFrame(
        {
            "geo": list("ABCABC"),
            "time": [2000] * 3 + [2010] * 3,
            "value": [3.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    same = sigma_convergence(f, groups, weights=per_year)
    assert same[same["group"] == "member"]["dispersion"].iloc[0] == pytest.approx(m)


def test_sigma_bad_input():
    f = _frame({"A": [1.0], "B": [0.0]}, [2000])
    with pytest.raises(
        MetricInputError, match=r"measure 'var'.*\['cv', 'gini', 'sd_log'\]"
    ):
        sigma_convergence(f, measure="var")
    with pytest.raises(MetricInputError, match=r"sd_log.*strictly positive"):
        sigma_convergence(f, measure="sd_log")
    with pytest.raises(MetricInputError, match=r"missing column\(s\) \['time'\]"):
        sigma_convergence(f.drop(columns="time"))
    with pytest.raises(MetricInputError, match="reserved"):
        sigma_convergence(f, pd.Series({"A": "all"}))
    with pytest.raises(MetricInputError, match=r"weights has no value.*\['B'\]"):
        sigma_convergence(f, weights=pd.Series({"A": 1.0}))


# ------------------------------------------------------------- beta


def test_beta_on_an_exact_line():
    y0 = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 3.0])
    T, alpha, beta = 15, 0.04, -0.015
    y1 = np.exp(np.log(y0) + T * (alpha + beta * np.log(y0)))
    geos = [f"R{i}" for i in range(6)]
    f = pd.DataFrame(
        {"geo": geos * 2, "time": [2000] * 6 + [2015] * 6, "value": np.r_[y0, y1]}
    )
    out = beta_convergence(f, 2000, 2015).iloc[0]
    assert out["beta"] == pytest.approx(beta, abs=1e-12)
    assert out["intercept"] == pytest.approx(alpha, abs=1e-12)
    assert out["se"] == pytest.approx(0.0, abs=1e-12)
    assert out["r2"] == pytest.approx(1.0)
    assert out["n"] == 6
    speed = -math.log(1 + beta * T) / T
    assert out["speed"] == pytest.approx(speed)
    assert out["half_life"] == pytest.approx(math.log(2) / speed)


def test_beta_standard_error_matches_textbook_formula():
    rng = np.random.default_rng(5)
    n = 40
    x = rng.normal(3.0, 0.5, n)
    g = 0.1 - 0.02 * x + rng.normal(0, 0.005, n)
    T = 10
    f = pd.DataFrame(
        {
            "geo": [f"R{i}" for i in range(n)] * 2,
            "time": [2000] * n + [2010] * n,
            "value": np.r_[np.exp(x), np.exp(x + g * T)],
        }
    )
    groups = pd.Series(["a", "b"] * (n // 2), index=[f"R{i}" for i in range(n)])
    out = beta_convergence(f, 2000, 2010, groups).set_index("group")
    X = np.column_stack([np.ones(n), x])
    coef, *_ = np.linalg.lstsq(X, g, rcond=None)
    resid = g - X @ coef
    se = math.sqrt(resid @ resid / (n - 2) / np.sum((x - x.mean()) ** 2))
    assert out.loc["all", "beta"] == pytest.approx(coef[1], rel=1e-9)
    assert out.loc["all", "se"] == pytest.approx(se, rel=1e-9)
    assert out.loc["all", "t"] == pytest.approx(coef[1] / se, rel=1e-9)
    assert out.loc["all", "p_value"] < 1e-6
    assert list(out.index) == ["all", "a", "b"]
    assert out.loc["a", "n"] == 20


def test_beta_divergence_has_no_half_life_and_small_groups_are_nan():
    f = _frame({"A": [1.0, 1.0], "B": [2.0, 4.0], "C": [4.0, 16.0]}, [2000, 2010])
    out = beta_convergence(f, 2000, 2010, pd.Series({"A": "x", "B": "x", "C": "y"}))
    assert out.loc[0, "beta"] > 0
    assert math.isnan(out.loc[0, "half_life"])
    assert out.loc[1, "n"] == 2 and math.isnan(out.loc[1, "beta"])


def test_beta_bad_input():
    f = _frame({"A": [1.0, 2.0], "B": [2.0, 0.0], "C": [3.0, 3.0]}, [2000, 2010])
    with pytest.raises(MetricInputError, match="before end"):
        beta_convergence(f, 2010, 2000)
    with pytest.raises(MetricInputError, match=r"strictly positive.*\['B'\]"):
        beta_convergence(f, 2000, 2010)
    with pytest.raises(MetricInputError, match="no value for year 2005"):
        beta_convergence(f, 2000, 2005)
    with pytest.raises(MetricInputError, match="at least 3 regions"):
        beta_convergence(f[f["geo"] != "B"], 2000, 2010)


# ------------------------------------------------------------- real data


@pytest.mark.mirror
def test_real_gdp_sigma_and_beta_recomputed(mirror_path):
    from regiongap.sdmx import parse

    path = mirror_path / "eurostat" / "nama_10r_3gdp.tsv.gz"
    pps = {
        geo: series
        for geo, series in old_tsv_series(path, "PPS_HAB_EU27_2020").items()
        if is_eu27_nuts2(geo)
    }
    years = list(range(2000, 2020))
    panel = {g: s for g, s in pps.items() if all(y in s for y in years)}
    assert len(panel) > 200

    frame = parse(path.read_bytes())
    geo = frame["geo"].astype(str)
    frame = frame[
        (frame["unit"] == "PPS_HAB_EU27_2020")
        & (geo.str.len() == 4)
        & geo.str[:2].isin(EU27)
        & ~geo.str.endswith("Z")
        & frame["time"].between(2000, 2019)
    ]
    sigma = sigma_convergence(frame)
    assert sigma["n"].unique().tolist() == [len(panel)]
    for year in (2000, 2010, 2019):
        xs = [panel[g][year] for g in panel]
        mean = sum(xs) / len(xs)
        cv = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)) / mean
        got = sigma.loc[sigma["time"] == year, "dispersion"].iloc[0]
        assert got == pytest.approx(cv, rel=1e-12)

    beta = beta_convergence(frame, 2000, 2019).iloc[0]
    both = [g for g in pps if 2000 in pps[g] and 2019 in pps[g]]
    x = [math.log(pps[g][2000]) for g in both]
    y = [(math.log(pps[g][2019]) - math.log(pps[g][2000])) / 19 for g in both]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxx = sum((a - mx) ** 2 for a in x)
    b = sum((a - mx) * (c - my) for a, c in zip(x, y, strict=True)) / sxx
    a0 = my - b * mx
    rss = sum((c - a0 - b * a) ** 2 for a, c in zip(x, y, strict=True))
    se = math.sqrt(rss / (len(x) - 2) / sxx)
    assert beta["n"] == len(both)
    assert beta["beta"] == pytest.approx(b, rel=1e-9)
    assert beta["se"] == pytest.approx(se, rel=1e-9)
    # EU regions converged in GDP per head over 2000-2019 (poorer regions grew faster)
    assert beta["beta"] < 0 and beta["p_value"] < 0.01
