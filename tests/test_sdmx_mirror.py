"""Every Eurostat file in the mirror, parsed and checked value for value.

The reference reading below is deliberately a different code path from
:mod:`regiongap.sdmx`: the standard library's ``gzip`` and ``csv`` modules and plain
Python loops over lines and cells, no pandas, no pyarrow.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
from pathlib import Path

import pandas as pd
import pytest

from regiongap.sdmx import parse, sniff_format

pytestmark = pytest.mark.mirror

# not SDMX datasets: the GISCO attribute table and the NUTS workbook
NOT_SDMX = {"NUTS_AT_2021.csv.gz"}
# the same folder as conftest's ``mirror_path``, listed at collection time
_MIRROR = os.environ.get("REGIONGAP_TEST_MIRROR") or os.environ.get("REGIONGAP_MIRROR")
EUROSTAT = (
    Path(_MIRROR)
    if _MIRROR
    else Path(__file__).resolve().parents[2] / "shared" / "data"
) / "eurostat"
FILES = sorted(
    p.relative_to(EUROSTAT).as_posix()
    for pattern in ("*.tsv.gz", "*.csv.gz", "alt/*.tsv.gz", "alt/*.csv.gz")
    for p in EUROSTAT.glob(pattern)
    if p.name not in NOT_SDMX
)


def reference_reading(path: Path) -> tuple[str, list[str], dict[tuple, tuple]]:
    """Read a file with the standard library: (format, dims, {key: (value, flag)})."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    lines = text.splitlines()
    header = lines[0]
    cells: dict[tuple, tuple] = {}
    if header.startswith("DATAFLOW,"):
        reader = csv.reader(io.StringIO(text))
        columns = next(reader)
        t = columns.index("TIME_PERIOD")
        dims = [c.lower() for c in columns[:t] if c not in ("DATAFLOW", "LAST UPDATE")]
        first_dim = t - len(dims)
        for row in reader:
            if not row:
                continue
            record = dict(zip(columns, row, strict=True))
            key = (*row[first_dim:t], int(record["TIME_PERIOD"]))
            value = record["OBS_VALUE"]
            number = None if value in ("", ":") else float(value)
            flag = record.get("OBS_FLAG") or None
            assert key not in cells, key
            cells[key] = (number, flag)
        return "csv", dims, cells
    head = header.split("\t")
    dim_part, time_word = head[0].split("\\")
    fmt = "tsv" if time_word == "TIME_PERIOD" else "tsv-old"
    dims = dim_part.lower().split(",")
    years = [int(label.strip()) for label in head[1:]]
    for line in lines[1:]:
        if not line.strip():
            continue
        parts = line.split("\t")
        series = tuple(parts[0].split(","))
        assert len(parts) == len(years) + 1, line
        for year, cell in zip(years, parts[1:], strict=True):
            value, _, flag = cell.strip().partition(" ")
            number = None if value == ":" else float(value)
            key = (*series, year)
            assert key not in cells, key
            cells[key] = (number, flag.strip() or None)
    return fmt, dims, cells


def parsed_cells(frame: pd.DataFrame, dims: list[str]) -> dict[tuple, tuple]:
    columns = [frame[d].astype(str).tolist() for d in dims]
    times = frame["time"].tolist()
    values = frame["value"].tolist()
    flags = frame["flag"].tolist()
    out = {}
    for i in range(len(frame)):
        key = (*(c[i] for c in columns), times[i])
        value = None if math.isnan(values[i]) else values[i]
        flag = None if flags[i] is pd.NA else flags[i]
        out[key] = (value, flag)
    return out


def manifest_rows(mirror_path: Path, relative: str) -> int:
    with (mirror_path / "eurostat" / "MANIFEST.csv").open(encoding="utf-8") as fh:
        (row,) = [row for row in csv.DictReader(fh) if row["file"] == relative]
    return int(row["rows"])


@pytest.mark.parametrize("relative", FILES)
def test_every_cell_matches_the_reference_reading(mirror_path, relative):
    path = mirror_path / "eurostat" / relative
    raw = path.read_bytes()
    frame = parse(raw, name=relative)
    fmt, dims, expected = reference_reading(path)

    assert frame.attrs["format"] == fmt == sniff_format(raw)
    extra = ["conf_status"] if "conf_status" in frame.columns else []
    assert list(frame.columns) == [*dims, "time", "value", "flag", *extra]
    assert len(frame) == len(expected)
    got = parsed_cells(frame, dims)
    assert len(got) == len(frame)  # keys unique
    # identical keys, bit-identical values (== on floats, None for NaN), same flags
    assert got == expected

    # line counts recorded in the manifest: series for TSV, observations for CSV
    rows = manifest_rows(mirror_path, relative)
    if fmt == "csv":
        assert len(frame) == rows
    else:
        assert len(frame) == rows * frame["time"].nunique()


def test_the_file_list_covers_the_mirror(mirror_path):
    on_disk = {
        p.relative_to(mirror_path / "eurostat").as_posix()
        for p in (mirror_path / "eurostat").rglob("*.gz")
    }
    assert set(FILES) == on_disk - NOT_SDMX
    assert len(FILES) == 14


def test_the_gisco_table_is_not_taken_for_sdmx(mirror_path):
    from regiongap.errors import ParseError

    raw = (mirror_path / "eurostat" / "NUTS_AT_2021.csv.gz").read_bytes()
    with pytest.raises(ParseError, match="CNTR_CODE,NUTS_ID"):
        parse(raw)


# cells checked by eye in the files (zcat … | grep)
KNOWN = [
    ("nama_10r_3gdp.tsv.gz", {"unit": "EUR_HAB", "geo": "AL"}, 2020, 4700.0, "p"),
    ("nama_10r_3gdp.tsv.gz", {"unit": "EUR_HAB", "geo": "AL"}, 2021, None, None),
    ("nama_10r_3gdp.tsv.gz", {"unit": "EUR_HAB", "geo": "AL"}, 2019, 4800.0, None),
    ("nama_10r_3gdp.tsv.gz", {"unit": "MIO_EUR", "geo": "DE11"}, 2021, 228221.68, "e"),
    (
        "demo_r_pjanaggr3.tsv.gz",
        {"freq": "A", "unit": "NR", "sex": "T", "age": "TOTAL", "geo": "DE11"},
        2023,
        4142738.0,
        "b",
    ),
    (
        "demo_r_pjanaggr3.tsv.gz",
        {"freq": "A", "unit": "NR", "sex": "F", "age": "Y_GE65", "geo": "TR715"},
        2025,
        None,
        "@N",
    ),
    (
        "reg_area3.tsv.gz",
        {"freq": "A", "landuse": "TOTAL", "unit": "KM2", "geo": "AL01"},
        2021,
        10820.0,
        "e",
    ),
    (
        "alt/demo_r_pjanaggr3.2023-10.tsv.gz",
        {"unit": "NR", "sex": "T", "age": "TOTAL", "geo": "AL"},
        2021,
        2829741.0,
        None,
    ),
    (
        "alt/nama_10r_2gdp.2017.tsv.gz",
        {"unit": "EUR_HAB", "geo": "FIZ"},
        2013,
        None,
        "e",
    ),
    (
        "hrst_st_rcat.csv.gz",
        {"freq": "A", "category": "HRST", "unit": "THS", "geo": "FRM"},
        2003,
        None,
        "bu",
    ),
    (
        "htec_emp_reg2.csv.gz",
        {"nace_r2": "HTC", "unit": "PC_EMP", "sex": "T", "geo": "EL41"},
        2012,
        None,
        "c",
    ),
    ("isoc_r_broad_h.csv.gz", {"unit": "PC_HH", "geo": "AL"}, 2018, 82.79, None),
]


@pytest.mark.parametrize(("relative", "where", "year", "value", "flag"), KNOWN)
def test_known_cells(mirror_path, relative, where, year, value, flag):
    frame = parse((mirror_path / "eurostat" / relative).read_bytes())
    mask = frame["time"] == year
    for column, code in where.items():
        mask &= frame[column] == code
    hit = frame.loc[mask]
    assert len(hit) == 1
    got = hit["value"].iloc[0]
    assert (math.isnan(got) and value is None) or got == value
    got_flag = hit["flag"].iloc[0]
    assert (got_flag is pd.NA and flag is None) or got_flag == flag
