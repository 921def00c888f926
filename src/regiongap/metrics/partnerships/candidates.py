r"""Who could join a partnership, and which members need support most.

:func:`candidates` ranks non-member regions by how similar their capacity
profile is to the members' (or, with ``kind="complementary"``, by how strong they
are where the partnership is weak:
:mod:`regiongap.metrics.partnerships.complementary`), and shows what each would
do to the partnership's internal dispersion. :func:`support_needs` ranks members
by how far they are behind their partners.

Similarity is the Euclidean distance to the members' centroid on standardised
profiles:

.. math::

    z_{ik} = \frac{x_{ik} - \bar x_k}{s_k}, \qquad
    c_k = \frac{1}{|M|}\sum_{m \in M} z_{mk}, \qquad
    d_i = \sqrt{\sum_k (z_{ik} - c_k)^2}

with :math:`\bar x_k` and :math:`s_k` (``ddof=1``) the mean and standard
deviation of dimension *k* (pillar or indicator) over every region with a
complete profile, so that each dimension counts equally whatever its scale
(Everitt et al. 2011, *Cluster Analysis*, 5th ed., §3.3). Pass
``standardise=False`` when the profile is already on one scale (e.g. min–max
pillar scores) and the raw distances are wanted.

The dispersion effect of a candidate *i* is

.. math::

    \Delta CV_i = CV(\{I_m\}_{m \in M} \cup \{I_i\}) - CV(\{I_m\}_{m \in M})

with :math:`I` the capacity index and CV the (population-SD) coefficient of
variation of :func:`regiongap.metrics.coefficient_of_variation`: a negative
value means the candidate would *narrow* the gap inside the partnership.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.resolve import (
    Membership,
    MembershipInput,
)
from regiongap.metrics.composite.index import CapacityIndex
from regiongap.metrics.partnerships._profile import (
    dispersion_effect,
    members_in_profile,
    profile_and_index,
)
from regiongap.metrics.partnerships._values import Values, value_frame
from regiongap.metrics.partnerships.complementary import complementary_candidates
from regiongap.metrics.partnerships.gaps import partnership_gaps

__all__ = ["candidates", "support_needs"]


def candidates(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    index: pd.Series | None = None,
    n: int | None = 10,
    standardise: bool = True,
    exclude: Iterable[str] | None = None,
    kind: Literal["similar", "complementary"] = "similar",
    quantile: float = 0.9,
) -> pd.DataFrame:
    r"""Non-member regions that fit a partnership: similar or complementary.

    Distance, standardisation and the dispersion effect are defined in the
    module docstring (:mod:`regiongap.metrics.partnerships.candidates`).

    Parameters
    ----------
    profile : CapacityIndex or pandas.DataFrame
        Regions × pillar (or indicator) scores, normalised; a
        :class:`~regiongap.metrics.composite.index.CapacityIndex` gives its pillar
        scores and its index. Regions with an incomplete profile are left out.
    partnership : str, optional
        Partnership id resolved with :func:`regiongap.members` at the level of
        *profile*.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly (frame with ``geo``, Series, matrix or list of
        codes), as in :func:`regiongap.metrics.partnerships.gaps.partnership_gaps`.
    index : pandas.Series, optional
        Index value by geo used for the dispersion effect (default: the
        CapacityIndex's index, else the row mean of *profile*, noted in
        ``attrs``).
    n : int or None
        Number of candidates returned (default 10; None = all).
    standardise : bool
        Whether to z-score every dimension before measuring distances (default
        True).
    exclude : iterable of str, optional
        Regions never proposed (e.g. regions outside the EU-27).
    kind : {"similar", "complementary"}, default "similar"
        ``"similar"``: closest to the members' profile (this module);
        ``"complementary"``: strongest in the pillars no member covers
        (:func:`regiongap.metrics.partnerships.complementary.complementary_candidates`,
        whose table it returns).
    quantile : float, default 0.9
        With ``"complementary"``: the EU-27 quantile a pillar's best member must
        reach to cover it.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (most similar first): ``rank``, ``distance``,
        ``within_member_range`` (distance ≤ the farthest member's),
        ``index``, ``cv_now``, ``cv_if_joined``, ``delta_cv`` (negative =
        the candidate narrows the partnership's dispersion) and
        ``explained_by`` (the two dimensions where the region is closest to
        the members' centroid, with the distance). ``attrs``: the
        partnership, member list completeness, members used, member distances
        (median and max) and notes.

    Raises
    ------
    MembershipError
        Unknown partnership, no member with a complete profile.
    MetricInputError
        Unusable profile, ``n`` or ``kind``, or a constant dimension when
        standardising.

    Examples
    --------
    >>> import pandas as pd
    >>> prof = pd.DataFrame({"p": [10.0, 12.0, 11.0, 50.0], "q": [5.0, 6.0, 5.5, 1.0]},
    ...                     index=["A", "B", "C", "D"])
    >>> out = candidates(prof, membership=["A", "B"], standardise=False)
    >>> out.index.tolist()
    ['C', 'D']
    """
    if n is not None and (not isinstance(n, int | np.integer) or n < 1):
        msg = f"n must be a positive integer or None, got {n!r}"
        raise MetricInputError(msg)
    if kind == "complementary":
        return complementary_candidates(
            profile,
            partnership,
            membership=membership,
            index=index,
            n=n,
            exclude=exclude,
            quantile=quantile,
        )
    if kind != "similar":
        msg = f"kind={kind!r} is not known; choose 'similar' or 'complementary'"
        raise MetricInputError(msg)
    frame, idx, index_source = profile_and_index(profile, index)
    found = members_in_profile(frame, partnership, membership)
    complete, members, in_profile, notes = (
        found.complete,
        found.members,
        found.used,
        found.notes,
    )
    distance, deviation = _distances(complete, in_profile, standardise)
    member_dist = distance[in_profile]
    excluded = {str(g) for g in exclude} if exclude is not None else set()
    pool = [
        g for g in distance.index if g not in set(members.geos) and g not in excluded
    ]
    if not pool:
        msg = "there is no non-member region with a complete profile to propose"
        raise MembershipError(msg)
    unit = " sd" if standardise else ""
    out = _ranked(
        pool, distance, deviation, float(member_dist.max()), idx, members, notes, unit
    )
    if n is not None:
        out = out.head(n)
    out.attrs.update(
        {
            "partnership": members.partnership,
            "member_list": members.member_list,
            "members_used": in_profile,
            "member_distance_median": float(member_dist.median()),
            "member_distance_max": float(member_dist.max()),
            "standardised": bool(standardise),
            "dimensions": list(frame.columns),
            "index_source": index_source,
            "notes": notes,
        }
    )
    return out


def _distances(
    complete: pd.DataFrame, in_profile: list[str], standardise: bool
) -> tuple[pd.Series, pd.DataFrame]:
    """Euclidean distance of every region to the members' centroid, and |z − c|."""
    z = complete
    if standardise:
        sd = complete.std(ddof=1)
        flat = sd[~(sd > 0)].index.tolist()
        if flat:
            msg = f"profile dimension(s) {flat} do not vary; drop them to standardise"
            raise MetricInputError(msg)
        z = (complete - complete.mean()) / sd
    centroid = z.loc[in_profile].mean()
    return np.sqrt(((z - centroid) ** 2).sum(axis=1)), (z - centroid).abs()


def _closest(deviation: pd.Series, unit: str) -> str:
    """Name the two dimensions where a region is closest to the members' profile."""
    near = deviation.sort_values(kind="stable").head(2)
    return ", ".join(f"{dim} ({gap:.2f}{unit})" for dim, gap in near.items())


def _ranked(
    pool: list[str],
    distance: pd.Series,
    deviation: pd.DataFrame,
    farthest_member: float,
    idx: pd.Series,
    members: Membership,
    notes: list[str],
    unit: str,
) -> pd.DataFrame:
    """One row per candidate, most similar first, with its dispersion effect."""
    effect = dispersion_effect(pool, idx, members, notes)
    out = pd.DataFrame(
        {
            "distance": [float(distance[g]) for g in pool],
            "within_member_range": [bool(distance[g] <= farthest_member) for g in pool],
        },
        index=pd.Index(pool, name="geo"),
    ).join(effect)
    out["explained_by"] = [
        _closest(row, unit) for _, row in deviation.loc[pool].iterrows()
    ]
    out = out.reset_index().sort_values(["distance", "geo"]).set_index("geo")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def support_needs(
    values: Values,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    value: str | None = None,
    year: int | None = None,
    higher_is_better: bool = True,
) -> pd.DataFrame:
    r"""Rank the members by how far they are behind the partnership median.

    The gap is :math:`x_m - \operatorname{median}_{j \in M} x_j` (sign flipped
    for lower-is-better values, so negative = behind), as in
    :func:`regiongap.metrics.partnerships.gaps.partnership_gaps`. When *values* carries
    pillar scores (a :class:`~regiongap.metrics.composite.index.CapacityIndex` or a
    wide frame with a ``value`` headline), each member's weakest dimension is
    the one with the most negative gap to the partnership median of that
    dimension — where support would matter most.

    Parameters
    ----------
    values : CapacityIndex, pandas.Series or pandas.DataFrame
        As :func:`regiongap.metrics.partnerships.gaps.partnership_gaps`.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members` at the NUTS
        level of *values*.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly, as in
        :func:`regiongap.metrics.partnerships.gaps.partnership_gaps`.
    value : str, optional
        Headline column of a wide frame; its other numeric columns are the
        dimensions.
    year : int, optional
        Data year to take from a long frame.
    higher_is_better : bool
        Direction of the values (default True).

    Returns
    -------
    pandas.DataFrame
        Index ``geo``, sorted by need (``support_rank`` 1 = furthest behind):
        ``role``, ``value``, ``gap_to_partnership_median``, ``gap_to_leader``,
        ``gap_to_eu27_median`` and, with several dimensions,
        ``weakest_dimension`` and ``weakest_gap``. Members without a value come
        last with ``<NA>`` rank.

    Raises
    ------
    MembershipError
        Unknown partnership, or no member.
    MetricInputError
        Unusable values or headline.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series({"AT11": 50.0, "AT12": 70.0, "AT13": 90.0}, name="index")
    >>> support_needs(v, membership=["AT11", "AT12", "AT13"]).index.tolist()
    ['AT11', 'AT12', 'AT13']
    """
    gaps = partnership_gaps(
        values,
        partnership,
        membership=membership,
        value=value,
        year=year,
        higher_is_better=higher_is_better,
    )
    frame, headline = value_frame(values, value=value, year=year)
    table = gaps.table
    out = pd.DataFrame(
        {
            "role": table["role"],
            "value": table[headline],
            "gap_to_partnership_median": table["gap_to_partnership_median"],
            "gap_to_leader": table["gap_to_leader"],
            "gap_to_eu27_median": table["gap_to_eu27_median"],
        }
    )
    dims = [c for c in frame.columns if c != headline]
    if dims:
        member_dims = frame.reindex(table.index)[dims]
        dim_gap = member_dims - member_dims.median()
        if not higher_is_better:
            dim_gap = -dim_gap
        has = dim_gap.notna().any(axis=1)
        weakest = pd.Series(pd.NA, index=dim_gap.index, dtype="object")
        weakest[has] = dim_gap[has].idxmin(axis=1)
        out["weakest_dimension"] = weakest.astype("string")
        out["weakest_gap"] = dim_gap.min(axis=1)
    out = out.sort_values("gap_to_partnership_median", na_position="last")
    rank = out["gap_to_partnership_median"].rank(method="min")
    out.insert(0, "support_rank", rank.astype("Int64"))
    out.attrs.update(
        {
            "partnership": gaps.partnership,
            "member_list": gaps.member_list,
            "headline": headline,
            "notes": gaps.notes,
        }
    )
    return out
