"""Disparity metrics: inequality measures, Eurostat dispersion, capacity index, gaps.

Array-level measures take array-likes and an optional ``weights=``; frame-level
analytics (capacity index, partnership gaps, convergence, candidates) take the
tidy frames the rest of regiongap produces.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "gini": "regiongap.metrics.inequality",
    "theil": "regiongap.metrics.inequality",
    "mean_log_deviation": "regiongap.metrics.inequality",
    "atkinson": "regiongap.metrics.inequality",
    "coefficient_of_variation": "regiongap.metrics.inequality",
    "max_min_ratio": "regiongap.metrics.inequality",
    "quintile_share_ratio": "regiongap.metrics.inequality",
    "theil_decomposition": "regiongap.metrics.inequality",
    "TheilDecomposition": "regiongap.metrics.inequality",
    "eurostat_dispersion_cv": "regiongap.metrics.dispersion",
    "eurostat_dispersion_mad": "regiongap.metrics.dispersion",
    "dispersion_by_country": "regiongap.metrics.dispersion",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    msg = f"module 'regiongap.metrics' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
