"""Eurostat's table of contents (toc) and code labels, through the ``eurostat`` package.

:func:`fetch_toc` returns the table of contents (every dataset Eurostat publishes,
with its title and dates) and :func:`fetch_labels` a dimension's code list, as
frames. Nothing is cached here: :mod:`regiongap.load.toc` keeps the answers.

The package has no setting for its base URL: it builds every request from the class
attribute ``eurostat.eurostat.__Uri__.BASE_URL`` (one entry per provider) and passes
``eurostat.eurostat.__ra__`` (``timeout``…) to :func:`requests.get`. When
``REGIONGAP_EUROSTAT_API`` (or ``api=``) names another base URL than the default,
:func:`eurostat_package` points every provider of the package at
``{base}/sdmx/2.1/`` for the duration of the call (under a lock, restored
afterwards), so a mirror of the API — or the test suite's loopback server — serves
the package too. It also silences the package's ``print`` calls and turns each of
its failures into a :class:`~regiongap.errors.SourceError`. The package is imported
inside the functions: ``import regiongap`` never loads it.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pandas as pd

from regiongap import config
from regiongap.errors import OfflineError, SchemaError, SourceError

if TYPE_CHECKING:
    import requests

__all__ = [
    "TOC_COLUMNS",
    "eurostat_package",
    "fetch_labels",
    "fetch_toc",
    "validate_dimension",
]

#: The columns of :func:`fetch_toc`, in order.
TOC_COLUMNS = (
    "title",
    "code",
    "type",
    "last_update",
    "last_structure_change",
    "data_start",
    "data_end",
)
#: The package's column names → ours.
_PACKAGE_COLUMNS = dict(
    zip(
        (
            "title",
            "code",
            "type",
            "last update of data",
            "last table structure change",
            "data start",
            "data end",
        ),
        TOC_COLUMNS,
        strict=True,
    )
)
_DIMENSION = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_package_lock = threading.Lock()


def validate_dimension(dimension: object) -> str:
    """Return *dimension* lower-cased if it can name a dataset's dimension.

    Parameters
    ----------
    dimension : str
        A dimension such as ``"geo"`` or ``"UNIT"``.

    Returns
    -------
    str
        The name in lower case.

    Raises
    ------
    SchemaError
        If *dimension* is not a string of letters, digits and ``_``.

    Examples
    --------
    >>> validate_dimension("GEO")
    'geo'
    >>> validate_dimension("geo/../x")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: 'geo/../x' is not a dimension name; ...
    """
    if not isinstance(dimension, str) or not _DIMENSION.fullmatch(dimension.lower()):
        msg = (
            f"{dimension!r} is not a dimension name; use the lower-case column name "
            "of the dataset, e.g. 'geo' or 'unit'"
        )
        raise SchemaError(msg)
    return dimension.lower()


def _package_failure(
    exc: Exception, printed: str, answers: list[tuple[int, str]]
) -> SourceError:
    """Return a :class:`SourceError` saying what the package raised, printed, got."""
    said = " ".join(printed.split())
    detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
    failed = [a for a in answers if a[0] >= 400]
    http = (
        f"HTTP {failed[-1][0]} from {failed[-1][1]} "
        f"({len(answers)} request{'s' if len(answers) != 1 else ''}); "
        if failed
        else ""
    )
    msg = f"the eurostat package failed ({http}{detail}{'; ' + said if said else ''})"
    return SourceError(msg)


def _point_at(uri: Any, base: str) -> None:  # the package's untyped __Uri__ class
    """Send every provider of the package to *base* (a mirror of the API)."""
    if base == config.DEFAULT_EUROSTAT_API:
        return
    for provider in uri.BASE_URL:
        uri.BASE_URL[provider] = f"{base}/sdmx/2.1/"
        uri.BASE_ASYNC_URL[provider] = f"{base}/1.0/async/"


@contextlib.contextmanager
def eurostat_package(
    api: str | None = None, timeout: float | None = None
) -> Iterator[ModuleType]:
    """Yield the ``eurostat.eurostat`` module, pointed at *api*, quiet and guarded.

    Every exception the package raises (it raises ``ValueError``, ``HTTPError``,
    ``ConnectionError``, ``AssertionError``, XML and JSON errors) becomes a
    :class:`~regiongap.errors.SourceError` carrying what the package printed and
    the last failed HTTP answer. The package's settings are restored afterwards.

    Parameters
    ----------
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).
    timeout : float, optional
        Seconds to wait for an answer (default ``REGIONGAP_HTTP_TIMEOUT``, 30).

    Yields
    ------
    types.ModuleType
        ``eurostat.eurostat``.

    Raises
    ------
    SourceError
        If the package is missing or fails.

    Examples
    --------
    >>> with eurostat_package("http://127.0.0.1:9/api") as pkg:
    ...     during = pkg.__Uri__.BASE_URL["EUROSTAT"]
    >>> during
    'http://127.0.0.1:9/api/sdmx/2.1/'
    >>> pkg.__Uri__.BASE_URL["EUROSTAT"]  # restored afterwards
    'https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/'
    """
    try:
        from eurostat import eurostat as pkg
    except ImportError as exc:  # pragma: no cover - a declared dependency
        msg = "toc and label look-ups need the 'eurostat' package: pip install eurostat"
        raise SourceError(msg) from exc
    base = config.eurostat_api(api)
    if timeout is None:
        timeout = config.http_settings().timeout
    printed = io.StringIO()
    # the package hides HTTP errors (on a SOAP fault it fails inside its own error
    # printing with a TypeError), so a response hook records the last answer
    answers: list[tuple[int, str]] = []

    def _seen(response: requests.Response, *_args: object, **_kwargs: object) -> None:
        answers.append((response.status_code, response.url))

    with _package_lock:
        uri = pkg.__Uri__
        saved = (dict(uri.BASE_URL), dict(uri.BASE_ASYNC_URL), dict(pkg.__ra__))
        try:
            _point_at(uri, base)
            pkg.__ra__["timeout"] = timeout
            pkg.__ra__["hooks"] = {"response": [_seen]}
            with contextlib.redirect_stdout(printed):
                yield pkg
        except (SourceError, SchemaError):
            raise
        except Exception as exc:  # the package raises many types: all are a failure
            raise _package_failure(exc, printed.getvalue(), answers) from exc
        finally:
            uri.BASE_URL.clear()
            uri.BASE_URL.update(saved[0])
            uri.BASE_ASYNC_URL.clear()
            uri.BASE_ASYNC_URL.update(saved[1])
            pkg.__ra__.clear()
            pkg.__ra__.update(saved[2])


def fetch_toc(api: str | None = None, *, offline: bool | None = None) -> pd.DataFrame:
    """Download Eurostat's table of contents.

    Parameters
    ----------
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).

    Returns
    -------
    pandas.DataFrame
        One row per dataset or table: :data:`TOC_COLUMNS` (strings, ``<NA>``
        where Eurostat gives none), ``code`` in lower case.

    Raises
    ------
    OfflineError
        When the network is forbidden; no request is made.
    SourceError
        If Eurostat cannot be reached or answers with an error.

    Examples
    --------
    >>> fetch_toc()
    Traceback (most recent call last):
    regiongap.errors.OfflineError: cannot download Eurostat's table of contents: ...
    """
    _check_online("Eurostat's table of contents", api, offline)
    with eurostat_package(api) as pkg:
        toc = pkg.get_toc_df(agency="EUROSTAT", lang="en")
    toc = toc.rename(columns=_PACKAGE_COLUMNS)[list(TOC_COLUMNS)]
    toc["code"] = toc["code"].astype(str).str.lower()
    return (
        toc.astype(object)
        .where(toc.notna(), None)
        .astype(dict.fromkeys(TOC_COLUMNS, "string"))
    )


def fetch_labels(
    code: str, dimension: str, api: str | None = None, *, offline: bool | None = None
) -> pd.DataFrame:
    """Download the labels of a dimension's codes (its whole code list, in English).

    Parameters
    ----------
    code : str
        The dataset code (validated with
        :func:`~regiongap.sources.eurostat.validate_code`).
    dimension : str
        The dimension (validated with :func:`validate_dimension`).
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).

    Returns
    -------
    pandas.DataFrame
        ``code, label`` (strings), one row per code.

    Raises
    ------
    OfflineError
        When the network is forbidden; no request is made.
    SourceError
        If Eurostat cannot be reached, or does not know the dataset or the
        dimension.

    Examples
    --------
    >>> fetch_labels("nama_10r_3gdp", "geo")
    Traceback (most recent call last):
    regiongap.errors.OfflineError: cannot download the labels of 'geo' in ...
    """
    what = f"the labels of {dimension!r} in Eurostat dataset {code!r}"
    _check_online(what, api, offline)
    with eurostat_package(api) as pkg:
        labels = pkg.get_dic(code, dimension, frmt="dict", full=True, lang="en")
    return pd.DataFrame(
        {"code": list(labels), "label": [str(v) for v in labels.values()]},
        dtype="string",
    )


def _check_online(what: str, api: str | None, offline: bool | None) -> None:
    """Refuse to call the package while the network is forbidden."""
    if config.is_offline(offline):
        msg = (
            f"cannot download {what}: the network is off (REGIONGAP_OFFLINE=1 or "
            f"offline=True); go online (unset REGIONGAP_OFFLINE) to ask "
            f"{config.eurostat_api(api)}"
        )
        raise OfflineError(msg)
