"""The NUTS tables shipped in ``regiongap/data/nuts``, each read once per process.

The code lists of NUTS 2016 and 2021, the change table 2016 → 2021 and the NUTS 3
typologies (derived from Eurostat's NUTS 2021 workbook by
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
    "country_set",
    "typology_table",
]

#: Countries coded like NUTS by Eurostat in regional tables but absent from the
#: NUTS 2021 workbook: Bosnia and Herzegovina and Kosovo (statistical regions
#: published outside the classification, e.g. XK001 in demo_r_pjanaggr3).
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
    nuts_year : {2016, 2021}
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
    """Return the shipped change table NUTS 2016 → 2021 (shared: never modify it).

    Returns
    -------
    pandas.DataFrame
        ``code_2016, code_2021, level, country, change_code, change, remark``;
        ``None`` where the workbook has no code (a new or discontinued region) or
        no remark.

    Examples
    --------
    >>> table = change_table().set_index("code_2016")
    >>> table.loc["HR041", ["code_2021", "change"]].tolist()
    ['HR050', 'recoded']
    """
    frame = read_package_csv(
        "nuts",
        "nuts_changes_2016_2021.csv",
        dtype={"code_2016": str, "code_2021": str, "remark": str},
    )
    for column in ("code_2016", "code_2021", "remark"):
        frame[column] = frame[column].replace("", None)
    return frame


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
    nuts_year : {2016, 2021}
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
