"""What the report notebooks display: tables, figures, headers and the annex.

Notebooks only call these: :class:`Overview` (the Europe-wide pages) and
:class:`Profile` (one partnership) return plotly figures, tables, or a short note
when there is nothing to draw (e.g. a partnership without listed members), and
:func:`sources_annex` closes every page. All text taken from data (region and
partnership names, reasons) is HTML-escaped. The tables and HTML blocks the
pages show are built in :mod:`regiongap.report.tables` and importable from here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from regiongap.report.data import GDP_INDICATOR, UNCERTAINTY_RUNS, ReportData
from regiongap.report.tables import (
    Html,
    coverage_table,
    inequality_table,
    members_table,
    partnership_header,
    partnership_table,
    platform_pillars,
    sources_annex,
)
from regiongap.viz.style import escape

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


def _note(text: str) -> Html:
    return Html(f"<p class='rg-note'>{escape(text)}</p>")


class Overview:
    """The figures and tables of the Europe-wide overview notebooks.

    Parameters
    ----------
    data : ReportData
        The report tables.
    """

    def __init__(self, data: ReportData) -> None:
        self.data = data

    def _in_any(self) -> list[str]:
        return sorted(set(self.data.members["geo"].astype(str)))

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

    def coverage_map(self) -> Any:
        """Map of the share of index indicators each region has."""
        from regiongap.viz.maps import choropleth

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
            source=d.source(*d.framework["indicator"]),
        )

    def indicator_map(
        self, indicator: str = GDP_INDICATOR, classification: str = "quantiles"
    ):
        """Map one indicator over the EU-27 regions, partnership regions outlined."""
        from regiongap.viz.maps import choropleth

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
            highlight=self._in_any(),
            highlight_label="In at least one partnership",
            label=d.label(indicator),
            unit=d.unit(indicator),
            title=d.label(indicator),
            subtitle=f"NUTS {d.level} regions, {d.year} (latest year within "
            f"{d.panel.attrs.get('panel', {}).get('window', 3)} years), quintiles",
            source=d.source(indicator),
        )

    def index_map(self) -> Any:
        """Map of the capacity index (Fisher–Jenks classes)."""
        from regiongap.viz.maps import choropleth

        d = self.data
        return choropleth(
            d.scores,
            d.shapes,
            "index",
            classification="fisher_jenks",
            k=5,
            highlight=self._in_any(),
            highlight_label="In at least one partnership",
            label="Capacity index (0–100)",
            title="Capacity index",
            subtitle=f"{len(d.framework)} indicators in "
            f"{d.framework['pillar'].nunique()} pillars, NUTS {d.level}, {d.year}; "
            "natural breaks (Fisher–Jenks)",
            source=d.source(*d.framework["indicator"]),
        )

    def convergence(self) -> Any:
        """Dispersion of GDP per inhabitant over time: partnership regions vs rest."""
        from regiongap.metrics.convergence import sigma_convergence
        from regiongap.viz.charts import convergence_chart

        d = self.data
        if d.gdp_series.empty:
            return _note("GDP per inhabitant over time is not available.")
        inside = set(self._in_any())
        groups = pd.Series(
            [
                "In a partnership" if g in inside else "Not in any partnership"
                for g in d.panel.index
            ],
            index=d.panel.index,
        )
        sigma = sigma_convergence(d.gdp_series, groups=groups, measure="cv")
        sigma["group"] = (
            sigma["group"].astype(str).replace({"all": "All EU-27 regions"})
        )
        return convergence_chart(
            sigma,
            y="dispersion",
            label="Coefficient of variation",
            title="Are regions converging? GDP per inhabitant (PPS)",
            subtitle="Coefficient of variation across NUTS "
            f"{d.level} regions observed in every year (lower = more equal)",
            source=d.source(GDP_INDICATOR),
        )

    def distribution(self) -> Any:
        """Distribution of the capacity index, regions in partnerships marked."""
        from regiongap.viz.charts import distribution_chart

        d = self.data
        frame = d.scores[["index"]].join(d.panel[["name"]])
        return distribution_chart(
            frame,
            "index",
            highlight=self._in_any(),
            highlight_label="In at least one partnership",
            label="Capacity index (0–100)",
            title="Capacity index across all regions",
            source=d.source(*d.framework["indicator"], geography=False),
        )

    def ranks(self) -> Any:
        """Median rank and 5–95 % band of every region."""
        from regiongap.viz.charts import rank_chart

        d = self.data
        return rank_chart(
            d.ranks,
            highlight=self._in_any(),
            highlight_label="In at least one partnership",
            names=d.names,
            title="How robust is each region's rank?",
            subtitle=f"Median rank and 5–95 % band over {UNCERTAINTY_RUNS} variants of "
            "normalisation, aggregation and weights",
            source=d.source(*d.framework["indicator"], geography=False),
        )

    def pillar_heatmap(self) -> Any:
        """Median pillar score of each partnership's members."""
        from regiongap.viz.charts import pillar_heatmap

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
            labels={p: p.replace("_", " ").capitalize() for p in table.columns},
            title="Pillar profile of each partnership",
            subtitle="Median pillar score (0–100) of the member regions listed",
            source=d.source(*d.framework["indicator"], geography=False),
        )

    def participation(self) -> pd.DataFrame | Html:
        """Share of regions of each cohesion category that are in partnerships."""
        from regiongap.metrics.cohesion import participation_by_category

        d = self.data
        if d.categories.empty:
            return _note("Cohesion-policy categories could not be computed.")
        table = participation_by_category(
            d.categories["category"],
            d.members[["geo", "partnership_id"]],
            partnerships=[],
        )
        table = table[table["partnership"] == "any"].drop(columns="partnership")
        table["share"] = (table["share"] * 100).round(1)
        return table.rename(
            columns={
                "category": "Cohesion category",
                "n_regions": "Regions",
                "n_members": "In at least one partnership",
                "share": "Share (%)",
            }
        ).set_index("Cohesion category")

    def comparison(self) -> pd.DataFrame | Html:
        """Members vs non-members on the index, for complete member lists."""
        from regiongap.metrics.partnerships.gaps import members_vs_nonmembers

        d = self.data
        index = d.scores["index"].dropna()
        rows = []
        complete = d.partnerships[d.partnerships["member_list"] == "complete"]
        for pid, name in zip(complete["partnership_id"], complete["name"], strict=True):
            if d.members_of(pid).empty:
                continue
            result = members_vs_nonmembers(index, pid, n_boot=1000, seed=0)
            rows.append(
                {
                    "Partnership": name,
                    "Members": result.n_members,
                    "Mean, members": result.mean_members,
                    "Mean, others": result.mean_nonmembers,
                    "Difference": result.difference,
                    "95 % interval": f"{result.ci_low:.1f} to {result.ci_high:.1f}",
                }
            )
        if not rows:
            return _note("No partnership has a complete member list.")
        return pd.DataFrame(rows).set_index("Partnership").round(1)


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

    def header(self) -> Html:
        """Title block (escaped)."""
        return partnership_header(self.data, self.id)

    def member_map(self) -> Any:
        """Map of the member regions by role."""
        from regiongap.viz.maps import partnership_map

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

    def index_map(self) -> Any:
        """Capacity index map with the members outlined."""
        from regiongap.viz.maps import choropleth

        d = self.data
        if not self.has_members:
            return self._none()
        return choropleth(
            d.scores,
            d.shapes,
            "index",
            classification="quantiles",
            highlight=self.geos,
            label="Capacity index (0–100)",
            title="Capacity index, members outlined",
            subtitle=f"NUTS {d.level} regions, {d.year}; quintiles",
            source=d.source(*d.framework["indicator"]),
        )

    def gaps(self) -> Any:
        """Each member's index against the partnership median, EU-27 median, leader."""
        from regiongap.viz.charts import gap_chart

        d = self.data
        if not self.has_members:
            return self._none()
        return gap_chart(
            d.member_values(self.id),
            "index",
            eu_median=float(d.scores["index"].median()),
            leader=d.leader(self.id),
            label="Capacity index (0–100)",
            title="Where each member stands",
            subtitle="Capacity index of each member (★ = lead region) against the "
            "partnership median, the EU-27 median and the lead region",
            source=d.source(*d.framework["indicator"], geography=False),
        )

    def pillars(self) -> Any:
        """Members × pillar scores."""
        from regiongap.viz.charts import pillar_heatmap

        d = self.data
        if not self.has_members:
            return self._none()
        table = d.pillars.reindex(self.geos)
        return pillar_heatmap(
            table,
            names=d.names,
            labels={p: p.replace("_", " ").capitalize() for p in table.columns},
            title="Strengths and gaps by pillar",
            subtitle="Pillar scores 0–100 (min–max over all EU-27 regions); blank = "
            "region not in the index",
            source=d.source(*d.framework["indicator"], geography=False),
        )

    def distribution(self, indicator: str = GDP_INDICATOR) -> Any:
        """Where the members sit among all EU-27 regions on one indicator."""
        from regiongap.viz.charts import distribution_chart

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

    def convergence(self) -> Any:
        """Dispersion of GDP per inhabitant over time, members vs other regions."""
        from regiongap.metrics.convergence import sigma_convergence
        from regiongap.viz.charts import convergence_chart

        d = self.data
        if not self.has_members:
            return self._none()
        if d.gdp_series.empty:
            return _note("GDP per inhabitant over time is not available.")
        sigma = sigma_convergence(d.gdp_series, groups=d.groups(self.id), measure="cv")
        sigma["group"] = (
            sigma["group"].astype(str).replace({"all": "All EU-27 regions"})
        )
        return convergence_chart(
            sigma,
            y="dispersion",
            label="Coefficient of variation",
            title="Is the gap inside the partnership closing?",
            subtitle="Coefficient of variation of GDP per inhabitant (PPS), regions "
            "observed in every year",
            source=d.source(GDP_INDICATOR, geography=False),
        )

    def ranks(self) -> Any:
        """Rank bands of all regions with the members marked."""
        from regiongap.viz.charts import rank_chart

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
            source=d.source(*d.framework["indicator"], geography=False),
        )

    def table(self) -> pd.DataFrame | Html:
        """Members with role, how they were listed, index, rank band and GDP."""
        if not self.has_members:
            return self._none()
        return members_table(self.data, self.id)

    def comparison(self) -> pd.DataFrame | Html:
        """Members vs non-members on the index (only for a complete member list)."""
        from regiongap.metrics.partnerships.gaps import members_vs_nonmembers

        d = self.data
        if not self.has_members:
            return self._none()
        if str(self.row.get("member_list")) != "complete":
            return _note(
                "The member list is not complete, so regions not listed cannot be "
                "called non-members; the members-versus-others comparison is left out."
            )
        result = members_vs_nonmembers(
            d.scores["index"].dropna(), self.id, n_boot=2000, seed=0
        )
        table = result.to_frame().drop(columns=["partnership", "member_list"])
        return table.rename(
            columns={
                "n_members": "Members",
                "n_nonmembers": "Other regions",
                "mean_members": "Mean index, members",
                "mean_nonmembers": "Mean index, others",
                "difference": "Difference",
                "ci_low": "95 % low",
                "ci_high": "95 % high",
                "theil_total": "Theil T",
                "theil_between": "between groups",
                "theil_within": "within groups",
            }
        ).round(3)

    def annex(self) -> Html:
        """Return the sources and data-quality annex."""
        return sources_annex(self.data)
