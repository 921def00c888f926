r"""Fetching a catalogue indicator from the sources, as the indicator long frame.

One indicator is one series per region: the catalogue entry's dataset is read
whole (:func:`regiongap.fetch_dataset`: cache, mirror or API), its filters select
the series, the rows of the requested NUTS level are kept and, for a derived
indicator, the denominator is fetched the same way and divided
(:func:`~regiongap.indicators.derive.ratio`).

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

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from regiongap.errors import RegiongapError, SchemaError
from regiongap.geo.codes import is_aggregate, is_extra_regio, nuts_level
from regiongap.indicators._entries import Entry, check_years, entries, entry
from regiongap.indicators.derive import ratio
from regiongap.load.datasets import fetch_dataset
from regiongap.schema import (
    DATASET,
    FLAG,
    GEO,
    INDICATOR,
    INDICATOR_COLUMNS,
    INDICATOR_KEY,
    TIME,
    UNIT,
    VALUE,
    check_level,
    require_unique,
)

__all__ = ["fetch_indicator"]

# dimension columns of the sdmx tidy frame that are not series dimensions
_NON_DIMENSIONS = frozenset({GEO, TIME, VALUE, FLAG, "conf_status"})


# ------------------------------------------------------------------------- loading


def _load_dataset(
    code: str, *, mirror: str | Path | None, offline: bool | None, refresh: bool
) -> pd.DataFrame:
    """Read one whole dataset through :func:`regiongap.load.datasets.fetch_dataset`.

    The whole table is fetched (no server-side filters): several indicators share a
    table, the cache keeps one copy of it, and a filter that matches nothing can then
    be reported with the values the table does have.
    """
    return fetch_dataset(code, refresh=refresh, mirror=mirror, offline=offline)


class _Sources:
    """Fetch each dataset once per call (a panel reuses tables across indicators).

    A failed fetch is remembered too, so ten indicators from one missing table
    report the same error without asking the source ten times.
    """

    def __init__(
        self, *, mirror: str | Path | None, offline: bool | None, refresh: bool
    ) -> None:
        self.mirror = mirror
        self.offline = offline
        self.refresh = refresh
        self._frames: dict[str, pd.DataFrame | RegiongapError] = {}

    def dataset(self, code: str) -> pd.DataFrame:
        """Return dataset *code*, read on first use; raise what reading raised."""
        if code not in self._frames:
            try:
                self._frames[code] = _load_dataset(
                    code, mirror=self.mirror, offline=self.offline, refresh=self.refresh
                )
            except RegiongapError as exc:
                self._frames[code] = exc
        found = self._frames[code]
        if isinstance(found, RegiongapError):
            raise found
        return found


# ---------------------------------------------------------------- series selection


@functools.lru_cache(maxsize=65536)
def _geo_class(code: str) -> int | str:
    """NUTS level of *code*, or why it is not a region: aggregate/extra_regio/other."""
    try:
        if is_aggregate(code):
            return "aggregate"
        if is_extra_regio(code):
            return "extra_regio"
        return int(nuts_level(code))
    except SchemaError:
        return "other"


def _select_series(
    frame: pd.DataFrame, filters: Mapping[str, str], code: str, what: str
) -> pd.DataFrame:
    """Apply the catalogue filters; return ``geo, time, value, flag`` (annual)."""
    if "freq" in frame.columns:
        freqs = sorted(str(f) for f in frame["freq"].dropna().unique())
        if "A" not in freqs:
            msg = f"{what}: {code} has no annual data (freq values {freqs})"
            raise SchemaError(msg)
        frame = frame.loc[frame["freq"] == "A"]
    dims = [c for c in frame.columns if c not in _NON_DIMENSIONS and c != "freq"]
    for dim, value in filters.items():
        if dim not in frame.columns:
            msg = (
                f"{what}: filter {dim}={value} names a dimension {code} does not have; "
                f"its dimensions are {dims}"
            )
            raise SchemaError(msg)
        mask = frame[dim] == value
        if not mask.any():
            available = sorted(str(v) for v in frame[dim].dropna().unique())
            msg = (
                f"{what}: filter {dim}={value} matches nothing in {code}; "
                f"available {dim} values: {available}"
            )
            raise SchemaError(msg)
        frame = frame.loc[mask]
    for dim in dims:
        if dim in filters:
            continue
        values = sorted(str(v) for v in frame[dim].dropna().unique())
        if len(values) > 1:
            msg = (
                f"{what}: the filters {dict(filters)} leave dimension {dim!r} of "
                f"{code} with several values {values}; add {dim}=<value> to the filters"
            )
            raise SchemaError(msg)
    if not pd.api.types.is_integer_dtype(frame[TIME]):
        msg = f"{what}: {code} time is {frame[TIME].dtype}, not annual years"
        raise SchemaError(msg)
    return pd.DataFrame(
        {
            GEO: frame[GEO].astype(str).to_numpy(),
            TIME: frame[TIME].to_numpy(dtype="int64"),
            VALUE: frame[VALUE].to_numpy(dtype="float64"),
            FLAG: frame[FLAG].astype("string").array,
        }
    )


def _keep_level(
    series: pd.DataFrame, level: int, code: str, what: str
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Keep the rows of NUTS *level*; list the aggregates/extra-regio/other dropped."""
    classes = {g: _geo_class(g) for g in pd.unique(series[GEO])}
    dropped: dict[str, list[str]] = {"aggregates": [], "extra_regio": [], "other": []}
    for geo, cls in classes.items():
        if cls == "aggregate":
            dropped["aggregates"].append(geo)
        elif cls == "extra_regio":
            dropped["extra_regio"].append(geo)
        elif cls == "other":
            dropped["other"].append(geo)
    keep = [g for g, cls in classes.items() if cls == level]
    if not keep:
        present = sorted({c for c in classes.values() if isinstance(c, int)})
        msg = (
            f"{what}: {code} has no rows at NUTS level {level} in the current source "
            f"(levels present: {present})"
        )
        raise SchemaError(msg)
    return series.loc[series[GEO].isin(keep)], {
        k: sorted(v) for k, v in dropped.items()
    }


def _finish(
    series: pd.DataFrame, item: Entry, dataset: str, years: frozenset[int] | None
) -> pd.DataFrame:
    if years is not None:
        series = series.loc[series[TIME].isin(years)]
    # ':' cells without a flag carry nothing; a flagged missing value is kept.
    series = series.loc[series[VALUE].notna() | series[FLAG].notna()]
    out = pd.DataFrame(
        {
            INDICATOR: item.indicator,
            GEO: series[GEO].to_numpy(dtype=object),
            TIME: series[TIME].to_numpy(dtype="int64"),
            VALUE: series[VALUE].to_numpy(dtype="float64"),
            UNIT: item.unit,
            FLAG: series[FLAG].astype("string").array,
            DATASET: dataset,
        },
        columns=list(INDICATOR_COLUMNS),
    )
    out = out.sort_values([GEO, TIME], kind="stable").reset_index(drop=True)
    require_unique(out, INDICATOR_KEY, what=f"indicator {item.indicator!r}")
    return out


def _fetch(
    item: Entry, level: int, years: frozenset[int] | None, sources: _Sources
) -> pd.DataFrame:
    what = f"indicator {item.indicator!r}"
    if level not in item.levels:
        msg = f"{what} exists at NUTS levels {list(item.levels)}, not at level {level}"
        raise SchemaError(msg)
    raw = sources.dataset(item.dataset)
    series = _select_series(raw, item.filters, item.dataset, what)
    series, dropped = _keep_level(series, level, item.dataset, what)
    provenance = [raw.attrs.get("provenance", {"dataset": item.dataset})]
    dataset = item.dataset
    if item.denominator is not None:
        den_entry = entries()[item.denominator]
        den = _fetch(den_entry, level, years, sources)
        series = ratio(series, den, item.scale, what=what)
        den_dataset = den[DATASET].iloc[0] if len(den) else den_entry.dataset
        dataset = f"{item.dataset} / {den_dataset}"
        provenance.extend(den.attrs.get("provenance", []))
    out = _finish(series, item, dataset, years)
    out.attrs = {
        "indicator": item.indicator,
        "level": level,
        "derivation": item.derivation,
        "denominator": item.denominator,
        "scale": item.scale if item.denominator is not None else None,
        "dropped": dropped,
        "provenance": provenance,
    }
    return out


# -------------------------------------------------------------------- public API


def fetch_entries(
    ids: Sequence[str],
    level: int,
    years: frozenset[int] | None,
    *,
    raise_errors: bool,
    mirror: str | Path | None,
    offline: bool | None,
    refresh: bool,
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
    mirror, offline, refresh : optional
        Passed to :func:`regiongap.fetch_dataset`.

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
    >>> frames, unavailable = fetch_entries(
    ...     ["population", "rd_expenditure_pct_gdp"], 2, frozenset([2019]),
    ...     raise_errors=False, mirror=None, offline=True, refresh=False,
    ... )
    >>> list(frames), len(frames["population"]) > 200
    (['population'], True)
    >>> unavailable["rd_expenditure_pct_gdp"]
    "DatasetNotFoundError: Eurostat dataset 'rd_e_gerdreg' is not in the mirror ..."
    """
    sources = _Sources(mirror=mirror, offline=offline, refresh=refresh)
    frames: dict[str, pd.DataFrame] = {}
    unavailable: dict[str, str] = {}
    for indicator in ids:
        try:
            frames[indicator] = _fetch(entries()[indicator], level, years, sources)
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
        flags. ``frame.attrs`` holds ``level``, ``derivation``, ``denominator``,
        ``scale``, ``dropped`` (aggregates, extra-regio and non-NUTS codes removed)
        and ``provenance`` (one dict per dataset read).

    Raises
    ------
    SchemaError
        Unknown id (close matches are listed), a level the indicator does not have,
        bad years or years without any value (the years covered are given), or
        a catalogue filter that matches nothing in the source (the
        available values are listed).
    SourceError
        The dataset cannot be read (e.g. :class:`~regiongap.errors.OfflineError`
        when it is neither cached nor in the mirror and the network is forbidden).

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
    sources = _Sources(mirror=mirror, offline=offline, refresh=refresh)
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
