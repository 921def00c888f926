r"""Normalisation of indicators before aggregation (Handbook step 5).

A registry of named methods behind :func:`normalise`, in the style of
``mapclassify.classify``: the method is a string key and an unknown key is an
error that lists the allowed ones. Every method turns one indicator into a
score where **higher is better**: indicators with ``higher_is_better = False``
are reversed here, so aggregation never needs to know the direction.

Methods (OECD/JRC 2008, *Handbook on Constructing Composite Indicators*,
section 1.5 and Table 3; COINr ``Normalise()``):

``"minmax"``
    :math:`y = a + (b - a)\,\frac{x - \min x}{\max x - \min x}` (reversed:
    :math:`\max x - x` in the numerator), with ``[a, b] = [0, 100]`` by default.
    For geometric aggregation use ``[1, 100]`` (COINr's choice) so that the
    worst region does not get a zero that would annihilate its whole score.
``"zscore"``
    :math:`y = (x - \bar x)/s_x` with the sample standard deviation
    (``ddof=1``, as R's ``sd()`` in COINr ``n_zscore``); reversed: :math:`-y`.
``"rank"``
    :math:`y = \operatorname{rank}(x)` among the observed regions, 1 = worst,
    ties get their average rank (COINr ``n_rank``); reversed ranks for
    lower-is-better indicators.
``"distance_to_reference"``
    :math:`y = 100\,x / x_{ref}` (reversed: :math:`100\,x_{ref}/x`), with
    :math:`x_{ref}` the EU-27 value passed explicitly; 100 = the EU-27 level,
    above 100 = better than the EU-27 (COINr ``n_dist2ref``). Needs strictly
    positive values.

Missing values stay missing: the statistics above use the observed regions only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError

__all__ = ["NORMALISATIONS", "Normalisation", "normalise", "normalise_column"]

#: A key of :data:`NORMALISATIONS`.
Normalisation = Literal["minmax", "zscore", "rank", "distance_to_reference"]

_DEFAULT_MINMAX_RANGE: tuple[float, float] = (0.0, 100.0)


def _minmax(
    x: pd.Series, higher: bool, *, minmax_range: tuple[float, float], **_: Any
) -> pd.Series:
    lo, hi = float(x.min()), float(x.max())
    if not hi > lo:
        msg = (
            f"indicator {x.name!r} has the same value ({lo!r}) in every region: "
            "min-max normalisation divides by max - min = 0; drop it from the framework"
        )
        raise MetricInputError(msg)
    a, b = minmax_range
    share = (x - lo) / (hi - lo) if higher else (hi - x) / (hi - lo)
    return a + (b - a) * share


def _zscore(x: pd.Series, higher: bool, **_: Any) -> pd.Series:
    sd = float(x.std(ddof=1))
    if not sd > 0:
        msg = (
            f"indicator {x.name!r} has zero (or undefined) standard deviation over "
            f"{int(x.notna().sum())} region(s): z-scores divide by it; drop it from "
            "the framework or use more regions"
        )
        raise MetricInputError(msg)
    z = (x - float(x.mean())) / sd
    return z if higher else -z


def _rank(x: pd.Series, higher: bool, **_: Any) -> pd.Series:
    return x.rank(method="average", ascending=higher, na_option="keep")


def _distance_to_reference(
    x: pd.Series, higher: bool, *, reference: float | None, **_: Any
) -> pd.Series:
    if reference is None or not np.isfinite(reference) or reference <= 0:
        msg = (
            f"normalisation 'distance_to_reference' needs a strictly positive "
            f"reference value for indicator {x.name!r}, got {reference!r}; pass "
            "reference={indicator: EU-27 value}"
        )
        raise MetricInputError(msg)
    bad = x[x <= 0]
    if not higher and len(bad):
        msg = (
            f"indicator {x.name!r} is lower-is-better and has non-positive values "
            f"in {list(bad.index[:5])}: distance_to_reference divides the reference "
            "by the value (100 · ref / x); use another normalisation"
        )
        raise MetricInputError(msg)
    return 100.0 * x / reference if higher else 100.0 * reference / x


_Normaliser = Callable[..., pd.Series]

NORMALISATIONS: dict[str, _Normaliser] = {
    "minmax": _minmax,
    "zscore": _zscore,
    "rank": _rank,
    "distance_to_reference": _distance_to_reference,
}
"""Registry: method name -> function ``(series, higher_is_better, **options)``."""


def _check_method(method: str) -> _Normaliser:
    try:
        return NORMALISATIONS[method]
    except (KeyError, TypeError):
        msg = (
            f"normalisation {method!r} is not known; choose one of "
            f"{sorted(NORMALISATIONS)}"
        )
        raise MetricInputError(msg) from None


def normalise_column(
    x: pd.Series,
    method: Normalisation,
    *,
    higher_is_better: bool = True,
    reference: float | None = None,
    minmax_range: tuple[float, float] = _DEFAULT_MINMAX_RANGE,
) -> pd.Series:
    """Normalise one indicator (see the module docstring for the formulas).

    Parameters
    ----------
    x : pandas.Series
        Raw values of one indicator, indexed by region; NaN stays NaN.
    method : {"minmax", "zscore", "rank", "distance_to_reference"}
        Key of :data:`NORMALISATIONS`.
    higher_is_better : bool
        Direction; ``False`` reverses the scale so that higher is always better.
    reference : float, optional
        The EU-27 value (needed by ``"distance_to_reference"`` only).
    minmax_range : tuple of float
        Target interval ``(a, b)`` of ``"minmax"``, ``a < b``.

    Returns
    -------
    pandas.Series
        Normalised values, same index and name.

    Raises
    ------
    MetricInputError
        Unknown method, fewer than two observed values, a constant indicator,
        or a missing/invalid reference.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series([10.0, 20.0, 50.0], index=["X", "Y", "Z"], name="rate")
    >>> normalise_column(x, "minmax", higher_is_better=False).tolist()
    [100.0, 75.0, 0.0]
    >>> normalise_column(x, "distance_to_reference", reference=20.0).tolist()
    [50.0, 100.0, 250.0]
    """
    func = _check_method(method)
    a, b = minmax_range
    if not a < b:
        msg = f"minmax_range must be (a, b) with a < b, got {minmax_range!r}"
        raise MetricInputError(msg)
    observed = x.astype("float64")
    if int(observed.notna().sum()) < 2:
        msg = (
            f"indicator {x.name!r} has {int(observed.notna().sum())} observed "
            "value(s); normalisation needs at least 2 regions"
        )
        raise MetricInputError(msg)
    out = func(
        observed,
        bool(higher_is_better),
        reference=reference,
        minmax_range=(float(a), float(b)),
    )
    out = out.astype("float64")
    out.name = x.name
    return out


def normalise(
    data: pd.DataFrame,
    method: Normalisation = "minmax",
    *,
    higher_is_better: Mapping[str, bool] | None = None,
    reference: Mapping[str, float] | None = None,
    minmax_range: tuple[float, float] = _DEFAULT_MINMAX_RANGE,
) -> pd.DataFrame:
    """Normalise every column of a region × indicator frame.

    Parameters
    ----------
    data : pandas.DataFrame
        Index = region (``geo``), one numeric column per indicator.
    method : {"minmax", "zscore", "rank", "distance_to_reference"}
        Key of :data:`NORMALISATIONS` (formulas in the module docstring).
    higher_is_better : mapping of str to bool, optional
        Direction of each indicator (default: all higher-is-better).
    reference : mapping of str to float, optional
        EU-27 value of each indicator, for ``"distance_to_reference"``.
    minmax_range : tuple of float
        Target interval of ``"minmax"``.

    Returns
    -------
    pandas.DataFrame
        Same shape, index and columns; higher is better in every column.

    Raises
    ------
    MetricInputError
        Unknown method, or a reference missing for an indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=["X", "Y", "Z"])
    >>> normalise(df, "minmax")["a"].tolist()
    [0.0, 50.0, 100.0]
    """
    _check_method(method)
    directions = dict(higher_is_better or {})
    if method == "distance_to_reference":
        missing = [c for c in data.columns if reference is None or c not in reference]
        if missing:
            msg = (
                "normalisation 'distance_to_reference' needs reference={indicator: "
                f"EU-27 value}}; no reference value for {missing}"
            )
            raise MetricInputError(msg)
    columns = {
        col: normalise_column(
            data[col],
            method,
            higher_is_better=directions.get(col, True),
            reference=None if reference is None else reference.get(col),
            minmax_range=minmax_range,
        )
        for col in data.columns
    }
    return pd.DataFrame(columns, index=data.index)
