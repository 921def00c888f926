"""notebooks/00-getting-started.ipynb runs top to bottom on the mirror.

The getting-started notebook is not part of the reports (which execute 01–04), so it
is executed here: it is the first thing a new analyst opens, and it must keep working
as the API evolves.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PROJECT

NOTEBOOK = PROJECT / "notebooks" / "00-getting-started.ipynb"

pytestmark = pytest.mark.slow


def test_notebook_is_stored_without_outputs():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "year" in params[0].source
    # the index is built from the panel alone: the catalogue's framework is the default
    assert any("rg.capacity_index(panel, imputation=" in c.source for c in code)
    assert not any("capacity_index(panel, framework" in c.source for c in code)


def test_notebook_runs_top_to_bottom_on_the_mirror(mirror, data_dir, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}
    )
    assert os.environ["REGIONGAP_MIRROR"] == str(mirror)
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # the tidy frame, the inequality figures and the map all came out
    text = "\n".join(
        str(o.get("data", {}).get("text/plain", "")) for o in outputs if "data" in o
    )
    assert "PPS_EU27_2020_HAB" in text and "'gini'" in text and "between" in text
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
    # the cache was filled in the test's own data folder, not the project's
    assert any((data_dir / "raw" / "eurostat").glob("*.parquet"))
