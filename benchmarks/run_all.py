"""Run every benchmark (``make bench``) and print the figures against the targets.

Each ``bench_*.py`` runs in its own interpreter, prints its table and writes
``benchmarks/output/<name>.json``; this script then reads those files and prints
one summary (also written to ``benchmarks/output/summary.json``).

Usage::

    .venv/bin/python benchmarks/run_all.py              # everything
    .venv/bin/python benchmarks/run_all.py load cache   # some of them
    REGIONGAP_BENCH_QUICK=1 .venv/bin/python benchmarks/run_all.py   # one repeat
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import _harness as h

#: benchmark name -> script, in the order they run
BENCHMARKS = {
    "load": "bench_load.py",
    "cache": "bench_cache.py",
    "floor": "bench_floor.py",
    "import_memory": "bench_import_memory.py",
    "scaling": "bench_scaling.py",
    "report": "bench_report.py",
    "report_browser": "bench_report_browser.py",
    "profile": "bench_profile.py",
}
GB = 1e9


def _load(name: str) -> dict | None:
    path = h.OUTPUT_DIR / f"{name}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _row(target: str, figure: str, met: bool | None) -> list[str]:
    verdict = "—" if met is None else ("met" if met else "MISSED")
    return [target, figure, verdict]


def _load_rows(load: dict) -> list[list[str]]:
    rows = []
    for r in load["results"]:
        if r["code"] in ("demo_r_pjanaggr3-2023-10", "gen_5m"):
            ratio = r["ratio_peer_over_cold"]
            with_tidy = r["ratio_peer_plus_tidy_over_cold"]
            rows.append(
                _row(
                    f"cold ≥10× faster than eurostat.get_data_df: {r['label']}",
                    f"{ratio:.1f}× ({with_tidy:.1f}× incl. →tidy)",
                    ratio >= 10,
                )
            )
    return rows


def _cache_rows(cache: dict) -> list[list[str]]:
    return [
        _row(
            f"warm ≤ 1/20 of cold: {r['label']}",
            f"1/{1 / r['warm_over_cold']:.0f}",
            r["warm_over_cold"] <= 1 / 20,
        )
        for r in cache["results"]
    ]


def _floor_rows(floor: dict) -> list[list[str]]:
    return [
        _row(
            f"parse within 3× of floor: {r['label']}",
            f"{r['parse_over_floor']:.2f}×",
            r["parse_over_floor"] <= 3,
        )
        for r in floor["results"]
    ]


def _import_memory_rows(imp: dict) -> list[list[str]]:
    best = imp["imports"]["import"]["best_s"]
    peak = imp["memory"]["regiongap_cold"]["peak_rss"]
    return [
        _row("import regiongap < 0.5 s", h.fmt_seconds(best), best < 0.5),
        _row(
            f"{imp['generated_values'] / 1e6:g}M-value load peak RSS < 1.5 GB",
            f"{peak / GB:.2f} GB",
            peak < 1.5 * GB,
        ),
    ]


def _scaling_rows(scaling: dict) -> list[list[str]]:
    per = [r["cold_s_per_million"] for r in scaling["results"]]
    return [
        _row(
            "load time grows linearly (s per M values, 0.5→5M)",
            " / ".join(f"{p:.2f}" for p in per),
            max(per[1:]) <= 1.25 * per[1],
        )
    ]


def _report_rows(report: dict) -> list[list[str]]:
    if "skipped" in report:
        return [_row("make report warm < 2 min", "skipped", None)]
    warm = report["runs"]["warm"]["seconds"]
    return [_row("make report warm < 2 min", h.fmt_seconds(warm), warm < 120)]


def _browser_rows(browser: dict) -> list[list[str]]:
    if "results" not in browser:
        return []
    drawn = [r["first_figure_s"] for r in browser["results"] if r["first_figure_s"]]
    slowest = max(drawn) if drawn else None
    largest = max(r["bytes"] for r in browser["results"])
    return [
        _row(
            "report draws its first figure in Chromium < 3 s (slowest page)",
            h.fmt_seconds(slowest),
            None if slowest is None else slowest < 3,
        ),
        _row(
            "each report HTML < 10 MB (largest)", h.fmt_bytes(largest), largest < 10e6
        ),
    ]


#: benchmark output -> the rows of targets it gives
_TARGET_ROWS = {
    "load": _load_rows,
    "cache": _cache_rows,
    "floor": _floor_rows,
    "import_memory": _import_memory_rows,
    "scaling": _scaling_rows,
    "report": _report_rows,
    "report_browser": _browser_rows,
}


def targets() -> list[list[str]]:
    """One row per target of issue 9: the figure measured and whether it is met."""
    rows: list[list[str]] = []
    for name, make_rows in _TARGET_ROWS.items():
        found = _load(name)
        if found:
            rows.extend(make_rows(found))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the named (default: all) benchmarks, then print the summary."""
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
        return 2
    failed = []
    start = time.perf_counter()
    for name in names:
        print(f"\n=== {name} ({BENCHMARKS[name]}) ===", flush=True)
        proc = subprocess.run(
            [sys.executable, str(h.BENCH_DIR / BENCHMARKS[name])],
            cwd=h.PROJECT,
            check=False,
        )
        if proc.returncode != 0:
            failed.append(name)
    rows = targets()
    h.print_table("Targets (issue 9)", ["target", "measured", "verdict"], rows)
    m = h.machine()
    print(
        f"machine: {m['cpu'].get('Model name')} × {m['cpu'].get('CPU(s)')} CPUs, "
        f"{m['memory_total']} RAM; python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    )
    print(f"total time {h.fmt_seconds(time.perf_counter() - start)}")
    h.write_json("summary", {"targets": rows, "failed": failed})
    if failed:
        print(f"benchmarks that failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
