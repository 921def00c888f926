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
listed — so :func:`membership_groups` refuses other lists unless told otherwise, and
:func:`membership_matrix` can keep complete lists only.

Every function takes ``registry=``: a membership table of your own from
:func:`~regiongap.membership.validate.read_membership` (or the shipped one combined with
yours via :func:`pandas.concat`) is used exactly like the shipped registry.

>>> import regiongap as rg
>>> rg.members("social_economy")                           # doctest: +SKIP
>>> rg.members(level=2)                                    # doctest: +SKIP
>>> rg.membership_matrix(level=2, complete_only=True)      # doctest: +SKIP
>>> rg.membership_groups("social_economy")                 # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import os
import types
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from regiongap.errors import DataQualityWarning, MembershipError, SchemaError
from regiongap.membership.to_level import (
    CONFIDENCE_RANK,
    LEVEL_COLUMNS,
    MAPPINGS,
    NUTS_YEAR,
    ROLE_RANK,
    to_level,
)
from regiongap.membership.validate import (
    COMPLETE,
    CONFIDENCE_LEVELS,
    MEMBER_COLUMNS,
    MEMBER_LISTS,
    PARTNERSHIP_COLUMNS,
    PLATFORMS,
    ROLES,
    read_membership,
    validate_members,
    validate_partnerships,
)

__all__ = [
    "COMPLETE",
    "CONFIDENCE_LEVELS",
    "LEVEL_COLUMNS",
    "MAPPINGS",
    "MEMBER_COLUMNS",
    "MEMBER_LISTS",
    "PLATFORMS",
    "ROLES",
    "complete_partnerships",
    "load_registry",
    "members",
    "membership_groups",
    "membership_matrix",
    "partnerships",
    "read_membership",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "partnerships"
PARTNERSHIPS_FILE = "s3_partnerships.csv"
MEMBERS_FILE = "s3_partnership_members.csv"

_SHIPPED_REQUIRED = (
    "partnership_id",
    "geo",
    "region_name",
    "country",
    "nuts_level",
    "role",
    "confidence",
    "source_url",
)
_REGISTRY_REQUIRED = ("partnership_id", "geo", "role", "confidence", "member_list")


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
        and the member table (:data:`MEMBER_COLUMNS`, ``geo`` being the file's
        ``nuts_code``, ``member_list`` taken from the partnership table).

    Raises
    ------
    MembershipError
        If either table breaks the schema; the message lists every bad row.
    """
    table, rows = _load_registry(str(Path(folder).resolve()) if folder else None)
    return table.copy(), rows.copy()


@lru_cache(maxsize=8)
def _load_registry(folder: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = Path(folder) if folder else DATA_DIR
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    table = validate_partnerships(
        pd.read_csv(base / PARTNERSHIPS_FILE, **read),
        what=f"partnership table {PARTNERSHIPS_FILE}",
    )
    raw = pd.read_csv(base / MEMBERS_FILE, **read)
    if "member_list" in raw.columns:
        msg = (
            f"{MEMBERS_FILE} must not have a member_list column (it is per partnership)"
        )
        raise MembershipError(msg)
    rows = validate_members(
        raw,
        nuts_year=NUTS_YEAR,
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
        nuts_year=NUTS_YEAR,
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


# ------------------------------------------------------------------ arguments
def _resolve_ids(
    partnership: str | Iterable[str] | None, known: Iterable[str]
) -> list[str] | None:
    """Check requested partnership ids; unknown ids raise with a suggestion."""
    if partnership is None:
        return None
    known = sorted(known)
    if isinstance(partnership, str):
        ids = [partnership]
    elif isinstance(partnership, Iterable) and not isinstance(partnership, bytes):
        ids = list(partnership)
    else:  # list(42) would fail with a bare TypeError
        msg = (
            f"partnership must be an id, a list of ids or None, not "
            f"{type(partnership).__name__} ({partnership!r}). Valid ids: "
            f"{', '.join(known)}"
        )
        raise MembershipError(msg)
    for pid in ids:
        if not isinstance(pid, str) or pid not in known:
            close = difflib.get_close_matches(str(pid), known, n=1, cutoff=0.5)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            msg = f"unknown partnership id {pid!r}.{hint} Valid ids: {', '.join(known)}"
            raise MembershipError(msg)
    return list(dict.fromkeys(ids))


def _check_level(level: int | None, *, allow_none: bool = True) -> None:
    if level is None and allow_none:
        return
    if (
        not isinstance(level, int)
        or isinstance(level, bool)
        or level not in (0, 1, 2, 3)
    ):
        allowed = "None, 0, 1, 2 or 3" if allow_none else "0, 1, 2 or 3"
        msg = f"level={level!r} is not a NUTS level; use {allowed}"
        raise SchemaError(msg)


def _check_confidence(min_confidence: str) -> None:
    if min_confidence not in CONFIDENCE_LEVELS:
        msg = (
            f"min_confidence={min_confidence!r} is not one of "
            f"{', '.join(CONFIDENCE_LEVELS)} (high ≥ medium ≥ low)"
        )
        raise SchemaError(msg)


def _check_roles(roles: str | Iterable[str] | None) -> list[str] | None:
    if roles is None:
        return None
    if isinstance(roles, str) or not isinstance(roles, Iterable):
        wanted = [roles]
    else:
        wanted = list(roles)
    bad = [r for r in wanted if r not in ROLES]
    if bad:
        msg = f"roles {bad} are not roles; use any of {', '.join(ROLES)}"
        raise SchemaError(msg)
    return wanted


# ------------------------------------------------------------------ public API
def partnerships(*, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per partnership, with how complete its member list is.

    Parameters
    ----------
    registry : pandas.DataFrame, optional
        A membership table of your own (:func:`read_membership`); its partnerships
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

    Examples
    --------
    >>> import regiongap as rg
    >>> table = rg.partnerships()                                  # doctest: +SKIP
    >>> table[["partnership_id", "member_list", "completeness"]]   # doctest: +SKIP
    """
    return _summary(registry)


def _summary(registry: pd.DataFrame | None) -> pd.DataFrame:
    rows = _registry(registry)
    table = _partnership_table(registry, rows)
    counts = rows.groupby("partnership_id").size()
    with_nuts = rows.dropna(subset=["geo"]).groupby("partnership_id").size()
    table["member_rows"] = table["partnership_id"].map(counts).fillna(0).astype("int64")
    table["members_with_nuts"] = (
        table["partnership_id"].map(with_nuts).fillna(0).astype("int64")
    )
    table["complete"] = table["member_list"] == COMPLETE
    table["completeness"] = [
        _completeness(kind, stated, n)
        for kind, stated, n in zip(
            table["member_list"],
            table["members_stated"],
            table["member_rows"],
            strict=True,
        )
    ]
    columns = [
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
    ]
    order = table["platform"].map({p: i for i, p in enumerate(PLATFORMS)})
    table = table.assign(_order=order).sort_values(["_order", "partnership_id"])
    return table[columns].reset_index(drop=True)


def _completeness(kind: str, stated: object, rows: int) -> str:
    """Describe in one human sentence how complete a member list is."""
    stated_n = None if pd.isna(stated) else int(stated)
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
    """Ids of the partnerships whose member list is complete per its source.

    These are the partnerships for which a members-versus-non-members comparison
    is sound.

    Parameters
    ----------
    registry : pandas.DataFrame, optional
        A membership table of your own (:func:`read_membership`).

    Returns
    -------
    list of str
        Sorted ids with ``member_list == "complete"``.
    """
    table = _summary(registry)
    return sorted(table.loc[table["complete"], "partnership_id"])


def members(
    partnership: str | Iterable[str] | None = None,
    level: int | None = None,
    min_confidence: str = "low",
    roles: str | Iterable[str] | None = None,
    *,
    registry: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Member regions of one, several or all partnerships.

    Parameters
    ----------
    partnership : str or list of str, optional
        Partnership id(s), e.g. ``"social_economy"``; default all. An unknown id
        raises :class:`MembershipError` naming it, with the closest valid id.
    level : {None, 0, 1, 2, 3}, default None
        ``None``: the regions as the sources list them, at mixed NUTS levels.
        A level: every member moved to that NUTS 2021 level so it joins with
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
        A membership table of your own (:func:`read_membership`), used instead of
        the shipped registry.

    Returns
    -------
    pandas.DataFrame
        One row per (partnership, region): ``partnership_id, geo, region_name,
        country, nuts_level, role, confidence, source_url, notes, member_list``;
        with a level also ``listed_geo`` (the listed code(s), comma-separated),
        ``listed_name`` (the names as the sources write them), ``mapping``
        (``as_listed | parent | expanded``; for merged rows the most direct one)
        and ``n_listed``. With a level, ``region_name`` is the official NUTS name
        of ``geo``. Sorted by partnership, role (leads first) and geo.

    Raises
    ------
    MembershipError
        Unknown partnership id, or an invalid ``registry``.
    SchemaError
        Bad ``level``, ``min_confidence`` or ``roles``.

    Examples
    --------
    >>> import regiongap as rg
    >>> rg.members("social_economy")[["geo", "region_name", "role"]]  # doctest: +SKIP
    """
    _check_level(level)
    _check_confidence(min_confidence)
    wanted_roles = _check_roles(roles)
    rows = _registry(registry)
    ids = _resolve_ids(partnership, _known_ids(registry, rows))
    if ids is not None:
        rows = rows[rows["partnership_id"].isin(ids)]
    keep = rows["confidence"].map(CONFIDENCE_RANK) <= CONFIDENCE_RANK[min_confidence]
    rows = rows[keep]
    if level is not None:
        rows = to_level(rows, level)
    if wanted_roles is not None:
        rows = rows[rows["role"].isin(wanted_roles)]
    order = rows.assign(_role=rows["role"].map(ROLE_RANK))
    order = order.sort_values(["partnership_id", "_role", "geo"], kind="stable")
    return order.drop(columns="_role").reset_index(drop=True)


def _known_ids(registry: pd.DataFrame | None, rows: pd.DataFrame) -> list[str]:
    if registry is None:
        return list(_load_registry(None)[0]["partnership_id"])
    return list(rows["partnership_id"].unique())


def membership_matrix(
    level: int = 2,
    value: str = "member",
    partnerships: str | Iterable[str] | None = None,
    complete_only: bool = False,
    *,
    min_confidence: str = "low",
    roles: str | Iterable[str] | None = None,
    all_regions: bool = False,
    registry: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Region × partnership table of membership, for joins and group comparisons.

    A region in several partnerships is **one row** with a 1 (or a role) in each
    of their columns; nothing is duplicated, so ``matrix.sum(axis=1)`` counts a
    region's partnerships and ``matrix.sum()`` counts each partnership's regions.
    To compare one partnership's members with non-members use
    :func:`membership_groups`, which also checks the list is complete.

    Parameters
    ----------
    level : {0, 1, 2, 3}, default 2
        NUTS level of the rows (members are mapped as in :func:`members`).
    value : {"member", "role"}, default "member"
        ``"member"``: int64 0/1. ``"role"``: the region's role (string), ``<NA>``
        where it is not a member.
    partnerships : str or list of str, optional
        Columns to include (default: all partnerships in the registry, including
        those with no member rows, which are all-zero columns).
    complete_only : bool, default False
        Keep only partnerships whose member list is complete. With explicit
        ``partnerships``, an incomplete one raises :class:`MembershipError`.
    min_confidence : {"low", "medium", "high"}, default "low"
        As in :func:`members`.
    roles : str or list of str, optional
        As in :func:`members` (e.g. ``["lead", "co-lead"]`` for a leads matrix).
    all_regions : bool, default False
        ``False``: rows are the regions in at least one selected partnership.
        ``True``: every NUTS 2021 region of the level (extra-regio excluded),
        non-members all zero — ready to join onto an indicator panel.
    registry : pandas.DataFrame, optional
        A membership table of your own (:func:`read_membership`).

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
    """
    _check_level(level, allow_none=False)
    if value not in ("member", "role"):
        msg = f"value={value!r} is not 'member' (0/1) or 'role'"
        raise SchemaError(msg)
    table = _summary(registry)
    kinds = table.set_index("partnership_id")["member_list"]
    ids = _resolve_ids(partnerships, kinds.index)
    if ids is None:
        ids = list(kinds.index)
        if complete_only:
            ids = [pid for pid in ids if kinds[pid] == COMPLETE]
    elif complete_only:
        _require_complete(
            ids, kinds, table, action="complete_only=True", user=registry is not None
        )
    rows = members(
        ids, level=level, min_confidence=min_confidence, roles=roles, registry=registry
    )
    if value == "member":
        matrix = pd.crosstab(rows["geo"], rows["partnership_id"]).clip(upper=1)
        matrix = matrix.reindex(columns=ids, fill_value=0).astype("int64")
    else:
        matrix = rows.pivot(index="geo", columns="partnership_id", values="role")
        matrix = matrix.reindex(columns=ids).astype("string")
    if all_regions:
        from regiongap.geo import codes as nuts

        universe = _universe("all", level, nuts)
        matrix = matrix.reindex(sorted(set(universe) | set(matrix.index)))
        if value == "member":
            matrix = matrix.fillna(0).astype("int64")
    matrix = matrix.sort_index()
    matrix.index.name = "geo"
    matrix.columns.name = "partnership_id"
    matrix.attrs["member_list"] = {pid: str(kinds[pid]) for pid in ids}
    return matrix


def _require_complete(
    ids: list[str],
    kinds: pd.Series,
    table: pd.DataFrame,
    *,
    action: str,
    user: bool = False,
) -> None:
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
    universe: str | Iterable[str], level: int, nuts: types.ModuleType
) -> list[str]:
    if isinstance(universe, str):
        if universe not in ("eu27", "all"):
            msg = f"universe={universe!r} is not 'eu27', 'all' or a list of NUTS codes"
            raise SchemaError(msg)
        codes = nuts.nuts_codes(year=NUTS_YEAR, level=level)["geo"]
        codes = [c for c in codes if not nuts.is_extra_regio(c)]
        if universe == "eu27":
            codes = [c for c in codes if c[:2] in nuts.EU27_COUNTRIES]
        return sorted(codes)
    codes = list(dict.fromkeys(universe))
    lookup = nuts.nuts_codes(year=NUTS_YEAR, level=level)
    bad = sorted(set(codes) - set(lookup["geo"]))
    if bad:
        msg = f"universe has codes that are not NUTS {NUTS_YEAR} level {level}: {bad}"
        raise SchemaError(msg)
    return codes


def membership_groups(
    partnership: str | Iterable[str],
    level: int = 2,
    *,
    complete_only: bool = True,
    universe: str | Iterable[str] = "eu27",
    min_confidence: str = "low",
    registry: pd.DataFrame | None = None,
) -> pd.Series:
    """Split regions into ``"member"`` / ``"non-member"`` of a partnership.

    The result is a grouping for group decompositions (e.g. a Theil between/within
    split) and members-versus-non-members comparisons. Such a comparison is only
    sound when the member list is complete, so by default a partnership whose
    list is not ``"complete"`` raises :class:`MembershipError` saying so; with
    ``complete_only=False`` it proceeds and emits a
    :class:`~regiongap.errors.DataQualityWarning`.

    Parameters
    ----------
    partnership : str or list of str
        One id, or several: a region is a member if it belongs to any of them.
    level : {0, 1, 2, 3}, default 2
        NUTS level of the regions (members mapped as in :func:`members`).
    complete_only : bool, default True
        Refuse partnerships whose member list is not complete.
    universe : {"eu27", "all"} or list of str, default "eu27"
        Regions to classify: the EU27 regions of the level, every NUTS 2021
        region of the level (extra-regio excluded), or your own codes. Members
        outside it (e.g. UK regions with ``"eu27"``) are left out with a
        :class:`~regiongap.errors.DataQualityWarning` naming them.
    min_confidence : {"low", "medium", "high"}, default "low"
        As in :func:`members`.
    registry : pandas.DataFrame, optional
        A membership table of your own (:func:`read_membership`).

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

    Examples
    --------
    >>> import regiongap as rg
    >>> groups = rg.membership_groups("social_economy")             # doctest: +SKIP
    >>> groups.value_counts()                                       # doctest: +SKIP
    """
    from regiongap.geo import codes as nuts

    _check_level(level, allow_none=False)
    table = _summary(registry)
    kinds = table.set_index("partnership_id")["member_list"]
    notes = table.set_index("partnership_id")["completeness"]
    ids = _resolve_ids(partnership, kinds.index)
    if not ids:
        msg = "membership_groups needs a partnership id (or a non-empty list of ids)"
        raise SchemaError(msg)
    if complete_only:
        _require_complete(
            ids, kinds, table, action="membership_groups", user=registry is not None
        )
    else:
        incomplete = [pid for pid in ids if kinds[pid] != COMPLETE]
        if incomplete:
            detail = "; ".join(f"{pid!r}: {notes[pid]}" for pid in incomplete)
            msg = (
                f"member list not complete ({detail}): some regions grouped as "
                "'non-member' may be unlisted members, so members-versus-non-members "
                "comparisons are biased"
            )
            warnings.warn(msg, DataQualityWarning, stacklevel=2)
    rows = members(ids, level=level, min_confidence=min_confidence, registry=registry)
    regions = _universe(universe, level, nuts)
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
