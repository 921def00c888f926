r"""Hospitals per region from GISCO's healthcare points, and the regions without one.

GISCO's basic-services layer lists the hospitals of 34 countries with their
coordinates (:func:`regiongap.basic_services`); :func:`hospitals` places each in
its NUTS region (:mod:`~regiongap.indicators._points`: a spatial join on GISCO's
boundaries, within the point's own country) and gives per region the number of
hospitals, the beds where they are reported, both per 100 000 inhabitants
(population on 1 January of the layer's release year,
``demo_r_pjanaggr3``), and whether the region has no hospital at all:

.. math::

    h_r = \frac{n_r}{P_r} \times 10^5, \qquad b_r = \frac{B_r}{P_r} \times 10^5

with :math:`n_r` the hospitals located in region :math:`r`, :math:`B_r` their
beds (only when every one of them reports its beds) and :math:`P_r` the
population. The catalogue's ``hospitals_per_100k`` and ``hospital_beds_per_100k``
are the same numbers.

**Compare within a country.** GISCO states that national registers differ in
what they count as a hospital (France lists every *établissement*, psychiatric and
long-stay ones included; other countries list general hospitals only), so counts
are comparable within a country and only with care across countries; they stay
out of the default capacity index (:func:`regiongap.index_framework`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from regiongap.indicators._points import counts_at_levels
from regiongap.indicators._sources import POINTS_RELEASE, Sources
from regiongap.indicators._versions import recode_frames
from regiongap.indicators.derive import ratio
from regiongap.indicators.fetch import fetch_indicator
from regiongap.load.services import basic_services
from regiongap.schema import FLAG, GEO, TIME, VALUE, check_level, check_nuts_year

__all__ = ["COMPARABILITY_NOTE", "HOSPITAL_COLUMNS", "hospitals"]

#: What every table and report of hospital counts says about them.
COMPARABILITY_NOTE = (
    "Hospitals as listed in GISCO's healthcare layer: national registers differ "
    "in what they count as a hospital, so counts are comparable within a country "
    "and only with care across countries."
)
#: Columns of :func:`hospitals`, in order.
HOSPITAL_COLUMNS: tuple[str, ...] = (
    GEO,
    "country",
    "n_hospitals",
    "n_with_beds",
    "beds",
    "population",
    "hospitals_per_100k",
    "hospital_beds_per_100k",
    "no_hospital",
)
_YEAR = re.compile(r"(\d{2,4})\s*$")


def _year_of(text: object) -> int | None:
    """Return the year of GISCO's ``dd/mm/yy`` or ``dd/mm/yyyy`` dates."""
    found = _YEAR.search(str(text)) if isinstance(text, str) else None
    if found is None:
        return None
    year = int(found.group(1))
    return year + 2000 if year < 100 else year


def _reference_years(points: pd.DataFrame) -> dict[str, list[int]]:
    """Per country, the years of its points' reference dates (else publication)."""
    years = points["ref_date"].map(_year_of)
    years = years.fillna(points["pub_date"].map(_year_of))
    frame = pd.DataFrame({"country": points["country"], "year": years}).dropna()
    return {
        str(c): sorted({int(y) for y in group["year"]})
        for c, group in frame.groupby("country", sort=True)
    }


def _per_100k(counts: pd.DataFrame, column: str, population: pd.DataFrame) -> pd.Series:
    """*column* per 100 000 inhabitants, the catalogue's derivation (``ratio``)."""
    series = pd.DataFrame(
        {
            GEO: counts[GEO],
            TIME: POINTS_RELEASE,
            VALUE: counts[column].astype("float64"),
            FLAG: pd.array([pd.NA] * len(counts), dtype="string"),
        }
    )
    out = ratio(series, population, 100_000.0, what=column)
    return counts[GEO].map(out.set_index(GEO)[VALUE])


def _population(level: int, nuts_year: int, options: dict[str, Any]) -> pd.DataFrame:
    population = fetch_indicator(
        "population_nuts3", level=level, years=POINTS_RELEASE, **options
    )
    frames = {"population_nuts3": population}
    if nuts_year != 2021:
        recode_frames(frames, nuts_year)
    return frames["population_nuts3"][[GEO, TIME, VALUE, FLAG]]


def hospitals(
    level: int = 3,
    *,
    nuts_year: int = 2021,
    mirror: str | Path | None = None,
    offline: bool | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Count hospitals and their reported beds per NUTS region and per 100 000 people.

    Parameters
    ----------
    level : {0, 1, 2, 3}, default 3
        NUTS level of the rows.
    nuts_year : {2021, 2024, 2016, 2013}, default 2021
        NUTS version of the regions the points are placed in.
    mirror : str or Path, optional
        Mirror folder (default ``REGIONGAP_MIRROR``).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Read the layer, the boundaries and the population again.

    Returns
    -------
    pandas.DataFrame
        :data:`HOSPITAL_COLUMNS`, one row per region of the countries in GISCO's
        layer (regions without a hospital included): ``n_hospitals``,
        ``n_with_beds`` (of them, reporting beds), ``beds`` (NaN unless every
        hospital of the region reports its beds), ``population`` (1 January of
        the release year), ``hospitals_per_100k``, ``hospital_beds_per_100k``
        and ``no_hospital``. ``attrs``: ``release``, ``nuts_year``,
        ``reference_years`` ({country: years of its reference dates}),
        ``no_hospital`` (the regions without a hospital), the placement counts
        (``n_points``, ``duplicates``, ``no_coordinates``, ``snapped``,
        ``unassigned``, ``unassigned_ids``), ``comparability`` (the note to
        show with the numbers) and ``provenance``.

    Raises
    ------
    SchemaError
        A bad level or NUTS version.
    SourceError
        The layer, the boundaries or the population cannot be read.

    Examples
    --------
    With ``REGIONGAP_MIRROR`` pointing at the shared data folder:

    >>> import regiongap as rg
    >>> nuts2 = rg.hospitals(level=2)
    >>> nuts2.loc[nuts2["geo"].isin(["AT11", "DE30"]),
    ...           ["geo", "n_hospitals", "beds", "hospitals_per_100k"]].round(1)
         geo  n_hospitals    beds  hospitals_per_100k
    0   AT11           10  1651.0                 3.4
    53  DE30           86     NaN                 2.3

    Germany reports no beds, so Berlin has none.
    >>> nuts3 = rg.hospitals(level=3)
    >>> len(nuts3.attrs["no_hospital"]) > 0, nuts3.attrs["reference_years"]["BG"]
    (True, [2012])
    >>> print(nuts3.attrs["comparability"])
    Hospitals as listed in GISCO's healthcare layer: national registers differ in
    what they count as a hospital, so counts are comparable within a country and only
    with care across countries.
    """
    lv = check_level(level)
    version = check_nuts_year(nuts_year)
    options: dict[str, Any] = {"mirror": mirror, "offline": offline, "refresh": refresh}
    sources = Sources(**options, nuts_year=version)
    counts3 = sources.counts("gisco:healthcare")
    counts = counts_at_levels(counts3, [lv])
    population = _population(lv, version, options)
    out = counts[[GEO, "country", "n_hospitals", "n_with_beds", "beds"]].copy()
    out["population"] = out[GEO].map(population.set_index(GEO)[VALUE])
    out["hospitals_per_100k"] = _per_100k(counts, "n_hospitals", population)
    out["hospital_beds_per_100k"] = _per_100k(counts, "beds", population)
    out["no_hospital"] = out["n_hospitals"] == 0
    out = out[list(HOSPITAL_COLUMNS)].reset_index(drop=True)
    points = basic_services("healthcare", POINTS_RELEASE, **options)
    attrs = dict(counts3.attrs)
    out.attrs = {
        "release": POINTS_RELEASE,
        "nuts_year": version,
        "level": lv,
        "reference_years": _reference_years(points),
        "no_hospital": out.loc[out["no_hospital"], GEO].tolist(),
        **{k: v for k, v in attrs.items() if k not in ("provenance", "release")},
        "comparability": COMPARABILITY_NOTE,
        "provenance": [
            *attrs.get("provenance", []),
            *population.attrs.get("provenance", []),
        ],
    }
    return out
