"""GISCO's basic-services points (hospitals) as a GeoDataFrame, through the cache.

:func:`basic_services` follows the flow of the boundaries: the raw CSV comes from
:mod:`regiongap.sources.gisco_services` (mirror folder or GISCO's files),
:func:`read_services` checks its columns and turns it into points, and the result is
kept in the cache as a GeoParquet file (``<cache dir>/gisco/<name>.parquet``,
provenance included), so later calls need neither the mirror nor the network.

Nothing is dropped: a site whose coordinates are missing, unreadable or out of range
keeps its row, with no geometry, and is counted in ``attrs`` and reported with a
:class:`~regiongap.errors.DataQualityWarning`. GISCO states that what each national
register counts as a hospital differs: counts compare within a country, and only
with care across countries.

geopandas is imported inside the functions: ``import regiongap`` stays light.
"""

from __future__ import annotations

import csv
import gzip
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from regiongap.cache import store as cache
from regiongap.errors import DataQualityWarning, SchemaError, SourceError
from regiongap.load._cached import read_or_warn, write_or_warn
from regiongap.load._geoparquet import from_geoparquet_table, to_geoparquet_table
from regiongap.sources.gisco_services import (
    Service,
    fetch_raw_services,
    services_file_name,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["basic_services", "read_services"]

#: The columns of GISCO's healthcare layer (2020 release), in its order.
HEALTHCARE_COLUMNS = (
    "id", "hospital_name", "site_name", "lat", "lon", "geo_qual", "street",
    "house_number", "postcode", "city", "cc", "country", "cap_beds", "cap_prac",
    "cap_rooms", "emergency", "facility_type", "public_private", "list_specs", "tel",
    "email", "url", "ref_date", "pub_date", "comments",
)  # fmt: skip
#: Columns a healthcare layer must have (its country as ``cc`` or ``cntr_id``).
_REQUIRED = ("id", "hospital_name", "lat", "lon")
_COUNTRY = ("cc", "cntr_id")
_COUNTS = ("cap_beds", "cap_prac", "cap_rooms")
_FIRST = ("id", "hospital_name", "site_name", "country", "cc", "lat", "lon", *_COUNTS)
#: GISCO's codes for places that are part of a EU country: → Eurostat's code.
_EUROSTAT_COUNTRY = {
    "GR": "EL", "GB": "UK", "MQ": "FR", "RE": "FR", "GP": "FR", "GF": "FR",
    "YT": "FR", "PM": "FR", "BL": "FR", "MF": "FR",
}  # fmt: skip
_PROVENANCE = ("dataset", "source", "location", "retrieved_at", "sha256")


def _header(data: bytes, name: str) -> list[str]:
    """Return the column names of the CSV's first line (an HTML page: SourceError)."""
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    text = first.decode("utf-8", "replace").strip()
    if not text or text[:1] in ("<", "{"):
        msg = f"{name}: not CSV (starts with {data[:40]!r})"
        raise SourceError(msg)
    return next(csv.reader([text]))


def _table(raw: bytes, name: str) -> pd.DataFrame:
    """Return the CSV as text columns, names lower-cased (a bad file: SourceError).

    pyarrow's reader is strict where pandas' is lenient: a row with fewer cells
    than the header (a file cut short) or an unclosed quote is an error, not a
    row padded with empty cells.
    """
    import pyarrow as pa
    import pyarrow.csv as pv

    data = raw
    try:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        data = data.removeprefix(b"\xef\xbb\xbf")  # the BOM of GISCO's 2023 files
        header = _header(data, name)
        table = pv.read_csv(
            pa.py_buffer(data),
            parse_options=pv.ParseOptions(newlines_in_values=True),
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
            ),
        )
    except (OSError, EOFError, pa.ArrowException) as exc:
        msg = (
            f"{name}: not a readable GISCO services CSV, truncated or malformed "
            f"({type(exc).__name__}: {exc})"
        )
        raise SourceError(msg) from exc
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _check_columns(frame: pd.DataFrame, name: str) -> None:
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if not any(c in frame.columns for c in _COUNTRY):
        missing.append(" or ".join(_COUNTRY))
    if missing:
        msg = (
            f"{name}: not GISCO's healthcare layer: it lacks {missing}; it has "
            f"columns {list(frame.columns)}, expected {list(HEALTHCARE_COLUMNS)} "
            f"(the country as {' or '.join(_COUNTRY)})"
        )
        raise SchemaError(msg)


def _numbers(text: pd.Series) -> tuple[pd.Series, int]:
    """Return *text* as numbers (Int64 if whole) and how many cells are not numbers."""
    stripped = text.str.strip()
    values = pd.to_numeric(stripped.where(stripped != ""), errors="coerce")
    unreadable = int((values.isna() & (stripped != "")).sum())
    numbers = values.astype("Float64")
    whole = numbers.dropna()
    if bool((whole == whole.round()).all()):
        return numbers.astype("Int64"), unreadable
    return numbers, unreadable


def _coordinates(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Return lat, lon (float64, NaN when unreadable) and where both are usable."""
    lat = pd.to_numeric(frame["lat"].str.strip(), errors="coerce").astype("float64")
    lon = pd.to_numeric(frame["lon"].str.strip(), errors="coerce").astype("float64")
    a, b = lat.to_numpy(), lon.to_numpy()
    with np.errstate(invalid="ignore"):
        usable = (np.abs(a) <= 90) & (np.abs(b) <= 180) & ~((a == 0) & (b == 0))
    return lat, lon, usable


def read_services(raw: bytes, *, name: str = "<bytes>") -> gpd.GeoDataFrame:
    r"""Read GISCO's healthcare CSV (gzip or plain) into a GeoDataFrame of points.

    Parameters
    ----------
    raw : bytes
        The file's bytes, e.g. :attr:`~regiongap.sources.gisco_services.RawFile
        .content`.
    name : str, optional
        Where the bytes come from, for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per row of the file (nothing dropped), EPSG:4326, with the columns
        described in :func:`basic_services`; ``attrs`` holds ``bad_coordinates``,
        ``bad_coordinate_ids``, ``unreadable`` (per count column, cells that are not
        numbers) and ``duplicate_rows``.

    Raises
    ------
    SchemaError
        If a required column is missing (the message lists the columns the file
        has and the ones expected).
    SourceError
        If the bytes are not a readable CSV.

    Examples
    --------
    A hand-made file in GISCO's layout, one site without coordinates:

    >>> raw = (b"id,hospital_name,lat,lon,cc,cap_beds\n"
    ...        b"AT_1,Klinik A,47.07,15.44,AT,120\n"
    ...        b"EL_2,Nosokomeio B,,,GR,\n")
    >>> points = read_services(raw, name="example.csv")
    >>> points[["id", "country", "cap_beds"]]
         id country  cap_beds
    0  AT_1      AT       120
    1  EL_2      EL      <NA>
    >>> points.geometry.isna().tolist(), points.attrs["bad_coordinate_ids"]
    ([False, True], ['EL_2'])
    >>> read_services(b"code,x,y\nA,1,2\n", name="other.csv")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: other.csv: not GISCO's healthcare layer: it lacks ['id', 'hospital_name', 'lat', 'lon', 'cc or cntr_id']; it has columns ['code', 'x', 'y'], expected ['id', ..., 'comments'] (the country as cc or cntr_id)
    """  # noqa: E501  (a doctest's expected output is one line)
    import geopandas as gpd
    import shapely

    table = _table(raw, name)
    _check_columns(table, name)
    frame, unreadable = _tidy(table)
    lat, lon, usable = _coordinates(table)
    frame["lat"], frame["lon"] = lat, lon
    points = shapely.points(np.column_stack([lon.to_numpy(), lat.to_numpy()]))
    points[~usable] = None
    result = gpd.GeoDataFrame(frame, geometry=points, crs=4326)
    result.attrs = _quality(result, unreadable)
    return result


def _tidy(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Name and type GISCO's columns; return the frame and the unreadable counts."""
    frame = table.rename(columns={"country": "country_name"})
    if "cc" not in frame.columns:
        frame["cc"] = frame["cntr_id"]
    code = frame["cc"].str.strip().str.upper()
    frame["country"] = code.replace(_EUROSTAT_COUNTRY)
    unreadable: dict[str, int] = {}
    for column in _COUNTS:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
            continue
        frame[column], bad = _numbers(frame[column])
        if bad:
            unreadable[column] = bad
    if "site_name" not in frame.columns:
        frame["site_name"] = ""
    rest = [c for c in frame.columns if c not in _FIRST]
    frame = frame[[*_FIRST, *rest]]
    for column in ("id", "hospital_name", "site_name", "country", "cc", *rest):
        frame[column] = frame[column].astype("string")
    return frame, unreadable


def _quality(points: gpd.GeoDataFrame, unreadable: dict[str, int]) -> dict[str, Any]:
    missing = points.geometry.isna().to_numpy()
    return {
        "bad_coordinates": int(missing.sum()),
        "bad_coordinate_ids": [str(i) for i in points.loc[missing, "id"]],
        "unreadable": dict(unreadable),
        "duplicate_rows": int(points.drop(columns="geometry").duplicated().sum()),
    }


def _warn(points: gpd.GeoDataFrame, what: str) -> None:
    """Report points without a usable location and unreadable counts."""
    bad = points.attrs["bad_coordinates"]
    if bad:
        ids = points.attrs["bad_coordinate_ids"]
        shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if bad > 10 else "")
        warnings.warn(
            f"{bad} of {len(points)} {what} have missing or out-of-range coordinates "
            f"(ids {shown}): they are kept, with no geometry, so no spatial join "
            "places them in a region",
            DataQualityWarning,
            stacklevel=3,
        )
    for column, count in points.attrs["unreadable"].items():
        warnings.warn(
            f"{count} of {len(points)} {what} have a {column} that is not a number; "
            "it is <NA> there",
            DataQualityWarning,
            stacklevel=3,
        )


def basic_services(
    service: Service = "healthcare",
    release: int = 2020,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    refresh: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Return GISCO's basic-services points (healthcare: hospitals) of all countries.

    Cache first (unless *refresh*), then the mirror, then GISCO's files. The points
    come as national registers report them: what counts as a hospital differs
    between countries, so counts compare within a country, and only with care
    across countries; beds are reported for about half of the countries.

    Parameters
    ----------
    service : {"healthcare"}
        The basic-services layer.
    release : {2020, 2023}
        GISCO's release (the mirror holds 2020; 2023 needs the network once).
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``); its
        ``services/gisco_{service}_services_{release}_all.csv.gz`` is read.
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    refresh : bool, default False
        Read the mirror / download again instead of using the cache.
    cache_dir : path-like, optional
        Cache folder (default ``<REGIONGAP_DATA_DIR>/raw``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per row of GISCO's file, in its order, EPSG:4326: ``id`` (GISCO's
        id; not unique, some registers give several sites one id),
        ``hospital_name``, ``site_name``, ``country`` (Eurostat's code: ``EL``;
        the French outermost territories GISCO codes ``MQ``, ``RE``… are ``FR``),
        ``cc`` (GISCO's code), ``lat``, ``lon`` (float64, NaN when unreadable),
        ``cap_beds``, ``cap_prac``, ``cap_rooms`` (nullable integers, ``<NA>``
        when not reported), GISCO's other columns as text (its ``country``, the
        English name, as ``country_name``) and ``geometry`` (a point; missing
        where the coordinates are missing, unreadable, out of range or 0, 0).
        ``attrs``: ``provenance`` (``dataset``, ``source``, ``location``,
        ``retrieved_at``, ``sha256`` of the raw bytes), ``service``, ``release``,
        ``bad_coordinates`` (rows without a point) and ``bad_coordinate_ids``,
        ``unreadable`` (per count column, cells that are not numbers),
        ``duplicate_rows`` (rows identical in every column to an earlier row).

    Raises
    ------
    SchemaError
        For an unknown layer or release, or a file without the layer's columns
        (naming the columns it has and the ones expected).
    OfflineError, DatasetNotFoundError, SourceError
        When the file is neither cached, in the mirror, nor downloadable, or is
        not a readable CSV.

    Warns
    -----
    DataQualityWarning
        When points have no usable coordinates, or counts are unreadable (the
        rows are kept).
    RuntimeWarning
        When the cache file is damaged and the points are read again, or when
        they cannot be written to the cache (they are returned all the same).

    Examples
    --------
    >>> import regiongap as rg
    >>> hospitals = rg.basic_services("healthcare", 2020)  # the mirror, then the cache
    >>> len(hospitals), hospitals.attrs["bad_coordinates"]
    (15181, 0)
    >>> hospitals["country"].value_counts().head(3).to_dict()
    {'FR': 5368, 'DE': 2809, 'IT': 1283}
    >>> int(hospitals["cap_beds"].notna().sum())
    3763
    """
    name = services_file_name(service, release)
    what = f"GISCO {service} points"
    path = cache.cache_path("gisco", name, cache_dir)
    cached = None if refresh else _from_cache(path, name)
    if cached is not None:
        points = cached
    else:
        raw = fetch_raw_services(service, release, mirror=mirror, offline=offline)
        points = read_services(raw.content, name=raw.location)
        provenance = raw.provenance(name)
        # the points are sound even when keeping a copy fails: returned all the same
        write_or_warn(
            path,
            to_geoparquet_table(points),
            {**provenance, "unreadable": points.attrs["unreadable"]},
            instead=f"returning {what} without caching them",
            keep=points,
        )
        points.attrs["provenance"] = provenance
    points.attrs.update(service=service, release=release)
    _warn(points, what)
    return points


def _from_cache(path: Path, name: str) -> gpd.GeoDataFrame | None:
    """Return the cached points with their attributes, or ``None``."""
    cached = read_or_warn(
        path,
        from_geoparquet_table,
        again=f"reading {name!r} again",
        stacklevel=4,  # the caller of basic_services
    )
    if cached is None:
        return None
    points, stored = cached
    unreadable = stored.get("unreadable") or {}
    points.attrs = _quality(points, unreadable)
    points.attrs["provenance"] = {k: stored.get(k) for k in _PROVENANCE}
    return points
