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
from regiongap.geo._rules import AGGREGATE, CODE, EXTRA_REGIO
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.geo.versions import validate_nuts
from regiongap.load.boundaries import nuts_regions
from regiongap.schema import NUTS_YEARS, check_level, require_columns

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["nuts_match_report"]

_SHOWN = 8
#: The counts of the report, each of one set of codes (see :func:`_code_sets`).
_COUNTS = {
    "n_shapes": "shapes",
    "n_data": "data_only",
    "n_matched": "matched",
    "n_data_without_shape": "no_shape",
    "n_shapes_without_data": "no_data",
    "n_extra_regio": "extra",
}


def _data_codes(
    frame: pd.DataFrame, geo: str, value: str | None, level: int
) -> tuple[set[str], int]:
    """Codes of *frame* at *level* with data; and how many rows were not regions."""
    column = frame[geo]
    if value is not None and value in frame.columns:
        column = column[frame[value].notna()]
    codes = {c for c in pd.unique(column.astype(object)) if isinstance(c, str)}
    at_level = {c for c in codes if CODE.fullmatch(c) and len(c) - 2 == level}
    ignored = sum(
        1 for c in codes if not CODE.fullmatch(c) and not AGGREGATE.fullmatch(c)
    )
    return at_level, ignored


def _reason(code: str, nuts_year: int) -> str:
    if EXTRA_REGIO.fullmatch(code):
        return "extra-regio: no territory, GISCO has no shape"
    if nuts_year not in NUTS_YEARS:
        return f"not a NUTS {nuts_year} shape"
    row = validate_nuts([code], nuts_year=nuts_year).iloc[0]
    if row["valid"]:
        return f"a NUTS {nuts_year} region without a shape in this file"
    return str(row["reason"])


def _group(countries: pd.Series) -> pd.Series:
    return countries.map(lambda c: "EU27" if c in EU27_COUNTRIES else "other").astype(
        object
    )


def _checked_shapes(
    shapes: pd.DataFrame, level: int, nuts_year: int
) -> tuple[set[str], dict[str, str]]:
    """Return the codes and names of *shapes*, after checking their level."""
    require_columns(shapes, ["geo", "region_name", "level"], what="shapes")
    if not (shapes["level"] == level).all():
        msg = (
            f"shapes hold levels {sorted(set(shapes['level']))}, not NUTS {level}; "
            f"pass nuts_regions({level}, {nuts_year})"
        )
        raise SchemaError(msg)
    codes = shapes["geo"].astype(str)
    names = dict(zip(codes, shapes["region_name"], strict=True))
    return set(codes), names


def _details(
    sets: dict[str, set[str]], names: dict[str, str], nuts_year: int
) -> pd.DataFrame:
    """Return one row per unmatched code: no shape, no data, or extra-regio."""
    rows = (
        [(c, "no shape", None, _reason(c, nuts_year)) for c in sorted(sets["no_shape"])]
        + [
            (c, "no data", names.get(c), "shape without data in the frame")
            for c in sorted(sets["no_data"])
        ]
        + [
            (c, "extra-regio", None, _reason(c, nuts_year))
            for c in sorted(sets["extra"])
        ]
    )
    details = pd.DataFrame(rows, columns=["geo", "problem", "region_name", "reason"])
    details.insert(1, "country", details["geo"].str[:2])
    details.insert(2, "group", _group(details["country"]))
    details = details.assign(_o=details["group"].map({"EU27": 0, "other": 1}))
    details = details.sort_values(["_o", "problem", "geo"]).drop(columns="_o")
    return details.reset_index(drop=True)


def _summary(sets: dict[str, set[str]]) -> pd.DataFrame:
    """Return one row per country, EU-27 first: counts and the unmatched codes."""
    countries = sorted({c[:2] for c in sets["data"] | sets["shapes"]})
    summary = pd.DataFrame({"country": countries})
    summary.insert(1, "group", _group(summary["country"]))
    for column, key in _COUNTS.items():
        codes = pd.Series([c[:2] for c in sets[key]], dtype=object)
        counts = codes.value_counts()
        summary[column] = summary["country"].map(counts).fillna(0).astype("int64")
    for column, key in [
        ("data_without_shape", "no_shape"),
        ("shapes_without_data", "no_data"),
    ]:
        by_country: dict[str, list[str]] = {}
        for code in sets[key]:
            by_country.setdefault(code[:2], []).append(code)
        summary[column] = pd.array(
            [", ".join(sorted(by_country.get(c, []))) for c in summary["country"]],
            dtype="string",
        )
    order = summary["group"].map({"EU27": 0, "other": 1})
    return (
        summary.assign(_o=order)
        .sort_values(["_o", "country"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _code_sets(have_data: set[str], shape_codes: set[str]) -> dict[str, set[str]]:
    """Return the codes with data, with shapes, and how they compare."""
    extra = {c for c in have_data if EXTRA_REGIO.fullmatch(c)}
    return {
        "data": have_data,
        "shapes": shape_codes,
        "extra": extra,
        "data_only": have_data - extra,
        "matched": have_data & shape_codes,
        "no_shape": have_data - shape_codes - extra,
        "no_data": shape_codes - have_data,
    }


def nuts_match_report(
    frame: pd.DataFrame,
    level: int = 2,
    nuts_year: int = 2021,
    geo: str = "geo",
    *,
    value: str | None = "value",
    detail: bool = False,
    shapes: gpd.GeoDataFrame | pd.DataFrame | None = None,
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
    nuts_year : int
        NUTS version of the shapes.
    geo : str
        Name of the code column.
    value : str or None
        If the frame has this column, a code counts as data only where it has at
        least one non-missing value; ``None`` counts every code present.
    detail : bool
        Return one row per unmatched code instead of the by-country summary.
    shapes : geopandas.GeoDataFrame or pandas.DataFrame, optional
        Shapes to compare with (a :func:`~regiongap.load.boundaries.nuts_regions`
        result, or any frame with ``geo``, ``region_name`` and ``level``); default
        ``nuts_regions(level, nuts_year, scale, mirror=mirror, offline=offline)``.
    scale : str or int
        GISCO's scale of the default shapes (``"20M"``).
    mirror : str or path-like, optional
        Mirror folder for the default shapes (default ``REGIONGAP_MIRROR``).
    offline : bool, optional
        Forbid the network when reading the default shapes (default
        ``REGIONGAP_OFFLINE``).

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
        | ``"no data"`` | ``"extra-regio"``), ``region_name`` (of the shape, if
        any) and ``reason`` (e.g. "not in NUTS 2021; a NUTS 2016 code (recode_nuts
        converts it)").
        ``attrs`` holds ``level``, ``nuts_year`` and the totals.

    Raises
    ------
    SchemaError
        Missing *geo* column, invalid level, or *shapes* of another level.

    Warns
    -----
    DataQualityWarning
        When any data code has no shape or any shape has no data, with counts for
        the EU-27 and the other countries and examples.

    Examples
    --------
    Croatia's NUTS 2 shapes of 2021 against a frame with one NUTS 2016 code:

    >>> import warnings
    >>> import pandas as pd
    >>> from regiongap import nuts_regions
    >>> croatia = nuts_regions(2, 2021).query("country == 'HR'")
    >>> frame = pd.DataFrame({"geo": ["HR02", "HR03", "HR04", "HR05"], "value": 1.0})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     report = nuts_match_report(frame, 2, 2021, shapes=croatia, detail=True)
    >>> report[["geo", "country", "problem"]]
        geo country   problem
    0  HR06      HR   no data
    1  HR04      HR  no shape
    >>> print(report.loc[1, "reason"])
    not in NUTS 2021; a NUTS 2016 code (recode_nuts converts it); did you mean
    'HR02', 'HR05', 'HR06'? (HR04 (Kontinentalna Hrvatska, NUTS 2016) in NUTS
    2021: split; now HR02, HR05, HR06)
    >>> print(caught[0].message)
    NUTS 2 codes vs NUTS 2021 shapes: 3 of 4 data codes matched; ...
    """
    if not isinstance(frame, pd.DataFrame):
        msg = f"nuts_match_report needs a pandas DataFrame, got {type(frame).__name__}"
        raise SchemaError(msg)
    require_columns(frame, [geo], what="nuts_match_report frame")
    check_level(level)
    if shapes is None:
        shapes = nuts_regions(level, nuts_year, scale, mirror=mirror, offline=offline)
    shape_codes, names = _checked_shapes(shapes, level, nuts_year)
    have_data, ignored = _data_codes(frame, geo, value, level)
    sets = _code_sets(have_data, shape_codes)
    details = _details(sets, names, nuts_year)
    totals: dict[str, int] = {"level": level, "nuts_year": nuts_year}
    totals |= {column: len(sets[key]) for column, key in _COUNTS.items()}
    totals["n_non_nuts_codes_ignored"] = ignored
    if sets["no_shape"] or sets["no_data"]:
        warnings.warn(
            _summary_message(details, totals), DataQualityWarning, stacklevel=2
        )
    out = details if detail else _summary(sets)
    out.attrs.update(totals)  # a new frame: its attrs are the totals alone
    return out


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
        f"NUTS {totals['level']} codes vs NUTS {totals['nuts_year']} shapes: "
        f"{totals['n_matched']} of {totals['n_data']} data codes matched; "
        + "; ".join(parts)
        + " — nuts_match_report(..., detail=True) lists them with reasons"
    )


def _examples(codes: list[str]) -> str:
    if not codes:
        return ""
    more = " …" if len(codes) > _SHOWN else ""
    return " e.g. " + ", ".join(codes[:_SHOWN]) + more
