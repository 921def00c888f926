"""What every source shares: finding and reading a file in the mirror folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from regiongap.errors import SourceError

__all__ = ["Origin", "find_file", "read_file", "utc_now"]

#: Where raw bytes came from: the mirror folder or the live API.
Origin = Literal["mirror", "api"]


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
