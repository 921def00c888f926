"""What the cache holds: list its files, with their provenance, and clear them.

The functions behind ``regiongap cache list`` and ``regiongap cache clear``. They
touch only regiongap's own files: ``<kind>/<name>.parquet`` in the
:data:`~regiongap.cache.store.KINDS` folders, written by
:func:`~regiongap.cache.store.write_table`.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from regiongap import config
from regiongap.cache.store import (
    KINDS,
    METADATA_KEY,
    Kind,
    cache_path,
    check_kind,
    locked,
    read_table,
)
from regiongap.errors import CacheError, SchemaError

__all__ = ["cache_clear", "cache_list"]

#: an orphaned temporary file older than this is removed by cache_clear
_STALE_TMP_SECONDS = 3600.0
_COLUMNS = [
    "kind", "name", "path", "size", "retrieved_at", "source", "location",
    "last_update", "valid", "problem",
]  # fmt: skip


def _kinds(kind: Kind | None) -> list[Kind]:
    return [check_kind(kind)] if kind is not None else list(KINDS)


def _entries(root: Path, kind: Kind | None) -> Iterator[tuple[Kind, str, Path]]:
    for k in _kinds(kind):
        folder = root / k
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.parquet")):
            name = path.name[: -len(".parquet")]
            try:
                cache_path(k, name, root)  # a name regiongap could have written
            except SchemaError:
                continue
            if path.is_file():
                yield k, name, path


def _provenance_only(path: Path) -> dict[str, Any]:
    meta = pq.read_metadata(path)
    provenance: dict[str, Any] = json.loads((meta.metadata or {})[METADATA_KEY])
    return provenance


def _row(kind: Kind, name: str, path: Path, *, verify: bool) -> dict[str, Any]:
    prov: dict[str, Any] = {}
    problem = None
    try:
        prov = read_table(path)[1] if verify else _provenance_only(path)
    except CacheError as exc:
        problem = str(exc)
    except Exception as exc:  # a listing reports any unreadable file, never fails
        problem = f"{type(exc).__name__}: {exc}"
    return {
        "kind": kind,
        "name": name,
        "path": str(path),
        "size": path.stat().st_size,
        "retrieved_at": prov.get("retrieved_at"),
        "source": prov.get("source"),
        "location": prov.get("location"),
        "last_update": prov.get("last_update"),
        "valid": problem is None,
        "problem": problem,
    }


def cache_list(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    kind: Kind | None = None,
    verify: bool = True,
) -> pd.DataFrame:
    """List the files in the cache.

    Parameters
    ----------
    cache_dir : path-like, optional
        The cache folder (default :func:`regiongap.config.cache_dir`).
    kind : {"eurostat", "gisco", "toc"}, optional
        Only this kind.
    verify : bool, default True
        Check every file fully (checksum included); with ``False`` only the
        metadata is read.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``kind, name, path, size`` (bytes), ``retrieved_at,
        source, location, last_update`` (from the provenance), ``valid`` (bool) and
        ``problem`` (why a file is not valid, else ``None``).

    Raises
    ------
    SchemaError
        For an unknown *kind*.

    Examples
    --------
    >>> import regiongap as rg
    >>> area = rg.fetch_dataset("reg_area3")  # from the mirror, kept in the cache
    >>> rg.cache_list(kind="eurostat")[["kind", "name", "source", "valid"]]
           kind       name  source  valid
    0  eurostat  reg_area3  mirror   True
    """
    root = config.cache_dir(cache_dir)
    rows = [
        _row(k, name, path, verify=verify) for k, name, path in _entries(root, kind)
    ]
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame.astype({"size": "int64", "valid": "bool"})


def _remove_stale_temporaries(root: Path, kind: Kind | None) -> None:
    """Delete temporary files of interrupted writes once they are an hour old."""
    cutoff = time.time() - _STALE_TMP_SECONDS
    for k in _kinds(kind):
        folder = root / k
        if not folder.is_dir():
            continue
        # named as cache.store names them: .<name>.parquet.<random>.tmp
        for tmp in folder.glob(".*.parquet.*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()


def cache_clear(
    kind: Kind | None = None,
    name: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> int:
    """Delete cache files; return how many were deleted.

    Only regiongap's own files are touched: ``<kind>/<name>.parquet`` files in the
    :data:`~regiongap.cache.store.KINDS` folders, and temporary files of
    interrupted writes older than an hour (not counted). Each deletion holds the
    file's lock, so a concurrent writer is never cut short.

    Parameters
    ----------
    kind : {"eurostat", "gisco", "toc"}, optional
        Only this kind.
    name : str, optional
        Only the file of this name (with or without ``.parquet``).
    cache_dir : path-like, optional
        The cache folder (default :func:`regiongap.config.cache_dir`).

    Returns
    -------
    int
        The number of cache files deleted.

    Raises
    ------
    SchemaError
        For an unknown *kind*.
    CacheError
        If a cache file cannot be deleted.

    Examples
    --------
    >>> import regiongap as rg
    >>> area = rg.fetch_dataset("reg_area3")  # from the mirror, kept in the cache
    >>> rg.cache_clear(kind="eurostat", name="reg_area3")
    1
    >>> rg.cache_clear(kind="eurostat", name="reg_area3")
    0
    """
    root = config.cache_dir(cache_dir)
    if name is not None:
        name = name.removesuffix(".parquet")
    count = 0
    for _kind, n, path in list(_entries(root, kind)):
        if name is not None and n != name:
            continue
        with locked(path):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                msg = f"cannot delete the cache file {str(path)!r}: {exc}"
                raise CacheError(msg) from exc
        count += 1
    _remove_stale_temporaries(root, kind)
    return count
