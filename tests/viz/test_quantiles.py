"""Quantile classes of maps: mapclassify's bounds and classes, bit for bit."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regiongap.viz._quantiles import quantile_classes


def _reference(y: np.ndarray, k: int) -> mapclassify.Quantiles:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mapclassify.Quantiles(y, k=k)


def test_closed_form_quartiles_of_0_to_9():
    out = quantile_classes(np.arange(10.0), k=4)
    # percentiles 25/50/75/100 of 0..9 at positions 2.25, 4.5, 6.75 and 9
    assert out.bins.tolist() == [2.25, 4.5, 6.75, 9.0]
    assert out.yb.tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 3]


def test_a_value_on_a_bound_is_in_the_lower_class():
    out = quantile_classes(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), k=2)
    assert out.bins.tolist() == [3.0, 5.0]
    assert out.yb.tolist() == [0, 0, 0, 1, 1]


def test_ties_collapse_classes_and_warn_as_mapclassify_does():
    y = np.array([1.0] * 8 + [2.0, 3.0])
    with pytest.warns(UserWarning, match="Setting k to 3"):
        out = quantile_classes(y, k=5)
    # the 20th-60th percentiles are all 1; the 80th lies at 7.2 of 0..9: 1.2
    assert out.bins.tolist() == pytest.approx([1.0, 1.2, 3.0])
    assert out.yb.tolist() == [0] * 8 + [2, 2]
    ref = _reference(y, 5)
    assert out.bins.tolist() == ref.bins.tolist()
    assert out.yb.tolist() == ref.yb.tolist()


@pytest.mark.mirror
def test_same_as_mapclassify_on_gdp_per_inhabitant(mirror):
    import regiongap as rg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = rg.panel(["gdp_pps_per_inhabitant"], year=2019, offline=True)
    y = frame["gdp_pps_per_inhabitant"].dropna().to_numpy()
    assert len(y) > 200
    for k in (3, 4, 5, 7, 10):
        out, ref = quantile_classes(y, k), _reference(y, k)
        assert np.array_equal(out.bins, ref.bins), k
        assert np.array_equal(out.yb, ref.yb), k


@settings(max_examples=300, deadline=None)
@given(
    y=arrays(
        np.float64,
        st.integers(1, 80),
        elements=st.one_of(
            st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
            st.sampled_from([0.0, 1.0, 0.1, 1e-300, 30900.0]),
        ),
    ),
    k=st.integers(1, 12),
)
@example(y=np.arange(1000.0), k=3)  # percentiles 100/3, 200/3: float steps
@example(y=np.array([0.1, 0.2, 0.3]), k=7)
def test_same_bounds_and_classes_as_mapclassify(y, k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = quantile_classes(y, k)
    ref = _reference(y, k)
    assert np.array_equal(out.bins, ref.bins)
    assert np.array_equal(out.yb, ref.yb)
