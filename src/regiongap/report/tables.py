"""The tables and HTML blocks of the reports: headers, member lists, comparisons.

Each function takes the report's :class:`~regiongap.report.data.ReportData` and
returns a :class:`~regiongap.report.display.Table` (numbers kept as numbers, with
how each column reads: units in the headers, separators, whole-number ranks) or an
:class:`~regiongap.report.display.Html` block (all text taken from data
HTML-escaped); :mod:`regiongap.report.sections` arranges them into pages and
:mod:`regiongap.report.annex` closes every page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.report.annex import short_reason
from regiongap.report.data import GDP_INDICATOR, ReportData
from regiongap.report.display import (
    MISSING_TEXT,
    Html,
    Table,
    number_format,
    pillar_label,
)
from regiongap.viz.style import escape

__all__ = [
    "GDP_COLUMN",
    "INDEX_COLUMN",
    "Html",
    "comparison_table",
    "coverage_table",
    "framework_table",
    "inequality_table",
    "members_table",
    "participation_table",
    "partnership_comparison",
    "partnership_header",
    "partnership_table",
    "platform_pillars",
]

#: Column of the capacity index in the member tables.
INDEX_COLUMN = "Capacity index (0–100)"
#: Column of GDP per inhabitant in the member tables.
GDP_COLUMN = "GDP per inhabitant (PPS)"
_WHOLE = number_format(0)
_ONE = number_format(1)
_LISTED = {
    "complete": "complete",
    "partial": "partial",
    "leads_only": "leads only",
    "none": "none",
}


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
    platform = str(row.get("platform")).replace("_", " ")
    parts = [
        f"<h1 class='rg-title'>{escape(row.get('name'))}</h1>",
        "<p class='rg-lede'>",
        f"S3 thematic partnership · platform <b>{escape(platform)}</b>",
        f" · {escape(listed)}{escape(stated_txt)}",
        f" · <b>{len(members)}</b> NUTS {data.level} member regions in the registry"
        f" (NUTS {data.nuts_year} version)",
        f" · reference year <b>{data.year}</b></p>",
    ]
    note = row.get("completeness")
    if isinstance(note, str) and note:
        parts.append(f"<p class='rg-note'>{escape(note)}</p>")
    return Html("".join(parts))


def _rank_band(data: ReportData, geos: pd.Series) -> list[str]:
    return [
        f"{lo:.0f}–{hi:.0f}" if pd.notna(lo) else MISSING_TEXT
        for lo, hi in zip(
            data.ranks["rank_p05"].reindex(geos),
            data.ranks["rank_p95"].reindex(geos),
            strict=True,
        )
    ]


def members_table(data: ReportData, partnership_id: str) -> Table:
    """Members with role, how they were listed, index, rank band and GDP.

    Returns
    -------
    Table
        Index "Region"; the index with one decimal, the median rank as a whole
        number (out of the regions ranked), GDP per inhabitant with separators.
    """
    rows = data.members_of(partnership_id)
    geos = rows["geo"].astype(str)
    ranked = int(data.ranks["median_rank"].notna().sum())
    rank_column = f"Median rank (of {ranked})"
    out = pd.DataFrame(
        {
            "Region": [data.names.get(g, g) for g in geos],
            "NUTS": geos.to_numpy(),
            "Role": rows["role"].astype(str).to_numpy(),
            "Listed as": rows.get("listed_name", rows["region_name"])
            .astype(str)
            .to_numpy(),
            INDEX_COLUMN: data.scores["index"].reindex(geos).round(1).to_numpy(),
            rank_column: data.ranks["median_rank"].reindex(geos).to_numpy(),
            "Rank band, 5–95 %": _rank_band(data, geos),
        }
    )
    if GDP_INDICATOR in data.panel:
        out[GDP_COLUMN] = data.panel[GDP_INDICATOR].reindex(geos).to_numpy()
    formats = {INDEX_COLUMN: _ONE, rank_column: _WHOLE, GDP_COLUMN: _WHOLE}
    return Table.of(out.set_index("Region"), formats)


def _partnership_row(data: ReportData, row: pd.Series) -> dict[str, object]:
    pid = str(row["partnership_id"])
    geos = data.members_of(pid)["geo"].astype(str)
    index = data.scores["index"].reindex(geos).dropna()
    gdp = (
        data.panel[GDP_INDICATOR].reindex(geos).dropna()
        if GDP_INDICATOR in data.panel
        else pd.Series(dtype=float)
    )
    return {
        "Partnership": str(row["name"]),
        "id": pid,
        "Platform": str(row["platform"]).replace("_", " "),
        "Member list": _LISTED.get(str(row["member_list"]), str(row["member_list"])),
        "Regions": len(geos),
        "With index": len(index),
        "Index median": round(float(index.median()), 1) if len(index) else np.nan,
        "Index min–max": (
            f"{index.min():.0f}–{index.max():.0f}" if len(index) else MISSING_TEXT
        ),
        "GDP per inhabitant, median (PPS)": float(gdp.median()) if len(gdp) else np.nan,
    }


def partnership_table(data: ReportData) -> Table:
    """All partnerships side by side: member list, regions, index of members.

    Returns
    -------
    Table
        One row per partnership: name, platform, member list status, member
        regions at the report level, with an index value, their median (0–100)
        and range of the index, and the median GDP per inhabitant (PPS) of
        members.
    """
    rows = [_partnership_row(data, row) for _, row in data.partnerships.iterrows()]
    out = pd.DataFrame(rows).sort_values(["Platform", "Partnership"])
    return Table.of(
        out.set_index("Partnership"),
        {"Index median": _ONE, "GDP per inhabitant, median (PPS)": _WHOLE},
    )


def platform_pillars(data: ReportData) -> pd.DataFrame:
    """Median pillar score of each partnership's members (partnership × pillar)."""
    rows = {}
    for pid in data.partnerships["partnership_id"].astype(str):
        geos = data.members_of(pid)["geo"].astype(str)
        scores = data.pillars.reindex(geos).dropna(how="all")
        if len(scores):
            rows[pid] = scores.median()
    return pd.DataFrame(rows).T.rename_axis("geo")


def framework_table(data: ReportData) -> Table:
    """List the indicators of the capacity index: title, pillar, direction, dataset.

    Returns
    -------
    Table
        Index "Indicator" (its title); the indicator id, its pillar, whether a
        higher value means more capacity, its dataset and the regions with a
        value.
    """
    n = len(data.panel)
    rows = []
    for entry in data.framework.itertuples(index=False):
        ind = str(entry.indicator)
        n_value = int(data.panel[ind].notna().sum()) if ind in data.panel else 0
        rows.append(
            {
                "Indicator": data.label(ind),
                "id": ind,
                "Pillar": pillar_label(str(entry.pillar)),
                "Direction": "higher is better"
                if bool(entry.higher_is_better)
                else "lower is better",
                "Dataset": ", ".join(data.datasets([ind])),
                "Regions with a value": f"{n_value} of {n} ({n_value / n:.0%})"
                if n
                else "–",
            }
        )
    return Table.of(pd.DataFrame(rows).set_index("Indicator"))


def _coverage_row(data: ReportData, entry: pd.Series, info: dict) -> dict:
    ind = str(entry["indicator"])
    n = len(data.panel)
    base = {
        "Indicator": str(entry["title"]),
        "Pillar": pillar_label(str(entry["pillar"])),
        "Dataset": ", ".join(data.datasets([ind])) or str(entry["dataset"]),
    }
    if ind not in data.available:
        reason = data.unavailable.get(ind, "not loaded")
        return {
            **base,
            "Status": "unavailable",
            "Note": short_reason(reason),
            "Regions with a value": "–",
            "Flagged": "–",
            "Years used": "–",
        }
    col = data.panel[ind]
    flags = data.panel[f"{ind}__flag"]
    n_value = int(col.notna().sum())
    n_flag = int((flags.notna() & col.notna()).sum())
    years = info.get(ind, {}).get("years", [])
    status, note = "in the index", ""
    if ind in data.left_out:
        status, note = "loaded, not in the index", data.left_out[ind]
    elif ind not in set(data.framework["indicator"]):
        status, note = "context", "describes regions; not a capacity"
    return {
        **base,
        "Status": status,
        "Note": note,
        "Regions with a value": f"{n_value} of {n} ({n_value / n:.0%})",
        "Flagged": f"{n_flag / n_value:.0%}" if n_value else "n/a",
        "Years used": ", ".join(str(y) for y in years) or "n/a",
    }


def coverage_table(data: ReportData) -> Table:
    """Per catalogue indicator: pillar, dataset, status, regions with a value, flags."""
    info = data.panel_info.get("indicators", {})
    rows = [_coverage_row(data, entry, info) for _, entry in data.catalogue.iterrows()]
    return Table.of(pd.DataFrame(rows).set_index("Indicator"))


def inequality_table(data: ReportData) -> Table:
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
    three = number_format(3)
    formats = {
        "Regions": _WHOLE,
        "Gini": three,
        "Theil T": three,
        "Coefficient of variation": three,
        "Max/min ratio": _ONE,
    }
    return Table.of(out.set_index("Indicator").round(3), formats)


def participation_table(data: ReportData) -> Table:
    """Regions of each cohesion category in at least one partnership, with the share.

    Returns
    -------
    Table
        Index "Cohesion category"; regions, regions in a partnership and the
        share in % (one decimal).
    """
    table = data.participation.copy()
    table["share"] = (table["share"].astype(float) * 100).round(1)
    out = table.rename(
        columns={
            "category": "Cohesion category",
            "n_regions": "Regions",
            "n_members": "In at least one partnership",
            "share": "Share (%)",
        }
    ).set_index("Cohesion category")
    return Table.of(out, {"Share (%)": _ONE})


def comparison_table(data: ReportData) -> Table:
    """Members against other regions on the index, one row per complete partnership.

    Returns
    -------
    Table
        Index "Partnership" (its name); members, the two means, the difference
        and its 95 % bootstrap interval, rounded to one decimal (index points,
        0–100). Empty when no partnership has a complete member list.
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
        return Table.of(pd.DataFrame())
    out = pd.DataFrame(rows).set_index("Partnership").round(1)
    return Table.of(
        out,
        {"Mean, members": _ONE, "Mean, others": _ONE, "Difference": _ONE},
    )


def partnership_comparison(data: ReportData, partnership_id: str) -> Table:
    """Members against other regions of one partnership, with the Theil split.

    Returns
    -------
    Table
        One row (empty when the partnership has no complete member list),
        rounded to three decimals; the means and the interval read with one
        decimal, the Theil index with three.
    """
    table = data.comparison_of(partnership_id)
    table = table.drop(columns=["partnership", "member_list"])
    out = table.rename(
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
    one = dict.fromkeys(
        ["Mean index, members", "Mean index, others", "Difference", "95 % low"], _ONE
    )
    three = dict.fromkeys(["Theil T", "between groups", "within groups"], "{:.3f}")
    return Table.of(out, {**one, "95 % high": _ONE, **three})
