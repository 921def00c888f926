"""notebooks/05-spatial-and-dynamics.ipynb runs top to bottom on the mirror.

The notebook only calls the library (spatial structure, dynamics, rank sensitivity,
scales, matchmaking, the co-membership network); executing it here keeps it working
as the API evolves.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PROJECT
from tests.support.notebooks import has_plotly_figure, run_notebook, stored_code_cells

NOTEBOOK = PROJECT / "notebooks" / "05-spatial-and-dynamics.ipynb"

pytestmark = pytest.mark.slow


def test_notebook_is_stored_without_outputs():
    code = stored_code_cells(NOTEBOOK)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "partnership" in params[0].source


def test_notebook_runs_top_to_bottom_on_the_mirror(mirror, data_dir, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    assert os.environ["REGIONGAP_MIRROR"] == str(mirror)
    outputs, text = run_notebook(NOTEBOOK, timeout=600)
    # Moran's I, the clusters, the chain, the Sobol indices, the mentor pairs
    for expected in (
        "morans_i",
        "not significant",
        "Transitions(",
        "pillar_weights",
        "mentor",
        "betweenness",
    ):
        assert expected in text, expected
    assert has_plotly_figure(outputs)
