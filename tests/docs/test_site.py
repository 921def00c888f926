"""The documentation site: built in strict mode, then opened in headless Chromium.

A session fixture runs ``mkdocs build --strict`` (what ``make docs`` runs) with the
notebooks executed on the real mirror, offline, into a temporary folder. The site
is opened both as the README says (``site/index.html`` from disk, ``file://``) and
from a loopback HTTP server. Every page opened must load without a console error and
without any request leaving the machine: no CDN, no web font. The search box must
find ``gini`` both ways. A separate strict build of a one-function package shows
that a broken cross-reference in a docstring fails the build and names the object.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.conftest import PROJECT

pytestmark = [pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
MKDOCS = Path(sys.executable).with_name("mkdocs")
QUIET = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
PAGES = (
    "index.html",
    "notebooks/00-getting-started.html",
    "guide/figures.html",
    "reference/index.html",
    "reference/regiongap.metrics.inequality.html",
    "data-sources.html",
    "changelog.html",
)


def _mkdocs(
    config: Path, site: Path, env: dict[str, str]
) -> subprocess.CompletedProcess:
    if not MKDOCS.is_file():
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env={**os.environ, **QUIET, **env},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.fixture(scope="session")
def site(mirror_path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    done = _mkdocs(
        PROJECT / "mkdocs.yml",
        out,
        {
            "REGIONGAP_MIRROR": str(mirror_path),
            "REGIONGAP_OFFLINE": "1",
            "REGIONGAP_DATA_DIR": str(tmp_path_factory.mktemp("docs-data")),
        },
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "WARNING -" not in done.stderr, done.stderr[-4000:]  # mkdocs warnings
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(site):
    """Serve the site on a loopback port for the session."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(params=["file", "http"])
def base(request, site):
    """The site's root URL: opened from disk (as the README says) or served."""
    if request.param == "file":
        return site.as_uri() + "/"
    return request.getfixturevalue("served")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"Debian chromium not installed at {CHROMIUM} (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic"],
        )
        yield chromium
        chromium.close()


def _page(browser, base: str):
    """Return a page that records console errors and aborts requests leaving base."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors, page.outside = [], []

    def route(r):
        url = r.request.url
        if url.startswith((base, "data:", "blob:")):
            r.continue_()
        else:
            page.outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on(
        "console", lambda m: page.errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def test_every_public_name_has_its_reference(site):
    index = (site / "reference" / "index.html").read_text(encoding="utf-8")
    for namespace in ("regiongap", "regiongap.metrics", "regiongap.viz"):
        module = importlib.import_module(namespace)
        for name in module.__all__:
            if name.startswith("__") or name in ("config", "errors", "metrics", "viz"):
                continue
            assert f"<code>{name}</code>" in index, f"{namespace}.{name}"
    assert "broken" not in index.lower()


def test_pages_load_offline_without_errors(site, base, browser):
    for path in PAGES:
        assert (site / path).is_file(), path
        page = _page(browser, base)
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(300)
        assert page.errors == [], (path, page.errors)
        assert page.outside == [], (path, page.outside)
        page.context.close()


def test_every_link_between_pages_opens_a_file(site):
    # opened from disk, a link to a folder shows a file listing, not the page
    # 404.html is for a web server to send from any folder: its links are absolute
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 20
    for html in pages:
        text = html.read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"#?]+)[^"]*"', text):
            if href.startswith(("http:", "https:", "mailto:", "data:")):
                continue
            target = (html.parent / href).resolve()
            assert target.is_file(), (html.relative_to(site), href)


def test_notebook_figures_are_drawn(site, base, browser):
    page = _page(browser, base)
    page.goto(base + "notebooks/00-getting-started.html", wait_until="load")
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot svg.main-svg').length > 0",
        timeout=30_000,
    )
    regions = page.evaluate(
        "document.querySelectorAll('.js-plotly-plot .choroplethlocation').length"
    )
    assert regions > 200  # the map of the NUTS 2 regions
    assert page.errors == [] and page.outside == []
    page.context.close()


def test_search_finds_gini(base, browser):
    page = _page(browser, base)
    page.goto(base + "index.html", wait_until="load")
    page.click("label.md-search__icon, .md-search__input", timeout=10_000)
    # typed key by key, as a reader does: opened from disk the search reacts to the
    # keys, not to a value set at once
    page.type("input.md-search__input", "gini")
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    results = page.inner_text(".md-search-result")
    assert "gini" in results.lower()
    assert page.errors == [] and page.outside == []
    page.context.close()


def test_a_broken_docstring_reference_fails_the_build_naming_it(tmp_path):
    package = tmp_path / "src" / "brokenpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        textwrap.dedent(
            '''\
            """A package with one function."""


            def lonely(x: int) -> int:
                """Return *x*; see :func:`brokenpkg.nowhere`.

                Parameters
                ----------
                x : int
                    A number.

                Returns
                -------
                int
                    The same number.
                """
                return x
            '''
        )
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# API\n\n::: brokenpkg.lonely\n")
    roles = PROJECT / "docs" / "scripts" / "griffe_roles.py"
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: broken
            strict: true
            plugins:
              - autorefs
              - mkdocstrings:
                  handlers:
                    python:
                      paths: [src]
                      options:
                        docstring_style: numpy
                        extensions: ["{roles}"]
            """
        )
    )
    done = _mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site", {})
    assert done.returncode != 0
    assert "brokenpkg.nowhere" in done.stderr
    assert "brokenpkg.lonely" in done.stderr  # the object whose docstring holds it
