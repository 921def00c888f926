"""What the report notebooks display: tables, figures, headers and the annex.

Notebooks only call these: :class:`Overview` (the Europe-wide pages) and
:class:`Profile` (one partnership) return plotly figures, tables, or a short note
when there is nothing to draw (e.g. a partnership without listed members), and
:func:`sources_annex` closes every page. All text taken from data (region and
partnership names, reasons) is HTML-escaped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from regiongap.report_data import GDP_INDICATOR, UNCERTAINTY_RUNS, ReportData
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


class Html(str):
    """A string of HTML that notebooks display as HTML (``_repr_html_``)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


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
    if GDP_INDICATOR in data.panel:
        out["GDP per inhabitant (PPS)"] = (
            data.panel[GDP_INDICATOR].reindex(geos).to_numpy()
        )
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
            data.panel[GDP_INDICATOR].reindex(geos).dropna()
            if GDP_INDICATOR in data.panel
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
            note = ""
            status = "in the index"
            if ind in data.left_out:
                status, note = "loaded, not in the index", data.left_out[ind]
            elif ind not in set(data.framework["indicator"]):
                status, note = "context", "describes regions; not a capacity"
            rows.append(
                {
                    "Indicator": str(entry.title),
                    "Pillar": str(entry.pillar).replace("_", " "),
                    "Dataset": str(entry.dataset),
                    "Status": status,
                    "Note": note,
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
                    "Pillar": str(entry.pillar).replace("_", " "),
                    "Dataset": str(entry.dataset),
                    "Status": "unavailable",
                    "Note": _short_reason(reason),
                    "Regions with a value": "–",
                    "Flagged": "–",
                    "Years used": "–",
                }
            )
    return pd.DataFrame(rows).set_index("Indicator")


_REASONS = (
    ("matches nothing", "the local copy lacks the unit needed"),
    ("Offline", "not in local data; working offline"),
    ("offline", "not in local data; working offline"),
    ("DatasetNotFound", "not in local data; not downloaded"),
    ("could not download", "not in local data; Eurostat unreachable"),
)


def _short_reason(reason: str) -> str:
    """Shorten a reason for a table cell (pandas cuts cells at 50 characters)."""
    for needle, text in _REASONS:
        if needle in reason:
            return text
    return reason.split(":", 1)[0][:48]


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


# ------------------------------------------------------------ page sections


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
        from regiongap.metrics.gaps import members_vs_nonmembers

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
        from regiongap.metrics.gaps import members_vs_nonmembers

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
