"""The one atomic writer of regiongap, and the Parquet cache's files with provenance.

:func:`atomic_write` writes any file whole or not at all (the reports use it);
:func:`write_table` and :func:`read_table` keep downloaded data in the cache.

Layout: ``<cache dir>/<kind>/<name>.parquet`` where the cache dir is the argument,
else ``config.cache_dir()`` (``<REGIONGAP_DATA_DIR>/raw``), and *kind* is one of
:data:`KINDS` (``"eurostat"`` datasets, ``"gisco"`` boundaries, ``"toc"``
Eurostat's table of contents and code labels).

Every cache file carries, in its Parquet key-value metadata under ``b"regiongap"``
(next to whatever the table already had, e.g. ``b"pandas"`` or GeoParquet's
``b"geo"``), a JSON object with the caller's provenance (dataset, source, location,
retrieved_at, sha256 of the raw bytes, last_update, …) plus:

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

Writes are atomic: the bytes go to a temporary file in the same folder (created
with the permissions of any new file, i.e. the umask's), which is flushed and
fsync'ed, then moved over the target with :func:`os.replace`. Cache writes also
hold a :mod:`filelock` lock on the target (lock files are hidden
``.<name>.parquet.lock`` files beside it, kept so that waiting processes always
lock the same file), so they are safe between processes. A reader never sees a
half-written file, and a process killed mid-write leaves the previous file intact
(plus at most a temporary file, which :func:`~regiongap.cache.contents.cache_clear`
removes once it is an hour old).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from regiongap import config
from regiongap._version import VERSION
from regiongap.cache._parquet import HashingWriter, write_options
from regiongap.cache._verify import CheckedFile, check
from regiongap.errors import CacheError, SchemaError

__all__ = [
    "KINDS",
    "METADATA_KEY",
    "SCHEMA_VERSION",
    "CheckedFile",
    "Kind",
    "atomic_write",
    "cache_path",
    "check_kind",
    "locked",
    "read_checked",
    "read_table",
    "write_table",
]

#: Version of the cache layout and provenance; files with another one are refused.
SCHEMA_VERSION = 1
#: Parquet key-value metadata key holding the provenance JSON.
METADATA_KEY = b"regiongap"
#: A sub-folder of the cache, one per source.
Kind = Literal["eurostat", "gisco", "toc"]
#: Sub-folders of the cache, one per source.
KINDS: tuple[Kind, ...] = ("eurostat", "gisco", "toc")

_NAME = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_$.\-]{0,127}$")
#: seconds a writer waits for another process's lock before giving up
_LOCK_TIMEOUT = 600.0


def check_kind(kind: object) -> Kind:
    """Return *kind* if it is one of :data:`KINDS`, else raise.

    Parameters
    ----------
    kind : object
        What the caller passed as a cache kind.

    Returns
    -------
    str
        *kind*, unchanged.

    Raises
    ------
    SchemaError
        Naming the kind and the kinds allowed.

    Examples
    --------
    >>> check_kind("toc")
    'toc'
    >>> check_kind("catalogue")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: unknown cache kind 'catalogue'; use one of eurostat, gisco, toc
    """  # noqa: E501  (a doctest's expected output is one line)
    for known in KINDS:
        if kind == known:
            return known
    msg = f"unknown cache kind {kind!r}; use one of {', '.join(KINDS)}"
    raise SchemaError(msg)


def cache_path(
    kind: Kind, name: str, cache_dir: str | os.PathLike[str] | None = None
) -> Path:
    """Return the cache file of *name* in the *kind* folder.

    Parameters
    ----------
    kind : {"eurostat", "gisco", "toc"}
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

    Examples
    --------
    >>> cache_path("eurostat", "nama_10r_3gdp", "/srv/cache").as_posix()
    '/srv/cache/eurostat/nama_10r_3gdp.parquet'
    """
    check_kind(kind)
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        msg = (
            f"cache name {name!r} is not allowed; use letters, digits and _ $ . - "
            "(not starting with a dot, no '..', at most 128 characters)"
        )
        raise SchemaError(msg)
    return config.cache_dir(cache_dir) / kind / f"{name}.parquet"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the inter-process lock of the cache file *path* (``.<name>.lock``).

    Parameters
    ----------
    path : pathlib.Path
        The cache file; its folder must exist.

    Yields
    ------
    None
        While the lock is held.

    Raises
    ------
    CacheError
        If another process holds the lock for more than ten minutes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with locked(Path(folder, "x.parquet")):
    ...         sorted(p.name for p in Path(folder).iterdir())
    ['.x.parquet.lock']
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=_LOCK_TIMEOUT)
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


@contextlib.contextmanager
def _replaced_atomically(path: Path) -> Iterator[BinaryIO]:
    """Yield a new temporary file beside *path*; on success it replaces *path*.

    The temporary file is opened with ``O_EXCL`` and mode 0o666, so the umask
    gives it the permissions of any new file. After the block it is flushed,
    fsync'ed and renamed over *path* (then the folder is fsync'ed); if anything
    fails it is deleted and *path* is left as it was.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as raw:
            yield raw
            raw.flush()
            os.fsync(raw.fileno())
        tmp.replace(path)  # atomic rename (os.replace)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
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


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write *data* to *path* whole or not at all.

    The bytes go to a temporary file in the same folder, which is flushed,
    fsync'ed and renamed over *path*: a reader sees the old file or the new one,
    never a part, and a failure (or a killed process) leaves the old file as it
    was. The new file gets the permissions of any new file (the umask's).

    Parameters
    ----------
    path : path-like
        The file to write; its folder is created when missing.
    data : bytes or str
        The content; text is written as UTF-8.

    Raises
    ------
    SchemaError
        If *data* is neither bytes nor text.
    OSError
        If the folder or the file cannot be written (disk full, no
        permission); no temporary file is left behind.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = Path(folder, "reports", "index.html")
    ...     atomic_write(page, "<p>whole or not at all</p>")
    ...     page.read_text(encoding="utf-8")
    '<p>whole or not at all</p>'
    """
    if isinstance(data, str):
        content = data.encode("utf-8")
    elif isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
    else:
        msg = f"atomic_write needs bytes or str, not {type(data).__name__}"
        raise SchemaError(msg)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _replaced_atomically(target) as raw:
        raw.write(content)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _record(path: Path, table: object, provenance: object) -> dict[str, Any]:
    """Check *table* and *provenance*; return the provenance record to store."""
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
        schema_version=SCHEMA_VERSION, regiongap_version=VERSION, written_at=_now()
    )
    return record


def _write_parquet(raw: BinaryIO, table: pa.Table, record: dict[str, Any]) -> str:
    """Write the Parquet file; return the SHA-256 of all its bytes."""
    sink = HashingWriter(raw)
    writer = pq.ParquetWriter(sink, table.schema, **write_options(table.schema))
    try:
        writer.write_table(table)
        # every column chunk is in the file now; only the footer follows, and it
        # carries the digest of what came before it
        record["content_sha256"] = sink.digest.hexdigest()
        writer.add_key_value_metadata(
            {METADATA_KEY: json.dumps(record, sort_keys=True)}
        )
    finally:
        writer.close()  # also on failure, so the writer lets go
    return sink.digest.hexdigest()  # the footer went through the sink too


def write_table(
    path: str | os.PathLike[str], table: pa.Table, provenance: Mapping[str, Any]
) -> dict[str, Any]:
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

    Returns
    -------
    dict
        The provenance as stored (what :func:`read_table` gives back), and
        ``file_sha256``: the SHA-256 of the whole file as written (not stored in
        it; :attr:`CheckedFile.file_sha256` on reading).

    Raises
    ------
    SchemaError
        If *table* is not a :class:`pyarrow.Table` or *provenance* is not a
        JSON-serialisable mapping.
    CacheError
        If the file cannot be written (disk full, permissions, lock timeout). The
        previous file, if any, is left untouched.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder, "demo.parquet")
    ...     stored = write_table(path, pa.table({"value": [1.5]}), {"source": "x"})
    ...     table, provenance = read_table(path)
    ...     table["value"].to_pylist(), provenance["source"]
    ([1.5], 'x')
    """
    path = Path(path)
    record = _record(path, table, provenance)
    meta = dict(table.schema.metadata or {})
    meta.pop(METADATA_KEY, None)
    table = table.replace_schema_metadata(meta)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the cache folder {str(path.parent)!r}: {exc}"
        raise CacheError(msg) from exc
    with locked(path):
        try:
            with _replaced_atomically(path) as raw:
                file_sha256 = _write_parquet(raw, table, record)
        except (OSError, pa.ArrowException) as exc:
            msg = f"cannot write the cache file {str(path)!r}: {exc}"
            raise CacheError(msg) from exc
    return {**record, "file_sha256": file_sha256}


def read_checked(path: str | os.PathLike[str]) -> CheckedFile:
    """Read a cache file written by :func:`write_table` and verify it, undecoded.

    The whole file is read and its footer, provenance, schema version and
    content checksum are checked; decoding the table is left to
    :meth:`CheckedFile.table`, so a caller holding the data already (an
    in-memory copy with the same ``content_sha256``) can skip it.

    Parameters
    ----------
    path : path-like
        The cache file.

    Returns
    -------
    CheckedFile
        The verified bytes and provenance.

    Raises
    ------
    CacheError
        As :func:`read_table`, except for an unreadable table (found when it is
        decoded).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder, "demo.parquet")
    ...     record = write_table(path, pa.table({"value": [1.5]}), {"source": "x"})
    ...     checked = read_checked(path)
    ...     checked.file_sha256 == record["file_sha256"]
    True
    """
    return check(Path(path), key=METADATA_KEY, version=SCHEMA_VERSION)


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

    Examples
    --------
    >>> read_table("no/such/file.parquet")
    Traceback (most recent call last):
    regiongap.errors.CacheError: cannot read the cache file 'no/such/file.parquet': ...
    """
    checked = read_checked(path)
    return checked.table(), checked.provenance
