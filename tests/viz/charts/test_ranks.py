"""The rank chart: regions ordered by median rank, with their bands."""

from __future__ import annotations

import pandas as pd


def test_rank_chart_orders_and_bands():
    from regiongap.viz.charts.ranks import rank_chart

    ranks = pd.DataFrame(
        {
            "median_rank": [3.0, 1.0, 2.0, 4.0],
            "rank_p05": [2.0, 1.0, 1.0, 3.0],
            "rank_p95": [4.0, 2.0, 3.0, 4.0],
        },
        index=pd.Index(["A1", "B1", "C1", "D1"], name="geo"),
    )
    fig = rank_chart(ranks, highlight=["C1"], names={"C1": "<b>Sea</b>"})
    others, marked = fig.data
    assert list(others.y) == [1.0, 3.0, 4.0]
    assert list(others.x) == [1, 3, 4]
    assert list(others.error_y.array) == [1.0, 1.0, 0.0]
    assert list(others.error_y.arrayminus) == [0.0, 1.0, 1.0]
    assert list(marked.x) == [2] and marked.customdata[0][0] == "&lt;b&gt;Sea&lt;/b&gt;"
    assert fig.layout.yaxis.autorange == "reversed"
