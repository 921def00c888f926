"""NUTS regions as shapes: GISCO's boundaries as a GeoDataFrame keyed by ``geo``.

:func:`nuts_regions` returns GISCO's boundaries with ``geo`` = GISCO's ``NUTS_ID``.

geopandas is imported inside the functions: ``import regiongap`` stays light.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd

from regiongap.errors import SourceError
from regiongap.schema import check_level

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["nuts_regions"]

_COLUMNS = {
    "NUTS_ID": "geo",
    "NAME_LATN": "name",
    "NUTS_NAME": "name_local",
    "LEVL_CODE": "level",
    "CNTR_CODE": "country",
    "MOUNT_TYPE": "mount_type",
    "URBN_TYPE": "urbn_type",
    "COAST_TYPE": "coast_type",
}
_TYPES = ("mount_type", "urbn_type", "coast_type")


def nuts_regions(
    level: int = 2,
    year: int = 2021,
    scale: str | int = "20M",
    crs: int = 4326,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    refresh: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Return the NUTS regions of one level as shapes.

    Parameters
    ----------
    level : {0, 1, 2, 3}
        NUTS level.
    year : {2003, 2006, 2010, 2013, 2016, 2021, 2024}
        NUTS version (the mirror holds 2021; others need the network once).
    scale : {"01M", "03M", "10M", "20M", "60M"}
        GISCO's map scale (1:1 million … 1:60 million); ``20`` or ``"20"`` is
        read as ``"20M"``.
    crs : {4326, 3035, 3857}
        EPSG code of the coordinates.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``); its
        ``geo/NUTS_RG_{scale}_{year}_{crs}_LEVL_{level}.geojson.gz`` is read.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool
        Read the mirror / download again instead of using the cache.
    cache_dir : path-like, optional
        Cache folder (default ``<REGIONGAP_DATA_DIR>/raw``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per region, sorted by ``geo``: ``geo`` (GISCO ``NUTS_ID``),
        ``name`` (Latin name), ``name_local``, ``level``, ``country`` (Eurostat
        code: ``EL``, ``UK``), ``mount_type``, ``urbn_type``, ``coast_type``
        (GISCO's typologies as nullable integers; where GISCO's file leaves
        them empty, as the 20M files do, NUTS 2021 level 3 regions get
        ``urbn_type`` and ``coast_type`` from
        :func:`~regiongap.geo.codes.nuts_typologies`,
        the same codes; ``<NA>`` elsewhere) and ``geometry``. GISCO ships no
        shapes for extra-regio codes. ``attrs["provenance"]`` says where the
        file came from.

    Raises
    ------
    SchemaError
        Invalid level, year, scale or CRS (naming the allowed values).
    OfflineError, DatasetNotFoundError, SourceError
        When the file is neither cached, in the mirror, nor downloadable.

    Examples
    --------
    >>> regions = nuts_regions(2, 2021)  # doctest: +SKIP
    >>> regions.loc[regions["geo"] == "ES22", "name"].item()  # doctest: +SKIP
    'Comunidad Foral de Navarra'
    """
    from regiongap.sources.gisco import fetch_nuts_shapes

    check_level(level)
    raw = fetch_nuts_shapes(
        level,
        year,
        scale,
        crs,
        mirror=mirror,
        offline=offline,
        refresh=refresh,
        cache_dir=cache_dir,
    )
    provenance = raw.attrs.get("provenance", {})
    missing = [c for c in ("NUTS_ID", "LEVL_CODE", "CNTR_CODE") if c not in raw.columns]
    if missing:
        msg = (
            f"GISCO file {provenance.get('location')!r} lacks column(s) {missing}; "
            f"it has {list(raw.columns)}"
        )
        raise SourceError(msg)
    frame = raw.rename(columns=_COLUMNS)
    for column in _COLUMNS.values():
        if column not in frame.columns:
            frame[column] = pd.NA
    for column in ("geo", "name", "name_local", "country"):
        frame[column] = frame[column].astype("string")
    frame["level"] = frame["level"].astype("int64")
    for column in _TYPES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    if year == 2021 and level == 3:
        frame = _fill_typologies(frame)
    wrong = frame[frame["level"] != level]
    if not wrong.empty:
        msg = (
            f"GISCO file {provenance.get('location')!r} should hold NUTS {level} "
            f"regions but has levels {sorted(set(wrong['level']))} "
            f"(e.g. {list(wrong['geo'][:3])})"
        )
        raise SourceError(msg)
    frame = frame[[*_COLUMNS.values(), "geometry"]]
    frame = frame.sort_values("geo", kind="stable").reset_index(drop=True)
    frame.attrs = {"provenance": provenance, "nuts_year": year, "level": level}
    return frame


def _fill_typologies(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill GISCO's empty urban-rural and coastal types from the NUTS workbook."""
    from regiongap.geo.codes import nuts_typologies

    types = nuts_typologies().set_index("geo")
    codes = frame["geo"].astype(object)
    for column in ("urbn_type", "coast_type"):
        known = codes.map(types[column]).astype("Int64")
        frame[column] = frame[column].fillna(known)
    return frame
