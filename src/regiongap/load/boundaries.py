"""NUTS regions as shapes: GISCO's boundaries as a GeoDataFrame keyed by ``geo``.

:func:`nuts_regions` follows the same flow as Eurostat datasets: the raw GeoJSON
bytes come from :mod:`regiongap.sources.gisco` (mirror folder or GISCO's service),
:func:`read_geojson` parses them, and the parsed file is kept in the cache as a
GeoParquet file (``<cache dir>/gisco/<name>.parquet``, provenance included), so later
calls need neither the mirror nor the network. The result is renamed to the
glossary's words (``geo``, ``region_name``, ``level``) and checked.

geopandas is imported inside the functions: ``import regiongap`` stays light.
"""

from __future__ import annotations

import gzip
import io
import os
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap._package_data import read_package_csv
from regiongap.cache import store as cache
from regiongap.errors import CacheError, SourceError
from regiongap.load._cached import read_or_warn, write_or_warn
from regiongap.schema import check_level
from regiongap.sources.gisco import fetch_raw_shapes, nuts_file_name

if TYPE_CHECKING:
    import geopandas as gpd
    import pyarrow as pa

__all__ = ["nuts_regions", "read_geojson"]

#: GISCO's column names → ours, in the order of the result.
_COLUMNS = {
    "NUTS_ID": "geo",
    "NAME_LATN": "region_name",
    "NUTS_NAME": "region_name_local",
    "LEVL_CODE": "level",
    "CNTR_CODE": "country",
    "MOUNT_TYPE": "mount_type",
    "URBN_TYPE": "urbn_type",
    "COAST_TYPE": "coast_type",
}
_TYPES = ("mount_type", "urbn_type", "coast_type")
_TEXT = ("geo", "region_name", "region_name_local", "country")
_PROVENANCE = ("dataset", "source", "location", "retrieved_at", "sha256")
_GZIP_MAGIC = b"\x1f\x8b"


def read_geojson(raw: bytes, *, name: str = "<bytes>") -> gpd.GeoDataFrame:
    """Read GeoJSON bytes (gzip or plain) into a GeoDataFrame.

    Parameters
    ----------
    raw : bytes
        The file's bytes, e.g. :attr:`regiongap.sources.gisco.RawShapes.content`.
    name : str, optional
        Where the bytes come from, for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The features, with GISCO's column names.

    Raises
    ------
    SourceError
        If the bytes are not a readable GeoJSON feature collection with a CRS.

    Examples
    --------
    >>> read_geojson(b"<html>Service unavailable</html>", name="x.geojson")
    Traceback (most recent call last):
    regiongap.errors.SourceError: x.geojson: not GeoJSON (starts with b'<html>Service unavailable</html>')
    """  # noqa: E501  (a doctest's expected output is one line)
    import geopandas as gpd

    data = raw
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            msg = f"{name}: truncated or corrupt gzip ({exc})"
            raise SourceError(msg) from exc
    if data.lstrip()[:1] != b"{":
        msg = f"{name}: not GeoJSON (starts with {data[:40]!r})"
        raise SourceError(msg)
    try:
        frame = gpd.read_file(io.BytesIO(data))
    except Exception as exc:  # pyogrio raises several types for a bad file
        msg = f"{name}: unreadable GeoJSON ({type(exc).__name__}: {exc})"
        raise SourceError(msg) from exc
    if frame.crs is None:
        msg = f"{name}: the GeoJSON has no coordinate reference system"
        raise SourceError(msg)
    return frame


def _to_geoparquet_table(frame: gpd.GeoDataFrame) -> pa.Table:
    """Return *frame* as an Arrow table carrying GeoParquet's ``b"geo"`` metadata."""
    import pyarrow.parquet as pq

    # GeoDataFrame.to_arrow() gives geoarrow field metadata but no b"geo" schema
    # metadata; writing GeoParquet through geopandas' public writer does.
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    buffer.seek(0)
    return pq.read_table(buffer)


def _from_geoparquet_table(table: pa.Table, _: object = None) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pyarrow.parquet as pq

    if b"geo" not in (table.schema.metadata or {}):
        msg = "cached boundary table has no GeoParquet metadata (b'geo')"
        raise CacheError(msg)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    buffer.seek(0)
    return gpd.read_parquet(buffer)


def _shapes(
    name: str,
    crs: int,
    *,
    mirror: str | os.PathLike[str] | None,
    offline: bool | None,
    refresh: bool,
    cache_dir: str | os.PathLike[str] | None,
) -> gpd.GeoDataFrame:
    """GISCO's file *name* as it is: cache first, else source → parse → cache."""
    path = cache.cache_path("gisco", name, cache_dir)
    if not refresh:
        cached = read_or_warn(
            path,
            _from_geoparquet_table,
            again=f"fetching GISCO boundaries {name!r} again",
            stacklevel=4,  # the caller of nuts_regions
        )
        if cached is not None:
            frame, stored = cached
            frame.attrs["provenance"] = {k: stored.get(k) for k in _PROVENANCE}
            return frame
    raw = fetch_raw_shapes(name, mirror=mirror, offline=offline)
    frame = read_geojson(raw.content, name=raw.location)
    epsg = frame.crs.to_epsg()
    if epsg is not None and epsg != crs:
        msg = f"{raw.location}: coordinates are in EPSG:{epsg}, expected EPSG:{crs}"
        raise SourceError(msg)
    provenance: dict[str, Any] = {
        "dataset": name,
        "source": raw.source,
        "location": raw.location,
        "retrieved_at": raw.retrieved_at,
        "sha256": raw.sha256,
    }
    # the boundaries are sound even when keeping a copy fails: returned all the same
    write_or_warn(
        path,
        _to_geoparquet_table(frame),
        provenance,
        instead=f"returning GISCO boundaries {name!r} without caching them",
        stacklevel=4,
    )
    frame.attrs["provenance"] = provenance
    return frame


def _tidy(raw: gpd.GeoDataFrame, level: int) -> gpd.GeoDataFrame:
    """Rename GISCO's columns to ours, type them and check the level."""
    location = raw.attrs.get("provenance", {}).get("location")
    missing = [c for c in ("NUTS_ID", "LEVL_CODE", "CNTR_CODE") if c not in raw.columns]
    if missing:
        msg = (
            f"GISCO file {location!r} lacks column(s) {missing}; "
            f"it has {list(raw.columns)}"
        )
        raise SourceError(msg)
    frame = raw.rename(columns=_COLUMNS)
    for column in _COLUMNS.values():
        if column not in frame.columns:
            frame[column] = pd.NA
    for column in _TEXT:
        frame[column] = frame[column].astype("string")
    frame["level"] = frame["level"].astype("int64")
    for column in _TYPES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    wrong = frame[frame["level"] != level]
    if not wrong.empty:
        msg = (
            f"GISCO file {location!r} should hold NUTS {level} "
            f"regions but has levels {sorted(set(wrong['level']))} "
            f"(e.g. {list(wrong['geo'][:3])})"
        )
        raise SourceError(msg)
    return frame


def _fill_typologies(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill GISCO's empty urban-rural and coastal types from the NUTS workbook."""
    types = read_package_csv(
        "nuts",
        "nuts2021_typologies.csv",
        dtype={"geo": str, "urbn_type": "int64", "coast_type": "int64"},
    ).set_index("geo")
    codes = frame["geo"].astype(object)
    for column in ("urbn_type", "coast_type"):
        known = codes.map(types[column]).astype("Int64")
        frame[column] = frame[column].fillna(known)
    return frame


def nuts_regions(
    level: int = 2,
    nuts_year: int = 2021,
    scale: str | int = "20M",
    crs: int = 4326,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    refresh: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Return the NUTS regions of one level as shapes.

    Cache first (unless *refresh*), then the mirror, then GISCO's service.

    Parameters
    ----------
    level : {0, 1, 2, 3}
        NUTS level.
    nuts_year : {2003, 2006, 2010, 2013, 2016, 2021, 2024}
        NUTS version (the mirror holds 2021; others need the network once).
    scale : {"01M", "03M", "10M", "20M", "60M"}
        GISCO's map scale (1:1 million … 1:60 million); ``20`` or ``"20"`` is
        read as ``"20M"``.
    crs : {4326, 3035, 3857}
        EPSG code of the coordinates.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``); its
        ``geo/NUTS_RG_{scale}_{nuts_year}_{crs}_LEVL_{level}.geojson.gz`` is read.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Read the mirror / download again instead of using the cache.
    cache_dir : path-like, optional
        Cache folder (default ``<REGIONGAP_DATA_DIR>/raw``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per region, sorted by ``geo``: ``geo`` (GISCO ``NUTS_ID``),
        ``region_name`` (Latin name), ``region_name_local``, ``level``,
        ``country`` (Eurostat code: ``EL``, ``UK``), ``mount_type``,
        ``urbn_type``, ``coast_type`` (GISCO's typologies as nullable integers;
        where GISCO's file leaves them empty, as the 20M files do, NUTS 2021
        level 3 regions get ``urbn_type`` and ``coast_type`` from the NUTS 2021
        workbook, as :func:`~regiongap.geo.typologies.nuts_typologies` gives them;
        ``<NA>`` elsewhere) and ``geometry``. GISCO ships no shapes for
        extra-regio codes. ``attrs`` holds ``provenance`` (``dataset``,
        ``source``, ``location``, ``retrieved_at``, ``sha256`` of the raw
        bytes), ``nuts_year`` and ``level``.

    Raises
    ------
    SchemaError
        Invalid level, NUTS year, scale or CRS (naming the allowed values).
    OfflineError, DatasetNotFoundError, SourceError
        When the file is neither cached, in the mirror, nor downloadable, or is
        not the GeoJSON expected.

    Warns
    -----
    RuntimeWarning
        When the cache file is damaged (or is not a file) and the boundaries are
        fetched again, or when they cannot be written to the cache (they are
        returned all the same).

    Examples
    --------
    >>> import regiongap as rg
    >>> regions = rg.nuts_regions(level=2, nuts_year=2021)  # the mirror, then the cache
    >>> regions.loc[regions["geo"] == "ES22", ["geo", "region_name", "country"]]
          geo                 region_name country
    106  ES22  Comunidad Foral de Navarra      ES
    >>> regions.attrs["nuts_year"], regions.attrs["provenance"]["source"]
    (2021, 'mirror')
    """
    check_level(level)
    name = nuts_file_name(level, nuts_year, scale, crs)
    raw = _shapes(
        name, crs, mirror=mirror, offline=offline, refresh=refresh, cache_dir=cache_dir
    )
    frame = _tidy(raw, level)
    if nuts_year == 2021 and level == 3:
        frame = _fill_typologies(frame)
    frame = frame[[*_COLUMNS.values(), "geometry"]]
    frame = frame.sort_values("geo", kind="stable").reset_index(drop=True)
    frame.attrs = {
        "provenance": raw.attrs.get("provenance", {}),
        "nuts_year": nuts_year,
        "level": level,
    }
    return frame
