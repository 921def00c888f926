"""Build the HTML reports: run the notebooks with papermill, then export each page.

``regiongap report`` (and ``make report``) writes into ``reports/``:

* ``01-data-overview-and-coverage.html``, ``02-regional-disparities.html`` and
  ``03-partnerships-side-by-side.html`` — the Europe-wide overview;
* ``partnerships/{partnership_id}.html`` — one profile per partnership
  (notebook ``04-partnership-profile.ipynb``). A partnership without listed
  member regions still gets a short profile that says so, so the index never has
  a dead end;
* ``index.html`` linking them all;
* ``assets/``: plotly.js and the style sheet, written once and read by every page
  (``self_contained=True`` embeds them in each page instead, to send one alone);
* with ``pdf=True``, ``<page>.pdf`` beside each page (:mod:`regiongap.report.pdf`);
* with ``images=True``, ``<page>-figures/NN-<title>.png`` and ``.svg`` beside each
  page, every figure of the page (:func:`regiongap.viz.export.save_many`).

The shared tables (panel, capacity index, rank bands, registry, and the results the
pages show) are computed once per build by
:func:`regiongap.report.store.load_report_data` and only read by the notebooks.
Notebooks run in ``workers`` processes (default 2), each keeping one warm kernel for
all its notebooks (:mod:`regiongap.report._kernel`); the kernels start, and import
what the notebooks need, while the tables are computed. Pages are exported by
:mod:`regiongap.report.html` and written with
:func:`regiongap.cache.store.atomic_write` (a temporary file renamed into place).
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from regiongap.cache.store import atomic_write
from regiongap.config import project_root, reports_dir
from regiongap.errors import MembershipError, RegiongapError, SchemaError
from regiongap.membership.registry import partnerships as registry_partnerships
from regiongap.report._kernel import execute, warm_up
from regiongap.report.html import (
    ASSETS_DIR,
    BuiltReport,
    PageKind,
    export_page,
    figure_outputs,
    index_page,
    page_assets,
)
from regiongap.report.pdf import print_pdf
from regiongap.report.store import load_report_data
from regiongap.schema import NutsYear, check_nuts_year
from regiongap.viz.export import chromium_path, save_many

__all__ = [
    "OVERVIEW_NOTEBOOKS",
    "PROFILE_NOTEBOOK",
    "build_reports",
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


def notebooks_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder with the report notebooks (default ``<project>/notebooks``).

    Parameters
    ----------
    path : path-like, optional
        The folder; default ``notebooks/`` of the project folder around the
        working directory.

    Returns
    -------
    pathlib.Path
        The folder, resolved.

    Raises
    ------
    SchemaError
        If the folder or one of the report notebooks is missing.
    """
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


@dataclass(frozen=True)
class _Job:
    notebook: Path
    out: Path
    parameters: dict[str, object]
    title: str
    kind: PageKind
    partnership_id: str | None
    index_href: str
    year: int
    assets: str | None = None
    pdf: bool = False
    images: bool = False


def _slug(figure: dict[str, object], number: int) -> str:
    """Return ``NN-title-of-the-figure``: a file name for slides."""
    layout = figure.get("layout")
    title = layout.get("title", "") if isinstance(layout, dict) else ""
    text = str(title.get("text", "") if isinstance(title, dict) else title)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text.split("<br")[0]))
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-")
    return f"{number:02d}-{words or 'figure'}"


def _images(job: _Job, figures: list[dict[str, object]]) -> tuple[Path, ...]:
    """Write every figure of the page as PNG and SVG into ``<page>-figures/``."""
    folder = job.out.with_name(f"{job.out.stem}-figures")
    wanted = {}
    for number, figure in enumerate(figures, start=1):
        for suffix in (".png", ".svg"):
            wanted[folder / f"{_slug(figure, number)}{suffix}"] = figure
    return tuple(save_many(wanted, scale=2)) if wanted else ()


def _run(job: _Job) -> BuiltReport:
    """Execute one notebook and write its page (runs in a worker process)."""
    start = time.perf_counter()
    nb = execute(job.notebook, job.parameters)
    shown = figure_outputs(nb) if job.images else []
    body, figures = export_page(
        nb,
        title=job.title,
        kind="Partnership profile" if job.kind == "partnership" else "Overview",
        year=job.year,
        index_href=job.index_href,
        assets=job.assets,
    )
    atomic_write(job.out, body)
    images = _images(job, shown)
    pdf = print_pdf({job.out: job.out.with_suffix(".pdf")})[0] if job.pdf else None
    return BuiltReport(
        path=job.out,
        title=job.title,
        kind=job.kind,
        partnership_id=job.partnership_id,
        figures=figures,
        seconds=time.perf_counter() - start,
        size=job.out.stat().st_size,
        pdf=pdf,
        images=images,
    )


def _overview_title(stem: str) -> str:
    words = stem.split("-", 1)[1].replace("-", " ")
    return words[0].upper() + words[1:]


def _select(
    registry: pd.DataFrame, partnerships: str | Iterable[str] | None
) -> list[tuple[str, str]]:
    """Return ``(id, name)`` of the partnerships to profile, in registry order."""
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


@dataclass(frozen=True)
class _Outputs:
    """What each page is written as, besides its HTML."""

    self_contained: bool = False
    pdf: bool = False
    images: bool = False

    def assets(self, depth: int) -> str | None:
        """Return the link to ``assets/`` from a page *depth* folders down."""
        return None if self.self_contained else "../" * depth + ASSETS_DIR


def _jobs(
    folder: Path,
    out: Path,
    year: int,
    chosen: list[tuple[str, str]],
    overview: bool,
    outputs: _Outputs,
) -> list[_Job]:
    """Return the pages to build: the overview (if asked), then each profile."""
    jobs = [
        _Job(
            notebook=folder / f"{stem}.ipynb",
            out=out / f"{stem}.html",
            parameters={"year": year},
            title=_overview_title(stem),
            kind="overview",
            partnership_id=None,
            index_href="index.html",
            year=year,
            assets=outputs.assets(0),
            pdf=outputs.pdf,
            images=outputs.images,
        )
        for stem in (OVERVIEW_NOTEBOOKS if overview else ())
    ]
    jobs += [
        _Job(
            notebook=folder / f"{PROFILE_NOTEBOOK}.ipynb",
            out=out / "partnerships" / f"{pid}.html",
            parameters={"year": year, "partnership": pid},
            title=name,
            kind="partnership",
            partnership_id=pid,
            index_href="../index.html",
            year=year,
            assets=outputs.assets(1),
            pdf=outputs.pdf,
            images=outputs.images,
        )
        for pid, name in chosen
    ]
    return jobs


def _write_assets(out: Path) -> None:
    """Write plotly.js and the style sheet into ``out/assets`` (once per build)."""
    for name, text in page_assets().items():
        target = out / ASSETS_DIR / name
        if not (target.is_file() and target.stat().st_size == len(text.encode())):
            atomic_write(target, text)


def _pool(workers: int, folder: Path) -> ProcessPoolExecutor:
    """Start *workers* processes, each warming its kernel up (:func:`warm_up`).

    The warm-up runs while the caller computes the report's tables: the kernels'
    start and imports overlap that work instead of delaying the first pages.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=warm_up,
        initargs=(str(folder),),
    )
    for _ in range(workers):  # a process is started for each task submitted
        pool.submit(time.sleep, 0)
    return pool


def _run_all(
    pool: ProcessPoolExecutor, jobs: list[_Job], progress: bool
) -> tuple[list[BuiltReport], dict[str, str]]:
    """Run *jobs* in *pool*; return the pages built and the failures.

    The pages come in job order; the failures are ``{page name: reason}``.
    """
    built: dict[Path, BuiltReport] = {}
    failed: dict[str, str] = {}
    bar = tqdm(total=len(jobs), desc="reports", unit="page", disable=not progress)
    with pool:
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
    return [built[j.out] for j in jobs if j.out in built], failed


def build_reports(
    partnerships: str | Iterable[str] | None = None,
    year: int = 2019,
    out_dir: str | os.PathLike[str] | None = None,
    *,
    overview: bool = True,
    workers: int = 2,
    notebooks: str | os.PathLike[str] | None = None,
    progress: bool = True,
    self_contained: bool = False,
    pdf: bool = False,
    images: bool = False,
    nuts_year: NutsYear | None = None,
) -> list[BuiltReport]:
    """Execute the report notebooks; write HTML pages that work offline, and an index.

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
    self_contained : bool
        Embed plotly.js and the style sheet in every page (about 5 MB each; a
        page then works alone, e.g. sent by e-mail). Default: written once into
        ``assets/`` and read by every page; the folder works offline when copied
        whole.
    pdf : bool
        Also print each page to ``<page>.pdf`` (A4) through headless Chromium.
    images : bool
        Also write every figure of each page as PNG and SVG into
        ``<page>-figures/`` (drawn by Chromium, for slides).
    nuts_year : {2013, 2016, 2021, 2024}, optional
        NUTS version of the regions, maps and members (default: the newest
        version the data fit; every page says which and why).

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
        Missing notebooks or a bad ``workers``/``year``/``nuts_year``.
    ExportError
        ``pdf`` or ``images`` asked for and no Chromium installed (the message
        says how to install it); raised before any page is built.
    RegiongapError
        When some notebooks failed; the other pages and the index are written
        first and the message names each failure.

    Examples
    --------
    A whole build takes minutes; its arguments are checked before any work:

    >>> import inspect
    >>> defaults = inspect.signature(build_reports).parameters
    >>> defaults["year"].default, defaults["workers"].default
    (2019, 2)
    >>> build_reports(workers=0)
    Traceback (most recent call last):
    ...
    regiongap.errors.SchemaError: workers=0 must be a positive integer
    >>> build_reports(year=19)
    Traceback (most recent call last):
    ...
    regiongap.errors.SchemaError: year=19 must be an integer year such as 2019
    """
    if not isinstance(workers, int) or workers < 1:
        msg = f"workers={workers!r} must be a positive integer"
        raise SchemaError(msg)
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        msg = f"year={year!r} must be an integer year such as 2019"
        raise SchemaError(msg)
    if nuts_year is not None:
        nuts_year = check_nuts_year(nuts_year)
    folder = notebooks_dir(notebooks)
    out = reports_dir(out_dir)
    chosen = _select(registry_partnerships(), partnerships)  # fail before any work
    if pdf or images:
        chromium_path()  # no browser: say how to get one before any work
    outputs = _Outputs(self_contained=self_contained, pdf=pdf, images=images)
    pool = _pool(workers, folder)  # kernels start while the tables are computed
    try:
        data = load_report_data(year, nuts_year=nuts_year, refresh=True)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    jobs = _jobs(folder, out, year, chosen, overview, outputs)
    jobs = [
        replace(j, parameters={**j.parameters, "nuts_year": nuts_year}) for j in jobs
    ]
    if not self_contained:
        _write_assets(out)
    built, failed = _run_all(pool, jobs, progress)
    atomic_write(out / "index.html", index_page(built, data, failed=failed))
    if failed:
        listed = "; ".join(f"{k} ({v})" for k, v in failed.items())
        msg = f"{len(failed)} of {len(jobs)} report pages failed: {listed}"
        raise RegiongapError(msg)
    return built
