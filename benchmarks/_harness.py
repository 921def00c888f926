"""What every benchmark script shares: paths, timing, tables, JSON output, machine.

The scripts are run as ``python benchmarks/bench_*.py`` (or all at once by
``run_all.py``); this module puts the project root on ``sys.path`` so they can import
the loopback server from ``tests/support`` next to ``regiongap`` itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
OUTPUT_DIR = BENCH_DIR / "output"

if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

#: Environment variables that decide where regiongap reads and writes.
REGIONGAP_ENV = (
    "REGIONGAP_DATA_DIR",
    "REGIONGAP_MIRROR",
    "REGIONGAP_OFFLINE",
    "REGIONGAP_EUROSTAT_API",
)


def mirror_path() -> Path:
    """Return the real data mirror: ``REGIONGAP_MIRROR``, else ``../shared/data``."""
    env = os.environ.get("REGIONGAP_MIRROR", "").strip()
    path = Path(env) if env else PROJECT.parent / "shared" / "data"
    if not (path / "eurostat").is_dir():
        msg = (
            f"no Eurostat mirror at {path} (set REGIONGAP_MIRROR to a folder with "
            "eurostat/*.tsv.gz); the benchmarks read real data only, so nothing "
            "was measured and no figure was written"
        )
        raise SystemExit(msg)
    return path


def require_eurostat() -> None:
    """Stop with a clear message when the ``eurostat`` package is not installed.

    The load benchmarks compare regiongap with ``eurostat.get_data_df`` on the same
    server; without the package there is nothing to compare, and no figure is
    written.
    """
    try:
        import eurostat  # noqa: F401  (only checking that it is there)
    except ImportError as exc:
        msg = (
            f"the eurostat package is not installed ({exc}); the load benchmarks "
            "compare regiongap with eurostat.get_data_df on the same server. "
            "Install it with `.venv/bin/python -m pip install eurostat` (make install "
            "does) and run again; no figure was written."
        )
        raise SystemExit(msg) from exc


def target(row: str, measured: str, met: bool | None) -> dict[str, Any]:
    """One row of a target table in a benchmark's JSON (``targets`` list).

    *row* is the id of the row in ``run_all.ISSUE_18`` (or another table),
    *measured* the figure as printed, *met* the verdict (``None``: no verdict).
    """
    return {"row": row, "measured": measured, "met": met}


def quick() -> bool:
    """Whether ``REGIONGAP_BENCH_QUICK=1`` asks for fewer repeats (smoke runs)."""
    return os.environ.get("REGIONGAP_BENCH_QUICK", "").strip() in {"1", "true", "yes"}


def repeats(full: int) -> int:
    """Number of repeats: *full*, or 1 in quick mode."""
    return 1 if quick() else full


# ------------------------------------------------------------------------ timing
def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run *fn* once; return (seconds, result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(
    fn: Callable[[], Any],
    *,
    repeat: int,
    setup: Callable[[], Any] | None = None,
    warmup: int = 0,
) -> list[float]:
    """Time *fn* *repeat* times (after *warmup* untimed runs); *setup* is not timed."""
    for _ in range(warmup):
        if setup is not None:
            setup()
        fn()
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        seconds, _ = timed(fn)
        times.append(seconds)
    return times


def measure_interleaved(
    cases: Mapping[str, tuple[Callable[[], Any], Callable[[], Any] | None]],
    *,
    repeat: int,
    warmup: int = 1,
) -> dict[str, list[float]]:
    """Time several ``name: (fn, setup)`` in turn, round after round.

    Round *i* runs every case once, in order, so a change of machine load (other
    processes on a shared machine) hits all of them alike and their ratios stay
    fair. *setup* (not timed) runs before its case in every round.
    """
    times: dict[str, list[float]] = {name: [] for name in cases}
    for round_no in range(warmup + repeat):
        for name, (fn, setup) in cases.items():
            if setup is not None:
                setup()
            seconds, _ = timed(fn)
            if round_no >= warmup:
                times[name].append(seconds)
    return times


def summary(times: Sequence[float]) -> dict[str, Any]:
    """Median, min, max and all runs of a list of timings (seconds)."""
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs": len(times),
        "all_s": list(times),
    }


# ---------------------------------------------------------------- environment
@contextlib.contextmanager
def regiongap_env(**values: str | None) -> Iterator[None]:
    """Set (value) or unset (None) regiongap's environment variables, then restore.

    Variables of :data:`REGIONGAP_ENV` not named are unset, so nothing leaks in
    from the caller's shell (``make`` exports ``REGIONGAP_MIRROR``).
    """
    saved = {k: os.environ.get(k) for k in {*REGIONGAP_ENV, *values}}
    try:
        for key in REGIONGAP_ENV:
            os.environ.pop(key, None)
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=f"regiongap-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_child(
    code: str, *, env: Mapping[str, str] | None = None, timeout: float = 1800
) -> dict[str, Any]:
    """Run Python *code* in a fresh interpreter; it prints one JSON object last.

    Returns the decoded JSON. Raises RuntimeError with the child's stderr on failure.
    """
    full_env = dict(os.environ)
    for key in REGIONGAP_ENV:
        full_env.pop(key, None)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT), str(BENCH_DIR), full_env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=PROJECT,
    )
    if proc.returncode != 0:
        msg = f"child process failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
        raise RuntimeError(msg)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ reporting
def fmt_seconds(seconds: float | None) -> str:
    """Seconds in a readable unit."""
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(ratio: float | None) -> str:
    """A ratio with a precision fitting its size."""
    if ratio is None:
        return "—"
    if ratio >= 100:
        return f"{ratio:.0f}×"
    if ratio >= 10:
        return f"{ratio:.1f}×"
    return f"{ratio:.2f}×"


def fmt_bytes(size: float | None) -> str:
    """Bytes in MB (10^6) or KB."""
    if size is None:
        return "—"
    if size >= 1e6:
        return f"{size / 1e6:.1f} MB"
    return f"{size / 1e3:.1f} KB"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]):
    """Print an aligned text table (also valid Markdown)."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            + " |"
        )

    print(f"\n{title}\n")
    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(line(row))
    print()


def write_json(name: str, payload: Mapping[str, Any]) -> Path:
    """Write ``benchmarks/output/{name}.json`` (with machine and date); return it."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / f"{name}.json"
    doc = {
        "benchmark": name,
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "quick": quick(),
        **payload,
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path.relative_to(PROJECT)}")
    return path


def _pkg_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _command(args: Sequence[str]) -> str | None:
    try:
        proc = subprocess.run(
            list(args), capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None


def machine() -> dict[str, Any]:
    """CPU, memory and library versions of this machine."""
    cpu = {}
    for row in (_command(["lscpu"]) or "").splitlines():
        key, _, value = row.partition(":")
        if key.strip() in {"Model name", "CPU(s)", "Architecture", "Hypervisor vendor"}:
            cpu[key.strip()] = value.strip()
    mem = None
    for row in (_command(["free", "-h"]) or "").splitlines():
        if row.startswith("Mem:"):
            mem = row.split()[1]
    commit = (_command(["git", "-C", str(PROJECT), "rev-parse", "HEAD"]) or "").strip()
    changed = _command(
        ["git", "-C", str(PROJECT), "status", "--porcelain", "--", "src"]
    )
    return {
        "git_commit": commit or None,
        "src_uncommitted_changes": len((changed or "").splitlines()),
        "load_average": list(os.getloadavg()),
        "cpu": cpu,
        "memory_total": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: _pkg_version(name)
            for name in ("regiongap", "pandas", "pyarrow", "numpy", "eurostat")
        },
    }


# ------------------------------------------------------------- regiongap loads
class ColdLoader:
    """``regiongap.fetch_dataset`` on an empty cache, from the emulated API.

    Each :meth:`prepare` gives the next load a new empty ``REGIONGAP_DATA_DIR``
    under *root* (and removes the previous one), with ``REGIONGAP_EUROSTAT_API``
    pointing at *base_url* and no mirror, so every timed load downloads, parses
    and writes the cache.
    """

    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self.base_url = base_url
        self.runs = 0
        self.current: Path | None = None

    def prepare(self) -> None:
        """Start from an empty cache folder (not timed)."""
        if self.current is not None:
            shutil.rmtree(self.current, ignore_errors=True)
        self.runs += 1
        self.current = self.root / f"cold-{self.runs}"
        self.current.mkdir(parents=True)
        os.environ["REGIONGAP_DATA_DIR"] = str(self.current)
        os.environ["REGIONGAP_EUROSTAT_API"] = self.base_url
        for key in ("REGIONGAP_MIRROR", "REGIONGAP_OFFLINE"):
            os.environ.pop(key, None)

    def load(self, code: str):
        """Fetch *code* (timed by the caller)."""
        import regiongap

        return regiongap.fetch_dataset(code)
