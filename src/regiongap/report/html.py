"""Turn executed notebooks into HTML pages, and write the index page.

Every page works offline: figures are the notebooks' plotly outputs, input cells
and prompts are left out, and the page template (``report/template/regiongap``)
loads nothing from the network (no require.js, MathJax or Mermaid CDN scripts).
plotly.js (4.6 MB) and the notebook style sheet are either embedded in each page
(:func:`export_html`: a page that works alone, to send by e-mail) or written once
into the report folder's ``assets/`` (:func:`page_assets`) and referenced by every
page (:func:`export_page` with ``assets=``), so that the folder copied whole works
offline at a sixth of the size. ``index.html`` links the overview pages and every
partnership profile.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from regiongap._version import VERSION
from regiongap.report._figures import PLOTLY_MIME, features_script, figure_html
from regiongap.report.data import ReportData
from regiongap.report.tables import partnership_table

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

__all__ = [
    "ASSETS_DIR",
    "NOTEBOOK_ONLY_TAG",
    "BuiltReport",
    "PageKind",
    "export_html",
    "export_page",
    "figure_outputs",
    "index_page",
    "page_assets",
]

#: cells with this tag are kept in the notebooks and left out of the HTML reports
NOTEBOOK_ONLY_TAG = "notebook-only"
#: What a report page is: a Europe-wide overview or a partnership profile.
PageKind = Literal["overview", "partnership"]
#: The folder of the report site that holds plotly.js and the style sheet.
ASSETS_DIR = "assets"
_TEMPLATE_DIR = Path(__file__).with_name("template")
_CSS = re.compile(
    r"<!-- regiongap-notebook-css -->(.*?)<!-- /regiongap-notebook-css -->", re.S
)


@dataclass(frozen=True)
class BuiltReport:
    """One page written by :func:`regiongap.build_reports`.

    Attributes
    ----------
    path : Path
        The HTML file.
    title : str
        Page title.
    kind : {"overview", "partnership"}
        What the page is.
    partnership_id : str or None
        The partnership of a profile.
    figures : int
        Plotly figures in the page.
    seconds : float
        Time to execute and export the notebook.
    size : int
        File size in bytes.
    pdf : Path or None
        The page printed to PDF, when asked for.
    images : tuple of Path
        Every figure of the page as PNG and SVG, when asked for.
    """

    path: Path
    title: str
    kind: PageKind
    partnership_id: str | None
    figures: int
    seconds: float
    size: int
    pdf: Path | None = None
    images: tuple[Path, ...] = ()


def figure_outputs(nb: NotebookNode) -> list[dict[str, object]]:
    """Return the plotly figures a notebook shows, in page order.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    list of dict
        Each figure as plotly's JSON dict (``data``, ``layout``), from the cells
        the reports keep (cells tagged ``notebook-only`` are left out).

    Examples
    --------
    >>> import nbformat
    >>> figure = {"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}
    >>> cell = nbformat.v4.new_code_cell("fig")
    >>> cell.outputs = [
    ...     nbformat.v4.new_output(
    ...         "display_data", data={"application/vnd.plotly.v1+json": figure}
    ...     )
    ... ]
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> [f["data"][0]["type"] for f in figure_outputs(nb)]
    ['bar']
    """
    return [
        dict(output["data"][PLOTLY_MIME])
        for cell in nb.cells
        if cell.get("cell_type") == "code"
        and NOTEBOOK_ONLY_TAG not in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in output.get("data", {})
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _render(
    nb: NotebookNode,
    *,
    title: str,
    kind: str,
    year: int,
    index_href: str | None,
    assets: dict[str, str] | None,
) -> tuple[str, int]:
    """Export *nb* with the regiongap template; return the HTML and its figures."""
    from plotly.offline import get_plotlyjs

    figures, features = figure_html(nb)
    nb.metadata["title"] = title
    resources = {
        "regiongap": {
            "figures": figures,
            "plotly_js": "" if assets else get_plotlyjs(),
            "features_js": features_script(features),
            "assets": assets,
            "kind": kind,
            "index_href": index_href,
            "year": year,
            "version": VERSION,
            "built": _now(),
        }
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body, figures


@functools.lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """Return the page exporter, made once per process.

    Its templates are compiled on first use and kept: a new exporter per page
    compiled them again, a fifth of the time spent exporting a page.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="regiongap",
        extra_template_basedirs=[str(_TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    # cells tagged "notebook-only" speak to someone running the notebook ("change
    # the partnership in the next cell"); a report reader has no cells to change
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY_TAG}, enabled=True),
        enabled=True,
    )
    return exporter


@functools.lru_cache(maxsize=1)
def page_assets() -> dict[str, str]:
    """Return the files every page of a report site reads: ``{file name: text}``.

    Returns
    -------
    dict of str to str
        plotly.js (``plotly-<version>.min.js``) and the notebook style sheet
        (``report-<hash>.css``, named by its content so that a page always finds
        the style it was written with).

    Examples
    --------
    >>> sorted(name.split("-")[0] for name in page_assets())
    ['plotly', 'report']
    >>> js = next(n for n in page_assets() if n.endswith(".js"))
    >>> len(page_assets()[js]) > 3_000_000  # the whole of plotly.js
    True
    """
    import nbformat
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    page, _ = _render(
        nbformat.v4.new_notebook(),
        title="",
        kind="",
        year=2000,
        index_href=None,
        assets=None,
    )
    match = _CSS.search(page)
    css = match.group(1).strip() if match else ""
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()[:10]
    return {
        f"plotly-{get_plotlyjs_version()}.min.js": get_plotlyjs(),
        f"report-{digest}.css": css,
    }


def export_page(
    nb: NotebookNode,
    *,
    title: str,
    kind: str,
    year: int,
    index_href: str | None = None,
    assets: str | None = None,
) -> tuple[str, int]:
    """Export an executed notebook to an HTML page that reads the site's assets.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (modified: plotly outputs become HTML).
    title : str
        Page title (escaped).
    kind : str
        What the page is, shown in its banner (e.g. "Partnership profile").
    year : int
        Reference year, shown in the footer.
    index_href : str, optional
        Relative link back to ``index.html``.
    assets : str, optional
        Relative link from the page to the folder holding :func:`page_assets`
        (e.g. ``"assets"`` or ``"../assets"``). Default: none, plotly.js and the
        style sheet are embedded (a page that works alone).

    Returns
    -------
    tuple of (str, int)
        The HTML and the number of plotly figures in it.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("# Regional gaps")]
    >>> page, _ = export_page(nb, title="Gaps", kind="Overview", year=2019,
    ...                       assets="../assets")
    >>> [n for n in page_assets() if f'"../assets/{n}"' in page] == list(page_assets())
    True
    >>> len(page) < 100_000  # plotly.js and the style sheet stay in assets/
    True
    """
    links = None
    if assets is not None:
        names = list(page_assets())
        links = {
            "plotly": f"{assets}/{next(n for n in names if n.endswith('.js'))}",
            "css": f"{assets}/{next(n for n in names if n.endswith('.css'))}",
        }
    return _render(
        nb, title=title, kind=kind, year=year, index_href=index_href, assets=links
    )


def export_html(
    nb: NotebookNode,
    *,
    title: str,
    kind: str,
    year: int,
    index_href: str | None = None,
) -> tuple[str, int]:
    """Export an executed notebook to a self-contained HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (modified: plotly outputs become HTML).
    title : str
        Page title (escaped).
    kind : str
        What the page is, shown in its banner (e.g. "Partnership profile").
    year : int
        Reference year, shown in the footer.
    index_href : str, optional
        Relative link back to ``index.html``.

    Returns
    -------
    tuple of (str, int)
        The HTML and the number of plotly figures in it.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [
    ...     nbformat.v4.new_markdown_cell("# Regional gaps"),
    ...     nbformat.v4.new_code_cell("secret = 1"),
    ... ]
    >>> page, figures = export_html(nb, title="Gaps", kind="Overview", year=2019)
    >>> figures, "<title>Gaps</title>" in page, "Regional gaps" in page
    (0, True, True)
    >>> "secret = 1" in page  # input cells are left out
    False
    """
    return export_page(nb, title=title, kind=kind, year=year, index_href=index_href)


_STYLE = """
body { font-family: "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  color: #222; max-width: 1040px; margin: 0 auto; padding: 0 24px 48px; }
header { border-bottom: 3px solid #0072B2; padding: 16px 0 8px; }
h1 { color: #0072B2; margin: 0 0 4px; } h2 { margin-top: 28px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e3e3; }
th { background: #f4f6f8; } td.n { text-align: right; }
a { color: #0072B2; } p { max-width: 80ch; line-height: 1.5; }
footer { margin-top: 32px; font-size: 12px; color: #666; }
"""


def _profile_rows(profiles: Sequence[BuiltReport], data: ReportData) -> str:
    """Return one table row per partnership profile, every name escaped."""
    esc = html.escape
    table = partnership_table(data).reset_index().set_index("id")
    rows = []
    for r in profiles:
        info = table.loc[r.partnership_id] if r.partnership_id in table.index else None
        n = int(str(info["Regions"])) if info is not None else 0
        status = str(info["Member list"]) if info is not None else ""
        platform = str(info["Platform"]) if info is not None else ""
        median = float(str(info["Index median"])) if info is not None else float("nan")
        rows.append(
            "<tr>"
            f"<td><a href='partnerships/{esc(r.path.name)}'>{esc(r.title)}</a></td>"
            f"<td>{esc(platform.replace('_', ' '))}</td><td>{esc(status)}</td>"
            f"<td class='n'>{n if n else 'none listed'}</td>"
            f"<td class='n'>{'' if median != median else f'{median:.1f}'}</td></tr>"
        )
    return "".join(rows)


def index_page(
    reports: Sequence[BuiltReport],
    data: ReportData,
    *,
    failed: dict[str, str] | None = None,
) -> str:
    """Return ``index.html``: the overview pages, then every partnership profile.

    Parameters
    ----------
    reports : sequence of BuiltReport
        Pages written (paths relative to the index folder are used as links).
    data : ReportData
        The report tables (for member counts and completeness).
    failed : dict, optional
        Pages that could not be built, with the reason (listed at the end).

    Returns
    -------
    str
        A small self-contained HTML page; every name is escaped.
    """
    esc = html.escape
    overview = [r for r in reports if r.kind == "overview"]
    profiles = [r for r in reports if r.kind == "partnership"]
    failures = "".join(
        f"<li>{esc(name)}: {esc(reason)}</li>"
        for name, reason in (failed or {}).items()
    )
    items = "".join(
        f"<li><a href='{esc(r.path.name)}'>{esc(r.title)}</a></li>" for r in overview
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regiongap reports, {data.year}</title>
<style>{_STYLE}</style></head>
<body><header><h1>Regional capacity gaps in Europe's S3 partnerships</h1>
<div>NUTS {data.level} regions, reference year {data.year}</div></header>
<h2>Europe-wide overview</h2><ol>{items or "<li>not built</li>"}</ol>
<h2>Partnership profiles</h2>
<p>One profile per S3 thematic partnership in the registry. "Member list" says how
complete the registry's list is; partnerships with no listed member regions have a
short profile saying so. The index median is the capacity index (0–100) of the
member regions that have one.</p>
<table><tr><th>Partnership</th><th>Platform</th><th>Member list</th>
<th>Member regions</th><th>Index median</th></tr>{_profile_rows(profiles, data)}</table>
{f"<h2>Pages that could not be built</h2><ul>{failures}</ul>" if failures else ""}
<footer>Built {esc(_now())} with regiongap. Each page works offline.</footer>
</body></html>
"""
