"""The input frames of :func:`regiongap.metrics.dispersion.dispersion_by_country`.

The tidy value frame joined with its population (a column or a frame of its own),
the NUTS level and country of every code, and the one-row-per-region-year check.
"""

from __future__ import annotations

import pandas as pd

from regiongap.errors import MetricInputError, SchemaError
from regiongap.geo import codes as nuts

__all__ = ["joined_frame", "population_frame", "region_levels", "require_one_row"]


def region_levels(geos: pd.Series) -> pd.DataFrame:
    """NUTS level, country and extra-regio/aggregate status of each distinct geo."""
    rows: list[tuple[str, int, str | None, bool]] = []
    for geo in pd.unique(geos.astype(str)):
        if nuts.is_aggregate(geo):
            rows.append((geo, -1, None, False))
            continue
        try:
            rows.append(
                (
                    geo,
                    nuts.nuts_level(geo),
                    nuts.nuts_country(geo),
                    nuts.is_extra_regio(geo),
                )
            )
        except SchemaError as exc:
            msg = f"frame: geo {geo!r} is not a NUTS code: {exc}"
            raise MetricInputError(msg) from exc
    return pd.DataFrame(rows, columns=["geo", "level", "country", "extra_regio"])


def population_frame(population: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("geo", "time", "value") if c not in population.columns]
    if missing:
        msg = (
            f"population frame lacks column(s) {missing}; it needs geo, time and "
            "value (a tidy frame filtered to one series, e.g. sex T, age TOTAL)"
        )
        raise MetricInputError(msg)
    pop = population[["geo", "time", "value"]].copy()
    pop["geo"] = pop["geo"].astype(str)
    dup = pop.duplicated(["geo", "time"], keep=False)
    if dup.any():
        shown = pop.loc[dup, ["geo", "time"]].drop_duplicates().head(5)
        msg = (
            f"population has {int(dup.sum())} rows sharing a (geo, time) key, e.g. "
            f"{shown.to_dict('records')}; filter it to one series first (e.g. "
            "sex == 'T' and age == 'TOTAL')"
        )
        raise MetricInputError(msg)
    return pop.rename(columns={"value": "_population"})


def joined_frame(
    frame: pd.DataFrame, value: str, population: str | pd.DataFrame
) -> pd.DataFrame:
    """Return ``geo, time, _value, _population`` of *frame*, numbers checked."""
    if not isinstance(frame, pd.DataFrame):
        msg = f"frame must be a pandas DataFrame, got {type(frame).__name__}"
        raise MetricInputError(msg)
    needed = ["geo", "time", value]
    if isinstance(population, str):
        needed.append(population)
    elif not isinstance(population, pd.DataFrame):
        msg = (
            "population must be a column name of frame or a tidy DataFrame "
            f"(geo, time, value), got {type(population).__name__}"
        )
        raise MetricInputError(msg)
    absent = [c for c in needed if c not in frame.columns]
    if absent:
        msg = f"frame lacks column(s) {absent}; it has {list(frame.columns)}"
        raise MetricInputError(msg)
    data = frame[needed].copy()
    data["geo"] = data["geo"].astype(str)
    data = data.rename(columns={value: "_value"})
    if isinstance(population, str):
        data = data.rename(columns={population: "_population"})
    else:
        data = data.merge(population_frame(population), on=["geo", "time"], how="left")
    for column, label in (("_value", value), ("_population", "population")):
        try:
            data[column] = pd.to_numeric(data[column]).astype("float64")
        except (TypeError, ValueError) as exc:
            msg = f"{label} column must hold numbers: {exc}"
            raise MetricInputError(msg) from exc
    return data


def require_one_row(checked: pd.DataFrame) -> None:
    dup = checked.duplicated(["geo", "time"], keep=False)
    if dup.any():
        shown = checked.loc[dup, ["geo", "time"]].drop_duplicates().head(5)
        msg = (
            f"frame has several rows for {int(dup.sum())} (geo, time) pairs, e.g. "
            f"{shown.to_dict('records')}; filter it to one series (unit, sex, …)"
        )
        raise MetricInputError(msg)
