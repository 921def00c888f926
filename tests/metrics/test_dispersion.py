"""Tests of Eurostat's dispersion formulas (regiongap.metrics.dispersion).

Closed-form cases are derived by hand; the real-data tests recompute the formulas
with plain Python loops on mirror files read with pandas/gzip directly (not
through regiongap). No published Eurostat dispersion figure is in the mirror
(neither tsdec220/nama_10r_2gdp dispersion nor lfst_r_lmder), so the published
EU-level unemployment dispersion (anchors R4, 50.8 % → 56.7 %, 2010 → 2011) cannot
be reproduced here: the mirror has no regional unemployment rates.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiongap.errors import DataQualityWarning, MetricInputError
from regiongap.metrics import (
    coefficient_of_variation,
    dispersion_by_country,
    eurostat_dispersion_cv,
    eurostat_dispersion_mad,
)

COUNTRIES = ("AT", "BE", "BG", "CZ", "DE", "EL", "ES", "FR", "IT", "PL", "RO", "SE")

# ------------------------------------------------------------------- closed form


def test_cv_two_equal_regions_hand_value():
    """Hand: rates 60 and 80, equal populations → Ȳ = 70, sd = 10, D = 1000/70."""
    assert eurostat_dispersion_cv([60.0, 80.0], [5e5, 5e5]) == pytest.approx(
        1000 / 70, rel=1e-14
    )


def test_mad_two_regions_hand_value():
    """Hand: 1 M at 20 000 and 3 M at 40 000 → Y = 35 000,
    D = 100/35 000 · (15 000·¼ + 5 000·¾) = 750/35 %."""
    assert eurostat_dispersion_mad([20_000, 40_000], [1e6, 3e6]) == pytest.approx(
        750 / 35, rel=1e-14
    )


def test_equal_regions_have_zero_dispersion():
    """Definition (Eurostat): zero when all regions are equal."""
    assert eurostat_dispersion_cv([7.0, 7.0, 7.0], [1, 2, 3]) == 0.0
    assert eurostat_dispersion_mad([7.0, 7.0, 7.0], [1, 2, 3]) == 0.0


def test_cv_is_100_times_population_weighted_cv():
    """Identity: with Ȳ the weighted mean, D = 100 × weighted CV (ddof = 0)."""
    y = [4.5, 7.0, 12.25, 6.0]
    p = [120_000, 800_000, 50_000, 330_000]
    assert eurostat_dispersion_cv(y, p) == pytest.approx(
        100 * coefficient_of_variation(y, p), rel=1e-13
    )


def test_national_reference_hand_values():
    """Hand: with a published national value Y = 50 instead of the mean 45:
    MAD = 100/50·(½·10 + ½·0) = 10; CV = 100/50·√(½·100 + ½·0) = 2√50."""
    assert eurostat_dispersion_mad([40.0, 50.0], [1, 1], national=50) == pytest.approx(
        10.0
    )
    assert eurostat_dispersion_cv([40.0, 50.0], [1, 1], national=50.0) == pytest.approx(
        2 * math.sqrt(50)
    )


def test_population_as_replication_and_scale():
    """Replication: integer populations equal repeated regions; scaling population
    or values leaves D unchanged (it is relative)."""
    y = np.array([10.0, 14.0, 30.0])
    p = np.array([2, 5, 1])
    for f in (eurostat_dispersion_cv, eurostat_dispersion_mad):
        base = f(y, p)
        assert f(np.repeat(y, p), np.ones(p.sum())) == pytest.approx(base, rel=1e-13)
        assert f(y * 3.7, p * 1000) == pytest.approx(base, rel=1e-13)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0.1, max_value=1e5),
            st.floats(min_value=1, max_value=1e7),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_property_mad_never_exceeds_cv(pairs):
    """Property (Jensen / Cauchy–Schwarz): Σ p|d| ≤ √(Σ p d²), so with the same
    reference the GDP (MAD) dispersion never exceeds the rate (CV) dispersion;
    and D_cv = 100 × population-weighted CV."""
    y = [a for a, _ in pairs]
    p = [b for _, b in pairs]
    cv = eurostat_dispersion_cv(y, p)
    assert eurostat_dispersion_mad(y, p) <= cv * (1 + 1e-9) + 1e-9
    assert cv == pytest.approx(100 * coefficient_of_variation(y, p), rel=1e-9, abs=1e-9)


def test_dispersion_by_country_skips_single_region_and_handles_levels():
    """Definition: countries with one region at the level are skipped; NUTS 0,
    aggregates and extra-regio codes are not regions; NUTS 3 works the same."""
    frame = pd.DataFrame(
        {
            "geo": [
                "AT",
                "AT11",
                "AT12",
                "ATZZ",
                "EE00",
                "EU27_2020",
                "AT111",
                "AT112",
            ],
            "time": 2019,
            "value": [38_000.0, 20_000, 40_000, 99_999, 25_000, 30_000, 10.0, 30.0],
            "pop": [4e6, 1e6, 3e6, 1.0, 1.3e6, 4.5e8, 1.0, 1.0],
        }
    )
    out = dispersion_by_country(frame, population="pop", kind="mad")
    assert out["country"].tolist() == ["AT"]
    assert out.loc[0, "dispersion"] == pytest.approx(750 / 35, rel=1e-14)
    assert out.loc[0, "reference"] == pytest.approx(35_000)
    assert out.attrs == {"kind": "mad", "level": 2, "national": "regions"}
    frame_ref = dispersion_by_country(
        frame, population="pop", kind="mad", national="frame"
    )
    # Y = 38 000: (18 000·¼ + 2 000·¾)/38 000·100
    assert frame_ref.loc[0, "dispersion"] == pytest.approx(600_000 / 38_000, rel=1e-14)
    nuts3 = dispersion_by_country(frame, population="pop", level=3, kind="cv")
    assert nuts3.loc[0, "dispersion"] == pytest.approx(50.0)  # sd 10 / mean 20


def test_dispersion_by_country_population_frame_and_missing_population_warns():
    """Rule: a region lacking population is left out with a DataQualityWarning and
    counted in n_dropped."""
    frame = pd.DataFrame(
        {"geo": ["BE10", "BE21", "BE22"], "time": [2019] * 3, "value": [60.0, 70, 80]}
    )
    pop = pd.DataFrame(
        {"geo": ["BE10", "BE21"], "time": [2019] * 2, "value": [1.0, 1.0]}
    )
    with pytest.warns(DataQualityWarning, match="BE22/2019"):
        out = dispersion_by_country(frame, population=pop, kind="cv")
    assert out.loc[0, "n_regions"] == 2
    assert out.loc[0, "n_dropped"] == 1
    assert out.loc[0, "dispersion"] == pytest.approx(100 * 5 / 65)


# --------------------------------------------------------------------- bad input


def test_scalar_functions_bad_input_names_the_argument():
    """Every bad-input rule raises MetricInputError naming the argument."""
    for f, name in (
        (eurostat_dispersion_cv, "rates"),
        (eurostat_dispersion_mad, "per_inhabitant"),
    ):
        with pytest.raises(MetricInputError, match="population is required"):
            f([1.0, 2.0], None)
        with pytest.raises(MetricInputError, match="population must be non-negative"):
            f([1.0, 2.0], [1.0, -3.0])
        with pytest.raises(MetricInputError, match="population sum to zero"):
            f([1.0, 2.0], [0.0, 0.0])
        with pytest.raises(MetricInputError, match=f"{name} must be non-negative"):
            f([1.0, -2.0], [1.0, 1.0])
        with pytest.raises(MetricInputError, match=f"{name} has 1 NaN"):
            f([1.0, np.nan], [1.0, 1.0])
        with pytest.raises(MetricInputError, match=f"{name} is empty"):
            f([], [])
        with pytest.raises(MetricInputError, match="population has 1 entries"):
            f([1.0, 2.0], [1.0])
        with pytest.raises(MetricInputError, match="national must be finite"):
            f([1.0, 2.0], [1.0, 1.0], national=float("nan"))
        with pytest.raises(MetricInputError, match="national is 0"):
            f([1.0, 2.0], [1.0, 1.0], national=0)
        with pytest.raises(MetricInputError, match="national must be a number"):
            f([1.0, 2.0], [1.0, 1.0], national="50")
        with pytest.raises(MetricInputError, match=f"mean of {name}"):
            f([0.0, 0.0], [1.0, 1.0])
        v = pd.Series([1.0, 2.0], index=["AT11", "AT12"])
        w = pd.Series([1.0, 2.0], index=["AT11", "AT21"])
        with pytest.raises(MetricInputError, match=f"population and {name} are Series"):
            f(v, w)
        with pytest.warns(DataQualityWarning, match="dropped 1 of 3"):
            assert f([1.0, np.nan, 1.0], [1.0, 1.0, 1.0], nan_policy="omit") == 0.0


def test_dispersion_by_country_bad_input():
    """Rules for the frame function: kind, level, national, columns, duplicates."""
    frame = pd.DataFrame(
        {"geo": ["AT11", "AT12"], "time": [2019, 2019], "value": [1.0, 2.0], "pop": 1.0}
    )
    with pytest.raises(MetricInputError, match="kind must be one of"):
        dispersion_by_country(frame, population="pop", kind="gini")
    with pytest.raises(MetricInputError, match="level must be 1, 2 or 3"):
        dispersion_by_country(frame, population="pop", level=0)
    with pytest.raises(MetricInputError, match="national must be one of"):
        dispersion_by_country(frame, population="pop", national="eu")
    with pytest.raises(MetricInputError, match=r"frame lacks column\(s\) \['people'\]"):
        dispersion_by_country(frame, population="people")
    with pytest.raises(MetricInputError, match="population must be a column name"):
        dispersion_by_country(frame, population=[1, 2])
    with pytest.raises(MetricInputError, match="frame must be a pandas DataFrame"):
        dispersion_by_country(frame.to_dict(), population="pop")
    doubled = pd.concat([frame, frame])
    with pytest.raises(MetricInputError, match="frame has several rows"):
        dispersion_by_country(doubled, population="pop")
    pop = pd.DataFrame({"geo": ["AT11"] * 2, "time": [2019] * 2, "value": [1.0, 2.0]})
    with pytest.raises(MetricInputError, match="population has 2 rows sharing"):
        dispersion_by_country(frame, population=pop)
    with pytest.raises(MetricInputError, match=r"population frame lacks column"):
        dispersion_by_country(frame, population=pop.drop(columns="time"))
    with pytest.raises(MetricInputError, match="value column must hold numbers"):
        dispersion_by_country(frame.assign(value=["1", "x"]), population="pop")
    national_twice = pd.concat(
        [frame, pd.DataFrame({"geo": ["AT", "AT"], "time": 2019, "value": 1.0})]
    )
    with pytest.raises(MetricInputError, match="frame has several rows"):
        dispersion_by_country(national_twice, population="pop", national="frame")
    bad_geo = frame.assign(geo=["AT11", "Vienna"])
    with pytest.raises(MetricInputError, match="geo 'Vienna' is not a NUTS code"):
        dispersion_by_country(bad_geo, population="pop")
    with pytest.warns(DataQualityWarning, match="no national"):
        out = dispersion_by_country(frame, population="pop", national="frame")
    assert out.empty


# ---------------------------------------------------------------- real mirror data


def _read_old_tsv(path) -> pd.DataFrame:
    """Old/new Eurostat SDMX-TSV to long rows, by hand (flags stripped)."""
    raw = pd.read_csv(path, sep="\t", dtype=str)
    key = raw.columns[0]
    dims = key.split("\\")[0].split(",")
    parts = raw[key].str.split(",", expand=True)
    raw = raw.drop(columns=key)
    for i, dim in enumerate(dims):
        raw[dim] = parts[i]
    raw.columns = [c.strip() for c in raw.columns]
    long = raw.melt(id_vars=dims, var_name="time", value_name="cell")
    number = long["cell"].str.strip().str.extract(r"^([-0-9.]+)")[0]
    long["value"] = pd.to_numeric(number, errors="coerce")
    long["time"] = long["time"].astype(int)
    return long.drop(columns="cell")


@pytest.fixture(scope="module")
def gdp(mirror_path) -> pd.DataFrame:
    return _read_old_tsv(mirror_path / "eurostat" / "nama_10r_3gdp.tsv.gz")


@pytest.fixture(scope="module")
def population_2019(mirror_path) -> dict[str, float]:
    pop = _read_old_tsv(mirror_path / "eurostat" / "demo_r_pjanaggr3.tsv.gz")
    sel = pop[(pop["sex"] == "T") & (pop["age"] == "TOTAL") & (pop["time"] == 2019)]
    return {g: v for g, v in zip(sel["geo"], sel["value"], strict=True) if v == v}


def _loop_mad(values: dict[str, float], pops: dict[str, float]) -> float:
    """Eurostat's GDP dispersion written out with plain loops."""
    total_pop = 0.0
    total_amount = 0.0
    for geo, y in values.items():
        total_pop += pops[geo]
        total_amount += pops[geo] * y
    national = total_amount / total_pop
    acc = 0.0
    for geo, y in values.items():
        acc += abs(y - national) * pops[geo] / total_pop
    return 100.0 * acc / national


@pytest.mark.mirror
@pytest.mark.parametrize("unit", ["EUR_HAB", "PPS_EU27_2020_HAB"])
def test_gdp_dispersion_nuts2_2019_recomputed_by_hand(gdp, population_2019, unit):
    """Independent recomputation (plain loops) of Eurostat's GDP-per-inhabitant
    dispersion at NUTS 2, 2019, from nama_10r_3gdp and demo_r_pjanaggr3 (sex T,
    age TOTAL, 1 January population) for twelve countries; compared with
    eurostat_dispersion_mad and dispersion_by_country."""
    rows = gdp[
        (gdp["unit"] == unit) & (gdp["time"] == 2019) & (gdp["geo"].str.len() == 4)
    ]
    frame = rows[["geo", "time", "value"]].copy()
    frame["population"] = frame["geo"].map(population_2019)
    table = dispersion_by_country(
        frame[frame["geo"].str[:2].isin(COUNTRIES)], population="population", kind="mad"
    ).set_index("country")
    assert sorted(table.index) == sorted(COUNTRIES)
    for country in COUNTRIES:
        values = {
            g: v
            for g, v in zip(rows["geo"], rows["value"], strict=True)
            if g.startswith(country)
        }
        expected = _loop_mad(values, population_2019)
        pops = [population_2019[g] for g in values]
        got = eurostat_dispersion_mad(list(values.values()), pops)
        assert got == pytest.approx(expected, rel=1e-12), country
        assert table.loc[country, "dispersion"] == pytest.approx(expected, rel=1e-12)
        assert table.loc[country, "n_regions"] == len(values)
        assert 0 < expected < 100


@pytest.mark.mirror
def test_gdp_dispersion_regions_mean_vs_published_national_value(gdp):
    """Consistency (Eurostat uses the national GDP per inhabitant): with the
    population implied by the accounts themselves (MIO_EUR·10⁶ / EUR_HAB), the
    population-weighted regional mean reproduces the published NUTS 0 EUR_HAB to
    its rounding (values are rounded to 100 EUR), so national="frame" and the
    default give nearly the same dispersion."""
    year = gdp[gdp["time"] == 2019]
    wide = year.pivot_table(index="geo", columns="unit", values="value")
    wide = wide[["EUR_HAB", "MIO_EUR"]].dropna()
    wide["implied_pop"] = wide["MIO_EUR"] * 1e6 / wide["EUR_HAB"]
    frame = wide.reset_index().assign(time=2019)
    frame = frame[frame["geo"].str[:2].isin(COUNTRIES)]
    by_regions = dispersion_by_country(
        frame, value="EUR_HAB", population="implied_pop", kind="mad"
    ).set_index("country")
    by_national = dispersion_by_country(
        frame,
        value="EUR_HAB",
        population="implied_pop",
        kind="mad",
        national="frame",
    ).set_index("country")
    for country in COUNTRIES:
        published = wide.loc[country, "EUR_HAB"]
        regions = wide[(wide.index.str.len() == 4) & wide.index.str.startswith(country)]
        # Error bound: rounding of every EUR_HAB to 100 EUR (±50) in the regions and
        # in the national value, plus GDP not allocated to regions (extra-regio).
        extra_regio = abs(1 - regions["MIO_EUR"].sum() / wide.loc[country, "MIO_EUR"])
        bound = (50 / regions["EUR_HAB"]).max() + 50 / published + extra_regio
        assert by_regions.loc[country, "reference"] == pytest.approx(
            published, rel=bound
        )
        assert by_national.loc[country, "reference"] == published
        assert by_national.loc[country, "dispersion"] == pytest.approx(
            by_regions.loc[country, "dispersion"], abs=0.5
        )


@pytest.fixture(scope="module")
def activity_rates(mirror_path) -> pd.DataFrame:
    raw = pd.read_csv(mirror_path / "eurostat" / "lfst_r_lfp2actrt.csv.gz")
    sel = raw[(raw["TIME_PERIOD"] == 2019) & (raw["geo"].str.len() == 4)]
    return sel.rename(columns={"TIME_PERIOD": "time", "OBS_VALUE": "value"})


@pytest.mark.mirror
def test_rate_dispersion_cv_recomputed_by_hand(activity_rates, population_2019):
    """Independent recomputation (plain loops) of Eurostat's rate dispersion
    D = 100/Ȳ·√(Σ p_i/P (y_i − Ȳ)²) on real NUTS 2 activity rates 2019
    (lfst_r_lfp2actrt, 15-74) weighted by total population (demo_r_pjanaggr3).
    The mirror holds no employment rates by NUTS 2 nor lfst_r_lmder, so this
    checks the formula, not a published figure."""
    frame = activity_rates[["geo", "time", "value"]].copy()
    frame["population"] = frame["geo"].map(population_2019)
    frame = frame[frame["geo"].str[:2].isin(COUNTRIES)].dropna()
    table = dispersion_by_country(frame, population="population", kind="cv")
    table = table.set_index("country")
    for country in COUNTRIES:
        part = frame[frame["geo"].str.startswith(country)]
        total = 0.0
        amount = 0.0
        for y, p in zip(part["value"], part["population"], strict=True):
            total += p
            amount += p * y
        mean = amount / total
        squares = 0.0
        for y, p in zip(part["value"], part["population"], strict=True):
            squares += p / total * (y - mean) ** 2
        expected = 100.0 / mean * math.sqrt(squares)
        assert table.loc[country, "dispersion"] == pytest.approx(expected, rel=1e-12)
        got = eurostat_dispersion_cv(part["value"], part["population"])
        assert got == pytest.approx(expected, rel=1e-12)
