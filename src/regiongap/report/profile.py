"""One partnership's page: :class:`Profile`, the figures and tables of notebook 04.

Every method returns a plotly figure, a table or a short note (an :class:`Html`
string) when there is nothing to draw; the sections added for infrastructure,
spatial clusters, mobility, rank sensitivity and matchmaking come from
:class:`~regiongap.report.profile_analytics.PartnershipAnalytics`. Nothing here
computes a number: everything comes from :class:`~regiongap.report.data.ReportData`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regiongap.report.annex import sources_annex
from regiongap.report.data import GDP_INDICATOR, UNCERTAINTY_RUNS
from regiongap.report.display import INDEX_LABEL, Html, Table, note, pillar_labels
from regiongap.report.profile_analytics import PartnershipAnalytics
from regiongap.report.tables import (
    members_table,
    partnership_comparison,
    partnership_header,
)
from regiongap.viz.charts.convergence import convergence_chart
from regiongap.viz.charts.distribution import distribution_chart
from regiongap.viz.charts.gaps import gap_chart
from regiongap.viz.charts.heatmap import pillar_heatmap
from regiongap.viz.charts.ranks import rank_chart
from regiongap.viz.maps import choropleth, partnership_map
from regiongap.viz.style import escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["Profile"]


class Profile(PartnershipAnalytics):
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
            subtitle=f"NUTS {self.data.level} regions ({self.data.nuts_year} version) "
            "by role; countries or NUTS 1 regions listed as members are shown "
            "through their NUTS 2 regions",
            source=f"Source: partnership registry (see annex); {self.data.geography}",
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
            label=INDEX_LABEL,
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
            leads=d.leads(self.id),
            label=INDEX_LABEL,
            title="Where each member stands",
            subtitle="Capacity index of each member (★ = lead or co-lead region) "
            "against the partnership median, the EU-27 median and the leader (the "
            "lead region with the highest index)",
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
            labels=pillar_labels(table.columns),
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
            return note(
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
            return note("GDP per inhabitant over time is not available.")
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

    def table(self) -> Table | Html:
        """Members with role, how they were listed, index, rank band and GDP."""
        if not self.has_members:
            return self._none()
        return members_table(self.data, self.id)

    def left_out(self) -> Html:
        """Name every member without an index value, and why (empty when none)."""
        d = self.data
        missing = d.excluded.reindex([g for g in self.geos if g in d.excluded.index])
        if missing.empty:
            return Html("")
        items = "".join(
            f"<li>{escape(row['region_name'])} ({escape(geo)}): {escape(row['reason'])}"
            "</li>"
            for geo, row in missing.iterrows()
        )
        return Html(
            "<div class='rg-note'><p>Members without a capacity index value:</p>"
            f"<ul>{items}</ul></div>"
        )

    def comparison(self) -> Table | Html:
        """Members vs non-members on the index (only for a complete member list)."""
        if not self.has_members:
            return self._none()
        if str(self.row.get("member_list")) != "complete":
            return note(
                "The member list is not complete, so regions not listed cannot be "
                "called non-members; the members-versus-others comparison is left out."
            )
        return partnership_comparison(self.data, self.id)

    def annex(self) -> Html:
        """Return the sources and data-quality annex."""
        return sources_annex(self.data)
