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
  form. Normalising is explicit, through :func:`normalise_nuts`, which strips
  surrounding white space, upper-cases, and maps the ISO 3166 country codes
  ``GR`` → ``EL`` and ``GB`` → ``UK`` for two-letter country codes only (the
  only places where the mapping is unambiguous: no NUTS code starts with
  ``GR`` or ``GB``).

Versions
--------
:func:`nuts_codes` lists the codes of NUTS 2016 or 2021; :mod:`regiongap.geo.versions`
checks and converts between the two.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._rules import (
    AGGREGATE,
    EXTRA_REGIO,
    ISO_TO_EUROSTAT,
    PREFIX_EXCEPTIONS,
    check_code,
    parent_codes,
)
from regiongap.geo._tables import code_list, code_set, country_set
from regiongap.schema import NUTS_YEARS, check_level, check_nuts_year

__all__ = [
    "EU27_COUNTRIES",
    "is_aggregate",
    "is_eu27",
    "is_extra_regio",
    "known_countries",
    "normalise_nuts",
    "nuts_children",
    "nuts_codes",
    "nuts_country",
    "nuts_level",
    "nuts_names",
    "nuts_parent",
]

#: Member states of the EU since 1 February 2020, Eurostat's codes (``EL``, not ``GR``).
EU27_COUNTRIES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR",
    "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
    "SK",
)  # fmt: skip


def known_countries() -> tuple[str, ...]:
    """Return the country codes the helpers accept (sorted; ``EL`` and ``UK`` style).

    Returns
    -------
    tuple of str
        The countries of the NUTS 2016 and 2021 code lists, and ``BA`` and ``XK``.

    Examples
    --------
    >>> countries = known_countries()
    >>> "EL" in countries, "GR" in countries, len(countries)
    (True, False, 39)
    """
    return tuple(sorted(country_set()))


def normalise_nuts(code: object) -> str:
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
    >>> normalise_nuts(" de11 ")
    'DE11'
    >>> normalise_nuts("GR")
    'EL'
    >>> normalise_nuts("eu27_2020")
    'EU27_2020'
    """
    if not isinstance(code, str):
        msg = f"NUTS code {code!r} is not a string (type {type(code).__name__})"
        raise SchemaError(msg)
    clean = code.strip().upper()
    clean = ISO_TO_EUROSTAT.get(clean, clean)
    if is_aggregate(clean):
        return clean
    check_code(clean, original=code)
    return clean


# ------------------------------------------------------------------ predicates
def is_aggregate(code: str) -> bool:
    """Return whether *code* is a Eurostat aggregate of countries, not a region.

    Recognised pattern: ``EU``/``EA``/``EEA`` with an optional member count and
    optional ``_YYYY`` composition year and suffix (``EU``, ``EU15``, ``EU27_2007``,
    ``EU27_2020``, ``EU28``, ``EA19``, ``EA20``, ``EEA30_2007``), ``EFTA``, and
    national totals written ``CC_TOT…``/``CC_NAT…`` (``DE_TOT``).

    Parameters
    ----------
    code : str
        A code as found in data.

    Returns
    -------
    bool
        ``True`` for an aggregate; ``False`` for anything else, malformed codes
        included.

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
    return AGGREGATE.fullmatch(code) is not None


def is_extra_regio(code: str) -> bool:
    """Return whether *code* is an extra-regio code (``FRZ``, ``FRZZ``, ``ITZZZ``).

    Parameters
    ----------
    code : str
        A NUTS code or an aggregate.

    Returns
    -------
    bool
        ``True`` for an extra-regio code; aggregates give ``False``.

    Raises
    ------
    SchemaError
        If *code* is malformed or of an unknown country.

    Examples
    --------
    >>> is_extra_regio("FRZZ"), is_extra_regio("FR10"), is_extra_regio("EU27_2020")
    (True, False, False)
    """
    if isinstance(code, str) and AGGREGATE.fullmatch(code):
        return False
    check_code(code)
    return EXTRA_REGIO.fullmatch(code) is not None


def is_eu27(code: str) -> bool:
    """Return whether the NUTS region *code* lies in an EU-27 (2020) member state.

    Parameters
    ----------
    code : str
        A NUTS code or an aggregate.

    Returns
    -------
    bool
        ``True`` for a region of a member state (its extra-regio codes
        included); aggregates (``EU27_2020`` too) are not regions and give
        ``False``.

    Raises
    ------
    SchemaError
        If *code* is malformed or of an unknown country.

    Examples
    --------
    >>> is_eu27("DE11"), is_eu27("FRZZ"), is_eu27("UKC1"), is_eu27("EU27_2020")
    (True, True, False, False)
    """
    if isinstance(code, str) and AGGREGATE.fullmatch(code):
        return False
    return check_code(code)[:2] in EU27_COUNTRIES


# --------------------------------------------------------------------- helpers
def nuts_level(code: str) -> int:
    """Return the NUTS level (0–3) of *code*, from its length.

    Parameters
    ----------
    code : str
        A NUTS code.

    Returns
    -------
    int
        The number of characters after the two-letter country.

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
    return len(check_code(code)) - 2


def nuts_country(code: str) -> str:
    """Return the Eurostat country code of *code* (``EL`` for Greece, ``UK``).

    Parameters
    ----------
    code : str
        A NUTS code.

    Returns
    -------
    str
        Its first two letters.

    Raises
    ------
    SchemaError
        As :func:`nuts_level`.

    Examples
    --------
    >>> nuts_country("EL301")
    'EL'
    """
    return check_code(code)[:2]


def nuts_parent(code: str, level: int | None = None) -> str:
    """Return the region containing *code* at *level* (default: one level up).

    NUTS codes are hierarchical, so the parent is a prefix: ``DE111`` → ``DE11``
    (level 2), ``DE1`` (1), ``DE`` (0). *level* equal to the code's own level
    returns the code itself. The one exception, NUTS 2016's ``UKN10``–``UKN16``
    (Northern Ireland, NUTS 2 parent ``UKN0``), is handled.

    Parameters
    ----------
    code : str
        A NUTS code below level 0 (or any code, with *level*).
    level : int, optional
        The level of the parent, at most the code's own level.

    Returns
    -------
    str
        The parent's code.

    Raises
    ------
    SchemaError
        If *code* is invalid, *level* is not 0–3, is below the code's level, or
        *code* is a country and no level is given.

    Examples
    --------
    >>> nuts_parent("DE111"), nuts_parent("DE111", 0), nuts_parent("UKN10", 2)
    ('DE11', 'DE', 'UKN0')
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
    return PREFIX_EXCEPTIONS.get(prefix, prefix)


def nuts_children(
    code: str,
    level: int | None = None,
    nuts_year: int = 2021,
    *,
    extra_regio: bool = False,
) -> list[str]:
    """Return the NUTS *nuts_year* regions at *level* inside *code*, in official order.

    Parameters
    ----------
    code : str
        A region of NUTS *nuts_year*.
    level : int, optional
        The level of the children (default: one below *code*); must be above
        the code's level and at most 3.
    nuts_year : {2016, 2021}
        The NUTS version to look children up in.
    extra_regio : bool
        Include extra-regio children (``FRZZ``); default ``False``. Children of
        an extra-regio code are always extra-regio and always returned.

    Returns
    -------
    list of str
        The children's codes, in the order of the official code list.

    Raises
    ------
    SchemaError
        If *code* is invalid or not a code of NUTS *nuts_year*, or *level* is out of
        range.

    Examples
    --------
    >>> nuts_children("HR0", 2)
    ['HR02', 'HR03', 'HR05', 'HR06']
    >>> nuts_children("HR0", 2, nuts_year=2016)
    ['HR03', 'HR04']
    """
    own = nuts_level(code)
    check_nuts_year(nuts_year)
    if level is None:
        level = own + 1
    check_level(level)
    if level <= own:
        msg = (
            f"children of {code!r} (NUTS {own}) must be at a lower level, i.e. "
            f"level > {own}; got level={level} (use nuts_parent() to go up)"
        )
        raise SchemaError(msg)
    _require_in_version(code, nuts_year)
    table = code_list(nuts_year)
    keep = (table["level"] == level) & (parent_codes(table["geo"], own) == code)
    if not extra_regio and not EXTRA_REGIO.fullmatch(code):
        keep &= ~table["extra_regio"]
    return table.loc[keep, "geo"].tolist()


def _require_in_version(code: str, nuts_year: int) -> None:
    if code in code_set(nuts_year):
        return
    others = [y for y in NUTS_YEARS if y != nuts_year and code in code_set(y)]
    where = f"; it is a NUTS {others[0]} code (recode_nuts converts)" if others else ""
    msg = f"{code!r} is not a region of NUTS {nuts_year}{where}"
    raise SchemaError(msg)


def nuts_codes(
    nuts_year: int = 2021,
    level: int | None = None,
    *,
    extra_regio: bool = False,
    countries: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the official list of NUTS *nuts_year* regions.

    Parameters
    ----------
    nuts_year : {2016, 2021}
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
        Columns ``geo, region_name, level, country, extra_regio,
        statistical_region`` in the workbook's order; ``region_name`` is the Latin
        name and ``statistical_region`` is ``True`` for EFTA and candidate
        countries, whose regions are statistical regions rather than legal NUTS
        regions. A fresh copy: changing it changes nothing else.

    Raises
    ------
    SchemaError
        Unknown *nuts_year*, level out of range, or unknown country.

    Examples
    --------
    >>> len(nuts_codes(2021, level=2, countries="EU27"))
    242
    >>> nuts_codes(2021, level=1, countries="HR")[["geo", "region_name", "level"]]
       geo region_name  level
    0  HR0    Hrvatska      1
    """
    table = code_list(check_nuts_year(nuts_year))
    keep = pd.Series(True, index=table.index)
    if level is not None:
        keep &= table["level"] == check_level(level)
    if not extra_regio:
        keep &= ~table["extra_regio"]
    if countries is not None:
        wanted = _country_list(countries)
        keep &= table["country"].isin(wanted)
    return table.loc[keep].reset_index(drop=True).copy()


def _country_list(countries: str | Sequence[str]) -> list[str]:
    if isinstance(countries, str):
        countries = list(EU27_COUNTRIES) if countries == "EU27" else [countries]
    out = []
    for country in countries:
        if not isinstance(country, str) or country not in country_set():
            msg = (
                f"unknown country {country!r}; use Eurostat codes (EL, UK) from "
                f"{sorted(country_set())} or 'EU27'"
            )
            raise SchemaError(msg)
        out.append(country)
    return out


def nuts_names(nuts_year: int = 2021) -> dict[Hashable, str]:
    """Return ``{code: Latin name}`` for every NUTS *nuts_year* code.

    Parameters
    ----------
    nuts_year : {2016, 2021}
        NUTS version.

    Returns
    -------
    dict
        Every code of the version, extra-regio included, to its ``region_name``.

    Raises
    ------
    SchemaError
        Unknown *nuts_year*.

    Examples
    --------
    >>> nuts_names()["ES22"]
    'Comunidad Foral de Navarra'
    """
    table = code_list(check_nuts_year(nuts_year))
    return dict(zip(table["geo"], table["region_name"], strict=True))
