"""``make report`` end to end: ``regiongap report`` cold and warm, and file sizes.

Runs the command ``make report`` runs (``.venv/bin/regiongap report``, from the
project folder) twice in a subprocess with ``REGIONGAP_MIRROR`` set to the mirror:

* **cold** — a new empty ``REGIONGAP_DATA_DIR``: every dataset is read from the
  mirror, parsed and cached, then the reports are built;
* **warm** — the same data folder again: everything comes from the cache.

Reports the wall time of each and the size of every file written under
``reports/``. Target: warm under 2 minutes.

Skips with a message (exit 0) when the report builder (``regiongap.report.build``) is
not there yet or the command fails — the output JSON then says why.

Run: ``.venv/bin/python benchmarks/bench_report.py``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import _harness as h

TIMEOUT_S = 3600


def _command() -> list[str]:
    script = Path(sys.executable).with_name("regiongap")
    if script.is_file():
        return [str(script), "report"]
    return [sys.executable, "-m", "regiongap", "report"]


def _files(folder: Path) -> dict[str, tuple[float, int]]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime, p.stat().st_size)
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".gitkeep"
    }


def run_once(env: dict[str, str], reports: Path) -> dict[str, object]:
    """Run the report command; return time, status and the files it wrote."""
    before = _files(reports)
    start = time.perf_counter()
    proc = subprocess.run(
        _command(),
        env=env,
        cwd=h.PROJECT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = _files(reports)
    written = {
        name: size
        for name, (mtime, size) in after.items()
        if before.get(name, (None, None))[0] != mtime
    }
    return {
        "seconds": seconds,
        "returncode": proc.returncode,
        "stdout_tail": proc.stdout[-500:],
        "stderr_tail": proc.stderr[-2000:],
        "files": written,
    }


def skip(reason: str, **extra: object) -> int:
    """Print why the benchmark is skipped; record it in the JSON."""
    print(f"SKIPPED: {reason}")
    h.write_json("report", {"skipped": reason, **extra})
    return 0


def main() -> int:
    """Run the report benchmark; write ``output/report.json``."""
    mirror = h.mirror_path()
    if importlib.util.find_spec("regiongap.report.build") is None:
        return skip(
            "regiongap.report.build (the report builder) does not exist yet; "
            "`regiongap report` cannot run"
        )
    reports = h.PROJECT / "reports"
    runs = {}
    with h.temp_dir("report") as tmp:
        env = dict(os.environ)
        for key in h.REGIONGAP_ENV:
            env.pop(key, None)
        env["REGIONGAP_MIRROR"] = str(mirror)
        env["REGIONGAP_DATA_DIR"] = str(tmp / "data")
        for label in ("cold", "warm"):
            print(f"… regiongap report, {label} cache", flush=True)
            run = run_once(env, reports)
            runs[label] = run
            if run["returncode"] != 0:
                return skip(
                    f"`regiongap report` failed ({label} run, exit "
                    f"{run['returncode']}): {run['stderr_tail'][-600:]}",
                    runs=runs,
                )
    h.print_table(
        "regiongap report (what `make report` runs), mirror as source",
        ["run", "wall time"],
        [[label, h.fmt_seconds(r["seconds"])] for label, r in runs.items()],
    )
    h.print_table(
        "report files (written by the cold run)",
        ["file", "size"],
        [[n, h.fmt_bytes(s)] for n, s in sorted(runs["cold"]["files"].items())],
    )
    h.write_json("report", {"runs": runs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
