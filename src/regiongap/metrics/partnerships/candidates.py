r"""Who could join a partnership, and which members need support most.

:func:`candidates` ranks non-member regions by how similar their capacity
profile is to the members', and shows what each would do to the partnership's
internal dispersion. :func:`support_needs` ranks members by how far they are
behind their partners.

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

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.resolve import (
    Membership,
    MembershipInput,
    infer_level,
    resolve_membership,
)
from regiongap.metrics.composite.index import CapacityIndex
from regiongap.metrics.inequality import coefficient_of_variation
from regiongap.metrics.partnerships._values import Values, value_frame
from regiongap.metrics.partnerships.gaps import partnership_gaps

__all__ = ["candidates", "support_needs"]


def _profile_and_index(
    profile: CapacityIndex | pd.DataFrame, index: pd.Series | None
) -> tuple[pd.DataFrame, pd.Series, str]:
    if isinstance(profile, CapacityIndex):
        frame = profile.pillars.copy()
        source = "capacity index"
        if index is None:
            index = profile.scores["index"]
    elif isinstance(profile, pd.DataFrame):
        frame = profile.set_index("geo") if "geo" in profile.columns else profile
        numeric = [
            c
            for c in frame.columns
            if "__" not in str(c) and pd.api.types.is_numeric_dtype(frame[c])
        ]
        if not numeric:
            msg = "profile has no numeric column (pillar or indicator scores)"
            raise MetricInputError(msg)
        frame = frame[numeric].astype("float64")
        source = "given"
        if index is None:
            index = frame.mean(axis=1)
            source = "row mean of the profile (no index given)"
    else:
        msg = (
            "profile must be a CapacityIndex or a DataFrame of regions × pillar (or "
            f"indicator) scores; got {type(profile).__name__}"
        )
        raise MetricInputError(msg)
    frame = frame.copy()
    frame.index = pd.Index([str(g) for g in frame.index], name="geo")
    if frame.index.has_duplicates:
        dups = sorted(set(frame.index[frame.index.duplicated()]))[:5]
        msg = f"profile has duplicated regions {dups}"
        raise MetricInputError(msg)
    if not isinstance(index, pd.Series):
        msg = f"index must be a Series indexed by geo, got {type(index).__name__}"
        raise MetricInputError(msg)
    idx = index.astype("float64").copy()
    idx.index = idx.index.astype(str)
    return frame, idx, source


def _cv_or_nan(values: np.ndarray, notes: list[str]) -> float:
    if len(values) < 2:
        return np.nan
    try:
        return float(coefficient_of_variation(values))
    except MetricInputError as exc:
        note = f"CV undefined for this index ({exc}); use a non-negative index"
        if note not in notes:
            notes.append(note)
        return np.nan


def candidates(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    index: pd.Series | None = None,
    n: int | None = 10,
    standardise: bool = True,
    exclude: Iterable[str] | None = None,
) -> pd.DataFrame:
    r"""Non-member regions ranked by similarity to the partnership's members.

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

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (most similar first): ``rank``, ``distance``,
        ``within_member_range`` (distance ≤ the farthest member's),
        ``index``, ``cv_now``, ``cv_if_joined``, ``delta_cv`` (negative =
        the candidate narrows the partnership's dispersion). ``attrs``: the
        partnership, member list completeness, members used, member distances
        (median and max) and notes.

    Raises
    ------
    MembershipError
        Unknown partnership, no member with a complete profile.
    MetricInputError
        Unusable profile or ``n``, or a constant dimension when standardising.

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
    frame, idx, index_source = _profile_and_index(profile, index)
    notes: list[str] = []
    complete = frame.dropna()
    if len(complete) < len(frame):
        notes.append(
            f"{len(frame) - len(complete)} region(s) with an incomplete profile "
            "left out"
        )
    members = resolve_membership(
        partnership, membership, level=infer_level(frame.index)
    )
    in_profile = [g for g in members.geos if g in complete.index]
    lost = [g for g in members.geos if g not in complete.index]
    if lost:
        notes.append(f"member(s) without a complete profile: {lost}")
    if not in_profile:
        msg = (
            f"no member of {members.partnership or 'the group'!r} has a complete "
            f"profile; members: {members.geos}"
        )
        raise MembershipError(msg)
    distance = _distances(complete, in_profile, standardise)
    member_dist = distance[in_profile]
    excluded = {str(g) for g in exclude} if exclude is not None else set()
    pool = [
        g for g in distance.index if g not in set(members.geos) and g not in excluded
    ]
    if not pool:
        msg = "there is no non-member region with a complete profile to propose"
        raise MembershipError(msg)
    out = _ranked(pool, distance, float(member_dist.max()), idx, members, notes)
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
) -> pd.Series:
    """Euclidean distance of every region to the members' centroid."""
    z = complete
    if standardise:
        sd = complete.std(ddof=1)
        flat = sd[~(sd > 0)].index.tolist()
        if flat:
            msg = f"profile dimension(s) {flat} do not vary; drop them to standardise"
            raise MetricInputError(msg)
        z = (complete - complete.mean()) / sd
    centroid = z.loc[in_profile].mean()
    return np.sqrt(((z - centroid) ** 2).sum(axis=1))


def _ranked(
    pool: list[str],
    distance: pd.Series,
    farthest_member: float,
    idx: pd.Series,
    members: Membership,
    notes: list[str],
) -> pd.DataFrame:
    """One row per candidate, most similar first, with its dispersion effect."""
    member_index = idx.reindex(members.geos).dropna()
    cv_now = _cv_or_nan(member_index.to_numpy(), notes)
    rows = []
    for geo in pool:
        value = idx.get(geo, np.nan)
        joined = (
            np.append(member_index.to_numpy(), value)
            if pd.notna(value)
            else np.array([])
        )
        cv_new = _cv_or_nan(joined, notes) if len(joined) else np.nan
        rows.append(
            {
                "geo": geo,
                "distance": float(distance[geo]),
                "within_member_range": bool(distance[geo] <= farthest_member),
                "index": value,
                "cv_now": cv_now,
                "cv_if_joined": cv_new,
                "delta_cv": cv_new - cv_now,
            }
        )
    out = pd.DataFrame(rows).sort_values(["distance", "geo"]).set_index("geo")
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
