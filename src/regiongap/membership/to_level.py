"""Move listed partnership members to one NUTS level, merging rows that meet.

Sources list members at mixed NUTS levels (a country, a NUTS 1 region, a NUTS 3
region); indicators come per level. :func:`to_level` expands coarser codes to
their NUTS 2021 sub-regions, maps finer codes to their parent and merges the rows
of one partnership that land on one region (strongest role, highest confidence,
every listed code kept). Used by :func:`regiongap.membership.registry.members`.
"""

from __future__ import annotations

import pandas as pd

from regiongap.membership.validate import CONFIDENCE_LEVELS, MEMBER_COLUMNS, ROLES

__all__ = [
    "CONFIDENCE_RANK",
    "LEVEL_COLUMNS",
    "MAPPINGS",
    "NUTS_YEAR",
    "ROLE_RANK",
    "to_level",
]

NUTS_YEAR = 2021
"""The NUTS version the registry's codes are checked against and mapped in."""

MAPPINGS: tuple[str, ...] = ("as_listed", "parent", "expanded")
"""How a listed code reached the requested level, most direct first."""

LEVEL_COLUMNS: tuple[str, ...] = (
    *MEMBER_COLUMNS,
    "listed_geo",
    "listed_name",
    "mapping",
    "n_listed",
)
"""Columns of :func:`~regiongap.membership.registry.members` with a ``level``."""

ROLE_RANK = {role: i for i, role in enumerate(ROLES)}
"""Role -> rank, strongest (``lead``) first: merging keeps the lowest rank."""

CONFIDENCE_RANK = {level: i for i, level in enumerate(CONFIDENCE_LEVELS)}
"""Confidence -> rank, highest first: merging keeps the lowest rank."""

_MAP_RANK = {mapping: i for i, mapping in enumerate(MAPPINGS)}


def to_level(rows: pd.DataFrame, level: int) -> pd.DataFrame:
    """Move listed rows to NUTS *level* and merge rows landing on one region."""
    from regiongap.geo import codes as nuts

    lookup = nuts.nuts_codes(year=NUTS_YEAR).set_index("geo")
    pieces = []
    for rec in rows.itertuples(index=False):
        listed = int(rec.nuts_level)
        if listed == level:
            targets, mapping = [rec.geo], "as_listed"
        elif listed < level:
            targets = [
                code
                for code in nuts.nuts_children(rec.geo, level=level, year=NUTS_YEAR)
                if not nuts.is_extra_regio(code)
            ]
            mapping = "expanded"
        else:
            targets, mapping = [nuts.nuts_parent(rec.geo, level)], "parent"
        for geo in targets:
            pieces.append(
                {
                    "partnership_id": rec.partnership_id,
                    "geo": geo,
                    "role": rec.role,
                    "confidence": rec.confidence,
                    "source_url": rec.source_url,
                    "notes": rec.notes,
                    "member_list": rec.member_list,
                    "listed_geo": rec.geo,
                    "listed_name": rec.region_name,
                    "mapping": mapping,
                }
            )
    if not pieces:
        return pd.DataFrame(
            {c: pd.Series(dtype="string") for c in LEVEL_COLUMNS}
        ).astype({"nuts_level": "int64", "n_listed": "int64"})
    mapped = pd.DataFrame(pieces)
    merged = (
        mapped.groupby(["partnership_id", "geo"], sort=False)
        .agg(
            role=("role", lambda s: min(s, key=ROLE_RANK.__getitem__)),
            confidence=(
                "confidence",
                lambda s: min(s, key=CONFIDENCE_RANK.__getitem__),
            ),
            source_url=("source_url", _join(" | ")),
            notes=("notes", _join("; ")),
            member_list=("member_list", "first"),
            listed_geo=("listed_geo", _join(", ")),
            listed_name=("listed_name", _join("; ")),
            mapping=("mapping", lambda s: min(s, key=_MAP_RANK.__getitem__)),
            n_listed=("listed_geo", "size"),
        )
        .reset_index()
    )
    merged["region_name"] = merged["geo"].map(lookup["name"])
    merged["country"] = merged["geo"].map(lookup["country"])
    merged["nuts_level"] = level
    out = merged[list(LEVEL_COLUMNS)]
    text = [c for c in LEVEL_COLUMNS if c not in ("nuts_level", "n_listed")]
    return out.astype(
        {**dict.fromkeys(text, "string"), "nuts_level": "int64", "n_listed": "int64"}
    )


def _join(separator: str):
    def join(values: pd.Series) -> object:
        unique = list(dict.fromkeys(v for v in values if not pd.isna(v)))
        return separator.join(str(v) for v in unique) if unique else pd.NA

    return join
