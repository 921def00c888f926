r"""A composite capacity index, built the way the JRC/OECD Handbook prescribes.

OECD/JRC (2008), *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, OECD Publishing, Paris (https://doi.org/10.1787/9789264043466-en)
lists ten steps. :func:`capacity_index` implements and records these:

1. **Theoretical framework** (step 1): a declared table
   ``indicator, pillar, higher_is_better[, weight]`` — for instance
   :func:`regiongap.catalogue` filtered to the indicators wanted
   (:mod:`regiongap.metrics.composite.framework`).
2. **Data selection / screening** (step 2): a region needs at least
   ``min_coverage`` of the framework's indicators observed; regions below are
   kept in :attr:`CapacityIndex.scores` with a NaN index and an
   ``excluded_reason`` (never dropped silently), as COINr's ``Screen()``.
3. **Imputation** (step 3), explicit: ``"none"`` (a region with any missing
   indicator is excluded, with the reason), ``"pillar_mean"`` (the mean of the
   region's other normalised indicators of the same pillar) or ``"median"`` (the
   cross-region median of the normalised indicator). Imputation is done on the
   normalised scale, after the observed values have been normalised, so that
   imputed values never move the normalisation bounds; every imputed cell is
   flagged in :attr:`CapacityIndex.imputed`.
4. **Normalisation** (step 5), from a registry
   (:mod:`regiongap.metrics.composite.normalise`):
   ``"minmax"``, ``"zscore"``, ``"rank"``, ``"distance_to_reference"``, with the
   direction taken from ``higher_is_better``.
5. **Weighting and aggregation** (step 6), from a registry
   (:mod:`regiongap.metrics.composite.aggregate`): indicators → pillars with the
   framework's ``weight`` column (equal inside each pillar by default), pillars
   → index with ``pillar_weights`` (equal by default), both ``"arithmetic"`` or
   both ``"geometric"``.

   Geometric aggregation needs strictly positive scores. Nothing is shifted
   silently: with ``"minmax"`` the target interval becomes ``[1, 100]``
   instead of ``[0, 100]`` (COINr's convention for geometric means; recorded in
   ``settings["minmax_range"]``), ``"zscore"`` is refused, and a zero or
   negative score from another method is an error.
6. **Back to the data** (step 8): pillar scores and each pillar's contribution
   to the index (:attr:`CapacityIndex.contributions`).

Every choice is one :class:`~regiongap.metrics.composite.settings.IndexSettings`
(:mod:`regiongap.metrics.composite.settings`), shared with the uncertainty on ranks
(step 7), :func:`regiongap.metrics.composite.uncertainty.index_uncertainty`.

.. math::

    P_{rp} = \sum_{i \in p} \tilde w_i\, y_{ri}, \qquad
    I_r = \sum_p v_p P_{rp}  \quad\text{(arithmetic)}

    P_{rp} = \prod_{i \in p} y_{ri}^{\tilde w_i}, \qquad
    I_r = \prod_p P_{rp}^{v_p} \quad\text{(geometric)}

with :math:`\tilde w_i` the indicator weights rescaled to sum to 1 inside each
pillar and :math:`v_p` the pillar weights rescaled to sum to 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from regiongap.metrics.composite._steps import (
    normalise_impute,
    screen,
    weights_in_pillars,
    weights_of_pillars,
)
from regiongap.metrics.composite.aggregate import Aggregation, aggregate, contributions
from regiongap.metrics.composite.framework import framework_or_default
from regiongap.metrics.composite.normalise import Normalisation
from regiongap.metrics.composite.settings import (
    Imputation,
    IndexSettings,
    Weights,
    merge_settings,
)

__all__ = ["CapacityIndex", "capacity_index"]


@dataclass(frozen=True, eq=False)
class CapacityIndex:
    r"""Result of :func:`capacity_index`.

    Parameters
    ----------
    scores : pandas.DataFrame
        Index ``geo`` (every region given), columns ``index`` (float, NaN when
        excluded), ``rank`` (Int64, 1 = highest index, ties share the lowest
        rank), ``n_indicators`` (observed framework indicators), ``n_imputed``,
        ``coverage`` (observed share of the framework's indicators) and
        ``excluded_reason`` (string, ``<NA>`` for regions in the index).
    pillars : pandas.DataFrame
        Included regions × pillar scores.
    contributions : pandas.DataFrame
        Included regions × pillar contribution to the index: :math:`v_p P_{rp}`,
        summing to the index (arithmetic), or :math:`v_p \ln P_{rp}`, summing to
        :math:`\ln I_r` (geometric; ``settings["contributions_scale"] == "log"``).
    normalised : pandas.DataFrame
        Included regions × indicator scores after normalisation and imputation.
    imputed : pandas.DataFrame
        Boolean mask, same shape as ``normalised``: True where the value was imputed.
    settings : dict
        Every choice made (normalisation, aggregation, imputation, minimum
        coverage, min–max range, weights, reference values), to report or
        regenerate the index.
    framework : pandas.DataFrame
        The validated framework: ``indicator, pillar, higher_is_better, weight``
        and ``effective_weight`` (the indicator's weight in the index under
        arithmetic aggregation: within-pillar weight × pillar weight).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [0.0, 5.0, 10.0]},
    ...                     index=pd.Index(["X", "Y", "Z"], name="geo"))
    >>> fw = pd.DataFrame({"indicator": ["a"], "pillar": ["p"],
    ...                    "higher_is_better": [True]})
    >>> ci = capacity_index(data, fw)
    >>> ci
    CapacityIndex(3 regions, 0 excluded, 1 pillars, 1 indicators; minmax/arithmetic, imputation=none)
    >>> ci.index.to_dict()
    {'Z': 100.0, 'Y': 50.0, 'X': 0.0}
    """  # noqa: E501 - a doctest's output is one line

    scores: pd.DataFrame
    pillars: pd.DataFrame
    contributions: pd.DataFrame
    normalised: pd.DataFrame
    imputed: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    framework: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def index(self) -> pd.Series:
        """The index of the included regions, best first."""
        return self.scores["index"].dropna().sort_values(ascending=False)

    @property
    def excluded(self) -> pd.Series:
        """``excluded_reason`` of the regions left out of the index."""
        reason = self.scores["excluded_reason"]
        return reason[reason.notna()]

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"CapacityIndex({len(self.pillars)} regions, "
            f"{len(self.excluded)} excluded, {self.pillars.shape[1]} pillars, "
            f"{self.normalised.shape[1]} indicators; {s.get('normalisation')}/"
            f"{s.get('aggregation')}, imputation={s.get('imputation')})"
        )


def _aggregate_levels(
    norm: pd.DataFrame,
    within: dict[str, dict[str, float]],
    pillar_w: dict[str, float],
    aggregation: Aggregation,
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    pillars = pd.DataFrame(
        {p: aggregate(norm[list(w)], w, aggregation) for p, w in within.items()},
        index=norm.index,
    )
    pillars = pillars[list(pillar_w)]
    index = aggregate(pillars, pillar_w, aggregation)
    contrib = contributions(pillars, pillar_w, aggregation)
    return pillars, index, contrib


def _score_table(
    screened_scores: pd.DataFrame, index: pd.Series, imputed: pd.DataFrame
) -> pd.DataFrame:
    scores = screened_scores.copy()
    scores.insert(0, "index", index.reindex(scores.index))
    ranks = scores["index"].rank(method="min", ascending=False)
    scores.insert(1, "rank", ranks.astype("Int64"))
    n_imputed = imputed.sum(axis=1).reindex(scores.index)
    scores.insert(3, "n_imputed", n_imputed.astype("Int64"))
    scores.index.name = "geo"
    return scores


def _record(
    settings: IndexSettings,
    pillar_w: dict[str, float],
    within: dict[str, dict[str, float]],
    scores: pd.DataFrame,
    n_included: int,
) -> dict[str, Any]:
    """Return the ``settings`` dict of a :class:`CapacityIndex`: every choice made."""
    minmax = settings.normalisation == "minmax"
    return {
        "normalisation": settings.normalisation,
        "aggregation": settings.aggregation,
        "imputation": settings.imputation,
        "imputation_scale": "normalised",
        "min_coverage": float(settings.min_coverage),
        "minmax_range": settings.target_range if minmax else None,
        "pillar_weights": pillar_w,
        "indicator_weights": within,
        "reference": (
            dict(settings.reference) if settings.reference is not None else None
        ),
        "contributions_scale": (
            "log" if settings.aggregation == "geometric" else "index"
        ),
        "rank_method": "min (1 = highest index)",
        "n_regions": len(scores),
        "n_included": n_included,
        "n_excluded": int(scores["excluded_reason"].notna().sum()),
        "method": "OECD/JRC (2008) Handbook on Constructing Composite Indicators",
    }


def capacity_index(
    data: pd.DataFrame,
    framework: pd.DataFrame | None = None,
    settings: IndexSettings | None = None,
    *,
    normalisation: Normalisation | None = None,
    aggregation: Aggregation | None = None,
    imputation: Imputation | None = None,
    min_coverage: float | None = None,
    pillar_weights: Weights | None = None,
    reference: Mapping[str, float] | None = None,
    minmax_range: tuple[float, float] | None = None,
) -> CapacityIndex:
    r"""Build a composite capacity index from regional indicators.

    The steps, formulas and sources are in the module docstring
    (:mod:`regiongap.metrics.composite.index`; OECD/JRC 2008 Handbook, steps 1–3, 5,
    6, 8).

    Parameters
    ----------
    data : pandas.DataFrame
        Regions × indicators: index ``geo`` (or a ``geo`` column) and one column
        per framework indicator. The output of :func:`regiongap.panel` works as
        is (``__year``/``__flag`` and other columns are ignored); a long frame
        ``indicator, geo, value`` (one year) is pivoted.
    framework : pandas.DataFrame, optional
        ``indicator, pillar, higher_is_better`` and optionally ``weight``
        (within-pillar weight, default equal). See
        :func:`~regiongap.metrics.composite.framework.validate_framework`.
        Default: the catalogue's framework for the indicators a panel holds
        (:func:`regiongap.index_framework`, its indicators left out and why in
        ``settings["indicators_left_out"]``); an explicit framework wins.
    settings : IndexSettings, optional
        Every construction choice in one object (default ``IndexSettings()``:
        min–max, arithmetic, no imputation, ``min_coverage=0.75``). The keywords
        below override it one by one.
    normalisation : {"minmax", "zscore", "rank", "distance_to_reference"}, optional
        Key of :data:`regiongap.metrics.composite.normalise.NORMALISATIONS`.
    aggregation : {"arithmetic", "geometric"}, optional
        Key of :data:`regiongap.metrics.composite.aggregate.AGGREGATIONS`, used at
        both levels (indicators → pillars → index).
    imputation : {"none", "pillar_mean", "median"}, optional
        What to do with a missing indicator of a region that passes the
        coverage screen (see module docstring). ``"none"`` excludes it.
    min_coverage : float, optional
        Minimum share of framework indicators a region must have observed,
        in [0, 1] (default 0.75).
    pillar_weights : mapping or Series of pillar -> weight, optional
        Non-negative, positive sum, exactly the framework's pillars. Equal by default.
    reference : mapping of indicator -> float, optional
        EU-27 value of every indicator, required by ``"distance_to_reference"``.
    minmax_range : tuple of float, optional
        Target interval of min–max; default ``(0, 100)``, or ``(1, 100)`` under
        geometric aggregation (which needs positive scores).

    Returns
    -------
    CapacityIndex
        ``scores``, ``pillars``, ``contributions``, ``normalised``, ``imputed``,
        ``settings`` and ``framework``.

    Raises
    ------
    MetricInputError
        Unknown registry key (listing the allowed ones), invalid framework or
        weights (naming them), indicators absent from *data*, a constant
        indicator, zscore with geometric aggregation, or fewer than 2 regions left.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"a": [0.0, 5.0, 10.0], "b": [30.0, 10.0, 20.0]},
    ...                     index=pd.Index(["X", "Y", "Z"], name="geo"))
    >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "q"],
    ...                    "higher_is_better": [True, False]})
    >>> ci = capacity_index(data, fw)
    >>> ci.scores["index"].tolist()
    [0.0, 75.0, 75.0]
    >>> ci.scores["rank"].tolist()
    [3, 1, 1]
    >>> geo = capacity_index(data, fw, IndexSettings(aggregation="geometric"))
    >>> geo.normalised["a"].tolist()
    [1.0, 50.5, 100.0]

    Without a framework, a panel's catalogue indicators make the index:

    >>> import regiongap as rg
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     panel = rg.panel(level=2, year=2019)
    >>> ci = capacity_index(panel, settings=IndexSettings(imputation="pillar_mean"))
    >>> ci.settings["framework_source"], "gdp_pps_per_inhabitant" in ci.normalised
    ('catalogue (index_framework)', True)
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
    framework, chosen_from = framework_or_default(data, framework)
    screened = screen(data, framework, chosen)
    fw = screened.framework
    pillar_w = weights_of_pillars(fw, chosen.pillar_weights)
    within = weights_in_pillars(fw)
    norm, imputed = normalise_impute(
        screened,
        chosen.normalisation,
        chosen.imputation,
        reference=chosen.reference,
        minmax_range=chosen.target_range,
    )
    pillars, index, contrib = _aggregate_levels(
        norm, within, pillar_w, chosen.aggregation
    )
    scores = _score_table(screened.scores, index, imputed)
    fw = fw.copy()
    fw["weight_in_pillar"] = [
        within[p][i] for i, p in zip(fw["indicator"], fw["pillar"], strict=True)
    ]
    fw["effective_weight"] = fw["weight_in_pillar"] * fw["pillar"].map(pillar_w)
    return CapacityIndex(
        scores=scores,
        pillars=pillars,
        contributions=contrib,
        normalised=norm,
        imputed=imputed,
        settings={
            **_record(chosen, pillar_w, within, scores, len(pillars)),
            **chosen_from,
        },
        framework=fw,
    )
