"""``rg.panel(level=2, year=2019)`` on the mirror: cold, warm, and the rebuild it saves.

Each measurement runs in a fresh interpreter with its own data folder (the mirror
as the only source, offline), after ``import regiongap.indicators.panel`` so that
the module imports are not counted:

* **cold** — empty cache: every dataset is read from the mirror, parsed and
  cached, then the panel is built and kept (``regiongap.indicators._memo``);
* **warm, same interpreter** — the same call again, nothing changed in the cache:
  the kept panel comes back from memory (median of several calls);
* **warm, new interpreter** — a new interpreter whose cache and kept panel exist:
  the panel comes back from ``<data dir>/processed/panels/`` (the checksum-keyed
  intermediate);
* **rebuild from the cache** — the panel built again from the cached datasets with
  the intermediate switched off: what every warm call cost before.

Targets (issue 18): warm ≤ 0.1 s, cold ≤ 0.8 s. The frames of every path are
compared with the rebuilt one (values, dtypes, attributes): the script fails when
they differ.

Run: ``.venv/bin/python benchmarks/bench_panel.py``.
"""

from __future__ import annotations

import statistics
import sys

import _harness as h

CALL = "rg.panel(level=2, year=2019)"
LATER_CALLS = 5

_CHILD = """
import json, time, warnings, hashlib
warnings.simplefilter("ignore")
import pandas as pd
import regiongap as rg
import regiongap.indicators.panel
if {rebuild}:  # the intermediate switched off: built from the cached datasets
    regiongap.indicators.panel.remembered = lambda key: None
def digest(frame):
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    kinds = json.dumps([list(map(str, frame.columns)), list(map(str, frame.dtypes))])
    text = json.dumps(frame.attrs, sort_keys=True, default=str)
    return hashlib.sha256(rows + kinds.encode() + text.encode()).hexdigest()
start = time.perf_counter()
first = {call}
first_s = time.perf_counter() - start
later, kept = [], []
for _ in range({later}):
    start = time.perf_counter()
    kept.append({call})
    later.append(time.perf_counter() - start)
assert all(digest(again) == digest(first) for again in kept)
print(json.dumps({{"first_s": first_s, "later_s": later, "digest": digest(first),
                   "rows": len(first), "columns": first.shape[1]}}))
"""


def _child(env: dict[str, str], *, rebuild: bool = False, later: int = 0) -> dict:
    code = _CHILD.format(call=CALL, rebuild=rebuild, later=later)
    return h.run_child(code, env=env)


def measure() -> dict[str, object]:
    """Cold, warm (both kinds) and rebuild timings, repeated."""
    mirror = h.mirror_path()
    cold, warm_memory, warm_disk, rebuild, digests = [], [], [], [], set()
    for _ in range(h.repeats(3)):
        with h.temp_dir("panel") as folder:
            env = {
                "REGIONGAP_DATA_DIR": str(folder),
                "REGIONGAP_MIRROR": str(mirror),
                "REGIONGAP_OFFLINE": "1",
            }
            first = _child(env, later=LATER_CALLS)
            cold.append(first["first_s"])
            warm_memory.append(statistics.median(first["later_s"]))
            disk = _child(env)
            warm_disk.append(disk["first_s"])
            built = _child(env, rebuild=True)
            rebuild.append(built["first_s"])
            digests |= {first["digest"], disk["digest"], built["digest"]}
    if len(digests) != 1:
        msg = f"the panels of the paths differ ({len(digests)} digests): not kept"
        raise SystemExit(msg)
    return {
        "call": CALL,
        "rows": first["rows"],
        "columns": first["columns"],
        "cold": h.summary(cold),
        "warm_same_interpreter": h.summary(warm_memory),
        "warm_new_interpreter": h.summary(warm_disk),
        "rebuild_from_cache": h.summary(rebuild),
    }


def main() -> int:
    """Measure, print the table, write ``output/panel.json``."""
    result = measure()
    cold = result["cold"]["median_s"]
    warm = max(
        result["warm_same_interpreter"]["median_s"],
        result["warm_new_interpreter"]["median_s"],
    )
    rows = [
        [name.replace("_", " "), h.fmt_seconds(result[name]["median_s"])]
        for name in (
            "cold",
            "warm_same_interpreter",
            "warm_new_interpreter",
            "rebuild_from_cache",
        )
    ]
    h.print_table(f"{CALL}: {result['rows']} regions", ["path", "median"], rows)
    targets = [
        h.target("panel-warm", h.fmt_seconds(warm), warm <= 0.1),
        h.target("panel-cold", h.fmt_seconds(cold), cold <= 0.8),
    ]
    h.write_json("panel", {**result, "targets": targets})
    return 0


if __name__ == "__main__":
    sys.exit(main())
