"""regiongap: how unequal Europe's regions are, and what it means for partnerships.

The public API is bound lazily: ``import regiongap`` is cheap and loads neither
geopandas, plotly nor the ``eurostat`` package; each name below imports its module
the first time it is used.

>>> import regiongap as rg
>>> gdp = rg.fetch_dataset("nama_10r_3gdp")  # from REGIONGAP_MIRROR, then the cache
>>> gdp.columns.tolist()
['unit', 'geo', 'time', 'value', 'flag']
>>> rg.members("social_economy")["geo"].tolist()[:3]
['ES22', 'BE3', 'ES62']
"""

from __future__ import annotations

from regiongap._lazy import attach
from regiongap._version import VERSION

__version__ = VERSION

# public name -> module that defines it (the module's own name is the public one)
_LAZY: dict[str, str] = {
    # --- data layer: Eurostat datasets and the cache (issue 3) ---
    "fetch_dataset": "regiongap.load.datasets",
    "search_datasets": "regiongap.load.toc",
    "dataset_labels": "regiongap.load.toc",
    "cache_list": "regiongap.cache.contents",
    "cache_clear": "regiongap.cache.contents",
    # --- geography: NUTS codes, versions, levels, shapes (issue 4) ---
    "nuts_regions": "regiongap.load.boundaries",
    "basic_services": "regiongap.load.services",
    "nuts_match_report": "regiongap.geo.match",
    "nuts_codes": "regiongap.geo.lists",
    "nuts_typologies": "regiongap.geo.typologies",
    "normalise_nuts": "regiongap.geo.codes",
    "nuts_level": "regiongap.geo.codes",
    "nuts_country": "regiongap.geo.codes",
    "nuts_parent": "regiongap.geo.codes",
    "nuts_children": "regiongap.geo.lists",
    "is_aggregate": "regiongap.geo.codes",
    "is_extra_regio": "regiongap.geo.codes",
    "is_eu27": "regiongap.geo.codes",
    "validate_nuts": "regiongap.geo.versions",
    "nuts_version": "regiongap.geo.versions",
    "nuts_versions": "regiongap.geo.versions",
    "recode_nuts": "regiongap.geo.versions",
    "nuts_changes": "regiongap.geo.correspondence",
    "nuts_successors": "regiongap.geo.correspondence",
    "suggest_nuts": "regiongap.geo.correspondence",
    "aggregate_up": "regiongap.geo.levels",
    "broadcast_down": "regiongap.geo.levels",
    # --- partnerships (issue 5) ---
    "partnerships": "regiongap.membership.registry",
    "members": "regiongap.membership.registry",
    "membership_matrix": "regiongap.membership.groups",
    "read_membership": "regiongap.membership.files",
    "membership_groups": "regiongap.membership.groups",
    "complete_partnerships": "regiongap.membership.registry",
    # --- indicators and the regional panel (issue 6) ---
    "catalogue": "regiongap.indicators.catalogue",
    "fetch_indicator": "regiongap.indicators.fetch",
    "panel": "regiongap.indicators.panel",
    "coverage": "regiongap.indicators.coverage",
    "index_framework": "regiongap.indicators.framework",
    "hospitals": "regiongap.indicators.hospitals",
    # --- analytics (issue 7) ---
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
    # --- spatial structure, dynamics, sensitivity, matchmaking (issue 16) ---
    "region_weights": "regiongap.metrics.spatial_weights",
    "morans_i": "regiongap.metrics.spatial",
    "lisa_clusters": "regiongap.metrics.spatial",
    "transition_matrix": "regiongap.metrics.dynamics",
    "rank_mobility": "regiongap.metrics.mobility",
    "mobility_by_group": "regiongap.metrics.mobility",
    "index_sensitivity": "regiongap.metrics.composite.sensitivity",
    "multiscalar_deviation": "regiongap.metrics.multiscalar",
    "partnership_redistribution": "regiongap.metrics.multiscalar",
    "mentor_pairs": "regiongap.metrics.partnerships.matchmaking",
    "collective_profile": "regiongap.metrics.partnerships.matchmaking",
    "network_centrality": "regiongap.metrics.partnerships.network",
    "lagging_outside": "regiongap.metrics.partnerships.network",
    # --- reports (issue 8) ---
    "build_reports": "regiongap.report.build",
}

_SUBMODULES = ("config", "errors", "metrics", "viz")

__getattr__, __dir__, __all__ = attach(__name__, _LAZY, _SUBMODULES)
__all__ = sorted([*__all__, "__version__"])
