r"""Members against non-members: do a partnership's regions differ from others.

:func:`members_vs_nonmembers` compares the (weighted) mean of the members with
that of the other regions, with a stratified percentile bootstrap interval and a
between/within Theil split; the result is a :class:`MembersComparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.resolve import (
    USER_LIST,
    Membership,
    MembershipInput,
    infer_level,
    resolve_membership,
)
from regiongap.metrics.inequality import TheilDecomposition, theil_decomposition
from regiongap.metrics.partnerships._values import Values, value_frame, weights_for

__all__ = ["MembersComparison", "members_vs_nonmembers"]


@dataclass(frozen=True, eq=False)
class MembersComparison:
    r"""Result of :func:`members_vs_nonmembers`.

    Attributes
    ----------
    difference : float
        :math:`\bar x_\text{members} - \bar x_\text{non-members}` (weighted
        means when weights were given).
    ci_low, ci_high : float
        Percentile bootstrap interval of the difference.
    mean_members, mean_nonmembers : float
        The two group means.
    n_members, n_nonmembers : int
        Regions with a value in each group.
    theil : TheilDecomposition or None
        Theil T split into between (member / non-member) and within parts; None
        when values are negative (Theil's T is undefined), see ``notes``.
    partnership : str or None
        Partnership id.
    member_list : str
        Completeness of the member list used (``complete``, ``partial``,
        ``leads_only``, ``none`` or ``caller-supplied``).
    completeness : str
        The registry's sentence on the list's completeness.
    notes : list of str
        Caveats (incomplete list allowed, members without values, …).
    settings : dict
        ``n_boot``, ``seed``, ``confidence``, ``weighted``, ``method``.
    """

    difference: float
    ci_low: float
    ci_high: float
    mean_members: float
    mean_nonmembers: float
    n_members: int
    n_nonmembers: int
    theil: TheilDecomposition | None
    partnership: str | None
    member_list: str
    completeness: str
    notes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One-row summary table (Theil parts included when available)."""
        row = {
            "partnership": self.partnership,
            "member_list": self.member_list,
            "n_members": self.n_members,
            "n_nonmembers": self.n_nonmembers,
            "mean_members": self.mean_members,
            "mean_nonmembers": self.mean_nonmembers,
            "difference": self.difference,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "theil_total": getattr(self.theil, "total", np.nan),
            "theil_between": getattr(self.theil, "between", np.nan),
            "theil_within": getattr(self.theil, "within", np.nan),
        }
        return pd.DataFrame([row])


def _bootstrap_means(
    y: np.ndarray, w: np.ndarray, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    idx = rng.integers(0, len(y), size=(n_boot, len(y)))
    ww = w[idx]
    return (ww * y[idx]).sum(axis=1) / ww.sum(axis=1)


def members_vs_nonmembers(
    values: Values,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    weights: pd.Series | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    complete_only: bool = True,
    value: str | None = None,
    year: int | None = None,
    confidence: float = 0.95,
) -> MembersComparison:
    r"""Difference of means between members and non-members, with a bootstrap interval.

    .. math::

        \Delta = \bar x_M - \bar x_N, \qquad
        \bar x_G = \frac{\sum_{i \in G} w_i x_i}{\sum_{i \in G} w_i}

    (:math:`w_i = 1` unweighted). The interval is the percentile bootstrap
    (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13):
    members and non-members are resampled with replacement **separately**
    (stratified, keeping both group sizes), :math:`\Delta^*` is recomputed
    ``n_boot`` times with ``numpy.random.default_rng(seed)``, and the interval
    is the :math:`(1-c)/2` and :math:`(1+c)/2` quantiles of :math:`\Delta^*`.
    The Theil T decomposition with the two groups
    (:func:`regiongap.metrics.theil_decomposition`, Shorrocks 1980) tells how
    much of the regional inequality lies *between* members and non-members.

    Non-members are all the other regions in *values* — restrict *values* to
    the universe you mean (e.g. EU-27 NUTS 2 regions). This comparison is only
    sound when the member list is complete (otherwise unlisted members count as
    non-members): partnerships whose ``member_list`` is not ``"complete"`` raise
    :class:`~regiongap.errors.MembershipError` unless ``complete_only=False``,
    and the result always says which list was used.

    Parameters
    ----------
    values : CapacityIndex, pandas.Series or pandas.DataFrame
        As :func:`regiongap.partnership_gaps`.
    partnership : str, optional
        Partnership id (registry), or the name of a column of a membership matrix.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly, as in :func:`regiongap.partnership_gaps`. A
        ``member_list`` recorded with it (``attrs`` of
        :func:`regiongap.membership_matrix` or :func:`regiongap.membership_groups`,
        or a ``member_list`` column) is
        checked like the registry's; without one it is taken as the caller's
        responsibility and noted.
    weights : pandas.Series, optional
        Population (or other) weights by geo, for weighted means and Theil.
    n_boot : int
        Bootstrap replicates (default 2000).
    seed : int
        Seed of the bootstrap generator; fixed seed, identical result.
    complete_only : bool
        Refuse incomplete member lists (default True).
    value : str, optional
        Headline column of a wide frame.
    year : int, optional
        Data year to take from a long frame.
    confidence : float
        Level of the interval, in (0, 1) (default 0.95).

    Returns
    -------
    MembersComparison
        The difference, its interval, the group means and sizes, the Theil split
        and the member list used.

    Raises
    ------
    MembershipError
        Incomplete member list with ``complete_only=True``, unknown or empty
        partnership, or no non-member.
    MetricInputError
        Unusable values or weights, ``n_boot`` < 1, bad ``confidence``.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series({"A1": 10.0, "A2": 12.0, "B1": 4.0, "B2": 6.0, "B3": 5.0})
    >>> r = members_vs_nonmembers(v, membership=["A1", "A2"], n_boot=500)
    >>> r.difference, r.n_members, r.n_nonmembers
    (6.0, 2, 3)
    """
    _check_options(n_boot, confidence)
    frame, headline = value_frame(values, value=value, year=year)
    level = infer_level(frame.index)
    members = resolve_membership(partnership, membership, level=level)
    notes = _list_notes(members, complete_only)
    head = frame[headline].dropna()
    is_member = head.index.isin(members.geos)
    absent = [g for g in members.geos if g not in head.index]
    if absent:
        notes.append(f"member(s) without a {headline!r} value left out: {absent}")
    ym, yn = head[is_member], head[~is_member]
    if len(ym) == 0:
        msg = f"no member of {members.partnership!r} has a {headline!r} value"
        raise MembershipError(msg)
    if len(yn) == 0:
        msg = "every region in values is a member: there is no non-member to compare"
        raise MembershipError(msg)
    w = weights_for(weights, head.index)
    wm = np.ones(len(ym)) if w is None else w[ym.index].to_numpy()
    wn = np.ones(len(yn)) if w is None else w[yn.index].to_numpy()
    if wm.sum() <= 0 or wn.sum() <= 0:
        msg = "weights sum to zero inside the members or the non-members"
        raise MetricInputError(msg)
    mean_m = float(np.dot(wm, ym.to_numpy()) / wm.sum())
    mean_n = float(np.dot(wn, yn.to_numpy()) / wn.sum())

    rng = np.random.default_rng(seed)
    boot = _bootstrap_means(ym.to_numpy(), wm, n_boot, rng) - _bootstrap_means(
        yn.to_numpy(), wn, n_boot, rng
    )
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha])
    return MembersComparison(
        difference=mean_m - mean_n,
        ci_low=float(lo),
        ci_high=float(hi),
        mean_members=mean_m,
        mean_nonmembers=mean_n,
        n_members=len(ym),
        n_nonmembers=len(yn),
        theil=_theil_split(head, is_member, w, notes),
        partnership=members.partnership,
        member_list=members.member_list,
        completeness=members.completeness,
        notes=notes,
        settings={
            "headline": headline,
            "n_boot": int(n_boot),
            "seed": seed,
            "confidence": float(confidence),
            "weighted": w is not None,
            "method": "stratified percentile bootstrap (Efron & Tibshirani 1993)",
        },
    )


def _check_options(n_boot: int, confidence: float) -> None:
    if not isinstance(n_boot, int | np.integer) or n_boot < 1:
        msg = f"n_boot must be a positive integer, got {n_boot!r}"
        raise MetricInputError(msg)
    if not 0 < confidence < 1:
        msg = f"confidence must be in (0, 1), got {confidence!r}"
        raise MetricInputError(msg)


def _list_notes(members: Membership, complete_only: bool) -> list[str]:
    """Refuse an incomplete member list unless asked; return the notes to keep."""
    if members.member_list == USER_LIST:
        return [members.completeness]
    if members.member_list == "complete":
        return []
    if complete_only:
        msg = (
            f"the member list of {members.partnership!r} is "
            f"{members.member_list!r} ({members.completeness}). Comparing members "
            "with non-members needs a complete list — otherwise some "
            "'non-members' are members nobody listed and the difference is "
            "biased. Pass complete_only=False to compare anyway."
        )
        raise MembershipError(msg)
    return [
        f"member list {members.member_list!r} used with complete_only=False: "
        "some non-members may be unlisted members"
    ]


def _theil_split(
    head: pd.Series, is_member: np.ndarray, w: pd.Series | None, notes: list[str]
) -> TheilDecomposition | None:
    """Theil T split between members and non-members (None for negative values)."""
    if (head < 0).any():
        notes.append("values have negative entries: Theil T is undefined, theil=None")
        return None
    groups = np.where(is_member, "member", "non-member")
    return theil_decomposition(
        head.to_numpy(), groups, None if w is None else w.to_numpy()
    )
