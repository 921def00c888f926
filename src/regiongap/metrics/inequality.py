"""Array-level inequality measures, weighted (by population) and unweighted.

Every measure takes ``(values, weights=None, *, nan_policy="raise")`` on
array-likes (list, ndarray, pandas Series) and returns a float:

* :func:`gini` — Gini coefficient (mean absolute difference form);
* :func:`theil` — Theil's T, :func:`mean_log_deviation` — Theil's L;
* :func:`atkinson` — Atkinson index for an inequality aversion ε ≥ 0;
* :func:`coefficient_of_variation` — population standard deviation / mean;
* :func:`max_min_ratio` and :func:`quintile_share_ratio` (top 20 % / bottom 20 %);
* :func:`theil_decomposition` — between/within split of Theil's T for any grouping.

Conventions shared by all of them:

* Weights are frequency weights (usually population): integer weights give
  exactly the result of repeating each value that many times.
* Values must be non-negative; measures that take logarithms or negative powers
  (Theil L, Atkinson with ε ≥ 1) need strictly positive values and say so.
  Data are never altered (no small constant is added to zeros).
* ``nan_policy="raise"`` reports missing values with their count and position;
  ``"omit"`` drops them and warns (:class:`~regiongap.errors.DataQualityWarning`).
* Bad input raises :class:`~regiongap.errors.MetricInputError` naming the argument.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from regiongap.errors import MetricInputError
from regiongap.metrics._entropy import (
    TheilDecomposition,
    mean_log_deviation,
    theil,
    theil_decomposition,
)
from regiongap.metrics._validate import (
    NanPolicy,
    normalised_weights,
    prepare,
    weighted_mean,
)

__all__ = [
    "TheilDecomposition",
    "atkinson",
    "coefficient_of_variation",
    "gini",
    "max_min_ratio",
    "mean_log_deviation",
    "quintile_share_ratio",
    "theil",
    "theil_decomposition",
]


def gini(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Gini coefficient of non-negative values, weighted or unweighted.

    Mean absolute difference form (Cowell 2011, ch. 2; Lerman & Yitzhaki 1989):

    .. math::

        G = \frac{1}{2\mu} \sum_{i=1}^{n}\sum_{j=1}^{n}
            \frac{w_i}{W}\frac{w_j}{W}\,\lvert y_i - y_j\rvert,
        \qquad \mu = \sum_i \frac{w_i}{W} y_i

    computed in :math:`O(n \log n)` from the values sorted in ascending order,
    with :math:`F_{<i}` the weight share of the units before *i*:

    .. math::

        G = \frac{1}{\mu} \sum_{i} \frac{w_i}{W}\, y_{(i)}
            \left(2F_{<i} + \frac{w_i}{W} - 1\right)

    which is one minus twice the area under the Lorenz curve drawn through the
    cumulative population and value shares. Unweighted (:math:`w_i = 1`) this is
    :math:`\sum_i (2i - n - 1) y_{(i)} / (n \sum_i y_i)`, the form PySAL's
    ``Gini`` uses; no small-sample factor :math:`n/(n-1)` is applied, so a
    weight of *k* equals *k* copies of the value.

    Parameters
    ----------
    values : array-like of float
        Non-negative values (zeros allowed), one per unit.
    weights : array-like of float, optional
        Non-negative weights (usually population) aligned with ``values``.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop NaN pairs with a warning).

    Returns
    -------
    float
        G in [0, 1); 0 when all values are equal.

    Raises
    ------
    MetricInputError
        Empty or all-NaN input, negative or infinite values, negative weights,
        zero total weight, zero mean, mismatched lengths or indexes.

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.
    Lerman, R. I. & Yitzhaki, S. (1989). Improving the accuracy of estimates of
    Gini coefficients. *Journal of Econometrics* 42(1), 43–47.

    Examples
    --------
    >>> from regiongap.metrics import gini
    >>> gini([1.0, 3.0])  # |1 - 3| / (2 · 2 · 2)
    0.25
    >>> gini([5, 5, 5])
    0.0
    >>> gini([1.0, 3.0], weights=[2, 2]) == gini([1, 1, 3, 3])
    True
    """
    prepared = prepare(values, weights, nan_policy=nan_policy)
    mu = weighted_mean(prepared)
    order = np.argsort(prepared.values, kind="stable")
    y = prepared.values[order]
    p = normalised_weights(prepared)[order]
    before = np.cumsum(p) - p
    g = float(np.sum(p * y * (2.0 * before + p - 1.0)) / mu)
    return min(max(g, 0.0), 1.0)


def atkinson(
    values: ArrayLike,
    epsilon: float,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Atkinson index with inequality aversion :math:`\varepsilon \ge 0`.

    .. math::

        A_\varepsilon = 1 - \frac{1}{\mu}
            \left(\sum_i \frac{w_i}{W} y_i^{1-\varepsilon}\right)^{1/(1-\varepsilon)}
            \quad (\varepsilon \ne 1), \qquad
        A_1 = 1 - \frac{1}{\mu}\exp\left(\sum_i \frac{w_i}{W}\ln y_i\right)

    (Atkinson 1970; Cowell 2011, ch. 3): one minus the ratio of the
    equally-distributed-equivalent value to the mean. :math:`\varepsilon = 0`
    gives 0; larger ε gives more weight to the lowest values. For
    :math:`\varepsilon \ge 1` values must be strictly positive (a zero would
    make the index 1 by a degenerate limit); for :math:`0 \le \varepsilon < 1`
    zeros are allowed.

    Parameters
    ----------
    values : array-like of float
        Non-negative values (strictly positive when ``epsilon >= 1``).
    epsilon : float
        Inequality aversion, finite and ≥ 0.
    weights : array-like of float, optional
        Non-negative weights (usually population) aligned with ``values``.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop NaN pairs with a warning).

    Returns
    -------
    float
        :math:`A_\varepsilon` in [0, 1).

    Raises
    ------
    MetricInputError
        For a negative, infinite or non-numeric ``epsilon``; zeros when
        ``epsilon >= 1``; and every input error of :func:`gini`.

    References
    ----------
    Atkinson, A. B. (1970). On the measurement of inequality. *Journal of
    Economic Theory* 2(3), 244–263.
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    >>> from regiongap.metrics import atkinson
    >>> round(atkinson([1.0, 4.0], 1), 12)  # 1 - geometric mean 2 / mean 2.5
    0.2
    >>> atkinson([1.0, 4.0], 0)
    0.0
    """
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float | np.number):
        msg = f"epsilon must be a number ≥ 0, got {epsilon!r}"
        raise MetricInputError(msg)
    eps = float(epsilon)
    if not math.isfinite(eps) or eps < 0:
        msg = f"epsilon must be finite and ≥ 0, got {epsilon!r}"
        raise MetricInputError(msg)
    prepared = prepare(values, weights, nan_policy=nan_policy, allow_zero=eps < 1)
    mu = weighted_mean(prepared)
    p = normalised_weights(prepared)
    # Work with y/μ: the index is scale invariant and this keeps powers in range.
    x = prepared.values / mu
    if eps == 1.0:
        ede = math.exp(float(np.dot(p, np.log(x))))
    else:
        ede = float(np.dot(p, x ** (1.0 - eps))) ** (1.0 / (1.0 - eps))
    return min(max(1.0 - ede, 0.0), 1.0)


def coefficient_of_variation(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Coefficient of variation: (weighted) population standard deviation / mean.

    .. math::

        CV = \frac{1}{\mu}\sqrt{\sum_i \frac{w_i}{W}(y_i - \mu)^2},
        \qquad \mu = \sum_i \frac{w_i}{W} y_i

    The standard deviation is the *population* one (``ddof=0``): the regions
    are the whole population of interest, not a sample, and this is the form
    Eurostat uses for its dispersion of regional labour-market rates
    (:func:`regiongap.metrics.eurostat_dispersion_cv` is 100 × this value).
    Returned as a ratio, not in percent. Half the squared CV is GE(2)
    (Cowell 2011, ch. 3).

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per unit.
    weights : array-like of float, optional
        Non-negative weights (usually population) aligned with ``values``.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop NaN pairs with a warning).

    Returns
    -------
    float
        CV ≥ 0.

    Raises
    ------
    MetricInputError
        Zero mean, and every input error of :func:`gini`.

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    >>> from regiongap.metrics import coefficient_of_variation
    >>> coefficient_of_variation([1.0, 3.0])  # std 1 / mean 2
    0.5
    """
    prepared = prepare(values, weights, nan_policy=nan_policy)
    mu = weighted_mean(prepared)
    p = normalised_weights(prepared)
    variance = float(np.dot(p, (prepared.values - mu) ** 2))
    return math.sqrt(variance) / mu


def max_min_ratio(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Ratio of the largest to the smallest value.

    .. math::

        R = \frac{\max_{i:\,w_i > 0} y_i}{\min_{i:\,w_i > 0} y_i}

    Weights do not change the ratio; a unit with weight 0 is not part of the
    population and is left out. The ratio looks at two units only and is very
    sensitive to outliers and to the size of regions; prefer
    :func:`quintile_share_ratio` or :func:`gini` for a summary (OECD 2024,
    *Regions and Cities at a Glance*, reader's guide).

    Parameters
    ----------
    values : array-like of float
        Non-negative values; the smallest (with positive weight) must be > 0.
    weights : array-like of float, optional
        Non-negative weights aligned with ``values``.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop NaN pairs with a warning).

    Returns
    -------
    float
        R ≥ 1.

    Raises
    ------
    MetricInputError
        When the smallest value is 0, and every input error of :func:`gini`.

    Examples
    --------
    >>> from regiongap.metrics import max_min_ratio
    >>> max_min_ratio([2.0, 5.0, 8.0])
    4.0
    """
    prepared = prepare(values, weights, nan_policy=nan_policy)
    y = prepared.values
    if prepared.weights is not None:
        y = y[prepared.weights > 0]
    low = float(y.min())
    if low == 0:
        msg = (
            f"values: the smallest value is 0 ({int((y == 0).sum())} zero value(s)), "
            "so the max/min ratio is infinite; use quintile_share_ratio or gini"
        )
        raise MetricInputError(msg)
    return float(y.max()) / low


def quintile_share_ratio(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Top-20 % / bottom-20 % share ratio (S80/S20) along the Lorenz curve.

    Units are sorted by value; each unit is a block of its weight (population)
    whose members all have the unit's value, so the Lorenz curve :math:`L(F)`
    — the share of the total held by the poorest fraction *F* of the
    population — is piecewise linear through the points
    :math:`(F_k, L_k) = (\sum_{i \le k} w_{(i)}/W,\;
    \sum_{i \le k} w_{(i)} y_{(i)} / \sum_i w_i y_i)`. Then

    .. math::

        S80/S20 = \frac{1 - L(0.8)}{L(0.2)}

    the share of the total held by the richest 20 % of the population over the
    share held by the poorest 20 %. A unit straddling a 20 % boundary is split
    pro rata (linear interpolation on the Lorenz curve). Unweighted with *n* a
    multiple of 5 this is the sum of the top *n*/5 values over the sum of the
    bottom *n*/5 values. This is the regional analogue of Eurostat's income
    quintile share ratio (which is computed on household microdata) and of the
    OECD's top-/bottom-20 % population ratio of regional values.

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per unit.
    weights : array-like of float, optional
        Non-negative weights (usually population) aligned with ``values``.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop NaN pairs with a warning).

    Returns
    -------
    float
        Ratio ≥ 1.

    Raises
    ------
    MetricInputError
        When the poorest 20 % hold nothing (all zeros), and every input error of
        :func:`gini`.

    References
    ----------
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed., ch. 2 (Lorenz curve).
    OECD (2024). *OECD Regions and Cities at a Glance 2024*, reader's guide.

    Examples
    --------
    >>> from regiongap.metrics import quintile_share_ratio
    >>> quintile_share_ratio([1, 2, 3, 4, 10])  # 10 / 1
    10.0
    >>> round(quintile_share_ratio(range(1, 11)), 12)  # (9 + 10) / (1 + 2)
    6.333333333333
    """
    prepared = prepare(values, weights, nan_policy=nan_policy)
    weighted_mean(prepared)  # zero mean → error naming values
    # cumulate the weights as given and divide once: integer (frequency) weights then
    # put the Lorenz curve's corners exactly on k/n, as repeating the values would
    # (normalised shares summed one by one miss 0.2 by round-off, and a corner next
    # to a very unequal neighbour then moves the ratio in its ninth digit)
    w = (
        np.ones_like(prepared.values)
        if prepared.weights is None
        else prepared.weights.astype(np.float64)
    )
    keep = w > 0
    y = prepared.values[keep]
    w = w[keep]
    order = np.argsort(y, kind="stable")
    y = y[order]
    w = w[order]
    amounts = w * y
    F = np.concatenate(([0.0], np.cumsum(w))) / w.sum()
    L = np.concatenate(([0.0], np.cumsum(amounts))) / amounts.sum()
    F[-1] = 1.0  # remove the round-off of the cumulative sum
    bottom = float(np.interp(0.2, F, L))
    top = 1.0 - float(np.interp(0.8, F, L))
    if bottom <= 0:
        msg = (
            "values: the poorest 20 % of the population hold none of the total "
            "(their values are 0), so the quintile share ratio is infinite"
        )
        raise MetricInputError(msg)
    return top / bottom
