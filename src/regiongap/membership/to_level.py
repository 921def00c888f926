"""Move listed partnership members to one NUTS level, merging rows that meet.

Sources list members at mixed NUTS levels (a country, a NUTS 1 region, a NUTS 3
region); indicators come per level. :func:`to_level` expands coarser codes to
their NUTS 2021 sub-regions, maps finer codes to their parent and merges the rows
of one partnership that land on one region (strongest role, highest confidence,
every listed code kept). Used by :func:`regiongap.membership.registry.members`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from regiongap.geo.codes import is_extra_regio, nuts_children, nuts_codes, nuts_parent
from regiongap.membership.vocabulary import (
    CONFIDENCE_RANK,
    MEMBER_COLUMNS,
    MEMBERS_NUTS_YEAR,
    ROLE_RANK,
)

__all__ = ["LEVEL_COLUMNS", "MAPPINGS", "to_level"]

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

_MAP_RANK = {mapping: i for i, mapping in enumerate(MAPPINGS)}


def _targets(code: str, listed: int, level: int) -> tuple[list[str], str]:
    """Regions at *level* that the listed *code* (at level *listed*) stands for."""
    if listed == level:
        return [code], "as_listed"
    if listed < level:
        children = nuts_children(code, level=level, nuts_year=MEMBERS_NUTS_YEAR)
        return [c for c in children if not is_extra_regio(c)], "expanded"
    return [nuts_parent(code, level)], "parent"


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in LEVEL_COLUMNS})
    return frame.astype({"level": "int64", "n_listed": "int64"})


def to_level(rows: pd.DataFrame, level: int) -> pd.DataFrame:
    """Move listed rows to NUTS *level* and merge rows landing on one region.

    Parameters
    ----------
    rows : pandas.DataFrame
        A validated membership table
        (:data:`~regiongap.membership.validate.MEMBER_COLUMNS`).
    level : {0, 1, 2, 3}
        The NUTS level to move every member to.

    Returns
    -------
    pandas.DataFrame
        :data:`LEVEL_COLUMNS`: one row per (partnership, region at *level*), with
        the official NUTS name in ``region_name``, the listed code(s) in
        ``listed_geo``, their names as listed in ``listed_name``, how they were
        mapped in ``mapping`` (the most direct one when rows merge) and their
        count in ``n_listed``.

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "partnership_id": ["net", "net"], "geo": ["FI1D7", "FI1D3"],
    ...     "region_name": ["Lappi", "Pohjois-Karjala"], "level": [3, 3],
    ...     "role": ["member", "lead"], "confidence": ["high", "low"],
    ...     "source_url": [pd.NA, pd.NA], "notes": [pd.NA, pd.NA],
    ...     "member_list": ["complete", "complete"]})
    >>> to_level(rows, 2)[["geo", "role", "confidence", "listed_geo", "mapping"]]
        geo  role confidence    listed_geo mapping
    0  FI1D  lead       high  FI1D7, FI1D3  parent
    """
    pieces: list[dict[str, object]] = []
    for rec in rows.itertuples(index=False):
        code = str(rec.geo)
        targets, mapping = _targets(code, int(str(rec.level)), level)
        pieces.extend(
            {
                "partnership_id": rec.partnership_id,
                "geo": geo,
                "role": rec.role,
                "confidence": rec.confidence,
                "source_url": rec.source_url,
                "notes": rec.notes,
                "member_list": rec.member_list,
                "listed_geo": code,
                "listed_name": rec.region_name,
                "mapping": mapping,
            }
            for geo in targets
        )
    if not pieces:
        return _empty()
    merged = (
        pd.DataFrame(pieces)
        .groupby(["partnership_id", "geo"], sort=False)
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
    lookup = nuts_codes(nuts_year=MEMBERS_NUTS_YEAR).set_index("geo")
    merged["region_name"] = merged["geo"].map(lookup["region_name"])
    merged["country"] = merged["geo"].map(lookup["country"])
    merged["level"] = level
    out = merged[list(LEVEL_COLUMNS)]
    text = [c for c in LEVEL_COLUMNS if c not in ("level", "n_listed")]
    return out.astype(
        {**dict.fromkeys(text, "string"), "level": "int64", "n_listed": "int64"}
    )


def _join(separator: str) -> Callable[[pd.Series], object]:
    """Return an aggregator joining distinct non-missing values with *separator*."""

    def join(values: pd.Series) -> object:
        unique = list(dict.fromkeys(v for v in values if not pd.isna(v)))
        return separator.join(str(v) for v in unique) if unique else pd.NA

    return join
