"""Plain readers of mirror files, independent of regiongap's parser.

Tests recompute metrics on real data through these loops (a different code path
from :mod:`regiongap.sdmx`), so a parser bug cannot hide behind matching numbers.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

#: the EU-27 member states as Eurostat codes them (EL, not GR), spelt out here on
#: purpose rather than taken from regiongap.nuts
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
