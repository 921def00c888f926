"""Mirror files read for tests.

Most readers here are plain loops, independent of regiongap's parser: tests
recompute metrics on real data through them (a different code path from
:mod:`regiongap.sdmx`), so a parser bug cannot hide behind matching numbers.
:func:`nuts2_gdp_per_inhabitant` is the exception: figure tests want the frame
the library itself produces.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: the EU-27 member states as Eurostat codes them (EL, not GR), spelt out here on
#: purpose rather than taken from regiongap.geo.codes
EU27 = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)


def is_eu27_nuts2(geo: str) -> bool:
    """Whether ``geo`` is a NUTS 2 region of an EU-27 country (not extra-regio)."""
    return len(geo) == 4 and geo[:2] in EU27 and not geo.endswith("Z")


def old_tsv_series(path: Path, unit: str) -> dict[str, dict[int, float]]:
    """Read an old SDMX-TSV (``unit,geo\\time``): ``{geo: {year: value}}`` of ``unit``.

    Flags after a value are dropped; ``:`` (no value) leaves the year out.
    """
    out: dict[str, dict[int, float]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        years = [int(h) for h in fh.readline().rstrip("\n").split("\t")[1:]]
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            row_unit, geo = cells[0].split(",")
            if row_unit != unit:
                continue
            series = {}
            for year, cell in zip(years, cells[1:], strict=True):
                number = cell.strip().split(" ")[0]
                if number != ":":
                    series[year] = float(number)
            out[geo] = series
    return out


def old_tsv_year(path: Path, unit: str, year: int, level: int = 2) -> dict[str, float]:
    """``{geo: value}`` of ``unit`` in ``year``, NUTS ``level`` codes with a value."""
    return {
        geo: series[year]
        for geo, series in old_tsv_series(path, unit).items()
        if len(geo) == level + 2 and year in series
    }


def sdmx_csv_year(path: Path, unit: str, year: int, level: int = 2) -> dict[str, float]:
    """``{geo: value}`` of ``unit`` in ``year`` of an SDMX-CSV, NUTS ``level`` only."""
    out: dict[str, float] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            geo = row["geo"]
            if (
                row["unit"] == unit
                and row["TIME_PERIOD"] == str(year)
                and len(geo) == level + 2
                and row["OBS_VALUE"] != ""
            ):
                out[geo] = float(row["OBS_VALUE"])
    return out


def nuts2_gdp_per_inhabitant(mirror: Path, year: int = 2019) -> pd.DataFrame:
    """``nama_10r_2gdp`` (EUR_HAB, ``year``, NUTS 2 rows) parsed by regiongap.

    For figure tests, which need the tidy frame the library produces (flags and
    all) rather than an independent reading; ``attrs`` are the parser's.
    """
    from regiongap import sdmx

    frame = sdmx.parse((mirror / "eurostat" / "nama_10r_2gdp.csv.gz").read_bytes())
    out = frame[(frame["unit"] == "EUR_HAB") & (frame["time"] == year)].copy()
    out["geo"] = out["geo"].astype(str)
    return out[out["geo"].str.len() == 4].reset_index(drop=True)
