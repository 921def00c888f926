"""Quantile classes of a map, the same numbers as ``mapclassify.Quantiles``.

Why not mapclassify itself here: importing it takes 4–5 s on a 2-core machine
(it imports ``matplotlib.pyplot``, scikit-learn's ``KMeans``, ``scipy.stats``
and, with numba installed, compiles its Fisher–Jenks kernel at import). The
first quantile map of a kernel waited for all of it, to compute a few
percentiles. This module computes them with mapclassify's own arithmetic —
``scipy.stats.scoreatpercentile`` with ``interpolation_method="fraction"`` at
the percentiles ``100/k, 200/k, …, 100``, ties collapsed — and puts each value
in the first class whose upper bound it does not exceed, as ``bin1d`` does.
``tests/viz/test_quantiles.py`` checks that bounds and classes are identical to
mapclassify's (bit for bit) on real and random data. Other schemes still use
mapclassify.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["QuantileClasses", "quantile_classes"]


@dataclass(frozen=True)
class QuantileClasses:
    """Upper bound of each class (``bins``) and the class of each value (``yb``)."""

    bins: np.ndarray
    yb: np.ndarray


def _score(ordered: np.ndarray, percent: float) -> float:
    """Return the *percent* percentile of sorted values, as scipy computes it."""
    idx = percent / 100.0 * (ordered.shape[0] - 1)
    i = int(idx)
    if i == idx:
        return float(ordered[i])
    weights = np.array([(i + 1 - idx), (idx - i)], float)
    return float(np.add.reduce(ordered[i : i + 2] * weights) / weights.sum())


def quantile_classes(y: np.ndarray, k: int) -> QuantileClasses:
    """Class *y* into *k* quantiles (fewer when ties make bounds repeat).

    Parameters
    ----------
    y : numpy.ndarray
        Finite values, one per region.
    k : int
        Number of classes wanted.

    Returns
    -------
    QuantileClasses
        ``bins``: the distinct upper bounds (the last is the maximum); ``yb``:
        the class of each value, 0 for the lowest.

    Warns
    -----
    UserWarning
        When ties leave fewer than *k* distinct bounds (as mapclassify warns).

    Examples
    --------
    >>> out = quantile_classes(np.arange(10.0), k=4)
    >>> out.bins.tolist(), out.yb.tolist()
    ([2.25, 4.5, 6.75, 9.0], [0, 0, 0, 1, 1, 2, 2, 3, 3, 3])
    """
    values = np.asarray(y, dtype="float64").ravel()
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    ordered = np.sort(values)
    bins = np.unique(np.array([_score(ordered, p) for p in percents]))
    if len(bins) < k:
        warnings.warn(
            f"Not enough unique values in array to form {k} classes. "
            f"Setting k to {len(bins)}.",
            UserWarning,
            stacklevel=2,
        )
    # the first bound not below the value: bins[i - 1] < value <= bins[i]
    classes = np.searchsorted(bins, values, side="left")
    return QuantileClasses(bins=bins, yb=classes.astype("int64"))
