"""``import regiongap`` time, and peak memory (RSS) of a 5-million-value load.

Import time: each run is a fresh interpreter that times ``import regiongap`` with
``time.perf_counter`` (best and median of N); also timed, for context, the first
use of ``regiongap.fetch_dataset`` (which imports pandas, pyarrow and the data
layer) and ``-X importtime``'s heaviest modules behind it.

Peak memory: a fresh interpreter loads the generated 5M-value dataset from the
loopback API and reports its peak resident set (``VmHWM`` of ``/proc/self/status``)
after its imports and after the load — cold (empty
cache), warm (cache filled), and, for comparison, ``eurostat.get_data_df`` and
``eurostat.get_data_df`` + the conversion to the tidy frame. The server runs in
its own process, so its memory is not counted. ``VmHWM`` rather than
``resource.getrusage(RUSAGE_SELF).ru_maxrss``: on Linux ``ru_maxrss`` carries over
the parent's resident set through fork + exec (the benchmark process holds
hundreds of MB), so a child would report the parent's peak, not its own.
``ru_maxrss`` is used only where ``/proc`` is missing.

Targets: import under 0.5 s; 5M-value peak under 1.5 GB.

Run: ``.venv/bin/python benchmarks/bench_import_memory.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

import _harness as h
from bench_load import GENERATED_CODE, GENERATED_VALUES
from eurostat_api_emulator import generate_tsv, serving

IMPORT_CHILD = """
import json, time
t = time.perf_counter()
import regiongap
t1 = time.perf_counter()
regiongap.fetch_dataset
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t, "first_fetch_access_s": t2 - t1}))
"""

LOAD_CHILD = """
import json, os, resource, time
def peak():
    try:  # this process's own high-water mark (see the module docstring)
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
import regiongap
from regiongap import sdmx  # noqa: F401  (what a load imports)
from regiongap.cache import codec, store  # noqa: F401
from regiongap.load import datasets  # noqa: F401
after_imports = peak()
t = time.perf_counter()
frame = regiongap.fetch_dataset({code!r})
seconds = time.perf_counter() - t
print(json.dumps({{
    "rss_after_imports": after_imports, "peak_rss": peak(), "load_s": seconds,
    "rows": len(frame), "frame_bytes": int(frame.memory_usage(deep=True).sum()),
}}))
"""

PEER_CHILD = """
import json, os, resource, time
def peak():
    try:  # this process's own high-water mark (see the module docstring)
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
from bench_load import peer_to_tidy
from eurostat_api_emulator import point_eurostat_package
import pandas
pkg = point_eurostat_package(os.environ["REGIONGAP_EUROSTAT_API"])
after_imports = peak()
t = time.perf_counter()
wide = pkg.get_data_df({code!r}, flags=True)
seconds = time.perf_counter() - t
peak_wide = peak()
tidy = peer_to_tidy(wide)
print(json.dumps({{
    "rss_after_imports": after_imports, "peak_rss": peak_wide,
    "peak_rss_with_tidy": peak(), "load_s": seconds, "rows": len(tidy),
}}))
"""


def import_times(runs: int) -> dict[str, object]:
    """Best and median ``import regiongap`` time over *runs* fresh interpreters."""
    results = [h.run_child(IMPORT_CHILD) for _ in range(runs)]
    imports = [r["import_s"] for r in results]
    first = [r["first_fetch_access_s"] for r in results]
    return {
        "import": {**h.summary(imports), "best_s": min(imports)},
        "first_fetch_access": {**h.summary(first), "best_s": min(first)},
    }


def heaviest_imports(limit: int = 8) -> list[dict[str, object]]:
    """The modules with the largest self import time under ``import regiongap``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(h.PROJECT / "src")
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import regiongap; regiongap.fetch_dataset",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, cumulative_us, name = _split(line)
        rows.append(
            {"module": name, "self_s": self_us / 1e6, "cum_s": cumulative_us / 1e6}
        )
    rows.sort(key=lambda r: r["self_s"], reverse=True)
    return rows[:limit]


def _split(line: str) -> tuple[str, int, int, str]:
    """``import time:  self | cumulative | name`` → its parts."""
    head, cumulative_us, name = line.split("|")
    label, self_us = head.rsplit(":", 1)
    return label, int(self_us), int(cumulative_us), name.strip()


def main() -> int:
    """Run the import and memory benchmarks; write ``output/import_memory.json``."""
    mirror = h.mirror_path()
    runs = h.repeats(15)
    print(f"… import regiongap: {runs} fresh interpreters", flush=True)
    imports = import_times(runs)
    heavy = heaviest_imports()
    memory: dict[str, object] = {}
    with h.temp_dir("memory") as tmp, h.regiongap_env():
        generated = generate_tsv(GENERATED_VALUES, tmp / "gen", mirror)
        with serving({GENERATED_CODE: generated["path"]}) as base:
            env = {
                "REGIONGAP_DATA_DIR": str(tmp / "data"),
                "REGIONGAP_EUROSTAT_API": base,
            }
            code = LOAD_CHILD.format(code=GENERATED_CODE)
            print("… 5M-value load, cold then warm, in fresh interpreters", flush=True)
            memory["regiongap_cold"] = h.run_child(code, env=env)
            memory["regiongap_warm"] = h.run_child(code, env=env)
            print("… 5M-value eurostat.get_data_df in a fresh interpreter", flush=True)
            memory["eurostat"] = h.run_child(
                PEER_CHILD.format(code=GENERATED_CODE), env=env
            )
    h.print_table(
        "import regiongap (fresh interpreters)",
        ["what", "best", "median", "runs"],
        [
            [
                "import regiongap",
                h.fmt_seconds(imports["import"]["best_s"]),
                h.fmt_seconds(imports["import"]["median_s"]),
                runs,
            ],
            [
                "then regiongap.fetch_dataset (lazy import of the data layer)",
                h.fmt_seconds(imports["first_fetch_access"]["best_s"]),
                h.fmt_seconds(imports["first_fetch_access"]["median_s"]),
                runs,
            ],
        ],
    )
    h.print_table(
        "heaviest imports behind regiongap.fetch_dataset (-X importtime, self time)",
        ["module", "self", "cumulative"],
        [
            [r["module"], h.fmt_seconds(r["self_s"]), h.fmt_seconds(r["cum_s"])]
            for r in heavy
        ],
    )
    rows = []
    for name, m in memory.items():
        rows.append(
            [
                name,
                h.fmt_bytes(m["rss_after_imports"]),
                h.fmt_bytes(m["peak_rss"]),
                h.fmt_bytes(m.get("peak_rss_with_tidy")),
                h.fmt_seconds(m["load_s"]),
            ]
        )
    h.print_table(
        f"peak RSS, {generated['values']:,}-value dataset (fresh interpreter each)",
        ["client", "after imports", "peak after load", "peak incl. →tidy", "load"],
        rows,
    )
    h.write_json(
        "import_memory",
        {
            "imports": imports,
            "heaviest_imports": heavy,
            "memory": memory,
            "generated_values": generated["values"],
            "median_import_s": statistics.median(imports["import"]["all_s"]),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
