"""Plotly figures built from regiongap's frames: frames in, ``Figure`` out.

The figures fetch, show and write nothing; notebooks and reports decide what to
do with a figure. Names are bound lazily so ``import regiongap.viz`` loads neither
plotly nor geopandas.

Maps are in :mod:`~regiongap.viz.maps`, charts in :mod:`~regiongap.viz.charts` (one
module per kind of chart) and the shared look in :mod:`~regiongap.viz.style`.
:mod:`~regiongap.viz.export` saves figures as PNG, SVG or PDF (``save``), and
:mod:`~regiongap.viz.explorer` is a small interactive explorer for JupyterLab
(``explore``), which reads the data it shows.

>>> import pandas as pd
>>> from regiongap import viz
>>> ranks = pd.DataFrame(
...     {"median_rank": [1.0, 2.0], "rank_p05": [1.0, 1.0], "rank_p95": [2.0, 2.0]},
...     index=pd.Index(["AT13", "AT11"], name="geo"),
... )
>>> viz.rank_chart(ranks, title="Ranks").layout.meta["n_regions"]
2
"""

from __future__ import annotations

from regiongap._lazy import attach

_LAZY: dict[str, str] = {
    "choropleth": "regiongap.viz.maps",
    "partnership_map": "regiongap.viz.maps",
    "category_map": "regiongap.viz.categories",
    "lisa_map": "regiongap.viz.categories",
    "gap_chart": "regiongap.viz.charts.gaps",
    "pillar_heatmap": "regiongap.viz.charts.heatmap",
    "distribution_chart": "regiongap.viz.charts.distribution",
    "convergence_chart": "regiongap.viz.charts.convergence",
    "rank_chart": "regiongap.viz.charts.ranks",
    "position_chart": "regiongap.viz.charts.positions",
    "apply_style": "regiongap.viz.style",
    "source_note": "regiongap.viz.style",
    "setup_notebook": "regiongap.viz.style",
    "save": "regiongap.viz.export",
    "save_many": "regiongap.viz.export",
    "explore": "regiongap.viz.explorer",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
