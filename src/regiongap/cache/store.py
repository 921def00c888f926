"""The Parquet cache of downloaded data, with provenance stored in each file.

Layout: ``<cache dir>/<kind>/<name>.parquet`` where the cache dir is the argument,
else ``config.cache_dir()`` (``<REGIONGAP_DATA_DIR>/raw``), and *kind* is one of
:data:`KINDS` (``"eurostat"`` datasets, ``"gisco"`` boundaries, ``"catalogue"`` the
Eurostat table of contents and code labels).

Every file carries, in its Parquet key-value metadata under ``b"regiongap"`` (next to
whatever the table already had, e.g. ``b"pandas"`` or GeoParquet's ``b"geo"``), a
JSON object with the caller's provenance (dataset, source, location, retrieved_at,
sha256 of the raw bytes, last_update, …) plus:

``schema_version``
    :data:`SCHEMA_VERSION`; a file written by another version is refused.
``regiongap_version``, ``written_at``
    Who wrote the file, and when.
``content_sha256``
    SHA-256 of the file's bytes from its start up to the Parquet footer, i.e. the
    ``PAR1`` magic and every column chunk (all data and dictionary pages). It is
    computed while the file is written (the bytes go through a hashing wrapper) and
    checked on every read with one pass of SHA-256 over bytes already in memory, so
    verification costs far less than parsing. Any change to the stored data —
    truncation, a flipped byte, a data section from another file — is caught. The
    footer itself is validated by the Parquet reader (it must parse, and its
    offsets must point inside the data section).

Writes are atomic and safe between processes: the file is written to a temporary file
in the same folder, flushed and fsync'ed, then moved over the target with
:func:`os.replace`, all under a :mod:`filelock` lock on the target (lock files are
hidden ``.<name>.parquet.lock`` files beside it, kept so that waiting processes
always lock the same file). A reader never sees a half-written file, and a process
killed mid-write leaves the previous file intact (plus at most a temporary file,
which :func:`cache_clear` removes once it is an hour old).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import struct
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regiongap import config
from regiongap.errors import CacheError, SchemaError

__all__ = [
    "KINDS",
    "METADATA_KEY",
    "SCHEMA_VERSION",
    "cache_clear",
    "cache_list",
    "cache_path",
    "read_or_warn",
    "read_table",
    "write_or_warn",
    "write_table",
]

T = TypeVar("T")

#: Version of the cache layout and provenance; files with another one are refused.
SCHEMA_VERSION = 1
#: Parquet key-value metadata key holding the provenance JSON.
METADATA_KEY = b"regiongap"
#: Sub-folders of the cache, one per source.
KINDS = ("eurostat", "gisco", "catalogue")

_NAME = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_$.\-]{0,127}$")
_MAGIC = b"PAR1"
#: seconds a writer waits for another process's lock before giving up
_LOCK_TIMEOUT = 600.0
#: an orphaned temporary file older than this is removed by cache_clear
_STALE_TMP_SECONDS = 3600.0


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        msg = f"unknown cache kind {kind!r}; use one of {', '.join(KINDS)}"
        raise SchemaError(msg)
    return kind


def cache_path(
    kind: str, name: str, cache_dir: str | os.PathLike[str] | None = None
) -> Path:
    """Return the cache file of *name* in the *kind* folder.

    Parameters
    ----------
    kind : {"eurostat", "gisco", "catalogue"}
        The source the data comes from.
    name : str
        The file's name without suffix: letters, digits and ``_ $ . -``, not
        starting with a dot, at most 128 characters, no ``..``.
    cache_dir : path-like, optional
        The cache folder (default :func:`regiongap.config.cache_dir`).

    Returns
    -------
    pathlib.Path
        ``<cache dir>/<kind>/<name>.parquet`` (not created).

    Raises
    ------
    SchemaError
        For an unknown kind or a name that could escape the folder.
    """
    _check_kind(kind)
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        msg = (
            f"cache name {name!r} is not allowed; use letters, digits and _ $ . - "
            "(not starting with a dot, no '..', at most 128 characters)"
        )
        raise SchemaError(msg)
    return config.cache_dir(cache_dir) / kind / f"{name}.parquet"


class _HashingWriter:
    """A binary file wrapper that hashes everything written through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()
        self.closed = False

    def write(self, data) -> int:
        view = memoryview(data)
        self.digest.update(view)
        return self._raw.write(view)

    def flush(self) -> None:
        self._raw.flush()

    def tell(self) -> int:
        return self._raw.tell()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    def close(self) -> None:  # the caller closes the real file after fsync
        self.closed = True


def _lock(path: Path):
    from filelock import FileLock, Timeout

    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=_LOCK_TIMEOUT)

    @contextlib.contextmanager
    def held():
        try:
            with lock:
                yield
        except Timeout as exc:
            msg = (
                f"cache file {str(path)!r} is locked by another process for more "
                f"than {_LOCK_TIMEOUT:g} s; if no regiongap process is running, "
                f"delete {lock.lock_file!r}"
            )
            raise CacheError(msg) from exc

    return held()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_options(schema: pa.Schema) -> dict[str, Any]:
    """Parquet writer settings chosen per column type, for fast writes and reads.

    Measured on a 1.03 M-value dataset (7 columns) and a 5 M-value one
    (benchmarks/RESULTS.md): against pyarrow's defaults with zstd, these settings
    write 1.5–2× faster and read 1.3–1.5× faster, for a file of about the same
    size (real data) to 1.3× larger (random generated values).

    * ``compression="lz4"``: decompresses several times faster than zstd; zstd
      files were 5–35 % smaller, uncompressed ones 2–4× larger and no faster to
      read once the pages are in memory.
    * dictionary encoding only for dictionary, string and integer columns of
      more than 16 bits (few distinct values: dimensions, years, flags); trying
      it on floating-point columns costs time and almost never pays off, and on
      int8/int16 columns (e.g. category codes) it saved nothing and made the
      write 1.3× and the read up to 1.8× slower (5 M values).
    * ``BYTE_STREAM_SPLIT`` for top-level floating-point columns: grouping the
      bytes of each float compresses them better (1.4 MB instead of 2.4 MB for
      the ``value`` column of 1.03 M values) and decodes faster than plain.
    * ``write_statistics=False``: min/max statistics cost a pass over every
      column and are never used (the cache is always read whole).
    """
    dictionary: list[str] = []
    encodings: dict[str, str] = {}
    for field in schema:
        kind = field.type
        if pa.types.is_floating(kind):
            encodings[field.name] = "BYTE_STREAM_SPLIT"
        elif (
            pa.types.is_dictionary(kind)
            or pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or (pa.types.is_integer(kind) and kind.bit_width > 16)
        ):
            dictionary.append(field.name)
    return {
        "compression": "lz4",
        "use_dictionary": dictionary,
        "column_encoding": encodings or None,
        "write_statistics": False,
    }


def write_table(
    path: str | os.PathLike[str], table: pa.Table, provenance: Mapping[str, Any]
) -> None:
    """Write *table* to *path* atomically, with *provenance* in its metadata.

    Parameters
    ----------
    path : path-like
        The target file (usually from :func:`cache_path`); its folder is created.
    table : pyarrow.Table
        The data. Its schema metadata (``pandas``, ``geo``…) is kept.
    provenance : Mapping
        JSON-serialisable facts about the data (source, location, retrieved_at,
        sha256 of the raw bytes, …); stored under ``b"regiongap"`` together with
        ``schema_version``, ``regiongap_version``, ``written_at`` and
        ``content_sha256``.

    Raises
    ------
    SchemaError
        If *table* is not a :class:`pyarrow.Table` or *provenance* is not a
        JSON-serialisable mapping.
    CacheError
        If the file cannot be written (disk full, permissions, lock timeout). The
        previous file, if any, is left untouched.
    """
    from regiongap import __version__

    path = Path(path)
    if not isinstance(table, pa.Table):
        msg = f"write_table needs a pyarrow.Table, not {type(table).__name__}"
        raise SchemaError(msg)
    if not isinstance(provenance, Mapping):
        msg = f"provenance must be a mapping, not {type(provenance).__name__}"
        raise SchemaError(msg)
    record = dict(provenance)
    try:
        json.dumps(record, allow_nan=False)
    except (TypeError, ValueError) as exc:
        msg = f"provenance for {str(path)!r} is not JSON-serialisable: {exc}"
        raise SchemaError(msg) from exc
    record.update(
        schema_version=SCHEMA_VERSION,
        regiongap_version=__version__,
        written_at=_now(),
    )
    meta = dict(table.schema.metadata or {})
    meta.pop(METADATA_KEY, None)
    table = table.replace_schema_metadata(meta)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the cache folder {str(path.parent)!r}: {exc}"
        raise CacheError(msg) from exc
    with _lock(path):
        fd, tmp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as raw:
                sink = _HashingWriter(raw)
                writer = pq.ParquetWriter(
                    sink, table.schema, **_write_options(table.schema)
                )
                try:
                    writer.write_table(table)
                    # every column chunk is in the file now; only the footer
                    # follows, and it carries the digest of what came before it
                    record["content_sha256"] = sink.digest.hexdigest()
                    writer.add_key_value_metadata(
                        {METADATA_KEY: json.dumps(record, sort_keys=True)}
                    )
                finally:
                    writer.close()  # also on failure, so the writer lets go
                raw.flush()
                os.fsync(raw.fileno())
            tmp.replace(path)  # atomic rename (os.replace)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, OSError | pa.ArrowException):
                msg = f"cannot write the cache file {str(path)!r}: {exc}"
                raise CacheError(msg) from exc
            raise
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _corrupt(path: Path, why: str) -> CacheError:
    return CacheError(
        f"cache file {str(path)!r} is unusable: {why}; fetch the data again "
        "(refresh=True) or delete the file (regiongap cache clear)"
    )


def read_table(path: str | os.PathLike[str]) -> tuple[pa.Table, dict[str, Any]]:
    """Read and verify a cache file written by :func:`write_table`.

    Parameters
    ----------
    path : path-like
        The cache file.

    Returns
    -------
    table : pyarrow.Table
        The data, its schema metadata without the ``b"regiongap"`` entry.
    provenance : dict
        The provenance stored with it (``schema_version``, ``content_sha256``, …
        included).

    Raises
    ------
    CacheError
        If the file is missing, truncated or not Parquet, has no or malformed
        provenance, was written with another ``schema_version``, or its content
        does not match ``content_sha256``.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the cache file {str(path)!r}: {exc}"
        raise CacheError(msg) from exc
    if len(data) < 12 or data[:4] != _MAGIC or data[-4:] != _MAGIC:
        raise _corrupt(path, "it is not a complete Parquet file (truncated?)")
    (footer_len,) = struct.unpack("<I", data[-8:-4])
    footer_start = len(data) - 8 - footer_len
    if footer_start < 4:
        raise _corrupt(path, "its Parquet footer length is impossible")
    buffer = pa.py_buffer(data)
    try:
        meta = pq.read_metadata(pa.BufferReader(buffer))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _corrupt(path, f"its Parquet footer is unreadable ({exc})") from exc
    raw = (meta.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise _corrupt(path, "it has no regiongap provenance")
    try:
        provenance = json.loads(raw)
    except ValueError as exc:
        raise _corrupt(path, f"its provenance is not valid JSON ({exc})") from exc
    if not isinstance(provenance, dict):
        raise _corrupt(path, "its provenance is not a JSON object")
    version = provenance.get("schema_version")
    if version != SCHEMA_VERSION:
        raise _corrupt(
            path,
            f"it was written with cache schema version {version!r}, this regiongap "
            f"reads version {SCHEMA_VERSION}",
        )
    expected = provenance.get("content_sha256")
    actual = hashlib.sha256(memoryview(data)[:footer_start]).hexdigest()
    if expected != actual:
        raise _corrupt(
            path,
            f"its content checksum does not match (stored {expected!r}, "
            f"computed {actual!r})",
        )
    try:
        table = pq.read_table(pa.BufferReader(buffer))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _corrupt(path, f"its Parquet data is unreadable ({exc})") from exc
    schema_meta = dict(table.schema.metadata or {})
    schema_meta.pop(METADATA_KEY, None)
    return table.replace_schema_metadata(schema_meta or None), provenance


def read_or_warn(
    path: Path,
    convert: Callable[[pa.Table, dict[str, Any]], T],
    *,
    again: str,
    stacklevel: int = 3,
) -> tuple[T, dict[str, Any]] | None:
    """Read, verify and *convert* the cache entry at *path*; ``None`` when unusable.

    The one policy every cached source follows: an absent entry is ``None``; a
    damaged one (:func:`read_table` or *convert* raised :class:`CacheError`) or
    something other than a file where the entry belongs (a folder, a dangling
    link — never deleted, it may hold someone's files) is ``None`` with a
    :class:`RuntimeWarning` ending in *again* (e.g. ``"fetching … again"``). A
    damaged entry is never returned as data. *stacklevel* as for
    :func:`warnings.warn`, counted from here (3: the caller of the function that
    calls this one).
    """
    if path.is_file():
        try:
            table, provenance = read_table(path)
            return convert(table, provenance), provenance
        except CacheError as exc:
            warnings.warn(f"{exc}; {again}", RuntimeWarning, stacklevel=stacklevel)
            return None
    if path.exists() or path.is_symlink():
        warnings.warn(
            f"cache path {str(path)!r} is not a file; {again}",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
    return None


def write_or_warn(
    path: Path,
    table: pa.Table,
    provenance: Mapping[str, Any],
    *,
    instead: str,
    stacklevel: int = 3,
) -> bool:
    """:func:`write_table`, turning a failed write into a :class:`RuntimeWarning`.

    For fresh data that is sound and only could not be kept (a folder in the way,
    disk full, no permission): the caller returns it all the same, and the
    warning ends in *instead* (e.g. ``"returning … without caching it"``).
    Returns whether the entry was written; *stacklevel* as in :func:`read_or_warn`.
    """
    try:
        write_table(path, table, provenance)
    except CacheError as exc:
        warnings.warn(f"{exc}; {instead}", RuntimeWarning, stacklevel=stacklevel)
        return False
    return True


def _provenance_only(path: Path) -> dict[str, Any]:
    meta = pq.read_metadata(path)
    return json.loads((meta.metadata or {})[METADATA_KEY])


def _entries(root: Path, kind: str | None):
    kinds = [_check_kind(kind)] if kind is not None else list(KINDS)
    for k in kinds:
        folder = root / k
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.parquet")):
            name = path.name[: -len(".parquet")]
            if _NAME.fullmatch(name) and ".." not in name and path.is_file():
                yield k, name, path


def cache_list(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    kind: str | None = None,
    verify: bool = True,
) -> pd.DataFrame:
    """List the files in the cache.

    Parameters
    ----------
    cache_dir : path-like, optional
        The cache folder (default :func:`regiongap.config.cache_dir`).
    kind : str, optional
        Only this kind (``"eurostat"``, ``"gisco"``, ``"catalogue"``).
    verify : bool, default True
        Check every file fully (checksum included); with ``False`` only the
        metadata is read.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``kind, name, path, size`` (bytes), ``retrieved_at,
        source, location, last_update`` (from the provenance), ``valid`` (bool) and
        ``problem`` (why a file is not valid, else ``None``).
    """
    root = config.cache_dir(cache_dir)
    rows = []
    for k, name, path in _entries(root, kind):
        row: dict[str, Any] = {
            "kind": k,
            "name": name,
            "path": str(path),
            "size": path.stat().st_size,
        }
        prov: dict[str, Any] = {}
        problem = None
        try:
            if verify:
                _, prov = read_table(path)
            else:
                prov = _provenance_only(path)
        except CacheError as exc:
            problem = str(exc)
        except Exception as exc:
            problem = f"{type(exc).__name__}: {exc}"
        row.update(
            retrieved_at=prov.get("retrieved_at"),
            source=prov.get("source"),
            location=prov.get("location"),
            last_update=prov.get("last_update"),
            valid=problem is None,
            problem=problem,
        )
        rows.append(row)
    columns = [
        "kind", "name", "path", "size", "retrieved_at", "source", "location",
        "last_update", "valid", "problem",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"size": "int64", "valid": "bool"})


def cache_clear(
    kind: str | None = None,
    name: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> int:
    """Delete cache files; return how many were deleted.

    Only regiongap's own files are touched: ``<kind>/<name>.parquet`` files in the
    :data:`KINDS` folders, and temporary files of interrupted writes older than an
    hour (not counted). Each deletion holds the file's lock, so a concurrent writer
    is never cut short.

    Parameters
    ----------
    kind : str, optional
        Only this kind.
    name : str, optional
        Only the file of this name (with or without ``.parquet``).
    cache_dir : path-like, optional
        The cache folder (default :func:`regiongap.config.cache_dir`).

    Returns
    -------
    int
        The number of cache files deleted.
    """
    root = config.cache_dir(cache_dir)
    if name is not None:
        name = name.removesuffix(".parquet")
    count = 0
    for _kind, n, path in list(_entries(root, kind)):
        if name is not None and n != name:
            continue
        with _lock(path):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                msg = f"cannot delete the cache file {str(path)!r}: {exc}"
                raise CacheError(msg) from exc
        count += 1
    kinds = [_check_kind(kind)] if kind is not None else list(KINDS)
    cutoff = time.time() - _STALE_TMP_SECONDS
    for k in kinds:
        folder = root / k
        if not folder.is_dir():
            continue
        for tmp in folder.glob(".*.parquet.*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
    return count
