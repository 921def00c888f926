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

from regiongap.report.annex import sources_annex
from regiongap.report.data import (
    GDP_INDICATOR,
    OVERVIEW,
    UNCERTAINTY_RUNS,
    ReportData,
)
from regiongap.report.display import INDEX_LABEL, Html, Table, note, pillar_labels
from regiongap.report.profile import Profile
from regiongap.report.tables import (
    comparison_table,
    coverage_table,
    framework_table,
    inequality_table,
    members_table,
    participation_table,
    partnership_header,
    partnership_table,
    platform_pillars,
)
from regiongap.viz.categories import lisa_map
from regiongap.viz.charts.convergence import convergence_chart
from regiongap.viz.charts.distribution import distribution_chart
from regiongap.viz.charts.heatmap import pillar_heatmap
from regiongap.viz.charts.ranks import rank_chart
from regiongap.viz.maps import Classification, choropleth
from regiongap.viz.style import escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = [
    "Html",
    "Overview",
    "Profile",
    "coverage_table",
    "framework_table",
    "inequality_table",
    "members_table",
    "partnership_header",
    "partnership_table",
    "platform_pillars",
    "sources_annex",
]

_IN_ANY = "In at least one partnership"


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

    def coverage(self) -> Table:
        """Catalogue indicators with load status, regions with a value and flags."""
        return coverage_table(self.data)

    def framework(self) -> Table:
        """List the indicators of the capacity index, with pillar and direction."""
        return framework_table(self.data)

    def inequality(self) -> Table:
        """Gini, Theil, CV and max/min of every index indicator."""
        return inequality_table(self.data)

    def partnerships(self) -> Table:
        """All partnerships side by side."""
        return partnership_table(self.data)

    def version(self) -> Html:
        """Say which NUTS version the pages use, and why."""
        d = self.data
        return Html(
            f"<p class='rg-note'>Regions, partnership members and maps: NUTS "
            f"{d.nuts_year} (GISCO boundaries of that version). "
            f"{escape(d.nuts_year_reason)}. The reports are built in another version "
            "with <code>regiongap report --nuts-year 2024</code>.</p>"
        )

    def excluded(self) -> Table | Html:
        """Every region without an index value, with the reason."""
        d = self.data
        if d.excluded.empty:
            return note("Every region has an index value.")
        table = d.excluded.rename(columns={"region_name": "Region", "reason": "Why"})
        table = table.rename_axis("NUTS").reset_index()[["Region", "NUTS", "Why"]]
        return Table.of(table.set_index("Region"))

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
            class_labels=["under 60 % (no index)", "60–79 %", "80–99 %", "100 %"],
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
            return note(
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
            f"{d.panel_info.get('window', 3)} years), quintiles",
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
            label=INDEX_LABEL,
            title="Capacity index",
            subtitle=f"{len(d.framework)} indicators in "
            f"{d.framework['pillar'].nunique()} pillars, NUTS {d.level}, {d.year}; "
            "natural breaks (Fisher–Jenks)",
            source=self._index_source(),
        )

    def clusters(self) -> go.Figure | Html:
        """Hot and cold spots of the capacity index over Europe (LISA)."""
        d = self.data
        if d.clusters.empty:
            reason = d.analytics.get("failed", {}).get("spatial", "not computed")
            return note(f"Spatial clusters could not be computed: {reason}")
        spatial = d.analytics.get("spatial", {})
        return lisa_map(
            d.clusters,
            d.shapes,
            highlight=d.in_any(),
            highlight_label=_IN_ANY,
            title="Are weak regions clustered? Hot and cold spots of capacity",
            subtitle=f"Local Moran (LISA) of the capacity index, NUTS {d.level}, "
            f"{d.year}; global Moran's I = {spatial.get('morans_i', float('nan')):.2f} "
            f"(pseudo p = {spatial.get('p_sim', float('nan')):.3f}, "
            f"{spatial.get('permutations', '')} permutations)",
            source=f"{self._index_source()}; weights: {spatial.get('weights', '')}",
        )

    def convergence(self) -> go.Figure | Html:
        """Dispersion of GDP per inhabitant over time: partnership regions vs rest."""
        d = self.data
        if d.gdp_series.empty:
            return note("GDP per inhabitant over time is not available.")
        return convergence_chart(
            d.convergence_of(OVERVIEW),
            value="dispersion",
            label="Coefficient of variation",
            title="Are regions converging? GDP per inhabitant (PPS)",
            subtitle="Coefficient of variation across NUTS "
            f"{d.level} regions observed in every year (lower = more equal)",
            source=d.source(GDP_INDICATOR, geography=False),
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
            label=INDEX_LABEL,
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
            return note("No partnership has member regions with pillar scores.")
        names = dict(
            zip(d.partnerships["partnership_id"], d.partnerships["name"], strict=True)
        )
        short = {k: (v if len(v) <= 48 else v[:46] + "…") for k, v in names.items()}
        return pillar_heatmap(
            table,
            names=short,
            labels=pillar_labels(table.columns),
            title="Pillar profile of each partnership",
            subtitle="Median pillar score (0–100) of the member regions listed",
            source=self._index_source(geography=False),
        )

    def participation(self) -> Table | Html:
        """Share of regions of each cohesion category that are in partnerships."""
        if self.data.categories.empty:
            return note("Cohesion-policy categories could not be computed.")
        return participation_table(self.data)

    def comparison(self) -> Table | Html:
        """Members vs non-members on the index, for complete member lists."""
        table = comparison_table(self.data)
        if table.empty:
            return note("No partnership has a complete member list.")
        return table
