r"""Load: ``regiongap.fetch_dataset`` (cold cache) versus ``eurostat.get_data_df``.

Both clients download the same bytes from the same loopback server
(:mod:`eurostat_api_emulator`, in its own process), in the same interpreter, one
after the other:

* **regiongap, cold** — ``fetch_dataset(code)`` with an empty cache folder each run:
  download, parse, write the Parquet cache, return the tidy long frame.
* **eurostat** — ``eurostat.get_data_df(code, flags=True)`` (package 1.1.1,
  unmodified; only ``__Uri__.BASE_URL["EUROSTAT"]`` is pointed at the server):
  dataflow + datastructure + data requests, parse, wide frame. ``flags=True``
  because the tidy frame keeps Eurostat's flags.
* **eurostat → tidy** — what a user of the package must then do to get the same
  table as regiongap's: melt the wide frame to one row per cell, split value and
  flag columns, turn ``"2016_value"`` into the year, ``":"``/``": c"`` into the flag,
  dimensions into categoricals (:func:`peer_to_tidy`). The result is checked to be
  the same data as regiongap's (same keys, values and flags).

Datasets: the largest real mirror files and a generated ~5-million-value file in
the new SDMX-TSV format. The three are timed in turn, round after round (so a
change of load on a shared machine hits all alike); imports and a first round are
warmed up before timing;
``import regiongap`` itself is measured by ``bench_import_memory.py``.

Run: ``.venv/bin/python benchmarks/bench_load.py`` (``REGIONGAP_BENCH_QUICK=1`` for a
single repeat).
"""

from __future__ import annotations

import sys

import _harness as h
from eurostat_api_emulator import generate_tsv, point_eurostat_package, serving

#: (label, code served, mirror file relative to ``<mirror>/eurostat``)
REAL = (
    ("demo_r_pjanaggr3 (new TSV)", "demo_r_pjanaggr3", "demo_r_pjanaggr3.tsv.gz"),
    ("nama_10r_3gdp (old TSV)", "nama_10r_3gdp", "nama_10r_3gdp.tsv.gz"),
    (
        "demo_r_pjanaggr3 2023-10 (old TSV)",
        "demo_r_pjanaggr3-2023-10",
        "alt/demo_r_pjanaggr3.2023-10.tsv.gz",
    ),
)
GENERATED_VALUES = 5_000_000
GENERATED_CODE = "gen_5m"


def peer_to_tidy(wide):
    """Turn ``eurostat.get_data_df(code, flags=True)`` output into the tidy frame.

    The package gives one row per series: the dimension columns (the last one named
    ``geo\\TIME_PERIOD`` or ``geo\\time``), then ``{period}_value`` (float, NaN for
    ``:``) and ``{period}_flag`` (``""`` when none, ``":"`` for a bare missing value,
    ``": c"`` for a missing value with flag ``c``). Vectorised pandas throughout.
    """
    value_cols = [c for c in wide.columns if c.endswith("_value")]
    flag_cols = [c[: -len("_value")] + "_flag" for c in value_cols]
    id_cols = [c for c in wide.columns if not c.endswith(("_value", "_flag"))]
    long = wide.melt(
        id_vars=id_cols, value_vars=value_cols, var_name="time", value_name="value"
    )
    flags = wide.melt(value_vars=flag_cols, value_name="flag")["flag"]
    flag = flags.str.removeprefix(":").str.strip()
    long["flag"] = flag.where(flag != "", None).astype("string")
    long["time"] = long["time"].str[: -len("_value")].astype("int64")
    long["value"] = long["value"].astype("float64")
    names = {c: c.split("\\", 1)[0].lower() for c in id_cols}
    long = long.rename(columns=names)
    for col in names.values():
        long[col] = long[col].astype("category")
    return long


def same_data(ours, theirs) -> dict[str, object]:
    """Compare two tidy frames cell by cell (after sorting by their keys)."""
    import numpy as np

    dims = [c for c in ours.columns if c not in ("time", "value", "flag")]
    key = [*dims, "time"]
    if sorted(theirs.columns) != sorted(ours.columns):
        why = f"columns {list(theirs.columns)}"
        return {"same": False, "rows": len(ours), "why": why}
    a = ours[[*key, "value", "flag"]].astype(dict.fromkeys(dims, str))
    b = theirs[[*key, "value", "flag"]].astype(dict.fromkeys(dims, str))
    a = a.sort_values(key, ignore_index=True)
    b = b.sort_values(key, ignore_index=True)
    if len(a) != len(b):
        return {"same": False, "rows": len(a), "why": f"{len(a)} vs {len(b)} rows"}
    keys_equal = bool((a[key].to_numpy() == b[key].to_numpy()).all())
    values_equal = bool(
        np.array_equal(a["value"].to_numpy(), b["value"].to_numpy(), equal_nan=True)
    )
    flags_diff = int((a["flag"].fillna("") != b["flag"].fillna("")).sum())
    return {
        "rows": len(a),
        "same": keys_equal and values_equal and flags_diff == 0,
        "keys_equal": keys_equal,
        "values_equal": values_equal,
        "flag_mismatches": flags_diff,
    }


def bench_case(label, code, loader, pkg, reps) -> dict[str, object]:
    """Time one dataset with both clients; verify they return the same data."""
    loader.prepare()
    ours = loader.load(code)
    wide = pkg.get_data_df(code, flags=True)
    check = same_data(ours, peer_to_tidy(wide))
    del ours
    times = h.measure_interleaved(
        {
            "cold": (lambda: loader.load(code), loader.prepare),
            "peer": (lambda: pkg.get_data_df(code, flags=True), None),
            "tidy": (lambda: peer_to_tidy(wide), None),
        },
        repeat=reps,
    )
    cold, peer, tidy_times = times["cold"], times["peer"], times["tidy"]
    out = {
        "label": label,
        "code": code,
        "values": check["rows"],
        "regiongap_cold": h.summary(cold),
        "eurostat_get_data_df": h.summary(peer),
        "eurostat_to_tidy": h.summary(tidy_times),
        "wide_shape": list(wide.shape),
        "check": check,
    }
    rg = out["regiongap_cold"]["median_s"]
    pk = out["eurostat_get_data_df"]["median_s"]
    td = out["eurostat_to_tidy"]["median_s"]
    out["ratio_peer_over_cold"] = pk / rg
    out["ratio_peer_plus_tidy_over_cold"] = (pk + td) / rg
    return out


#: issue 18: regiongap's cold load at least this many times faster than eurostat's
TARGET_RATIO = 12


def targets(results: list[dict]) -> list[dict]:
    """The issue-18 row: the smallest ratio over the datasets decides."""
    ratios = [r["ratio_peer_over_cold"] for r in results]
    each = ", ".join(
        f"{r['values'] / 1e6:.2g}M {h.fmt_ratio(r['ratio_peer_over_cold'])}"
        for r in results
    )
    return [
        h.target(
            "load-vs-eurostat",
            f"{h.fmt_ratio(min(ratios))} at least ({each})",
            min(ratios) >= TARGET_RATIO,
        )
    ]


def main() -> int:
    """Run the load benchmark, print the table, write ``output/load.json``."""
    mirror = h.mirror_path()
    h.require_eurostat()
    results = []
    with h.temp_dir("load") as tmp, h.regiongap_env():
        generated = generate_tsv(GENERATED_VALUES, tmp / "gen", mirror)
        datasets = {code: mirror / "eurostat" / rel for _, code, rel in REAL}
        datasets[GENERATED_CODE] = generated["path"]
        cases = [(label, code) for label, code, _ in REAL]
        cases.append((f"generated {GENERATED_VALUES / 1e6:g}M (new TSV)", "gen_5m"))
        with serving(datasets) as base:
            pkg = point_eurostat_package(base)
            loader = h.ColdLoader(tmp / "data", base)
            for label, code in cases:
                reps = h.repeats(3 if code == GENERATED_CODE else 7)
                print(f"… {label}: {reps} runs each", flush=True)
                result = bench_case(label, code, loader, pkg, reps)
                result["gz_bytes"] = (
                    generated["bytes"]
                    if code == GENERATED_CODE
                    else datasets[code].stat().st_size
                )
                results.append(result)
    rows = []
    for r in results:
        rows.append(
            [
                r["label"],
                f"{r['values']:,}",
                h.fmt_seconds(r["regiongap_cold"]["median_s"]),
                h.fmt_seconds(r["eurostat_get_data_df"]["median_s"]),
                h.fmt_seconds(r["eurostat_to_tidy"]["median_s"]),
                h.fmt_ratio(r["ratio_peer_over_cold"]),
                h.fmt_ratio(r["ratio_peer_plus_tidy_over_cold"]),
                "yes" if r["check"]["same"] else f"NO {r['check']}",
            ]
        )
    h.print_table(
        "Load (median): regiongap cold vs eurostat.get_data_df(flags=True), "
        "same loopback server",
        [
            "dataset",
            "values",
            "regiongap cold",
            "eurostat",
            "eurostat→tidy",
            "eurostat/ours",
            "(eurostat+tidy)/ours",
            "same data",
        ],
        rows,
    )
    if not all(r["check"]["same"] for r in results):
        print("the two clients did not return the same data: no figure written")
        return 1
    h.write_json(
        "load",
        {
            "generated": {k: v for k, v in generated.items() if k != "path"},
            "results": results,
            "targets": targets(results),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
