"""The "Sources and data quality" annex that closes every report page.

:func:`sources_annex` lists the Eurostat datasets behind the page with their last
update and where they were read, the flagged values and the regions without data
of each indicator, every region left out of the capacity index and why, the values
taken from a parent region, which countries report each indicator at which level,
the NUTS version used (and why) with what was recoded, and the indicators that
could not be loaded, with the reason. Every text taken from data is HTML-escaped.
"""

from __future__ import annotations

import pandas as pd

from regiongap.report.data import ReportData
from regiongap.report.display import Html
from regiongap.viz.style import escape

__all__ = ["short_reason", "sources_annex"]

_REASONS = (
    ("matches nothing", "the local copy lacks the unit needed"),
    ("Offline", "not in local data; working offline"),
    ("offline", "not in local data; working offline"),
    ("DatasetNotFound", "not in local data; not downloaded"),
    ("could not download", "not in local data; Eurostat unreachable"),
)


def short_reason(reason: str) -> str:
    """Shorten why an indicator could not be loaded, for a table cell.

    Parameters
    ----------
    reason : str
        The reason the panel recorded (an error message).

    Returns
    -------
    str
        A short phrase, e.g. "not in local data; working offline".

    Examples
    --------
    >>> short_reason("SourceError: could not download rd_e_gerdreg: Offline mode")
    'not in local data; working offline'
    """
    for needle, text in _REASONS:
        if needle in reason:
            return text
    return reason.split(":", 1)[0][:48]


def _datasets(data: ReportData, codes: set[str]) -> list[str]:
    out = [
        "<h3>Datasets</h3><table><tr><th>Dataset</th><th>Eurostat last update"
        "</th><th>Read from</th></tr>"
    ]
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
        f"<tr><td>{escape(data.geography)} boundaries</td>"
        f"<td>NUTS {data.nuts_year}</td>"
        "<td>GISCO 1:20 million, simplified for display</td></tr></table>"
    )
    return out


def _flags(data: ReportData, shown: list[str]) -> list[str]:
    out = [
        "<h3>Flagged values and regions without data</h3><table><tr>"
        "<th>Indicator</th><th>Values flagged</th><th>Regions without data</th>"
        "</tr>"
    ]
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
    return out


def _excluded(data: ReportData) -> list[str]:
    """Every region without an index value, named with its reason."""
    if data.excluded.empty:
        return []
    out = [
        "<h3>Regions without a capacity index value</h3><table><tr><th>Region</th>"
        "<th>NUTS</th><th>Why</th></tr>"
    ]
    for geo, row in data.excluded.iterrows():
        out.append(
            f"<tr><td>{escape(row['region_name'])}</td><td>{escape(geo)}</td>"
            f"<td>{escape(row['reason'])}</td></tr>"
        )
    out.append("</table>")
    return out


def _parents(data: ReportData, shown: list[str]) -> list[str]:
    """List the values taken from a parent region, per indicator."""
    rows = data.parent_values
    if rows.empty:
        return []
    rows = rows[rows["indicator"].isin(shown)]
    out = [
        "<h3>Values of a parent region</h3><p>Where a country publishes an "
        "indicator only for its NUTS 1 regions (or nationally), its regions take "
        "the parent's value, marked † in the tables and as open dots in the "
        "figures; a region's own value is always used when it exists.</p><ul>"
    ]
    for ind, block in rows.groupby("indicator", sort=False):
        parts = []
        for lv, b in block.groupby("source_level"):
            countries = b["geo"].str[:2].value_counts().sort_index()
            listed = ", ".join(f"{c} ({n})" for c, n in countries.items())
            plural = "s" if len(b) != 1 else ""
            parts.append(f"NUTS {int(str(lv))}: {len(b)} region{plural} of {listed}")
        out.append(
            f"<li>{escape(data.label(str(ind)))}: {escape('; '.join(parts))}</li>"
        )
    out.append("</ul>")
    return out


_REPORTING = {
    "complete": "every region",
    "partial": "some regions",
    "higher_level_only": "a higher level only",
    "none": "no value",
}


def _country(row: dict, how: str) -> str:
    """Write a country of the coverage list: "FR (26 of 27)", "DE (NUTS 1)", "AT"."""
    if how == "partial":
        return f"{row['country']} ({row['n_with_value']} of {row['n_regions']})"
    if how == "higher_level_only" and pd.notna(row["reported_level"]):
        return f"{row['country']} (NUTS {int(row['reported_level'])})"
    return str(row["country"])


def _levels(data: ReportData) -> list[str]:
    """Per indicator, which countries report it at which level."""
    table = data.coverage_levels
    if table.empty:
        return []
    out = [
        "<h3>Who reports each indicator at which level</h3><p>The latest year "
        f"with a value in the {data.year} window; NUTS {data.level} is the report's "
        "level.</p><table><tr><th>Indicator</th><th>Countries</th></tr>"
    ]
    order = {i: n for n, i in enumerate(data.catalogue["indicator"])}
    for ind in sorted(set(table["indicator"]), key=lambda i: order.get(i, 0)):
        block = table[table["indicator"] == ind]
        parts = [
            f"{_REPORTING.get(str(how), str(how))}: "
            + ", ".join(_country(row, str(how)) for row in rows.to_dict("records"))
            for how, rows in block.groupby("reporting", sort=False)
        ]
        out.append(
            f"<tr><td>{escape(data.label(str(ind)))}</td>"
            f"<td>{escape('; '.join(parts))}</td></tr>"
        )
    out.append("</table>")
    return out


def _recoded(data: ReportData, shown: list[str]) -> list[str]:
    """Say which version is used and why, then what was recoded or left out."""
    info = data.panel_info.get("indicators", {})
    out = [
        "<h3>NUTS versions and years</h3>",
        f"<p>Regions, members and maps are in NUTS {data.nuts_year}. "
        f"{escape(data.nuts_year_reason)}</p><ul>",
    ]
    for ind in shown:
        counts = info.get(ind, {}).get("nuts_recode") or {}
        other = data.recoding.get(ind, {}).get("not_in_index") or []
        bits = [
            f"{counts[k]} code{'s' if counts[k] != 1 else ''} {k}"
            for k in ("recoded", "merged")
            if counts.get(k)
        ]
        if other:
            bits.append(
                f"{len(other)} code{'s' if len(other) != 1 else ''} not in "
                f"NUTS {data.nuts_year} left out "
                f"(e.g. {', '.join(map(str, other[:6]))})"
            )
        n_other_year = info.get(ind, {}).get("n_other_year", 0)
        if n_other_year:
            bits.append(f"{n_other_year} regions use a value from an earlier year")
        if bits:
            out.append(f"<li>{escape(data.label(ind))}: {escape('; '.join(bits))}</li>")
    if "nuts_note" in data.members.columns:
        moved = data.members[data.members["nuts_change"].astype(str) != "unchanged"]
        for note in sorted(set(moved["nuts_note"].astype(str))):
            out.append(f"<li>Partnership member {escape(note)}</li>")
    out.append(
        f"<li>Values are matched to NUTS {data.nuts_year} regions along Eurostat's "
        "official correspondence; codes that cannot be matched are not recoded "
        "silently but left out and counted above.</li></ul>"
    )
    return out


def _unavailable(data: ReportData) -> list[str]:
    if not data.unavailable:
        return []
    out = ["<h3>Indicators not available from the current sources</h3><ul>"]
    for ind, reason in sorted(data.unavailable.items()):
        out.append(
            f"<li>{escape(data.label(ind))} ({escape(ind)}): "
            f"{escape(short_reason(reason))}</li>"
        )
    out.append("</ul>")
    return out


def _members_moved(data: ReportData) -> list[str]:
    """List the members whose listed code is another region in the report's version."""
    members = data.members
    moved = (
        members[members["nuts_change"].astype(str) != "unchanged"]
        if "nuts_change" in members.columns
        else members.iloc[:0]
    )
    if moved.empty and not data.member_notes:
        return []
    out = [f"<h3>Members followed to NUTS {data.nuts_year}</h3><ul>"]
    for row in moved.sort_values(["partnership_id", "geo"]).to_dict("records"):
        out.append(
            f"<li>{escape(str(row['partnership_id']))}: "
            f"{escape(str(row.get('listed_geo', '')))} → {escape(str(row['geo']))} "
            f"({escape(str(row['nuts_change']))}): {escape(str(row['nuts_note']))}</li>"
        )
    out.extend(f"<li>{escape(note)}</li>" for note in data.member_notes)
    out.append("</ul>")
    return out


def sources_annex(data: ReportData, indicators: list[str] | None = None) -> Html:
    """Build the "Sources and data quality" annex of a page.

    Parameters
    ----------
    data : ReportData
        The report tables.
    indicators : list of str, optional
        Indicators the report shows (default: every loaded one).

    Returns
    -------
    Html
        Escaped HTML: the datasets with their Eurostat last-update date and
        where they were read; the flagged values and the regions without data
        of each indicator; the regions without an index value and why; the
        values taken from a parent region; who reports each indicator at which
        level; the NUTS version used, why, and what was recoded or left out;
        the members followed to that version and those it leaves out; the
        indicators that could not be loaded.
    """
    shown = [i for i in (indicators or data.available) if i in data.available]
    return Html(
        "".join(
            [
                "<div class='rg-annex'>",
                *_datasets(data, set(data.datasets(shown))),
                *_flags(data, shown),
                *_excluded(data),
                *_parents(data, shown),
                *_levels(data),
                *_recoded(data, shown),
                *_members_moved(data),
                *_unavailable(data),
                "</div>",
            ]
        )
    )
