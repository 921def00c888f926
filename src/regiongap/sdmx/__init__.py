r"""Pure parsers for Eurostat's bulk formats: raw bytes in, one tidy long frame out.

Three formats are read, gzipped or not (sniffed from the content, never from a name):

``"tsv"`` — SDMX-TSV as served today by the dissemination API::

    freq,unit,geo\TIME_PERIOD<TAB>2016 <TAB>2017 …      (periods ascending)
    A,NR,AL<TAB>1417141 <TAB>1423050 p …

``"tsv-old"`` — the former bulk-download SDMX-TSV::

    unit,geo\time<TAB>2021 <TAB>2020 …                  (periods descending, no freq)
    EUR_HAB,AL<TAB>: <TAB>4700 p …

``"csv"`` — SDMX-CSV (databrowser "linear" export and the SDMX 2.1 API export)::

    DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG[,CONF_STATUS]

The result (:func:`parse`) has one row per cell of the file, ``:`` cells included:

* one categorical column per dimension, named in lowercase, in the file's order
  (``freq`` included when the file has it; old TSV files have no ``freq`` column and
  none is invented — the frequency is visible in the ``time`` dtype);
  categories in order of first appearance. ``geo`` is one of them;
* ``time`` — ``int64`` years for annual data, a :class:`pandas.PeriodDtype` column
  for the other frequencies (``2020-Q1`` → ``Q-DEC``, ``2020-03``/``2020M03`` → ``M``,
  ``2020-S1`` → ``6M`` starting in January or July, ``2020-W05`` → ISO week as
  ``W-SUN``, ``2020-03-15`` → ``D``). A file mixing frequencies (say ``2020`` and
  ``2020-Q1``) raises :class:`~regiongap.errors.ParseError` naming the labels of each
  frequency: one ``time`` column cannot hold years and periods and still be written
  to Parquet, and silently dropping part of a file is worse than asking;
* ``value`` — ``float64``, exactly ``float(text)`` of the number as written; NaN for
  ``:`` and for an empty cell;
* ``flag`` — pandas ``"string"`` dtype (pyarrow storage), the flag letters verbatim
  (``p``, ``e``, ``bp``, ``: c`` → ``c``, …), ``<NA>`` when there is none;
* ``conf_status`` — only for SDMX-CSV files whose ``CONF_STATUS`` column is non-empty
  somewhere (``"string"`` dtype); an all-empty column is dropped.

TSV rows come out series by series (file order), periods ascending within a series;
CSV rows keep the file's order. ``frame.attrs`` holds ``format``, ``last_update``
(ISO 8601, from SDMX-CSV's ``LAST UPDATE``, the latest one if several; ``None`` for
TSV) and ``dataflow`` (e.g. ``"ESTAT:NAMA_10R_2GDP(1.0)"``; ``None`` for TSV).

Anything else — an HTML error page, JSON, random or truncated bytes, a row with the
wrong number of cells, an unparseable number or period, duplicated keys, invalid
UTF-8 — raises :class:`~regiongap.errors.ParseError` naming what was wrong and where.
No other exception type leaves :func:`parse`.

Why our own parser rather than ``eurostat.get_data_df``
-------------------------------------------------------
The ``eurostat`` package parses the TSV cell by cell in Python (slow on the large
regional tables), returns a *wide* frame (one column per period) whose shape changes
with ``flags=True`` (``2020_value``/``2020_flag``), and answers filtered requests with
one HTTP request per combination of filter values. Here the whole table is read once
by :mod:`pyarrow.csv` as strings and split into value and flag with vectorised
:mod:`pyarrow.compute` kernels: there is no Python loop per row or per cell, only per
column (period) and per distinct period label.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from regiongap.errors import ParseError

__all__ = ["FORMATS", "parse", "sniff_format"]

#: The format names :func:`sniff_format` returns and ``frame.attrs["format"]`` holds.
FORMATS: tuple[str, ...] = ("tsv", "tsv-old", "csv")

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_SHOWN_BYTES = 80
_MAX_LISTED = 10
_DIM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED = frozenset({"time", "value", "flag", "conf_status"})

# SDMX-CSV columns that are not dimensions, and what they become.
_CSV_LEADING = ("DATAFLOW", "LAST UPDATE")
_CSV_ATTRIBUTES = {"OBS_FLAG": "flag", "CONF_STATUS": "conf_status"}

# Period labels: the new (``2020-Q1``) and the old (``2020Q1``, ``2020M03``) spellings.
_PERIOD_RE = re.compile(
    r"""^(?P<year>\d{4})(?:
        (?P<a>)$
      | -?S(?P<s>[12])$
      | -?Q(?P<q>[1-4])$
      | (?:-|M|-M)(?P<m>0[1-9]|1[0-2])$
      | -?W(?P<w>\d{2})$
      | -(?P<dm>\d{2})-(?P<dd>\d{2})$
    )""",
    re.VERBOSE,
)
_FREQ_DTYPE = {"Q": "Q-DEC", "M": "M", "S": "6M", "W": "W-SUN", "D": "D"}


def _fail(msg: str) -> ParseError:
    return ParseError(msg)


def _show(raw: bytes) -> str:
    """Render the first bytes of *raw* for an error message."""
    head = raw[:_SHOWN_BYTES]
    more = "…" if len(raw) > _SHOWN_BYTES else ""
    return f"{head!r}{more}"


# --------------------------------------------------------------------------------------
# bytes → text
# --------------------------------------------------------------------------------------


def _decompress(raw: bytes, name: str) -> bytes:
    """Gunzip *raw* when it starts with the gzip magic bytes; strip a UTF-8 BOM."""
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            msg = f"{name}: truncated or corrupt gzip data ({exc})"
            raise ParseError(msg) from exc
    if raw[:3] == _BOM:
        raw = raw[3:]
    return raw


def _head_text(raw: bytes, limit: int = 64 * 1024) -> bytes:
    """Return the first *limit* bytes of the (gzipped?) content, without the BOM."""
    if raw[:2] == _GZIP_MAGIC:
        try:
            head = zlib.decompressobj(wbits=31).decompress(raw, limit)
        except zlib.error:
            head = b""
    else:
        head = raw[:limit]
    return head[3:] if head[:3] == _BOM else head


def _first_line(text: bytes) -> tuple[str, int]:
    """Return the decoded header line and the offset where the body starts."""
    end = text.find(b"\n")
    line = text if end < 0 else text[:end]
    body_start = len(text) if end < 0 else end + 1
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"header line is not valid UTF-8 ({exc}); first bytes: {_show(text)}"
        raise ParseError(msg) from exc
    return decoded.rstrip("\r"), body_start


def _sniff_header(header: str) -> str | None:
    if header.startswith(("DATAFLOW,", '"DATAFLOW",')):
        return "csv"
    first = header.split("\t", 1)[0]
    if "\t" in header and "\\" in first:
        suffix = first.rsplit("\\", 1)[1].strip()
        if suffix == "TIME_PERIOD":
            return "tsv"
        if suffix == "time":
            return "tsv-old"
    return None


def _not_sdmx(name: str, raw: bytes) -> ParseError:
    what = "empty input" if not raw else f"first bytes: {_show(raw)}"
    msg = (
        f"{name}: not an Eurostat SDMX file; expected an SDMX-TSV header such as "
        "'freq,unit,geo\\TIME_PERIOD<TAB>2020 …' or 'unit,geo\\time<TAB>2021 …', or "
        f"an SDMX-CSV header starting 'DATAFLOW,LAST UPDATE,…'; got {what}"
    )
    return ParseError(msg)


def sniff_format(raw: bytes, *, name: str = "<bytes>") -> str:
    """Tell which Eurostat format *raw* (gzipped or not) is in, from its header line.

    Parameters
    ----------
    raw : bytes
        The file content, gzip-compressed or plain.
    name : str, optional
        What to call the content in an error message (a file name or URL).

    Returns
    -------
    str
        ``"tsv"`` (new SDMX-TSV), ``"tsv-old"`` (old bulk SDMX-TSV) or ``"csv"``
        (SDMX-CSV); see :data:`FORMATS`.

    Raises
    ------
    regiongap.errors.ParseError
        If the header is none of these (an HTML error page, JSON, empty input …); the
        message shows the first bytes. Only the first 64 KiB are decompressed, so a
        truncated gzip stream is caught by :func:`parse`, not here.
    """
    head = _head_text(bytes(raw))
    try:
        header, _ = _first_line(head)
    except ParseError:
        raise _not_sdmx(name, head) from None
    kind = _sniff_header(header)
    if kind is None:
        raise _not_sdmx(name, head)
    return kind


# --------------------------------------------------------------------------------------
# period labels
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Periods:
    """Parsed distinct period labels: ``freq`` is "A" or a key of ``_FREQ_DTYPE``."""

    freq: str
    ordinals: np.ndarray  # int64: years for "A", Period ordinals otherwise

    def array(self, codes: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
        """Build the ``time`` column from indices into the distinct labels."""
        values = self.ordinals[codes] if len(codes) else np.empty(0, np.int64)
        if self.freq == "A":
            return values.astype(np.int64, copy=False)
        dtype = pd.PeriodDtype(_FREQ_DTYPE[self.freq])
        return pd.arrays.PeriodArray(values.astype(np.int64, copy=False), dtype=dtype)


def _one_period(label: str) -> tuple[str, int] | None:
    """Frequency and ordinal of one label, or None if it is not a period label."""
    m = _PERIOD_RE.match(label)
    if m is None:
        return None
    year = int(m["year"])
    try:
        if m["a"] is not None:
            return "A", year
        if m["s"] is not None:
            month = 1 if m["s"] == "1" else 7
            return "S", pd.Period(year=year, month=month, freq="6M").ordinal
        if m["q"] is not None:
            return "Q", pd.Period(year=year, quarter=int(m["q"]), freq="Q-DEC").ordinal
        if m["m"] is not None:
            return "M", pd.Period(year=year, month=int(m["m"]), freq="M").ordinal
        if m["w"] is not None:
            monday = dt.date.fromisocalendar(year, int(m["w"]), 1)
            return "W", pd.Period(monday, freq="W-SUN").ordinal
        day = dt.date(year, int(m["dm"]), int(m["dd"]))
        return "D", pd.Period(day, freq="D").ordinal
    except (ValueError, OverflowError):
        return None


def _parse_periods(labels: Sequence[str], *, name: str = "<labels>") -> _Periods:
    """Parse distinct Eurostat period labels (``2020``, ``2020-Q1``, ``2020M03`` …).

    Parameters
    ----------
    labels : sequence of str
        Distinct labels, already stripped of surrounding white space.
    name : str, optional
        What to call the source in an error message.

    Returns
    -------
    _Periods
        The common frequency and one ordinal per label (the year for annual labels,
        the :class:`pandas.Period` ordinal otherwise), with ``.array(codes)`` to build
        the ``time`` column.

    Raises
    ------
    regiongap.errors.ParseError
        If a label is not a period (named in the message) or the labels mix
        frequencies (the labels of each frequency are named).
    """
    parsed = [_one_period(label) for label in labels]
    bad = [label for label, p in zip(labels, parsed, strict=True) if p is None]
    if bad:
        msg = (
            f"{name}: unparseable time period label(s) {_listing(bad)}; expected "
            "YYYY, YYYY-Qn, YYYY-MM, YYYY-Sn, YYYY-Www or YYYY-MM-DD (or the old "
            "YYYYQn/YYYYMmm spellings)"
        )
        raise ParseError(msg)
    freqs: dict[str, list[str]] = {}
    for label, p in zip(labels, parsed, strict=True):
        freqs.setdefault(p[0], []).append(label)  # type: ignore[index]
    if len(freqs) > 1:
        shown = "; ".join(f"{f}: {_listing(ls, 3)}" for f, ls in freqs.items())
        msg = (
            f"{name}: time periods mix frequencies ({shown}); a tidy frame holds one "
            "frequency — download the dataset filtered to one freq"
        )
        raise ParseError(msg)
    freq = next(iter(freqs), "A")
    ordinals = np.array([p[1] for p in parsed], dtype=np.int64)  # type: ignore[index]
    return _Periods(freq, ordinals)


def _listing(items: Sequence[object], limit: int = _MAX_LISTED) -> str:
    shown = ", ".join(repr(x) for x in items[:limit])
    more = len(items) - limit
    return shown + (f" … and {more} more" if more > 0 else "")


# --------------------------------------------------------------------------------------
# vectorised helpers
# --------------------------------------------------------------------------------------


def _read_strings(
    body: bytes, names: list[str], *, delimiter: str, quoting: bool, name: str
) -> pa.Table:
    """Read *body* as a table of string columns with pyarrow; wrap every failure."""
    bad_rows: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append(row)
        return "error"

    try:
        return pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=1 << 24, use_threads=True
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoting else False,
                double_quote=quoting,
                newlines_in_values=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError, OSError) as exc:
        if bad_rows:
            row = bad_rows[0]
            where = f"line {row.number}" if row.number is not None else "a line"
            msg = (
                f"{name}: {where} has {row.actual_columns} cells, the header has "
                f"{row.expected_columns}: {row.text[:200]!r}"
            )
        elif "UTF8" in str(exc) or "utf8" in str(exc).lower():
            msg = f"{name}: content is not valid UTF-8 ({exc})"
        else:
            msg = f"{name}: could not read the table ({exc})"
        raise ParseError(msg) from exc


def _combine(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        return col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    return col


def _categorical(values: pa.Array) -> pd.Categorical:
    """Categorical in order of first appearance, built from arrow dictionary codes."""
    encoded = pc.dictionary_encode(values)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    categories = pd.Index(encoded.dictionary.to_pylist(), dtype="str")
    return pd.Categorical.from_codes(codes, categories=categories)


def _string_column(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """Wrap as a ``"string"`` (pyarrow storage) column; ``""`` becomes <NA>."""
    if values.type != pa.string():
        values = values.cast(pa.string())
    blank = pc.equal(values, "")
    values = pc.if_else(blank, pa.scalar(None, pa.string()), values)
    return pd.arrays.ArrowStringArray(pa.chunked_array([values], pa.string()))


def _split_cells(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Split TSV cells such as ``"4700 p"`` into value text and flag text.

    The cell is trimmed, then cut at its first white-space run: the part before is
    the value, the part after (trimmed) the flag, ``""`` when there is none.
    """
    trimmed = pc.utf8_trim_whitespace(cells)
    parts = pc.utf8_split_whitespace(trimmed, max_splits=1)
    offsets = parts.offsets.to_numpy()
    flat = parts.flatten()
    starts = offsets[:-1]
    lengths = np.diff(offsets)
    value = flat.take(pa.array(starts))
    # an empty cell splits into zero parts: give it an empty value and flag
    has_value = lengths >= 1
    if not has_value.all():
        value = pc.if_else(pa.array(has_value), value, pa.scalar("", pa.string()))
    has_flag = lengths >= 2
    if has_flag.any():
        flag_idx = pa.array(np.where(has_flag, starts + 1, 0), mask=~has_flag)
        flag = pc.utf8_trim_whitespace(flat.take(flag_idx))
        flag = pc.if_else(pc.is_null(flag), pa.scalar("", pa.string()), flag)
    else:
        flag = pa.array(np.full(len(cells), "", dtype=object), pa.string())
    return value, flag


_NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _to_float(text: pa.Array, describe, name: str) -> np.ndarray:
    """Numbers as written → float64; ``:`` and ``""`` → NaN.

    pyarrow's string→double cast rounds correctly (fast_float), so the result is
    bit-identical to Python's ``float(text)``. *describe(i)* names the cell at
    position *i* for an error message.
    """
    missing = pc.or_(pc.equal(text, ":"), pc.equal(text, ""))
    numeric = pc.if_else(missing, pa.scalar(None, pa.string()), text)
    ok = pc.or_(missing, pc.match_substring_regex(text, _NUMBER_RE))
    if not pc.all(ok).as_py():
        bad_pos = np.flatnonzero(~ok.to_numpy(zero_copy_only=False))
        shown = ", ".join(
            f"{text[int(i)].as_py()!r} ({describe(int(i))})" for i in bad_pos[:5]
        )
        more = f" … and {len(bad_pos) - 5} more" if len(bad_pos) > 5 else ""
        msg = (
            f"{name}: {len(bad_pos)} cell(s) are not a number, ':' or empty: "
            f"{shown}{more}"
        )
        raise ParseError(msg)
    try:
        result = pc.cast(numeric, pa.float64())
    except pa.ArrowException as exc:  # pragma: no cover - the regex checked
        msg = f"{name}: could not convert values to numbers ({exc})"
        raise ParseError(msg) from exc
    return result.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)


def _check_dims(raw_names: Sequence[str], name: str) -> list[str]:
    dims = [d.strip().lower() for d in raw_names]
    bad = [d for d in dims if not _DIM_NAME.match(d)]
    if bad:
        msg = f"{name}: invalid dimension name(s) {_listing(bad)} in the header"
        raise ParseError(msg)
    clash = sorted({d for d in dims if dims.count(d) > 1} | (set(dims) & _RESERVED))
    if clash:
        msg = (
            f"{name}: dimension name(s) {clash} repeated in the header or reserved "
            f"for the output ({sorted(_RESERVED)})"
        )
        raise ParseError(msg)
    return dims


def _check_no_empty(dims: list[str], columns: list[pa.Array], name: str) -> None:
    for dim, col in zip(dims, columns, strict=True):
        blank = pc.equal(col, "")
        if pc.any(blank).as_py():
            first = int(np.flatnonzero(blank.to_numpy(zero_copy_only=False))[0])
            msg = f"{name}: empty value of dimension {dim!r} in data row {first + 1}"
            raise ParseError(msg)


def _check_unique(frame: pd.DataFrame, key: list[str], name: str) -> None:
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        rows = frame.loc[dup, key].drop_duplicates()
        shown = "; ".join(
            ",".join(str(v) for v in row)
            for row in rows.head(_MAX_LISTED).itertuples(index=False)
        )
        more = len(rows) - _MAX_LISTED
        msg = (
            f"{name}: {len(rows)} key(s) ({', '.join(key)}) appear more than once: "
            f"{shown}{f' … and {more} more' if more > 0 else ''}"
        )
        raise ParseError(msg)


# --------------------------------------------------------------------------------------
# the three formats
# --------------------------------------------------------------------------------------


def _parse_tsv(text: bytes, header: str, body_start: int, fmt: str, name: str):
    cells = header.split("\t")
    dims = _check_dims(cells[0].rsplit("\\", 1)[0].split(","), name)
    labels = [c.strip() for c in cells[1:]]
    if not labels:
        msg = (
            f"{name}: the SDMX-TSV header has no time period columns: {header[:200]!r}"
        )
        raise ParseError(msg)
    dupl = sorted({lab for lab in labels if labels.count(lab) > 1})
    if dupl:
        msg = f"{name}: time period column(s) {_listing(dupl)} appear more than once"
        raise ParseError(msg)
    periods = _parse_periods(labels, name=name)
    order = np.argsort(periods.ordinals, kind="stable")  # ascending time
    ncols = len(labels)
    names = ["key", *(f"c{i}" for i in range(ncols))]
    table = _read_strings(
        text[body_start:], names, delimiter="\t", quoting=False, name=name
    )
    nrows = table.num_rows

    key = pc.utf8_trim_whitespace(_combine(table.column("key")))
    parts = pc.split_pattern(key, ",")
    lengths = pc.list_value_length(parts).to_numpy(zero_copy_only=False)
    wrong = np.flatnonzero(lengths != len(dims))
    if len(wrong):
        i = int(wrong[0])
        msg = (
            f"{name}: data row {i + 1} has {int(lengths[i])} key part(s) "
            f"{key[i].as_py()!r}, the header names {len(dims)} ({','.join(dims)})"
        )
        raise ParseError(msg)
    flat = pc.utf8_trim_whitespace(parts.flatten())
    starts = parts.offsets.to_numpy()[:-1]
    dim_text = [flat.take(pa.array(starts + j)) for j in range(len(dims))]
    _check_no_empty(dims, dim_text, name)
    dim_cats = [_categorical(col) for col in dim_text]
    series = pd.DataFrame({d: c.codes for d, c in zip(dims, dim_cats, strict=True)})
    dup = series.duplicated(keep=False).to_numpy()
    if dup.any():
        shown = pc.unique(key.filter(pa.array(dup))).to_pylist()
        msg = (
            f"{name}: {len(shown)} series key(s) appear on more than one line: "
            f"{_listing(shown)}"
        )
        raise ParseError(msg)

    # all cells, column after column in ascending time (time-major), then reordered
    # to series-major so that each series' periods are adjacent
    cols = [_combine(table.column(f"c{int(j)}")) for j in order]
    cells_all = pa.concat_arrays(cols) if cols else pa.array([], pa.string())
    value_text, flag_text = _split_cells(cells_all)

    def describe(i: int) -> str:
        row, col = i % nrows, int(order[i // nrows])
        return f"series {key[row].as_py()!r}, period {labels[col]!r}"

    values = _to_float(value_text, describe, name)
    idx = (np.arange(nrows)[:, None] + np.arange(ncols)[None, :] * nrows).ravel()
    out: dict[str, object] = {}
    for dim, cat in zip(dims, dim_cats, strict=True):
        out[dim] = pd.Categorical.from_codes(
            np.repeat(cat.codes, ncols), categories=cat.categories
        )
    time_codes = np.tile(order, nrows)
    out["time"] = periods.array(time_codes)
    out["value"] = values[idx]
    out["flag"] = _string_column(flag_text.take(pa.array(idx)))
    frame = pd.DataFrame(out, copy=False)
    frame.attrs = {"format": fmt, "last_update": None, "dataflow": None}
    return frame


def _csv_header(header: str, name: str) -> list[str]:
    try:
        return next(csv.reader([header]))
    except (csv.Error, StopIteration) as exc:
        msg = f"{name}: unreadable SDMX-CSV header {header[:200]!r} ({exc})"
        raise ParseError(msg) from exc


_LAST_UPDATE_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M")


def _iso_last_update(values: list[str], name: str) -> str | None:
    stamps: list[dt.datetime] = []
    for text in values:
        text = text.strip()
        if not text:
            continue
        for fmt in _LAST_UPDATE_FORMATS:
            try:
                stamps.append(dt.datetime.strptime(text, fmt))
                break
            except ValueError:
                continue
        else:
            try:
                stamps.append(dt.datetime.fromisoformat(text))
            except ValueError as exc:
                msg = (
                    f"{name}: LAST UPDATE {text!r} is not a date like "
                    "'21/02/23 23:00:00'"
                )
                raise ParseError(msg) from exc
    return max(stamps).isoformat() if stamps else None


def _parse_csv(text: bytes, header: str, body_start: int, name: str):
    columns = [c.strip() for c in _csv_header(header, name)]
    if "TIME_PERIOD" not in columns or "OBS_VALUE" not in columns:
        msg = (
            f"{name}: SDMX-CSV header lacks TIME_PERIOD or OBS_VALUE: {header[:200]!r}"
        )
        raise ParseError(msg)
    t_pos, v_pos = columns.index("TIME_PERIOD"), columns.index("OBS_VALUE")
    lead = [c for c in columns[:t_pos] if c in _CSV_LEADING]
    dim_names = [c for c in columns[:t_pos] if c not in _CSV_LEADING]
    attrs = columns[v_pos + 1 :]
    unknown = [c for c in attrs if c not in _CSV_ATTRIBUTES]
    if v_pos != t_pos + 1 or unknown or len(set(columns)) != len(columns):
        msg = (
            f"{name}: unexpected SDMX-CSV columns {columns}; expected DATAFLOW[,LAST "
            "UPDATE],<dimensions…>,TIME_PERIOD,OBS_VALUE[,OBS_FLAG][,CONF_STATUS]"
        )
        raise ParseError(msg)
    if columns[: len(lead)] != lead:
        msg = f"{name}: DATAFLOW/LAST UPDATE must come first in {columns}"
        raise ParseError(msg)
    if not dim_names:
        msg = f"{name}: SDMX-CSV header names no dimension: {columns}"
        raise ParseError(msg)
    dims = _check_dims(dim_names, name)
    names = [f"c{i}" for i in range(len(columns))]
    table = _read_strings(
        text[body_start:], names, delimiter=",", quoting=True, name=name
    )
    col = {c: _combine(table.column(f"c{i}")) for i, c in enumerate(columns)}

    dataflow = None
    if "DATAFLOW" in col and len(col["DATAFLOW"]):
        flows = pc.unique(pc.utf8_trim_whitespace(col["DATAFLOW"])).to_pylist()
        if len(flows) > 1:
            msg = f"{name}: the file mixes dataflows {_listing(flows)}"
            raise ParseError(msg)
        dataflow = flows[0] or None
    last_update = None
    if "LAST UPDATE" in col:
        last_update = _iso_last_update(pc.unique(col["LAST UPDATE"]).to_pylist(), name)

    dim_text = [pc.utf8_trim_whitespace(col[c]) for c in dim_names]
    _check_no_empty(dims, dim_text, name)
    out: dict[str, object] = {
        d: _categorical(t) for d, t in zip(dims, dim_text, strict=True)
    }
    time_text = pc.utf8_trim_whitespace(col["TIME_PERIOD"])
    encoded = pc.dictionary_encode(time_text)
    periods = _parse_periods(encoded.dictionary.to_pylist(), name=name)
    out["time"] = periods.array(encoded.indices.to_numpy(zero_copy_only=False))
    value_text = pc.utf8_trim_whitespace(col["OBS_VALUE"])

    def describe(i: int) -> str:
        return f"data row {i + 1}"

    out["value"] = _to_float(value_text, describe, name)
    flag = col.get("OBS_FLAG", pa.array([""] * table.num_rows, pa.string()))
    out["flag"] = _string_column(pc.utf8_trim_whitespace(flag))
    if "CONF_STATUS" in col:
        conf = _string_column(pc.utf8_trim_whitespace(col["CONF_STATUS"]))
        if not conf.isna().all():
            out["conf_status"] = conf
    frame = pd.DataFrame(out, copy=False)
    _check_unique(frame, [*dims, "time"], name)
    frame.attrs = {"format": "csv", "last_update": last_update, "dataflow": dataflow}
    return frame


# --------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------


def parse(raw: bytes, *, name: str = "<bytes>") -> pd.DataFrame:
    r"""Parse an Eurostat SDMX-TSV (new or old) or SDMX-CSV file into a tidy frame.

    Parameters
    ----------
    raw : bytes
        The file content, gzip-compressed or plain (detected from the magic bytes).
    name : str, optional
        What to call the content in error messages (a file name or URL).

    Returns
    -------
    pandas.DataFrame
        One row per cell: dimension columns (lowercase categoricals, file order),
        ``time`` (``int64`` years or a Period dtype), ``value`` (float64, NaN for
        ``:``), ``flag`` (``"string"``, ``<NA>`` when none) and, for SDMX-CSV with
        confidentiality statuses, ``conf_status``. ``attrs`` has ``format``,
        ``last_update`` and ``dataflow``; see the module docstring.

    Raises
    ------
    regiongap.errors.ParseError
        For anything that is not a well-formed file in one of the three formats; the
        message names the bad header, line, cell, label or keys. No other exception
        type is raised.

    Examples
    --------
    >>> raw = b"unit,geo\\time\t2021 \t2020 \nEUR_HAB,AL\t: \t4700 p\n"
    >>> frame = parse(raw)
    >>> print(frame.to_string(index=False))
       unit geo  time  value flag
    EUR_HAB  AL  2020 4700.0    p
    EUR_HAB  AL  2021    NaN <NA>
    """
    try:
        data = bytes(raw)
        text = _decompress(data, name)
        if not text.strip():
            raise _not_sdmx(name, text)
        header, body_start = _first_line(text)
        kind = _sniff_header(header)
        if kind is None:
            raise _not_sdmx(name, text)
        if kind == "csv":
            return _parse_csv(text, header, body_start, name)
        return _parse_tsv(text, header, body_start, kind, name)
    except ParseError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # the contract: only ParseError leaves parse()
        msg = f"{name}: could not parse ({type(exc).__name__}: {exc})"
        raise ParseError(msg) from exc
