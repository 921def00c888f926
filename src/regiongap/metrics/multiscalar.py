r"""Where does a region stand at each scale? Multiscalar deviations and redistribution.

The idea of the R package MTA (*Multiscalar Territorial Analysis*, riatelab;
Grasland, Ysebaert et al., ESPON HyperAtlas, 2006) is that a region's position
depends on the area it is compared with. Here four scales:

* **EU-27** (general deviation, MTA's ``gdev``): all EU-27 regions given;
* **country** (territorial deviation, ``tdev``): the regions of the same country;
* **partnership**: the members of the partnership (members only);
* **neighbours** (spatial deviation, ``sdev``): the region and its contiguous
  neighbours (:mod:`regiongap.metrics.spatial_weights`), as MTA's
  neighbourhood includes the region itself.

For a ratio :math:`x_i = a_i / p_i` (e.g. GDP in PPS per inhabitant, :math:`p_i`
the population) the reference of an area :math:`A` is the ratio of the sums,
:math:`r_A = \sum_{j\in A} a_j / \sum_{j \in A} p_j` (the population-weighted
mean of :math:`x`), and, as in MTA,

.. math::

    \text{relative}_i = 100\,\frac{x_i}{r_A}, \qquad
    \text{absolute}_i = (x_i - r_A)\,p_i = a_i - r_A\,p_i ,

the absolute deviation being the amount of the numerator (e.g. PPS of GDP) the
region would have to give (positive) or receive (negative) to stand exactly at the
reference. Without a population, :math:`r_A` is the plain mean and the absolute
deviation :math:`x_i - r_A` is in the value's own unit.

:func:`partnership_redistribution` gives the transfer that brings every member
below the partnership's median up to it:
:math:`g_m = \max(0, \tilde x - x_m)` per member, absolute :math:`g_m p_m` (or
:math:`g_m`), relative :math:`g_m / x_m` (the rise of the member's own value);
totals in ``attrs``, the absolute total also as a share of the partnership's
total :math:`\sum_m x_m p_m` (MTA's ``mas``, "multiscalar absolute synthesis",
on the partnership's median).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from regiongap.errors import DataQualityWarning, MembershipError, MetricInputError
from regiongap.geo.codes import is_eu27, nuts_country
from regiongap.membership.resolve import (
    MembershipInput,
    infer_level,
    resolve_membership,
)
from regiongap.metrics.spatial_weights import RegionWeights

__all__ = ["SCALES", "multiscalar_deviation", "partnership_redistribution"]

#: The scales of :func:`multiscalar_deviation`, in order.
SCALES = ("eu27", "country", "partnership", "neighbours")


def _inputs(
    values: pd.Series, population: pd.Series | None
) -> tuple[pd.Series, pd.Series | None]:
    if not isinstance(values, pd.Series):
        msg = f"values must be a Series indexed by geo, got {type(values).__name__}"
        raise MetricInputError(msg)
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    x.index = pd.Index([str(g) for g in values.index], name="geo")
    x = x.dropna()
    if len(x) < 2:
        msg = f"fewer than 2 regions have a value ({len(x)}); deviations need 2"
        raise MetricInputError(msg)
    if population is None:
        return x, None
    if not isinstance(population, pd.Series):
        kind = type(population).__name__
        msg = f"population must be a Series indexed by geo, got {kind}"
        raise MetricInputError(msg)
    pop = pd.to_numeric(population, errors="coerce").astype("float64")
    pop.index = pd.Index([str(g) for g in population.index], name="geo")
    pop = pop.reindex(x.index)
    bad = pop.index[pop <= 0].tolist()
    if bad:
        msg = f"population must be positive; it is not for {bad[:10]}"
        raise MetricInputError(msg)
    missing = pop.index[pop.isna()].tolist()
    if missing:
        warnings.warn(
            f"{len(missing)} region(s) without a population left out: "
            f"{', '.join(missing[:12])}",
            DataQualityWarning,
            stacklevel=3,
        )
        x, pop = x.drop(index=missing), pop.drop(index=missing)
    if len(x) < 2:
        msg = f"fewer than 2 regions have a value and a population ({len(x)})"
        raise MetricInputError(msg)
    return x, pop


def _reference(x: pd.Series, pop: pd.Series | None, area: list[str]) -> float:
    if not area:
        return float("nan")
    if pop is None:
        return float(x[area].mean())
    return float((x[area] * pop[area]).sum() / pop[area].sum())


def _deviations(
    out: pd.DataFrame, scale: str, ref: pd.Series, pop: pd.Series | None
) -> None:
    x = out["value"]
    out[f"{scale}_reference"] = ref
    out[f"{scale}_relative"] = 100.0 * x / ref
    gap = x - ref
    out[f"{scale}_absolute"] = gap * pop if pop is not None else gap


def _neighbour_refs(
    x: pd.Series, pop: pd.Series | None, weights: RegionWeights
) -> pd.Series:
    w = weights.w
    refs = {}
    for geo in x.index:
        if geo not in w.neighbors:
            refs[geo] = np.nan
            continue
        area = [geo] + [str(n) for n in w.neighbors[geo] if str(n) in x.index]
        refs[geo] = _reference(x, pop, area)
    return pd.Series(refs, dtype="float64")


def multiscalar_deviation(
    values: pd.Series,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    weights: RegionWeights | None = None,
    population: pd.Series | None = None,
) -> pd.DataFrame:
    """Return each region's deviation from four references (EU-27 … neighbours).

    Formulas and references are in the module docstring
    (:mod:`regiongap.metrics.multiscalar`).

    Parameters
    ----------
    values : pandas.Series
        One value per region, indexed by ``geo`` (a ratio such as GDP per
        inhabitant, or an index score).
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members` at the level of
        *values*; without it (and without *membership*) the partnership scale is
        left empty.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    weights : RegionWeights, optional
        Contiguity weights (:func:`regiongap.metrics.region_weights`); without
        them the neighbour scale is left empty. Regions not in the weights have
        no neighbour reference.
    population : pandas.Series, optional
        Denominator of the ratio per region: references become ratios of sums
        and absolute deviations amounts of the numerator.

    Returns
    -------
    pandas.DataFrame
        Index ``geo``: ``value``, ``country``, ``in_partnership``, then for each
        scale of :data:`SCALES` ``{scale}_reference``, ``{scale}_relative``
        (100 = at the reference), ``{scale}_absolute``. ``attrs``: ``scales``
        used, ``weighted`` (population given), ``partnership``, ``notes``.

    Raises
    ------
    MetricInputError
        Fewer than 2 regions with a value (and a population), or a
        non-positive population.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out for want of a population.
    MembershipError
        An unknown partnership.

    Examples
    --------
    >>> v = pd.Series({"ES21": 30.0, "ES22": 20.0, "FR10": 40.0, "FRB0": 10.0})
    >>> d = multiscalar_deviation(v, membership=["ES21", "FRB0"])
    >>> d[["eu27_relative", "country_relative", "partnership_relative"]]
          eu27_relative  country_relative  partnership_relative
    geo
    ES21          120.0             120.0                 150.0
    ES22           80.0              80.0                   NaN
    FR10          160.0             160.0                   NaN
    FRB0           40.0              40.0                  50.0
    """
    x, pop = _inputs(values, population)
    notes: list[str] = []
    out = pd.DataFrame({"value": x})
    out["country"] = [nuts_country(g) for g in x.index]
    eu = [g for g in x.index if is_eu27(g)]
    if len(eu) < len(x):
        notes.append(
            f"{len(x) - len(eu)} region(s) outside the EU-27 not in its reference"
        )
    _deviations(out, "eu27", pd.Series(_reference(x, pop, eu), index=x.index), pop)
    country_ref = {
        c: _reference(x, pop, list(group.index))
        for c, group in out.groupby("country", sort=False)
    }
    _deviations(out, "country", out["country"].map(country_ref), pop)
    member_geos: list[str] = []
    name = None
    if partnership is not None or membership is not None:
        members = resolve_membership(
            partnership, membership, level=infer_level(x.index)
        )
        member_geos = [g for g in members.geos if g in x.index]
        name = members.partnership
        missing = [g for g in members.geos if g not in x.index]
        if missing:
            notes.append(f"member(s) without a value: {missing}")
    out["in_partnership"] = out.index.isin(member_geos)
    ref = _reference(x, pop, member_geos)
    _deviations(
        out, "partnership", out["in_partnership"].map({True: ref, False: np.nan}), pop
    )
    neighbour_ref = (
        _neighbour_refs(x, pop, weights).reindex(x.index)
        if weights is not None
        else pd.Series(np.nan, index=x.index)
    )
    if weights is not None:
        notes.append(weights.describe())
    _deviations(out, "neighbours", neighbour_ref, pop)
    out.attrs.update(
        {
            "scales": list(SCALES),
            "weighted": pop is not None,
            "partnership": name,
            "notes": notes,
        }
    )
    return out


def partnership_redistribution(
    values: pd.Series,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    population: pd.Series | None = None,
) -> pd.DataFrame:
    """Return the transfer that brings every member up to the partnership's median.

    Defined in the module docstring (:mod:`regiongap.metrics.multiscalar`).

    Parameters
    ----------
    values : pandas.Series
        One value per region, indexed by ``geo``.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members`.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    population : pandas.Series, optional
        Denominator per region: the absolute transfer is then an amount of the
        numerator (e.g. PPS of GDP).

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (members with a value, furthest below first): ``value``,
        ``median``, ``gap`` (median − value where below, else 0), ``absolute``
        (gap × population, or gap), ``relative`` (gap / value). ``attrs``:
        ``total_absolute``, ``total_relative`` (total over the partnership's
        total value), ``n_below``, ``partnership``, ``weighted``,
        ``members_without_value``.

    Raises
    ------
    MembershipError
        An unknown partnership, or fewer than 2 members with a value (a
        partnership of one member has no median to close to).
    MetricInputError
        A non-positive population, or non-positive values.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out for want of a population.

    Examples
    --------
    >>> v = pd.Series({"A1": 10.0, "A2": 20.0, "A3": 40.0})
    >>> r = partnership_redistribution(v, membership=["A1", "A2", "A3"])
    >>> r[["gap", "relative"]].to_dict("index")["A1"], r.attrs["total_absolute"]
    ({'gap': 10.0, 'relative': 1.0}, 10.0)
    """
    x, pop = _inputs(values, population)
    members = resolve_membership(partnership, membership, level=infer_level(x.index))
    inside = [g for g in members.geos if g in x.index]
    if len(inside) < 2:
        msg = (
            f"partnership {members.partnership or 'given'!r} has {len(inside)} "
            "member(s) "
            "with a value; a redistribution to the median needs at least 2"
        )
        raise MembershipError(msg)
    xm = x[inside]
    if (xm <= 0).any():
        bad = xm[xm <= 0].to_dict()
        msg = f"values must be positive for a relative transfer; got {bad}"
        raise MetricInputError(msg)
    median = float(xm.median())
    gap = (median - xm).clip(lower=0.0)
    pm = pop[inside] if pop is not None else None
    absolute = gap * pm if pm is not None else gap
    total_value = float((xm * pm).sum()) if pm is not None else float(xm.sum())
    out = pd.DataFrame(
        {
            "value": xm,
            "median": median,
            "gap": gap,
            "absolute": absolute,
            "relative": gap / xm,
        }
    ).sort_values(["gap", "value"], ascending=[False, True])
    out.index.name = "geo"
    out.attrs.update(
        {
            "partnership": members.partnership,
            "weighted": pm is not None,
            "n_below": int((gap > 0).sum()),
            "total_absolute": float(absolute.sum()),
            "total_relative": float(absolute.sum()) / total_value,
            "members_without_value": [g for g in members.geos if g not in x.index],
        }
    )
    return out
