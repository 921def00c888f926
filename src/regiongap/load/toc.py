"""Search Eurostat's table of contents (toc) and read code labels, through the cache.

:func:`search_datasets` and :func:`dataset_labels` get their answers from
:mod:`regiongap.sources.eurostat_toc` (the ``eurostat`` package) and keep them in
the cache (kind ``"toc"``) as Parquet: the table of contents is reused for a day,
code lists until refreshed. Offline, or when Eurostat cannot be reached, the cached
copy is used (with a warning when it is a fallback); with no cached copy the error
says so.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa

from regiongap import config
from regiongap.cache import store as cache
from regiongap.errors import OfflineError, SchemaError, SourceError
from regiongap.load._cached import read_or_warn, write_or_warn
from regiongap.sources.eurostat import validate_code
from regiongap.sources.eurostat_toc import (
    TOC_COLUMNS,
    fetch_labels,
    fetch_toc,
    validate_dimension,
)

__all__ = ["dataset_labels", "search_datasets"]

#: How long a cached table of contents is used before it is downloaded again.
TOC_MAX_AGE = dt.timedelta(days=1)
#: The columns of :func:`search_datasets`, in order.
_FOUND = ["code", *(c for c in TOC_COLUMNS if c != "code")]


def _read(name: str) -> tuple[pd.DataFrame | None, dict[str, Any] | None]:
    cached = read_or_warn(
        cache.cache_path("toc", name),
        lambda table, _: table.to_pandas(),
        again="looking it up again",
        stacklevel=5,  # the caller of search_datasets / dataset_labels
    )
    return (None, None) if cached is None else cached


def _write(name: str, frame: pd.DataFrame, location: str) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    provenance = {
        "dataset": name,
        "source": "api",
        "location": location,
        "retrieved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sha256": None,
        "last_update": None,
    }
    write_or_warn(
        cache.cache_path("toc", name),
        table,
        provenance,
        instead=f"returning the {name} look-up without caching it",
        stacklevel=5,
    )


def _age(prov: dict[str, Any] | None) -> dt.timedelta | None:
    if not prov or not prov.get("retrieved_at"):
        return None
    try:
        when = dt.datetime.fromisoformat(prov["retrieved_at"])
    except ValueError:
        return None
    return dt.datetime.now(dt.UTC) - when


def _is_fresh(prov: dict[str, Any] | None, max_age: dt.timedelta | None) -> bool:
    if max_age is None:
        return True
    age = _age(prov)
    return age is not None and age <= max_age


def _cached_or_fetch(
    name: str,
    what: str,
    fetch: Callable[[str], pd.DataFrame],
    *,
    refresh: bool,
    offline: bool | None,
    max_age: dt.timedelta | None,
    api: str | None,
) -> pd.DataFrame:
    cached, prov = _read(name)
    if cached is not None and _is_fresh(prov, max_age) and not refresh:
        return cached
    if config.is_offline(offline):
        if cached is not None:
            return cached
        msg = (
            f"cannot look up {what}: the network is off (REGIONGAP_OFFLINE=1 or "
            "offline=True) and there is no cached copy; go online once (unset "
            "REGIONGAP_OFFLINE) to fetch it"
        )
        raise OfflineError(msg)
    base = config.eurostat_api(api)
    try:
        frame = fetch(base)
    except SourceError as exc:
        if cached is not None:
            when = (prov or {}).get("retrieved_at")
            warnings.warn(
                f"could not refresh {what} from {base} ({exc}); using the copy "
                f"retrieved {when}",
                RuntimeWarning,
                stacklevel=3,
            )
            return cached
        msg = f"cannot look up {what} at {base}: {exc}"
        raise type(exc)(msg) from exc
    _write(name, frame, base)
    return frame


def search_datasets(
    word: str,
    *,
    refresh: bool = False,
    offline: bool | None = None,
    api: str | None = None,
) -> pd.DataFrame:
    """Find Eurostat datasets whose title or code contains *word*.

    The table of contents comes from Eurostat through the ``eurostat`` package
    (``get_toc_df``) and is cached for a day (``toc/toc.parquet`` in the cache).
    Matching is case-insensitive and literal (the package's ``subset_toc_df``
    treats the word as a regular expression, so ``"R&D (GERD)"`` would fail).

    Parameters
    ----------
    word : str
        Text to look for, e.g. ``"broadband"``.
    refresh : bool, default False
        Download the table of contents even if a fresh copy is cached.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``): the cached copy is
        used, whatever its age.
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).

    Returns
    -------
    pandas.DataFrame
        ``code, title, type, last_update, last_structure_change, data_start,
        data_end`` (strings), sorted by code. Online, ``"broadband"`` finds
        ``isoc_r_broad_h`` (households with broadband access) among others.

    Raises
    ------
    SchemaError
        If *word* is empty or not a string.
    OfflineError
        Offline with no cached table of contents.
    SourceError
        If Eurostat cannot be reached and nothing is cached.

    Warns
    -----
    RuntimeWarning
        When Eurostat cannot be reached and the cached copy is used, or when the
        cache file is damaged or cannot be written.

    Examples
    --------
    The first search needs the network once; offline, a cached table of contents
    is searched, and without one the error says what to do:

    >>> import regiongap as rg
    >>> rg.search_datasets("broadband", offline=True)
    Traceback (most recent call last):
    regiongap.errors.OfflineError: cannot look up Eurostat's table of contents: the network is off ...
    """  # noqa: E501  (a doctest's expected output is one line)
    if not isinstance(word, str) or not word.strip():
        msg = f"search_datasets needs a non-empty word, not {word!r}"
        raise SchemaError(msg)
    toc = _cached_or_fetch(
        "toc",
        "Eurostat's table of contents",
        lambda base: fetch_toc(base, offline=offline),
        refresh=refresh,
        offline=offline,
        max_age=TOC_MAX_AGE,
        api=api,
    )
    needle = word.strip()
    hit = toc["title"].str.contains(needle, case=False, regex=False, na=False) | toc[
        "code"
    ].str.contains(needle, case=False, regex=False, na=False)
    return toc.loc[hit, _FOUND].sort_values("code").reset_index(drop=True)


def dataset_labels(
    code: str,
    dimension: str,
    *,
    refresh: bool = False,
    offline: bool | None = None,
    api: str | None = None,
) -> dict[str, str]:
    """Return the labels of a dimension's codes, e.g. ``{"DE11": "Stuttgart", …}``.

    Fetched with ``eurostat.get_dic(code, dimension, frmt="dict")`` (the whole code
    list of the dimension, in English) and cached
    (``toc/labels.{code}.{dimension}.parquet`` in the cache) until
    ``refresh=True``.

    Parameters
    ----------
    code : str
        The dataset code.
    dimension : str
        The dimension, e.g. ``"geo"``, ``"unit"`` (case-insensitive).
    refresh : bool, default False
        Download again even if cached.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).

    Returns
    -------
    dict of str to str
        Code → label; online, ``dataset_labels("nama_10r_3gdp", "geo")["DE3"]``
        is ``"Berlin"``.

    Raises
    ------
    SchemaError
        If *code* or *dimension* is malformed.
    OfflineError
        Offline with nothing cached.
    SourceError
        If Eurostat cannot be reached (or does not know the dataset or the
        dimension) and nothing is cached.

    Warns
    -----
    RuntimeWarning
        When Eurostat cannot be reached and the cached copy is used, or when the
        cache file is damaged or cannot be written.

    Examples
    --------
    Labels need the network once; offline and not cached, the error says so:

    >>> import regiongap as rg
    >>> rg.dataset_labels("nama_10r_3gdp", "geo", offline=True)
    Traceback (most recent call last):
    regiongap.errors.OfflineError: cannot look up the labels of 'geo' in Eurostat dataset 'nama_10r_3gdp': ...
    """  # noqa: E501  (a doctest's expected output is one line)
    code = validate_code(code)
    dim = validate_dimension(dimension)
    frame = _cached_or_fetch(
        f"labels.{code}.{dim}",
        f"the labels of {dim!r} in Eurostat dataset {code!r}",
        lambda base: fetch_labels(code, dim, base, offline=offline),
        refresh=refresh,
        offline=offline,
        max_age=None,
        api=api,
    )
    return dict(zip(frame["code"].astype(str), frame["label"].astype(str), strict=True))
