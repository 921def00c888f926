"""How well a data frame's codes match the NUTS shapes, country by country.

:func:`nuts_match_report` tells which codes of a frame have no shape in a NUTS
version and which shapes have no data — the usual reason a map has holes or a metric
silently loses regions.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

import pandas as pd

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import (
    _AGGREGATE,
    _CODE,
    _EXTRA_REGIO,
    EU27_COUNTRIES,
    NUTS_YEARS,
    check_level,
)
from regiongap.load.boundaries import nuts_regions
from regiongap.schema import require_columns

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["nuts_match_report"]

_SHOWN = 8


def _data_codes(
    frame: pd.DataFrame, geo: str, value: str | None, level: int
) -> tuple[set[str], int]:
    """Codes of *frame* at *level* with data; and how many rows were not regions."""
    column = frame[geo]
    if value is not None and value in frame.columns:
        column = column[frame[value].notna()]
    codes = {c for c in pd.unique(column.astype(object)) if isinstance(c, str)}
    at_level = {c for c in codes if _CODE.fullmatch(c) and len(c) - 2 == level}
    ignored = sum(
        1 for c in codes if not _CODE.fullmatch(c) and not _AGGREGATE.fullmatch(c)
    )
    return at_level, ignored


def _reason(code: str, year: int) -> str:
    if _EXTRA_REGIO.fullmatch(code):
        return "extra-regio: no territory, GISCO has no shape"
    if year not in NUTS_YEARS:
        return f"not a NUTS {year} shape"
    from regiongap.geo.versions import validate_nuts

    row = validate_nuts([code], year=year).iloc[0]
    if row["valid"]:
        return f"a NUTS {year} region without a shape in this file"
    return str(row["reason"])


def nuts_match_report(
    frame: pd.DataFrame,
    level: int = 2,
    year: int = 2021,
    geo: str = "geo",
    *,
    value: str | None = "value",
    detail: bool = False,
    shapes: gpd.GeoDataFrame | None = None,
    scale: str | int = "20M",
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
) -> pd.DataFrame:
    """Compare a frame's NUTS codes with the shapes of one NUTS version and level.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a *geo* column; only codes at *level* are compared (other
        levels and aggregates such as ``EU27_2020`` are ignored).
    level : {0, 1, 2, 3}
        NUTS level.
    year : int
        NUTS version of the shapes.
    geo : str
        Name of the code column.
    value : str or None
        If the frame has this column, a code counts as data only where it has at
        least one non-missing value; ``None`` counts every code present.
    detail : bool
        Return one row per unmatched code instead of the by-country summary.
    shapes : geopandas.GeoDataFrame, optional
        Shapes to compare with (a :func:`nuts_regions` result); default
        ``nuts_regions(level, year, scale, mirror=mirror, offline=offline)``.
    scale, mirror, offline
        Passed to :func:`nuts_regions` when *shapes* is not given.

    Returns
    -------
    pandas.DataFrame
        Summary (default): one row per country, EU-27 first then the others
        (column ``group`` is ``"EU27"`` or ``"other"``), with ``n_shapes``,
        ``n_data`` (codes at *level* with data), ``n_matched``,
        ``n_data_without_shape``, ``n_shapes_without_data``, ``n_extra_regio``
        (extra-regio codes with data: they never have shapes), and the codes
        themselves in ``data_without_shape`` / ``shapes_without_data``
        (comma-separated, sorted).
        Detail (``detail=True``): ``geo, country, group, problem`` (``"no shape"``
        | ``"no data"`` | ``"extra-regio"``), ``name`` (of the shape, if any) and
        ``reason`` (e.g. "not in NUTS 2021; a NUTS 2016 code (recode_nuts
        converts it)").
        ``attrs`` holds ``level``, ``year`` and the totals.

    Warns
    -----
    DataQualityWarning
        When any data code has no shape or any shape has no data, with counts for
        the EU-27 and the other countries and examples.

    Raises
    ------
    SchemaError
        Missing *geo* column, invalid level, or *shapes* of another level.
    """
    if not isinstance(frame, pd.DataFrame):
        msg = f"nuts_match_report needs a pandas DataFrame, got {type(frame).__name__}"
        raise SchemaError(msg)
    require_columns(frame, [geo], what="nuts_match_report frame")
    check_level(level)
    if shapes is None:
        shapes = nuts_regions(level, year, scale, mirror=mirror, offline=offline)
    require_columns(shapes, ["geo", "name", "level"], what="shapes")
    if not (shapes["level"] == level).all():
        msg = (
            f"shapes hold levels {sorted(set(shapes['level']))}, not NUTS {level}; "
            f"pass nuts_regions({level}, {year})"
        )
        raise SchemaError(msg)

    have_data, ignored = _data_codes(frame, geo, value, level)
    shape_codes = set(shapes["geo"].astype(str))
    names = dict(zip(shapes["geo"].astype(str), shapes["name"], strict=True))
    extra = {c for c in have_data if _EXTRA_REGIO.fullmatch(c)}
    no_shape = sorted(have_data - shape_codes - extra)
    no_data = sorted(shape_codes - have_data)
    matched = have_data & shape_codes

    rows = (
        [(c, "no shape", None, _reason(c, year)) for c in no_shape]
        + [
            (c, "no data", names.get(c), "shape without data in the frame")
            for c in no_data
        ]
        + [(c, "extra-regio", None, _reason(c, year)) for c in sorted(extra)]
    )
    details = pd.DataFrame(rows, columns=["geo", "problem", "name", "reason"])
    details.insert(1, "country", details["geo"].str[:2])
    details.insert(2, "group", _group(details["country"]))

    countries = sorted({c[:2] for c in have_data | shape_codes})
    summary = pd.DataFrame({"country": countries})
    summary.insert(1, "group", _group(summary["country"]))

    def per_country(codes: set[str] | list[str]) -> pd.Series:
        return pd.Series([c[:2] for c in codes], dtype=object).value_counts()

    for column, codes in [
        ("n_shapes", shape_codes),
        ("n_data", have_data - extra),
        ("n_matched", matched),
        ("n_data_without_shape", no_shape),
        ("n_shapes_without_data", no_data),
        ("n_extra_regio", extra),
    ]:
        counts = per_country(codes)
        summary[column] = summary["country"].map(counts).fillna(0).astype("int64")
    for column, codes in [
        ("data_without_shape", no_shape),
        ("shapes_without_data", no_data),
    ]:
        by_country: dict[str, list[str]] = {}
        for code in codes:
            by_country.setdefault(code[:2], []).append(code)
        summary[column] = pd.array(
            [", ".join(sorted(by_country.get(c, []))) for c in summary["country"]],
            dtype="string",
        )
    order = summary["group"].map({"EU27": 0, "other": 1})
    summary = (
        summary.assign(_o=order)
        .sort_values(["_o", "country"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    details = details.assign(_o=details["group"].map({"EU27": 0, "other": 1}))
    details = details.sort_values(["_o", "problem", "geo"]).drop(columns="_o")
    details = details.reset_index(drop=True)

    totals = {
        "level": level,
        "year": year,
        "n_shapes": len(shape_codes),
        "n_data": len(have_data - extra),
        "n_matched": len(matched),
        "n_data_without_shape": len(no_shape),
        "n_shapes_without_data": len(no_data),
        "n_extra_regio": len(extra),
        "n_non_nuts_codes_ignored": ignored,
    }
    if no_shape or no_data:
        warnings.warn(
            _summary_message(details, totals), DataQualityWarning, stacklevel=2
        )
    out = details if detail else summary
    out.attrs = totals
    return out


def _group(countries: pd.Series) -> pd.Series:
    return countries.map(lambda c: "EU27" if c in EU27_COUNTRIES else "other").astype(
        object
    )


def _summary_message(details: pd.DataFrame, totals: dict[str, int]) -> str:
    parts = []
    for problem, label in [("no shape", "codes without a shape"),
                           ("no data", "shapes without data")]:  # fmt: skip
        sub = details[details["problem"] == problem]
        if sub.empty:
            continue
        eu = sub[sub["group"] == "EU27"]["geo"].tolist()
        other = sub[sub["group"] == "other"]["geo"].tolist()
        parts.append(
            f"{len(sub)} {label} (EU-27: {len(eu)}{_examples(eu)}; "
            f"others: {len(other)}{_examples(other)})"
        )
    return (
        f"NUTS {totals['level']} codes vs NUTS {totals['year']} shapes: "
        f"{totals['n_matched']} of {totals['n_data']} data codes matched; "
        + "; ".join(parts)
        + " — nuts_match_report(..., detail=True) lists them with reasons"
    )


def _examples(codes: list[str]) -> str:
    if not codes:
        return ""
    more = " …" if len(codes) > _SHOWN else ""
    return " e.g. " + ", ".join(codes[:_SHOWN]) + more
