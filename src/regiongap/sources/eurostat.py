"""Raw Eurostat data: a dataset's bytes from the mirror or the API; catalogue look-ups.

Where a dataset comes from
--------------------------
1. A **mirror folder** when one is configured (argument, else ``REGIONGAP_MIRROR``):
   the first of ``eurostat/{code}.tsv.gz``, ``.tsv``, ``.csv.gz``, ``.csv``.
2. Otherwise — or when the mirror lacks the dataset — **the dissemination API**,
   ``{REGIONGAP_EUROSTAT_API}/sdmx/2.1/data/{CODE}?format=TSV&compressed=true``
   (the documented bulk-download URL of the SDMX 2.1 API; Eurostat accepts the
   code in any case and we send it upper-case as its own examples do), through
   :func:`regiongap.sources.http.get_bytes` (timeouts, retries with back-off).
3. Offline (``REGIONGAP_OFFLINE=1``) and not in the mirror: an error saying what is
   missing and how to get it.

The bytes are parsed by :func:`regiongap.sdmx.parse`, our own vectorised parser (see
its module docstring for why it replaces ``eurostat.get_data_df``).

Catalogue and labels through the ``eurostat`` package
-----------------------------------------------------
:func:`search_datasets` (Eurostat's table of contents) and :func:`dataset_labels`
(a dimension's code list) call the ``eurostat`` package, imported lazily, and keep
their answers in the cache (kind ``"catalogue"``) as Parquet: the table of contents
is reused for a day, code lists until refreshed. Offline, or when Eurostat cannot be
reached, the cached copy is used (with a warning when it is a fallback); with no
cached copy the error says so.

The package has no setting for its base URL: it builds every request from the class
attribute ``eurostat.eurostat.__Uri__.BASE_URL`` (one entry per provider) and passes
``eurostat.eurostat.__ra__`` (``timeout``…) to :func:`requests.get`. When
``REGIONGAP_EUROSTAT_API`` (or ``api=``) names another base URL than the default,
:func:`_eurostat_package` points every provider of the package at
``{base}/sdmx/2.1/`` for the duration of the call (under a lock, restored
afterwards), so a mirror of the API — or the test suite's loopback server — serves
the package too. It also silences the package's ``print`` calls and turns each of its
failures into a :class:`~regiongap.errors.SourceError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regiongap import config
from regiongap.errors import (
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.sources._mirror import find_file, read_file, utc_now

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODE_PATTERN",
    "MIRROR_SUFFIXES",
    "RawDataset",
    "dataset_labels",
    "dataset_url",
    "fetch_raw",
    "search_datasets",
    "validate_code",
]

#: A plausible Eurostat dataset code, after lower-casing: starts with a letter or
#: digit, then letters, digits, ``_``, ``-`` or ``$`` (e.g. ``nama_10r_3gdp``,
#: ``demo_r_pjanaggr3``, ``isoc_r_broad_h``, ``lfst_r_lfp2actrt``); 2 to 64
#: characters. No dots and no separators, so a code can never name another folder.
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_$\-]{1,63}$")
#: Mirror file names tried, in order, for a dataset.
MIRROR_SUFFIXES = (".tsv.gz", ".tsv", ".csv.gz", ".csv")

_DIMENSION = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_TOC_MAX_AGE = dt.timedelta(days=1)
#: largest dataset download accepted by default (REGIONGAP_MAX_BYTES overrides)
_MAX_BYTES = 2 * 1024**3
_package_lock = threading.Lock()


def validate_code(code: object) -> str:
    """Return *code* lower-cased if it is a plausible Eurostat dataset code.

    Parameters
    ----------
    code : str
        A dataset code such as ``"nama_10r_3gdp"`` (any case).

    Returns
    -------
    str
        The code in lower case.

    Raises
    ------
    SchemaError
        If *code* is not a string matching :data:`CODE_PATTERN` (e.g. it contains a
        path separator, a dot, a space, or is empty).

    Examples
    --------
    >>> validate_code("NAMA_10R_3GDP")
    'nama_10r_3gdp'
    """
    if not isinstance(code, str):
        msg = (
            f"a Eurostat dataset code must be a string, not {type(code).__name__} "
            f"({code!r})"
        )
        raise SchemaError(msg)
    lowered = code.lower()
    if not CODE_PATTERN.fullmatch(lowered):
        msg = (
            f"{code!r} is not a valid Eurostat dataset code: use 2–64 letters, "
            f"digits, '_', '-' or '$', starting with a letter or digit (pattern "
            f"{CODE_PATTERN.pattern}), e.g. 'nama_10r_3gdp'"
        )
        raise SchemaError(msg)
    return lowered


def dataset_url(code: str, base: str | None = None) -> str:
    """Return the dissemination-API URL of *code*'s whole dataset (gzipped TSV).

    Parameters
    ----------
    code : str
        The dataset code (validated).
    base : str, optional
        API base URL (default :func:`regiongap.config.eurostat_api`).

    Returns
    -------
    str
        ``{base}/sdmx/2.1/data/{CODE}?format=TSV&compressed=true``.
    """
    code = validate_code(code)
    return (
        f"{config.eurostat_api(base)}/sdmx/2.1/data/{code.upper()}"
        "?format=TSV&compressed=true"
    )


@dataclass(frozen=True)
class RawDataset:
    """A dataset's raw bytes and where they came from.

    Attributes
    ----------
    code : str
        The dataset code (lower case).
    content : bytes
        The bytes as read or downloaded (gzip or plain).
    source : {"mirror", "api"}
        Where they came from.
    location : str
        The mirror file path or the URL.
    retrieved_at : str
        ISO 8601 UTC time of retrieval.
    """

    code: str
    content: bytes = field(repr=False)
    source: str
    location: str
    retrieved_at: str

    @property
    def sha256(self) -> str:
        """SHA-256 of :attr:`content`, hex."""
        return hashlib.sha256(self.content).hexdigest()


def _what(code: str) -> str:
    return f"Eurostat dataset {code!r}"


def _mirror_file(folder: Path, code: str) -> Path | None:
    return find_file(folder / "eurostat", code, MIRROR_SUFFIXES)


def _mirror_codes(folder: Path, limit: int = 20) -> str:
    codes = set()
    for suffix in MIRROR_SUFFIXES:
        for path in (folder / "eurostat").glob(f"*{suffix}"):
            stem = path.name[: -len(suffix)]
            if CODE_PATTERN.fullmatch(stem):
                codes.add(stem)
    if not codes:
        return "none"
    listed = sorted(codes)
    more = f" and {len(listed) - limit} more" if len(listed) > limit else ""
    return ", ".join(listed[:limit]) + more


def _max_bytes() -> int:
    raw = os.environ.get("REGIONGAP_MAX_BYTES", "").strip()
    if not raw:
        return _MAX_BYTES
    if not raw.isdigit():
        msg = f"REGIONGAP_MAX_BYTES={raw!r} is not a number of bytes"
        raise SchemaError(msg)
    return int(raw)


def fetch_raw(
    code: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    progress: bool = False,
    api: str | None = None,
) -> RawDataset:
    """Return the raw bytes of a Eurostat dataset, from the mirror or the API.

    Parameters
    ----------
    code : str
        The dataset code (validated with :func:`validate_code`).
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``; none when unset).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    progress : bool, default False
        Show a progress bar while downloading.
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).

    Returns
    -------
    RawDataset
        The bytes with their source, location and retrieval time.

    Raises
    ------
    SchemaError
        If *code* is not a plausible dataset code.
    DatasetNotFoundError
        If the API does not know the dataset, or offline and the mirror lacks it.
    OfflineError
        Offline, with no mirror configured.
    SourceError
        If the mirror file cannot be read or the download fails.
    """
    code = validate_code(code)
    folder = config.mirror_dir(mirror)
    if folder is not None:
        path = _mirror_file(folder, code)
        if path is not None:
            content = read_file(path, _what(code))
            return RawDataset(code, content, "mirror", str(path), utc_now())
        if config.is_offline(offline):
            msg = (
                f"{_what(code)} is not in the mirror {str(folder)!r} (looked for "
                f"eurostat/{code}{{{','.join(MIRROR_SUFFIXES)}}}) and the network is "
                f"off (REGIONGAP_OFFLINE). The mirror has: {_mirror_codes(folder)}. "
                "Add the file to the mirror or go online."
            )
            raise DatasetNotFoundError(msg)
    from regiongap.sources.http import get_bytes

    url = dataset_url(code, api)
    response = get_bytes(
        url,
        what=_what(code),
        max_bytes=_max_bytes(),
        progress=progress,
        offline=offline,
    )
    return RawDataset(code, response.content, "api", url, utc_now())


# --------------------------------------------------------------- eurostat package
@contextlib.contextmanager
def _eurostat_package(api: str | None = None, timeout: float | None = None):
    """Yield the ``eurostat.eurostat`` module, pointed at *api*, quiet and guarded.

    Every exception the package raises (it raises ``ValueError``, ``HTTPError``,
    ``ConnectionError``, ``AssertionError``, XML and JSON errors) becomes a
    :class:`SourceError` carrying what the package printed.
    """
    try:
        from eurostat import eurostat as pkg
    except ImportError as exc:  # pragma: no cover - a declared dependency
        msg = "catalogue look-ups need the 'eurostat' package: pip install eurostat"
        raise SourceError(msg) from exc
    base = config.eurostat_api(api)
    printed = io.StringIO()
    # the package hides HTTP errors (on a SOAP fault it fails inside its own error
    # printing with a TypeError), so a response hook records the last answer
    answers: list[tuple[int, str]] = []

    def _seen(response, *_args, **_kwargs):
        answers.append((response.status_code, response.url))

    with _package_lock:
        uri = pkg.__Uri__
        saved = (dict(uri.BASE_URL), dict(uri.BASE_ASYNC_URL), dict(pkg.__ra__))
        try:
            if base != config.DEFAULT_EUROSTAT_API:
                for provider in uri.BASE_URL:
                    uri.BASE_URL[provider] = f"{base}/sdmx/2.1/"
                    uri.BASE_ASYNC_URL[provider] = f"{base}/1.0/async/"
            if timeout is None:
                from regiongap.sources.http import _setting

                timeout = float(_setting("REGIONGAP_HTTP_TIMEOUT", None, float))
            pkg.__ra__["timeout"] = timeout
            pkg.__ra__["hooks"] = {"response": [_seen]}
            with contextlib.redirect_stdout(printed):
                yield pkg
        except (SourceError, SchemaError):
            raise
        except Exception as exc:
            said = " ".join(printed.getvalue().split())
            detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
            failed = [a for a in answers if a[0] >= 400]
            http = (
                f"HTTP {failed[-1][0]} from {failed[-1][1]} "
                f"({len(answers)} request{'s' if len(answers) != 1 else ''}); "
                if failed
                else ""
            )
            msg = (
                f"the eurostat package failed ({http}{detail}"
                f"{'; ' + said if said else ''})"
            )
            raise SourceError(msg) from exc
        finally:
            uri.BASE_URL.clear()
            uri.BASE_URL.update(saved[0])
            uri.BASE_ASYNC_URL.clear()
            uri.BASE_ASYNC_URL.update(saved[1])
            pkg.__ra__.clear()
            pkg.__ra__.update(saved[2])


def _catalogue_read(name: str):
    from regiongap.cache import store as cache

    cached = cache.read_or_warn(
        cache.cache_path("catalogue", name),
        lambda table, _: table.to_pandas(),
        again="looking it up again",
        stacklevel=5,  # the caller of search_datasets / dataset_labels
    )
    return (None, None) if cached is None else cached


def _catalogue_write(name: str, frame: pd.DataFrame, location: str) -> None:
    import pyarrow as pa

    from regiongap.cache import store as cache

    table = pa.Table.from_pandas(frame, preserve_index=False)
    provenance = {
        "dataset": name,
        "source": "api",
        "location": location,
        "retrieved_at": utc_now(),
        "sha256": None,
        "last_update": None,
    }
    cache.write_or_warn(
        cache.cache_path("catalogue", name),
        table,
        provenance,
        instead=f"returning the {name} look-up without caching it",
        stacklevel=5,
    )


def _age(prov: dict[str, Any] | None) -> dt.timedelta | None:
    if not prov or not prov.get("retrieved_at"):
        return None
    try:
        when = dt.datetime.fromisoformat(prov["retrieved_at"])
    except ValueError:
        return None
    return dt.datetime.now(dt.UTC) - when


def _cached_or_fetch(
    name: str,
    what: str,
    fetch,
    *,
    refresh: bool,
    offline: bool | None,
    max_age: dt.timedelta | None,
    api: str | None,
) -> pd.DataFrame:
    cached, prov = _catalogue_read(name)
    age = _age(prov)
    fresh = cached is not None and (
        max_age is None or (age is not None and age <= max_age)
    )
    if fresh and not refresh:
        return cached
    if config.is_offline(offline):
        if cached is not None:
            return cached
        msg = (
            f"cannot look up {what}: the network is off (REGIONGAP_OFFLINE=1 or "
            "offline=True) and there is no cached copy; go online once (unset "
            "REGIONGAP_OFFLINE) to fetch it"
        )
        raise OfflineError(msg)
    base = config.eurostat_api(api)
    try:
        frame = fetch(base)
    except SourceError as exc:
        if cached is not None:
            warnings.warn(
                f"could not refresh {what} from {base} ({exc}); using the copy "
                f"retrieved {prov.get('retrieved_at')}",
                RuntimeWarning,
                stacklevel=3,
            )
            return cached
        msg = f"cannot look up {what} at {base}: {exc}"
        raise type(exc)(msg) from exc
    _catalogue_write(name, frame, base)
    return frame


_TOC_COLUMNS = {
    "title": "title",
    "code": "code",
    "type": "type",
    "last update of data": "last_update",
    "last table structure change": "last_structure_change",
    "data start": "data_start",
    "data end": "data_end",
}


def _fetch_toc(api: str) -> pd.DataFrame:
    with _eurostat_package(api) as pkg:
        toc = pkg.get_toc_df(agency="EUROSTAT", lang="en")
    toc = toc.rename(columns=_TOC_COLUMNS)[list(_TOC_COLUMNS.values())]
    toc["code"] = toc["code"].astype(str).str.lower()
    return (
        toc.astype(object)
        .where(toc.notna(), None)
        .astype(dict.fromkeys(_TOC_COLUMNS.values(), "string"))
    )


def search_datasets(
    word: str,
    *,
    refresh: bool = False,
    offline: bool | None = None,
    api: str | None = None,
) -> pd.DataFrame:
    """Find Eurostat datasets whose title or code contains *word*.

    The table of contents comes from Eurostat through the ``eurostat`` package
    (``get_toc_df``) and is cached for a day (``catalogue/toc.parquet``).
    Matching is case-insensitive and literal (the package's ``subset_toc_df``
    treats the word as a regular expression, so ``"R&D (GERD)"`` would fail).

    Parameters
    ----------
    word : str
        Text to look for, e.g. ``"broadband"``.
    refresh : bool, default False
        Download the table of contents even if a fresh copy is cached.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``): the cached copy is
        used, whatever its age.
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).

    Returns
    -------
    pandas.DataFrame
        ``code, title, type, last_update, last_structure_change, data_start,
        data_end`` (strings), sorted by code.

    Raises
    ------
    SchemaError
        If *word* is empty or not a string.
    OfflineError
        Offline with no cached table of contents.
    SourceError
        If Eurostat cannot be reached and nothing is cached.
    """
    if not isinstance(word, str) or not word.strip():
        msg = f"search_datasets needs a non-empty word, not {word!r}"
        raise SchemaError(msg)
    toc = _cached_or_fetch(
        "toc",
        "Eurostat's table of contents",
        _fetch_toc,
        refresh=refresh,
        offline=offline,
        max_age=_TOC_MAX_AGE,
        api=api,
    )
    needle = word.strip()
    hit = toc["title"].str.contains(needle, case=False, regex=False, na=False) | toc[
        "code"
    ].str.contains(needle, case=False, regex=False, na=False)
    columns = [
        "code",
        "title",
        "type",
        "last_update",
        "last_structure_change",
        "data_start",
        "data_end",
    ]
    return toc.loc[hit, columns].sort_values("code").reset_index(drop=True)


def dataset_labels(
    code: str,
    dimension: str,
    *,
    refresh: bool = False,
    offline: bool | None = None,
    api: str | None = None,
) -> dict[str, str]:
    """Return the labels of a dimension's codes, e.g. ``{"DE11": "Stuttgart", …}``.

    Fetched with ``eurostat.get_dic(code, dimension, frmt="dict")`` (the whole code
    list of the dimension, in English) and cached
    (``catalogue/labels.{code}.{dimension}.parquet``) until ``refresh=True``.

    Parameters
    ----------
    code : str
        The dataset code.
    dimension : str
        The dimension, e.g. ``"geo"``, ``"unit"`` (case-insensitive).
    refresh : bool, default False
        Download again even if cached.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).

    Returns
    -------
    dict of str to str
        Code → label.

    Raises
    ------
    SchemaError
        If *code* or *dimension* is malformed.
    OfflineError
        Offline with nothing cached.
    SourceError
        If Eurostat cannot be reached (or does not know the dataset or the
        dimension) and nothing is cached.
    """
    code = validate_code(code)
    if not isinstance(dimension, str) or not _DIMENSION.fullmatch(dimension.lower()):
        msg = (
            f"{dimension!r} is not a dimension name; use the lower-case column name "
            "of the dataset, e.g. 'geo' or 'unit'"
        )
        raise SchemaError(msg)
    dim = dimension.lower()

    def fetch(base: str) -> pd.DataFrame:
        import pandas as pd

        with _eurostat_package(base) as pkg:
            labels = pkg.get_dic(code, dim, frmt="dict", full=True, lang="en")
        return pd.DataFrame(
            {"code": list(labels), "label": [str(v) for v in labels.values()]},
            dtype="string",
        )

    frame = _cached_or_fetch(
        f"labels.{code}.{dim}",
        f"the labels of {dim!r} in Eurostat dataset {code!r}",
        fetch,
        refresh=refresh,
        offline=offline,
        max_age=None,
        api=api,
    )
    return dict(zip(frame["code"].astype(str), frame["label"].astype(str), strict=True))
