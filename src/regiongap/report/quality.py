"""What the pages say about the data behind the index, computed once per build.

* :func:`excluded_regions` — every region without an index value, and why (no
  region leaves the index without the page naming it);
* :func:`parent_values` — the values a region took from its NUTS 1 or NUTS 0
  parent because its country publishes the indicator only there (the Regional
  Innovation Scoreboard's practice, marked and listed, never hidden);
* :func:`coverage_levels` — per indicator and country, the NUTS level the
  country reports at, so that "70 % coverage" is never a mystery (the categories
  of :func:`regiongap.coverage` with ``by="country"``, read from the panel the
  pages show).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = [
    "COVERAGE_LEVEL_COLUMNS",
    "PARENT_COLUMNS",
    "coverage_levels",
    "excluded_regions",
    "parent_values",
]

#: Columns of :func:`parent_values`.
PARENT_COLUMNS = ["indicator", "geo", "value", "year", "source_level"]
#: Columns of :func:`coverage_levels`.
COVERAGE_LEVEL_COLUMNS = [
    "indicator",
    "country",
    "n_regions",
    "n_with_value",
    "reported_level",
    "reporting",
    "year",
]


def excluded_regions(
    scores: pd.DataFrame,
    names: Mapping[str, str],
    left_out: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return the regions without an index value, with the reason for each.

    Parameters
    ----------
    scores : pandas.DataFrame
        Index scores by ``geo`` with ``index`` and ``excluded_reason``
        (:func:`regiongap.capacity_index`).
    names : mapping of str to str
        Region names by ``geo``.
    left_out : mapping of str to str, optional
        Further reasons by ``geo`` (e.g. the framework's
        ``attrs["left_out_regions"]``: a whole pillar without a value).

    Returns
    -------
    pandas.DataFrame
        ``region_name, reason`` by ``geo``, sorted by code.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame(
    ...     {"index": [50.0, None], "excluded_reason": [None, "coverage 0.33 < 0.60"]},
    ...     index=pd.Index(["AT11", "HR02"], name="geo"),
    ... )
    >>> excluded_regions(scores, {"HR02": "Panonska Hrvatska"})
                 region_name                reason
    geo
    HR02  Panonska Hrvatska  coverage 0.33 < 0.60
    """
    missing = scores[scores["index"].isna()]
    reasons = {
        str(g): str(r) if pd.notna(r) else "no index value"
        for g, r in zip(missing.index, missing.get("excluded_reason", []), strict=False)
    }
    for geo, reason in (left_out or {}).items():
        if str(geo) in reasons and str(reason) not in reasons[str(geo)]:
            reasons[str(geo)] += f"; {reason}"
    geos = sorted(reasons)
    return pd.DataFrame(
        {
            "region_name": [names.get(g, g) for g in geos],
            "reason": [reasons[g] for g in geos],
        },
        index=pd.Index(geos, name="geo"),
    )


def parent_values(panel: pd.DataFrame, indicators: Iterable[str]) -> pd.DataFrame:
    """Return the values taken from a parent region, one row per region and indicator.

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel built with ``fill_from_parent=True`` (``{id}__from_parent`` and
        ``{id}__source_level`` columns; a panel without them has none).
    indicators : iterable of str
        The indicators to look at.

    Returns
    -------
    pandas.DataFrame
        :data:`PARENT_COLUMNS`, sorted by indicator and region.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame(
    ...     {"internet": [91.0, 88.0], "internet__year": [2019, 2019],
    ...      "internet__source_level": [2, 1],
    ...      "internet__from_parent": [False, True]},
    ...     index=pd.Index(["AT11", "DE11"], name="geo"),
    ... )
    >>> parent_values(panel, ["internet", "gdp"])
      indicator   geo  value  year  source_level
    0  internet  DE11   88.0  2019             1
    """
    rows = []
    for ind in indicators:
        flag = panel.get(f"{ind}__from_parent")
        if flag is None:
            continue
        picked = panel[flag.fillna(False).astype(bool)]
        for geo, row in picked.iterrows():
            rows.append(
                {
                    "indicator": ind,
                    "geo": str(geo),
                    "value": float(row[ind]),
                    "year": row.get(f"{ind}__year"),
                    "source_level": row.get(f"{ind}__source_level"),
                }
            )
    out = pd.DataFrame(rows, columns=PARENT_COLUMNS)
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out["source_level"] = pd.to_numeric(out["source_level"]).astype("Int64")
    return out.sort_values(["indicator", "geo"]).reset_index(drop=True)


def _country_row(
    indicator: str, country: str, rows: pd.DataFrame, level: int
) -> dict[str, object]:
    """How one country reports one indicator in the panel."""
    has = rows[indicator].notna()
    levels = pd.to_numeric(
        rows.get(f"{indicator}__source_level", pd.Series(level, index=rows.index)),
        errors="coerce",
    )
    own = has & (levels.isna() | (levels >= level))
    year_column = f"{indicator}__year"
    years = (
        pd.to_numeric(rows[year_column], errors="coerce")
        if year_column in rows.columns
        else pd.Series(float("nan"), index=rows.index)
    )
    if own.all():
        reporting = "complete"
    elif own.any():
        reporting = "partial"
    elif has.any():
        reporting = "higher_level_only"
    else:
        reporting = "none"
    reported = levels[has].max() if has.any() else pd.NA
    if has.any() and pd.isna(reported):
        reported = level
    return {
        "indicator": indicator,
        "country": country,
        "n_regions": len(rows),
        "n_with_value": int(own.sum()),
        "reported_level": reported,
        "reporting": reporting,
        "year": years[has].max() if has.any() else pd.NA,
    }


def coverage_levels(
    panel: pd.DataFrame, indicators: Iterable[str], level: int
) -> pd.DataFrame:
    """Return, per indicator and country, the level the country reports at.

    Read from the panel the pages show: ``complete`` when every region of the
    country has its own value, ``partial`` when some have, ``higher_level_only``
    when the regions only have their parent's value (``{id}__source_level``),
    ``none`` when no region has a value. The same categories as
    :func:`regiongap.coverage` with ``by="country"``, for the report's year.

    Parameters
    ----------
    panel : pandas.DataFrame
        The panel indexed by ``geo``, with a ``country`` column.
    indicators : iterable of str
        The indicators to describe.
    level : int
        NUTS level of the panel.

    Returns
    -------
    pandas.DataFrame
        :data:`COVERAGE_LEVEL_COLUMNS`, one row per indicator and country:
        ``n_with_value`` counts the regions with their own value,
        ``reported_level`` is the finest level with a value, ``year`` the
        latest data year used.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame(
    ...     {"country": ["AT", "AT", "DE", "DE", "FR"],
    ...      "internet": [91.0, 88.0, 90.0, 90.0, None],
    ...      "internet__year": [2019, 2019, 2019, 2019, None],
    ...      "internet__source_level": [2, 2, 1, 1, None]},
    ...     index=pd.Index(["AT11", "AT12", "DE11", "DE12", "FR10"], name="geo"),
    ... )
    >>> coverage_levels(panel, ["internet"], 2)[["country", "reporting",
    ...                                          "reported_level"]]
      country          reporting  reported_level
    0      AT           complete               2
    1      DE  higher_level_only               1
    2      FR               none            <NA>
    """
    wanted = [i for i in indicators if i in panel.columns]
    columns = [c for c in panel.columns if str(c).split("__")[0] in set(wanted)]
    light = panel[["country", *columns]].copy()
    light.attrs = {}  # pandas deep-copies attrs on every step: the panel's are large
    rows = [
        _country_row(ind, str(country), block, level)
        for ind in wanted
        for country, block in light.groupby("country", sort=True)
    ]
    out = pd.DataFrame(rows, columns=COVERAGE_LEVEL_COLUMNS)
    out["reported_level"] = pd.to_numeric(out["reported_level"]).astype("Int64")
    out["year"] = pd.to_numeric(out["year"]).astype("Int64")
    return out
