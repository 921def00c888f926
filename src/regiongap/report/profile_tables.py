"""Tables of a partnership page's newer sections: infrastructure to matchmaking.

Each function takes the report's :class:`~regiongap.report.data.ReportData` and a
partnership id and returns a :class:`~regiongap.report.display.Table` built from
the results :mod:`regiongap.report.compute` stored once per build: nothing is
computed here but the layout.
"""

from __future__ import annotations

import pandas as pd

from regiongap.report.data import ReportData
from regiongap.report.display import (
    MISSING_TEXT,
    Table,
    decimals,
    number_format,
    pillar_label,
)
from regiongap.viz.categories import LISA_LABELS

__all__ = [
    "ASSUMPTIONS",
    "MENTOR_PAIRS",
    "PARENT_MARK",
    "cluster_table",
    "collective_table",
    "complementary_table",
    "indicator_heading",
    "infrastructure_table",
    "mentor_table",
    "mobility_table",
    "sensitivity_matrix",
]

#: Readable names of the index's assumptions (Sobol factors).
ASSUMPTIONS = {
    "normalisation": "Normalisation",
    "aggregation": "Aggregation",
    "imputation": "Imputation",
    "pillar_weights": "Pillar weights",
    "coverage": "Coverage threshold",
}
#: Mentor pairs listed per partnership (largest gaps first).
MENTOR_PAIRS = 10

#: Marks a value taken from the region's NUTS 1 or national parent.
PARENT_MARK = "†"


def indicator_heading(data: ReportData, indicator: str) -> str:
    """Return a column heading with the unit: "Households with internet … (% …)".

    Parameters
    ----------
    data : ReportData
        The report tables (catalogue).
    indicator : str
        Indicator id.

    Returns
    -------
    str
        The title, with the unit in brackets when the catalogue has one.
    """
    unit = data.unit(indicator)
    return f"{data.label(indicator)} ({unit})" if unit else data.label(indicator)


def _cell(value: float, digits: int, year: int | None, level: object, own: int) -> str:
    """One member's value: decimals, parent mark, year when not the reference."""
    if pd.isna(value):
        return MISSING_TEXT
    text = number_format(digits).format(value)
    parent = pd.to_numeric(pd.Series([level]), errors="coerce").iloc[0]
    if pd.notna(parent) and int(parent) < own:
        text += PARENT_MARK
    return text + (f" ({year})" if year is not None else "")


def infrastructure_table(data: ReportData, partnership_id: str) -> Table:
    """Members' values on each infrastructure and resource indicator, with references.

    Every value has the decimals of its indicator, its data year in brackets
    when it is not the reference year, and :data:`PARENT_MARK` when it is the
    value of the region's NUTS 1 or national parent. The last rows give the
    partnership median, the EU-27 median and the best member.

    Parameters
    ----------
    data : ReportData
        The report tables.
    partnership_id : str
        Partnership id.

    Returns
    -------
    Table
        Index "Region"; one column per indicator (heading with its unit).
    """
    rows = data.of_partnership("infrastructure", partnership_id)
    if rows.empty:
        return Table.of(pd.DataFrame())
    names = data.names
    columns: dict[str, list[str]] = {}
    members = list(dict.fromkeys(rows["geo"].astype(str)))
    for ind, block in rows.groupby("indicator", sort=False):
        block = block.set_index("geo").reindex(members)
        digits = decimals(data.panel[str(ind)]) if ind in data.panel else 1
        fmt = number_format(digits)
        years = [
            None if pd.isna(y) or int(y) == data.year else int(y) for y in block["year"]
        ]
        cells = [
            _cell(v, digits, y, lv, data.level)
            for v, y, lv in zip(
                block["value"], years, block["source_level"], strict=True
            )
        ]
        first = block.iloc[0]
        best = first["best_geo"]
        cells += [
            fmt.format(first["partnership_median"]),
            fmt.format(first["eu27_median"]),
            MISSING_TEXT
            if pd.isna(best)
            else f"{fmt.format(first['best_value'])} ({names.get(str(best), best)})",
        ]
        columns[indicator_heading(data, str(ind))] = cells
    index = [names.get(g, g) for g in members]
    index += ["Partnership median", "EU-27 median", "Best member"]
    return Table.of(pd.DataFrame(columns, index=pd.Index(index, name="Region")))


def cluster_table(data: ReportData, partnership_id: str) -> Table:
    """Each member's LISA cluster on the capacity index, with its neighbours' mean.

    Returns
    -------
    Table
        Index "Region"; NUTS code, cluster, the member's index, the mean index
        of its neighbours and the false-discovery-rate adjusted pseudo p-value.
        Members without an index value are listed with "–".
    """
    geos = data.members_of(partnership_id)["geo"].astype(str)
    clusters = data.clusters.reindex(geos)
    out = pd.DataFrame(
        {
            "Region": [data.names.get(g, g) for g in geos],
            "NUTS": geos.to_numpy(),
            "Cluster": [
                LISA_LABELS.get(str(c), str(c)) if pd.notna(c) else MISSING_TEXT
                for c in clusters["cluster"]
            ],
            "Capacity index (0–100)": clusters["value"].to_numpy(),
            "Neighbours' mean index": clusters["lag"].to_numpy(),
            "p (FDR-adjusted)": clusters["p_fdr"].to_numpy(),
        }
    )
    one = number_format(1)
    return Table.of(
        out.set_index("Region"),
        {
            "Capacity index (0–100)": one,
            "Neighbours' mean index": one,
            "p (FDR-adjusted)": "{:.3f}",
        },
    )


def mobility_table(data: ReportData, partnership_id: str) -> Table:
    """Mobility between quintile classes of GDP per inhabitant: members vs others.

    Returns
    -------
    Table
        Index "Regions" (members, other regions); regions followed, the
        Shorrocks index (0 = nobody moves, 1 = no memory), the shares (%) of
        bottom-fifth years followed by another bottom-fifth year, of moves up
        and down, and Kendall's tau between the first and the last year.
    """
    rows = data.of_partnership("mobility", partnership_id)
    if rows.empty:
        return Table.of(pd.DataFrame())
    out = pd.DataFrame(
        {
            "Regions": rows["group"].astype(str).str.capitalize().to_numpy(),
            "Followed": rows["n_regions"].astype(int).to_numpy(),
            "Shorrocks index": rows["shorrocks"].to_numpy(),
            "Stayed in the bottom fifth (%)": rows["stay_bottom"].to_numpy() * 100,
            "Moved up a fifth (%)": rows["moved_up"].to_numpy() * 100,
            "Moved down a fifth (%)": rows["moved_down"].to_numpy() * 100,
            "Kendall's τ, first to last year": rows["kendall_tau"].to_numpy(),
        }
    )
    one, three = number_format(1), "{:.3f}"
    return Table.of(
        out.set_index("Regions"),
        {
            "Shorrocks index": three,
            "Stayed in the bottom fifth (%)": one,
            "Moved up a fifth (%)": one,
            "Moved down a fifth (%)": one,
            "Kendall's τ, first to last year": three,
        },
    )


def sensitivity_matrix(data: ReportData, partnership_id: str) -> pd.DataFrame:
    """Return member × assumption total-order Sobol indices of the rank (0–1).

    Parameters
    ----------
    data : ReportData
        The report tables.
    partnership_id : str
        Partnership id.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (members with an index value, in member order), one
        column per assumption (readable names); empty when not computed.
    """
    table = data.sensitivity
    if table.empty:
        return pd.DataFrame()
    wide = table.pivot(index="geo", columns="assumption", values="total_order")
    geos = [
        g for g in data.members_of(partnership_id)["geo"].astype(str) if g in wide.index
    ]
    order = [a for a in ASSUMPTIONS if a in wide.columns]
    return wide.reindex(index=geos, columns=order).rename(columns=ASSUMPTIONS)


def _names(data: ReportData, geos: pd.Series) -> list[str]:
    return [data.names.get(str(g), str(g)) for g in geos]


def _pillar_text(text: object, data: ReportData) -> str:
    """Replace pillar ids in a metric's explanation with readable names."""
    out = str(text)
    for pillar in sorted(data.pillars.columns, key=len, reverse=True):
        out = out.replace(str(pillar), pillar_label(str(pillar)))
    return out


def mentor_table(data: ReportData, partnership_id: str) -> Table:
    """List who could mentor whom, pillar by pillar (largest gaps first).

    Returns
    -------
    Table
        :data:`MENTOR_PAIRS` rows at most: pillar, mentor, mentee, their pillar
        scores (0–100), the gap, and the rank of the pair by the closeness of
        the two members' overall profiles (1 = most alike).
    """
    rows = data.of_partnership("mentors", partnership_id).head(MENTOR_PAIRS)
    if rows.empty:
        return Table.of(pd.DataFrame())
    names = data.names
    out = pd.DataFrame(
        {
            "Pillar": [pillar_label(str(p)) for p in rows["pillar"]],
            "Mentor": [names.get(str(g), str(g)) for g in rows["mentor"]],
            "Mentor's score": rows["mentor_score"].to_numpy(),
            "Mentee": [names.get(str(g), str(g)) for g in rows["mentee"]],
            "Mentee's score": rows["mentee_score"].to_numpy(),
            "Gap (points)": rows["gap"].to_numpy(),
            "Profile closeness (rank)": rows["proximity_rank"].astype(int).to_numpy(),
        }
    )
    one = number_format(1)
    return Table.of(
        out,
        {"Mentor's score": one, "Mentee's score": one, "Gap (points)": one},
    )


def collective_table(data: ReportData, partnership_id: str) -> Table:
    """Per pillar: the best member against the EU-27's top decile; covered or not.

    Returns
    -------
    Table
        Index "Pillar": best member and score, the members' median, the EU-27
        top decile (90th percentile) and whether a member reaches it.
    """
    rows = data.of_partnership("collective", partnership_id)
    if rows.empty:
        return Table.of(pd.DataFrame())
    out = pd.DataFrame(
        {
            "Pillar": [pillar_label(str(p)) for p in rows["pillar"]],
            "Best member": [
                data.names.get(str(g), str(g)) for g in rows["best_member"]
            ],
            "Best score (0–100)": rows["best_score"].to_numpy(),
            "Members' median": rows["members_median"].to_numpy(),
            "EU-27 top decile": rows["eu27_top_decile"].to_numpy(),
            "A member in the top decile": [
                "yes" if bool(c) else "no — no member covers it"
                for c in rows["covered"]
            ],
        }
    )
    one = number_format(1)
    formats = dict.fromkeys(out.columns[2:5], one)
    return Table.of(out.set_index("Pillar"), formats)


def complementary_table(data: ReportData, partnership_id: str) -> Table:
    """Regions outside the partnership strongest in the pillars it lacks.

    Returns
    -------
    Table
        Index "Region": NUTS code, the complement score (in standard
        deviations), what explains it, the region's index and how the
        partnership's dispersion of the index would change if it joined.
    """
    rows = data.of_partnership("complementary", partnership_id)
    if rows.empty:
        return Table.of(pd.DataFrame())
    out = pd.DataFrame(
        {
            "Region": [data.names.get(str(g), str(g)) for g in rows["geo"]],
            "NUTS": rows["geo"].astype(str).to_numpy(),
            "Complement score (SD)": rows["complement_score"].to_numpy(),
            "Why": [_pillar_text(t, data) for t in rows["explained_by"]],
            "Capacity index (0–100)": rows["index"].to_numpy(),
            "Change of the members' CV if it joined": rows["delta_cv"].to_numpy(),
        }
    )
    return Table.of(
        out.set_index("Region"),
        {
            "Complement score (SD)": "{:.2f}",
            "Capacity index (0–100)": number_format(1),
            "Change of the members' CV if it joined": "{:+.3f}",
        },
    )
