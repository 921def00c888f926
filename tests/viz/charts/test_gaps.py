"""The gap chart: members against their median, the EU-27 median and the leader."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.mirror


def test_gap_chart_references_and_gaps(gdp):
    from regiongap.viz.charts.gaps import gap_chart

    members = gdp[gdp["geo"].isin(["ES61", "ES41", "FRK2", "SI04", "ITC4"])].copy()
    members.loc[members["geo"] == "ITC4", "value"] = np.nan
    eu = float(gdp["value"].median())
    fig = gap_chart(
        members,
        "value",
        eu_median=eu,
        leader="SI04",
        names={"ES61": "Andalucía"},
        label="GDP per inhabitant",
    )
    present = members.dropna(subset=["value"])
    assert fig.layout.meta["partnership_median"] == pytest.approx(
        float(np.median(present["value"]))
    )
    assert fig.layout.meta["leader_value"] == float(
        present.set_index("geo").loc["SI04", "value"]
    )
    assert fig.layout.meta["no_value"] == ["ITC4"]
    assert [t.name.split(" (")[0] for t in fig.data] == [
        "Member region",
        "Partnership median",
        "EU-27 median",
        "Leader",
    ]
    points = fig.data[0]
    assert len(points.x) == 4  # the member without a value is listed, not drawn at 0
    assert list(points.x) == sorted(points.x)
    row = dict(zip(points.y, points.customdata, strict=True))["Andalucía"]
    andalucia = float(present.set_index("geo").loc["ES61", "value"])
    assert row[1] == f"{andalucia:,.0f}"
    assert row[3] == f"{andalucia - eu:+,.0f}"
    (note,) = [a.text for a in fig.layout.annotations if a.name == "source"]
    assert "nama_10r_2gdp" in note and "No value: ITC4" in note
