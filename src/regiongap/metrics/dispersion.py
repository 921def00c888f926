"""Eurostat's official measures of regional dispersion inside a country.

Two formulas, both population-weighted and returned in percent as Eurostat
publishes them:

* :func:`eurostat_dispersion_cv` — *dispersion of regional employment
  (unemployment) rates*: the population-weighted coefficient of variation of the
  regional rates (Eurostat regional labour-market statistics, ``lfst_r_lmder``;
  DG EMPL context indicator SI-C3).
* :func:`eurostat_dispersion_mad` — *dispersion of regional GDP per inhabitant*:
  the population-weighted mean absolute deviation of regional GDP per inhabitant
  from the national value, in percent of the national value (Eurostat regional
  accounts; sustainable-development indicator ``tsdec220``).

:func:`dispersion_by_country` applies either one to a tidy frame, per country
and year, at NUTS 2 or NUTS 3.

References
----------
Eurostat, *Regional labour market statistics (reg_lmk)*, reference metadata
(ESMS), https://ec.europa.eu/eurostat/cache/metadata/en/reg_lmk_esms.htm.
Eurostat, Statistics Explained, *Archive: Regional labour market disparities*
(dispersion of regional employment and unemployment rates, NUTS 2 and 3).
Eurostat, Statistics Explained / SDI, *Dispersion of regional GDP per
inhabitant* (``tsdec220``, regional accounts, NUTS 2 and 3).
European Commission, DG EMPL, *SI-C3 Regional disparities – coefficient of
variation of employment rates*.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, MetricInputError, SchemaError
from regiongap.geo import codes as nuts
from regiongap.metrics._validate import Prepared, normalised_weights, prepare

__all__ = [
    "dispersion_by_country",
    "eurostat_dispersion_cv",
    "eurostat_dispersion_mad",
]

_KINDS = ("cv", "mad")
_NATIONAL = ("regions", "frame")


def _prepare_pair(
    values: Any, population: Any, nan_policy: str, values_name: str
) -> Prepared:
    if population is None:
        msg = (
            "population is required: Eurostat's dispersion weights each region by "
            "its population (pass one value per region)"
        )
        raise MetricInputError(msg)
    return prepare(
        values,
        population,
        nan_policy=nan_policy,
        values_name=values_name,
        weights_name="population",
    )


def _reference(prepared: Prepared, national: float | None, values_name: str) -> float:
    if national is None:
        ref = float(np.dot(normalised_weights(prepared), prepared.values))
        what = f"the population-weighted mean of {values_name}"
    else:
        if isinstance(national, bool) or not isinstance(
            national, int | float | np.number
        ):
            msg = f"national must be a number, got {national!r}"
            raise MetricInputError(msg)
        ref = float(national)
        what = "national"
        if not math.isfinite(ref):
            msg = f"national must be finite and > 0, got {national!r}"
            raise MetricInputError(msg)
    if ref <= 0:
        msg = f"{what} is {ref!r}; dispersion in percent of it is undefined"
        raise MetricInputError(msg)
    return ref


def eurostat_dispersion_cv(
    rates: Any,
    population: Any,
    *,
    national: float | None = None,
    nan_policy: str = "raise",
) -> float:
    r"""Eurostat's dispersion of regional rates (employment, unemployment), in %.

    The coefficient of variation of the regional rates, each region weighted by
    its population in the age group (absolute, active population):

    .. math::

        D = \frac{100}{\bar Y}
            \sqrt{\sum_{i=1}^{n} \frac{p_i}{P}\,(y_i - \bar Y)^2},
        \qquad P = \sum_i p_i

    with :math:`y_i` the rate of region *i*, :math:`p_i` its population and
    :math:`\bar Y` the national rate. Eurostat takes :math:`\bar Y` from the
    national series; by default this function uses the population-weighted mean
    of the regional rates, :math:`\bar Y = \sum_i (p_i/P)\,y_i`, which is the
    national rate whenever the regional rates and populations are consistent
    with it (then *D* = 100 × :func:`~regiongap.metrics.coefficient_of_variation`
    with population weights). Pass ``national=`` to use a published national
    rate instead. *D* is 0 when all regions have the same rate.

    Parameters
    ----------
    rates : array-like of float
        Regional rates (percent or ratio — *D* does not depend on the unit),
        non-negative, one per region of one country and year.
    population : array-like of float
        Population of each region in the age group the rate refers to, aligned
        with ``rates`` (equal indexes if both are Series).
    national : float, optional
        National rate :math:`\bar Y`; default: the population-weighted mean.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop regions with a missing rate or
        population, with a :class:`~regiongap.errors.DataQualityWarning`).

    Returns
    -------
    float
        Dispersion in percent.

    Raises
    ------
    MetricInputError
        Missing ``population``; empty or all-NaN input; negative rates or
        populations; zero total population; a national rate that is not a
        positive finite number; mismatched lengths or indexes.

    References
    ----------
    Eurostat, *Regional labour market statistics (reg_lmk)*, ESMS metadata,
    https://ec.europa.eu/eurostat/cache/metadata/en/reg_lmk_esms.htm
    (dispersion of regional employment rates, dataset ``lfst_r_lmder``: the
    coefficient of variation of the regional rates of a country, each region
    weighted by its absolute population in the age group).
    Eurostat, Statistics Explained, *Archive: Regional labour market
    disparities* (dispersion of NUTS 2 unemployment rates, EU-27 50.8 % in
    2010 and 56.7 % in 2011).
    European Commission, DG EMPL, indicator SI-C3 *Regional disparities –
    coefficient of variation of employment rates* (NUTS 2, Eurostat LFS).

    Examples
    --------
    >>> from regiongap.metrics import eurostat_dispersion_cv
    >>> # two regions of equal size at 60 % and 80 %: sd 10 around 70
    >>> round(eurostat_dispersion_cv([60.0, 80.0], [1e6, 1e6]), 6)
    14.285714
    """
    prepared = _prepare_pair(rates, population, nan_policy, "rates")
    ref = _reference(prepared, national, "rates")
    p = normalised_weights(prepared)
    return 100.0 / ref * math.sqrt(float(np.dot(p, (prepared.values - ref) ** 2)))


def eurostat_dispersion_mad(
    per_inhabitant: Any,
    population: Any,
    *,
    national: float | None = None,
    nan_policy: str = "raise",
) -> float:
    r"""Eurostat's dispersion of regional GDP per inhabitant, in %.

    The sum of the absolute differences between regional and national GDP per
    inhabitant, each weighted by the region's share of the national population,
    in percent of the national GDP per inhabitant:

    .. math::

        D = \frac{100}{Y} \sum_{i=1}^{n} \lvert y_i - Y \rvert\,\frac{p_i}{P},
        \qquad Y = \frac{\sum_i p_i y_i}{P},\; P = \sum_i p_i

    with :math:`y_i` the GDP per inhabitant of region *i* and :math:`p_i` its
    population. Eurostat uses the published national GDP per inhabitant as *Y*;
    by default this function uses the population-weighted mean of the regions,
    which equals it when regional GDP and population add up to the national
    totals. Pass ``national=`` to use the published value instead. Works for any
    per-inhabitant quantity (EUR, PPS); *D* does not depend on the unit.

    Parameters
    ----------
    per_inhabitant : array-like of float
        Regional values per inhabitant, non-negative, one per region of one
        country and year.
    population : array-like of float
        Population of each region (average annual population in Eurostat's
        regional accounts), aligned with ``per_inhabitant``.
    national : float, optional
        National value *Y*; default: the population-weighted mean.
    nan_policy : {"raise", "omit"}
        ``"raise"`` (default) or ``"omit"`` (drop regions with a missing value
        or population, with a :class:`~regiongap.errors.DataQualityWarning`).

    Returns
    -------
    float
        Dispersion in percent.

    Raises
    ------
    MetricInputError
        As :func:`eurostat_dispersion_cv`.

    References
    ----------
    Eurostat, regional accounts / sustainable-development indicator
    ``tsdec220``, *Dispersion of regional GDP per inhabitant* (NUTS 2 and
    NUTS 3): the sum of the absolute differences between regional and national
    GDP per inhabitant, weighted by the regions' population shares, in percent
    of the national GDP per inhabitant. (Definition as Eurostat describes the
    indicator; the metadata page itself could not be consulted offline.)

    Examples
    --------
    >>> from regiongap.metrics import eurostat_dispersion_mad
    >>> # 1 M people at 20 000 and 3 M at 40 000: Y = 35 000,
    >>> # D = 100/35 000 · (15 000·¼ + 5 000·¾) = 21.43 %
    >>> round(eurostat_dispersion_mad([20_000, 40_000], [1e6, 3e6]), 4)
    21.4286
    """
    prepared = _prepare_pair(per_inhabitant, population, nan_policy, "per_inhabitant")
    ref = _reference(prepared, national, "per_inhabitant")
    p = normalised_weights(prepared)
    return 100.0 / ref * float(np.dot(p, np.abs(prepared.values - ref)))


def _region_levels(geos: pd.Series) -> pd.DataFrame:
    """NUTS level, country and extra-regio/aggregate status of each distinct geo."""
    rows = []
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


def _population_frame(population: pd.DataFrame) -> pd.DataFrame:
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


def dispersion_by_country(
    frame: pd.DataFrame,
    value_col: str = "value",
    population: str | pd.DataFrame = "population",
    level: int = 2,
    kind: str = "cv",
    *,
    national: str = "regions",
) -> pd.DataFrame:
    r"""Eurostat dispersion of regional values per country and year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy frame with ``geo``, ``time`` and ``value_col`` for one indicator
        (one row per geo and time among the regions used). Aggregates
        (``EU27_2020``) and extra-regio codes (``DEZZ``) are ignored; NUTS 0 rows
        are used only with ``national="frame"``.
    value_col : str
        Column holding the regional values (rates for ``kind="cv"``, values per
        inhabitant for ``kind="mad"``).
    population : str or pandas.DataFrame
        Either the name of a column of ``frame`` holding each region's
        population, or a tidy population frame with ``geo``, ``time``,
        ``value`` (e.g. ``demo_r_pjanaggr3`` filtered to sex T, age TOTAL),
        joined on ``(geo, time)``.
    level : {2, 3}
        NUTS level of the regions compared within each country.
    kind : {"cv", "mad"}
        ``"cv"``: :func:`eurostat_dispersion_cv` (employment/unemployment
        rates); ``"mad"``: :func:`eurostat_dispersion_mad` (GDP per inhabitant).
    national : {"regions", "frame"}
        Reference value of each country and year: ``"regions"`` (default), the
        population-weighted mean of its regions; ``"frame"``, the country's own
        NUTS 0 row in ``frame`` (Eurostat's practice). A country-year without a
        NUTS 0 row is then skipped with a warning.

    Returns
    -------
    pandas.DataFrame
        One row per country and year, sorted: ``country``, ``time``,
        ``n_regions`` (regions used), ``n_dropped`` (regions of that level left
        out for a missing value or population), ``reference`` (the national
        value used) and ``dispersion`` (percent). ``attrs`` record ``kind``,
        ``level`` and ``national``.

    Raises
    ------
    MetricInputError
        Unknown ``kind``, ``level`` or ``national``; missing columns; several
        rows for one region and year (filter the frame to one series first); a
        geo that is not a NUTS code; invalid values (negative, infinite).

    Warns
    -----
    DataQualityWarning
        When regions lack a value or a population (they are left out and
        counted in ``n_dropped``), or a national row is missing.

    Notes
    -----
    A country with a single region of the requested level in ``frame`` (e.g.
    EE, LU, CY, MT at NUTS 2) is skipped: its dispersion is 0 by construction and Eurostat does
    not publish it. Country-years left with fewer than two regions after missing
    data are removed are skipped too (and warned about as above).

    Examples
    --------
    >>> import pandas as pd
    >>> from regiongap.metrics import dispersion_by_country
    >>> f = pd.DataFrame({"geo": ["AT11", "AT12", "EE00"], "time": 2019,
    ...                   "value": [20_000.0, 40_000.0, 25_000.0],
    ...                   "population": [1e6, 3e6, 1.3e6]})
    >>> dispersion_by_country(f, kind="mad").round(4).to_dict("records")
    [{'country': 'AT', 'time': 2019, 'n_regions': 2, 'n_dropped': 0, 'reference': 35000.0, 'dispersion': 21.4286}]
    """  # noqa: E501 - the doctest output is one line
    if kind not in _KINDS:
        msg = f"kind must be one of {_KINDS}, got {kind!r}"
        raise MetricInputError(msg)
    if national not in _NATIONAL:
        msg = f"national must be one of {_NATIONAL}, got {national!r}"
        raise MetricInputError(msg)
    if isinstance(level, bool) or level not in (1, 2, 3):
        msg = f"level must be 1, 2 or 3 (NUTS level of the regions), got {level!r}"
        raise MetricInputError(msg)
    if not isinstance(frame, pd.DataFrame):
        msg = f"frame must be a pandas DataFrame, got {type(frame).__name__}"
        raise MetricInputError(msg)
    needed = ["geo", "time", value_col]
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
    data = data.rename(columns={value_col: "_value"})
    if isinstance(population, str):
        data = data.rename(columns={population: "_population"})
    else:
        data = data.merge(_population_frame(population), on=["geo", "time"], how="left")
    for column, label in (("_value", value_col), ("_population", "population")):
        try:
            data[column] = pd.to_numeric(data[column]).astype("float64")
        except (TypeError, ValueError) as exc:
            msg = f"{label} column must hold numbers: {exc}"
            raise MetricInputError(msg) from exc

    kinds = _region_levels(data["geo"])
    data = data.merge(kinds, on="geo", how="left")
    regions = data[(data["level"] == level) & ~data["extra_regio"]]
    checked = data[data["level"] == 0] if national == "frame" else regions[:0]
    checked = pd.concat([regions, checked])
    dup = checked.duplicated(["geo", "time"], keep=False)
    if dup.any():
        shown = checked.loc[dup, ["geo", "time"]].drop_duplicates().head(5)
        msg = (
            f"frame has several rows for {int(dup.sum())} (geo, time) pairs, e.g. "
            f"{shown.to_dict('records')}; filter it to one series (unit, sex, …)"
        )
        raise MetricInputError(msg)
    national_values = (
        data[data["level"] == 0].set_index(["country", "time"])["_value"]
        if national == "frame"
        else None
    )

    formula = eurostat_dispersion_cv if kind == "cv" else eurostat_dispersion_mad
    rows = []
    lacking: list[str] = []
    no_national: list[str] = []
    for (country, time), group in regions.groupby(["country", "time"], sort=True):
        usable = group["_value"].notna() & group["_population"].notna()
        if len(group) < 2:
            continue  # single-region country: not published by Eurostat
        dropped = group.loc[~usable]
        if len(dropped):
            lacking.extend(f"{g}/{time}" for g in dropped["geo"])
        kept = group.loc[usable]
        if len(kept) < 2:
            continue
        ref: float | None = None
        if national_values is not None:
            ref = national_values.get((country, time), np.nan)
            if not np.isfinite(ref):
                no_national.append(f"{country}/{time}")
                continue
        value = formula(
            kept["_value"].to_numpy(), kept["_population"].to_numpy(), national=ref
        )
        if ref is None:
            p = kept["_population"].to_numpy()
            ref = float(np.dot(p, kept["_value"].to_numpy()) / p.sum())
        rows.append(
            {
                "country": country,
                "time": time,
                "n_regions": len(kept),
                "n_dropped": len(dropped),
                "reference": float(ref),
                "dispersion": value,
            }
        )
    if lacking:
        warnings.warn(
            f"{len(lacking)} NUTS {level} region-years lack a value or a population "
            f"and were left out: {', '.join(lacking[:10])}"
            + (f", … ({len(lacking) - 10} more)" if len(lacking) > 10 else ""),
            DataQualityWarning,
            stacklevel=2,
        )
    if no_national:
        warnings.warn(
            f"{len(no_national)} country-years have no national (NUTS 0) value in "
            f"frame and were skipped: {', '.join(no_national[:10])}",
            DataQualityWarning,
            stacklevel=2,
        )
    result = pd.DataFrame(
        rows,
        columns=[
            "country",
            "time",
            "n_regions",
            "n_dropped",
            "reference",
            "dispersion",
        ],
    )
    result.attrs.update({"kind": kind, "level": level, "national": national})
    return result.reset_index(drop=True)
