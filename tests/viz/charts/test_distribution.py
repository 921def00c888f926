"""The distribution chart: all regions, members marked, missing values counted."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.mirror


def test_distribution_chart_highlights_members(gdp):
    from regiongap.viz.charts.distribution import distribution_chart

    frame = gdp.copy()
    frame.loc[frame["geo"] == "AT11", "value"] = np.nan
    fig = distribution_chart(frame, "value", highlight=["ES61", "AT11", "SI04"])
    box, marked = fig.data
    assert len(box.x) == len(frame) - 1
    assert fig.layout.meta["n_missing"] == 1
    assert {row[1] for row in marked.customdata} == {
        "ES61",
        "SI04",
    }
    de11 = next(row for row in box.customdata if row[1] == "DE11")
    assert de11[3:] in (("2019", "e (estimated)"), ["2019", "e (estimated)"])
