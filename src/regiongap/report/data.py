"""The shared tables behind the notebooks and reports: what a report shows.

Every notebook starts with ``data = load_report_data(year)``
(:mod:`regiongap.report.store`), which returns a :class:`ReportData`: the regional
panel, the capacity index with its rank uncertainty, GDP over time, the
partnership registry, and the results the pages show — convergence, members
against other regions, inequality, participation, the members' infrastructure and
resources, the regions left out of the index, spatial clusters, mobility, rank
sensitivity and matchmaking — each computed once per build by
:mod:`regiongap.report.compute`, in one NUTS version (:attr:`ReportData.nuts_year`).
The NUTS shapes of that version are read on first use.

The index shown in the reports uses the framework of
:func:`regiongap.indicators.framework.index_framework` (every catalogue indicator
with a direction that enough regions have), with min–max normalisation, arithmetic
aggregation, pillar-mean imputation and a minimum coverage of :data:`MIN_COVERAGE`;
rank bands come from :data:`UNCERTAINTY_RUNS` seeded Monte Carlo runs.

:mod:`regiongap.report.sections` turns those tables into what a notebook
displays, so that no notebook carries its own logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap.errors import MembershipError
from regiongap.metrics.composite.settings import IndexSettings
from regiongap.schema import Level
from regiongap.viz.style import source_note

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd

__all__ = [
    "COMPARISON_DRAWS",
    "CONVERGENCE_YEARS",
    "GDP_EU_INDICATOR",
    "GDP_INDICATOR",
    "MIN_COVERAGE",
    "OVERVIEW",
    "SENSITIVITY_BASE",
    "UNCERTAINTY_RUNS",
    "Json",
    "ReportData",
    "index_settings",
    "jsonable",
]

#: Share of framework indicators a region needs to get an index value.
MIN_COVERAGE = 0.6
#: Monte Carlo runs of the rank-uncertainty analysis.
UNCERTAINTY_RUNS = 300
#: Base sample of the Sobol rank-sensitivity analysis (N (G + 2) index runs).
SENSITIVITY_BASE = 128
#: Bootstrap draws of each members-versus-other-regions comparison.
COMPARISON_DRAWS = 2000
#: Years of GDP per inhabitant used for convergence (ending at the report year).
CONVERGENCE_YEARS = 11
#: GDP per inhabitant in PPS: maps, distributions and convergence use it.
GDP_INDICATOR = "gdp_pps_per_inhabitant"
#: GDP per inhabitant in PPS, % of EU-27: cohesion-policy categories use it.
GDP_EU_INDICATOR = "gdp_pps_per_inhabitant_index"
#: The ``view`` of the convergence rows of the Europe-wide overview (the other
#: rows have a partnership id).
OVERVIEW = "overview"


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


def index_settings() -> IndexSettings:
    """Return the settings of the reports' capacity index (and its variants).

    Returns
    -------
    IndexSettings
        Min–max normalisation, arithmetic aggregation, pillar-mean imputation
        and a minimum coverage of :data:`MIN_COVERAGE`.

    Examples
    --------
    >>> index_settings().imputation, index_settings().min_coverage
    ('pillar_mean', 0.6)
    """
    return IndexSettings(imputation="pillar_mean", min_coverage=MIN_COVERAGE)


@dataclass
class ReportData:
    """Everything a report shows, for one NUTS level and reference year.

    Attributes
    ----------
    year : int
        Reference year (a data year).
    level : int
        NUTS level of the regions.
    panel : pandas.DataFrame
        :func:`regiongap.panel` for the EU-27 regions, with ``region_name`` and
        ``country``.
    catalogue : pandas.DataFrame
        :func:`regiongap.catalogue`.
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
    convergence : pandas.DataFrame
        Sigma convergence (coefficient of variation) of GDP per inhabitant:
        ``view`` (:data:`OVERVIEW`, or a partnership id), ``group``, ``time``,
        ``n``, ``dispersion``.
    comparisons : pandas.DataFrame
        Members against all other regions on the index, one row per
        partnership with a complete member list and members
        (:meth:`MembersComparison.to_frame
        <regiongap.metrics.partnerships.comparison.MembersComparison.to_frame>`
        columns, :data:`COMPARISON_DRAWS` bootstrap draws).
    inequality : pandas.DataFrame
        Gini, Theil T, coefficient of variation and max/min ratio of every index
        indicator, index ``indicator``.
    participation : pandas.DataFrame
        Regions of each cohesion category in at least one partnership:
        ``category, n_regions, n_members, share``.
    nuts_year : int
        The NUTS version the panel, the members and the maps use.
    nuts_year_reason : str
        Why that version (one sentence, shown on the pages).
    excluded : pandas.DataFrame
        Regions without an index value and why: ``region_name, reason``, index
        ``geo``.
    infrastructure : pandas.DataFrame
        Each member's position on each infrastructure and resource indicator
        (:func:`regiongap.report.infrastructure.member_positions`).
    parent_values : pandas.DataFrame
        Values taken from a parent region: ``indicator, geo, value, year,
        source_level``.
    coverage_levels : pandas.DataFrame
        Per indicator and country, the level it is reported at
        (:func:`regiongap.coverage` with ``by="country"``).
    clusters : pandas.DataFrame
        LISA cluster of every region's capacity index (``cluster`` HH, LL, HL,
        LH or "not significant", ``p_fdr``, …), index ``geo``.
    mobility : pandas.DataFrame
        Rank mobility of GDP per inhabitant, members against other regions,
        per partnership (``partnership, group, …``).
    sensitivity : pandas.DataFrame
        Sobol indices of each region's rank (``geo, assumption, first_order,
        total_order``).
    mentors, collective, complementary : pandas.DataFrame
        Per partnership: mentor pairs, the collective pillar profile and the
        complementary candidates (``partnership`` column first).
    analytics : dict
        What the tables above need said: Moran's I, the island policy of the
        weights, model runs, convergence, left-out regions.
    member_notes : list of str
        What following the registry's members to :attr:`nuts_year` left out
        (a listed region no region of the version holds).
    panel_info : dict
        What :func:`regiongap.panel` says about the panel (its
        ``attrs["panel"]``: sources, window, recoding per indicator). It is
        moved here from the panel's ``attrs``, which pandas deep-copies on
        every operation.
    """

    year: int
    level: Level
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
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparisons: pd.DataFrame = field(default_factory=pd.DataFrame)
    inequality: pd.DataFrame = field(default_factory=pd.DataFrame)
    participation: pd.DataFrame = field(default_factory=pd.DataFrame)
    nuts_year: int = 2021
    nuts_year_reason: str = ""
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)
    infrastructure: pd.DataFrame = field(default_factory=pd.DataFrame)
    parent_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage_levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    clusters: pd.DataFrame = field(default_factory=pd.DataFrame)
    mobility: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    mentors: pd.DataFrame = field(default_factory=pd.DataFrame)
    collective: pd.DataFrame = field(default_factory=pd.DataFrame)
    complementary: pd.DataFrame = field(default_factory=pd.DataFrame)
    analytics: dict[str, Any] = field(default_factory=dict)
    member_notes: list[str] = field(default_factory=list)
    panel_info: dict[str, Any] = field(default_factory=dict)
    _shapes: gpd.GeoDataFrame | None = None

    def __post_init__(self) -> None:
        """Move the panel's description out of its ``attrs`` (see ``panel_info``)."""
        if self.panel.attrs:
            self.panel_info = self.panel_info or dict(self.panel.attrs.get("panel", {}))
            self.panel = self.panel.copy(deep=False)
            self.panel.attrs = {}

    # -- lookups -----------------------------------------------------------
    @property
    def shapes(self) -> gpd.GeoDataFrame:
        """NUTS shapes of the level in the report's version (read on first use)."""
        if self._shapes is None:
            from regiongap.load.boundaries import nuts_regions

            self._shapes = nuts_regions(level=self.level, nuts_year=self.nuts_year)
        return self._shapes

    @property
    def geography(self) -> str:
        """The boundaries the maps draw, for source notes: "GISCO NUTS 2024"."""
        return f"GISCO NUTS {self.nuts_year}"

    @property
    def names(self) -> dict[str, str]:
        """Region name by ``geo``."""
        return {str(k): str(v) for k, v in self.panel["region_name"].dropna().items()}

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
        """Return the datasets behind *indicators* (default: all available).

        The datasets the panel read (a fallback such as a ``tgs`` summary table
        when the full dataset was not available, and the denominators of
        derived indicators), else the catalogue's.
        """
        wanted = self.available if indicators is None else indicators
        info = self.panel_info.get("indicators", {})
        found: set[str] = set()
        for ind in wanted:
            used = info.get(ind, {})
            source = used.get("source") or used.get("dataset_used")
            if source:
                found.update(part.strip() for part in str(source).split("/"))
                continue
            rows = self.catalogue.loc[self.catalogue["indicator"] == ind, "dataset"]
            found.update(str(d) for d in rows.dropna())
        return sorted(d for d in found if d)

    def source(self, *indicators: str, geography: bool = True) -> str:
        """Return the source note for figures of *indicators* (default: all)."""
        codes = set(self.datasets(list(indicators) if indicators else None))
        records = [p for p in self.provenance if p.get("dataset") in codes]
        return source_note(records, geography=self.geography if geography else None)

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
        """Return the member regions of a partnership at the report level, once each."""
        self.partnership(partnership_id)
        rows = self.members[self.members["partnership_id"] == partnership_id]
        return rows.drop_duplicates("geo").reset_index(drop=True)

    def in_any(self) -> list[str]:
        """Return the regions listed in at least one partnership, sorted."""
        return sorted(set(self.members["geo"].astype(str)))

    def leads(self, partnership_id: str) -> list[str]:
        """Return the ``geo`` of the lead and co-lead regions, in registry order."""
        rows = self.members_of(partnership_id)
        roles = rows["role"].astype(str)
        return rows.loc[roles.isin(["lead", "co-lead"]), "geo"].astype(str).tolist()

    def leader(self, partnership_id: str) -> str | None:
        """Return the lead or co-lead region with the highest index, if any.

        The same leader as :func:`regiongap.metrics.partnerships.gaps.
        partnership_gaps`: the best-scoring of the partnership's leads.
        """
        leads = self.leads(partnership_id)
        if not leads:
            return None
        index = self.scores["index"].reindex(leads)
        return str(index.idxmax()) if index.notna().any() else leads[0]

    def groups(self, partnership_id: str) -> pd.Series:
        """Return ``"Members"`` / ``"Other regions"`` for every region of the panel."""
        members = set(self.members_of(partnership_id)["geo"].astype(str))
        labels = [
            "Members" if g in members else "Other regions" for g in self.panel.index
        ]
        return pd.Series(labels, index=self.panel.index, name="group")

    def member_values(self, partnership_id: str) -> pd.DataFrame:
        """Return the index, role and names of the members (NaN where missing)."""
        rows = self.members_of(partnership_id)
        geos = pd.Index(rows["geo"].astype(str), name="geo")
        out = pd.DataFrame(index=geos)
        out["region_name"] = [self.names.get(g, g) for g in geos]
        out["role"] = rows["role"].astype(str).to_numpy()
        out["index"] = self.scores["index"].reindex(geos).to_numpy()
        out.attrs["provenance"] = [
            p for p in self.provenance if p.get("dataset") in set(self.datasets())
        ]
        return out

    def convergence_of(self, view: str) -> pd.DataFrame:
        """Return the convergence rows of one view (:data:`OVERVIEW` or an id)."""
        if self.convergence.empty:
            return self.convergence
        rows = self.convergence[self.convergence["view"] == view]
        return rows.drop(columns="view").reset_index(drop=True)

    def of_partnership(self, table: str, partnership_id: str) -> pd.DataFrame:
        """Return the rows of one partnership from a per-partnership table.

        *table* is the name of a field with a ``partnership`` column
        (``infrastructure``, ``mobility``, ``mentors``, ``collective``,
        ``complementary``); an empty frame when there are none.
        """
        frame: pd.DataFrame = getattr(self, table)
        if frame.empty or "partnership" not in frame.columns:
            return frame.iloc[0:0]
        rows = frame[frame["partnership"].astype(str) == partnership_id]
        return rows.reset_index(drop=True)

    def comparison_of(self, partnership_id: str) -> pd.DataFrame:
        """Return the members-versus-others row of a partnership (empty if none)."""
        if self.comparisons.empty:
            return self.comparisons
        rows = self.comparisons[self.comparisons["partnership"] == partnership_id]
        return rows.reset_index(drop=True)
