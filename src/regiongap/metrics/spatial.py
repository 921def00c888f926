r"""Are weak regions clustered? Global Moran's I and local (LISA) clusters.

**Global Moran's I** (Moran 1950, *Biometrika* 37, 17–23; Cliff & Ord 1981,
*Spatial Processes*) of values :math:`x_i` with row-standardised weights
:math:`w_{ij}` (:mod:`regiongap.metrics.spatial_weights`):

.. math::

    I = \frac{n}{S_0}\,\frac{\sum_i \sum_j w_{ij} z_i z_j}{\sum_i z_i^2},
    \qquad z_i = x_i - \bar x, \quad S_0 = \sum_i\sum_j w_{ij},
    \qquad E[I] = -\frac{1}{n-1}.

:math:`I > E[I]`: similar values neighbour each other (clusters); :math:`I < E[I]`:
dissimilar ones do. Computed by PySAL's ``esda.Moran``, with the normal
approximation (``z_norm``, ``p_norm``, two-sided) and ``permutations`` random
permutations (``p_sim``, one-sided pseudo p-value :math:`(m+1)/(P+1)`).

**Local Moran** (LISA; Anselin 1995, *Geographical Analysis* 27(2), 93–115):

.. math::

    I_i = \frac{(n-1)\, z_i}{\sum_k z_k^2} \sum_j w_{ij} z_j .

The quadrant of a region is HH (high value, high neighbours), LL, HL (a high
value among low neighbours) or LH. Each :math:`I_i` is tested by **conditional
permutation**: the region's value is held fixed and its :math:`|N_i|` neighbours'
values are drawn at random, without replacement, from the other :math:`n-1`
regions, ``permutations`` times; the pseudo p-value is
:math:`(\min(m_i, P - m_i) + 1)/(P + 1)` with :math:`m_i` the number of draws
with :math:`I_i^{*} \ge I_i` (esda's ``Moran_Local`` with its default "directed"
alternative). :math:`I_i` and the quadrants come from ``esda.Moran_Local``; the
permutations are drawn here with ``numpy.random.default_rng(seed)``, because
esda's own loop is compiled with numba on its first call in every process (tens of
seconds). With :math:`n` local tests, the Benjamini–Hochberg false-discovery-rate
correction (Benjamini & Hochberg 1995, *J. R. Stat. Soc. B* 57(1), 289–300;
``scipy.stats.false_discovery_control``) is applied by default: a region is in a
cluster when its adjusted p-value is at most ``alpha``.

A region with a value is left out when it is not in the weights, or when none of
its neighbours has a value (it would have no spatial lag); regions in the weights
without a value are left out too. Every region left out is named, in a
:class:`~regiongap.errors.DataQualityWarning` and in the output.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from esda.moran import Moran, Moran_Local
from libpysal.weights import W, w_subset
from scipy.stats import false_discovery_control

from regiongap.errors import DataQualityWarning, MetricInputError
from regiongap.metrics.spatial_weights import RegionWeights, str_ids

__all__ = ["QUADRANTS", "MoranResult", "lisa_clusters", "morans_i"]

#: esda's quadrant numbers -> cluster labels (value, neighbours' values).
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I of one variable (:func:`morans_i`).

    Parameters
    ----------
    i : float
        Moran's I.
    expected : float
        :math:`E[I] = -1/(n-1)`.
    z_norm, p_norm : float
        z-value and two-sided p-value under the normal approximation.
    z_sim, p_sim : float
        z-value against the permutation distribution and the one-sided pseudo
        p-value (NaN without permutations).
    n : int
        Number of regions used.
    permutations : int
        Number of random permutations.
    seed : int
        Seed of the permutations.
    weights : str
        How the weights were made (:meth:`RegionWeights.describe`).
    left_out : dict of str to str
        Regions left out, with the reason.

    Examples
    --------
    >>> import pandas as pd
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(2, 2)
    >>> rw = RegionWeights(w=w, contiguity="rook", policy=None, k=1)
    >>> x = pd.Series([1.0, 2.0, 2.0, 1.0], index=[0, 1, 2, 3])
    >>> morans_i(x, rw, permutations=0).i
    -1.0
    """

    i: float
    expected: float
    z_norm: float
    p_norm: float
    z_sim: float
    p_sim: float
    n: int
    permutations: int
    seed: int
    weights: str
    left_out: dict[str, str] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Return the result as a one-row table (for reports).

        Returns
        -------
        pandas.DataFrame
            Columns ``morans_i, expected, z_norm, p_norm, z_sim, p_sim, n,
            permutations, seed, weights, n_left_out``.

        Examples
        --------
        >>> from libpysal.weights import lat2W
        >>> rw = RegionWeights(w=lat2W(2, 2), contiguity="rook", policy=None, k=1)
        >>> x = pd.Series([1.0, 2.0, 2.0, 1.0])
        >>> morans_i(x, rw, permutations=0).table()[["morans_i", "n"]]
           morans_i  n
        0      -1.0  4
        """
        return pd.DataFrame(
            [
                {
                    "morans_i": self.i,
                    "expected": self.expected,
                    "z_norm": self.z_norm,
                    "p_norm": self.p_norm,
                    "z_sim": self.z_sim,
                    "p_sim": self.p_sim,
                    "n": self.n,
                    "permutations": self.permutations,
                    "seed": self.seed,
                    "weights": self.weights,
                    "n_left_out": len(self.left_out),
                }
            ]
        )


@contextlib.contextmanager
def _seeded_global_rng(seed: int) -> Iterator[None]:
    """Seed numpy's global generator (esda.Moran draws from it); restore it after."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _check_options(permutations: int, seed: int) -> None:
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, int | np.integer)
        or permutations < 0
    ):
        msg = f"permutations must be a non-negative integer, got {permutations!r}"
        raise MetricInputError(msg)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        msg = f"seed must be a non-negative integer, got {seed!r}"
        raise MetricInputError(msg)


def _aligned(
    values: pd.Series, weights: RegionWeights
) -> tuple[np.ndarray, W, list[str], dict[str, str]]:
    """Values and weights on the same regions; what was left out and why."""
    if not isinstance(values, pd.Series):
        msg = f"values must be a Series indexed by geo, got {type(values).__name__}"
        raise MetricInputError(msg)
    if not isinstance(weights, RegionWeights):
        msg = (
            "weights must be a RegionWeights (regiongap.metrics.region_weights); "
            f"got {type(weights).__name__}"
        )
        raise MetricInputError(msg)
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    x.index = [str(g) for g in values.index]
    ids = [str(g) for g in weights.w.id_order]
    left: dict[str, str] = dict.fromkeys(weights.left_out, "island left out")
    for geo in x.index[x.notna()]:
        if geo not in set(ids) and geo not in left:
            left[geo] = "not in the weights"
    for geo in ids:
        if geo not in x.index or pd.isna(x[geo]):
            left[geo] = "no value"
    keep = [g for g in ids if g not in left]
    sub = w_subset(str_ids(weights.w), keep, silence_warnings=True)
    alone = [g for g in keep if not sub.neighbors[g]]
    if alone:
        left.update(dict.fromkeys(alone, "no neighbour with a value"))
        keep = [g for g in keep if g not in set(alone)]
        sub = w_subset(sub, keep, silence_warnings=True)
    if len(keep) < 2:
        msg = (
            f"only {len(keep)} region(s) have a value and a neighbour with one; "
            "Moran's I needs at least 2"
        )
        raise MetricInputError(msg)
    y = x.reindex(keep).to_numpy()
    if np.ptp(y) == 0:
        msg = (
            f"values are constant ({y[0]:g} in all {len(y)} regions): Moran's I is "
            "undefined (zero variance)"
        )
        raise MetricInputError(msg)
    sub.transform = "r"
    return y, sub, keep, left


def _warn_left_out(left: dict[str, str], what: str) -> None:
    if left:
        names = ", ".join(f"{g} ({r})" for g, r in list(left.items())[:12])
        more = f" and {len(left) - 12} more" if len(left) > 12 else ""
        warnings.warn(
            f"{what}: {len(left)} region(s) left out: {names}{more}",
            DataQualityWarning,
            stacklevel=3,
        )


def morans_i(
    values: pd.Series,
    weights: RegionWeights,
    *,
    permutations: int = 999,
    seed: int = 0,
) -> MoranResult:
    """Global Moran's I of *values* under the spatial *weights*.

    The formula and its inference are in the module docstring
    (:mod:`regiongap.metrics.spatial`).

    Parameters
    ----------
    values : pandas.Series
        One value per region, indexed by ``geo`` (e.g. the capacity index or
        an indicator of :func:`regiongap.panel`).
    weights : RegionWeights
        From :func:`regiongap.metrics.region_weights`.
    permutations : int, default 999
        Random permutations for the pseudo p-value (0: none).
    seed : int, default 0
        Seed of the permutations (numpy's global generator is seeded for the
        call and restored after it).

    Returns
    -------
    MoranResult
        I, its expectation, z-values and p-values, the regions used and those
        left out.

    Raises
    ------
    MetricInputError
        Fewer than 2 regions with a value and a neighbour, constant values,
        or bad options.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out (no value, not in the weights, no
        neighbour with a value, island left out).

    Examples
    --------
    PySAL's St. Louis homicide rates (1988–93) give the value esda documents:

    >>> import libpysal
    >>> path = libpysal.examples.get_path
    >>> w = libpysal.io.open(path("stl.gal")).read()
    >>> rates = libpysal.io.open(path("stl_hom.txt")).by_col["HR8893"]
    >>> rw = RegionWeights(w=w, contiguity="queen", policy=None, k=1)
    >>> mi = morans_i(pd.Series(rates, index=w.id_order), rw)
    >>> round(mi.i, 3), round(mi.expected, 6), round(mi.p_norm, 6)
    (0.244, -0.012987, 0.000271)
    """
    _check_options(permutations, seed)
    y, w, keep, left = _aligned(values, weights)
    _warn_left_out(left, "Moran's I")
    with _seeded_global_rng(int(seed)):
        mi = Moran(y, w, permutations=int(permutations))
    return MoranResult(
        i=float(mi.I),
        expected=float(mi.EI),
        z_norm=float(mi.z_norm),
        p_norm=float(mi.p_norm),
        z_sim=float(mi.z_sim) if permutations else float("nan"),
        p_sim=float(mi.p_sim) if permutations else float("nan"),
        n=len(keep),
        permutations=int(permutations),
        seed=int(seed),
        weights=weights.describe(),
        left_out=left,
    )


def conditional_p(
    z: np.ndarray, w: W, local: np.ndarray, permutations: int, seed: int
) -> np.ndarray:
    r"""Pseudo p-values of local Moran statistics by conditional permutation.

    Parameters
    ----------
    z : numpy.ndarray
        Deviations from the mean, one per region (in the order of *w*).
    w : libpysal.weights.W
        Row-standardised weights.
    local : numpy.ndarray
        The observed local statistics :math:`I_i`.
    permutations : int
        Number of draws per region.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray
        :math:`(\min(m_i, P - m_i) + 1)/(P + 1)` per region.

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(3, 3)
    >>> w.transform = "r"
    >>> z = np.arange(9.0) - 4.0
    >>> p = conditional_p(z, w, z * 0 + 1, 99, 0)
    >>> p.shape, bool(((p > 0) & (p <= 0.5)).all())
    ((9,), True)
    """
    rng = np.random.default_rng(seed)
    n = len(z)
    scale = (n - 1) / float((z * z).sum())
    index = {g: i for i, g in enumerate(w.id_order)}
    p = np.empty(n)
    for i, geo in enumerate(w.id_order):
        nbr_w = np.asarray(w.weights[geo], dtype="float64")
        others = np.delete(z, i)
        draws = rng.permuted(np.tile(others, (permutations, 1)), axis=1)
        lag = draws[:, : len(nbr_w)] @ nbr_w
        sims = z[index[geo]] * lag * scale
        larger = int((sims >= local[i]).sum())
        larger = min(larger, permutations - larger)
        p[i] = (larger + 1.0) / (permutations + 1.0)
    return p


def lisa_clusters(
    values: pd.Series,
    weights: RegionWeights,
    *,
    permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
    fdr: bool = True,
) -> pd.DataFrame:
    """Local Moran (LISA) clusters: HH, LL, HL, LH or not significant.

    The statistic, the conditional permutation test and the false-discovery-rate
    correction are in the module docstring (:mod:`regiongap.metrics.spatial`).

    Parameters
    ----------
    values : pandas.Series
        One value per region, indexed by ``geo``.
    weights : RegionWeights
        From :func:`regiongap.metrics.region_weights`.
    permutations : int, default 999
        Conditional permutations per region (at least 99).
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.
    alpha : float, default 0.05
        Significance level (after the correction when ``fdr``).
    fdr : bool, default True
        Apply the Benjamini–Hochberg correction to the pseudo p-values.

    Returns
    -------
    pandas.DataFrame
        Index ``geo``: ``value``, ``lag`` (mean of the neighbours' values),
        ``local_i``, ``quadrant`` (HH, LH, LL, HL), ``p_sim``, ``p_fdr``
        (Benjamini–Hochberg adjusted; equal to ``p_sim`` when ``fdr`` is
        False), ``significant`` and ``cluster`` (the quadrant when significant,
        else ``"not significant"``). ``attrs``: ``permutations``, ``seed``,
        ``alpha``, ``fdr``, ``weights`` (how they were made), ``left_out``.

    Raises
    ------
    MetricInputError
        Fewer than 2 regions with a value and a neighbour, constant values,
        fewer than 99 permutations, an ``alpha`` outside (0, 1).

    Warns
    -----
    DataQualityWarning
        Naming the regions left out.

    Examples
    --------
    >>> import libpysal
    >>> path = libpysal.examples.get_path
    >>> w = libpysal.io.open(path("stl.gal")).read()
    >>> rates = libpysal.io.open(path("stl_hom.txt")).by_col["HR8893"]
    >>> rw = RegionWeights(w=w, contiguity="queen", policy=None, k=1)
    >>> lisa = lisa_clusters(pd.Series(rates, index=w.id_order), rw, fdr=False)
    >>> lisa["cluster"].value_counts().to_dict()
    {'not significant': 69, 'HH': 4, 'LL': 4, 'HL': 1}
    """
    _check_options(permutations, seed)
    if permutations < 99:
        msg = f"permutations={permutations} is too few for local tests; use >= 99"
        raise MetricInputError(msg)
    if not (isinstance(alpha, float | int) and 0 < alpha < 1):
        msg = f"alpha must be in (0, 1), got {alpha!r}"
        raise MetricInputError(msg)
    y, w, keep, left = _aligned(values, weights)
    _warn_left_out(left, "LISA")
    lm = Moran_Local(y, w, permutations=0)
    z = y - y.mean()
    p_sim = conditional_p(z, w, lm.Is, int(permutations), int(seed))
    p_adj = false_discovery_control(p_sim, method="bh") if fdr else p_sim
    quadrant = pd.Series(lm.q, index=keep).map(QUADRANTS)
    significant = p_adj <= alpha
    out = pd.DataFrame(
        {
            "value": y,
            "lag": np.asarray(w.sparse @ y).ravel(),
            "local_i": lm.Is,
            "quadrant": quadrant.to_numpy(),
            "p_sim": p_sim,
            "p_fdr": p_adj,
            "significant": significant,
            "cluster": np.where(significant, quadrant.to_numpy(), "not significant"),
        },
        index=pd.Index(keep, name="geo"),
    )
    out.attrs.update(
        {
            "permutations": int(permutations),
            "seed": int(seed),
            "alpha": float(alpha),
            "fdr": "Benjamini-Hochberg" if fdr else None,
            "weights": weights.describe(),
            "left_out": left,
        }
    )
    return out
