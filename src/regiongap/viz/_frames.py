"""Read the value, year and flag of each region out of the frames figures receive.

Figures accept either the long indicator frame (``geo, time, value, flag``, one
year) or the panel (indexed by ``geo`` with ``{id}``, ``{id}__year`` and
``{id}__flag`` columns); this module turns both into one small frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regiongap.errors import SchemaError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

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


def flag_text(flag: object) -> str:
    """Return a readable flag, e.g. ``"e (estimated)"``, or ``"none"``."""
    import pandas as pd

    if flag is None or (pd.api.types.is_scalar(flag) and pd.isna(flag)):
        return "none"
    letters = str(flag).strip()
    if not letters:
        return "none"
    words = [FLAG_LABELS[c] for c in letters if c in FLAG_LABELS]
    return f"{letters} ({', '.join(words)})" if words else letters


def region_values(
    frame: pd.DataFrame,
    value: str,
    *,
    year: str | None = None,
    flag: str | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Return ``geo, value, year, flag, name`` with one row per region.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame with a ``geo`` column, or a panel indexed by ``geo``.
    value : str
        Column holding the values.
    year, flag, name : str, optional
        Columns with the year, flag and region name. By default ``time`` or
        ``{value}__year``, ``flag`` or ``{value}__flag`` and ``name`` are used
        when present.

    Returns
    -------
    pandas.DataFrame
        Columns ``geo`` (str), ``value`` (float), ``year`` (object, may be
        missing), ``flag`` (object, may be missing), ``name`` (object).

    Raises
    ------
    SchemaError
        If *value* is not a column or a region appears twice.
    """
    import pandas as pd

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
    if name is None:
        name = next((c for c in ("name", "region_name") if c in data.columns), None)
    out = pd.DataFrame(
        {
            "geo": data["geo"].astype(str).to_numpy(),
            "value": pd.to_numeric(data[value], errors="coerce")
            .astype("float64")
            .to_numpy(),
            "year": data[year].astype(object).to_numpy() if year else None,
            "flag": data[flag].astype(object).to_numpy() if flag else None,
            "name": data[name].astype(object).to_numpy() if name else None,
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
