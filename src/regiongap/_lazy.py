"""Lazy public names for a package: each name imports its module on first use.

One loader serves ``regiongap``, ``regiongap.metrics`` and ``regiongap.viz``, so that
importing a package stays cheap (no plotly, geopandas or ``eurostat`` at import
time) and all three resolve, cache and list their names the same way
(the pattern of ``geopandas/__init__.py`` and SPEC 1's ``lazy_loader.attach``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def attach(
    package_name: str,
    mapping: Mapping[str, str],
    submodules: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Return ``(__getattr__, __dir__, __all__)`` for the package ``package_name``.

    Parameters
    ----------
    package_name : str
        The package's ``__name__``.
    mapping : Mapping[str, str]
        Public name -> the module that defines it under the same name.
    submodules : Iterable[str], optional
        Submodule names (relative to the package) that are public too.

    Returns
    -------
    tuple
        ``__getattr__`` imports a name's module on first use and binds the name on
        the package, so later look-ups do not come back here; ``__dir__`` lists the
        package's globals and its ``__all__``; ``__all__`` is the sorted public names.
    """
    lazy = dict(mapping)
    subs = frozenset(submodules)
    public = sorted([*lazy, *subs])

    def _getattr(name: str) -> Any:
        if name in lazy:
            value = getattr(importlib.import_module(lazy[name]), name)
            setattr(sys.modules[package_name], name, value)
            return value
        if name in subs:
            return importlib.import_module(f"{package_name}.{name}")
        msg = f"module {package_name!r} has no attribute {name!r}"
        raise AttributeError(msg)

    def _dir() -> list[str]:
        module = sys.modules[package_name]
        return sorted({*vars(module), *module.__all__})

    return _getattr, _dir, public
