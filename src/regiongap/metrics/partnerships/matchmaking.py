r"""Who can help whom inside a partnership: leaders, mentor pairs, collective profile.

A partnership works when its members' capacities are brought closer; a member
strong in a pillar where another is weak is a natural mentor. From a capacity
profile (pillar scores of :func:`regiongap.capacity_index`, or any regions ×
pillar table where higher is better):

* :func:`pillar_roles`: per pillar, the members that **lead** (the top
  :math:`\lfloor s\,n \rfloor` of the *n* members with a score, at least one) and
  **lag** (the bottom as many), *s* = ``share``;
* :func:`mentor_pairs`: every (leader, lagger) pair of a pillar, with the gap
  :math:`g = x_{\text{mentor}} - x_{\text{mentee}}` and the distance between the
  two members' whole profiles,
  :math:`d = \sqrt{\sum_k (z_{\text{mentor},k} - z_{\text{mentee},k})^2}` on
  pillar scores standardised over every region (:math:`z = (x - \bar x)/s`),
  since transfer is easier between regions that otherwise look alike; pairs are
  ranked by the gap (``gap_rank``, 1 = largest) and by proximity
  (``proximity_rank``, 1 = closest);
* :func:`collective_profile`: the partnership as one body — the best member's
  score per pillar against the EU-27's top decile (the 0.9 quantile of the
  pillar over EU-27 regions): a pillar whose best member is below it is one
  **no member covers**, where the partnership needs outside strength
  (:func:`regiongap.metrics.partnerships.complementary.complementary_candidates`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.geo.codes import is_eu27
from regiongap.membership.resolve import (
    Membership,
    MembershipInput,
    infer_level,
    resolve_membership,
)
from regiongap.metrics.composite.index import CapacityIndex
from regiongap.metrics.partnerships._profile import profile_and_index

__all__ = ["collective_profile", "mentor_pairs", "pillar_roles"]


def _setup(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None,
    membership: MembershipInput | None,
) -> tuple[pd.DataFrame, Membership, list[str]]:
    frame, _, _ = profile_and_index(profile, None)
    members = resolve_membership(
        partnership, membership, level=infer_level(frame.index)
    )
    used = [g for g in members.geos if g in frame.index and frame.loc[g].notna().any()]
    if len(used) < 2:
        msg = (
            f"partnership {members.partnership or 'given'!r} has {len(used)} member(s) "
            f"with a profile ({members.geos[:5]}); matchmaking needs at least 2"
        )
        raise MembershipError(msg)
    return frame, members, used


def _check_share(share: float) -> float:
    if not (isinstance(share, int | float) and 0 < share <= 0.5):
        msg = f"share must be in (0, 0.5] (the top and bottom parts), got {share!r}"
        raise MetricInputError(msg)
    return float(share)


def _roles(frame: pd.DataFrame, used: list[str], share: float) -> pd.DataFrame:
    rows = []
    for pillar in frame.columns:
        scores = (
            frame.loc[used, pillar].dropna().sort_values(ascending=False, kind="stable")
        )
        n = len(scores)
        if n < 2:
            continue
        part = max(1, math.floor(share * n))
        rank = scores.rank(method="min", ascending=False).astype(int).to_dict()
        for pos, (geo, score) in enumerate(scores.items()):
            role = "leads" if pos < part else ("lags" if pos >= n - part else "middle")
            rows.append(
                {
                    "pillar": str(pillar),
                    "geo": geo,
                    "score": float(score),
                    "rank": int(rank[geo]),
                    "role": role,
                }
            )
    return pd.DataFrame(rows, columns=["pillar", "geo", "score", "rank", "role"])


def pillar_roles(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    share: float = 1 / 3,
) -> pd.DataFrame:
    """Per pillar, the members that lead and those that lag.

    Defined in the module docstring (:mod:`regiongap.metrics.partnerships.matchmaking`).

    Parameters
    ----------
    profile : CapacityIndex or pandas.DataFrame
        Pillar scores by region (higher is better).
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members`.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    share : float, default 1/3
        Size of the top and bottom parts, in (0, 0.5].

    Returns
    -------
    pandas.DataFrame
        One row per pillar and member with a score: ``pillar, geo, score, rank``
        (1 = best member) and ``role`` (``"leads"``, ``"middle"``, ``"lags"``).

    Raises
    ------
    MembershipError
        An unknown partnership, or fewer than 2 members with a profile.
    MetricInputError
        An unusable profile or share.

    Examples
    --------
    >>> prof = pd.DataFrame({"rd": [80.0, 20.0, 50.0], "skills": [10.0, 90.0, 40.0]},
    ...                     index=["A1", "A2", "A3"])
    >>> roles = pillar_roles(prof, membership=["A1", "A2", "A3"])
    >>> roles[roles["pillar"] == "rd"][["geo", "role"]].to_numpy().tolist()
    [['A1', 'leads'], ['A3', 'middle'], ['A2', 'lags']]
    """
    frame, members, used = _setup(profile, partnership, membership)
    out = _roles(frame, used, _check_share(share))
    out.attrs.update({"partnership": members.partnership, "share": float(share)})
    return out


def _distances(frame: pd.DataFrame) -> pd.DataFrame:
    """Distance between every two regions' standardised profiles (NaN-tolerant)."""
    sd = frame.std(ddof=1).replace(0.0, np.nan)
    z = ((frame - frame.mean()) / sd).to_numpy()
    diff = z[:, None, :] - z[None, :, :]
    dist = np.sqrt(np.nansum(diff**2, axis=2))
    return pd.DataFrame(dist, index=frame.index, columns=frame.index)


def mentor_pairs(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    share: float = 1 / 3,
) -> pd.DataFrame:
    """Mentor pairs: a member leading a pillar with one lagging in it.

    Defined in the module docstring (:mod:`regiongap.metrics.partnerships.matchmaking`).

    Parameters
    ----------
    profile : CapacityIndex or pandas.DataFrame
        Pillar scores by region (higher is better); every region's scores are
        used to standardise the profiles.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members`.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    share : float, default 1/3
        Size of the top and bottom parts (as :func:`pillar_roles`).

    Returns
    -------
    pandas.DataFrame
        ``pillar, mentor, mentee, mentor_score, mentee_score, gap,
        profile_distance, gap_rank, proximity_rank``, largest gap first.

    Raises
    ------
    MembershipError
        An unknown partnership, or fewer than 2 members with a profile.
    MetricInputError
        An unusable profile or share.

    Examples
    --------
    >>> prof = pd.DataFrame({"rd": [80.0, 20.0, 50.0], "skills": [10.0, 90.0, 40.0]},
    ...                     index=["A1", "A2", "A3"])
    >>> pairs = mentor_pairs(prof, membership=["A1", "A2", "A3"])
    >>> pairs[["pillar", "mentor", "mentee", "gap"]]
       pillar mentor mentee   gap
    0  skills     A2     A1  80.0
    1      rd     A1     A2  60.0
    """
    frame, members, used = _setup(profile, partnership, membership)
    roles = _roles(frame, used, _check_share(share))
    dist = _distances(frame)
    rows = []
    for pillar, group in roles.groupby("pillar", sort=False):
        leads = group[group["role"] == "leads"]
        lags = group[group["role"] == "lags"]
        for _, mentor in leads.iterrows():
            for _, mentee in lags.iterrows():
                rows.append(
                    {
                        "pillar": pillar,
                        "mentor": mentor["geo"],
                        "mentee": mentee["geo"],
                        "mentor_score": mentor["score"],
                        "mentee_score": mentee["score"],
                        "gap": mentor["score"] - mentee["score"],
                        "profile_distance": float(
                            dist.loc[mentor["geo"], mentee["geo"]]
                        ),
                    }
                )
    out = pd.DataFrame(rows)
    if not out.empty:
        out["gap_rank"] = out["gap"].rank(method="min", ascending=False).astype(int)
        out["proximity_rank"] = out["profile_distance"].rank(method="min").astype(int)
        out = out.sort_values(["gap_rank", "proximity_rank"], kind="stable")
        out = out.reset_index(drop=True)
    out.attrs.update({"partnership": members.partnership, "members_used": used})
    return out


def collective_profile(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    quantile: float = 0.9,
    eu27_only: bool = True,
) -> pd.DataFrame:
    """Return the partnership's collective profile: the pillars no member covers.

    Defined in the module docstring (:mod:`regiongap.metrics.partnerships.matchmaking`).

    Parameters
    ----------
    profile : CapacityIndex or pandas.DataFrame
        Pillar scores by region (higher is better), for the members and the
        regions of the reference.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members`.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    quantile : float, default 0.9
        The reference quantile (0.9 = the EU-27's top decile).
    eu27_only : bool, default True
        Compute the quantile over EU-27 regions only (False: every region).

    Returns
    -------
    pandas.DataFrame
        Index ``pillar``: ``best_member``, ``best_score``, ``members_median``,
        ``eu27_top_decile`` (the quantile), ``covered`` (best ≥ quantile),
        ``gap_to_top_decile`` (best − quantile). ``attrs["uncovered"]``: the
        pillars no member covers.

    Raises
    ------
    MembershipError
        An unknown partnership, or fewer than 2 members with a profile.
    MetricInputError
        An unusable profile or quantile, or no reference region.

    Examples
    --------
    >>> prof = pd.DataFrame({"rd": [10.0 * i for i in range(11)],
    ...                      "skills": [100.0 - 10 * i for i in range(11)]},
    ...                     index=[f"AT{i:02d}" for i in range(11)])
    >>> cp = collective_profile(prof, membership=["AT03", "AT05"])
    >>> cp[["best_member", "best_score", "eu27_top_decile", "covered"]]
           best_member  best_score  eu27_top_decile  covered
    pillar
    rd            AT05        50.0             90.0    False
    skills        AT03        70.0             90.0    False
    """
    if not (isinstance(quantile, int | float) and 0 < quantile < 1):
        msg = f"quantile must be in (0, 1), got {quantile!r}"
        raise MetricInputError(msg)
    frame, members, used = _setup(profile, partnership, membership)
    reference = (
        frame.loc[[g for g in frame.index if is_eu27(g)]] if eu27_only else frame
    )
    if reference.dropna(how="all").empty:
        msg = "no EU-27 region in profile to take the top decile from"
        raise MetricInputError(msg)
    own = frame.loc[used]
    top = reference.quantile(quantile)
    out = pd.DataFrame(
        {
            "best_member": own.idxmax(),
            "best_score": own.max(),
            "members_median": own.median(),
            "eu27_top_decile": top,
        }
    )
    out["covered"] = out["best_score"] >= out["eu27_top_decile"]
    out["gap_to_top_decile"] = out["best_score"] - out["eu27_top_decile"]
    out.index.name = "pillar"
    out.attrs.update(
        {
            "partnership": members.partnership,
            "quantile": float(quantile),
            "uncovered": out.index[~out["covered"]].tolist(),
            "members_used": used,
        }
    )
    return out
