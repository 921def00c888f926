"""Structure of the NUTS maps built from real mirror data (no images compared)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import SchemaError
from tests.support.mirror_files import nuts2_gdp_per_inhabitant

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def shapes(mirror_path):
    import geopandas as gpd

    path = mirror_path / "geo" / "NUTS_RG_20M_2021_4326_LEVL_2.geojson.gz"
    raw = gpd.read_file(f"/vsigzip/{path}")
    return raw.rename(
        columns={"NUTS_ID": "geo", "NAME_LATN": "region_name", "CNTR_CODE": "country"}
    )[["geo", "region_name", "country", "geometry"]]


@pytest.fixture(scope="module")
def gdp(mirror_path):
    """GDP per inhabitant 2019 at NUTS 2, the real SDMX-CSV file parsed by regiongap."""
    out = nuts2_gdp_per_inhabitant(mirror_path)
    out.attrs["provenance"] = {
        "dataset": "nama_10r_2gdp",
        "last_update": out.attrs["last_update"],
    }
    return out


def _value_traces(fig):
    return [
        t
        for t in fig.data
        if t.type == "choropleth"
        and t.name not in ("No data", "Not covered")
        and t.hoverinfo != "skip"
    ]


def _locations(traces):
    return {loc for t in traces for loc in t.locations}


@pytest.mark.filterwarnings("ignore:Numba not installed")
@pytest.mark.parametrize(
    ("classification", "scheme"),
    [("quantiles", "Quantiles"), ("fisher_jenks", "FisherJenks")],
)
def test_class_breaks_are_mapclassify_breaks(gdp, shapes, classification, scheme):
    import mapclassify

    from regiongap.viz.maps import choropleth

    fig = choropleth(gdp, shapes, classification=classification, k=5)
    expected = getattr(mapclassify, scheme)(gdp["value"].to_numpy(), k=5).bins
    np.testing.assert_allclose(fig.layout.meta["bins"], expected)
    # one trace per class, then the outlines: every value trace holds the regions
    # mapclassify puts in that class
    classes = getattr(mapclassify, scheme)(gdp["value"].to_numpy(), k=5)
    traces = _value_traces(fig)
    assert len(traces) == 5
    drawn = set(fig.layout.meta["outside_frame"])
    for i, trace in enumerate(traces):
        expected_geos = set(gdp["geo"][classes.yb == i]) & set(shapes["geo"]) - drawn
        assert set(trace.locations) == expected_geos


def test_user_breaks(gdp, shapes):
    from regiongap.viz.maps import choropleth

    fig = choropleth(gdp, shapes, classification="user", bins=[20000, 40000, 200000])
    assert fig.layout.meta["bins"] == [20000, 40000, 200000]
    traces = _value_traces(fig)
    assert [t.name.split(" – ")[1] for t in traces] == ["20,000", "40,000", "200,000"]
    low = set(traces[0].locations)
    outside = set(fig.layout.meta["outside_frame"])
    expected = set(gdp.loc[gdp["value"] <= 20000, "geo"]) & set(shapes["geo"])
    assert low == expected - outside


def test_user_classes_can_be_named(gdp, shapes):
    from regiongap.viz.maps import choropleth

    names = ["poorer", "middle", "richer"]
    fig = choropleth(
        gdp,
        shapes,
        classification="user",
        bins=[20000, 40000, 200000],
        class_labels=names,
    )
    assert [t.name for t in _value_traces(fig)] == names
    with pytest.raises(SchemaError, match="2 labels for 3 classes"):
        choropleth(
            gdp,
            shapes,
            classification="user",
            bins=[20000, 40000, 200000],
            class_labels=names[:2],
        )


def test_missing_values_are_drawn_as_no_data_not_zero(gdp, shapes):
    from regiongap.viz.maps import choropleth

    frame = gdp.copy()
    gone = ["ES61", "PL91"]
    frame.loc[frame["geo"] == "ES61", "value"] = np.nan  # NaN value
    frame = frame[frame["geo"] != "PL91"]  # region absent from the frame
    for classification in ("quantiles", "continuous"):
        fig = choropleth(frame, shapes, classification=classification)
        no_data = [t for t in fig.data if t.name == "No data"]
        assert len(no_data) == 1
        assert set(gone) <= set(no_data[0].locations)
        drawn = _value_traces(fig)
        assert not set(gone) & _locations(drawn)
        assert set(gone) <= set(fig.layout.meta["no_data"])
        # the no-data fill is the neutral grey, never a colour of the value scale
        assert no_data[0].colorscale[0][1] == "#d9d9d9"
    cont = choropleth(frame, shapes, classification="continuous")
    (trace,) = _value_traces(cont)
    assert 0.0 not in trace.z or (frame["value"] == 0).any()
    drawable = set(shapes["geo"]) - set(cont.layout.meta["outside_frame"])
    assert len(trace.z) == int(frame["geo"].isin(drawable).sum()) - 1


def test_countries_without_any_value_are_context_not_no_data(gdp, shapes):
    from regiongap.viz.maps import choropleth

    fig = choropleth(gdp[gdp["geo"].str[:2] != "FR"], shapes)
    context = [t for t in fig.data if t.name == "Not covered"]
    assert context and "FR10" in context[0].locations
    assert "FR10" not in fig.layout.meta["no_data"]


def test_hover_has_name_value_year_and_flag(gdp, shapes):
    from regiongap.viz.maps import choropleth

    fig = choropleth(gdp, shapes, label="GDP per inhabitant", unit="EUR")
    rows = {row[1]: row for t in _value_traces(fig) for row in t.customdata}
    name, _geo, value, year, flag = rows["DE11"]
    assert name == shapes.set_index("geo").loc["DE11", "region_name"]
    expected = gdp.set_index("geo").loc["DE11", "value"]
    assert value == f"{expected:,.0f} EUR"
    assert year == "2019"
    assert flag == "e (estimated)"
    assert rows["AT11"][4] == "none"
    template = _value_traces(fig)[0].hovertemplate
    for part in ("customdata[0]", "GDP per inhabitant", "Year", "Flag"):
        assert part in template


def test_panel_columns_are_understood(gdp, shapes):
    from regiongap.viz.maps import choropleth

    panel = gdp.set_index("geo")[["value", "time", "flag"]].rename(
        columns={"value": "gdp", "time": "gdp__year", "flag": "gdp__flag"}
    )
    fig = choropleth(panel, shapes, "gdp", classification="continuous")
    (trace,) = _value_traces(fig)
    row = dict(zip(trace.locations, trace.customdata, strict=True))["DE11"]
    assert row[3:] == ("2019", "e (estimated)") or list(row[3:]) == [
        "2019",
        "e (estimated)",
    ]


def test_highlight_outlines_members(gdp, shapes):
    from regiongap.viz.maps import choropleth

    members = ["ES61", "ES41", "FRK2"]
    fig = choropleth(gdp, shapes, highlight=members)
    outline = [t for t in fig.data if t.type == "choropleth" and t.hoverinfo == "skip"]
    assert len(outline) == 1
    assert set(outline[0].locations) == set(members)
    assert outline[0].marker.line.width > 1
    legend = [t for t in fig.data if t.type == "scattergeo"]
    assert legend[0].name == "Partnership member"
    # 5 classes + outline + its legend entry (+ context for non-EU shapes)
    assert len(fig.data) == 5 + 2 + len(
        [t for t in fig.data if t.name == "Not covered"]
    )


def test_names_are_escaped(gdp, shapes):
    from regiongap.viz.maps import choropleth, partnership_map

    evil = shapes.copy()
    evil.loc[evil["geo"] == "AT11", "region_name"] = "<script>alert(1)</script>"
    fig = choropleth(gdp, evil, title="<b>x</b><script>", label="<img src=x>")
    text = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    members = pd.DataFrame(
        {"geo": ["AT11"], "role": ["lead"], "region_name": ["<script>x</script>"]}
    )
    text = json.dumps(json.loads(partnership_map(members, evil).to_json()))
    assert "<script>" not in text and "&lt;script&gt;x" in text


def test_geometry_is_light_and_clockwise(gdp, shapes):
    import shapely

    from regiongap.viz.maps import choropleth

    fig = choropleth(gdp, shapes, highlight=["ES61"])
    assert len(fig.to_json()) < 1_500_000
    # outermost regions are outside the European frame, and said to be
    assert "ES70" in fig.layout.meta["outside_frame"]
    feature = next(
        f
        for t in _value_traces(fig)
        for f in t.geojson["features"]
        if f["id"] == "AT13"
    )
    polygon = shapely.geometry.shape(feature["geometry"])
    ring = (
        polygon.geoms[0] if polygon.geom_type == "MultiPolygon" else polygon
    ).exterior
    assert not ring.is_ccw


def test_source_note_from_provenance(gdp, shapes):
    from regiongap.viz.maps import choropleth

    fig = choropleth(gdp, shapes)
    (note,) = [a.text for a in fig.layout.annotations if a.name == "source"]
    assert (
        "Source: Eurostat (nama_10r_2gdp), last update 2023-02-21; GISCO NUTS 2021"
        in note
    )


def test_bad_arguments(gdp, shapes):
    from regiongap.viz.maps import choropleth

    with pytest.raises(SchemaError, match="classification='jenks'"):
        choropleth(gdp, shapes, classification="jenks")
    with pytest.raises(SchemaError, match="needs bins"):
        choropleth(gdp, shapes, classification="user")
    with pytest.raises(SchemaError, match="'gdp' is not in the frame"):
        choropleth(gdp, shapes, "gdp")
    with pytest.raises(SchemaError, match="more than once"):
        choropleth(pd.concat([gdp, gdp]), shapes)
    with pytest.raises(SchemaError, match="cannot make k=5"):
        choropleth(gdp.head(3), shapes)


def test_partnership_map_colours_roles(shapes):
    from regiongap.viz.maps import partnership_map
    from regiongap.viz.style import ROLE_COLOURS

    members = pd.DataFrame(
        {
            "geo": ["SI03", "SI04", "ES61", "ES41", "FRK2", "ES61"],
            "role": ["lead", "lead", "member", "member", "co-lead", "co-lead"],
            "region_name": ["Slovenia", "Slovenia", "Andalucía", "CyL", "ARA", "And."],
        }
    )
    fig = partnership_map(members, shapes, title="Batteries")
    by_name = {t.name: t for t in fig.data}
    assert list(by_name) == ["Other regions", "Lead", "Co-lead", "Member"]
    assert set(by_name["Lead"].locations) == {"SI03", "SI04"}
    # ES61 is listed twice: it keeps its strongest role only
    assert "ES61" in by_name["Co-lead"].locations
    assert "ES61" not in by_name["Member"].locations
    assert by_name["Lead"].colorscale[0][1] == ROLE_COLOURS["lead"]
    assert "SI03" not in by_name["Other regions"].locations
    json.loads(fig.to_json())
