"""Disparity metrics: inequality measures, Eurostat dispersion, capacity index, gaps.

Array-level measures take array-likes and an optional ``weights=``; frame-level
analytics (capacity index, partnership gaps, convergence, candidates) take the
tidy frames the rest of regiongap produces, a value column named with ``value=``,
and a membership resolved by :mod:`regiongap.membership.resolve` (metrics never
read files or the registry themselves). :class:`IndexSettings` holds the choices
of a capacity index, shared by :func:`capacity_index`, :func:`index_uncertainty` and
:func:`index_sensitivity`. Spatial structure (:func:`morans_i`, :func:`lisa_clusters`
on :func:`region_weights`), dynamics (:func:`transition_matrix`,
:func:`rank_mobility`, :func:`mobility_by_group`, :func:`spatial_markov`), scales
(:func:`multiscalar_deviation`) and matchmaking inside partnerships
(:func:`mentor_pairs`, :func:`collective_profile`, complementary
:func:`candidates`, :func:`network_centrality`) build on the same inputs.
"""

from __future__ import annotations

from regiongap._lazy import attach

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
    # frame-level analytics (also public from regiongap itself: the same objects)
    "capacity_index": "regiongap.metrics.composite.index",
    "IndexSettings": "regiongap.metrics.composite.settings",
    "index_uncertainty": "regiongap.metrics.composite.uncertainty",
    "cohesion_category": "regiongap.metrics.cohesion",
    "participation_by_category": "regiongap.metrics.cohesion",
    "partnership_gaps": "regiongap.metrics.partnerships.gaps",
    "members_vs_nonmembers": "regiongap.metrics.partnerships.comparison",
    "sigma_convergence": "regiongap.metrics.convergence",
    "beta_convergence": "regiongap.metrics.convergence",
    "candidates": "regiongap.metrics.partnerships.candidates",
    "support_needs": "regiongap.metrics.partnerships.candidates",
    # spatial structure, dynamics, sensitivity, scales, matchmaking, network
    "region_weights": "regiongap.metrics.spatial_weights",
    "RegionWeights": "regiongap.metrics.spatial_weights",
    "morans_i": "regiongap.metrics.spatial",
    "lisa_clusters": "regiongap.metrics.spatial",
    "transition_matrix": "regiongap.metrics.dynamics",
    "spatial_markov": "regiongap.metrics.dynamics",
    "rank_mobility": "regiongap.metrics.mobility",
    "mobility_by_group": "regiongap.metrics.mobility",
    "sobol_indices": "regiongap.metrics.composite.sensitivity",
    "index_sensitivity": "regiongap.metrics.composite.sensitivity",
    "multiscalar_deviation": "regiongap.metrics.multiscalar",
    "partnership_redistribution": "regiongap.metrics.multiscalar",
    "pillar_roles": "regiongap.metrics.partnerships.matchmaking",
    "mentor_pairs": "regiongap.metrics.partnerships.matchmaking",
    "collective_profile": "regiongap.metrics.partnerships.matchmaking",
    "complementary_candidates": "regiongap.metrics.partnerships.complementary",
    "comembership_network": "regiongap.metrics.partnerships.network",
    "network_centrality": "regiongap.metrics.partnerships.network",
    "lagging_outside": "regiongap.metrics.partnerships.network",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
