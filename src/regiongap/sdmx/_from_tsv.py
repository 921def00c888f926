r"""SDMX-TSV (new ``freq,…,geo\TIME_PERIOD`` and old ``unit,geo\time``) → tidy frame.

Eurostat writes every data cell as the number (or ``:``), one space, then the flags
(possibly none): ``4700 p``, ``4700 ``, ``: c``. So turning every space of the body
into a tab makes each cell two fields, and :func:`pyarrow.csv.read_csv` does the
whole split — value columns straight to float64 (``:`` → null), flag columns as
strings — in C++ and in parallel. That is the one parse path; when pyarrow refuses
the table, the original bytes are re-read only to say which line or cell is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regiongap.errors import ParseError
from regiongap.sdmx._periods import parse_periods
from regiongap.sdmx._table import (
    BadRowError,
    ConversionError,
    check_dims,
    combine,
    floats,
    line_number,
    read_table,
    report_bad_numbers,
)
from regiongap.sdmx._text import listing

# Key parts, value and flags all become tab-separated fields.
_TO_TAB = bytes.maketrans(b" ,", b"\t\t")
_RESERVED = frozenset({"time", "value", "flag"})
_FIRST_DATA_LINE = 2


def parse_tsv(
    text: bytes, header: str, body_start: int, fmt: str, name: str
) -> pd.DataFrame:
    """Parse the SDMX-TSV *text* whose header line is *header* (see the package)."""
    head = header.split("\t")
    dims = check_dims(head[0].rsplit("\\", 1)[0].split(","), _RESERVED, name)
    labels = [c.strip() for c in head[1:]]
    repeated = sorted({lab for lab in labels if labels.count(lab) > 1})
    if repeated:
        msg = f"{name}: time period column(s) {listing(repeated)} appear twice"
        raise ParseError(msg)
    periods = parse_periods(labels, name=name)
    order = np.argsort(periods.ordinals, kind="stable")  # ascending time
    ncols = len(labels)

    body = text[body_start:]
    # key parts, values and flags all become fields: "A,NR,AL\t4700 p" -> A|NR|AL|4700|p
    text_dict = pa.dictionary(pa.int32(), pa.string())
    types: dict[str, pa.DataType] = {f"d{k}": text_dict for k in range(len(dims))}
    for j in range(ncols):
        types[f"v{j}"] = pa.float64()
        types[f"f{j}"] = text_dict
    try:
        table = read_table(
            body.translate(_TO_TAB), types, delimiter="\t", quoting=False, name=name
        )
    except (BadRowError, ConversionError) as exc:
        _diagnose(body, dims, labels, name)
        msg = f"{name}: could not read the SDMX-TSV data ({exc})"
        raise ParseError(msg) from exc
    nrows = table.num_rows

    out: dict[str, object] = {}
    codes = []
    for k, dim in enumerate(dims):
        indices, categories = _dictionary(table.column(f"d{k}"))
        if "" in categories:
            row = int(np.flatnonzero(indices == categories.index(""))[0])
            msg = f"{name}: empty value of dimension {dim!r} in data row {row + 1}"
            raise ParseError(msg)
        codes.append(indices)
        out[dim] = pd.Categorical.from_codes(
            np.repeat(indices, ncols), categories=pd.Index(categories, dtype="str")
        )
    _check_unique_series(table, dims, codes, name)
    # series by series, periods ascending: row i, period k -> i * ncols + k
    ordinals = periods.ordinals[order]
    out["time"] = periods.column_of(np.broadcast_to(ordinals, (nrows, ncols)).ravel())
    values = np.empty((nrows, ncols), dtype=np.float64)
    for k, j in enumerate(order):
        values[:, k] = floats(table.column(f"v{j}"))
    out["value"] = values.ravel()
    out["flag"] = _flags([table.column(f"f{j}") for j in order], nrows)
    frame = pd.DataFrame(out, copy=False)
    frame.attrs = {"format": fmt, "last_update": None, "dataflow": None}
    return frame


def _dictionary(col: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Return the indices (numpy) and values of a dictionary column's common dictionary.

    The values come in order of first appearance in the column.
    """
    if col.num_chunks == 0:
        return np.empty(0, np.int32), []
    unified = col.unify_dictionaries()
    indices = np.concatenate(
        [c.indices.to_numpy(zero_copy_only=False) for c in unified.chunks]
    )
    return indices, unified.chunk(0).dictionary.to_pylist()


def _check_unique_series(
    table: pa.Table, dims: list[str], codes: list[np.ndarray], name: str
) -> None:
    """Raise ParseError if two lines carry the same series key."""
    if table.num_rows < 2:
        return
    # one int64 per series (mixed radix over the dimension codes) when it fits
    sizes = [int(c.max()) + 1 for c in codes]
    if np.prod(np.array(sizes, dtype=float)) < 2.0**62:
        combined = np.zeros(table.num_rows, dtype=np.int64)
        for c, size in zip(codes, sizes, strict=True):
            combined = combined * size + c
        dup = pd.Index(combined).duplicated(keep=False)
    else:
        dup = pd.DataFrame(dict(enumerate(codes))).duplicated(keep=False).to_numpy()
    if dup.any():
        rows = table.select([f"d{k}" for k in range(len(dims))]).filter(pa.array(dup))
        keys = sorted({",".join(map(str, r.values())) for r in rows.to_pylist()})
        msg = f"{name}: {len(keys)} series key(s) appear on two lines: {listing(keys)}"
        raise ParseError(msg)


def _flags(columns: list[pa.ChunkedArray], nrows: int) -> pd.arrays.ArrowStringArray:
    """Interleave the flag columns series by series as one ``"string"`` column."""
    ncols = len(columns)
    stacked = pa.chunked_array(
        [chunk for col in columns for chunk in col.chunks],
        pa.dictionary(pa.int32(), pa.string()),
    )
    indices, flags = _dictionary(stacked)
    if not any(flags):  # no flag anywhere
        nulls = pa.nulls(nrows * ncols, pa.large_string())
        return pd.arrays.ArrowStringArray(pa.chunked_array([nulls]))
    series_major = indices.reshape(ncols, nrows).T.ravel()
    mask = None
    if "" in flags:
        mask = series_major == flags.index("")
    # pandas keeps "string" columns as large_string: take into that type directly
    taken = pa.array(flags, pa.large_string()).take(pa.array(series_major, mask=mask))
    return pd.arrays.ArrowStringArray(pa.chunked_array([taken]))


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
