r"""The Eurostat API on loopback for the benchmarks, in its own process.

The server is the test suite's :class:`tests.support.fake_eurostat.FakeEurostat`
(data, dataflow, datastructure, codelist and table-of-contents endpoints at the
dissemination API's paths), composed here, not changed. What this module adds:

* **Its own process.** The benchmarks time clients (``regiongap`` and the
  ``eurostat`` package); a server thread inside the client's interpreter would
  compete with it for the GIL and blur the figures. :class:`Emulator` starts
  ``python eurostat_api_emulator.py --dataset CODE=FILE …`` and reads the base URL
  it prints; the server stops when the parent closes its stdin.
* **Bytes as the API sends them.** Eurostat's API ends TSV lines with ``\r\n``; the
  ``eurostat`` package splits the text on ``"\r\n"`` (``eurostat.py``,
  ``get_data``) and reads a file with bare ``\n`` as a single line. The new-format
  mirror files came from the API and already have ``\r\n``: they are served byte
  for byte. The old bulk files (``nama_10r_3gdp``, ``alt/…``) have ``\n``: they are
  served with ``\r\n`` line ends, re-gzipped at level 6 (:func:`api_bytes`). Both
  clients get exactly the same bytes.
* **A generated dataset** (:func:`generate_tsv`) of any size in the real new
  SDMX-TSV format, deterministic, written to a temporary folder at run time.

Redirecting the ``eurostat`` package: it builds every URL from the class attribute
``eurostat.eurostat.__Uri__.BASE_URL`` (one entry per provider); the benchmarks set
``BASE_URL["EUROSTAT"] = f"{base_url}/sdmx/2.1/"`` (:func:`point_eurostat_package`)
and change nothing else. ``get_data_df`` then asks, as against the real API,
``dataflow/ESTAT/{code}/latest``, ``datastructure/ESTAT/{CODE}/latest`` and
``data/{code}?format=TSV&compressed=true``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import subprocess
import sys
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent

#: Years of the generated dataset (columns, ascending as in the new format).
GEN_YEARS = tuple(range(1985, 2025))
_SEXES = ("F", "M", "T")
_AGES = (
    "TOTAL",
    "UNK",
    "Y_GE90",
    "Y_LT5",
    *(f"Y{a}-{a + 4}" for a in range(5, 90, 5)),
)
_UNITS = ("NR", "PC")
# flags Eurostat writes on population tables, with the share of cells carrying each
_FLAGS = ("", "b", "e", "p", "ep", "bp")
_FLAG_P = (0.94, 0.02, 0.015, 0.015, 0.005, 0.005)
_MISSING_SHARE = 0.10
_CONFIDENTIAL_SHARE = 0.02  # of missing cells: ": c"
_DECIMAL_SHARE = 0.3
GEN_SEED = 20240601


# ----------------------------------------------------------------------- bytes
def is_crlf(raw: bytes) -> bool:
    """Whether the (gzipped or plain) file's first line ends with ``\\r\\n``."""
    head = (
        zlib.decompressobj(wbits=31).decompress(raw, 1 << 20)
        if raw[:2] == b"\x1f\x8b"
        else raw[: 1 << 20]
    )
    end = head.find(b"\n")
    return end > 0 and head[end - 1 : end] == b"\r"


def api_bytes(raw: bytes) -> bytes:
    """Return *raw* as the API would send it: gzip, lines ending ``\\r\\n``.

    Files already with ``\\r\\n`` and gzipped are returned unchanged.
    """
    gz = raw[:2] == b"\x1f\x8b"
    if gz and is_crlf(raw):
        return raw
    text = gzip.decompress(raw) if gz else raw
    if not is_crlf(text):
        text = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return gzip.compress(text, compresslevel=6, mtime=0)


# ------------------------------------------------------------------ generation
def _geo_codes(mirror: Path) -> list[str]:
    """The official NUTS 2021 codes (levels 0–3) of the mirror's GISCO table."""
    import pandas as pd

    table = pd.read_csv(mirror / "eurostat" / "NUTS_AT_2021.csv.gz", dtype=str)
    return sorted(table["NUTS_ID"].dropna().unique().tolist())


def generate_tsv(n_values: int, folder: Path, mirror: Path) -> dict[str, object]:
    r"""Write ``{folder}/gen_{n}.tsv.gz``: about *n_values* cells in the new SDMX-TSV.

    Header ``freq,unit,sex,age,geo\TIME_PERIOD`` and the years of
    :data:`GEN_YEARS` (``"1985 "`` … as Eurostat writes them); one line per
    ``A,{unit},{sex},{age},{geo}`` series over the real NUTS 2021 codes; cells as
    Eurostat writes them: ``"1417141 "``, ``"9968.6 p"``, ``": "``, ``": c"``.
    Lines end with ``\r\n``. The content depends only on *n_values* (seeded).

    Returns
    -------
    dict
        ``path``, ``values`` (cells, ``:`` included), ``rows``, ``columns``,
        ``bytes`` (gzipped), ``text_bytes``, ``sha256``.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    geos = _geo_codes(mirror)
    ncols = len(GEN_YEARS)
    nrows = -(-n_values // ncols)
    keys: list[str] = []
    for unit in _UNITS:
        for sex in _SEXES:
            for age in _AGES:
                keys.extend(f"A,{unit},{sex},{age},{geo}" for geo in geos)
                if len(keys) >= nrows:
                    break
            if len(keys) >= nrows:
                break
        if len(keys) >= nrows:
            break
    if len(keys) < nrows:
        msg = f"the generator makes at most {len(keys) * ncols} values"
        raise ValueError(msg)
    keys = keys[:nrows]
    rng = np.random.default_rng(GEN_SEED)
    flags_dict = pa.array(_FLAGS)
    cells = []
    for _ in GEN_YEARS:
        ints = rng.integers(0, 5_000_000, nrows)
        decimal = rng.random(nrows) < _DECIMAL_SHARE
        number = pc.if_else(
            pa.array(decimal),
            pc.cast(pa.array(ints / 100.0), pa.string()),
            pc.cast(pa.array(ints), pa.string()),
        )
        missing = rng.random(nrows) < _MISSING_SHARE
        confidential = missing & (rng.random(nrows) < _CONFIDENTIAL_SHARE)
        flag = flags_dict.take(pa.array(rng.choice(len(_FLAGS), nrows, p=_FLAG_P)))
        flag = pc.if_else(pa.array(missing), "", flag)
        flag = pc.if_else(pa.array(confidential), "c", flag)
        value = pc.if_else(pa.array(missing), ":", number)
        cells.append(pc.binary_join_element_wise(value, flag, " "))
    lines = pc.binary_join_element_wise(pa.array(keys), *cells, "\t")
    header = "freq,unit,sex,age,geo\\TIME_PERIOD\t" + "\t".join(
        f"{y} " for y in GEN_YEARS
    )
    text = (header + "\r\n" + "\r\n".join(lines.to_pylist()) + "\r\n").encode()
    raw = gzip.compress(text, compresslevel=6, mtime=0)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gen_{n_values}.tsv.gz"
    path.write_bytes(raw)
    return {
        "path": str(path),
        "values": nrows * ncols,
        "rows": nrows,
        "columns": ncols,
        "bytes": len(raw),
        "text_bytes": len(text),
        "sha256": hashlib.sha256(raw).hexdigest(),
    }


# ---------------------------------------------------------------------- server
@dataclass
class Emulator:
    """Run the emulator in a child process serving *datasets* (code → file).

    Use as a context manager; :attr:`base_url` is the value for
    ``REGIONGAP_EUROSTAT_API``.
    """

    datasets: Mapping[str, str | Path]
    base_url: str = ""
    _proc: subprocess.Popen | None = None

    def __enter__(self) -> Emulator:
        args = [sys.executable, str(Path(__file__).resolve())]
        for code, path in self.datasets.items():
            args += ["--dataset", f"{code}={path}"]
        self._proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=PROJECT
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.__exit__()
            msg = f"the emulator did not start (said {line!r})"
            raise RuntimeError(msg)
        self.base_url = line
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()  # our own child, by its handle
            proc.wait()


def point_eurostat_package(base_url: str):
    """Point the ``eurostat`` package at *base_url*; return its module.

    The package reads its base URL from ``eurostat.eurostat.__Uri__.BASE_URL``; only
    the ``EUROSTAT`` provider's entry is changed.
    """
    from eurostat import eurostat as pkg

    pkg.__Uri__.BASE_URL["EUROSTAT"] = f"{base_url}/sdmx/2.1/"
    return pkg


@contextlib.contextmanager
def serving(datasets: Mapping[str, str | Path]) -> Iterator[str]:
    """Yield the base URL of an emulator (child process) serving *datasets*."""
    with Emulator(datasets) as emulator:
        yield emulator.base_url


def _serve(datasets: Mapping[str, str]) -> None:
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    from tests.support.fake_eurostat import FakeEurostat

    served = {code: api_bytes(Path(p).read_bytes()) for code, p in datasets.items()}
    with FakeEurostat(datasets=served) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin (or exits)


def main(argv: list[str] | None = None) -> None:
    """Serve ``--dataset CODE=FILE`` … until stdin closes; print the base URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", default=[], metavar="CODE=FILE")
    args = parser.parse_args(argv)
    datasets = dict(item.split("=", 1) for item in args.dataset)
    _serve(datasets)


if __name__ == "__main__":
    main()
