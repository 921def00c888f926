"""notebooks/00-getting-started.ipynb runs top to bottom on the mirror.

The getting-started notebook is not part of the reports (which execute 01–04), so it
is executed here: it is the first thing a new analyst opens, and it must keep working
as the API evolves.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PROJECT
from tests.support.notebooks import has_plotly_figure, run_notebook, stored_code_cells

NOTEBOOK = PROJECT / "notebooks" / "00-getting-started.ipynb"

pytestmark = pytest.mark.slow


def test_notebook_is_stored_without_outputs():
    code = stored_code_cells(NOTEBOOK)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "year" in params[0].source
    # the index is built from the panel alone: the catalogue's framework is the default
    assert any("rg.capacity_index(panel, imputation=" in c.source for c in code)
    assert not any("capacity_index(panel, framework" in c.source for c in code)


def test_notebook_runs_top_to_bottom_on_the_mirror(mirror, data_dir, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    assert os.environ["REGIONGAP_MIRROR"] == str(mirror)
    outputs, text = run_notebook(NOTEBOOK, timeout=300)
    # the tidy frame, the inequality figures and the map all came out
    assert "PPS_EU27_2020_HAB" in text and "'gini'" in text and "between" in text
    assert has_plotly_figure(outputs)
    # the cache was filled in the test's own data folder, not the project's
    assert any((data_dir / "raw" / "eurostat").glob("*.parquet"))
