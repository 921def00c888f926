"""NUTS codes: level, country, parent, children, aggregates, extra-regio, EU-27.

Pure functions over the official NUTS code lists that ship with regiongap
(derived from Eurostat's NUTS 2021 workbook, see ``data/nuts/README.md``). No
geometry here: shapes live in :mod:`regiongap.load.boundaries`.

Rules for a code
----------------
* A NUTS code is two upper-case letters (Eurostat's country code: ``EL`` for
  Greece, ``UK`` for the United Kingdom) followed by up to three upper-case
  letters or digits; its level is its length minus two (``DE`` 0, ``DE1`` 1,
  ``DE11`` 2, ``DE111`` 3).
* Extra-regio codes (``FRZ``, ``FRZZ``, ``FRZZZ``: territory not attached to any
  region, e.g. embassies, continental shelf) are NUTS codes at levels 1–3;
  :func:`is_extra_regio` tells them apart.
* Aggregates such as ``EU27_2020``, ``EU28``, ``EA20`` or ``EFTA`` are not NUTS
  regions: :func:`is_aggregate` recognises them and the level/country/parent
  helpers reject them.
* The country part must be a country of the NUTS workbook (EU-27, the UK, and
  the EFTA/candidate countries with statistical regions) or one of the other
  countries Eurostat codes the same way in its regional tables (``BA``,
  ``XK``); anything else (``XX99``) is a :class:`~regiongap.errors.SchemaError`.
* The helpers are strict: ``" de11 "``, ``"de11"`` and ``"GR"`` raise a
  :class:`~regiongap.errors.SchemaError` that names the value and the canonical
  form. Normalising is explicit, through :func:`normalize_nuts`, which strips
  surrounding white space, upper-cases, and maps the ISO 3166 country codes
  ``GR`` → ``EL`` and ``GB`` → ``UK`` for two-letter country codes only (the
  only places where the mapping is unambiguous: no NUTS code starts with
  ``GR`` or ``GB``).

Versions
--------
:func:`nuts_codes` lists the codes of NUTS 2016 or 2021; :func:`validate_nuts`,
:func:`nuts_version` and :func:`recode_nuts` (in :mod:`regiongap.geo.versions`,
re-exported here) check and convert between the two.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable
from importlib import resources
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap.errors import SchemaError

if TYPE_CHECKING:
    from regiongap.geo.versions import (
        NutsVersion,
        nuts_version,
        recode_nuts,
        validate_nuts,
    )

__all__ = [
    "EU27_COUNTRIES",
    "NUTS_LEVELS",
    "NUTS_YEARS",
    "NutsVersion",
    "is_aggregate",
    "is_eu27",
    "is_extra_regio",
    "known_countries",
    "normalize_nuts",
    "nuts_children",
    "nuts_codes",
    "nuts_country",
    "nuts_level",
    "nuts_parent",
    "nuts_typologies",
    "nuts_version",
    "recode_nuts",
    "validate_nuts",
]

#: Member states of the EU since 1 February 2020, Eurostat's codes (``EL``, not ``GR``).
EU27_COUNTRIES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR",
    "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
    "SK",
)  # fmt: skip

#: NUTS versions regiongap ships code lists for.
NUTS_YEARS: tuple[int, ...] = (2016, 2021)

#: NUTS levels: 0 (country) to 3 (small regions).
NUTS_LEVELS: tuple[int, ...] = (0, 1, 2, 3)

# Countries coded like NUTS by Eurostat in regional tables but absent from the
# NUTS 2021 workbook: Bosnia and Herzegovina and Kosovo (statistical regions
# published outside the classification, e.g. XK001 in demo_r_pjanaggr3).
_OTHER_COUNTRIES: tuple[str, ...] = ("BA", "XK")

_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
_EXTRA_REGIO = re.compile(r"[A-Z]{2}Z{1,3}")
# Eurostat aggregates of countries: EU, EU15, EU25, EU27_2007, EU27_2020, EU28,
# EA, EA11 … EA20, EEA, EEA30_2007, EFTA, EU27_2020_EFTA-style unions, and the
# "_TOT"/"_NAT" style totals some tables use (DE_TOT).
_AGGREGATE = re.compile(
    r"(EU|EA|EEA)\d{0,2}(_\d{4})?(_[A-Z0-9_]+)?|EFTA|[A-Z]{2}_(TOT|NAT)[A-Z0-9_]*"
)
_ISO_TO_EUROSTAT = {"GR": "EL", "GB": "UK"}
# The one break of the prefix rule: NUTS 2016 coded seven Northern Ireland NUTS 3
# regions UKN10–UKN16 although their NUTS 2 region is UKN0 (NUTS 2021 recoded them
# UKN0A–UKN0G). "UKN1" is a region in no version, so the mapping is unambiguous.
_PREFIX_EXCEPTIONS = {"UKN1": "UKN0"}

_DATA = "regiongap.data.nuts"


# ---------------------------------------------------------------- package data
def _read_package_csv(name: str, dtype: dict[str, Any]) -> pd.DataFrame:
    """Read one CSV shipped in ``regiongap/data/nuts`` (empty cells stay ``""``)."""
    with resources.files(_DATA).joinpath(name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=dtype, keep_default_na=False)


@functools.cache
def _codes_table(year: int) -> pd.DataFrame:
    """Read the shipped code list of NUTS *year* once per process (never handed out)."""
    frame = _read_package_csv(
        f"nuts{year}.csv",
        {"geo": str, "name": str, "level": "int64", "country": str},
    )
    for column in ("extra_regio", "statistical_region"):
        if frame[column].dtype != bool:
            msg = f"package data nuts{year}.csv: column {column!r} is not boolean"
            raise SchemaError(msg)
    return frame


@functools.cache
def _changes_table() -> pd.DataFrame:
    """Read the shipped change table NUTS 2016 → 2021 once per process."""
    frame = _read_package_csv(
        "nuts_changes_2016_2021.csv",
        {"code_2016": str, "code_2021": str, "remark": str},
    )
    for column in ("code_2016", "code_2021", "remark"):
        frame[column] = frame[column].replace("", None)
    return frame


@functools.cache
def _code_set(year: int) -> frozenset[str]:
    return frozenset(_codes_table(year)["geo"])


@functools.cache
def _known_countries() -> frozenset[str]:
    countries: set[str] = set(_OTHER_COUNTRIES)
    for year in NUTS_YEARS:
        countries.update(_codes_table(year)["country"])
    return frozenset(countries)


def __getattr__(name: str) -> Any:
    # validate_nuts, nuts_version, recode_nuts live in regiongap.geo.versions
    # (which imports this module); binding them lazily avoids an import cycle.
    if name in {"validate_nuts", "nuts_version", "recode_nuts", "NutsVersion"}:
        from regiongap.geo import versions as nuts_versions

        return getattr(nuts_versions, name)
    msg = f"module 'regiongap.geo.codes' has no attribute {name!r}"
    raise AttributeError(msg)


def known_countries() -> tuple[str, ...]:
    """Return the country codes the helpers accept (sorted; ``EL`` and ``UK`` style)."""
    return tuple(sorted(_known_countries()))


# ------------------------------------------------------------- argument checks
def check_year(year: object) -> int:
    """Return *year* if it is a NUTS version regiongap knows, else raise.

    Raises
    ------
    SchemaError
        Naming the year and :data:`NUTS_YEARS`.
    """
    if isinstance(year, bool) or not isinstance(year, int) or year not in NUTS_YEARS:
        msg = f"unknown NUTS year {year!r}; regiongap knows NUTS {list(NUTS_YEARS)}"
        raise SchemaError(msg)
    return year


def check_level(level: object) -> int:
    """Return *level* if it is 0, 1, 2 or 3, else raise a :class:`SchemaError`."""
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or level not in NUTS_LEVELS
    ):
        msg = f"NUTS level {level!r} is not one of {list(NUTS_LEVELS)}"
        raise SchemaError(msg)
    return level


def normalize_nuts(code: object) -> str:
    """Return the canonical form of *code* where it is unambiguous.

    Strips surrounding white space, upper-cases, and maps the ISO 3166 codes
    ``GR`` and ``GB`` (two-letter country codes only) to Eurostat's ``EL`` and
    ``UK``. The result is checked like any code (:func:`nuts_level`), so an
    aggregate (``eu27_2020`` → ``EU27_2020``) is returned as such but an unknown
    country is an error.

    Parameters
    ----------
    code : str
        A NUTS code as typed or read from a file.

    Returns
    -------
    str
        The canonical code.

    Raises
    ------
    SchemaError
        If *code* is not a string, has inner white space, or is not a NUTS code
        or aggregate after normalising.

    Examples
    --------
    >>> normalize_nuts(" de11 ")
    'DE11'
    >>> normalize_nuts("GR")
    'EL'
    """
    if not isinstance(code, str):
        msg = f"NUTS code {code!r} is not a string (type {type(code).__name__})"
        raise SchemaError(msg)
    clean = code.strip().upper()
    clean = _ISO_TO_EUROSTAT.get(clean, clean)
    if is_aggregate(clean):
        return clean
    _check_code(clean, original=code)
    return clean


def _canonical_hint(code: str) -> str:
    clean = code.strip().upper()
    clean = _ISO_TO_EUROSTAT.get(clean, clean)
    if clean != code and (_CODE.fullmatch(clean) or _AGGREGATE.fullmatch(clean)):
        return f"; did you mean {clean!r}? (normalize_nuts() makes it canonical)"
    return ""


def _check_code(code: object, *, original: object = None) -> str:
    """Return *code* if it is a well-formed NUTS code of a known country, else raise."""
    shown = code if original is None else original
    if not isinstance(code, str):
        msg = f"NUTS code {shown!r} is not a string (type {type(code).__name__})"
        raise SchemaError(msg)
    if _AGGREGATE.fullmatch(code):
        msg = (
            f"{shown!r} is an aggregate of countries, not a NUTS region; "
            "filter aggregates out first (is_aggregate)"
        )
        raise SchemaError(msg)
    if not _CODE.fullmatch(code):
        msg = (
            f"{shown!r} is not a NUTS code: expected two upper-case letters and up "
            f"to three upper-case letters or digits (e.g. 'DE', 'DE1', 'DE11', "
            f"'DE111'){_canonical_hint(code)}"
        )
        raise SchemaError(msg)
    if code[:2] not in _known_countries():
        hint = ""
        if code[:2] in _ISO_TO_EUROSTAT:
            hint = f" (Eurostat writes {_ISO_TO_EUROSTAT[code[:2]]!r})"
        msg = (
            f"{shown!r} has unknown country code {code[:2]!r}{hint}; known: "
            f"{sorted(_known_countries())}"
        )
        raise SchemaError(msg)
    return code


# ------------------------------------------------------------------ predicates
def is_aggregate(code: str) -> bool:
    """Return whether *code* is a Eurostat aggregate of countries, not a region.

    Recognised pattern: ``EU``/``EA``/``EEA`` with an optional member count and
    optional ``_YYYY`` composition year and suffix (``EU``, ``EU15``, ``EU27_2007``,
    ``EU27_2020``, ``EU28``, ``EA19``, ``EA20``, ``EEA30_2007``), ``EFTA``, and
    national totals written ``CC_TOT…``/``CC_NAT…`` (``DE_TOT``).

    Raises
    ------
    SchemaError
        If *code* is not a string.

    Examples
    --------
    >>> is_aggregate("EU27_2020"), is_aggregate("EA20"), is_aggregate("DE1")
    (True, True, False)
    """
    if not isinstance(code, str):
        msg = f"code {code!r} is not a string (type {type(code).__name__})"
        raise SchemaError(msg)
    return _AGGREGATE.fullmatch(code) is not None


def is_extra_regio(code: str) -> bool:
    """Return whether *code* is an extra-regio code (``FRZ``, ``FRZZ``, ``ITZZZ``).

    Aggregates are not extra-regio (``False``).

    Raises
    ------
    SchemaError
        If *code* is malformed or of an unknown country.
    """
    if isinstance(code, str) and _AGGREGATE.fullmatch(code):
        return False
    _check_code(code)
    return _EXTRA_REGIO.fullmatch(code) is not None


def is_eu27(code: str) -> bool:
    """Return whether the NUTS region *code* lies in an EU-27 (2020) member state.

    Aggregates (``EU27_2020`` included) are not regions and give ``False``;
    extra-regio codes of a member state give ``True``.

    Raises
    ------
    SchemaError
        If *code* is malformed or of an unknown country.
    """
    if isinstance(code, str) and _AGGREGATE.fullmatch(code):
        return False
    return _check_code(code)[:2] in EU27_COUNTRIES


# --------------------------------------------------------------------- helpers
def nuts_level(code: str) -> int:
    """Return the NUTS level (0–3) of *code*, from its length.

    Raises
    ------
    SchemaError
        If *code* is not a string, is an aggregate, is malformed (white space,
        lower case, too long), or its country is unknown.

    Examples
    --------
    >>> nuts_level("DE"), nuts_level("DE1"), nuts_level("DE11"), nuts_level("FRZZZ")
    (0, 1, 2, 3)
    """
    return len(_check_code(code)) - 2


def nuts_country(code: str) -> str:
    """Return the Eurostat country code of *code* (``EL`` for Greece, ``UK``).

    Raises
    ------
    SchemaError
        As :func:`nuts_level`.

    Examples
    --------
    >>> nuts_country("EL301")
    'EL'
    """
    return _check_code(code)[:2]


def nuts_parent(code: str, level: int | None = None) -> str:
    """Return the region containing *code* at *level* (default: one level up).

    NUTS codes are hierarchical, so the parent is a prefix: ``DE111`` → ``DE11``
    (level 2), ``DE1`` (1), ``DE`` (0). *level* equal to the code's own level
    returns the code itself. The one exception, NUTS 2016's ``UKN10``–``UKN16``
    (Northern Ireland, NUTS 2 parent ``UKN0``), is handled.

    Raises
    ------
    SchemaError
        If *code* is invalid, *level* is not 0–3, is below the code's level, or
        *code* is a country and no level is given.
    """
    own = nuts_level(code)
    if level is None:
        if own == 0:
            msg = f"{code!r} is a country (NUTS 0) and has no parent"
            raise SchemaError(msg)
        level = own - 1
    check_level(level)
    if level > own:
        msg = (
            f"cannot take the NUTS {level} parent of {code!r}: it is a NUTS {own} "
            f"code (parent level must be ≤ {own}); use nuts_children() to go down"
        )
        raise SchemaError(msg)
    prefix = code[: 2 + level]
    return _PREFIX_EXCEPTIONS.get(prefix, prefix)


def nuts_children(
    code: str, level: int | None = None, year: int = 2021, *, extra_regio: bool = False
) -> list[str]:
    """Return the NUTS *year* regions at *level* inside *code*, in official order.

    Parameters
    ----------
    code : str
        A region of NUTS *year*.
    level : int, optional
        The level of the children (default: one below *code*); must be above
        the code's level and at most 3.
    year : {2016, 2021}
        The NUTS version to look children up in.
    extra_regio : bool
        Include extra-regio children (``FRZZ``); default ``False``. Children of
        an extra-regio code are always extra-regio and always returned.

    Raises
    ------
    SchemaError
        If *code* is invalid or not a code of NUTS *year*, or *level* is out of range.

    Examples
    --------
    >>> nuts_children("HR0", 2)
    ['HR02', 'HR03', 'HR05', 'HR06']
    """
    own = nuts_level(code)
    check_year(year)
    if level is None:
        level = own + 1
    check_level(level)
    if level <= own:
        msg = (
            f"children of {code!r} (NUTS {own}) must be at a lower level, i.e. "
            f"level > {own}; got level={level} (use nuts_parent() to go up)"
        )
        raise SchemaError(msg)
    _require_in_version(code, year)
    table = _codes_table(year)
    prefix = table["geo"].str[: 2 + own].replace(_PREFIX_EXCEPTIONS)
    keep = (table["level"] == level) & (prefix == code)
    if not extra_regio and not _EXTRA_REGIO.fullmatch(code):
        keep &= ~table["extra_regio"]
    return table.loc[keep, "geo"].tolist()


def _require_in_version(code: str, year: int) -> None:
    if code in _code_set(year):
        return
    others = [y for y in NUTS_YEARS if y != year and code in _code_set(y)]
    where = f"; it is a NUTS {others[0]} code (recode_nuts converts)" if others else ""
    msg = f"{code!r} is not a region of NUTS {year}{where}"
    raise SchemaError(msg)


def nuts_codes(
    year: int = 2021,
    level: int | None = None,
    *,
    extra_regio: bool = False,
    countries: str | list[str] | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Return the official list of NUTS *year* regions.

    Parameters
    ----------
    year : {2016, 2021}
        NUTS version.
    level : int, optional
        Only this level (0–3); default all.
    extra_regio : bool
        Include extra-regio codes (``FRZ``, ``FRZZ``, ``FRZZZ``); default ``False``,
        matching GISCO's shapes and Eurostat's published region counts.
    countries : str or sequence of str, optional
        Only these countries; ``"EU27"`` is a shortcut for :data:`EU27_COUNTRIES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``geo, name, level, country, extra_regio, statistical_region``
        in the workbook's order; ``name`` is the Latin name and
        ``statistical_region`` is ``True`` for EFTA and candidate countries,
        whose regions are statistical regions rather than legal NUTS regions.
        A fresh copy: changing it changes nothing else.

    Raises
    ------
    SchemaError
        Unknown year, level out of range, or unknown country.

    Examples
    --------
    >>> len(nuts_codes(2021, level=2, countries="EU27"))
    242
    """
    check_year(year)
    table = _codes_table(year)
    keep = pd.Series(True, index=table.index)
    if level is not None:
        keep &= table["level"] == check_level(level)
    if not extra_regio:
        keep &= ~table["extra_regio"]
    if countries is not None:
        wanted = _country_list(countries)
        keep &= table["country"].isin(wanted)
    return table.loc[keep].reset_index(drop=True).copy()


def _country_list(countries: str | list[str] | tuple[str, ...]) -> list[str]:
    if isinstance(countries, str):
        countries = list(EU27_COUNTRIES) if countries == "EU27" else [countries]
    out = []
    for country in countries:
        if not isinstance(country, str) or country not in _known_countries():
            msg = (
                f"unknown country {country!r}; use Eurostat codes (EL, UK) from "
                f"{sorted(_known_countries())} or 'EU27'"
            )
            raise SchemaError(msg)
        out.append(country)
    return out


def nuts_names(year: int = 2021) -> dict[Hashable, str]:
    """Return ``{code: Latin name}`` for every NUTS *year* code (incl. extra-regio)."""
    table = _codes_table(check_year(year))
    return dict(zip(table["geo"], table["name"], strict=True))


@functools.cache
def _typologies_table() -> pd.DataFrame:
    frame = _read_package_csv(
        "nuts2021_typologies.csv",
        {"geo": str, "urbn_type": "int64", "coast_type": "int64"},
    )
    if frame["metropolitan"].dtype != bool:
        msg = "package data nuts2021_typologies.csv: 'metropolitan' is not boolean"
        raise SchemaError(msg)
    frame["metro_region"] = frame["metro_region"].replace("", None).astype("string")
    return frame


def nuts_typologies() -> pd.DataFrame:
    """Return Eurostat's territorial typologies of the NUTS 2021 level 3 regions.

    From the NUTS 2021 workbook (sheets "Urban-rural", "Metropolitan", "Coastal"),
    coded as GISCO codes them in its attribute tables:

    ``urbn_type``
        urban-rural typology: 1 predominantly urban, 2 intermediate,
        3 predominantly rural;
    ``coast_type``
        1 coastal (on the coast), 2 coastal (≥ 50 % of the population within
        50 km of the coastline), 3 non-coastal;
    ``metropolitan``
        whether the region belongs to a metropolitan region, and
        ``metro_region`` its code (e.g. ``AT001MC``; ``MC`` marks a capital
        metropolitan region), ``<NA>`` otherwise.

    Returns
    -------
    pandas.DataFrame
        One row per NUTS 3 region (1,512: all but extra-regio and Jan Mayen and
        Svalbard, ``NO0B1``/``NO0B2``, which the workbook does not classify);
        a fresh copy.

    Examples
    --------
    >>> t = nuts_typologies().set_index("geo")
    >>> int(t.loc["AT130", "urbn_type"]), t.loc["AT130", "metro_region"]
    (1, 'AT001MC')
    """
    return _typologies_table().copy()
