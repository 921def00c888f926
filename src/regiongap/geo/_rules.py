"""The rules of a NUTS code, shared by the modules of :mod:`regiongap.geo`.

Its patterns (a code, an extra-regio code, an aggregate of countries, Eurostat's
"not regionalised" codes), Eurostat's country conventions, the parent-prefix rule
with its one exception, and the check of one code against them.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._tables import country_set
from regiongap.schema import NUTS_YEARS

__all__ = [
    "AGGREGATE",
    "CODE",
    "EXTRA_REGIO",
    "ISO_TO_EUROSTAT",
    "MISSING",
    "NOT_REGIONALISED",
    "PREFIX_EXCEPTIONS",
    "check_code",
    "is_missing",
    "parent_codes",
    "problem",
    "shown",
    "unknown_reason",
]

#: A well-formed code: the country and up to three letters or digits.
CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
#: Extra-regio codes (``FRZ``, ``FRZZ``, ``FRZZZ``).
EXTRA_REGIO = re.compile(r"[A-Z]{2}Z{1,3}")
#: Eurostat aggregates of countries: EU, EU15, EU25, EU27_2007, EU27_2020, EU28,
#: EA, EA11 … EA20, EEA, EEA30_2007, EFTA, EU27_2020_EFTA-style unions, and the
#: "_TOT"/"_NAT" style totals some tables use (DE_TOT).
AGGREGATE = re.compile(
    r"(EU|EA|EEA)\d{0,2}(_\d{4})?(_[A-Z0-9_]+)?|EFTA|[A-Z]{2}_(TOT|NAT)[A-Z0-9_]*"
)
#: Eurostat's "not regionalised" codes (FRX, HUXX, ALXXX): values it could not
#: attribute to a region. Well-formed, in no NUTS version, worth naming as such.
NOT_REGIONALISED = re.compile(r"[A-Z]{2}X{1,3}")
#: ISO 3166 country codes Eurostat writes otherwise.
ISO_TO_EUROSTAT = {"GR": "EL", "GB": "UK"}
#: The one break of the prefix rule: NUTS 2016 coded seven Northern Ireland NUTS 3
#: regions UKN10–UKN16 although their NUTS 2 region is UKN0 (NUTS 2021 recoded them
#: UKN0A–UKN0G). "UKN1" is a region in no version, so the mapping is unambiguous.
PREFIX_EXCEPTIONS = {"UKN1": "UKN0"}
#: How a missing code is shown and keyed.
MISSING = "<missing>"

_UNKNOWN_VERSION = "(a typo, or a code of an older version such as NUTS 2010)"


def _canonical_hint(code: str) -> str:
    clean = code.strip().upper()
    clean = ISO_TO_EUROSTAT.get(clean, clean)
    if clean != code and (CODE.fullmatch(clean) or AGGREGATE.fullmatch(clean)):
        return f"; did you mean {clean!r}? (normalise_nuts() makes it canonical)"
    return ""


def check_code(code: object, *, original: object = None) -> str:
    """Return *code* if it is a well-formed NUTS code of a known country, else raise.

    Parameters
    ----------
    code : object
        The code to check.
    original : object, optional
        What the user wrote, shown in the message instead of *code*.

    Returns
    -------
    str
        *code*.

    Raises
    ------
    SchemaError
        Naming the code and what a NUTS code looks like.

    Examples
    --------
    >>> check_code("DE11")
    'DE11'
    >>> check_code("de11")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: 'de11' is not a NUTS code: ... mean 'DE11'? ...
    """
    shown_code = code if original is None else original
    if not isinstance(code, str):
        msg = f"NUTS code {shown_code!r} is not a string (type {type(code).__name__})"
        raise SchemaError(msg)
    if AGGREGATE.fullmatch(code):
        msg = (
            f"{shown_code!r} is an aggregate of countries, not a NUTS region; "
            "filter aggregates out first (is_aggregate)"
        )
        raise SchemaError(msg)
    if not CODE.fullmatch(code):
        msg = (
            f"{shown_code!r} is not a NUTS code: expected two upper-case letters and "
            f"up to three upper-case letters or digits (e.g. 'DE', 'DE1', 'DE11', "
            f"'DE111'){_canonical_hint(code)}"
        )
        raise SchemaError(msg)
    if code[:2] not in country_set():
        hint = ""
        if code[:2] in ISO_TO_EUROSTAT:
            hint = f" (Eurostat writes {ISO_TO_EUROSTAT[code[:2]]!r})"
        msg = (
            f"{shown_code!r} has unknown country code {code[:2]!r}{hint}; known: "
            f"{sorted(country_set())}"
        )
        raise SchemaError(msg)
    return code


def problem(code: object) -> str | None:
    """Return why *code* is not a well-formed NUTS code, or ``None`` if it is.

    Parameters
    ----------
    code : object
        The code to check.

    Returns
    -------
    str or None
        :func:`check_code`'s message without the list of known countries.

    Examples
    --------
    >>> problem("DE11") is None
    True
    >>> problem("XX99")
    "'XX99' has unknown country code 'XX'"
    """
    try:
        check_code(code)
    except SchemaError as exc:
        return str(exc).split("; known:")[0]
    return None


def is_missing(code: object) -> bool:
    """Return whether *code* is missing (``None``, NaN or ``pd.NA``).

    Parameters
    ----------
    code : object
        A value of a code column.

    Returns
    -------
    bool
        ``True`` for ``None``, a float NaN and ``pd.NA``.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing("DE")
    (True, True, False)
    """
    return (
        code is None
        or (isinstance(code, float) and math.isnan(code))
        or (code is pd.NA)
    )


def shown(code: object) -> str:
    """Return *code* as text for a message (:data:`MISSING` when missing).

    Parameters
    ----------
    code : object
        A value of a code column.

    Returns
    -------
    str
        The code, or ``"<missing>"``.

    Examples
    --------
    >>> shown("DE11"), shown(None)
    ('DE11', '<missing>')
    """
    return MISSING if is_missing(code) else str(code)


def unknown_reason(code: str) -> str:
    """Return why a well-formed *code* is in no NUTS version regiongap knows.

    Parameters
    ----------
    code : str
        A well-formed code in no shipped code list.

    Returns
    -------
    str
        The reason, naming Eurostat's "not regionalised" codes as such.

    Examples
    --------
    >>> unknown_reason("DE1Z")
    'not in NUTS 2013, 2016, 2021 or 2024 (a typo, or a code of an older version ...)'
    >>> unknown_reason("FRXX")
    "not in NUTS 2013, 2016, 2021 or 2024: Eurostat's 'not regionalised' code ..."
    """
    versions = ", ".join(map(str, NUTS_YEARS[:-1])) + f" or {NUTS_YEARS[-1]}"
    if NOT_REGIONALISED.fullmatch(code):
        return (
            f"not in NUTS {versions}: Eurostat's 'not regionalised' code "
            "(values not attributed to any region)"
        )
    return f"not in NUTS {versions} {_UNKNOWN_VERSION}"


def parent_codes(codes: pd.Series, level: int) -> pd.Series:
    """Return the region at *level* containing each code (its prefix).

    Parameters
    ----------
    codes : pandas.Series
        Well-formed codes at *level* or below.
    level : int
        The level of the parents.

    Returns
    -------
    pandas.Series
        The parents, with NUTS 2016's ``UKN1x`` → ``UKN0`` exception applied.

    Examples
    --------
    >>> parent_codes(pd.Series(["DE111", "UKN10"]), 2).tolist()
    ['DE11', 'UKN0']
    """
    prefix = codes.astype(str).str[: 2 + level]
    return prefix.replace(PREFIX_EXCEPTIONS)
