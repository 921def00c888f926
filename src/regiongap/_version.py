"""regiongap's version, at the bottom of the layers so every module may read it.

The package root re-exports it as ``regiongap.__version__``; the HTTP client (its
``User-Agent``) and the cache (the provenance of every file) read it here rather
than from the package root, which sits above them.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["VERSION"]

try:
    #: The installed distribution's version, e.g. ``"0.4.0"``.
    VERSION: str = version("regiongap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    VERSION = "0+unknown"
