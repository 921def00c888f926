r"""Pure derivations of indicators that Eurostat does not publish as such.

A derived indicator is a ratio of two observed series, joined region by region and
year by year:

.. math::

    x_{r,t} = \frac{n_{r,t}}{d_{r,t}} \times s

with :math:`n` the numerator (e.g. household income in million EUR), :math:`d` the
denominator (e.g. population on 1 January) and :math:`s` a scale (e.g. :math:`10^6`
to turn million EUR per person into EUR per person, 100 for a percentage). Nothing
here fetches data: frames in, frames out.

Flags travel with the value. A derived value carries the union of its parts' flag
letters, each letter once, in alphabetical order — the order Eurostat itself uses for
combined flags (``"bep"``, ``"bdu"``): ``"p"`` and ``"e"`` give ``"ep"``, ``"b"`` and
``"bp"`` give ``"bp"``, no flag on either side gives ``<NA>``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.schema import FLAG, GEO, TIME, VALUE, require_columns, require_unique

__all__ = ["DERIVATIONS", "combine_flags", "ratio"]

#: Derivations the catalogue may name; each one is a ratio (:func:`ratio`), the name
#: says what the denominator is.
DERIVATIONS: dict[str, str] = {
    "per_inhabitant": "numerator / population × scale",
    "per_km2": "numerator / area in km² × scale",
    "share_of_population": "part of the population / whole population × scale",
    "ratio": "numerator / denominator × scale",
}

_KEY = [GEO, TIME]


def combine_flags(*flags: pd.Series) -> pd.Series:
    """Return the union of the flag letters of aligned series, letters sorted.

    Parameters
    ----------
    *flags : pandas.Series
        Flag series of equal length (Eurostat flag letters, ``<NA>`` for none).

    Returns
    -------
    pandas.Series
        ``"string"`` dtype; each entry the distinct letters of all inputs in
        alphabetical order, ``<NA>`` when no input has a flag.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.Series(["p", None, "b", None], dtype="string")
    >>> b = pd.Series(["e", "e", "bp", None], dtype="string")
    >>> combine_flags(a, b).tolist()
    ['ep', 'e', 'bp', <NA>]
    """
    if not flags:
        msg = "combine_flags needs at least one flag series"
        raise SchemaError(msg)
    n = len(flags[0])
    if any(len(f) != n for f in flags):
        msg = f"flag series differ in length: {[len(f) for f in flags]}"
        raise SchemaError(msg)
    columns = [
        pd.Series(f, dtype="string").fillna("").to_numpy(dtype=object) for f in flags
    ]
    joined = columns[0]
    for col in columns[1:]:
        joined = joined + col
    # Few distinct combinations exist (a handful of letters), so map each once.
    uniques = pd.unique(joined)
    lookup = {u: ("".join(sorted(set(u))) or pd.NA) for u in uniques}
    out = pd.Series([lookup[v] for v in joined], dtype="string")
    out.index = flags[0].index
    return out


def ratio(
    numerator: pd.DataFrame,
    denominator: pd.DataFrame,
    scale: float = 1.0,
    *,
    what: str = "derived indicator",
) -> pd.DataFrame:
    """Divide two observed series region by region and year by year.

    Parameters
    ----------
    numerator, denominator : pandas.DataFrame
        Frames with ``geo``, ``time``, ``value``, ``flag``; ``(geo, time)`` unique in
        each.
    scale : float, default 1.0
        Multiplier applied to the quotient.
    what : str
        Name used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``geo, time, value, flag`` for every ``(geo, time)`` present in both inputs
        (inner join). ``value`` is NaN where either part is NaN or the denominator is
        zero or negative; ``flag`` is :func:`combine_flags` of both parts.

    Raises
    ------
    SchemaError
        If a frame lacks a column or repeats a ``(geo, time)`` key.
    """
    cols = [GEO, TIME, VALUE, FLAG]
    require_columns(numerator, cols, what=f"numerator of {what}")
    require_columns(denominator, cols, what=f"denominator of {what}")
    require_unique(numerator, _KEY, what=f"numerator of {what}")
    require_unique(denominator, _KEY, what=f"denominator of {what}")
    num = numerator[cols].astype({GEO: str})
    den = denominator[cols].astype({GEO: str})
    joined = num.merge(den, on=_KEY, how="inner", suffixes=("_num", "_den"))
    d = joined[f"{VALUE}_den"].to_numpy(dtype=float)
    n = joined[f"{VALUE}_num"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(d > 0, n / d, np.nan) * float(scale)
    out = pd.DataFrame(
        {
            GEO: joined[GEO].to_numpy(),
            TIME: joined[TIME].to_numpy(),
            VALUE: q,
            FLAG: combine_flags(
                joined[f"{FLAG}_num"], joined[f"{FLAG}_den"]
            ).to_numpy(),
        }
    )
    out[FLAG] = out[FLAG].astype("string")
    return out.sort_values(_KEY, kind="stable").reset_index(drop=True)
