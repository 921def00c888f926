"""Keep the report's shared tables between notebooks: computed once, then read.

:func:`regiongap.build_reports` computes the tables once per build
(``refresh=True``) and stores them in
``<data dir>/processed/report-L{level}-{year}-nuts-{auto|version}/``
— one Parquet file per table and ``meta.json`` — so the ~30 report notebooks only
read them. In JupyterLab the first call computes and stores them; later calls read
them. Every file is written with :func:`regiongap.cache.store.atomic_write`;
``meta.json`` is removed first and written last, so a folder without it (a build
that stopped half-way) is computed again rather than read. A file lock keeps two
processes from computing the same tables at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock

from regiongap.cache.store import atomic_write
from regiongap.config import processed_dir
from regiongap.report.data import ReportData, jsonable
from regiongap.schema import Level, NutsYear, check_level, check_nuts_year

__all__ = [
    "TABLES",
    "compute_report_data",
    "load_report_data",
    "read_report_data",
    "write_report_data",
]

#: The tables of :class:`ReportData` stored as Parquet files.
TABLES = (
    "panel",
    "catalogue",
    "scores",
    "pillars",
    "ranks",
    "framework",
    "gdp_series",
    "partnerships",
    "members",
    "categories",
    "convergence",
    "comparisons",
    "inequality",
    "participation",
    "excluded",
    "infrastructure",
    "parent_values",
    "coverage_levels",
    "clusters",
    "mobility",
    "sensitivity",
    "mentors",
    "collective",
    "complementary",
)
_FORMAT = 7
_META = "meta.json"


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Return *frame* without attrs and with categoricals as strings (for Parquet)."""
    out = frame.copy()
    out.attrs = {}
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("string")
    return out


def compute_report_data(
    year: int, level: Level, *, nuts_year: NutsYear | None = None
) -> ReportData:
    """Compute the report tables (:func:`regiongap.report.compute.compute_report_data`).

    The computing stack (spatial weights, Markov chains, Sobol sampling and
    their libraries) is imported here, when the tables are computed, and not
    when :mod:`regiongap.report.store` is: the report notebooks only read the
    stored tables, and their kernels never load it.

    Parameters
    ----------
    year : int
        Reference year.
    level : {0, 1, 2, 3}
        NUTS level.
    nuts_year : {2013, 2016, 2021, 2024}, optional
        NUTS version (default: the newest the data fit).

    Returns
    -------
    ReportData
        The tables the pages show.
    """
    from regiongap.report import compute

    return compute.compute_report_data(year, level, nuts_year=nuts_year)


def write_report_data(data: ReportData, folder: Path) -> None:
    """Store *data* in *folder*: the tables as Parquet, then ``meta.json``.

    Parameters
    ----------
    data : ReportData
        The tables to store.
    folder : pathlib.Path
        Where to store them (created when missing).
    """
    (folder / _META).unlink(missing_ok=True)  # the folder is incomplete from here on
    for name in TABLES:
        atomic_write(
            folder / f"{name}.parquet", _plain(getattr(data, name)).to_parquet()
        )
    meta = {
        "format": _FORMAT,
        "year": data.year,
        "level": data.level,
        "available": data.available,
        "unavailable": data.unavailable,
        "warnings": data.warnings,
        "provenance": data.provenance,
        "recoding": jsonable(data.recoding),
        "panel_info": jsonable(data.panel_info),
        "member_notes": data.member_notes,
        "left_out": data.left_out,
        "nuts_year": data.nuts_year,
        "nuts_year_reason": data.nuts_year_reason,
        "analytics": jsonable(data.analytics),
    }
    atomic_write(folder / _META, json.dumps(meta, indent=1))


def read_report_data(folder: Path) -> ReportData | None:
    """Return the tables stored in *folder*, or None if they are missing or stale.

    Parameters
    ----------
    folder : pathlib.Path
        A folder written by :func:`write_report_data`.

    Returns
    -------
    ReportData or None
        None when ``meta.json`` is missing, of another format, or a table
        cannot be read.
    """
    meta_path = folder / _META
    if not meta_path.is_file():
        return None
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != _FORMAT:
        return None
    try:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    except (OSError, ValueError):
        return None  # incomplete or unreadable: computed again by the caller
    return ReportData(
        year=int(meta["year"]),
        level=check_level(int(meta["level"])),
        available=list(meta["available"]),
        unavailable=dict(meta["unavailable"]),
        warnings=list(meta["warnings"]),
        provenance=list(meta["provenance"]),
        recoding=dict(meta.get("recoding", {})),
        left_out=dict(meta.get("left_out", {})),
        nuts_year=int(meta["nuts_year"]),
        nuts_year_reason=str(meta.get("nuts_year_reason", "")),
        analytics=dict(meta.get("analytics", {})),
        panel_info=dict(meta.get("panel_info", {})),
        member_notes=list(meta.get("member_notes", [])),
        **tables,
    )


def load_report_data(
    year: int = 2019,
    level: Level = 2,
    *,
    nuts_year: NutsYear | None = None,
    refresh: bool = False,
) -> ReportData:
    """Return the report tables for *year*, computing and storing them if needed.

    Parameters
    ----------
    year : int
        Reference year (default 2019, the latest year most regional tables
        cover in the mirror).
    level : {0, 1, 2, 3}
        NUTS level (default 2).
    nuts_year : {2013, 2016, 2021, 2024}, optional
        NUTS version of the regions (default: the newest version the data fit,
        as :func:`regiongap.panel` chooses it; the pages say which and why).
    refresh : bool
        Compute again even if stored (``build_reports`` does this once per build).

    Returns
    -------
    ReportData
        Panel, index, ranks, GDP series, registry, provenance and the results
        the pages show.

    Raises
    ------
    SchemaError
        If *level* is not a NUTS level or *nuts_year* not a NUTS version.
    RegiongapError
        If no indicator with a direction can be loaded (no index possible).
    """
    level = check_level(level)
    version = "auto" if nuts_year is None else check_nuts_year(nuts_year)
    folder = processed_dir() / f"report-L{level}-{int(year)}-nuts-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        if not refresh:
            stored = read_report_data(folder)
            if stored is not None:
                return stored
        data = compute_report_data(int(year), level, nuts_year=nuts_year)
        write_report_data(data, folder)
        # read back, so that a build and a later notebook see the same dtypes
        stored = read_report_data(folder)
    return stored if stored is not None else data
