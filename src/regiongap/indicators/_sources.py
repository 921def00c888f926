"""Where an indicator's values are read: Eurostat datasets, GISCO points; once.

:class:`Sources` reads each Eurostat dataset once per call
(:func:`regiongap.fetch_dataset`: cache, mirror or API) and counts GISCO's
healthcare points per NUTS region once (:func:`regiongap.basic_services` joined
to :func:`regiongap.nuts_regions`, see :mod:`~regiongap.indicators._points`). A
failed read is remembered too, so ten indicators from one missing table report
the same error without asking the source ten times.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from regiongap.errors import RegiongapError, SchemaError
from regiongap.geo.lists import nuts_codes
from regiongap.indicators._checks import GISCO_LAYERS, Entry
from regiongap.indicators._points import (
    COUNT_COLUMNS,
    count_points,
    counts_at_levels,
    measure,
)
from regiongap.load.boundaries import nuts_regions
from regiongap.load.datasets import fetch_dataset
from regiongap.load.services import basic_services
from regiongap.schema import GEO

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["Sources", "load_dataset", "load_points"]

#: The GISCO release the healthcare layer is read from.
POINTS_RELEASE = 2020
_NO_COUNTS = pd.DataFrame(columns=list(COUNT_COLUMNS)).astype(
    {"n_hospitals": "int64", "n_with_beds": "int64", "beds": "float64"}
)
#: The GISCO basic-services layer behind each catalogue layer name.
_SERVICES: dict[str, Literal["healthcare"]] = {"gisco:healthcare": "healthcare"}


def load_dataset(
    code: str, *, mirror: str | Path | None, offline: bool | None, refresh: bool
) -> pd.DataFrame:
    """Read one whole dataset through :func:`regiongap.load.datasets.fetch_dataset`.

    The whole table is fetched (no server-side filters): several indicators share a
    table, the cache keeps one copy of it, and a filter that matches nothing can then
    be reported with the values the table does have.

    Parameters
    ----------
    code : str
        Eurostat dataset code.
    mirror, offline, refresh : optional
        Passed to :func:`regiongap.fetch_dataset`.

    Returns
    -------
    pandas.DataFrame
        The tidy dataset.

    Examples
    --------
    >>> load_dataset("tgs00042", mirror=None, offline=True, refresh=False).shape
    (2523, 8)
    """
    return fetch_dataset(code, refresh=refresh, mirror=mirror, offline=offline)


def load_points(
    layer: str,
    nuts_year: int,
    *,
    mirror: str | Path | None,
    offline: bool | None,
    refresh: bool,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read a GISCO points layer and the NUTS 3 regions to place its points in.

    Parameters
    ----------
    layer : str
        A key of :data:`~regiongap.indicators._checks.GISCO_LAYERS`.
    nuts_year : int
        NUTS version of the regions.
    mirror, offline, refresh : optional
        Passed to :func:`regiongap.basic_services` and
        :func:`regiongap.nuts_regions`.

    Returns
    -------
    points, regions : geopandas.GeoDataFrame
        The layer's points and the NUTS 3 regions (all countries).

    Raises
    ------
    SchemaError
        For a layer that is not a GISCO basic-services layer.

    Examples
    --------
    >>> points, regions = load_points(
    ...     "gisco:healthcare", 2021, mirror=None, offline=True, refresh=False)
    >>> len(points), len(regions)
    (15181, 1512)
    """
    if layer not in _SERVICES:
        msg = f"unknown GISCO layer {layer!r}; use one of {sorted(GISCO_LAYERS)}"
        raise SchemaError(msg)
    options: dict[str, Any] = {"mirror": mirror, "offline": offline, "refresh": refresh}
    points = basic_services(_SERVICES[layer], POINTS_RELEASE, **options)
    regions = nuts_regions(3, nuts_year, **options)
    return points, regions


class Sources:
    """Read each dataset, and each points layer, once per call.

    Parameters
    ----------
    mirror, offline, refresh : optional
        Passed to the loaders.
    nuts_year : int, default 2021
        NUTS version the points are placed in.

    Examples
    --------
    >>> sources = Sources(mirror=None, offline=True, refresh=False)
    >>> sources.dataset("tgs00042") is sources.dataset("tgs00042")
    True
    """

    def __init__(
        self,
        *,
        mirror: str | Path | None,
        offline: bool | None,
        refresh: bool,
        nuts_year: int = 2021,
    ) -> None:
        self.mirror = mirror
        self.offline = offline
        self.refresh = refresh
        self.nuts_year = nuts_year
        self._frames: dict[str, pd.DataFrame | RegiongapError] = {}
        self._attrs: dict[str, dict[str, Any]] = {}
        self._counts: dict[str, pd.DataFrame | RegiongapError] = {}

    def dataset(self, code: str) -> pd.DataFrame:
        """Return dataset *code*, read on first use; raise what reading raised.

        The frame comes without its ``attrs`` (:meth:`attrs` has them).
        """
        if code not in self._frames:
            try:
                frame = load_dataset(
                    code, mirror=self.mirror, offline=self.offline, refresh=self.refresh
                )
            except RegiongapError as exc:
                self._frames[code] = exc
            else:
                # pandas deep-copies attrs on every operation: keep them apart
                self._attrs[code] = {str(k): v for k, v in frame.attrs.items()}
                frame.attrs = {}
                self._frames[code] = frame
        found = self._frames[code]
        if isinstance(found, RegiongapError):
            raise found
        return found

    def attrs(self, code: str) -> dict[str, Any]:
        """Return the ``attrs`` dataset *code* came with (read first)."""
        return self._attrs.get(code, {})

    def counts(self, layer: str) -> pd.DataFrame:
        """Return the NUTS 3 counts of a points layer (``count_points``)."""
        if layer not in self._counts:
            try:
                points, regions = load_points(
                    layer,
                    self.nuts_year,
                    mirror=self.mirror,
                    offline=self.offline,
                    refresh=self.refresh,
                )
                codes = nuts_codes(self.nuts_year, 3)[[GEO, "country"]]
                counts = count_points(points, regions, codes)
                counts.attrs["provenance"] = [
                    points.attrs.get("provenance", {"dataset": layer}),
                    regions.attrs.get("provenance", {}),
                ]
                counts.attrs["release"] = int(points.attrs.get("release", 0))
                self._counts[layer] = counts
            except RegiongapError as exc:
                self._counts[layer] = exc
        found = self._counts[layer]
        if isinstance(found, RegiongapError):
            raise found
        return found

    def points(
        self, item: Entry, levels: Sequence[int], years: frozenset[int] | None
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Return one measure of a points layer at *levels*, and its attributes.

        The attributes are the counts' (placement counts, ``provenance``,
        ``release``); the series is ``geo, time, value, flag``, with the layer's
        release as the year. When *years* leave that year out, the series is
        empty and the layer is not read.
        """
        if years is not None and POINTS_RELEASE not in years:
            empty = measure(counts_at_levels(_NO_COUNTS, levels), "hospitals", 0)
            return empty, {"release": POINTS_RELEASE, "provenance": []}
        counts = self.counts(item.dataset)
        series = measure(
            counts_at_levels(counts, levels),
            item.filters["measure"],
            counts.attrs["release"],
        )
        return series, {str(k): v for k, v in counts.attrs.items()}
