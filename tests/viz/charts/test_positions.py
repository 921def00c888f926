"""The position chart: members' percentiles, indicator by indicator."""

from __future__ import annotations

import pandas as pd
import pytest

from regiongap.errors import SchemaError


@pytest.fixture
def rows():
    """Hand-made positions: two indicators, three members, one parent-level value."""
    return pd.DataFrame(
        {
            "indicator": ["internet"] * 3 + ["unemployment"] * 3,
            "geo": ["DE11", "AT13", "AT11"] * 2,
            "value": [88.0, 91.0, None, 3.1, 4.2, 6.0],
            "percentile": [40.0, 70.0, None, 90.0, 60.0, 20.0],
            "year": [2019] * 6,
            "source_level": [1, 2, None, 2, 2, 2],
            "flag": [None, "e", None, None, None, None],
            "median_percentile": [55.0] * 3 + [60.0] * 3,
            "partnership_median": [89.5] * 3 + [4.2] * 3,
            "eu27_median": [89.0] * 3 + [5.0] * 3,
            "gap_to_partnership_median": [-1.5, 1.5, None, 1.1, 0.0, -1.8],
            "gap_to_eu27_median": [-1.0, 2.0, None, 1.9, 0.8, -1.0],
            "gap_to_best": [-3.0, 0.0, None, 0.0, -1.1, -2.9],
        }
    )


def test_members_medians_and_parent_values(rows):
    from regiongap.viz.charts.positions import position_chart

    fig = position_chart(
        rows,
        names={"AT13": "Wien"},
        labels={"internet": "Internet <access>", "unemployment": "Unemployment"},
        units={"internet": "% of households", "unemployment": "%"},
        level=2,
        title="Infrastructure",
    )
    own, parent, medians = fig.data
    assert len(own.x) == 4 and list(parent.x) == [40.0]  # AT11 has no value
    assert parent.customdata[0][4] == "NUTS 1 (value of the parent region)"
    wien = own.customdata[list(own.x).index(70.0)]
    assert wien[0] == "Wien" and wien[2] == "91.0 % of households" and wien[3] == "2019"
    assert list(medians.x) == [55.0, 60.0]
    assert "Internet &lt;access&gt;" in medians.y  # labels are escaped
    assert fig.layout.meta["parent_level"] == 1
    assert fig.layout.yaxis.categoryarray == ("Unemployment", "Internet &lt;access&gt;")


def test_missing_columns_are_named(rows):
    from regiongap.viz.charts.positions import position_chart

    with pytest.raises(SchemaError, match="median_percentile"):
        position_chart(rows.drop(columns="median_percentile"))
