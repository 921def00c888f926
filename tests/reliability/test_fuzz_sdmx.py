"""Fuzzing :func:`regiongap.sdmx.parse` with mutated real files.

Seeds are small slices (header and a few lines) of every SDMX file in the mirror plus
the hand-made fixtures. Each example applies one to four mutations — truncation, byte
flips, inserted/deleted/duplicated lines, tabs and spaces swapped, cells swapped or
replaced, a random header, inserted random bytes — optionally gzips the result and
cuts the gzip stream. ``parse`` must either return a frame that keeps every invariant
of the tidy schema or raise :class:`~regiongap.errors.ParseError`; any other
exception, or a call slower than the deadline, fails the test. Runs derandomised
(fixed seed, no example database) so CI sees the same examples every time.
"""

from __future__ import annotations

import gzip
import os
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from regiongap.errors import ParseError
from regiongap.sdmx import FORMATS, parse

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "sdmx"
SEED_LINES = 6
MUTATIONS = (
    "truncate",
    "flip",
    "insert_bytes",
    "delete_line",
    "duplicate_line",
    "swap_tab_space",
    "swap_cells",
    "replace_cell",
    "random_header",
)
FUZZ = settings(
    max_examples=1500,
    deadline=5000,  # milliseconds per example (generous for loaded CI): a hang fails
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # parse is pure; fixtures are read-only
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@cache
def seeds(mirror: Path | None) -> tuple[bytes, ...]:
    """Header and first lines of each mirror SDMX file, and every fixture."""
    out = [p.read_bytes() for p in sorted(FIXTURES.glob("*.[tc]sv"))]
    if mirror is not None:
        eurostat = mirror / "eurostat"
        for path in sorted(eurostat.glob("*.gz")) + sorted(eurostat.glob("alt/*.gz")):
            if path.name.startswith("NUTS_"):
                continue
            text = gzip.decompress(path.read_bytes())
            lines = text.splitlines(keepends=True)
            out.append(b"".join(lines[:SEED_LINES]))
            out.append(b"".join(lines[:1] + lines[-SEED_LINES:]))
    return tuple(out)


@st.composite
def mutated(draw, pool: tuple[bytes, ...]) -> bytes:
    data = bytearray(draw(st.sampled_from(pool)))
    for _ in range(draw(st.integers(1, 4))):
        _mutate(draw, data, draw(st.sampled_from(MUTATIONS)))
    raw = bytes(data)
    if draw(st.booleans()):
        raw = gzip.compress(raw, mtime=0)
        if draw(st.booleans()):
            raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


#: what a cell may be replaced with ("replace_cell"), besides random bytes
ODD_CELLS = [
    b"",
    b":",
    b": ",
    b"1e308 ",
    b"-0 ",
    b"nan ",
    b"12 p q",
    b"x",
    b'"',
    b'"1,5"',
    b'1"2 p',
    b"\r",
]
#: what the first line may be replaced with ("random_header"), besides random bytes
ODD_HEADERS = [
    b"<!DOCTYPE html>",
    b'{"error":',
    b"freq,unit,geo\\TIME_PERIOD\t2020-Q1 \t2020 ",
    b"unit,geo\\time\t2021 \t2021 ",
    b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE",
    b"STRUCTURE,STRUCTURE_ID,freq,geo,TIME_PERIOD,OBS_VALUE",
    b"STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,geo,Geo,TIME_PERIOD,Time,OBS_VALUE,Value",
]


def _mutate_cells(draw, line: bytes, op: str) -> bytes:
    """Swap two cells of *line* or replace one with an odd value."""
    sep = b"\t" if b"\t" in line else b","
    cells = line.split(sep)
    a = draw(st.integers(0, len(cells) - 1))
    if op == "swap_cells":
        b = draw(st.integers(0, len(cells) - 1))
        cells[a], cells[b] = cells[b], cells[a]
    else:
        cells[a] = draw(st.sampled_from(ODD_CELLS) | st.binary(max_size=8))
    return sep.join(cells)


def _mutate_lines(draw, data: bytearray, lines: list[bytes], op: str) -> None:
    """Delete or duplicate a line, or change one of its cells."""
    k = draw(st.integers(0, len(lines) - 1))
    if op == "delete_line":
        del lines[k]
    elif op == "duplicate_line":
        lines.insert(draw(st.integers(0, len(lines))), lines[k])
    else:
        lines[k] = _mutate_cells(draw, lines[k], op)
    data[:] = b"\n".join(lines)


def _mutate(draw, data: bytearray, op: str) -> None:
    n = len(data)
    lines = bytes(data).split(b"\n")
    if op == "truncate":
        del data[draw(st.integers(0, n)) :]
    elif op == "flip" and n:
        i = draw(st.integers(0, n - 1))
        data[i] ^= draw(st.integers(1, 255))
    elif op == "insert_bytes":
        i = draw(st.integers(0, n))
        data[i:i] = draw(st.binary(min_size=1, max_size=12))
    elif op in ("delete_line", "duplicate_line", "swap_cells", "replace_cell"):
        _mutate_lines(draw, data, lines, op)
    elif op == "swap_tab_space":
        positions = [i for i, c in enumerate(data) if c in (9, 32)]
        if positions:
            i = draw(st.sampled_from(positions))
            data[i] = 32 if data[i] == 9 else 9
    elif op == "random_header":
        lines[0] = draw(st.sampled_from(ODD_HEADERS) | st.binary(max_size=40))
        data[:] = b"\n".join(lines)


def check_invariants(frame: pd.DataFrame) -> None:
    """Everything the tidy-frame contract promises."""
    assert isinstance(frame, pd.DataFrame)
    assert frame.attrs["format"] in FORMATS
    is_csv = frame.attrs["format"] in ("csv", "csv2")
    base = {"format", "last_update", "dataflow"}
    if frame.attrs["format"] == "csv2":
        extra = set(frame.attrs) - base - {"title"}
        assert extra in (set(), {"labels", "column_labels"})
        for column, labels in frame.attrs.get("labels", {}).items():
            assert column in frame.columns
            assert all(code and label for code, label in labels.items())
    else:
        assert set(frame.attrs) == base
    columns = list(frame.columns)
    tail = ["time", "value", "flag"]
    if columns[-1] == "conf_status":
        assert is_csv
        assert frame["conf_status"].dtype == "string"
        assert frame["conf_status"].notna().any()
        columns = columns[:-1]
    assert columns[-3:] == tail
    dims = columns[:-3]
    assert dims
    for dim in dims:
        assert dim == dim.lower() and dim.isidentifier()
        assert isinstance(frame[dim].dtype, pd.CategoricalDtype)
        assert not frame[dim].isna().any()
        assert "" not in set(frame[dim].cat.categories)
    time = frame["time"].dtype
    assert time == np.int64 or isinstance(time, pd.PeriodDtype)
    assert frame["value"].dtype == np.float64
    assert frame["flag"].dtype == "string"
    assert not (frame["flag"] == "").any()
    assert not frame.duplicated([*dims, "time"]).any()
    if not is_csv and len(frame):
        # a TSV frame is a full grid of series × periods
        assert len(frame) % frame["time"].nunique() == 0
    if frame.attrs["format"] != "csv":
        assert frame.attrs["last_update"] is None
    if not is_csv:
        assert frame.attrs["dataflow"] is None


def parse_or_parse_error(raw: bytes) -> None:
    try:
        frame = parse(raw, name="fuzzed")
    except ParseError as exc:
        message = str(exc)
        assert message.startswith("fuzzed: ")
        event("ParseError: " + " ".join(message.split()[1:4]))
        return
    check_invariants(frame)
    event(f"frame ({frame.attrs['format']})")


def _pool() -> tuple[bytes, ...]:
    """Seeds from the same mirror folder as conftest's ``mirror_path`` (if present)."""
    env = os.environ.get("REGIONGAP_TEST_MIRROR") or os.environ.get("REGIONGAP_MIRROR")
    mirror = (
        Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    return seeds(mirror if (mirror / "eurostat" / "MANIFEST.csv").is_file() else None)


POOL = _pool()


@FUZZ
@given(raw=mutated(POOL))
def test_parse_returns_a_tidy_frame_or_raises_parse_error(raw):
    parse_or_parse_error(raw)


@settings(FUZZ, max_examples=200)
@given(raw=st.binary(max_size=300))
def test_random_bytes(raw):
    parse_or_parse_error(raw)


@pytest.mark.parametrize("seed", range(len(POOL)))
def test_every_seed_parses(seed):
    check_invariants(parse(POOL[seed]))
