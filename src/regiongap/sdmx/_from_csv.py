"""SDMX-CSV 1.0 and 2.0 (see :mod:`regiongap.sdmx._csv_header`) → tidy frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regiongap.errors import ParseError
from regiongap.sdmx._csv_header import read_header
from regiongap.sdmx._csv_meta import Encoded, frame_attrs
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

_RESERVED = frozenset({"time", "value", "flag", "conf_status"})
_FIRST_DATA_LINE = 2


def parse_csv(text: bytes, header: str, body_start: int, name: str) -> pd.DataFrame:
    """Parse the SDMX-CSV *text* whose header line is *header* (see the package)."""
    layout = read_header(header, name)
    dims = check_dims(layout.dims, _RESERVED, name)
    value_at = layout.position["OBS_VALUE"]
    types = {
        f"c{i}": pa.float64() if i == value_at else pa.string()
        for i in range(len(layout.columns))
    }
    table = _read(text, body_start, types, value_at, name)
    col = {c: table.column(f"c{i}") for c, i in layout.position.items()}

    out: dict[str, object] = {}
    encoded: Encoded = {}
    for dim, column in zip(dims, layout.dims, strict=True):
        codes, categories = encoded[column] = encode(col[column])
        if "" in categories:
            row = int(np.flatnonzero(codes == categories.index(""))[0])
            msg = f"{name}: empty value of dimension {dim!r} in data row {row + 1}"
            raise ParseError(msg)
        out[dim] = categorical_of(codes, categories)
    label_codes, labels = encoded["TIME_PERIOD"] = encode(col["TIME_PERIOD"])
    periods = parse_periods(labels, name=name)
    out["time"] = periods.column(label_codes)
    # one code per period, so that 2020-03 and 2020M03 count as the same key
    time_codes = pd.factorize(periods.ordinals)[0][label_codes]
    out["value"] = floats(col["OBS_VALUE"])
    if "OBS_FLAG" in col:
        out["flag"] = strings_of(
            *encoded.setdefault("OBS_FLAG", encode(col["OBS_FLAG"]))
        )
    else:
        out["flag"] = strings_of(np.zeros(table.num_rows, np.int32), [""])
    if "CONF_STATUS" in col:
        statuses = encoded["CONF_STATUS"] = encode(col["CONF_STATUS"])
        if any(statuses[1]):
            out["conf_status"] = strings_of(*statuses)
    frame = pd.DataFrame(out, copy=False)
    dup = duplicated([*(encoded[c][0] for c in layout.dims), time_codes])
    report_duplicates(frame, dup, [*dims, "time"], name)
    frame.attrs = frame_attrs(layout, dims, table, encoded, name)
    return frame


def _read(
    text: bytes,
    body_start: int,
    types: dict[str, pa.DataType],
    value_at: int,
    name: str,
) -> pa.Table:
    """Read the body with pyarrow, turning its failures into ParseErrors."""
    body = memoryview(text)[body_start:]  # a view: no copy of the body
    try:
        return read_table(body, types, delimiter=",", quoting=True, name=name)
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
        _diagnose_values(text[body_start:], value_at, types, name)
        msg = f"{name}: could not read OBS_VALUE ({exc})"
        raise ParseError(msg) from exc


def _diagnose_values(
    body: bytes, value_at: int, types: dict[str, pa.DataType], name: str
) -> None:
    as_text = dict.fromkeys(types, pa.string())
    table = read_table(
        body, as_text, delimiter=",", quoting=True, name=name, threads=False
    )
    value_text = pc.utf8_trim_whitespace(combine(table.column(f"c{value_at}")))
    report_bad_numbers(value_text, lambda i: f"data row {i + 1}", name)
