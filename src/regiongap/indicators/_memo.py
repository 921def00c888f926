"""A built panel kept, keyed by everything it was built from: the warm path.

Building a panel reads every source from the cache and lines the values up
(0.7 s for the NUTS 2 panel); when nothing it depends on has changed, the same
frame comes back from memory, or from ``<data dir>/processed/panels/`` in a new
process. The key is a SHA-256 checksum of the arguments, the regiongap version,
the indicator, geography and package-data files, and the state (name, size,
modification time) of every file in the cache's ``eurostat`` and ``gisco``
folders and in the mirror's ``eurostat``, ``services`` and ``geo`` folders, and
of the offline setting: a new download, a refreshed or deleted cache file, a new
mirror file or an edited catalogue gives a new key, and the panel is built
again. A panel in which an indicator could not be loaded while the network was
allowed is not kept (the next call may load it). Writes are atomic
(:func:`regiongap.cache.store.atomic_write`); a damaged file is ignored; the 32
newest files are kept.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regiongap import config
from regiongap._version import VERSION
from regiongap.cache.store import atomic_write
from regiongap.indicators._sources import Sources

__all__ = ["PanelKey", "forget", "remember", "remembered"]

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_FOLDERS = ("indicators", "geo", "data", "data/nuts")
_CACHE_FOLDERS = ("eurostat", "gisco")
_MIRROR_FOLDERS = ("eurostat", "services", "geo")
# digest -> (the panel without attrs, its attrs as JSON text, or as they are)
_MEMORY: OrderedDict[str, tuple[pd.DataFrame, str | dict[Any, Any]]] = OrderedDict()
_MEMORY_SIZE = 16
_FILES_KEPT = 32
_ATTRS_KEY = b"regiongap.panel.attrs"


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    """``(name, size, mtime_ns)`` of the files of *folder* (empty when absent)."""
    try:
        with os.scandir(folder) as found:
            files = [(e.name, e.stat()) for e in found if e.is_file()]
    except OSError:
        return []
    return sorted((name, st.st_size, st.st_mtime_ns) for name, st in files)


def _state(sources: Sources) -> dict[str, Any]:
    """Describe the panel's sources: stat data of their folders."""
    cache = config.cache_dir()
    mirror = config.mirror_dir(sources.mirror)
    return {
        "cache": str(cache),
        "cached": {f: _listing(cache / f) for f in _CACHE_FOLDERS},
        "mirror": None if mirror is None else str(mirror),
        "mirrored": {}
        if mirror is None
        else {f: _listing(mirror / f) for f in _MIRROR_FOLDERS},
        "offline": config.is_offline(sources.offline),
    }


@dataclass(frozen=True)
class PanelKey:
    """The checksum a built panel is kept under, and what it is made of.

    Examples
    --------
    >>> sources = Sources(mirror=None, offline=True, refresh=False)
    >>> a = PanelKey.make(["population"], {"year": 2019}, sources)
    >>> b = PanelKey.make(["population"], {"year": 2020}, sources)
    >>> len(a.digest), a.digest == b.digest
    (64, False)
    """

    digest: str
    material: str

    @classmethod
    def make(
        cls, ids: list[str], options: dict[str, Any], sources: Sources
    ) -> PanelKey:
        """Key of a panel of *ids* with *options*, from *sources* as they are now."""
        material = json.dumps(
            {
                "ids": ids,
                "options": options,
                "version": VERSION,
                "code": {f: _listing(_PACKAGE / f) for f in _CODE_FOLDERS},
                "sources": _state(sources),
            },
            sort_keys=True,
            default=str,
        )
        return cls(hashlib.sha256(material.encode()).hexdigest(), material)

    def again(self, sources: Sources) -> PanelKey:
        """Return the same key with the sources' state read again (after a build)."""
        material = json.loads(self.material)
        return PanelKey.make(material["ids"], material["options"], sources)


def _path(key: PanelKey) -> Path:
    return config.processed_dir() / "panels" / f"{key.digest}.parquet"


def _copy(kept: tuple[pd.DataFrame, str | dict[Any, Any]]) -> pd.DataFrame:
    """Return a new panel from a kept one (attrs from JSON: faster than a copy)."""
    frame, attrs = kept
    out = frame.copy(deep=True)
    out.attrs = json.loads(attrs) if isinstance(attrs, str) else copy.deepcopy(attrs)
    return out


def _attrs_text(attrs: dict[Any, Any]) -> str | None:
    """Return the attrs as JSON, if JSON gives them back exactly."""
    try:
        text = json.dumps(attrs)
    except (TypeError, ValueError):
        return None
    return text if json.loads(text) == attrs else None


def _from_disk(path: Path) -> tuple[pd.DataFrame, str] | None:
    try:
        table = pq.read_table(path)
        text = (table.schema.metadata or {})[_ATTRS_KEY].decode()
        json.loads(text)
        frame = table.to_pandas()
    except (OSError, KeyError, ValueError, pa.ArrowException):
        return None  # absent or damaged: the panel is built again
    return frame, text


def remembered(key: PanelKey) -> pd.DataFrame | None:
    """Return a copy of the panel kept under *key*, or None.

    Parameters
    ----------
    key : PanelKey
        The panel's key.

    Returns
    -------
    pandas.DataFrame or None
        The panel, from memory or from its file.

    Examples
    --------
    >>> sources = Sources(mirror=None, offline=True, refresh=False)
    >>> remembered(PanelKey.make(["nothing yet"], {}, sources)) is None
    True
    """
    if key.digest in _MEMORY:
        _MEMORY.move_to_end(key.digest)
        return _copy(_MEMORY[key.digest])
    kept = _from_disk(_path(key))
    if kept is None:
        return None
    _keep_in_memory(key, kept)
    return _copy(kept)


def _keep_in_memory(
    key: PanelKey, kept: tuple[pd.DataFrame, str | dict[Any, Any]]
) -> None:
    _MEMORY[key.digest] = kept
    while len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)


def remember(key: PanelKey, frame: pd.DataFrame, sources: Sources) -> None:
    """Keep a freshly built panel under its key (read again after the build).

    Parameters
    ----------
    key : PanelKey
        The key made before the build.
    frame : pandas.DataFrame
        The panel (before membership columns are added).
    sources : Sources
        Its sources, whose state is read again: the build may have filled the
        cache.

    Examples
    --------
    >>> sources = Sources(mirror=None, offline=True, refresh=False)
    >>> frame = pd.DataFrame({"x": [1.0]}, index=pd.Index(["AT11"], name="geo"))
    >>> frame.attrs["panel"] = {"unavailable": {}}
    >>> key = PanelKey.make(["x"], {"example": True}, sources)
    >>> remember(key, frame, sources)
    >>> remembered(key.again(sources)).equals(frame)
    True
    """
    online = not config.is_offline(sources.offline)
    if online and frame.attrs.get("panel", {}).get("unavailable"):
        return
    key = key.again(sources)
    attrs = dict(frame.attrs)
    bare = frame.copy(deep=False)
    bare.attrs = {}
    bare = bare.copy(deep=True)  # the caller's frame may change: keep a copy
    text = _attrs_text(attrs)
    _keep_in_memory(key, (bare, text if text is not None else copy.deepcopy(attrs)))
    if text is None:
        return  # attributes JSON cannot hold exactly: kept in memory only
    table = pa.Table.from_pandas(bare, preserve_index=True)
    metadata = dict(table.schema.metadata or {})
    metadata[_ATTRS_KEY] = text.encode()
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer)
    try:
        atomic_write(_path(key), buffer.getvalue())
    except OSError:
        return  # kept in memory; a folder that cannot be written costs speed only
    _prune(_path(key).parent)


def _prune(folder: Path) -> None:
    """Keep the newest :data:`_FILES_KEPT` panel files (older keys are stale)."""
    try:
        files = sorted(folder.glob("*.parquet"), key=lambda f: f.stat().st_mtime_ns)
        for old in files[:-_FILES_KEPT]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # another process pruned first: nothing is lost


def forget() -> None:
    """Drop the panels kept in memory (their files stay, keyed by their sources).

    Examples
    --------
    >>> forget()
    >>> len(_MEMORY)
    0
    """
    _MEMORY.clear()
