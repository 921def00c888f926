"""The NUTS tables shipped in ``regiongap/data/nuts``, each read once per process.

The code lists of NUTS 2013, 2016, 2021 and 2024, the changes between consecutive
versions and the NUTS 3 typologies (derived from Eurostat's NUTS workbooks by
``scripts/derive_nuts_tables.py``; ``data/nuts/README.md`` describes them), plus the
sets every check looks codes up in. The frames returned here are cached and shared:
the public functions of :mod:`regiongap.geo` hand out copies.
"""

from __future__ import annotations

import functools

import pandas as pd

from regiongap._package_data import read_package_csv
from regiongap.errors import SchemaError
from regiongap.schema import NUTS_YEARS

__all__ = [
    "OTHER_COUNTRIES",
    "change_table",
    "code_list",
    "code_set",
    "country_codes",
    "country_set",
    "typology_table",
]

#: Countries coded like NUTS by Eurostat in regional tables but absent from the
#: NUTS workbooks before 2024: Bosnia and Herzegovina and Kosovo (statistical
#: regions published outside the classification, e.g. XK001 in demo_r_pjanaggr3;
#: Kosovo's statistical regions are in NUTS 2024).
OTHER_COUNTRIES: tuple[str, ...] = ("BA", "XK")


def _require_bool(frame: pd.DataFrame, column: str, file: str) -> None:
    if frame[column].dtype != bool:
        msg = f"package data {file}: column {column!r} is not boolean"
        raise SchemaError(msg)


@functools.cache
def code_list(nuts_year: int) -> pd.DataFrame:
    """Return the shipped code list of NUTS *nuts_year* (shared: never modify it).

    Parameters
    ----------
    nuts_year : {2013, 2016, 2021, 2024}
        A NUTS version of :data:`regiongap.schema.NUTS_YEARS` (not checked here).

    Returns
    -------
    pandas.DataFrame
        ``geo, region_name, level, country, extra_regio, statistical_region``.

    Raises
    ------
    SchemaError
        If the shipped file's flag columns are not boolean.

    Examples
    --------
    >>> table = code_list(2021)
    >>> list(table.columns)
    ['geo', 'region_name', 'level', 'country', 'extra_regio', 'statistical_region']
    >>> table.loc[0, "region_name"]
    'Belgique/België'
    """
    file = f"nuts{nuts_year}.csv"
    frame = read_package_csv(
        "nuts",
        file,
        dtype={"geo": str, "region_name": str, "level": "int64", "country": str},
    )
    for column in ("extra_regio", "statistical_region"):
        _require_bool(frame, column, file)
    return frame


@functools.cache
def change_table() -> pd.DataFrame:
    """Return the shipped changes between consecutive NUTS versions (shared).

    Returns
    -------
    pandas.DataFrame
        ``from_nuts_year, to_nuts_year, code_from, code_to, level, country,
        change, parts, overlaps, official`` (see ``data/nuts/README.md``); ``""``
        where the table has no code, parts, overlaps or wording.

    Examples
    --------
    >>> table = change_table().set_index("code_from")
    >>> table.loc["HR041", ["code_to", "change"]].tolist()
    ['HR050', 'recoded']
    >>> table.loc["HR04", ["change", "parts"]].tolist()
    ['split', 'HR02+HR05+HR06']
    """
    return read_package_csv(
        "nuts",
        "nuts_changes.csv",
        dtype={"from_nuts_year": "int64", "to_nuts_year": "int64", "level": "int64"},
    )


@functools.cache
def typology_table() -> pd.DataFrame:
    """Return the shipped NUTS 2021 level 3 typologies (shared: never modify it).

    Returns
    -------
    pandas.DataFrame
        ``geo, urbn_type, coast_type, metropolitan, metro_region`` (see
        :func:`regiongap.geo.typologies.nuts_typologies`).

    Raises
    ------
    SchemaError
        If the shipped file's ``metropolitan`` column is not boolean.

    Examples
    --------
    >>> len(typology_table())
    1512
    """
    file = "nuts2021_typologies.csv"
    frame = read_package_csv(
        "nuts", file, dtype={"geo": str, "urbn_type": "int64", "coast_type": "int64"}
    )
    _require_bool(frame, "metropolitan", file)
    frame["metro_region"] = frame["metro_region"].replace("", None).astype("string")
    return frame


@functools.cache
def code_set(nuts_year: int) -> frozenset[str]:
    """Return the codes of NUTS *nuts_year* (extra-regio included).

    Parameters
    ----------
    nuts_year : {2013, 2016, 2021, 2024}
        A NUTS version (not checked here).

    Returns
    -------
    frozenset of str
        Every code of the version's code list.

    Examples
    --------
    >>> "HR04" in code_set(2016), "HR04" in code_set(2021)
    (True, False)
    """
    return frozenset(code_list(nuts_year)["geo"])


@functools.cache
def country_codes(nuts_year: int) -> frozenset[str]:
    """Return the countries the code list of NUTS *nuts_year* covers.

    Parameters
    ----------
    nuts_year : {2013, 2016, 2021, 2024}
        A NUTS version (not checked here).

    Returns
    -------
    frozenset of str
        Its level 0 codes (NUTS 2013: the EU-28 only; NUTS 2024: no UK).

    Examples
    --------
    >>> "NO" in country_codes(2013), "NO" in country_codes(2016)
    (False, True)
    >>> "UK" in country_codes(2024), "XK" in country_codes(2024)
    (False, True)
    """
    table = code_list(nuts_year)
    return frozenset(table.loc[table["level"] == 0, "geo"])


@functools.cache
def country_set() -> frozenset[str]:
    """Return the country codes a NUTS code may start with.

    Returns
    -------
    frozenset of str
        The countries of every shipped code list and :data:`OTHER_COUNTRIES`
        (Eurostat's codes: ``EL``, ``UK``).

    Examples
    --------
    >>> "EL" in country_set(), "GR" in country_set(), "XK" in country_set()
    (True, False, True)
    """
    countries: set[str] = set(OTHER_COUNTRIES)
    for nuts_year in NUTS_YEARS:
        countries.update(code_list(nuts_year)["country"])
    return frozenset(countries)
