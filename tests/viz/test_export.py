"""viz.save / save_many: figures to PNG, SVG and PDF through the system Chromium.

The map is a real choropleth of the mirror's GDP per inhabitant (NUTS 2, 2019): the
file formats are checked by their own readers (Pillow for PNG, an XML parser for
SVG, pdftoppm or the PDF header for PDF), and a PNG is looked at: not blank, and
in the map's colours. Bad input never leaves a file behind.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from regiongap.errors import ExportError, SchemaError
from tests.support.mirror_files import nuts2_gdp_per_inhabitant

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.mirror,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="Debian chromium (make browser)"),
]


@pytest.fixture(scope="module")
def gdp_map(mirror_path):
    import geopandas as gpd

    from regiongap.viz.maps import choropleth

    path = mirror_path / "geo" / "NUTS_RG_20M_2021_4326_LEVL_2.geojson.gz"
    shapes = gpd.read_file(f"/vsigzip/{path}").rename(
        columns={"NUTS_ID": "geo", "NAME_LATN": "region_name", "CNTR_CODE": "country"}
    )[["geo", "region_name", "country", "geometry"]]
    gdp = nuts2_gdp_per_inhabitant(mirror_path)
    return choropleth(gdp, shapes, title="GDP per inhabitant", height=500)


def test_png_svg_and_pdf_of_a_real_map(gdp_map, tmp_path):
    from PIL import Image

    from regiongap import viz

    png = viz.save(gdp_map, tmp_path / "slides" / "map.png", width=800, scale=2)
    svg = viz.save(gdp_map, tmp_path / "map.svg")
    pdf = viz.save(gdp_map, tmp_path / "map.PDF")
    image = Image.open(png)
    assert image.size == (1600, 1000)  # width × scale, the figure's height × scale
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20  # not a blank page
    # the viridis classes of the map are drawn (a dark purple and a yellow)
    rgb = [c for _, c in colours]
    assert any(r < 90 and g < 40 and b > 60 for r, g, b in rgb)
    assert any(r > 200 and g > 200 and b < 80 for r, g, b in rgb)
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")
    assert svg.read_text(encoding="utf-8").count("<path") > 200  # the regions
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "map.PDF",
        "map.png",
        "map.svg",
    ]


def test_save_many_draws_several_files_in_one_call(gdp_map, tmp_path):
    import plotly.graph_objects as go

    from regiongap.viz.export import save_many

    bar = go.Figure(go.Bar(x=["AT13", "AT11"], y=[52.1, 31.4]))
    written = save_many(
        {
            tmp_path / "a.png": bar,
            tmp_path / "b.svg": bar.to_dict(),
            tmp_path / "m.png": gdp_map,
        },
        width=400,
        height=300,
    )
    assert [p.name for p in written] == ["a.png", "b.svg", "m.png"]
    assert all(p.stat().st_size > 1000 for p in written)


def test_unknown_extension_names_the_allowed_ones(gdp_map, tmp_path):
    from regiongap import viz

    with pytest.raises(SchemaError, match=r"'\.jpg'; use one of \.png, \.svg, \.pdf"):
        viz.save(gdp_map, tmp_path / "map.jpg")
    with pytest.raises(SchemaError, match="unknown extension ''"):
        viz.save(gdp_map, tmp_path / "map")
    assert list(tmp_path.iterdir()) == []


def test_bad_sizes_are_refused(gdp_map, tmp_path):
    from regiongap import viz

    with pytest.raises(SchemaError, match="width=0 must be"):
        viz.save(gdp_map, tmp_path / "map.png", width=0)
    with pytest.raises(SchemaError, match="scale=-1 must be"):
        viz.save(gdp_map, tmp_path / "map.png", scale=-1)


def test_a_folder_that_cannot_be_written(gdp_map, tmp_path):
    from regiongap import viz

    blocker = tmp_path / "report.txt"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(ExportError, match="folder cannot be created"):
        viz.save(gdp_map, blocker / "map.png")
    if os.geteuid() != 0:  # root writes anywhere: only a user meets the mode bits
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ExportError, match="is not writable"):
            viz.save(gdp_map, locked / "map.png")


def test_no_chromium_says_how_to_install_it(gdp_map, tmp_path, monkeypatch):
    from regiongap import viz

    monkeypatch.setenv("REGIONGAP_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(ExportError, match=r"apt-get install chromium"):
        viz.save(gdp_map, tmp_path / "map.png")
    assert not (tmp_path / "map.png").exists()
