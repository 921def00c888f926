"""How a capacity index is built: one settings object for the index and its ranks.

:class:`IndexSettings` holds every choice of the construction (normalisation,
aggregation, imputation, coverage screen, weights, reference values, min–max
range), validates it once, and is shared by
:func:`regiongap.metrics.composite.index.capacity_index` and
:func:`regiongap.metrics.composite.uncertainty.index_uncertainty`, so that the
nominal index of an uncertainty analysis is built exactly like the index itself.
Both functions also take the choices as keyword arguments;
:func:`merge_settings` turns those into an :class:`IndexSettings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from regiongap.errors import MetricInputError
from regiongap.metrics.composite.aggregate import (
    AGGREGATIONS,
    Aggregation,
    check_aggregation,
)
from regiongap.metrics.composite.normalise import NORMALISATIONS, Normalisation

__all__ = [
    "IMPUTATIONS",
    "Imputation",
    "IndexSettings",
    "Weights",
    "merge_settings",
    "minmax_range_for",
]

#: What to do with a missing indicator of a region that passes the screen.
Imputation = Literal["none", "pillar_mean", "median"]

IMPUTATIONS: tuple[str, ...] = ("none", "pillar_mean", "median")
"""Allowed values of ``imputation``."""

#: Weights of named components (pillars): a mapping or a Series name -> weight.
Weights = Mapping[str, float] | pd.Series


def minmax_range_for(
    aggregation: str, minmax_range: tuple[float, float] | None = None
) -> tuple[float, float]:
    """Target interval of min–max normalisation under *aggregation*.

    Parameters
    ----------
    aggregation : {"arithmetic", "geometric"}
        The aggregation the scores are meant for.
    minmax_range : tuple of float, optional
        An interval chosen by the caller; returned as floats when given.

    Returns
    -------
    tuple of float
        *minmax_range*, else ``(1, 100)`` for geometric aggregation (which needs
        positive scores, COINr's convention) and ``(0, 100)`` otherwise.

    Examples
    --------
    >>> minmax_range_for("arithmetic"), minmax_range_for("geometric")
    ((0.0, 100.0), (1.0, 100.0))
    >>> minmax_range_for("geometric", (0, 10))
    (0.0, 10.0)
    """
    if minmax_range is not None:
        return (float(minmax_range[0]), float(minmax_range[1]))
    return (1.0, 100.0) if aggregation == "geometric" else (0.0, 100.0)


def _as_dict(weights: object, what: str) -> dict[str, float] | None:
    if weights is None:
        return None
    if isinstance(weights, Mapping | pd.Series):
        return dict(weights.items())
    msg = f"{what} must be a mapping or Series of name -> weight, got {weights!r}"
    raise MetricInputError(msg)


@dataclass(frozen=True)
class IndexSettings:
    """The choices that build a capacity index (OECD/JRC 2008 Handbook, steps 2–6).

    Every choice is validated when the settings are made, and the message names
    the value and what is allowed. Mappings given for the weights and reference
    values are copied into plain dicts.

    Parameters
    ----------
    normalisation : {"minmax", "zscore", "rank", "distance_to_reference"}
        Key of :data:`regiongap.metrics.composite.normalise.NORMALISATIONS`
        (default ``"minmax"``).
    aggregation : {"arithmetic", "geometric"}
        Key of :data:`regiongap.metrics.composite.aggregate.AGGREGATIONS`, used
        at both levels, indicators → pillars → index (default ``"arithmetic"``).
        ``"zscore"`` cannot be aggregated geometrically (negative scores).
    imputation : {"none", "pillar_mean", "median"}
        What to do with a missing indicator of a region that passes the coverage
        screen (default ``"none"``: the region is excluded, with the reason).
    min_coverage : float
        Minimum share of the framework's indicators a region must have observed,
        in [0, 1] (default 0.75).
    pillar_weights : mapping or Series of pillar -> weight, optional
        Non-negative, positive sum, exactly the framework's pillars (checked
        against the framework when the index is built). Equal by default.
    reference : mapping of indicator -> float, optional
        EU-27 value of every indicator, required by ``"distance_to_reference"``.
    minmax_range : tuple of float, optional
        Target interval of min–max; default ``(0, 100)``, or ``(1, 100)`` under
        geometric aggregation (:func:`minmax_range_for`).

    Raises
    ------
    MetricInputError
        An unknown normalisation, aggregation or imputation (listing the allowed
        ones), ``"zscore"`` with geometric aggregation, a ``min_coverage``
        outside [0, 1], or weights that are not a mapping.

    Examples
    --------
    >>> settings = IndexSettings(aggregation="geometric", imputation="pillar_mean")
    >>> settings.normalisation, settings.target_range
    ('minmax', (1.0, 100.0))
    >>> IndexSettings(imputation="em")
    Traceback (most recent call last):
    regiongap.errors.MetricInputError: imputation 'em' is not known; choose one of ['none', 'pillar_mean', 'median']
    """  # noqa: E501 - a doctest's traceback is one line

    normalisation: Normalisation = "minmax"
    aggregation: Aggregation = "arithmetic"
    imputation: Imputation = "none"
    min_coverage: float = 0.75
    pillar_weights: Weights | None = None
    reference: Mapping[str, float] | None = None
    minmax_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            msg = (
                f"normalisation {self.normalisation!r} is not known; choose one of "
                f"{sorted(NORMALISATIONS)}"
            )
            raise MetricInputError(msg)
        check_aggregation(self.aggregation)
        if self.aggregation == "geometric" and self.normalisation == "zscore":
            msg = (
                "aggregation 'geometric' needs strictly positive normalised values "
                "and normalisation 'zscore' gives negative ones; use 'minmax' "
                "(rescaled to [1, 100]), 'rank' or 'distance_to_reference', or "
                "aggregation 'arithmetic' (allowed aggregations: "
                f"{sorted(AGGREGATIONS)})"
            )
            raise MetricInputError(msg)
        if self.imputation not in IMPUTATIONS:
            msg = (
                f"imputation {self.imputation!r} is not known; choose one of "
                f"{list(IMPUTATIONS)}"
            )
            raise MetricInputError(msg)
        coverage = self.min_coverage
        if not (isinstance(coverage, int | float) and 0 <= coverage <= 1):
            msg = f"min_coverage must be a share in [0, 1], got {coverage!r}"
            raise MetricInputError(msg)
        weights = _as_dict(self.pillar_weights, "pillar_weights")
        object.__setattr__(self, "pillar_weights", weights)
        if self.reference is not None:
            object.__setattr__(self, "reference", dict(self.reference))

    @property
    def target_range(self) -> tuple[float, float]:
        """The min–max interval used: :attr:`minmax_range` or the default."""
        return minmax_range_for(self.aggregation, self.minmax_range)


def merge_settings(
    settings: IndexSettings | None = None,
    *,
    normalisation: Normalisation | None = None,
    aggregation: Aggregation | None = None,
    imputation: Imputation | None = None,
    min_coverage: float | None = None,
    pillar_weights: Weights | None = None,
    reference: Mapping[str, float] | None = None,
    minmax_range: tuple[float, float] | None = None,
) -> IndexSettings:
    """Return *settings* (default :class:`IndexSettings`) with the choices given.

    A keyword left at ``None`` keeps the value of *settings*; the result is
    validated as a whole (e.g. ``"zscore"`` with ``"geometric"`` is refused
    whichever of the two came from *settings*).

    Parameters
    ----------
    settings : IndexSettings, optional
        The starting point; default ``IndexSettings()``.
    normalisation, aggregation, imputation, min_coverage : optional
        As in :class:`IndexSettings`.
    pillar_weights, reference, minmax_range : optional
        As in :class:`IndexSettings`.

    Returns
    -------
    IndexSettings
        The settings to build the index with.

    Raises
    ------
    MetricInputError
        Any choice :class:`IndexSettings` refuses, or *settings* of another type.

    Examples
    --------
    >>> base = IndexSettings(imputation="median")
    >>> merged = merge_settings(base, aggregation="geometric")
    >>> merged.imputation, merged.aggregation
    ('median', 'geometric')
    """
    if settings is None:
        settings = IndexSettings()
    elif not isinstance(settings, IndexSettings):
        msg = f"settings must be an IndexSettings, got {type(settings).__name__}"
        raise MetricInputError(msg)
    s = settings
    return IndexSettings(
        normalisation=s.normalisation if normalisation is None else normalisation,
        aggregation=s.aggregation if aggregation is None else aggregation,
        imputation=s.imputation if imputation is None else imputation,
        min_coverage=s.min_coverage if min_coverage is None else min_coverage,
        pillar_weights=s.pillar_weights if pillar_weights is None else pillar_weights,
        reference=s.reference if reference is None else reference,
        minmax_range=s.minmax_range if minmax_range is None else minmax_range,
    )
