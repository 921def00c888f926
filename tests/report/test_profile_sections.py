"""The partnership page's newer sections: hand-made results, formatted and drawn."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def analysed(small_data):
    """The hand-made report tables plus the results compute_report_data adds."""
    geo = ["AT11", "AT13"]
    positions = pd.DataFrame(
        {
            "partnership": "evil",
            "indicator": "gdp_pps_per_inhabitant",
            "geo": geo,
            "role": ["lead", "member"],
            "value": [25000.0, 45000.0],
            "year": pd.array([2018, 2019], dtype="Int64"),
            "source_level": pd.array([1, 2], dtype="Int64"),
            "flag": [None, None],
            "percentile": [50.0, 100.0],
            "partnership_median": 35000.0,
            "median_percentile": 50.0,
            "eu27_median": 35000.0,
            "best_geo": "AT13",
            "best_value": 45000.0,
            "gap_to_partnership_median": [-10000.0, 10000.0],
            "gap_to_eu27_median": [-10000.0, 10000.0],
            "gap_to_best": [-20000.0, 0.0],
        }
    )
    clusters = pd.DataFrame(
        {
            "value": [30.0, 70.0],
            "lag": [40.0, 60.0],
            "local_i": [0.1, 0.2],
            "quadrant": ["LL", "HH"],
            "p_sim": [0.2, 0.01],
            "p_fdr": [0.3, 0.02],
            "cluster": ["not significant", "HH"],
        },
        index=pd.Index(geo, name="geo"),
    )
    mobility = pd.DataFrame(
        {
            "partnership": "evil",
            "group": ["members", "other regions"],
            "n_regions": [2, 240],
            "shorrocks": [0.25, 0.1],
            "stay_bottom": [np.nan, 0.95],
            "moved_up": [0.05, 0.03],
            "moved_down": [0.0, 0.03],
            "kendall_tau": [1.0, 0.8],
        }
    )
    sensitivity = pd.DataFrame(
        {
            "geo": ["AT11", "AT11", "AT13", "AT13"],
            "assumption": ["normalisation", "coverage"] * 2,
            "first_order": [0.5, 0.0, 0.2, 0.0],
            "total_order": [0.6, 0.01, 0.3, 0.0],
        }
    )
    mentors = pd.DataFrame(
        {
            "partnership": "evil",
            "pillar": ["economic_resources"],
            "mentor": ["AT13"],
            "mentee": ["AT11"],
            "mentor_score": [70.0],
            "mentee_score": [30.0],
            "gap": [40.0],
            "profile_distance": [1.0],
            "gap_rank": [1],
            "proximity_rank": [1],
        }
    )
    collective = pd.DataFrame(
        {
            "partnership": "evil",
            "pillar": ["economic_resources"],
            "best_member": ["AT13"],
            "best_score": [70.0],
            "members_median": [50.0],
            "eu27_top_decile": [80.0],
            "covered": [False],
            "gap_to_top_decile": [-10.0],
        }
    )
    complementary = pd.DataFrame(
        {
            "partnership": "evil",
            "geo": ["AT12"],
            "rank": [1],
            "complement_score": [1.5],
            "fills": [1],
            "explained_by": ["economic_resources 90.0 vs best member 70.0"],
            "index": [60.0],
            "cv_now": [0.4],
            "cv_if_joined": [0.3],
            "delta_cv": [-0.1],
        }
    )
    return dataclasses.replace(
        small_data,
        infrastructure=positions,
        clusters=clusters,
        mobility=mobility,
        sensitivity=sensitivity,
        mentors=mentors,
        collective=collective,
        complementary=complementary,
        analytics={
            "spatial": {"morans_i": 0.7, "permutations": 999},
            "sensitivity": {"n_runs": 896, "convergence": {}},
        },
    )


def test_infrastructure_table_marks_years_levels_and_references(analysed):
    from regiongap.report.profile_tables import PARENT_MARK, infrastructure_table

    table = infrastructure_table(analysed, "evil")
    (column,) = table.columns
    assert column == "GDP per inhabitant in PPS (PPS_EU27_2020_HAB)"
    cells = table[column].to_dict()
    # an older year in brackets, a parent-level value marked, separators
    assert cells["Burgenland"] == f"25,000{PARENT_MARK} (2018)"
    assert cells["Wien"] == "45,000"
    assert cells["Partnership median"] == "35,000"
    assert cells["Best member"] == "45,000 (Wien)"


def test_infrastructure_section_draws_and_explains(analysed):
    from regiongap.report.sections import Profile

    profile = Profile(analysed, "evil")
    fig = profile.infrastructure()
    assert fig.layout.meta["figure"] == "position_chart"
    assert fig.layout.meta["parent_level"] == 1
    assert "parent" in profile.infrastructure_note()
    assert "&lt;script&gt;" not in profile.infrastructure_note()  # nothing from data


def test_cluster_mobility_and_sensitivity_sections(analysed, monkeypatch):
    import geopandas as gpd
    from shapely.geometry import box

    from regiongap.report.sections import Profile

    shapes = gpd.GeoDataFrame(
        {"geo": ["AT11", "AT12", "AT13"], "region_name": ["B", "N", "W"]},
        geometry=[box(16, 47, 17, 48), box(15, 48, 16, 49), box(16, 48, 17, 49)],
        crs=4326,
    )
    data = dataclasses.replace(analysed, _shapes=shapes)
    profile = Profile(data, "evil")
    fig = profile.clusters()
    assert fig.layout.meta["categories"]["HH"] == ["AT13"]
    assert fig.layout.meta["highlighted"] == ["AT11", "AT13"]
    clusters = profile.cluster_table()
    assert clusters.loc["Wien", "Cluster"].startswith("Hot spot")
    assert clusters.formatted().loc["Wien", "p (FDR-adjusted)"] == "0.020"
    mobility = profile.mobility()
    assert mobility.formatted().loc["Members", "Stayed in the bottom fifth (%)"] == "–"
    assert mobility.loc["Other regions", "Stayed in the bottom fifth (%)"] == 95.0
    heat = profile.sensitivity()
    assert list(heat.data[0].x) == ["Normalisation", "Coverage threshold"]
    assert heat.data[0].z[0][0] == pytest.approx(0.6)


def test_matchmaking_sections_name_regions_and_pillars(analysed):
    from regiongap.report.sections import Profile

    profile = Profile(analysed, "evil")
    mentors = profile.mentors()
    assert (
        mentors.iloc[0]["Mentor"] == "Wien"
        and mentors.iloc[0]["Mentee"] == "Burgenland"
    )
    uncovered = profile.uncovered()
    assert uncovered.loc["Economic resources", "A member in the top decile"].startswith(
        "no"
    )
    candidates = profile.complementary()
    assert candidates.loc["Niederösterreich", "Why"].startswith("Economic resources 90")
    assert (
        candidates.formatted().loc[
            "Niederösterreich", "Change of the members' CV if it joined"
        ]
        == "-0.100"
    )


def test_a_partnership_without_members_says_so_in_every_new_section(analysed):
    from regiongap.report.sections import Profile

    empty = Profile(analysed, "empty")
    for section in (
        empty.infrastructure,
        empty.infrastructure_table,
        empty.clusters,
        empty.cluster_table,
        empty.mobility,
        empty.sensitivity,
        empty.mentors,
        empty.uncovered,
        empty.complementary,
    ):
        assert "no member regions" in section() or "Nothing to show" in section()


def test_tables_read_with_separators_units_and_whole_ranks(small_data):
    from regiongap.report.sections import Overview, Profile

    members = Profile(small_data, "evil").table()
    shown = members.formatted()
    assert shown.loc["Wien", "GDP per inhabitant (PPS)"] == "45,000"
    assert shown.loc["Wien", "Median rank (of 2)"] == "1"
    assert shown.loc["Wien", "Capacity index (0–100)"] == "70.0"
    html = members._repr_html_()
    assert "45,000" in html and "&lt;script&gt;" in html and "<script>" not in html
    partnerships = Overview(small_data).partnerships().formatted()
    assert partnerships.loc["No members", "Index median"] == "–"
    framework = Overview(small_data).framework()
    assert framework.loc["GDP per inhabitant in PPS", "Direction"] == "higher is better"


def test_every_lead_and_co_lead_gets_the_promised_star(small_data):
    from regiongap.report.sections import Profile

    members = small_data.members.assign(role=["co-lead", "co-lead"])
    data = dataclasses.replace(small_data, members=members)
    assert data.leads("evil") == ["AT11", "AT13"]
    assert data.leader("evil") == "AT13"  # the co-lead with the highest index
    fig = Profile(data, "evil").gaps()
    assert all(label.endswith(" ★") for label in fig.data[0].y)
    assert fig.layout.meta["leader_value"] == 70.0
    assert "★ = lead or co-lead region" in fig.layout.title.subtitle.text


def test_members_without_an_index_are_named_with_the_reason(small_data):
    from regiongap.report.sections import Profile

    excluded = pd.DataFrame(
        {"region_name": ["Burgenland"], "reason": ["coverage 0.33 < 0.60"]},
        index=pd.Index(["AT11"], name="geo"),
    )
    note = Profile(
        dataclasses.replace(small_data, excluded=excluded), "evil"
    ).left_out()
    assert "Burgenland (AT11): coverage 0.33 &lt; 0.60" in note
    assert Profile(small_data, "evil").left_out() == ""
