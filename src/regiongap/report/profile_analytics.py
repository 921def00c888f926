"""A partnership page's analytic sections: infrastructure to matchmaking.

:class:`PartnershipAnalytics` holds what every section of a partnership page
shares (the report tables, the partnership, its members, the note said when
there is nothing to draw) and the sections that answer the questions after "how
far apart are the members?": where each member stands on infrastructure and
resources, whether weak members sit among weak neighbours (LISA clusters),
whether members move between the fifths of Europe's regions, which assumption of
the index drives each member's rank (Sobol), who could mentor whom, which pillars
no member covers and which regions outside would fill them. It formats and draws
what :mod:`regiongap.report.compute` stored; :class:`~regiongap.report.profile.
Profile` adds the other sections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from regiongap.report.data import ReportData
from regiongap.report.display import Html, Table, note, pillar_label
from regiongap.report.profile_tables import (
    PARENT_MARK,
    cluster_table,
    collective_table,
    complementary_table,
    infrastructure_table,
    mentor_table,
    mobility_table,
    sensitivity_matrix,
)
from regiongap.viz.categories import lisa_map
from regiongap.viz.charts.heatmap import pillar_heatmap
from regiongap.viz.charts.positions import position_chart
from regiongap.viz.style import escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = ["PartnershipAnalytics"]


def _pillar_words(text: str, data: ReportData) -> str:
    """Replace pillar ids in a metric's note with readable names."""
    for pillar in sorted(data.pillars.columns, key=len, reverse=True):
        text = text.replace(str(pillar), pillar_label(str(pillar)).lower())
    return text


class PartnershipAnalytics:
    """The report tables of one partnership, and its analytic sections.

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
            return note("Nothing to show: no member regions listed.")
        return note(
            "The registry lists no member regions for this partnership, so there is "
            "nothing to compare here. See the partnership's sources for its members."
        )

    def _index_source(self, *, geography: bool = True) -> str:
        d = self.data
        return d.source(*d.framework["indicator"], geography=geography)

    # -- infrastructure and resources --------------------------------------
    def _positions(self) -> pd.DataFrame:
        return self.data.of_partnership("infrastructure", self.id)

    def infrastructure(self) -> go.Figure | Html:
        """Each member's percentile on every infrastructure and resource indicator."""
        d = self.data
        if not self.has_members:
            return self._none()
        rows = self._positions()
        if rows.empty:
            return note(
                "No infrastructure or resource indicator could be loaded "
                "(see the annex)."
            )
        shown = list(dict.fromkeys(rows["indicator"].astype(str)))
        return position_chart(
            rows,
            names=d.names,
            labels={i: d.label(i) for i in shown},
            units={i: d.unit(i) for i in shown},
            level=d.level,
            title="Infrastructure and resources: where each member stands",
            subtitle="Percentile among all EU-27 regions (100 = the best value); "
            "open dots: value of the region's NUTS 1 or national parent",
            source=d.source(*shown, geography=False),
        )

    def infrastructure_table(self) -> Table | Html:
        """List the members' values with year and source level, and the references."""
        if not self.has_members:
            return self._none()
        table = infrastructure_table(self.data, self.id)
        return table if not table.empty else note("No indicator to list.")

    def infrastructure_note(self) -> Html:
        """Say what the marks mean and which indicators compare within countries."""
        d = self.data
        shown = set(self._positions()["indicator"].astype(str))
        parts = [
            f"{PARENT_MARK} the value of the region's NUTS 1 (or national) parent "
            "region: its country publishes the indicator only at that level, as the "
            "Regional Innovation Scoreboard does it. A year in brackets: the latest "
            f"value before {d.year}. – no value for the region in the window (the "
            "annex says which countries report each indicator at which level). The "
            "best member is the one with the best value."
        ]
        without = d.analytics.get("infrastructure_without_value") or []
        if without:
            parts.append(
                f"No value in the {d.year} window: "
                + ", ".join(d.label(str(i)) for i in without)
                + "."
            )
        rows = d.catalogue[d.catalogue["indicator"].isin(shown)]
        if "comparability" in rows.columns:
            within = rows[rows["comparability"].astype(str) == "within_country"]
            if len(within):
                listed = ", ".join(d.label(str(i)) for i in within["indicator"])
                parts.append(
                    f"{listed}: comparable within a country and only with care "
                    "across countries, because what each national register counts "
                    "(e.g. as a hospital) differs."
                )
        return Html("".join(f"<p class='rg-note'>{escape(text)}</p>" for text in parts))

    # -- spatial clusters ---------------------------------------------------
    def clusters(self) -> go.Figure | Html:
        """Hot and cold spots of the capacity index (LISA), members outlined."""
        d = self.data
        if not self.has_members:
            return self._none()
        if d.clusters.empty:
            reason = d.analytics.get("failed", {}).get("spatial", "not computed")
            return note(f"Spatial clusters could not be computed: {reason}")
        spatial = d.analytics.get("spatial", {})
        return lisa_map(
            d.clusters,
            d.shapes,
            highlight=self.geos,
            title="Are weak regions clustered? Hot and cold spots of capacity",
            subtitle=f"Local Moran (LISA) of the capacity index, NUTS {d.level}; "
            f"{spatial.get('permutations', '')} permutations, 5 % after a "
            "false-discovery-rate correction; global Moran's I = "
            f"{spatial.get('morans_i', float('nan')):.2f}",
            source=f"{self._index_source()}; weights: {spatial.get('weights', '')}",
        )

    def cluster_table(self) -> Table | Html:
        """Each member's cluster, index and neighbours' mean index."""
        if not self.has_members:
            return self._none()
        return cluster_table(self.data, self.id)

    # -- mobility -----------------------------------------------------------
    def mobility(self) -> Table | Html:
        """Members' moves between the fifths of GDP per inhabitant, against others."""
        if not self.has_members:
            return self._none()
        table = mobility_table(self.data, self.id)
        if table.empty:
            return note(
                "No member has GDP per inhabitant in every year of the period, so "
                "its mobility cannot be measured."
            )
        return table

    # -- rank sensitivity ---------------------------------------------------
    def sensitivity(self) -> go.Figure | Html:
        """Which assumption of the index drives each member's rank (Sobol)."""
        d = self.data
        if not self.has_members:
            return self._none()
        matrix = sensitivity_matrix(d, self.id)
        if matrix.empty:
            reason = d.analytics.get("failed", {}).get("sensitivity", "no member")
            return note(f"Rank sensitivity could not be computed: {reason}")
        info = d.analytics.get("sensitivity", {})
        worst = max(
            (v.get("mean_change", 0.0) for v in info.get("convergence", {}).values()),
            default=float("nan"),
        )
        return pillar_heatmap(
            matrix,
            names=d.names,
            zrange=(0.0, 1.0),
            scale_label="Total-order index",
            title="Which assumption drives each member's rank?",
            subtitle="Total-order Sobol index of the rank (share of its variance due "
            f"to the assumption, with its interactions); {info.get('n_runs', '')} "
            f"index runs, mean change of the estimates from N/2 to N: {worst:.2f}",
            source=self._index_source(geography=False),
        )

    # -- matchmaking --------------------------------------------------------
    def mentors(self) -> Table | Html:
        """Mentor pairs: a member strong in a pillar with one weak in it."""
        if not self.has_members:
            return self._none()
        table = mentor_table(self.data, self.id)
        if table.empty:
            return note("Matchmaking needs at least two members with pillar scores.")
        return table

    def uncovered(self) -> Table | Html:
        """Each pillar's best member against the EU-27 top decile."""
        if not self.has_members:
            return self._none()
        table = collective_table(self.data, self.id)
        if table.empty:
            return note("Matchmaking needs at least two members with pillar scores.")
        return table

    def complementary(self) -> Table | Html:
        """Regions outside the partnership strongest in the pillars it lacks."""
        if not self.has_members:
            return self._none()
        table = complementary_table(self.data, self.id)
        if table.empty:
            uncovered = self.data.of_partnership("collective", self.id)
            if len(uncovered) and bool(uncovered["covered"].all()):
                return note(
                    "Every pillar is covered by a member in the EU-27 top decile: "
                    "no complement is looked for."
                )
            return note("No complementary candidate could be proposed.")
        said = self.data.of_partnership("complementary", self.id).get("note")
        if said is not None and str(said.iloc[0]):
            text = _pillar_words(str(said.iloc[0]), self.data)
            return Html(note(text.capitalize() + ".") + table._repr_html_())
        return table
