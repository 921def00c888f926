"""``frame.attrs`` of an SDMX-CSV file: dataflow, update date, title and labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable

import numpy as np
import pyarrow as pa

from regiongap.errors import ParseError
from regiongap.sdmx._csv_header import ATTRIBUTES, CsvHeader
from regiongap.sdmx._table import encode
from regiongap.sdmx._text import listing

#: a code column's dictionary encoding: int32 codes and the distinct values
Encoded = dict[str, tuple[np.ndarray, list[str]]]

# Eurostat writes "21/02/23 23:00:00" (day/month/2-digit year); the others are
# accepted because hand-saved exports re-format the date.
_LAST_UPDATE_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M")


def frame_attrs(
    layout: CsvHeader,
    dims: list[str],
    table: pa.Table,
    encoded: Encoded,
    name: str,
) -> dict[Hashable | None, object]:
    """Return ``frame.attrs`` for either version.

    1.0 gives ``format``, ``last_update`` and ``dataflow``; 2.0 gives ``title``
    too (``STRUCTURE_NAME``) and, with label columns, ``column_labels`` (output
    column → its label column's header) and ``labels`` (output column →
    ``{code: label}``; flags included, empty labels left out).
    """

    def column(code: str) -> pa.ChunkedArray | None:
        at = layout.position.get(code)
        return None if at is None else table.column(f"c{at}")

    if layout.version == "csv":
        return {
            "format": "csv",
            "last_update": _last_update(column("LAST UPDATE"), name),
            "dataflow": _single(column("DATAFLOW"), "dataflows", name),
        }
    _single(column("STRUCTURE"), "structure types", name)
    attrs: dict[Hashable | None, object] = {
        "format": "csv2",
        "last_update": None,  # SDMX-CSV 2.0 carries no update date
        "dataflow": _single(column("STRUCTURE_ID"), "structures", name),
        "title": _single(column("STRUCTURE_NAME"), "structure names", name),
    }
    if not layout.label_of:
        return attrs
    output = {
        **dict(zip(layout.dims, dims, strict=True)),
        "TIME_PERIOD": "time",
        "OBS_VALUE": "value",
        **ATTRIBUTES,
    }
    labels: dict[str, dict[str, str]] = {}
    for code, at in layout.label_of.items():
        if code in encoded:
            found = code_labels(*encoded[code], table.column(f"c{at}"), code, name)
            if found:
                labels[output[code]] = found
    attrs["column_labels"] = {output[c]: t for c, t in layout.header_label.items()}
    attrs["labels"] = labels
    return attrs


def code_labels(
    codes: np.ndarray,
    categories: list[str],
    label_col: pa.ChunkedArray,
    column: str,
    name: str,
) -> dict[str, str]:
    """Return ``{code: label}`` from a code column and its label column.

    Empty codes and empty labels are left out. A code written with two different
    labels is a damaged file: ParseError names the code and both labels.
    """
    label_codes, texts = encode(label_col)
    if not len(codes):
        return {}
    radix = max(len(texts), 1)
    pairs = np.unique(codes.astype(np.int64) * radix + label_codes)
    code_of, label_of = np.divmod(pairs, radix)
    repeated = np.flatnonzero(np.diff(code_of) == 0)
    if len(repeated):
        clash = int(code_of[repeated[0]])
        both = [texts[int(t)] for t in label_of[code_of == clash]]
        msg = (
            f"{name}: code {categories[clash]!r} of {column} has more than one "
            f"label: {both[0]!r} and {both[1]!r}"
        )
        raise ParseError(msg)
    return {
        categories[int(c)]: texts[int(t)]
        for c, t in zip(code_of, label_of, strict=True)
        if categories[int(c)] and texts[int(t)]
    }


def _single(col: pa.ChunkedArray | None, what: str, name: str) -> str | None:
    """Return the one value of a column that must not vary (``DATAFLOW``, …)."""
    if col is None or len(col) == 0:
        return None
    values = encode(col)[1]
    if len(values) > 1:
        msg = f"{name}: the file mixes {what} {listing(values)}"
        raise ParseError(msg)
    return values[0] or None


def _last_update(col: pa.ChunkedArray | None, name: str) -> str | None:
    """Return the latest LAST UPDATE as ISO 8601 (no time zone is given)."""
    if col is None:
        return None
    stamps: list[dt.datetime] = []
    for text in encode(col)[1]:
        if text:
            stamps.append(_timestamp(text, name))
    return max(stamps).isoformat() if stamps else None


def _timestamp(text: str, name: str) -> dt.datetime:
    for fmt in _LAST_UPDATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        msg = f"{name}: LAST UPDATE {text!r} is not a date like '21/02/23 23:00:00'"
        raise ParseError(msg) from exc
