"""What a panel or a coverage table covers: the ids, the regions, the arguments.

Shared by :mod:`~regiongap.indicators.panel` and
:mod:`~regiongap.indicators.coverage`: the checks of their arguments (one message
each), the catalogue ids of a level, and the regions of one level and NUTS version.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.geo.lists import nuts_codes
from regiongap.indicators._entries import entries, entry
from regiongap.schema import GEO, REGION_NAME

__all__ = ["check_choice", "check_int", "regions", "resolve_ids", "same_scope"]


def check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return *value* if it is one of *allowed*, else raise naming them.

    Parameters
    ----------
    name : str
        The argument's name.
    value : object
        What was passed.
    allowed : tuple of str
        The choices.

    Returns
    -------
    str
        *value*.

    Raises
    ------
    SchemaError
        Naming the value and the choices.

    Examples
    --------
    >>> check_choice("policy", "nearest", ("exact", "latest"))
    Traceback (most recent call last):
    regiongap.errors.SchemaError: policy='nearest' is not one of ['exact', 'latest']
    """
    if not isinstance(value, str) or value not in allowed:
        msg = f"{name}={value!r} is not one of {list(allowed)}"
        raise SchemaError(msg)
    return value


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Return *value* as an int if it is a whole number (not a bool) ≥ *minimum*.

    Parameters
    ----------
    name : str
        The argument's name.
    value : object
        What was passed.
    minimum : int, optional
        The smallest value allowed.

    Returns
    -------
    int
        *value*.

    Raises
    ------
    SchemaError
        Naming the value and what is allowed.

    Examples
    --------
    >>> check_int("window", -1, minimum=0)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: window must be ≥ 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"{name} must be an int, got {value!r}"
        raise SchemaError(msg)
    if minimum is not None and value < minimum:
        msg = f"{name} must be ≥ {minimum}, got {value!r}"
        raise SchemaError(msg)
    return int(value)


def resolve_ids(ids: str | Iterable[str] | None, level: int) -> list[str]:
    """Return the catalogue ids to use: all of *level* by default, else checked.

    Parameters
    ----------
    ids : str, iterable of str or None
        What the caller passed.
    level : int
        NUTS level.

    Returns
    -------
    list of str
        Distinct ids, in the order given (catalogue order by default).

    Raises
    ------
    SchemaError
        An empty selection, an unknown id, or one that does not exist at *level*.

    Examples
    --------
    >>> resolve_ids(None, 3)[:2]
    ['gdp_pps_per_inhabitant', 'gdp_pps_per_inhabitant_index']
    >>> resolve_ids(["hrst_pct_active_population"], 3)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: indicator 'hrst_pct_active_population' exists at NUTS levels [0, 1, 2], not at level 3
    """  # noqa: E501  (a doctest's expected output is one line)
    if ids is None:
        return [i for i, e in entries().items() if level in e.levels]
    wanted = [ids] if isinstance(ids, str) else list(ids)
    if not wanted:
        msg = "ids is empty; pass None for every indicator of the level"
        raise SchemaError(msg)
    out: list[str] = []
    for indicator in wanted:
        item = entry(indicator)
        if level not in item.levels:
            msg = (
                f"indicator {indicator!r} exists at NUTS levels {list(item.levels)}, "
                f"not at level {level}"
            )
            raise SchemaError(msg)
        if indicator not in out:
            out.append(indicator)
    return out


def regions(level: int, eu27_only: bool, nuts_year: int = 2021) -> pd.DataFrame:
    """Return the regions of *level* in NUTS *nuts_year* (EU-27 by default).

    Parameters
    ----------
    level : int
        NUTS level.
    eu27_only : bool
        Only the EU-27 countries (else every country of the NUTS list).
    nuts_year : int, default 2021
        NUTS version.

    Returns
    -------
    pandas.DataFrame
        ``geo, region_name, country`` in the official list's order, without
        extra-regio codes.

    Examples
    --------
    >>> len(regions(2, True)), len(regions(2, False)) > 242
    (242, True)
    """
    countries = "EU27" if eu27_only else None
    table = nuts_codes(nuts_year, level, countries=countries)
    return table[[GEO, REGION_NAME, "country"]].reset_index(drop=True)


def same_scope(codes: pd.Series, eu27_only: bool) -> set[str]:
    """Return the codes in a panel's scope: the EU-27 ones when *eu27_only*.

    Parameters
    ----------
    codes : pandas.Series
        Region codes.
    eu27_only : bool
        Keep only codes of EU-27 countries.

    Returns
    -------
    set of str
        The codes kept.

    Examples
    --------
    >>> sorted(same_scope(pd.Series(["AT11", "AL01"]), True))
    ['AT11']
    """
    if not eu27_only:
        return set(codes)
    return {c for c in set(codes) if c[:2] in EU27_COUNTRIES}
