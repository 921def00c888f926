"""The pages' tables only label and round the results computed once for the build."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def with_results(small_data):
    """The hand-made tables plus the results compute_report_data would add."""
    comparisons = pd.DataFrame(
        {
            "partnership": ["evil"],
            "member_list": ["complete"],
            "n_members": [2],
            "n_nonmembers": [240],
            "mean_members": [50.04],
            "mean_nonmembers": [40.0],
            "difference": [10.04],
            "ci_low": [2.04],
            "ci_high": [18.96],
            "theil_total": [0.07],
            "theil_between": [0.001],
            "theil_within": [0.069],
        }
    )
    participation = pd.DataFrame(
        {
            "category": ["less developed", "all"],
            "n_regions": [79, 242],
            "n_members": [22, 97],
            "share": [22 / 79, 97 / 242],
        }
    )
    inequality = pd.DataFrame(
        {
            "n_regions": [242],
            "gini": [0.16444],
            "theil": [0.04411],
            "cv": [0.30123],
            "max_min_ratio": [9.04598],
        },
        index=pd.Index(["gdp_pps_per_inhabitant"], name="indicator"),
    )
    return dataclasses.replace(
        small_data,
        comparisons=comparisons,
        participation=participation,
        inequality=inequality,
    )


def test_comparison_tables_name_partnerships_and_round(with_results):
    from regiongap.report.sections import Overview, Profile
    from regiongap.report.tables import comparison_table

    table = comparison_table(with_results)
    (name,) = table.index
    assert name == with_results.partnership("evil")["name"]
    row = table.loc[name]
    assert row["Difference"] == 10.0 and row["95 % interval"] == "2.0 to 19.0"
    assert Overview(with_results).comparison().equals(table)
    profile = Profile(with_results, "evil").comparison()
    assert list(profile.columns[:2]) == ["Members", "Other regions"]
    assert profile["95 % high"].iloc[0] == 18.96
    assert profile["between groups"].iloc[0] == 0.001


def test_without_a_complete_list_the_pages_say_so(small_data):
    from regiongap.report.sections import Overview, Profile

    assert (
        "No partnership has a complete member list" in Overview(small_data).comparison()
    )
    assert "could not be computed" in Overview(small_data).participation()
    assert "not available" in Overview(small_data).convergence()
    assert "no member regions" in Profile(small_data, "empty").comparison()


def test_participation_and_inequality_are_labelled(with_results):
    from regiongap.report.sections import Overview

    data = dataclasses.replace(
        with_results,
        categories=pd.DataFrame(
            {"category": ["less developed"]}, index=pd.Index(["AT11"], name="geo")
        ),
    )
    shares = Overview(data).participation()
    assert shares.index.name == "Cohesion category"
    assert shares.loc["less developed", "Share (%)"] == pytest.approx(27.8)
    assert shares.loc["all", "In at least one partnership"] == 97
    inequality = Overview(data).inequality()
    assert list(inequality.index) == ["GDP per inhabitant in PPS"]
    assert inequality.loc["GDP per inhabitant in PPS", "Gini"] == 0.164
    assert np.isclose(inequality["Max/min ratio"].iloc[0], 9.046)
