r"""Which assumption drives a region's rank? Variance-based (Sobol) sensitivity.

:func:`~regiongap.metrics.composite.uncertainty.index_uncertainty` says how far a
region's rank moves when the index's assumptions change;
:func:`index_sensitivity` says **which** assumption moves it (OECD/JRC 2008,
*Handbook on Constructing Composite Indicators*, step 7, "sensitivity analysis";
Saisana, Saltelli & Tarantola 2005, *J. R. Stat. Soc. A* 168(2), 307–323; COINr
``get_sensitivity(SA_type = "SA")``). For a model output :math:`Y` (a region's
rank) and an assumption :math:`X_i`:

.. math::

    S_i = \frac{V_{X_i}\!\left(E_{X_{\sim i}}[Y \mid X_i]\right)}{V(Y)}, \qquad
    S_{T_i} = \frac{E_{X_{\sim i}}\!\left(V_{X_i}[Y \mid X_{\sim i}]\right)}{V(Y)}.

:math:`S_i` (first order) is the share of the rank's variance the assumption
explains alone; :math:`S_{T_i}` (total order) adds its interactions with the
others; :math:`S_{T_i} - S_i` is the part due to interactions. They are
estimated by SALib (Herman & Usher 2017, *JOSS* 2(9), 97): Saltelli sampling on
a scrambled Sobol' sequence (``SALib.sample.sobol``) with
:math:`N (G + 2)` model runs for :math:`G` groups of inputs, and the
Saltelli (2010) / Jansen estimators with bootstrap confidence intervals
(``SALib.analyze.sobol``; Saltelli et al. 2010, *Computer Physics
Communications* 181, 259–270). :func:`sobol_indices` applies them to any model;
its check is the Ishigami function, whose indices are known in closed form
(Ishigami & Homma 1990).

The assumptions of :func:`index_sensitivity`, each an input of the model:

* ``normalisation``: drawn with equal probability among ``normalisations``;
* ``aggregation``: among ``aggregations`` (min–max uses ``[1, 100]`` under
  geometric aggregation, as in the index);
* ``pillar_weights``: one multiplier :math:`U(1-\varepsilon, 1+\varepsilon)` per
  pillar (weights rescaled to sum to 1), analysed as one group;
* ``imputation``: among ``imputations``;
* ``coverage``: the screen's minimum coverage, uniform in ``coverage``.

A region's rank is its rank among the regions in the index of that run. Sobol
indices need the rank in every run, so a region is analysed only when it is in
the index under every combination of assumptions (it passes the strictest
coverage threshold with every imputation); the others are named in ``left_out``
with the reason. **Convergence** is stated by re-estimating with the first half
of the base sample: ``convergence`` gives, per assumption, the largest and the
mean absolute change of :math:`S_{T_i}` between :math:`N/2` and :math:`N`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
from SALib.sample import sobol as sobol_sample

from regiongap.errors import MetricInputError
from regiongap.metrics.composite._sobol import (
    analyse,
    check_base,
    input_labels,
    sobol_problem,
)
from regiongap.metrics.composite._variants import Variants
from regiongap.metrics.composite.aggregate import AGGREGATIONS, Aggregation
from regiongap.metrics.composite.framework import framework_or_default
from regiongap.metrics.composite.normalise import NORMALISATIONS, Normalisation
from regiongap.metrics.composite.settings import IMPUTATIONS, Imputation, IndexSettings

__all__ = ["IndexSensitivity", "index_sensitivity", "sobol_indices"]

#: The assumptions of :func:`index_sensitivity`, in order.
ASSUMPTIONS = (
    "normalisation",
    "aggregation",
    "pillar_weights",
    "imputation",
    "coverage",
)


def sobol_indices(
    model: Callable[[np.ndarray], np.ndarray],
    bounds: Mapping[str, tuple[float, float]],
    *,
    n_base: int = 1024,
    seed: int = 0,
    groups: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    r"""First- and total-order Sobol indices of a model, with SALib.

    The estimators are in the module docstring
    (:mod:`regiongap.metrics.composite.sensitivity`).

    Parameters
    ----------
    model : callable
        Takes an array of input rows (runs × inputs, in the order of *bounds*)
        and returns one output per row.
    bounds : mapping of str to (float, float)
        Each input's uniform range.
    n_base : int, default 1024
        Base sample :math:`N`, a power of 2 ≥ 64; the model runs
        :math:`N (G + 2)` times.
    seed : int, default 0
        Seed of the scrambled Sobol' sequence and of the bootstrap.
    groups : mapping of str to str, optional
        Input → group: indices are then given per group.

    Returns
    -------
    pandas.DataFrame
        Index: the inputs (or groups); columns ``S1, S1_conf, ST, ST_conf``
        (95 % bootstrap half-widths) and ``ST_half`` (total order from the first
        :math:`N/2` base samples: the convergence check). ``attrs``: ``n_runs``,
        ``n_base``, ``seed``.

    Raises
    ------
    MetricInputError
        A base sample that is not a power of 2 ≥ 64, empty or inverted bounds,
        an input without a group, or a model output of the wrong length.

    Examples
    --------
    The Ishigami function, whose indices are known
    (:math:`S_1 = 0.314, S_2 = 0.442, S_3 = 0`; :math:`S_{T1} = 0.558,
    S_{T3} = 0.244`):

    >>> def ishigami(x):
    ...     return (np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2
    ...             + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0]))
    >>> pi = np.pi
    >>> s = sobol_indices(ishigami, {"x1": (-pi, pi), "x2": (-pi, pi),
    ...                              "x3": (-pi, pi)}, n_base=8192)
    >>> s[["S1", "ST"]].round(2)
             S1    ST
    input
    x1     0.31  0.56
    x2     0.44  0.44
    x3     0.00  0.24
    """
    n_base = check_base(n_base)
    problem = sobol_problem(bounds, groups)
    x = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    y = np.asarray(model(x), dtype="float64").ravel()
    if y.shape[0] != x.shape[0]:
        msg = f"model returned {y.shape[0]} outputs for {x.shape[0]} input rows"
        raise MetricInputError(msg)
    labels = input_labels(problem)
    full = analyse(problem, y, seed)
    half = analyse(problem, y[: (n_base // 2) * (len(labels) + 2)], seed, 10)
    out = pd.DataFrame(full, index=pd.Index(labels, name="input"))
    out["ST_half"] = half["ST"]
    out.attrs.update({"n_runs": int(x.shape[0]), "n_base": n_base, "seed": int(seed)})
    return out


@dataclass(frozen=True, eq=False)
class IndexSensitivity:
    """Sobol indices of every region's rank (:func:`index_sensitivity`).

    Parameters
    ----------
    first_order, total_order : pandas.DataFrame
        Region × assumption: :math:`S_i` and :math:`S_{T_i}` of the region's rank.
    first_conf, total_conf : pandas.DataFrame
        Their 95 % bootstrap half-widths.
    convergence : pandas.DataFrame
        Per assumption: ``max_change`` and ``mean_change`` of :math:`S_{T_i}`
        between :math:`N/2` and :math:`N` base samples, over the regions.
    n_runs : int
        Model runs (index rebuilt :math:`N (G + 2)` times).
    n_base : int
        Base sample :math:`N`.
    seed : int
        Seed of the sample.
    fixed : dict
        Assumptions that did not vary (one choice only), with their value.
    left_out : dict of str to str
        Regions not analysed, with the reason.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 1.0, 2.0, 3.0]},
    ...                     index=pd.Index(["W", "X", "Y", "Z"], name="geo"))
    >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "q"],
    ...                    "higher_is_better": [True, True]})
    >>> s = index_sensitivity(data, fw, n_base=64)
    >>> s.n_runs, list(s.total_order.columns)
    (448, ['normalisation', 'aggregation', 'imputation', 'pillar_weights', 'coverage'])
    """

    first_order: pd.DataFrame
    total_order: pd.DataFrame
    first_conf: pd.DataFrame
    total_conf: pd.DataFrame
    convergence: pd.DataFrame
    n_runs: int
    n_base: int
    seed: int
    fixed: dict[str, object] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Return the indices as one long table (for reports).

        Returns
        -------
        pandas.DataFrame
            ``geo, assumption, first_order, total_order, first_conf,
            total_conf, interactions`` (total − first order).

        Examples
        --------
        >>> data = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]},
        ...                     index=pd.Index(["X", "Y", "Z"], name="geo"))
        >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "q"],
        ...                    "higher_is_better": [True, True]})
        >>> index_sensitivity(data, fw, n_base=64).table().columns.tolist()[:3]
        ['geo', 'assumption', 'first_order']
        """
        parts = {
            "first_order": self.first_order,
            "total_order": self.total_order,
            "first_conf": self.first_conf,
            "total_conf": self.total_conf,
        }
        long = pd.concat(
            {k: v.rename_axis(columns="assumption").stack() for k, v in parts.items()},
            axis=1,
        ).reset_index()
        long["interactions"] = long["total_order"] - long["first_order"]
        return long


def _choices(
    normalisations: Sequence[Normalisation],
    aggregations: Sequence[Aggregation],
    imputations: Sequence[Imputation],
) -> dict[str, list[str]]:
    for name, given, allowed in (
        ("normalisations", normalisations, NORMALISATIONS),
        ("aggregations", aggregations, AGGREGATIONS),
        ("imputations", imputations, IMPUTATIONS),
    ):
        bad = [g for g in given if g not in allowed]
        if bad or not given:
            msg = (
                f"{name}: {bad or 'none given'} not known; "
                f"choose from {sorted(allowed)}"
            )
            raise MetricInputError(msg)
    if "zscore" in normalisations and "geometric" in aggregations:
        msg = (
            "normalisation 'zscore' cannot be aggregated geometrically (negative "
            "scores): drop 'zscore' from normalisations or 'geometric' from "
            "aggregations"
        )
        raise MetricInputError(msg)
    return {
        "normalisation": list(dict.fromkeys(normalisations)),
        "aggregation": list(dict.fromkeys(aggregations)),
        "imputation": list(dict.fromkeys(imputations)),
    }


def _inputs(
    choices: dict[str, list[str]],
    pillars: list[str],
    coverage: tuple[float, float],
    noise: float,
) -> tuple[dict[str, tuple[float, float]], dict[str, str], dict[str, object]]:
    bounds: dict[str, tuple[float, float]] = {}
    groups: dict[str, str] = {}
    fixed: dict[str, object] = {}
    for name, options in choices.items():
        if len(options) > 1:
            bounds[name], groups[name] = (0.0, 1.0), name
        else:
            fixed[name] = options[0]
    if noise > 0 and len(pillars) > 1:
        for p in pillars:
            bounds[f"w_{p}"], groups[f"w_{p}"] = (
                (1 - noise, 1 + noise),
                "pillar_weights",
            )
    else:
        fixed["pillar_weights"] = "nominal"
    if coverage[1] > coverage[0]:
        bounds["coverage"], groups["coverage"] = coverage, "coverage"
    else:
        fixed["coverage"] = coverage[0]
    if not bounds:
        msg = (
            "no assumption varies: give several choices, a weight noise or a "
            "coverage range"
        )
        raise MetricInputError(msg)
    return bounds, groups, fixed


def _pick(options: list[str], u: float) -> str:
    return options[min(int(u * len(options)), len(options) - 1)]


def _run_all(
    x: np.ndarray,
    names: list[str],
    variants: Variants,
    choices: dict[str, list[str]],
    coverage: float,
    analysed: list[str],
) -> np.ndarray:
    col = {n: i for i, n in enumerate(names)}
    weight_cols = [col[f"w_{p}"] for p in variants.pillars if f"w_{p}" in col]
    ones = np.ones(len(variants.pillars))
    y = np.empty((x.shape[0], len(analysed)))
    positions: dict[tuple[object, ...], np.ndarray] = {}
    for r, row in enumerate(x):
        pick = {
            k: _pick(opts, row[col[k]]) if k in col else opts[0]
            for k, opts in choices.items()
        }
        threshold = row[col["coverage"]] if "coverage" in col else coverage
        level = variants.level(float(threshold))
        weights = row[weight_cols] if weight_cols else ones
        key = (pick["normalisation"], pick["aggregation"], pick["imputation"], level)
        geos, ranks = variants.ranks(
            cast("Normalisation", key[0]),
            cast("Aggregation", key[1]),
            cast("Imputation", key[2]),
            level,
            weights,
        )
        if key not in positions:
            where = {g: i for i, g in enumerate(geos)}
            positions[key] = np.array([where[g] for g in analysed])
        y[r] = ranks[positions[key]]
    return y


def _analysed(
    variants: Variants, choices: dict[str, list[str]], level: float
) -> tuple[list[str], dict[str, str]]:
    """Regions in the index under every assumption, and why the others are not."""
    regions = [str(g) for g in variants.raw.index]
    left: dict[str, str] = {}
    for imputation in choices["imputation"]:
        rule = cast("Imputation", imputation)
        for geo, reason in variants.excluded(rule, level).items():
            left.setdefault(geo, f"{reason} (imputation={imputation!r})")
    analysed = [g for g in regions if g not in left]
    if len(analysed) < 2:
        msg = (
            f"only {len(analysed)} region(s) are in the index under every assumption "
            f"(strictest coverage {level:.2f}); lower the coverage range"
        )
        raise MetricInputError(msg)
    return analysed, left


def _per_region(
    problem: dict[str, object], y: np.ndarray, n_half: int, seed: int
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    keys = ("S1", "S1_conf", "ST", "ST_conf")
    out = {k: np.empty((y.shape[1], len(input_labels(problem)))) for k in keys}
    half = np.empty_like(out["ST"])
    for j in range(y.shape[1]):
        full = analyse(problem, y[:, j], seed)
        for k in keys:
            out[k][j] = full[k]
        half[j] = analyse(problem, y[:n_half, j], seed, 10)["ST"]
    return out, half


def index_sensitivity(
    data: pd.DataFrame,
    framework: pd.DataFrame | None = None,
    settings: IndexSettings | None = None,
    *,
    n_base: int = 256,
    seed: int = 0,
    normalisations: Sequence[Normalisation] = ("minmax", "rank"),
    aggregations: Sequence[Aggregation] = ("arithmetic", "geometric"),
    imputations: Sequence[Imputation] = ("pillar_mean", "median"),
    coverage: tuple[float, float] = (0.5, 0.75),
    weight_noise: float = 0.25,
) -> IndexSensitivity:
    r"""First- and total-order Sobol indices of every region's rank in the index.

    The assumptions, the estimators and the convergence check are in the module
    docstring (:mod:`regiongap.metrics.composite.sensitivity`).

    Parameters
    ----------
    data : pandas.DataFrame
        As :func:`regiongap.metrics.composite.index.capacity_index`.
    framework : pandas.DataFrame, optional
        As :func:`~regiongap.metrics.composite.index.capacity_index` (default:
        the catalogue's framework for the indicators *data* holds).
    settings : IndexSettings, optional
        Nominal choices: ``reference`` (for ``"distance_to_reference"``) and
        ``pillar_weights`` (the weights the noise perturbs) are used.
    n_base : int, default 256
        Base sample :math:`N`, a power of 2 ≥ 64 (:math:`N (G + 2)` runs).
    seed : int, default 0
        Seed of the sample and of the bootstrap.
    normalisations : sequence of str
        Normalisations drawn (``"zscore"`` only without ``"geometric"``).
    aggregations : sequence of str
        Aggregations drawn.
    imputations : sequence of str
        Imputation rules drawn.
    coverage : tuple of float
        Range of the minimum coverage (equal bounds: fixed).
    weight_noise : float
        :math:`\varepsilon` in [0, 1) of the pillar-weight multipliers.

    Returns
    -------
    IndexSensitivity
        Indices per region and assumption, their confidence, the convergence,
        the number of runs and the regions not analysed.

    Raises
    ------
    MetricInputError
        A base sample that is not a power of 2 ≥ 64, unknown choices,
        ``"zscore"`` with ``"geometric"``, nothing that varies, a bad coverage
        range or noise, fewer than 2 regions analysed, and every error of
        ``capacity_index``.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 3.0, 2.0, 1.0]},
    ...                     index=pd.Index(["W", "X", "Y", "Z"], name="geo"))
    >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "q"],
    ...                    "higher_is_better": [True, True]})
    >>> s = index_sensitivity(data, fw, n_base=128, normalisations=["minmax"],
    ...                       aggregations=["arithmetic"])
    >>> s.total_order.round(1)  # only the weights decide between mirror images
         imputation  pillar_weights  coverage
    geo
    W           0.0             1.0       0.0
    X           0.0             1.0       0.0
    Y           0.0             1.0       0.0
    Z           0.0             1.0       0.0
    """
    n_base = check_base(n_base)
    lo, hi = (float(coverage[0]), float(coverage[1]))
    if not 0 <= lo <= hi <= 1:
        msg = f"coverage must be two shares 0 <= low <= high <= 1, got {coverage!r}"
        raise MetricInputError(msg)
    if not (isinstance(weight_noise, int | float) and 0 <= weight_noise < 1):
        msg = f"weight_noise must be in [0, 1), got {weight_noise!r}"
        raise MetricInputError(msg)
    fw, _ = framework_or_default(data, framework)
    base = settings if settings is not None else IndexSettings()
    choices = _choices(normalisations, aggregations, imputations)
    variants = Variants(data, fw, base)
    bounds, groups, fixed = _inputs(choices, variants.pillars, (lo, hi), weight_noise)
    analysed, left = _analysed(variants, choices, variants.level(hi))
    problem = sobol_problem(bounds, groups)
    x = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    if base.pillar_weights is not None:
        nominal = np.array([base.pillar_weights[p] for p in variants.pillars])
        x = x.copy()
        for i, p in enumerate(variants.pillars):
            if f"w_{p}" in bounds:
                x[:, list(bounds).index(f"w_{p}")] *= nominal[i]
    y = _run_all(x, list(bounds), variants, choices, lo, analysed)
    labels = input_labels(problem)
    n_half = (n_base // 2) * (len(labels) + 2)
    est, half = _per_region(problem, y, n_half, seed)
    frame = {
        k: pd.DataFrame(v, index=pd.Index(analysed, name="geo"), columns=labels)
        for k, v in est.items()
    }
    change = np.abs(est["ST"] - half)
    return IndexSensitivity(
        first_order=frame["S1"],
        total_order=frame["ST"],
        first_conf=frame["S1_conf"],
        total_conf=frame["ST_conf"],
        convergence=pd.DataFrame(
            {"max_change": change.max(axis=0), "mean_change": change.mean(axis=0)},
            index=pd.Index(labels, name="assumption"),
        ),
        n_runs=int(x.shape[0]),
        n_base=n_base,
        seed=int(seed),
        fixed=fixed,
        left_out=left,
    )
