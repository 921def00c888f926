"""Which catalogue indicators enter the capacity index, and why the others do not.

The index of the reports (and of the getting-started notebook) uses every catalogue
indicator with a direction (``higher_is_better`` set; context indicators such as
population have none) that the panel holds, except

* :data:`FRAMEWORK_EXCLUDED`, indicators that duplicate another one, and those of
  :data:`FRAMEWORK_DUPLICATES` when the one they duplicate enters;
* indicators that compare within a country only (``comparability`` is
  ``within_country`` in the catalogue: hospitals counted from national registers
  that count differently), whose gaps across countries would be read as gaps in
  capacity;
* indicators with a value for fewer than ``min_indicator_coverage`` of the regions
  (:data:`MIN_INDICATOR_COVERAGE` by default);
* indicators that have no value for any region of a country which no other
  indicator of the same pillar covers: a pillar without any observed indicator
  cannot be imputed from the pillar's other indicators, so one partial indicator
  would drop the whole country from the index. (A country the pillar's other
  indicators cover keeps the indicator: R&D expenditure has no 2016–2019 value for
  France and the Netherlands in Eurostat's summary table, and pillar-mean
  imputation fills it from their other research indicators.)

:func:`index_framework` makes that choice once, from a panel; the framework it
returns is what :func:`regiongap.capacity_index` and
:func:`regiongap.index_uncertainty` take (with ``imputation="pillar_mean"``, as the
reports), and its ``attrs`` name every region that still lacks a value, and the
regions that lack every indicator of a pillar, which the index leaves out.
"""

from __future__ import annotations

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.indicators.catalogue import catalogue
from regiongap.schema import GEO

__all__ = [
    "FRAMEWORK_COLUMNS",
    "FRAMEWORK_DUPLICATES",
    "FRAMEWORK_EXCLUDED",
    "MIN_INDICATOR_COVERAGE",
    "index_framework",
]

#: Indicators with a direction that the index leaves out, with the reason.
FRAMEWORK_EXCLUDED: dict[str, str] = {
    "gdp_pps_per_inhabitant_index": "duplicates GDP per inhabitant in PPS",
}
#: Indicators left out when the one they duplicate enters: {id: the other id}.
FRAMEWORK_DUPLICATES: dict[str, str] = {
    "employment_rate_15_64": "employment_rate_20_64",
}
#: Share of regions an indicator needs a value for to enter the index.
MIN_INDICATOR_COVERAGE = 0.8
#: Columns of the framework :func:`index_framework` returns.
FRAMEWORK_COLUMNS: tuple[str, ...] = ("indicator", "pillar", "higher_is_better")


def _check_share(value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= 1
    ):
        msg = (
            f"min_indicator_coverage={value!r} is not a share; use a number from "
            "0 to 1, e.g. 0.8"
        )
        raise SchemaError(msg)
    return float(value)


def _country_of(panel: pd.DataFrame) -> pd.Series:
    if "country" in panel.columns:
        return panel["country"].astype(str)
    codes = panel.index if panel.index.name == GEO or GEO not in panel else panel[GEO]
    return pd.Series(pd.Index(codes).astype(str).str[:2], index=panel.index)


def _higher_level_hint(panel: pd.DataFrame) -> str:
    meta = panel.attrs.get("panel")
    if not isinstance(meta, dict) or meta.get("fill_from_parent", True):
        return ""
    return (
        " (where a country publishes it at a higher level only, "
        "panel(fill_from_parent=True) uses those values)"
    )


def _uncovered(
    panel: pd.DataFrame, keep: list[str], pillar_of: dict[str, str]
) -> dict[str, list[str]]:
    """Map each indicator to the countries it misses that no pillar sibling covers."""
    countries = _country_of(panel)
    every = set(countries)
    covered = {i: set(countries[panel[i].notna()]) for i in keep}
    out = {}
    for ind in keep:
        others = set().union(
            *(covered[j] for j in keep if j != ind and pillar_of[j] == pillar_of[ind])
        )
        lost = sorted(every - covered[ind] - others)
        if lost:
            out[ind] = lost
    return out


def _reason(
    ind: str, share: float, needed: float, row: pd.Series, entered: set[str]
) -> str | None:
    """Why *ind* stays out of the index (None: it passes these rules)."""
    if ind in FRAMEWORK_EXCLUDED:
        return FRAMEWORK_EXCLUDED[ind]
    other = FRAMEWORK_DUPLICATES.get(ind)
    if other is not None and other in entered:
        return f"duplicates {other}, which enters"
    if row["comparability"] == "within_country":
        return (
            "comparable within a country only (national registers count "
            "differently), so its gaps across countries are not gaps in capacity"
        )
    if share < needed:
        return f"only {share:.0%} of regions have a value ({needed:.0%} needed)"
    return None


def _gaps(
    panel: pd.DataFrame, framework: pd.DataFrame
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Regions missing framework indicators; those missing a whole pillar, why."""
    missing: dict[str, list[str]] = {}
    left: dict[str, str] = {}
    ids = framework["indicator"].tolist()
    if not ids:
        return missing, left
    absent = panel[ids].isna()
    pillars = {
        str(p): list(members)
        for p, members in framework.groupby("pillar", sort=False)["indicator"]
    }
    for geo, row in absent.loc[absent.any(axis=1)].iterrows():
        missing[str(geo)] = [i for i in ids if row[i]]
        empty = [p for p, members in pillars.items() if row[members].all()]
        if empty:
            left[str(geo)] = "no value for any indicator of " + "; ".join(
                f"{p} ({', '.join(pillars[p])})" for p in empty
            )
    return missing, left


def index_framework(
    panel: pd.DataFrame, *, min_indicator_coverage: float = MIN_INDICATOR_COVERAGE
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Choose the capacity index's indicators from the ones a panel holds.

    Parameters
    ----------
    panel : pandas.DataFrame
        A regional panel, one row per region and one column per catalogue
        indicator (:func:`regiongap.panel`, best with ``fill_from_parent=True``);
        other columns are ignored. A ``country`` column (else the first two
        letters of the index) gives each region's country.
    min_indicator_coverage : float, default 0.8
        Share of the panel's regions (0 to 1) an indicator needs a value for.

    Returns
    -------
    framework : pandas.DataFrame
        ``indicator, pillar, higher_is_better`` (bool), one row per indicator
        that enters the index, in catalogue order. ``framework.attrs`` holds
        ``missing`` ({geo: framework indicators the region has no value for})
        and ``left_out_regions`` ({geo: reason} for the regions without any
        value in a whole pillar, which the index cannot impute and leaves out).
    left_out : dict of str to str
        ``{indicator: reason}`` for the panel's indicators with a direction that
        do not enter it: :data:`FRAMEWORK_EXCLUDED`, a duplicate of one that
        enters (:data:`FRAMEWORK_DUPLICATES`), comparable within a country
        only, too few regions with a value, or no value for a whole country that
        no other indicator of its pillar covers.

    Raises
    ------
    SchemaError
        If *panel* is not a DataFrame or *min_indicator_coverage* is not a
        number from 0 to 1.

    Examples
    --------
    Three regions; unemployment is missing for one of them, population is
    context (no direction):

    >>> import pandas as pd
    >>> panel = pd.DataFrame(
    ...     {
    ...         "gdp_pps_per_inhabitant": [30500.0, 22400.0, 41800.0],
    ...         "gdp_pps_per_inhabitant_index": [94.0, 69.0, 129.0],
    ...         "unemployment_rate_15_74": [4.1, None, 9.8],
    ...         "population": [297_583.0, 1_698_796.0, 1_911_191.0],
    ...     },
    ...     index=pd.Index(["AT11", "AT12", "AT13"], name="geo"),
    ... )
    >>> framework, left_out = index_framework(panel)
    >>> framework
                    indicator             pillar  higher_is_better
    0  gdp_pps_per_inhabitant  economic_resources              True
    >>> left_out
    {'gdp_pps_per_inhabitant_index': 'duplicates GDP per inhabitant in PPS',
     'unemployment_rate_15_74': 'only 67% of regions have a value (80% needed)'}
    >>> relaxed, _ = index_framework(panel, min_indicator_coverage=0.5)
    >>> relaxed["indicator"].tolist()
    ['gdp_pps_per_inhabitant', 'unemployment_rate_15_74']
    >>> relaxed.attrs["left_out_regions"]
    {'AT12': 'no value for any indicator of human_capital (unemployment_rate_15_74)'}

    An indicator that misses a whole country its pillar cannot cover stays out:

    >>> panel = pd.DataFrame(
    ...     {"gdp_pps_per_inhabitant": [30500.0, 22400.0, 41800.0, 45000.0, 39000.0],
    ...      "internet_access_households": [90.0, 91.0, 92.0, 89.0, None]},
    ...     index=pd.Index(["AT11", "AT12", "AT13", "AT21", "DE11"], name="geo"))
    >>> index_framework(panel)[1]
    {'internet_access_households': 'no value for any region of DE, and no other indicator of digital_infrastructure has one'}
    """  # noqa: E501  (a doctest's expected output is one line)
    if not isinstance(panel, pd.DataFrame):
        msg = f"panel must be a pandas DataFrame, got {type(panel).__name__}"
        raise SchemaError(msg)
    needed = _check_share(min_indicator_coverage)
    table = catalogue()
    candidates = table[
        table["indicator"].isin(panel.columns) & table["higher_is_better"].notna()
    ].set_index("indicator", drop=False)
    entered = set(candidates["indicator"]) - set(FRAMEWORK_EXCLUDED)
    left_out: dict[str, str] = {}
    keep = []
    for ind, row in candidates.iterrows():
        share = float(panel[ind].notna().mean()) if len(panel) else 0.0
        reason = _reason(str(ind), share, needed, row, entered)
        if reason is None:
            keep.append(str(ind))
        else:
            left_out[str(ind)] = reason
    pillar_of = {str(k): str(v) for k, v in candidates["pillar"].items()}
    for ind, lost in _uncovered(panel, keep, pillar_of).items():
        left_out[ind] = (
            f"no value for any region of {', '.join(lost)}, and no other indicator "
            f"of {pillar_of[ind]} has one" + _higher_level_hint(panel)
        )
        keep.remove(ind)
    framework = candidates[candidates["indicator"].isin(keep)]
    framework = framework[list(FRAMEWORK_COLUMNS)].reset_index(drop=True)
    framework["higher_is_better"] = framework["higher_is_better"].astype(bool)
    left_out = {i: left_out[i] for i in candidates["indicator"] if i in left_out}
    framework.attrs["missing"], framework.attrs["left_out_regions"] = _gaps(
        panel, framework
    )
    return framework, left_out
