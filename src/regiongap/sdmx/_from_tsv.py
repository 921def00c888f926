r"""SDMX-TSV (new ``freq,…,geo\TIME_PERIOD`` and old ``unit,geo\time``) → tidy frame.

Eurostat writes every data cell as the number (or ``:``), one space, then the flags
(possibly none): ``4700 p``, ``4700 ``, ``: c``. So turning every space of the body
into a tab makes each cell two fields, and :func:`pyarrow.csv.read_csv` does the
whole split — value columns straight to float64 (``:`` → null), flag columns as
strings — in C++ and in parallel. That is the one parse path; when pyarrow refuses
the table, the original bytes are re-read only to say which line or cell is wrong.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regiongap.errors import ParseError
from regiongap.sdmx._periods import parse_periods
from regiongap.sdmx._table import (
    BadRowError,
    ConversionError,
    categorical_of,
    check_dims,
    combine,
    duplicated,
    encode,
    floats,
    line_number,
    read_table,
    report_bad_numbers,
    strings_of,
)
from regiongap.sdmx._text import listing

# Key parts, value and flags all become tab-separated fields.
_TO_TAB = bytes.maketrans(b" ,", b"\t\t")
_RESERVED = frozenset({"time", "value", "flag"})
_FIRST_DATA_LINE = 2
#: the ASCII characters ``str.strip`` removes (``str.isspace``)
_ASCII_SPACE = tuple(bytes([c]) for c in range(128) if chr(c).isspace())


def parse_tsv(
    text: bytes, header: str, body_start: int, fmt: str, name: str
) -> pd.DataFrame:
    """Parse the SDMX-TSV *text* whose header line is *header* (see the package)."""
    head = header.split("\t")
    dims = check_dims(head[0].rsplit("\\", 1)[0].split(","), _RESERVED, name)
    labels = [c.strip() for c in head[1:]]
    periods = parse_periods(labels, name=name)
    # the same period twice, as written or spelt two ways (2020-03 and 2020M03)
    count = Counter(periods.ordinals.tolist())
    repeated = [
        lab for lab, o in zip(labels, periods.ordinals, strict=True) if count[o] > 1
    ]
    if repeated:
        msg = f"{name}: time period column(s) {listing(repeated)} name one period twice"
        raise ParseError(msg)
    order = np.argsort(periods.ordinals, kind="stable")  # ascending time
    ncols = len(labels)

    # key parts, values and flags all become fields: "A,NR,AL\t4700 p" -> A|NR|AL|4700|p
    # (plain strings: pyarrow's dictionary-typed reading is slower than encoding after)
    types: dict[str, pa.DataType] = {f"d{k}": pa.string() for k in range(len(dims))}
    for j in range(ncols):
        types[f"v{j}"] = pa.float64()
        types[f"f{j}"] = pa.string()
    try:
        # translate the whole text and hand pyarrow a view: no copy of the body
        body = memoryview(text.translate(_TO_TAB))[body_start:]
        table = read_table(body, types, delimiter="\t", quoting=False, name=name)
    except (BadRowError, ConversionError) as exc:
        _diagnose(text[body_start:], dims, labels, name)
        msg = f"{name}: could not read the SDMX-TSV data ({exc})"
        raise ParseError(msg) from exc
    nrows = table.num_rows

    out = _dimensions(table, dims, ncols, name)
    # series by series, periods ascending: row i, period k -> i * ncols + k
    ordinals = np.broadcast_to(periods.ordinals[order], (nrows, ncols))
    out["time"] = periods.column_of(ordinals.ravel())
    values = np.empty((nrows, ncols), dtype=np.float64)
    for k, j in enumerate(order):
        values[:, k] = floats(table.column(f"v{j}"))
    out["value"] = values.ravel()
    out["flag"] = _flags([table.column(f"f{j}") for j in order], nrows)
    frame = pd.DataFrame(out, copy=False)
    frame.attrs = {"format": fmt, "last_update": None, "dataflow": None}
    return frame


def _dimensions(
    table: pa.Table, dims: list[str], ncols: int, name: str
) -> dict[str, object]:
    """One categorical per dimension, each series repeated once per period."""
    out: dict[str, object] = {}
    key_codes = []
    for k, dim in enumerate(dims):
        codes, categories = encode(table.column(f"d{k}"))
        if "" in categories:
            row = int(np.flatnonzero(codes == categories.index(""))[0])
            msg = f"{name}: empty value of dimension {dim!r} in data row {row + 1}"
            raise ParseError(msg)
        key_codes.append(codes)
        out[dim] = categorical_of(codes, categories, repeat=ncols)
    dup = duplicated(key_codes)
    if dup.any():
        mask = pa.array(dup)
        parts = [
            table.column(f"d{k}").filter(mask).to_pylist() for k in range(len(dims))
        ]
        keys = sorted({",".join(p) for p in zip(*parts, strict=True)})
        msg = f"{name}: {len(keys)} series key(s) appear on two lines: {listing(keys)}"
        raise ParseError(msg)
    return out


def _flags(columns: list[pa.ChunkedArray], nrows: int) -> pd.arrays.ArrowStringArray:
    """Interleave the flag columns series by series as one ``"string"`` column.

    ``""`` (no flag) becomes <NA>. Flags are trimmed of white space; when no flag
    holds any (the rule: the body's spaces became field separators), the cells are
    simply put in series-major order with one ``take``. Otherwise all columns are
    dictionary-encoded at once (time-major), the distinct values trimmed, the codes
    transposed to series-major order with numpy, and decoded once. Both give the
    same column.
    """
    chunks = [chunk for column in columns for chunk in column.chunks]
    if not _untrimmed(chunks):
        cells = pa.concat_arrays(chunks) if chunks else pa.array([], pa.string())
        order = np.arange(len(cells), dtype=np.int64)
        order = order.reshape(len(columns), nrows).T.ravel()
        ordered = cells.take(pa.array(order)).cast(pa.large_string())
        none = pa.scalar(None, pa.large_string())
        flags = pc.if_else(pc.equal(ordered, ""), none, ordered)
        return pd.arrays.ArrowStringArray(pa.chunked_array([flags]))
    codes, vocabulary = encode(pa.chunked_array(chunks, pa.string()))
    series_major = codes.reshape(len(columns), nrows).T.ravel()
    return strings_of(series_major, vocabulary)


def _untrimmed(chunks: list[pa.Array]) -> bool:
    """Whether a string cell may hold white space ``str.strip`` would remove.

    Looks at the characters of all cells at once (the chunks' data buffers, a few
    bytes per flag): any non-ASCII byte, or any ASCII white space, says "maybe".
    """
    for chunk in chunks:
        data = chunk.buffers()[2]
        if data is None or data.size == 0:
            continue
        text = data.to_pybytes()
        if not text.isascii() or any(c in text for c in _ASCII_SPACE):
            return True
    return False


def _diagnose(body: bytes, dims: list[str], labels: list[str], name: str) -> None:
    """Re-read *body* cell by column to name the line or cell pyarrow refused."""
    types = {"key": pa.string(), **{f"c{j}": pa.string() for j in range(len(labels))}}
    try:
        table = read_table(
            body, types, delimiter="\t", quoting=False, name=name, threads=False
        )
    except BadRowError as exc:
        row = exc.row
        line = line_number(body, row.text, _FIRST_DATA_LINE)
        where = f"line {line}" if line is not None else "a line"
        msg = (
            f"{name}: {where} has {row.actual_columns} tab-separated cells, the header "
            f"has {row.expected_columns} ({','.join(dims)} and {len(labels)} "
            f"periods): {row.text[:120]!r}"
        )
        raise ParseError(msg) from None
    nrows = table.num_rows
    key = combine(table.column("key"))
    cells = pa.concat_arrays(
        [combine(table.column(f"c{j}")) for j in range(len(labels))]
    )

    def describe(i: int) -> str:
        return f"series {key[i % nrows].as_py()!r}, period {labels[i // nrows]!r}"

    commas = pc.count_substring(key, ",").to_numpy(zero_copy_only=False)
    spaced = pc.match_substring_regex(key, r"\s").to_numpy(zero_copy_only=False)
    odd = np.flatnonzero((commas != len(dims) - 1) | spaced)
    if len(odd):
        shown = listing([key[int(i)].as_py() for i in odd[:5]], 5)
        msg = (
            f"{name}: {len(odd)} series key(s) are not {len(dims)} comma-separated "
            f"codes without spaces ({','.join(dims)}): {shown}"
        )
        raise ParseError(msg)

    spaces = pc.count_substring(cells, " ").to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(spaces != 1)
    if len(odd):
        shown = ", ".join(
            f"{cells[int(i)].as_py()!r} ({describe(int(i))})" for i in odd[:5]
        )
        msg = (
            f"{name}: {len(odd)} cell(s) are not '<value> <flags>' with exactly one "
            f"space (as in '4700 p', '4700 ', ': c'): {shown}"
        )
        raise ParseError(msg)
    value_text = pc.list_element(pc.split_pattern(cells, " ", max_splits=1), 0)
    report_bad_numbers(value_text, describe, name)
