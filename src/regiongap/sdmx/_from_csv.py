"""SDMX-CSV (``DATAFLOW,LAST UPDATE,<dims…>,TIME_PERIOD,OBS_VALUE,…``) → tidy frame."""

from __future__ import annotations

import csv
import datetime as dt

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
    report_duplicates,
    strings_of,
)
from regiongap.sdmx._text import listing

_LEADING = ("DATAFLOW", "LAST UPDATE")
#: SDMX-CSV attribute columns and the output column each becomes.
ATTRIBUTES = {"OBS_FLAG": "flag", "CONF_STATUS": "conf_status"}
_RESERVED = frozenset({"time", "value", "flag", "conf_status"})
# Eurostat writes "21/02/23 23:00:00" (day/month/2-digit year); the others are
# accepted because hand-saved exports re-format the date.
_LAST_UPDATE_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M")
_FIRST_DATA_LINE = 2


def parse_csv(text: bytes, header: str, body_start: int, name: str) -> pd.DataFrame:
    """Parse the SDMX-CSV *text* whose header line is *header* (see the package)."""
    columns = _columns(header, name)
    t_pos = columns.index("TIME_PERIOD")
    dim_names = [c for c in columns[:t_pos] if c not in _LEADING]
    dims = check_dims(dim_names, _RESERVED, name)
    types = {
        f"c{i}": pa.float64() if c == "OBS_VALUE" else pa.string()
        for i, c in enumerate(columns)
    }
    body = memoryview(text)[body_start:]  # a view: no copy of the body
    try:
        table = read_table(body, types, delimiter=",", quoting=True, name=name)
    except BadRowError as exc:
        row = exc.row
        line = line_number(text[body_start:], row.text, _FIRST_DATA_LINE)
        msg = (
            f"{name}: {'line ' + str(line) if line else 'a line'} has "
            f"{row.actual_columns} fields, the header has {row.expected_columns}: "
            f"{row.text[:120]!r}"
        )
        raise ParseError(msg) from exc
    except ConversionError as exc:
        _diagnose_values(text[body_start:], columns, types, name)
        msg = f"{name}: could not read OBS_VALUE ({exc})"
        raise ParseError(msg) from exc
    col = {c: table.column(f"c{i}") for i, c in enumerate(columns)}
    nrows = table.num_rows

    out: dict[str, object] = {}
    key_codes = []
    for dim, column in zip(dims, dim_names, strict=True):
        codes, categories = encode(col[column])
        if "" in categories:
            row = int(np.flatnonzero(codes == categories.index(""))[0])
            msg = f"{name}: empty value of dimension {dim!r} in data row {row + 1}"
            raise ParseError(msg)
        out[dim] = categorical_of(codes, categories)
        key_codes.append(codes)
    label_codes, labels = encode(col["TIME_PERIOD"])
    periods = parse_periods(labels, name=name)
    out["time"] = periods.column(label_codes)
    # one code per period, so that 2020-03 and 2020M03 count as the same key
    time_codes = pd.factorize(periods.ordinals)[0][label_codes]
    out["value"] = floats(col["OBS_VALUE"])
    if "OBS_FLAG" in col:
        out["flag"] = strings_of(*encode(col["OBS_FLAG"]))
    else:
        out["flag"] = strings_of(np.zeros(nrows, np.int32), [""])
    if "CONF_STATUS" in col:
        conf_codes, statuses = encode(col["CONF_STATUS"])
        if any(statuses):
            out["conf_status"] = strings_of(conf_codes, statuses)
    frame = pd.DataFrame(out, copy=False)
    dup = duplicated([*key_codes, time_codes])
    report_duplicates(frame, dup, [*dims, "time"], name)
    frame.attrs = {
        "format": "csv",
        "last_update": _last_update(col.get("LAST UPDATE"), name),
        "dataflow": _dataflow(col.get("DATAFLOW"), name),
    }
    return frame


def _columns(header: str, name: str) -> list[str]:
    try:
        columns = [c.strip() for c in next(csv.reader([header]))]
    except (csv.Error, StopIteration) as exc:
        msg = f"{name}: unreadable SDMX-CSV header {header[:200]!r} ({exc})"
        raise ParseError(msg) from exc
    expected = (
        "DATAFLOW[,LAST UPDATE],<dimensions…>,TIME_PERIOD,OBS_VALUE[,OBS_FLAG]"
        "[,CONF_STATUS]"
    )
    ok = "TIME_PERIOD" in columns and "OBS_VALUE" in columns
    if ok:
        t_pos = columns.index("TIME_PERIOD")
        lead = [c for c in columns[:t_pos] if c in _LEADING]
        attrs = columns[t_pos + 2 :]
        ok = (
            columns[t_pos + 1] == "OBS_VALUE"
            and columns[: len(lead)] == lead
            and len(lead) < t_pos
            and all(c in ATTRIBUTES for c in attrs)
            and len(set(columns)) == len(columns)
        )
    if not ok:
        msg = f"{name}: unexpected SDMX-CSV columns {columns}; expected {expected}"
        raise ParseError(msg)
    return columns


def _diagnose_values(
    body: bytes, columns: list[str], types: dict[str, pa.DataType], name: str
) -> None:
    as_text = dict.fromkeys(types, pa.string())
    table = read_table(
        body, as_text, delimiter=",", quoting=True, name=name, threads=False
    )
    value_text = pc.utf8_trim_whitespace(
        combine(table.column(f"c{columns.index('OBS_VALUE')}"))
    )
    report_bad_numbers(value_text, lambda i: f"data row {i + 1}", name)


def _dataflow(col: pa.ChunkedArray | None, name: str) -> str | None:
    if col is None or len(col) == 0:
        return None
    flows = encode(col)[1]
    if len(flows) > 1:
        msg = f"{name}: the file mixes dataflows {listing(flows)}"
        raise ParseError(msg)
    return flows[0] or None


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
