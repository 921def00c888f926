"""Membership as a region × partnership matrix, and members versus non-members.

Both are built from :func:`~regiongap.membership.registry.members` at one NUTS
level: :func:`membership_matrix` for joins onto indicator panels (one row per
region, never duplicated), :func:`membership_groups` for group comparisons, which
are only sound on complete member lists and so refuse the others unless told
otherwise.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import pandas as pd

from regiongap.errors import DataQualityWarning, MembershipError, SchemaError
from regiongap.geo.codes import EU27_COUNTRIES, is_extra_regio
from regiongap.geo.lists import nuts_codes
from regiongap.membership._arguments import partnership_ids
from regiongap.membership.registry import members
from regiongap.membership.registry import partnerships as partnership_table
from regiongap.membership.vocabulary import (
    COMPLETE,
    MEMBERS_NUTS_YEAR,
    Confidence,
    Role,
)
from regiongap.schema import NutsYear, check_level, check_nuts_year

__all__ = ["membership_groups", "membership_matrix"]


def _selected_ids(
    partnerships: str | Iterable[str] | None,
    table: pd.DataFrame,
    *,
    complete_only: bool,
    user: bool,
) -> list[str]:
    """Return the matrix columns: the ids asked for (complete ones if so told)."""
    kinds = table.set_index("partnership_id")["member_list"]
    ids = partnership_ids(partnerships, kinds.index)
    if ids is None:
        ids = list(kinds.index)
        if complete_only:
            ids = [pid for pid in ids if kinds[pid] == COMPLETE]
    elif complete_only:
        _require_complete(ids, table, action="complete_only=True", user=user)
    return ids


def membership_matrix(
    level: int = 2,
    value: Literal["member", "role"] = "member",
    partnerships: str | Iterable[str] | None = None,
    complete_only: bool = False,
    *,
    min_confidence: Confidence = "low",
    roles: Role | Iterable[Role] | None = None,
    all_regions: bool = False,
    registry: pd.DataFrame | None = None,
    nuts_year: NutsYear = MEMBERS_NUTS_YEAR,
) -> pd.DataFrame:
    """Tabulate membership region × partnership, for joins and group comparisons.

    A region in several partnerships is **one row** with a 1 (or a role) in each
    of their columns; nothing is duplicated, so ``matrix.sum(axis=1)`` counts a
    region's partnerships and ``matrix.sum()`` counts each partnership's regions.
    To compare one partnership's members with non-members use
    :func:`membership_groups`, which also checks the list is complete.

    Parameters
    ----------
    level : {0, 1, 2, 3}, default 2
        NUTS level of the rows (members are mapped as in
        :func:`~regiongap.membership.registry.members`).
    value : {"member", "role"}, default "member"
        ``"member"``: int64 0/1. ``"role"``: the region's role (string), ``<NA>``
        where it is not a member.
    partnerships : str or list of str, optional
        Columns to include (default: all partnerships in the registry, including
        those with no member rows, which are all-zero columns).
    complete_only : bool, default False
        Keep only partnerships whose member list is complete. With explicit
        ``partnerships``, an incomplete one raises
        :class:`~regiongap.errors.MembershipError`.
    min_confidence : {"low", "medium", "high"}, default "low"
        As in :func:`~regiongap.membership.registry.members`.
    roles : str or list of str, optional
        As in :func:`~regiongap.membership.registry.members` (e.g.
        ``["lead", "co-lead"]`` for a leads matrix).
    all_regions : bool, default False
        ``False``: rows are the regions in at least one selected partnership.
        ``True``: every region of the level (extra-regio excluded),
        non-members all zero — ready to join onto an indicator panel.
    registry : pandas.DataFrame, optional
        A membership table of your own
        (:func:`~regiongap.membership.files.read_membership`).
    nuts_year : {2021, 2013, 2016, 2024}, default 2021
        NUTS version of the rows: members are followed to it along the
        official correspondence (see :func:`~regiongap.membership.registry.members`).

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (sorted), columns the partnership ids (``columns.name`` is
        ``"partnership_id"``). ``attrs["member_list"]`` maps each id to its
        member-list kind.

    Raises
    ------
    MembershipError
        Unknown partnership id, or an incomplete one with ``complete_only=True``.
    SchemaError
        Bad ``level`` or ``value``.

    Examples
    --------
    >>> import regiongap as rg
    >>> matrix = rg.membership_matrix(level=2, complete_only=True)
    >>> matrix.loc[["ES22", "FI1D"], ["social_economy", "mining"]]
    partnership_id  social_economy  mining
    geo
    ES22                         1       0
    FI1D                         1       1
    >>> int(matrix.sum(axis=1).max())  # partnerships of the busiest region
    4
    """
    check_level(level)
    check_nuts_year(nuts_year)
    if value not in ("member", "role"):
        msg = f"value={value!r} is not 'member' (0/1) or 'role'"
        raise SchemaError(msg)
    table = partnership_table(registry=registry)
    kinds = table.set_index("partnership_id")["member_list"]
    ids = _selected_ids(
        partnerships, table, complete_only=complete_only, user=registry is not None
    )
    rows = members(
        ids,
        level=level,
        min_confidence=min_confidence,
        roles=roles,
        registry=registry,
        nuts_year=nuts_year,
    )
    if value == "member":
        matrix = pd.crosstab(rows["geo"], rows["partnership_id"]).clip(upper=1)
        matrix = matrix.reindex(columns=ids, fill_value=0).astype("int64")
    else:
        matrix = rows.pivot(index="geo", columns="partnership_id", values="role")
        matrix = matrix.reindex(columns=ids).astype("string")
    if all_regions:
        universe = _universe("all", level, nuts_year)
        matrix = matrix.reindex(sorted(set(universe) | set(matrix.index)))
        if value == "member":
            matrix = matrix.fillna(0).astype("int64")
    matrix = matrix.sort_index()
    matrix.index.name = "geo"
    matrix.columns.name = "partnership_id"
    matrix.attrs["member_list"] = {pid: str(kinds[pid]) for pid in ids}
    return matrix


def _require_complete(
    ids: list[str], table: pd.DataFrame, *, action: str, user: bool = False
) -> None:
    """Raise :class:`MembershipError` if a list of *ids* is not complete."""
    kinds = table.set_index("partnership_id")["member_list"]
    bad = [pid for pid in ids if kinds[pid] != COMPLETE]
    if not bad:
        return
    notes = table.set_index("partnership_id")["completeness"]
    listed = "; ".join(f"{pid!r} ({notes[pid]})" for pid in bad)
    complete = [pid for pid in kinds.index if kinds[pid] == COMPLETE]
    msg = (
        f"{action}: the member list of {listed} is not complete. A members-versus-"
        "non-members comparison is only sound on a complete list — otherwise some "
        "'non-members' are members nobody listed. Partnerships with a complete list: "
        f"{', '.join(sorted(complete)) or 'none'}. Pass complete_only=False to "
        "proceed anyway (a DataQualityWarning will say so)."
    )
    if user:
        msg += (
            " If your own file lists every member, declare it: "
            "read_membership(path, member_list='complete')."
        )
    raise MembershipError(msg)


def _universe(
    universe: Literal["eu27", "all"] | Iterable[str], level: int, nuts_year: int
) -> list[str]:
    """Return the regions to classify: EU27 or all of *level*, or the caller's."""
    if isinstance(universe, str):
        if universe not in ("eu27", "all"):
            msg = f"universe={universe!r} is not 'eu27', 'all' or a list of NUTS codes"
            raise SchemaError(msg)
        table = nuts_codes(nuts_year=nuts_year, level=level)
        regions = [str(c) for c in table["geo"] if not is_extra_regio(c)]
        if universe == "eu27":
            regions = [c for c in regions if c[:2] in EU27_COUNTRIES]
        return sorted(regions)
    codes = list(dict.fromkeys(universe))
    lookup = nuts_codes(nuts_year=nuts_year, level=level)
    bad = sorted(set(codes) - set(lookup["geo"]))
    if bad:
        msg = f"universe has codes that are not NUTS {nuts_year} level {level}: {bad}"
        raise SchemaError(msg)
    return codes


def _warn_incomplete(ids: list[str], table: pd.DataFrame) -> None:
    kinds = table.set_index("partnership_id")["member_list"]
    notes = table.set_index("partnership_id")["completeness"]
    incomplete = [pid for pid in ids if kinds[pid] != COMPLETE]
    if incomplete:
        detail = "; ".join(f"{pid!r}: {notes[pid]}" for pid in incomplete)
        msg = (
            f"member list not complete ({detail}): some regions grouped as "
            "'non-member' may be unlisted members, so members-versus-non-members "
            "comparisons are biased"
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=3)


def membership_groups(
    partnership: str | Iterable[str],
    level: int = 2,
    *,
    complete_only: bool = True,
    universe: Literal["eu27", "all"] | Iterable[str] = "eu27",
    min_confidence: Confidence = "low",
    registry: pd.DataFrame | None = None,
    nuts_year: NutsYear = MEMBERS_NUTS_YEAR,
) -> pd.Series:
    """Split regions into ``"member"`` / ``"non-member"`` of a partnership.

    The result is a grouping for group decompositions (e.g. a Theil between/within
    split) and members-versus-non-members comparisons. Such a comparison is only
    sound when the member list is complete, so by default a partnership whose
    list is not ``"complete"`` raises :class:`~regiongap.errors.MembershipError`
    saying so; with ``complete_only=False`` it proceeds and emits a
    :class:`~regiongap.errors.DataQualityWarning`.

    Parameters
    ----------
    partnership : str or list of str
        One id, or several: a region is a member if it belongs to any of them.
    level : {0, 1, 2, 3}, default 2
        NUTS level of the regions (members mapped as in
        :func:`~regiongap.membership.registry.members`).
    complete_only : bool, default True
        Refuse partnerships whose member list is not complete.
    universe : {"eu27", "all"} or list of str, default "eu27"
        Regions to classify: the EU27 regions of the level, every region of
        the level (extra-regio excluded), or your own codes. Members
        outside it (e.g. UK regions with ``"eu27"``) are left out with a
        :class:`~regiongap.errors.DataQualityWarning` naming them.
    min_confidence : {"low", "medium", "high"}, default "low"
        As in :func:`~regiongap.membership.registry.members`.
    registry : pandas.DataFrame, optional
        A membership table of your own
        (:func:`~regiongap.membership.files.read_membership`).
    nuts_year : {2021, 2013, 2016, 2024}, default 2021
        NUTS version of the regions (of the universe and of the members,
        followed to it along the official correspondence).

    Returns
    -------
    pandas.Series
        Index ``geo``, categorical values ``"member"`` / ``"non-member"``, named
        after the partnership(s). ``attrs`` holds ``partnerships``,
        ``member_list`` (per id) and ``completeness`` (per id, a sentence).

    Raises
    ------
    MembershipError
        Unknown id, or (default) a member list that is not complete.
    SchemaError
        Bad ``level`` or ``universe``, or no partnership id.

    Examples
    --------
    >>> import regiongap as rg
    >>> groups = rg.membership_groups("social_economy")
    >>> groups.value_counts()
    social_economy
    non-member    230
    member         12
    Name: count, dtype: int64
    """
    check_level(level)
    check_nuts_year(nuts_year)
    table = partnership_table(registry=registry)
    kinds = table.set_index("partnership_id")["member_list"]
    notes = table.set_index("partnership_id")["completeness"]
    ids = partnership_ids(partnership, kinds.index)
    if not ids:
        msg = "membership_groups needs a partnership id (or a non-empty list of ids)"
        raise SchemaError(msg)
    if complete_only:
        _require_complete(
            ids, table, action="membership_groups", user=registry is not None
        )
    else:
        _warn_incomplete(ids, table)
    rows = members(
        ids,
        level=level,
        min_confidence=min_confidence,
        registry=registry,
        nuts_year=nuts_year,
    )
    regions = _universe(universe, level, nuts_year)
    member_geos = set(rows["geo"])
    outside = sorted(member_geos - set(regions))
    if outside:
        msg = (
            f"{len(outside)} member region(s) of {', '.join(ids)} are outside the "
            f"universe {universe if isinstance(universe, str) else '(given)'} and are "
            f"left out: {', '.join(outside)}"
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=2)
    labels = ["member" if geo in member_geos else "non-member" for geo in regions]
    groups = pd.Series(
        pd.Categorical(labels, categories=["member", "non-member"]),
        index=pd.Index(regions, name="geo"),
        name="+".join(ids),
    )
    groups.attrs["partnerships"] = ids
    groups.attrs["member_list"] = {pid: str(kinds[pid]) for pid in ids}
    groups.attrs["completeness"] = {pid: str(notes[pid]) for pid in ids}
    return groups
