r"""Partner-by-partner gaps.

:func:`partnership_gaps` answers "where does each partner stand?" — against the
partnership's leader, its median member, the EU-27 median region and its own
country — and summarises the dispersion inside the partnership.
(:func:`members_vs_nonmembers`, "do members differ from the other regions?",
lives in :mod:`regiongap.metrics.partnerships.comparison` and is importable from
here too.)

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
  (country code in :data:`regiongap.geo.codes.EU27_COUNTRIES`, extra-regio codes
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
from typing import Any, Literal

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError, SchemaError
from regiongap.geo.codes import EU27_COUNTRIES, is_aggregate, is_extra_regio
from regiongap.membership.resolve import (
    LEAD_ROLES,
    Membership,
    MembershipInput,
    infer_level,
    resolve_membership,
)
from regiongap.metrics.inequality import coefficient_of_variation, gini, max_min_ratio
from regiongap.metrics.partnerships._values import Values, value_frame, weights_for
from regiongap.metrics.partnerships.comparison import (
    MembersComparison,
    members_vs_nonmembers,
)

__all__ = [
    "MembersComparison",
    "National",
    "PartnershipGaps",
    "members_vs_nonmembers",
    "partnership_gaps",
]

#: The national reference: a rule, or published values indexed by country code.
National = Literal["median", "mean"] | pd.Series


# --------------------------------------------------------------------- values
def _is_region(code: str) -> bool:
    try:
        return not (is_aggregate(code) or is_extra_regio(code))
    except SchemaError:  # not a NUTS code at all: not an EU-27 region
        return False


def _eu27_geos(index: pd.Index, eu_regions: Iterable[str] | None) -> list[str]:
    if eu_regions is not None:
        wanted = {str(g) for g in eu_regions}
        return [g for g in index if g in wanted]
    return [g for g in index if g[:2] in EU27_COUNTRIES and _is_region(g)]


def _national(
    frame: pd.Series, national: National, weights: pd.Series | None
) -> pd.Series:
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


def _gap(value: pd.Series, ref: pd.Series | float, higher_is_better: bool) -> pd.Series:
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
    values: Values,
    partnership: str | None = None,
    *,
    year: int | None = None,
    membership: MembershipInput | None = None,
    value: str | None = None,
    national: National = "median",
    higher_is_better: bool = True,
    eu_regions: Iterable[str] | None = None,
    weights: pd.Series | None = None,
) -> PartnershipGaps:
    r"""Each member's gap to its leader, its partners, the EU-27 and its country.

    Formulas, sign convention and the definition of every reference are in the
    module docstring (:mod:`regiongap.metrics.partnerships.gaps`).

    Parameters
    ----------
    values : CapacityIndex, pandas.Series or pandas.DataFrame
        A capacity index (its ``index`` is the headline, its pillar scores are
        reported too), a Series indexed by ``geo``, a wide frame by ``geo``
        (choose the headline with ``value``) or a long ``geo, time, value``
        frame (choose ``year``). Should cover all regions of the level (at least
        the EU-27) for the EU-27 and national references to mean something.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members` at the NUTS
        level of *values*.
    year : int, optional
        Data year to take from a long frame.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly instead of the registry: a frame with ``geo``
        (and ``role``), a region × partnership matrix, a Series geo -> role/flag
        or a list of codes, read by
        :func:`regiongap.membership.resolve.resolve_membership` (``False``, 0,
        ``"false"``, ``"0"``, ``"none"`` and ``"non-member"`` are not members).
    value : str, optional
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
    frame, headline = value_frame(values, value=value, year=year)
    level = infer_level(frame.index)
    members = resolve_membership(partnership, membership, level=level)
    w = weights_for(weights, frame.index)
    return _gaps_from(
        frame, headline, members, national, higher_is_better, eu_regions, w
    )


def _leader(
    members: Membership,
    member_values: pd.Series,
    higher_is_better: bool,
    notes: list[str],
) -> tuple[str | None, float]:
    """Return the best-scoring lead or co-lead with a value, and its value."""
    geos = members.geos
    leads = [
        g for g in geos if members.roles[g] in LEAD_ROLES and pd.notna(member_values[g])
    ]
    if not leads:
        notes.append("no lead or co-lead with a value: gap_to_leader is NaN")
        return None, np.nan
    lead_vals = member_values[leads]
    leader = str(lead_vals.idxmax() if higher_is_better else lead_vals.idxmin())
    if len(leads) > 1:
        notes.append(
            f"{len(leads)} leads/co-leads with a value ({', '.join(leads)}): the "
            f"leader is the best-scoring one, {leader}"
        )
    return leader, float(lead_vals[leader])


def _summary(
    member_values: pd.Series,
    weights: pd.Series | None,
    leader: str | None,
    leader_value: float,
    eu_median: float,
) -> pd.Series:
    median = float(member_values.median()) if member_values.notna().any() else np.nan
    return pd.Series(
        {
            "n_members": len(member_values),
            "n_with_value": int(member_values.notna().sum()),
            "mean": float(member_values.mean()),
            "median": median,
            "min": float(member_values.min()),
            "max": float(member_values.max()),
            **_dispersion(member_values, weights),
            "leader": leader,
            "leader_value": leader_value,
            "eu27_median": eu_median,
        },
        dtype=object,
    )


def _gaps_from(
    frame: pd.DataFrame,
    headline: str,
    members: Membership,
    national: National,
    higher_is_better: bool,
    eu_regions: Iterable[str] | None,
    weights: pd.Series | None,
) -> PartnershipGaps:
    notes: list[str] = []
    geos = members.geos
    observed = set(frame[headline].dropna().index)
    absent = [g for g in geos if g not in observed]
    if absent:
        notes.append(f"no {headline!r} value for member(s) {absent}")
    head = frame[headline]
    table = frame.reindex(geos)
    table.insert(0, "role", members.roles.reindex(geos).to_numpy())
    table.insert(1, "country", [g[:2] for g in geos])
    member_values = head.reindex(geos)
    leader, leader_value = _leader(members, member_values, higher_is_better, notes)

    median = float(member_values.median()) if member_values.notna().any() else np.nan
    eu_values = head[_eu27_geos(frame.index, eu_regions)].dropna()
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
        summary=_summary(member_values, weights, leader, leader_value, eu_median),
        partnership=members.partnership,
        member_list=members.member_list,
        notes=notes,
        settings=settings,
    )
