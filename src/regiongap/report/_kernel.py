"""Run a report notebook in this process's warm Jupyter kernel.

Starting a kernel and importing pandas, plotly and geopandas takes ~3 s, longer than
running a profile notebook, so each worker process of
:func:`regiongap.build_reports` keeps one kernel and clears the user namespace
(``%reset -f``) before the next notebook. Parameters are injected by papermill
exactly as ``papermill.execute_notebook`` does; cells run through nbclient, which
papermill itself uses. The kernel talks over local sockets in a private folder and
is shut down when the process ends.
"""

from __future__ import annotations

import multiprocessing.util
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nbclient import NotebookClient
    from nbformat import NotebookNode

__all__ = ["WARM_UP", "execute", "warm_up"]

#: What a new kernel runs before its first notebook: the imports every report
#: notebook makes and the boundaries every map draws (module state, kept when the
#: namespace is reset between notebooks). Not mapclassify: profile maps are
#: quantiles (computed without it); the overview's other schemes import it.
WARM_UP = """
import plotly.graph_objects, plotly.io, geopandas
from regiongap import viz
from regiongap.report.sections import Overview, Profile
from regiongap.load.boundaries import nuts_regions
viz.setup_notebook()
nuts_regions(level=2, nuts_year=2021)
"""

#: The kernel manager ("km") and client ("kc") of this process, once started.
_KERNEL: dict[str, Any] = {}


def _stop_kernel() -> None:
    km, kc = _KERNEL.pop("km", None), _KERNEL.pop("kc", None)
    if kc is not None:
        kc.stop_channels()
    if km is not None:
        from jupyter_core.utils import run_sync

        run_sync(km.shutdown_kernel)(now=True)
        if km.transport == "ipc":  # the private socket folder made in _start
            shutil.rmtree(Path(km.ip).parent, ignore_errors=True)


def _start(client: NotebookClient, cwd: str) -> None:
    """Start this process's kernel through *client* and keep it for later notebooks."""
    client.km = client.create_kernel_manager()
    # talk to the kernel over local sockets in a private folder rather than
    # TCP on localhost (which the kernel warns about on every start)
    client.km.transport = "ipc"
    client.km.ip = str(Path(tempfile.mkdtemp(prefix="regiongap-kernel-")) / "k")
    client.start_new_kernel(cwd=cwd)
    client.start_new_kernel_client()
    _KERNEL.update(km=client.km, kc=client.kc)
    multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=10)


def warm_up(folder: str) -> None:
    """Start this process's kernel in *folder* and run :data:`WARM_UP` in it.

    :func:`regiongap.build_reports` calls it as each worker process starts, while
    the report's tables are computed, so that the first notebook of a worker does
    not also pay for the kernel and its imports. A failure here is left for the
    first notebook to report.

    Parameters
    ----------
    folder : str
        The notebooks' folder (the kernel's working directory).
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": folder}}
    )
    try:
        if "km" not in _KERNEL:
            _start(client, folder)
        else:
            client.km, client.kc = _KERNEL["km"], _KERNEL["kc"]
        client.execute_cell(nb.cells[0], 0)
    except Exception:  # the first notebook reports any real problem, with its cell
        return


def execute(notebook: Path, parameters: dict[str, object]) -> NotebookNode:
    """Run *notebook* with papermill's *parameters* in this process's warm kernel.

    Parameters
    ----------
    notebook : pathlib.Path
        The ``.ipynb`` file; it runs in its own folder.
    parameters : dict
        Values injected after the cell tagged ``parameters``.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook, with its outputs.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        When a cell fails.
    """
    import nbformat
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
    cwd = str(notebook.parent)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": cwd}}
    )
    if "km" not in _KERNEL:
        _start(client, cwd)
    else:
        client.km, client.kc = _KERNEL["km"], _KERNEL["kc"]
    client.reset_execution_trackers()
    # nbclient stores each executed cell back at its index: the reset cell gets
    # its own slot and is removed afterwards
    nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)
    del nb.cells[0]
    return nb
