"""What every chart writes the same way: numbers, region names, the source line.

Numbers get as many decimals as their size needs (0 from 1,000, 1 from 10, else
2); a region is named from a ``geo -> name`` mapping, then its ``region_name``,
then its code; the source line defaults to the frame's provenance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from regiongap.viz.style import OKABE_ITO, source_note

__all__ = [
    "LEADER",
    "MEMBER",
    "PARTNERSHIP",
    "figure_source",
    "fmt",
    "name_of",
    "signed",
]

#: Members (and any highlighted region) in charts.
MEMBER = OKABE_ITO[3]
#: The lead region's reference line.
LEADER = OKABE_ITO[4]
#: The partnership median's reference line.
PARTNERSHIP = OKABE_ITO[0]


def figure_source(frame: pd.DataFrame, given: str | None) -> str:
    """Return *given*, else the source note of ``frame.attrs["provenance"]``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame charted.
    given : str, optional
        A source note passed by the caller.

    Returns
    -------
    str
        The note, without the geography part (charts draw no boundaries).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame()
    >>> frame.attrs["provenance"] = {"dataset": "nama_10r_2gdp"}
    >>> figure_source(frame, None)
    'Source: Eurostat (nama_10r_2gdp)'
    """
    if given is not None:
        return given
    return source_note(frame.attrs.get("provenance"), geography=None) or ""


def name_of(names: Mapping[str, str] | None, geo: str, fallback: object = None) -> str:
    """Return the name of region *geo*: from *names*, else *fallback*, else the code.

    Parameters
    ----------
    names : mapping of str to str, optional
        Region names by ``geo``.
    geo : str
        The region code.
    fallback : object, optional
        A name from the frame (used when it is a non-empty string).

    Returns
    -------
    str
        The name.

    Examples
    --------
    >>> name_of({"AT13": "Wien"}, "AT13"), name_of(None, "AT11", "Burgenland")
    ('Wien', 'Burgenland')
    >>> name_of(None, "AT12", float("nan"))
    'AT12'
    """
    if names is not None and geo in names:
        return str(names[geo])
    if isinstance(fallback, str) and fallback:
        return fallback
    return geo


def fmt(value: float | None) -> str:
    """Return *value* with thousands separators and the decimals its size needs.

    Parameters
    ----------
    value : float or None
        The number.

    Returns
    -------
    str
        The formatted number, or ``"n/a"`` when missing or infinite.

    Examples
    --------
    >>> fmt(45123.4), fmt(12.345), fmt(0.123), fmt(float("nan"))
    ('45,123', '12.3', '0.12', 'n/a')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    a = abs(value)
    decimals = 0 if a >= 1000 else 1 if a >= 10 else 2
    return f"{value:,.{decimals}f}"


def signed(value: float | None) -> str:
    """Return :func:`fmt` of *value* with a sign, for gaps.

    Parameters
    ----------
    value : float or None
        The gap.

    Returns
    -------
    str
        ``"+1,200"``, ``"-3.50"`` or ``"n/a"``.

    Examples
    --------
    >>> signed(1200.0), signed(-3.5), signed(None)
    ('+1,200', '-3.50', 'n/a')
    """
    text = fmt(value)
    return text if text.startswith("-") or text == "n/a" else "+" + text
