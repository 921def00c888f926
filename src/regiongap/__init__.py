"""regiongap: how unequal Europe's regions are, and what it means for partnerships.

The public API is bound lazily: ``import regiongap`` is cheap and loads neither
geopandas, plotly nor the ``eurostat`` package; each name below imports its module
the first time it is used.

>>> import regiongap as rg
>>> gdp = rg.fetch_dataset("nama_10r_3gdp")          # doctest: +SKIP
>>> rg.members("social_economy")                     # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from regiongap._lazy import attach

try:
    __version__ = version("regiongap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

# public name -> module that defines it (the module's own name is the public one)
_LAZY: dict[str, str] = {
    # --- data layer: Eurostat datasets and the cache (issue 3) ---
    "fetch_dataset": "regiongap.datasets",
    "search_datasets": "regiongap.sources.eurostat",
    "dataset_labels": "regiongap.sources.eurostat",
    "cache_list": "regiongap.cache",
    "cache_clear": "regiongap.cache",
    # --- geography: NUTS codes, versions, levels, shapes (issue 4) ---
    "nuts_regions": "regiongap.geography",
    "nuts_match_report": "regiongap.geography",
    "nuts_codes": "regiongap.nuts",
    "nuts_typologies": "regiongap.nuts",
    "normalize_nuts": "regiongap.nuts",
    "nuts_level": "regiongap.nuts",
    "nuts_country": "regiongap.nuts",
    "nuts_parent": "regiongap.nuts",
    "nuts_children": "regiongap.nuts",
    "is_aggregate": "regiongap.nuts",
    "is_extra_regio": "regiongap.nuts",
    "is_eu27": "regiongap.nuts",
    "validate_nuts": "regiongap.nuts",
    "nuts_version": "regiongap.nuts",
    "recode_nuts": "regiongap.nuts",
    "aggregate_up": "regiongap.levels",
    "broadcast_down": "regiongap.levels",
    # --- partnerships (issue 5) ---
    "partnerships": "regiongap.registry",
    "members": "regiongap.registry",
    "membership_matrix": "regiongap.registry",
    "read_membership": "regiongap.registry",
    "membership_groups": "regiongap.registry",
    "complete_partnerships": "regiongap.registry",
    # --- indicators and the regional panel (issue 6) ---
    "indicators": "regiongap.catalogue",
    "fetch_indicator": "regiongap.catalogue",
    "panel": "regiongap.panels",
    "coverage": "regiongap.panels",
    # --- analytics (issue 7) ---
    "capacity_index": "regiongap.metrics.composite",
    "index_uncertainty": "regiongap.metrics.uncertainty",
    "cohesion_category": "regiongap.metrics.cohesion",
    "participation_by_category": "regiongap.metrics.cohesion",
    "partnership_gaps": "regiongap.metrics.gaps",
    "members_vs_nonmembers": "regiongap.metrics.gaps",
    "sigma_convergence": "regiongap.metrics.convergence",
    "beta_convergence": "regiongap.metrics.convergence",
    "candidates": "regiongap.metrics.candidate_regions",
    "support_needs": "regiongap.metrics.candidate_regions",
    # --- reports (issue 8) ---
    "build_reports": "regiongap.report",
}

_SUBMODULES = ("config", "errors", "metrics", "viz")

__getattr__, __dir__, __all__ = attach(__name__, _LAZY, _SUBMODULES)
__all__ = sorted([*__all__, "__version__"])
