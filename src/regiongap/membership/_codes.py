"""Check that a listed code is a NUTS 2021 region of the row's country and level.

The code checks of :func:`regiongap.membership.validate.validate_members`: a code
that is missing, malformed, of another NUTS version (with its NUTS 2021
equivalent), extra-regio, or at odds with the row's ``country`` or ``level`` is
recorded with the reason and the fix.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Hashable

import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import nuts_codes, nuts_level
from regiongap.geo.versions import recode_nuts, validate_nuts
from regiongap.membership._rows import Problems, as_int, is_missing, suggest
from regiongap.membership.vocabulary import MEMBERS_NUTS_YEAR

__all__ = ["ISO2", "check_code", "nuts_lookup"]

ISO2 = re.compile(r"^[A-Z]{2}$")
"""A two-letter country code."""
# Eurostat's country codes differ from ISO 3166 for two countries only.
_ISO_TO_EUROSTAT = {"GR": "EL", "GB": "UK"}


def nuts_lookup() -> pd.DataFrame:
    """Return the official NUTS 2021 code list indexed by ``geo``."""
    table = nuts_codes(nuts_year=MEMBERS_NUTS_YEAR, extra_regio=True)
    return table.set_index("geo")[["region_name", "level", "country", "extra_regio"]]


def _other_version_hint(code: str) -> str:
    """Explain why a well-formed *code* is not in NUTS 2021, with its equivalent."""
    year = MEMBERS_NUTS_YEAR
    report = validate_nuts([code], nuts_year=year).iloc[0]
    if "NUTS 2016 code" not in str(report["reason"]):
        return (
            f"unknown NUTS {year} code {code!r}: not in NUTS 2016 either "
            "(another version such as NUTS 2013 or 2024, or a typo)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        recoded = recode_nuts(pd.DataFrame({"geo": [code]}), value=None).iloc[0]
    if recoded["nuts_change"] == "recoded":
        return (
            f"{code!r} is a NUTS 2016 code; its NUTS {year} equivalent is "
            f"{recoded['geo']!r} (same territory, new code)"
        )
    # boundary change or discontinued: the official remark names the new regions
    remark = str(recoded["nuts_note"]).split("; value not comparable")[0]
    remark = re.sub(r" → (nan|None|<NA>)$", "", remark)
    return (
        f"{code!r} is a NUTS 2016 code with no single NUTS {year} equivalent "
        f"({remark}); list the NUTS {year} region(s) it became"
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


def _region_level(
    code: object, idx: Hashable, lookup: pd.DataFrame, problems: Problems
) -> int | None:
    """Return the level of *code* if it is a NUTS 2021 region, else record why not."""
    if is_missing(code):
        problems.add(idx, "missing nuts_code")
        return None
    code = str(code)
    try:
        nuts_level(code)
    except SchemaError as exc:
        problems.add(idx, f"malformed NUTS code: {exc}")
        return None
    if code not in lookup.index:
        hint = _other_version_hint(code)
        if hint.startswith("unknown"):
            same_level = [
                c for c in lookup.index if c[:2] == code[:2] and len(c) == len(code)
            ]
            hint += suggest(code, same_level)
        problems.add(idx, hint)
        return None
    if bool(lookup.at[code, "extra_regio"]):
        problems.add(idx, f"{code!r} is an extra-regio code, not a region")
        return None
    return int(str(lookup.at[code, "level"]))


def check_code(
    row: pd.Series,
    idx: Hashable,
    lookup: pd.DataFrame,
    problems: Problems,
    level_name: str,
) -> int | None:
    """Check ``geo``, ``country`` and ``level`` of one row; return its level."""
    country = row["country"]
    _check_country_format(country, idx, problems)
    code = row["geo"]
    level = _region_level(code, idx, lookup, problems)
    if level is None:
        return None
    code_country = str(lookup.at[code, "country"])
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
    return level
