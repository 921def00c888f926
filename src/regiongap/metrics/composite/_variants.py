"""A capacity index rebuilt under many assumptions, as arrays (sensitivity analysis).

:class:`Variants` screens and normalises the data once per distinct combination of
coverage threshold, imputation, normalisation and min–max range, and then builds
the index of any run from arrays: the same steps as
:func:`~regiongap.metrics.composite.index.capacity_index` (shared through
:mod:`regiongap.metrics.composite._steps`), without rebuilding frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from regiongap.errors import MetricInputError
from regiongap.metrics.composite._steps import (
    normalise_impute,
    screen,
    weights_in_pillars,
)
from regiongap.metrics.composite.aggregate import Aggregation
from regiongap.metrics.composite.framework import indicator_matrix, validate_framework
from regiongap.metrics.composite.normalise import Normalisation
from regiongap.metrics.composite.settings import (
    Imputation,
    IndexSettings,
    minmax_range_for,
)

__all__ = ["Variants"]


@dataclass
class Variants:
    """The index's data, screened and normalised on demand, cached per combination.

    Parameters
    ----------
    data : pandas.DataFrame
        Regions × indicators (as :func:`capacity_index` takes it).
    framework : pandas.DataFrame
        The framework.
    base : IndexSettings
        The nominal settings (reference values, nominal pillar weights).

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]},
    ...                     index=["X", "Y", "Z"])
    >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "q"],
    ...                    "higher_is_better": [True, True]})
    >>> v = Variants(data, fw, IndexSettings())
    >>> geos, ranks = v.ranks("minmax", "arithmetic", "none", 1.0, np.array([1.0, 1.0]))
    >>> geos, ranks.tolist()
    (['X', 'Y', 'Z'], [2, 3, 1])
    """

    data: pd.DataFrame
    framework: pd.DataFrame
    base: IndexSettings
    _cache: dict[tuple[object, ...], tuple[list[str], np.ndarray]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self.fw = validate_framework(self.framework)
        raw = indicator_matrix(self.data, self.fw["indicator"].tolist())
        self.raw = raw
        self.levels = np.unique(raw.notna().mean(axis=1).to_numpy())
        self.pillars = list(dict.fromkeys(self.fw["pillar"]))
        within = weights_in_pillars(self.fw)
        columns = self.fw["indicator"].tolist()
        self.blocks = [
            np.array([columns.index(i) for i in within[p]]) for p in self.pillars
        ]
        self.within = [np.array(list(within[p].values())) for p in self.pillars]

    def level(self, threshold: float) -> float:
        """Return the smallest observed coverage share at or above *threshold*.

        Parameters
        ----------
        threshold : float
            A coverage threshold.

        Returns
        -------
        float
            The screen that *threshold* amounts to (regions pass when their
            coverage is at least it); above every share, a value above 1.

        Examples
        --------
        >>> data = pd.DataFrame({"a": [1.0, None], "b": [1.0, 2.0]}, index=["X", "Y"])
        >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "p"],
        ...                    "higher_is_better": [True, True]})
        >>> Variants(data, fw, IndexSettings()).level(0.6)
        1.0
        """
        above = self.levels[self.levels >= threshold - 1e-12]
        return float(above[0]) if len(above) else 1.0 + 1e-9

    def excluded(self, imputation: Imputation, level: float) -> dict[str, str]:
        """Regions the screen leaves out at *level* with *imputation*, and why.

        Parameters
        ----------
        imputation : {"none", "pillar_mean", "median"}
            The imputation rule.
        level : float
            Coverage screen (:meth:`level`).

        Returns
        -------
        dict of str to str
            ``{geo: reason}``.

        Examples
        --------
        >>> data = pd.DataFrame({"a": [1.0, None, 3.0], "b": [1.0, 2.0, 3.0]},
        ...                     index=["X", "Y", "Z"])
        >>> fw = pd.DataFrame({"indicator": ["a", "b"], "pillar": ["p", "p"],
        ...                    "higher_is_better": [True, True]})
        >>> Variants(data, fw, IndexSettings()).excluded("none", 0.5)
        {'Y': "missing a and imputation='none'"}
        """
        settings = IndexSettings(imputation=imputation, min_coverage=min(level, 1.0))
        reasons = screen(self.data, self.fw, settings).scores["excluded_reason"]
        return {str(g): str(r) for g, r in reasons.dropna().items()}

    def normalised(
        self,
        normalisation: Normalisation,
        aggregation: Aggregation,
        imputation: Imputation,
        level: float,
    ) -> tuple[list[str], np.ndarray]:
        """Included regions and their normalised, imputed scores (cached).

        Parameters
        ----------
        normalisation, aggregation, imputation : str
            The assumptions of a run.
        level : float
            Coverage screen (:meth:`level`).

        Returns
        -------
        tuple
            Region codes and the regions × indicators score matrix.

        Raises
        ------
        MetricInputError
            Fewer than 2 regions left, or non-positive scores under geometric
            aggregation.

        Examples
        --------
        >>> data = pd.DataFrame({"a": [1.0, 3.0]}, index=["X", "Y"])
        >>> fw = pd.DataFrame({"indicator": ["a"], "pillar": ["p"],
        ...                    "higher_is_better": [True]})
        >>> Variants(data, fw, IndexSettings()).normalised(
        ...     "minmax", "geometric", "none", 1.0)[1].tolist()
        [[1.0], [100.0]]
        """
        key = (normalisation, aggregation, imputation, level)
        if key not in self._cache:
            settings = IndexSettings(
                imputation=imputation,
                min_coverage=min(level, 1.0),
                reference=self.base.reference,
            )
            screened = screen(self.data, self.fw, settings)
            norm, _ = normalise_impute(
                screened,
                normalisation,
                settings.imputation,
                reference=settings.reference,
                minmax_range=minmax_range_for(aggregation),
            )
            values = norm[self.fw["indicator"].tolist()].to_numpy(dtype="float64")
            if aggregation == "geometric" and (values <= 0).any():
                msg = (
                    f"normalisation {normalisation!r} gives non-positive scores, "
                    "which geometric aggregation cannot take"
                )
                raise MetricInputError(msg)
            self._cache[key] = ([str(g) for g in norm.index], values)
        return self._cache[key]

    def ranks(
        self,
        normalisation: Normalisation,
        aggregation: Aggregation,
        imputation: Imputation,
        level: float,
        pillar_weights: np.ndarray,
    ) -> tuple[list[str], np.ndarray]:
        """Regions and their rank (1 = highest index) under one set of assumptions.

        Parameters
        ----------
        normalisation, aggregation, imputation : str
            The assumptions of a run.
        level : float
            Coverage screen (:meth:`level`).
        pillar_weights : numpy.ndarray
            Non-negative weight per pillar (rescaled to sum to 1).

        Returns
        -------
        tuple
            Region codes and their ranks (ties share the lowest rank).

        Examples
        --------
        >>> data = pd.DataFrame({"a": [1.0, 3.0]}, index=["X", "Y"])
        >>> fw = pd.DataFrame({"indicator": ["a"], "pillar": ["p"],
        ...                    "higher_is_better": [True]})
        >>> Variants(data, fw, IndexSettings()).ranks(
        ...     "rank", "arithmetic", "none", 1.0, np.array([2.0]))[1].tolist()
        [2, 1]
        """
        geos, norm = self.normalised(normalisation, aggregation, imputation, level)
        v = pillar_weights / pillar_weights.sum()
        if aggregation == "geometric":
            logs = np.log(norm)
            pillars = np.column_stack(
                [logs[:, b] @ w for b, w in zip(self.blocks, self.within, strict=True)]
            )
            index = np.exp(pillars @ v)
        else:
            pillars = np.column_stack(
                [norm[:, b] @ w for b, w in zip(self.blocks, self.within, strict=True)]
            )
            index = pillars @ v
        return geos, rankdata(-index, method="min")
