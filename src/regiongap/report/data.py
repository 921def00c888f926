"""The shared tables behind the notebooks and reports, computed once per build.

Every notebook starts with ``data = load_report_data(year)``: the regional panel,
the capacity index with its rank uncertainty, GDP over time, the partnership
registry and the NUTS shapes. :func:`regiongap.build_reports` computes them once
(``refresh=True``) and stores them in ``<data dir>/processed/report-L{level}-{year}/``
(Parquet + JSON, written to a temporary folder and renamed into place), so the
~30 report notebooks only read them. In JupyterLab the first call computes and
stores them; later calls read them.

The index shown in the reports uses every catalogue indicator with a direction
(``higher_is_better`` set; context indicators such as population are left out)
that the current sources can load for at least :data:`MIN_INDICATOR_COVERAGE` of
the regions, except :data:`FRAMEWORK_EXCLUDED`, with
min–max normalisation, arithmetic aggregation, pillar-mean imputation and a
minimum coverage of :data:`MIN_COVERAGE`; rank bands come from
:data:`UNCERTAINTY_RUNS` seeded Monte Carlo runs.

:mod:`regiongap.report.sections` turns those tables into what a notebook
displays, so that no notebook carries its own logic.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap.errors import MembershipError, RegiongapError
from regiongap.viz.style import source_note

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd

__all__ = [
    "CONVERGENCE_YEARS",
    "FRAMEWORK_EXCLUDED",
    "GDP_EU_INDICATOR",
    "GDP_INDICATOR",
    "MIN_COVERAGE",
    "MIN_INDICATOR_COVERAGE",
    "UNCERTAINTY_RUNS",
    "ReportData",
    "load_report_data",
]

#: Indicators with a direction that the report index leaves out, with the reason.
FRAMEWORK_EXCLUDED: dict[str, str] = {
    "gdp_pps_per_inhabitant_index": "duplicates GDP per inhabitant in PPS",
}
#: Share of framework indicators a region needs to get an index value.
MIN_COVERAGE = 0.6
#: Share of regions an indicator needs a value for to enter the index: an
#: indicator missing for whole countries would otherwise drop them from the index
#: (a pillar of one indicator cannot be imputed from the pillar's other indicators).
MIN_INDICATOR_COVERAGE = 0.8
#: Monte Carlo runs of the rank-uncertainty analysis.
UNCERTAINTY_RUNS = 300
#: Years of GDP per inhabitant used for convergence (ending at the report year).
CONVERGENCE_YEARS = 11
#: GDP per inhabitant in PPS: maps, distributions and convergence use it.
GDP_INDICATOR = "gdp_pps_per_inhabitant"
#: GDP per inhabitant in PPS, % of EU-27: cohesion-policy categories use it.
GDP_EU_INDICATOR = "gdp_pps_per_inhabitant_index"
_FORMAT = 4


@dataclass
class ReportData:
    """Everything a report shows, for one NUTS level and reference year.

    Attributes
    ----------
    year, level : int
        Reference year and NUTS level.
    panel : pandas.DataFrame
        :func:`regiongap.panel` for the EU-27 regions, with ``name`` and
        ``country``.
    catalogue : pandas.DataFrame
        :func:`regiongap.indicators`.
    available : list of str
        Catalogue indicators the panel could load.
    unavailable : dict
        ``{indicator: reason}`` of those it could not.
    warnings : list of str
        Data-quality warnings raised while building the panel.
    scores, pillars : pandas.DataFrame
        Capacity index scores (all regions, ``excluded_reason`` for those left
        out) and pillar scores, index ``geo``.
    ranks : pandas.DataFrame
        Rank uncertainty (median rank and 5–95 % band), index ``geo``.
    framework : pandas.DataFrame
        The index framework used.
    gdp_series : pandas.DataFrame
        GDP per inhabitant in PPS, long ``geo, time, value, flag`` over
        :data:`CONVERGENCE_YEARS` years, EU-27 regions.
    partnerships, members : pandas.DataFrame
        The registry: one row per partnership; members at this level.
    provenance : list of dict
        One record per dataset read (dataset, last_update, source, location).
    recoding : dict
        Per indicator, the codes dropped or not matched to NUTS 2021 regions.
    left_out : dict
        ``{indicator: reason}`` of loaded indicators with a direction that the
        index leaves out.
    categories : pandas.DataFrame
        Cohesion-policy category of each region (``category``; GDP per
        inhabitant in PPS, % of EU-27, 2015–2017), index ``geo``.
    """

    year: int
    level: int
    panel: pd.DataFrame
    catalogue: pd.DataFrame
    available: list[str]
    unavailable: dict[str, str]
    warnings: list[str]
    scores: pd.DataFrame
    pillars: pd.DataFrame
    ranks: pd.DataFrame
    framework: pd.DataFrame
    gdp_series: pd.DataFrame
    partnerships: pd.DataFrame
    members: pd.DataFrame
    provenance: list[dict[str, Any]]
    recoding: dict[str, Any] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)
    _shapes: Any = None

    # -- lookups -----------------------------------------------------------
    @property
    def shapes(self) -> gpd.GeoDataFrame:
        """NUTS 2021 shapes of the level (read on first use)."""
        if self._shapes is None:
            from regiongap.load.boundaries import nuts_regions

            self._shapes = nuts_regions(level=self.level, year=2021)
        return self._shapes

    @property
    def names(self) -> dict[str, str]:
        """Region name by ``geo``."""
        return {str(k): str(v) for k, v in self.panel["name"].dropna().items()}

    def label(self, indicator: str) -> str:
        """Return the indicator's title, e.g. "GDP per inhabitant in PPS"."""
        row = self.catalogue.loc[self.catalogue["indicator"] == indicator]
        if row.empty:
            return indicator
        return str(row["title"].iloc[0])

    def unit(self, indicator: str) -> str:
        """Return the indicator's unit label (or code)."""
        row = self.catalogue.loc[self.catalogue["indicator"] == indicator]
        if row.empty:
            return ""
        for col in ("unit_label", "unit"):
            if col in row and pd.notna(row[col].iloc[0]):
                return str(row[col].iloc[0])
        return ""

    def datasets(self, indicators: list[str] | None = None) -> list[str]:
        """Eurostat datasets behind *indicators* (default: all available)."""
        wanted = self.available if indicators is None else indicators
        rows = self.catalogue[self.catalogue["indicator"].isin(wanted)]
        return sorted({str(d) for d in rows["dataset"].dropna()})

    def source(self, *indicators: str, geography: bool = True) -> str:
        """Source note for figures of *indicators* (default: all available)."""
        codes = set(self.datasets(list(indicators) if indicators else None))
        records = [p for p in self.provenance if p.get("dataset") in codes]
        return source_note(records, geography="GISCO NUTS 2021" if geography else None)

    def partnership(self, partnership_id: str) -> pd.Series:
        """Return the registry row of one partnership.

        Raises
        ------
        MembershipError
            For an unknown id (the known ids are listed).
        """
        rows = self.partnerships[self.partnerships["partnership_id"] == partnership_id]
        if rows.empty:
            known = sorted(self.partnerships["partnership_id"])
            msg = f"unknown partnership {partnership_id!r}; known ids: {known}"
            raise MembershipError(msg)
        return rows.iloc[0]

    def members_of(self, partnership_id: str) -> pd.DataFrame:
        """Member regions of a partnership at the report level, one row per region."""
        self.partnership(partnership_id)
        rows = self.members[self.members["partnership_id"] == partnership_id]
        return rows.drop_duplicates("geo").reset_index(drop=True)

    def leader(self, partnership_id: str) -> str | None:
        """``geo`` of the lead region with the highest index, if a lead is listed."""
        rows = self.members_of(partnership_id)
        leads = rows.loc[rows["role"].astype(str) == "lead", "geo"].astype(str)
        if leads.empty:
            return None
        index = self.scores["index"].reindex(leads)
        return str(index.idxmax()) if index.notna().any() else str(leads.iloc[0])

    def groups(self, partnership_id: str) -> pd.Series:
        """``"Members"`` / ``"Other regions"`` for every region of the panel."""
        members = set(self.members_of(partnership_id)["geo"].astype(str))
        labels = [
            "Members" if g in members else "Other regions" for g in self.panel.index
        ]
        return pd.Series(labels, index=self.panel.index, name="group")

    def member_values(self, partnership_id: str) -> pd.DataFrame:
        """Index, GDP and names of the members (rows with NaN where missing)."""
        rows = self.members_of(partnership_id)
        geos = pd.Index(rows["geo"].astype(str), name="geo")
        out = pd.DataFrame(index=geos)
        out["name"] = [self.names.get(g, g) for g in geos]
        out["role"] = rows["role"].astype(str).to_numpy()
        out["index"] = self.scores["index"].reindex(geos).to_numpy()
        out.attrs["provenance"] = [
            p for p in self.provenance if p.get("dataset") in set(self.datasets())
        ]
        return out


# --------------------------------------------------------------- build & cache


def _cache_folder(year: int, level: int) -> Path:
    from regiongap.config import processed_dir

    return processed_dir() / f"report-L{level}-{year}"


def _framework(
    catalogue: pd.DataFrame, available: list[str], panel: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the index framework and the indicators left out of it, with reasons."""
    candidates = catalogue[
        catalogue["indicator"].isin(available) & catalogue["higher_is_better"].notna()
    ]
    left_out: dict[str, str] = {}
    keep = []
    for ind in candidates["indicator"]:
        share = float(panel[ind].notna().mean()) if len(panel) else 0.0
        if ind in FRAMEWORK_EXCLUDED:
            left_out[ind] = FRAMEWORK_EXCLUDED[ind]
        elif share < MIN_INDICATOR_COVERAGE:
            left_out[ind] = (
                f"only {share:.0%} of regions have a value "
                f"({MIN_INDICATOR_COVERAGE:.0%} needed)"
            )
        else:
            keep.append(ind)
    fw = candidates[candidates["indicator"].isin(keep)]
    fw = fw[["indicator", "pillar", "higher_is_better"]].copy()
    fw["higher_is_better"] = fw["higher_is_better"].astype(bool)
    return fw.reset_index(drop=True), left_out


def _compute(year: int, level: int) -> ReportData:
    import regiongap as rg
    from regiongap.metrics.composite.index import capacity_index
    from regiongap.metrics.composite.uncertainty import index_uncertainty

    catalogue = rg.catalogue()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = rg.panel(level=level, year=year, with_names=True, with_country=True)
    messages = [str(w.message) for w in caught]
    info = panel.attrs.get("panel", {})
    available = [i for i in catalogue["indicator"] if i in panel.columns]
    unavailable = {str(k): str(v) for k, v in info.get("unavailable", {}).items()}
    framework, left_out = _framework(catalogue, available, panel)
    if framework.empty:
        msg = (
            "no indicator with a direction could be loaded, so no index can be "
            f"built; unavailable: {sorted(unavailable)}"
        )
        raise RegiongapError(msg)
    index = capacity_index(
        panel, framework, imputation="pillar_mean", min_coverage=MIN_COVERAGE
    )
    ranks = index_uncertainty(
        panel,
        framework,
        n_runs=UNCERTAINTY_RUNS,
        seed=0,
        imputation="pillar_mean",
        min_coverage=MIN_COVERAGE,
    )
    provenance: list[dict[str, Any]] = []
    recoding: dict[str, Any] = {}
    years = range(year - CONVERGENCE_YEARS + 1, year + 1)
    gdp_series = pd.DataFrame(columns=["geo", "time", "value", "flag"])
    for indicator in available:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            frame = rg.fetch_indicator(
                indicator,
                level=level,
                years=years if indicator == GDP_INDICATOR else None,
            )
        for record in frame.attrs.get("provenance", []):
            clean = {k: (None if v is None else str(v)) for k, v in record.items()}
            if clean not in provenance:
                provenance.append(clean)
        recoding[indicator] = {
            "dropped": _jsonable(frame.attrs.get("dropped")),
            "not_in_index": info.get("indicators", {})
            .get(indicator, {})
            .get("not_in_index", []),
        }
        if indicator == GDP_INDICATOR:
            keep = frame["geo"].astype(str).isin(panel.index)
            gdp_series = frame.loc[keep, ["geo", "time", "value", "flag"]].copy()
            gdp_series["geo"] = gdp_series["geo"].astype(str)
    members = rg.members(level=level)
    members = members[members["geo"].astype(str).isin(panel.index)].reset_index(
        drop=True
    )
    categories = _categories(panel.index, level)
    return ReportData(
        year=year,
        level=level,
        panel=panel,
        catalogue=catalogue,
        available=available,
        unavailable=unavailable,
        warnings=messages,
        scores=index.scores,
        pillars=index.pillars,
        ranks=ranks,
        framework=framework,
        gdp_series=gdp_series.reset_index(drop=True),
        partnerships=rg.partnerships(),
        members=members,
        provenance=provenance,
        recoding=recoding,
        left_out=left_out,
        categories=categories,
    )


def _categories(index: pd.Index, level: int) -> pd.DataFrame:
    """Cohesion-policy category of each region (2015–2017), or an empty table."""
    import regiongap as rg
    from regiongap.metrics.cohesion import cohesion_category

    empty = pd.DataFrame(
        {"category": pd.Series(dtype="string")}, index=pd.Index([], name="geo")
    )
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            gdp = rg.fetch_indicator(
                GDP_EU_INDICATOR, level=level, years=range(2015, 2018)
            )
    except RegiongapError:
        return empty
    gdp = gdp[gdp["geo"].astype(str).isin(index)]
    if gdp.empty:
        return empty
    out = cohesion_category(gdp[["geo", "time", "value"]])
    out["category"] = out["category"].astype("string")
    return out[["gdp_pps_pct_eu", "category"]]


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, pd.DataFrame):
        return value.astype(str).to_dict(orient="records")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


_TABLES = (
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
)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.attrs = {}
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("string")
    return out


def _store(data: ReportData, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name in _TABLES:
            _plain(getattr(data, name)).to_parquet(tmp / f"{name}.parquet")
        meta = {
            "format": _FORMAT,
            "year": data.year,
            "level": data.level,
            "available": data.available,
            "unavailable": data.unavailable,
            "warnings": data.warnings,
            "provenance": data.provenance,
            "recoding": _jsonable(data.recoding),
            "panel_attrs": _jsonable(data.panel.attrs.get("panel", {})),
            "left_out": data.left_out,
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read(folder: Path) -> ReportData | None:
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != _FORMAT:
        return None
    try:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
    except (OSError, ValueError):
        return None  # incomplete or unreadable: computed again by the caller
    tables["panel"].attrs["panel"] = meta.get("panel_attrs", {})
    return ReportData(
        year=int(meta["year"]),
        level=int(meta["level"]),
        available=list(meta["available"]),
        unavailable=dict(meta["unavailable"]),
        warnings=list(meta["warnings"]),
        provenance=list(meta["provenance"]),
        recoding=dict(meta.get("recoding", {})),
        left_out=dict(meta.get("left_out", {})),
        **tables,
    )


def load_report_data(
    year: int = 2019, level: int = 2, *, refresh: bool = False
) -> ReportData:
    """Return the report tables for *year*, computing and storing them if needed.

    Parameters
    ----------
    year : int
        Reference year (default 2019, the latest year most regional tables
        cover in the mirror).
    level : int
        NUTS level (default 2).
    refresh : bool
        Compute again even if stored (``build_reports`` does this once per build).

    Returns
    -------
    ReportData
        Panel, index, ranks, GDP series, registry and provenance.

    Raises
    ------
    RegiongapError
        If no indicator with a direction can be loaded (no index possible).
    """
    from filelock import FileLock

    folder = _cache_folder(int(year), int(level))
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        if not refresh:
            stored = _read(folder)
            if stored is not None:
                return stored
        data = _compute(int(year), int(level))
        _store(data, folder)
    stored = _read(folder)
    return stored if stored is not None else data
