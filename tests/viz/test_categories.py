"""The category map: one colour per category, no data in grey, members outlined."""

from __future__ import annotations

import pandas as pd
import pytest

from regiongap.errors import SchemaError


@pytest.fixture
def shapes():
    """Four hand-made boxes in two countries (AT and SI) and one in HU."""
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {
            "geo": ["AT11", "AT12", "AT13", "SI03", "HU11"],
            "region_name": ["Burgenland", "NÖ", "Wien", "Vzhodna", "Budapest"],
            "country": ["AT", "AT", "AT", "SI", "HU"],
        },
        geometry=[
            box(16, 47, 17, 48),
            box(15, 48, 16, 49),
            box(16, 48, 17, 49),
            box(14, 45, 15, 46),
            box(19, 47, 20, 48),
        ],
        crs=4326,
    )


def test_categories_in_legend_order_with_no_data_context_and_outline(shapes):
    from regiongap.viz.categories import LISA_COLOURS, LISA_LABELS, category_map

    lisa = pd.DataFrame(
        {"cluster": ["LL", "HH", "not significant"]},
        index=pd.Index(["AT11", "AT13", "SI03"], name="geo"),
    )
    fig = category_map(
        lisa,
        shapes,
        "cluster",
        colours=LISA_COLOURS,
        names=LISA_LABELS,
        highlight=["AT13", "SI03"],
        title="Hot and cold spots",
    )
    names = [t.name for t in fig.data]
    assert names[:4] == [
        "Not covered",
        LISA_LABELS["HH"],
        LISA_LABELS["LL"],
        LISA_LABELS["not significant"],
    ]
    assert "No data" in names  # AT12: Austria has labels, AT12 has none
    meta = fig.layout.meta
    assert meta["no_data"] == ["AT12"]
    assert meta["categories"] == {
        "HH": ["AT13"],
        "LL": ["AT11"],
        "not significant": ["SI03"],
    }
    assert meta["highlighted"] == ["AT13", "SI03"]
    hot = fig.data[names.index(LISA_LABELS["HH"])]
    assert hot.colorscale[0][1] == LISA_COLOURS["HH"]


def test_bad_frames(shapes):
    from regiongap.viz.categories import category_map

    with pytest.raises(SchemaError, match="no column 'cluster'"):
        category_map(pd.DataFrame({"geo": ["AT11"]}), shapes, "cluster")
    twice = pd.DataFrame({"geo": ["AT11", "AT11"], "c": ["a", "b"]})
    with pytest.raises(SchemaError, match=r"twice.*AT11"):
        category_map(twice, shapes, "c")


def test_lisa_map_colours_clusters_as_the_reports_do(shapes):
    from regiongap import viz
    from regiongap.viz.categories import LISA_COLOURS, LISA_LABELS

    clusters = pd.DataFrame(
        {"cluster": ["LL", "HH", "not significant", "HL"], "p_fdr": [0.01] * 4},
        index=pd.Index(["AT11", "AT13", "SI03", "AT12"], name="geo"),
    )
    fig = viz.lisa_map(clusters, shapes, highlight=["AT13"], title="Hot spots")
    drawn = {t.name: t for t in fig.data}
    for code in ("HH", "LL", "HL", "not significant"):
        trace = drawn[LISA_LABELS[code]]
        assert trace.colorscale[0][1] == LISA_COLOURS[code], code
    assert fig.layout.meta["categories"]["HH"] == ["AT13"]
    assert fig.layout.meta["highlighted"] == ["AT13"]
    assert fig.layout.legend.title.text == "Local Moran cluster"
    with pytest.raises(SchemaError, match="cluster"):
        viz.lisa_map(clusters.rename(columns={"cluster": "kind"}), shapes)
