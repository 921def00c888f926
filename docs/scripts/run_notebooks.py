"""Execute the project's notebooks for the site (a mkdocs-gen-files script).

Each notebook of ``notebooks/`` runs top to bottom in a fresh kernel, on the data
the environment points at (``make docs`` sets ``REGIONGAP_MIRROR`` to the shared
mirror when there is one), and is handed to mkdocs-jupyter as
``notebooks/<name>.ipynb``. Plotly outputs become a ``<div>`` drawn by the site's
single copy of plotly.js (``assets/javascripts/plotly.min.js``, written here from
the plotly package): nothing is loaded from a CDN. A notebook that fails stops the
build with the failing cell.

``REGIONGAP_DOCS_NOTEBOOKS`` (a glob, default ``[0-9][0-9]-*.ipynb``) chooses the
notebooks, e.g. ``00-*`` while writing the guide.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import mkdocs_gen_files
import nbformat
import plotly.io as pio
from nbclient import NotebookClient
from plotly.offline import get_plotlyjs

PROJECT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT / "notebooks"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _figures_as_html(nb: nbformat.NotebookNode, stem: str) -> None:
    """Replace each plotly output by HTML that uses the page's plotly.js."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                count += 1
                output["data"] = {
                    "text/html": pio.to_html(
                        data[PLOTLY_MIME],
                        include_plotlyjs=False,
                        full_html=False,
                        div_id=f"{stem}-figure-{count}",
                        config={"displaylogo": False, "responsive": True},
                        validate=False,
                    )
                }


def _execute(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
    )
    # local sockets in a private folder, as the reports' kernels use, rather than TCP
    # on localhost (which the kernel warns about in the build's output)
    sockets = tempfile.mkdtemp(prefix="regiongap-docs-kernel-")
    try:
        client.km = client.create_kernel_manager()
        client.km.transport = "ipc"
        client.km.ip = str(Path(sockets) / "k")
        client.execute()
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    _figures_as_html(nb, path.stem)
    return nb


PATTERN = os.environ.get("REGIONGAP_DOCS_NOTEBOOKS") or "[0-9][0-9]-*.ipynb"


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """Return the notebook's first heading (its page title in the navigation)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


summary = []
for notebook in sorted(NOTEBOOKS.glob(PATTERN)):
    executed = _execute(notebook)
    with mkdocs_gen_files.open(f"notebooks/{notebook.name}", "w") as out:
        nbformat.write(executed, out)
    if not notebook.name.startswith("00-"):  # "Getting started" has its own entry
        summary.append(f"* [{_title(executed, notebook.stem)}]({notebook.name})")

with mkdocs_gen_files.open("notebooks/SUMMARY.md", "w") as nav:
    nav.write("\n".join(summary) + "\n")

with mkdocs_gen_files.open("assets/javascripts/plotly.min.js", "w") as js:
    js.write(get_plotlyjs())
