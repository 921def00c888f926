"""NUTS boundary files as raw bytes, from a mirror folder or GISCO's service.

GISCO distributes each (scale, NUTS version, CRS) in two layouts, named as GISCO
names them: one file per level, ``NUTS_RG_{scale}_{nuts_year}_{crs}_LEVL_{level}``,
and all levels in one file, ``NUTS_RG_{scale}_{nuts_year}_{crs}`` (its
``LEVL_CODE`` property tells the level of each region).
:func:`fetch_raw_shapes` reads one file from the mirror
(``<mirror>/geo/<name>.geojson.gz`` or ``.geojson``) or downloads it from

``{REGIONGAP_GISCO_API}/nuts/geojson/<name>.geojson``

(default base ``https://gisco-services.ec.europa.eu/distribution/v2``; the same
pattern is used e.g. by ssciwr/onehealth-map-frontend ``frontend/src/utils.ts``:
``…/distribution/v2/nuts/geojson/NUTS_RG_60M_2024_3857_LEVL_3.geojson``, and
listed by GISCO at ``…/distribution/v2/nuts/geojson/``). :func:`fetch_nuts_shapes`
finds the regions of one level in either layout: the level's own file in the mirror,
else the all-levels file in the mirror, else the level's file from the service.
Reading the GeoJSON and caching it as GeoParquet is :mod:`regiongap.load.boundaries`'
job.
"""

from __future__ import annotations

import os
from pathlib import Path

from regiongap import config
from regiongap.errors import SchemaError
from regiongap.sources._mirror import (
    RawFile,
    find_file,
    not_in_mirror_offline,
    read_file,
    utc_now,
)

__all__ = [
    "CRS",
    "LEVELS",
    "NUTS_YEARS",
    "SCALES",
    "RawFile",
    "fetch_nuts_shapes",
    "fetch_raw_shapes",
    "nuts_file_name",
    "nuts_url",
]

#: NUTS versions GISCO distributes boundaries for.
NUTS_YEARS: tuple[int, ...] = (2003, 2006, 2010, 2013, 2016, 2021, 2024)
#: Map scales: 1:1 million … 1:60 million.
SCALES: tuple[str, ...] = ("01M", "03M", "10M", "20M", "60M")
#: Coordinate reference systems (EPSG codes): WGS 84, ETRS89-LAEA, Web Mercator.
CRS: tuple[int, ...] = (4326, 3035, 3857)
#: NUTS levels.
LEVELS: tuple[int, ...] = (0, 1, 2, 3)

#: largest file accepted from the network (the 1:1 million NUTS 3 file is ~60 MB)
_MAX_BYTES = 400 * 1024 * 1024


def _check(name: str, value: object, allowed: tuple[object, ...]) -> None:
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
    level: int | None, nuts_year: int, scale: str | int = "20M", crs: int = 4326
) -> str:
    """Return GISCO's file stem, e.g. ``NUTS_RG_20M_2021_4326_LEVL_2``.

    Parameters
    ----------
    level : {0, 1, 2, 3} or None
        NUTS level; ``None`` names the file holding all levels.
    nuts_year : {2003, 2006, 2010, 2013, 2016, 2021, 2024}
        NUTS version.
    scale : {"01M", "03M", "10M", "20M", "60M"}
        GISCO's map scale; ``20``, ``"20"`` or ``"20m"`` is read as ``"20M"``.
    crs : {4326, 3035, 3857}
        EPSG code of the coordinates.

    Returns
    -------
    str
        ``NUTS_RG_{scale}_{nuts_year}_{crs}_LEVL_{level}``, or
        ``NUTS_RG_{scale}_{nuts_year}_{crs}`` for all levels.

    Raises
    ------
    SchemaError
        If *level*, *nuts_year*, *scale* or *crs* is not one GISCO distributes,
        naming the value and the allowed ones.

    Examples
    --------
    >>> nuts_file_name(3, 2016, 60, 3035)
    'NUTS_RG_60M_2016_3035_LEVL_3'
    >>> nuts_file_name(None, 2024)
    'NUTS_RG_20M_2024_4326'
    >>> nuts_file_name(2, 2019)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: nuts_year=2019 is not available from GISCO; use one of [2003, 2006, 2010, 2013, 2016, 2021, 2024]
    """  # noqa: E501  (a doctest's expected output is one line)
    if level is not None:
        _check("level", level, LEVELS)
    _check("nuts_year", nuts_year, NUTS_YEARS)
    _check("crs", crs, CRS)
    stem = f"NUTS_RG_{_scale(scale)}_{nuts_year}_{crs}"
    return stem if level is None else f"{stem}_LEVL_{level}"


def nuts_url(
    level: int | None,
    nuts_year: int,
    scale: str | int = "20M",
    crs: int = 4326,
    api: str | None = None,
) -> str:
    """Return the GeoJSON URL of a NUTS boundary file on GISCO's service.

    Parameters
    ----------
    level, nuts_year, scale, crs
        As for :func:`nuts_file_name`.
    api : str, optional
        Base URL of the service (default ``REGIONGAP_GISCO_API`` or GISCO's).

    Returns
    -------
    str
        ``{api}/nuts/geojson/{file name}.geojson``.

    Raises
    ------
    SchemaError
        As :func:`nuts_file_name`.

    Examples
    --------
    >>> nuts_url(2, 2021, api="https://example.org/v2")
    'https://example.org/v2/nuts/geojson/NUTS_RG_20M_2021_4326_LEVL_2.geojson'
    """
    return _url(nuts_file_name(level, nuts_year, scale, crs), api)


def _url(name: str, api: str | None) -> str:
    return f"{config.gisco_api(api)}/nuts/geojson/{name}.geojson"


def _mirror_files(folder: Path) -> list[str]:
    geo = folder / "geo"
    if not geo.is_dir():
        return []
    return sorted(p.name for p in geo.iterdir() if p.name.startswith("NUTS_RG_"))


def _from_mirror(folder: Path, names: tuple[str, ...]) -> RawFile | None:
    """Return the first of the files *names* that the mirror's ``geo/`` holds."""
    for name in names:
        path = find_file(folder / "geo", name, (".geojson.gz", ".geojson"))
        if path is not None:
            content = read_file(path, f"GISCO boundaries {name!r}")
            return RawFile(name, content, "mirror", str(path), utc_now())
    return None


def _download(
    name: str,
    folder: Path | None,
    *,
    offline: bool | None,
    api: str | None,
    progress: bool,
    tried: tuple[str, ...],
) -> RawFile:
    """Download file *name* from GISCO, unless offline (the error names *tried*)."""
    what = f"GISCO boundaries {name!r}"
    if config.is_offline(offline):
        looked = " or ".join(f"geo/{stem}.geojson.gz" for stem in tried)
        raise not_in_mirror_offline(what, folder, looked, _mirror_files)
    # requests (~0.1 s to import) is loaded only when a download is needed
    from regiongap.sources.http import get_bytes

    response = get_bytes(
        _url(name, api),
        what=what,
        max_bytes=_MAX_BYTES,
        progress=progress,
        offline=offline,
    )
    return RawFile(name, response.content, "api", response.url, utc_now())


def fetch_raw_shapes(
    name: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    api: str | None = None,
    progress: bool = False,
) -> RawFile:
    """Return the raw GeoJSON bytes of boundary file *name*, mirror first.

    Parameters
    ----------
    name : str
        GISCO's file stem (:func:`nuts_file_name`), of one level or of all.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``); its
        ``geo/{name}.geojson.gz`` (or ``.geojson``) is read.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    api : str, optional
        Base URL of the service (default ``REGIONGAP_GISCO_API`` or GISCO's).
    progress : bool, default False
        Show a progress bar while downloading.

    Returns
    -------
    RawFile
        The bytes with their source, location and retrieval time.

    Raises
    ------
    DatasetNotFoundError
        GISCO has no such file, or offline and the mirror lacks it.
    OfflineError
        Offline with no mirror.
    SourceError
        The mirror file cannot be read or the download fails.

    Examples
    --------
    >>> raw = fetch_raw_shapes("NUTS_RG_20M_2021_4326_LEVL_0")  # from the mirror
    >>> raw.source, raw.location.endswith("geo/NUTS_RG_20M_2021_4326_LEVL_0.geojson.gz")
    ('mirror', True)
    """
    folder = config.mirror_dir(mirror)
    if folder is not None:
        found = _from_mirror(folder, (name,))
        if found is not None:
            return found
    return _download(
        name, folder, offline=offline, api=api, progress=progress, tried=(name,)
    )


def fetch_nuts_shapes(
    level: int,
    nuts_year: int,
    scale: str | int = "20M",
    crs: int = 4326,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    api: str | None = None,
    progress: bool = False,
) -> RawFile:
    """Return the raw GeoJSON of a file holding the NUTS regions of *level*.

    The mirror is searched for the level's own file, then for the file of all
    levels (as GISCO also distributes it); without either, the level's file is
    downloaded from GISCO's service (the smaller download).

    Parameters
    ----------
    level : {0, 1, 2, 3}
        NUTS level.
    nuts_year : {2003, 2006, 2010, 2013, 2016, 2021, 2024}
        NUTS version.
    scale : {"01M", "03M", "10M", "20M", "60M"}
        GISCO's map scale, as for :func:`nuts_file_name`.
    crs : {4326, 3035, 3857}
        EPSG code of the coordinates.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    api : str, optional
        Base URL of the service (default ``REGIONGAP_GISCO_API`` or GISCO's).
    progress : bool, default False
        Show a progress bar while downloading.

    Returns
    -------
    RawFile
        The bytes; :attr:`RawFile.name` tells which layout was found (it ends
        in ``_LEVL_{level}`` for the level's own file).

    Raises
    ------
    SchemaError
        If *level*, *nuts_year*, *scale* or *crs* is not one GISCO distributes.
    DatasetNotFoundError
        GISCO has no such file, or offline and the mirror has neither layout.
    OfflineError
        Offline with no mirror.
    SourceError
        The mirror file cannot be read or the download fails.

    Examples
    --------
    The mirror holds NUTS 2024 as one file of all levels:

    >>> raw = fetch_nuts_shapes(3, 2024)
    >>> raw.name, raw.source
    ('NUTS_RG_20M_2024_4326', 'mirror')
    >>> fetch_nuts_shapes(2, 2021).name
    'NUTS_RG_20M_2021_4326_LEVL_2'
    """
    names = (
        nuts_file_name(level, nuts_year, scale, crs),
        nuts_file_name(None, nuts_year, scale, crs),
    )
    folder = config.mirror_dir(mirror)
    if folder is not None:
        found = _from_mirror(folder, names)
        if found is not None:
            return found
    return _download(
        names[0], folder, offline=offline, api=api, progress=progress, tried=names
    )
