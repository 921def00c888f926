"""Where regiongap reads and writes, resolved from arguments, then the environment.

Nothing happens on import: every setting is read when a function asks for it, so a
notebook can change ``os.environ`` and the next call sees it.

Environment variables
---------------------
``REGIONGAP_DATA_DIR``
    Root of the local data folder; the cache lives in ``<data dir>/raw``.
    Default: ``./data`` when the current directory (or a parent) holds a
    regiongap project (a ``pyproject.toml`` beside ``src/regiongap``), else
    ``~/.cache/regiongap``.
``REGIONGAP_MIRROR``
    A folder laid out like the shared data folder (``eurostat/{code}.tsv.gz``,
    ``geo/NUTS_RG_…geojson.gz``). When set, sources read from it instead of the
    network.
``REGIONGAP_OFFLINE``
    ``1``/``true``/``yes`` forbids every network request.
``REGIONGAP_EUROSTAT_API``
    Base URL of the Eurostat dissemination API
    (default :data:`DEFAULT_EUROSTAT_API`).
``REGIONGAP_GISCO_API``
    Base URL of GISCO's distribution service (default :data:`DEFAULT_GISCO_API`).
``REGIONGAP_GISCO_SERVICES_API``
    Base URL of GISCO's basic-services files (default
    :data:`DEFAULT_GISCO_SERVICES_API`).
``REGIONGAP_HTTP_TIMEOUT``, ``_RETRIES``, ``_BACKOFF``, ``_MAX_WAIT``, ``_MAX_SECONDS``
    How downloads wait, retry and give up (:func:`http_settings`).
``REGIONGAP_MAX_BYTES``
    The largest Eurostat dataset download accepted (:func:`max_bytes`).
``REGIONGAP_MEMORY_CACHE``
    How many bytes of verified frames a process keeps in memory so that reading
    the same cache file again skips decoding it (:func:`memory_cache_bytes`;
    ``0`` turns it off).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from regiongap.errors import SchemaError

__all__ = [
    "DEFAULT_EUROSTAT_API",
    "DEFAULT_GISCO_API",
    "DEFAULT_GISCO_SERVICES_API",
    "HttpSettings",
    "cache_dir",
    "data_dir",
    "eurostat_api",
    "gisco_api",
    "gisco_services_api",
    "http_settings",
    "is_offline",
    "max_bytes",
    "memory_cache_bytes",
    "mirror_dir",
    "processed_dir",
    "project_root",
    "reports_dir",
]

DEFAULT_EUROSTAT_API = "https://ec.europa.eu/eurostat/api/dissemination"
DEFAULT_GISCO_API = "https://gisco-services.ec.europa.eu/distribution/v2"
DEFAULT_GISCO_SERVICES_API = "https://gisco-services.ec.europa.eu/pub"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _as_path(value: str | os.PathLike[str]) -> Path:
    return Path(value).expanduser().resolve()


def project_root(start: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the regiongap project folder containing *start* (default: cwd), if any."""
    here = _as_path(start if start is not None else Path.cwd())
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (
            folder / "src" / "regiongap"
        ).is_dir():
            return folder
    return None


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: *path*, else ``REGIONGAP_DATA_DIR``, else a default."""
    if path is not None:
        return _as_path(path)
    env = os.environ.get("REGIONGAP_DATA_DIR", "").strip()
    if env:
        return _as_path(env)
    root = project_root()
    if root is not None:
        return root / "data"
    return _as_path("~/.cache/regiongap")


def cache_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the raw-data cache folder (``<data dir>/raw`` unless *path* is given)."""
    if path is not None:
        return _as_path(path)
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Return the folder for derived tables (``<data dir>/processed``)."""
    return data_dir() / "processed"


def reports_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder reports are written to: *path*, else ``<project>/reports``."""
    if path is not None:
        return _as_path(path)
    root = project_root()
    return (root if root is not None else Path.cwd().resolve()) / "reports"


def mirror_dir(path: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the mirror folder: *path*, else ``REGIONGAP_MIRROR``, else ``None``.

    Raises
    ------
    SourceError
        If a mirror is named but is not a folder.
    """
    from regiongap.errors import SourceError

    raw = str(path) if path is not None else os.environ.get("REGIONGAP_MIRROR", "")
    if not raw.strip():
        return None
    folder = _as_path(raw.strip())
    if not folder.is_dir():
        msg = (
            f"mirror folder {str(folder)!r} (from "
            f"{'argument' if path is not None else 'REGIONGAP_MIRROR'}) does not "
            "exist; point it at a folder laid out like shared/data "
            "(eurostat/, geo/) or unset it to use the live APIs"
        )
        raise SourceError(msg)
    return folder


def is_offline(offline: bool | None = None) -> bool:
    """Return whether the network is forbidden (argument, else REGIONGAP_OFFLINE)."""
    if offline is not None:
        return bool(offline)
    raw = os.environ.get("REGIONGAP_OFFLINE", "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    msg = (
        f"REGIONGAP_OFFLINE={raw!r} is not understood; use one of "
        f"{sorted(_TRUE)} to forbid the network or {sorted(_FALSE - {''})} to allow it"
    )
    raise SchemaError(msg)


def eurostat_api(url: str | None = None) -> str:
    """Return the Eurostat dissemination API base URL, without a trailing slash."""
    raw = url or os.environ.get("REGIONGAP_EUROSTAT_API", "") or DEFAULT_EUROSTAT_API
    return raw.rstrip("/")


def gisco_api(url: str | None = None) -> str:
    """Return GISCO's distribution service base URL, without a trailing slash."""
    raw = url or os.environ.get("REGIONGAP_GISCO_API", "") or DEFAULT_GISCO_API
    return raw.rstrip("/")


def gisco_services_api(url: str | None = None) -> str:
    """Return the base URL of GISCO's basic-services files, without a trailing slash.

    Parameters
    ----------
    url : str, optional
        The URL to use; else ``REGIONGAP_GISCO_SERVICES_API``, else
        :data:`DEFAULT_GISCO_SERVICES_API`.

    Returns
    -------
    str
        The base URL.

    Examples
    --------
    >>> gisco_services_api("https://example.org/pub/")
    'https://example.org/pub'
    """
    raw = (
        url
        or os.environ.get("REGIONGAP_GISCO_SERVICES_API", "")
        or DEFAULT_GISCO_SERVICES_API
    )
    return raw.rstrip("/")


@dataclass(frozen=True)
class HttpSettings:
    """How a download waits, retries and gives up (see :func:`http_settings`).

    Attributes
    ----------
    timeout : float
        Seconds to wait for the server between two bytes.
    retries : int
        How many times to try again after a transient failure.
    backoff : float
        Base of the exponential back-off between attempts, in seconds.
    max_wait : float
        Longest wait between two attempts, also the cap on ``Retry-After``.
    max_seconds : float
        Longest time one attempt may take to deliver the whole body.
    """

    timeout: float
    retries: int
    backoff: float
    max_wait: float
    max_seconds: float


def _non_negative(
    name: str, value: float | None, kind: type[float] | type[int]
) -> float | None:
    """Return *value*, else the number in the variable *name*, else ``None``."""
    if value is not None:
        return value
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        parsed = kind(raw)
    except ValueError:
        parsed = -1
    if parsed < 0:
        msg = f"{name}={raw!r} is not a non-negative {kind.__name__}"
        raise SchemaError(msg)
    return parsed


def http_settings(
    *,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
    max_wait: float | None = None,
    max_seconds: float | None = None,
) -> HttpSettings:
    """Return the HTTP settings: each argument, else its variable, else the default.

    Parameters
    ----------
    timeout : float, optional
        Else ``REGIONGAP_HTTP_TIMEOUT``, else 30 seconds.
    retries : int, optional
        Else ``REGIONGAP_HTTP_RETRIES``, else 3.
    backoff : float, optional
        Else ``REGIONGAP_HTTP_BACKOFF``, else 0.5 seconds.
    max_wait : float, optional
        Else ``REGIONGAP_HTTP_MAX_WAIT``, else 60 seconds.
    max_seconds : float, optional
        Else ``REGIONGAP_HTTP_MAX_SECONDS``, else ``max(120, 20 × timeout)``.

    Returns
    -------
    HttpSettings
        The five settings.

    Raises
    ------
    SchemaError
        If a variable is not a non-negative number (naming it and its value).

    Examples
    --------
    >>> http_settings(timeout=2.0, retries=0)
    HttpSettings(timeout=2.0, retries=0, backoff=0.5, max_wait=60.0, max_seconds=120.0)
    """
    timeout = _non_negative("REGIONGAP_HTTP_TIMEOUT", timeout, float)
    retries_ = _non_negative("REGIONGAP_HTTP_RETRIES", retries, int)
    backoff = _non_negative("REGIONGAP_HTTP_BACKOFF", backoff, float)
    max_wait = _non_negative("REGIONGAP_HTTP_MAX_WAIT", max_wait, float)
    max_seconds = _non_negative("REGIONGAP_HTTP_MAX_SECONDS", max_seconds, float)
    seconds = 30.0 if timeout is None else float(timeout)
    return HttpSettings(
        timeout=seconds,
        retries=3 if retries_ is None else int(retries_),
        backoff=0.5 if backoff is None else float(backoff),
        max_wait=60.0 if max_wait is None else float(max_wait),
        max_seconds=max(120.0, 20 * seconds)
        if max_seconds is None
        else float(max_seconds),
    )


def max_bytes(default: int) -> int:
    """Return the largest download accepted: ``REGIONGAP_MAX_BYTES``, else *default*.

    Parameters
    ----------
    default : int
        The limit when the variable is unset.

    Returns
    -------
    int
        A number of bytes.

    Raises
    ------
    SchemaError
        If the variable is not a number of bytes.

    Examples
    --------
    >>> max_bytes(2 * 1024**3)
    2147483648
    """
    raw = os.environ.get("REGIONGAP_MAX_BYTES", "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        msg = f"REGIONGAP_MAX_BYTES={raw!r} is not a number of bytes"
        raise SchemaError(msg)
    return int(raw)


def memory_cache_bytes(default: int = 1024**3) -> int:
    """Return how many bytes of frames may be kept in memory between reads.

    A loader that has verified a cache file keeps the frame it made from it; a
    later read of the same, re-verified file returns a copy instead of decoding
    the table again. ``REGIONGAP_MEMORY_CACHE`` sets the limit (``0`` keeps
    nothing).

    Parameters
    ----------
    default : int, default 1 GiB
        The limit when the variable is unset.

    Returns
    -------
    int
        A number of bytes.

    Raises
    ------
    SchemaError
        If the variable is not a number of bytes.

    Examples
    --------
    >>> memory_cache_bytes(512)
    512
    """
    raw = os.environ.get("REGIONGAP_MEMORY_CACHE", "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        msg = (
            f"REGIONGAP_MEMORY_CACHE={raw!r} is not a number of bytes "
            "(0 keeps no frame in memory)"
        )
        raise SchemaError(msg)
    return int(raw)
