"""Any Eurostat dataset as the tidy long frame, through the Parquet cache.

:func:`fetch_dataset` is the one entry point. It ties single-purpose modules
together: :mod:`regiongap.sources.eurostat` gets the raw bytes (mirror or API),
:mod:`regiongap.sdmx` parses them, :mod:`regiongap.cache.codec` turns the frame into
an Arrow table (and back, exactly), :mod:`regiongap.cache.store` keeps it, and
:mod:`regiongap.load.filters` selects the rows asked for.

The cache holds the *whole* parsed dataset; ``filters`` are applied after reading,
so one download serves every later selection.

Warnings
--------
* A damaged cache file is never returned: it is reported with a
  :class:`RuntimeWarning` (something went wrong with a file, not with the data)
  and the dataset is fetched again.
* A folder where the cache file belongs is reported (never deleted), and when the
  fresh data cannot be written to the cache (that folder, a full disk, no
  permission) it is returned all the same, with a :class:`RuntimeWarning`.
* ``allow_stale=True`` returns the cached copy when a refresh fails, with a
  :class:`~regiongap.errors.DataQualityWarning` giving its retrieval date (the data
  may be out of date: that is about the data).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from functools import partial
from typing import Any

import pandas as pd

from regiongap import sdmx
from regiongap.cache import codec
from regiongap.cache import store as cache
from regiongap.errors import DataQualityWarning, ParseError, SourceError
from regiongap.load._cached import read_or_warn, write_or_warn
from regiongap.load.filters import apply_filters
from regiongap.sources.eurostat import RawDataset, describe, fetch_raw, validate_code

__all__ = ["fetch_dataset"]

_PUBLIC_PROVENANCE = (
    "dataset",
    "source",
    "location",
    "retrieved_at",
    "sha256",
    "last_update",
)


def _finish(
    frame: pd.DataFrame,
    prov: Mapping[str, Any],
    filters: Mapping[str, object] | None,
    code: str,
) -> pd.DataFrame:
    result = apply_filters(frame, filters, code=code)
    result.attrs = dict(frame.attrs)
    result.attrs["provenance"] = {k: prov.get(k) for k in _PUBLIC_PROVENANCE}
    return result


def _parse(raw: RawDataset) -> pd.DataFrame:
    try:
        return sdmx.parse(raw.content, name=raw.location)
    except ParseError as exc:
        msg = (
            f"{describe(raw.code)} from {raw.location} is not a usable Eurostat "
            f"SDMX file: {exc}"
        )
        err = SourceError(msg)
        err.url = raw.location
        raise err from exc


def fetch_dataset(
    code: str,
    filters: Mapping[str, object] | None = None,
    refresh: bool = False,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    allow_stale: bool = False,
    progress: bool = False,
) -> pd.DataFrame:
    """Return a Eurostat dataset as the tidy long frame.

    The first call gets the raw bytes (mirror folder if configured, else the
    Eurostat API), parses them and stores the whole dataset in the Parquet cache;
    later calls read the cache (verified) without touching the network.

    Parameters
    ----------
    code : str
        Dataset code, e.g. ``"nama_10r_3gdp"`` (any case).
    filters : mapping, optional
        Dimension → value or list of values, applied after reading, e.g.
        ``{"unit": "EUR_HAB", "time": [2019, 2020]}`` (see
        :func:`~regiongap.load.filters.apply_filters`).
    refresh : bool, default False
        Fetch again even when cached.
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    cache_dir : path-like, optional
        Cache folder (default ``<REGIONGAP_DATA_DIR>/raw``).
    allow_stale : bool, default False
        When a refresh fails and a valid cached copy exists, return that copy
        with a :class:`~regiongap.errors.DataQualityWarning` instead of raising.
    progress : bool, default False
        Show a progress bar while downloading.

    Returns
    -------
    pandas.DataFrame
        One categorical column per dimension (lower-case; ``geo`` among them),
        ``time`` (int64 years, or periods), ``value`` (float64, NaN for ``:``),
        ``flag`` (string, ``<NA>`` when none). ``frame.attrs`` holds the parser's
        ``format``, ``last_update`` and ``dataflow``, and ``provenance``:
        ``dataset, source`` (``"mirror"`` | ``"api"``), ``location`` (file or URL),
        ``retrieved_at``, ``sha256`` (of the raw bytes), ``last_update``.

    Raises
    ------
    SchemaError
        For an implausible code, or filters naming an unknown dimension or value.
    DatasetNotFoundError
        If Eurostat (or, offline, the mirror) does not have the dataset.
    OfflineError
        Offline with nothing cached and no mirror.
    SourceError
        If the download fails or the bytes are not a Eurostat file (the message
        names the dataset and the URL or file). Nothing is cached then, and a
        previous cache file is left as it was.

    Warns
    -----
    RuntimeWarning
        When the cache file is damaged (or is not a file) and the dataset is
        fetched again, or when the fresh data cannot be written to the cache (it
        is returned all the same).
    DataQualityWarning
        When a stale cached copy is returned (``allow_stale=True``).

    Examples
    --------
    GDP per inhabitant of Berlin and Navarra in 2021, read from the mirror folder
    (``REGIONGAP_MIRROR``) the first time, from the cache afterwards:

    >>> import regiongap as rg
    >>> gdp = rg.fetch_dataset(
    ...     "nama_10r_3gdp", {"unit": "EUR_HAB", "geo": ["DE3", "ES22"], "time": 2021}
    ... )
    >>> gdp
          unit   geo  time    value flag
    0  EUR_HAB   DE3  2021  44600.0    e
    1  EUR_HAB  ES22  2021  31000.0    p
    >>> gdp.attrs["provenance"]["source"]
    'mirror'
    """
    code = validate_code(code)
    path = cache.cache_path("eurostat", code, cache_dir)
    cached = read_or_warn(
        path,
        partial(codec.to_frame, path=path),
        again=f"fetching {describe(code)} again",
    )
    if cached is not None and not refresh:
        return _finish(*cached, filters, code)
    try:
        raw = fetch_raw(code, mirror=mirror, offline=offline, progress=progress)
        frame = _parse(raw)
    except SourceError as exc:
        if cached is None or not allow_stale:
            raise
        when = cached[1].get("retrieved_at")
        warnings.warn(
            f"could not refresh {describe(code)} ({exc}); returning the cached copy "
            f"retrieved {when} from {cached[1].get('location')}",
            DataQualityWarning,
            stacklevel=2,
        )
        return _finish(*cached, filters, code)
    table, extra = codec.to_table(frame)
    provenance = {
        **raw.provenance(code),
        "last_update": frame.attrs.get("last_update"),
        **extra,
    }
    # the fresh data is sound even when keeping a copy fails: returned all the same
    write_or_warn(
        path,
        table,
        provenance,
        instead=f"returning {describe(code)} without caching it",
        keep=frame,
    )
    return _finish(frame, provenance, filters, code)
