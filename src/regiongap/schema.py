"""Column names of regiongap's long tables, and validators that show the failing rows.

Observations (any Eurostat dataset, :func:`regiongap.fetch_dataset`)
    one categorical column per dataset dimension (lowercase, e.g. ``unit``, ``sex``),
    ``geo``, ``time`` (int year for annual data, :class:`pandas.Period` otherwise),
    ``value`` (float64, NaN where Eurostat writes ``:``) and ``flag`` (Eurostat's
    flag letters, ``<NA>`` where there is none).

Indicators (:func:`regiongap.fetch_indicator`)
    ``indicator, geo, time, value, unit, flag, dataset``; ``(indicator, geo, time)``
    is unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from regiongap.errors import SchemaError

__all__ = [
    "DATASET",
    "FLAG",
    "GEO",
    "INDICATOR",
    "INDICATOR_COLUMNS",
    "INDICATOR_KEY",
    "TIME",
    "UNIT",
    "VALUE",
    "format_rows",
    "require_columns",
    "require_unique",
]

GEO = "geo"
TIME = "time"
VALUE = "value"
FLAG = "flag"
UNIT = "unit"
INDICATOR = "indicator"
DATASET = "dataset"

INDICATOR_COLUMNS: tuple[str, ...] = (INDICATOR, GEO, TIME, VALUE, UNIT, FLAG, DATASET)
INDICATOR_KEY: tuple[str, ...] = (INDICATOR, GEO, TIME)

_MAX_ROWS_SHOWN = 10


def format_rows(frame: pd.DataFrame, limit: int = _MAX_ROWS_SHOWN) -> str:
    """Render the first *limit* rows of *frame* for an error message."""
    shown = frame.head(limit).to_string()
    more = len(frame) - limit
    return shown + (f"\n… and {more} more rows" if more > 0 else "")


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, what: str = "frame"
) -> None:
    """Raise :class:`SchemaError` if *frame* lacks any of *columns*."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{what} is missing column(s) {missing}; it has {list(frame.columns)}"
        raise SchemaError(msg)


def require_unique(
    frame: pd.DataFrame, key: Sequence[str], *, what: str = "frame"
) -> None:
    """Raise :class:`SchemaError` listing the rows whose *key* appears twice."""
    dup = frame.duplicated(list(key), keep=False)
    if dup.any():
        rows = frame.loc[dup].sort_values(list(key))
        msg = (
            f"{what} has {int(dup.sum())} rows with a duplicated key {list(key)}:\n"
            f"{format_rows(rows)}"
        )
        raise SchemaError(msg)
