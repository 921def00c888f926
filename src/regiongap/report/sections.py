"""What the report notebooks display: tables, figures, headers and the annex.

Notebooks only call these: :class:`Overview` (the Europe-wide pages) and
:class:`Profile` (one partnership) return plotly figures, tables, or a short note
when there is nothing to draw (e.g. a partnership without listed members), and
:func:`sources_annex` closes every page. They only format and draw: every number
comes from the shared tables of :class:`~regiongap.report.data.ReportData`
(computed once by :mod:`regiongap.report.compute`). All text taken from data
(region and partnership names, reasons) is HTML-escaped. The tables and HTML
blocks the pages show are built in :mod:`regiongap.report.tables` and importable
from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from regiongap.report.data import (
    GDP_INDICATOR,
    OVERVIEW,
    UNCERTAINTY_RUNS,
    ReportData,
)
from regiongap.report.tables import (
    Html,
    comparison_table,
    coverage_table,
    inequality_table,
    members_table,
    participation_table,
    partnership_comparison,
    partnership_header,
    partnership_table,
    platform_pillars,
    sources_annex,
)
from regiongap.viz.charts.convergence import convergence_chart
from regiongap.viz.charts.distribution import distribution_chart
from regiongap.viz.charts.gaps import gap_chart
from regiongap.viz.charts.heatmap import pillar_heatmap
from regiongap.viz.charts.ranks import rank_chart
from regiongap.viz.maps import Classification, choropleth, partnership_map
from regiongap.viz.style import escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = [
    "Html",
    "Overview",
    "Profile",
    "coverage_table",
    "inequality_table",
    "members_table",
    "partnership_header",
    "partnership_table",
    "platform_pillars",
    "sources_annex",
]

_INDEX_LABEL = "Capacity index (0–100)"
_IN_ANY = "In at least one partnership"


def _note(text: str) -> Html:
    return Html(f"<p class='rg-note'>{escape(text)}</p>")


def _pillar_labels(table: pd.DataFrame) -> dict[str, str]:
    return {p: p.replace("_", " ").capitalize() for p in table.columns}


class Overview:
    """The figures and tables of the Europe-wide overview notebooks.

    Parameters
    ----------
    data : ReportData
        The report tables.
    """

    def __init__(self, data: ReportData) -> None:
        self.data = data

    def _index_source(self, *, geography: bool = True) -> str:
        d = self.data
        return d.source(*d.framework["indicator"], geography=geography)

    def coverage(self) -> pd.DataFrame:
        """Catalogue indicators with load status, regions with a value and flags."""
        return coverage_table(self.data)

    def inequality(self) -> pd.DataFrame:
        """Gini, Theil, CV and max/min of every index indicator."""
        return inequality_table(self.data)

    def partnerships(self) -> pd.DataFrame:
        """All partnerships side by side."""
        return partnership_table(self.data)

    def annex(self) -> Html:
        """Return the sources and data-quality annex."""
        return sources_annex(self.data)

    def coverage_map(self) -> go.Figure:
        """Map of the share of index indicators each region has."""
        d = self.data
        return choropleth(
            d.scores.assign(coverage_pct=d.scores["coverage"] * 100),
            d.shapes,
            "coverage_pct",
            classification="user",
            bins=[59.9, 79.9, 99.9, 100.0],
            label="Index indicators with a value",
            unit="%",
            title="How complete is the data for each region?",
            subtitle=f"Share of the {len(d.framework)} index indicators with a value, "
            f"NUTS {d.level}, {d.year}",
            source=self._index_source(),
        )

    def indicator_map(
        self,
        indicator: str = GDP_INDICATOR,
        classification: Classification = "quantiles",
    ) -> go.Figure | Html:
        """Map one indicator over the EU-27 regions, partnership regions outlined."""
        d = self.data
        if indicator not in d.available:
            return _note(
                f"{d.label(indicator)} is not available from the current sources."
            )
        return choropleth(
            d.panel,
            d.shapes,
            indicator,
            classification=classification,
            k=5,
            highlight=d.in_any(),
            highlight_label=_IN_ANY,
            label=d.label(indicator),
            unit=d.unit(indicator),
            title=d.label(indicator),
            subtitle=f"NUTS {d.level} regions, {d.year} (latest year within "
            f"{d.panel.attrs.get('panel', {}).get('window', 3)} years), quintiles",
            source=d.source(indicator),
        )

    def index_map(self) -> go.Figure:
        """Map of the capacity index (Fisher–Jenks classes)."""
        d = self.data
        return choropleth(
            d.scores,
            d.shapes,
            "index",
            classification="fisher_jenks",
            k=5,
            highlight=d.in_any(),
            highlight_label=_IN_ANY,
            label=_INDEX_LABEL,
            title="Capacity index",
            subtitle=f"{len(d.framework)} indicators in "
            f"{d.framework['pillar'].nunique()} pillars, NUTS {d.level}, {d.year}; "
            "natural breaks (Fisher–Jenks)",
            source=self._index_source(),
        )

    def convergence(self) -> go.Figure | Html:
        """Dispersion of GDP per inhabitant over time: partnership regions vs rest."""
        d = self.data
        if d.gdp_series.empty:
            return _note("GDP per inhabitant over time is not available.")
        return convergence_chart(
            d.convergence_of(OVERVIEW),
            value="dispersion",
            label="Coefficient of variation",
            title="Are regions converging? GDP per inhabitant (PPS)",
            subtitle="Coefficient of variation across NUTS "
            f"{d.level} regions observed in every year (lower = more equal)",
            source=d.source(GDP_INDICATOR),
        )

    def distribution(self) -> go.Figure:
        """Distribution of the capacity index, regions in partnerships marked."""
        d = self.data
        frame = d.scores[["index"]].join(d.panel[["region_name"]])
        return distribution_chart(
            frame,
            "index",
            highlight=d.in_any(),
            highlight_label=_IN_ANY,
            label=_INDEX_LABEL,
            title="Capacity index across all regions",
            source=self._index_source(geography=False),
        )

    def ranks(self) -> go.Figure:
        """Median rank and 5–95 % band of every region."""
        d = self.data
        return rank_chart(
            d.ranks,
            highlight=d.in_any(),
            highlight_label=_IN_ANY,
            names=d.names,
            title="How robust is each region's rank?",
            subtitle=f"Median rank and 5–95 % band over {UNCERTAINTY_RUNS} variants of "
            "normalisation, aggregation and weights",
            source=self._index_source(geography=False),
        )

    def pillar_heatmap(self) -> go.Figure | Html:
        """Median pillar score of each partnership's members."""
        d = self.data
        table = platform_pillars(d)
        if table.empty:
            return _note("No partnership has member regions with pillar scores.")
        names = dict(
            zip(d.partnerships["partnership_id"], d.partnerships["name"], strict=True)
        )
        short = {k: (v if len(v) <= 48 else v[:46] + "…") for k, v in names.items()}
        return pillar_heatmap(
            table,
            names=short,
            labels=_pillar_labels(table),
            title="Pillar profile of each partnership",
            subtitle="Median pillar score (0–100) of the member regions listed",
            source=self._index_source(geography=False),
        )

    def participation(self) -> pd.DataFrame | Html:
        """Share of regions of each cohesion category that are in partnerships."""
        if self.data.categories.empty:
            return _note("Cohesion-policy categories could not be computed.")
        return participation_table(self.data)

    def comparison(self) -> pd.DataFrame | Html:
        """Members vs non-members on the index, for complete member lists."""
        table = comparison_table(self.data)
        if table.empty:
            return _note("No partnership has a complete member list.")
        return table


class Profile:
    """The figures and tables of one partnership profile.

    Every method returns a plotly figure, a table or a short note (an
    :class:`Html` string) when there is nothing to draw, e.g. for a partnership
    without listed member regions.

    Parameters
    ----------
    data : ReportData
        The report tables.
    partnership : str
        Partnership id.

    Raises
    ------
    MembershipError
        For an unknown id.
    """

    def __init__(self, data: ReportData, partnership: str) -> None:
        self.data = data
        self.id = partnership
        self.row = data.partnership(partnership)
        self.members = data.members_of(partnership)
        self.geos = self.members["geo"].astype(str).tolist()
        self._notes = 0

    @property
    def has_members(self) -> bool:
        """Whether the registry lists member regions at the report level."""
        return bool(self.geos)

    def _none(self) -> Html:
        self._notes += 1
        if self._notes > 1:  # said once in full; later sections stay short
            return _note("Nothing to show: no member regions listed.")
        return _note(
            "The registry lists no member regions for this partnership, so there is "
            "nothing to compare here. See the partnership's sources for its members."
        )

    def _index_source(self, *, geography: bool = True) -> str:
        d = self.data
        return d.source(*d.framework["indicator"], geography=geography)

    def header(self) -> Html:
        """Title block (escaped)."""
        return partnership_header(self.data, self.id)

    def member_map(self) -> go.Figure | Html:
        """Map of the member regions by role."""
        if not self.has_members:
            return self._none()
        return partnership_map(
            self.members,
            self.data.shapes,
            title="Member regions",
            subtitle=f"NUTS {self.data.level} regions by role; countries or NUTS 1 "
            "regions listed as members are shown through their NUTS 2 regions",
            source="Source: partnership registry (see annex); GISCO NUTS 2021",
        )

    def index_map(self) -> go.Figure | Html:
        """Capacity index map with the members outlined."""
        d = self.data
        if not self.has_members:
            return self._none()
        return choropleth(
            d.scores,
            d.shapes,
            "index",
            classification="quantiles",
            highlight=self.geos,
            label=_INDEX_LABEL,
            title="Capacity index, members outlined",
            subtitle=f"NUTS {d.level} regions, {d.year}; quintiles",
            source=self._index_source(),
        )

    def gaps(self) -> go.Figure | Html:
        """Each member's index against the partnership median, EU-27 median, leader."""
        d = self.data
        if not self.has_members:
            return self._none()
        return gap_chart(
            d.member_values(self.id),
            "index",
            eu_median=float(d.scores["index"].median()),
            leader=d.leader(self.id),
            label=_INDEX_LABEL,
            title="Where each member stands",
            subtitle="Capacity index of each member (★ = lead region) against the "
            "partnership median, the EU-27 median and the lead region",
            source=self._index_source(geography=False),
        )

    def pillars(self) -> go.Figure | Html:
        """Members × pillar scores."""
        d = self.data
        if not self.has_members:
            return self._none()
        table = d.pillars.reindex(self.geos)
        return pillar_heatmap(
            table,
            names=d.names,
            labels=_pillar_labels(table),
            title="Strengths and gaps by pillar",
            subtitle="Pillar scores 0–100 (min–max over all EU-27 regions); blank = "
            "region not in the index",
            source=self._index_source(geography=False),
        )

    def distribution(self, indicator: str = GDP_INDICATOR) -> go.Figure | Html:
        """Where the members sit among all EU-27 regions on one indicator."""
        d = self.data
        if not self.has_members:
            return self._none()
        if indicator not in d.available:
            return _note(
                f"{d.label(indicator)} is not available from the current sources."
            )
        return distribution_chart(
            d.panel,
            indicator,
            highlight=self.geos,
            label=d.unit(indicator) or d.label(indicator),
            title=f"{d.label(indicator)}: members among all EU-27 regions",
            source=d.source(indicator, geography=False),
        )

    def convergence(self) -> go.Figure | Html:
        """Dispersion of GDP per inhabitant over time, members vs other regions."""
        d = self.data
        if not self.has_members:
            return self._none()
        if d.gdp_series.empty:
            return _note("GDP per inhabitant over time is not available.")
        return convergence_chart(
            d.convergence_of(self.id),
            value="dispersion",
            label="Coefficient of variation",
            title="Is the gap inside the partnership closing?",
            subtitle="Coefficient of variation of GDP per inhabitant (PPS), regions "
            "observed in every year",
            source=d.source(GDP_INDICATOR, geography=False),
        )

    def ranks(self) -> go.Figure | Html:
        """Rank bands of all regions with the members marked."""
        d = self.data
        if not self.has_members:
            return self._none()
        return rank_chart(
            d.ranks,
            highlight=self.geos,
            names=d.names,
            title="How certain are the members' ranks?",
            subtitle=f"Median rank and 5–95 % band over {UNCERTAINTY_RUNS} "
            "index variants",
            source=self._index_source(geography=False),
        )

    def table(self) -> pd.DataFrame | Html:
        """Members with role, how they were listed, index, rank band and GDP."""
        if not self.has_members:
            return self._none()
        return members_table(self.data, self.id)

    def comparison(self) -> pd.DataFrame | Html:
        """Members vs non-members on the index (only for a complete member list)."""
        if not self.has_members:
            return self._none()
        if str(self.row.get("member_list")) != "complete":
            return _note(
                "The member list is not complete, so regions not listed cannot be "
                "called non-members; the members-versus-others comparison is left out."
            )
        return partnership_comparison(self.data, self.id)

    def annex(self) -> Html:
        """Return the sources and data-quality annex."""
        return sources_annex(self.data)
