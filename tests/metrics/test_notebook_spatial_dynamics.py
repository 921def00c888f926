"""notebooks/05-spatial-and-dynamics.ipynb runs top to bottom on the mirror.

The notebook only calls the library (spatial structure, dynamics, rank sensitivity,
scales, matchmaking, the co-membership network); executing it here keeps it working
as the API evolves.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PROJECT

NOTEBOOK = PROJECT / "notebooks" / "05-spatial-and-dynamics.ipynb"

pytestmark = pytest.mark.slow


def test_notebook_is_stored_without_outputs():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "partnership" in params[0].source


def test_notebook_runs_top_to_bottom_on_the_mirror(mirror, data_dir, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "."}}
    )
    assert os.environ["REGIONGAP_MIRROR"] == str(mirror)
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(
        str(o.get("data", {}).get("text/plain", "")) for o in outputs if "data" in o
    )
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
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
