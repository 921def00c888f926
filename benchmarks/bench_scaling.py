"""Scaling: cold-load time and peak memory at 0.5, 1, 2 and 5 million values.

Generated datasets in the new SDMX-TSV format (same generator, same 40 years, more
series), served by the loopback API. For each size:

* cold ``regiongap.fetch_dataset`` time (median, in this interpreter, imports and
  first call warmed up), and the parse alone (``regiongap.sdmx.parse``);
* peak RSS of a cold load in a fresh interpreter (``VmHWM``), and the part of
  it above the interpreter's peak after imports.

Linear growth means a constant time (and memory) per million values; the table
shows both and a least-squares line through the points.

Run: ``.venv/bin/python benchmarks/bench_scaling.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _harness as h
from bench_import_memory import LOAD_CHILD
from eurostat_api_emulator import api_bytes, generate_tsv, serving

SIZES = (500_000, 1_000_000, 2_000_000, 5_000_000)


def _fit(xs: list[float], ys: list[float]) -> dict[str, float]:
    """Least-squares line y = a + b·x, with the largest relative residual."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    top = max(abs(y) for y in ys) or 1.0
    worst = max(
        abs(y - (intercept + slope * x)) / max(abs(y), 1e-12 * top)
        for x, y in zip(xs, ys, strict=True)
    )
    return {
        "intercept": intercept,
        "slope_per_million": slope,
        "max_rel_residual": worst,
    }


def main() -> int:
    """Run the scaling benchmark, print the table, write ``output/scaling.json``."""
    from regiongap import sdmx

    mirror = h.mirror_path()
    results = []
    with h.temp_dir("scaling") as tmp, h.regiongap_env():
        generated = {n: generate_tsv(n, tmp / "gen", mirror) for n in SIZES}
        datasets = {f"gen_{n}": g["path"] for n, g in generated.items()}
        with serving(datasets) as base:
            loader = h.ColdLoader(tmp / "data", base)
            for n in SIZES:
                code = f"gen_{n}"
                reps = h.repeats(5)
                print(f"… {n / 1e6:g}M values: {reps} runs", flush=True)
                cold = h.measure(
                    lambda code=code: loader.load(code),
                    repeat=reps,
                    setup=loader.prepare,
                    warmup=1,
                )
                raw = api_bytes(Path(generated[n]["path"]).read_bytes())
                parse = h.measure(
                    lambda raw=raw: sdmx.parse(raw), repeat=reps, warmup=1
                )
                child = h.run_child(
                    LOAD_CHILD.format(code=code),
                    env={
                        "REGIONGAP_DATA_DIR": str(tmp / f"rss-{n}"),
                        "REGIONGAP_EUROSTAT_API": base,
                    },
                )
                values = generated[n]["values"]
                results.append(
                    {
                        "values": values,
                        "gz_bytes": generated[n]["bytes"],
                        "cold": h.summary(cold),
                        "parse": h.summary(parse),
                        "peak_rss": child["peak_rss"],
                        "rss_after_imports": child["rss_after_imports"],
                        "load_rss": child["peak_rss"] - child["rss_after_imports"],
                        "cold_s_per_million": h.summary(cold)["median_s"]
                        / (values / 1e6),
                        "load_rss_per_million": (
                            child["peak_rss"] - child["rss_after_imports"]
                        )
                        / (values / 1e6),
                    }
                )
    millions = [r["values"] / 1e6 for r in results]
    time_fit = _fit(millions, [r["cold"]["median_s"] for r in results])
    mem_fit = _fit(millions, [float(r["load_rss"]) for r in results])
    h.print_table(
        "Scaling of a cold load (median time; peak RSS in a fresh interpreter)",
        [
            "values",
            "cold load",
            "s per M values",
            "parse",
            "peak RSS",
            "RSS above imports",
            "per M values",
        ],
        [
            [
                f"{r['values']:,}",
                h.fmt_seconds(r["cold"]["median_s"]),
                f"{r['cold_s_per_million']:.3f}",
                h.fmt_seconds(r["parse"]["median_s"]),
                h.fmt_bytes(r["peak_rss"]),
                h.fmt_bytes(r["load_rss"]),
                h.fmt_bytes(r["load_rss_per_million"]),
            ]
            for r in results
        ],
    )
    print(
        f"time ≈ {time_fit['intercept']:.3f} s + {time_fit['slope_per_million']:.3f} "
        f"s per million values (largest deviation "
        f"{time_fit['max_rel_residual']:.0%}); memory ≈ "
        f"{h.fmt_bytes(mem_fit['intercept'])} + "
        f"{h.fmt_bytes(mem_fit['slope_per_million'])} per million values "
        f"(largest deviation {mem_fit['max_rel_residual']:.0%})"
    )
    h.write_json(
        "scaling", {"results": results, "time_fit": time_fit, "memory_fit": mem_fit}
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
