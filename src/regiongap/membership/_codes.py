"""Check that a listed code is a region of its row's NUTS version, country and level.

The code checks of :func:`regiongap.membership.validate.validate_members`. Each row
has a NUTS version: its own ``nuts_year`` cell, else the version asked for, else —
when none is asked for — the version its code belongs to (NUTS 2021 first, then the
nearest one). A code that is missing, malformed, of another version than its row's
(with its successor from the official correspondence), in no version (with the
closest codes of its country and level), extra-regio, or at odds with the row's
``country`` or ``level`` is recorded with the reason and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from functools import lru_cache

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo.codes import nuts_level
from regiongap.geo.correspondence import nuts_successors, suggest_nuts
from regiongap.geo.lists import nuts_codes
from regiongap.membership._rows import Problems, as_int, is_missing
from regiongap.membership.vocabulary import MEMBERS_NUTS_YEAR
from regiongap.schema import NUTS_YEARS

__all__ = ["ISO2", "check_code", "code_version", "nuts_lookup", "row_version"]

ISO2 = re.compile(r"^[A-Z]{2}$")
"""A two-letter country code."""
# Eurostat's country codes differ from ISO 3166 for two countries only.
_ISO_TO_EUROSTAT = {"GR": "EL", "GB": "UK"}
_SAME_LAND = ("renamed", "minor_shift", "recoded")
_YEARS_TEXT = ", ".join(str(y) for y in NUTS_YEARS[:-1]) + f" or {NUTS_YEARS[-1]}"


@lru_cache(maxsize=len(NUTS_YEARS))
def nuts_lookup(nuts_year: int = MEMBERS_NUTS_YEAR) -> pd.DataFrame:
    """Return the official code list of a NUTS version indexed by ``geo`` (read-only).

    Parameters
    ----------
    nuts_year : {2013, 2016, 2021, 2024}, default 2021
        The NUTS version.

    Returns
    -------
    pandas.DataFrame
        ``region_name, level, country, extra_regio`` by code; shared between
        calls, never to be modified.

    Examples
    --------
    >>> nuts_lookup(2024).loc["PT1C", ["region_name", "country"]].tolist()
    ['Alentejo', 'PT']
    """
    table = nuts_codes(nuts_year=nuts_year, extra_regio=True)
    return table.set_index("geo")[["region_name", "level", "country", "extra_regio"]]


def code_version(code: str) -> int | None:
    """Return the NUTS version a code is taken from when its row names none.

    Parameters
    ----------
    code : str
        A NUTS code.

    Returns
    -------
    int or None
        2021 when the code is a NUTS 2021 code, else the nearest version that has
        it (the newer on a tie), ``None`` when no version has it.

    Examples
    --------
    >>> code_version("ES21"), code_version("FR30"), code_version("PT1C")
    (2021, 2013, 2024)
    >>> code_version("ES2X") is None
    True
    """
    versions = [y for y in NUTS_YEARS if code in nuts_lookup(y).index]
    if not versions:
        return None
    return min(versions, key=lambda y: (abs(y - MEMBERS_NUTS_YEAR), -y))


def row_version(
    value: object, nuts_year: int | None, idx: Hashable, problems: Problems
) -> int | None:
    """Return a row's NUTS version: its ``nuts_year`` cell, else *nuts_year*.

    Parameters
    ----------
    value : object
        The row's ``nuts_year`` cell (missing when the table has none).
    nuts_year : int or None
        The version asked for the table (``None``: each code's own).
    idx : hashable
        The row's label, for *problems*.
    problems : Problems
        Where a bad cell is recorded.

    Returns
    -------
    int or None
        The version; ``None`` when it comes from the code, or the cell is bad.

    Examples
    --------
    >>> problems = Problems(pd.DataFrame({"geo": ["ES21"]}), pd.Series([2]), ["geo"])
    >>> row_version("2016", 2021, 0, problems), row_version(pd.NA, 2024, 0, problems)
    (2016, 2024)
    >>> row_version("2019", None, 0, problems) is None, problems.items[0]["problem"]
    (True, 'nuts_year 2019 is not a NUTS version; use 2013, 2016, 2021 or 2024')
    """
    if is_missing(value):
        return nuts_year
    number = as_int(value)
    if number not in NUTS_YEARS:
        shown = number if number is not None else repr(value)
        problems.add(idx, f"nuts_year {shown} is not a NUTS version; use {_YEARS_TEXT}")
        return None
    return number


def _unknown(code: str, nuts_year: int) -> str:
    """Explain a well-formed *code* that NUTS *nuts_year* lacks, with the fix."""
    version = code_version(code)
    if version is None:
        hint = suggest_nuts(code, nuts_year)
        close = ", ".join(repr(c) for c in hint.codes)
        guess = f" (did you mean {close}?)" if close else ""
        return (
            f"unknown NUTS {nuts_year} code {code!r}: in no NUTS version "
            f"({', '.join(map(str, NUTS_YEARS))}){guess}"
        )
    succession = nuts_successors(code, version, nuts_year)
    declare = f"or declare the row NUTS {version} (a nuts_year column or argument)"
    if succession.change in _SAME_LAND and len(succession.codes) == 1:
        return (
            f"{code!r} is a NUTS {version} code (another version than NUTS "
            f"{nuts_year}); its NUTS {nuts_year} equivalent is "
            f"{succession.codes[0]!r} ({succession.change}: same territory); use it, "
            f"{declare}"
        )
    return (
        f"{code!r} is a NUTS {version} code (another version than NUTS {nuts_year}) "
        f"whose territory changed ({succession.note}); list the NUTS {nuts_year} "
        f"region(s) that hold the member, {declare}"
    )


def _check_country_format(country: object, idx: Hashable, problems: Problems) -> None:
    if is_missing(country):
        return
    if not ISO2.match(str(country)):
        problems.add(idx, f"country {country!r} is not a two-letter code")
    elif country in _ISO_TO_EUROSTAT:
        problems.add(
            idx,
            f"country {country!r} is the ISO code; Eurostat writes "
            f"{_ISO_TO_EUROSTAT[str(country)]!r}",
        )


def _region(
    code: object, version: int | None, idx: Hashable, problems: Problems
) -> tuple[str, int] | None:
    """Return *code* and its version if it is a region of it, else record why not."""
    if is_missing(code):
        problems.add(idx, "missing nuts_code")
        return None
    code = str(code)
    try:
        nuts_level(code)
    except SchemaError as exc:
        problems.add(idx, f"malformed NUTS code: {exc}")
        return None
    year = code_version(code) if version is None else version
    if year is None or code not in nuts_lookup(year).index:
        problems.add(idx, _unknown(code, MEMBERS_NUTS_YEAR if year is None else year))
        return None
    if bool(nuts_lookup(year).at[code, "extra_regio"]):
        problems.add(idx, f"{code!r} is an extra-regio code, not a region")
        return None
    return code, year


def check_code(
    row: pd.Series,
    idx: Hashable,
    version: int | None,
    problems: Problems,
    level_name: str,
) -> tuple[int, int] | None:
    """Check ``geo``, ``country`` and ``level`` of one row in its NUTS version.

    Parameters
    ----------
    row : pandas.Series
        The row (``geo``, ``country``, ``level``).
    idx : hashable
        Its label, for *problems*.
    version : int or None
        The row's NUTS version; ``None``: the version its code belongs to.
    problems : Problems
        Where every problem is recorded.
    level_name : str
        How the file calls its level column, for messages.

    Returns
    -------
    (int, int) or None
        The code's level and NUTS version; ``None`` when the code is no region.

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": ["PT18", "PT18"], "country": ["PT", "ES"],
    ...                       "level": ["2", "2"]})
    >>> problems = Problems(frame, pd.Series([2, 3]), ["geo"])
    >>> check_code(frame.loc[0], 0, None, problems, "level")
    (2, 2021)
    >>> check_code(frame.loc[1], 1, 2024, problems, "level")
    >>> print(problems.items[0]["problem"])
    'PT18' is a NUTS 2021 code (another version than NUTS 2024) whose territory
    changed (PT18 (Alentejo, NUTS 2021) in NUTS 2024: a boundary shift; now PT1C
    (its land overlaps PT1C, PT1D)); list the NUTS 2024 region(s) that hold the
    member, or declare the row NUTS 2021 (a nuts_year column or argument)
    """
    country = row["country"]
    _check_country_format(country, idx, problems)
    found = _region(row["geo"], version, idx, problems)
    if found is None:
        return None
    code, year = found
    level = int(str(nuts_lookup(year).at[code, "level"]))
    code_country = str(nuts_lookup(year).at[code, "country"])
    comparable = not is_missing(country) and ISO2.match(str(country))
    if comparable and country not in _ISO_TO_EUROSTAT and country != code_country:
        problems.add(
            idx, f"country {country!r} does not match {code!r} ({code_country})"
        )
    given = row["level"]
    if not is_missing(given):
        number = as_int(given)
        if number is None:
            problems.add(idx, f"{level_name} {given!r} is not a whole number")
        elif number != level:
            problems.add(
                idx,
                f"{level_name} {number} does not match {code!r} (level {level})",
            )
    return level, year
