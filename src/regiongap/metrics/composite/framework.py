"""The inputs of a capacity index: its framework and its region × indicator matrix.

OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, step 1
(theoretical framework): a declared table ``indicator, pillar,
higher_is_better[, weight]`` — for instance :func:`regiongap.catalogue` filtered
to the indicators wanted. :func:`validate_framework` checks it and
:func:`indicator_matrix` takes the framework's indicators out of the data
(a wide panel or a long frame) as one float matrix. Without a framework,
:func:`framework_or_default` takes the catalogue's framework for the indicators a
panel holds (:func:`regiongap.index_framework`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError, SchemaError
from regiongap.indicators.framework import index_framework

__all__ = [
    "FRAMEWORK_COLUMNS",
    "framework_or_default",
    "indicator_matrix",
    "validate_framework",
]

FRAMEWORK_COLUMNS: tuple[str, ...] = ("indicator", "pillar", "higher_is_better")
"""Columns a framework must have (``weight`` is optional)."""


def _require_frame(framework: object) -> pd.DataFrame:
    if not isinstance(framework, pd.DataFrame):
        msg = (
            "framework must be a DataFrame with columns indicator, pillar, "
            f"higher_is_better[, weight]; got {type(framework).__name__}"
        )
        raise MetricInputError(msg)
    missing = [c for c in FRAMEWORK_COLUMNS if c not in framework.columns]
    if missing:
        msg = (
            f"framework is missing column(s) {missing}; it has "
            f"{list(framework.columns)}"
        )
        raise MetricInputError(msg)
    if framework.empty:
        msg = "framework has no indicator"
        raise MetricInputError(msg)
    return framework.reset_index(drop=True)


def _check_directions(ind: pd.Series, direction: pd.Series) -> None:
    ok = direction.map(lambda v: isinstance(v, bool | np.bool_))
    if not ok.all():
        bad = dict(zip(ind[~ok], direction[~ok], strict=True))
        msg = (
            f"framework higher_is_better must be True or False; got {bad}. Variables "
            "without a direction (context such as population) do not belong in an "
            "index: drop them, e.g. framework[framework['higher_is_better'].notna()]"
        )
        raise MetricInputError(msg)


def _weights(fw: pd.DataFrame, ind: pd.Series) -> pd.Series:
    if "weight" not in fw.columns:
        return pd.Series(1.0, index=fw.index)
    weight = pd.to_numeric(fw["weight"], errors="coerce").astype("float64")
    bad = ind[~np.isfinite(weight) | (weight < 0)].tolist()
    if bad:
        msg = (
            "framework weight must be finite and non-negative; bad for "
            f"{dict(zip(bad, fw.loc[ind.isin(bad), 'weight'], strict=True))}"
        )
        raise MetricInputError(msg)
    return weight


def validate_framework(framework: pd.DataFrame) -> pd.DataFrame:
    """Check a framework table; return ``indicator, pillar, higher_is_better, weight``.

    Parameters
    ----------
    framework : pandas.DataFrame
        Columns ``indicator`` (unique), ``pillar``, ``higher_is_better`` (bool)
        and optionally ``weight`` (non-negative, default 1). Extra columns (as
        in :func:`regiongap.catalogue`) are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the given order, with a float ``weight``.

    Raises
    ------
    MetricInputError
        Missing columns, duplicated indicators, a missing pillar, a direction
        that is not True/False, or invalid weights (naming the indicators).

    Examples
    --------
    >>> import pandas as pd
    >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "p"],
    ...                    "higher_is_better": [True, False], "source": ["x", "y"]})
    >>> validate_framework(fw)
      indicator pillar  higher_is_better  weight
    0         a      p              True     1.0
    1         b      p             False     1.0
    >>> validate_framework(fw.assign(higher_is_better=[True, None]))
    Traceback (most recent call last):
    regiongap.errors.MetricInputError: framework higher_is_better must be True or False; got {'b': None}. ...
    """  # noqa: E501 - a doctest's traceback is one line
    fw = _require_frame(framework)
    ind = fw["indicator"].astype(str)
    dup = sorted(set(ind[ind.duplicated()]))
    if dup:
        msg = f"framework lists indicator(s) {dup} more than once"
        raise MetricInputError(msg)
    no_pillar = ind[fw["pillar"].isna()].tolist()
    if no_pillar:
        msg = f"framework has no pillar for indicator(s) {no_pillar}"
        raise MetricInputError(msg)
    direction = fw["higher_is_better"]
    _check_directions(ind, direction)
    out = pd.DataFrame(
        {
            "indicator": ind,
            "pillar": fw["pillar"].astype(str),
            "higher_is_better": direction.astype(bool),
            "weight": _weights(fw, ind),
        }
    )
    sums = out.groupby("pillar", sort=False)["weight"].sum()
    zero = sums[sums <= 0].index.tolist()
    if zero:
        msg = f"framework weights sum to 0 inside pillar(s) {zero}"
        raise MetricInputError(msg)
    return out


def _wide(data: pd.DataFrame) -> pd.DataFrame:
    """Regions × columns, from a long ``indicator, geo, value`` or a wide frame."""
    # a panel's attrs (provenance) would be deep-copied by every pandas operation
    frame = data.copy(deep=False)
    frame.attrs = {}
    if {"indicator", "geo", "value"} <= set(frame.columns):
        dup = frame.duplicated(["indicator", "geo"], keep=False)
        if dup.any():
            msg = (
                "long data has several rows per (indicator, geo) — select one year "
                f"first; e.g. {frame.loc[dup, ['indicator', 'geo']].head(3).values}"
            )
            raise MetricInputError(msg)
        frame = frame.pivot(index="geo", columns="indicator", values="value")
    elif "geo" in frame.columns:
        frame = frame.set_index("geo")
    frame = frame.copy()
    frame.index = frame.index.astype(str).rename("geo")
    if frame.index.has_duplicates:
        dups = sorted(set(frame.index[frame.index.duplicated()]))[:10]
        msg = f"data has duplicated regions {dups}"
        raise MetricInputError(msg)
    return frame


def indicator_matrix(
    data: pd.DataFrame | pd.Series, indicators: list[str]
) -> pd.DataFrame:
    """Return the region × indicator matrix of *indicators* from *data*.

    Accepts a wide frame indexed by ``geo`` (or with a ``geo`` column), such as
    :func:`regiongap.panel` (its ``{id}__year``/``{id}__flag`` and label columns
    are ignored), or a long frame ``indicator, geo, value`` with one row per
    (indicator, geo) — select one year first.

    Parameters
    ----------
    data : pandas.DataFrame
        The wide or long frame (a Series is refused with a message).
    indicators : list of str
        The framework's indicators, in the order wanted.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (str), one float64 column per indicator.

    Raises
    ------
    MetricInputError
        Indicators not in *data* (naming them), duplicated regions, a long frame
        with several rows per (indicator, geo), or non-numeric values.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"indicator": ["a", "a", "b", "b"],
    ...                      "geo": ["X", "Y", "X", "Y"], "value": [1, 2, 3, 4]})
    >>> indicator_matrix(long, ["b", "a"]).to_dict("index")
    {'X': {'b': 3.0, 'a': 1.0}, 'Y': {'b': 4.0, 'a': 2.0}}
    """
    if not isinstance(data, pd.DataFrame):
        msg = (
            "data must be a DataFrame (regions × indicators); got "
            f"{type(data).__name__}"
        )
        raise MetricInputError(msg)
    frame = _wide(data)
    absent = [i for i in indicators if i not in frame.columns]
    if absent:
        msg = (
            f"data has no column for framework indicator(s) {absent}; "
            f"data columns: {[c for c in frame.columns if '__' not in str(c)][:20]}. "
            "Keep the indicators you have: "
            "framework[framework['indicator'].isin(data.columns)]"
        )
        raise MetricInputError(msg)
    try:
        return frame[indicators].apply(pd.to_numeric).astype("float64")
    except (TypeError, ValueError) as exc:
        msg = f"framework indicator columns must be numeric: {exc}"
        raise MetricInputError(msg) from exc


def framework_or_default(
    data: pd.DataFrame, framework: pd.DataFrame | None
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Return *framework*, or the catalogue's framework for the indicators *data* holds.

    An explicit framework always wins. Without one, *data* must be a panel (one
    column per catalogue indicator, as :func:`regiongap.panel` returns) and
    :func:`regiongap.index_framework` chooses the indicators, with its rules
    (direction, coverage, comparability) and its reasons for those it leaves out.

    Parameters
    ----------
    data : pandas.DataFrame
        The index's data.
    framework : pandas.DataFrame or None
        The caller's framework, or None for the catalogue's.

    Returns
    -------
    tuple
        The framework, and a record: ``framework_source`` (``"given"`` or
        ``"catalogue (index_framework)"``) and ``indicators_left_out``
        (``{indicator: reason}``).

    Raises
    ------
    MetricInputError
        No framework and no catalogue indicator with a direction in *data*.

    Examples
    --------
    >>> panel = pd.DataFrame({"gdp_pps_per_inhabitant": [30500.0, 22400.0],
    ...                       "population": [297583.0, 1698796.0]},
    ...                      index=pd.Index(["AT11", "AT12"], name="geo"))
    >>> fw, record = framework_or_default(panel, None)
    >>> fw["indicator"].tolist(), record["framework_source"]
    (['gdp_pps_per_inhabitant'], 'catalogue (index_framework)')
    """
    if framework is not None:
        return framework, {"framework_source": "given", "indicators_left_out": {}}
    if not isinstance(data, pd.DataFrame):
        kind = type(data).__name__
        msg = f"data must be a DataFrame (regions × indicators); got {kind}"
        raise MetricInputError(msg)
    panel = _wide(data) if {"indicator", "geo", "value"} <= set(data.columns) else data
    try:
        chosen, left_out = index_framework(panel)
    except SchemaError as exc:
        raise MetricInputError(str(exc)) from exc
    if chosen.empty:
        msg = (
            "no framework given and data holds no catalogue indicator that can enter "
            f"the index (left out: {left_out}); pass framework= or a panel of "
            "catalogue indicators (regiongap.panel)"
        )
        raise MetricInputError(msg)
    record: dict[str, object] = {
        "framework_source": "catalogue (index_framework)",
        "indicators_left_out": dict(left_out),
    }
    if "left_out_regions" in chosen.attrs:
        record["regions_left_out_by_framework"] = dict(chosen.attrs["left_out_regions"])
    return chosen, record
