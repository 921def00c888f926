"""The public names of regiongap, read from the ``__all__`` lists, for the docs.

Both the API reference generator (``gen_reference.py``) and the docstring
cross-reference rewriter (``griffe_roles.py``) use this list, so a name added to
``regiongap.__all__``, ``regiongap.metrics.__all__`` or ``regiongap.viz.__all__``
gets its page and its links without any edit here.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from functools import cache

#: The namespaces whose ``__all__`` is the public API.
NAMESPACES = ("regiongap", "regiongap.metrics", "regiongap.viz")
#: Modules documented whole (every name in their ``__all__``).
WHOLE_MODULES = ("regiongap.errors", "regiongap.config")
#: Page titles of the subpackages, in reading order (the data flow).
SECTIONS = {
    "load": "Data: datasets, boundaries, services",
    "cache": "The cache",
    "sources": "Sources",
    "geo": "Geography: NUTS codes and versions",
    "membership": "Partnership membership",
    "indicators": "Indicators and the panel",
    "metrics": "Metrics",
    "viz": "Figures",
    "report": "Reports",
    "errors": "Errors and warnings",
    "config": "Settings",
}


@dataclass(frozen=True)
class PublicName:
    """One public name: where users reach it and where it is defined."""

    namespace: str
    name: str
    canonical: str

    @property
    def module(self) -> str:
        """The module that defines the object."""
        return self.canonical.rsplit(".", 1)[0]

    @property
    def section(self) -> str:
        """The subpackage the object lives in (``load``, ``metrics``, …)."""
        parts = self.canonical.split(".")
        return parts[1] if len(parts) > 2 else parts[-1]


def _canonical(namespace: str, name: str) -> str | None:
    module = importlib.import_module(namespace)
    obj = getattr(module, name)
    if inspect.ismodule(obj):
        return None  # subpackages (metrics, viz, config, errors) have their own pages
    if inspect.isfunction(obj) or inspect.isclass(obj):
        return f"{obj.__module__}.{obj.__qualname__}"
    # constants and type aliases: documented where the namespace's lazy map says
    lazy = getattr(module, "_LAZY", {})
    return f"{lazy[name]}.{name}" if name in lazy else None


@cache
def public_names() -> tuple[PublicName, ...]:
    """Return every public name of the three namespaces and the whole modules."""
    names = []
    for namespace in NAMESPACES:
        module = importlib.import_module(namespace)
        for name in module.__all__:
            if name.startswith("__"):
                continue
            canonical = _canonical(namespace, name)
            if canonical is not None:
                names.append(PublicName(namespace, name, canonical))
    for whole in WHOLE_MODULES:
        module = importlib.import_module(whole)
        names.extend(PublicName(whole, n, f"{whole}.{n}") for n in module.__all__)
    return tuple(names)


@cache
def rendered() -> frozenset[str]:
    """Return the identifiers the reference pages render (objects, with members)."""
    return frozenset(p.canonical for p in public_names())


def is_rendered(identifier: str) -> bool:
    """Tell whether *identifier* is rendered or is a member of a rendered object."""
    shown = rendered()
    parts = identifier.split(".")
    return any(".".join(parts[:i]) in shown for i in range(len(parts), 1, -1))
