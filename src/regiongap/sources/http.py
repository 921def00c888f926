"""Download bytes over HTTP with timeouts, bounded retries and clear errors.

One function, :func:`get_bytes`, does every network read of the library (Eurostat's
dissemination API, GISCO). It

* refuses to open a socket when the network is forbidden (``offline=True`` or
  ``REGIONGAP_OFFLINE=1``) and says what is missing and how to get it;
* streams the body (optionally behind a :mod:`tqdm` progress bar) and stops as soon as
  it grows past ``max_bytes``;
* retries, with exponential back-off and jitter, on the answers that mean *try again
  later* — HTTP 429, 500, 502, 503 and 504, timeouts, refused or reset connections
  and bodies cut short — and honours a ``Retry-After`` header (seconds or an HTTP
  date), capped at ``max_wait``;
* remembers, for a minute, a host whose name could not be resolved after every
  retry (no network, or a wrong address): later requests to it fail at once
  instead of waiting through the same retries, so a report that needs twelve
  datasets offline does not wait twelve times;
* turns every failure into an error of :mod:`regiongap.errors` that names ``what`` was
  being fetched and the URL: :class:`~regiongap.errors.DatasetNotFoundError` for 404
  (and 410), :class:`~regiongap.errors.OfflineError` when offline,
  :class:`~regiongap.errors.SourceError` for everything else. The exception carries
  ``url`` and ``status`` (``None`` when no answer came) attributes.

Whether the bytes are what the caller expected (an HTML error page served with status
200, a truncated gzip stream) is the caller's concern: the parsers reject them.

Defaults can be changed for a whole session (or a test run) with environment
variables read at call time by :func:`regiongap.config.http_settings`:
``REGIONGAP_HTTP_TIMEOUT`` (seconds, default 30), ``REGIONGAP_HTTP_RETRIES`` (default
3), ``REGIONGAP_HTTP_BACKOFF`` (seconds, default 0.5), ``REGIONGAP_HTTP_MAX_WAIT``
(seconds, default 60) and ``REGIONGAP_HTTP_MAX_SECONDS`` (seconds one attempt may
take to deliver the whole body, default ``max(120, 20 × timeout)``).
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from regiongap import config
from regiongap._version import VERSION
from regiongap.errors import DatasetNotFoundError, OfflineError, SourceError

__all__ = ["RETRY_STATUSES", "HttpResponse", "get_bytes"]

#: HTTP statuses that mean "try again later" and are retried.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_CHUNK = 1 << 16
#: seconds allowed to open a connection (the read timeout is the ``timeout`` argument)
_CONNECT_TIMEOUT = 10.0
_local = threading.local()
#: seconds a host whose name did not resolve is not tried again
UNRESOLVED_SECONDS = 60.0
_unresolved: dict[str, float] = {}  # host -> time.monotonic() of the failure
_unresolved_lock = threading.Lock()


def _sleep(seconds: float) -> None:
    """Wait between attempts (a module-level name so tests can record the waits)."""
    time.sleep(seconds)


@dataclass(frozen=True)
class HttpResponse:
    """A complete, successful HTTP answer.

    Attributes
    ----------
    url : str
        The URL finally answered (after redirects).
    status : int
        The HTTP status code (2xx).
    headers : Mapping[str, str]
        The response headers (read-only; names are case-insensitive).
    content : bytes
        The whole body.
    attempts : int
        How many requests it took (1 when the first one succeeded).
    """

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes = field(repr=False)
    attempts: int = 1


def _session() -> requests.Session:
    """Return this thread's session (connections are reused between calls)."""
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.headers["User-Agent"] = f"regiongap/{VERSION}"
        _local.session = session
    return session


def _error(
    cls: type[SourceError], msg: str, url: str, status: int | None
) -> SourceError:
    err = cls(msg)
    err.url = url
    err.status = status
    return err


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP date)."""
    raw = headers.get("Retry-After")
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _backoff_delay(attempt: int, backoff: float, max_wait: float) -> float:
    """Exponential back-off with "equal jitter": half fixed, half random."""
    base = min(max_wait, backoff * (2**attempt))
    return base / 2 + random.uniform(0, base / 2)  # jitter, not crypto


class _TooLargeError(Exception):
    pass


class _TooSlowError(Exception):
    pass


def _read_body(
    resp: requests.Response,
    *,
    max_bytes: int | None,
    progress: bool,
    what: str,
    deadline: float,
) -> bytes:
    length = resp.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    if max_bytes is not None and total is not None and total > max_bytes:
        raise _TooLargeError(total)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc=what,
            leave=False,
        )
    chunks: list[bytes] = []
    size = 0
    try:
        # read1 returns whatever has arrived (up to _CHUNK), so the deadline is
        # checked while a server drips bytes; iter_content would block on 64 KiB
        while chunk := resp.raw.read1(_CHUNK, decode_content=True):
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise _TooLargeError(size)
            if time.monotonic() > deadline:
                raise _TooSlowError(size)
            chunks.append(chunk)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return b"".join(chunks)


_TRANSIENT = (
    urllib3.exceptions.HTTPError,  # read errors of the raw stream (reset, timeout)
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def get_bytes(
    url: str,
    *,
    what: str,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
    max_bytes: int | None = None,
    progress: bool = False,
    offline: bool | None = None,
    max_wait: float | None = None,
    max_seconds: float | None = None,
) -> HttpResponse:
    """Download *url* and return the whole body.

    Parameters
    ----------
    url : str
        The address to GET.
    what : str
        What is being fetched, for messages (e.g. ``"Eurostat dataset
        'nama_10r_3gdp'"``).
    timeout : float, optional
        Seconds to wait for the server between two bytes (read timeout); default 30
        or ``REGIONGAP_HTTP_TIMEOUT``. Connecting may take at most
        ``min(timeout, 10)`` seconds.
    retries : int, optional
        How many times to try again after a transient failure; default 3 or
        ``REGIONGAP_HTTP_RETRIES``. At most ``retries + 1`` requests are made.
    backoff : float, optional
        Base of the exponential back-off in seconds; the wait before retry *k*
        (0-based) is drawn uniformly from ``[b·2^k/2, b·2^k]`` and capped at
        ``max_wait``. Default 0.5 or ``REGIONGAP_HTTP_BACKOFF``.
    max_bytes : int, optional
        Refuse a body larger than this (checked against ``Content-Length`` and
        while streaming).
    progress : bool, default False
        Show a :mod:`tqdm` progress bar on stderr while downloading.
    offline : bool, optional
        Forbid the network (default: ``REGIONGAP_OFFLINE``).
    max_wait : float, optional
        Longest wait between two attempts, also the cap on ``Retry-After``;
        default 60 or ``REGIONGAP_HTTP_MAX_WAIT``.
    max_seconds : float, optional
        Longest time one attempt may take to deliver the whole body, so a server
        that drips a byte at a time cannot hang the caller; default
        ``REGIONGAP_HTTP_MAX_SECONDS``, else ``max(120, 20 × timeout)``.

    Returns
    -------
    HttpResponse
        The final URL, status, headers and body.

    Raises
    ------
    OfflineError
        The network is forbidden; no socket was opened.
    DatasetNotFoundError
        The server answered 404 or 410.
    SourceError
        Any other HTTP error, a body over ``max_bytes``, or a transient failure
        that outlived the retries. The message names *what* and *url*.
    """
    if config.is_offline(offline):
        msg = (
            f"cannot download {what}: the network is off (REGIONGAP_OFFLINE=1 or "
            f"offline=True) and it is not available locally. Point REGIONGAP_MIRROR "
            f"at a folder that holds it, or go online (unset REGIONGAP_OFFLINE) to "
            f"fetch {url}"
        )
        raise _error(OfflineError, msg, url, None)
    settings = config.http_settings(
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        max_wait=max_wait,
        max_seconds=max_seconds,
    )
    host = urllib.parse.urlsplit(url).hostname or ""
    _refuse_unresolved(host, url, what)
    request = _Request(url, what, settings, max_bytes, progress)
    failure = _Failure("", None, None)
    for attempt in range(settings.retries + 1):
        outcome = _attempt(_session(), request, attempt)
        if isinstance(outcome, HttpResponse):
            return outcome
        failure = outcome
        if attempt < settings.retries:
            delay = _backoff_delay(attempt, settings.backoff, settings.max_wait)
            if failure.wait is not None:
                delay = max(delay, min(failure.wait, settings.max_wait))
            _sleep(delay)
    tries = settings.retries + 1
    if failure.unresolved:
        with _unresolved_lock:
            _unresolved[host] = time.monotonic()
    msg = (
        f"could not download {what} from {url}: {failure.problem} "
        f"(gave up after {tries} attempt{'s' if tries != 1 else ''})"
    )
    raise _error(SourceError, msg, url, failure.status)


@dataclass(frozen=True)
class _Request:
    """What :func:`get_bytes` was asked for, as each attempt needs it."""

    url: str
    what: str
    settings: config.HttpSettings
    max_bytes: int | None
    progress: bool


@dataclass(frozen=True)
class _Failure:
    """An attempt that may be retried: why, the status (if any), the wait asked."""

    problem: str
    status: int | None
    wait: float | None
    unresolved: bool = False


def _refuse_unresolved(host: str, url: str, what: str) -> None:
    """Fail at once if *host* did not resolve less than a minute ago."""
    with _unresolved_lock:
        since = _unresolved.get(host)
        if since is not None and time.monotonic() - since >= UNRESOLVED_SECONDS:
            del _unresolved[host]
            since = None
    if since is None:
        return
    msg = (
        f"could not download {what} from {url}: the host name {host!r} could not "
        f"be resolved {time.monotonic() - since:.0f} s ago, and it is not tried "
        f"again until {UNRESOLVED_SECONDS:g} s have passed. Check the network "
        f"connection, or work offline (REGIONGAP_OFFLINE=1) with the cache and "
        f"REGIONGAP_MIRROR"
    )
    raise _error(SourceError, msg, url, None)


def _name_not_resolved(exc: BaseException) -> bool:
    """Whether *exc* (requests wraps urllib3 wraps socket) is a failed DNS lookup."""
    seen: BaseException | None = exc
    for _ in range(6):  # ConnectionError -> MaxRetryError -> NameResolutionError
        if seen is None:
            return False
        if isinstance(seen, urllib3.exceptions.NameResolutionError):
            return True
        inner = getattr(seen, "reason", None)
        if not isinstance(inner, BaseException) and seen.args:
            inner = seen.args[0] if isinstance(seen.args[0], BaseException) else None
        seen = inner if isinstance(inner, BaseException) else seen.__cause__
    return False


def _answer(
    resp: requests.Response, request: _Request, attempt: int
) -> HttpResponse | _Failure:
    """Turn one HTTP answer into the response, a retryable failure or an error."""
    url, what, status = request.url, request.what, resp.status_code
    if status in (404, 410):
        msg = f"{what} was not found: HTTP {status} from {url}{_excerpt(resp)}"
        raise _error(DatasetNotFoundError, msg, url, status)
    if status in RETRY_STATUSES:
        problem = f"HTTP {status} {resp.reason or ''}".rstrip()
        return _Failure(problem, status, _retry_after(resp.headers))
    if status >= 400:
        msg = (
            f"could not download {what}: HTTP {status} "
            f"{resp.reason or ''} from {url}{_excerpt(resp)}"
        )
        raise _error(SourceError, msg, url, status)
    content = _read_body(
        resp,
        max_bytes=request.max_bytes,
        progress=request.progress,
        what=what,
        deadline=time.monotonic() + request.settings.max_seconds,
    )
    return HttpResponse(
        url=resp.url,
        status=status,
        headers=MappingProxyType(CaseInsensitiveDict(resp.headers)),
        content=content,
        attempts=attempt + 1,
    )


def _attempt(
    session: requests.Session, request: _Request, attempt: int
) -> HttpResponse | _Failure:
    """Make one request; a transient failure is returned, any other raised."""
    url, what = request.url, request.what
    timeout = request.settings.timeout
    status: int | None = None
    try:
        with session.get(
            url, stream=True, timeout=(min(timeout, _CONNECT_TIMEOUT), timeout)
        ) as resp:
            status = resp.status_code
            return _answer(resp, request, attempt)
    except _TooLargeError as exc:
        msg = (
            f"could not download {what}: the answer from {url} is larger than "
            f"the limit of {request.max_bytes:,} bytes (at least {exc.args[0]:,})"
        )
        raise _error(SourceError, msg, url, status) from None
    except _TooSlowError as exc:
        problem = (
            f"the body was still arriving after {request.settings.max_seconds:g} s "
            f"({exc.args[0]:,} bytes)"
        )
    except _TRANSIENT as exc:
        problem = f"{type(exc).__name__}: {_short(exc)}"
        if _name_not_resolved(exc):
            return _Failure(problem, status, None, unresolved=True)
    except requests.RequestException as exc:  # a bad URL, too many redirects…
        msg = f"could not download {what} from {url}: {type(exc).__name__}: {exc}"
        raise _error(SourceError, msg, url, status) from exc
    return _Failure(problem, status, None)


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(resp: requests.Response, limit: int = 300) -> str:
    """Return a short, one-line excerpt of an error body (Eurostat explains faults)."""
    try:
        body = resp.raw.read(limit, decode_content=True) or b""
    except Exception:  # the excerpt is a courtesy: never mask the real error
        return ""
    text = body.decode("utf-8", "replace")
    # Eurostat explains errors in a SOAP fault; an HTML error page has a title
    found = re.search(r"<faultstring>(.*?)</faultstring>", text, re.S) or re.search(
        r"<title>(.*?)</title>", text, re.S | re.I
    )
    if found:
        text = found.group(1)
    text = " ".join(text.split())
    return f" ({text})" if text else ""
