r"""Partner-by-partner gaps, and members against non-members.

:func:`partnership_gaps` answers "where does each partner stand?" — against the
partnership's leader, its median member, the EU-27 median region and its own
country — and summarises the dispersion inside the partnership.
:func:`members_vs_nonmembers` answers "do members differ from the other
regions?" with a bootstrap interval and a between/within Theil split.

Gaps are signed so that a **negative gap always means behind**:

.. math::

    \text{gap}_r(\text{ref}) = \begin{cases}
      x_r - x_\text{ref} & \text{higher is better}\\
      x_\text{ref} - x_r & \text{lower is better}
    \end{cases}

References (:math:`x_\text{ref}`):

* **leader** — the best-scoring region among the partnership's leads
  (``lead`` and ``co-lead`` roles). A partnership with several co-leads is
  compared with the best of them, the frontier the partnership sets for itself;
  without a lead that has a value the gap is NaN and the summary says so.
* **partnership median** — the median of the members' values.
* **EU-27 median** — the median over the EU-27 regions present in the values
  (country code in :data:`regiongap.nuts.EU27_COUNTRIES`, extra-regio codes
  excluded), or over ``eu_regions`` when given.
* **national** — by default the median of the values of the member's country's
  regions present in the data (same NUTS level); ``national="mean"`` uses the
  mean (population-weighted when ``weights`` are given). For per-inhabitant
  values the exact national figure is the population-weighted mean, or the
  country's own published value: pass it as a Series indexed by country code
  (``national=series``) to use it instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.metrics._membership import (
    LEAD_ROLES,
    USER_LIST,
    Membership,
    infer_level,
    resolve_membership,
)

__all__ = [
    "MembersComparison",
    "PartnershipGaps",
    "members_vs_nonmembers",
    "partnership_gaps",
]


# --------------------------------------------------------------------- values


def value_frame(
    values: Any, *, column: str | None = None, year: int | None = None
) -> tuple[pd.DataFrame, str]:
    """Turn the accepted value inputs into a geo-indexed frame and its headline column.

    Accepts a :class:`~regiongap.metrics.composite.CapacityIndex` (headline
    ``index``, plus its pillar scores), a Series indexed by ``geo``, a wide frame
    indexed by ``geo`` (or with a ``geo`` column; ``__year``/``__flag`` columns
    of a panel are ignored) or a long frame ``geo, time, value`` (with ``year``
    when it has several years).
    """
    from regiongap.metrics.composite import CapacityIndex

    if isinstance(values, CapacityIndex):
        frame = values.pillars.copy()
        frame.insert(0, "index", values.scores["index"].reindex(frame.index))
        headline = column or "index"
    elif isinstance(values, pd.Series):
        name = str(values.name) if values.name is not None else "value"
        frame = values.rename(name).to_frame()
        headline = name
    elif isinstance(values, pd.DataFrame):
        frame = values
        if {"geo", "value"} <= set(frame.columns):
            if "time" in frame.columns:
                times = frame["time"].dropna().unique()
                if year is None and len(times) > 1:
                    msg = (
                        f"values has {len(times)} years; pass year= to choose one "
                        f"(e.g. year={int(max(times))})"
                    )
                    raise MetricInputError(msg)
                if year is not None:
                    frame = frame[frame["time"] == year]
                    if frame.empty:
                        msg = f"values has no row for year={year}"
                        raise MetricInputError(msg)
            dup = frame["geo"].astype(str).duplicated()
            if dup.any():
                msg = (
                    "values has several rows per geo for one year: "
                    f"{sorted(set(frame.loc[dup, 'geo'].astype(str)))[:5]}"
                )
                raise MetricInputError(msg)
            frame = frame.set_index(frame["geo"].astype(str))[["value"]]
            headline = column or "value"
        else:
            if "geo" in frame.columns:
                frame = frame.set_index("geo")
            numeric = [
                c
                for c in frame.columns
                if "__" not in str(c) and pd.api.types.is_numeric_dtype(frame[c])
            ]
            frame = frame[numeric]
            if column is None:
                if len(numeric) != 1:
                    msg = (
                        f"values has {len(numeric)} numeric columns {numeric[:10]}; "
                        "pass column= to choose the one to compare"
                    )
                    raise MetricInputError(msg)
                column = numeric[0]
            headline = column
    else:
        msg = (
            "values must be a CapacityIndex, a Series indexed by geo, or a DataFrame "
            f"(wide by geo, or long geo/time/value); got {type(values).__name__}"
        )
        raise MetricInputError(msg)
    if headline not in frame.columns:
        msg = f"column {headline!r} is not in values; it has {list(frame.columns)}"
        raise MetricInputError(msg)
    frame = frame.astype("float64")
    frame.index = pd.Index([str(g) for g in frame.index], name="geo")
    if frame.index.has_duplicates:
        dups = sorted(set(frame.index[frame.index.duplicated()]))[:5]
        msg = f"values has duplicated regions {dups}"
        raise MetricInputError(msg)
    return frame, headline


def _weights_for(weights: Any, geos: pd.Index) -> pd.Series | None:
    if weights is None:
        return None
    if not isinstance(weights, pd.Series):
        msg = f"weights must be a Series indexed by geo, got {type(weights).__name__}"
        raise MetricInputError(msg)
    w = weights.copy()
    w.index = w.index.astype(str)
    missing = [g for g in geos if g not in w.index or pd.isna(w[g])]
    if missing:
        msg = f"weights has no value for regions {missing[:10]}"
        raise MetricInputError(msg)
    w = w.reindex(geos).astype("float64")
    bad = w[(w < 0) | ~np.isfinite(w)]
    if len(bad):
        msg = (
            f"weights must be finite and non-negative; bad for {bad.head(5).to_dict()}"
        )
        raise MetricInputError(msg)
    return w


def _eu27_geos(index: pd.Index, eu_regions: Iterable[str] | None) -> list[str]:
    if eu_regions is not None:
        wanted = {str(g) for g in eu_regions}
        return [g for g in index if g in wanted]
    from regiongap.errors import SchemaError
    from regiongap.nuts import EU27_COUNTRIES, is_aggregate, is_extra_regio

    def keep(code: str) -> bool:
        try:
            return not (is_aggregate(code) or is_extra_regio(code))
        except SchemaError:  # not a NUTS code at all: not an EU-27 region
            return False

    return [g for g in index if g[:2] in EU27_COUNTRIES and keep(g)]


def _national(frame: pd.Series, national: Any, weights: pd.Series | None) -> pd.Series:
    """National reference value of every region's country, indexed by geo."""
    country = pd.Series([g[:2] for g in frame.index], index=frame.index)
    if isinstance(national, pd.Series):
        ref = national.copy()
        ref.index = ref.index.astype(str)
        return country.map(ref).astype("float64")
    if national not in ("median", "mean"):
        msg = (
            f"national={national!r} is not 'median', 'mean' or a Series of national "
            "values indexed by country code"
        )
        raise MetricInputError(msg)
    observed = frame.dropna()
    by = country[observed.index]
    if national == "median":
        ref = observed.groupby(by).median()
    elif weights is None:
        ref = observed.groupby(by).mean()
    else:
        w = weights[observed.index]
        ref = (observed * w).groupby(by).sum() / w.groupby(by).sum()
    return country.map(ref).astype("float64")


def _gap(value: Any, ref: Any, higher_is_better: bool) -> Any:
    return value - ref if higher_is_better else ref - value


# --------------------------------------------------------------------- gaps


@dataclass(frozen=True, eq=False)
class PartnershipGaps:
    """Result of :func:`partnership_gaps`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per member (index ``geo``): ``role``, ``country``, the values
        (headline first, then e.g. pillar scores), the reference values
        ``leader_value``, ``partnership_median``, ``eu27_median``,
        ``national_value`` and the gaps ``gap_to_leader``,
        ``gap_to_partnership_median``, ``gap_to_eu27_median``,
        ``gap_to_national`` (negative = behind), and ``rank_in_partnership``
        (1 = best).
    summary : pandas.Series
        Dispersion inside the partnership on the headline: ``n_members``,
        ``n_with_value``, ``mean``, ``median``, ``min``, ``max``, ``cv``,
        ``gini``, ``max_min_ratio`` (via :mod:`regiongap.metrics.inequality`,
        unweighted unless ``weights`` were given), ``leader`` and
        ``leader_value``.
    partnership : str or None
        Partnership id.
    member_list : str
        Completeness of the member list used.
    notes : list of str
        What the analyst should know (members without a value, no lead…).
    settings : dict
        Headline column, direction, national rule, EU-27 rule.
    """

    table: pd.DataFrame
    summary: pd.Series
    partnership: str | None
    member_list: str
    notes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


def _dispersion(values: pd.Series, weights: pd.Series | None) -> dict[str, float]:
    from regiongap.metrics import coefficient_of_variation, gini, max_min_ratio

    v = values.dropna()
    out = {"cv": np.nan, "gini": np.nan, "max_min_ratio": np.nan}
    if len(v) < 2 or (v < 0).any():
        return out
    w = None if weights is None else weights[v.index].to_numpy()
    arr = v.to_numpy()
    if arr.mean() > 0:
        out["cv"] = coefficient_of_variation(arr, w)
        out["gini"] = gini(arr, w)
    if arr.min() > 0:
        out["max_min_ratio"] = max_min_ratio(arr, w)
    return out


def partnership_gaps(
    values: Any,
    partnership: str | None = None,
    *,
    year: int | None = None,
    membership: Any = None,
    column: str | None = None,
    national: str | pd.Series = "median",
    higher_is_better: bool = True,
    eu_regions: Iterable[str] | None = None,
    weights: pd.Series | None = None,
) -> PartnershipGaps:
    r"""Each member's gap to its leader, its partners, the EU-27 and its country.

    Formulas, sign convention and the definition of every reference are in the
    module docstring (:mod:`regiongap.metrics.gaps`).

    Parameters
    ----------
    values : CapacityIndex, pandas.Series or pandas.DataFrame
        A capacity index (its ``index`` is the headline, its pillar scores are
        reported too), a Series indexed by ``geo``, a wide frame by ``geo``
        (choose the headline with ``column``) or a long ``geo, time, value``
        frame (choose ``year``). Should cover all regions of the level (at least
        the EU-27) for the EU-27 and national references to mean something.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members` at the NUTS
        level of *values*.
    year : int, optional
        Year to take from a long frame.
    membership : optional
        Members given directly instead of the registry: a frame with ``geo``
        (and ``role``), a region × partnership matrix, a Series geo -> role/flag
        or a list of codes.
    column : str, optional
        Headline column of a wide frame.
    national : {"median", "mean"} or pandas.Series
        National reference (see module docstring); a Series is indexed by
        country code.
    higher_is_better : bool
        Direction of the headline; defines the leader and the gap sign.
    eu_regions : iterable of str, optional
        Regions that form the EU-27 reference (default: EU-27 codes in *values*).
    weights : pandas.Series, optional
        Population by geo, for ``national="mean"`` and the dispersion summary.

    Returns
    -------
    PartnershipGaps
        ``table`` (per member), ``summary`` (dispersion), ``notes``, ``settings``.

    Raises
    ------
    MembershipError
        Unknown partnership, or no member.
    MetricInputError
        Unusable values, column or weights.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series({"AT11": 50.0, "AT12": 70.0, "AT13": 90.0, "BE10": 80.0},
    ...               name="index")
    >>> roles = pd.Series({"AT11": "member", "AT13": "lead", "BE10": "member"})
    >>> g = partnership_gaps(v, membership=roles)
    >>> g.table["gap_to_leader"].tolist()
    [-40.0, 0.0, -10.0]
    >>> g.table["gap_to_national"].tolist()
    [-20.0, 20.0, 0.0]
    """
    frame, headline = value_frame(values, column=column, year=year)
    level = infer_level(frame.index)
    members = resolve_membership(partnership, membership, level=level)
    w = _weights_for(weights, frame.index)
    return _gaps_from(
        frame, headline, members, national, higher_is_better, eu_regions, w
    )


def _gaps_from(
    frame: pd.DataFrame,
    headline: str,
    members: Membership,
    national: Any,
    higher_is_better: bool,
    eu_regions: Iterable[str] | None,
    weights: pd.Series | None,
) -> PartnershipGaps:
    notes: list[str] = []
    geos = members.geos
    absent = [g for g in geos if g not in frame.index or pd.isna(frame.at[g, headline])]
    if absent:
        notes.append(f"no {headline!r} value for member(s) {absent}")
    head = frame[headline]
    table = frame.reindex(geos)
    table.insert(0, "role", members.roles.reindex(geos).to_numpy())
    table.insert(1, "country", [g[:2] for g in geos])
    member_values = head.reindex(geos)

    leads = [
        g for g in geos if members.roles[g] in LEAD_ROLES and pd.notna(member_values[g])
    ]
    if leads:
        lead_vals = member_values[leads]
        leader = lead_vals.idxmax() if higher_is_better else lead_vals.idxmin()
        leader_value = float(lead_vals[leader])
        if len(leads) > 1:
            notes.append(
                f"{len(leads)} leads/co-leads with a value ({', '.join(leads)}): the "
                f"leader is the best-scoring one, {leader}"
            )
    else:
        leader, leader_value = None, np.nan
        notes.append("no lead or co-lead with a value: gap_to_leader is NaN")

    median = float(member_values.median()) if member_values.notna().any() else np.nan
    eu = _eu27_geos(frame.index, eu_regions)
    eu_values = head[eu].dropna()
    eu_median = float(eu_values.median()) if len(eu_values) else np.nan
    if not len(eu_values):
        notes.append("no EU-27 region with a value: gap_to_eu27_median is NaN")
    nat = _national(head, national, weights).reindex(geos)

    table["leader_value"] = leader_value
    table["partnership_median"] = median
    table["eu27_median"] = eu_median
    table["national_value"] = nat.to_numpy()
    table["gap_to_leader"] = _gap(member_values, leader_value, higher_is_better)
    table["gap_to_partnership_median"] = _gap(member_values, median, higher_is_better)
    table["gap_to_eu27_median"] = _gap(member_values, eu_median, higher_is_better)
    table["gap_to_national"] = _gap(member_values, nat, higher_is_better)
    table["rank_in_partnership"] = member_values.rank(
        method="min", ascending=not higher_is_better
    ).astype("Int64")
    table.index.name = "geo"

    spread = _dispersion(member_values, weights)
    summary = pd.Series(
        {
            "n_members": len(geos),
            "n_with_value": int(member_values.notna().sum()),
            "mean": float(member_values.mean()),
            "median": median,
            "min": float(member_values.min()),
            "max": float(member_values.max()),
            **spread,
            "leader": leader,
            "leader_value": leader_value,
            "eu27_median": eu_median,
        },
        dtype=object,
    )
    settings = {
        "headline": headline,
        "higher_is_better": bool(higher_is_better),
        "national": national if isinstance(national, str) else "given per country",
        "eu27_regions": len(eu_values),
        "weighted": weights is not None,
        "membership_source": members.source,
        "completeness": members.completeness,
    }
    return PartnershipGaps(
        table=table,
        summary=summary,
        partnership=members.partnership,
        member_list=members.member_list,
        notes=notes,
        settings=settings,
    )


# ------------------------------------------------------- members vs non-members


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
    theil: Any
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
    values: Any,
    partnership: str | None = None,
    *,
    membership: Any = None,
    weights: pd.Series | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    complete_only: bool = True,
    column: str | None = None,
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
        As :func:`partnership_gaps`.
    partnership : str, optional
        Partnership id (registry), or the name of a column of a membership matrix.
    membership : optional
        Members given directly, as in :func:`partnership_gaps`. A ``member_list``
        recorded with it (``attrs`` of :func:`regiongap.membership_matrix` or
        :func:`regiongap.membership_groups`, or a ``member_list`` column) is
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
    column, year
        Choose the headline of a wide frame / the year of a long frame.
    confidence : float
        Level of the interval, in (0, 1) (default 0.95).

    Returns
    -------
    MembersComparison

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
    if not isinstance(n_boot, int | np.integer) or n_boot < 1:
        msg = f"n_boot must be a positive integer, got {n_boot!r}"
        raise MetricInputError(msg)
    if not 0 < confidence < 1:
        msg = f"confidence must be in (0, 1), got {confidence!r}"
        raise MetricInputError(msg)
    frame, headline = value_frame(values, column=column, year=year)
    level = infer_level(frame.index)
    members = resolve_membership(partnership, membership, level=level)
    notes: list[str] = []
    if members.member_list not in ("complete", USER_LIST):
        if complete_only:
            msg = (
                f"the member list of {members.partnership!r} is "
                f"{members.member_list!r} ({members.completeness}). Comparing members "
                "with non-members needs a complete list — otherwise some "
                "'non-members' are members nobody listed and the difference is "
                "biased. Pass complete_only=False to compare anyway."
            )
            raise MembershipError(msg)
        notes.append(
            f"member list {members.member_list!r} used with complete_only=False: "
            "some non-members may be unlisted members"
        )
    elif members.member_list == USER_LIST:
        notes.append(members.completeness)

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
    w = _weights_for(weights, head.index)
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

    theil = None
    if (head < 0).any():
        notes.append("values have negative entries: Theil T is undefined, theil=None")
    else:
        from regiongap.metrics import theil_decomposition

        groups = np.where(is_member, "member", "non-member")
        theil = theil_decomposition(
            head.to_numpy(), groups, None if w is None else w.to_numpy()
        )
    return MembersComparison(
        difference=mean_m - mean_n,
        ci_low=float(lo),
        ci_high=float(hi),
        mean_members=mean_m,
        mean_nonmembers=mean_n,
        n_members=len(ym),
        n_nonmembers=len(yn),
        theil=theil,
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
