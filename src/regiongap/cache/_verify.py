"""How the store checks a cache file before anything decodes it.

Shared by :mod:`regiongap.cache.store` only: a file is read whole, its Parquet
footer and provenance parsed, its schema version and content checksum compared,
and only then may its table be decoded (:class:`CheckedFile`).
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from regiongap.errors import CacheError

__all__ = ["CheckedFile", "check", "corrupt"]

_MAGIC = b"PAR1"


def corrupt(path: Path, why: str) -> CacheError:
    """Return the error for an unusable cache file: what is wrong, what to do."""
    return CacheError(
        f"cache file {str(path)!r} is unusable: {why}; fetch the data again "
        "(refresh=True) or delete the file (regiongap cache clear)"
    )


def _footer(path: Path, data: bytes, key: bytes) -> tuple[int, dict[str, Any]]:
    """Return where the footer starts and the provenance it holds (checked)."""
    if len(data) < 12 or data[:4] != _MAGIC or data[-4:] != _MAGIC:
        raise corrupt(path, "it is not a complete Parquet file (truncated?)")
    (footer_len,) = struct.unpack("<I", data[-8:-4])
    footer_start = len(data) - 8 - footer_len
    if footer_start < 4:
        raise corrupt(path, "its Parquet footer length is impossible")
    try:
        meta = pq.read_metadata(pa.BufferReader(pa.py_buffer(data)))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise corrupt(path, f"its Parquet footer is unreadable ({exc})") from exc
    raw = (meta.metadata or {}).get(key)
    if raw is None:
        raise corrupt(path, "it has no regiongap provenance")
    try:
        provenance = json.loads(raw)
    except ValueError as exc:
        raise corrupt(path, f"its provenance is not valid JSON ({exc})") from exc
    if not isinstance(provenance, dict):
        raise corrupt(path, "its provenance is not a JSON object")
    return footer_start, provenance


@dataclass(frozen=True)
class CheckedFile:
    """A cache file read whole and verified; its table is decoded on demand.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    data : bytes
        Its bytes, whose content checksum matched.
    provenance : dict
        The provenance stored with it (``content_sha256`` included).
    file_sha256 : str
        SHA-256 of the whole file, footer included: equal digests, equal files.
    key : bytes
        The Parquet metadata key of the provenance (left out of the table).
    """

    path: Path
    data: bytes = field(repr=False)
    provenance: dict[str, Any]
    file_sha256: str
    key: bytes = field(repr=False)

    def table(self) -> pa.Table:
        """Decode the table, its schema metadata without the provenance entry."""
        try:
            table = pq.read_table(pa.BufferReader(pa.py_buffer(self.data)))
        except (pa.ArrowException, OSError, ValueError) as exc:
            msg = f"its Parquet data is unreadable ({exc})"
            raise corrupt(self.path, msg) from exc
        schema_meta = dict(table.schema.metadata or {})
        schema_meta.pop(self.key, None)
        return table.replace_schema_metadata(schema_meta or None)


def check(path: Path, *, key: bytes, version: int) -> CheckedFile:
    """Read *path* and verify footer, provenance, schema version and checksum."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the cache file {str(path)!r}: {exc}"
        raise CacheError(msg) from exc
    footer_start, provenance = _footer(path, data, key)
    stored_version = provenance.get("schema_version")
    if stored_version != version:
        raise corrupt(
            path,
            f"it was written with cache schema version {stored_version!r}, this "
            f"regiongap reads version {version}",
        )
    expected = provenance.get("content_sha256")
    view = memoryview(data)
    digest = hashlib.sha256(view[:footer_start])  # one pass over the bytes:
    actual = digest.hexdigest()
    digest.update(view[footer_start:])  # ... the footer completes the file's digest
    if expected != actual:
        raise corrupt(
            path,
            f"its content checksum does not match (stored {expected!r}, "
            f"computed {actual!r})",
        )
    return CheckedFile(path, data, provenance, digest.hexdigest(), key)
