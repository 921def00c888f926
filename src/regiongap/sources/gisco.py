"""NUTS boundaries from a mirror folder or GISCO's distribution service, cached.

One file per (scale, year, CRS, level), named as GISCO names it:
``NUTS_RG_{scale}_{year}_{crs}_LEVL_{level}.geojson``. The first call reads it from
the mirror (``<mirror>/geo/<name>.geojson.gz`` or ``.geojson``) or downloads it from

``{REGIONGAP_GISCO_API}/nuts/geojson/<name>.geojson``

(default base ``https://gisco-services.ec.europa.eu/distribution/v2``; the same
pattern is used e.g. by ssciwr/onehealth-map-frontend ``frontend/src/utils.ts``:
``…/distribution/v2/nuts/geojson/NUTS_RG_60M_2024_3857_LEVL_3.geojson``, and
listed by GISCO at ``…/distribution/v2/nuts/geojson/``), then stores it as a
GeoParquet file in the cache (``<cache dir>/gisco/<name>.parquet``, through
:mod:`regiongap.cache.store`, provenance included), so later calls need neither the
mirror nor the network.

geopandas is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regiongap import config
from regiongap.cache import store as cache
from regiongap.errors import (
    CacheError,
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.sources._mirror import find_file, read_file, utc_now

if TYPE_CHECKING:
    import geopandas as gpd
    import pyarrow as pa

__all__ = [
    "CRS",
    "LEVELS",
    "SCALES",
    "YEARS",
    "RawShapes",
    "fetch_nuts_shapes",
    "nuts_file_name",
    "nuts_url",
]

#: NUTS versions GISCO distributes boundaries for.
YEARS: tuple[int, ...] = (2003, 2006, 2010, 2013, 2016, 2021, 2024)
#: Map scales: 1:1 million … 1:60 million.
SCALES: tuple[str, ...] = ("01M", "03M", "10M", "20M", "60M")
#: Coordinate reference systems (EPSG codes): WGS 84, ETRS89-LAEA, Web Mercator.
CRS: tuple[int, ...] = (4326, 3035, 3857)
#: NUTS levels.
LEVELS: tuple[int, ...] = (0, 1, 2, 3)

_GZIP_MAGIC = b"\x1f\x8b"
#: largest file accepted from the network (the 1:1 million NUTS 3 file is ~60 MB)
_MAX_BYTES = 400 * 1024 * 1024


def _check(name: str, value: object, allowed: tuple[Any, ...]) -> None:
    if isinstance(value, bool) or value not in allowed:
        msg = (
            f"{name}={value!r} is not available from GISCO; use one of {list(allowed)}"
        )
        raise SchemaError(msg)


def _scale(scale: object) -> str:
    """Return the canonical scale: ``"20M"``; ``20``, ``"20"``, ``"20m"`` accepted."""
    if isinstance(scale, int) and not isinstance(scale, bool):
        scale = f"{scale:02d}M"
    elif isinstance(scale, str):
        text = scale.strip().upper()
        text = text if text.endswith("M") else text + "M"
        scale = text.zfill(3)
    _check("scale", scale, SCALES)
    return str(scale)


def nuts_file_name(
    level: int, year: int, scale: str | int = "20M", crs: int = 4326
) -> str:
    """Return GISCO's file stem, e.g. ``NUTS_RG_20M_2021_4326_LEVL_2``.

    Raises
    ------
    SchemaError
        If *level*, *year*, *scale* or *crs* is not one GISCO distributes,
        naming the value and the allowed ones.
    """
    _check("level", level, LEVELS)
    _check("year", year, YEARS)
    _check("crs", crs, CRS)
    return f"NUTS_RG_{_scale(scale)}_{year}_{crs}_LEVL_{level}"


def nuts_url(
    level: int,
    year: int,
    scale: str | int = "20M",
    crs: int = 4326,
    api: str | None = None,
) -> str:
    """Return the GeoJSON URL of a NUTS boundary file on GISCO's service."""
    name = nuts_file_name(level, year, scale, crs)
    return f"{config.gisco_api(api)}/nuts/geojson/{name}.geojson"


@dataclass(frozen=True)
class RawShapes:
    """The bytes of a boundary file and where they came from."""

    name: str
    content: bytes = field(repr=False)
    source: str
    location: str
    retrieved_at: str


def _mirror_files(folder: Path) -> list[str]:
    geo = folder / "geo"
    if not geo.is_dir():
        return []
    return sorted(p.name for p in geo.iterdir() if p.name.startswith("NUTS_RG_"))


def fetch_raw_shapes(
    name: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    api: str | None = None,
    progress: bool = False,
) -> RawShapes:
    """Return the raw GeoJSON bytes of boundary file *name*, mirror first.

    Raises
    ------
    DatasetNotFoundError
        GISCO has no such file, or offline and the mirror lacks it.
    OfflineError
        Offline with no mirror.
    SourceError
        The mirror file cannot be read or the download fails.
    """
    folder = config.mirror_dir(mirror)
    what = f"GISCO boundaries {name!r}"
    if folder is not None:
        path = find_file(folder / "geo", name, (".geojson.gz", ".geojson"))
        if path is not None:
            content = read_file(path, what)
            return RawShapes(name, content, "mirror", str(path), utc_now())
        if config.is_offline(offline):
            msg = (
                f"{what} is not in the mirror {str(folder)!r} (looked for "
                f"geo/{name}.geojson.gz) and the network is off (REGIONGAP_OFFLINE). "
                f"The mirror has: {_mirror_files(folder)}. Add the file or go online."
            )
            raise DatasetNotFoundError(msg)
    elif config.is_offline(offline):
        msg = (
            f"{what} is not cached, no mirror is set (REGIONGAP_MIRROR) and the "
            "network is off (REGIONGAP_OFFLINE); go online once or set a mirror"
        )
        raise OfflineError(msg)
    from regiongap.sources.http import get_bytes

    parts = name.split("_")  # NUTS_RG_{scale}_{year}_{crs}_LEVL_{level}
    url = nuts_url(int(parts[6]), int(parts[3]), parts[2], int(parts[4]), api)
    response = get_bytes(
        url, what=what, max_bytes=_MAX_BYTES, progress=progress, offline=offline
    )
    return RawShapes(name, response.content, "api", response.url, utc_now())


def read_geojson(raw: bytes, *, name: str = "<bytes>") -> gpd.GeoDataFrame:
    """Read GeoJSON bytes (gzip or plain) into a GeoDataFrame.

    Raises
    ------
    SourceError
        If the bytes are not a readable GeoJSON feature collection with a CRS.
    """
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


def _from_geoparquet_table(table: pa.Table) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pyarrow.parquet as pq

    if b"geo" not in (table.schema.metadata or {}):
        msg = "cached boundary table has no GeoParquet metadata (b'geo')"
        raise CacheError(msg)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    buffer.seek(0)
    return gpd.read_parquet(buffer)


def fetch_nuts_shapes(
    level: int = 2,
    year: int = 2021,
    scale: str | int = "20M",
    crs: int = 4326,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    refresh: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    api: str | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame:
    """Return GISCO's NUTS boundary file as it is (GISCO's column names).

    Cache first (unless *refresh*), then the mirror, then GISCO's service. The
    result's ``attrs["provenance"]`` holds ``dataset`` (the file name),
    ``source`` (``"mirror"`` | ``"api"``), ``location``, ``retrieved_at`` and
    ``sha256`` of the raw bytes.

    Raises
    ------
    SchemaError
        Invalid level, year, scale or CRS (naming the allowed values).
    DatasetNotFoundError, OfflineError, SourceError
        As :func:`fetch_raw_shapes`, when nothing usable is cached.

    Warns
    -----
    RuntimeWarning
        When the cache file is damaged (or is not a file) and the boundaries are
        fetched again, or when they cannot be written to the cache (they are
        returned all the same).
    """
    name = nuts_file_name(level, year, scale, crs)
    path = cache.cache_path("gisco", name, cache_dir)
    cached = None
    if not refresh:
        cached = cache.read_or_warn(
            path,
            lambda table, _: _from_geoparquet_table(table),
            again=f"fetching GISCO boundaries {name!r} again",
        )
    if cached is not None:
        frame, provenance = cached
        frame.attrs["provenance"] = _public(provenance)
        return frame
    raw = fetch_raw_shapes(
        name, mirror=mirror, offline=offline, api=api, progress=progress
    )
    frame = read_geojson(raw.content, name=raw.location)
    epsg = frame.crs.to_epsg()
    if epsg is not None and epsg != crs:
        msg = f"{raw.location}: coordinates are in EPSG:{epsg}, expected EPSG:{crs}"
        raise SourceError(msg)
    provenance = {
        "dataset": name,
        "source": raw.source,
        "location": raw.location,
        "retrieved_at": raw.retrieved_at,
        "sha256": hashlib.sha256(raw.content).hexdigest(),
    }
    # the boundaries are sound even when keeping a copy fails: returned all the same
    cache.write_or_warn(
        path,
        _to_geoparquet_table(frame),
        provenance,
        instead=f"returning GISCO boundaries {name!r} without caching them",
    )
    frame.attrs["provenance"] = provenance
    return frame


def _public(provenance: dict[str, Any]) -> dict[str, Any]:
    keys = ("dataset", "source", "location", "retrieved_at", "sha256")
    return {k: provenance.get(k) for k in keys}
