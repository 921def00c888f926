"""A long frame read by NUTS level: the checks and look-ups of both level moves.

What :func:`~regiongap.geo.levels.aggregate_up` and
:func:`~regiongap.geo.levels.broadcast_down` share: the frame check, the key columns,
the NUTS level of each row in one version, the rows outside that version and how
they are named in a warning.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._rules import AGGREGATE
from regiongap.geo._tables import code_set
from regiongap.schema import format_rows, require_columns

__all__ = [
    "check_frame",
    "examples",
    "key_columns",
    "levels_of",
    "outside_rows",
    "require_unique_key",
]

_SHOWN = 8


def check_frame(frame: object, geo: str, value: str, what: str) -> pd.DataFrame:
    """Return *frame* if it is a DataFrame with *geo* and a numeric *value*.

    Parameters
    ----------
    frame : object
        What the caller passed.
    geo, value : str
        The code and value columns.
    what : str
        The calling function, for the message.

    Returns
    -------
    pandas.DataFrame
        *frame*.

    Raises
    ------
    SchemaError
        Naming what is wrong.

    Examples
    --------
    >>> check_frame(pd.DataFrame({"geo": ["HR0"]}), "geo", "value", "aggregate_up")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: aggregate_up frame is missing column(s) ['value']; ...
    """
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} needs a pandas DataFrame, got {type(frame).__name__}"
        raise SchemaError(msg)
    require_columns(frame, [geo, value], what=f"{what} frame")
    if not pd.api.types.is_numeric_dtype(frame[value]):
        msg = (
            f"{what}: column {value!r} must be numeric, got dtype {frame[value].dtype}"
        )
        raise SchemaError(msg)
    return frame


def require_unique_key(frame: pd.DataFrame, key: list[str], what: str) -> None:
    """Raise a :class:`SchemaError` showing the rows that share *key*.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows.
    key : list of str
        Columns that must identify a row.
    what : str
        The calling function, for the message.

    Raises
    ------
    SchemaError
        If two rows share the key.

    Examples
    --------
    >>> require_unique_key(pd.DataFrame({"geo": ["HR0"]}), ["geo"], "broadcast_down")
    """
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        msg = (
            f"{what}: {int(dup.sum())} rows share the key {key}; give one value per "
            f"region and key (filter the other dimensions first):\n"
            f"{format_rows(frame.loc[dup].sort_values(key))}"
        )
        raise SchemaError(msg)


def key_columns(
    frame: pd.DataFrame, geo: str, value: str, extra: Sequence[str] = ()
) -> list[str]:
    """Return the key columns: all but *geo*, *value*, ``flag`` and *extra*.

    Parameters
    ----------
    frame : pandas.DataFrame
        The long frame.
    geo, value : str
        The code and value columns.
    extra : sequence of str
        Other columns that are not keys.

    Returns
    -------
    list of str
        In the frame's order.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["unit", "geo", "time", "value", "flag"])
    >>> key_columns(frame, "geo", "value")
    ['unit', 'time']
    """
    skip = {geo, value, "flag", *extra}
    return [c for c in frame.columns if c not in skip]


def levels_of(codes: pd.Series, nuts_year: int) -> pd.Series:
    """Return the NUTS level of each code that is a region of NUTS *nuts_year*.

    Parameters
    ----------
    codes : pandas.Series
        A code column.
    nuts_year : int
        The NUTS version.

    Returns
    -------
    pandas.Series
        Int64: the level, ``<NA>`` where the code is not a region of the version.

    Examples
    --------
    >>> levels_of(pd.Series(["HR0", "HR04", "HR05"]), 2021).tolist()
    [1, <NA>, 2]
    """
    valid = code_set(nuts_year)
    as_text = codes.astype(object)
    level = as_text.map(
        lambda c: len(c) - 2 if isinstance(c, str) and c in valid else None
    )
    return level.astype("Int64")


def outside_rows(codes: pd.Series, levels: pd.Series) -> pd.Series:
    """Return which rows' codes are not regions of the version (aggregates aside).

    Parameters
    ----------
    codes : pandas.Series
        A code column.
    levels : pandas.Series
        :func:`levels_of` the codes.

    Returns
    -------
    pandas.Series
        Boolean: no level and not an aggregate such as ``EU27_2020``.

    Examples
    --------
    >>> codes = pd.Series(["HR04", "EU27_2020", "HR05"])
    >>> outside_rows(codes, levels_of(codes, 2021)).tolist()
    [True, False, False]
    """
    aggregate = codes.astype(object).map(
        lambda c: isinstance(c, str) and AGGREGATE.fullmatch(c) is not None
    )
    return levels.isna() & ~aggregate.astype(bool)


def examples(codes: pd.Series) -> str:
    """Return the first distinct codes, sorted, for a warning (``…`` if more).

    Parameters
    ----------
    codes : pandas.Series
        The codes to name.

    Returns
    -------
    str
        Up to eight codes, comma-separated.

    Examples
    --------
    >>> examples(pd.Series(["HR04", "HR04", "DEG0Q"]))
    'DEG0Q, HR04'
    """
    found = sorted({str(c) for c in codes})
    return ", ".join(found[:_SHOWN]) + (" …" if len(found) > _SHOWN else "")
