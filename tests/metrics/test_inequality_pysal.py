"""Cross-checks of the unweighted measures against PySAL ``inequality``.

Real data: NUTS 2 GDP per inhabitant (EUR_HAB) from the mirror's
``nama_10r_3gdp.tsv.gz``, read here with pandas directly (not through regiongap)
so the test does not share a code path with the library. All values are strictly
positive, so PySAL's tiny constant added to zeros never comes into play.
Published values: PySAL's documented Theil/TheilD results on ``mexico.csv``
(anchors R1, R2) and its Atkinson docstring example.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regiongap.metrics import atkinson, gini, theil, theil_decomposition

inequality = pytest.importorskip("inequality")
from inequality.atkinson import atkinson as pysal_atkinson  # noqa: E402
from inequality.gini import Gini  # noqa: E402
from inequality.theil import Theil, TheilD  # noqa: E402

YEARS = (2010, 2015, 2019, 2021)


def _read_old_tsv(path) -> pd.DataFrame:
    """Old Eurostat SDMX-TSV (``unit,geo\\time``, years descending) to long rows."""
    raw = pd.read_csv(path, sep="\t", dtype=str)
    key = raw.columns[0]
    parts = raw[key].str.split(",", expand=True)
    raw = raw.drop(columns=key).assign(unit=parts[0], geo=parts[1])
    raw.columns = [c.strip() for c in raw.columns]
    long = raw.melt(id_vars=["unit", "geo"], var_name="time", value_name="cell")
    number = long["cell"].str.strip().str.extract(r"^([-0-9.]+)")[0]
    long["value"] = pd.to_numeric(number, errors="coerce")
    long["time"] = long["time"].astype(int)
    return long.drop(columns="cell")


@pytest.fixture(scope="module")
def gdp_nuts2(mirror_path) -> pd.DataFrame:
    long = _read_old_tsv(mirror_path / "eurostat" / "nama_10r_3gdp.tsv.gz")
    sel = long[
        (long["unit"] == "EUR_HAB")
        & (long["geo"].str.len() == 4)
        & ~long["geo"].str.endswith("Z")
        & long["time"].isin(YEARS)
    ]
    return sel.dropna(subset=["value"])


@pytest.mark.mirror
@pytest.mark.parametrize("year", YEARS)
def test_unweighted_measures_match_pysal_on_nuts2_gdp(gdp_nuts2, year):
    """Reference implementation: PySAL Gini, Theil and atkinson on real NUTS 2
    EUR_HAB (nama_10r_3gdp) agree with ours to 1e-10."""
    y = gdp_nuts2.loc[gdp_nuts2["time"] == year, "value"].to_numpy()
    assert len(y) > 200  # all European NUTS 2 regions with data that year
    assert (y > 0).all()
    assert gini(y) == pytest.approx(Gini(y).g, abs=1e-10)
    assert theil(y) == pytest.approx(float(Theil(y).T), abs=1e-10)
    for eps in (0.5, 1.0, 2.0):
        assert atkinson(y, eps) == pytest.approx(pysal_atkinson(y, eps), abs=1e-10)


@pytest.mark.mirror
@pytest.mark.parametrize("year", YEARS)
def test_theil_decomposition_by_country_matches_pysal_theild(gdp_nuts2, year):
    """Reference implementation: PySAL TheilD with NUTS 2 regions grouped by
    country (first two letters of the code) on real EUR_HAB data."""
    rows = gdp_nuts2[gdp_nuts2["time"] == year]
    y = rows["value"].to_numpy()
    country = rows["geo"].str[:2].to_numpy()
    ours = theil_decomposition(y, country)
    ref = TheilD(y, country)
    assert ours.total == pytest.approx(float(ref.T), abs=1e-10)
    assert ours.between == pytest.approx(float(np.ravel(ref.bg)[0]), abs=1e-10)
    assert ours.within == pytest.approx(float(np.ravel(ref.wg)[0]), abs=1e-10)
    # Single-region countries (e.g. EE, LU, CY) are groups of one: within part 0.
    singles = ours.groups[ours.groups["n"] == 1]
    assert len(singles) > 0
    assert (singles["within_contribution"] == 0).all()


@pytest.fixture(scope="module")
def mexico() -> pd.DataFrame:
    examples = pytest.importorskip("libpysal.examples")
    return pd.read_csv(examples.get_path("mexico.csv"))


def test_mexico_theil_published_values(mexico):
    """Published values (anchors R1/R2; pysal/inequality theil.py docstring):
    Theil T and TheilD (regimes hanson98) of Mexican state GDP per capita."""
    published_t = [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113,
                   0.10511256, 0.10660832]  # fmt: skip
    published_bg = [0.0345889, 0.02816853, 0.05260921, 0.05931219, 0.03205257,
                    0.02963731, 0.03635872]  # fmt: skip
    published_wg = [0.17435454, 0.12405598, 0.0521202, 0.04263506, 0.06354856,
                    0.07547525, 0.0702496]  # fmt: skip
    for k, decade in enumerate(range(1940, 2010, 10)):
        y = mexico[f"pcgdp{decade}"]
        d = theil_decomposition(y.to_numpy(), mexico["hanson98"].to_numpy())
        assert theil(y) == pytest.approx(published_t[k], abs=5e-9)
        assert d.between == pytest.approx(published_bg[k], abs=5e-9)
        assert d.within == pytest.approx(published_wg[k], abs=5e-9)


def test_atkinson_pysal_docstring_example():
    """Published values (pysal/inequality atkinson docstring): incomes 10..50
    give A(0.5) = 0.06315 and A(1) = 0.13161 (rounded to 5 places)."""
    incomes = [10, 20, 30, 40, 50]
    assert round(atkinson(incomes, 0.5), 5) == 0.06315
    assert round(atkinson(incomes, 1), 5) == 0.13161
