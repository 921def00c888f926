"""Resolve "who is a member" once, for every metric: one :class:`Membership` type.

The metrics accept either a partnership id, resolved through
:func:`regiongap.members` at the NUTS level of the data, or a membership given by
the caller — a long frame with ``geo`` (e.g. :func:`regiongap.members`), a region ×
partnership matrix (:func:`regiongap.membership_matrix`), a Series geo → member
flag or role, or a list of region codes — so that they can be used with any
grouping and tested without the registry. Every such input is converted here, with
one set of rules:

* flags: ``True``/non-zero numbers are members; ``False``, 0 and missing are not;
* text: a role (``lead``, ``co-lead``, ``member``, ``unknown``) is kept; ``""``,
  ``"non-member"``, ``"none"``, ``"false"`` and ``"0"`` (any case) are **not**
  members; any other text counts as ``member``;
* a region listed twice keeps its strongest role.

>>> flags = pd.Series(["lead", "false", "0", "yes"],
...                   index=["ES21", "ES22", "ES23", "FRH0"])
>>> resolve_membership("net", flags, level=2).roles.to_dict()
{'ES21': 'lead', 'FRH0': 'member'}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

import pandas as pd

from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.registry import members, partnerships
from regiongap.membership.vocabulary import (
    MEMBERS_NUTS_YEAR,
    ROLE_RANK,
    ROLES,
)
from regiongap.schema import NutsYear

__all__ = [
    "LEAD_ROLES",
    "NOT_MEMBER",
    "USER_LIST",
    "Membership",
    "MembershipInput",
    "infer_level",
    "resolve_membership",
    "resolve_memberships",
]

#: What a caller may pass as ``membership=``.
MembershipInput: TypeAlias = pd.DataFrame | pd.Series | Iterable[str]

LEAD_ROLES: tuple[str, ...] = ("lead", "co-lead")
"""The roles that lead a partnership."""

USER_LIST = "caller-supplied"
"""``member_list`` of a membership the caller gave without saying how complete."""

NOT_MEMBER: tuple[str, ...] = ("", "non-member", "none", "false", "0")
"""Texts (stripped, lower-cased) that mark a region as **not** a member."""


@dataclass(frozen=True)
class Membership:
    """Members of one partnership (or group) at one NUTS level.

    Attributes
    ----------
    roles : pandas.Series
        Index ``geo`` (str), value the role (``lead``, ``co-lead``, ``member``,
        ``unknown``), one row per member region.
    partnership : str or None
        The partnership id, when known.
    member_list : str
        ``complete | partial | leads_only | none`` from the registry, or
        ``"caller-supplied"`` when the caller gave the members and did not say.
    completeness : str
        A sentence on how complete the list is.
    source : {"registry", "argument"}
        Where the members come from.

    Examples
    --------
    >>> m = resolve_membership(None, ["ES21", "FRH0"], level=2)
    >>> m.geos, m.member_list, m.source
    (['ES21', 'FRH0'], 'caller-supplied', 'argument')
    """

    roles: pd.Series
    partnership: str | None
    member_list: str
    completeness: str
    source: Literal["registry", "argument"]

    @property
    def geos(self) -> list[str]:
        """Member region codes."""
        return [str(g) for g in self.roles.index]


def infer_level(geos: Iterable[str]) -> int:
    """Return the most common NUTS level of *geos* (code length − 2), clipped to 0–3.

    Parameters
    ----------
    geos : iterable of str
        Region codes.

    Returns
    -------
    int
        The level.

    Raises
    ------
    MetricInputError
        If there is no code.

    Examples
    --------
    >>> infer_level(["ES21", "ES22", "ES2"])
    2
    """
    lengths = pd.Series([len(str(g)) - 2 for g in geos])
    if lengths.empty:
        msg = "no region codes to infer the NUTS level from"
        raise MetricInputError(msg)
    return int(min(max(int(lengths.mode().iloc[0]), 0), 3))


# ------------------------------------------------------------------ conversion
def _clean_roles(roles: pd.Series) -> pd.Series:
    """One role per region (the strongest when a region is listed twice)."""
    text = roles.astype("string").str.strip().str.lower().fillna("member")
    text = text.where(text.isin(ROLES), "member")
    frame = pd.DataFrame(
        {"geo": [str(g) for g in roles.index], "role": text.to_numpy(dtype=object)}
    )
    frame["rank"] = frame["role"].map(ROLE_RANK)
    frame = frame.sort_values(["geo", "rank"]).drop_duplicates("geo")
    return pd.Series(
        frame["role"].to_numpy(),
        index=pd.Index(frame["geo"], name="geo"),
        dtype="string",
    )


def _member_list_of(obj: object, partnership: str | None) -> tuple[str, str]:
    """Member-list kind and completeness sentence recorded with *obj*, if any."""
    attrs = getattr(obj, "attrs", None) or {}
    kinds = attrs.get("member_list")
    notes = attrs.get("completeness")
    notes = notes if isinstance(notes, dict) else {}
    if isinstance(kinds, dict):
        key = None
        if partnership is not None and partnership in kinds:
            key = partnership
        elif len(kinds) == 1:
            key = next(iter(kinds))
        if key is not None:
            kind = str(kinds[key])
            return kind, str(notes.get(key, f"member list {kind!r} (as supplied)"))
    if isinstance(obj, pd.DataFrame) and "member_list" in obj.columns:
        values = obj["member_list"].dropna().astype(str).unique()
        if len(values) == 1:
            kind = str(values[0])
            return kind, f"member list {kind!r} (as supplied)"
    return USER_LIST, "membership supplied by the caller; completeness not stated"


def _membership(
    roles: pd.Series, partnership: str | None, listed: object, *, allow_empty: bool
) -> Membership:
    if len(roles) == 0 and not allow_empty:
        msg = f"membership of {partnership or 'the group'!r} is empty: no member region"
        raise MembershipError(msg)
    kind, note = _member_list_of(listed, partnership)
    return Membership(_clean_roles(roles), partnership, kind, note, "argument")


def _from_long(
    frame: pd.DataFrame, partnership: str | None, *, allow_empty: bool
) -> Membership:
    """Convert a long frame with ``geo`` (maybe ``partnership_id``, ``role``)."""
    if "partnership_id" in frame.columns:
        ids = frame["partnership_id"].dropna().astype(str).unique().tolist()
        if partnership is not None:
            frame = frame[frame["partnership_id"].astype(str) == partnership]
        elif len(ids) > 1:
            msg = (
                f"membership lists several partnerships {sorted(ids)[:10]}; "
                "pass partnership= to choose one"
            )
            raise MembershipError(msg)
        else:
            partnership = ids[0] if ids else None
    roles = (
        frame["role"]
        if "role" in frame.columns
        else pd.Series("member", index=frame.index)
    )
    roles = pd.Series(roles.to_numpy(), index=frame["geo"].astype(str).to_numpy())
    return _membership(roles, partnership, frame, allow_empty=allow_empty)


def _from_series(
    series: pd.Series, partnership: str | None, *, allow_empty: bool
) -> Membership:
    """Convert a Series geo → member flag (bool or number) or role (text)."""
    values = series.dropna()
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        values = values[values.astype(bool)]
        roles = pd.Series("member", index=values.index.astype(str))
    else:
        text = values.astype(str).str.strip().str.lower()
        text = text[~text.isin(NOT_MEMBER)]
        roles = text.where(text.isin(ROLES), "member")
        roles.index = roles.index.astype(str)
    if partnership is None and series.name is not None:
        partnership = str(series.name)
    return _membership(roles, partnership, series, allow_empty=allow_empty)


def _from_matrix(
    matrix: pd.DataFrame, partnership: str | None, *, allow_empty: bool
) -> Membership:
    """Convert one column of a region × partnership matrix."""
    if partnership is None and matrix.shape[1] == 1:
        partnership = str(matrix.columns[0])
    if partnership is None or partnership not in matrix.columns:
        msg = (
            f"membership matrix has columns {list(matrix.columns)[:10]}; pass "
            "partnership= naming one of them"
        )
        raise MembershipError(msg)
    column = matrix[partnership].rename(partnership)
    return _from_series(column, partnership, allow_empty=allow_empty)


def _from_argument(
    membership: MembershipInput, partnership: str | None, *, allow_empty: bool = False
) -> Membership:
    if isinstance(membership, pd.DataFrame) and "geo" in membership.columns:
        return _from_long(membership, partnership, allow_empty=allow_empty)
    if isinstance(membership, pd.DataFrame):
        return _from_matrix(membership, partnership, allow_empty=allow_empty)
    if isinstance(membership, pd.Series):
        return _from_series(membership, partnership, allow_empty=allow_empty)
    if isinstance(membership, Iterable) and not isinstance(membership, str | bytes):
        roles = pd.Series("member", index=[str(g) for g in membership])
        return _membership(roles, partnership, membership, allow_empty=allow_empty)
    msg = (
        "membership must be a frame with a geo column (e.g. regiongap.members()), "
        "a region × partnership matrix, a Series geo -> member flag/role, or a "
        f"list of region codes; got {type(membership).__name__}"
    )
    raise MetricInputError(msg)


def _from_registry(partnership: str, level: int, nuts_year: NutsYear) -> Membership:
    rows = members(partnership, level=level, nuts_year=nuts_year)
    table = partnerships().set_index("partnership_id")
    kind = str(table.loc[partnership, "member_list"])
    note = str(table.loc[partnership, "completeness"])
    if rows.empty:
        msg = (
            f"partnership {partnership!r} has no member region at NUTS level {level} "
            f"(NUTS {nuts_year}) in the registry (member_list={kind!r}: {note})"
        )
        raise MembershipError(msg)
    roles = pd.Series(rows["role"].to_numpy(), index=rows["geo"].astype(str))
    return Membership(_clean_roles(roles), partnership, kind, note, "registry")


# ------------------------------------------------------------------ resolvers
def resolve_membership(
    partnership: str | None,
    membership: MembershipInput | None,
    *,
    level: int,
    nuts_year: NutsYear = MEMBERS_NUTS_YEAR,
) -> Membership:
    """Return the members of *partnership* or of the given *membership*.

    Parameters
    ----------
    partnership : str or None
        A partnership id of the registry, or — with *membership* — the one to
        take from a long frame or matrix of several.
    membership : pandas.DataFrame, pandas.Series, list of str or None
        The caller's members (see the module docstring for the forms and rules);
        ``None`` to look *partnership* up in the shipped registry.
    level : int
        NUTS level to map registry members to (ignored for *membership*).
    nuts_year : {2021, 2013, 2016, 2024}, default 2021
        NUTS version to map registry members to, that of the data (ignored for
        *membership*).

    Returns
    -------
    Membership
        The members with their roles, and how complete the list is.

    Raises
    ------
    MembershipError
        Nothing to resolve, an empty membership, or an unknown partnership id.
    MetricInputError
        A *membership* of a form not listed above.

    Examples
    --------
    >>> m = resolve_membership("social_economy", None, level=2)
    >>> m.roles["ES22"], m.member_list, m.source
    ('lead', 'complete', 'registry')
    """
    if membership is not None:
        return _from_argument(membership, partnership)
    if partnership is None:
        msg = "give a partnership id (e.g. 'social_economy') or membership="
        raise MembershipError(msg)
    if not isinstance(partnership, str):
        msg = f"partnership must be one id (str), got {partnership!r}"
        raise MembershipError(msg)
    return _from_registry(partnership, level, nuts_year)


def resolve_memberships(membership: MembershipInput) -> list[Membership]:
    """Return each partnership of a caller's *membership* as a :class:`Membership`.

    The same forms and rules as :func:`resolve_membership`, for metrics that
    take several partnerships at once: one :class:`Membership` per column of a
    matrix (in column order), per ``partnership_id`` of a long frame (sorted), or
    one for a Series or list. Unlike :func:`resolve_membership`, a partnership
    with no member (an all-zero column) is kept, with no roles.

    Parameters
    ----------
    membership : pandas.DataFrame, pandas.Series or list of str
        The caller's members.

    Returns
    -------
    list of Membership
        One per partnership.

    Raises
    ------
    MetricInputError
        A *membership* of a form not accepted.

    Examples
    --------
    >>> matrix = pd.DataFrame({"a": [1, 0], "b": ["0", "false"]},
    ...                       index=["ES21", "ES22"])
    >>> [(m.partnership, m.geos) for m in resolve_memberships(matrix)]
    [('a', ['ES21']), ('b', [])]
    """
    if isinstance(membership, pd.DataFrame) and "geo" in membership.columns:
        if "partnership_id" not in membership.columns:
            return [_from_long(membership, None, allow_empty=True)]
        ids = sorted(membership["partnership_id"].dropna().astype(str).unique())
        return [_from_long(membership, pid, allow_empty=True) for pid in ids]
    if isinstance(membership, pd.DataFrame):
        return [
            _from_series(
                membership[column].rename(str(column)), str(column), allow_empty=True
            )
            for column in membership.columns
        ]
    return [_from_argument(membership, None, allow_empty=True)]
