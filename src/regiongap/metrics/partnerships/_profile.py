"""The profile inputs of the partnership analytics; the dispersion effect of joining.

:func:`profile_and_index` accepts a capacity index or a regions × pillar (or
indicator) frame; :func:`dispersion_effect` says what a region joining would do to
the partnership's coefficient of variation. Candidates (similar and
complementary) and matchmaking start from these.
"""

from __future__ import annotations

from dataclasses import dataclass

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

__all__ = [
    "MembersInProfile",
    "cv_or_nan",
    "dispersion_effect",
    "members_in_profile",
    "profile_and_index",
]


def profile_and_index(
    profile: CapacityIndex | pd.DataFrame, index: pd.Series | None
) -> tuple[pd.DataFrame, pd.Series, str]:
    """Return the regions × dimensions profile, the index by geo, and its source.

    Parameters
    ----------
    profile : CapacityIndex or pandas.DataFrame
        A capacity index (its pillar scores and index) or regions × scores.
    index : pandas.Series or None
        Index by geo; default the CapacityIndex's, else the profile's row mean.

    Returns
    -------
    tuple
        The float profile (index ``geo``), the index, and where it came from.

    Raises
    ------
    MetricInputError
        A profile of another type, without numeric column, with duplicated
        regions, or an index that is not a Series.

    Examples
    --------
    >>> prof = pd.DataFrame({"p": [1.0, 3.0], "q": [3.0, 5.0]}, index=["A", "B"])
    >>> frame, idx, source = profile_and_index(prof, None)
    >>> idx.tolist(), source
    ([2.0, 4.0], 'row mean of the profile (no index given)')
    """
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


def cv_or_nan(values: np.ndarray, notes: list[str]) -> float:
    """Coefficient of variation of *values*, NaN (with a note) where undefined.

    Parameters
    ----------
    values : numpy.ndarray
        Index values.
    notes : list of str
        Where the reason an undefined CV is noted (once).

    Returns
    -------
    float
        The CV, NaN for fewer than 2 values or a negative index.

    Examples
    --------
    >>> cv_or_nan(np.array([1.0, 3.0]), [])
    0.5
    """
    if len(values) < 2:
        return np.nan
    try:
        return float(coefficient_of_variation(values))
    except MetricInputError as exc:
        note = f"CV undefined for this index ({exc}); use a non-negative index"
        if note not in notes:
            notes.append(note)
        return np.nan


def dispersion_effect(
    pool: list[str], idx: pd.Series, members: Membership, notes: list[str]
) -> pd.DataFrame:
    """Return what each region of *pool* joining would do to the members' CV.

    Parameters
    ----------
    pool : list of str
        Candidate regions.
    idx : pandas.Series
        Index value by geo.
    members : Membership
        The partnership's members.
    notes : list of str
        Where a reason for an undefined CV is noted.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (in the order of *pool*): ``index``, ``cv_now``,
        ``cv_if_joined``, ``delta_cv`` (negative = narrows the gap).

    Examples
    --------
    >>> from regiongap.membership.resolve import resolve_membership
    >>> m = resolve_membership(None, ["A", "B"], level=2)
    >>> idx = pd.Series({"A": 10.0, "B": 30.0, "C": 20.0})
    >>> dispersion_effect(["C"], idx, m, [])["delta_cv"].round(3).tolist()
    [-0.092]
    """
    member_index = idx.reindex(members.geos).dropna().to_numpy()
    cv_now = cv_or_nan(member_index, notes)
    rows = []
    for geo in pool:
        value = idx.get(geo, np.nan)
        joined = np.append(member_index, value) if pd.notna(value) else np.array([])
        cv_new = cv_or_nan(joined, notes) if len(joined) else np.nan
        rows.append(
            {
                "geo": geo,
                "index": value,
                "cv_now": cv_now,
                "cv_if_joined": cv_new,
                "delta_cv": cv_new - cv_now,
            }
        )
    columns = ["geo", "index", "cv_now", "cv_if_joined", "delta_cv"]
    return pd.DataFrame(rows, columns=columns).set_index("geo")


@dataclass(frozen=True)
class MembersInProfile:
    """A partnership's members and the regions with a complete profile.

    Parameters
    ----------
    complete : pandas.DataFrame
        Regions with every dimension observed.
    members : Membership
        The resolved members.
    used : list of str
        Members with a complete profile.
    notes : list of str
        What was left out.

    Examples
    --------
    >>> prof = pd.DataFrame({"p": [1.0, None, 3.0]}, index=["AT11", "AT12", "AT13"])
    >>> members_in_profile(prof, None, ["AT11", "AT12"]).used
    ['AT11']
    """

    complete: pd.DataFrame
    members: Membership
    used: list[str]
    notes: list[str]


def members_in_profile(
    frame: pd.DataFrame, partnership: str | None, membership: MembershipInput | None
) -> MembersInProfile:
    """Resolve the members and keep the regions with a complete profile.

    Parameters
    ----------
    frame : pandas.DataFrame
        Regions × dimensions (from :func:`profile_and_index`).
    partnership : str or None
        Partnership id, resolved at the NUTS level of *frame*.
    membership : pandas.DataFrame, pandas.Series, list of str or None
        Members given directly.

    Returns
    -------
    MembersInProfile
        The complete profiles, the members, the members used and notes.

    Raises
    ------
    MembershipError
        An unknown partnership, or no member with a complete profile.

    Examples
    --------
    >>> prof = pd.DataFrame({"p": [1.0, 2.0]}, index=["AT11", "AT12"])
    >>> members_in_profile(prof, None, ["AT12"]).complete.index.tolist()
    ['AT11', 'AT12']
    """
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
    used = [g for g in members.geos if g in complete.index]
    lost = [g for g in members.geos if g not in complete.index]
    if lost:
        notes.append(f"member(s) without a complete profile: {lost}")
    if not used:
        msg = (
            f"no member of {members.partnership or 'the group'!r} has a complete "
            f"profile; members: {members.geos}"
        )
        raise MembershipError(msg)
    return MembersInProfile(complete=complete, members=members, used=used, notes=notes)
