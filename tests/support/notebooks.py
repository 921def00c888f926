"""Reading and running the project's notebooks in tests (shared by their tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def stored_code_cells(notebook: Path) -> list[Any]:
    """Return the code cells of *notebook*, checked valid and stored without outputs."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    return code


def run_notebook(notebook: Path, timeout: int) -> tuple[list[Any], str]:
    """Execute *notebook* top to bottom; return its outputs and their plain text.

    A failing cell raises ``CellExecutionError``; an error output fails the test.
    """
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": "."}},
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(
        str(o.get("data", {}).get("text/plain", "")) for o in outputs if "data" in o
    )
    return outputs, text


def has_plotly_figure(outputs: list[Any]) -> bool:
    """Whether one of *outputs* is a plotly figure."""
    return any(PLOTLY_MIME in o.get("data", {}) for o in outputs)
