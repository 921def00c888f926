"""Read the value, year and flag of each region out of the frames figures receive.

Figures accept either the long indicator frame (``geo, time, value, flag``, one
year) or the panel (indexed by ``geo`` with ``{id}``, ``{id}__year`` and
``{id}__flag`` columns); this module turns both into one small frame, and says
how a missing year or a flag reads in a hover label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError

__all__ = ["FLAG_LABELS", "flag_text", "is_missing", "region_values", "year_text"]

#: Eurostat observation flags, as printed in hover labels.
FLAG_LABELS: dict[str, str] = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}


def is_missing(value: object) -> bool:
    """Return whether *value* is a missing scalar: None, NaN, NaT or ``pd.NA``.

    Parameters
    ----------
    value : object
        A cell of a frame.

    Returns
    -------
    bool
        True for a missing scalar, False for anything else (lists included).

    Examples
    --------
    >>> import pandas as pd
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, "", 0)]
    [True, True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def flag_text(flag: object) -> str:
    """Return a readable flag, e.g. ``"e (estimated)"``, or ``"none"``.

    Parameters
    ----------
    flag : object
        Eurostat's flag letters (a string), or a missing value.

    Returns
    -------
    str
        The letters with their meaning, or ``"none"``.

    Examples
    --------
    >>> flag_text("ep"), flag_text(None), flag_text("x")
    ('ep (estimated, provisional)', 'none', 'x')
    """
    if is_missing(flag):
        return "none"
    letters = str(flag).strip()
    if not letters:
        return "none"
    words = [FLAG_LABELS[c] for c in letters if c in FLAG_LABELS]
    return f"{letters} ({', '.join(words)})" if words else letters


def year_text(year: object) -> str:
    """Return the year of a value as printed in a hover label, or ``"n/a"``.

    Parameters
    ----------
    year : object
        A year (int or str) or a missing value.

    Returns
    -------
    str
        ``str(year)``, or ``"n/a"`` when missing.

    Examples
    --------
    >>> year_text(2019), year_text(float("nan"))
    ('2019', 'n/a')
    """
    return "n/a" if is_missing(year) else str(year)


def region_values(
    frame: pd.DataFrame,
    value: str,
    *,
    year: str | None = None,
    flag: str | None = None,
    region_name: str | None = None,
) -> pd.DataFrame:
    """Return ``geo, value, year, flag, region_name`` with one row per region.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame with a ``geo`` column, or a panel indexed by ``geo``.
    value : str
        Column holding the values.
    year, flag, region_name : str, optional
        Columns with the year, flag and region name. By default ``time`` or
        ``{value}__year``, ``flag`` or ``{value}__flag`` and ``region_name`` are
        used when present.

    Returns
    -------
    pandas.DataFrame
        Columns ``geo`` (str), ``value`` (float), ``year`` (object, may be
        missing), ``flag`` (object, may be missing), ``region_name`` (object).

    Raises
    ------
    SchemaError
        If *value* is not a column or a region appears twice.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame(
    ...     {"gdp": [25000.0, None], "gdp__year": [2019, None]},
    ...     index=pd.Index(["AT11", "AT12"], name="geo"),
    ... )
    >>> panel["gdp__flag"] = ["e", None]
    >>> region_values(panel, "gdp")[["geo", "value", "year", "flag"]]
        geo    value    year flag
    0  AT11  25000.0  2019.0    e
    1  AT12      NaN     NaN  NaN
    """
    data = frame if "geo" in frame.columns else frame.rename_axis("geo").reset_index()
    if value not in data.columns:
        msg = (
            f"value column {value!r} is not in the frame; columns are "
            f"{sorted(map(str, data.columns))}"
        )
        raise SchemaError(msg)
    if year is None:
        year = next((c for c in ("time", f"{value}__year") if c in data.columns), None)
    if flag is None:
        flag = next((c for c in ("flag", f"{value}__flag") if c in data.columns), None)
    if region_name is None and "region_name" in data.columns:
        region_name = "region_name"
    out = pd.DataFrame(
        {
            "geo": data["geo"].astype(str).to_numpy(),
            "value": pd.to_numeric(data[value], errors="coerce")
            .astype("float64")
            .to_numpy(),
            "year": data[year].astype(object).to_numpy() if year else None,
            "flag": data[flag].astype(object).to_numpy() if flag else None,
            "region_name": data[region_name].astype(object).to_numpy()
            if region_name
            else None,
        }
    )
    dup = out["geo"][out["geo"].duplicated()]
    if len(dup):
        msg = (
            f"regions appear more than once: {sorted(set(dup))[:10]}; pass one row "
            "per region (e.g. one year of the long frame)"
        )
        raise SchemaError(msg)
    return out
