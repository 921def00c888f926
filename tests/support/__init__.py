"""Helpers shared by the test suite (loopback servers, frame comparison)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def assert_frames_identical(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Assert two tidy frames have the same columns, dtypes and values.

    ``pandas.testing.assert_frame_equal`` takes seconds on categorical columns of a
    few hundred thousand rows; this compares categories, codes and the other
    columns' values directly (NaN equal to NaN), which is as strict and fast.
    """
    assert list(left.columns) == list(right.columns)
    assert len(left) == len(right)
    for name in left.columns:
        a, b = left[name], right[name]
        assert a.dtype == b.dtype, (name, a.dtype, b.dtype)
        if isinstance(a.dtype, pd.CategoricalDtype):
            assert list(a.cat.categories) == list(b.cat.categories), name
            assert np.array_equal(a.cat.codes.to_numpy(), b.cat.codes.to_numpy()), name
        else:
            assert a.reset_index(drop=True).equals(b.reset_index(drop=True)), name
    assert left.index.equals(right.index)


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 (16 hex digits) of a frame's columns, dtypes, categories, values."""
    import hashlib

    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    digest.update(repr([str(t) for t in frame.dtypes]).encode())
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            digest.update(repr(list(col.cat.categories)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]
