"""Input checks shared by the array-level metrics.

One place decides what a metric accepts, so every measure answers bad input with
the same :class:`~regiongap.errors.MetricInputError` naming the argument, the
offending count and where the offending entries are.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

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


def _as_float_array(data: object, name: str) -> np.ndarray:
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


def _index_of(data: object) -> pd.Index | None:
    return data.index if isinstance(data, pd.Series) else None


def _check_index(reference: object, other: object, name: str, ref_name: str) -> None:
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
    groups: object, n: int, index: pd.Index | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return (labels as object array, missing mask); empty-string labels raise."""
    if isinstance(groups, pd.DataFrame):
        msg = (
            "groups must be one-dimensional (a list, array or Series), not a DataFrame"
        )
        raise MetricInputError(msg)
    if (
        isinstance(groups, str | bytes)
        or np.isscalar(groups)
        or not isinstance(groups, Iterable)
    ):
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


def _missing_masks(
    y: np.ndarray, w: np.ndarray | None, group_missing: np.ndarray | None, names: _Names
) -> dict[str, np.ndarray]:
    missing = {names.values: np.isnan(y)}
    if w is not None:
        missing[names.weights] = np.isnan(w)
    if group_missing is not None:
        missing["groups"] = group_missing
    return missing


def _raise_missing(missing: dict[str, np.ndarray], index: pd.Index | None) -> None:
    parts = [
        f"{name} has {int(mask.sum())} NaN at {_where(mask, index)}"
        for name, mask in missing.items()
        if mask.any()
    ]
    msg = "; ".join(parts) + (
        ". Pass nan_policy='omit' to drop those entries (with a warning)"
    )
    raise MetricInputError(msg)


def _warn_omitted(
    missing: dict[str, np.ndarray], any_missing: np.ndarray, index: pd.Index | None
) -> None:
    n = len(any_missing)
    if any_missing.all():
        names = ", ".join(name for name, mask in missing.items() if mask.any())
        msg = f"all {n} entries are missing (NaN in {names}); nothing to measure"
        raise MetricInputError(msg)
    detail = ", ".join(
        f"{int(mask.sum())} NaN in {name}"
        for name, mask in missing.items()
        if mask.any()
    )
    warnings.warn(
        f"nan_policy='omit' dropped {int(any_missing.sum())} of {n} entries "
        f"({detail}) at {_where(any_missing, index)}",
        DataQualityWarning,
        stacklevel=5,  # _warn_omitted < _handle_missing < prepare < metric < caller
    )


@dataclass(frozen=True)
class _Names:
    values: str
    weights: str


@dataclass(frozen=True)
class _Inputs:
    """Aligned inputs before the missing values are handled."""

    y: np.ndarray
    w: np.ndarray | None
    labels: np.ndarray | None
    group_missing: np.ndarray | None
    index: pd.Index | None


def _handle_missing(inputs: _Inputs, nan_policy: NanPolicy, names: _Names) -> _Inputs:
    """Raise on missing entries, or drop them with a warning (``"omit"``)."""
    missing = _missing_masks(inputs.y, inputs.w, inputs.group_missing, names)
    any_missing = np.logical_or.reduce(list(missing.values()))
    if not any_missing.any():
        return inputs
    if nan_policy == "raise":
        _raise_missing(missing, inputs.index)
    _warn_omitted(missing, any_missing, inputs.index)
    keep = ~any_missing
    return _Inputs(
        y=inputs.y[keep],
        w=inputs.w[keep] if inputs.w is not None else None,
        labels=inputs.labels[keep] if inputs.labels is not None else None,
        group_missing=None,
        index=inputs.index[keep] if inputs.index is not None else None,
    )


def _aligned(
    values: ArrayLike,
    weights: ArrayLike | None,
    groups: ArrayLike | None,
    names: _Names,
) -> _Inputs:
    """Convert the inputs to arrays and check their lengths and indexes agree."""
    y = _as_float_array(values, names.values)
    index = _index_of(values)
    n = y.shape[0]
    if n == 0:
        msg = f"{names.values} is empty; at least one value is needed"
        raise MetricInputError(msg)
    w: np.ndarray | None = None
    if weights is not None:
        w = _as_float_array(weights, names.weights)
        if w.shape[0] != n:
            msg = (
                f"{names.weights} has {w.shape[0]} entries but {names.values} has "
                f"{n}; they must be aligned one to one"
            )
            raise MetricInputError(msg)
        _check_index(values, weights, names.weights, names.values)
        if index is None:
            index = _index_of(weights)
    labels: np.ndarray | None = None
    group_missing: np.ndarray | None = None
    if groups is not None:
        _check_index(values, groups, "groups", names.values)
        labels, group_missing = _group_labels(groups, n, index)
    return _Inputs(y, w, labels, group_missing, index)


def _check_values(
    y: np.ndarray, name: str, index: pd.Index | None, *, allow_zero: bool
) -> None:
    _check_finite(y, name, index)
    bad = y < 0
    if bad.any():
        msg = (
            f"{name} must be non-negative; {int(bad.sum())} negative value(s) "
            f"at {_where(bad, index)} (e.g. {y[bad][0]!r})"
        )
        raise MetricInputError(msg)
    if not allow_zero:
        zero = y == 0
        if zero.any():
            msg = (
                f"{name} must be strictly positive for this measure (it takes "
                f"logarithms or negative powers); {int(zero.sum())} zero value(s) at "
                f"{_where(zero, index)}. Use theil (T), gini or atkinson with "
                "epsilon < 1, which are defined at zero, or drop those entries "
                "explicitly"
            )
            raise MetricInputError(msg)


def _check_weights(w: np.ndarray, name: str, index: pd.Index | None) -> None:
    _check_finite(w, name, index)
    neg = w < 0
    if neg.any():
        msg = (
            f"{name} must be non-negative; {int(neg.sum())} negative "
            f"weight(s) at {_where(neg, index)}"
        )
        raise MetricInputError(msg)
    if not w.sum() > 0:
        msg = f"{name} sum to zero; at least one weight must be positive"
        raise MetricInputError(msg)


def prepare(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
    groups: ArrayLike | None = None,
    allow_zero: bool = True,
    values_name: str = "values",
    weights_name: str = "weights",
) -> Prepared:
    """Validate and align a metric's inputs.

    Parameters
    ----------
    values : array-like of float
        One-dimensional numbers.
    weights : array-like of float, optional
        One-dimensional numbers aligned with *values*; if both are
        :class:`pandas.Series` their indexes must be equal (same labels, same
        order).
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

    Examples
    --------
    >>> import pandas as pd
    >>> p = prepare(pd.Series([1.0, 3.0], index=["A", "B"]), [1, 2])
    >>> p.values.tolist(), p.weights.tolist()
    ([1.0, 3.0], [1.0, 2.0])
    >>> prepare(pd.Series([1.0, -2.0], index=["A", "B"]))
    Traceback (most recent call last):
    regiongap.errors.MetricInputError: values must be non-negative; 1 negative value(s) at index labels ['B'] (e.g. ...)
    """  # noqa: E501 - a doctest's traceback is one line
    if nan_policy not in _NAN_POLICIES:
        msg = f"nan_policy must be one of {_NAN_POLICIES}, got {nan_policy!r}"
        raise MetricInputError(msg)
    names = _Names(values_name, weights_name)
    inputs = _handle_missing(
        _aligned(values, weights, groups, names), nan_policy, names
    )
    _check_values(inputs.y, values_name, inputs.index, allow_zero=allow_zero)
    if inputs.w is not None:
        _check_weights(inputs.w, weights_name, inputs.index)
    return Prepared(values=inputs.y, weights=inputs.w, groups=inputs.labels)


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
