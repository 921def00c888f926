"""NUTS codes one at a time: level, country, parent, aggregates, extra-regio, EU-27.

Pure functions over the rules of a code and the countries of the official NUTS code
lists that ship with regiongap (derived from Eurostat's NUTS workbooks, see
``data/nuts/README.md``); the lists themselves are in :mod:`regiongap.geo.lists`.
No geometry here: shapes live in :mod:`regiongap.load.boundaries`.

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
:func:`regiongap.geo.lists.nuts_codes` lists the codes of NUTS 2013, 2016, 2021 or
2024; :mod:`regiongap.geo.versions` checks and converts between them along the
official correspondence (:mod:`regiongap.geo.correspondence`).
"""

from __future__ import annotations

from regiongap.errors import SchemaError
from regiongap.geo._rules import (
    AGGREGATE,
    EXTRA_REGIO,
    ISO_TO_EUROSTAT,
    PREFIX_EXCEPTIONS,
    check_code,
)
from regiongap.geo._tables import country_set
from regiongap.schema import check_level

__all__ = [
    "EU27_COUNTRIES",
    "is_aggregate",
    "is_eu27",
    "is_extra_regio",
    "known_countries",
    "normalise_nuts",
    "nuts_country",
    "nuts_level",
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
        The countries of the NUTS 2013–2024 code lists, and ``BA``.

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
