"""GISCO's basic-services points as raw bytes, from a mirror folder or GISCO's files.

GISCO publishes the basic services of European countries (healthcare: the sites
national registers count as hospitals) as point files, one release at a time, at

``{REGIONGAP_GISCO_SERVICES_API}/{service}/{release}/csv/{EU|country}.csv``

(default base ``https://gisco-services.ec.europa.eu/pub``; ``EU`` is the file of
every country, e.g. ``…/pub/healthcare/2023/csv/EU.csv``; rOpenGov's giscoR
reads the ``gpkg`` files of the same folders). The CSV has one row per site with
its ``lat``/``lon`` (EPSG:4326) and attributes; GISCO's own repository of the 2020
release (eurostat/basic-services) names the file of all countries ``csv/all.csv``.

A mirror folder holds a release as ``services/gisco_{service}_services_{release}_all
.csv.gz`` (or ``.csv``). Parsing the points and caching them is
:mod:`regiongap.load.services`' job.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

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
    "RELEASES",
    "SERVICES",
    "RawFile",
    "Service",
    "fetch_raw_services",
    "services_file_name",
    "services_url",
]

#: A basic-services layer regiongap reads.
Service = Literal["healthcare"]
#: The layers regiongap reads (each has its own columns, see load.services).
SERVICES: tuple[Service, ...] = ("healthcare",)
#: The releases GISCO distributes.
RELEASES: tuple[int, ...] = (2020, 2023)

#: largest file accepted from the network (the 2023 healthcare CSV is ~5 MB)
_MAX_BYTES = 200 * 1024 * 1024
_SUFFIXES = (".csv.gz", ".csv")


def _check(service: object, release: object) -> None:
    if service not in SERVICES:
        msg = (
            f"service={service!r} is not a GISCO basic-services layer regiongap "
            f"reads; use one of {list(SERVICES)}"
        )
        raise SchemaError(msg)
    if isinstance(release, bool) or release not in RELEASES:
        msg = (
            f"release={release!r} is not a release of GISCO's {service} points; "
            f"use one of {list(RELEASES)}"
        )
        raise SchemaError(msg)


def services_file_name(service: Service, release: int) -> str:
    """Return the file stem of a release of all countries in a mirror and the cache.

    Parameters
    ----------
    service : {"healthcare"}
        The basic-services layer.
    release : {2020, 2023}
        GISCO's release.

    Returns
    -------
    str
        ``gisco_{service}_services_{release}_all``.

    Raises
    ------
    SchemaError
        For a layer or release GISCO does not distribute, naming the allowed ones.

    Examples
    --------
    >>> services_file_name("healthcare", 2020)
    'gisco_healthcare_services_2020_all'
    >>> services_file_name("healthcare", 2019)
    Traceback (most recent call last):
    regiongap.errors.SchemaError: release=2019 is not a release of GISCO's healthcare points; use one of [2020, 2023]
    """  # noqa: E501  (a doctest's expected output is one line)
    _check(service, release)
    return f"gisco_{service}_services_{release}_all"


def services_url(service: Service, release: int, api: str | None = None) -> str:
    """Return the URL of GISCO's CSV of a release, all countries.

    Parameters
    ----------
    service : {"healthcare"}
        The basic-services layer.
    release : {2020, 2023}
        GISCO's release.
    api : str, optional
        Base URL (default ``REGIONGAP_GISCO_SERVICES_API`` or GISCO's).

    Returns
    -------
    str
        ``{api}/{service}/{release}/csv/EU.csv``.

    Raises
    ------
    SchemaError
        As :func:`services_file_name`.

    Examples
    --------
    >>> services_url("healthcare", 2023)
    'https://gisco-services.ec.europa.eu/pub/healthcare/2023/csv/EU.csv'
    """
    _check(service, release)
    return f"{config.gisco_services_api(api)}/{service}/{release}/csv/EU.csv"


def _mirror_files(folder: Path) -> list[str]:
    services = folder / "services"
    if not services.is_dir():
        return []
    return sorted(p.name for p in services.iterdir() if p.name.startswith("gisco_"))


def fetch_raw_services(
    service: Service = "healthcare",
    release: int = 2020,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    api: str | None = None,
    progress: bool = False,
) -> RawFile:
    """Return the raw CSV of a basic-services release (all countries), mirror first.

    Parameters
    ----------
    service : {"healthcare"}
        The basic-services layer.
    release : {2020, 2023}
        GISCO's release.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``); its
        ``services/gisco_{service}_services_{release}_all.csv.gz`` is read.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    api : str, optional
        Base URL (default ``REGIONGAP_GISCO_SERVICES_API`` or GISCO's).
    progress : bool, default False
        Show a progress bar while downloading.

    Returns
    -------
    RawFile
        The bytes with their source, location and retrieval time.

    Raises
    ------
    SchemaError
        For a layer or release GISCO does not distribute.
    DatasetNotFoundError
        GISCO has no such file, or offline and the mirror lacks it.
    OfflineError
        Offline with no mirror.
    SourceError
        The mirror file cannot be read or the download fails.

    Examples
    --------
    >>> raw = fetch_raw_services("healthcare", 2020)  # from the mirror
    >>> raw.source, raw.location.rsplit("/", 1)[-1]
    ('mirror', 'gisco_healthcare_services_2020_all.csv.gz')
    """
    name = services_file_name(service, release)
    what = f"GISCO {service} points of {release}"
    folder = config.mirror_dir(mirror)
    if folder is not None:
        path = find_file(folder / "services", name, _SUFFIXES)
        if path is not None:
            content = read_file(path, what)
            return RawFile(name, content, "mirror", str(path), utc_now())
    if config.is_offline(offline):
        raise not_in_mirror_offline(
            what, folder, f"services/{name}.csv.gz", _mirror_files
        )
    # requests (~0.1 s to import) is loaded only when a download is needed
    from regiongap.sources.http import get_bytes

    response = get_bytes(
        services_url(service, release, api),
        what=what,
        max_bytes=_MAX_BYTES,
        progress=progress,
        offline=offline,
    )
    return RawFile(name, response.content, "api", response.url, utc_now())
