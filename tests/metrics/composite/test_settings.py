"""One IndexSettings for the capacity index and its uncertainty analysis."""

from __future__ import annotations

import pandas as pd
import pytest

from regiongap.errors import MetricInputError
from regiongap.metrics import IndexSettings, capacity_index, index_uncertainty
from regiongap.metrics.composite.settings import merge_settings


@pytest.fixture
def case() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = pd.DataFrame(
        {
            "a": [1.0, 2.0, None, 4.0, 5.0],
            "b": [5.0, 1.0, 3.0, 2.0, 4.0],
            "c": [2.0, 3.0, 1.0, 5.0, 4.0],
        },
        index=pd.Index(list("VWXYZ"), name="geo"),
    )
    framework = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "pillar": ["p", "p", "q"],
            "higher_is_better": [True, False, True],
        }
    )
    return data, framework


def test_defaults_are_those_of_the_keyword_arguments(case):
    data, fw = case
    s = IndexSettings()
    assert (s.normalisation, s.aggregation, s.imputation) == (
        "minmax",
        "arithmetic",
        "none",
    )
    assert s.min_coverage == 0.75
    assert s.target_range == (0.0, 100.0)
    assert IndexSettings(aggregation="geometric").target_range == (1.0, 100.0)
    pd.testing.assert_frame_equal(
        capacity_index(data, fw).scores, capacity_index(data, fw, s).scores
    )


def test_settings_and_keywords_build_the_same_index(case):
    data, fw = case
    chosen = IndexSettings(
        aggregation="geometric",
        imputation="median",
        min_coverage=0.6,
        pillar_weights={"p": 2.0, "q": 1.0},
    )
    by_settings = capacity_index(data, fw, chosen)
    by_keywords = capacity_index(
        data,
        fw,
        aggregation="geometric",
        imputation="median",
        min_coverage=0.6,
        pillar_weights=pd.Series({"p": 2.0, "q": 1.0}),
    )
    pd.testing.assert_frame_equal(by_settings.scores, by_keywords.scores)
    assert by_settings.settings == by_keywords.settings
    assert by_settings.scores.loc["X", "n_imputed"] == 1


def test_keywords_override_the_settings_one_by_one(case):
    data, fw = case
    base = IndexSettings(imputation="median", min_coverage=0.6)
    ci = capacity_index(data, fw, base, normalisation="rank")
    assert ci.settings["normalisation"] == "rank"
    assert ci.settings["imputation"] == "median"
    assert ci.settings["min_coverage"] == 0.6
    assert merge_settings(base) == base
    # the combination is validated whichever part came from the settings
    with pytest.raises(MetricInputError, match="zscore"):
        capacity_index(
            data, fw, IndexSettings(aggregation="geometric"), normalisation="zscore"
        )


def test_uncertainty_builds_its_nominal_index_from_the_same_settings(case):
    data, fw = case
    chosen = IndexSettings(imputation="pillar_mean", min_coverage=0.6)
    u = index_uncertainty(data, fw, chosen, n_runs=50, seed=1)
    nominal = capacity_index(data, fw, chosen)
    assert u.attrs["nominal"] == nominal.settings
    assert u["nominal_rank"].equals(nominal.scores.loc[u.index, "rank"])
    same = index_uncertainty(
        data, fw, n_runs=50, seed=1, imputation="pillar_mean", min_coverage=0.6
    )
    pd.testing.assert_frame_equal(u, same)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"normalisation": "softmax"}, r"normalisation 'softmax'.*\['distance_to_ref"),
        ({"aggregation": "harmonic"}, r"aggregation 'harmonic'.*\['arithmetic', 'geo"),
        ({"imputation": "em"}, r"imputation 'em'.*'none', 'pillar_mean', 'median'"),
        ({"min_coverage": 1.5}, r"min_coverage must be a share in \[0, 1\]"),
        ({"normalisation": "zscore", "aggregation": "geometric"}, r"zscore"),
        ({"pillar_weights": [1, 2]}, r"pillar_weights must be a mapping"),
    ],
)
def test_bad_settings_are_named_when_made(kwargs, match):
    with pytest.raises(MetricInputError, match=match):
        IndexSettings(**kwargs)


def test_settings_of_another_type_are_refused(case):
    data, fw = case
    with pytest.raises(MetricInputError, match="settings must be an IndexSettings"):
        capacity_index(data, fw, {"normalisation": "rank"})
