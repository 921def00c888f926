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
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from regiongap.errors import DataQualityWarning, MetricInputError
from regiongap.metrics._dispersion_input import (
    joined_frame,
    region_levels,
    require_one_row,
)
from regiongap.metrics._validate import (
    NanPolicy,
    Prepared,
    normalised_weights,
    prepare,
)
from regiongap.schema import check_level

__all__ = [
    "Kind",
    "NationalRule",
    "dispersion_by_country",
    "eurostat_dispersion_cv",
    "eurostat_dispersion_mad",
]

#: The two Eurostat formulas: ``"cv"`` (rates) and ``"mad"`` (per inhabitant).
Kind = Literal["cv", "mad"]
#: Where a country's reference value comes from.
NationalRule = Literal["regions", "frame"]

_KINDS = ("cv", "mad")
_NATIONAL = ("regions", "frame")
_COLUMNS = ["country", "time", "n_regions", "n_dropped", "reference", "dispersion"]


def _prepare_pair(
    values: ArrayLike,
    population: ArrayLike | None,
    nan_policy: NanPolicy,
    values_name: str,
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
    rates: ArrayLike,
    population: ArrayLike,
    *,
    national: float | None = None,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Compute Eurostat's dispersion of regional (un)employment rates, in %.

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
    per_inhabitant: ArrayLike,
    population: ArrayLike,
    *,
    national: float | None = None,
    nan_policy: NanPolicy = "raise",
) -> float:
    r"""Compute Eurostat's dispersion of regional GDP per inhabitant, in %.

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


def _check_options(kind: str, national: str, level: object) -> int:
    if kind not in _KINDS:
        msg = f"kind must be one of {_KINDS}, got {kind!r}"
        raise MetricInputError(msg)
    if national not in _NATIONAL:
        msg = f"national must be one of {_NATIONAL}, got {national!r}"
        raise MetricInputError(msg)
    checked = check_level(level)
    if checked == 0:
        msg = f"level must be 1, 2 or 3 (NUTS level of the regions), got {level!r}"
        raise MetricInputError(msg)
    return checked


@dataclass
class _Skipped:
    """Region-years and country-years left out, for the warnings."""

    lacking: list[str] = field(default_factory=list)
    no_national: list[str] = field(default_factory=list)


def _country_row(
    group: pd.DataFrame,
    key: tuple[str, object],
    national_values: pd.Series | None,
    kind: Kind,
    skipped: _Skipped,
) -> dict[str, object] | None:
    """Dispersion of one country-year, or None when it is skipped."""
    country, time = key
    if len(group) < 2:
        return None  # single-region country: not published by Eurostat
    usable = group["_value"].notna() & group["_population"].notna()
    dropped = group.loc[~usable]
    skipped.lacking.extend(f"{g}/{time}" for g in dropped["geo"])
    kept = group.loc[usable]
    if len(kept) < 2:
        return None
    ref: float | None = None
    if national_values is not None:
        ref = national_values.get((country, time), np.nan)
        if not np.isfinite(ref):
            skipped.no_national.append(f"{country}/{time}")
            return None
    formula = eurostat_dispersion_cv if kind == "cv" else eurostat_dispersion_mad
    values, people = kept["_value"].to_numpy(), kept["_population"].to_numpy()
    dispersion = formula(values, people, national=ref)
    if ref is None:
        ref = float(np.dot(people, values) / people.sum())
    return {
        "country": country,
        "time": time,
        "n_regions": len(kept),
        "n_dropped": len(dropped),
        "reference": float(ref),
        "dispersion": dispersion,
    }


def _warn_skipped(skipped: _Skipped, level: int) -> None:
    lacking, no_national = skipped.lacking, skipped.no_national
    if lacking:
        warnings.warn(
            f"{len(lacking)} NUTS {level} region-years lack a value or a population "
            f"and were left out: {', '.join(lacking[:10])}"
            + (f", … ({len(lacking) - 10} more)" if len(lacking) > 10 else ""),
            DataQualityWarning,
            stacklevel=3,
        )
    if no_national:
        warnings.warn(
            f"{len(no_national)} country-years have no national (NUTS 0) value in "
            f"frame and were skipped: {', '.join(no_national[:10])}",
            DataQualityWarning,
            stacklevel=3,
        )


def dispersion_by_country(
    frame: pd.DataFrame,
    value: str = "value",
    population: str | pd.DataFrame = "population",
    level: int = 2,
    kind: Kind = "cv",
    *,
    national: NationalRule = "regions",
) -> pd.DataFrame:
    r"""Eurostat dispersion of regional values per country and year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy frame with ``geo``, ``time`` and ``value`` for one indicator
        (one row per geo and time among the regions used). Aggregates
        (``EU27_2020``) and extra-regio codes (``DEZZ``) are ignored; NUTS 0 rows
        are used only with ``national="frame"``.
    value : str
        Column holding the regional values (rates for ``kind="cv"``, values per
        inhabitant for ``kind="mad"``); default ``"value"``.
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
    SchemaError
        A ``level`` that is not a NUTS level (:func:`regiongap.schema.check_level`).
    MetricInputError
        Unknown ``kind`` or ``national``, ``level=0``; missing columns; several
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
    level = _check_options(kind, national, level)
    data = joined_frame(frame, value, population)
    data = data.merge(region_levels(data["geo"]), on="geo", how="left")
    regions = data[(data["level"] == level) & ~data["extra_regio"]]
    nuts0 = data[data["level"] == 0]
    require_one_row(pd.concat([regions, nuts0]) if national == "frame" else regions)
    national_values = (
        nuts0.set_index(["country", "time"])["_value"] if national == "frame" else None
    )
    skipped = _Skipped()
    rows = []
    for (country, time), group in regions.groupby(["country", "time"], sort=True):
        row = _country_row(group, (str(country), time), national_values, kind, skipped)
        if row is not None:
            rows.append(row)
    _warn_skipped(skipped, level)
    result = pd.DataFrame(rows, columns=_COLUMNS)
    result.attrs.update({"kind": kind, "level": level, "national": national})
    return result.reset_index(drop=True)
