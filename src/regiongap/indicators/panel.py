"""The regional panel: one row per region, one column per indicator, honest years.

:func:`panel` lines catalogue indicators up region by region for one reference year.
Every value comes with the year it is from (``{id}__year``) and its Eurostat flag
(``{id}__flag``); a value from another year than the one asked for is never used
without a :class:`~regiongap.errors.DataQualityWarning` saying which indicators and
how many regions. With ``fill_from_parent=True`` a region whose country publishes
an indicator only at a higher level takes its NUTS 1 (else national) value, marked
in ``{id}__source_level`` and ``{id}__from_parent``. Every source is recoded to the
panel's NUTS version first (:func:`regiongap.recode_nuts`), and the panel says what
that changed. :func:`regiongap.coverage` says how complete each indicator is, and
why.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from regiongap.errors import DataQualityWarning
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.indicators._entries import entries
from regiongap.indicators._memo import PanelKey, remember, remembered
from regiongap.indicators._pick import pick
from regiongap.indicators._scope import (
    check_choice,
    check_int,
    regions,
    resolve_ids,
    same_scope,
)
from regiongap.indicators._sources import Sources
from regiongap.indicators._versions import choose_nuts_year, recode_frames
from regiongap.indicators.fetch import fetch_entries
from regiongap.membership.groups import membership_matrix
from regiongap.schema import GEO, REGION_NAME, VALUE, check_level, check_nuts_year

__all__ = ["panel"]

_POLICIES = ("exact", "latest")
_ERRORS = ("warn", "raise")


# ------------------------------------------------------------------------ columns


def _indicator_columns(
    columns: dict[str, Any],
    frames: Mapping[str, pd.DataFrame],
    meta: Mapping[str, Mapping[Any, Any]],
    index: pd.Index,
    options: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """Add the columns of each loaded indicator; return what each one used."""
    info: dict[str, dict[str, Any]] = {}
    fill = options["fill_from_parent"]
    for indicator, frame in frames.items():
        picked, parents = pick(
            frame,
            index,
            options["level"],
            fill_from_parent=fill,
            nuts_year=options["nuts_year"],
        )
        columns[indicator] = picked[VALUE].to_numpy(dtype="float64")
        columns[f"{indicator}__year"] = picked["time"].array
        columns[f"{indicator}__flag"] = picked["flag"].array
        if fill:
            columns[f"{indicator}__source_level"] = picked["source_level"].array
            from_parent = picked["source_level"] < options["level"]
            columns[f"{indicator}__from_parent"] = from_parent.fillna(False).array
        used = picked["time"].dropna().astype(int)
        item = entries()[indicator]
        info[indicator] = {
            "years": sorted({int(y) for y in used}),
            "n_regions": int(used.size),
            "n_other_year": int((used != options["year"]).sum()),
            "unit": item.unit,
            "dataset": str(frame["dataset"].iloc[0]) if len(frame) else item.dataset,
            "dataset_used": meta[indicator].get("dataset", item.dataset),
            "skipped_sources": dict(meta[indicator].get("skipped_sources", {})),
            "comparability": item.comparability,
            "n_from_parent": int(sum(parents["from_parent"].values())),
            "from_parent": parents["from_parent"],
            "parent_countries": parents["parent_countries"],
        }
    return info


def _not_in_index(
    original: Mapping[str, pd.DataFrame],
    index: pd.Index,
    level: int,
    eu27_only: bool,
) -> dict[str, list[str]]:
    """Codes of the level with a value (as published) that are no row of the panel."""
    out = {}
    for indicator, frame in original.items():
        with_value = frame.loc[frame[VALUE].notna(), GEO].astype(str)
        with_value = with_value[with_value.str.len() == 2 + level]
        out[indicator] = sorted(same_scope(with_value, eu27_only) - set(index))
    return out


def _add_membership(out: pd.DataFrame, level: int, nuts_year: int) -> dict[str, str]:
    """Add ``member__{id}`` columns (int 0/1) in the panel's NUTS version.

    Return each list's completeness.
    """
    matrix = membership_matrix(level=level, nuts_year=check_nuts_year(nuts_year))
    member_list = dict(matrix.attrs.get("member_list", {}))
    matrix = matrix.reindex(out.index, fill_value=0).astype("int64")
    for pid in matrix.columns:
        out[f"member__{pid}"] = matrix[pid].to_numpy()
    return member_list


# ------------------------------------------------------------------------ warning


def _short(indicator: str, reason: str) -> str:
    """Return the gist of a reason: no error class, file paths, lists of codes."""
    first = reason.splitlines()[0] if reason else ""
    first = first.split(": ", 1)[-1].removeprefix(f"indicator {indicator!r}: ")
    for cut in (" (", "; available", "; its dimensions"):
        first = first.split(cut, 1)[0]
    words = [w for w in first.split() if "/" not in w.strip("'\"()")]
    return " ".join(words)[:160]


def _warning(meta: dict[str, Any]) -> str | None:
    """One message: a line per indicator that is unavailable, empty or mixes years."""
    info, year = meta["indicators"], meta["year"]
    lines = [
        f"{i}: not loaded ({_short(i, reason)})"
        for i, reason in meta["unavailable"].items()
    ]
    span = meta["years"]
    shown = str(span[0]) if len(span) == 1 else f"{span[0]}–{span[-1]}"
    lines += [
        f"{i}: no region has a value in {shown} (its columns are empty; "
        "fetch_indicator(id) shows the years it covers)"
        for i, d in info.items()
        if d["n_regions"] == 0
    ]
    lines += [
        f"{i}: {d['n_other_year']} of {d['n_regions']} regions from other years "
        f"{[y for y in d['years'] if y != year]}"
        for i, d in info.items()
        if d["n_other_year"]
    ]
    if not lines:
        return None
    head = (
        f"panel for {year}: {len(lines)} indicator(s) to know about "
        "(details in attrs['panel']; __year columns say each value's year):"
    )
    return "\n".join([head, *(f"  {line}" for line in lines)])


# -------------------------------------------------------------------------- build


def _build(
    wanted: list[str], options: dict[str, Any], sources: Sources
) -> pd.DataFrame:
    """Fetch, recode and line up the indicators (everything but membership)."""
    lv, fill = options["level"], options["fill_from_parent"]
    frames, unavailable = fetch_entries(
        wanted,
        lv,
        frozenset(options["years"]),
        raise_errors=options["errors"] == "raise",
        sources=sources,
        with_parents=fill,
    )
    countries = EU27_COUNTRIES if options["eu27_only"] else None
    nuts_year, why = options["nuts_year"], "chosen by the caller"
    if nuts_year is None:
        scope = countries or {g[:2] for f in frames.values() for g in f[GEO]}
        nuts_year, why = choose_nuts_year(frames, lv, scope)
    meta = {}
    for indicator, frame in frames.items():
        meta[indicator], frame.attrs = frame.attrs, {}  # not copied by every step
        frames[indicator] = frame.loc[frame[VALUE].notna()]  # only values are lined up
    original = dict(frames)
    recoded, messages = recode_frames(frames, nuts_year, countries)
    table = regions(lv, options["eu27_only"], nuts_year)
    index = pd.Index(table[GEO], name=GEO)
    columns: dict[str, Any] = {}
    if options["with_names"]:
        columns[REGION_NAME] = table[REGION_NAME].astype("string").array
    if options["with_country"]:
        columns["country"] = table["country"].astype("string").array
    info = _indicator_columns(
        columns, frames, meta, index, {**options, "nuts_year": nuts_year}
    )
    for indicator, codes in _not_in_index(
        original, index, lv, options["eu27_only"]
    ).items():
        info[indicator]["not_in_index"] = codes
        info[indicator]["nuts_recode"] = recoded[indicator]
    out = pd.DataFrame(columns, index=index)
    out.attrs["panel"] = {
        "policy": options["policy"],
        "year": options["year"],
        "window": options["window"],
        "years": sorted(options["years"]),
        "level": lv,
        "nuts_year": nuts_year,
        "nuts_year_reason": why,
        "eu27_only": bool(options["eu27_only"]),
        "fill_from_parent": bool(fill),
        "from_parent": {i: d["n_from_parent"] for i, d in info.items() if fill},
        "indicators": info,
        "unavailable": unavailable,
        "recode_messages": messages,
        "member_list": {},
    }
    return out


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
    fill_from_parent: bool = False,
    nuts_year: int | None = None,
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
        Add the region's Latin name as ``region_name``.
    with_country : bool, default False
        Add the region's ``country`` code.
    with_membership : bool, default False
        Add ``member__{partnership_id}`` (int 0/1) for every S3 partnership of the
        registry (:func:`regiongap.membership_matrix`), members followed to the
        panel's NUTS version (Alentejo ``PT18`` is ``PT1C`` in NUTS 2024);
        ``attrs["panel"]["member_list"]`` says which member lists are complete —
        a 0 in a partial list means "not known to be a member", not "not a
        member".
    eu27_only : bool, default True
        Rows are the EU-27 regions; ``False`` adds the other countries of the NUTS
        list (UK, EFTA, candidates).
    fill_from_parent : bool, default False
        Where a country publishes an indicator at none of its regions of *level*
        (only at a higher level: Germany's, Greece's and Poland's household ICT
        data are NUTS 1 only), its regions take their NUTS 1 value, else the
        national one — never when the region has a value of its own. Adds
        ``{id}__source_level`` (Int64: the NUTS level the value is from) and
        ``{id}__from_parent`` (bool) per indicator.
    nuts_year : {2021, 2024, 2016, 2013}, optional
        NUTS version of the rows; every source is recoded to it. Default: the
        current version (2021 or 2024) whose codes the values in use carry
        most (``attrs["panel"]["nuts_year_reason"]`` says why).
    errors : {"warn", "raise"}, default "warn"
        What to do with an indicator that cannot be loaded (source missing, offline,
        a filter the source does not match): skip it, said in the warning, or raise.
    mirror : str or Path, optional
        Mirror folder, passed to :func:`regiongap.fetch_dataset`.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Download again even if cached.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` — every region of the level, in the official list's
        order; a region without data stays, with NaN. First the optional
        ``region_name`` and ``country`` columns, then per indicator ``{id}``
        (float64), ``{id}__year`` (Int64) and ``{id}__flag`` (string) (and,
        with *fill_from_parent*, ``{id}__source_level`` and
        ``{id}__from_parent``), then the optional ``member__…`` columns.
        ``attrs["panel"]`` records ``policy``, ``year``, ``window``, ``years``,
        ``level``, ``nuts_year`` and ``nuts_year_reason``, ``fill_from_parent``
        and ``from_parent`` ({id: regions with a parent value}), per indicator
        (``indicators``) ``years`` (the set of years used), ``n_regions`` (with
        a value), ``n_other_year``, ``unit``, ``dataset`` (as in the indicator's
        ``dataset`` column: both parts of a derived value), ``dataset_used`` (the
        dataset read: the catalogue's, or a fallback), ``skipped_sources``,
        ``comparability``,
        ``n_from_parent``, ``from_parent`` ({"nuts1": n, "nuts0": n}),
        ``parent_countries``, ``not_in_index`` (codes with values that are not
        rows, e.g. of another NUTS version) and ``nuts_recode`` (distinct codes
        unchanged, recoded, merged, lost, unknown, and ``codes_not_kept``);
        ``unavailable`` ({id: reason, with details}), ``recode_messages`` and
        ``member_list``.

    Raises
    ------
    SchemaError
        Bad arguments, an unknown id, or an id that does not exist at *level*.
    RegiongapError
        With ``errors="raise"``, whatever stopped an indicator from loading.

    Warns
    -----
    DataQualityWarning
        Once, one line per indicator that could not be loaded (short reason, no
        file paths: the details are in ``attrs``), has no value at all in the
        years asked for, or uses values from other years than *year*.

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
    >>> info["years"], info["n_regions"], len(p), p.attrs["panel"]["nuts_year"]
    ([2019], 239, 242, 2021)

    With ``policy="latest"``, a region without a 2020 value takes its 2019 one, and
    the panel says so, once:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     q = rg.panel("household_primary_income_per_inhabitant", year=2020, window=1)
    >>> print(caught[0].message)
    panel for 2020: 1 indicator(s) to know about (details in attrs['panel']; __year
    columns say each value's year):
      household_primary_income_per_inhabitant: 190 of 238 regions from other years
      [2019]

    Germany, Greece and Poland publish household internet access at NUTS 1 only;
    with ``fill_from_parent=True`` their regions take the NUTS 1 value, marked:

    >>> net = rg.panel("internet_access_households", year=2019, policy="exact",
    ...                fill_from_parent=True)
    >>> net.loc[["DE11", "AT11"], ["internet_access_households",
    ...          "internet_access_households__source_level"]]
          internet_access_households  internet_access_households__source_level
    geo
    DE11                       94.88                                         1
    AT11                       87.71                                         2
    >>> net.attrs["panel"]["from_parent"], len(net)
    ({'internet_access_households': 68}, 242)
    """
    lv = check_level(level)
    yr = check_int("year", year)
    pol = check_choice("policy", policy, _POLICIES)
    win = check_int("window", window, minimum=0)
    check_choice("errors", errors, _ERRORS)
    version = None if nuts_year is None else check_nuts_year(nuts_year)
    wanted = resolve_ids(ids, lv)
    years = [yr] if pol == "exact" else list(range(yr - win, yr + 1))
    options: dict[str, Any] = {
        "level": lv,
        "year": yr,
        "policy": pol,
        "window": win if pol == "latest" else 0,
        "years": years,
        "eu27_only": bool(eu27_only),
        "fill_from_parent": bool(fill_from_parent),
        "nuts_year": version,
        "errors": errors,
        "with_names": bool(with_names),
        "with_country": bool(with_country),
    }
    sources = Sources(
        mirror=mirror, offline=offline, refresh=refresh, nuts_year=version or 2021
    )
    key = PanelKey.make(wanted, options, sources)
    out = None if refresh else remembered(key)
    if out is None:
        out = _build(wanted, options, sources)
        remember(key, out, sources)
    if with_membership:
        out.attrs["panel"]["member_list"] = _add_membership(
            out, lv, out.attrs["panel"]["nuts_year"]
        )
    message = _warning(out.attrs["panel"])
    if message is not None:
        warnings.warn(message, DataQualityWarning, stacklevel=2)
    return out
