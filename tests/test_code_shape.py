"""The shape of the code, held by a test: sizes, private names, typed public options.

The import layers, cycles and private modules are import-linter's job (``make lint``);
what it cannot see is checked here from the source text (``ast``): module and
function sizes, private *names* imported from another module, and public signatures.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

import regiongap

SRC = Path(regiongap.__file__).resolve().parent
MODULES = sorted(p for p in SRC.rglob("*.py"))
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80  # code lines, from the first statement after the docstring
PUBLIC_PACKAGES = ("regiongap", "regiongap.metrics", "regiongap.viz")


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_stay_under_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines"


def _function_lengths(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0]
            has_doc = isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant
            )
            if has_doc and len(body) > 1:
                first = body[1]
            yield node.name, node.lineno, node.end_lineno - first.lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_functions_stay_under_80_lines(path):
    long = [
        f"{name} (line {line}): {n} lines"
        for name, line, n in _function_lengths(_tree(path))
        if n > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_name(path)}: " + "; ".join(long)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_private_names_stay_in_their_module(path):
    """A ``_name`` is never imported: what a subpackage shares lives in a private
    module (``geo/_tables.py``) under a plain name, so that the seams show."""
    bad = [
        f"{node.module}: {[a.name for a in node.names if a.name.startswith('_')]} "
        f"(line {node.lineno})"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.ImportFrom)
        and (node.level or (node.module or "").startswith("regiongap"))
        and any(a.name.startswith("_") for a in node.names)
    ]
    assert not bad, f"{_name(path)} imports private names: " + "; ".join(bad)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_docstring_examples_are_never_skipped(path):
    text = path.read_text(encoding="utf-8")
    assert "doctest: +SKIP" not in text, f"{_name(path)} skips a docstring example"


def _public_callables():
    for package in PUBLIC_PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                yield f"{package}.{name}", obj


@pytest.mark.parametrize(("name", "func"), list(_public_callables()))
def test_public_parameters_are_typed_and_never_plain_any(name, func):
    hints = inspect.signature(func).parameters
    untyped = [p for p, param in hints.items() if param.annotation is param.empty]
    any_typed = [p for p, param in hints.items() if str(param.annotation) == "Any"]
    assert not untyped, f"{name}: parameters without a type: {untyped}"
    assert not any_typed, f"{name}: parameters typed Any: {any_typed}"


_NESTED = re.compile(r"(\w+)/ \(([^)]*)\)")


def _readme_tree() -> set[str]:
    """Module paths (``geo/codes``, ``metrics/composite/index``, ``cli``) the README's
    package tree names."""
    text = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    block = text.split("```\nsrc/regiongap/\n", 1)[1].split("```", 1)[0]
    named: set[str] = set()
    package = ""
    for line in block.splitlines():
        first = line.split()[0] if line.split() else ""
        if line.startswith("  ") and not line[2].isspace():
            package = first.rstrip("/") if first.endswith("/") else ""
            named.add(package)
        for nested, modules in _NESTED.findall(line):
            named |= {f"{package}/{nested}/{m}" for m in modules.split()}
            named.add(f"{package}/{nested}")
        rest = _NESTED.sub("", line).split()
        for word in rest:
            name = word.removesuffix(".py").rstrip("/")
            named.add(f"{package}/{name}" if package else name)
    return named


def _public_modules() -> list[str]:
    out = []
    for path in MODULES:
        parts = path.relative_to(SRC).with_suffix("").parts
        if any(p.startswith("_") for p in parts if p != "__init__"):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            out.append("/".join(parts))
    return sorted(out)


@pytest.mark.parametrize("module", _public_modules())
def test_the_readme_package_tree_names_every_public_module(module):
    assert module in _readme_tree(), f"README's package tree does not name {module}"
