"""``index_uncertainty`` with 1,000 variants on the mirror's NUTS 2 panel, 2019.

The panel is built once (mirror only, offline, a temporary data folder) with the
framework the reports use (``rg.index_framework``) and their settings
(``imputation="pillar_mean"``, ``min_coverage=0.5``); the module is imported
before timing, so imports are not counted. Measured:

* **first call** in the interpreter, and the **median of later calls**;
* the **CPU time** of the first call (``time.process_time``), which a busy machine
  inflates less than the wall-clock time; the load average is recorded;
* **before**: the same call with the screen's former implementation (cell by cell
  ``DataFrame.at``, which deep-copied the panel's ``attrs`` at every look-up), to
  show the speed-up in the same run; the two rank tables must be identical (the
  script fails otherwise).

Target (issue 18): ≤ 0.5 s. Run: ``.venv/bin/python benchmarks/bench_uncertainty.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import warnings

import _harness as h

N_RUNS = 1000
LATER_CALLS = 5


def _former_exclusions(observed, coverage, fw, settings):
    """The screen as it was: one ``DataFrame.at`` per cell."""
    from regiongap.metrics.composite import _steps

    indicators = fw["indicator"].tolist()
    pillar_of = dict(zip(fw["indicator"], fw["pillar"], strict=True))
    reasons = {}
    for geo in observed.index:
        missing = [i for i in indicators if not observed.at[geo, i]]
        if not missing:
            continue
        present = {pillar_of[i] for i in indicators if observed.at[geo, i]}
        reason = _steps._reason(missing, coverage[geo], present, pillar_of, settings)
        if reason is not None:
            reasons[str(geo)] = reason
    return reasons


def main() -> int:
    mirror = h.mirror_path()
    with (
        h.temp_dir("uncertainty") as data,
        h.regiongap_env(
            REGIONGAP_MIRROR=str(mirror),
            REGIONGAP_OFFLINE="1",
            REGIONGAP_DATA_DIR=str(data),
        ),
    ):
        import pandas as pd

        import regiongap as rg
        from regiongap.metrics.composite import _steps
        from regiongap.metrics.composite.uncertainty import index_uncertainty

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            panel = rg.panel(level=2, year=2019)
        framework, _ = rg.index_framework(panel)
        settings = rg.IndexSettings(imputation="pillar_mean", min_coverage=0.5)

        def call():
            return index_uncertainty(panel, framework, settings, n_runs=N_RUNS, seed=0)

        cpu0 = time.process_time()
        first_s, result = h.timed(call)
        first_cpu = time.process_time() - cpu0
        later = [h.timed(call)[0] for _ in range(h.repeats(LATER_CALLS))]
        now = _steps._exclusions
        _steps._exclusions = _former_exclusions
        try:
            before_s, before = h.timed(call)
        finally:
            _steps._exclusions = now
        pd.testing.assert_frame_equal(result, before, check_exact=True)
    median = statistics.median(later)
    rows = [
        ["first call", h.fmt_seconds(first_s)],
        ["first call, CPU time of the process", h.fmt_seconds(first_cpu)],
        [f"later calls (median of {len(later)})", h.fmt_seconds(median)],
        ["before: former screen (same run)", h.fmt_seconds(before_s)],
    ]
    h.print_table(
        f"index_uncertainty, {N_RUNS:,} variants, {len(result)} regions",
        ["call", "time"],
        rows,
    )
    h.write_json(
        "uncertainty",
        {
            "n_runs": N_RUNS,
            "regions": len(result),
            "indicators": len(framework),
            "first_s": first_s,
            "first_cpu_s": first_cpu,
            "load_average": list(os.getloadavg()),
            "later_s": later,
            "before_s": before_s,
            "targets": [
                h.target(
                    "index-uncertainty",
                    f"{h.fmt_seconds(first_s)} first call, {h.fmt_seconds(median)} "
                    f"later (was {h.fmt_seconds(before_s)})",
                    first_s <= 0.5,
                )
            ],
        },
    )
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"total {h.fmt_seconds(time.perf_counter() - t0)}")
    sys.exit(code)
