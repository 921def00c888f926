"""How every loader uses the cache: a damaged entry or a failed write is a warning.

:mod:`regiongap.cache.store` raises :class:`~regiongap.errors.CacheError` for any
problem with a file; the loaders (datasets, boundaries, the table of contents) all
follow one policy on top of it: a damaged entry is fetched again, and fresh data
that cannot be kept is returned all the same, each with a :class:`RuntimeWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from regiongap.cache.store import read_table, write_table
from regiongap.errors import CacheError

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

    Returns
    -------
    bool
        Whether the entry was written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_or_warn(Path(folder, "a.parquet"), pa.table({"x": [1]}), {},
    ...                   instead="going on without it")
    True
    """
    try:
        write_table(path, table, provenance)
    except CacheError as exc:
        warnings.warn(f"{exc}; {instead}", RuntimeWarning, stacklevel=stacklevel)
        return False
    return True
