"""Docstrings that hold: numpydoc validation of the public API, and examples that run.

Every public name (``regiongap``, ``regiongap.metrics`` and ``regiongap.viz``) passes
numpydoc's validation with the checks chosen in ``pyproject.toml``
(``[tool.numpydoc_validation]``). Every example in every module's docstrings runs
as a doctest, on the real mirror, offline, with an empty cache: an example that
reads a Eurostat table reads it as an analyst would.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import tomllib
from pathlib import Path

import pytest
from numpydoc.validate import get_validation_checks, validate

import regiongap

PROJECT = Path(__file__).resolve().parents[1]
PUBLIC_PACKAGES = ("regiongap", "regiongap.metrics", "regiongap.viz")
SUBPACKAGES = ("config", "errors", "metrics", "viz")


def _checks() -> set[str]:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    return get_validation_checks(set(config["tool"]["numpydoc_validation"]["checks"]))


CHECKS = _checks()


def _public_names():
    for package in PUBLIC_PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            if name in SUBPACKAGES or name.startswith("__"):
                continue
            yield f"{package}.{name}"


def _qualified(public: str) -> str:
    package, _, name = public.rpartition(".")
    obj = getattr(importlib.import_module(package), name)
    return f"{obj.__module__}.{obj.__qualname__}"


@pytest.mark.parametrize("public", sorted(set(_public_names())))
def test_public_docstrings_pass_numpydoc_validation(public):
    result = validate(_qualified(public))
    errors = [f"{code}: {text}" for code, text in result["errors"] if code in CHECKS]
    assert not errors, f"{public}:\n" + "\n".join(errors)


MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(regiongap.__path__, "regiongap.")
    if not info.name.endswith("__main__")
)


def _examples(module_name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = [t for t in finder.find(module, module_name) if t.examples]
    # names defined elsewhere and re-exported are tested in their own module
    return [t for t in tests if _defined_here(module, t.name)]


def _defined_here(module: object, test_name: str) -> bool:
    obj: object = module
    for part in test_name.split(".")[len(module.__name__.split(".")) :]:
        obj = getattr(obj, part, None)
        if obj is None:
            return True
    source = inspect.getmodule(obj)
    return source is None or source is module


@pytest.mark.mirror
@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name, mirror, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    tests = _examples(module_name)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{module_name}: {result.failed} example(s) failed"
