"""Resolve "who is a member" for the frame-level analytics.

The analytics accept either a partnership id, resolved through
:func:`regiongap.members` at the NUTS level of the data, or a membership given
by the caller (a frame, a Series or a list of codes), so that they can be used
with any grouping and tested without the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from regiongap.errors import MembershipError, MetricInputError

ROLE_ORDER = ("lead", "co-lead", "member", "unknown")
LEAD_ROLES = ("lead", "co-lead")
USER_LIST = "caller-supplied"


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
    source : str
        ``"registry"`` or ``"argument"``.
    """

    roles: pd.Series
    partnership: str | None
    member_list: str
    completeness: str
    source: str

    @property
    def geos(self) -> list[str]:
        """Member region codes."""
        return list(self.roles.index)


def infer_level(geos: Iterable[str]) -> int:
    """Most common NUTS level of *geos* (code length − 2), clipped to 0–3."""
    lengths = pd.Series([len(str(g)) - 2 for g in geos])
    if lengths.empty:
        msg = "no region codes to infer the NUTS level from"
        raise MetricInputError(msg)
    return int(min(max(int(lengths.mode().iloc[0]), 0), 3))


def _clean_roles(roles: pd.Series) -> pd.Series:
    """One role per region (the strongest when a region is listed twice)."""
    text = roles.astype("string").str.strip().str.lower().fillna("member")
    text = text.where(text.isin(ROLE_ORDER), "member")
    frame = pd.DataFrame(
        {"geo": [str(g) for g in roles.index], "role": text.to_numpy(dtype=object)}
    )
    frame["rank"] = frame["role"].map({r: i for i, r in enumerate(ROLE_ORDER)})
    frame = frame.sort_values(["geo", "rank"]).drop_duplicates("geo")
    return pd.Series(
        frame["role"].to_numpy(),
        index=pd.Index(frame["geo"], name="geo"),
        dtype="string",
    )


def _from_registry(partnership: str, level: int) -> Membership:
    from regiongap.membership.registry import members, partnerships

    rows = members(partnership, level=level)
    table = partnerships().set_index("partnership_id")
    kind = str(table.loc[partnership, "member_list"])
    note = (
        str(table.loc[partnership, "completeness"])
        if "completeness" in table.columns
        else f"member list {kind}"
    )
    if rows.empty:
        msg = (
            f"partnership {partnership!r} has no member region at NUTS level {level} "
            f"in the registry (member_list={kind!r}: {note})"
        )
        raise MembershipError(msg)
    roles = pd.Series(rows["role"].to_numpy(), index=rows["geo"].astype(str))
    return Membership(_clean_roles(roles), partnership, kind, note, "registry")


def _member_list_of(obj: Any, partnership: str | None) -> tuple[str, str]:
    """Member-list kind and completeness sentence recorded with *obj*, if any."""
    attrs = getattr(obj, "attrs", {}) or {}
    kinds = attrs.get("member_list")
    notes = (
        attrs.get("completeness") if isinstance(attrs.get("completeness"), dict) else {}
    )
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


def _from_argument(membership: Any, partnership: str | None) -> Membership:
    obj = membership
    listed: Any = obj
    if isinstance(obj, pd.DataFrame) and "geo" in obj.columns:
        frame = obj
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
            listed = frame
        roles = (
            frame["role"]
            if "role" in frame.columns
            else pd.Series("member", index=frame.index)
        )
        roles = pd.Series(roles.to_numpy(), index=frame["geo"].astype(str).to_numpy())
    elif isinstance(obj, pd.DataFrame):
        if partnership is None and obj.shape[1] == 1:
            partnership = str(obj.columns[0])
        if partnership is None or partnership not in obj.columns:
            msg = (
                f"membership matrix has columns {list(obj.columns)[:10]}; pass "
                "partnership= naming one of them"
            )
            raise MembershipError(msg)
        return _from_argument(obj[partnership].rename(partnership), partnership)
    elif isinstance(obj, pd.Series):
        s = obj.dropna()
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            s = s[s.astype(bool)]
            roles = pd.Series("member", index=s.index.astype(str))
        else:
            text = s.astype(str).str.strip().str.lower()
            s = s[~text.isin(["", "non-member", "none", "false", "0"])]
            text = text[s.index]
            roles = text.where(text.isin(ROLE_ORDER), "member")
            roles.index = roles.index.astype(str)
        if partnership is None and obj.name is not None:
            partnership = str(obj.name)
    elif isinstance(obj, Iterable) and not isinstance(obj, str | bytes):
        codes = [str(g) for g in obj]
        roles = pd.Series("member", index=codes)
    else:
        msg = (
            "membership must be a frame with a geo column (e.g. regiongap.members()), "
            "a region × partnership matrix, a Series geo -> member flag/role, or a "
            f"list of region codes; got {type(obj).__name__}"
        )
        raise MetricInputError(msg)
    if len(roles) == 0:
        msg = f"membership of {partnership or 'the group'!r} is empty: no member region"
        raise MembershipError(msg)
    kind, note = _member_list_of(listed, partnership)
    return Membership(_clean_roles(roles), partnership, kind, note, "argument")


def resolve_membership(
    partnership: str | None, membership: Any, *, level: int
) -> Membership:
    """Return the members of *partnership* or of the given *membership*.

    Raises
    ------
    MembershipError
        Nothing to resolve, an empty membership, or an unknown partnership id.
    """
    if membership is not None:
        return _from_argument(membership, partnership)
    if partnership is None:
        msg = "give a partnership id (e.g. 'social_economy') or membership="
        raise MembershipError(msg)
    if not isinstance(partnership, str):
        msg = f"partnership must be one id (str), got {partnership!r}"
        raise MembershipError(msg)
    return _from_registry(partnership, level)
