"""The public API: cheap import, every advertised name resolves."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import regiongap

HEAVY = ("geopandas", "plotly", "eurostat", "shapely", "pyogrio", "mapclassify")


def test_import_loads_no_heavy_module():
    code = (
        "import sys, regiongap; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_all_is_sorted_and_unique():
    assert regiongap.__all__ == sorted(set(regiongap.__all__))


@pytest.mark.parametrize("name", regiongap.__all__)
def test_every_public_name_resolves(name):
    assert getattr(regiongap, name) is not None


@pytest.mark.parametrize("name", regiongap.metrics.__all__)
def test_every_metric_name_resolves(name):
    assert getattr(regiongap.metrics, name) is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        regiongap.no_such_thing  # noqa: B018


def test_frame_level_analytics_are_the_same_objects_in_both_namespaces():
    shared = set(regiongap.__all__) & set(regiongap.metrics.__all__)
    assert {"capacity_index", "partnership_gaps", "beta_convergence"} <= shared
    for name in shared:
        assert getattr(regiongap.metrics, name) is getattr(regiongap, name)


@pytest.mark.parametrize("package", ["regiongap", "regiongap.metrics", "regiongap.viz"])
def test_dir_lists_every_public_name_and_unknown_names_fail(package):
    module = importlib.import_module(package)
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute"):
        module.no_such_thing  # noqa: B018
