"""Compute the report's shared tables once, from the library's own functions.

:func:`compute_report_data` builds the panel (in the NUTS version asked for, else
the newest the data fit; values of a parent region where a country publishes an
indicator only at a higher level, marked), the index framework
(:func:`regiongap.indicators.framework.index_framework`), the capacity index and
its rank uncertainty, the GDP series and the provenance of every dataset read, and
the registry's members in that version (:func:`report_members`); then the results
the pages show: sigma convergence of the Europe-wide overview and of each
partnership, one members-versus-other-regions bootstrap per partnership with a
complete member list, the inequality of each index indicator, the participation of
each cohesion category, the regions left out of the index and why, the values from
parent regions and who reports at which level (:mod:`regiongap.report.quality`),
the members' infrastructure and resources (:mod:`regiongap.report.infrastructure`)
and the analytics of the partnership pages (:mod:`regiongap.report.analytics`).
The sections only format and draw them.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from regiongap.errors import RegiongapError
from regiongap.geo.versions import recode_nuts
from regiongap.indicators.catalogue import catalogue
from regiongap.indicators.fetch import fetch_indicator
from regiongap.indicators.framework import index_framework
from regiongap.indicators.panel import panel as regional_panel
from regiongap.membership.registry import members as registry_members
from regiongap.membership.registry import partnerships as registry_partnerships
from regiongap.metrics.cohesion import cohesion_category, participation_by_category
from regiongap.metrics.composite.index import capacity_index
from regiongap.metrics.composite.uncertainty import index_uncertainty
from regiongap.metrics.convergence import sigma_convergence
from regiongap.metrics.inequality import (
    coefficient_of_variation,
    gini,
    max_min_ratio,
    theil,
)
from regiongap.metrics.partnerships.comparison import members_vs_nonmembers
from regiongap.report.analytics import add_analytics
from regiongap.report.data import (
    COMPARISON_DRAWS,
    CONVERGENCE_YEARS,
    GDP_EU_INDICATOR,
    GDP_INDICATOR,
    OVERVIEW,
    UNCERTAINTY_RUNS,
    ReportData,
    index_settings,
    jsonable,
)
from regiongap.report.infrastructure import infrastructure_indicators, member_positions
from regiongap.report.quality import coverage_levels, excluded_regions, parent_values
from regiongap.schema import Level, NutsYear, check_nuts_year

__all__ = ["compute_report_data", "report_members"]

#: The version of the registry's codes and of the default maps.
NUTS_2021 = 2021

_SERIES_COLUMNS = ["geo", "time", "value", "flag"]


def _panel(
    level: Level, year: int, nuts_year: NutsYear | None
) -> tuple[pd.DataFrame, list[str]]:
    """Return the EU-27 panel and the warnings raised while building it.

    Values of regions whose country publishes an indicator only at a higher
    level come from the parent region, marked (``fill_from_parent``).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = regional_panel(
            level=level,
            year=year,
            with_names=True,
            with_country=True,
            fill_from_parent=True,
            nuts_year=nuts_year,
        )
    return frame, [str(w.message) for w in caught]


def _in_version(frame: pd.DataFrame, nuts_year: int, index: pd.Index) -> pd.DataFrame:
    """Return the rows of *frame* in the panel's NUTS version (recoded if need be)."""
    keep = frame["geo"].astype(str).isin(index)
    if keep.all() or nuts_year == NUTS_2021:
        return frame[keep]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            recoded = recode_nuts(frame, to_nuts_year=nuts_year)
    except RegiongapError:
        return frame[keep]  # codes of mixed versions: only those that fit
    recoded = recoded[recoded["value"].notna()]
    return recoded[recoded["geo"].astype(str).isin(index)]


def _indicator_records(
    available: list[str], level: Level, year: int, panel: pd.DataFrame
) -> tuple[list[dict[str, Any]], dict[str, Any], pd.DataFrame]:
    """Return the provenance, recoding notes and GDP series of the indicators read."""
    info = panel.attrs.get("panel", {})
    provenance: list[dict[str, Any]] = []
    recoding: dict[str, Any] = {}
    years = range(year - CONVERGENCE_YEARS + 1, year + 1)
    gdp_series = pd.DataFrame(columns=_SERIES_COLUMNS)
    for indicator in available:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            frame = fetch_indicator(
                indicator,
                level=level,
                years=years if indicator == GDP_INDICATOR else None,
            )
        for record in frame.attrs.get("provenance", []):
            clean = {k: (None if v is None else str(v)) for k, v in record.items()}
            if clean not in provenance:
                provenance.append(clean)
        recoding[indicator] = {
            "dropped": jsonable(frame.attrs.get("dropped")),
            "not_in_index": info.get("indicators", {})
            .get(indicator, {})
            .get("not_in_index", []),
        }
        if indicator == GDP_INDICATOR:
            nuts_year = int(info.get("nuts_year") or NUTS_2021)
            frame = _in_version(frame[_SERIES_COLUMNS], nuts_year, panel.index)
            gdp_series = frame[_SERIES_COLUMNS].copy()
            gdp_series["geo"] = gdp_series["geo"].astype(str)
    return provenance, recoding, gdp_series.reset_index(drop=True)


def report_members(
    level: Level, nuts_year: int, index: pd.Index
) -> tuple[pd.DataFrame, list[str]]:
    """Return the registry's members at *level*, in NUTS *nuts_year*, within *index*.

    The registry lists NUTS 2021 regions; in another version each member becomes
    its official successor(s) (:func:`regiongap.members` with ``nuts_year``:
    Alentejo ``PT18`` → ``PT1C``, a boundary shift; Lisbon ``PT17`` → ``PT1A`` and
    ``PT1B``, a split), with what changed in ``nuts_change`` and ``nuts_note``.

    Parameters
    ----------
    level : {0, 1, 2, 3}
        NUTS level.
    nuts_year : int
        The report's NUTS version.
    index : pandas.Index
        The panel's regions (members outside it are left out).

    Returns
    -------
    members : pandas.DataFrame
        :func:`regiongap.members` columns, with ``nuts_change`` and ``nuts_note``.
    messages : list of str
        The warnings raised on the way (listed members no region of the version
        holds, such as the United Kingdom's in NUTS 2024), for the report's notes.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        members = registry_members(level=level, nuts_year=check_nuts_year(nuts_year))
    members = members[members["geo"].astype(str).isin(index)]
    return members.reset_index(drop=True), [str(w.message) for w in caught]


def _categories(index: pd.Index, level: Level) -> pd.DataFrame:
    """Return the cohesion-policy category of each region (2015–2017), or nothing."""
    empty = pd.DataFrame(
        {"category": pd.Series(dtype="string")}, index=pd.Index([], name="geo")
    )
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            gdp = fetch_indicator(
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


def _sigma(data: ReportData, groups: pd.Series, view: str) -> pd.DataFrame:
    sigma = sigma_convergence(data.gdp_series, groups=groups, measure="cv")
    sigma["group"] = sigma["group"].astype(str).replace({"all": "All EU-27 regions"})
    sigma.insert(0, "view", view)
    sigma.attrs = {}
    return sigma


def _convergence(data: ReportData) -> pd.DataFrame:
    """Return sigma convergence of the overview and of each partnership with members."""
    if data.gdp_series.empty:
        return pd.DataFrame(columns=["view", "time", "group", "n", "dispersion"])
    inside = set(data.in_any())
    overview = pd.Series(
        [
            "In a partnership" if g in inside else "Not in any partnership"
            for g in data.panel.index
        ],
        index=data.panel.index,
    )
    parts = [_sigma(data, overview, OVERVIEW)]
    for pid in data.partnerships["partnership_id"].astype(str):
        if not data.members_of(pid).empty:
            parts.append(_sigma(data, data.groups(pid), pid))
    return pd.concat(parts, ignore_index=True)


def _comparisons(data: ReportData) -> pd.DataFrame:
    """Return members against other regions, per complete partnership with members."""
    index = data.scores["index"].dropna()
    rows = []
    complete = data.partnerships[data.partnerships["member_list"] == "complete"]
    for pid in complete["partnership_id"].astype(str):
        if data.members_of(pid).empty:
            continue
        result = members_vs_nonmembers(index, pid, n_boot=COMPARISON_DRAWS, seed=0)
        rows.append(result.to_frame())
    if not rows:
        return pd.DataFrame(columns=["partnership", "member_list"])
    return pd.concat(rows, ignore_index=True)


def _inequality(data: ReportData) -> pd.DataFrame:
    """Return the inequality of every index indicator over the regions with a value."""
    rows = []
    for ind in data.framework["indicator"]:
        values = data.panel[ind].dropna().to_numpy()
        if len(values) < 2 or (values <= 0).any():
            continue
        rows.append(
            {
                "indicator": ind,
                "n_regions": len(values),
                "gini": gini(values),
                "theil": theil(values),
                "cv": coefficient_of_variation(values),
                "max_min_ratio": max_min_ratio(values),
            }
        )
    columns = ["indicator", "n_regions", "gini", "theil", "cv", "max_min_ratio"]
    return pd.DataFrame(rows, columns=columns).set_index("indicator")


def _participation(data: ReportData) -> pd.DataFrame:
    """Return the regions of each cohesion category in at least one partnership."""
    if data.categories.empty:
        return pd.DataFrame(columns=["category", "n_regions", "n_members", "share"])
    # every partnership counts towards "any" (partnerships=[] counted none: the
    # page said no region of any category was in a partnership)
    table = participation_by_category(
        data.categories["category"], data.members[["geo", "partnership_id"]]
    )
    table = table[table["partnership"] == "any"].drop(columns="partnership")
    table.attrs = {}
    return table.reset_index(drop=True)


def _with_results(data: ReportData, framework: pd.DataFrame) -> ReportData:
    """Add the results the pages show to *data* (each computed once, here)."""
    data.convergence = _convergence(data)
    data.comparisons = _comparisons(data)
    data.inequality = _inequality(data)
    data.participation = _participation(data)
    data.excluded = excluded_regions(
        data.scores, data.names, framework.attrs.get("left_out_regions")
    )
    shown = infrastructure_indicators(data.catalogue, data.panel)
    no_value = [
        i
        for i in infrastructure_indicators(data.catalogue, data.panel, with_value=False)
        if i not in shown
    ]
    data.infrastructure = member_positions(
        data.panel, data.catalogue, data.members, shown, data.level
    )
    data.parent_values = parent_values(data.panel, data.available)
    data.coverage_levels = coverage_levels(
        data.panel, list(dict.fromkeys([*framework["indicator"], *shown])), data.level
    )
    add_analytics(data)
    data.analytics["infrastructure_without_value"] = no_value
    return data


def compute_report_data(
    year: int, level: Level, *, nuts_year: NutsYear | None = None
) -> ReportData:
    """Compute every table a report shows for *year* and NUTS *level*.

    Parameters
    ----------
    year : int
        Reference year.
    level : {0, 1, 2, 3}
        NUTS level of the regions.
    nuts_year : {2013, 2016, 2021, 2024}, optional
        NUTS version (default: the newest the data fit, as :func:`regiongap.panel`
        chooses it).

    Returns
    -------
    ReportData
        Panel, index, ranks, GDP series, registry, provenance and the results
        the pages show.

    Raises
    ------
    RegiongapError
        If no indicator with a direction can be loaded (no index possible).
    """
    table = catalogue()
    panel, messages = _panel(level, year, nuts_year)
    info = panel.attrs.get("panel", {})
    available = [i for i in table["indicator"] if i in panel.columns]
    unavailable = {str(k): str(v) for k, v in info.get("unavailable", {}).items()}
    framework, left_out = index_framework(panel)
    if framework.empty:
        msg = (
            "no indicator with a direction could be loaded, so no index can be "
            f"built; unavailable: {sorted(unavailable)}"
        )
        raise RegiongapError(msg)
    settings = index_settings()
    index = capacity_index(panel, framework, settings)
    ranks = index_uncertainty(
        panel, framework, settings, n_runs=UNCERTAINTY_RUNS, seed=0
    )
    provenance, recoding, gdp_series = _indicator_records(available, level, year, panel)
    chosen = int(info.get("nuts_year") or NUTS_2021)
    members, member_messages = report_members(level, chosen, panel.index)
    data = ReportData(
        year=year,
        level=level,
        panel=panel,
        catalogue=table,
        available=available,
        unavailable=unavailable,
        warnings=messages,
        scores=index.scores,
        pillars=index.pillars,
        ranks=ranks,
        framework=framework,
        gdp_series=gdp_series,
        partnerships=registry_partnerships(),
        members=members,
        member_notes=member_messages,
        provenance=provenance,
        recoding=recoding,
        left_out=left_out,
        categories=_categories(panel.index, level),
        nuts_year=chosen,
        nuts_year_reason=str(info.get("nuts_year_reason") or ""),
    )
    return _with_results(data, framework)
