"""Compute the report's shared tables once, from the library's own functions.

:func:`compute_report_data` builds the panel, the index framework
(:func:`regiongap.indicators.framework.index_framework`), the capacity index and
its rank uncertainty, the GDP series and the provenance of every dataset read; then
the results the pages show: sigma convergence of the Europe-wide overview and of
each partnership, one members-versus-other-regions bootstrap per partnership with
a complete member list, the inequality of each index indicator and the
participation of each cohesion category. The sections only format and draw them.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from regiongap.errors import RegiongapError
from regiongap.indicators.catalogue import catalogue
from regiongap.indicators.fetch import fetch_indicator
from regiongap.indicators.framework import index_framework
from regiongap.indicators.panel import panel as regional_panel
from regiongap.membership.registry import members as registry_members
from regiongap.membership.registry import partnerships as registry_partnerships
from regiongap.metrics.cohesion import cohesion_category, participation_by_category
from regiongap.metrics.composite.index import capacity_index
from regiongap.metrics.composite.settings import IndexSettings
from regiongap.metrics.composite.uncertainty import index_uncertainty
from regiongap.metrics.convergence import sigma_convergence
from regiongap.metrics.inequality import (
    coefficient_of_variation,
    gini,
    max_min_ratio,
    theil,
)
from regiongap.metrics.partnerships.comparison import members_vs_nonmembers
from regiongap.report.data import (
    COMPARISON_DRAWS,
    CONVERGENCE_YEARS,
    GDP_EU_INDICATOR,
    GDP_INDICATOR,
    MIN_COVERAGE,
    OVERVIEW,
    UNCERTAINTY_RUNS,
    ReportData,
)
from regiongap.schema import Level

__all__ = ["Json", "compute_report_data", "jsonable"]

_SERIES_COLUMNS = ["geo", "time", "value", "flag"]

#: A value of plain JSON types.
Json = dict[str, "Json"] | list["Json"] | str | int | float | bool | None


def jsonable(value: object) -> Json:
    """Return *value* as plain JSON types (frames as records, other objects as str).

    Parameters
    ----------
    value : object
        A provenance or recoding record.

    Returns
    -------
    object
        Dicts, lists, numbers, strings and None only.

    Examples
    --------
    >>> import pandas as pd
    >>> jsonable({"dropped": pd.DataFrame({"geo": ["EL30"]}), "n": (1, 2)})
    {'dropped': [{'geo': 'EL30'}], 'n': [1, 2]}
    """
    if value is None:
        return None
    if isinstance(value, pd.DataFrame):
        records = value.astype(str).to_dict(orient="records")
        return [{str(k): str(v) for k, v in row.items()} for row in records]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _panel(level: Level, year: int) -> tuple[pd.DataFrame, list[str]]:
    """Return the EU-27 panel and the warnings raised while building it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = regional_panel(
            level=level, year=year, with_names=True, with_country=True
        )
    return frame, [str(w.message) for w in caught]


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
            keep = frame["geo"].astype(str).isin(panel.index)
            gdp_series = frame.loc[keep, _SERIES_COLUMNS].copy()
            gdp_series["geo"] = gdp_series["geo"].astype(str)
    return provenance, recoding, gdp_series.reset_index(drop=True)


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


def compute_report_data(year: int, level: Level) -> ReportData:
    """Compute every table a report shows for *year* and NUTS *level*.

    Parameters
    ----------
    year : int
        Reference year.
    level : {0, 1, 2, 3}
        NUTS level of the regions.

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
    panel, messages = _panel(level, year)
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
    settings = IndexSettings(imputation="pillar_mean", min_coverage=MIN_COVERAGE)
    index = capacity_index(panel, framework, settings)
    ranks = index_uncertainty(
        panel, framework, settings, n_runs=UNCERTAINTY_RUNS, seed=0
    )
    provenance, recoding, gdp_series = _indicator_records(available, level, year, panel)
    members = registry_members(level=level)
    members = members[members["geo"].astype(str).isin(panel.index)]
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
        members=members.reset_index(drop=True),
        provenance=provenance,
        recoding=recoding,
        left_out=left_out,
        categories=_categories(panel.index, level),
    )
    data.convergence = _convergence(data)
    data.comparisons = _comparisons(data)
    data.inequality = _inequality(data)
    data.participation = _participation(data)
    return data
