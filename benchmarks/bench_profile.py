"""Where a cold and a warm load spend their time: stages timed, then cProfile.

For the largest real mirror file and the generated 5M-value file, times each stage
of ``fetch_dataset``'s cold path separately on the same bytes (median of N):

* ``gunzip`` — ``regiongap.sdmx._text.decompress``;
* ``parse`` — ``regiongap.sdmx.parse`` (includes the gunzip);
* ``to_table`` — ``regiongap.cache.codec.to_table`` (frame → Arrow table);
* ``write`` — ``regiongap.cache.store.write_table`` (Parquet, zstd, sha256, fsync,
  rename);
* ``write (no dictionary on value/time, no statistics)`` — the same Parquet write
  with ``use_dictionary`` limited to the dictionary columns and
  ``write_statistics=False``, to show what those two settings cost;
* ``read`` — ``regiongap.cache.store.read_table`` (checksum + Parquet read);
* ``to_frame`` — ``regiongap.cache.codec.to_frame`` (Arrow → the exact pandas
  dtypes);

then prints the top functions of a cProfile of one cold and one warm
``fetch_dataset`` from the loopback API (``output/profile_<code>_{cold,warm}.txt``).

Run: ``.venv/bin/python benchmarks/bench_profile.py``.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
from pathlib import Path

import _harness as h
from bench_load import GENERATED_CODE, GENERATED_VALUES
from eurostat_api_emulator import api_bytes, generate_tsv, serving

LARGEST_REAL = ("demo_r_pjanaggr3-2023-10", "alt/demo_r_pjanaggr3.2023-10.tsv.gz")
TOP = 25


def stages(raw: bytes, folder: Path, reps: int) -> dict[str, object]:
    """Median time of each stage of a cold load (no HTTP) and of a warm load."""
    import pyarrow.parquet as pq

    from regiongap import sdmx
    from regiongap.cache import codec
    from regiongap.cache import store as cache
    from regiongap.sdmx._text import decompress

    frame = sdmx.parse(raw)
    table, extra = codec.to_table(frame)
    target = folder / "stage.parquet"
    cache.write_table(target, table, {"dataset": "stage", **extra})
    dims = [c for c in table.column_names if c not in ("time", "value", "flag")]

    def tuned_write() -> None:
        with open(folder / "tuned.parquet", "wb") as sink:  # noqa: PTH123
            pq.write_table(
                table,
                sink,
                compression="zstd",
                use_dictionary=dims,
                write_statistics=False,
            )

    def read() -> None:
        cache.read_table(target)

    stored, prov = cache.read_table(target)
    times = h.measure_interleaved(
        {
            "gunzip": (lambda: decompress(raw, "x"), None),
            "parse": (lambda: sdmx.parse(raw), None),
            "to_table": (lambda: codec.to_table(frame), None),
            "write": (lambda: cache.write_table(target, table, prov), None),
            "write_tuned": (tuned_write, None),
            "read": (read, None),
            "to_frame": (lambda: codec.to_frame(stored, prov, target), None),
        },
        repeat=reps,
    )
    return {name: h.summary(t) for name, t in times.items()}


def profile(fn, path: Path) -> str:
    """cProfile *fn*; write the top of the report to *path*; return it."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(TOP)
    text = out.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    """Time the stages, profile cold and warm loads, write ``output/profile.json``."""
    import regiongap

    mirror = h.mirror_path()
    results = []
    with h.temp_dir("profile") as tmp, h.regiongap_env():
        generated = generate_tsv(GENERATED_VALUES, tmp / "gen", mirror)
        files = {
            LARGEST_REAL[0]: mirror / "eurostat" / LARGEST_REAL[1],
            GENERATED_CODE: Path(generated["path"]),
        }
        with serving(files) as base:
            loader = h.ColdLoader(tmp / "data", base)
            for code, path in files.items():
                reps = h.repeats(5)
                print(f"… {code}: stages, {reps} runs each", flush=True)
                raw = api_bytes(path.read_bytes())
                timing = stages(raw, tmp, reps)
                loader.prepare()
                loader.load(code)  # warm the imports and the server
                loader.prepare()
                cold = profile(
                    lambda code=code: loader.load(code),
                    h.OUTPUT_DIR / f"profile_{code}_cold.txt",
                )
                warm = profile(
                    lambda code=code: regiongap.fetch_dataset(code),
                    h.OUTPUT_DIR / f"profile_{code}_warm.txt",
                )
                print(f"\ncProfile, cold fetch_dataset({code!r}):\n{cold}")
                print(f"cProfile, warm fetch_dataset({code!r}):\n{warm}")
                results.append({"code": code, "stages": timing})
    h.print_table(
        "Stages of a load (median, same bytes, no HTTP)",
        ["dataset", *results[0]["stages"]],
        [
            [r["code"], *(h.fmt_seconds(s["median_s"]) for s in r["stages"].values())]
            for r in results
        ],
    )
    h.write_json("profile", {"results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
