"""The convergence chart: one line per group, gaps where a year has no value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import SchemaError


def test_convergence_chart_one_line_per_group_with_gaps():
    from regiongap.viz.charts.convergence import convergence_chart

    frame = pd.DataFrame(
        {
            "time": [2015, 2016, 2017] * 2,
            "group": ["Members"] * 3 + ["Non-members"] * 3,
            "value": [0.30, np.nan, 0.28, 0.41, 0.40, 0.39],
        }
    )
    fig = convergence_chart(frame, label="Coefficient of variation")
    assert [t.name for t in fig.data] == ["Members", "Non-members"]
    assert fig.data[0].y == (0.30, None, 0.28)
    assert fig.data[0].connectgaps is False
    with pytest.raises(SchemaError, match="'group'"):
        convergence_chart(frame.drop(columns="group"))
