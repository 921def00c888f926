r"""A composite capacity index, built the way the JRC/OECD Handbook prescribes.

OECD/JRC (2008), *Handbook on Constructing Composite Indicators: Methodology
and User Guide*, OECD Publishing, Paris (https://doi.org/10.1787/9789264043466-en)
lists ten steps. :func:`capacity_index` implements and records these:

1. **Theoretical framework** (step 1): a declared table
   ``indicator, pillar, higher_is_better[, weight]`` — for instance
   :func:`regiongap.indicators` filtered to the indicators wanted.
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

Uncertainty on ranks (step 7) is
:func:`regiongap.metrics.composite.uncertainty.index_uncertainty`.

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

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError
from regiongap.metrics.composite.aggregate import (
    AGGREGATIONS,
    aggregate,
    check_aggregation,
    contributions,
    weights_vector,
)
from regiongap.metrics.composite.normalise import NORMALISATIONS, normalise

__all__ = ["IMPUTATIONS", "CapacityIndex", "capacity_index"]

IMPUTATIONS: tuple[str, ...] = ("none", "pillar_mean", "median")
"""Allowed values of ``imputation``."""

_FRAMEWORK_COLUMNS = ("indicator", "pillar", "higher_is_better")


@dataclass(frozen=True, eq=False)
class CapacityIndex:
    r"""Result of :func:`capacity_index`.

    Attributes
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
    """

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


# --------------------------------------------------------------------- inputs


def validate_framework(framework: pd.DataFrame) -> pd.DataFrame:
    """Check a framework table; return ``indicator, pillar, higher_is_better, weight``.

    Parameters
    ----------
    framework : pandas.DataFrame
        Columns ``indicator`` (unique), ``pillar``, ``higher_is_better`` (bool)
        and optionally ``weight`` (non-negative, default 1). Extra columns (as
        in :func:`regiongap.indicators`) are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the given order, with a float ``weight``.

    Raises
    ------
    MetricInputError
        Missing columns, duplicated indicators, a missing pillar, a direction
        that is not True/False, or invalid weights (naming the indicators).
    """
    if not isinstance(framework, pd.DataFrame):
        msg = (
            "framework must be a DataFrame with columns indicator, pillar, "
            f"higher_is_better[, weight]; got {type(framework).__name__}"
        )
        raise MetricInputError(msg)
    missing = [c for c in _FRAMEWORK_COLUMNS if c not in framework.columns]
    if missing:
        msg = (
            f"framework is missing column(s) {missing}; it has "
            f"{list(framework.columns)}"
        )
        raise MetricInputError(msg)
    if framework.empty:
        msg = "framework has no indicator"
        raise MetricInputError(msg)
    fw = framework.reset_index(drop=True)
    ind = fw["indicator"].astype(str)
    dup = sorted(set(ind[ind.duplicated()]))
    if dup:
        msg = f"framework lists indicator(s) {dup} more than once"
        raise MetricInputError(msg)
    no_pillar = ind[fw["pillar"].isna()].tolist()
    if no_pillar:
        msg = f"framework has no pillar for indicator(s) {no_pillar}"
        raise MetricInputError(msg)
    direction = fw["higher_is_better"]
    ok = direction.map(lambda v: isinstance(v, bool | np.bool_))
    if not ok.all():
        bad = dict(zip(ind[~ok], direction[~ok], strict=True))
        msg = (
            f"framework higher_is_better must be True or False; got {bad}. Variables "
            "without a direction (context such as population) do not belong in an "
            "index: drop them, e.g. framework[framework['higher_is_better'].notna()]"
        )
        raise MetricInputError(msg)
    if "weight" in fw.columns:
        weight = pd.to_numeric(fw["weight"], errors="coerce").astype("float64")
        bad = ind[~np.isfinite(weight) | (weight < 0)].tolist()
        if bad:
            msg = (
                "framework weight must be finite and non-negative; bad for "
                f"{dict(zip(bad, fw.loc[ind.isin(bad), 'weight'], strict=True))}"
            )
            raise MetricInputError(msg)
    else:
        weight = pd.Series(1.0, index=fw.index)
    out = pd.DataFrame(
        {
            "indicator": ind,
            "pillar": fw["pillar"].astype(str),
            "higher_is_better": direction.astype(bool),
            "weight": weight,
        }
    )
    zero = out.groupby("pillar", sort=False)["weight"].sum()
    zero = zero[zero <= 0].index.tolist()
    if zero:
        msg = f"framework weights sum to 0 inside pillar(s) {zero}"
        raise MetricInputError(msg)
    return out


def indicator_matrix(
    data: pd.DataFrame | pd.Series, indicators: list[str]
) -> pd.DataFrame:
    """Return the region × indicator matrix of *indicators* from *data*.

    Accepts a wide frame indexed by ``geo`` (or with a ``geo`` column), such as
    :func:`regiongap.panel` (its ``{id}__year``/``{id}__flag`` and label columns
    are ignored), or a long frame ``indicator, geo, value`` with one row per
    (indicator, geo) — select one year first.

    Raises
    ------
    MetricInputError
        Indicators not in *data* (naming them), duplicated regions, or a long
        frame with several rows per (indicator, geo).
    """
    if not isinstance(data, pd.DataFrame):
        msg = (
            "data must be a DataFrame (regions × indicators); got "
            f"{type(data).__name__}"
        )
        raise MetricInputError(msg)
    frame = data
    if {"indicator", "geo", "value"} <= set(frame.columns):
        dup = frame.duplicated(["indicator", "geo"], keep=False)
        if dup.any():
            msg = (
                "long data has several rows per (indicator, geo) — select one year "
                f"first; e.g. {frame.loc[dup, ['indicator', 'geo']].head(3).values}"
            )
            raise MetricInputError(msg)
        frame = frame.pivot(index="geo", columns="indicator", values="value")
    elif "geo" in frame.columns:
        frame = frame.set_index("geo")
    frame = frame.copy()
    frame.index = frame.index.astype(str).rename("geo")
    if frame.index.has_duplicates:
        dups = sorted(set(frame.index[frame.index.duplicated()]))[:10]
        msg = f"data has duplicated regions {dups}"
        raise MetricInputError(msg)
    absent = [i for i in indicators if i not in frame.columns]
    if absent:
        msg = (
            f"data has no column for framework indicator(s) {absent}; "
            f"data columns: {[c for c in frame.columns if '__' not in str(c)][:20]}. "
            "Keep the indicators you have: "
            "framework[framework['indicator'].isin(data.columns)]"
        )
        raise MetricInputError(msg)
    try:
        return frame[indicators].apply(pd.to_numeric).astype("float64")
    except (TypeError, ValueError) as exc:
        msg = f"framework indicator columns must be numeric: {exc}"
        raise MetricInputError(msg) from exc


@dataclass(frozen=True)
class _Screened:
    raw: pd.DataFrame  # included regions × indicators (raw values, NaN = missing)
    scores: pd.DataFrame  # every region: n_indicators, coverage, excluded_reason
    framework: pd.DataFrame


def _screen(
    data: pd.DataFrame,
    framework: pd.DataFrame,
    *,
    min_coverage: float,
    imputation: str,
) -> _Screened:
    if imputation not in IMPUTATIONS:
        msg = (
            f"imputation {imputation!r} is not known; choose one of {list(IMPUTATIONS)}"
        )
        raise MetricInputError(msg)
    if not (isinstance(min_coverage, int | float) and 0 <= min_coverage <= 1):
        msg = f"min_coverage must be a share in [0, 1], got {min_coverage!r}"
        raise MetricInputError(msg)
    fw = validate_framework(framework)
    indicators = fw["indicator"].tolist()
    raw = indicator_matrix(data, indicators)
    inf = np.isinf(raw.to_numpy())
    if inf.any():
        rows = raw.index[inf.any(axis=1)].tolist()[:5]
        msg = f"data has infinite values (regions {rows})"
        raise MetricInputError(msg)
    observed = raw.notna()
    n_obs = observed.sum(axis=1).astype("int64")
    coverage = n_obs / len(indicators)
    reasons: dict[str, str] = {}
    pillar_of = dict(zip(fw["indicator"], fw["pillar"], strict=True))
    for geo in raw.index:
        missing = [i for i in indicators if not observed.at[geo, i]]
        if not missing:
            continue
        if coverage[geo] < min_coverage:
            reasons[geo] = (
                f"coverage {coverage[geo]:.2f} < min_coverage {min_coverage:.2f} "
                f"(missing {', '.join(missing)})"
            )
        elif imputation == "none":
            reasons[geo] = f"missing {', '.join(missing)} and imputation='none'"
        elif imputation == "pillar_mean":
            empty = sorted(
                {pillar_of[i] for i in missing}
                - {pillar_of[i] for i in indicators if observed.at[geo, i]}
            )
            if empty:
                reasons[geo] = (
                    f"no observed indicator in pillar(s) {', '.join(empty)}: "
                    "pillar_mean imputation impossible"
                )
    reason = pd.Series(pd.NA, index=raw.index, dtype="string")
    for geo, text in reasons.items():
        reason[geo] = text
    scores = pd.DataFrame(
        {"n_indicators": n_obs, "coverage": coverage, "excluded_reason": reason}
    )
    included = raw.loc[reason.isna()]
    if len(included) < 2:
        msg = (
            f"only {len(included)} region(s) pass the screening (min_coverage="
            f"{min_coverage}, imputation={imputation!r}); an index needs at least 2. "
            f"Reasons: {dict(list(reasons.items())[:5])}"
        )
        raise MetricInputError(msg)
    return _Screened(raw=included, scores=scores, framework=fw)


def _minmax_range(
    aggregation: str, minmax_range: tuple[float, float] | None
) -> tuple[float, float]:
    if minmax_range is not None:
        return (float(minmax_range[0]), float(minmax_range[1]))
    return (1.0, 100.0) if aggregation == "geometric" else (0.0, 100.0)


def _check_choices(normalisation: str, aggregation: str) -> None:
    if normalisation not in NORMALISATIONS:
        msg = (
            f"normalisation {normalisation!r} is not known; choose one of "
            f"{sorted(NORMALISATIONS)}"
        )
        raise MetricInputError(msg)
    check_aggregation(aggregation)
    if aggregation == "geometric" and normalisation == "zscore":
        msg = (
            "aggregation 'geometric' needs strictly positive normalised values and "
            "normalisation 'zscore' gives negative ones; use 'minmax' (rescaled "
            "to [1, 100]), 'rank' or 'distance_to_reference', or aggregation "
            f"'arithmetic' (allowed aggregations: {sorted(AGGREGATIONS)})"
        )
        raise MetricInputError(msg)


def _normalise_impute(
    screened: _Screened,
    normalisation: str,
    imputation: str,
    *,
    reference: Mapping[str, float] | None,
    minmax_range: tuple[float, float],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    fw = screened.framework
    norm = normalise(
        screened.raw,
        normalisation,
        higher_is_better=dict(
            zip(fw["indicator"], fw["higher_is_better"], strict=True)
        ),
        reference=reference,
        minmax_range=minmax_range,
    )
    imputed = norm.isna()
    if imputed.to_numpy().any():
        if imputation == "median":
            norm = norm.fillna(norm.median(axis=0))
        elif imputation == "pillar_mean":
            filled = norm.copy()
            for _, group in fw.groupby("pillar", sort=False):
                cols = group["indicator"].tolist()
                mean = norm[cols].mean(axis=1)
                for col in cols:
                    filled[col] = norm[col].fillna(mean)
            norm = filled
    return norm, imputed


def _pillar_weights(
    fw: pd.DataFrame, pillar_weights: Mapping[str, float] | pd.Series | None
) -> dict[str, float]:
    pillars = list(dict.fromkeys(fw["pillar"]))
    v = weights_vector(pillar_weights, pillars, what="pillar_weights")
    return dict(zip(pillars, v.tolist(), strict=True))


def _within_weights(fw: pd.DataFrame) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for pillar, group in fw.groupby("pillar", sort=False):
        w = group["weight"].to_numpy(dtype="float64")
        out[str(pillar)] = dict(
            zip(group["indicator"], (w / w.sum()).tolist(), strict=True)
        )
    return out


def _aggregate_levels(
    norm: pd.DataFrame,
    within: dict[str, dict[str, float]],
    pillar_w: dict[str, float],
    aggregation: str,
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    pillars = pd.DataFrame(
        {p: aggregate(norm[list(w)], w, aggregation) for p, w in within.items()},
        index=norm.index,
    )
    pillars = pillars[list(pillar_w)]
    index = aggregate(pillars, pillar_w, aggregation)
    contrib = contributions(pillars, pillar_w, aggregation)
    return pillars, index, contrib


def capacity_index(
    data: pd.DataFrame,
    framework: pd.DataFrame,
    *,
    normalisation: str = "minmax",
    aggregation: str = "arithmetic",
    imputation: str = "none",
    min_coverage: float = 0.75,
    pillar_weights: Mapping[str, float] | pd.Series | None = None,
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
    framework : pandas.DataFrame
        ``indicator, pillar, higher_is_better`` and optionally ``weight``
        (within-pillar weight, default equal). See :func:`validate_framework`.
    normalisation : {"minmax", "zscore", "rank", "distance_to_reference"}
        Key of :data:`regiongap.metrics.composite.normalise.NORMALISATIONS`.
    aggregation : {"arithmetic", "geometric"}
        Key of :data:`regiongap.metrics.composite.aggregate.AGGREGATIONS`, used at both
        levels (indicators → pillars → index).
    imputation : {"none", "pillar_mean", "median"}
        What to do with a missing indicator of a region that passes the
        coverage screen (see module docstring). ``"none"`` excludes it.
    min_coverage : float
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
    """
    _check_choices(normalisation, aggregation)
    screened = _screen(
        data, framework, min_coverage=min_coverage, imputation=imputation
    )
    fw = screened.framework
    rng = _minmax_range(aggregation, minmax_range)
    pillar_w = _pillar_weights(fw, pillar_weights)
    within = _within_weights(fw)
    norm, imputed = _normalise_impute(
        screened, normalisation, imputation, reference=reference, minmax_range=rng
    )
    pillars, index, contrib = _aggregate_levels(norm, within, pillar_w, aggregation)

    scores = screened.scores.copy()
    scores.insert(0, "index", index.reindex(scores.index))
    ranks = scores["index"].rank(method="min", ascending=False)
    scores.insert(1, "rank", ranks.astype("Int64"))
    n_imputed = imputed.sum(axis=1).reindex(scores.index)
    scores.insert(3, "n_imputed", n_imputed.astype("Int64"))
    scores.index.name = "geo"

    fw = fw.copy()
    fw["weight_in_pillar"] = [
        within[p][i] for i, p in zip(fw["indicator"], fw["pillar"], strict=True)
    ]
    fw["effective_weight"] = fw["weight_in_pillar"] * fw["pillar"].map(pillar_w)
    settings: dict[str, Any] = {
        "normalisation": normalisation,
        "aggregation": aggregation,
        "imputation": imputation,
        "imputation_scale": "normalised",
        "min_coverage": float(min_coverage),
        "minmax_range": rng if normalisation == "minmax" else None,
        "pillar_weights": pillar_w,
        "indicator_weights": within,
        "reference": dict(reference) if reference is not None else None,
        "contributions_scale": "log" if aggregation == "geometric" else "index",
        "rank_method": "min (1 = highest index)",
        "n_regions": len(scores),
        "n_included": len(pillars),
        "n_excluded": int(scores["excluded_reason"].notna().sum()),
        "method": "OECD/JRC (2008) Handbook on Constructing Composite Indicators",
    }
    return CapacityIndex(
        scores=scores,
        pillars=pillars,
        contributions=contrib,
        normalised=norm,
        imputed=imputed,
        settings=settings,
        framework=fw,
    )
