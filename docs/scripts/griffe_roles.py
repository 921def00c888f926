"""A griffe extension: Sphinx roles in numpy docstrings become mkdocs cross-references.

regiongap's docstrings follow numpydoc and link with Sphinx roles
(``:func:`regiongap.build_reports```, ``:class:`~regiongap.viz.maps.Classification```).
This extension rewrites each role before mkdocstrings renders the docstring:

* a target documented in the API reference becomes a link (``[`name`][identifier]``),
  resolved by mkdocs-autorefs;
* a target that exists but has no page of its own (a private helper, a module) is
  shown as code;
* a target that does not exist stays a link, which autorefs cannot resolve: the
  strict build fails and its message names the target and the page.

``.. math::`` blocks are shown as code blocks (the site loads no MathJax).
"""

from __future__ import annotations

import builtins
import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path

import griffe

sys.path.insert(0, str(Path(__file__).parent))

from public_api import is_rendered, public_names

_ROLE = re.compile(
    r":(?:py:)?(?P<role>func|class|meth|mod|data|attr|exc|obj|const|ref|math):"
    r"`(?P<body>[^`]+)`"
)
_MATH = re.compile(
    r"^(?P<indent>[ \t]*)\.\. math::[ \t]*\n((?:(?P=indent)[ \t]+.*\n|[ \t]*\n)*)", re.M
)


def _importable(path: str) -> bool:
    """Tell whether *path* names an importable module or an attribute of one."""
    if hasattr(builtins, path):
        return True
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            fields = {
                *getattr(obj, "__annotations__", {}),
                *getattr(obj, "__dataclass_fields__", {}),
            }
            if not hasattr(obj, attr) and attr not in fields:
                return False
            obj = getattr(obj, attr, None)
        return True
    return False


def _aliases() -> dict[str, str]:
    """Return ``{public path: canonical path}`` (``regiongap.panel`` → its module)."""
    return {f"{n.namespace}.{n.name}": n.canonical for n in public_names()}


def _resolve(target: str, here: str, exists: Callable[[str], bool]) -> str:
    """Return the full identifier *target* means, written in the object *here*."""
    aliases = _aliases()
    if target in aliases:
        return aliases[target]
    if target.startswith("regiongap"):
        return target
    scope = here.split(".")
    for cut in range(len(scope), 0, -1):  # the object, its class, its module, …
        candidate = ".".join([*scope[:cut], target])
        if candidate in aliases:
            return aliases[candidate]
        if exists(candidate):
            return candidate
    for public, canonical in aliases.items():  # a bare public name (``panel``)
        if public.rsplit(".", 1)[1] == target:
            return canonical
    return target


def rewrite(text: str, here: str, exists: Callable[[str], bool] = _importable) -> str:
    """Return docstring *text* with its roles as cross-references or code.

    *here* is the path of the documented object (relative targets are looked up
    from it outwards); *exists* tells whether a full path names an object.
    """

    def role(match: re.Match[str]) -> str:
        kind, body = match["role"], match["body"].strip()
        if kind == "math":
            return f"`{body}`"
        if "<" in body and body.endswith(">"):
            shown, target = body[:-1].split("<", 1)
            shown, target = shown.strip(), target.strip()
        else:
            target = body.lstrip("~")
            shown = target.rsplit(".", 1)[-1] if body.startswith("~") else target
        target = target.rstrip("()")
        identifier = _resolve(target, here, exists)
        if is_rendered(identifier):
            return f"[`{shown}`][{identifier}]"
        if exists(identifier):
            return f"`{shown}`"
        return f"[`{shown}`][{target}]"  # broken: autorefs reports it

    def math(match: re.Match[str]) -> str:
        indent = match["indent"]
        return f"{indent}```text\n{match.group(2).rstrip()}\n{indent}```\n"

    return _ROLE.sub(role, _MATH.sub(math, text))


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring griffe loads."""

    def on_object(
        self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **_kwargs: object
    ) -> None:
        """Rewrite the docstring of *obj* (module, class, function, attribute)."""

        def exists(path: str) -> bool:
            try:
                loader.modules_collection.get_member(path)
            except (KeyError, ValueError, griffe.AliasResolutionError):
                return _importable(path)
            return True

        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value, obj.path, exists)
