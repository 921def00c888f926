"""Charts of regions and partnerships, one module per kind of chart.

:mod:`~regiongap.viz.charts.gaps` (members against references),
:mod:`~regiongap.viz.charts.heatmap` (members × pillars),
:mod:`~regiongap.viz.charts.distribution` (all regions, some marked),
:mod:`~regiongap.viz.charts.convergence` (dispersion over time) and
:mod:`~regiongap.viz.charts.ranks` (rank bands). Each takes frames as the metrics
return them and gives back a plotly ``Figure``; nothing is fetched, shown or
written. Colours come from :mod:`regiongap.viz.style`: members in Okabe–Ito blue,
everything else muted grey, sequential values on cividis.
"""
