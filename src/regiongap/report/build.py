"""Build the HTML reports: run the notebooks with papermill, export with nbconvert.

``regiongap report`` (and ``make report``) writes into ``reports/``:

* ``01-data-overview-and-coverage.html``, ``02-regional-disparities.html`` and
  ``03-partnerships-side-by-side.html`` — the Europe-wide overview;
* ``partnerships/{partnership_id}.html`` — one profile per partnership
  (notebook ``04-partnership-profile.ipynb``). A partnership without listed
  member regions still gets a short profile that says so, so the index never has
  a dead end;
* ``index.html`` linking them all.

Every page is self-contained and works offline: plotly.js is embedded once in the
page head, figures are the notebooks' plotly outputs drawn with it, input cells
and prompts are left out, and the page template (``report/template/regiongap``)
loads nothing from the network (no require.js, MathJax or Mermaid CDN scripts).
Files are written to a temporary name and renamed into place.

The shared tables (panel, capacity index, rank bands, registry) are computed once
per build by :func:`regiongap.report.data.load_report_data` and only read by the
notebooks. Notebooks run in ``workers`` processes (default 2), each keeping one warm
kernel for all its notebooks (parameters injected by papermill, cells run by
nbclient, the namespace cleared between notebooks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regiongap.errors import MembershipError, RegiongapError, SchemaError

__all__ = [
    "OVERVIEW_NOTEBOOKS",
    "PROFILE_NOTEBOOK",
    "BuiltReport",
    "build_reports",
    "cli_report",
    "export_html",
    "notebooks_dir",
]

#: Overview notebooks, in reading order (file stem = page name).
OVERVIEW_NOTEBOOKS: tuple[str, ...] = (
    "01-data-overview-and-coverage",
    "02-regional-disparities",
    "03-partnerships-side-by-side",
)
#: The parameterised partnership profile.
PROFILE_NOTEBOOK = "04-partnership-profile"
#: cells with this tag are kept in the notebooks and left out of the HTML reports
NOTEBOOK_ONLY_TAG = "notebook-only"
_PLOTLY_MIME = "application/vnd.plotly.v1+json"
_TEMPLATE_DIR = Path(__file__).with_name("template")


@dataclass(frozen=True)
class BuiltReport:
    """One page written by :func:`build_reports`.

    Attributes
    ----------
    path : Path
        The HTML file.
    title : str
        Page title.
    kind : str
        ``"overview"`` or ``"partnership"``.
    partnership_id : str or None
        The partnership of a profile.
    figures : int
        Plotly figures in the page.
    seconds : float
        Time to execute and export the notebook.
    size : int
        File size in bytes.
    """

    path: Path
    title: str
    kind: str
    partnership_id: str | None
    figures: int
    seconds: float
    size: int


def notebooks_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder with the report notebooks (default ``<project>/notebooks``).

    Raises
    ------
    SchemaError
        If the folder or one of the report notebooks is missing.
    """
    from regiongap.config import project_root

    if path is not None:
        folder = Path(path).expanduser().resolve()
    else:
        root = project_root()
        folder = (root if root is not None else Path.cwd()) / "notebooks"
    missing = [
        f"{name}.ipynb"
        for name in (*OVERVIEW_NOTEBOOKS, PROFILE_NOTEBOOK)
        if not (folder / f"{name}.ipynb").is_file()
    ]
    if missing:
        msg = (
            f"report notebooks {missing} not found in {str(folder)!r}; run from the "
            "regiongap project folder or pass notebooks_dir="
        )
        raise SchemaError(msg)
    return folder


# ------------------------------------------------------------------- export


def _figure_outputs(nb: Any) -> int:
    """Turn plotly outputs into HTML that uses the page's plotly.js; count them."""
    import plotly.io as pio

    count = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue  # warnings go to the annex, not between the figures
            data = output.get("data", {})
            if _PLOTLY_MIME in data:
                count += 1
                div = pio.to_html(
                    data[_PLOTLY_MIME],
                    include_plotlyjs=False,
                    full_html=False,
                    div_id=f"rg-figure-{count}",
                    config={"displaylogo": False, "responsive": True},
                    validate=False,
                )
                output["data"] = {"text/html": div}
            kept.append(output)
        cell["outputs"] = kept
    return count


def export_html(
    nb: Any,
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
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from plotly.offline import get_plotlyjs

    import regiongap

    figures = _figure_outputs(nb)
    nb.metadata["title"] = title
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
    resources = {
        "regiongap": {
            "figures": figures,
            "plotly_js": get_plotlyjs(),
            "kind": kind,
            "index_href": index_href,
            "year": year,
            "version": regiongap.__version__,
            "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body, figures


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)  # mkstemp makes 0600; pages are to be shared
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class _Job:
    notebook: Path
    out: Path
    parameters: dict[str, Any]
    title: str
    kind: str
    partnership_id: str | None
    index_href: str
    year: int


# One warm kernel per worker process. Starting a kernel and importing pandas,
# plotly and geopandas takes ~3 s, longer than running a profile notebook, so each
# worker keeps its kernel and clears the user namespace (%reset -f) before the next
# notebook. Parameters are injected by papermill exactly as papermill.execute_notebook
# does; cells run through nbclient, which papermill itself uses.
_KERNEL: dict[str, Any] = {}


def _stop_kernel() -> None:
    km, kc = _KERNEL.pop("km", None), _KERNEL.pop("kc", None)
    if kc is not None:
        kc.stop_channels()
    if km is not None:
        from jupyter_core.utils import run_sync

        run_sync(km.shutdown_kernel)(now=True)
        if km.transport == "ipc":  # the private socket folder made in _execute
            shutil.rmtree(Path(km.ip).parent, ignore_errors=True)


def _execute(notebook: Path, parameters: dict[str, Any]) -> Any:
    """Run a notebook with papermill's parameters in this process's warm kernel."""
    import nbformat
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
    cwd = str(notebook.parent)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": cwd}}
    )
    if "km" not in _KERNEL:
        import multiprocessing.util

        client.km = client.create_kernel_manager()
        # talk to the kernel over local sockets in a private folder rather than
        # TCP on localhost (which the kernel warns about on every start)
        client.km.transport = "ipc"
        client.km.ip = str(Path(tempfile.mkdtemp(prefix="regiongap-kernel-")) / "k")
        client.start_new_kernel(cwd=cwd)
        client.start_new_kernel_client()
        _KERNEL.update(km=client.km, kc=client.kc)
        multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=10)
    else:
        client.km, client.kc = _KERNEL["km"], _KERNEL["kc"]
    client.reset_execution_trackers()
    # nbclient stores each executed cell back at its index: the reset cell gets
    # its own slot and is removed afterwards
    nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)
    del nb.cells[0]
    return nb


def _run(job: _Job) -> BuiltReport:
    """Execute one notebook and write its page (runs in a worker process)."""
    start = time.perf_counter()
    nb = _execute(job.notebook, job.parameters)
    body, figures = export_html(
        nb,
        title=job.title,
        kind="Partnership profile" if job.kind == "partnership" else "Overview",
        year=job.year,
        index_href=job.index_href,
    )
    _atomic_write(job.out, body)
    return BuiltReport(
        path=job.out,
        title=job.title,
        kind=job.kind,
        partnership_id=job.partnership_id,
        figures=figures,
        seconds=time.perf_counter() - start,
        size=job.out.stat().st_size,
    )


def _overview_title(stem: str) -> str:
    words = stem.split("-", 1)[1].replace("-", " ")
    return words[0].upper() + words[1:]


def _select(
    registry: Any, partnerships: str | Iterable[str] | None
) -> list[tuple[str, str]]:
    ids = [str(p) for p in registry["partnership_id"]]
    names = dict(zip(ids, (str(n) for n in registry["name"]), strict=True))
    if partnerships is None:
        return [(p, names[p]) for p in ids]
    wanted = [partnerships] if isinstance(partnerships, str) else list(partnerships)
    unknown = [p for p in wanted if p not in names]
    if unknown:
        msg = f"unknown partnership id(s) {unknown}; known ids: {sorted(ids)}"
        raise MembershipError(msg)
    return [(p, names[p]) for p in dict.fromkeys(wanted)]


def build_reports(
    partnerships: str | Iterable[str] | None = None,
    year: int = 2019,
    out_dir: str | os.PathLike[str] | None = None,
    *,
    overview: bool = True,
    workers: int = 2,
    notebooks: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> list[BuiltReport]:
    """Execute the report notebooks and write self-contained HTML pages and an index.

    Parameters
    ----------
    partnerships : str or iterable of str, optional
        Partnership ids to profile (default: every partnership of the registry).
    year : int
        Reference year (default 2019).
    out_dir : path-like, optional
        Output folder (default :func:`regiongap.config.reports_dir`, i.e.
        ``<project>/reports``).
    overview : bool
        Also build the three overview pages (default True).
    workers : int
        Notebooks executed at the same time, each in its own kernel (default 2).
    notebooks : path-like, optional
        Folder of the report notebooks (default ``<project>/notebooks``).
    progress : bool
        Show a progress bar (tqdm, on stderr).

    Returns
    -------
    list of BuiltReport
        The pages written (overview first, then partnerships), each with its
        figure count, build time and size. ``index.html`` is written last.

    Raises
    ------
    MembershipError
        Unknown partnership ids (the known ones are listed).
    SchemaError
        Missing notebooks or a bad ``workers``/``year``.
    RegiongapError
        When some notebooks failed; the other pages and the index are written
        first and the message names each failure.
    """
    from tqdm.auto import tqdm

    from regiongap.config import reports_dir
    from regiongap.report.data import load_report_data

    if not isinstance(workers, int) or workers < 1:
        msg = f"workers={workers!r} must be a positive integer"
        raise SchemaError(msg)
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        msg = f"year={year!r} must be an integer year such as 2019"
        raise SchemaError(msg)
    from regiongap.membership.registry import partnerships as registry

    folder = notebooks_dir(notebooks)
    out = reports_dir(out_dir)
    chosen = _select(registry(), partnerships)  # bad ids fail before any work
    data = load_report_data(year, refresh=True)

    jobs: list[_Job] = []
    if overview:
        for stem in OVERVIEW_NOTEBOOKS:
            jobs.append(
                _Job(
                    notebook=folder / f"{stem}.ipynb",
                    out=out / f"{stem}.html",
                    parameters={"year": year},
                    title=_overview_title(stem),
                    kind="overview",
                    partnership_id=None,
                    index_href="index.html",
                    year=year,
                )
            )
    for pid, name in chosen:
        jobs.append(
            _Job(
                notebook=folder / f"{PROFILE_NOTEBOOK}.ipynb",
                out=out / "partnerships" / f"{pid}.html",
                parameters={"year": year, "partnership": pid},
                title=name,
                kind="partnership",
                partnership_id=pid,
                index_href="../index.html",
                year=year,
            )
        )

    built: dict[Path, BuiltReport] = {}
    failed: dict[str, str] = {}
    bar = tqdm(total=len(jobs), desc="reports", unit="page", disable=not progress)
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_run, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                report = future.result()
            except Exception as exc:  # a failed page is named below; the rest build
                failed[job.out.name] = f"{type(exc).__name__}: {str(exc)[:400]}"
            else:
                built[job.out] = report
            bar.set_postfix_str(job.out.stem[:24])
            bar.update()
    bar.close()
    ordered = [built[j.out] for j in jobs if j.out in built]
    _atomic_write(out / "index.html", index_page(ordered, data, failed=failed))
    if failed:
        listed = "; ".join(f"{k} ({v})" for k, v in failed.items())
        msg = f"{len(failed)} of {len(jobs)} report pages failed: {listed}"
        raise RegiongapError(msg)
    return ordered


def index_page(
    reports: Sequence[BuiltReport],
    data: Any,
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
    from regiongap.report.sections import partnership_table

    esc = html.escape
    table = partnership_table(data).reset_index().set_index("id")
    overview = [r for r in reports if r.kind == "overview"]
    profiles = [r for r in reports if r.kind == "partnership"]
    rows = []
    for r in profiles:
        info = table.loc[r.partnership_id] if r.partnership_id in table.index else None
        n = int(info["Regions"]) if info is not None else 0
        status = str(info["Member list"]) if info is not None else ""
        platform = str(info["Platform"]) if info is not None else ""
        median = info["Index median"] if info is not None else float("nan")
        rows.append(
            "<tr>"
            f"<td><a href='partnerships/{esc(r.path.name)}'>{esc(r.title)}</a></td>"
            f"<td>{esc(platform.replace('_', ' '))}</td><td>{esc(status)}</td>"
            f"<td class='n'>{n if n else 'none listed'}</td>"
            f"<td class='n'>{'' if median != median else f'{median:.1f}'}</td></tr>"
        )
    failures = "".join(
        f"<li>{esc(name)}: {esc(reason)}</li>"
        for name, reason in (failed or {}).items()
    )
    items = "".join(
        f"<li><a href='{esc(r.path.name)}'>{esc(r.title)}</a></li>" for r in overview
    )
    built = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regiongap reports, {data.year}</title>
<style>
body {{ font-family: "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  color: #222; max-width: 1040px; margin: 0 auto; padding: 0 24px 48px; }}
header {{ border-bottom: 3px solid #0072B2; padding: 16px 0 8px; }}
h1 {{ color: #0072B2; margin: 0 0 4px; }} h2 {{ margin-top: 28px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
th, td {{ text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e3e3; }}
th {{ background: #f4f6f8; }} td.n {{ text-align: right; }}
a {{ color: #0072B2; }} p {{ max-width: 80ch; line-height: 1.5; }}
footer {{ margin-top: 32px; font-size: 12px; color: #666; }}
</style></head>
<body><header><h1>Regional capacity gaps in Europe's S3 partnerships</h1>
<div>NUTS {data.level} regions, reference year {data.year}</div></header>
<h2>Europe-wide overview</h2><ol>{items or "<li>not built</li>"}</ol>
<h2>Partnership profiles</h2>
<p>One profile per S3 thematic partnership in the registry. "Member list" says how
complete the registry's list is; partnerships with no listed member regions have a
short profile saying so. The index median is the capacity index (0–100) of the
member regions that have one.</p>
<table><tr><th>Partnership</th><th>Platform</th><th>Member list</th>
<th>Member regions</th><th>Index median</th></tr>{"".join(rows)}</table>
{f"<h2>Pages that could not be built</h2><ul>{failures}</ul>" if failures else ""}
<footer>Built {esc(built)} with regiongap. Each page works offline.</footer>
</body></html>
"""


# --------------------------------------------------------------------- CLI


def cli_report(argv: list[str]) -> int:
    """Run ``regiongap report [--partnership ID …] [--year Y] [--out DIR]``.

    Parameters
    ----------
    argv : list of str
        Arguments after ``report``.

    Returns
    -------
    int
        0 when every page was built, 1 when some failed, 2 for bad arguments.
    """
    parser = argparse.ArgumentParser(
        prog="regiongap report",
        description="Build the HTML reports (overview, one page per partnership, "
        "index) into reports/.",
    )
    parser.add_argument(
        "--partnership",
        nargs="+",
        action="extend",
        metavar="ID",
        help="partnership id(s) to profile (default: all)",
    )
    parser.add_argument("--year", type=int, default=2019, help="reference year")
    parser.add_argument("--out", help="output folder (default: reports/)")
    parser.add_argument(
        "--workers", type=int, default=2, help="notebooks run in parallel (default 2)"
    )
    parser.add_argument(
        "--no-overview", action="store_true", help="only the partnership pages"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    start = time.perf_counter()
    try:
        reports = build_reports(
            args.partnership,
            year=args.year,
            out_dir=args.out,
            overview=not args.no_overview,
            workers=args.workers,
            progress=not args.quiet,
        )
    except (MembershipError, SchemaError) as exc:
        sys.stderr.write(f"regiongap report: {exc}\n")
        return 2
    except RegiongapError as exc:
        sys.stderr.write(f"regiongap report: {exc}\n")
        return 1
    total = sum(r.size for r in reports)
    index = Path(reports[0].path).parent if reports else Path(args.out or ".")
    if reports and reports[-1].kind == "partnership" and reports[-1].path.parent.name:
        index = reports[-1].path.parent.parent
    sys.stdout.write(
        f"{len(reports)} pages, {total / 1e6:.1f} MB, in "
        f"{time.perf_counter() - start:.0f} s: {index / 'index.html'}\n"
    )
    return 0
