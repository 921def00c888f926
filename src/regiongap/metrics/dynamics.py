r"""Do regions move, or stay where they are? Markov chains and rank mobility.

Sigma and beta convergence (:mod:`regiongap.metrics.convergence`) describe the
average; the distribution dynamics approach (Quah 1993, *European Economic
Review* 37, 426–434; Rey 2001, *Geographical Analysis* 33(3), 195–214) follows
each region's place in the distribution. PySAL's ``giddy`` does the work.

**Classes.** Each year's values are cut at that year's quantiles into *k*
classes (Q1 = bottom fifth for k = 5), as giddy's documentation does with
``mapclassify.Quantiles``: a region's class is its relative position that year.

**Quantile Markov chain** (``giddy.markov.Markov``): with :math:`n_{ij}` the
number of region-years in class *i* followed by class *j* the next year,

.. math::

    p_{ij} = \frac{n_{ij}}{\sum_j n_{ij}}, \qquad
    \pi = \pi P \quad\text{(steady state, } \textstyle\sum_i \pi_i = 1).

**Shorrocks mobility** (Shorrocks 1978, *Econometrica* 46(5), 1013–1024;
``giddy.mobility.markov_mobility(p, measure="P")``):
:math:`M = (k - \operatorname{tr} P)/(k - 1)`, 0 when no region ever changes
class, 1 when the next class is independent of the current one.

**Rank mobility**: Kendall's :math:`\tau` between the regions' values in two
years (``giddy.rank.Tau``); 1 = the same order, lower = regions overtook one
another.

**Spatial Markov** (Rey 2001; ``giddy.markov.Spatial_Markov``): transition
matrices conditional on the class of a region's spatial lag (its neighbours'
mean), on values relative to each year's cross-sectional mean, classed at the
quantiles pooled over all years; the Q and likelihood-ratio tests say whether
the neighbours' class matters. A class that no region of a lag class starts from
gets 1 on its diagonal (giddy's ``fill_empty_classes``).

**Gaps.** A chain needs every region in every year of the window: a region with
a missing year is left out (never interpolated), named in a
:class:`~regiongap.errors.DataQualityWarning` and in ``left_out``.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import mapclassify
import numpy as np
import pandas as pd
from giddy.markov import Markov, Spatial_Markov
from giddy.mobility import markov_mobility
from giddy.rank import Tau

from regiongap.errors import MetricInputError
from regiongap.metrics._series import (
    class_labels,
    lag_weights,
    warn_gaps,
    wide_series,
)
from regiongap.metrics.spatial_weights import RegionWeights, str_ids

__all__ = ["SpatialTransitions", "Transitions", "spatial_markov", "transition_matrix"]


@dataclass(frozen=True, eq=False)
class Transitions:
    r"""A quantile Markov chain of regions (:func:`transition_matrix`).

    Parameters
    ----------
    counts : pandas.DataFrame
        k × k transitions (rows: class at *t*, columns: class at *t* + 1).
    probabilities : pandas.DataFrame
        Row-normalised counts; a class no region starts from gets 1 on the
        diagonal (giddy's ``fill_empty_classes``), so that it counts as
        immobile in Shorrocks' index.
    steady_state : pandas.Series
        The chain's long-run distribution over the classes (NaN when the chain
        has no unique one).
    shorrocks : float
        Shorrocks' mobility index :math:`(k - \operatorname{tr} P)/(k - 1)`.
    classes : pandas.DataFrame
        Region × year class (1 = bottom), for every region of the window.
    years : tuple of int
        First and last year.
    regions : list of str
        Regions whose transitions are counted.
    left_out : dict of str to str
        Regions left out, with the reason.

    Examples
    --------
    >>> wide = pd.DataFrame({2000: [1.0, 2.0, 3.0, 4.0],
    ...                      2001: [4.0, 3.0, 2.0, 1.0]},
    ...                     index=["A", "B", "C", "D"])
    >>> t = transition_matrix(wide, k=2)
    >>> t.counts.to_numpy().tolist(), t.shorrocks
    ([[0.0, 2.0], [2.0, 0.0]], 2.0)
    """

    counts: pd.DataFrame
    probabilities: pd.DataFrame
    steady_state: pd.Series
    shorrocks: float
    classes: pd.DataFrame
    years: tuple[int, int]
    regions: list[str]
    left_out: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"Transitions({len(self.regions)} regions, {self.years[0]}–"
            f"{self.years[1]}, k={len(self.counts)}, "
            f"shorrocks={self.shorrocks:.3f})"
        )


@dataclass(frozen=True, eq=False)
class SpatialTransitions:
    """Markov chains conditional on the neighbours' class (:func:`spatial_markov`).

    Parameters
    ----------
    conditional : dict of str to pandas.DataFrame
        For each class of the spatial lag (``"lag Q1"`` …), the k × k
        transition probabilities of the regions whose neighbours were in it.
    counts : dict of str to pandas.DataFrame
        The same, as counts.
    steady_states : pandas.DataFrame
        Lag class × class: the long-run distribution of each conditional chain.
    tests : pandas.DataFrame
        Rows ``Q`` and ``LR`` (Bickenbach & Bode 2003 homogeneity tests):
        ``statistic``, ``dof``, ``p_value``.
    cutoffs : list of float
        Upper bounds of the classes of relative values.
    years : tuple of int
        First and last year.
    regions : list of str
        Regions used.
    left_out : dict of str to str
        Regions left out, with the reason.

    Examples
    --------
    >>> import libpysal
    >>> rw = RegionWeights(w=libpysal.weights.lat2W(3, 3), contiguity="rook",
    ...                    policy=None, k=1)
    >>> wide = pd.DataFrame(np.arange(27.0).reshape(9, 3) % 7, index=range(9),
    ...                     columns=[2000, 2001, 2002]) + 1
    >>> sorted(spatial_markov(wide, rw, k=2).conditional)
    ['lag Q1', 'lag Q2']
    """

    conditional: dict[str, pd.DataFrame]
    counts: dict[str, pd.DataFrame]
    steady_states: pd.DataFrame
    tests: pd.DataFrame
    cutoffs: list[float]
    years: tuple[int, int]
    regions: list[str]
    left_out: dict[str, str] = field(default_factory=dict)


def _check_k(k: int, n_regions: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        msg = f"k must be an integer >= 2 (number of classes), got {k!r}"
        raise MetricInputError(msg)
    if n_regions < k:
        msg = f"{n_regions} region(s) cannot be cut into k={k} classes"
        raise MetricInputError(msg)
    return int(k)


def _steady(chain: Markov, k: int) -> np.ndarray:
    with contextlib.redirect_stdout(io.StringIO()):
        state = np.asarray(chain.steady_state, dtype="float64")
    if state.ndim != 1 or state.shape[0] != k:
        return np.full(k, np.nan)
    return state


def _steady_states(sm: Spatial_Markov, k: int) -> np.ndarray:
    """Steady state of each conditional chain (NaN where it has no unique one)."""
    with contextlib.redirect_stdout(io.StringIO()):
        found = list(sm.S)
    states = np.full((k, k), np.nan)
    for i, state in enumerate(found[:k]):
        row = np.asarray(state, dtype="float64")
        if row.shape == (k,):
            states[i] = row
    return states


def markov_of(classes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, Markov]:
    """Return counts and probabilities of the chain of *classes* (0-based).

    Parameters
    ----------
    classes : numpy.ndarray
        Integer classes 0 … k−1, one row per region, one column per year.
    k : int
        Number of classes.

    Returns
    -------
    tuple
        Counts, probabilities (both k × k) and giddy's ``Markov`` object.

    Examples
    --------
    >>> counts, p, _ = markov_of(np.array([[0, 1], [1, 1]]), 2)
    >>> counts.tolist(), p.tolist()
    ([[0.0, 1.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]])
    """
    chain = Markov(
        classes, classes=np.arange(k), fill_empty_classes=True, summary=False
    )
    return np.asarray(chain.transitions), np.asarray(chain.p), chain


def transition_matrix(
    series: pd.DataFrame,
    *,
    k: int = 5,
    years: tuple[int, int] | None = None,
    group: Iterable[str] | None = None,
) -> Transitions:
    r"""Quantile Markov transition matrix, steady state and Shorrocks mobility.

    The classes, the chain and the index are defined in the module docstring
    (:mod:`regiongap.metrics.dynamics`).

    Parameters
    ----------
    series : pandas.DataFrame
        A long frame ``geo, time, value`` (e.g. ``nama_10r_3gdp`` filtered to one
        unit, NUTS 2 regions) or a wide frame, regions × years.
    k : int, default 5
        Number of quantile classes.
    years : tuple of int, optional
        First and last year of the window (default: all years given).
    group : iterable of str, optional
        Count only these regions' transitions (e.g. a partnership's members);
        classes are still cut on every region's values.

    Returns
    -------
    Transitions
        Counts, probabilities, steady state, Shorrocks' index, the classes.

    Raises
    ------
    MetricInputError
        Fewer than 2 years, fewer regions than classes, a long frame with
        several units, or a *group* with no region in the series.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out because of a gap.

    Examples
    --------
    giddy's documented chain of US per-capita incomes, 48 states, 1929–2009:

    >>> import libpysal
    >>> usjoin = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    >>> wide = usjoin.set_index("Name").drop(columns="STATE_FIPS")
    >>> chain = transition_matrix(wide)
    >>> chain.counts.to_numpy().astype(int)[0].tolist()
    [729, 71, 1, 0, 0]
    >>> chain.steady_state.round(4).tolist()
    [0.2077, 0.1873, 0.2074, 0.1882, 0.2094]
    """
    wide, left = wide_series(series, years)
    k = _check_k(k, len(wide))
    warn_gaps(left)
    classes = wide.apply(lambda col: mapclassify.Quantiles(col.to_numpy(), k=k).yb)
    rows = classes
    if group is not None:
        wanted = {str(g) for g in group}
        rows = classes.loc[[g for g in classes.index if g in wanted]]
        if rows.empty:
            msg = f"no region of group {sorted(wanted)[:5]} has a complete series"
            raise MetricInputError(msg)
    counts, p, chain = markov_of(rows.to_numpy(dtype="int64"), k)
    labels = class_labels(k)
    return Transitions(
        counts=pd.DataFrame(counts, index=labels, columns=labels),
        probabilities=pd.DataFrame(p, index=labels, columns=labels),
        steady_state=pd.Series(_steady(chain, k), index=labels, name="steady_state"),
        shorrocks=float(markov_mobility(p, measure="P")),
        classes=classes + 1,
        years=(int(wide.columns[0]), int(wide.columns[-1])),
        regions=[str(g) for g in rows.index],
        left_out=left,
    )


def kendall_tau(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    r"""Kendall's tau of two value vectors and its p-value (``giddy.rank.Tau``).

    Parameters
    ----------
    x, y : numpy.ndarray
        Values of the same regions in two years.

    Returns
    -------
    tuple of float
        :math:`\tau` and its two-sided p-value.

    Examples
    --------
    >>> kendall_tau(np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0]))[0]
    0.333...
    """
    tau = Tau(np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"))
    return float(tau.tau), float(tau.tau_p)


def spatial_markov(
    series: pd.DataFrame,
    weights: RegionWeights,
    *,
    k: int = 5,
    years: tuple[int, int] | None = None,
) -> SpatialTransitions:
    """Transition matrices conditional on the neighbours' class (spatial Markov).

    Defined in the module docstring (:mod:`regiongap.metrics.dynamics`).

    Parameters
    ----------
    series : pandas.DataFrame
        As :func:`transition_matrix`.
    weights : RegionWeights
        From :func:`regiongap.metrics.region_weights`; regions not in it are
        left out (named).
    k : int, default 5
        Number of classes (of the values and of their lag).
    years : tuple of int, optional
        First and last year.

    Returns
    -------
    SpatialTransitions
        The conditional matrices, their steady states and the homogeneity tests.

    Raises
    ------
    MetricInputError
        As :func:`transition_matrix`, or weights of another type.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out (gaps, not in the weights, no neighbour).

    Examples
    --------
    giddy's documented spatial Markov chain of US relative incomes:

    >>> import libpysal
    >>> usjoin = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    >>> wide = usjoin.set_index("Name").drop(columns="STATE_FIPS")
    >>> gal = libpysal.io.open(libpysal.examples.get_path("states48.gal")).read()
    >>> gal.remap_ids(wide.index.tolist())
    >>> rw = RegionWeights(w=gal, contiguity="queen", policy=None, k=1)
    >>> sm = spatial_markov(wide, rw)
    >>> sm.conditional["lag Q1"].round(3).to_numpy()[0].tolist()
    [0.963, 0.03, 0.006, 0.0, 0.0]
    """
    if not isinstance(weights, RegionWeights):
        msg = f"weights must be a RegionWeights, got {type(weights).__name__}"
        raise MetricInputError(msg)
    wide, left = wide_series(series, years)
    ids = [str(g) for g in weights.w.id_order]
    for geo in wide.index:
        if geo not in set(ids):
            left[geo] = "not in the weights"
    wide = wide.loc[[g for g in wide.index if g in set(ids)]]
    w, alone = lag_weights(str_ids(weights.w), list(wide.index))
    left.update(dict.fromkeys(alone, "no neighbour with a complete series"))
    if w is None:
        msg = "fewer than 2 regions have a neighbour with a complete series"
        raise MetricInputError(msg)
    wide = wide.drop(index=alone)
    k = _check_k(k, len(wide))
    warn_gaps(left)
    relative = (wide / wide.mean(axis=0)).to_numpy()
    sm = Spatial_Markov(relative, w, k=k, m=k, fixed=True, fill_empty_classes=True)
    labels = class_labels(k)
    lags = [f"lag {c}" for c in labels]
    return SpatialTransitions(
        conditional={
            lag: pd.DataFrame(sm.P[i], index=labels, columns=labels)
            for i, lag in enumerate(lags)
        },
        counts={
            lag: pd.DataFrame(sm.T[i], index=labels, columns=labels)
            for i, lag in enumerate(lags)
        },
        steady_states=pd.DataFrame(_steady_states(sm, k), index=lags, columns=labels),
        tests=pd.DataFrame(
            {
                "statistic": [float(sm.Q), float(sm.LR)],
                "dof": [int(sm.dof_hom), int(sm.dof_hom)],
                "p_value": [float(sm.Q_p_value), float(sm.LR_p_value)],
            },
            index=["Q", "LR"],
        ),
        cutoffs=[float(c) for c in sm.cutoffs],
        years=(int(wide.columns[0]), int(wide.columns[-1])),
        regions=[str(g) for g in wide.index],
        left_out=left,
    )
