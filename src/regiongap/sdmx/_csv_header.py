"""The header of an SDMX-CSV file (1.0 or 2.0, with or without label columns).

Two generations of SDMX-CSV reach analysts from Eurostat:

* **1.0** (databrowser "linear" export, SDMX 2.1 API)::

    DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG[,CONF_STATUS]

* **2.0** (SDMX 3.0 API and today's data browser)::

    STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME],freq,unit,geo,TIME_PERIOD,OBS_VALUE,…

  and, with ``labels=both``, a label column after each code column::

    STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,unit,Unit of measure,
    geo,Geopolitical entity (reporting),TIME_PERIOD,Time,OBS_VALUE,Observation value,
    OBS_FLAG,Observation status (Flag) V2 structure,CONF_STATUS,Confidentiality …

A 2.0 file with label columns is recognised by the column after ``TIME_PERIOD``: it
is ``OBS_VALUE`` without labels and the period's label column with them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from regiongap.errors import ParseError

#: leading columns of each version, in the order they may appear
LEADING = {
    "csv": ("DATAFLOW", "LAST UPDATE"),
    "csv2": ("STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME"),
}
#: SDMX-CSV attribute columns and the output column each becomes.
ATTRIBUTES = {"OBS_FLAG": "flag", "CONF_STATUS": "conf_status"}
_EXPECTED = {
    "csv": "DATAFLOW[,LAST UPDATE],<dimensions…>,TIME_PERIOD,OBS_VALUE[,OBS_FLAG]"
    "[,CONF_STATUS]",
    "csv2": "STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME],<dimensions…>,TIME_PERIOD,"
    "OBS_VALUE[,OBS_FLAG][,CONF_STATUS], each code column optionally followed by "
    "its label column (labels=both)",
}


@dataclass(frozen=True)
class CsvHeader:
    """Where each component of an SDMX-CSV file sits in its rows.

    ``position`` maps each code column (``DATAFLOW``, ``geo``, ``TIME_PERIOD``,
    ``OBS_VALUE``, …) to its index; ``label_of`` maps a code column to the index
    of its label column (2.0 with ``labels=both`` only); ``header_label`` holds
    the label column's header text (``"Time frequency"``).
    """

    version: str
    columns: list[str]
    dims: list[str]
    position: dict[str, int]
    label_of: dict[str, int] = field(default_factory=dict)
    header_label: dict[str, str] = field(default_factory=dict)


def version_of(columns: list[str]) -> str:
    """Return ``"csv2"`` when the header starts with ``STRUCTURE``, else ``"csv"``."""
    return "csv2" if columns and columns[0] == "STRUCTURE" else "csv"


def read_header(header: str, name: str) -> CsvHeader:
    """Split the header line *header* into a :class:`CsvHeader`, or raise ParseError."""
    try:
        columns = [c.strip() for c in next(csv.reader([header]))]
    except (csv.Error, StopIteration) as exc:
        msg = f"{name}: unreadable SDMX-CSV header {header[:200]!r} ({exc})"
        raise ParseError(msg) from exc
    version = version_of(columns)
    lead = _leading(columns, LEADING[version])
    rest = columns[len(lead) :]
    labelled = _has_labels(version, rest)
    codes = rest[0::2] if labelled else rest
    layout = _components(codes)
    named = [*lead, *codes]
    if layout is None or (labelled and len(rest) % 2) or len(set(named)) != len(named):
        msg = (
            f"{name}: unexpected SDMX-CSV columns {columns}; expected "
            f"{_EXPECTED[version]}"
        )
        raise ParseError(msg)
    if version == "csv2" and lead[:2] != ["STRUCTURE", "STRUCTURE_ID"]:
        msg = (
            f"{name}: an SDMX-CSV 2.0 header starts 'STRUCTURE,STRUCTURE_ID'; "
            f"got {columns[:3]}"
        )
        raise ParseError(msg)
    position = {c: i for i, c in enumerate(lead)}
    label_of: dict[str, int] = {}
    header_label: dict[str, str] = {}
    step = 2 if labelled else 1
    for k, code in enumerate(codes):
        at = len(lead) + step * k
        position[code] = at
        if labelled:
            label_of[code] = at + 1
            header_label[code] = columns[at + 1]
    return CsvHeader(version, columns, layout, position, label_of, header_label)


def _leading(columns: list[str], allowed: tuple[str, ...]) -> list[str]:
    """Return the run of leading columns, in *allowed*'s order, each at most once."""
    lead: list[str] = []
    for column in columns:
        rest = allowed[allowed.index(lead[-1]) + 1 :] if lead else allowed
        if column not in rest:
            break
        lead.append(column)
    return lead


def _has_labels(version: str, rest: list[str]) -> bool:
    if version != "csv2" or "TIME_PERIOD" not in rest:
        return False
    after = rest.index("TIME_PERIOD") + 1
    return after < len(rest) and rest[after] != "OBS_VALUE"


def _components(codes: list[str]) -> list[str] | None:
    """Return the dimension columns if *codes* reads dims…,TIME_PERIOD,OBS_VALUE,…."""
    if "TIME_PERIOD" not in codes:
        return None
    t_pos = codes.index("TIME_PERIOD")
    dims = codes[:t_pos]
    attrs = codes[t_pos + 2 :]
    ok = (
        bool(dims)
        and t_pos + 1 < len(codes)
        and codes[t_pos + 1] == "OBS_VALUE"
        and all(c in ATTRIBUTES for c in attrs)
    )
    return dims if ok else None
