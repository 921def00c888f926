"""Selecting rows of a tidy dataset frame: ``{"unit": "EUR_HAB", "time": [2020]}``.

:func:`apply_filters` is what ``fetch_dataset(code, filters)`` applies to the whole
cached dataset, so one download serves every later selection. A filter naming a
dimension or a value the dataset does not have is an error that lists what it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.schema import TIME
from regiongap.sources.eurostat import describe

__all__ = ["apply_filters"]

_LISTED = 8
#: columns that hold observations, not dimensions
_NOT_DIMENSIONS = ("value", "flag", "conf_status")


def _listing(values: Iterable[object]) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_LISTED])
    more = f", … ({len(values)} in all)" if len(values) > _LISTED else ""
    return shown + more


def _as_list(value: object) -> list[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _time_key(value: object, dtype: object) -> object:
    """Return the ``time`` value *value* stands for (a Period or an int year)."""
    if isinstance(dtype, pd.PeriodDtype):
        return pd.Period(value, freq=dtype.freq)  # type: ignore[arg-type]  # pandas raises for what it cannot read, as wanted
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError
    if isinstance(value, str):
        return int(value.strip())
    return int(value)  # type: ignore[call-overload]  # TypeError for non-numbers, caught by the caller


def _time_keys(column: pd.Series, wanted: list[object], code: str) -> list[object]:
    dtype = column.dtype
    keys: list[object] = []
    for value in wanted:
        try:
            keys.append(_time_key(value, dtype))
        except (TypeError, ValueError):
            kind = (
                f"periods ({dtype})"
                if isinstance(dtype, pd.PeriodDtype)
                else "years (integers)"
            )
            msg = (
                f"time filter value {value!r} is not valid for {describe(code)}: its "
                f"time column holds {kind}"
            )
            raise SchemaError(msg) from None
    present = set(column.unique())
    missing = [v for v, k in zip(wanted, keys, strict=True) if k not in present]
    if missing:
        available = sorted(present)
        msg = (
            f"time {_listing(missing)} not in {describe(code)}; it covers "
            f"{available[0]}–{available[-1]} ({len(available)} periods)"
            if available
            else f"time {_listing(missing)} not in {describe(code)}: it has no rows"
        )
        raise SchemaError(msg)
    return keys


def _code_keys(
    column: pd.Series, name: str, wanted: list[object], code: str
) -> list[str]:
    """Match *wanted* to the column's values: exactly, else case-insensitively."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        allowed = [str(c) for c in column.cat.categories]
    else:
        allowed = sorted({str(v) for v in column.dropna().unique()})
    exact = set(allowed)
    folded: dict[str, list[str]] = {}
    for a in allowed:
        folded.setdefault(a.upper(), []).append(a)
    keys = []
    unknown = []
    for v in wanted:
        text = str(v)
        if text in exact:
            keys.append(text)
        elif len(folded.get(text.upper(), [])) == 1:
            keys.append(folded[text.upper()][0])
        else:
            unknown.append(v)
    if unknown:
        msg = (
            f"{name} {_listing(unknown)} not in {describe(code)}; its "
            f"{name} values are {_listing(allowed)}"
        )
        raise SchemaError(msg)
    return keys


def _column_mask(
    frame: pd.DataFrame, key: object, value: object, code: str
) -> np.ndarray:
    """Return the rows of *frame* matching one filter ``key: value``."""
    dims = [c for c in frame.columns if c not in _NOT_DIMENSIONS]
    column_name = {str(c).lower(): c for c in dims}.get(str(key).lower())
    if column_name is None:
        msg = (
            f"{describe(code)} has no dimension {key!r}; filter on one of "
            f"{_listing(dims)}"
        )
        raise SchemaError(msg)
    wanted = _as_list(value)
    if not wanted:
        msg = f"filter {key!r} of {describe(code)} has an empty list of values"
        raise SchemaError(msg)
    column = frame[column_name]
    if column_name == TIME:
        keys: list[object] = _time_keys(column, wanted, code)
    else:
        keys = list(_code_keys(column, str(column_name), wanted, code))
    return column.isin(keys).to_numpy()


def apply_filters(
    frame: pd.DataFrame, filters: Mapping[str, object] | None, *, code: str = "?"
) -> pd.DataFrame:
    """Keep the rows of *frame* matching every filter.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy frame from :func:`~regiongap.load.datasets.fetch_dataset` (or
        :func:`regiongap.sdmx.parse`).
    filters : mapping, optional
        Dimension → value or list of values, e.g. ``{"unit": "EUR_HAB", "geo":
        ["DE1", "DE2"], "time": [2019, 2020]}``. Dimension names are
        case-insensitive; code values are matched exactly, else case-insensitively;
        ``time`` takes years (int or digit strings) or period labels.
    code : str
        The dataset code, for messages.

    Returns
    -------
    pandas.DataFrame
        The matching rows (new index); unused categories are dropped from the
        categorical columns, so group-bys and pivots show only what is there.

    Raises
    ------
    SchemaError
        For an unknown dimension or value (naming it and listing allowed ones), or
        a value of the wrong type.

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": pd.Categorical(["AT1", "AT2", "AT1"]),
    ...                       "time": [2020, 2020, 2021], "value": [1.0, 2.0, 3.0]})
    >>> apply_filters(frame, {"GEO": "at1", "time": "2021"})
       geo  time  value
    0  AT1  2021    3.0
    >>> apply_filters(frame, {"geo": "AT3"}, code="demo")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: geo 'AT3' not in Eurostat dataset 'demo'; its geo values are 'AT1', 'AT2'
    """  # noqa: E501  (a doctest's expected output is one line)
    if not filters:
        return frame
    if not isinstance(filters, Mapping):
        msg = (
            f"filters must be a mapping of dimension to value(s), e.g. "
            f"{{'unit': 'EUR_HAB'}}, not {type(filters).__name__}"
        )
        raise SchemaError(msg)
    mask = np.ones(len(frame), dtype=bool)
    for key, value in filters.items():
        mask &= _column_mask(frame, key, value, code)
    result = frame.loc[mask].reset_index(drop=True)
    for name in result.columns:
        if isinstance(result[name].dtype, pd.CategoricalDtype):
            result[name] = result[name].cat.remove_unused_categories()
    result.attrs = dict(frame.attrs)
    return result
