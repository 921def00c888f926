"""Eurostat time period labels → ``int64`` years or pandas Period ordinals.

Only the *distinct* labels are parsed (a TSV has one per column, a CSV a few dozen),
so the Python loop here never runs per cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regiongap.errors import ParseError
from regiongap.sdmx._text import listing

# The new (``2020-Q1``, ``2020-03``, ``2020-03-15``) and the old (``2020Q1``,
# ``2020M03``, ``2020M03D15``) spellings.
_PERIOD_RE = re.compile(
    r"""^(?P<year>\d{4})(?:
        (?P<a>)$
      | -?S(?P<s>[12])$
      | -?Q(?P<q>[1-4])$
      | (?:-|M|-M)(?P<m>0[1-9]|1[0-2])$
      | -?W(?P<w>\d{2})$
      | -(?P<dm>\d{2})-(?P<dd>\d{2})$
      | M(?P<odm>\d{2})D(?P<odd>\d{2})$
    )""",
    re.VERBOSE | re.ASCII,
)

#: pandas Period frequency of each Eurostat frequency other than annual.
PERIOD_FREQ = {"S": "6M", "Q": "Q-DEC", "M": "M", "W": "W-SUN", "D": "D"}
_FREQ_NAMES = {
    "A": "annual",
    "S": "semester",
    "Q": "quarterly",
    "M": "monthly",
    "W": "weekly",
    "D": "daily",
}


@dataclass(frozen=True)
class Periods:
    """Parsed distinct labels: one frequency, one ordinal per label.

    ``freq`` is ``"A"`` (ordinals are years) or a key of :data:`PERIOD_FREQ` (ordinals
    are :class:`pandas.Period` ordinals of that frequency).
    """

    freq: str
    ordinals: np.ndarray

    def column(self, codes: np.ndarray) -> np.ndarray | pd.arrays.PeriodArray:
        """Build the ``time`` column from positions into the distinct labels."""
        return self.column_of(self.ordinals[codes])

    def column_of(self, ordinals: np.ndarray) -> np.ndarray | pd.arrays.PeriodArray:
        """Build the ``time`` column from ordinals (years for annual data)."""
        values = ordinals.astype(np.int64, copy=False)
        if self.freq == "A":
            return values
        dtype = pd.PeriodDtype(PERIOD_FREQ[self.freq])
        return pd.arrays.PeriodArray(values, dtype=dtype)


def _one(label: str) -> tuple[str, int] | None:
    """Return the frequency and ordinal of one label, or None if it is not one."""
    m = _PERIOD_RE.match(label)
    if m is None:
        return None
    year = int(m["year"])
    try:
        if m["a"] is not None:
            return "A", year
        if m["s"] is not None:
            month = 1 if m["s"] == "1" else 7
            return "S", pd.Period(year=year, month=month, freq="6M").ordinal
        if m["q"] is not None:
            return "Q", pd.Period(year=year, quarter=int(m["q"]), freq="Q-DEC").ordinal
        if m["m"] is not None:
            return "M", pd.Period(year=year, month=int(m["m"]), freq="M").ordinal
        if m["w"] is not None:
            # ISO 8601 week: Monday to Sunday, i.e. pandas' week ending on Sunday
            monday = dt.date.fromisocalendar(year, int(m["w"]), 1)
            return "W", pd.Period(monday, freq="W-SUN").ordinal
        day_month, day_of_month = (
            (m["dm"], m["dd"]) if m["dm"] else (m["odm"], m["odd"])
        )
        day = dt.date(year, int(day_month), int(day_of_month))
        return "D", pd.Period(day, freq="D").ordinal
    except (ValueError, OverflowError):  # e.g. week 53 of a 52-week year, 30 Feb
        return None


def parse_periods(labels: Sequence[str], *, name: str) -> Periods:
    """Parse distinct period labels that share one frequency.

    Parameters
    ----------
    labels : sequence of str
        Distinct labels, stripped of surrounding white space.
    name : str
        What to call the source in an error message.

    Returns
    -------
    Periods
        The frequency and one ordinal per label.

    Raises
    ------
    regiongap.errors.ParseError
        If a label is not a period (the bad labels are named) or the labels mix
        frequencies (the labels of each frequency are named).
    """
    parsed = [_one(label) for label in labels]
    bad = [label for label, p in zip(labels, parsed, strict=True) if p is None]
    if bad:
        msg = (
            f"{name}: unparseable time period label(s) {listing(bad)}; expected "
            "YYYY, YYYY-Sn, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD (or the old "
            "spellings YYYYSn, YYYYQn, YYYYMmm, YYYYWww, YYYYMmmDdd)"
        )
        raise ParseError(msg)
    by_freq: dict[str, list[str]] = {}
    for label, p in zip(labels, parsed, strict=True):
        by_freq.setdefault(p[0], []).append(label)  # type: ignore[index]
    if len(by_freq) > 1:
        shown = "; ".join(
            f"{_FREQ_NAMES[f]} {listing(ls, 3)}" for f, ls in by_freq.items()
        )
        msg = (
            f"{name}: the time periods mix frequencies ({shown}); one frame holds "
            "one frequency, so fetch the dataset filtered to a single freq"
        )
        raise ParseError(msg)
    freq = next(iter(by_freq), "A")
    ordinals = np.array([p[1] for p in parsed], dtype=np.int64)  # type: ignore[index]
    return Periods(freq, ordinals)
