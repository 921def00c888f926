"""Move listed members to one NUTS version and level, merging rows that meet.

Sources list members at mixed NUTS levels (a country, a NUTS 1 region, a NUTS 3
region), and membership files may use any NUTS version; indicators come per level
and version. :func:`to_level` first follows each listed code along the official
correspondence to the analysis version (Alentejo ``PT18`` of NUTS 2021 is ``PT1C``
in NUTS 2024, after a boundary shift: every row says what happened in
``nuts_change`` and ``nuts_note``), then expands coarser codes to their sub-regions,
maps finer codes to their parent and merges the rows of one partnership that land
on one region (strongest role, highest confidence, every listed code kept). Used by
:func:`regiongap.membership.registry.members`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from functools import lru_cache

import pandas as pd

from regiongap.errors import DataQualityWarning
from regiongap.geo.codes import is_extra_regio, nuts_parent
from regiongap.geo.correspondence import nuts_successors
from regiongap.geo.lists import nuts_children, nuts_codes
from regiongap.membership.vocabulary import (
    CONFIDENCE_RANK,
    MEMBER_COLUMNS,
    MEMBERS_NUTS_YEAR,
    ROLE_RANK,
)
from regiongap.schema import NutsYear, check_nuts_year

__all__ = ["LEVEL_COLUMNS", "MAPPINGS", "NUTS_CHANGES", "to_level"]

MAPPINGS: tuple[str, ...] = ("as_listed", "parent", "expanded")
"""How a listed code reached the requested level, most direct first."""

NUTS_CHANGES: tuple[str, ...] = (
    "unchanged",
    "renamed",
    "minor_shift",
    "recoded",
    "boundary_shift",
    "split",
    "discontinued",
)
"""What became of a listed code in the analysis version, smallest change first."""

LEVEL_COLUMNS: tuple[str, ...] = (
    *MEMBER_COLUMNS,
    "listed_geo",
    "listed_name",
    "mapping",
    "n_listed",
    "nuts_change",
    "nuts_note",
)
"""Columns of :func:`~regiongap.membership.registry.members` with a level or version."""

_MAP_RANK = {mapping: i for i, mapping in enumerate(MAPPINGS)}
_CHANGE_RANK = {change: i for i, change in enumerate(NUTS_CHANGES)}


@lru_cache(maxsize=4096)
def _successors(
    code: str, listed_year: int, nuts_year: int
) -> tuple[tuple[str, ...], str, str | None]:
    """Return the regions of *nuts_year* a listed code stands for, its change, note."""
    if listed_year == nuts_year:
        return (code,), "unchanged", None
    succession = nuts_successors(code, listed_year, nuts_year)
    note = None if succession.change == "unchanged" else succession.note
    return succession.codes, succession.change, note


@lru_cache(maxsize=4096)
def _children(code: str, level: int, nuts_year: int) -> tuple[str, ...]:
    """Return the regions (no extra-regio) of *level* inside *code*."""
    children = nuts_children(code, level=level, nuts_year=nuts_year)
    return tuple(c for c in children if not is_extra_regio(c))


def _regions(
    code: str, listed_year: int, level: int | None, nuts_year: int
) -> tuple[list[str], str, str, str | None]:
    """Return the regions of *nuts_year* at *level* a listed code stands for.

    A finer code goes to its parent in its own version first, so the change
    reported is that of the region at the level asked for (Keski-Suomi's boundary
    shift leaves Länsi-Suomi unchanged). Returns the regions, the mapping, the
    change and its note.
    """
    listed = len(code) - 2
    if level is not None and level < listed:
        codes, change, note = _successors(
            nuts_parent(code, level), listed_year, nuts_year
        )
        return list(codes), "parent", change, note
    codes, change, note = _successors(code, listed_year, nuts_year)
    if level is None or listed == level:
        return list(codes), "as_listed", change, note
    regions = [
        child for successor in codes for child in _children(successor, level, nuts_year)
    ]
    return list(dict.fromkeys(regions)), "expanded", change, note


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in LEVEL_COLUMNS})
    return frame.astype({"level": "int64", "nuts_year": "int64", "n_listed": "int64"})


def _pieces(
    rows: pd.DataFrame, level: int | None, nuts_year: int, lost: list[str]
) -> Iterator[dict[str, object]]:
    """One record per (listed row, region it lands on); *lost* gets the rest."""
    versions = rows["nuts_year"] if "nuts_year" in rows.columns else None
    for i, rec in enumerate(rows.itertuples(index=False)):
        code = str(rec.geo)
        listed_year = MEMBERS_NUTS_YEAR if versions is None else int(versions.iloc[i])
        regions, mapping, change, note = _regions(code, listed_year, level, nuts_year)
        if not regions:
            lost.append(f"{rec.partnership_id}: {note}")
        for geo in regions:
            yield {
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
                "nuts_change": change,
                "nuts_note": note,
            }


def to_level(
    rows: pd.DataFrame,
    level: int | None,
    nuts_year: NutsYear = MEMBERS_NUTS_YEAR,
) -> pd.DataFrame:
    """Move listed rows to NUTS *nuts_year* and *level*; merge rows meeting on a region.

    Parameters
    ----------
    rows : pandas.DataFrame
        A validated membership table
        (:data:`~regiongap.membership.validate.MEMBER_COLUMNS`; without a
        ``nuts_year`` column its codes count as NUTS 2021).
    level : {0, 1, 2, 3} or None
        The NUTS level to move every member to; ``None`` keeps each region at
        its own level (only the version changes).
    nuts_year : {2021, 2013, 2016, 2024}, default 2021
        The analysis version every listed code is followed to, along the
        official correspondence.

    Returns
    -------
    pandas.DataFrame
        :data:`LEVEL_COLUMNS`: one row per (partnership, region of *nuts_year*
        at *level*), with the official NUTS name in ``region_name``, the listed
        code(s) in ``listed_geo``, their names as listed in ``listed_name``, how
        they reached the level in ``mapping`` (the most direct one when rows
        merge), their count in ``n_listed``, and what became of them in the
        version in ``nuts_change`` (:data:`NUTS_CHANGES`, the largest change when
        rows merge) and ``nuts_note`` (the official change in words; missing when
        unchanged).

    Raises
    ------
    SchemaError
        If *nuts_year* is not a NUTS version.

    Warns
    -----
    DataQualityWarning
        Naming the listed rows that no region of *nuts_year* holds (e.g. UK
        regions in NUTS 2024); they are left out.

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

    Alentejo, listed in NUTS 2021, in NUTS 2024:

    >>> alentejo = pd.DataFrame({
    ...     "partnership_id": ["solar"], "geo": ["PT18"], "region_name": ["Alentejo"],
    ...     "level": [2], "nuts_year": [2021], "role": ["co-lead"],
    ...     "confidence": ["high"], "source_url": [pd.NA], "notes": [pd.NA],
    ...     "member_list": ["complete"]})
    >>> moved = to_level(alentejo, 2, nuts_year=2024).iloc[0]
    >>> moved[["geo", "listed_geo", "nuts_change"]].tolist(), moved["nuts_year"]
    (['PT1C', 'PT18', 'boundary_shift'], np.int64(2024))
    >>> print(moved["nuts_note"])
    PT18 (Alentejo, NUTS 2021) in NUTS 2024: a boundary shift; now PT1C (its land
    overlaps PT1C, PT1D)
    """
    check_nuts_year(nuts_year)
    lost: list[str] = []
    pieces = list(_pieces(rows, level, nuts_year, lost))
    if lost:
        msg = (
            f"{len(lost)} listed member row(s) have no region in NUTS {nuts_year} "
            "and are left out: " + "; ".join(lost)
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=3)
    if not pieces:
        return _empty()
    merged = _merge(pd.DataFrame(pieces))
    lookup = nuts_codes(nuts_year=nuts_year, extra_regio=True).set_index("geo")
    merged["region_name"] = merged["geo"].map(lookup["region_name"])
    merged["country"] = merged["geo"].map(lookup["country"])
    merged["level"] = merged["geo"].map(lookup["level"])
    merged["nuts_year"] = nuts_year
    out = merged[list(LEVEL_COLUMNS)]
    numbers = ("level", "nuts_year", "n_listed")
    text = [c for c in LEVEL_COLUMNS if c not in numbers]
    return out.astype(
        {**dict.fromkeys(text, "string"), **dict.fromkeys(numbers, "int64")}
    )


_KEY = ["partnership_id", "geo"]
# merged by rank: the lowest rank wins (strongest role, highest confidence, most
# direct mapping), or the highest (largest change)
_RANKED: dict[str, tuple[dict[str, int], bool]] = {
    "role": (ROLE_RANK, False),
    "confidence": (CONFIDENCE_RANK, False),
    "mapping": (_MAP_RANK, False),
    "nuts_change": (_CHANGE_RANK, True),
}
_JOINED = {
    "source_url": " | ",
    "notes": "; ",
    "listed_geo": ", ",
    "listed_name": "; ",
    "nuts_note": "; ",
}


def _merge(pieces: pd.DataFrame) -> pd.DataFrame:
    """Merge the pieces of one partnership that land on one region."""
    groups = pieces.groupby(_KEY, sort=False)
    merged = groups.agg(
        member_list=("member_list", "first"), n_listed=("listed_geo", "size")
    )
    for column, (rank, largest) in _RANKED.items():
        ranks = pieces[column].map(rank).groupby([pieces[k] for k in _KEY], sort=False)
        best = ranks.max() if largest else ranks.min()
        names = {i: name for name, i in rank.items()}
        merged[column] = best.map(names)
    for column, separator in _JOINED.items():
        distinct = pieces.dropna(subset=[column]).drop_duplicates([*_KEY, column])
        joined = distinct.groupby(_KEY, sort=False)[column].agg(separator.join)
        merged[column] = joined.reindex(merged.index)
    return merged.reset_index()
