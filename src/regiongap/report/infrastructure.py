"""Infrastructure and resources: where each member stands, computed once per build.

The partnerships' own conclusion is that regions differ in the infrastructures and
resources available to them. For every partnership with member regions and every
infrastructure or resource indicator the panel holds, :func:`member_positions`
places each member against the partnership median, the EU-27 median and the best
member, with the references and the sign of the gaps of
:func:`regiongap.metrics.partnerships.gaps.partnership_gaps` (negative means
behind; computed here for all partnerships at once, a test checks both agree),
and adds the member's percentile among the
EU-27 regions with a value (and that of the partnership median), the data year and
the NUTS level the value comes from
(a value taken from the NUTS 1 or NUTS 0 parent is marked, never hidden).

Which indicators count: those of the pillars in :data:`INFRASTRUCTURE_PILLARS`
and the resources of :data:`RESOURCE_INDICATORS`, in catalogue order, that have a
direction (a higher value is better or worse).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "INFRASTRUCTURE_PILLARS",
    "POSITION_COLUMNS",
    "RESOURCE_INDICATORS",
    "infrastructure_indicators",
    "member_positions",
    "source_levels",
]

#: Pillars whose indicators are infrastructure.
INFRASTRUCTURE_PILLARS = (
    "digital_infrastructure",
    "transport_infrastructure",
    "health_infrastructure",
    "infrastructure",
)
#: Indicators of other pillars that measure resources a partner brings.
RESOURCE_INDICATORS = (
    "rd_expenditure_pct_gdp",
    "rd_expenditure_business_pct_gdp",
    "rd_personnel_pct_employment",
    "tertiary_attainment_25_64",
)
#: Columns of :func:`member_positions`.
POSITION_COLUMNS = [
    "partnership",
    "indicator",
    "geo",
    "role",
    "value",
    "year",
    "source_level",
    "flag",
    "percentile",
    "partnership_median",
    "median_percentile",
    "eu27_median",
    "best_geo",
    "best_value",
    "gap_to_partnership_median",
    "gap_to_eu27_median",
    "gap_to_best",
]


def infrastructure_indicators(
    catalogue: pd.DataFrame, panel: pd.DataFrame, *, with_value: bool = True
) -> list[str]:
    """Return the infrastructure and resource indicators of *panel*, catalogue order.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        :func:`regiongap.catalogue` (``indicator``, ``pillar``,
        ``higher_is_better``).
    panel : pandas.DataFrame
        The regional panel (one column per indicator loaded).
    with_value : bool
        Only those with a value for at least one region (default); False
        lists every one the panel has a column for.

    Returns
    -------
    list of str
        Indicator ids with a column in *panel* and a direction.

    Examples
    --------
    >>> import pandas as pd
    >>> catalogue = pd.DataFrame({
    ...     "indicator": ["gdp", "broadband", "rd_expenditure_pct_gdp", "beds", "area"],
    ...     "pillar": ["economic_resources", "digital_infrastructure",
    ...                "research_innovation", "health_infrastructure", "context"],
    ...     "higher_is_better": [True, True, True, True, None],
    ... })
    >>> panel = pd.DataFrame({"gdp": [1.0], "broadband": [90.0],
    ...                       "rd_expenditure_pct_gdp": [1.2], "beds": [None]})
    >>> infrastructure_indicators(catalogue, panel)
    ['broadband', 'rd_expenditure_pct_gdp']
    >>> infrastructure_indicators(catalogue, panel, with_value=False)
    ['broadband', 'rd_expenditure_pct_gdp', 'beds']
    """
    wanted = catalogue["pillar"].astype(str).isin(INFRASTRUCTURE_PILLARS) | catalogue[
        "indicator"
    ].astype(str).isin(RESOURCE_INDICATORS)
    directed = catalogue["higher_is_better"].notna()
    rows = catalogue[wanted & directed]
    found = [str(i) for i in rows["indicator"] if i in panel.columns]
    if with_value:
        found = [i for i in found if panel[i].notna().any()]
    return found


def source_levels(panel: pd.DataFrame, indicator: str, level: int) -> pd.Series:
    """Return the NUTS level each region's value of *indicator* comes from.

    Parameters
    ----------
    panel : pandas.DataFrame
        The regional panel; a ``{indicator}__source_level`` column (values
        taken from a parent region) is read when present.
    indicator : str
        Indicator id.
    level : int
        The panel's own NUTS level.

    Returns
    -------
    pandas.Series
        ``Int64`` by ``geo``; ``<NA>`` where the region has no value.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame(
    ...     {"x": [1.0, 2.0, None], "x__source_level": [2, 1, None]},
    ...     index=["AT11", "DE11", "DE12"],
    ... )
    >>> source_levels(panel, "x", 2).tolist()
    [2, 1, <NA>]
    """
    column = f"{indicator}__source_level"
    if column in panel.columns:
        levels = pd.to_numeric(panel[column], errors="coerce").astype("Int64")
    else:
        levels = pd.Series(level, index=panel.index, dtype="Int64")
    return levels.where(panel[indicator].notna())


def _percentiles(values: pd.Series, higher_is_better: bool) -> pd.Series:
    """Share of the regions with a value that a region is ahead of or equal to."""
    return values.rank(pct=True, method="max", ascending=higher_is_better) * 100


def _percentile_of(
    values: pd.Series, points: pd.Series, higher_is_better: bool
) -> np.ndarray:
    """Share of *values* that each point is ahead of or equal to (as a region)."""
    ordered = np.sort(values.dropna().to_numpy(dtype=float))
    if not len(ordered):
        return np.full(len(points), np.nan)
    x = points.to_numpy(dtype=float)
    if higher_is_better:
        share = np.searchsorted(ordered, x, side="right") / len(ordered)
    else:
        share = 1 - np.searchsorted(ordered, x, side="left") / len(ordered)
    return np.where(np.isfinite(x), share * 100, np.nan)


def _one(
    panel: pd.DataFrame,
    indicator: str,
    higher_is_better: bool,
    members: pd.DataFrame,
    level: int,
) -> pd.DataFrame:
    """Positions of every partnership's members on one indicator."""
    values = panel[indicator].astype(float)
    out = members.copy()
    out["indicator"] = indicator
    geos = pd.Index(out["geo"])
    out["value"] = values.reindex(geos).to_numpy()
    for suffix, column in (("__year", "year"), ("__flag", "flag")):
        source = panel.get(f"{indicator}{suffix}")
        out[column] = None if source is None else source.reindex(geos).to_numpy()
    out["source_level"] = (
        source_levels(panel, indicator, level).reindex(geos).to_numpy()
    )
    percentiles = _percentiles(values.dropna(), higher_is_better)
    out["percentile"] = percentiles.reindex(geos).to_numpy()
    by_partnership = out.groupby("partnership", sort=False)["value"]
    out["partnership_median"] = by_partnership.transform("median")
    out["median_percentile"] = _percentile_of(
        values, out["partnership_median"], higher_is_better
    )
    out["eu27_median"] = float(values.median())
    best = by_partnership.transform("max" if higher_is_better else "min")
    out["best_value"] = best
    is_best = out["value"].eq(best) & out["value"].notna()
    first_best = out[is_best].drop_duplicates("partnership").set_index("partnership")
    out["best_geo"] = out["partnership"].map(first_best["geo"])
    sign = 1.0 if higher_is_better else -1.0
    for reference in ("partnership_median", "eu27_median"):
        out[f"gap_to_{reference}"] = sign * (out["value"] - out[reference])
    out["gap_to_best"] = sign * (out["value"] - out["best_value"])
    return out


def member_positions(
    panel: pd.DataFrame,
    catalogue: pd.DataFrame,
    members: pd.DataFrame,
    indicators: list[str],
    level: int,
) -> pd.DataFrame:
    """Place every partnership's members on each infrastructure and resource indicator.

    Parameters
    ----------
    panel : pandas.DataFrame
        The EU-27 regional panel indexed by ``geo`` (``{id}``, ``{id}__year``,
        ``{id}__flag`` and, for values from a parent region,
        ``{id}__source_level``).
    catalogue : pandas.DataFrame
        :func:`regiongap.catalogue` (for each indicator's direction).
    members : pandas.DataFrame
        ``partnership_id, geo, role``: the members at the panel's level.
    indicators : list of str
        The indicators (e.g. :func:`infrastructure_indicators`).
    level : int
        NUTS level of the panel.

    Returns
    -------
    pandas.DataFrame
        :data:`POSITION_COLUMNS`, one row per partnership, indicator and
        member (members without a value keep a row with NaN).

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame(
    ...     {"broadband": [90.0, 70.0, 80.0, 60.0],
    ...      "broadband__year": [2019] * 4,
    ...      "broadband__flag": [None] * 4},
    ...     index=pd.Index(["AT11", "AT12", "AT13", "BE10"], name="geo"),
    ... )
    >>> catalogue = pd.DataFrame(
    ...     {"indicator": ["broadband"], "higher_is_better": [True]}
    ... )
    >>> members = pd.DataFrame({"partnership_id": ["p", "p"],
    ...                         "geo": ["AT11", "AT12"], "role": ["lead", "member"]})
    >>> out = member_positions(panel, catalogue, members, ["broadband"], 2)
    >>> out[["geo", "value", "partnership_median", "eu27_median", "best_geo"]]
        geo  value  partnership_median  eu27_median best_geo
    0  AT11   90.0                80.0         75.0     AT11
    1  AT12   70.0                80.0         75.0     AT11
    >>> out[["gap_to_eu27_median", "gap_to_best", "percentile", "source_level"]]
       gap_to_eu27_median  gap_to_best  percentile  source_level
    0                15.0          0.0       100.0             2
    1                -5.0        -20.0        50.0             2
    """
    direction = dict(
        zip(
            catalogue["indicator"].astype(str),
            catalogue["higher_is_better"],
            strict=True,
        )
    )
    wanted = [c for c in panel.columns if str(c).split("__")[0] in set(indicators)]
    light = panel[wanted].copy()
    light.attrs = {}  # pandas deep-copies attrs on every step: the panel's are large
    listed = pd.DataFrame(
        {
            "partnership": members["partnership_id"].astype(str).to_numpy(),
            "geo": members["geo"].astype(str).to_numpy(),
            "role": members["role"].astype(str).to_numpy(),
        }
    ).drop_duplicates(["partnership", "geo"])
    parts = [
        _one(light, ind, bool(direction[ind]), listed, level) for ind in indicators
    ]
    if not parts or listed.empty:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out["source_level"] = out["source_level"].astype("Int64")
    return out[POSITION_COLUMNS]
