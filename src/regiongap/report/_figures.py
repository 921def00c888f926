"""Plotly outputs of an executed notebook as HTML, with map shapes stored once a page.

Two maps of the same regions (a profile's member map and its index map) would each
carry the same GeoJSON, a quarter of a page. :func:`figure_html` keeps every region
feature once, in ``window.rgFeatures`` (keyed by region code and a hash of its
geometry), and each map trace names the keys it draws; :data:`FEATURES_JS` puts
the features back into the traces just before plotly.js draws them. What plotly.js
receives is the figure as the notebook made it.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nbformat import NotebookNode

__all__ = ["FEATURES_JS", "PLOTLY_MIME", "features_script", "figure_html"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Restores the shared features into each trace before ``Plotly.newPlot`` draws it.
FEATURES_JS = """(function () {
  var draw = Plotly.newPlot, shared = window.rgFeatures || {};
  Plotly.newPlot = function (id, data) {
    (data || []).forEach(function (trace) {
      if (trace.geojson && trace.geojson.rgFeatures) {
        trace.geojson = {type: "FeatureCollection",
          features: trace.geojson.rgFeatures.map(function (k) { return shared[k]; })};
      }
    });
    return draw.apply(this, arguments);
  };
})();"""


def _share(trace: dict[str, Any], features: dict[str, Any]) -> None:
    """Move the features of *trace*'s GeoJSON into *features*; keep their keys."""
    geojson = trace.get("geojson")
    if not isinstance(geojson, dict) or not isinstance(geojson.get("features"), list):
        return
    keys = []
    for feature in geojson["features"]:
        text = json.dumps(feature, sort_keys=True, separators=(",", ":"))
        key = f"{feature.get('id', '')}:{hashlib.sha1(text.encode()).hexdigest()[:10]}"
        features.setdefault(key, feature)
        keys.append(key)
    trace["geojson"] = {"type": "FeatureCollection", "rgFeatures": keys}


def figure_html(nb: NotebookNode) -> tuple[int, dict[str, Any]]:
    """Turn plotly outputs into HTML that uses the page's plotly.js.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (modified: plotly outputs become ``text/html``,
        stderr outputs are dropped).

    Returns
    -------
    tuple of (int, dict)
        The number of figures, and the map features they share
        (:func:`features_script` writes them into the page).

    Examples
    --------
    >>> import nbformat
    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    >>> feature = {"type": "Feature", "id": "AT13", "geometry": square}
    >>> trace = {"type": "choropleth", "locations": ["AT13"], "z": [1],
    ...          "geojson": {"type": "FeatureCollection", "features": [feature]}}
    >>> figure = {"data": [trace], "layout": {}}
    >>> maps = [
    ...     nbformat.v4.new_output("display_data", data={PLOTLY_MIME: figure})
    ...     for _ in range(2)
    ... ]
    >>> cell = nbformat.v4.new_code_cell("m", outputs=maps)
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> count, features = figure_html(nb)
    >>> count, list(features)  # two maps, the region's shape stored once
    (2, ['AT13:d7c249655c'])
    >>> "rgFeatures" in nb.cells[0].outputs[0]["data"]["text/html"]
    True
    """
    import plotly.io as pio

    count = 0
    features: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue  # warnings go to the annex, not between the figures
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                count += 1
                figure = json.loads(json.dumps(data[PLOTLY_MIME]))
                for trace in figure.get("data", []):
                    _share(trace, features)
                div = pio.to_html(
                    figure,
                    include_plotlyjs=False,
                    full_html=False,
                    div_id=f"rg-figure-{count}",
                    config={"displaylogo": False, "responsive": True},
                    validate=False,
                )
                output["data"] = {"text/html": div}
            kept.append(output)
        cell["outputs"] = kept
    return count, features


def features_script(features: dict[str, Any]) -> str:
    r"""Return the JavaScript that defines *features* and restores them in traces.

    Parameters
    ----------
    features : dict
        The features of :func:`figure_html`.

    Returns
    -------
    str
        ``window.rgFeatures = {…};`` and :data:`FEATURES_JS` (empty when there
        are no features); ``</`` is escaped so the text is safe in a script tag.

    Examples
    --------
    >>> features_script({})
    ''
    >>> script = features_script({"AT13:0": {"id": "</script>"}})
    >>> script.startswith("window.rgFeatures = "), "</script>" in script
    (True, False)
    """
    if not features:
        return ""
    text = json.dumps(features, separators=(",", ":")).replace("</", "<\\/")
    return f"window.rgFeatures = {text};\n{FEATURES_JS}"
