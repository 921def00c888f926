"""The layers a choropleth is drawn from: classes, values, no data, context, outline.

:func:`regiongap.viz.maps.choropleth` splits the regions (:func:`split_regions`),
classes the values with mapclassify (:func:`classify`) and stacks one trace per
layer: light context for countries without values, one trace per class (or one
continuous trace), grey "No data" regions and the black outline of highlighted
regions. Hover labels (:class:`Hover`) show name, code, value, year and flag.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.viz._frames import flag_text, year_text
from regiongap.viz._geometry import DisplayShapes, collection, region_trace
from regiongap.viz._quantiles import quantile_classes
from regiongap.viz.style import HIGHLIGHT, MISSING, class_colours, escape

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = [
    "CLASSIFICATIONS",
    "CONTEXT",
    "Classification",
    "Classifier",
    "Hover",
    "Regions",
    "check_classification",
    "class_traces",
    "classify",
    "context_trace",
    "continuous_trace",
    "decimals_for",
    "fmt",
    "no_data_trace",
    "outline",
    "split_regions",
]

#: How :func:`choropleth` turns values into colours.
Classification = Literal["quantiles", "fisher_jenks", "user", "continuous"]
#: Classification schemes accepted by :func:`choropleth` -> mapclassify scheme.
CLASSIFICATIONS: dict[str, str | None] = {
    "quantiles": "quantiles",
    "fisher_jenks": "fisherjenks",
    "user": "userdefined",
    "continuous": None,
}


class Classifier(Protocol):
    """What a choropleth reads of a classifier (mapclassify's or the quantiles')."""

    @property
    def bins(self) -> np.ndarray:
        """Upper bound of each class."""

    @property
    def yb(self) -> np.ndarray:
        """Class of each value (0 = lowest)."""


#: Fill of regions drawn as context (countries without any value).
CONTEXT = "#f0f0f0"
_TRANSPARENT = [[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]]


def fmt(value: float, decimals: int) -> str:
    """Return *value* with thousands separators and *decimals* decimals.

    >>> fmt(45123.4, 0), fmt(12.345, 1)
    ('45,123', '12.3')
    """
    return f"{value:,.{decimals}f}"


def decimals_for(values: Sequence[float]) -> int:
    """Return the decimals every value of a map gets: 0 from 1,000, 1 from 10, else 2.

    >>> decimals_for([25000.0, 45000.0]), decimals_for([0.2, 0.9, float("nan")])
    (0, 2)
    """
    finite = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    if finite.size == 0:
        return 1
    span = float(np.nanmax(np.abs(finite)))
    return 0 if span >= 1000 else 1 if span >= 10 else 2


def check_classification(classification: str, bins: Sequence[float] | None) -> None:
    """Raise :class:`SchemaError` for an unknown scheme or user classes without bins.

    >>> check_classification("jenks", None)
    Traceback (most recent call last):
    ...
    regiongap.errors.SchemaError: classification='jenks' is not known; use one of \
['continuous', 'fisher_jenks', 'quantiles', 'user']
    """
    if classification not in CLASSIFICATIONS:
        msg = (
            f"classification={classification!r} is not known; use one of "
            f"{sorted(CLASSIFICATIONS)}"
        )
        raise SchemaError(msg)
    if classification == "user" and not bins:
        msg = "classification='user' needs bins=[upper bound of each class, ...]"
        raise SchemaError(msg)


@dataclass(frozen=True)
class Regions:
    """The regions of a choropleth, by what is drawn for them.

    Attributes
    ----------
    valued : pandas.DataFrame
        Every region passed with a finite value, drawn or not: the classes use
        them all.
    present : pandas.DataFrame
        The regions with a value and a shape inside the frame.
    no_data : list of str
        Regions with a shape but no value, in a country that has values.
    context : list of str
        Regions of countries without any value.
    """

    valued: pd.DataFrame
    present: pd.DataFrame
    no_data: list[str]
    context: list[str]


def split_regions(data: pd.DataFrame, shapes: DisplayShapes) -> Regions:
    """Sort the regions of *data* and *shapes* into what a choropleth draws for them."""
    features, countries = shapes.features, shapes.countries
    valued = data[np.isfinite(data["value"])]
    drawn = data[data["geo"].isin(features)]
    present = drawn[np.isfinite(drawn["value"])]
    covered = {countries.get(g, g[:2]) for g in drawn["geo"]}
    with_value = set(present["geo"])
    no_data = [
        g for g in features if g not in with_value and countries.get(g) in covered
    ]
    context = [g for g in features if countries.get(g) not in covered]
    return Regions(valued, present, no_data, context)


@dataclass(frozen=True)
class Hover:
    """The hover label of a choropleth's regions: name, code, value, year, flag."""

    names: dict[str, str]
    label: str
    unit: str | None
    decimals: int

    @property
    def template(self) -> str:
        return (
            "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
            + escape(self.label)
            + ": %{customdata[2]}<br>Year: %{customdata[3]}<br>Flag: %{customdata[4]}"
            "<extra></extra>"
        )

    def rows(self, rows: pd.DataFrame) -> list[list[str]]:
        unit_txt = f" {self.unit}" if self.unit else ""
        return [
            [
                escape(self.names.get(geo, name if isinstance(name, str) else geo)),
                escape(geo),
                fmt(float(value), self.decimals) + escape(unit_txt),
                escape(year_text(year)),
                escape(flag_text(flag)),
            ]
            for geo, name, value, year, flag in zip(
                rows["geo"].astype(str),
                rows["region_name"],
                rows["value"],
                rows["year"],
                rows["flag"],
                strict=True,
            )
        ]


def classify(
    y: np.ndarray, classification: Classification, k: int, bins: Sequence[float] | None
) -> Classifier:
    """Return the classifier of the values *y* (mapclassify's numbers)."""
    scheme = CLASSIFICATIONS[classification]
    if classification == "user":
        import mapclassify

        return mapclassify.classify(y, scheme, bins=list(bins or []))
    if len(np.unique(y)) < k:
        msg = (
            f"{len(np.unique(y))} distinct values cannot make k={k} classes; "
            "lower k or use classification='continuous'"
        )
        raise SchemaError(msg)
    if classification == "quantiles":
        return quantile_classes(y, k)  # mapclassify's bounds, without its import
    import mapclassify

    with warnings.catch_warnings():
        # mapclassify falls back to pure Python without numba; that is fast
        # enough for a few hundred regions and not worth a warning
        warnings.filterwarnings("ignore", message="Numba not installed")
        return mapclassify.classify(y, scheme, k=k)


def class_traces(
    fig: go.Figure,
    regions: Regions,
    features: dict[str, dict[str, Any]],
    hover: Hover,
    classifier: Classifier,
    labels: Sequence[str] | None = None,
) -> list[float]:
    """Draw one trace per class; return the upper class bounds.

    *labels* name the classes in the legend (default: their bounds); a
    :class:`SchemaError` when there is not one per class.
    """
    valued = regions.valued
    upper = [float(b) for b in classifier.bins]
    if labels is not None and len(labels) != len(upper):
        msg = (
            f"class_labels has {len(labels)} labels for {len(upper)} classes "
            f"(upper bounds {[fmt(b, hover.decimals) for b in upper]})"
        )
        raise SchemaError(msg)
    colours = class_colours(len(upper))
    lower = float(np.min(valued["value"].to_numpy()))
    drawn = valued["geo"].isin(features).to_numpy()
    for i, top in enumerate(upper):
        rows = valued[(classifier.yb == i) & drawn]
        text = f"{fmt(lower, hover.decimals)} – {fmt(top, hover.decimals)}"
        if labels is not None:
            text = escape(labels[i])
        lower = top
        if rows.empty:
            continue
        fig.add_trace(
            region_trace(
                features,
                rows["geo"].tolist(),
                colour=colours[i],
                name=text,
                customdata=hover.rows(rows),
                hovertemplate=hover.template,
            )
        )
    return upper


def continuous_trace(
    rows: pd.DataFrame, features: dict[str, dict[str, Any]], hover: Hover
) -> go.Choropleth:
    """Return one trace of every region with a value, on the viridis scale."""
    import plotly.graph_objects as go

    return go.Choropleth(
        geojson=collection(features, rows["geo"]),
        locations=rows["geo"].tolist(),
        z=rows["value"].tolist(),
        colorscale="Viridis",
        customdata=hover.rows(rows),
        hovertemplate=hover.template,
        name=escape(hover.label),
        marker={"line": {"color": "white", "width": 0.4}},
        colorbar={
            "title": {"text": escape(hover.unit or hover.label), "side": "right"},
            "thickness": 14,
            "len": 0.6,
        },
    )


def context_trace(geos: list[str], shapes: DisplayShapes) -> go.Choropleth:
    """Return the light trace of regions in countries without any value."""
    names = shapes.names
    return region_trace(
        shapes.features,
        geos,
        colour=CONTEXT,
        name="Not covered",
        customdata=[[escape(names.get(g, g))] for g in geos],
        hovertemplate="%{customdata[0]}<br>not covered<extra></extra>",
        showlegend=False,
    )


def no_data_trace(geos: list[str], shapes: DisplayShapes) -> go.Choropleth:
    """Return the grey "No data" trace (never drawn as zero)."""
    names = shapes.names
    return region_trace(
        shapes.features,
        geos,
        colour=MISSING,
        name="No data",
        customdata=[[escape(names.get(g, g)), escape(g)] for g in geos],
        hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        "No data<extra></extra>",
    )


def outline(
    fig: go.Figure, features: dict[str, dict[str, Any]], geos: set[str], label: str
) -> list[str]:
    """Outline *geos* in black with a legend entry; return the regions outlined."""
    import plotly.graph_objects as go

    outlined = [g for g in features if g in geos]
    if not outlined:
        return outlined
    fig.add_trace(
        go.Choropleth(
            geojson=collection(features, outlined),
            locations=outlined,
            z=[0.0] * len(outlined),
            colorscale=_TRANSPARENT,
            showscale=False,
            name=escape(label),
            legendgroup="highlight",
            showlegend=False,
            hoverinfo="skip",
            marker={"line": {"color": HIGHLIGHT, "width": 1.8}},
        )
    )
    # a choropleth's legend swatch shows its fill, not its outline: an empty
    # marker trace gives the outline its legend entry
    fig.add_trace(
        go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker={
                "symbol": "square-open",
                "size": 13,
                "color": HIGHLIGHT,
                "line": {"width": 2},
            },
            name=escape(label),
            legendgroup="highlight",
            hoverinfo="skip",
        )
    )
    return outlined
