r"""Regions outside a partnership that are strong where it is weak (complementarity).

Similar candidates (:func:`regiongap.metrics.partnerships.candidates.candidates`)
resemble the members; complementary candidates bring what the partnership
lacks. The pillars it lacks are those no member covers
(:func:`regiongap.metrics.partnerships.matchmaking.collective_profile`: the best
member below the EU-27's top decile); when every pillar is covered, the one whose
best member is closest to the decile is used, and a note says so.

On pillar scores standardised over every region with a complete profile
(:math:`z = (x - \bar x)/s`), a non-member *i* scores, over the lacking pillars
:math:`L`,

.. math::

    C_i = \frac{1}{|L|}\sum_{k \in L} \left(z_{ik} - z_{b_k k}\right),

with :math:`b_k` the partnership's best member in pillar *k*: positive = the
region is stronger than any member where the partnership is weak. Candidates are
ranked by :math:`C_i`; ``fills`` counts the lacking pillars where the region
itself reaches the top decile, and ``explained_by`` names the pillars behind the
score. The dispersion effect on the index is that of
:mod:`regiongap.metrics.partnerships.candidates`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.resolve import MembershipInput
from regiongap.metrics.composite.index import CapacityIndex
from regiongap.metrics.partnerships._profile import (
    dispersion_effect,
    members_in_profile,
    profile_and_index,
)
from regiongap.metrics.partnerships.matchmaking import collective_profile

__all__ = ["complementary_candidates"]


def _lacking(collective: pd.DataFrame, notes: list[str]) -> list[str]:
    uncovered = list(collective.attrs["uncovered"])
    if uncovered:
        return uncovered
    weakest = str(collective["gap_to_top_decile"].idxmin())
    notes.append(
        "every pillar is covered by a member; looking for strength in the least "
        f"covered one, {weakest}"
    )
    return [weakest]


def _explain(
    geos: pd.Index, lacking: list[str], frame: pd.DataFrame, collective: pd.DataFrame
) -> list[str]:
    """Say, for each region, its score against the best member's in each pillar."""
    own = frame.loc[geos, lacking].to_numpy(dtype="float64")
    best = collective.loc[lacking, "best_score"].to_numpy(dtype="float64")
    top = collective.loc[lacking, "eu27_top_decile"].to_numpy(dtype="float64")
    return [
        "; ".join(
            f"{pillar} {row[i]:.1f} vs best member {best[i]:.1f} "
            f"(top decile {top[i]:.1f})"
            for i, pillar in enumerate(lacking)
        )
        for row in own
    ]


def complementary_candidates(
    profile: CapacityIndex | pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    index: pd.Series | None = None,
    n: int | None = 10,
    exclude: Iterable[str] | None = None,
    quantile: float = 0.9,
) -> pd.DataFrame:
    """Rank non-members by their strength in the pillars the partnership lacks.

    Defined in the module docstring
    (:mod:`regiongap.metrics.partnerships.complementary`).

    Parameters
    ----------
    profile : CapacityIndex or pandas.DataFrame
        Pillar scores by region (higher is better); a CapacityIndex gives its
        pillar scores and its index.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members`.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    index : pandas.Series, optional
        Index by geo for the dispersion effect (default: the CapacityIndex's,
        else the profile's row mean).
    n : int or None, default 10
        Number of candidates returned (None = all).
    exclude : iterable of str, optional
        Regions never proposed.
    quantile : float, default 0.9
        EU-27 quantile a best member must reach to cover a pillar.

    Returns
    -------
    pandas.DataFrame
        Index ``geo``, best complement first: ``rank``, ``complement_score``
        (:math:`C_i`, in standard deviations), ``fills`` (lacking pillars where
        the region reaches the top decile), ``explained_by``, ``index``,
        ``cv_now``, ``cv_if_joined``, ``delta_cv``. ``attrs``: ``partnership``,
        ``lacking`` (the pillars looked for), ``uncovered``, ``members_used``,
        ``notes``.

    Raises
    ------
    MembershipError
        An unknown partnership, fewer than 2 members with a profile, or no
        non-member to propose.
    MetricInputError
        An unusable profile, ``n`` or quantile, or a constant pillar.

    Examples
    --------
    >>> prof = pd.DataFrame({"rd": [10.0 * i for i in range(11)],
    ...                      "skills": [50.0] * 10 + [40.0]},
    ...                     index=[f"AT{i:02d}" for i in range(11)])
    >>> out = complementary_candidates(prof, membership=["AT01", "AT02"], n=2)
    >>> out[["rank", "fills"]]
          rank  fills
    geo
    AT10     1      1
    AT09     2      1
    >>> out.attrs["lacking"]  # a member reaches the top decile of skills
    ['rd']
    """
    if n is not None and (not isinstance(n, int | np.integer) or n < 1):
        msg = f"n must be a positive integer or None, got {n!r}"
        raise MetricInputError(msg)
    frame, idx, _ = profile_and_index(profile, index)
    found = members_in_profile(frame, partnership, membership)
    collective = collective_profile(
        frame, membership=found.members.roles, quantile=quantile
    )
    notes = list(found.notes)
    lacking = _lacking(collective, notes)
    complete = found.complete
    sd = complete[lacking].std(ddof=1)
    flat = sd[~(sd > 0)].index.tolist()
    if flat:
        msg = f"pillar(s) {flat} do not vary; a complement cannot be measured"
        raise MetricInputError(msg)
    z = (complete[lacking] - complete[lacking].mean()) / sd
    best = [str(collective.at[p, "best_member"]) for p in lacking]
    z_best = pd.Series(
        [z.at[b, p] for b, p in zip(best, lacking, strict=True)], index=lacking
    )
    excluded = {str(g) for g in exclude} if exclude is not None else set()
    pool = [
        g
        for g in complete.index
        if g not in set(found.members.geos) and g not in excluded
    ]
    if not pool:
        msg = "there is no non-member region with a complete profile to propose"
        raise MembershipError(msg)
    score = (z.loc[pool] - z_best).mean(axis=1)
    top = collective.loc[lacking, "eu27_top_decile"]
    out = pd.DataFrame(
        {
            "complement_score": score,
            "fills": (complete.loc[pool, lacking] >= top).sum(axis=1).astype(int),
        },
        index=pd.Index(pool, name="geo"),
    ).join(dispersion_effect(pool, idx, found.members, notes))
    out = out.reset_index().sort_values(
        ["complement_score", "geo"], ascending=[False, True]
    )
    out = out.set_index("geo")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    if n is not None:
        out = out.head(n)
    # explained only for the rows returned: one string per region is the slow part
    out.insert(3, "explained_by", _explain(out.index, lacking, complete, collective))
    out.attrs.update(
        {
            "partnership": found.members.partnership,
            "lacking": lacking,
            "uncovered": list(collective.attrs["uncovered"]),
            "members_used": found.used,
            "quantile": float(quantile),
            "notes": notes,
        }
    )
    return out
