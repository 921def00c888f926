"""One value per region and indicator: its own, or its parent region's, marked.

:func:`pick` takes an indicator long frame (years already limited to the panel's
window) and returns, per region of the panel, the latest year with a value. With
``fill_from_parent``, a region without a value of its own takes the latest value
of its NUTS 1 region, else of its country, **only** when its country publishes
the indicator at none of its regions of the panel's level in those years (the
country publishes it at a higher level only, as Germany does for household ICT
data). A value of the region itself always wins; a parent value is never taken
from another NUTS version (the frame must say, in ``attrs["nuts_year"]``, that its
codes are those of the panel's version). This is what the Regional Innovation
Scoreboard does, and says it does.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo.lists import nuts_codes
from regiongap.schema import FLAG, GEO, TIME, VALUE

__all__ = ["PICK_COLUMNS", "pick"]

#: Columns of :func:`pick`.
PICK_COLUMNS: tuple[str, ...] = (TIME, VALUE, FLAG, "source_level")


def _latest(frame: pd.DataFrame, codes: Collection[str]) -> pd.DataFrame:
    """Per code, the row of the latest year with a value (index ``geo``)."""
    wanted = pd.Index(list(codes), dtype=object)
    geo = pd.Index(frame[GEO].to_numpy(dtype=object))
    have = frame.loc[geo.isin(wanted) & frame[VALUE].notna().to_numpy()]
    have = have.sort_values([GEO, TIME], kind="stable")
    return have.drop_duplicates(GEO, keep="last").set_index(GEO)[[TIME, VALUE, FLAG]]


def _check_version(frame: pd.DataFrame, nuts_year: int, what: str) -> None:
    found = frame.attrs.get("nuts_year")
    if found != nuts_year:
        shown = "of no single NUTS version" if found is None else f"NUTS {found}"
        msg = (
            f"{what}: the values' codes are {shown}, the regions are NUTS "
            f"{nuts_year}; parent values are taken within one NUTS version only: "
            f"recode the values first (regiongap.recode_nuts(frame, "
            f"to_nuts_year={nuts_year}))"
        )
        raise SchemaError(msg)


def _parent_values(
    frame: pd.DataFrame,
    missing: pd.Index,
    level: int,
    nuts_year: int,
) -> pd.DataFrame:
    """Latest NUTS 1 (then NUTS 0) value of each region in *missing*."""
    out = pd.DataFrame(index=missing, columns=list(PICK_COLUMNS))
    left = missing
    for parent_level in range(level - 1, -1, -1):
        if left.empty:
            break
        valid = set(nuts_codes(nuts_year, parent_level)[GEO])
        parents = pd.Series(left.str[: 2 + parent_level], index=left)
        parents = parents[parents.isin(valid)]
        found = _latest(frame, set(parents))
        hit = parents[parents.isin(found.index)]
        rows = found.reindex(pd.Index(hit.to_numpy()))
        rows.index = hit.index
        rows["source_level"] = parent_level
        out.loc[hit.index] = rows[list(PICK_COLUMNS)].to_numpy()
        left = left.difference(hit.index, sort=False)
    return out.dropna(subset=[VALUE])


def pick(
    frame: pd.DataFrame,
    regions: pd.Index,
    level: int,
    *,
    fill_from_parent: bool = False,
    nuts_year: int = 2021,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return one value per region: the latest of its own, or its parent's.

    Parameters
    ----------
    frame : pandas.DataFrame
        An indicator long frame (``geo, time, value, flag``), years already
        limited; with *fill_from_parent* it holds the rows of the higher levels
        too, and ``attrs["nuts_year"]`` names the NUTS version of its codes.
    regions : pandas.Index
        The panel's regions (NUTS *level*, version *nuts_year*).
    level : int
        Their NUTS level.
    fill_from_parent : bool, default False
        Use a parent region's value where the region's country publishes none
        at *level*.
    nuts_year : int, default 2021
        NUTS version of *regions*.

    Returns
    -------
    values : pandas.DataFrame
        Indexed like *regions*: ``time`` (Int64), ``value`` (float64), ``flag``
        (string) and ``source_level`` (Int64: *level* for a region's own value,
        the parent's level for a parent value, ``<NA>`` without a value).
    info : dict
        ``from_parent`` (``{"nuts1": n, "nuts0": n}``: regions per parent level) and
        ``parent_countries`` (the countries whose regions took parent values).

    Raises
    ------
    SchemaError
        With *fill_from_parent*, when the frame's codes are not of the
        *nuts_year* version (``attrs["nuts_year"]``).

    Examples
    --------
    Germany publishes household internet access at NUTS 1 only; Austria at
    NUTS 2 (values hand-made, codes real):

    >>> frame = pd.DataFrame({
    ...     "geo": ["AT11", "AT12", "DE1", "DE", "AT1"],
    ...     "time": [2019, 2018, 2019, 2019, 2019],
    ...     "value": [88.0, 90.0, 93.0, 94.0, 89.0],
    ...     "flag": pd.array([None, "b", None, None, None], dtype="string")})
    >>> frame.attrs["nuts_year"] = 2021
    >>> regions = pd.Index(["AT11", "AT12", "AT13", "DE11", "DE21"], name="geo")
    >>> values, info = pick(frame, regions, 2, fill_from_parent=True)
    >>> values
          time  value  flag  source_level
    geo
    AT11  2019   88.0  <NA>             2
    AT12  2018   90.0     b             2
    AT13  <NA>    NaN  <NA>          <NA>
    DE11  2019   93.0  <NA>             1
    DE21  2019   94.0  <NA>             0
    >>> info
    {'from_parent': {'nuts1': 1, 'nuts0': 1}, 'parent_countries': ['DE']}

    AT13 stays empty: Austria publishes the indicator at NUTS 2.
    """
    own = _latest(frame, regions)
    own["source_level"] = level
    info: dict[str, Any] = {"from_parent": {}, "parent_countries": []}
    values = own
    if fill_from_parent:
        _check_version(frame, nuts_year, "fill_from_parent")
        at_level = frame.loc[frame[VALUE].notna(), GEO].astype(str)
        at_level = at_level[at_level.str.len() == 2 + level]
        publishing = set(at_level.str[:2])
        missing = regions.difference(own.index, sort=False)
        missing = missing[~missing.str[:2].isin(publishing)]
        parent = _parent_values(frame, missing, level, nuts_year)
        if len(parent):
            values = pd.concat([own, parent])
            counts = parent["source_level"].astype(int).value_counts()
            info["from_parent"] = {
                f"nuts{k}": int(counts[k]) for k in sorted(counts.index, reverse=True)
            }
            info["parent_countries"] = sorted(set(parent.index.str[:2]))
    values = values.reindex(regions)
    out = pd.DataFrame(
        {
            TIME: values[TIME].astype("Int64"),
            VALUE: values[VALUE].astype("float64"),
            FLAG: values[FLAG].astype("string"),
            "source_level": values["source_level"].astype("Int64"),
        },
        index=regions,
    )
    return out, info
