"""The words of membership tables: roles, confidence, member lists, columns.

Every membership table — the shipped S3 registry, an analyst's own file, the rows
of :func:`regiongap.members` — uses these values and columns; the validators of
:mod:`regiongap.membership.validate` hold every row to them. Options that take one
of these values are typed with the ``Literal`` types below.

>>> ROLES
('lead', 'co-lead', 'member', 'unknown')
>>> [ROLE_RANK[r] for r in ("member", "lead")]
[2, 0]
"""

from __future__ import annotations

from typing import Final, Literal

from regiongap.schema import NutsYear

__all__ = [
    "COMPLETE",
    "CONFIDENCE_LEVELS",
    "CONFIDENCE_RANK",
    "MEMBERS_NUTS_YEAR",
    "MEMBER_COLUMNS",
    "MEMBER_LISTS",
    "PARTNERSHIP_COLUMNS",
    "PLATFORMS",
    "ROLES",
    "ROLE_RANK",
    "Confidence",
    "MemberList",
    "Platform",
    "Role",
]

#: A member's role, strongest first.
Role = Literal["lead", "co-lead", "member", "unknown"]
#: How sure a membership row is, highest first.
Confidence = Literal["high", "medium", "low"]
#: How far a partnership's member rows can be trusted as a list.
MemberList = Literal["complete", "partial", "leads_only", "none"]
#: An S3 thematic platform.
Platform = Literal["industrial_modernisation", "energy", "agrifood"]
MEMBERS_NUTS_YEAR: Final[NutsYear] = 2021
"""The default NUTS version of membership codes, and of members mapped to a level.

Membership tables may hold codes of any version of :data:`regiongap.schema.NUTS_YEARS`
(each row's version in its ``nuts_year`` column); without one, codes are NUTS 2021.
"""

COMPLETE: Final[MemberList] = "complete"
"""``member_list`` value of a partnership whose source gives the full list."""

MEMBER_LISTS: Final[tuple[MemberList, ...]] = (
    COMPLETE,
    "partial",
    "leads_only",
    "none",
)
"""How far a partnership's member rows can be trusted as a list (see the README)."""

PLATFORMS: Final[tuple[Platform, ...]] = (
    "industrial_modernisation",
    "energy",
    "agrifood",
)
"""The three S3 thematic platforms (2016–2023)."""

ROLES: Final[tuple[Role, ...]] = ("lead", "co-lead", "member", "unknown")
"""Roles, strongest first: ``lead`` (sole lead), ``co-lead``, ``member``, ``unknown``.

Merging keeps the strongest.
"""

CONFIDENCE_LEVELS: Final[tuple[Confidence, ...]] = ("high", "medium", "low")
"""Confidence of a membership row, highest first (rules in the package data README)."""

ROLE_RANK: Final[dict[str, int]] = {role: i for i, role in enumerate(ROLES)}
"""Role -> rank, strongest (``lead``) first: merging keeps the lowest rank."""

CONFIDENCE_RANK: Final[dict[str, int]] = {
    level: i for i, level in enumerate(CONFIDENCE_LEVELS)
}
"""Confidence -> rank, highest first: merging keeps the lowest rank."""

MEMBER_COLUMNS: Final[tuple[str, ...]] = (
    "partnership_id",
    "geo",
    "region_name",
    "country",
    "level",
    "nuts_year",
    "role",
    "confidence",
    "source_url",
    "notes",
    "member_list",
)
"""Columns of a membership table, in order (extra columns of a user file follow)."""

PARTNERSHIP_COLUMNS: Final[tuple[str, ...]] = (
    "partnership_id",
    "name",
    "platform",
    "launched",
    "lead_regions",
    "member_list",
    "members_stated",
    "source_url",
    "source_note",
)
"""Columns of the shipped partnership table ``s3_partnerships.csv``."""
