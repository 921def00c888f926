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
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from regiongap._package_data import read_package_csv
from regiongap.cache import store as cache
from regiongap.errors import SourceError
from regiongap.load._cached import read_or_warn, write_or_warn
from regiongap.load._geoparquet import from_geoparquet_table, to_geoparquet_table
from regiongap.schema import check_level
from regiongap.sources.gisco import RawFile, fetch_nuts_shapes, nuts_file_name

if TYPE_CHECKING:
    import geopandas as gpd

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
#: The shipped typology tables, by the NUTS version they classify.
_TYPOLOGY_TABLES = {2021: "nuts2021_typologies.csv"}

CacheDir = str | os.PathLike[str] | None


def read_geojson(raw: bytes, *, name: str = "<bytes>") -> gpd.GeoDataFrame:
    """Read GeoJSON bytes (gzip or plain) into a GeoDataFrame.

    Parameters
    ----------
    raw : bytes
        The file's bytes, e.g. :attr:`regiongap.sources.gisco.RawFile.content`.
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


def _cached(name: str, path: Path) -> gpd.GeoDataFrame | None:
    """Return the cached boundary file *name*, or ``None`` (warned if damaged)."""
    cached = read_or_warn(
        path,
        from_geoparquet_table,
        again=f"fetching GISCO boundaries {name!r} again",
        stacklevel=5,  # the caller of nuts_regions
    )
    if cached is None:
        return None
    frame, stored = cached
    frame.attrs["provenance"] = {k: stored.get(k) for k in _PROVENANCE}
    return frame


def _keep(
    frame: gpd.GeoDataFrame, name: str, raw: RawFile, cache_dir: CacheDir
) -> gpd.GeoDataFrame:
    """Cache one level's regions as GISCO's file *name*; return them with provenance."""
    provenance = raw.provenance(name)
    # the boundaries are sound even when keeping a copy fails: returned all the same
    write_or_warn(
        cache.cache_path("gisco", name, cache_dir),
        to_geoparquet_table(frame),
        provenance,
        instead=f"returning GISCO boundaries {name!r} without caching them",
        stacklevel=5,
        keep=frame,
    )
    frame.attrs["provenance"] = provenance
    return frame


def _levels(frame: gpd.GeoDataFrame, location: str) -> dict[int, gpd.GeoDataFrame]:
    """Split a file of all levels by ``LEVL_CODE``: level → its regions."""
    if "LEVL_CODE" not in frame.columns:
        msg = (
            f"GISCO file {location!r} holds all NUTS levels but lacks column "
            f"'LEVL_CODE'; it has {list(frame.columns)}"
        )
        raise SourceError(msg)
    codes = pd.to_numeric(frame["LEVL_CODE"], errors="coerce")
    return {
        level: frame[codes == level].reset_index(drop=True)
        for level in sorted(set(codes.dropna().astype("int64")) & {0, 1, 2, 3})
    }


def _shapes(
    level: int,
    nuts_year: int,
    scale: str | int,
    crs: int,
    *,
    mirror: str | os.PathLike[str] | None,
    offline: bool | None,
    refresh: bool,
    cache_dir: CacheDir,
) -> gpd.GeoDataFrame:
    """Return the regions of *level* as GISCO has them: cache, else source → parse.

    The cache holds one file per level (GISCO's per-level file name). A file of
    all levels is read once and every level in it is cached.
    """
    name = nuts_file_name(level, nuts_year, scale, crs)
    path = cache.cache_path("gisco", name, cache_dir)
    if not refresh:
        frame = _cached(name, path)
        if frame is not None:
            return frame
    raw = fetch_nuts_shapes(
        level, nuts_year, scale, crs, mirror=mirror, offline=offline
    )
    frame = read_geojson(raw.content, name=raw.location)
    epsg = frame.crs.to_epsg()
    if epsg is not None and epsg != crs:
        msg = f"{raw.location}: coordinates are in EPSG:{epsg}, expected EPSG:{crs}"
        raise SourceError(msg)
    if raw.name == name:
        return _keep(frame, name, raw, cache_dir)
    parts = _levels(frame, raw.location)
    if level not in parts:
        msg = (
            f"GISCO file {raw.location!r} holds NUTS levels {sorted(parts)} "
            f"but no NUTS {level} region"
        )
        raise SourceError(msg)
    for other, regions in parts.items():
        if other != level:
            stem = nuts_file_name(other, nuts_year, scale, crs)
            _keep(regions, stem, raw, cache_dir)
    return _keep(parts[level], name, raw, cache_dir)


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


def _fill_typologies(frame: gpd.GeoDataFrame, nuts_year: int) -> gpd.GeoDataFrame:
    """Fill GISCO's empty urban-rural and coastal types from the NUTS workbook.

    Only from the shipped table of the same NUTS version: a code kept between
    versions may have changed its boundary, and with it its type.
    """
    table = _TYPOLOGY_TABLES.get(nuts_year)
    if table is None:
        return frame
    types = read_package_csv(
        "nuts",
        table,
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

    Cache first (unless *refresh*), then the mirror, then GISCO's service. GISCO
    distributes each NUTS version both as one file per level and as one file of
    all levels: either is read (the mirror's NUTS 2024 is the latter).

    Parameters
    ----------
    level : {0, 1, 2, 3}
        NUTS level.
    nuts_year : {2003, 2006, 2010, 2013, 2016, 2021, 2024}
        NUTS version (the mirror holds 2021 and 2024; others need the network
        once).
    scale : {"01M", "03M", "10M", "20M", "60M"}
        GISCO's map scale (1:1 million … 1:60 million); ``20`` or ``"20"`` is
        read as ``"20M"``.
    crs : {4326, 3035, 3857}
        EPSG code of the coordinates.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``); its
        ``geo/NUTS_RG_{scale}_{nuts_year}_{crs}_LEVL_{level}.geojson.gz`` is
        read, else the file of all levels,
        ``geo/NUTS_RG_{scale}_{nuts_year}_{crs}.geojson.gz``.
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
        never from a table of another NUTS version; ``<NA>`` elsewhere) and
        ``geometry``. GISCO ships no shapes for
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

    NUTS 2024, read from GISCO's file of all levels: Alentejo (``PT18``) is
    ``PT1C`` now, and Portugal has the new ``PT19``–``PT1D``.

    >>> regions = rg.nuts_regions(level=2, nuts_year=2024)
    >>> regions.loc[regions["geo"].str.startswith("PT"), "geo"].tolist()
    ['PT11', 'PT15', 'PT19', 'PT1A', 'PT1B', 'PT1C', 'PT1D', 'PT20', 'PT30']
    >>> regions.attrs["provenance"]["location"].rsplit("/", 1)[-1]
    'NUTS_RG_20M_2024_4326.geojson.gz'
    """
    check_level(level)
    raw = _shapes(
        level,
        nuts_year,
        scale,
        crs,
        mirror=mirror,
        offline=offline,
        refresh=refresh,
        cache_dir=cache_dir,
    )
    frame = _tidy(raw, level)
    if level == 3:
        frame = _fill_typologies(frame, nuts_year)
    frame = frame[[*_COLUMNS.values(), "geometry"]]
    frame = frame.sort_values("geo", kind="stable").reset_index(drop=True)
    frame.attrs = {
        "provenance": raw.attrs.get("provenance", {}),
        "nuts_year": nuts_year,
        "level": level,
    }
    return frame
