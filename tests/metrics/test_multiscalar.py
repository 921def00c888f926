"""Deviations at four scales (MTA's idea) and the redistribution to the median.

Checked in closed form on hand-made regions (MTA's own examples use a French data
set that is not available here), against the ratio-of-sums definition (the
reference: GDP and population summed by hand), and on the mirror's GDP.
"""

from __future__ import annotations

import pandas as pd
import pytest
from libpysal.weights import W

from regiongap.errors import DataQualityWarning, MembershipError, MetricInputError
from regiongap.metrics.multiscalar import (
    multiscalar_deviation,
    partnership_redistribution,
)
from regiongap.metrics.spatial_weights import RegionWeights

VALUES = pd.Series({"ES21": 30.0, "ES22": 20.0, "FR10": 40.0, "FRB0": 10.0})
POP = pd.Series({"ES21": 1.0, "ES22": 3.0, "FR10": 1.0, "FRB0": 1.0})


def test_unweighted_scales_closed_form():
    w = W(
        {"ES21": ["ES22"], "ES22": ["ES21", "FRB0"], "FRB0": ["ES22"], "FR10": []},
        silence_warnings=True,
    )
    rw = RegionWeights(w=w, contiguity="queen", policy=None, k=1)
    d = multiscalar_deviation(VALUES, membership=["ES21", "FRB0"], weights=rw)
    assert d["eu27_reference"].unique().tolist() == [25.0]
    assert d.loc["FR10", "country_reference"] == 25.0
    assert d.loc["ES21", "partnership_relative"] == 150.0
    assert pd.isna(d.loc["ES22", "partnership_relative"])
    # neighbours include the region itself: ES22 with ES21 and FRB0
    assert d.loc["ES22", "neighbours_reference"] == pytest.approx(20.0)
    assert d.loc["ES21", "neighbours_absolute"] == pytest.approx(5.0)
    assert d.loc["FR10", "neighbours_reference"] == 40.0  # alone: itself
    assert d["in_partnership"].sum() == 2


def test_population_gives_ratios_of_sums():
    d = multiscalar_deviation(VALUES, population=POP)
    gdp, people = (VALUES * POP).sum(), POP.sum()
    assert d.loc["ES21", "eu27_reference"] == pytest.approx(gdp / people)
    es = ["ES21", "ES22"]
    assert d.loc["ES22", "country_reference"] == pytest.approx(
        (VALUES[es] * POP[es]).sum() / POP[es].sum()
    )
    # absolute: the GDP to give (+) or receive (-) to stand at the reference;
    # the transfers of an area add up to zero
    assert d["eu27_absolute"].sum() == pytest.approx(0.0)
    assert d["country_absolute"].sum() == pytest.approx(0.0)
    assert d.attrs["weighted"] is True


def test_redistribution_to_the_partnership_median():
    members = ["ES21", "ES22", "FRB0"]
    r = partnership_redistribution(VALUES, membership=members, population=POP)
    # median 20: FRB0 needs 10 per inhabitant x 1, ES21/ES22 nothing
    assert r.index[0] == "FRB0"
    assert r.loc["FRB0", "absolute"] == 10.0 and r.loc["FRB0", "relative"] == 1.0
    assert r.loc["ES21", "gap"] == 0.0
    assert r.attrs["total_absolute"] == 10.0
    assert r.attrs["total_relative"] == pytest.approx(10.0 / (30 + 60 + 10))
    assert r.attrs["n_below"] == 1


def test_bad_input():
    with pytest.raises(MembershipError, match="1 member"):
        partnership_redistribution(VALUES, membership=["ES21"])
    with pytest.raises(MetricInputError, match="fewer than 2"):
        multiscalar_deviation(pd.Series({"ES21": 1.0}))
    with pytest.raises(MetricInputError, match="must be positive"):
        multiscalar_deviation(VALUES, population=POP * 0)
    with pytest.warns(DataQualityWarning, match="population left out: FR10"):
        d = multiscalar_deviation(VALUES, population=POP.drop("FR10"))
    assert "FR10" not in d.index


@pytest.mark.mirror
def test_gdp_deviations_on_the_mirror(mirror):
    import regiongap as rg

    gdp = rg.fetch_dataset("nama_10r_3gdp", filters={"unit": "PPS_EU27_2020_HAB"})
    y = gdp[(gdp["time"] == 2019) & (gdp["geo"].str.len() == 4)]
    values = y[y["geo"].map(rg.is_eu27)].set_index("geo")["value"]
    d = multiscalar_deviation(values, "social_economy")
    assert d.loc["ES22", "in_partnership"]
    assert d.loc["RO31", "eu27_relative"] < 75 < d.loc["LU00", "eu27_relative"]
    r = partnership_redistribution(values, "social_economy")
    assert r.attrs["n_below"] >= 1 and 0 < r.attrs["total_relative"] < 1
