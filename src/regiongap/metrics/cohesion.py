r"""Cohesion-policy categories of regions and their participation in partnerships.

Regulation (EU) 2021/1060 (Common Provisions Regulation, OJ L 231, 30.6.2021),
Article 108(2), allocates ERDF and ESF+ resources for the Investment for jobs
and growth goal to three categories of NUTS 2 regions by GDP per head in
purchasing power standards (PPS), computed on Union figures for 2015–2017,
relative to the EU-27 average of the same reference period:

* **less developed** regions: GDP per head below 75 % of the EU-27 average;
* **transition** regions: between 75 % and 100 %;
* **more developed** regions: above 100 %.

:func:`cohesion_category` applies these thresholds to Eurostat's regional GDP
per inhabitant in PPS as a percentage of the EU-27 average (datasets
``nama_10r_2gdp`` / ``nama_10r_3gdp``, unit ``PPS_HAB_EU27_2020``):

.. math::

    \bar g_r = \frac{1}{|Y_r|}\sum_{t \in Y_r} g_{rt}, \qquad
    \text{category}(r) =
    \begin{cases}
      \text{less developed} & \bar g_r < 75\\
      \text{transition} & 75 \le \bar g_r < 100\\
      \text{more developed} & \bar g_r \ge 100
    \end{cases}

with :math:`g_{rt}` the region's percentage in year *t* and :math:`Y_r` the
reference years with a value. Conventions, so that results can be defended:

* Boundaries: 75 % exactly is *transition* (the Regulation says "less than
  75 %"); 100 % exactly is classed *more developed* here (the Regulation's
  "between 75 % and 100 %" / "above 100 %" leaves that single value ambiguous);
  such a tie is written in the ``note`` column.
* The average of the yearly percentages is used. The Regulation relates the
  region's 2015–2017 GDP per head to the EU-27's over the same period — a ratio
  of period averages, which differs from the mean of yearly ratios only in the
  second order (a fraction of a percentage point for regions whose growth
  differs from the EU's).
* Eurostat revises regional accounts every year. The official list is
  Commission Implementing Decision (EU) 2021/1130 of 5 July 2021 (OJ L 244,
  9.7.2021, p. 10), drawn from the figures available when it was prepared; with
  a later vintage a region close to a threshold can fall in the other category
  (with the 2023 vintage, Basilicata ITF5 and Madeira PT30 — less developed in
  the Decision — come out at 76 % and 75.7 %, i.e. transition).
* A region without a value for some reference years is classified on the years
  it has, and the ``note`` says which years were missing; with
  ``require_all_years=True`` it gets no category instead. A region with no
  reference-year value gets no category (``<NA>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError
from regiongap.membership.resolve import MembershipInput, resolve_memberships

__all__ = [
    "CATEGORIES",
    "PPS_UNIT",
    "cohesion_category",
    "participation_by_category",
]

CATEGORIES: tuple[str, ...] = ("less developed", "transition", "more developed")
"""The three categories of Regulation (EU) 2021/1060 Art. 108(2), in order."""

PPS_UNIT = "PPS_HAB_EU27_2020"
"""Eurostat unit code of GDP per inhabitant in PPS, % of the EU-27 (2020) average."""

_BINS = (-np.inf, 75.0, 100.0, np.inf)


def _long_from_input(gdp: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    if isinstance(gdp, pd.Series):
        if isinstance(gdp.index, pd.MultiIndex):
            names = list(gdp.index.names)
            if names != ["geo", "time"]:
                msg = (
                    "gdp_pps_pct_eu as a Series needs an index 'geo' or a MultiIndex "
                    f"('geo', 'time'); got {names}"
                )
                raise MetricInputError(msg)
            return gdp.rename("value").reset_index()
        return gdp
    if not isinstance(gdp, pd.DataFrame):
        msg = (
            "gdp_pps_pct_eu must be a long DataFrame (geo, time, value) or a Series; "
            f"got {type(gdp).__name__}"
        )
        raise MetricInputError(msg)
    missing = [c for c in ("geo", "time", "value") if c not in gdp.columns]
    if missing:
        msg = (
            f"gdp_pps_pct_eu is missing column(s) {missing}; it has "
            f"{list(gdp.columns)} (expected the long frame geo, time, value)"
        )
        raise MetricInputError(msg)
    if "unit" in gdp.columns:
        units = sorted({str(u) for u in gdp["unit"].dropna().unique()})
        if units != [PPS_UNIT]:
            msg = (
                f"gdp_pps_pct_eu has unit(s) {units}; the categories need GDP per "
                f"inhabitant in PPS as % of the EU-27 average: keep unit == "
                f"{PPS_UNIT!r} only"
            )
            raise MetricInputError(msg)
    frame = gdp[["geo", "time", "value"]].copy()
    frame["geo"] = frame["geo"].astype(str)
    if isinstance(frame["time"].dtype, pd.PeriodDtype):
        frame["time"] = frame["time"].dt.year
    return frame


def _given_values(values: pd.Series) -> tuple[pd.Series, pd.Series, dict[str, str]]:
    """Return the reference value of each region given directly (a Series by geo)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    numbers.index = numbers.index.astype(str)
    mean = numbers.groupby(level=0).first()
    n_years = pd.Series(pd.NA, index=mean.index, dtype="Int64")
    notes = {str(geo): "reference value given directly" for geo in mean.index}
    return mean, n_years, notes


def _reference_means(
    data: pd.DataFrame, years: list[int], require_all_years: bool
) -> tuple[pd.Series, pd.Series, dict[str, str]]:
    """Return the mean of each region's reference-year values, their count, notes."""
    dup = data.duplicated(["geo", "time"], keep=False)
    if dup.any():
        rows = data.loc[dup].head(5).to_dict("records")
        msg = f"gdp_pps_pct_eu has several rows per (geo, time), e.g. {rows}"
        raise MetricInputError(msg)
    ref = data[data["time"].isin(years) & data["value"].notna()]
    wide = ref.pivot(index="geo", columns="time", values="value")
    wide = wide.reindex(index=sorted(data["geo"].unique()), columns=years)
    n_years = wide.notna().sum(axis=1).astype("Int64")
    mean = wide.mean(axis=1)
    notes: dict[str, str] = {}
    for geo, row in wide.iterrows():
        key = str(geo)
        have = [y for y in years if pd.notna(row[y])]
        lost = [y for y in years if pd.isna(row[y])]
        if not have:
            notes[key] = f"no value in reference years {years}"
        elif lost and require_all_years:
            notes[key] = f"missing {', '.join(map(str, lost))}; require_all_years=True"
            mean.loc[key] = np.nan
        elif lost:
            notes[key] = (
                f"average of {', '.join(map(str, have))} only "
                f"(missing {', '.join(map(str, lost))})"
            )
    return mean, n_years, notes


def _note_boundaries(
    mean: pd.Series, category: pd.Series, notes: dict[str, str]
) -> None:
    """Add a note to every region exactly on a threshold (75 % or 100 %)."""
    for geo, value in mean.items():
        key = str(geo)
        if value in (75.0, 100.0):
            tie = (
                f"exactly {value:g} % of the EU-27 average: classed "
                f"{category.loc[key]} (boundary)"
            )
            notes[key] = f"{notes[key]}; {tie}" if key in notes else tie


def cohesion_category(
    gdp_pps_pct_eu: pd.DataFrame | pd.Series,
    reference_years: Sequence[int] = (2015, 2016, 2017),
    *,
    require_all_years: bool = False,
) -> pd.DataFrame:
    r"""Cohesion-policy category of each region from GDP per head in PPS (% EU-27).

    Thresholds, formula, sources (Regulation (EU) 2021/1060, Art. 108(2)) and
    the conventions for ties and missing years are in the module docstring
    (:mod:`regiongap.metrics.cohesion`).

    Parameters
    ----------
    gdp_pps_pct_eu : pandas.DataFrame or pandas.Series
        Either the long frame ``geo, time, value`` (e.g. ``nama_10r_2gdp`` or
        ``nama_10r_3gdp`` filtered to ``unit == "PPS_HAB_EU27_2020"``; a
        ``unit`` column, if present, must hold that unit only), a Series with a
        ``(geo, time)`` MultiIndex, or a Series indexed by ``geo`` that already
        holds the reference value of each region.
    reference_years : sequence of int
        Years to average (default 2015–2017, the reference period of the
        2021–2027 categories).
    require_all_years : bool
        ``False`` (default): classify on the reference years available, with a
        note. ``True``: no category unless every reference year has a value.

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (sorted), columns ``gdp_pps_pct_eu`` (the average),
        ``n_years`` (reference years with a value), ``category`` (ordered
        categorical: less developed < transition < more developed; ``<NA>``
        when not classified) and ``note`` (string, ``<NA>`` when nothing to say).
        ``attrs`` records the reference years and the rule.

    Raises
    ------
    MetricInputError
        Wrong shape or unit, no reference year, or duplicated (geo, time) rows.

    Examples
    --------
    >>> import pandas as pd
    >>> gdp = pd.DataFrame({"geo": ["A", "A", "B", "B", "C"],
    ...                     "time": [2015, 2016, 2015, 2016, 2015],
    ...                     "value": [70.0, 82.0, 120.0, 130.0, 99.0]})
    >>> out = cohesion_category(gdp, reference_years=(2015, 2016))
    >>> out["category"].tolist()
    ['transition', 'more developed', 'transition']
    >>> out.loc["C", "note"]
    'average of 2015 only (missing 2016)'
    """
    years = [int(y) for y in reference_years]
    if not years:
        msg = (
            "reference_years is empty; give at least one year, e.g. (2015, 2016, 2017)"
        )
        raise MetricInputError(msg)
    data = _long_from_input(gdp_pps_pct_eu)
    if isinstance(data, pd.Series):
        mean, n_years, notes = _given_values(data)
    else:
        mean, n_years, notes = _reference_means(data, years, require_all_years)
    category = pd.cut(mean, bins=list(_BINS), labels=list(CATEGORIES), right=False)
    _note_boundaries(mean, category, notes)
    note = pd.Series(pd.NA, index=mean.index, dtype="string")
    for geo, text in notes.items():
        note[geo] = text
    out = pd.DataFrame(
        {
            "gdp_pps_pct_eu": mean.astype("float64"),
            "n_years": n_years,
            "category": category,
            "note": note,
        }
    ).sort_index()
    out.index.name = "geo"
    out.attrs.update(
        {
            "reference_years": years,
            "require_all_years": bool(require_all_years),
            "rule": "less developed < 75 <= transition < 100 <= more developed",
            "source": "Regulation (EU) 2021/1060, Article 108(2)",
        }
    )
    return out


def _category_series(categories: pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(categories, pd.DataFrame):
        if "category" not in categories.columns:
            msg = (
                "categories must be the frame of cohesion_category (a 'category' "
                "column) or a Series geo -> category; columns: "
                f"{list(categories.columns)}"
            )
            raise MetricInputError(msg)
        categories = categories["category"]
    if not isinstance(categories, pd.Series):
        msg = (
            f"categories must be a Series or DataFrame, got {type(categories).__name__}"
        )
        raise MetricInputError(msg)
    out = categories.copy()
    out.index = out.index.astype(str)
    return out


def _member_sets(
    membership: MembershipInput, partnerships: Iterable[str] | None
) -> dict[str, set[str]]:
    """Return the members of every partnership in *membership* (or those asked for)."""
    found = {
        m.partnership if m.partnership is not None else "partnership": set(m.geos)
        for m in resolve_memberships(membership)
    }
    if partnerships is None:
        return found
    wanted = list(partnerships)
    unknown = [p for p in wanted if p not in found]
    if unknown:
        msg = f"partnerships {unknown} are not in membership; it has {list(found)}"
        raise MetricInputError(msg)
    return {p: found[p] for p in wanted}


def _share_rows(
    classified: pd.Series, flags: dict[str, pd.Series]
) -> list[dict[str, object]]:
    order = [c for c in CATEGORIES if c in set(classified)] + sorted(
        {str(c) for c in classified} - set(CATEGORIES)
    )
    rows: list[dict[str, object]] = []
    for name, flag in flags.items():
        for cat in [*order, "all"]:
            mask = (
                pd.Series(True, index=classified.index)
                if cat == "all"
                else classified.astype(str) == cat
            )
            n = int(mask.sum())
            k = int((flag & mask).sum())
            rows.append(
                {
                    "partnership": name,
                    "category": cat,
                    "n_regions": n,
                    "n_members": k,
                    "share": k / n if n else np.nan,
                }
            )
    return rows


def participation_by_category(
    categories: pd.DataFrame | pd.Series,
    membership: MembershipInput,
    *,
    partnerships: Iterable[str] | None = None,
) -> pd.DataFrame:
    r"""Share of the regions of each cohesion category that are in partnerships.

    .. math::

        s_{c} = \frac{|\{r \in c : r \text{ in} \ge 1 \text{ partnership}\}|}{|c|},
        \qquad
        s_{c,p} = \frac{|\{r \in c : r \in p\}|}{|c|}

    The universe is the regions of *categories* that have a category; members
    outside it (e.g. non-EU regions, or other NUTS levels) are not counted and
    are listed in ``attrs["members_outside"]``. Regions without a category are
    left out and counted in ``attrs["unclassified"]``.

    Many partnerships' member lists are partial (see
    :func:`regiongap.partnerships`), so shares computed from the whole registry
    are lower bounds; ``regiongap.membership_matrix(level=2,
    complete_only=True)`` restricts the count to complete lists.

    Parameters
    ----------
    categories : pandas.DataFrame or pandas.Series
        Output of :func:`cohesion_category`, or a Series geo -> category.
    membership : pandas.DataFrame, pandas.Series or list of str
        Region × partnership 0/1 matrix (:func:`regiongap.membership_matrix` at
        the level of *categories*), a long frame with ``geo`` and
        ``partnership_id`` (:func:`regiongap.members` with ``level=2``), a
        Series geo -> member flag or role, or a list of member codes; read by
        :func:`regiongap.membership.resolve.resolve_memberships` (``False``, 0,
        ``"false"``, ``"0"``, ``"none"`` and ``"non-member"`` are not members).
    partnerships : iterable of str, optional
        Partnerships to report one by one (default: every column). ``"any"``
        counts the regions in at least one of them.

    Returns
    -------
    pandas.DataFrame
        Columns ``partnership`` (``"any"`` = in at least one, then each
        partnership), ``category``, ``n_regions``, ``n_members``, ``share``
        (``n_members / n_regions``); one row per partnership × category plus an
        ``"all"`` category.

    Raises
    ------
    MetricInputError
        Unrecognised inputs, or no classified region.

    Examples
    --------
    >>> import pandas as pd
    >>> cats = pd.Series(["less developed", "less developed", "transition"],
    ...                  index=["A", "B", "C"])
    >>> m = pd.DataFrame({"geo": ["A", "C"], "partnership_id": ["p", "p"]})
    >>> out = participation_by_category(cats, m)
    >>> out[out["partnership"] == "any"]["share"].tolist()
    [0.5, 1.0, 0.6666666666666666]
    """
    cats = _category_series(categories)
    classified = cats.dropna()
    if classified.empty:
        msg = "categories has no classified region"
        raise MetricInputError(msg)
    sets = _member_sets(membership, partnerships)
    anywhere = set().union(*sets.values())
    outside = sorted(anywhere - set(classified.index))
    geos = classified.index
    flags = {"any": pd.Series(geos.isin(list(anywhere)), index=geos)}
    for name, geo_set in sets.items():
        flags[name] = pd.Series(geos.isin(list(geo_set)), index=geos)
    out = pd.DataFrame(_share_rows(classified, flags))
    out.attrs.update(
        {
            "members_outside": outside,
            "unclassified": int(cats.isna().sum()),
        }
    )
    return out
