"""How complete each indicator is, and why: per year, and per country and year.

"70 % of the regions have a value" is a fact; :func:`coverage` adds why: which
countries publish the indicator at the level asked for, which only at a higher
level (Germany's household ICT data are NUTS 1 only), which publish some regions
only, which codes belong to another NUTS version, and which countries publish
nothing. ``by="country"`` gives the same as a table, one row per indicator,
country and year; the reports' annex shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from regiongap.indicators._entries import check_years, entries
from regiongap.indicators._scope import check_choice, regions, resolve_ids
from regiongap.indicators._sources import Sources
from regiongap.indicators.fetch import fetch_entries
from regiongap.schema import FLAG, GEO, TIME, VALUE, check_level

__all__ = ["COUNTRY_COVERAGE_COLUMNS", "COVERAGE_COLUMNS", "coverage"]

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
    "explanation",
)
#: Columns of ``coverage(by="country")``, in order.
COUNTRY_COVERAGE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "pillar",
    "year",
    "country",
    "n_regions",
    "n_with_value",
    "reported_level",
    "n_other_codes",
    "reporting",
)
_BY = ("indicator", "country")


# ------------------------------------------------------------ per country and year


def _reporting(n_regions: int, n_with: int, finest: int | None, level: int) -> str:
    if n_with == n_regions:
        return "complete"
    if n_with:
        return "partial"
    if finest is not None and finest < level:
        return "higher_level_only"
    return "none"


def _country_rows(
    frame: pd.DataFrame, table: pd.DataFrame, years: list[int], level: int
) -> list[dict[str, Any]]:
    """Rows of ``by="country"`` for one indicator (*frame*: every level it has)."""
    valued = frame.loc[frame[VALUE].notna(), [GEO, TIME]].astype({GEO: str})
    valued["country"] = valued[GEO].str[:2]
    valued["level"] = valued[GEO].str.len() - 2
    known = set(table[GEO])
    own = valued.loc[valued["level"] == level]
    rows = []
    for country, n_regions in table.groupby("country", sort=True).size().items():
        mine = valued.loc[valued["country"] == country]
        for year in years:
            that = mine.loc[mine[TIME] == year]
            at_level = own.loc[(own["country"] == country) & (own[TIME] == year), GEO]
            n_with = int(at_level.isin(known).sum())
            finest = int(that["level"].max()) if len(that) else None
            rows.append(
                {
                    "country": country,
                    "year": year,
                    "n_regions": int(n_regions),
                    "n_with_value": n_with,
                    "reported_level": finest,
                    "n_other_codes": int((~at_level.isin(known)).sum()),
                    "reporting": _reporting(int(n_regions), n_with, finest, level),
                }
            )
    return rows


def _listing(rows: pd.DataFrame, what: str) -> str:
    if rows.empty:
        return ""
    if what == "higher_level_only":
        parts = [
            f"{r['country']} ({r['n_regions']} regions, "
            f"NUTS {int(r['reported_level'])})"
            for r in rows.to_dict("records")
        ]
        return "at a higher level only: " + ", ".join(parts)
    if what == "partial":
        parts = [
            f"{r['country']} ({r['n_with_value']} of {r['n_regions']}"
            + (
                f"; {r['n_other_codes']} codes of another NUTS version"
                if r["n_other_codes"]
                else ""
            )
            + ")"
            for r in rows.to_dict("records")
        ]
        return "partly: " + ", ".join(parts)
    return "none: " + ", ".join(rows["country"])


def _explain(by_country: pd.DataFrame, level: int) -> str:
    """One line: which countries lack values at *level*, and why."""
    if by_country.empty:
        return ""
    n = int(by_country["n_with_value"].sum())
    total = int(by_country["n_regions"].sum())
    complete = int((by_country["reporting"] == "complete").sum())
    parts = [f"{n} of {total} regions; {complete} countries complete at NUTS {level}"]
    for what in ("higher_level_only", "partial", "none"):
        text = _listing(by_country.loc[by_country["reporting"] == what], what)
        if text:
            parts.append(text)
    return "; ".join(parts)


# ----------------------------------------------------------------- per indicator


def _indicator_rows(
    frame: pd.DataFrame,
    base: dict[str, Any],
    years: list[int],
    by_country: pd.DataFrame,
    level: int,
) -> list[dict[str, Any]]:
    """Rows of :func:`coverage` for one loaded indicator (*frame*: its regions)."""
    n_regions = base["n_regions"]
    if not years:
        reason = f"no values for these NUTS {level} regions in the source"
        return [{**base, "status": "empty", "reason": reason}]
    valued = frame.loc[frame[VALUE].notna()]
    n_value = valued.groupby(TIME)[GEO].nunique()
    n_flag = valued.loc[valued[FLAG].notna()].groupby(TIME)[GEO].nunique()
    rows = []
    for y in years:
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
                "explanation": _explain(by_country.loc[by_country["year"] == y], level),
            }
        )
    return rows


def _typed(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    if by == "country":
        return frame.astype(
            {
                "indicator": "string",
                "pillar": "string",
                "year": "Int64",
                "country": "string",
                "n_regions": "Int64",
                "n_with_value": "Int64",
                "reported_level": "Int64",
                "n_other_codes": "Int64",
                "reporting": "string",
            }
        )
    return frame.astype(
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
            "explanation": "string",
        }
    )


def _report_years(
    frame: pd.DataFrame, years: frozenset[int] | None, known: set[str]
) -> list[int]:
    if years is not None:
        return sorted(years)
    own = frame.loc[frame[GEO].isin(known)]
    return sorted({int(t) for t in own[TIME]})


def coverage(
    ids: str | Iterable[str] | None = None,
    level: int = 2,
    years: int | range | Iterable[int] | None = None,
    *,
    eu27_only: bool = True,
    by: Literal["indicator", "country"] = "indicator",
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
    by : {"indicator", "country"}, default "indicator"
        One row per indicator and year, or per indicator, country and year.
    mirror : str or Path, optional
        Mirror folder, passed to :func:`regiongap.fetch_dataset`.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Download again even if cached.

    Returns
    -------
    pandas.DataFrame
        ``by="indicator"``: columns :data:`COVERAGE_COLUMNS`. For a loadable
        indicator one row per year, ``status="ok"``: ``n_regions`` (regions of
        the level), ``n_with_value`` (of them, with a non-missing value that
        year), ``share_with_value = n_with_value / n_regions``, ``n_flagged``
        (of the values, those with a Eurostat flag), ``share_flagged =
        n_flagged / n_with_value`` (NaN when there is no value) and
        ``explanation``: how many countries are complete, which publish the
        indicator at a higher level only (and which), which publish some
        regions only (and codes of another NUTS version), and which nothing. An
        indicator with no value for these regions in any year gets one row
        ``status="empty"``; one that cannot be loaded gets one row
        ``status="unavailable"`` with the ``reason``. Values for codes that are
        not NUTS 2021 regions of the level are not counted.

        ``by="country"``: columns :data:`COUNTRY_COVERAGE_COLUMNS`, one row per
        loaded indicator, country and year: ``n_regions``, ``n_with_value``,
        ``reported_level`` (the finest NUTS level with a value that year,
        ``<NA>`` for none), ``n_other_codes`` (values at the level for codes
        that are not regions of the list, e.g. of another NUTS version) and
        ``reporting``: ``complete``, ``partial``, ``higher_level_only`` or
        ``none``.

    Raises
    ------
    SchemaError
        Bad arguments, an unknown id, or an id that does not exist at *level*.

    Examples
    --------
    With ``REGIONGAP_MIRROR`` pointing at the shared data folder and the network
    off, the business sector's R&D expenditure (``rd_e_gerdreg``, not in the
    mirror, no fallback) is unavailable:

    >>> import regiongap as rg
    >>> ids = ["population", "rd_expenditure_business_pct_gdp"]
    >>> cov = rg.coverage(ids, years=[2019, 2020])
    >>> cov[["indicator", "year", "n_with_value", "status"]]
                             indicator  year  n_with_value       status
    0                       population  2019           239           ok
    1                       population  2020           239           ok
    2  rd_expenditure_business_pct_gdp  <NA>          <NA>  unavailable
    >>> cov["share_with_value"].round(3).tolist()[:2]
    [0.988, 0.988]
    >>> cov["reason"].iloc[2]
    "DatasetNotFoundError: Eurostat dataset 'rd_e_gerdreg' is not in the mirror ..."

    Why internet access covers 70 % of the regions: three countries publish it
    at NUTS 1 only.

    >>> net = rg.coverage("internet_access_households", years=2019)
    >>> print(net["explanation"].iloc[0])
    169 of 242 regions; 21 countries complete at NUTS 2; at a higher level only: DE (38 regions, NUTS 1), EL (13 regions, NUTS 1), PL (17 regions, NUTS 1); partly: FI (4 of 5), FR (26 of 27), HR (1 of 4; 1 codes of another NUTS version)
    >>> by_country = rg.coverage("internet_access_households", years=2019, by="country")
    >>> by_country.loc[by_country["country"] == "DE", ["n_with_value", "reporting"]]
       n_with_value          reporting
    5             0  higher_level_only
    """  # noqa: E501  (a doctest's expected output is one line)
    lv = check_level(level)
    yrs = check_years(years)
    how = check_choice("by", by, _BY)
    wanted = resolve_ids(ids, lv)
    table = regions(lv, eu27_only)
    known = set(table[GEO])
    sources = Sources(mirror=mirror, offline=offline, refresh=refresh)
    frames, unavailable = fetch_entries(
        wanted, lv, yrs, raise_errors=False, sources=sources, with_parents=True
    )
    rows: list[dict[str, Any]] = []
    countries: list[dict[str, Any]] = []
    for indicator in wanted:
        base = {
            "indicator": indicator,
            "pillar": entries()[indicator].pillar,
            "n_regions": len(table),
        }
        if indicator in unavailable:
            rows.append(
                {**base, "status": "unavailable", "reason": unavailable[indicator]}
            )
            continue
        frame = frames[indicator]
        frame.attrs = {}  # pandas would deep-copy them with every selection
        report_years = _report_years(frame, yrs, known)
        by_country = pd.DataFrame(
            _country_rows(frame, table, report_years, lv),
            columns=[*COUNTRY_COVERAGE_COLUMNS[3:], "year"],
        )
        own = frame.loc[frame[GEO].isin(known)]
        rows.extend(_indicator_rows(own, base, report_years, by_country, lv))
        base_country = {"indicator": indicator, "pillar": base["pillar"]}
        countries.extend(
            {**base_country, **{str(k): v for k, v in r.items()}}
            for r in by_country.to_dict("records")
        )
    if how == "country":
        out = pd.DataFrame(countries, columns=list(COUNTRY_COVERAGE_COLUMNS))
        return _typed(out, how)
    return _typed(pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS)), how)
