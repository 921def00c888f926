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
that the current sources can load, except :data:`FRAMEWORK_EXCLUDED`, with
min–max normalisation, arithmetic aggregation, pillar-mean imputation and a
minimum coverage of :data:`MIN_COVERAGE`; rank bands come from
:data:`UNCERTAINTY_RUNS` seeded Monte Carlo runs.

The remaining functions turn those tables into what a notebook displays (tables,
headers, the sources annex) so that no notebook carries its own logic.
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

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, RegiongapError
from regiongap.viz.style import escape, source_note

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd

__all__ = [
    "FRAMEWORK_EXCLUDED",
    "MIN_COVERAGE",
    "UNCERTAINTY_RUNS",
    "Html",
    "ReportData",
    "coverage_table",
    "inequality_table",
    "load_report_data",
    "partnership_header",
    "partnership_table",
    "sources_annex",
]

#: Indicators with a direction that the report index leaves out, with the reason.
FRAMEWORK_EXCLUDED: dict[str, str] = {
    "gdp_pps_per_inhabitant_index": "same information as gdp_pps_per_inhabitant",
}
#: Share of framework indicators a region needs to get an index value.
MIN_COVERAGE = 0.6
#: Monte Carlo runs of the rank-uncertainty analysis.
UNCERTAINTY_RUNS = 300
#: Years of GDP per inhabitant used for convergence (ending at the report year).
CONVERGENCE_YEARS = 11
_GDP = "gdp_pps_per_inhabitant"
_GDP_EU = "gdp_pps_per_inhabitant_index"
_FORMAT = 1


class Html(str):
    """A string of HTML that notebooks display as HTML (``_repr_html_``)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


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
    _shapes: Any = None

    # -- lookups -----------------------------------------------------------
    @property
    def shapes(self) -> gpd.GeoDataFrame:
        """NUTS 2021 shapes of the level (read on first use)."""
        if self._shapes is None:
            from regiongap.geography import nuts_regions

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


def _framework(catalogue: pd.DataFrame, available: list[str]) -> pd.DataFrame:
    fw = catalogue[
        catalogue["indicator"].isin(available)
        & catalogue["higher_is_better"].notna()
        & ~catalogue["indicator"].isin(FRAMEWORK_EXCLUDED)
    ][["indicator", "pillar", "higher_is_better"]].copy()
    fw["higher_is_better"] = fw["higher_is_better"].astype(bool)
    return fw.reset_index(drop=True)


def _compute(year: int, level: int) -> ReportData:
    import regiongap as rg
    from regiongap.metrics.composite import capacity_index
    from regiongap.metrics.uncertainty import index_uncertainty

    catalogue = rg.indicators()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = rg.panel(level=level, year=year, with_names=True, with_country=True)
    messages = [str(w.message) for w in caught]
    info = panel.attrs.get("panel", {})
    available = [i for i in catalogue["indicator"] if i in panel.columns]
    unavailable = {str(k): str(v) for k, v in info.get("unavailable", {}).items()}
    framework = _framework(catalogue, available)
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
                indicator, level=level, years=years if indicator == _GDP else None
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
        if indicator == _GDP:
            keep = frame["geo"].astype(str).isin(panel.index)
            gdp_series = frame.loc[keep, ["geo", "time", "value", "flag"]].copy()
            gdp_series["geo"] = gdp_series["geo"].astype(str)
    members = rg.members(level=level)
    members = members[members["geo"].astype(str).isin(panel.index)].reset_index(
        drop=True
    )
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
    )


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
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
    tables["panel"].attrs["panel"] = meta.get("panel_attrs", {})
    return ReportData(
        year=int(meta["year"]),
        level=int(meta["level"]),
        available=list(meta["available"]),
        unavailable=dict(meta["unavailable"]),
        warnings=list(meta["warnings"]),
        provenance=list(meta["provenance"]),
        recoding=dict(meta.get("recoding", {})),
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


# ----------------------------------------------------------- display helpers


def partnership_header(data: ReportData, partnership_id: str) -> Html:
    """Title block of a partnership profile: name, platform, member list, sources.

    Every value from the registry is escaped.
    """
    row = data.partnership(partnership_id)
    members = data.members_of(partnership_id)
    listed = {
        "complete": "complete member list",
        "partial": "partial member list",
        "leads_only": "only the lead regions are listed",
        "none": "no member regions listed",
    }.get(str(row.get("member_list")), str(row.get("member_list")))
    stated = row.get("members_stated")
    stated_txt = (
        f"; the partnership states {int(stated)} members" if pd.notna(stated) else ""
    )
    parts = [
        f"<h1 class='rg-title'>{escape(row.get('name'))}</h1>",
        "<p class='rg-lede'>",
        f"S3 thematic partnership · platform <b>{escape(row.get('platform'))}</b>",
        f" · {escape(listed)}{escape(stated_txt)}",
        f" · <b>{len(members)}</b> NUTS {data.level} member regions in the registry",
        f" · reference year <b>{data.year}</b></p>",
    ]
    note = row.get("completeness")
    if isinstance(note, str) and note:
        parts.append(f"<p class='rg-note'>{escape(note)}</p>")
    return Html("".join(parts))


def members_table(data: ReportData, partnership_id: str) -> pd.DataFrame:
    """Members with role, how they were listed, index, rank band and GDP."""
    rows = data.members_of(partnership_id)
    geos = rows["geo"].astype(str)
    out = pd.DataFrame(
        {
            "Region": [data.names.get(g, g) for g in geos],
            "NUTS": geos.to_numpy(),
            "Role": rows["role"].astype(str).to_numpy(),
            "Listed as": rows.get("listed_name", rows["region_name"])
            .astype(str)
            .to_numpy(),
            "Capacity index": data.scores["index"].reindex(geos).round(1).to_numpy(),
            "Median rank": data.ranks["median_rank"].reindex(geos).to_numpy(),
            "Rank 5–95 %": [
                f"{lo:.0f}–{hi:.0f}" if pd.notna(lo) else "n/a"
                for lo, hi in zip(
                    data.ranks["rank_p05"].reindex(geos),
                    data.ranks["rank_p95"].reindex(geos),
                    strict=True,
                )
            ],
        }
    )
    if _GDP in data.panel:
        out["GDP per inhabitant (PPS)"] = data.panel[_GDP].reindex(geos).to_numpy()
    return out.set_index("Region")


def partnership_table(data: ReportData) -> pd.DataFrame:
    """All partnerships side by side: member list, regions, index of members.

    Returns
    -------
    pandas.DataFrame
        One row per partnership: name, platform, member list status, member
        regions at the report level, with an index value, their median and
        range of the index, and the median GDP per inhabitant (PPS) of members.
    """
    rows = []
    for row in data.partnerships.itertuples(index=False):
        pid = str(row.partnership_id)
        geos = data.members_of(pid)["geo"].astype(str)
        index = data.scores["index"].reindex(geos).dropna()
        gdp = (
            data.panel[_GDP].reindex(geos).dropna()
            if _GDP in data.panel
            else pd.Series()
        )
        rows.append(
            {
                "Partnership": str(row.name),
                "id": pid,
                "Platform": str(row.platform),
                "Member list": str(row.member_list),
                "Regions": len(geos),
                "With index": len(index),
                "Index median": round(float(index.median()), 1)
                if len(index)
                else np.nan,
                "Index min–max": (
                    f"{index.min():.0f}–{index.max():.0f}" if len(index) else "n/a"
                ),
                "GDP/inh. PPS median": float(gdp.median()) if len(gdp) else np.nan,
            }
        )
    out = pd.DataFrame(rows).sort_values(["Platform", "Partnership"])
    return out.set_index("Partnership")


def platform_pillars(data: ReportData) -> pd.DataFrame:
    """Median pillar score of each partnership's members (partnership × pillar)."""
    rows = {}
    for pid in data.partnerships["partnership_id"].astype(str):
        geos = data.members_of(pid)["geo"].astype(str)
        scores = data.pillars.reindex(geos).dropna(how="all")
        if len(scores):
            rows[pid] = scores.median()
    return pd.DataFrame(rows).T.rename_axis("geo")


def coverage_table(data: ReportData) -> pd.DataFrame:
    """Per catalogue indicator: pillar, dataset, status, regions with a value, flags."""
    info = data.panel.attrs.get("panel", {}).get("indicators", {})
    n = len(data.panel)
    rows = []
    for entry in data.catalogue.itertuples(index=False):
        ind = str(entry.indicator)
        if ind in data.available:
            col = data.panel[ind]
            flags = data.panel[f"{ind}__flag"]
            n_value = int(col.notna().sum())
            n_flag = int((flags.notna() & col.notna()).sum())
            years = info.get(ind, {}).get("years", [])
            rows.append(
                {
                    "Indicator": str(entry.title),
                    "Pillar": str(entry.pillar),
                    "Dataset": str(entry.dataset),
                    "Status": "loaded",
                    "Regions with a value": f"{n_value} of {n} ({n_value / n:.0%})",
                    "Flagged": f"{n_flag / n_value:.0%}" if n_value else "n/a",
                    "Years used": ", ".join(str(y) for y in years) or "n/a",
                }
            )
        else:
            reason = data.unavailable.get(ind, "not loaded")
            rows.append(
                {
                    "Indicator": str(entry.title),
                    "Pillar": str(entry.pillar),
                    "Dataset": str(entry.dataset),
                    "Status": "unavailable: " + _short_reason(reason),
                    "Regions with a value": "–",
                    "Flagged": "–",
                    "Years used": "–",
                }
            )
    return pd.DataFrame(rows).set_index("Indicator")


def _short_reason(reason: str) -> str:
    if "could not download" in reason or "Offline" in reason or "offline" in reason:
        return "not in the local sources and the Eurostat API could not be reached"
    if "matches nothing" in reason:
        return "the local copy of the dataset lacks the unit needed"
    return reason.split(":", 1)[0]


def inequality_table(data: ReportData) -> pd.DataFrame:
    """Inequality across the EU-27 regions of every loaded indicator with a direction.

    Gini, Theil T, coefficient of variation and max/min ratio, unweighted, over
    the regions with a value (``nan_policy="omit"``), from
    :mod:`regiongap.metrics`.
    """
    from regiongap import metrics

    rows = []
    for ind in data.framework["indicator"]:
        values = data.panel[ind].dropna().to_numpy()
        if len(values) < 2 or (values <= 0).any():
            continue
        rows.append(
            {
                "Indicator": data.label(ind),
                "Regions": len(values),
                "Gini": metrics.gini(values),
                "Theil T": metrics.theil(values),
                "Coefficient of variation": metrics.coefficient_of_variation(values),
                "Max/min ratio": metrics.max_min_ratio(values),
            }
        )
    return pd.DataFrame(rows).set_index("Indicator").round(3)


def sources_annex(data: ReportData, indicators: list[str] | None = None) -> Html:
    """Build the "Sources and data quality" annex: datasets, flags, gaps, NUTS codes.

    Parameters
    ----------
    data : ReportData
        The report tables.
    indicators : list of str, optional
        Indicators the report shows (default: every loaded one).

    Returns
    -------
    Html
        Escaped HTML with four parts: datasets with their Eurostat last-update
        date and where they were read; share of flagged (estimated, provisional,
        …) values per indicator; regions without data; codes dropped or not
        matched to NUTS 2021 and values taken from other years.
    """
    shown = [i for i in (indicators or data.available) if i in data.available]
    codes = set(data.datasets(shown))
    out = ["<div class='rg-annex'>"]
    out.append(
        "<h3>Datasets</h3><table><tr><th>Dataset</th><th>Eurostat last update"
        "</th><th>Read from</th></tr>"
    )
    for p in data.provenance:
        if p.get("dataset") not in codes:
            continue
        where = (
            "local mirror" if p.get("source") == "mirror" else (p.get("source") or "")
        )
        out.append(
            f"<tr><td>{escape(p.get('dataset'))}</td>"
            f"<td>{escape((p.get('last_update') or 'not stated')[:10])}</td>"
            f"<td>{escape(where)}</td></tr>"
        )
    out.append(
        "<tr><td>GISCO NUTS 2021 boundaries</td><td>NUTS 2021</td>"
        "<td>GISCO 1:20 million, simplified for display</td></tr></table>"
    )
    out.append(
        "<h3>Flagged values and regions without data</h3><table><tr>"
        "<th>Indicator</th><th>Values flagged</th><th>Regions without data</th>"
        "</tr>"
    )
    for ind in shown:
        col = data.panel[ind]
        flags = data.panel[f"{ind}__flag"]
        n_value = int(col.notna().sum())
        flagged = int((flags.notna() & col.notna()).sum())
        missing = [str(g) for g in data.panel.index[col.isna()]]
        listed = ", ".join(missing[:25]) + (" …" if len(missing) > 25 else "")
        out.append(
            f"<tr><td>{escape(data.label(ind))}</td>"
            f"<td>{flagged} of {n_value} ({flagged / n_value:.0%})</td>"
            f"<td>{len(missing)}{': ' if missing else ''}{escape(listed)}</td></tr>"
            if n_value
            else f"<tr><td>{escape(data.label(ind))}</td><td>no value</td>"
            f"<td>all</td></tr>"
        )
    out.append("</table>")
    out.append("<h3>NUTS versions and years</h3><ul>")
    info = data.panel.attrs.get("panel", {}).get("indicators", {})
    for ind in shown:
        rec = data.recoding.get(ind, {})
        other = rec.get("not_in_index") or []
        n_other_year = info.get(ind, {}).get("n_other_year", 0)
        bits = []
        if other:
            bits.append(
                f"{len(other)} codes not in NUTS 2021 left out "
                f"(e.g. {', '.join(map(str, other[:6]))})"
            )
        if n_other_year:
            bits.append(f"{n_other_year} regions use a value from an earlier year")
        if bits:
            out.append(f"<li>{escape(data.label(ind))}: {escape('; '.join(bits))}</li>")
    out.append(
        "<li>All values are matched to NUTS 2021 regions; codes of other NUTS "
        "versions are not recoded silently but left out and counted above.</li></ul>"
    )
    if data.unavailable:
        out.append("<h3>Indicators not available from the current sources</h3><ul>")
        for ind, reason in sorted(data.unavailable.items()):
            out.append(
                f"<li>{escape(data.label(ind))} ({escape(ind)}): "
                f"{escape(_short_reason(reason))}</li>"
            )
        out.append("</ul>")
    out.append("</div>")
    return Html("".join(out))
