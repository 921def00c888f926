"""What every source shares: finding and reading a file in the mirror folder."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from regiongap.errors import DatasetNotFoundError, OfflineError, SourceError

__all__ = [
    "Origin",
    "RawFile",
    "find_file",
    "not_in_mirror_offline",
    "read_file",
    "utc_now",
]

#: Where raw bytes came from: the mirror folder or the live API.
Origin = Literal["mirror", "api"]


@dataclass(frozen=True)
class RawFile:
    """The bytes of a source file and where they came from.

    Attributes
    ----------
    name : str
        The file stem (e.g. ``NUTS_RG_20M_2021_4326_LEVL_2``).
    content : bytes
        The file as read or downloaded (gzip or plain).
    source : {"mirror", "api"}
        Where it came from.
    location : str
        The mirror file path or the URL.
    retrieved_at : str
        ISO 8601 UTC time of retrieval.
    """

    name: str
    content: bytes = field(repr=False)
    source: Origin
    location: str
    retrieved_at: str

    @property
    def sha256(self) -> str:
        """SHA-256 of :attr:`content`, hex."""
        return hashlib.sha256(self.content).hexdigest()

    def provenance(self, dataset: str | None = None) -> dict[str, str]:
        """Return where the bytes came from, as caches and frames record it.

        Parameters
        ----------
        dataset : str, optional
            What the bytes are recorded as (default :attr:`name`), e.g. one
            level's boundaries read from the file of all levels.

        Returns
        -------
        dict
            ``dataset, source, location, retrieved_at, sha256``.
        """
        return {
            "dataset": self.name if dataset is None else dataset,
            "source": self.source,
            "location": self.location,
            "retrieved_at": self.retrieved_at,
            "sha256": self.sha256,
        }


def utc_now() -> str:
    """Return the retrieval time recorded with raw bytes (ISO 8601 UTC, seconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def find_file(folder: Path, stem: str, suffixes: Iterable[str]) -> Path | None:
    """Return the first ``folder/{stem}{suffix}`` that is a file (*suffixes* order)."""
    for suffix in suffixes:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def read_file(path: Path, what: str) -> bytes:
    """Read a mirror file; an unreadable one is a SourceError naming *what*."""
    try:
        return path.read_bytes()
    except OSError as exc:
        msg = f"cannot read {what} from the mirror file {path}: {exc}"
        raise SourceError(msg) from exc


def not_in_mirror_offline(
    what: str,
    folder: Path | None,
    looked: str,
    listing: Callable[[Path], list[str]],
) -> SourceError:
    """Return the error for a file the mirror lacks while the network is off.

    Without a mirror: :class:`OfflineError`. With one: :class:`DatasetNotFoundError`
    naming where it *looked* and what the mirror has (``listing(folder)``).
    """
    if folder is None:
        msg = (
            f"{what} is not cached, no mirror is set (REGIONGAP_MIRROR) and the "
            "network is off (REGIONGAP_OFFLINE); go online once or set a mirror"
        )
        return OfflineError(msg)
    msg = (
        f"{what} is not in the mirror {str(folder)!r} (looked for {looked}) and "
        f"the network is off (REGIONGAP_OFFLINE). The mirror has: "
        f"{listing(folder)}. Add the file or go online."
    )
    return DatasetNotFoundError(msg)
