"""Construction steps shared by the capacity index and its uncertainty analysis.

Screening (Handbook step 2), normalisation with imputation (steps 3 and 5) and
the weights of each level (step 6), so that
:func:`~regiongap.metrics.composite.index.capacity_index` and
:func:`~regiongap.metrics.composite.uncertainty.index_uncertainty` build the
index in exactly the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regiongap.errors import MetricInputError
from regiongap.metrics.composite.aggregate import weights_vector
from regiongap.metrics.composite.framework import indicator_matrix, validate_framework
from regiongap.metrics.composite.normalise import Normalisation, normalise
from regiongap.metrics.composite.settings import Imputation, IndexSettings

__all__ = [
    "Screened",
    "normalise_impute",
    "screen",
    "weights_in_pillars",
    "weights_of_pillars",
]


@dataclass(frozen=True)
class Screened:
    """The data that pass the coverage screen, and the record of the screen.

    Attributes
    ----------
    raw : pandas.DataFrame
        Included regions × indicators (raw values, NaN = missing).
    scores : pandas.DataFrame
        Every region: ``n_indicators``, ``coverage``, ``excluded_reason``.
    framework : pandas.DataFrame
        The validated framework.
    """

    raw: pd.DataFrame
    scores: pd.DataFrame
    framework: pd.DataFrame


def _reason(
    missing: list[str],
    coverage: float,
    observed_pillars: set[str],
    pillar_of: dict[str, str],
    settings: IndexSettings,
) -> str | None:
    """Why a region with *missing* indicators is left out, or None if it stays."""
    if coverage < settings.min_coverage:
        return (
            f"coverage {coverage:.2f} < min_coverage {settings.min_coverage:.2f} "
            f"(missing {', '.join(missing)})"
        )
    if settings.imputation == "none":
        return f"missing {', '.join(missing)} and imputation='none'"
    if settings.imputation == "pillar_mean":
        empty = sorted({pillar_of[i] for i in missing} - observed_pillars)
        if empty:
            return (
                f"no observed indicator in pillar(s) {', '.join(empty)}: "
                "pillar_mean imputation impossible"
            )
    return None


def _exclusions(
    observed: pd.DataFrame,
    coverage: pd.Series,
    fw: pd.DataFrame,
    settings: IndexSettings,
) -> dict[str, str]:
    indicators = fw["indicator"].tolist()
    pillar_of = dict(zip(fw["indicator"], fw["pillar"], strict=True))
    seen = observed[indicators].to_numpy(dtype=bool)
    shares = coverage.to_numpy(dtype="float64")
    reasons: dict[str, str] = {}
    for row in np.flatnonzero(~seen.all(axis=1)):
        missing = [i for i, ok in zip(indicators, seen[row], strict=True) if not ok]
        present = {
            pillar_of[i] for i, ok in zip(indicators, seen[row], strict=True) if ok
        }
        reason = _reason(missing, float(shares[row]), present, pillar_of, settings)
        if reason is not None:
            reasons[str(observed.index[int(row)])] = reason
    return reasons


def screen(
    data: pd.DataFrame, framework: pd.DataFrame, settings: IndexSettings
) -> Screened:
    """Validate the inputs and apply the coverage screen (Handbook step 2).

    A region needs at least ``settings.min_coverage`` of the framework's
    indicators observed; regions below, or whose gaps the imputation rule cannot
    fill, stay in ``scores`` with an ``excluded_reason`` (never dropped
    silently).

    Parameters
    ----------
    data : pandas.DataFrame
        As :func:`~regiongap.metrics.composite.framework.indicator_matrix`.
    framework : pandas.DataFrame
        As :func:`~regiongap.metrics.composite.framework.validate_framework`.
    settings : IndexSettings
        ``min_coverage`` and ``imputation`` decide who is excluded.

    Returns
    -------
    Screened
        The included regions' raw values, the screen's record, the framework.

    Raises
    ------
    MetricInputError
        Invalid framework or data, infinite values, or fewer than 2 regions left.
    """
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
    reasons = _exclusions(observed, coverage, fw, settings)
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
            f"{settings.min_coverage}, imputation={settings.imputation!r}); an index "
            f"needs at least 2. Reasons: {dict(list(reasons.items())[:5])}"
        )
        raise MetricInputError(msg)
    return Screened(raw=included, scores=scores, framework=fw)


def normalise_impute(
    screened: Screened,
    normalisation: Normalisation,
    imputation: Imputation,
    *,
    reference: Mapping[str, float] | None,
    minmax_range: tuple[float, float],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise the screened data, then impute on the normalised scale.

    Parameters
    ----------
    screened : Screened
        Output of :func:`screen`.
    normalisation : {"minmax", "zscore", "rank", "distance_to_reference"}
        The normalisation.
    imputation : {"none", "pillar_mean", "median"}
        ``"median"``: the cross-region median of the normalised indicator;
        ``"pillar_mean"``: the mean of the region's other normalised indicators
        of the same pillar; ``"none"``: nothing to fill (the screen excluded
        every region with a gap).
    reference : mapping of str to float, optional
        EU-27 values for ``"distance_to_reference"``.
    minmax_range : tuple of float
        Target interval of min–max.

    Returns
    -------
    tuple of pandas.DataFrame
        The normalised (and imputed) scores, and the mask of imputed cells.
    """
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


def weights_of_pillars(
    fw: pd.DataFrame, weights: Mapping[str, float] | pd.Series | None
) -> dict[str, float]:
    """Weight of each pillar (in the framework's order), summing to 1."""
    pillars = list(dict.fromkeys(fw["pillar"]))
    v = weights_vector(weights, pillars, what="pillar_weights")
    return dict(zip(pillars, v.tolist(), strict=True))


def weights_in_pillars(fw: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Weight of each indicator inside its pillar, summing to 1 per pillar."""
    out: dict[str, dict[str, float]] = {}
    for pillar, group in fw.groupby("pillar", sort=False):
        w = group["weight"].to_numpy(dtype="float64")
        out[str(pillar)] = dict(
            zip(group["indicator"], (w / w.sum()).tolist(), strict=True)
        )
    return out
