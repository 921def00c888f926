"""GeoDataFrames in the cache: as Arrow tables carrying GeoParquet's metadata.

Shared by the loaders of shapes (:mod:`regiongap.load.boundaries`) and points
(:mod:`regiongap.load.services`); geopandas is imported inside the functions.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from regiongap.errors import CacheError

if TYPE_CHECKING:
    import geopandas as gpd
    import pyarrow as pa

__all__ = ["from_geoparquet_table", "to_geoparquet_table"]


def to_geoparquet_table(frame: gpd.GeoDataFrame) -> pa.Table:
    """Return *frame* as an Arrow table carrying GeoParquet's ``b"geo"`` metadata.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The frame to cache (its index is not kept).

    Returns
    -------
    pyarrow.Table
        The table :func:`regiongap.cache.store.write_table` writes.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> frame = gpd.GeoDataFrame({"geo": ["AT"]}, geometry=[Point(16, 48)], crs=4326)
    >>> b"geo" in to_geoparquet_table(frame).schema.metadata
    True
    """
    import pyarrow.parquet as pq

    # GeoDataFrame.to_arrow() gives geoarrow field metadata but no b"geo" schema
    # metadata; writing GeoParquet through geopandas' public writer does.
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    buffer.seek(0)
    return pq.read_table(buffer)


def from_geoparquet_table(table: pa.Table, _: object = None) -> gpd.GeoDataFrame:
    """Return the GeoDataFrame a table of :func:`to_geoparquet_table` holds.

    Parameters
    ----------
    table : pyarrow.Table
        The table read from the cache.
    _ : object, optional
        The provenance (unused; the signature :func:`read_or_warn` calls).

    Returns
    -------
    geopandas.GeoDataFrame
        The frame, with its CRS.

    Raises
    ------
    CacheError
        If the table has no GeoParquet metadata.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> frame = gpd.GeoDataFrame({"geo": ["AT"]}, geometry=[Point(16, 48)], crs=4326)
    >>> from_geoparquet_table(to_geoparquet_table(frame)).crs.to_epsg()
    4326
    """
    import geopandas as gpd
    import pyarrow.parquet as pq

    if b"geo" not in (table.schema.metadata or {}):
        msg = "cached table has no GeoParquet metadata (b'geo')"
        raise CacheError(msg)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    buffer.seek(0)
    return gpd.read_parquet(buffer)
