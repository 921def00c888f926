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
    else Path(__file__).resolve().parents[3] / "shared" / "data"
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
    if header.startswith(("DATAFLOW,", "STRUCTURE,")):
        reader = csv.reader(io.StringIO(text))
        columns = next(reader)
        lead = ("DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID")
        lead += ("STRUCTURE_NAME",)
        first_dim = max(i for i, c in enumerate(columns) if c in lead) + 1
        # SDMX-CSV 2.0 with labels=both: every code column is followed by its label
        labelled = columns[columns.index("TIME_PERIOD") + 1] != "OBS_VALUE"
        code_columns = columns[first_dim :: 2 if labelled else 1]
        dim_columns = code_columns[: code_columns.index("TIME_PERIOD")]
        dims = [c.lower() for c in dim_columns]
        for row in reader:
            if not row:
                continue
            record = dict(zip(columns, row, strict=True))
            key = (*(record[c] for c in dim_columns), int(record["TIME_PERIOD"]))
            value = record["OBS_VALUE"]
            number = None if value in ("", ":") else float(value)
            flag = record.get("OBS_FLAG") or None
            assert key not in cells, key
            cells[key] = (number, flag)
        return ("csv" if header.startswith("DATAFLOW,") else "csv2"), dims, cells
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
    if fmt in ("csv", "csv2"):
        assert len(frame) == rows
    else:
        assert len(frame) == rows * frame["time"].nunique()


def test_the_file_list_covers_the_mirror(mirror_path):
    on_disk = {
        p.relative_to(mirror_path / "eurostat").as_posix()
        for p in (mirror_path / "eurostat").rglob("*.gz")
    }
    assert set(FILES) == on_disk - NOT_SDMX
    assert len(FILES) == 20


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
    # SDMX-CSV 2.0 with label columns
    (
        "tgs00042.csv.gz",
        {"sectperf": "TOTAL", "unit": "PC_GDP", "geo": "BE10"},
        2020,
        None,
        None,
    ),
    (
        "tgs00109.csv.gz",
        {"unit": "PC", "isced11": "ED5-8", "age": "Y25-64", "sex": "T", "geo": "PT1C"},
        2019,
        18.7,
        None,
    ),
    (
        "alt/nama_10r_2gdp.2026-02.csv.gz",
        {"unit": "MIO_EUR", "geo": "PT19"},
        2023,
        36631.12,
        "p",
    ),
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


def test_sdmx_csv2_labels_and_confidentiality_are_kept(mirror_path):
    frame = parse((mirror_path / "eurostat" / "tgs00042.csv.gz").read_bytes())
    assert frame.attrs["dataflow"] == "ESTAT:TGS00042(1.0)"
    assert frame.attrs["title"] == "Intramural R&D expenditure (GERD) by NUTS 2 region"
    labels = frame.attrs["labels"]
    assert labels["geo"]["AT11"] == "Burgenland"
    assert labels["geo"]["PT1C"] == "Alentejo"
    assert labels["flag"]["b"] == "break in time series"
    assert labels["conf_status"] == {"C": "confidential"}
    assert frame.attrs["column_labels"]["geo"] == "Geopolitical entity (reporting)"
    # every geo code has its label, none is a column
    assert set(labels["geo"]) == set(frame["geo"].astype(str))
    assert not any(c.startswith("Geopolitical") for c in frame.columns)
    hit = frame[(frame["geo"] == "BE10") & (frame["time"] == 2020)]
    assert hit["conf_status"].tolist() == ["C"]


def as_sdmx_csv2(text: str, *, labels: bool) -> bytes:
    """Rewrite an SDMX-CSV 1.0 file as SDMX-CSV 2.0 (stdlib csv, row for row).

    With ``labels``, each code column gets a label column after it, as Eurostat's
    ``labels=both`` export writes it; the labels here are made up from the codes.
    """
    reader = csv.reader(io.StringIO(text))
    columns = next(reader)
    lead = [c for c in columns if c in ("DATAFLOW", "LAST UPDATE")]
    codes = columns[len(lead) :]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME"]
    for code in codes:
        head += [code, f"{code} label"] if labels else [code]
    writer.writerow(head)
    for row in reader:
        if not row:
            continue
        record = [f"label of {v}" if v else "" for v in row[len(lead) :]]
        cells = ["dataflow", row[0], "A title, with a comma"]
        for code, label in zip(row[len(lead) :], record, strict=True):
            cells += [code, label] if labels else [code]
        writer.writerow(cells)
    return out.getvalue().encode()


def _starts_with(relative: str, head: bytes) -> bool:
    with gzip.open(EUROSTAT / relative) as fh:
        return fh.read(len(head)) == head


CSV1_FILES = [f for f in FILES if _starts_with(f, b"DATAFLOW,")]  # SDMX-CSV 1.0


@pytest.mark.parametrize("labels", [False, True])
@pytest.mark.parametrize("relative", CSV1_FILES)
def test_a_mirror_file_rewritten_as_sdmx_csv2_parses_to_the_same_frame(
    mirror_path, relative, labels
):
    raw = (mirror_path / "eurostat" / relative).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    original = parse(raw)
    rewritten = parse(gzip.compress(as_sdmx_csv2(text, labels=labels), mtime=0))
    pd.testing.assert_frame_equal(rewritten, original)
    assert rewritten.attrs["format"] == "csv2"
    assert rewritten.attrs["dataflow"] == original.attrs["dataflow"]
    if labels:
        geo = rewritten.attrs["labels"]["geo"]
        assert geo == {g: f"label of {g}" for g in original["geo"].cat.categories}


TSV_FILES = [
    "nama_10r_3gdp.tsv.gz",
    "demo_r_pjanaggr3.tsv.gz",
    "reg_area3.tsv.gz",
    "alt/nama_10r_2gdp.2017.tsv.gz",
    "alt/demo_r_pjanaggr3.2023-10.tsv.gz",
]


@pytest.mark.mirror
@pytest.mark.parametrize("relative", TSV_FILES)
def test_the_two_ways_of_ordering_flags_give_the_same_column(
    mirror_path, monkeypatch, relative
):
    """The fast path (no flag holds white space) equals the trimming path."""
    from regiongap.sdmx import _from_tsv

    raw = (mirror_path / "eurostat" / relative).read_bytes()
    fast = parse(raw)
    monkeypatch.setattr(_from_tsv, "_untrimmed", lambda chunks: True)
    trimmed = parse(raw)
    assert fast["flag"].dtype == trimmed["flag"].dtype
    assert fast["flag"].equals(trimmed["flag"])
    assert fast.drop(columns="flag").equals(trimmed.drop(columns="flag"))


def test_flags_with_other_white_space_are_trimmed():
    # hand-made SDMX-TSV: a form feed after one flag, a no-break space after another
    raw = (
        "freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \n"
        "A,PC,AT1\t1 p\x0c\t2 \n"
        "A,PC,AT2\t3 e\u00a0\t4 b\n"
    ).encode()
    frame = parse(raw)
    assert frame["flag"].tolist() == ["p", pd.NA, "e", "b"]
