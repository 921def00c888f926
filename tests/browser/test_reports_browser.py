"""Open built reports in Debian's headless Chromium, from disk, with the network cut.

A session fixture builds the overview pages, two partnership profiles (one with
members, one without) and the index from the real mirror into a temporary folder.
Each page must load without a console error, draw as many plotly figures as its
notebook produced (``<meta name="regiongap-figures">``), and never request
anything but ``file://`` or ``data:`` URLs. A full-page screenshot of each is kept
in ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.mirror, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
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
        reports = build_reports(list(PROFILES), year=2019, out_dir=out, progress=False)
        seconds = time.perf_counter() - start
    return out, reports, seconds


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


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


def test_pages_are_self_contained_without_inputs(built):
    from plotly.offline import get_plotlyjs

    _, reports, _ = built
    plotly_js = get_plotlyjs()
    for r in reports:
        body = r.path.read_text(encoding="utf-8")
        assert body.count(plotly_js[:80]) == 1, r.path.name
        rest = body.replace(plotly_js, "")
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
    assert full.figures == 7


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
