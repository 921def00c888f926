"""What the loaders keep in memory: frames of cache files already verified.

A warm load reads its cache file whole and verifies it (footer, provenance, content
checksum: :func:`regiongap.cache.store.read_checked`) every time; what it may skip
is decoding the table again when this process already holds the frame made from a
file with the same path *and* the same SHA-256 of all its bytes (computed in the
same pass as the content checksum). Any change of the file (a refresh by another
process, damage, a rewritten footer, deletion) changes that digest or fails the
check, so a frame is never returned for bytes other than the ones it was made
from.

Each caller gets its own shallow copy (pandas' copy-on-write keeps the kept frame
unchanged whatever the caller does) with deep-copied ``attrs``. At most
:func:`regiongap.config.memory_cache_bytes` are kept (``REGIONGAP_MEMORY_CACHE``,
default 1 GiB; ``0`` keeps nothing), least recently used first out.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from regiongap import config

__all__ = ["forget", "recall", "remember"]

T = TypeVar("T")

_lock = threading.Lock()
#: path -> (SHA-256 of the whole file, frame, size in bytes)
_kept: OrderedDict[Path, tuple[str, Any, int]] = OrderedDict()


def _copy(frame: T) -> T:
    """Return a shallow copy with its own ``attrs`` (other objects as they are)."""
    if not isinstance(frame, pd.DataFrame):
        return frame
    out = frame.copy(deep=False)
    out.attrs = copy.deepcopy(frame.attrs)
    return out


def _size(frame: object) -> int:
    if isinstance(frame, pd.DataFrame):
        return int(frame.memory_usage(index=True, deep=False).sum())
    return 0


def remember(path: Path, digest: str | None, frame: object) -> None:
    """Keep (a copy of) *frame*, made from the file *path* whose content is *digest*.

    Parameters
    ----------
    path : pathlib.Path
        The cache file.
    digest : str or None
        The SHA-256 of the whole file; nothing is kept without one.
    frame : object
        What the loader returns for it (a DataFrame or GeoDataFrame).

    Examples
    --------
    >>> frame = pd.DataFrame({"value": [1.0]})
    >>> remember(Path("memo-demo.parquet"), "abc", frame)
    >>> recall(Path("memo-demo.parquet"), "abc").equals(frame)
    True
    >>> forget(Path("memo-demo.parquet"))
    """
    limit = config.memory_cache_bytes()
    size = _size(frame)
    if digest is None or size > limit:
        forget(path)
        return
    with _lock:
        _kept.pop(path, None)
        _kept[path] = (digest, _copy(frame), size)
        total = sum(entry[2] for entry in _kept.values())
        while total > limit and _kept:
            _, (_, _, freed) = _kept.popitem(last=False)
            total -= freed


def recall(path: Path, digest: str | None) -> Any:
    """Return a copy of the frame kept for *path*, if it was made from *digest*.

    Parameters
    ----------
    path : pathlib.Path
        The cache file.
    digest : str or None
        The SHA-256 of the whole file as it is now (just verified).

    Returns
    -------
    object or None
        A copy of the kept frame, or ``None`` (another content: the entry is
        dropped).

    Examples
    --------
    >>> print(recall(Path("never-kept.parquet"), "abc"))
    None
    """
    if config.memory_cache_bytes() <= 0:  # turned off since it was kept
        forget(path)
        return None
    with _lock:
        entry = _kept.get(path)
        if entry is None:
            return None
        if entry[0] != digest:
            del _kept[path]
            return None
        _kept.move_to_end(path)
        frame = entry[1]
    return _copy(frame)


def forget(path: Path) -> None:
    """Drop what is kept for *path* (nothing happens when there is nothing).

    Parameters
    ----------
    path : pathlib.Path
        The cache file.

    Examples
    --------
    >>> forget(Path("never-kept.parquet"))
    """
    with _lock:
        _kept.pop(path, None)
