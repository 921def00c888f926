"""Which catalogue indicators enter the capacity index, and why the others do not.

The index of the reports (and of the getting-started notebook) uses every catalogue
indicator with a direction (``higher_is_better`` set; context indicators such as
population have none) that the panel holds, except

* :data:`FRAMEWORK_EXCLUDED`, indicators that duplicate another one, and
* indicators with a value for fewer than ``min_indicator_coverage`` of the regions
  (:data:`MIN_INDICATOR_COVERAGE` by default): an indicator missing for whole
  countries would otherwise drop them from the index, since a pillar of one
  indicator cannot be imputed from the pillar's other indicators.

:func:`index_framework` makes that choice once, from a panel; the framework it
returns is what :func:`regiongap.capacity_index` and
:func:`regiongap.index_uncertainty` take.
"""

from __future__ import annotations

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.indicators.catalogue import catalogue

__all__ = [
    "FRAMEWORK_COLUMNS",
    "FRAMEWORK_EXCLUDED",
    "MIN_INDICATOR_COVERAGE",
    "index_framework",
]

#: Indicators with a direction that the index leaves out, with the reason.
FRAMEWORK_EXCLUDED: dict[str, str] = {
    "gdp_pps_per_inhabitant_index": "duplicates GDP per inhabitant in PPS",
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


def index_framework(
    panel: pd.DataFrame, *, min_indicator_coverage: float = MIN_INDICATOR_COVERAGE
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Choose the capacity index's indicators from the ones a panel holds.

    Parameters
    ----------
    panel : pandas.DataFrame
        A regional panel, one row per region and one column per catalogue
        indicator (:func:`regiongap.panel`); other columns are ignored.
    min_indicator_coverage : float, default 0.8
        Share of the panel's regions (0 to 1) an indicator needs a value for.

    Returns
    -------
    framework : pandas.DataFrame
        ``indicator, pillar, higher_is_better`` (bool), one row per indicator
        that enters the index, in catalogue order.
    left_out : dict of str to str
        ``{indicator: reason}`` for the panel's indicators with a direction that
        do not enter it (:data:`FRAMEWORK_EXCLUDED`, or too few regions with a
        value).

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
    >>> index_framework(panel, min_indicator_coverage=0.5)[0]["indicator"].tolist()
    ['gdp_pps_per_inhabitant', 'unemployment_rate_15_74']
    """
    if not isinstance(panel, pd.DataFrame):
        msg = f"panel must be a pandas DataFrame, got {type(panel).__name__}"
        raise SchemaError(msg)
    needed = _check_share(min_indicator_coverage)
    table = catalogue()
    candidates = table[
        table["indicator"].isin(panel.columns) & table["higher_is_better"].notna()
    ]
    left_out: dict[str, str] = {}
    keep = []
    for ind in candidates["indicator"]:
        share = float(panel[ind].notna().mean()) if len(panel) else 0.0
        if ind in FRAMEWORK_EXCLUDED:
            left_out[ind] = FRAMEWORK_EXCLUDED[ind]
        elif share < needed:
            left_out[ind] = (
                f"only {share:.0%} of regions have a value ({needed:.0%} needed)"
            )
        else:
            keep.append(ind)
    framework = candidates[candidates["indicator"].isin(keep)]
    framework = framework[list(FRAMEWORK_COLUMNS)].copy()
    framework["higher_is_better"] = framework["higher_is_better"].astype(bool)
    return framework.reset_index(drop=True), left_out
