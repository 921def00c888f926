"""Report pages printed to PDF through headless Chromium, and looked at.

A page is exported the way ``build_reports`` writes it (site mode, plotly.js in
``assets/``) from a notebook with two real-sized figures and several sections; the
PDF is converted to PNG with ``pdftoppm`` (Debian's poppler-utils, installed by
``make browser``) and the pages are checked: A4, not blank, the figures drawn (the
plot's blue appears) and fitted to the page width, each section after the first on
a page of its own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from regiongap.errors import ExportError

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="Debian chromium (make browser)"),
]
PLOTLY_BLUE = (0, 114, 178)


def _figure_output(title: str) -> nbformat.NotebookNode:
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Bar(
            x=[f"R{i}" for i in range(30)], y=list(range(30)), marker_color="#0072B2"
        )
    )
    fig.update_layout(title=title, width=1100, height=450)  # wider than A4
    return nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.plotly.v1+json": json.loads(fig.to_json())},
    )


def _page(folder: Path) -> Path:
    from regiongap.cache.store import atomic_write
    from regiongap.report.html import export_page, page_assets

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Batteries\n\nWhat this page answers."),
        nbformat.v4.new_markdown_cell("## Where the members are"),
        nbformat.v4.new_code_cell("fig", outputs=[_figure_output("First figure")]),
        nbformat.v4.new_markdown_cell("## How they compare"),
        nbformat.v4.new_code_cell("fig", outputs=[_figure_output("Second figure")]),
    ]
    body, _ = export_page(
        nb, title="Batteries", kind="Partnership profile", year=2019, assets="assets"
    )
    for name, text in page_assets().items():
        atomic_write(folder / "assets" / name, text)
    page = folder / "batteries.html"
    atomic_write(page, body)
    return page


def _png_pages(pdf: Path, out: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (make browser installs poppler-utils)")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "3",
            "-png",
            str(pdf),
            str(out / "p"),
        ],
        check=True,
    )
    return sorted(out.glob("p-*.png"))


def _blue_pixels(png: Path) -> int:
    from PIL import Image

    return _blue_pixels_image(Image.open(png).convert("RGB"))


def test_pages_print_to_a4_with_their_figures_one_section_a_page(tmp_path):
    from PIL import Image

    from regiongap.report.pdf import print_pdf

    page = _page(tmp_path)
    pdf = print_pdf({page: tmp_path / "batteries.pdf"})[0]
    assert pdf.read_bytes().startswith(b"%PDF-")
    pngs = _png_pages(pdf, tmp_path)
    # the title with the first section, then the next section on a page of its own
    assert len(pngs) == 2
    for png in pngs:
        width, height = Image.open(png).size
        assert abs(height / width - 297 / 210) < 0.02  # A4 portrait
    colours = [len(Image.open(p).convert("RGB").getcolors(1_000_000)) for p in pngs]
    assert all(c > 5 for c in colours), colours  # no blank page
    blue = [_blue_pixels(p) for p in pngs]
    assert blue[0] > 500 and blue[1] > 500, blue  # each section's bar chart is drawn
    # the whole figure fits the page: its rightmost bars are printed too
    image = Image.open(pngs[0]).convert("RGB")
    right = image.crop((image.width // 2, 0, image.width, image.height))
    assert _blue_pixels_image(right) > 100


def _blue_pixels_image(image) -> int:
    return sum(
        n
        for n, (r, g, b) in image.getcolors(maxcolors=1_000_000) or []
        if abs(r - PLOTLY_BLUE[0]) < 40
        and abs(g - PLOTLY_BLUE[1]) < 40
        and abs(b - PLOTLY_BLUE[2]) < 40
    )


def test_no_chromium_is_a_clear_error_and_leaves_no_pdf(tmp_path, monkeypatch):
    from regiongap.report.pdf import print_pdf

    page = tmp_path / "page.html"
    page.write_text("<h1>x</h1>")
    monkeypatch.setenv("REGIONGAP_CHROMIUM", str(tmp_path / "nowhere" / "chromium"))
    with pytest.raises(ExportError, match=r"no Chromium at .*apt-get install chromium"):
        print_pdf({page: tmp_path / "page.pdf"})
    assert not (tmp_path / "page.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_missing_page_is_named(tmp_path):
    from regiongap.report.pdf import print_pdf

    with pytest.raises(ExportError, match="no such HTML file"):
        print_pdf({tmp_path / "gone.html": tmp_path / "gone.pdf"})
