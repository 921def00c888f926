"""The rules of one catalogue row: parsing its cells and checking them.

:func:`validate_catalogue` turns the text cells of ``regiongap/data/indicators.csv``
into typed :class:`Entry` rows, naming the first bad row and what is allowed.
:mod:`~regiongap.indicators._entries` reads the file once and hands the entries
out by id.

A row names where its values come from in ``dataset`` (a Eurostat dataset code,
or ``gisco:<layer>`` for a layer of GISCO's basic-services points, counted per
region) and, for a Eurostat dataset, optionally ``fallback``: datasets read in
that order when the ones before cannot be read (the full dataset first, its
``tgs`` summary table after it). ``comparability`` says whether values can be
compared across countries (:data:`COMPARABILITY`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.indicators.derive import DERIVATIONS
from regiongap.schema import GEO, NUTS_LEVELS, TIME, require_unique

__all__ = [
    "CATALOGUE_COLUMNS",
    "COMPARABILITY",
    "GISCO_LAYERS",
    "PILLARS",
    "Comparability",
    "Entry",
    "Pillar",
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

#: How far an indicator's values can be compared: ``across_countries`` (harmonised
#: definitions) or ``within_country`` (e.g. counts from national registers that
#: count differently).
Comparability = Literal["across_countries", "within_country"]
#: The values of the catalogue's ``comparability`` column.
COMPARABILITY: tuple[Comparability, ...] = get_args(Comparability)

#: GISCO basic-services layers a catalogue row may name, with the measures it
#: may count per region (``filters`` is ``measure=<one of them>``).
GISCO_LAYERS: dict[str, tuple[str, ...]] = {
    "gisco:healthcare": ("hospitals", "cap_beds"),
}

#: Columns of the catalogue file, in order.
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "title",
    "pillar",
    "dataset",
    "fallback",
    "filters",
    "unit",
    "unit_label",
    "levels",
    "higher_is_better",
    "derivation",
    "denominator",
    "scale",
    "comparability",
    "source_note",
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Entry:
    """One catalogue row, typed.

    ``sources`` is the dataset and its fallbacks, in the order they are tried.

    Examples
    --------
    >>> from regiongap.indicators._entries import entry
    >>> e = entry("household_primary_income_per_inhabitant")
    >>> e.dataset, e.filters["unit"], e.levels, e.denominator, e.scale
    ('nama_10r_2hhinc', 'MIO_EUR', (0, 1, 2), 'population', 1000000.0)
    >>> entry("rd_expenditure_pct_gdp").sources
    ('rd_e_gerdreg', 'tgs00042')
    >>> entry("hospitals_per_100k").is_gisco, entry("hospitals_per_100k").comparability
    (True, 'within_country')
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
    fallback: tuple[str, ...] = ()
    comparability: str = "across_countries"

    @property
    def sources(self) -> tuple[str, ...]:
        """The dataset, then its fallbacks."""
        return (self.dataset, *self.fallback)

    @property
    def is_gisco(self) -> bool:
        """Whether the values are counted from a GISCO points layer."""
        return self.dataset in GISCO_LAYERS


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


def _parse_fallback(row: dict[str, str], what: str) -> tuple[str, ...]:
    """Read ``fallback``: distinct Eurostat codes, none of them the dataset."""
    text = row["fallback"].strip()
    if not text:
        return ()
    codes = tuple(c.strip() for c in text.split(";"))
    for code in codes:
        if not _CODE.match(code):
            msg = f"{what}: fallback {code!r} is not a lowercase Eurostat code"
            raise SchemaError(msg)
    if len(set(codes)) != len(codes) or row["dataset"] in codes:
        msg = (
            f"{what}: fallback {text!r} names a dataset twice (the dataset "
            f"{row['dataset']!r} is tried first anyway)"
        )
        raise SchemaError(msg)
    if row["dataset"] in GISCO_LAYERS:
        msg = f"{what}: a GISCO layer ({row['dataset']}) takes no fallback"
        raise SchemaError(msg)
    return codes


# --------------------------------------------------------------------- validation


def _rows(frame: pd.DataFrame) -> Iterator[dict[str, str]]:
    """Yield the catalogue's rows as ``{column: text}`` (every cell is text)."""
    for record in frame.to_dict("records"):
        yield {str(k): str(v) for k, v in record.items()}


def _check_dataset(row: dict[str, str], what: str) -> None:
    """Check ``dataset``: a Eurostat code, or a GISCO layer with a measure."""
    dataset = row["dataset"]
    if dataset in GISCO_LAYERS:
        measures = GISCO_LAYERS[dataset]
        if row["filters"] not in {f"measure={m}" for m in measures}:
            msg = (
                f"{what}: a {dataset} row counts one measure; filters must be "
                f"one of {[f'measure={m}' for m in measures]}, got {row['filters']!r}"
            )
            raise SchemaError(msg)
        return
    if not _CODE.match(dataset):
        msg = (
            f"{what}: dataset {dataset!r} is not a lowercase Eurostat code nor a "
            f"GISCO layer {sorted(GISCO_LAYERS)}"
        )
        raise SchemaError(msg)


def _check_row(row: dict[str, str], what: str) -> None:
    """Check the cells of one row that need no other row."""
    if not _ID.match(row["indicator"]):
        msg = f"{what}: id must be a lowercase slug ([a-z][a-z0-9_]*)"
        raise SchemaError(msg)
    if row["pillar"] not in PILLARS:
        msg = f"{what}: pillar {row['pillar']!r} is not one of {list(PILLARS)}"
        raise SchemaError(msg)
    _check_dataset(row, what)
    if row["higher_is_better"] not in ("true", "false", ""):
        msg = f"{what}: higher_is_better must be true, false or empty"
        raise SchemaError(msg)
    if row["comparability"] not in COMPARABILITY:
        msg = (
            f"{what}: comparability {row['comparability']!r} is not one of "
            f"{list(COMPARABILITY)}"
        )
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
    >>> from regiongap.indicators._entries import catalogue_table
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
            fallback=_parse_fallback(row, what),
            comparability=row["comparability"],
        )
    _check_denominators(out)
    return out
