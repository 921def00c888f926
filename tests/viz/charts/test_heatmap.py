"""The pillar heatmap: missing cells stay blank, names are escaped."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import SchemaError


def _strings(fig) -> str:
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


def test_pillar_heatmap_keeps_missing_cells_blank():
    from regiongap.viz.charts.heatmap import pillar_heatmap

    pillars = pd.DataFrame(
        {"economy": [80.0, np.nan, 10.0], "digital": [55.5, 20.0, np.nan]},
        index=pd.Index(["AT13", "<script>", "PL91"], name="geo"),
    )
    fig = pillar_heatmap(pillars, names={"AT13": "Wien"}, labels={"digital": "Digital"})
    (trace,) = fig.data
    assert trace.z[1][0] is None and trace.z[2][1] is None
    assert trace.text[1][0] == "no score"
    assert list(trace.x) == ["economy", "Digital"]
    assert trace.y[0] == "Wien"
    assert fig.layout.meta["missing_cells"] == 2
    assert "<script>" not in _strings(fig)
    with pytest.raises(SchemaError):
        pillar_heatmap(pillars[[]])
