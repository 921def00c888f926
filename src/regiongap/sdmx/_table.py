"""pyarrow helpers shared by the TSV and CSV parsers (vectorised, no per-cell loop)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from regiongap.errors import ParseError
from regiongap.sdmx._text import MAX_LISTED, listing

#: How a missing observation is written (``:``) or left (empty cell).
MISSING = (":", "")
# Plain decimal numbers, the only value text Eurostat writes (checked on error only).
_NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_CONTENT = re.compile(rb"[^\r\n]")


class BadRowError(Exception):
    """pyarrow met a row whose number of fields differs from the header's."""

    def __init__(self, row: pacsv.InvalidRow, cause: Exception) -> None:
        super().__init__(str(cause))
        self.row = row


class ConversionError(Exception):
    """pyarrow could not convert a cell to the column's type (a number)."""


def read_table(
    body: bytes | memoryview,
    types: Mapping[str, pa.DataType],
    *,
    delimiter: str,
    quoting: bool,
    name: str,
    threads: bool = True,
) -> pa.Table:
    """Read delimited *body* with pyarrow; columns named and typed by *types*.

    Strings are never null (an empty cell is ``""``); numeric columns are null where
    the cell is ``:`` or empty.

    Raises
    ------
    BadRowError
        A row has the wrong number of fields (diagnosed by the caller).
    ConversionError
        A numeric column holds a cell that is not a number (diagnosed by the caller).
    regiongap.errors.ParseError
        Invalid UTF-8 or any other failure of the reader.
    """
    bad: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad.append(row)
        return "error"

    names = list(types)
    if _CONTENT.search(body) is None:  # header only: pyarrow calls that an error
        return pa.table({n: pa.array([], t) for n, t in types.items()})
    try:
        return pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=1 << 20, use_threads=threads
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoting else False,
                double_quote=quoting,
                newlines_in_values=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(types),
                null_values=list(MISSING),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError, OSError) as exc:
        if bad:
            raise BadRowError(bad[0], exc) from exc
        text = str(exc)
        if "conversion error" in text.lower() and "utf8" not in text.lower():
            raise ConversionError(text) from exc
        if "utf8" in text.lower():
            msg = f"{name}: the content is not valid UTF-8 ({text})"
        else:
            msg = f"{name}: could not read the table ({text})"
        raise ParseError(msg) from exc


def line_number(body: bytes, row_text: str, first_line: int) -> int | None:
    """Return the file line number of the first line whose text is *row_text*."""
    needle = row_text.encode("utf-8", "replace")
    pos = body.find(needle)
    if pos < 0:
        return None
    return first_line + body.count(b"\n", 0, pos)


def combine(col: pa.ChunkedArray) -> pa.Array:
    """Return the chunks of *col* as one array (zero-copy when there is one chunk)."""
    return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()


def encode(col: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str]]:
    """Dictionary-encode a string column, trimming white space from the values.

    Returns int32 codes and the distinct trimmed values in order of first
    appearance. Trimming runs on the distinct values only (a Python loop over the
    dictionary, never over the rows); values equal after trimming share a code.
    """
    encoded = pc.dictionary_encode(col)
    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            return np.empty(0, np.int32), []
        encoded = encoded.unify_dictionaries()
        codes = np.concatenate(
            [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks]
        )
        dictionary = encoded.chunk(0).dictionary.to_pylist()
    else:
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        dictionary = encoded.dictionary.to_pylist()
    trimmed = [value.strip() for value in dictionary]
    if trimmed == dictionary:
        return codes.astype(np.int32, copy=False), dictionary
    remap, uniques = pd.factorize(pd.Index(trimmed, dtype=object))
    return remap.astype(np.int32)[codes], list(uniques)


def categorical_of(
    codes: np.ndarray, categories: list[str], repeat: int = 1
) -> pd.Categorical:
    """Categorical from valid codes, each repeated *repeat* times.

    The codes are narrowed (int8/16/32 by the number of categories) before
    repeating, so the long array is built once, in its final type.
    """
    small = codes.astype(np.min_scalar_type(-max(len(categories), 1)), copy=False)
    return pd.Categorical.from_codes(
        np.repeat(small, repeat) if repeat != 1 else small,
        categories=pd.Index(categories, dtype="str"),
        validate=False,  # codes come straight from a dictionary encoding
    )


def strings_of(codes: np.ndarray, vocabulary: list[str]) -> pd.arrays.ArrowStringArray:
    """Decode *codes* into a pandas ``"string"`` column; ``""`` becomes <NA>."""
    # pandas keeps "string" columns as large_string: decode into that type directly
    dictionary = pa.array([v if v else None for v in vocabulary], pa.large_string())
    decoded = dictionary.take(pa.array(codes)) if len(codes) else dictionary[:0]
    return pd.arrays.ArrowStringArray(pa.chunked_array([decoded]))


def duplicated(code_arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Mask of rows whose combination of codes appears more than once."""
    n = len(code_arrays[0]) if code_arrays else 0
    if n < 2:
        return np.zeros(n, dtype=bool)
    sizes = [int(c.max()) + 1 for c in code_arrays]
    if np.prod(np.array(sizes, dtype=float)) < 2.0**62:
        # one int64 per row (mixed radix over the codes): one hash per row
        combined = np.zeros(n, dtype=np.int64)
        for codes, size in zip(code_arrays, sizes, strict=True):
            combined = combined * size + codes
        index = pd.Index(combined)
        if index.is_unique:
            return np.zeros(n, dtype=bool)
        return index.duplicated(keep=False)
    return pd.DataFrame(dict(enumerate(code_arrays))).duplicated(keep=False).to_numpy()


def floats(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Return a float64 arrow column as numpy, NaN where null."""
    return col.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)


def bad_numbers(text: pa.Array) -> np.ndarray:
    """Positions of cells that are neither ``:``, empty, nor a decimal number."""
    missing = pc.is_in(text, value_set=pa.array(MISSING))
    ok = pc.or_(missing, pc.match_substring_regex(text, _NUMBER_RE))
    return np.flatnonzero(~ok.to_numpy(zero_copy_only=False))


def report_bad_numbers(
    text: pa.Array, describe: Callable[[int], str], name: str
) -> None:
    """Raise ParseError naming the cells of *text* that are not numbers, if any."""
    bad = bad_numbers(text)
    if len(bad):
        shown = ", ".join(
            f"{text[int(i)].as_py()!r} ({describe(int(i))})" for i in bad[:5]
        )
        more = f" … and {len(bad) - 5} more" if len(bad) > 5 else ""
        msg = (
            f"{name}: {len(bad)} value(s) are not a number, ':' or empty: {shown}{more}"
        )
        raise ParseError(msg)


def check_dims(raw_names: Sequence[str], reserved: frozenset[str], name: str) -> list:
    """Lowercase dimension names; raise ParseError if one is invalid or repeated."""
    dims = [d.strip().lower() for d in raw_names]
    bad = [d for d in dims if not d.isidentifier() or not d.isascii()]
    if bad or not dims:
        msg = f"{name}: invalid or missing dimension name(s) {listing(bad)} in header"
        raise ParseError(msg)
    repeated = {d for d, n in Counter(dims).items() if n > 1}
    clash = sorted(repeated | (set(dims) & reserved))
    if clash:
        msg = (
            f"{name}: dimension name(s) {clash} repeated in the header or reserved "
            f"for the output columns {sorted(reserved)}"
        )
        raise ParseError(msg)
    return dims


def report_duplicates(
    frame: pd.DataFrame, dup: np.ndarray, key: list[str], name: str
) -> None:
    """Raise ParseError listing the keys of *frame* flagged in *dup*, if any."""
    if dup.any():
        rows = frame.loc[dup, key].drop_duplicates()
        shown = "; ".join(
            ",".join(str(v) for v in row)
            for row in rows.head(MAX_LISTED).itertuples(index=False)
        )
        more = len(rows) - MAX_LISTED
        msg = (
            f"{name}: {len(rows)} key(s) ({','.join(key)}) appear more than once: "
            f"{shown}{f' … and {more} more' if more > 0 else ''}"
        )
        raise ParseError(msg)
