"""The tables and HTML blocks of the reports: headers, member lists, the annex.

Each function takes the report's :class:`~regiongap.report.data.ReportData` and
returns a display-ready table or an :class:`Html` block (all text taken from data
HTML-escaped); :mod:`regiongap.report.sections` arranges them into pages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.report.data import GDP_INDICATOR, ReportData
from regiongap.viz.style import escape

__all__ = [
    "Html",
    "comparison_table",
    "coverage_table",
    "inequality_table",
    "members_table",
    "participation_table",
    "partnership_comparison",
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
    the regions with a value, as :mod:`regiongap.report.compute` computed them
    with :mod:`regiongap.metrics` (``ReportData.inequality``).
    """
    table = data.inequality
    out = pd.DataFrame(
        {
            "Indicator": [data.label(str(i)) for i in table.index],
            "Regions": table["n_regions"].to_numpy(),
            "Gini": table["gini"].to_numpy(),
            "Theil T": table["theil"].to_numpy(),
            "Coefficient of variation": table["cv"].to_numpy(),
            "Max/min ratio": table["max_min_ratio"].to_numpy(),
        }
    )
    return out.set_index("Indicator").round(3)


def participation_table(data: ReportData) -> pd.DataFrame:
    """Regions of each cohesion category in at least one partnership, with the share.

    Returns
    -------
    pandas.DataFrame
        Index "Cohesion category"; regions, regions in a partnership and the
        share in % (one decimal).
    """
    table = data.participation.copy()
    table["share"] = (table["share"].astype(float) * 100).round(1)
    return table.rename(
        columns={
            "category": "Cohesion category",
            "n_regions": "Regions",
            "n_members": "In at least one partnership",
            "share": "Share (%)",
        }
    ).set_index("Cohesion category")


def comparison_table(data: ReportData) -> pd.DataFrame:
    """Members against other regions on the index, one row per complete partnership.

    Returns
    -------
    pandas.DataFrame
        Index "Partnership" (its name); members, the two means, the difference
        and its 95 % bootstrap interval, rounded to one decimal. Empty when no
        partnership has a complete member list.
    """
    names = dict(
        zip(
            data.partnerships["partnership_id"].astype(str),
            data.partnerships["name"].astype(str),
            strict=True,
        )
    )
    rows = [
        {
            "Partnership": names.get(str(r.partnership), str(r.partnership)),
            "Members": r.n_members,
            "Mean, members": r.mean_members,
            "Mean, others": r.mean_nonmembers,
            "Difference": r.difference,
            "95 % interval": f"{r.ci_low:.1f} to {r.ci_high:.1f}",
        }
        for r in data.comparisons.itertuples(index=False)
    ]
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).set_index("Partnership").round(1)


def partnership_comparison(data: ReportData, partnership_id: str) -> pd.DataFrame:
    """Members against other regions of one partnership, with the Theil split.

    Returns
    -------
    pandas.DataFrame
        One row (empty when the partnership has no complete member list),
        rounded to three decimals.
    """
    table = data.comparison_of(partnership_id)
    table = table.drop(columns=["partnership", "member_list"])
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
