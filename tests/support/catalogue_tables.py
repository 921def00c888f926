"""Hand-made SDMX-CSV tables served to the indicator layer in place of any source."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from regiongap.errors import DatasetNotFoundError
from regiongap.indicators import _memo, _sources
from regiongap.sdmx import parse

#: the SDMX-CSV header; ``{dims}`` are the dataset's dimensions between freq and geo
HEAD = "DATAFLOW,LAST UPDATE,freq,{dims},geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"


def rows(flow: str, *lines: str) -> str:
    """An SDMX-CSV table: a header, then lines ``freq,dims…,geo,time,value,flag``."""
    prefix = f"ESTAT:{flow}(1.0),01/01/22 23:00:00,"
    return "\n".join([lines[0], *(prefix + line for line in lines[1:])])


def serve_tables(
    monkeypatch: pytest.MonkeyPatch, tables: Mapping[str, str]
) -> dict[str, int]:
    """Make the indicator layer load ``tables`` (code -> SDMX-CSV text), parsed.

    Returns
    -------
    dict
        How often each dataset code was asked for (filled as the test runs). A code
        not in ``tables`` raises :class:`~regiongap.errors.DatasetNotFoundError`.
    """
    calls: dict[str, int] = {}

    def load(code, *, mirror, offline, refresh):
        calls[code] = calls.get(code, 0) + 1
        if code not in tables:
            msg = f"no table {code} in this test"
            raise DatasetNotFoundError(msg)
        return parse(tables[code].encode(), name=code)

    monkeypatch.setattr(_sources, "load_dataset", load)
    _memo.forget()  # a panel kept from other tables: the cache did not change
    return calls
