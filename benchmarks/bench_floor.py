"""The physical floor: decompress and split the bytes, versus regiongap's parse.

For the bytes the API serves (see :func:`eurostat_api_emulator.api_bytes`):

* **floor** — ``isal.igzip.decompress`` (the fastest inflate at hand, the one the
  parser uses) then :func:`pyarrow.csv.read_csv` of the text,
  tab-separated, every column a string, no quoting, multithreaded: the least work
  any parser must do to split the file into cells;
* **decompress** — ``isal.igzip.decompress`` alone (part of the floor);
* **parse** — :func:`regiongap.sdmx.parse` (bytes → the tidy long frame, with
  value/flag split, numbers converted, periods parsed, keys checked);
* **parse + cache write** — parse, then the cache's table conversion and atomic
  Parquet write (``codec.to_table`` + ``store.write_table``), i.e. a cold load
  without the HTTP transfer.

Target: parse within 3× of the floor.

Run: ``.venv/bin/python benchmarks/bench_floor.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _harness as h
from bench_load import GENERATED_VALUES, REAL
from eurostat_api_emulator import api_bytes, generate_tsv
from isal import igzip


def floor(raw: bytes):
    """Decompress and split into all-string columns with pyarrow."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text = igzip.decompress(raw)
    ncols = text[: text.find(b"\n")].count(b"\t") + 1
    names = [f"c{i}" for i in range(ncols)]
    return pacsv.read_csv(
        pa.py_buffer(text),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string())
        ),
    )


def parse_and_write(raw: bytes, folder) -> None:
    """Parse, then write the cache file as fetch_dataset does."""
    from regiongap import sdmx
    from regiongap.cache import store as cache
    from regiongap.cache.codec import to_table

    frame = sdmx.parse(raw)
    table, extra = to_table(frame)
    cache.write_table(folder / "bench.parquet", table, {"dataset": "bench", **extra})


def bench_case(label: str, raw: bytes, folder, reps: int) -> dict[str, object]:
    """Floor, decompress, parse, and parse + write of one file."""
    from regiongap import sdmx

    frame = sdmx.parse(raw)
    times = h.measure_interleaved(
        {
            "floor": (lambda: floor(raw), None),
            "decompress": (lambda: igzip.decompress(raw), None),
            "parse": (lambda: sdmx.parse(raw), None),
            "parse_and_write": (lambda: parse_and_write(raw, folder), None),
        },
        repeat=reps,
    )
    out = {
        "label": label,
        "gz_bytes": len(raw),
        "values": len(frame),
        **{name: h.summary(t) for name, t in times.items()},
    }
    out["parse_over_floor"] = out["parse"]["median_s"] / out["floor"]["median_s"]
    out["parse_and_write_over_floor"] = (
        out["parse_and_write"]["median_s"] / out["floor"]["median_s"]
    )
    return out


def main() -> int:
    """Run the floor benchmark, print the table, write ``output/floor.json``."""
    mirror = h.mirror_path()
    results = []
    with h.temp_dir("floor") as tmp, h.regiongap_env(REGIONGAP_DATA_DIR=None):
        generated = generate_tsv(GENERATED_VALUES, tmp / "gen", mirror)
        files = [(label, mirror / "eurostat" / rel) for label, _, rel in REAL]
        files.append(
            (f"generated {GENERATED_VALUES / 1e6:g}M (new TSV)", generated["path"])
        )
        for label, path in files:
            raw = api_bytes(Path(path).read_bytes())
            reps = h.repeats(5 if "generated" in label else 9)
            print(f"… {label}: {reps} runs each", flush=True)
            results.append(bench_case(label, raw, tmp, reps))
    h.print_table(
        "Parse vs physical floor (median): gunzip + pyarrow.csv all-strings read",
        [
            "file",
            "values",
            "gunzip",
            "floor",
            "parse",
            "parse/floor",
            "parse+write",
            "(parse+write)/floor",
        ],
        [
            [
                r["label"],
                f"{r['values']:,}",
                h.fmt_seconds(r["decompress"]["median_s"]),
                h.fmt_seconds(r["floor"]["median_s"]),
                h.fmt_seconds(r["parse"]["median_s"]),
                h.fmt_ratio(r["parse_over_floor"]),
                h.fmt_seconds(r["parse_and_write"]["median_s"]),
                h.fmt_ratio(r["parse_and_write_over_floor"]),
            ]
            for r in results
        ],
    )
    h.write_json("floor", {"results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
