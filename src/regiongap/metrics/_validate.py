"""Input checks shared by the array-level metrics.

One place decides what a metric accepts, so every measure answers bad input with
the same :class:`~regiongap.errors.MetricInputError` naming the argument, the
offending count and where the offending entries are.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, MetricInputError

__all__ = ["NanPolicy", "Prepared", "normalised_weights", "prepare", "weighted_mean"]

NanPolicy = Literal["raise", "omit"]
_NAN_POLICIES = ("raise", "omit")
_SHOWN = 5


@dataclass(frozen=True)
class Prepared:
    """Clean inputs of a metric: aligned 1-D float arrays, nothing missing.

    ``weights`` is ``None`` when the caller gave none; ``groups`` is ``None``
    unless requested.
    """

    values: np.ndarray
    weights: np.ndarray | None
    groups: np.ndarray | None = None


def _where(mask: np.ndarray, index: pd.Index | None) -> str:
    """Describe where *mask* is true: index labels for a Series, else positions."""
    positions = np.flatnonzero(mask)
    if index is not None:
        shown = [repr(label) for label in index[positions[:_SHOWN]]]
        kind = "index labels"
    else:
        shown = [str(p) for p in positions[:_SHOWN]]
        kind = "positions"
    more = len(positions) - _SHOWN
    suffix = f", … ({more} more)" if more > 0 else ""
    return f"{kind} [{', '.join(shown)}{suffix}]"


def _as_float_array(data: Any, name: str) -> np.ndarray:
    if isinstance(data, pd.DataFrame):
        msg = (
            f"{name} must be one-dimensional (a list, array or Series), not a DataFrame"
        )
        raise MetricInputError(msg)
    if isinstance(data, str | bytes) or np.isscalar(data):
        msg = f"{name} must be an array-like of numbers, got the scalar {data!r}"
        raise MetricInputError(msg)
    if isinstance(data, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        # Nullable dtypes (Int64, Float64) and object columns hold pd.NA / None:
        # map every missing marker to NaN, then convert (strings still fail below).
        series = pd.Series(data, copy=False)
        if isinstance(series.dtype, pd.CategoricalDtype):
            msg = f"{name} must contain numbers, got a categorical column"
            raise MetricInputError(msg)
        data = series.astype(object).where(series.notna(), np.nan).to_numpy()
    try:
        array = np.asarray(data, dtype="float64")
    except (TypeError, ValueError) as exc:
        msg = f"{name} must contain numbers only: {exc}"
        raise MetricInputError(msg) from exc
    if array.ndim != 1:
        msg = f"{name} must be one-dimensional, got an array of shape {array.shape}"
        raise MetricInputError(msg)
    return array


def _index_of(data: Any) -> pd.Index | None:
    return data.index if isinstance(data, pd.Series) else None


def _check_index(reference: Any, other: Any, name: str, ref_name: str) -> None:
    if (
        isinstance(reference, pd.Series)
        and isinstance(other, pd.Series)
        and not reference.index.equals(other.index)
    ):
        missing = reference.index.difference(other.index)
        extra = other.index.difference(reference.index)
        detail = (
            f"{len(missing)} labels of {ref_name} absent from {name} "
            f"(e.g. {list(missing[:_SHOWN])}), {len(extra)} labels of {name} absent "
            f"from {ref_name} (e.g. {list(extra[:_SHOWN])})"
            if len(missing) or len(extra)
            else "same labels in a different order"
        )
        msg = (
            f"{name} and {ref_name} are Series whose indexes differ: {detail}; "
            f"align them first (e.g. {name}.reindex({ref_name}.index))"
        )
        raise MetricInputError(msg)


def _group_labels(
    groups: Any, n: int, index: pd.Index | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return (labels as object array, missing mask); empty-string labels raise."""
    if isinstance(groups, pd.DataFrame):
        msg = (
            "groups must be one-dimensional (a list, array or Series), not a DataFrame"
        )
        raise MetricInputError(msg)
    if isinstance(groups, str | bytes) or np.isscalar(groups):
        msg = f"groups must be an array-like of labels, got the scalar {groups!r}"
        raise MetricInputError(msg)
    series = groups if isinstance(groups, pd.Series) else pd.Series(list(groups))
    labels = series.astype(object).to_numpy()
    if labels.shape != (n,):
        msg = f"groups has {labels.shape[0]} labels but values has {n} entries"
        raise MetricInputError(msg)
    missing = np.asarray(pd.isna(series), dtype=bool)
    blank = np.array(
        [isinstance(lab, str) and not lab.strip() for lab in labels], dtype=bool
    )
    if blank.any():
        msg = (
            f"groups has {int(blank.sum())} empty label(s) at {_where(blank, index)}; "
            "every value needs a non-empty group label"
        )
        raise MetricInputError(msg)
    return labels, missing


def prepare(
    values: Any,
    weights: Any = None,
    *,
    nan_policy: str = "raise",
    groups: Any = None,
    allow_zero: bool = True,
    values_name: str = "values",
    weights_name: str = "weights",
) -> Prepared:
    """Validate and align a metric's inputs.

    Parameters
    ----------
    values, weights : array-like
        One-dimensional numbers; if both are :class:`pandas.Series` their indexes
        must be equal (same labels, same order).
    nan_policy : {"raise", "omit"}
        ``"raise"``: any NaN in values, weights (or a missing group label) is an
        error naming how many and where. ``"omit"``: drop every entry where any of
        them is missing and emit a :class:`~regiongap.errors.DataQualityWarning`
        saying how many were dropped.
    groups : array-like, optional
        Group labels aligned with *values*, checked the same way.
    allow_zero : bool
        If False, values must be strictly positive.
    values_name, weights_name : str
        Argument names used in error messages.

    Returns
    -------
    Prepared
        Clean float arrays (and group labels) of equal length, at least one entry.

    Raises
    ------
    MetricInputError
        On any input outside the metric's domain; the message names the argument.
    """
    if nan_policy not in _NAN_POLICIES:
        msg = f"nan_policy must be one of {_NAN_POLICIES}, got {nan_policy!r}"
        raise MetricInputError(msg)

    y = _as_float_array(values, values_name)
    index = _index_of(values)
    n = y.shape[0]
    if n == 0:
        msg = f"{values_name} is empty; at least one value is needed"
        raise MetricInputError(msg)

    w: np.ndarray | None = None
    if weights is not None:
        w = _as_float_array(weights, weights_name)
        if w.shape[0] != n:
            msg = (
                f"{weights_name} has {w.shape[0]} entries but {values_name} has {n}; "
                "they must be aligned one to one"
            )
            raise MetricInputError(msg)
        _check_index(values, weights, weights_name, values_name)
        if index is None:
            index = _index_of(weights)

    labels: np.ndarray | None = None
    group_missing = np.zeros(n, dtype=bool)
    if groups is not None:
        _check_index(values, groups, "groups", values_name)
        labels, group_missing = _group_labels(groups, n, index)

    missing = {values_name: np.isnan(y)}
    if w is not None:
        missing[weights_name] = np.isnan(w)
    if labels is not None:
        missing["groups"] = group_missing
    any_missing = np.logical_or.reduce(list(missing.values()))

    if any_missing.any():
        if nan_policy == "raise":
            parts = [
                f"{name} has {int(mask.sum())} NaN at {_where(mask, index)}"
                for name, mask in missing.items()
                if mask.any()
            ]
            msg = (
                "; ".join(parts)
                + ". Pass nan_policy='omit' to drop those entries (with a warning)"
            )
            raise MetricInputError(msg)
        keep = ~any_missing
        if not keep.any():
            names = ", ".join(name for name, mask in missing.items() if mask.any())
            msg = f"all {n} entries are missing (NaN in {names}); nothing to measure"
            raise MetricInputError(msg)
        dropped = int(any_missing.sum())
        detail = ", ".join(
            f"{int(mask.sum())} NaN in {name}"
            for name, mask in missing.items()
            if mask.any()
        )
        warnings.warn(
            f"nan_policy='omit' dropped {dropped} of {n} entries ({detail}) at "
            f"{_where(any_missing, index)}",
            DataQualityWarning,
            stacklevel=3,
        )
        y = y[keep]
        w = w[keep] if w is not None else None
        labels = labels[keep] if labels is not None else None
        index = index[keep] if index is not None else None

    _check_finite(y, values_name, index)
    bad = y < 0
    if bad.any():
        msg = (
            f"{values_name} must be non-negative; {int(bad.sum())} negative value(s) "
            f"at {_where(bad, index)} (e.g. {y[bad][0]!r})"
        )
        raise MetricInputError(msg)
    if not allow_zero:
        zero = y == 0
        if zero.any():
            msg = (
                f"{values_name} must be strictly positive for this measure (it takes "
                f"logarithms or negative powers); {int(zero.sum())} zero value(s) at "
                f"{_where(zero, index)}. Use theil (T), gini or atkinson with "
                "epsilon < 1, which are defined at zero, or drop those entries "
                "explicitly"
            )
            raise MetricInputError(msg)

    if w is not None:
        _check_finite(w, weights_name, index)
        neg = w < 0
        if neg.any():
            msg = (
                f"{weights_name} must be non-negative; {int(neg.sum())} negative "
                f"weight(s) at {_where(neg, index)}"
            )
            raise MetricInputError(msg)
        if not w.sum() > 0:
            msg = f"{weights_name} sum to zero; at least one weight must be positive"
            raise MetricInputError(msg)

    return Prepared(values=y, weights=w, groups=labels)


def _check_finite(array: np.ndarray, name: str, index: pd.Index | None) -> None:
    inf = np.isinf(array)
    if inf.any():
        msg = f"{name} has {int(inf.sum())} infinite value(s) at {_where(inf, index)}"
        raise MetricInputError(msg)


def normalised_weights(prepared: Prepared) -> np.ndarray:
    """Return population shares ``w_i / Σ w`` (``1/n`` each when unweighted)."""
    if prepared.weights is None:
        n = prepared.values.shape[0]
        return np.full(n, 1.0 / n)
    return prepared.weights / prepared.weights.sum()


def weighted_mean(prepared: Prepared, values_name: str = "values") -> float:
    """Return the weighted mean; MetricInputError when it is zero."""
    mu = float(np.dot(normalised_weights(prepared), prepared.values))
    if mu <= 0:
        msg = (
            f"the (weighted) mean of {values_name} is zero (every value with a "
            "positive weight is 0); relative inequality is undefined"
        )
        raise MetricInputError(msg)
    return mu
