"""The official NUTS code lists: every region of a version, its children, its names.

The lists of NUTS 2013 (EU-28: the official 2013 → 2016 workbook lists no
statistical regions), NUTS 2016 and 2021 (EU-27, the UK, and the statistical regions
of the EFTA and candidate countries) and NUTS 2024 (EU-27 and the statistical
regions, Kosovo's first among them; no UK), as Eurostat's workbooks give them
(``data/nuts/README.md``). One code at a time is :mod:`regiongap.geo.codes`' job.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._rules import EXTRA_REGIO, parent_codes
from regiongap.geo._tables import code_list, code_set, country_set
from regiongap.geo.codes import EU27_COUNTRIES, nuts_level
from regiongap.schema import NUTS_YEARS, check_level, check_nuts_year

__all__ = ["nuts_children", "nuts_codes", "nuts_names"]


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
    nuts_year : {2013, 2016, 2021, 2024}
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
    versions = ", ".join(map(str, others))
    where = (
        f"; it is a code of NUTS {versions} (recode_nuts converts)" if others else ""
    )
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
    nuts_year : {2013, 2016, 2021, 2024}
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
    >>> len(nuts_codes(2024, level=3, countries="EU27"))
    1165
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
    nuts_year : {2013, 2016, 2021, 2024}
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
