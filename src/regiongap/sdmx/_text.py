"""Bytes → text for the SDMX parsers: gunzip, BOM, header line, format sniffing."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import cast

from isal import igzip
from isal.igzip_lib import IsalError

from regiongap.errors import ParseError

GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_SHOWN_BYTES = 80
MAX_LISTED = 10
#: what inflating a damaged gzip stream raises (isal's stub declares ``IsalError``
#: as an exception instance, so it is cast back to the class it is)
_GZIP_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    zlib.error,
    cast("type[Exception]", IsalError),
)


def show(raw: bytes) -> str:
    """Render the first bytes of *raw* for an error message."""
    more = "…" if len(raw) > _SHOWN_BYTES else ""
    return f"{raw[:_SHOWN_BYTES]!r}{more}"


def listing(items: Sequence[object], limit: int = MAX_LISTED) -> str:
    """Render up to *limit* items for an error message, saying how many were left."""
    shown = ", ".join(repr(x) for x in items[:limit])
    more = len(items) - limit
    return shown + (f" … and {more} more" if more > 0 else "")


def decompress(raw: bytes, name: str) -> bytes:
    """Gunzip *raw* when it starts with the gzip magic bytes; strip a UTF-8 BOM."""
    if raw[:2] == GZIP_MAGIC:
        # ISA-L's inflate gives the same bytes as the stdlib's zlib 2–3× faster
        # (benchmarks/RESULTS.md); decompression was a third of every parse
        try:
            raw = igzip.decompress(raw)
        except _GZIP_ERRORS as exc:
            msg = f"{name}: truncated or corrupt gzip data ({exc})"
            raise ParseError(msg) from exc
    return raw[3:] if raw[:3] == _BOM else raw


def check_utf8(text: bytes, name: str) -> None:
    """Raise ParseError naming the line of the first byte that is not UTF-8."""
    if text.isascii():  # fast path: C loop, no copy
        return
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text.count(b"\n", 0, exc.start) + 1
        bad = text[exc.start : exc.start + 4]
        msg = (
            f"{name}: the content is not valid UTF-8: byte(s) {bad!r} at offset "
            f"{exc.start} (line {line})"
        )
        raise ParseError(msg) from exc


def head_text(raw: bytes, limit: int = 64 * 1024) -> bytes:
    """Return the first *limit* bytes of the content, gunzipped, without the BOM."""
    if raw[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(wbits=31).decompress(raw, limit)
        except zlib.error:
            head = raw[:limit]
    else:
        head = raw[:limit]
    return head[3:] if head[:3] == _BOM else head


def first_line(text: bytes, name: str) -> tuple[str, int]:
    """Return the decoded header line (no line break) and where the body starts."""
    end = text.find(b"\n")
    line = text if end < 0 else text[:end]
    body_start = len(text) if end < 0 else end + 1
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_sdmx(name, text) from exc
    return decoded.rstrip("\r"), body_start


def sniff_header(header: str) -> str | None:
    """Return the format named by a header line, or None if it is not SDMX."""
    if header.startswith(("DATAFLOW,", '"DATAFLOW",')):
        return "csv"
    if header.startswith(("STRUCTURE,", '"STRUCTURE",')):
        return "csv2"
    first = header.split("\t", 1)[0]
    if "\t" in header and "\\" in first:
        suffix = first.rsplit("\\", 1)[1].strip()
        if suffix == "TIME_PERIOD":
            return "tsv"
        if suffix == "time":
            return "tsv-old"
    return None


def not_sdmx(name: str, raw: bytes) -> ParseError:
    """Build the error for content that is not an Eurostat SDMX file."""
    what = "empty input" if not raw.strip() else f"first bytes: {show(raw)}"
    msg = (
        f"{name}: not an Eurostat SDMX file; expected an SDMX-TSV header such as "
        "'freq,unit,geo\\TIME_PERIOD<TAB>2020 …' or 'unit,geo\\time<TAB>2021 …', or "
        "an SDMX-CSV header starting 'DATAFLOW,LAST UPDATE,…' (1.0) or "
        f"'STRUCTURE,STRUCTURE_ID,…' (2.0); got {what}"
    )
    return ParseError(msg)
