"""Reports in a real browser: time until the first figure is drawn, and file sizes.

Opens every HTML file under ``reports/`` (built by ``make report`` or the ``report``
benchmark) from disk in Debian's headless Chromium, driven by Playwright, with every
request that is not ``file://`` or ``data:`` blocked, and measures the time from
navigation to the first plotly figure drawn (its ``svg.main-svg`` present), median of
three fresh page loads per file.

Targets (issue 8): first map drawn in under 3 s; each HTML file under 10 MB.

Skips with a message (exit 0) when ``/usr/bin/chromium`` is missing (``make
browser`` installs it) or ``reports/`` holds no report.

Run: ``.venv/bin/python benchmarks/bench_report_browser.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import _harness as h

CHROMIUM = Path("/usr/bin/chromium")
# the same flags as the browser test: no background traffic, no sandbox as root
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
LOADS = 3
FIRST_FIGURE = "document.querySelector('.js-plotly-plot svg.main-svg') !== null"


def first_figure_seconds(browser, path: Path) -> float | None:
    """Seconds from navigation to the first drawn figure (None: page has none)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("file://", "data:"))
            else r.abort()
        ),
    )
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="domcontentloaded")
    # the page says how many figures it has (none: the index, empty profiles)
    has_figures = page.evaluate(
        "(document.querySelector('meta[name=\"regiongap-figures\"]')"
        " || {content: '0'}).content !== '0'"
    )
    seconds = None
    if has_figures:
        page.wait_for_function(FIRST_FIGURE, timeout=60_000)
        seconds = time.perf_counter() - start
    context.close()
    return seconds


def main() -> int:
    """Measure every report; write ``output/report_browser.json``."""
    reports = sorted((h.PROJECT / "reports").rglob("*.html"))
    if not CHROMIUM.is_file():
        print(f"SKIPPED: {CHROMIUM} not installed (make browser)")
        h.write_json("report_browser", {"skipped": "chromium missing"})
        return 0
    if not reports:
        print("SKIPPED: no report under reports/ (run make report first)")
        h.write_json("report_browser", {"skipped": "no reports"})
        return 0
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in reports:
            times = [first_figure_seconds(browser, path) for _ in range(LOADS)]
            drawn = [t for t in times if t is not None]
            results.append(
                {
                    "file": str(path.relative_to(h.PROJECT / "reports")),
                    "bytes": path.stat().st_size,
                    "first_figure_s": statistics.median(drawn) if drawn else None,
                    "all_s": drawn,
                }
            )
        browser.close()
    h.print_table(
        f"reports in headless Chromium (median of {LOADS} loads)",
        ["file", "size", "first figure drawn"],
        [
            [r["file"], h.fmt_bytes(r["bytes"]), h.fmt_seconds(r["first_figure_s"])]
            for r in results
        ],
    )
    h.write_json("report_browser", {"machine": h.machine(), "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
