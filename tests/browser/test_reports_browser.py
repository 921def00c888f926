"""Open built reports in Debian's headless Chromium, from disk, with the network cut.

A session fixture builds the overview pages, two partnership profiles (one with
members, one without) and the index from the real mirror into a temporary folder,
as a site (plotly.js once in ``assets/``) with a PDF of every page and every figure
as PNG and SVG; a second fixture builds one profile self-contained. Each page must
load without a console error, draw as many plotly figures as its notebook produced
(``<meta name="regiongap-figures">``), and never request anything but ``file://``
or ``data:`` URLs. A full-page screenshot of each is kept in ``tests/artifacts/``
(git-ignored), with the first pages of a PDF as PNG.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.mirror, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ASSETS = "assets"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PROFILES = ("batteries", "smart_grids")  # 12 listed regions; none listed
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def built(mirror_path, tmp_path_factory):
    """Build the overview, two profiles and the index once for the session."""
    from regiongap.report.build import build_reports

    out = tmp_path_factory.mktemp("reports")
    data = tmp_path_factory.mktemp("report-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIONGAP_MIRROR", str(mirror_path))
        mp.setenv("REGIONGAP_DATA_DIR", str(data))
        # the mirror holds some datasets only; the rest must be listed as
        # unavailable at once, not after network retries
        mp.setenv("REGIONGAP_OFFLINE", "1")
        start = time.perf_counter()
        reports = build_reports(
            list(PROFILES),
            year=2019,
            out_dir=out,
            progress=False,
            pdf=True,
            images=True,
        )
        seconds = time.perf_counter() - start
    return out, reports, seconds


@pytest.fixture(scope="session")
def alone(mirror_path, tmp_path_factory):
    """One profile with members, self-contained (to be sent on its own)."""
    from regiongap.report.build import build_reports

    out = tmp_path_factory.mktemp("report-alone")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIONGAP_MIRROR", str(mirror_path))
        mp.setenv("REGIONGAP_DATA_DIR", str(tmp_path_factory.mktemp("alone-data")))
        mp.setenv("REGIONGAP_OFFLINE", "1")
        (page,) = build_reports(
            ["batteries"],
            out_dir=out,
            overview=False,
            progress=False,
            self_contained=True,
        )
    return page


def _pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if ASSETS not in p.parts)


def test_every_page_and_the_index_are_written(built):
    out, reports, _ = built
    names = {p.relative_to(out).as_posix() for p in _pages(out)}
    assert names == {
        "index.html",
        "01-data-overview-and-coverage.html",
        "02-regional-disparities.html",
        "03-partnerships-side-by-side.html",
        "partnerships/batteries.html",
        "partnerships/smart_grids.html",
    }
    index = (out / "index.html").read_text(encoding="utf-8")
    for r in reports:
        assert r.path.relative_to(out).as_posix() in index
        assert r.size < 10_000_000, (r.path.name, r.size)
    assert not list(out.rglob("*.tmp"))


def test_pages_read_one_copy_of_plotlyjs_and_show_no_inputs(built):
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    out, reports, _ = built
    plotly_js = get_plotlyjs()
    asset = out / ASSETS / f"plotly-{get_plotlyjs_version()}.min.js"
    assert asset.read_text(encoding="utf-8") == plotly_js
    for r in reports:
        body = r.path.read_text(encoding="utf-8")
        assert body.count(plotly_js[:80]) == 0, r.path.name
        depth = "../" * (len(r.path.relative_to(out).parts) - 1)
        assert body.count(f'src="{depth}{ASSETS}/{asset.name}"') == 1, r.path.name
        assert r.size < 1_500_000, (r.path.name, r.size)  # text and figures only
        rest = body
        assert not re.search(r"""<script[^>]+src=["']?https?:""", rest), r.path.name
        assert not re.search(r"""<link[^>]+href=["']?https?:""", rest), r.path.name
        for cdn in ("cdn.plot.ly", "cdnjs.cloudflare", "unpkg.com", "jsdelivr"):
            assert cdn not in rest, (r.path.name, cdn)
        assert "highlight hl-ipython3" not in body  # no code cells
        assert "import regiongap" not in body and "load_report_data(" not in body
        assert "Sources and data quality" in body
        assert "What this page answers" in body  # the opening prose is kept
        # no error or warning output reached the page
        assert "Traceback" not in body
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in body


def test_profile_without_members_says_so(built):
    _, reports, _ = built
    page = next(r for r in reports if r.partnership_id == "smart_grids")
    assert page.figures == 0
    assert "no member regions" in page.path.read_text(encoding="utf-8")
    full = next(r for r in reports if r.partnership_id == "batteries")
    # members, index, gaps, pillars, infrastructure and resources, distribution,
    # ranks, rank sensitivity, hot/cold spots, convergence
    assert full.figures == 10
    body = full.path.read_text(encoding="utf-8")
    for section in (
        "Infrastructure and resources",
        "Are weak regions clustered?",
        "Which assumption drives each member",
        "Who can help whom?",
        "Stayed in the bottom fifth",
        "A member in the top decile",
        "Complement score",
    ):
        assert section in body, section


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"Debian chromium not installed at {CHROMIUM} (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, path: Path, shot: Path | None = None) -> dict:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file://", "data:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load")
    expected = int(
        page.evaluate(
            """(document.querySelector('meta[name="regiongap-figures"]')"""
            """ || {content: "0"}).content"""
        )
    )
    if expected:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot svg.main-svg').length > 0 "
            f"&& document.querySelectorAll('.js-plotly-plot').length >= {expected}",
            timeout=20_000,
        )
    first_figure = time.perf_counter() - start
    page.wait_for_timeout(500)
    rendered = page.evaluate(
        "Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".filter(d => d.querySelector('svg.main-svg')).length"
    )
    drawn_regions = page.evaluate(
        "document.querySelectorAll('.js-plotly-plot .choroplethlocation').length"
    )
    if shot is not None:
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
    context.close()
    return {
        "errors": errors,
        "outside": outside,
        "expected": expected,
        "rendered": rendered,
        "regions": drawn_regions,
        "first_figure": first_figure,
    }


def test_pages_render_offline_without_errors(built, browser):
    out, reports, seconds = built
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = [f"build: {len(reports)} pages in {seconds:.1f} s"]
    for path in _pages(out):
        rel = path.relative_to(out).as_posix()
        shot = ARTIFACTS / ("report-" + rel.replace("/", "-").replace(".html", ".png"))
        result = _open(browser, path, shot)
        assert result["errors"] == [], (rel, result["errors"])
        assert result["outside"] == [], (rel, result["outside"])
        assert result["rendered"] == result["expected"], (rel, result)
        lines.append(
            f"{rel}: {path.stat().st_size / 1e6:.2f} MB, {result['rendered']} figures, "
            f"first figure drawn in {result['first_figure']:.2f} s"
        )
        if rel == "partnerships/batteries.html":
            assert result["regions"] > 200  # the maps draw their regions
    (ARTIFACTS / "report-timings.txt").write_text("\n".join(lines) + "\n")


def test_a_blocked_request_would_be_caught(built, browser, tmp_path):
    """The network guard works: a page asking for a CDN script fails the check."""
    page = tmp_path / "cdn.html"
    page.write_text(
        "<html><head><script src='https://cdn.plot.ly/plotly-2.0.0.min.js'></script>"
        "</head><body></body></html>"
    )
    result = _open(browser, page)
    assert result["outside"] == ["https://cdn.plot.ly/plotly-2.0.0.min.js"]
    assert result["errors"]  # the aborted script load is a console error


def test_artifacts_folder_is_ignored_by_git():
    root = Path(__file__).resolve().parents[2]
    if shutil.which("git") is None or not (root / ".gitignore").is_file():
        pytest.skip("not a git checkout")
    assert "tests/artifacts/" in (root / ".gitignore").read_text()


def test_the_site_is_light_and_works_offline_when_copied(built, browser, tmp_path):
    """The folder copied elsewhere, whole, still draws every figure offline."""
    out, _, _ = built
    copy = tmp_path / "copied"
    shutil.copytree(out, copy)
    html = list(copy.rglob("*.html"))
    site = sum(p.stat().st_size for p in html) + sum(
        p.stat().st_size for p in (copy / ASSETS).iterdir()
    )
    assert site < 12_000_000, site  # six pages; one copy of plotly.js (4.8 MB)
    page = copy / "partnerships" / "batteries.html"
    result = _open(browser, page)
    assert result["errors"] == [] and result["outside"] == []
    assert result["rendered"] == result["expected"] > 0


def test_a_self_contained_page_works_alone(alone, browser, tmp_path):
    from plotly.offline import get_plotlyjs

    body = alone.path.read_text(encoding="utf-8")
    assert body.count(get_plotlyjs()[:80]) == 1
    assert ASSETS + "/" not in body
    assert alone.size <= 6_000_000, alone.size
    lonely = tmp_path / "sent-by-email.html"  # no folder around it
    shutil.copy(alone.path, lonely)
    result = _open(browser, lonely, ARTIFACTS / "report-self-contained.png")
    assert result["errors"] == [] and result["outside"] == []
    assert result["rendered"] == result["expected"] == alone.figures > 0


def test_every_page_has_a_pdf_with_its_figures(built, tmp_path):
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (make browser installs poppler-utils)")
    out, reports, _ = built
    for r in reports:
        assert r.pdf == r.path.with_suffix(".pdf")
        assert r.pdf.read_bytes().startswith(b"%PDF-"), r.path.name
    pdf = out / "partnerships" / "batteries.pdf"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "3",
            "-png",
            str(pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, png in enumerate(pages, start=1):
        image = Image.open(png).convert("RGB")
        assert abs(image.height / image.width - 297 / 210) < 0.02  # A4
        colours = image.getcolors(maxcolors=1_000_000) or []
        assert len(colours) > 50, (png.name, len(colours))  # not blank
        shutil.copy(png, ARTIFACTS / f"report-batteries-pdf-{number}.png")
    # the member map (page 1 or 2) draws the members in the role colours
    drawn = [
        sum(
            n
            for n, (r, g, b) in (
                Image.open(p).convert("RGB").getcolors(1_000_000) or []
            )
            if b > 120 and r < 80
        )  # the members' blue
        for p in pages
    ]
    assert max(drawn) > 200, drawn


def test_every_figure_is_written_as_png_and_svg(built):
    out, reports, _ = built
    batteries = next(r for r in reports if r.partnership_id == "batteries")
    names = sorted(p.name for p in batteries.images)
    assert len(names) == 2 * batteries.figures > 0
    assert "01-member-regions.png" in names and "01-member-regions.svg" in names
    folder = out / "partnerships" / "batteries-figures"
    assert sorted(p.name for p in folder.iterdir()) == names
    for path in batteries.images:
        head = path.read_bytes()[:8]
        assert head.startswith(b"\x89PNG" if path.suffix == ".png" else b"<svg"), path
    empty = next(r for r in reports if r.partnership_id == "smart_grids")
    assert empty.images == ()


@pytest.fixture(scope="session")
def built_2024(mirror_path, tmp_path_factory):
    """One profile with a member recoded in NUTS 2024 (Alentejo PT18 → PT1C)."""
    from regiongap.report.build import build_reports

    out = tmp_path_factory.mktemp("report-2024")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIONGAP_MIRROR", str(mirror_path))
        mp.setenv("REGIONGAP_DATA_DIR", str(tmp_path_factory.mktemp("data-2024")))
        mp.setenv("REGIONGAP_OFFLINE", "1")
        (page,) = build_reports(
            ["solar_energy"],
            year=2019,
            out_dir=out,
            overview=False,
            progress=False,
            nuts_year=2024,
        )
    return page


def test_a_nuts_2024_report_draws_nuts_2024_maps(built_2024, browser):
    page = built_2024
    result = _open(browser, page.path, ARTIFACTS / "report-partnerships-solar-2024.png")
    assert result["errors"] == [] and result["outside"] == []
    assert result["rendered"] == result["expected"] == page.figures > 0
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(page.path.as_uri(), wait_until="load")
    tab.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .choroplethlocation').length > 0"
    )
    drawn = set(
        tab.evaluate(
            "Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".flatMap(d => (d.data || []).flatMap(t => t.locations || []))"
        )
    )
    context.close()
    # NUTS 2024 codes (Lisbon's split, the new Alentejo) and no NUTS 2021-only code
    assert {"PT1A", "PT1B", "PT1C", "PT1D"} <= drawn
    assert not {"PT17", "PT18"} & drawn
    body = page.path.read_text(encoding="utf-8")
    assert "NUTS 2024" in body and "PT18 (Alentejo, NUTS 2021)" in body
