"""Theil's entropy measures: T, L (mean log deviation) and the decomposition of T.

Private module (its name must not shadow the public function ``theil`` on the
``regiongap.metrics`` package): the public names are re-exported by
:mod:`regiongap.metrics.inequality` and :mod:`regiongap.metrics`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from regiongap.errors import MetricInputError
from regiongap.metrics._validate import (
    NanPolicy,
    Prepared,
    normalised_weights,
    prepare,
    weighted_mean,
)

__all__ = ["TheilDecomposition", "mean_log_deviation", "theil", "theil_decomposition"]


def _theil_t(prepared: Prepared) -> float:
    """Theil T of clean inputs; ``0·ln 0`` is taken as 0 (its limit)."""
    y = prepared.values
    p = normalised_weights(prepared)
    mu = weighted_mean(prepared)
    ratio = y / mu
    positive = ratio > 0
    # Only strictly positive ratios enter the sum: x·ln x → 0 as x → 0, so zero
    # values contribute exactly 0. Nothing is added to the data.
    terms = np.zeros_like(ratio)
    terms[positive] = p[positive] * ratio[positive] * np.log(ratio[positive])
    # Clip the round-off of an equal distribution (−1e-17) to the true minimum 0.
    return max(float(terms.sum()), 0.0)


def theil(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Compute Theil's T index (generalised entropy GE(1)) of non-negative values.

    .. math::

        T = \sum_{i=1}^{n} \frac{w_i}{W}\,\frac{y_i}{\mu}\,
            \ln\frac{y_i}{\mu}
          = \sum_{i=1}^{n} s_i \ln\frac{y_i}{\mu},
        \qquad \mu = \sum_i \frac{w_i}{W} y_i,\;
        s_i = \frac{w_i y_i}{\sum_j w_j y_j},\; W = \sum_i w_i

    Unweighted, :math:`w_i = 1`. With ``weights`` = population and ``values`` =
    a per-inhabitant quantity, :math:`s_i` is region *i*'s share of the total
    and :math:`w_i/W` its population share (Theil 1967; Cowell 2011, ch. 3).
    T is 0 for equal values and at most :math:`\ln(W / w_{\min})`.

    Zero values are allowed: their term is :math:`0 \cdot \ln 0 = 0`, the limit
    of :math:`x \ln x` as :math:`x \to 0`. No constant is added to the data.

    Parameters
    ----------
    values : array-like of float
        Non-negative values (list, ndarray or Series), one per unit.
    weights : array-like of float, optional
        Non-negative weights (usually population), aligned with ``values``; if
        both are Series their indexes must be equal.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default): NaN is an error naming how many and where.
        ``"omit"``: drop units whose value or weight is NaN, with a
        :class:`~regiongap.errors.DataQualityWarning`.

    Returns
    -------
    float
        Theil's T, ≥ 0.

    Raises
    ------
    MetricInputError
        Empty or all-NaN input, negative or infinite values, negative weights,
        zero total weight, zero mean, mismatched lengths or indexes.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    >>> from regiongap.metrics import theil
    >>> round(theil([0, 0, 0, 10, 10, 10]), 12)  # = ln 2
    0.69314718056
    >>> theil([3.0, 3.0, 3.0])
    0.0
    >>> round(theil([1.0, 3.0], weights=[3, 1]), 6) == round(theil([1, 1, 1, 3]), 6)
    True
    """
    return _theil_t(prepare(values, weights, nan_policy=nan_policy))


def _mld(prepared: Prepared) -> float:
    p = normalised_weights(prepared)
    mu = weighted_mean(prepared)
    return max(float(np.dot(p, np.log(mu / prepared.values))), 0.0)


def mean_log_deviation(
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Mean log deviation, Theil's L index (generalised entropy GE(0)).

    .. math::

        L = \sum_{i=1}^{n} \frac{w_i}{W} \ln\frac{\mu}{y_i},
        \qquad \mu = \sum_i \frac{w_i}{W} y_i

    Unweighted, :math:`w_i = 1`. With population weights, :math:`w_i/W` is the
    population share of unit *i* (Theil 1967; Cowell 2011, ch. 3). L is the log
    of the ratio of the arithmetic to the geometric mean, and equals
    :math:`-\ln(1 - A_1)` for the Atkinson index with :math:`\varepsilon = 1`.

    Values must be strictly positive: :math:`\ln(\mu/0)` is infinite. A zero is
    reported as an error naming how many there are; it is never replaced.

    Parameters
    ----------
    values : array-like of float
        Strictly positive values, one per unit.
    weights : array-like of float, optional
        Non-negative weights aligned with ``values``.
    nan_policy : {"raise", "omit"}
        See :func:`theil`.

    Returns
    -------
    float
        Theil's L, ≥ 0.

    Raises
    ------
    MetricInputError
        As :func:`theil`, and when any value is zero.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    >>> from regiongap.metrics import mean_log_deviation
    >>> round(mean_log_deviation([1.0, 4.0]), 12)  # ln(2.5 / 2)
    0.223143551314
    """
    return _mld(prepare(values, weights, nan_policy=nan_policy, allow_zero=False))


@dataclass(frozen=True, eq=False)
class TheilDecomposition:
    r"""Theil T split into a between-group and a within-group part.

    The result of :func:`theil_decomposition`.

    Parameters
    ----------
    total : float
        Theil T of all units.
    between : float
        Theil T of the group means (each group's units at its mean).
    within : float
        Value-share-weighted sum of the groups' own Theil T;
        ``between + within == total`` up to round-off.
    groups : pandas.DataFrame
        One row per group (index ``group``, sorted where labels are orderable)
        with columns ``n`` (units),
        ``weight_share`` (population share :math:`W_g/W`, ``1/n`` per unit when
        unweighted), ``value_share`` (share of the total :math:`S_g`), ``mean``
        (weighted mean :math:`\mu_g`), ``theil`` (:math:`T_g`, NaN for a group
        whose values are all zero), ``between_contribution``
        (:math:`S_g\ln(\mu_g/\mu)`) and ``within_contribution``
        (:math:`S_g T_g`, 0 for a group whose values are all zero).

    Examples
    --------
    >>> d = theil_decomposition([1.0, 1.0, 4.0, 4.0], ["a", "a", "b", "b"])
    >>> round(d.between_share, 12)
    1.0
    >>> d.to_frame()["component"].tolist()
    ['total', 'between', 'within']
    """

    total: float
    between: float
    within: float
    groups: pd.DataFrame

    @property
    def between_share(self) -> float:
        """Share of total inequality due to differences between group means."""
        return self.between / self.total if self.total > 0 else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """Return ``component`` (total, between, within), ``value`` and ``share``.

        ``share`` is each component's share of the total (NaN when T = 0).
        """
        share = (
            [1.0, self.between / self.total, self.within / self.total]
            if self.total > 0
            else [float("nan")] * 3
        )
        return pd.DataFrame(
            {
                "component": ["total", "between", "within"],
                "value": [self.total, self.between, self.within],
                "share": share,
            }
        )


def theil_decomposition(
    values: ArrayLike,
    groups: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    nan_policy: NanPolicy = "raise",
) -> TheilDecomposition:
    r"""Decompose Theil's T into between-group and within-group inequality.

    For exhaustive, mutually exclusive groups *g* with population shares
    :math:`P_g = W_g / W`, value shares :math:`S_g = \sum_{i \in g} w_i y_i /
    \sum_i w_i y_i` and weighted means :math:`\mu_g`:

    .. math::

        T = \underbrace{\sum_g S_g \ln\frac{\mu_g}{\mu}}_{\text{between}}
          + \underbrace{\sum_g S_g\, T_g}_{\text{within}},
        \qquad \ln\frac{\mu_g}{\mu} = \ln\frac{S_g}{P_g}

    where :math:`T_g` is the (weighted) Theil T inside group *g* (Theil 1967;
    Shorrocks 1980; Cowell 2011, ch. 3). Unweighted, every unit has weight 1,
    which reproduces PySAL's ``TheilD``. With ``weights`` = population and
    ``values`` = per-inhabitant values, :math:`S_g` is the group's share of the
    national total and :math:`P_g` its population share.

    A group of a single unit is legitimate (its within part is 0). A group whose
    values are all zero has :math:`S_g = 0` and contributes 0 to both parts (limit
    of :math:`x \ln x`); its own ``theil`` is reported as NaN (undefined).

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per unit.
    groups : array-like
        Group label of every unit (any hashable; e.g. country code, partnership
        member yes/no, cohesion category). Aligned with ``values``; if both are
        Series their indexes must be equal.
    weights : array-like of float, optional
        Non-negative weights (usually population), aligned with ``values``.
    nan_policy : {"raise", "omit"}
        ``"raise"``: NaN in values or weights, or a missing group label, is an
        error. ``"omit"``: drop those units with a
        :class:`~regiongap.errors.DataQualityWarning`.

    Returns
    -------
    TheilDecomposition
        ``total``, ``between``, ``within`` and the per-group table ``groups``.

    Raises
    ------
    MetricInputError
        As :func:`theil`; also for a group label that is empty (``""``), a
        ``groups`` of the wrong length, or a group left without any unit once
        missing values are omitted.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. *Econometrica* 48(3), 613–625.
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    >>> from regiongap.metrics import theil_decomposition
    >>> d = theil_decomposition([0, 0, 0, 10, 10, 10], ["a", "a", "a", "b", "b", "b"])
    >>> round(d.between, 12), round(d.within, 12)
    (0.69314718056, 0.0)
    >>> d.groups["n"].tolist()
    [3, 3]
    """
    given = _group_list(groups)
    prepared = prepare(values, weights, nan_policy=nan_policy, groups=groups)
    y = prepared.values
    labels = prepared.groups
    assert labels is not None  # prepare() returns labels when groups are given
    p = normalised_weights(prepared)
    mu = weighted_mean(prepared)
    total = _theil_t(prepared)
    value_total = float(np.dot(p, y))

    try:
        codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=True)
    except TypeError:  # labels of mixed, unorderable types: keep first-seen order
        codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=False)
    present = set(uniques.tolist())
    lost = [g for g in given if g not in present]
    if lost:
        msg = (
            f"groups {lost[:5]!r} have no unit left after omitting missing values; "
            "every group needs at least one value (drop the group or fill the data)"
        )
        raise MetricInputError(msg)

    rows = []
    between = 0.0
    within = 0.0
    for k, label in enumerate(uniques):
        member = codes == k
        y_g = y[member]
        p_g = p[member]
        w_share = float(p_g.sum())
        v_share = float(np.dot(p_g, y_g)) / value_total
        if w_share > 0 and v_share > 0:
            mu_g = float(np.dot(p_g, y_g)) / w_share
            t_g = _theil_t(Prepared(values=y_g, weights=p_g))
            b_g = v_share * np.log(mu_g / mu)
            w_g = v_share * t_g
        else:
            # All-zero group (or one whose units all have weight 0): S_g = 0, and
            # S_g ln(S_g/P_g) → 0, so it adds nothing to either part.
            mu_g = float(np.dot(p_g, y_g)) / w_share if w_share > 0 else float("nan")
            t_g = float("nan")
            b_g = 0.0
            w_g = 0.0
        between += b_g
        within += w_g
        rows.append(
            {
                "group": label,
                "n": int(member.sum()),
                "weight_share": w_share,
                "value_share": v_share,
                "mean": mu_g,
                "theil": t_g,
                "between_contribution": float(b_g),
                "within_contribution": float(w_g),
            }
        )
    table = pd.DataFrame(rows).set_index("group")
    return TheilDecomposition(
        total=total, between=float(between), within=float(within), groups=table
    )


def _group_list(groups: object) -> list[Hashable]:
    """Distinct non-missing labels the caller gave (before NaN omission)."""
    if isinstance(groups, pd.DataFrame | str | bytes) or not isinstance(
        groups, Iterable
    ):
        return []  # prepare() reports the error with its full message
    series = pd.Series(list(groups)).astype(object)
    return pd.unique(series.dropna()).tolist()
