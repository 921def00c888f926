"""How every loader uses the cache: a damaged entry or a failed write is a warning.

:mod:`regiongap.cache.store` raises :class:`~regiongap.errors.CacheError` for any
problem with a file; the loaders (datasets, boundaries, points, the table of
contents) all follow one policy on top of it: a damaged entry is fetched again, and
fresh data that cannot be kept is returned all the same, each with a
:class:`RuntimeWarning`.

Every read verifies the whole file; the frame made from it is kept in memory
(:mod:`regiongap.load._memo`), so a later read of the same verified bytes in the
same process skips decoding them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from regiongap.cache.store import read_checked, write_table
from regiongap.errors import CacheError
from regiongap.load._memo import forget, recall, remember

__all__ = ["read_or_warn", "write_or_warn"]

T = TypeVar("T")


def read_or_warn(
    path: Path,
    convert: Callable[[pa.Table, dict[str, Any]], T],
    *,
    again: str,
    stacklevel: int = 3,
) -> tuple[T, dict[str, Any]] | None:
    """Read, verify and *convert* the cache entry at *path*; ``None`` when unusable.

    The one policy every cached source follows: an absent entry is ``None``; a
    damaged one (:func:`~regiongap.cache.store.read_table` or *convert* raised
    :class:`CacheError`) or something other than a file where the entry belongs
    (a folder, a dangling link — never deleted, it may hold someone's files) is
    ``None`` with a :class:`RuntimeWarning` ending in *again* (e.g. ``"fetching …
    again"``). A damaged entry is never returned as data.

    Parameters
    ----------
    path : pathlib.Path
        The cache file.
    convert : callable
        ``convert(table, provenance)`` gives the data to return; it raises
        :class:`CacheError` when the table does not hold what it expects.
    again : str
        What the caller does instead, ending the warning.
    stacklevel : int, default 3
        As for :func:`warnings.warn`, counted from here (3: the caller of the
        function that calls this one).

    Returns
    -------
    tuple or None
        ``(converted data, provenance)``, or ``None``.

    Examples
    --------
    >>> print(read_or_warn(Path("no/such.parquet"), lambda t, _: t, again="again"))
    None
    """
    if path.is_file():
        try:
            checked = read_checked(path)
            provenance = checked.provenance
            digest = checked.file_sha256
            kept = recall(path, digest)
            if kept is not None:
                return kept, provenance
            data = convert(checked.table(), provenance)
        except CacheError as exc:
            forget(path)
            warnings.warn(f"{exc}; {again}", RuntimeWarning, stacklevel=stacklevel)
            return None
        remember(path, digest, data)
        return data, provenance
    forget(path)
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
    keep: object = None,
) -> dict[str, Any] | None:
    """Write a cache entry; a failed write is a :class:`RuntimeWarning`, not an error.

    :func:`~regiongap.cache.store.write_table` for fresh data that is sound and
    only could not be kept (a folder in the way, disk full, no permission): the
    caller returns it all the same, and the warning ends in *instead* (e.g.
    ``"returning … without caching it"``).

    Parameters
    ----------
    path : pathlib.Path
        The cache file.
    table : pyarrow.Table
        The data.
    provenance : Mapping
        As for :func:`~regiongap.cache.store.write_table`.
    instead : str
        What the caller does instead, ending the warning.
    stacklevel : int, default 3
        As in :func:`read_or_warn`.
    keep : object, optional
        The frame the table was made from, kept in memory for the next read of
        this entry (:mod:`regiongap.load._memo`) once it is written.

    Returns
    -------
    dict or None
        The provenance as stored, or ``None`` when the entry was not written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     stored = write_or_warn(Path(folder, "a.parquet"), pa.table({"x": [1]}),
    ...                            {}, instead="going on without it")
    >>> sorted(stored)[:2], stored["schema_version"]
    (['content_sha256', 'file_sha256'], 1)
    """
    forget(path)
    try:
        stored = write_table(path, table, provenance)
    except CacheError as exc:
        warnings.warn(f"{exc}; {instead}", RuntimeWarning, stacklevel=stacklevel)
        return None
    if keep is not None:
        remember(path, stored["file_sha256"], keep)
    return stored
