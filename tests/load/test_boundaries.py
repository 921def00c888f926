"""NUTS shapes (regiongap.load.boundaries, .sources.gisco) and the match report."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from regiongap.cache import store as cache
from regiongap.errors import (
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.geo.lists import nuts_codes
from regiongap.load import boundaries
from regiongap.load.boundaries import nuts_regions
from regiongap.sources import gisco

COLUMNS = ["geo", "region_name", "region_name_local", "level", "country",
           "mount_type", "urbn_type", "coast_type", "geometry"]  # fmt: skip


# ------------------------------------------------------------ a loopback GISCO


class _Gisco(BaseHTTPRequestHandler):
    folder: Path
    log: list[str]

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.log.append(self.path)
        prefix = "/distribution/v2/nuts/geojson/"
        name = self.path.removeprefix(prefix)
        path = self.folder / f"{name}.gz"
        if not self.path.startswith(prefix) or not path.is_file():
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"not found")
            return
        body = gzip.decompress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fake_gisco(mirror_path, monkeypatch):
    """Serve the mirror's boundary files at GISCO's paths on 127.0.0.1."""
    handler = type("Handler", (_Gisco,), {"folder": mirror_path / "geo", "log": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/distribution/v2"
    monkeypatch.setenv("REGIONGAP_GISCO_API", base)
    monkeypatch.setenv("REGIONGAP_HTTP_RETRIES", "0")
    try:
        yield handler.log
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------- arguments


def test_url_and_file_name_follow_gisco():
    assert gisco.nuts_url(2, 2021) == (
        "https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/"
        "NUTS_RG_20M_2021_4326_LEVL_2.geojson"
    )
    assert gisco.nuts_file_name(3, 2016, 60, 3035) == "NUTS_RG_60M_2016_3035_LEVL_3"
    assert gisco.nuts_file_name(0, 2024, "1m", 3857) == "NUTS_RG_01M_2024_3857_LEVL_0"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"level": 4}, "level=4 is not a NUTS level; use 0, 1, 2 or 3"),
        ({"level": True}, "level=True is not a NUTS level"),
        (
            {"nuts_year": 2019},
            "nuts_year=2019 is not available from GISCO; use one of [2003",
        ),
        ({"nuts_year": "2021"}, "nuts_year='2021'"),
        (
            {"scale": "25M"},
            "scale='25M' is not available from GISCO; use one of ['01M'",
        ),
        ({"crs": 4258}, "crs=4258 is not available from GISCO; use one of [4326, 3035"),
    ],
)
def test_invalid_arguments_name_the_value_and_the_allowed_ones(kwargs, fragment):
    with pytest.raises(SchemaError) as info:
        nuts_regions(**kwargs)
    assert fragment in str(info.value)


def test_offline_without_cache_or_mirror_is_a_clear_error():
    with pytest.raises(OfflineError, match="REGIONGAP_OFFLINE"):
        nuts_regions(2, offline=True)


# ------------------------------------------------------------------ the mirror


@pytest.mark.mirror
@pytest.mark.parametrize(("level", "eu27"), [(0, 27), (1, 92), (2, 242), (3, 1166)])
def test_eu27_region_counts_from_shapes_and_code_list(mirror, level, eu27):
    regions = nuts_regions(level, 2021)
    assert list(regions.columns) == COLUMNS
    assert regions["geo"].is_unique
    assert (regions["level"] == level).all()
    assert str(regions.crs) == "EPSG:4326"
    in_eu = regions[regions["country"].isin(EU27_COUNTRIES)]
    assert len(in_eu) == eu27
    # the shapes and the official code list name the same EU-27 regions
    listed = nuts_codes(2021, level, countries="EU27")
    assert set(in_eu["geo"]) == set(listed["geo"])
    names = dict(zip(listed["geo"], listed["region_name"], strict=True))
    same = sum(
        names[g] == n for g, n in zip(in_eu["geo"], in_eu["region_name"], strict=True)
    )
    assert same >= eu27 - 2  # a double space in one Greek name
    assert regions.attrs["provenance"]["source"] == "mirror"
    assert (regions["country"] == regions["geo"].str[:2]).all()


@pytest.mark.mirror
def test_second_call_needs_neither_mirror_nor_network(mirror, monkeypatch, data_dir):
    first = nuts_regions(2)
    path = cache.cache_path("gisco", "NUTS_RG_20M_2021_4326_LEVL_2")
    assert path.is_file()
    assert b"geo" in pq.read_schema(path).metadata  # a real GeoParquet file
    assert b"regiongap" in pq.read_metadata(path).metadata  # with provenance
    monkeypatch.delenv("REGIONGAP_MIRROR")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    second = nuts_regions(2)
    pd.testing.assert_frame_equal(
        first.drop(columns="geometry"), second.drop(columns="geometry")
    )
    assert first.geometry.geom_equals_exact(second.geometry, 0).all()
    assert second.crs == first.crs
    prov = second.attrs["provenance"]
    assert prov["source"] == "mirror"
    assert prov["location"].endswith("NUTS_RG_20M_2021_4326_LEVL_2.geojson.gz")
    raw = (mirror / "geo" / "NUTS_RG_20M_2021_4326_LEVL_2.geojson.gz").read_bytes()
    import hashlib

    assert prov["sha256"] == hashlib.sha256(raw).hexdigest()


@pytest.mark.mirror
def test_corrupt_cache_is_never_returned(mirror, data_dir):
    nuts_regions(0)
    path = cache.cache_path("gisco", "NUTS_RG_20M_2021_4326_LEVL_0")
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.warns(RuntimeWarning, match="fetching GISCO boundaries"):
        again = nuts_regions(0)
    assert len(again) == 37


@pytest.mark.mirror
def test_offline_mirror_without_the_file(mirror):
    with pytest.raises(DatasetNotFoundError, match="NUTS_RG_20M_2016_4326_LEVL_2"):
        nuts_regions(2, 2016, offline=True)


# --------------------------------------------------------- the online path


@pytest.mark.mirror
def test_download_from_gisco_then_cache(fake_gisco):
    regions = nuts_regions(1)
    assert fake_gisco == [
        "/distribution/v2/nuts/geojson/NUTS_RG_20M_2021_4326_LEVL_1.geojson"
    ]
    assert regions.attrs["provenance"]["source"] == "api"
    assert regions.attrs["provenance"]["location"].endswith("LEVL_1.geojson")
    assert len(regions) == 125
    again = nuts_regions(1)
    assert len(fake_gisco) == 1  # served from the cache
    assert again.attrs["provenance"]["source"] == "api"
    nuts_regions(1, refresh=True)
    assert len(fake_gisco) == 2


@pytest.mark.mirror
def test_download_of_a_missing_file_is_not_found(fake_gisco):
    with pytest.raises(DatasetNotFoundError):
        nuts_regions(2, 2016)
    assert not cache.cache_path("gisco", "NUTS_RG_20M_2016_4326_LEVL_2").exists()


def test_bad_bytes_are_a_source_error():
    with pytest.raises(SourceError, match="not GeoJSON"):
        boundaries.read_geojson(b"<html>error</html>", name="x")
    with pytest.raises(SourceError, match="corrupt gzip"):
        boundaries.read_geojson(
            gzip.compress(b'{"type": "FeatureCollection"}')[:-8], name="x"
        )


def test_importing_geography_does_not_load_geopandas():
    import subprocess
    import sys

    code = (
        "import sys, regiongap.load.boundaries, regiongap.sources.gisco, "
        "regiongap.geo.levels;"
        "print('geopandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False"


@pytest.mark.mirror
def test_nuts3_shapes_carry_urban_rural_and_coastal_types(mirror):
    regions = nuts_regions(3)
    # all but Jan Mayen and Svalbard, which the workbook does not classify
    assert set(regions.loc[regions["urbn_type"].isna(), "geo"]) <= {"NO0B1", "NO0B2"}
    assert regions["urbn_type"].notna().sum() >= 1510
    assert regions["coast_type"].notna().sum() >= 1510
    assert regions["mount_type"].isna().all()  # not in the 20M file, not invented
    row = regions.set_index("geo").loc["AT130"]  # Wien
    assert row["urbn_type"] == 1
    assert row["coast_type"] == 3


@pytest.mark.mirror
def test_a_file_in_another_crs_is_refused(mirror_path, tmp_path):
    folder = tmp_path / "mirror" / "geo"
    folder.mkdir(parents=True)
    source = mirror_path / "geo" / "NUTS_RG_20M_2021_4326_LEVL_0.geojson.gz"
    (folder / "NUTS_RG_20M_2021_3035_LEVL_0.geojson.gz").write_bytes(
        source.read_bytes()
    )
    with pytest.raises(SourceError, match="EPSG:4326, expected EPSG:3035"):
        nuts_regions(0, crs=3035, mirror=tmp_path / "mirror")


# -------------------------------------------------- NUTS 2024: one file of all levels

ALL_LEVELS_2024 = "NUTS_RG_20M_2024_4326"


@pytest.mark.mirror
@pytest.mark.parametrize(("level", "eu27"), [(0, 27), (1, 92), (2, 244), (3, 1165)])
def test_nuts2024_eu27_counts_from_the_all_levels_file(mirror, level, eu27):
    regions = nuts_regions(level, 2024)
    assert list(regions.columns) == COLUMNS
    assert regions["geo"].is_unique
    assert (regions["level"] == level).all()
    assert str(regions.crs) == "EPSG:4326"
    assert len(regions[regions["country"].isin(EU27_COUNTRIES)]) == eu27
    assert regions.attrs["nuts_year"] == 2024
    prov = regions.attrs["provenance"]
    assert prov["dataset"] == gisco.nuts_file_name(level, 2024)
    assert prov["location"].endswith(f"geo/{ALL_LEVELS_2024}.geojson.gz")


@pytest.mark.mirror
def test_nuts2024_codes_are_the_2024_ones(mirror):
    regions = set(nuts_regions(2, 2024)["geo"])
    assert {"PT19", "PT1A", "PT1B", "PT1C", "PT1D", "HU11", "HU12"} <= regions
    assert not {"PT17", "PT18", "HU10"} & regions  # NUTS 2021 codes, gone in 2024
    assert "DEG0Q" in set(nuts_regions(3, 2024)["geo"])


@pytest.mark.mirror
def test_the_all_levels_file_is_read_once_and_every_level_cached(mirror, monkeypatch):
    import hashlib

    first = nuts_regions(2, 2024)
    raw = (mirror / "geo" / f"{ALL_LEVELS_2024}.geojson.gz").read_bytes()
    for level in (0, 1, 2, 3):
        path = cache.cache_path("gisco", gisco.nuts_file_name(level, 2024))
        assert path.is_file(), level
        _, stored = cache.read_table(path)
        assert stored["sha256"] == hashlib.sha256(raw).hexdigest()
        assert stored["location"].endswith(f"{ALL_LEVELS_2024}.geojson.gz")
    monkeypatch.delenv("REGIONGAP_MIRROR")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    again = nuts_regions(2, 2024)
    pd.testing.assert_frame_equal(
        first.drop(columns="geometry"), again.drop(columns="geometry")
    )
    assert first.geometry.geom_equals_exact(again.geometry, 0).all()
    assert len(nuts_regions(3, 2024)) == 1345  # from the cache, never re-read


@pytest.mark.mirror
def test_typologies_are_filled_only_from_a_table_of_the_same_version(mirror):
    raw = (mirror / "geo" / f"{ALL_LEVELS_2024}.geojson.gz").read_bytes()
    gisco_file = boundaries.read_geojson(raw)
    level3 = gisco_file[gisco_file["LEVL_CODE"] == 3].set_index("NUTS_ID")
    regions = nuts_regions(3, 2024).set_index("geo")
    # exactly GISCO's values: the NUTS 2021 workbook is not used for NUTS 2024
    for ours, theirs in (("urbn_type", "URBN_TYPE"), ("coast_type", "COAST_TYPE")):
        assert regions[ours].notna().sum() == level3[theirs].notna().sum()
        same = regions[ours].astype("Float64") == level3[theirs].reindex(
            regions.index
        ).astype("Float64")
        assert same.fillna(True).all()
    assert regions["coast_type"].notna().sum() < 1510  # the 2021 fill is not made


def test_offline_mirror_with_neither_layout_names_both(tmp_path):
    (tmp_path / "geo").mkdir()
    with pytest.raises(DatasetNotFoundError) as info:
        nuts_regions(2, 2024, mirror=tmp_path, offline=True)
    msg = str(info.value)
    assert "geo/NUTS_RG_20M_2024_4326_LEVL_2.geojson.gz" in msg
    assert "geo/NUTS_RG_20M_2024_4326.geojson.gz" in msg


def _write_all_levels(folder: Path, features: list[dict]) -> None:
    import json

    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},
        "features": features,
    }
    (folder / "geo").mkdir(parents=True)
    (folder / "geo" / f"{ALL_LEVELS_2024}.geojson").write_text(json.dumps(doc))


def _square(properties: dict) -> dict:
    ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_an_all_levels_file_without_level_codes_is_refused(tmp_path):
    # hand-made GeoJSON in GISCO's layout, its LEVL_CODE property missing
    _write_all_levels(tmp_path, [_square({"NUTS_ID": "AT", "CNTR_CODE": "AT"})])
    with pytest.raises(SourceError, match="lacks column 'LEVL_CODE'"):
        nuts_regions(0, 2024, mirror=tmp_path)


def test_an_all_levels_file_without_the_level_is_refused(tmp_path):
    # hand-made GeoJSON in GISCO's layout holding NUTS 0 only
    _write_all_levels(
        tmp_path, [_square({"NUTS_ID": "AT", "CNTR_CODE": "AT", "LEVL_CODE": 0})]
    )
    with pytest.raises(SourceError, match=r"holds NUTS levels \[0\] but no NUTS 3"):
        nuts_regions(3, 2024, mirror=tmp_path)
    assert len(nuts_regions(0, 2024, mirror=tmp_path)) == 1


@pytest.mark.mirror
def test_both_layouts_download_from_gisco(fake_gisco, mirror_path):
    whole = gisco.fetch_raw_shapes(gisco.nuts_file_name(None, 2024))
    assert fake_gisco == [f"/distribution/v2/nuts/geojson/{ALL_LEVELS_2024}.geojson"]
    served = gzip.decompress(
        (mirror_path / "geo" / f"{ALL_LEVELS_2024}.geojson.gz").read_bytes()
    )
    assert whole.source == "api" and whole.content == served
    levels = boundaries.read_geojson(whole.content)["LEVL_CODE"].value_counts()
    assert levels.sort_index().tolist() == [39, 115, 299, 1345]
    one = gisco.fetch_nuts_shapes(1, 2021)  # the level's own file, online
    assert one.name == "NUTS_RG_20M_2021_4326_LEVL_1" and one.source == "api"
