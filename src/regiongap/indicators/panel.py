"""The regional panel: one row per region, one column per indicator, honest years.

:func:`panel` lines catalogue indicators up region by region for one reference year.
Every value comes with the year it is from (``{id}__year``) and its Eurostat flag
(``{id}__flag``); a value from another year than the one asked for is never used
without a :class:`~regiongap.errors.DataQualityWarning` saying which indicators and
how many regions. :func:`coverage` says, per indicator and year, how many EU-27
regions have a value, how many of those values are flagged, and which indicators
cannot be loaded from the current sources at all — so reports show gaps instead of
failing.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import EU27_COUNTRIES, nuts_codes
from regiongap.indicators._entries import check_years, entries, entry
from regiongap.indicators.fetch import fetch_entries
from regiongap.membership.groups import membership_matrix
from regiongap.schema import FLAG, GEO, REGION_NAME, TIME, VALUE, check_level

__all__ = ["COVERAGE_COLUMNS", "coverage", "panel"]

#: The NUTS version every panel and coverage table is indexed by.
NUTS_YEAR = 2021
_POLICIES = ("exact", "latest")
_ERRORS = ("warn", "raise")

#: Columns of :func:`coverage`, in order.
COVERAGE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "pillar",
    "year",
    "n_regions",
    "n_with_value",
    "share_with_value",
    "n_flagged",
    "share_flagged",
    "status",
    "reason",
)


# ------------------------------------------------------------------------ helpers


def _check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        msg = f"{name}={value!r} is not one of {list(allowed)}"
        raise SchemaError(msg)
    return value


def _check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"{name} must be an int, got {value!r}"
        raise SchemaError(msg)
    if minimum is not None and value < minimum:
        msg = f"{name} must be ≥ {minimum}, got {value!r}"
        raise SchemaError(msg)
    return int(value)


def _resolve_ids(ids: str | Iterable[str] | None, level: int) -> list[str]:
    """Catalogue ids to use: all of *level* by default; explicit ids are checked."""
    if ids is None:
        return [i for i, e in entries().items() if level in e.levels]
    wanted = [ids] if isinstance(ids, str) else list(ids)
    if not wanted:
        msg = "ids is empty; pass None for every indicator of the level"
        raise SchemaError(msg)
    out: list[str] = []
    for indicator in wanted:
        item = entry(indicator)
        if level not in item.levels:
            msg = (
                f"indicator {indicator!r} exists at NUTS levels {list(item.levels)}, "
                f"not at level {level}"
            )
            raise SchemaError(msg)
        if indicator not in out:
            out.append(indicator)
    return out


def _regions(level: int, eu27_only: bool) -> pd.DataFrame:
    """Return the NUTS 2021 regions of *level* (EU-27 by default; no extra-regio)."""
    countries = "EU27" if eu27_only else None
    table = nuts_codes(NUTS_YEAR, level, countries=countries)
    return table[[GEO, REGION_NAME, "country"]].reset_index(drop=True)


def _same_scope(codes: pd.Series, eu27_only: bool) -> set[str]:
    """Codes in the panel's scope: EU-27 ones when *eu27_only*, else all."""
    if not eu27_only:
        return set(codes)
    return {c for c in set(codes) if c[:2] in EU27_COUNTRIES}


# -------------------------------------------------------------------------- panel


def _pick(frame: pd.DataFrame, regions: pd.Index) -> pd.DataFrame:
    """Return per region the latest non-missing value of *frame* (years pre-limited)."""
    have = frame.loc[frame[GEO].isin(regions) & frame[VALUE].notna()]
    have = have.sort_values([GEO, TIME], kind="stable")
    latest = have.drop_duplicates(GEO, keep="last").set_index(GEO)
    return latest[[TIME, VALUE, FLAG]]


def _indicator_columns(
    columns: dict[str, Any],
    frames: Mapping[str, pd.DataFrame],
    index: pd.Index,
    year: int,
    eu27_only: bool,
) -> dict[str, dict[str, Any]]:
    """Add the three columns of each loaded indicator; return what each one used."""
    info: dict[str, dict[str, Any]] = {}
    for indicator, frame in frames.items():
        picked = _pick(frame, index).reindex(index)
        columns[indicator] = picked[VALUE].to_numpy(dtype="float64")
        columns[f"{indicator}__year"] = picked[TIME].astype("Int64").array
        columns[f"{indicator}__flag"] = picked[FLAG].astype("string").array
        used = picked[TIME].dropna().astype(int)
        with_value = frame.loc[frame[VALUE].notna(), GEO]
        outside = _same_scope(with_value, eu27_only) - set(index)
        item = entries()[indicator]
        info[indicator] = {
            "years": sorted({int(y) for y in used}),
            "n_regions": int(used.size),
            "n_other_year": int((used != year).sum()),
            "unit": item.unit,
            "dataset": str(frame["dataset"].iloc[0]) if len(frame) else item.dataset,
            "not_in_index": sorted(outside),
        }
    return info


def _add_membership(out: pd.DataFrame, level: int) -> dict[str, str]:
    """Add ``member__{id}`` columns (int 0/1); return each list's completeness."""
    matrix = membership_matrix(level=level)
    member_list = dict(matrix.attrs.get("member_list", {}))
    matrix = matrix.reindex(out.index, fill_value=0).astype("int64")
    for pid in matrix.columns:
        out[f"member__{pid}"] = matrix[pid].to_numpy()
    return member_list


def panel(
    ids: str | Iterable[str] | None = None,
    level: int = 2,
    year: int = 2021,
    policy: Literal["latest", "exact"] = "latest",
    window: int = 3,
    *,
    with_names: bool = False,
    with_country: bool = False,
    with_membership: bool = False,
    eu27_only: bool = True,
    errors: Literal["warn", "raise"] = "warn",
    mirror: str | Path | None = None,
    offline: bool | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Line indicators up region by region.

    Parameters
    ----------
    ids : str or iterable of str, optional
        Catalogue ids (default: every indicator that exists at *level*).
    level : {0, 1, 2, 3}, default 2
        NUTS level of the rows.
    year : int, default 2021
        Reference year.
    policy : {"latest", "exact"}, default "latest"
        ``"exact"``: only values of *year*. ``"latest"``: per region, the latest
        year with a value in ``[year - window, year]``.
    window : int, default 3
        How many years before *year* ``"latest"`` may reach back (ignored by
        ``"exact"``).
    with_names : bool, default False
        Add the region's Latin name as ``region_name`` (NUTS 2021 workbook).
    with_country : bool, default False
        Add the region's ``country`` code.
    with_membership : bool, default False
        Add ``member__{partnership_id}`` (int 0/1) for every S3 partnership of the
        registry (:func:`regiongap.membership_matrix`); ``attrs["panel"]
        ["member_list"]`` says which member lists are complete — a 0 in a partial
        list means "not known to be a member", not "not a member".
    eu27_only : bool, default True
        Rows are the EU-27 regions of NUTS 2021; ``False`` adds the other countries
        of the NUTS 2021 workbook (UK, EFTA, candidates).
    errors : {"warn", "raise"}, default "warn"
        What to do with an indicator that cannot be loaded (source missing, offline,
        a filter the source does not match): skip it with a DataQualityWarning, or
        raise.
    mirror : str or Path, optional
        Mirror folder, passed to :func:`regiongap.fetch_dataset`.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Download again even if cached.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` — every region of the level, in the workbook's order; a region
        without data stays, with NaN. First the optional ``region_name`` and
        ``country`` columns, then per indicator three columns: ``{id}``
        (float64), ``{id}__year`` (Int64) and ``{id}__flag`` (string), then the
        optional ``member__…`` columns. ``attrs["panel"]`` records ``policy``,
        ``year``, ``window``, ``level``, ``nuts_year``, per indicator ``years``
        (the set of years used), ``n_regions`` (with a value), ``n_other_year``,
        ``unit``, ``dataset`` and ``not_in_index`` (codes with values that are not
        rows, e.g. of another NUTS version), and ``unavailable`` ({id: reason}).

    Raises
    ------
    SchemaError
        Bad arguments, an unknown id, or an id that does not exist at *level*.
    RegiongapError
        With ``errors="raise"``, whatever stopped an indicator from loading.

    Warns
    -----
    DataQualityWarning
        When values come from other years than *year* (which indicators, how many
        regions, which years), when an indicator has no value at all in the years
        asked for (its columns are empty), and when indicators were skipped as
        unavailable.

    Examples
    --------
    With ``REGIONGAP_MIRROR`` pointing at the shared data folder:

    >>> import regiongap as rg
    >>> p = rg.panel(
    ...     ["gdp_pps_per_inhabitant", "population"],
    ...     year=2019,
    ...     policy="exact",
    ...     with_names=True,
    ... )
    >>> p.loc[["AT13", "ES22"], ["region_name", "gdp_pps_per_inhabitant", "population"]]
                         region_name  gdp_pps_per_inhabitant  population
    geo
    AT13                        Wien                 46100.0   1897491.0
    ES22  Comunidad Foral de Navarra                 34400.0    649946.0
    >>> info = p.attrs["panel"]["indicators"]["population"]
    >>> info["years"], info["n_regions"], len(p)
    ([2019], 239, 242)

    With ``policy="latest"``, a region without a 2020 value takes its 2019 one, and
    the panel says so:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     q = rg.panel("household_primary_income_per_inhabitant", year=2020, window=1)
    >>> print(caught[0].message)
    panel for 2020 uses values from other years (see the __year columns and
    attrs['panel']): household_primary_income_per_inhabitant: 190 of 238 regions
    from [2019]
    """
    lv = check_level(level)
    yr = _check_int("year", year)
    pol = _check_choice("policy", policy, _POLICIES)
    win = _check_int("window", window, minimum=0)
    _check_choice("errors", errors, _ERRORS)
    wanted = _resolve_ids(ids, lv)
    regions = _regions(lv, eu27_only)
    index = pd.Index(regions[GEO], name=GEO)
    years = frozenset([yr]) if pol == "exact" else frozenset(range(yr - win, yr + 1))
    frames, unavailable = fetch_entries(
        wanted,
        lv,
        years,
        raise_errors=errors == "raise",
        mirror=mirror,
        offline=offline,
        refresh=refresh,
    )
    columns: dict[str, Any] = {}
    if with_names:
        columns[REGION_NAME] = regions[REGION_NAME].astype("string").array
    if with_country:
        columns["country"] = regions["country"].astype("string").array
    info = _indicator_columns(columns, frames, index, yr, eu27_only)
    out = pd.DataFrame(columns, index=index)
    member_list = _add_membership(out, lv) if with_membership else {}
    out.attrs["panel"] = {
        "policy": pol,
        "year": yr,
        "window": win if pol == "latest" else 0,
        "level": lv,
        "nuts_year": NUTS_YEAR,
        "eu27_only": bool(eu27_only),
        "indicators": info,
        "unavailable": unavailable,
        "member_list": member_list,
    }
    _warn(info, unavailable, yr, sorted(years))
    return out


def _warn(
    info: dict[str, dict[str, Any]],
    unavailable: dict[str, str],
    year: int,
    years: list[int],
) -> None:
    empty = [i for i, d in info.items() if d["n_regions"] == 0]
    if empty:
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        msg = (
            f"no region has a value in {span} for {len(empty)} indicator(s), whose "
            f"columns are empty: {', '.join(empty)} (fetch_indicator(id) shows the "
            "years each one covers)"
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=3)
    mixed = [
        f"{i}: {d['n_other_year']} of {d['n_regions']} regions from "
        f"{[y for y in d['years'] if y != year]}"
        for i, d in info.items()
        if d["n_other_year"]
    ]
    if mixed:
        msg = (
            f"panel for {year} uses values from other years (see the __year "
            "columns and attrs['panel']): " + "; ".join(mixed)
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=3)
    if unavailable:
        lines = "; ".join(
            f"{i} ({reason.splitlines()[0][:200]})" for i, reason in unavailable.items()
        )
        msg = (
            f"{len(unavailable)} indicator(s) could not be loaded and were skipped "
            f"(attrs['panel']['unavailable'] has the reasons): {lines}"
        )
        warnings.warn(msg, DataQualityWarning, stacklevel=3)


# ----------------------------------------------------------------------- coverage


def _coverage_rows(
    frame: pd.DataFrame,
    base: dict[str, Any],
    years: frozenset[int] | None,
    level: int,
) -> list[dict[str, Any]]:
    """Rows of :func:`coverage` for one loaded indicator (*frame*: its regions)."""
    n_regions = base["n_regions"]
    report_years = sorted(years) if years is not None else sorted(set(frame[TIME]))
    if not report_years:
        reason = f"no values for these NUTS {level} regions in the source"
        return [{**base, "status": "empty", "reason": reason}]
    valued = frame.loc[frame[VALUE].notna()]
    n_value = valued.groupby(TIME)[GEO].nunique()
    n_flag = valued.loc[valued[FLAG].notna()].groupby(TIME)[GEO].nunique()
    rows = []
    for y in report_years:
        nv = int(n_value.get(y, 0))
        nf = int(n_flag.get(y, 0))
        rows.append(
            {
                **base,
                "year": y,
                "n_with_value": nv,
                "share_with_value": nv / n_regions if n_regions else np.nan,
                "n_flagged": nf,
                "share_flagged": nf / nv if nv else np.nan,
                "status": "ok",
                "reason": pd.NA,
            }
        )
    return rows


def coverage(
    ids: str | Iterable[str] | None = None,
    level: int = 2,
    years: int | range | Iterable[int] | None = None,
    *,
    eu27_only: bool = True,
    mirror: str | Path | None = None,
    offline: bool | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """How complete each indicator is, per year, over the regions of one level.

    Parameters
    ----------
    ids : str or iterable of str, optional
        Catalogue ids (default: every indicator that exists at *level*).
    level : {0, 1, 2, 3}, default 2
        NUTS level.
    years : int, range or iterable of int, optional
        Years to report (every one of them gets a row); default: the years the
        source has for these regions.
    eu27_only : bool, default True
        Count over the EU-27 regions of NUTS 2021 (else every NUTS 2021 region of
        the level).
    mirror : str or Path, optional
        Mirror folder, passed to :func:`regiongap.fetch_dataset`.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Download again even if cached.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COVERAGE_COLUMNS`. For a loadable indicator one row per
        year, ``status="ok"``: ``n_regions`` (regions of the level),
        ``n_with_value`` (of them, with a non-missing value that year),
        ``share_with_value = n_with_value / n_regions``, ``n_flagged`` (of the
        values, those with a Eurostat flag) and ``share_flagged = n_flagged /
        n_with_value`` (NaN when there is no value). An indicator with no value for
        these regions in any year gets one row ``status="empty"``; one that cannot
        be loaded gets one row ``status="unavailable"`` with the ``reason``. Values
        for codes that are not NUTS 2021 regions of the level are not counted.

    Raises
    ------
    SchemaError
        Bad arguments, an unknown id, or an id that does not exist at *level*.

    Examples
    --------
    With ``REGIONGAP_MIRROR`` pointing at the shared data folder and the network
    off, R&D expenditure (``rd_e_gerdreg``, not in the mirror) is unavailable:

    >>> import regiongap as rg
    >>> cov = rg.coverage(["population", "rd_expenditure_pct_gdp"], years=[2019, 2020])
    >>> columns = ["indicator", "year", "n_with_value", "share_with_value", "status"]
    >>> cov[columns].round(3)
                    indicator  year  n_with_value  share_with_value       status
    0              population  2019           239             0.988           ok
    1              population  2020           239             0.988           ok
    2  rd_expenditure_pct_gdp  <NA>          <NA>               NaN  unavailable
    >>> cov["reason"].iloc[2]
    "DatasetNotFoundError: Eurostat dataset 'rd_e_gerdreg' is not in the mirror ..."
    """
    lv = check_level(level)
    yrs = check_years(years)
    wanted = _resolve_ids(ids, lv)
    regions = _regions(lv, eu27_only)
    n_regions = len(regions)
    frames, unavailable = fetch_entries(
        wanted,
        lv,
        yrs,
        raise_errors=False,
        mirror=mirror,
        offline=offline,
        refresh=refresh,
    )
    rows: list[dict[str, Any]] = []
    for indicator in wanted:
        pillar = entries()[indicator].pillar
        base = {"indicator": indicator, "pillar": pillar, "n_regions": n_regions}
        if indicator in unavailable:
            reason = unavailable[indicator]
            rows.append({**base, "status": "unavailable", "reason": reason})
            continue
        frame = frames[indicator]
        frame = frame.loc[frame[GEO].isin(regions[GEO])]
        rows.extend(_coverage_rows(frame, base, yrs, lv))
    out = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
    return out.astype(
        {
            "indicator": "string",
            "pillar": "string",
            "year": "Int64",
            "n_regions": "Int64",
            "n_with_value": "Int64",
            "share_with_value": "float64",
            "n_flagged": "Int64",
            "share_flagged": "float64",
            "status": "string",
            "reason": "string",
        }
    )
