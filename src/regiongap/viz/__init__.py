"""Plotly figures built from regiongap's frames: frames in, ``Figure`` out.

Nothing here fetches, shows or writes; notebooks and reports decide what to do
with a figure. Names are bound lazily so ``import regiongap.viz`` loads neither
plotly nor geopandas.

>>> from regiongap import viz
>>> fig = viz.choropleth(panel, shapes, "gdp_pps_per_inhabitant")  # doctest: +SKIP
"""

from __future__ import annotations

from regiongap._lazy import attach

_LAZY: dict[str, str] = {
    "choropleth": "regiongap.viz.maps",
    "partnership_map": "regiongap.viz.maps",
    "gap_chart": "regiongap.viz.charts",
    "pillar_heatmap": "regiongap.viz.charts",
    "distribution_chart": "regiongap.viz.charts",
    "convergence_chart": "regiongap.viz.charts",
    "rank_chart": "regiongap.viz.charts",
    "apply_style": "regiongap.viz.style",
    "source_note": "regiongap.viz.style",
    "setup_notebook": "regiongap.viz.style",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
