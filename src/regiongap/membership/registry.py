"""The S3 thematic partnership registry: who partners with whom, and how sure we are.

The registry ships with the package (``regiongap/data/partnerships/``, sources and
conventions in its README): one table of partnerships and one of member regions,
each row with its source URL and a confidence level. Both are validated when first
used; a broken table raises :class:`~regiongap.errors.MembershipError` listing every
bad row.

Completeness matters. A partnership's ``member_list`` says whether its source gives
the *complete* list (``"complete"``), only some members (``"partial"``), only the
leads (``"leads_only"``) or none (``"none"``). Comparing members with non-members is
only sound on complete lists — otherwise some "non-members" are members nobody
listed — so :func:`~regiongap.membership.groups.membership_groups` refuses other
lists unless told otherwise.

Every function takes ``registry=``: a membership table of your own from
:func:`~regiongap.membership.files.read_membership` (or the shipped one combined
with yours via :func:`pandas.concat`) is used exactly like the shipped registry.

>>> import regiongap as rg
>>> rg.members("social_economy")[["geo", "level", "role"]].head(3)
    geo  level  role
0  ES22      2  lead
1   BE3      1  member
2  ES62      2  member
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from regiongap.errors import MembershipError, SchemaError
from regiongap.membership._arguments import (
    check_confidence,
    check_roles,
    partnership_ids,
)
from regiongap.membership._tables import read_registry_table
from regiongap.membership.to_level import to_level
from regiongap.membership.validate import validate_members, validate_partnerships
from regiongap.membership.vocabulary import (
    COMPLETE,
    CONFIDENCE_RANK,
    MEMBERS_NUTS_YEAR,
    PARTNERSHIP_COLUMNS,
    PLATFORMS,
    ROLE_RANK,
    Confidence,
    Role,
)
from regiongap.schema import NutsYear, check_level, check_nuts_year

__all__ = [
    "DATA_DIR",
    "MEMBERS_FILE",
    "PARTNERSHIPS_FILE",
    "complete_partnerships",
    "load_registry",
    "members",
    "partnerships",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "partnerships"
"""The folder of the shipped registry."""
PARTNERSHIPS_FILE = "s3_partnerships.csv"
"""The partnership table of a registry folder."""
MEMBERS_FILE = "s3_partnership_members.csv"
"""The member table of a registry folder."""

_SHIPPED_REQUIRED = (
    "partnership_id",
    "geo",
    "region_name",
    "country",
    "level",
    "role",
    "confidence",
    "source_url",
)
_REGISTRY_REQUIRED = ("partnership_id", "geo", "role", "confidence", "member_list")
_SUMMARY_COLUMNS = (
    "partnership_id",
    "name",
    "platform",
    "launched",
    "lead_regions",
    "member_list",
    "members_stated",
    "member_rows",
    "members_with_nuts",
    "complete",
    "completeness",
    "source_url",
    "source_note",
)


# ------------------------------------------------------------------ loading
def load_registry(
    folder: str | os.PathLike[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate a registry folder (default: the one shipped with regiongap).

    Parameters
    ----------
    folder : str or os.PathLike, optional
        A folder holding ``s3_partnerships.csv`` and ``s3_partnership_members.csv``
        in the shipped layout, e.g. an updated copy you maintain.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The partnership table
        (:data:`~regiongap.membership.validate.PARTNERSHIP_COLUMNS`)
        and the member table
        (:data:`~regiongap.membership.validate.MEMBER_COLUMNS`, ``geo`` being the
        file's ``nuts_code``, ``member_list`` taken from the partnership table).

    Raises
    ------
    MembershipError
        If either table breaks the schema; the message lists every bad row.

    Examples
    --------
    >>> table, rows = load_registry()
    >>> len(table), len(rows)
    (29, 177)
    """
    table, rows = _load_registry(str(Path(folder).resolve()) if folder else None)
    return table.copy(), rows.copy()


@lru_cache(maxsize=8)
def _load_registry(folder: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = validate_partnerships(
        read_registry_table(folder, PARTNERSHIPS_FILE),
        what=f"partnership table {PARTNERSHIPS_FILE}",
    )
    raw = read_registry_table(folder, MEMBERS_FILE)
    if "member_list" in raw.columns:
        msg = (
            f"{MEMBERS_FILE} must not have a member_list column (it is per partnership)"
        )
        raise MembershipError(msg)
    rows = validate_members(
        raw,
        nuts_year=MEMBERS_NUTS_YEAR,
        known_partnerships=set(table["partnership_id"]),
        require=_SHIPPED_REQUIRED,
        what=f"member table {MEMBERS_FILE}",
        row_label="line",
    )
    kinds = table.set_index("partnership_id")["member_list"]
    rows["member_list"] = rows["partnership_id"].map(kinds).astype("string")
    return table, rows


def _registry(registry: pd.DataFrame | None) -> pd.DataFrame:
    """Return the member rows to work on: shipped, or a validated user table."""
    if registry is None:
        return _load_registry(None)[1].copy()
    if not isinstance(registry, pd.DataFrame):
        msg = (
            f"registry must be a membership DataFrame (from read_membership() or "
            f"members()), got {type(registry).__name__}"
        )
        raise SchemaError(msg)
    if "mapping" in registry.columns or "listed_geo" in registry.columns:
        msg = (
            "registry is a level-mapped table (it has listed_geo/mapping); pass the "
            "rows as listed: members() without level=, or read_membership()"
        )
        raise MembershipError(msg)
    return validate_members(
        registry,
        nuts_year=MEMBERS_NUTS_YEAR,
        require=_REGISTRY_REQUIRED,
        what="registry",
    )


def _partnership_table(
    registry: pd.DataFrame | None, rows: pd.DataFrame
) -> pd.DataFrame:
    """Partnership rows: the shipped table, or one derived from a user registry."""
    if registry is None:
        return _load_registry(None)[0].copy()
    records = []
    for pid, group in rows.groupby("partnership_id", sort=True):
        leads = group[group["role"].isin(("lead", "co-lead"))]
        urls = list(dict.fromkeys(group["source_url"].dropna()))
        records.append(
            {
                "partnership_id": pid,
                "name": pid,
                "platform": pd.NA,
                "launched": pd.NA,
                "lead_regions": "; ".join(leads["region_name"].dropna()) or pd.NA,
                "member_list": group["member_list"].iloc[0],
                "members_stated": pd.NA,
                "source_url": " | ".join(urls) or pd.NA,
                "source_note": pd.NA,
            }
        )
    out = pd.DataFrame(records, columns=list(PARTNERSHIP_COLUMNS))
    for column in PARTNERSHIP_COLUMNS:
        numeric = column in ("launched", "members_stated")
        out[column] = out[column].astype("Int64" if numeric else "string")
    return out


# ------------------------------------------------------------------ partnerships
def partnerships(*, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """Describe each partnership in one row, with how complete its member list is.

    Parameters
    ----------
    registry : pandas.DataFrame, optional
        A membership table of your own
        (:func:`~regiongap.membership.files.read_membership`); its partnerships
        are described from its rows (name = id, no platform).

    Returns
    -------
    pandas.DataFrame
        Columns ``partnership_id, name, platform, launched`` (Int64),
        ``lead_regions`` (as the source writes them), ``member_list``
        (``complete | partial | leads_only | none``), ``members_stated`` (Int64,
        the number of members a source states, where one does), ``member_rows``
        (rows in the member table), ``members_with_nuts`` (rows with a NUTS code),
        ``complete`` (bool: member_list is ``"complete"``), ``completeness``
        (a sentence, e.g. ``"complete list per source (7 regions)"`` or
        ``"partial: 5 of 12 stated members listed"``), ``source_url``,
        ``source_note``. Sorted by platform and id.

    Raises
    ------
    MembershipError
        If ``registry`` is not a valid membership table (every bad row listed).

    Examples
    --------
    >>> import regiongap as rg
    >>> table = rg.partnerships().set_index("partnership_id")
    >>> table.loc[["social_economy", "hydrogen_valleys"],
    ...           ["member_list", "completeness"]]
                     member_list                              completeness
    partnership_id
    social_economy      complete      complete list per source (7 regions)
    hydrogen_valleys     partial    partial: 5 of 12 stated members listed
    """
    rows = _registry(registry)
    table = _partnership_table(registry, rows)
    counts = rows.groupby("partnership_id").size()
    with_nuts = rows.dropna(subset=["geo"]).groupby("partnership_id").size()
    table["member_rows"] = table["partnership_id"].map(counts).fillna(0).astype("int64")
    table["members_with_nuts"] = (
        table["partnership_id"].map(with_nuts).fillna(0).astype("int64")
    )
    table["complete"] = table["member_list"] == COMPLETE
    stated = [None if pd.isna(n) else int(n) for n in table["members_stated"]]
    table["completeness"] = [
        _completeness(str(kind), n_stated, int(n_rows))
        for kind, n_stated, n_rows in zip(
            table["member_list"], stated, table["member_rows"], strict=True
        )
    ]
    order = table["platform"].map({p: i for i, p in enumerate(PLATFORMS)})
    table = table.assign(_order=order).sort_values(["_order", "partnership_id"])
    return table[list(_SUMMARY_COLUMNS)].reset_index(drop=True)


def _completeness(kind: str, stated_n: int | None, rows: int) -> str:
    """Describe in one human sentence how complete a member list is."""
    regions = f"{rows} region{'s' if rows != 1 else ''}"
    if kind == COMPLETE:
        text = f"complete list per source ({regions})"
        if stated_n is not None and stated_n != rows:
            text += f"; the source states {stated_n}"
        return text
    if kind == "partial":
        if stated_n is not None:
            return f"partial: {rows} of {stated_n} stated members listed"
        return f"partial: {regions} listed, total not stated"
    if kind == "leads_only":
        if stated_n is not None:
            return (
                f"leads only: {rows} lead region(s) listed of {stated_n} stated members"
            )
        return f"leads only: {rows} lead region(s) listed, total not stated"
    text = "no member regions named in the sources found"
    if stated_n is not None:
        text += f" (a source states {stated_n})"
    if rows:
        text += f"; {regions} listed without a confirmed membership"
    return text


def complete_partnerships(*, registry: pd.DataFrame | None = None) -> list[str]:
    """Return the ids of the partnerships whose member list is complete per its source.

    These are the partnerships for which a members-versus-non-members comparison
    is sound.

    Parameters
    ----------
    registry : pandas.DataFrame, optional
        A membership table of your own
        (:func:`~regiongap.membership.files.read_membership`).

    Returns
    -------
    list of str
        Sorted ids with ``member_list == "complete"``.

    Raises
    ------
    MembershipError
        If ``registry`` is not a valid membership table.

    Examples
    --------
    >>> import regiongap as rg
    >>> rg.complete_partnerships()
    ['cybersecurity', 'mining', 'safe_sustainable_mobility', 'social_economy',
     'solar_energy', 'sports', 'textile_innovation', 'tourism']
    """
    table = partnerships(registry=registry)
    return sorted(table.loc[table["complete"], "partnership_id"])


# ------------------------------------------------------------------ members
def members(
    partnership: str | Iterable[str] | None = None,
    level: int | None = None,
    min_confidence: Confidence = "low",
    roles: Role | Iterable[Role] | None = None,
    *,
    registry: pd.DataFrame | None = None,
    nuts_year: NutsYear | None = None,
) -> pd.DataFrame:
    """Return the member regions of one, several or all partnerships.

    Parameters
    ----------
    partnership : str or list of str, optional
        Partnership id(s), e.g. ``"social_economy"``; default all. An unknown id
        raises :class:`~regiongap.errors.MembershipError` naming it, with the
        closest valid id.
    level : {None, 0, 1, 2, 3}, default None
        ``None``: the regions as the sources list them, at mixed NUTS levels.
        A level: every member moved to that level (of NUTS *nuts_year*) so it
        joins with
        indicators at that level — coarser codes are expanded to all their
        sub-regions (``mapping="expanded"``, e.g. Slovenia ``SI`` → ``SI03``,
        ``SI04``; Mazowieckie ``PL9`` → ``PL91``, ``PL92``), finer codes are
        mapped to their parent (``mapping="parent"``, e.g. Lappi ``FI1D7`` →
        ``FI1D``), codes at the level stay (``mapping="as_listed"``).
        Extra-regio codes (``..Z``) are never produced. When two listed rows of
        one partnership land on the same region they are merged into one row:
        the strongest role, the highest confidence, every listed code in
        ``listed_geo`` and their count in ``n_listed`` — never duplicated.
    min_confidence : {"low", "medium", "high"}, default "low"
        Keep listed rows at least this sure (high ≥ medium ≥ low); applied
        before any mapping.
    roles : str or list of str, optional
        Keep only these roles (``lead``, ``co-lead``, ``member``, ``unknown``);
        applied after merging, so a region has exactly one role.
    registry : pandas.DataFrame, optional
        A membership table of your own
        (:func:`~regiongap.membership.files.read_membership`), used instead of
        the shipped registry.
    nuts_year : {None, 2013, 2016, 2021, 2024}, default None
        The analysis version: every listed code is followed along the official
        correspondence to it (Alentejo ``PT18``, NUTS 2021, is ``PT1C`` in NUTS
        2024 after a boundary shift), and ``nuts_change``/``nuts_note`` say what
        happened. ``None``: the rows as listed, each in its own version, or NUTS
        2021 when a level is asked for. Rows no region of the version holds (UK
        regions in NUTS 2024) are left out with a warning.

    Returns
    -------
    pandas.DataFrame
        One row per (partnership, region): ``partnership_id, geo, region_name,
        country, level, nuts_year, role, confidence, source_url, notes,
        member_list`` (``nuts_year``: the NUTS version of ``geo``); with a level
        or a version also ``listed_geo`` (the listed code(s), comma-separated),
        ``listed_name`` (the names as the sources write them), ``mapping``
        (``as_listed | parent | expanded``; for merged rows the most direct
        one), ``n_listed``, ``nuts_change`` (``unchanged``, ``renamed``,
        ``minor_shift``, ``recoded``, ``boundary_shift``, ``split`` or
        ``discontinued``: what became of the listed code in the version; for
        merged rows the largest change) and ``nuts_note`` (that change in words).
        Then ``region_name`` is the official NUTS name of ``geo``. Sorted by
        partnership, role (leads first) and geo.

    Raises
    ------
    MembershipError
        Unknown partnership id, or an invalid ``registry``.
    SchemaError
        Bad ``level``, ``min_confidence``, ``roles`` or ``nuts_year``.

    Warns
    -----
    DataQualityWarning
        When listed rows have no region in *nuts_year*.

    Examples
    --------
    >>> import regiongap as rg
    >>> rg.members("mining", level=2, roles="co-lead")[
    ...     ["geo", "region_name", "role", "listed_geo", "mapping"]]
        geo region_name     role           listed_geo mapping
    0  FI1D   Pohjois- ja Itä-Suomi  co-lead  FI1D7, FI1D3, FI1D8  parent

    The Solar Energy co-leads in NUTS 2024: Alentejo's boundaries changed.

    >>> leads = rg.members("solar_energy", level=2, roles="co-lead", nuts_year=2024)
    >>> leads[["geo", "listed_geo", "nuts_change"]]
        geo listed_geo     nuts_change
    0  ES43       ES43       unchanged
    1  PT1C       PT18  boundary_shift
    """
    check_level(level, allow_none=True)
    if nuts_year is not None:
        check_nuts_year(nuts_year)
    check_confidence(min_confidence)
    wanted_roles = check_roles(roles)
    rows = _registry(registry)
    ids = partnership_ids(partnership, _known_ids(registry, rows))
    if ids is not None:
        rows = rows[rows["partnership_id"].isin(ids)]
    keep = rows["confidence"].map(CONFIDENCE_RANK) <= CONFIDENCE_RANK[min_confidence]
    rows = rows[keep]
    if level is not None or nuts_year is not None:
        rows = to_level(
            rows, level, MEMBERS_NUTS_YEAR if nuts_year is None else nuts_year
        )
    if wanted_roles is not None:
        rows = rows[rows["role"].isin(wanted_roles)]
    order = rows.assign(_role=rows["role"].map(ROLE_RANK))
    order = order.sort_values(["partnership_id", "_role", "geo"], kind="stable")
    return order.drop(columns="_role").reset_index(drop=True)


def _known_ids(registry: pd.DataFrame | None, rows: pd.DataFrame) -> list[str]:
    if registry is None:
        return list(_load_registry(None)[0]["partnership_id"])
    return list(rows["partnership_id"].unique())
