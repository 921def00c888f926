"""index_uncertainty after the speed-up gives bit for bit what it gave before.

The screen used to look every cell up with ``DataFrame.at`` (each look-up deep-copied
a panel's ``attrs``); it now reads one boolean array. The former implementation of
the screen is kept here as the reference, and both build the same index, the same
rank table and the same records, with the same seed. Speed is measured in
``benchmarks/bench_uncertainty.py``. Also here: the catalogue's framework when none
is given (an explicit one still wins).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import DataQualityWarning
from regiongap.metrics.composite import _steps
from regiongap.metrics.composite.index import capacity_index
from regiongap.metrics.composite.settings import IndexSettings
from regiongap.metrics.composite.uncertainty import index_uncertainty


def _exclusions_before(observed, coverage, fw, settings):
    """The screen's former implementation (cell by cell)."""
    indicators = fw["indicator"].tolist()
    pillar_of = dict(zip(fw["indicator"], fw["pillar"], strict=True))
    reasons = {}
    for geo in observed.index:
        missing = [i for i in indicators if not observed.at[geo, i]]
        if not missing:
            continue
        present = {pillar_of[i] for i in indicators if observed.at[geo, i]}
        reason = _steps._reason(missing, coverage[geo], present, pillar_of, settings)
        if reason is not None:
            reasons[str(geo)] = reason
    return reasons


def _same(data, fw, monkeypatch, **kw):
    now = index_uncertainty(data, fw, n_runs=1000, seed=7, **kw)
    with monkeypatch.context() as m:
        m.setattr(_steps, "_exclusions", _exclusions_before)
        before = index_uncertainty(data, fw, n_runs=1000, seed=7, **kw)
    pd.testing.assert_frame_equal(now, before, check_exact=True)
    assert now.attrs == before.attrs
    return now


@pytest.fixture
def gappy():
    rng = np.random.default_rng(11)
    data = pd.DataFrame(
        rng.normal(50, 10, size=(40, 6)),
        columns=list("abcdef"),
        index=pd.Index([f"AT{i:02d}" for i in range(40)], name="geo"),
    )
    data = data.mask(rng.random(data.shape) < 0.08)
    data.attrs["panel"] = {"provenance": [{"n": i} for i in range(500)]}
    fw = pd.DataFrame(
        {
            "indicator": list("abcdef"),
            "pillar": ["p", "p", "q", "q", "r", "r"],
            "higher_is_better": [True, True, False, True, True, True],
        }
    )
    return data, fw


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"imputation": "pillar_mean", "min_coverage": 0.5},
        {"imputation": "median", "min_coverage": 0.6, "weight_noise": 0.4},
    ],
)
def test_bit_identical_to_the_former_screen(gappy, monkeypatch, kw):
    out = _same(*gappy, monkeypatch, **kw)
    assert out.attrs["n_runs"] == 1000


@pytest.mark.mirror
@pytest.mark.slow  # the former screen takes a minute on a real panel
def test_bit_identical_on_the_mirror_panel(mirror, monkeypatch):
    import regiongap as rg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        panel = rg.panel(level=2, year=2019)
    fw, _ = rg.index_framework(panel)
    _same(panel, fw, monkeypatch, imputation="pillar_mean", min_coverage=0.5)


def test_catalogue_framework_when_none_is_given():
    panel = pd.DataFrame(
        {
            "gdp_pps_per_inhabitant": [30500.0, 22400.0, 41800.0],
            "gdp_pps_per_inhabitant_index": [94.0, 69.0, 129.0],
            "population": [297_583.0, 1_698_796.0, 1_911_191.0],
        },
        index=pd.Index(["AT11", "AT12", "AT13"], name="geo"),
    )
    ci = capacity_index(panel)
    assert ci.framework["indicator"].tolist() == ["gdp_pps_per_inhabitant"]
    assert ci.settings["framework_source"] == "catalogue (index_framework)"
    assert "gdp_pps_per_inhabitant_index" in ci.settings["indicators_left_out"]
    mine = pd.DataFrame(
        {"indicator": ["population"], "pillar": ["p"], "higher_is_better": [True]}
    )
    explicit = capacity_index(panel, mine)
    assert explicit.framework["indicator"].tolist() == ["population"]
    assert explicit.settings["framework_source"] == "given"
    u = index_uncertainty(panel, n_runs=20)
    assert u.index.tolist() == ci.index.index.tolist()


@pytest.mark.mirror
def test_default_index_names_every_region_left_out(mirror):
    import regiongap as rg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        panel = rg.panel(level=2, year=2019)
    ci = capacity_index(panel, settings=IndexSettings(imputation="pillar_mean"))
    assert len(ci.scores) == len(panel)  # every region of the panel is in scores
    assert ci.scores["index"].isna().sum() == len(ci.excluded)
    assert ci.excluded.map(len).min() > 0  # each with its reason
