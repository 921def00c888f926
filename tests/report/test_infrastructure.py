"""Members' positions on infrastructure and resources, against partnership_gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regiongap.metrics.partnerships.gaps import partnership_gaps
from regiongap.report.infrastructure import (
    infrastructure_indicators,
    member_positions,
    source_levels,
)


@pytest.fixture
def hand_made():
    """Six regions, two indicators (one where lower is better), two partnerships."""
    geo = pd.Index(["AT11", "AT12", "AT13", "DE11", "DE12", "BE10"], name="geo")
    panel = pd.DataFrame(
        {
            "internet": [90.0, 70.0, 80.0, 85.0, 85.0, None],
            "internet__year": [2019, 2019, 2018, 2019, 2019, None],
            "internet__flag": [None, "e", None, None, None, None],
            "internet__source_level": [2, 2, 2, 1, 1, None],
            "unemployment": [4.0, 6.0, 5.0, 3.0, 8.0, 7.0],
            "unemployment__year": [2019] * 6,
            "unemployment__flag": [None] * 6,
        },
        index=geo,
    )
    panel.attrs["panel"] = {"a": "large attrs are not copied around"}
    catalogue = pd.DataFrame(
        {
            "indicator": ["internet", "unemployment", "gdp"],
            "pillar": ["digital_infrastructure", "human_capital", "economic_resources"],
            "higher_is_better": [True, False, True],
        }
    )
    members = pd.DataFrame(
        {
            "partnership_id": ["p", "p", "p", "q", "q"],
            "geo": ["AT11", "AT12", "DE11", "DE12", "BE10"],
            "role": ["lead", "member", "co-lead", "lead", "member"],
        }
    )
    return panel, catalogue, members


def test_positions_agree_with_partnership_gaps(hand_made):
    panel, catalogue, members = hand_made
    out = member_positions(panel, catalogue, members, ["internet", "unemployment"], 2)
    assert len(out) == 2 * len(members)
    for (pid, ind), rows in out.groupby(["partnership", "indicator"]):
        higher = ind == "internet"
        listed = members[members["partnership_id"] == pid][["geo", "role"]]
        reference = partnership_gaps(
            panel[ind].rename(ind), membership=listed, higher_is_better=higher
        ).table
        rows = rows.set_index("geo").loc[reference.index]
        for column in (
            "partnership_median",
            "eu27_median",
            "gap_to_partnership_median",
            "gap_to_eu27_median",
        ):
            np.testing.assert_allclose(
                rows[column].astype(float), reference[column].astype(float)
            )
        best = reference[ind].idxmax() if higher else reference[ind].idxmin()
        assert set(rows["best_geo"]) == {best}


def test_closed_form_positions_years_levels_and_percentiles(hand_made):
    panel, catalogue, members = hand_made
    out = member_positions(panel, catalogue, members, ["internet", "unemployment"], 2)
    row = out[(out["geo"] == "AT12") & (out["indicator"] == "internet")].iloc[0]
    # p's internet values 90, 70, 85: median 85; best 90 (AT11); EU median of
    # the five regions with a value is 85
    assert row["partnership_median"] == 85.0 and row["eu27_median"] == 85.0
    assert row["best_geo"] == "AT11" and row["gap_to_best"] == -20.0
    assert row["flag"] == "e" and row["year"] == 2019
    assert row["percentile"] == pytest.approx(20.0)  # the lowest of five
    # the median (85) is ahead of or equal to 4 of the 5 values (70, 80, 85, 85)
    assert row["median_percentile"] == pytest.approx(80.0)
    de11 = out[(out["geo"] == "DE11") & (out["indicator"] == "internet")].iloc[0]
    assert de11["source_level"] == 1  # a parent-level value stays marked
    # lower is better: DE12 (8 %) is behind the best member BE10 (7 %) by 1 point
    de12 = out[(out["geo"] == "DE12") & (out["indicator"] == "unemployment")].iloc[0]
    assert de12["best_geo"] == "BE10" and de12["gap_to_best"] == -1.0
    assert de12["percentile"] == pytest.approx(100 / 6)
    # q's median unemployment 7.5 % is ahead of or equal to 8 % only: 1 of 6
    assert de12["median_percentile"] == pytest.approx(100 / 6)
    missing = out[(out["geo"] == "BE10") & (out["indicator"] == "internet")].iloc[0]
    assert np.isnan(missing["value"]) and pd.isna(missing["source_level"])


def test_indicators_and_levels(hand_made):
    panel, catalogue, _ = hand_made
    assert infrastructure_indicators(catalogue, panel) == ["internet"]
    assert source_levels(panel, "unemployment", 2).tolist() == [2] * 6
