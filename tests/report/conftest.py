"""Hand-made report tables: three regions, one partnership named like an attack."""

from __future__ import annotations

import pandas as pd
import pytest

EVIL = "<script>alert('x')</script>"


@pytest.fixture
def small_data():
    """ReportData with hand-made tables (three regions, one partnership named EVIL)."""
    from regiongap.report.data import ReportData

    geo = pd.Index(["AT11", "AT12", "AT13"], name="geo")
    panel = pd.DataFrame(
        {
            "region_name": ["Burgenland", "Niederösterreich", "Wien"],
            "gdp_pps_per_inhabitant": [25000.0, None, 45000.0],
            "gdp_pps_per_inhabitant__year": pd.array([2019, None, 2019], dtype="Int64"),
            "gdp_pps_per_inhabitant__flag": pd.array(["e", None, None], dtype="string"),
        },
        index=geo,
    )
    catalogue = pd.DataFrame(
        {
            "indicator": ["gdp_pps_per_inhabitant", "motorway_density"],
            "title": ["GDP per inhabitant in PPS", "Motorway density"],
            "pillar": ["economic_resources", "transport_infrastructure"],
            "dataset": ["nama_10r_2gdp", "tran_r_net"],
            "unit": ["PPS_EU27_2020_HAB", "KM_TKM2"],
            "higher_is_better": [True, True],
        }
    )
    partnerships = pd.DataFrame(
        {
            "partnership_id": ["evil", "empty"],
            "name": [EVIL, "No members"],
            "platform": ["energy", "agrifood"],
            "member_list": ["complete", "none"],
            "members_stated": pd.array([2, None], dtype="Int64"),
            "completeness": [f"complete: {EVIL}", "none"],
        }
    )
    members = pd.DataFrame(
        {
            "partnership_id": ["evil", "evil"],
            "geo": ["AT11", "AT13"],
            "region_name": ["Burgenland", "Wien"],
            "role": ["lead", "member"],
            "listed_name": [EVIL, "Vienna"],
        }
    )
    scores = pd.DataFrame({"index": [30.0, None, 70.0]}, index=geo)
    ranks = pd.DataFrame(
        {"median_rank": [2.0, 1.0], "rank_p05": [2.0, 1.0], "rank_p95": [2.0, 1.0]},
        index=pd.Index(["AT11", "AT13"], name="geo"),
    )
    return ReportData(
        year=2019,
        level=2,
        panel=panel,
        catalogue=catalogue,
        available=["gdp_pps_per_inhabitant"],
        unavailable={"motorway_density": "SourceError: could not download … offline"},
        warnings=[],
        scores=scores,
        pillars=pd.DataFrame({"economic_resources": [30.0, 70.0]}, index=ranks.index),
        ranks=ranks,
        framework=catalogue.iloc[:1][["indicator", "pillar", "higher_is_better"]],
        gdp_series=pd.DataFrame(columns=["geo", "time", "value", "flag"]),
        partnerships=partnerships,
        members=members,
        provenance=[
            {
                "dataset": "nama_10r_2gdp",
                "last_update": "2023-02-21T23:00:00",
                "source": "mirror",
            }
        ],
        recoding={"gdp_pps_per_inhabitant": {"not_in_index": ["HR04"]}},
    )
