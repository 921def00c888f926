r"""Fetching a catalogue indicator from the sources, as the indicator long frame.

One indicator is one series per region: the catalogue entry's dataset is read
whole (:func:`regiongap.fetch_dataset`: cache, mirror or API; when it cannot be
read, the entry's ``fallback`` datasets in turn, the one used recorded), its
filters select the series, the rows of the requested NUTS level are kept and, for
a derived indicator, the denominator is fetched the same way and divided
(:func:`~regiongap.indicators.derive.ratio`). An indicator counted from GISCO's
healthcare points (``dataset`` ``gisco:healthcare``) places each point in its
NUTS region (:mod:`~regiongap.indicators._points`) instead.

Output of :func:`fetch_indicator`
---------------------------------
The indicator long frame of :mod:`regiongap.schema`:
``indicator, geo, time, value, unit, flag, dataset``, unique on
``(indicator, geo, time)``. Only regions of the requested NUTS level are kept;
aggregates (``EU27_2020``, ``EA20``…), extra-regio codes (``…ZZ``) and codes that are
not NUTS codes are dropped and listed in ``frame.attrs["dropped"]``. Rows Eurostat
publishes as ``:`` without a flag are dropped; a missing value that carries a flag
(e.g. ``c``, confidential) is kept, NaN, with its flag. A derived value's flag is the
union of its parts' flag letters
(:func:`~regiongap.indicators.derive.combine_flags`) and its
``dataset`` names both tables, e.g. ``"nama_10r_2hhinc / demo_r_d2jan"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from regiongap.errors import RegiongapError, SchemaError, SourceError
from regiongap.indicators._entries import Entry, check_years, entries, entry
from regiongap.indicators._series import finish, keep_levels, select_series
from regiongap.indicators._sources import Sources
from regiongap.indicators.derive import ratio
from regiongap.schema import DATASET, TIME, check_level

__all__ = ["fetch_indicator"]

# ------------------------------------------------------------------------ fetching


def _first_readable(
    item: Entry, sources: Sources
) -> tuple[str, pd.DataFrame, dict[str, str]]:
    """Return the first of the entry's datasets that can be read.

    A dataset that cannot be read (not in the mirror, offline, a failed
    download) passes the turn to the next one; what each skipped one raised is
    returned. When none can be read, the error names every one of them.
    """
    skipped: dict[str, str] = {}
    first: SourceError | None = None
    for code in item.sources:
        try:
            return code, sources.dataset(code), skipped
        except SourceError as exc:
            first = first or exc
            skipped[code] = f"{type(exc).__name__}: {exc}"
    if first is None or len(item.sources) == 1:
        raise first or SourceError(item.dataset)
    tried = "; ".join(f"{code}: {reason}" for code, reason in skipped.items())
    msg = (
        f"indicator {item.indicator!r}: none of its datasets "
        f"{', '.join(item.sources)} can be read ({tried})"
    )
    raise type(first)(msg) from first


def _levels_of(item: Entry, level: int, with_parents: bool) -> list[int]:
    what = f"indicator {item.indicator!r}"
    if level not in item.levels:
        msg = f"{what} exists at NUTS levels {list(item.levels)}, not at level {level}"
        raise SchemaError(msg)
    above = [lv for lv in range(level - 1, -1, -1) if lv in item.levels]
    return [level, *above] if with_parents else [level]


def _fetch(
    item: Entry,
    level: int,
    years: frozenset[int] | None,
    sources: Sources,
    *,
    with_parents: bool = False,
) -> pd.DataFrame:
    what = f"indicator {item.indicator!r}"
    levels = _levels_of(item, level, with_parents)
    dropped: dict[str, list[str]] = {"aggregates": [], "extra_regio": [], "other": []}
    extra: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    if item.is_gisco:
        code = item.dataset
        series, extra = sources.points(item, levels, years)
        provenance = list(extra.pop("provenance", []))
    else:
        code, raw, skipped = _first_readable(item, sources)
        series = select_series(raw, item.filters, code, what)
        series, dropped = keep_levels(series, levels, code, what, years)
        provenance = [sources.attrs(code).get("provenance", {"dataset": code})]
    dataset = code
    if item.denominator is not None:
        den_entry = entries()[item.denominator]
        den = _fetch(den_entry, level, years, sources, with_parents=with_parents)
        den_attrs, den.attrs = den.attrs, {}  # not deep-copied by every operation
        series = ratio(series, den, item.scale, what=what)
        den_dataset = den[DATASET].iloc[0] if len(den) else den_entry.dataset
        dataset = f"{code} / {den_dataset}"
        provenance.extend(den_attrs.get("provenance", []))
    out = finish(series, item, dataset, years)
    out.attrs = {
        "indicator": item.indicator,
        "level": level,
        "levels": levels,
        "dataset": code,
        "skipped_sources": skipped,
        "derivation": item.derivation,
        "denominator": item.denominator,
        "scale": item.scale if item.denominator is not None else None,
        "dropped": dropped,
        "provenance": provenance,
    }
    out.attrs.update(extra)
    return out


# -------------------------------------------------------------------- public API


def fetch_entries(
    ids: Sequence[str],
    level: int,
    years: frozenset[int] | None,
    *,
    raise_errors: bool,
    sources: Sources,
    with_parents: bool = False,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Fetch several catalogue indicators, reading each dataset once.

    What :func:`regiongap.panel` and :func:`regiongap.coverage` build on; the
    arguments are already checked (ids known at *level*, years normalised by
    :func:`~regiongap.indicators._entries.check_years`).

    Parameters
    ----------
    ids : sequence of str
        Catalogue ids that exist at *level*.
    level : int
        NUTS level.
    years : frozenset of int or None
        Years to keep (``None``: every year).
    raise_errors : bool
        Raise what stops an indicator from loading, or collect it.
    sources : Sources
        Where the datasets are read (each one once).
    with_parents : bool, default False
        Keep the rows of the levels above *level* too (those the indicator
        has), for values taken from a parent region.

    Returns
    -------
    frames : dict of str to pandas.DataFrame
        ``{id: indicator long frame}`` of the indicators that loaded.
    unavailable : dict of str to str
        ``{id: "ErrorClass: message"}`` of those that did not.

    Raises
    ------
    RegiongapError
        With *raise_errors*, whatever stopped an indicator from loading.

    Examples
    --------
    R&D expenditure comes from its fallback, Eurostat's NUTS 2 summary table; the
    business sector's share has no fallback:

    >>> sources = Sources(mirror=None, offline=True, refresh=False)
    >>> frames, unavailable = fetch_entries(
    ...     ["rd_expenditure_pct_gdp", "rd_expenditure_business_pct_gdp"],
    ...     2, frozenset([2019]), raise_errors=False, sources=sources,
    ... )
    >>> rd = frames["rd_expenditure_pct_gdp"]
    >>> rd.attrs["dataset"], rd.attrs["skipped_sources"]
    ('tgs00042', {'rd_e_gerdreg': "DatasetNotFoundError: Eurostat dataset 'rd_e_gerdreg' is not in the mirror ..."})
    >>> unavailable["rd_expenditure_business_pct_gdp"]
    "DatasetNotFoundError: Eurostat dataset 'rd_e_gerdreg' is not in the mirror ..."
    """  # noqa: E501  (a doctest's expected output is one line)
    frames: dict[str, pd.DataFrame] = {}
    unavailable: dict[str, str] = {}
    for indicator in ids:
        try:
            frames[indicator] = _fetch(
                entries()[indicator], level, years, sources, with_parents=with_parents
            )
        except RegiongapError as exc:
            if raise_errors:
                raise
            unavailable[indicator] = f"{type(exc).__name__}: {exc}"
    return frames, unavailable


def fetch_indicator(
    id: str,
    level: int = 2,
    years: int | range | Iterable[int] | None = None,
    *,
    mirror: str | Path | None = None,
    offline: bool | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    r"""Fetch one catalogue indicator for the regions of one NUTS level.

    Parameters
    ----------
    id : str
        Indicator id (see :func:`regiongap.catalogue`).
    level : {0, 1, 2, 3}, default 2
        NUTS level to keep; must be one of the indicator's ``levels``.
    years : int, range or iterable of int, optional
        Years to keep (default: all the source has).
    mirror : str or Path, optional
        Mirror folder, passed to :func:`regiongap.fetch_dataset`.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Download again even if cached.

    Returns
    -------
    pandas.DataFrame
        ``indicator, geo, time, value, unit, flag, dataset`` sorted by geo and time,
        unique on ``(indicator, geo, time)``. A derived indicator (``derivation`` not
        ``none``) is computed as

        .. math:: x_{r,t} = \frac{n_{r,t}}{d_{r,t}} \times s

        over the ``(geo, time)`` pairs both parts have, with the union of both
        flags. ``frame.attrs`` holds ``level``, ``dataset`` (the dataset the
        values come from: the catalogue's dataset, or the first of its
        ``fallback`` that could be read), ``skipped_sources`` ({dataset: why it
        could not be read}), ``derivation``, ``denominator``, ``scale``,
        ``dropped`` (aggregates, extra-regio and non-NUTS codes removed) and
        ``provenance`` (one dict per dataset read). A GISCO points indicator
        adds how its points were placed: ``n_points``, ``duplicates``,
        ``no_coordinates``, ``snapped``, ``unassigned``, ``unassigned_ids``,
        ``release``.

    Raises
    ------
    SchemaError
        Unknown id (close matches are listed), a level the indicator does not have,
        bad years or years without any value (the years covered are given), or
        a catalogue filter that matches nothing in the source (the
        available values are listed).
    SourceError
        No dataset of the indicator can be read (e.g.
        :class:`~regiongap.errors.OfflineError` when neither it nor a fallback
        is cached or in the mirror and the network is forbidden); the message
        names each one tried.

    Examples
    --------
    With ``REGIONGAP_MIRROR`` pointing at the shared data folder:

    >>> import regiongap as rg
    >>> pop = rg.fetch_indicator("population", level=2, years=2019)
    >>> pop.head(2)
        indicator   geo  time      value unit  flag       dataset
    0  population  AL01  2019   813758.0   NR  <NA>  demo_r_d2jan
    1  population  AL02  2019  1170142.0   NR  <NA>  demo_r_d2jan
    >>> pop.attrs["dropped"]["aggregates"][:3]
    ['DE_TOT', 'EFTA', 'EU27_2007']

    A derived indicator: household income (million EUR) / population × 10⁶; the
    provisional (``p``) income of ES22 flags its value.

    >>> income = rg.fetch_indicator(
    ...     "household_primary_income_per_inhabitant", years=2019
    ... )
    >>> rows = income["geo"].isin(["AT11", "ES22"])
    >>> income.loc[rows, ["geo", "value", "flag"]].round()
         geo    value  flag
    0   AT11  27706.0  <NA>
    96  ES22  20224.0     p
    >>> income["dataset"].iloc[0]
    'nama_10r_2hhinc / demo_r_d2jan'
    >>> rg.fetch_indicator("population", years=1950)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: indicator 'population' has no values ... 1990–2021
    """
    item = entry(id)
    lv = check_level(level)
    yrs = check_years(years)
    sources = Sources(mirror=mirror, offline=offline, refresh=refresh)
    out = _fetch(item, lv, yrs, sources)
    if yrs is not None and out.empty:
        # years outside the data gave an empty frame without a word; say which
        # years exist instead (the datasets are already loaded in *sources*)
        every = _fetch(item, lv, None, sources)
        if len(every):
            asked = sorted(yrs)
            shown = ", ".join(map(str, asked[:8])) + (" …" if len(asked) > 8 else "")
            msg = (
                f"indicator {item.indicator!r} has no values at NUTS level {lv} in "
                f"years {shown}; it covers {every[TIME].min()}–{every[TIME].max()}"
            )
            raise SchemaError(msg)
    return out
