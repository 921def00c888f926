"""Run every benchmark (``make bench``) and print the figures against the targets.

Each ``bench_*.py`` runs in its own interpreter, prints its table and writes
``benchmarks/output/<name>.json``; this script then reads those files and prints
the table of issue 18 (:data:`ISSUE_18`: every row, its target and its verdict),
then the earlier targets of issue 9, and writes ``benchmarks/output/summary.json``.

A benchmark gives its rows of a target table as ``"targets"`` in its JSON: a list of
``{"row": <id>, "measured": <text>, "met": true | false | null}`` (see
``_harness.target``); the ids are those of :data:`ISSUE_18`. A row no benchmark of
the run measured is printed as "not measured". No figure survives a failed run:
a benchmark's JSON is deleted before it runs and again if it fails, the summary is
not written when any benchmark failed, and the run stops before measuring anything
when the mirror or the ``eurostat`` package is missing.

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
    "panel": "bench_panel.py",
    "uncertainty": "bench_uncertainty.py",
    "maps": "bench_maps.py",
}
GB = 1e9

#: issue 18's table: (row id, path, target), in the issue's order
ISSUE_18 = (
    ("choropleth-nuts2-first", "choropleth, NUTS 2, boundaries cached: first call",
     "≤ 0.5 s"),
    ("choropleth-nuts2-later", "choropleth, NUTS 2, boundaries cached: later calls",
     "≤ 0.25 s"),
    ("choropleth-nuts3", "choropleth, NUTS 3, boundaries cached", "≤ 0.5 s"),
    ("panel-warm", "panel(level=2) warm (nothing changed in the cache)", "≤ 0.1 s"),
    ("panel-cold", "panel(level=2) cold (empty cache, mirror)", "≤ 0.8 s"),
    ("index-uncertainty", "index_uncertainty, 1,000 variants", "≤ 0.5 s"),
    ("report-cold", "make report, 32 pages, cold", "≤ 30 s"),
    ("report-warm", "make report, 32 pages, warm", "≤ 20 s"),
    ("load-vs-eurostat",
     "cold load vs eurostat.get_data_df, same loopback server, in one run", "≥ 12×"),
    ("warm-over-cold", "warm load / cold load", "≤ 0.1"),
)  # fmt: skip


def _load(name: str) -> dict | None:
    path = h.OUTPUT_DIR / f"{name}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _verdict(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "MISSED")


def _row(target: str, figure: str, met: bool | None) -> list[str]:
    return [target, figure, _verdict(met)]


def _report_targets(report: dict) -> list[dict]:
    """Issue-18 rows from ``report.json`` when the report benchmark gives none."""
    if "runs" not in report:
        return []
    runs = report["runs"]
    out = []
    for run, limit in (("cold", 30), ("warm", 20)):
        if run in runs:
            seconds = runs[run]["seconds"]
            out.append(
                h.target(f"report-{run}", h.fmt_seconds(seconds), seconds <= limit)
            )
    return out


def measured_targets(outputs: dict[str, dict]) -> dict[str, dict]:
    """Row id -> the row as a benchmark of this run gave it."""
    found: dict[str, dict] = {}
    for name, doc in outputs.items():
        rows = doc.get("targets")
        if rows is None and name == "report":
            rows = _report_targets(doc)
        for row in rows or []:
            found[row["row"]] = row
    return found


def issue_18_rows(outputs: dict[str, dict]) -> list[list[str]]:
    """Every row of issue 18's table with the figure measured and its verdict."""
    found = measured_targets(outputs)
    rows = []
    for ident, path, target in ISSUE_18:
        row = found.get(ident)
        if row is None:
            rows.append([path, target, "not measured", "—"])
        else:
            rows.append([path, target, row["measured"], _verdict(row["met"])])
    return rows


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


#: benchmark output -> the rows of issue 9's targets it gives
_ISSUE_9_ROWS = {
    "load": _load_rows,
    "cache": _cache_rows,
    "floor": _floor_rows,
    "import_memory": _import_memory_rows,
    "scaling": _scaling_rows,
    "report": _report_rows,
    "report_browser": _browser_rows,
}


def issue_9_rows(outputs: dict[str, dict]) -> list[list[str]]:
    """One row per target of issue 9: the figure measured and whether it is met."""
    rows: list[list[str]] = []
    for name, make_rows in _ISSUE_9_ROWS.items():
        if name in outputs:
            rows.extend(make_rows(outputs[name]))
    return rows


def _precheck(names: list[str]) -> None:
    """Stop before measuring anything when the mirror or eurostat is missing."""
    h.mirror_path()
    if {"load", "import_memory"} & set(names):
        h.require_eurostat()


def _run(name: str) -> bool:
    """Run one benchmark in its own interpreter; its JSON exists only on success."""
    output = h.OUTPUT_DIR / f"{name}.json"
    output.unlink(missing_ok=True)  # never report figures of an earlier run
    print(f"\n=== {name} ({BENCHMARKS[name]}) ===", flush=True)
    proc = subprocess.run(
        [sys.executable, str(h.BENCH_DIR / BENCHMARKS[name])],
        cwd=h.PROJECT,
        check=False,
    )
    if proc.returncode != 0:
        output.unlink(missing_ok=True)
        print(f"=== {name} FAILED (exit {proc.returncode}): no figure kept ===")
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the named (default: all) benchmarks, then print the summary."""
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
        return 2
    _precheck(names)
    start = time.perf_counter()
    failed = [name for name in names if not _run(name)]
    outputs = {n: doc for n in names if n not in failed and (doc := _load(n))}
    h.print_table(
        "Targets (issue 18)",
        ["path", "target", "measured", "verdict"],
        issue_18_rows(outputs),
    )
    h.print_table(
        "Earlier targets (issue 9)",
        ["target", "measured", "verdict"],
        issue_9_rows(outputs),
    )
    m = h.machine()
    print(
        f"machine: {m['cpu'].get('Model name')} × {m['cpu'].get('CPU(s)')} CPUs, "
        f"{m['memory_total']} RAM; load average "
        + " ".join(f"{x:.2f}" for x in m["load_average"])
        + f"; python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    )
    print(f"total time {h.fmt_seconds(time.perf_counter() - start)}")
    if failed:
        print(f"benchmarks that failed: {failed}; summary.json not written")
        return 1
    h.write_json(
        "summary",
        {"issue_18": issue_18_rows(outputs), "issue_9": issue_9_rows(outputs)},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
