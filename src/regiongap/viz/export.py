"""Save figures for slides and documents: PNG, SVG or PDF files drawn by Chromium.

:func:`save` writes one figure, :func:`save_many` several through one browser.
Both use `kaleido <https://github.com/plotly/Kaleido>`_, which draws the figure with
plotly.js in the Chromium installed on the machine (Debian's ``chromium``; no
browser is downloaded). The browser starts with the first figure saved and stays
open until the process ends, so that later figures take a fraction of a second.
Nothing is loaded from the network: plotly.js comes from
the plotly package, MathJax is off and the map engine's base map is answered by an
empty one (regiongap's maps draw their own regions). Every file is written whole or
not at all (:func:`regiongap.cache.store.atomic_write`).

:func:`chromium_path` finds the browser: ``REGIONGAP_CHROMIUM``, else ``chromium``,
``chromium-browser``, ``google-chrome`` or ``google-chrome-stable`` on the
``PATH``. The report's PDF printer (:mod:`regiongap.report.pdf`) uses it too.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from regiongap.cache.store import atomic_write
from regiongap.errors import ExportError, SchemaError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import plotly.graph_objects as go

__all__ = [
    "CHROMIUM_NAMES",
    "IMAGE_FORMATS",
    "INSTALL_CHROMIUM",
    "ImageFormat",
    "chromium_path",
    "save",
    "save_many",
]

#: A file format :func:`save` writes, named by the file's extension.
ImageFormat = Literal["png", "svg", "pdf"]
#: The formats :func:`save` writes.
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "svg", "pdf")
#: Executables looked for on the ``PATH``, in this order.
CHROMIUM_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
#: How to get a browser, said by every "no Chromium" error.
INSTALL_CHROMIUM = (
    "install Debian's chromium (`make browser`, or `apt-get install chromium`) or "
    "set REGIONGAP_CHROMIUM to a Chrome or Chromium executable"
)
#: Seconds allowed to draw one figure.
_TIMEOUT = 120
#: The base map plotly.js asks for on a geo subplot: empty, regiongap draws regions.
_EMPTY_WORLD = {"type": "Topology", "objects": {}, "arcs": []}
#: This process's browser ("chromium") and base-map folder ("folder"), once made.
_STATE: dict[str, Any] = {}


def chromium_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the Chromium (or Chrome) executable that draws and prints.

    Parameters
    ----------
    path : path-like, optional
        The executable; default ``REGIONGAP_CHROMIUM``, else the first of
        :data:`CHROMIUM_NAMES` found on the ``PATH``.

    Returns
    -------
    pathlib.Path
        The executable.

    Raises
    ------
    ExportError
        If no such executable exists; the message says how to install one.

    Examples
    --------
    >>> chromium_path().name in CHROMIUM_NAMES
    True
    >>> chromium_path("/nowhere/chromium")
    Traceback (most recent call last):
    ...
    regiongap.errors.ExportError: no Chromium at '/nowhere/chromium': install ...
    """
    chosen = path if path is not None else os.environ.get("REGIONGAP_CHROMIUM")
    if chosen:
        found = Path(chosen).expanduser()
        if found.is_file() and os.access(found, os.X_OK):
            return found
        msg = f"no Chromium at {str(chosen)!r}: {INSTALL_CHROMIUM}"
        raise ExportError(msg)
    for name in CHROMIUM_NAMES:
        which = shutil.which(name)
        if which:
            return Path(which)
    msg = f"no Chromium found (looked for {', '.join(CHROMIUM_NAMES)}): " + (
        INSTALL_CHROMIUM
    )
    raise ExportError(msg)


def _format(path: Path) -> ImageFormat:
    """Return the format named by *path*'s extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in IMAGE_FORMATS:
        allowed = ", ".join(f".{f}" for f in IMAGE_FORMATS)
        msg = (
            f"cannot save a figure as {str(path)!r}: unknown extension "
            f"{path.suffix!r}; use one of {allowed}"
        )
        raise SchemaError(msg)
    return suffix


def _writable(path: Path) -> Path:
    """Return *path* once its folder exists and can be written."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot write {str(path)!r}: the folder cannot be created ({exc})"
        raise ExportError(msg) from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        msg = f"cannot write {str(path)!r}: the folder {str(folder)!r} is not writable"
        raise ExportError(msg)
    return path


def _check_size(width: int | None, height: int | None, scale: float) -> None:
    for name, value in (("width", width), ("height", height)):
        if value is not None and (not isinstance(value, int) or value < 10):
            msg = f"{name}={value!r} must be a whole number of pixels, at least 10"
            raise SchemaError(msg)
    if not isinstance(scale, int | float) or not 0 < scale <= 10:
        msg = f"scale={scale!r} must be a number above 0 and at most 10"
        raise SchemaError(msg)


def _spec(
    fig: go.Figure | Mapping[str, object],
    fmt: ImageFormat,
    width: int | None,
    height: int | None,
    scale: float,
) -> dict[str, object]:
    """Return what kaleido draws: the figure as a plain dict and its options."""
    import plotly.io as pio

    plain = json.loads(pio.to_json(fig, validate=False))
    layout = plain.get("layout", {})
    opts = {
        "format": fmt,
        "width": width or layout.get("width") or 1000,
        "height": height or layout.get("height") or 600,
        "scale": scale,
    }
    return {"fig": plain, "opts": opts}


def _topojson() -> str:
    """Return the URL of a folder holding the empty base map (made once a process)."""
    if "folder" not in _STATE:
        folder = tempfile.TemporaryDirectory(prefix="regiongap-topojson-")
        Path(folder.name, "world_110m.json").write_text(json.dumps(_EMPTY_WORLD))
        _STATE["folder"] = folder  # removed when the process ends
    return Path(_STATE["folder"].name).as_uri() + "/"


def _browser(chromium: Path) -> None:
    """Start kaleido's browser for this process once; later saves reuse it."""
    import kaleido

    if _STATE.get("chromium") not in (None, chromium):
        kaleido.stop_sync_server(silence_warnings=True)
    kaleido.start_sync_server(
        n=1, timeout=_TIMEOUT, mathjax=False, path=str(chromium), silence_warnings=True
    )
    _STATE["chromium"] = chromium


def _render(specs: Sequence[dict[str, object]]) -> list[bytes]:
    """Draw *specs* in this process's Chromium (started on first use)."""
    import kaleido

    chromium = chromium_path()
    topojson = _topojson()
    _browser(chromium)
    images = []
    for spec in specs:
        try:
            image = kaleido.calc_fig_sync(
                spec["fig"], opts=spec["opts"], topojson=topojson
            )
        except Exception as exc:  # kaleido's and choreographer's own errors
            kaleido.stop_sync_server(silence_warnings=True)
            _STATE.pop("chromium", None)
            msg = f"Chromium ({chromium}) could not draw the figure: {exc}"
            raise ExportError(msg) from exc
        images.append(bytes(image))
    return images


def save_many(
    figures: Mapping[Path, go.Figure | Mapping[str, object]]
    | Mapping[str, go.Figure | Mapping[str, object]],
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = 1.0,
) -> list[Path]:
    r"""Save several figures, each to the file it is keyed by, through one browser.

    Parameters
    ----------
    figures : mapping of path-like to plotly Figure
        ``{"slides/map.png": fig, "slides/map.svg": fig, …}``; the extension of
        each file (``.png``, ``.svg`` or ``.pdf``) says its format. A figure may
        also be given as the dict of a plotly figure.
    width, height : int, optional
        Size in pixels (CSS pixels; default the figure's own, else 1000 × 600).
    scale : float
        Multiplies the pixels of a PNG (2 gives a sharp image on slides).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order given.

    Raises
    ------
    SchemaError
        An unknown extension (the allowed ones are named) or a bad size; nothing
        is drawn or written.
    ExportError
        A folder that cannot be written, or no Chromium on the machine (the
        message says how to install it); nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(go.Bar(x=["AT13", "AT11"], y=[52.1, 31.4]))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = save_many({f"{folder}/gdp.png": fig, f"{folder}/gdp.svg": fig})
    ...     [(p.suffix, p.read_bytes()[:4]) for p in paths]
    [('.png', b'\x89PNG'), ('.svg', b'<svg')]
    """
    _check_size(width, height, scale)
    targets = [Path(p) for p in figures]
    formats = [_format(p) for p in targets]  # every name checked before drawing
    targets = [_writable(p) for p in targets]
    specs = [
        _spec(fig, fmt, width, height, scale)
        for fig, fmt in zip(figures.values(), formats, strict=True)
    ]
    images = _render(specs) if specs else []
    for path, data in zip(targets, images, strict=True):
        try:
            atomic_write(path, data)
        except OSError as exc:
            msg = f"cannot write {str(path)!r}: {exc}"
            raise ExportError(msg) from exc
    return targets


def save(
    fig: go.Figure | Mapping[str, object],
    path: str | os.PathLike[str],
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = 1.0,
) -> Path:
    r"""Save a figure as PNG, SVG or PDF, for slides and documents.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure (any regiongap map or chart, or the dict of a figure).
    path : path-like
        The file; its extension (``.png``, ``.svg`` or ``.pdf``) says the format.
        A missing folder is created.
    width, height : int, optional
        Size in pixels (default the figure's own size, else 1000 × 600).
    scale : float
        Multiplies the pixels of a PNG (2 gives a sharp image on slides).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    SchemaError
        An unknown extension (the allowed ones are named) or a bad size.
    ExportError
        A folder that cannot be written, or no Chromium on the machine (the
        message says how to install it). No file is left half-written.

    Examples
    --------
    >>> import tempfile
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(go.Bar(x=["AT13", "AT11"], y=[52.1, 31.4]))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     png = save(fig, f"{folder}/gdp.png", width=800, scale=2)
    ...     png.name, png.read_bytes()[:4]
    ('gdp.png', b'\x89PNG')
    >>> save(fig, "gdp.jpg")
    Traceback (most recent call last):
    ...
    regiongap.errors.SchemaError: cannot save ... '.jpg'; use one of .png, .svg, .pdf
    """
    return save_many({Path(path): fig}, width=width, height=height, scale=scale)[0]
