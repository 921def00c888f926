r"""Weighted aggregation of normalised scores (Handbook step 6).

A registry of named methods behind :func:`aggregate`, in the style of
``mapclassify.classify``. With weights :math:`w_j \ge 0` rescaled to sum to 1
(OECD/JRC 2008, *Handbook on Constructing Composite Indicators*, section 6.2):

``"arithmetic"`` (linear, fully compensatory)
    :math:`I = \sum_j w_j\, y_j`
``"geometric"`` (partly compensatory: a low score is harder to offset)
    :math:`I = \prod_j y_j^{\,w_j} = \exp\big(\sum_j w_j \ln y_j\big)`,
    defined for strictly positive :math:`y_j` only. Zero or negative scores are
    an error: they are **never** shifted here; choose a normalisation that is
    positive (min-max on ``[1, 100]``, rank, distance to reference).

:func:`weights_vector` validates weights: non-negative, finite, with a
positive sum, and one weight for each component, no more and no less.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError

__all__ = [
    "AGGREGATIONS",
    "Aggregation",
    "aggregate",
    "check_aggregation",
    "contributions",
    "weights_vector",
]

#: A key of :data:`AGGREGATIONS`.
Aggregation = Literal["arithmetic", "geometric"]


def _arithmetic(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    return y @ w


def _geometric(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp(np.log(y) @ w)


AGGREGATIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "arithmetic": _arithmetic,
    "geometric": _geometric,
}
"""Registry: method name -> ``f(scores (n × k), weights (k,) summing to 1)``."""


def check_aggregation(method: str) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Return the aggregation function for *method* or raise listing the keys.

    Parameters
    ----------
    method : str
        The name the caller gave.

    Returns
    -------
    callable
        ``f(scores (n × k), weights (k,))`` of :data:`AGGREGATIONS`.

    Raises
    ------
    MetricInputError
        An unknown *method*, listing the allowed ones.

    Examples
    --------
    >>> check_aggregation("harmonic")
    Traceback (most recent call last):
    regiongap.errors.MetricInputError: aggregation 'harmonic' is not known; choose one of ['arithmetic', 'geometric']
    """  # noqa: E501 - a doctest's traceback is one line
    try:
        return AGGREGATIONS[method]
    except (KeyError, TypeError):
        msg = (
            f"aggregation {method!r} is not known; choose one of {sorted(AGGREGATIONS)}"
        )
        raise MetricInputError(msg) from None


def weights_vector(
    weights: Mapping[str, float] | pd.Series | None,
    names: Sequence[str],
    *,
    what: str = "weights",
) -> np.ndarray:
    """Validate *weights* for the components *names* and rescale them to sum 1.

    Parameters
    ----------
    weights : mapping or Series of name -> weight, optional
        ``None`` gives equal weights.
    names : sequence of str
        The components in the order the scores are stored.
    what : str
        Name of the argument, used in error messages.

    Returns
    -------
    numpy.ndarray
        Weights in the order of *names*, non-negative, summing to 1.

    Raises
    ------
    MetricInputError
        Names that do not match (missing or unknown), negative or non-finite
        weights, or weights summing to zero — naming the offenders.

    Examples
    --------
    >>> weights_vector({"p": 3, "q": 1}, ["p", "q"]).tolist()
    [0.75, 0.25]
    >>> weights_vector(None, ["p", "q"]).tolist()
    [0.5, 0.5]
    """
    names = list(names)
    if not names:
        msg = f"{what}: there is nothing to weight (no component)"
        raise MetricInputError(msg)
    if weights is None:
        return np.full(len(names), 1.0 / len(names))
    given = dict(weights.items()) if hasattr(weights, "items") else None
    if given is None:
        msg = f"{what} must be a mapping or Series of name -> weight, got {weights!r}"
        raise MetricInputError(msg)
    missing = [n for n in names if n not in given]
    unknown = [k for k in given if k not in names]
    if missing or unknown:
        msg = (
            f"{what} do not match the components {names}: "
            f"missing {missing}, unknown {unknown}"
        )
        raise MetricInputError(msg)
    w = np.array([given[n] for n in names], dtype="float64")
    bad = [n for n, v in zip(names, w, strict=True) if not np.isfinite(v) or v < 0]
    if bad:
        msg = (
            f"{what} must be finite and non-negative; bad weight for "
            f"{ {n: given[n] for n in bad} }"
        )
        raise MetricInputError(msg)
    total = float(w.sum())
    if not total > 0:
        msg = f"{what} sum to {total}; at least one weight must be positive"
        raise MetricInputError(msg)
    return w / total


def aggregate(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series | None = None,
    method: Aggregation = "arithmetic",
) -> pd.Series:
    """Aggregate the columns of *scores* into one weighted score per row.

    Parameters
    ----------
    scores : pandas.DataFrame
        Index = region, one column per component (indicator or pillar), all
        normalised so that higher is better.
    weights : mapping or Series, optional
        Weight of each column (validated by :func:`weights_vector`); equal
        weights by default.
    method : {"arithmetic", "geometric"}
        Key of :data:`AGGREGATIONS`.

    Returns
    -------
    pandas.Series
        The aggregate, NaN for a row with a missing score.

    Raises
    ------
    MetricInputError
        Unknown method, invalid weights, or non-positive scores under
        geometric aggregation (naming the regions and columns).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"a": [1.0, 4.0], "b": [4.0, 4.0]}, index=["X", "Y"])
    >>> aggregate(s, method="geometric").tolist()
    [2.0, 4.0]
    """
    func = check_aggregation(method)
    w = weights_vector(weights, list(scores.columns))
    y = scores.to_numpy(dtype="float64")
    if method == "geometric":
        _require_positive(scores)
    return pd.Series(func(y, w), index=scores.index, dtype="float64")


def _require_positive(scores: pd.DataFrame) -> None:
    rows, cols = np.nonzero(scores.le(0).to_numpy())
    if len(rows):
        pairs = zip(rows[:8], cols[:8], strict=True)
        listed = [f"{scores.index[r]}/{scores.columns[c]}" for r, c in pairs]
        msg = (
            "geometric aggregation needs strictly positive scores; "
            f"{len(rows)} are <= 0 ({listed}). regiongap never shifts them: "
            "use minmax_range=(1, 100), 'rank' or 'distance_to_reference', or "
            "arithmetic aggregation"
        )
        raise MetricInputError(msg)


def contributions(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series | None = None,
    method: Aggregation = "arithmetic",
) -> pd.DataFrame:
    r"""Contribution of each column to the aggregate of each row.

    Arithmetic: :math:`c_j = w_j y_j`, so :math:`\sum_j c_j = I`.
    Geometric: :math:`c_j = w_j \ln y_j`, so :math:`\sum_j c_j = \ln I` (the
    only additive split of a weighted geometric mean; the contributions are on
    the log scale).

    Parameters
    ----------
    scores : pandas.DataFrame
        As in :func:`aggregate`.
    weights : mapping or Series, optional
        As in :func:`aggregate`.
    method : {"arithmetic", "geometric"}
        Key of :data:`AGGREGATIONS`.

    Returns
    -------
    pandas.DataFrame
        Same index and columns as *scores*.

    Raises
    ------
    MetricInputError
        As :func:`aggregate`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"a": [20.0], "b": [60.0]}, index=["X"])
    >>> contributions(s, {"a": 1, "b": 3}).loc["X"].tolist()
    [5.0, 45.0]
    """
    check_aggregation(method)
    w = weights_vector(weights, list(scores.columns))
    if method == "geometric":
        _require_positive(scores)
        return np.log(scores) * w
    return scores * w
