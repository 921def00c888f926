"""The catalogue of regional capacity indicators, and fetching one as a long frame.

Analysts think in "R&D spending as a share of GDP" or "households with broadband",
not in dataset codes and filter strings. The catalogue
(``regiongap/data/indicators.csv``, one reviewable row per indicator) maps each
indicator id to the Eurostat dataset and the exact dimension filters that select it,
its unit, the NUTS levels it exists at, whether a higher value means more capacity,
and — for indicators Eurostat does not publish as such — how it is derived and from
which denominator.

>>> import regiongap as rg
>>> rg.catalogue()[["indicator", "dataset", "filters"]].head(2)   # doctest: +SKIP

>>> rg.fetch_indicator("hrst_pct_active_population", years=2019)  # doctest: +SKIP

Catalogue columns
-----------------
``indicator``
    id (a lowercase slug), the key everything else uses.
``title``, ``pillar``
    what it measures; the capacity pillar it belongs to (:data:`PILLARS`).
``dataset``, ``filters``
    the Eurostat dataset code and the filters ``dim=VALUE;dim=VALUE`` that leave one
    series per region (for a derived indicator: the numerator's).
``unit``, ``unit_label``
    the unit of the *result* (a Eurostat unit code, or the code-style name of the
    derived unit, e.g. ``EUR_HAB``) and its plain-language label.
``levels``
    the NUTS levels the indicator exists at, e.g. ``"0;1;2"``.
``higher_is_better``
    ``True``/``False`` for capacity indicators, ``<NA>`` for context.
``derivation``, ``denominator``, ``scale``
    ``none`` for a published series; otherwise one of
    :data:`~regiongap.indicators.derive.DERIVATIONS`, the id of the catalogue
    indicator used as denominator, and the scale applied (value = numerator /
    denominator × scale).
``source_note``
    what each code was checked against.
``in_mirror``
    added by :func:`indicators` at call time: whether the configured mirror folder
    holds a file for every dataset the indicator needs (``<NA>`` when no mirror is
    configured). A mirror file may be a subset of the dataset: the mirror's
    ``nama_10r_2hhinc`` has only ``unit=MIO_EUR``, so the PPS disposable-income
    indicator is ``in_mirror`` yet fails with a :class:`SchemaError` listing the
    units the file has; :func:`regiongap.coverage` reports such cases.

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

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from regiongap.errors import RegiongapError, SchemaError
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
    require_unique,
)

__all__ = [
    "CATALOGUE_COLUMNS",
    "PILLARS",
    "catalogue",
    "catalogue_datasets",
    "fetch_indicator",
    "parse_filters",
]

#: Capacity pillars, in the order reports present them.
PILLARS: tuple[str, ...] = (
    "economic_resources",
    "research_innovation",
    "human_capital",
    "digital_infrastructure",
    "transport_infrastructure",
    "health_infrastructure",
    "context",
)

#: Columns of the catalogue file, in order.
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "title",
    "pillar",
    "dataset",
    "filters",
    "unit",
    "unit_label",
    "levels",
    "higher_is_better",
    "derivation",
    "denominator",
    "scale",
    "source_note",
)

_CATALOGUE_FILE = "indicators.csv"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_NUTS_LEVELS = (0, 1, 2, 3)
# dimension columns of the sdmx tidy frame that are not series dimensions
_NON_DIMENSIONS = frozenset({GEO, TIME, VALUE, FLAG, "conf_status"})


@dataclass(frozen=True)
class _Entry:
    """One catalogue row, typed."""

    indicator: str
    pillar: str
    dataset: str
    filters: dict[str, str]
    unit: str
    levels: tuple[int, ...]
    derivation: str
    denominator: str | None
    scale: float


# --------------------------------------------------------------------------- catalogue


def parse_filters(text: str, *, what: str = "filters") -> dict[str, str]:
    """Parse ``"dim=VALUE;dim=VALUE"`` into an ordered ``{dim: VALUE}`` mapping.

    Parameters
    ----------
    text : str
        Filters as written in the catalogue; dimension names are lowercase, values
        are Eurostat codes as published (case kept).
    what : str
        Name used in error messages.

    Returns
    -------
    dict of str to str

    Raises
    ------
    SchemaError
        If a part is not ``dim=VALUE``, a dimension repeats, or ``geo``/``time``
        is used as a filter (the level and years arguments select those).

    Examples
    --------
    >>> parse_filters("unit=PC;sex=T;age=Y25-64")
    {'unit': 'PC', 'sex': 'T', 'age': 'Y25-64'}
    """
    out: dict[str, str] = {}
    if not isinstance(text, str) or not text.strip():
        msg = (
            f"{what}: filters must be a non-empty 'dim=VALUE;dim=VALUE' string, "
            f"got {text!r}"
        )
        raise SchemaError(msg)
    for part in text.split(";"):
        dim, sep, value = part.strip().partition("=")
        dim, value = dim.strip(), value.strip()
        if not sep or not dim or not value:
            msg = f"{what}: filter part {part!r} of {text!r} is not 'dim=VALUE'"
            raise SchemaError(msg)
        if dim != dim.lower():
            msg = f"{what}: dimension {dim!r} in {text!r} must be lowercase"
            raise SchemaError(msg)
        if dim in (GEO, TIME, "freq"):
            msg = (
                f"{what}: {dim!r} cannot be a catalogue filter ({text!r}); regions and "
                "years are chosen by the level and years arguments, and only annual "
                "data is used"
            )
            raise SchemaError(msg)
        if dim in out:
            msg = f"{what}: dimension {dim!r} appears twice in {text!r}"
            raise SchemaError(msg)
        out[dim] = value
    return out


def _parse_levels(text: str, what: str) -> tuple[int, ...]:
    try:
        levels = tuple(int(x) for x in str(text).split(";"))
    except ValueError:
        levels = ()
    if (
        not levels
        or any(lv not in _NUTS_LEVELS for lv in levels)
        or len(set(levels)) != len(levels)
    ):
        msg = f"{what}: levels {text!r} must be distinct NUTS levels 0-3 like '0;1;2'"
        raise SchemaError(msg)
    return tuple(sorted(levels))


def _read_catalogue_file() -> pd.DataFrame:
    source = resources.files("regiongap").joinpath("data", _CATALOGUE_FILE)
    with resources.as_file(source) as path:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame


def _validate_catalogue(frame: pd.DataFrame) -> dict[str, _Entry]:
    """Check every row of the catalogue; return the typed entries by id."""
    if tuple(frame.columns) != CATALOGUE_COLUMNS:
        msg = (
            f"indicator catalogue columns are {list(frame.columns)}; expected "
            f"{list(CATALOGUE_COLUMNS)}"
        )
        raise SchemaError(msg)
    require_unique(frame, ["indicator"], what="indicator catalogue")
    entries: dict[str, _Entry] = {}
    for row in frame.itertuples(index=False):
        what = f"indicator catalogue row {row.indicator!r}"
        if not _ID.match(row.indicator):
            msg = f"{what}: id must be a lowercase slug ([a-z][a-z0-9_]*)"
            raise SchemaError(msg)
        if row.pillar not in PILLARS:
            msg = f"{what}: pillar {row.pillar!r} is not one of {list(PILLARS)}"
            raise SchemaError(msg)
        if not _CODE.match(row.dataset):
            msg = f"{what}: dataset {row.dataset!r} is not a lowercase Eurostat code"
            raise SchemaError(msg)
        if row.higher_is_better not in ("true", "false", ""):
            msg = f"{what}: higher_is_better must be true, false or empty"
            raise SchemaError(msg)
        if not row.title or not row.unit or not row.source_note:
            msg = f"{what}: title, unit and source_note are required"
            raise SchemaError(msg)
        from regiongap.indicators.derive import DERIVATIONS

        derivation = row.derivation
        if derivation == "none":
            if row.denominator or row.scale:
                msg = f"{what}: derivation 'none' takes no denominator or scale"
                raise SchemaError(msg)
            scale = 1.0
            denominator = None
        elif derivation in DERIVATIONS:
            if not row.denominator:
                msg = f"{what}: derivation {derivation!r} needs a denominator"
                raise SchemaError(msg)
            try:
                scale = float(row.scale)
            except ValueError:
                scale = float("nan")
            if not scale > 0:
                msg = f"{what}: scale {row.scale!r} must be a positive number"
                raise SchemaError(msg)
            denominator = row.denominator
        else:
            allowed = ["none", *DERIVATIONS]
            msg = f"{what}: derivation {derivation!r} is not one of {allowed}"
            raise SchemaError(msg)
        entries[row.indicator] = _Entry(
            indicator=row.indicator,
            pillar=row.pillar,
            dataset=row.dataset,
            filters=parse_filters(row.filters, what=what),
            unit=row.unit,
            levels=_parse_levels(row.levels, what),
            derivation=derivation,
            denominator=denominator,
            scale=scale,
        )
    for entry in entries.values():
        if entry.denominator is None:
            continue
        den = entries.get(entry.denominator)
        what = f"indicator catalogue row {entry.indicator!r}"
        if den is None:
            msg = f"{what}: denominator {entry.denominator!r} is not a catalogue id"
            raise SchemaError(msg)
        if den.denominator is not None:
            msg = (
                f"{what}: denominator {den.indicator!r} must itself be published, "
                "not derived"
            )
            raise SchemaError(msg)
        if not set(entry.levels) <= set(den.levels):
            msg = (
                f"{what}: levels {list(entry.levels)} exceed those of its denominator "
                f"{den.indicator!r} ({list(den.levels)})"
            )
            raise SchemaError(msg)
    return entries


@functools.lru_cache(maxsize=1)
def _catalogue() -> tuple[pd.DataFrame, dict[str, _Entry]]:
    frame = _read_catalogue_file()
    entries = _validate_catalogue(frame)
    return frame, entries


def _entries() -> dict[str, _Entry]:
    return _catalogue()[1]


def _mirror_file(folder: Path, code: str) -> Path | None:
    from regiongap.sources.eurostat import MIRROR_SUFFIXES

    for suffix in MIRROR_SUFFIXES:
        path = folder / "eurostat" / f"{code}{suffix}"
        if path.is_file():
            return path
    return None


def _datasets_of(entry: _Entry) -> list[str]:
    codes = [entry.dataset]
    if entry.denominator is not None:
        codes.extend(_datasets_of(_entries()[entry.denominator]))
    return codes


def catalogue(
    pillar: str | None = None, *, mirror: str | Path | None = None
) -> pd.DataFrame:
    """List the capacity indicator catalogue.

    Parameters
    ----------
    pillar : str, optional
        Keep only this pillar (one of :data:`PILLARS`).
    mirror : str or Path, optional
        Mirror folder to check ``in_mirror`` against; default
        :func:`regiongap.config.mirror_dir` (``REGIONGAP_MIRROR``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator with the columns of :data:`CATALOGUE_COLUMNS`
        (``higher_is_better`` as nullable boolean, ``scale`` as float, NaN for
        published series) plus ``in_mirror`` (nullable boolean: every dataset the
        indicator needs is a file in the mirror; ``<NA>`` with no mirror configured).

    Raises
    ------
    SchemaError
        If *pillar* is not a known pillar.
    """
    from regiongap.config import mirror_dir

    frame = _catalogue()[0].copy()
    if pillar is not None:
        if pillar not in PILLARS:
            msg = f"unknown pillar {pillar!r}; pillars are {list(PILLARS)}"
            raise SchemaError(msg)
        frame = frame.loc[frame["pillar"] == pillar]
    frame["higher_is_better"] = (
        frame["higher_is_better"].map({"true": True, "false": False}).astype("boolean")
    )
    frame["scale"] = pd.to_numeric(frame["scale"].replace("", None), errors="raise")
    frame["denominator"] = frame["denominator"].replace("", None)
    folder = mirror_dir(mirror)
    entries = _entries()
    if folder is None:
        frame["in_mirror"] = pd.array([pd.NA] * len(frame), dtype="boolean")
    else:
        frame["in_mirror"] = pd.array(
            [
                all(
                    _mirror_file(folder, c) is not None
                    for c in _datasets_of(entries[i])
                )
                for i in frame["indicator"]
            ],
            dtype="boolean",
        )
    return frame.reset_index(drop=True)


def catalogue_datasets() -> list[str]:
    """Return every Eurostat dataset code the catalogue needs, sorted.

    Returns
    -------
    list of str
        Dataset codes of all indicators, numerators and denominators alike
        (``regiongap fetch --catalogue`` downloads exactly these).
    """
    return sorted({e.dataset for e in _entries().values()})


def _entry(indicator: str) -> _Entry:
    entries = _entries()
    if isinstance(indicator, str) and indicator in entries:
        return entries[indicator]
    close = difflib.get_close_matches(str(indicator), list(entries), n=5, cutoff=0.5)
    hint = f"did you mean {close}?" if close else f"known indicators: {sorted(entries)}"
    msg = f"unknown indicator {indicator!r}; {hint} (see regiongap.catalogue())"
    raise SchemaError(msg)


# ------------------------------------------------------------------------ arguments


def _check_level(level: Any) -> int:
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or level not in _NUTS_LEVELS
    ):
        msg = f"level must be a NUTS level 0, 1, 2 or 3, got {level!r}"
        raise SchemaError(msg)
    return int(level)


def _years(years: Any) -> frozenset[int] | None:
    """Normalise *years* (None, an int, a range or an iterable of ints)."""
    if years is None:
        return None
    if isinstance(years, bool | str | bytes):
        msg = f"years must be an int, a range or a list of ints, got {years!r}"
        raise SchemaError(msg)
    items: Iterable[Any] = [years] if isinstance(years, int) else years
    try:
        values = list(items)
    except TypeError:
        msg = f"years must be an int, a range or a list of ints, got {years!r}"
        raise SchemaError(msg) from None
    bad = [y for y in values if isinstance(y, bool) or not _is_int(y)]
    if bad:
        msg = f"years must be whole years like 2019; {bad[:5]!r} are not"
        raise SchemaError(msg)
    if not values:
        msg = "years is empty; pass None for every year"
        raise SchemaError(msg)
    return frozenset(int(y) for y in values)


def _is_int(value: Any) -> bool:
    try:
        return int(value) == value and not isinstance(value, float | str)
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------- loading


def _load_dataset(
    code: str, *, mirror: str | Path | None, offline: bool | None, refresh: bool
) -> pd.DataFrame:
    """Read one whole dataset through :func:`regiongap.load.datasets.fetch_dataset`.

    The whole table is fetched (no server-side filters): several indicators share a
    table, the cache keeps one copy of it, and a filter that matches nothing can then
    be reported with the values the table does have.
    """
    from regiongap.load.datasets import fetch_dataset

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


@functools.lru_cache(maxsize=65536)
def _geo_class(code: str) -> int | str:
    """NUTS level of *code*, or why it is not a region: aggregate/extra_regio/other."""
    from regiongap.geo import codes as nuts

    try:
        if nuts.is_aggregate(code):
            return "aggregate"
        if nuts.is_extra_regio(code):
            return "extra_regio"
        return int(nuts.nuts_level(code))
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
    out = pd.DataFrame(
        {
            GEO: frame[GEO].astype(str).to_numpy(),
            TIME: frame[TIME].to_numpy(dtype="int64"),
            VALUE: frame[VALUE].to_numpy(dtype="float64"),
            FLAG: pd.array(frame[FLAG], dtype="string"),
        }
    )
    return out


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
    series: pd.DataFrame, entry: _Entry, dataset: str, years: frozenset[int] | None
) -> pd.DataFrame:
    if years is not None:
        series = series.loc[series[TIME].isin(years)]
    # ':' cells without a flag carry nothing; a flagged missing value is kept.
    series = series.loc[series[VALUE].notna() | series[FLAG].notna()]
    out = pd.DataFrame(
        {
            INDICATOR: entry.indicator,
            GEO: series[GEO].to_numpy(dtype=object),
            TIME: series[TIME].to_numpy(dtype="int64"),
            VALUE: series[VALUE].to_numpy(dtype="float64"),
            UNIT: entry.unit,
            FLAG: pd.array(series[FLAG], dtype="string"),
            DATASET: dataset,
        },
        columns=list(INDICATOR_COLUMNS),
    )
    out = out.sort_values([GEO, TIME], kind="stable").reset_index(drop=True)
    require_unique(out, INDICATOR_KEY, what=f"indicator {entry.indicator!r}")
    return out


def _fetch(
    entry: _Entry, level: int, years: frozenset[int] | None, sources: _Sources
) -> pd.DataFrame:
    what = f"indicator {entry.indicator!r}"
    if level not in entry.levels:
        msg = f"{what} exists at NUTS levels {list(entry.levels)}, not at level {level}"
        raise SchemaError(msg)
    raw = sources.dataset(entry.dataset)
    series = _select_series(raw, entry.filters, entry.dataset, what)
    series, dropped = _keep_level(series, level, entry.dataset, what)
    provenance = [raw.attrs.get("provenance", {"dataset": entry.dataset})]
    dataset = entry.dataset
    if entry.denominator is not None:
        from regiongap.indicators.derive import ratio

        den_entry = _entries()[entry.denominator]
        den = _fetch(den_entry, level, years, sources)
        series = ratio(series, den, entry.scale, what=what)
        den_dataset = den[DATASET].iloc[0] if len(den) else den_entry.dataset
        dataset = f"{entry.dataset} / {den_dataset}"
        provenance.extend(den.attrs.get("provenance", []))
    out = _finish(series, entry, dataset, years)
    out.attrs = {
        "indicator": entry.indicator,
        "level": level,
        "derivation": entry.derivation,
        "denominator": entry.denominator,
        "scale": entry.scale if entry.denominator is not None else None,
        "dropped": dropped,
        "provenance": provenance,
    }
    return out


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
        Indicator id (see :func:`indicators`).
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
    """
    entry = _entry(id)
    lv = _check_level(level)
    yrs = _years(years)
    sources = _Sources(mirror=mirror, offline=offline, refresh=refresh)
    out = _fetch(entry, lv, yrs, sources)
    if yrs is not None and out.empty:
        # years outside the data gave an empty frame without a word; say which
        # years exist instead (the datasets are already loaded in *sources*)
        every = _fetch(entry, lv, None, sources)
        if len(every):
            asked = sorted(yrs)
            shown = ", ".join(map(str, asked[:8])) + (" …" if len(asked) > 8 else "")
            msg = (
                f"indicator {entry.indicator!r} has no values at NUTS level {lv} in "
                f"years {shown}; it covers {every[TIME].min()}–{every[TIME].max()}"
            )
            raise SchemaError(msg)
    return out
