"""Structure of the charts (traces, references, missing values, hover, escaping)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import SchemaError
from tests.support.mirror_files import nuts2_gdp_per_inhabitant


@pytest.fixture(scope="module")
def gdp(mirror_path):
    """Real GDP per inhabitant 2019 for NUTS 2 regions, with Eurostat's flags."""
    out = nuts2_gdp_per_inhabitant(mirror_path)
    out.attrs["provenance"] = {"dataset": "nama_10r_2gdp", "last_update": "2023-02-21"}
    return out


def _strings(fig) -> str:
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


def test_gap_chart_references_and_gaps(gdp):
    from regiongap.viz.charts import gap_chart

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


def test_pillar_heatmap_keeps_missing_cells_blank():
    from regiongap.viz.charts import pillar_heatmap

    pillars = pd.DataFrame(
        {"economy": [80.0, np.nan, 10.0], "digital": [55.5, 20.0, np.nan]},
        index=pd.Index(["AT13", "<script>", "PL91"], name="geo"),
    )
    fig = pillar_heatmap(pillars, names={"AT13": "Wien"}, labels={"digital": "Digital"})
    (trace,) = fig.data
    assert trace.z[1][0] is None and trace.z[2][1] is None
    assert trace.text[1][0] == "no score"
    assert list(trace.x) == ["economy", "Digital"]
    assert trace.y[0] == "Wien"
    assert fig.layout.meta["missing_cells"] == 2
    assert "<script>" not in _strings(fig)
    with pytest.raises(SchemaError):
        pillar_heatmap(pillars[[]])


def test_distribution_chart_highlights_members(gdp):
    from regiongap.viz.charts import distribution_chart

    frame = gdp.copy()
    frame.loc[frame["geo"] == "AT11", "value"] = np.nan
    fig = distribution_chart(frame, "value", highlight=["ES61", "AT11", "SI04"])
    box, marked = fig.data
    assert len(box.x) == len(frame) - 1
    assert fig.layout.meta["n_missing"] == 1
    assert {row[1] for row in marked.customdata} == {
        "ES61",
        "SI04",
    }
    de11 = next(row for row in box.customdata if row[1] == "DE11")
    assert de11[3:] in (("2019", "e (estimated)"), ["2019", "e (estimated)"])


def test_convergence_chart_one_line_per_group_with_gaps():
    from regiongap.viz.charts import convergence_chart

    frame = pd.DataFrame(
        {
            "time": [2015, 2016, 2017] * 2,
            "group": ["Members"] * 3 + ["Non-members"] * 3,
            "value": [0.30, np.nan, 0.28, 0.41, 0.40, 0.39],
        }
    )
    fig = convergence_chart(frame, label="Coefficient of variation")
    assert [t.name for t in fig.data] == ["Members", "Non-members"]
    assert fig.data[0].y == (0.30, None, 0.28)
    assert fig.data[0].connectgaps is False
    with pytest.raises(SchemaError, match="'group'"):
        convergence_chart(frame.drop(columns="group"))


def test_rank_chart_orders_and_bands():
    from regiongap.viz.charts import rank_chart

    ranks = pd.DataFrame(
        {
            "median_rank": [3.0, 1.0, 2.0, 4.0],
            "rank_p05": [2.0, 1.0, 1.0, 3.0],
            "rank_p95": [4.0, 2.0, 3.0, 4.0],
        },
        index=pd.Index(["A1", "B1", "C1", "D1"], name="geo"),
    )
    fig = rank_chart(ranks, highlight=["C1"], names={"C1": "<b>Sea</b>"})
    others, marked = fig.data
    assert list(others.y) == [1.0, 3.0, 4.0]
    assert list(others.x) == [1, 3, 4]
    assert list(others.error_y.array) == [1.0, 1.0, 0.0]
    assert list(others.error_y.arrayminus) == [0.0, 1.0, 1.0]
    assert list(marked.x) == [2] and marked.customdata[0][0] == "&lt;b&gt;Sea&lt;/b&gt;"
    assert fig.layout.yaxis.autorange == "reversed"


def test_source_note_lists_datasets_with_their_last_update():
    from regiongap.viz.style import source_note

    one = {"dataset": "nama_10r_2gdp", "last_update": "2023-02-21T23:00:00"}
    assert source_note(one) == (
        "Source: Eurostat (nama_10r_2gdp), last update 2023-02-21; GISCO NUTS 2021"
    )
    several = [one, {"dataset": "demo_r_d2jan", "last_update": None}, one]
    assert source_note(several, geography=None) == (
        "Source: Eurostat (nama_10r_2gdp, last update 2023-02-21; demo_r_d2jan)"
    )
    assert source_note(None) == "Source: GISCO NUTS 2021"
    assert source_note("Source: registry", geography=None) == "Source: registry"


def test_long_source_notes_wrap_below_the_plot():
    import plotly.graph_objects as go

    from regiongap.viz.style import apply_style

    note = "; ".join(f"Eurostat dataset number {i}" for i in range(12))
    fig = apply_style(go.Figure(), title="<script>", source=note)
    (annotation,) = fig.layout.annotations
    lines = annotation.text.split("<br>")
    assert len(lines) > 1 and all(len(line) < 200 for line in lines)
    assert fig.layout.margin.b >= 64 + 14 * len(lines)
    assert "<script>" not in fig.layout.title.text
