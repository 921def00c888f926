r"""Uncertainty analysis of a capacity index's ranks (Handbook step 7).

:func:`index_uncertainty` repeats the construction of
:func:`regiongap.metrics.composite.index.capacity_index` many times, each time with
choices drawn at random, and reports how far each region's rank moves
(OECD/JRC 2008, *Handbook on Constructing Composite Indicators*, section 7,
"uncertainty analysis"; Saisana, Saltelli & Tarantola 2005, *J. R. Stat. Soc. A*
168(2), 307–323; COINr ``get_sensitivity(SA_type = "UA")``).

In every Monte Carlo run :math:`k = 1, \dots, K`:

* the normalisation and the aggregation are drawn with equal probability from
  the allowed pairs (``"zscore"`` × ``"geometric"`` is never drawn, being
  undefined; min–max uses ``[1, 100]`` under geometric aggregation, ``[0, 100]``
  otherwise);
* every nominal weight — each indicator's weight inside its pillar and each
  pillar's weight — is multiplied by an independent
  :math:`U(1-\varepsilon,\, 1+\varepsilon)` factor and the weights are
  rescaled to sum to 1 again (COINr ``get_noisy_weights``; :math:`\varepsilon`
  is ``weight_noise``, default 0.25);
* regions are ranked (1 = highest index, ties share the lowest rank).

The screening and the imputation rule stay those of the nominal index (one
:class:`~regiongap.metrics.composite.settings.IndexSettings` builds both), so the
set of regions is the same in every run. Randomness comes only from
``numpy.random.default_rng(seed)``: a fixed seed gives identical results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from regiongap.errors import MetricInputError
from regiongap.metrics.composite._steps import (
    Screened,
    normalise_impute,
    screen,
    weights_in_pillars,
    weights_of_pillars,
)
from regiongap.metrics.composite.aggregate import AGGREGATIONS, Aggregation
from regiongap.metrics.composite.framework import framework_or_default
from regiongap.metrics.composite.index import capacity_index
from regiongap.metrics.composite.normalise import NORMALISATIONS, Normalisation
from regiongap.metrics.composite.settings import (
    Imputation,
    IndexSettings,
    Weights,
    merge_settings,
    minmax_range_for,
)

__all__ = ["index_uncertainty"]

Pair = tuple[Normalisation, Aggregation]


def _allowed_pairs(
    normalisations: Sequence[str], aggregations: Sequence[str]
) -> list[Pair]:
    """Return the (normalisation, aggregation) pairs to draw, in the order given."""
    for n in normalisations:
        if n not in NORMALISATIONS:
            msg = (
                f"normalisations: {n!r} is not known; choose from "
                f"{sorted(NORMALISATIONS)}"
            )
            raise MetricInputError(msg)
    for a in aggregations:
        if a not in AGGREGATIONS:
            msg = (
                f"aggregations: {a!r} is not known; choose from {sorted(AGGREGATIONS)}"
            )
            raise MetricInputError(msg)
    norms = cast("list[Normalisation]", list(dict.fromkeys(normalisations)))
    aggs = cast("list[Aggregation]", list(dict.fromkeys(aggregations)))
    pairs = [
        (n, a) for n in norms for a in aggs if not (n == "zscore" and a == "geometric")
    ]
    if not pairs:
        msg = (
            "no valid (normalisation, aggregation) pair: 'zscore' cannot be "
            "aggregated geometrically; add 'arithmetic' or another normalisation"
        )
        raise MetricInputError(msg)
    return pairs


def _check_run_options(
    n_runs: int, weight_noise: float, interval: tuple[float, float]
) -> tuple[float, float]:
    """Validate the Monte Carlo options; return the two percentiles as floats."""
    if not isinstance(n_runs, int | np.integer) or n_runs < 1:
        msg = f"n_runs must be a positive integer, got {n_runs!r}"
        raise MetricInputError(msg)
    if not (isinstance(weight_noise, int | float) and 0 <= weight_noise < 1):
        msg = f"weight_noise must be in [0, 1), got {weight_noise!r}"
        raise MetricInputError(msg)
    lo_q, hi_q = (float(interval[0]), float(interval[1]))
    if not 0 <= lo_q < hi_q <= 100:
        msg = (
            f"interval must be two percentiles 0 <= low < high <= 100, got {interval!r}"
        )
        raise MetricInputError(msg)
    return lo_q, hi_q


def _pillar_blocks(
    norm: np.ndarray, blocks: list[np.ndarray], aggregation: str
) -> list[np.ndarray]:
    """Each pillar's columns (logs under geometric aggregation), taken once."""
    if aggregation == "geometric":
        with np.errstate(divide="ignore"):
            norm = np.log(norm)
    return [norm[:, b] for b in blocks]


def _run_index(
    columns: list[np.ndarray],
    within: list[np.ndarray],
    pillar_w: np.ndarray,
    aggregation: str,
) -> np.ndarray:
    pillars = np.column_stack([c @ w for c, w in zip(columns, within, strict=True)])
    if aggregation == "geometric":
        return np.exp(pillars @ pillar_w)
    return pillars @ pillar_w


def _noisy_all(w: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Every run's weights: nominal × factor, rescaled to sum to 1 (one row per run)."""
    v = w * factors
    return v / v.sum(axis=1, keepdims=True)


def _weight_draws(
    weights: _Weights, noise: float, n_runs: int, rng: np.random.Generator
) -> tuple[list[np.ndarray], np.ndarray]:
    """Draw every run's noisy weights, in the order a run-by-run loop draws them.

    Run *k* draws the factors of each pillar's indicators, then the pillars'; one
    ``uniform`` call of shape ``(n_runs, all factors)`` gives the same numbers in
    the same order.
    """
    sizes = [len(w) for w in weights.within] + [len(weights.pillars)]
    if noise == 0:
        within = [np.tile(w, (n_runs, 1)) for w in weights.within]
        return within, np.tile(weights.pillars, (n_runs, 1))
    factors = rng.uniform(1.0 - noise, 1.0 + noise, size=(n_runs, sum(sizes)))
    edges = np.cumsum([0, *sizes])
    nominal = [*weights.within, weights.pillars]
    noisy = [
        _noisy_all(w, factors[:, a:b])
        for w, a, b in zip(nominal, edges[:-1], edges[1:], strict=True)
    ]
    return noisy[:-1], noisy[-1]


def _normalised_by_pair(
    screened: Screened, pairs: list[Pair], settings: IndexSettings
) -> dict[Pair, np.ndarray]:
    """Normalised, imputed scores for every pair drawn (computed once each)."""
    columns = list(screened.raw.columns)
    cache: dict[Pair, np.ndarray] = {}
    for norm_key, agg_key in pairs:
        if (norm_key, agg_key) in cache:
            continue
        norm, _ = normalise_impute(
            screened,
            norm_key,
            settings.imputation,
            reference=settings.reference,
            minmax_range=minmax_range_for(agg_key),
        )
        values = norm[columns].to_numpy(dtype="float64")
        if agg_key == "geometric" and (values <= 0).any():
            msg = (
                f"normalisation {norm_key!r} gives non-positive scores, which "
                "geometric aggregation cannot take; drop it from normalisations "
                "or drop 'geometric' from aggregations"
            )
            raise MetricInputError(msg)
        cache[(norm_key, agg_key)] = values
    return cache


@dataclass(frozen=True)
class _Weights:
    """The nominal weights as arrays: column blocks of the pillars, their weights."""

    blocks: list[np.ndarray]
    within: list[np.ndarray]
    pillars: np.ndarray


def _nominal_weights(screened: Screened, settings: IndexSettings) -> _Weights:
    fw = screened.framework
    columns = list(screened.raw.columns)
    within_map = weights_in_pillars(fw)
    pillar_map = weights_of_pillars(fw, settings.pillar_weights)
    pillars = list(pillar_map)
    return _Weights(
        blocks=[np.array([columns.index(i) for i in within_map[p]]) for p in pillars],
        within=[np.array(list(within_map[p].values())) for p in pillars],
        pillars=np.array([pillar_map[p] for p in pillars]),
    )


def _simulate(
    normalised: dict[Pair, np.ndarray],
    pairs: list[Pair],
    weights: _Weights,
    *,
    n_runs: int,
    seed: int,
    weight_noise: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Ranks of every region in every run, and the pair drawn in each run."""
    n_regions = next(iter(normalised.values())).shape[0]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(pairs), size=n_runs)
    within, pillar_w = _weight_draws(weights, weight_noise, n_runs, rng)
    columns = {
        pair: _pillar_blocks(norm, weights.blocks, pair[1])
        for pair, norm in normalised.items()
    }
    results = np.empty((n_runs, n_regions), dtype="float64")
    for k in range(n_runs):
        pair = pairs[int(draws[k])]
        results[k] = _run_index(
            columns[pair], [w[k] for w in within], pillar_w[k], pair[1]
        )
    return rankdata(-results, method="min", axis=1), draws


def _rank_table(
    ranks: np.ndarray, geo: pd.Index, nominal: pd.Series, lo_q: float, hi_q: float
) -> pd.DataFrame:
    lo_name, hi_name = f"rank_p{lo_q:02.0f}", f"rank_p{hi_q:02.0f}"
    lo, med, hi = np.percentile(ranks, [lo_q, 50.0, hi_q], axis=0)
    return pd.DataFrame(
        {
            "nominal_rank": nominal.loc[geo].astype("Int64"),
            "median_rank": med,
            lo_name: lo,
            hi_name: hi,
            "rank_width": hi - lo,
            "mean_rank": ranks.mean(axis=0),
            "best_rank": ranks.min(axis=0),
            "worst_rank": ranks.max(axis=0),
        },
        index=geo,
    ).sort_values(["nominal_rank", "median_rank"])


def index_uncertainty(
    data: pd.DataFrame,
    framework: pd.DataFrame | None = None,
    settings: IndexSettings | None = None,
    *,
    n_runs: int = 1000,
    seed: int = 0,
    normalisations: Sequence[Normalisation] = ("minmax", "zscore", "rank"),
    aggregations: Sequence[Aggregation] = ("arithmetic", "geometric"),
    weight_noise: float = 0.25,
    interval: tuple[float, float] = (5.0, 95.0),
    normalisation: Normalisation | None = None,
    aggregation: Aggregation | None = None,
    imputation: Imputation | None = None,
    min_coverage: float | None = None,
    pillar_weights: Weights | None = None,
    reference: Mapping[str, float] | None = None,
    minmax_range: tuple[float, float] | None = None,
) -> pd.DataFrame:
    r"""Monte Carlo uncertainty of every region's rank in the capacity index.

    The procedure and its sources are in the module docstring
    (:mod:`regiongap.metrics.composite.uncertainty`).

    Parameters
    ----------
    data : pandas.DataFrame
        As :func:`regiongap.metrics.composite.index.capacity_index`.
    framework : pandas.DataFrame, optional
        As :func:`regiongap.metrics.composite.index.capacity_index` (default:
        the catalogue's framework for the indicators a panel holds).
    settings : IndexSettings, optional
        The nominal index (its rank is ``nominal_rank``), exactly as
        :func:`~regiongap.metrics.composite.index.capacity_index` takes it; its
        ``imputation``, ``min_coverage``, ``pillar_weights`` and ``reference``
        also apply in every run.
    n_runs : int
        Number of Monte Carlo runs (default 1000).
    seed : int
        Seed of ``numpy.random.default_rng``; the result is deterministic for a
        fixed seed.
    normalisations : sequence of str
        Normalisations to draw from (keys of ``NORMALISATIONS``). Include
        ``"distance_to_reference"`` only together with ``reference``.
    aggregations : sequence of str
        Aggregations to draw from (keys of ``AGGREGATIONS``).
    weight_noise : float
        :math:`\varepsilon` in [0, 1): relative half-width of the uniform noise
        on every weight. 0 keeps the nominal weights.
    interval : tuple of float
        Lower and upper percentiles of the rank band (default 5 and 95).
    normalisation : {"minmax", "zscore", "rank", "distance_to_reference"}, optional
        Overrides ``settings.normalisation`` (nominal index only).
    aggregation : {"arithmetic", "geometric"}, optional
        Overrides ``settings.aggregation`` (nominal index only).
    imputation : {"none", "pillar_mean", "median"}, optional
        Overrides ``settings.imputation``.
    min_coverage : float, optional
        Overrides ``settings.min_coverage``.
    pillar_weights : mapping or Series of pillar -> weight, optional
        Overrides ``settings.pillar_weights`` (the nominal weights the noise
        perturbs).
    reference : mapping of indicator -> float, optional
        Overrides ``settings.reference``.
    minmax_range : tuple of float, optional
        Overrides ``settings.minmax_range`` (nominal index only; the runs use
        ``(0, 100)``, or ``(1, 100)`` under geometric aggregation).

    Returns
    -------
    pandas.DataFrame
        Index ``geo`` (regions in the index, in nominal-rank order), columns
        ``nominal_rank``, ``median_rank``, ``rank_p05``, ``rank_p95`` (named after
        ``interval``), ``rank_width`` (upper − lower), ``mean_rank``,
        ``best_rank``, ``worst_rank``. Percentiles are numpy's default (linear
        interpolation). ``attrs`` holds ``n_runs``, ``seed``, the drawn pairs and
        how often each was used, and the excluded regions.

    Raises
    ------
    MetricInputError
        Unknown normalisation/aggregation keys, ``n_runs`` < 1, a
        ``weight_noise`` outside [0, 1), and every error of ``capacity_index``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 2.0, 3.0, 5.0]},
    ...                     index=pd.Index(["W", "X", "Y", "Z"], name="geo"))
    >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "q"],
    ...                    "higher_is_better": [True, True]})
    >>> u = index_uncertainty(data, fw, n_runs=200, seed=1)
    >>> u.index.tolist(), u["nominal_rank"].tolist()
    (['Z', 'Y', 'X', 'W'], [1, 2, 3, 4])
    >>> u["rank_width"].tolist()  # every indicator orders the regions alike
    [0.0, 0.0, 0.0, 0.0]
    """
    chosen = merge_settings(
        settings,
        normalisation=normalisation,
        aggregation=aggregation,
        imputation=imputation,
        min_coverage=min_coverage,
        pillar_weights=pillar_weights,
        reference=reference,
        minmax_range=minmax_range,
    )
    lo_q, hi_q = _check_run_options(n_runs, weight_noise, interval)
    pairs = _allowed_pairs(normalisations, aggregations)
    framework, _ = framework_or_default(data, framework)
    nominal = capacity_index(data, framework, chosen)
    screened = screen(data, framework, chosen)
    normalised = _normalised_by_pair(screened, pairs, chosen)
    ranks, draws = _simulate(
        normalised,
        pairs,
        _nominal_weights(screened, chosen),
        n_runs=n_runs,
        seed=seed,
        weight_noise=weight_noise,
    )
    out = _rank_table(ranks, screened.raw.index, nominal.scores["rank"], lo_q, hi_q)
    counts = np.bincount(draws, minlength=len(pairs))
    attrs: dict[str, Any] = {
        "n_runs": int(n_runs),
        "seed": seed,
        "weight_noise": float(weight_noise),
        "pairs": {f"{n}/{a}": int(c) for (n, a), c in zip(pairs, counts, strict=True)},
        "nominal": nominal.settings,
        "excluded": nominal.excluded.to_dict(),
        "method": "OECD/JRC (2008) Handbook, step 7 (uncertainty analysis)",
    }
    out.attrs.update(attrs)
    return out
