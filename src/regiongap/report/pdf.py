"""Print report pages to PDF through headless Chromium, laid out for A4 paper.

:func:`print_pdf` opens each page from disk in the Chromium installed on the
machine (:func:`regiongap.viz.export.chromium_path`), waits until every plotly
figure is drawn, fits the figures to the width of an A4 page and prints with the
page's print style sheet (``report/template``: A4, each section from a new page,
no figure toolbar, no link back to the index). Chromium is driven over its
DevTools pipe by `choreographer`, which plotly's image export uses too; nothing is
fetched from the network. A PDF is written whole or not at all
(:func:`regiongap.cache.store.atomic_write`).
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regiongap.cache.store import atomic_write
from regiongap.errors import ExportError
from regiongap.viz.export import chromium_path

if TYPE_CHECKING:  # pragma: no cover - typing only
    from choreographer import Tab

__all__ = ["A4_WIDTH_PX", "print_pdf"]

#: Width of an A4 page between the print margins (186 mm), in CSS pixels.
A4_WIDTH_PX = 703
#: Seconds a page may take to draw its figures.
_TIMEOUT = 60
#: Waits until the page's figures are drawn, then redraws them at the width of the
#: printed page; returns how many there are (or an error text).
_FIT_FIGURES = """
(async () => {
  const meta = document.querySelector('meta[name="regiongap-figures"]');
  const want = meta ? Number(meta.content) : 0;
  const start = Date.now();
  const drawn = () => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(d => d.querySelector('svg.main-svg')).length;
  while (drawn() < want) {
    if (Date.now() - start > %d) { return `only ${drawn()} of ${want} figures drawn`; }
    await new Promise(r => setTimeout(r, 50));
  }
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  await Promise.all(plots.map(p => window.Plotly.Plots.resize(p)));
  return plots.length;
})()
""" % (_TIMEOUT * 1000)  # noqa: UP031 - JavaScript braces would need doubling in f-strings
_PRINT = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "paperWidth": 8.27,  # A4, used when a page sets no @page size
    "paperHeight": 11.69,
    "displayHeaderFooter": False,
}


async def _command(tab: Tab, method: str, **params: object) -> dict[str, Any]:
    """Send one DevTools command; raise on an error answer."""
    answer = await tab.send_command(method, params=dict(params))
    if "error" in answer:
        msg = f"Chromium refused {method}: {answer['error']}"
        raise ExportError(msg)
    result: dict[str, Any] = dict(answer.get("result", {}))
    return result


async def _print_one(tab: Tab, page: Path) -> bytes:
    """Open *page* in *tab*, fit its figures, and return the PDF's bytes."""
    loaded = tab.subscribe_once("Page.loadEventFired")
    await _command(tab, "Page.navigate", url=page.resolve().as_uri())
    await asyncio.wait_for(loaded, _TIMEOUT)
    fitted = await _command(
        tab,
        "Runtime.evaluate",
        expression=_FIT_FIGURES,
        awaitPromise=True,
        returnByValue=True,
    )
    value = fitted.get("result", {})
    if not isinstance(value, dict) or not isinstance(value.get("value"), int):
        msg = f"{page.name}: the figures were not drawn: {value}"
        raise ExportError(msg)
    printed = await _command(tab, "Page.printToPDF", **_PRINT)
    return base64.b64decode(str(printed["data"]))


async def _print_all(pages: list[Path], chromium: Path) -> list[bytes]:
    from choreographer import Browser

    async with Browser(path=str(chromium), headless=True) as browser:
        tab = await browser.create_tab("")
        await _command(tab, "Page.enable")
        await _command(
            tab,
            "Emulation.setDeviceMetricsOverride",
            width=A4_WIDTH_PX,
            height=1000,
            deviceScaleFactor=1,
            mobile=False,
        )
        await _command(tab, "Emulation.setEmulatedMedia", media="print")
        return [await _print_one(tab, page) for page in pages]


def print_pdf(
    pages: Mapping[str | os.PathLike[str], str | os.PathLike[str]],
) -> list[Path]:
    """Print HTML pages to PDF files, A4, through one headless Chromium.

    Parameters
    ----------
    pages : mapping of path-like to path-like
        ``{page.html: page.pdf}``: each HTML file and the PDF to write.

    Returns
    -------
    list of pathlib.Path
        The PDF files written, in the order given.

    Raises
    ------
    ExportError
        When no Chromium is installed (the message says how to install one, and
        nothing is written), a page cannot be opened, or its figures are not
        drawn in time. A PDF is written whole or not at all.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = Path(folder, "note.html")
    ...     _ = page.write_text("<h1>Regional gaps</h1>", encoding="utf-8")
    ...     pdf = print_pdf({page: page.with_suffix(".pdf")})[0]
    ...     pdf.name, pdf.read_bytes()[:5]
    ('note.pdf', b'%PDF-')
    """
    chromium = chromium_path()  # no browser: fail before any page is opened
    sources = [Path(p) for p in pages]
    for source in sources:
        if not source.is_file():
            msg = f"cannot print {str(source)!r}: no such HTML file"
            raise ExportError(msg)
    with ThreadPoolExecutor(max_workers=1) as thread:
        # a thread of its own: a notebook's running event loop is left alone
        future = thread.submit(asyncio.run, _print_all(sources, chromium))
        try:
            printed = future.result()
        except ExportError:
            raise
        except Exception as exc:  # choreographer's own errors and time-outs
            msg = f"Chromium ({chromium}) could not print the pages: {exc}"
            raise ExportError(msg) from exc
    targets = [Path(p) for p in pages.values()]
    for target, data in zip(targets, printed, strict=True):
        atomic_write(target, data)
    return targets
