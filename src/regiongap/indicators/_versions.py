"""A panel's NUTS version: which one the data fits, and every source recoded to it.

Eurostat's tables mix NUTS versions (NUTS 2021 codes for older years, NUTS 2024
codes for recent ones, older codes kept for history). :func:`choose_nuts_year`
picks the version of a panel when the caller does not: the newest current
version (NUTS 2021 or 2024) whose codes the values in use carry most;
:func:`recode_frames` recodes each indicator's values to the panel's version
with :func:`regiongap.recode_nuts` and counts, per indicator, the codes that were
recoded, merged, lost to a boundary change or left unknown.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo.lists import nuts_codes
from regiongap.geo.versions import recode_nuts
from regiongap.schema import GEO, INDICATOR, NUTS_YEARS, VALUE

__all__ = ["CURRENT_VERSIONS", "RECODE_COUNTS", "choose_nuts_year", "recode_frames"]

#: The NUTS versions a panel defaults to (the older ones are recoded forward).
CURRENT_VERSIONS: tuple[int, ...] = tuple(y for y in (2021, 2024) if y in NUTS_YEARS)
_REGION = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
#: What :func:`recode_frames` counts per indicator (distinct codes with a value).
RECODE_COUNTS: tuple[str, ...] = ("unchanged", "recoded", "merged", "lost", "unknown")
# recode_nuts' nuts_change values behind each count
_KIND = {
    "unchanged": "unchanged",
    "recoded": "recoded",
    "merged": "merged",
    "split": "lost",
    "boundary_shift": "lost",
    "boundary_changed": "lost",
    "discontinued": "lost",
    "unknown": "unknown",
}


def _codes_with_values(frames: Mapping[str, pd.DataFrame], level: int) -> set[str]:
    """``indicator|code`` of every code with a value at *level*, per indicator."""
    pairs: set[str] = set()
    for indicator, frame in frames.items():
        valued = frame.loc[frame[VALUE].notna(), GEO].astype(str)
        valued = valued[valued.str.len() == 2 + level]
        pairs.update(f"{indicator}|{code}" for code in set(valued))
    return pairs


def choose_nuts_year(
    frames: Mapping[str, pd.DataFrame], level: int, countries: Iterable[str]
) -> tuple[int, str]:
    """Return the NUTS version a panel should use, and why (one sentence).

    Parameters
    ----------
    frames : mapping of str to pandas.DataFrame
        The indicators' values (years already limited to the panel's).
    level : int
        The panel's NUTS level.
    countries : iterable of str
        The panel's countries.

    Returns
    -------
    nuts_year : int
        Of :data:`CURRENT_VERSIONS`, the one whose codes carry most of the
        values: counted once per indicator and code with a value at *level*. A
        newer version must carry strictly more; on a tie (the codes do not tell
        the versions apart), NUTS 2021, the version of every data year before
        2024.
    reason : str
        The counts behind the choice.

    Examples
    --------
    >>> old = pd.DataFrame({"geo": ["PT16", "PT17", "AT11"], "value": 1.0})
    >>> new = pd.DataFrame({"geo": ["PT19", "PT1A", "PT1B", "AT11"], "value": 1.0})
    >>> choose_nuts_year({"a": old, "b": old, "c": new}, 2, ["AT", "PT"])
    (2021, 'NUTS 2021: of the 10 indicator values by code at NUTS 2, 7 are in NUTS 2021 codes (NUTS 2024: 6); pass nuts_year= to choose another version')
    """  # noqa: E501  (a doctest's expected output is one line)
    keep = set(countries)
    pairs = [
        p.split("|", 1)[1]
        for p in _codes_with_values(frames, level)
        if p.split("|", 1)[1][:2] in keep
    ]
    counts = {}
    for year in CURRENT_VERSIONS:
        valid = set(nuts_codes(year, level)[GEO])
        counts[year] = sum(code in valid for code in pairs)
    chosen = CURRENT_VERSIONS[0]
    for year in CURRENT_VERSIONS[1:]:  # a newer version must fit strictly more
        if counts[year] > counts[chosen]:
            chosen = year
    others = ", ".join(f"NUTS {y}: {n}" for y, n in counts.items() if y != chosen)
    reason = (
        f"NUTS {chosen}: of the {len(pairs)} indicator values by code at NUTS "
        f"{level}, {counts[chosen]} are in NUTS {chosen} codes ({others}); pass "
        "nuts_year= to choose another version"
    )
    return chosen, reason


def _counts(recoded: pd.DataFrame, countries: Collection[str] | None) -> dict[str, Any]:
    """Distinct codes per kind of change, and the codes not kept (in *countries*)."""
    pairs = set(
        zip(
            recoded["geo_original"].to_numpy(dtype=object),
            recoded["nuts_change"].to_numpy(dtype=object),
            strict=True,
        )
    )
    keep = set(countries) if countries is not None else None
    kinds: dict[str, set[str]] = {kind: set() for kind in RECODE_COUNTS}
    for code, change in pairs:
        if isinstance(code, str) and (keep is None or code[:2] in keep):
            kinds[_KIND.get(str(change), "unknown")].add(code)
    out: dict[str, Any] = {kind: len(kinds[kind]) for kind in RECODE_COUNTS}
    out["codes_not_kept"] = sorted(kinds["lost"] | kinds["unknown"])
    return out


def recode_frames(
    frames: dict[str, pd.DataFrame],
    nuts_year: int,
    countries: Collection[str] | None = None,
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Recode every indicator frame to NUTS *nuts_year*, in place.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        ``{id: indicator long frame}``; each frame is replaced by its recoded
        copy, whose ``attrs`` are only ``{"nuts_year": nuts_year}`` (pandas
        copies attributes with every operation: keep them apart).
    nuts_year : int
        The target version.
    countries : collection of str, optional
        Keep and count the codes of these countries only (default: all).

    Returns
    -------
    counts : dict of str to dict
        Per indicator, the distinct codes (with a row) ``unchanged``,
        ``recoded``, ``merged``, ``lost`` (boundary change, split,
        discontinued: the value is not carried over) and ``unknown``, and
        ``codes_not_kept``.
    messages : list of str
        What :func:`regiongap.recode_nuts` warned about.

    Examples
    --------
    >>> frame = pd.DataFrame({"indicator": "x", "geo": ["HR04", "AT11"],
    ...                       "time": 2019, "value": [1.0, 2.0]})
    >>> frames = {"x": frame}
    >>> counts, _ = recode_frames(frames, 2021)
    >>> counts["x"]["lost"], counts["x"]["unchanged"], frames["x"].attrs["nuts_year"]
    (1, 1, 2021)
    """
    kept: dict[str, pd.DataFrame] = {}
    others: dict[str, pd.DataFrame] = {}
    for indicator, frame in frames.items():
        if countries is not None:  # rows outside the panel's countries: no row
            frame = frame.loc[frame[GEO].astype(str).str[:2].isin(countries)]
        kept[indicator], others[indicator] = _split(frame, nuts_year)
    rest, messages = _recode_rest(others, nuts_year)
    counts: dict[str, dict[str, Any]] = {}
    for indicator in frames:
        recoded = pd.concat([kept[indicator], rest[indicator]], ignore_index=True)
        counts[indicator] = _counts(recoded, countries)
        out = _keep_target_rows(recoded)
        out.attrs = {"nuts_year": nuts_year}
        frames[indicator] = out
    return counts, messages


@functools.lru_cache(maxsize=8)
def _valid_codes(nuts_year: int) -> frozenset[str]:
    return frozenset(nuts_codes(nuts_year)[GEO])


def _split(frame: pd.DataFrame, nuts_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows that keep their code (marked unchanged), and the rows to recode.

    A code of the target version keeps its value whatever version the row is
    from: Eurostat gives a region a new code when its territory changes (the
    minor shifts it makes without a new code keep their value in
    :func:`regiongap.recode_nuts` too), so only the other rows go through the
    correspondence, which is where the time goes.
    """
    valid = _valid_codes(nuts_year)
    codes = frame[GEO].to_numpy(dtype=object)
    stays = {c: c in valid or not _REGION.fullmatch(str(c)) for c in set(codes)}
    keep = np.array([stays[c] for c in codes], dtype=bool)
    kept = frame.loc[keep].assign(geo_original=codes[keep], nuts_change="unchanged")
    return kept, frame.loc[~keep]


def _recode_rest(
    others: dict[str, pd.DataFrame], nuts_year: int
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Recode the rows of every indicator in one call.

    Each indicator is recoded apart when their codes, taken together, fit no
    single version in a country and year.
    """
    empty = {
        i: f.assign(geo_original=f[GEO], nuts_change="") for i, f in others.items()
    }
    stacked = [f for f in others.values() if len(f)]
    if not stacked:
        return empty, []
    try:
        together, messages = _recode_rows(
            pd.concat(stacked, ignore_index=True), nuts_year
        )
    except SchemaError:
        out, messages = dict(empty), []
        for indicator, frame in others.items():
            if len(frame):
                out[indicator], caught = _recode_one(frame, nuts_year)
                messages.extend(f"{indicator}: {m}" for m in caught)
        return out, messages
    parts = dict(tuple(together.groupby(INDICATOR, sort=False)))
    return {i: parts.get(i, empty[i]) for i in others}, messages


def _recode_one(frame: pd.DataFrame, nuts_year: int) -> tuple[pd.DataFrame, list[str]]:
    """Recode one indicator's rows; codes of no single version are not kept."""
    try:
        return _recode_rows(frame, nuts_year)
    except SchemaError as exc:
        rows = frame.assign(geo_original=frame[GEO], nuts_change="unknown")
        return rows, [str(exc)]


def _recode_rows(frame: pd.DataFrame, nuts_year: int) -> tuple[pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rest = recode_nuts(frame, to_nuts_year=nuts_year, value=VALUE)
    rest = rest.drop(columns=["nuts_note"]).astype({"nuts_change": str})
    rest.attrs = {}
    return rest, [str(w.message) for w in caught]


def _keep_target_rows(recoded: pd.DataFrame) -> pd.DataFrame:
    """One row per key: a target-version row with a value wins over a recoded one."""
    out = recoded.assign(
        _rank=recoded[VALUE].isna() * 2 + (recoded["nuts_change"] != "unchanged")
    )
    key = [c for c in ("indicator", GEO, "time") if c in out.columns]
    out = out.sort_values("_rank", kind="stable").drop_duplicates(key, keep="first")
    out = out.sort_index(kind="stable")
    return out.drop(columns=["_rank", "geo_original", "nuts_change"]).reset_index(
        drop=True
    )
