"""The catalogue file read once, checked row by row, and typed: what the package shares.

``regiongap/data/indicators.csv`` holds one row per indicator. This module reads it
once per process, checks every row (:func:`validate_catalogue`, which names the bad
row and what is allowed) and hands out typed :class:`Entry` rows by id.
:mod:`~regiongap.indicators.catalogue` lists them for analysts,
:mod:`~regiongap.indicators.fetch` and :mod:`~regiongap.indicators.panel` look them
up; the three share the years argument's check too.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, SupportsInt, TypeGuard, get_args

import pandas as pd

from regiongap._package_data import read_package_csv
from regiongap.errors import SchemaError
from regiongap.indicators.derive import DERIVATIONS
from regiongap.schema import GEO, NUTS_LEVELS, TIME, require_unique

__all__ = [
    "CATALOGUE_COLUMNS",
    "PILLARS",
    "Entry",
    "Pillar",
    "catalogue_table",
    "check_years",
    "datasets_of",
    "entries",
    "entry",
    "parse_filters",
    "validate_catalogue",
]

#: A capacity pillar.
Pillar = Literal[
    "economic_resources",
    "research_innovation",
    "human_capital",
    "digital_infrastructure",
    "transport_infrastructure",
    "health_infrastructure",
    "context",
]
#: Capacity pillars, in the order reports present them.
PILLARS: tuple[Pillar, ...] = get_args(Pillar)

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


@dataclass(frozen=True)
class Entry:
    """One catalogue row, typed.

    Examples
    --------
    >>> e = entry("household_primary_income_per_inhabitant")
    >>> e.dataset, e.filters["unit"], e.levels, e.denominator, e.scale
    ('nama_10r_2hhinc', 'MIO_EUR', (0, 1, 2), 'population', 1000000.0)
    """

    indicator: str
    pillar: str
    dataset: str
    filters: dict[str, str]
    unit: str
    levels: tuple[int, ...]
    derivation: str
    denominator: str | None
    scale: float


# ------------------------------------------------------------------ parsing cells


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
        The filters, in the order written.

    Raises
    ------
    SchemaError
        If a part is not ``dim=VALUE``, a dimension repeats, or ``geo``/``time``
        is used as a filter (the level and years arguments select those).

    Examples
    --------
    >>> parse_filters("unit=PC;sex=T;age=Y25-64")
    {'unit': 'PC', 'sex': 'T', 'age': 'Y25-64'}
    >>> parse_filters("geo=DE11")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: filters: 'geo' cannot be a catalogue filter ...
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
        or any(lv not in NUTS_LEVELS for lv in levels)
        or len(set(levels)) != len(levels)
    ):
        msg = f"{what}: levels {text!r} must be distinct NUTS levels 0-3 like '0;1;2'"
        raise SchemaError(msg)
    return tuple(sorted(levels))


# --------------------------------------------------------------------- validation


def _rows(frame: pd.DataFrame) -> Iterator[dict[str, str]]:
    """Yield the catalogue's rows as ``{column: text}`` (every cell is text)."""
    for record in frame.to_dict("records"):
        yield {str(k): str(v) for k, v in record.items()}


def _check_row(row: dict[str, str], what: str) -> None:
    """Check the cells of one row that need no other row."""
    if not _ID.match(row["indicator"]):
        msg = f"{what}: id must be a lowercase slug ([a-z][a-z0-9_]*)"
        raise SchemaError(msg)
    if row["pillar"] not in PILLARS:
        msg = f"{what}: pillar {row['pillar']!r} is not one of {list(PILLARS)}"
        raise SchemaError(msg)
    if not _CODE.match(row["dataset"]):
        msg = f"{what}: dataset {row['dataset']!r} is not a lowercase Eurostat code"
        raise SchemaError(msg)
    if row["higher_is_better"] not in ("true", "false", ""):
        msg = f"{what}: higher_is_better must be true, false or empty"
        raise SchemaError(msg)
    if not row["title"] or not row["unit"] or not row["source_note"]:
        msg = f"{what}: title, unit and source_note are required"
        raise SchemaError(msg)


def _derivation(row: dict[str, str], what: str) -> tuple[str | None, float]:
    """Check ``derivation, denominator, scale``; return the denominator and scale."""
    derivation = row["derivation"]
    if derivation == "none":
        if row["denominator"] or row["scale"]:
            msg = f"{what}: derivation 'none' takes no denominator or scale"
            raise SchemaError(msg)
        return None, 1.0
    if derivation not in DERIVATIONS:
        allowed = ["none", *DERIVATIONS]
        msg = f"{what}: derivation {derivation!r} is not one of {allowed}"
        raise SchemaError(msg)
    if not row["denominator"]:
        msg = f"{what}: derivation {derivation!r} needs a denominator"
        raise SchemaError(msg)
    try:
        scale = float(row["scale"])
    except ValueError:
        scale = float("nan")
    if not scale > 0:
        msg = f"{what}: scale {row['scale']!r} must be a positive number"
        raise SchemaError(msg)
    return row["denominator"], scale


def _check_denominators(entries: dict[str, Entry]) -> None:
    """Each denominator is a published catalogue indicator covering the levels."""
    for item in entries.values():
        if item.denominator is None:
            continue
        den = entries.get(item.denominator)
        what = f"indicator catalogue row {item.indicator!r}"
        if den is None:
            msg = f"{what}: denominator {item.denominator!r} is not a catalogue id"
            raise SchemaError(msg)
        if den.denominator is not None:
            msg = (
                f"{what}: denominator {den.indicator!r} must itself be published, "
                "not derived"
            )
            raise SchemaError(msg)
        if not set(item.levels) <= set(den.levels):
            msg = (
                f"{what}: levels {list(item.levels)} exceed those of its denominator "
                f"{den.indicator!r} ({list(den.levels)})"
            )
            raise SchemaError(msg)


def validate_catalogue(frame: pd.DataFrame) -> dict[str, Entry]:
    """Check every row of a catalogue table; return the typed entries by id.

    Parameters
    ----------
    frame : pandas.DataFrame
        The catalogue as text cells, columns :data:`CATALOGUE_COLUMNS`.

    Returns
    -------
    dict of str to Entry
        One entry per row, in the table's order.

    Raises
    ------
    SchemaError
        Naming the first bad row and what is allowed.

    Examples
    --------
    >>> table = catalogue_table()
    >>> len(validate_catalogue(table)) == len(table)
    True
    >>> table.loc[0, "pillar"] = "wealth"
    >>> validate_catalogue(table)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: ... pillar 'wealth' is not one of [...]
    """
    if tuple(frame.columns) != CATALOGUE_COLUMNS:
        msg = (
            f"indicator catalogue columns are {list(frame.columns)}; expected "
            f"{list(CATALOGUE_COLUMNS)}"
        )
        raise SchemaError(msg)
    require_unique(frame, ["indicator"], what="indicator catalogue")
    out: dict[str, Entry] = {}
    for row in _rows(frame):
        what = f"indicator catalogue row {row['indicator']!r}"
        _check_row(row, what)
        denominator, scale = _derivation(row, what)
        out[row["indicator"]] = Entry(
            indicator=row["indicator"],
            pillar=row["pillar"],
            dataset=row["dataset"],
            filters=parse_filters(row["filters"], what=what),
            unit=row["unit"],
            levels=_parse_levels(row["levels"], what),
            derivation=row["derivation"],
            denominator=denominator,
            scale=scale,
        )
    _check_denominators(out)
    return out


# ------------------------------------------------------------------------ lookups


@functools.lru_cache(maxsize=1)
def _read() -> tuple[pd.DataFrame, dict[str, Entry]]:
    frame = read_package_csv(_CATALOGUE_FILE)
    return frame, validate_catalogue(frame)


def catalogue_table() -> pd.DataFrame:
    """Return the checked catalogue file as text cells (a copy).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CATALOGUE_COLUMNS`, every cell a string (``""`` if empty).

    Examples
    --------
    >>> catalogue_table().loc[0, ["indicator", "levels", "higher_is_better"]].tolist()
    ['gdp_pps_per_inhabitant', '0;1;2;3', 'true']
    """
    return _read()[0].copy()


def entries() -> dict[str, Entry]:
    """Return every catalogue entry by id, in catalogue order.

    Returns
    -------
    dict of str to Entry
        The shared, read-once entries (do not modify).

    Examples
    --------
    >>> [i for i, e in entries().items() if 3 in e.levels][:2]
    ['gdp_pps_per_inhabitant', 'gdp_pps_per_inhabitant_index']
    """
    return _read()[1]


def entry(indicator: str) -> Entry:
    """Return the entry of *indicator*, or say which ids come close.

    Parameters
    ----------
    indicator : str
        A catalogue id.

    Returns
    -------
    Entry
        Its catalogue row.

    Raises
    ------
    SchemaError
        For an unknown id, listing close matches (or every id).

    Examples
    --------
    >>> entry("population").dataset
    'demo_r_d2jan'
    >>> entry("broadband")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: unknown indicator 'broadband'; did you mean [...
    """
    known = entries()
    if isinstance(indicator, str) and indicator in known:
        return known[indicator]
    close = difflib.get_close_matches(str(indicator), list(known), n=5, cutoff=0.5)
    hint = f"did you mean {close}?" if close else f"known indicators: {sorted(known)}"
    msg = f"unknown indicator {indicator!r}; {hint} (see regiongap.catalogue())"
    raise SchemaError(msg)


def datasets_of(item: Entry) -> list[str]:
    """Return the Eurostat datasets *item* reads: its own, then its denominator's.

    Parameters
    ----------
    item : Entry
        A catalogue entry.

    Returns
    -------
    list of str
        Dataset codes.

    Examples
    --------
    >>> datasets_of(entry("household_primary_income_per_inhabitant"))
    ['nama_10r_2hhinc', 'demo_r_d2jan']
    """
    codes = [item.dataset]
    if item.denominator is not None:
        codes.extend(datasets_of(entries()[item.denominator]))
    return codes


# ---------------------------------------------------------------------- arguments


def check_years(years: int | Iterable[int] | None) -> frozenset[int] | None:
    """Normalise a *years* argument: None, an int, a range or an iterable of ints.

    Parameters
    ----------
    years : int, range, iterable of int or None
        What the caller passed as ``years``.

    Returns
    -------
    frozenset of int or None
        The years, ``None`` for every year.

    Raises
    ------
    SchemaError
        For anything but whole years, or an empty selection.

    Examples
    --------
    >>> sorted(check_years(range(2018, 2021)))
    [2018, 2019, 2020]
    >>> check_years("2019")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: years must be an int, a range or a list ... '2019'
    """
    if years is None:
        return None
    if isinstance(years, bool | str | bytes):
        msg = f"years must be an int, a range or a list of ints, got {years!r}"
        raise SchemaError(msg)
    items: Iterable[object] = [years] if isinstance(years, int) else years
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
    return frozenset(int(y) for y in values if _is_int(y))


def _is_int(value: object) -> TypeGuard[SupportsInt]:
    """Whether *value* is a whole number that is neither a float nor text."""
    if isinstance(value, float | str) or not isinstance(value, SupportsInt):
        return False
    try:
        return int(value) == value
    except (TypeError, ValueError):
        return False
