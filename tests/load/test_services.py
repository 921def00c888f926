"""GISCO basic-services points (regiongap.load.services, .sources.gisco_services).

The real healthcare file of the mirror, read from the mirror and from a loopback
server that answers at GISCO's paths (``/pub/healthcare/2020/csv/EU.csv``, plain CSV
as GISCO serves it); hand-made files in GISCO's layout for bad coordinates and
unexpected columns.
"""

from __future__ import annotations

import gzip
import hashlib
import warnings

import pandas as pd
import pytest

from regiongap.cache import store as cache
from regiongap.errors import (
    DataQualityWarning,
    DatasetNotFoundError,
    OfflineError,
    SchemaError,
    SourceError,
)
from regiongap.load.services import HEALTHCARE_COLUMNS, basic_services, read_services
from regiongap.sources import gisco_services
from tests.support.fake_eurostat import FakeEurostat, faults
from tests.support.loopback import serving

NAME = "gisco_healthcare_services_2020_all"
FILE = f"services/{NAME}.csv.gz"
FIRST = ["id", "hospital_name", "site_name", "country", "cc", "lat", "lon",
         "cap_beds", "cap_prac", "cap_rooms"]  # fmt: skip


class FakeGiscoServices(FakeEurostat):
    """GISCO's basic-services files on the Eurostat fake: the mirror's real file."""

    def __init__(self, mirror):
        super().__init__(prefix="/pub")
        self.file = mirror / FILE

    def _route(self, path, query):
        if path != f"{self.prefix}/healthcare/2020/csv/EU.csv":
            return self._not_found(f"No such file: {path}")
        body = gzip.decompress(self.file.read_bytes())
        return 200, body, {"Content-Type": "text/csv"}


@pytest.fixture(scope="module")
def services_server(mirror_path):
    with FakeGiscoServices(mirror_path) as srv:
        yield srv


@pytest.fixture
def service(services_server, monkeypatch):
    env = {
        "REGIONGAP_GISCO_SERVICES_API": services_server.base_url,
        "REGIONGAP_HTTP_RETRIES": 1,
        "REGIONGAP_HTTP_BACKOFF": 0.01,
        # generous: no test here is about timeouts, and on a busy machine a short
        # one turns a queued fault into a timeout whose retry gets the real file
        "REGIONGAP_HTTP_TIMEOUT": 10,
    }
    with serving(services_server, env, monkeypatch) as srv:
        yield srv


def _frame_bytes(frame) -> bytes:
    """Attributes as CSV and every geometry as WKB: equal bytes, equal frames."""
    text = frame.drop(columns="geometry").to_csv().encode()
    return text + b"".join(g or b"-" for g in frame.geometry.to_wkb())


# ------------------------------------------------------------------ arguments


def test_urls_and_names_follow_gisco(monkeypatch):
    assert gisco_services.services_url("healthcare", 2023) == (
        "https://gisco-services.ec.europa.eu/pub/healthcare/2023/csv/EU.csv"
    )
    assert gisco_services.services_file_name("healthcare", 2020) == NAME
    monkeypatch.setenv("REGIONGAP_GISCO_SERVICES_API", "http://127.0.0.1:9/pub/")
    assert gisco_services.services_url("healthcare", 2020) == (
        "http://127.0.0.1:9/pub/healthcare/2020/csv/EU.csv"
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"service": "education"}, "service='education' is not a GISCO basic-services"),
        ({"release": 2021}, "release=2021 is not a release"),
        ({"release": True}, "release=True is not a release"),
    ],
)
def test_unknown_layer_or_release_names_the_allowed_ones(kwargs, fragment):
    with pytest.raises(SchemaError) as info:
        basic_services(**kwargs)
    assert fragment in str(info.value)
    assert "use one of" in str(info.value)


def test_offline_without_cache_or_mirror_is_a_clear_error():
    with pytest.raises(OfflineError, match="REGIONGAP_OFFLINE"):
        basic_services(offline=True)


# ------------------------------------------------------------------ the mirror


@pytest.mark.mirror
def test_the_real_healthcare_file(mirror):
    points = basic_services()
    assert len(points) == 15181  # every row of GISCO's file (MANIFEST.csv)
    assert list(points.columns[: len(FIRST)]) == FIRST
    assert points.columns[-1] == "geometry"
    assert str(points.crs) == "EPSG:4326"
    assert points.geometry.notna().all()
    assert points.attrs["bad_coordinates"] == 0
    assert points.attrs["duplicate_rows"] == 31
    assert points["cap_beds"].notna().sum() == 3763
    assert str(points["cap_beds"].dtype) == "Int64"
    # Eurostat's codes: EL for Greece, FR for the outermost territories
    assert points["country"].nunique() == 28
    assert "EL" in set(points["country"]) and "GR" not in set(points["country"])
    martinique = points[points["cc"] == "MQ"]
    assert len(martinique) == 65 and (martinique["country"] == "FR").all()
    assert (points.geometry.x.to_numpy() == points["lon"].to_numpy()).all()
    assert (points.geometry.y.to_numpy() == points["lat"].to_numpy()).all()
    first = points.iloc[0]
    assert first["id"] == "AT_K101"
    assert first.geometry.x == pytest.approx(16.22262893566035)
    assert first.geometry.y == pytest.approx(47.331527108287254)
    assert first["cap_beds"] == 169
    prov = points.attrs["provenance"]
    raw = (mirror / FILE).read_bytes()
    assert prov["sha256"] == hashlib.sha256(raw).hexdigest()
    assert prov["source"] == "mirror" and prov["location"].endswith(FILE)
    assert points.attrs["service"] == "healthcare" and points.attrs["release"] == 2020


@pytest.mark.mirror
def test_the_values_are_the_files_own(mirror):
    points = basic_services()
    text = pd.read_csv(mirror / FILE, dtype=str, keep_default_na=False)
    assert points["id"].tolist() == text["id"].tolist()
    assert points["lat"].tolist() == text["lat"].astype(float).tolist()
    beds = pd.to_numeric(text["cap_beds"].replace("", None)).astype("Int64")
    assert points["cap_beds"].equals(beds.rename("cap_beds"))
    assert points["country_name"].tolist() == text["country"].tolist()
    assert set(HEALTHCARE_COLUMNS) - {"country"} <= set(points.columns)


@pytest.mark.mirror
def test_second_call_needs_neither_mirror_nor_network(mirror, monkeypatch):
    first = basic_services()
    path = cache.cache_path("gisco", NAME)
    assert path.is_file()
    monkeypatch.delenv("REGIONGAP_MIRROR")
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    second = basic_services()
    assert _frame_bytes(second) == _frame_bytes(first)
    assert second.dtypes.equals(first.dtypes)
    assert second.attrs == first.attrs


@pytest.mark.mirror
def test_a_damaged_cache_is_never_returned(mirror):
    good = basic_services()
    path = cache.cache_path("gisco", NAME)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.warns(RuntimeWarning, match="reading 'gisco_healthcare"):
        again = basic_services()
    assert _frame_bytes(again) == _frame_bytes(good)
    cache.read_table(path)


@pytest.mark.mirror
def test_a_failed_cache_write_is_reported_and_the_points_returned(mirror):
    path = cache.cache_path("gisco", NAME)
    path.mkdir(parents=True)  # a folder where the cache file belongs
    with pytest.warns(RuntimeWarning) as caught:
        points = basic_services()
    assert any("without caching them" in str(w.message) for w in caught)
    assert len(points) == 15181
    assert path.is_dir()


# ----------------------------------------------------- hand-made files, bad input

HEADER = ",".join(HEALTHCARE_COLUMNS)


def _row(ident: str, lat: str, lon: str, cc: str = "AT", beds: str = "") -> str:
    cells = dict.fromkeys(HEALTHCARE_COLUMNS, "")
    cells.update(id=ident, hospital_name=f"Site {ident}", lat=lat, lon=lon, cc=cc,
                 country="Austria", cap_beds=beds)  # fmt: skip
    return ",".join(cells[c] for c in HEALTHCARE_COLUMNS)


def _mirror_with(tmp_path, text: str, name: str = NAME):
    folder = tmp_path / "mirror" / "services"
    folder.mkdir(parents=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path / "mirror"


def test_points_without_usable_coordinates_are_kept_counted_and_reported(tmp_path):
    # hand-made rows in GISCO's layout: one good, five without a usable location
    rows = [
        _row("AT_1", "47.07", "15.44", beds="120"),
        _row("AT_2", "", ""),
        _row("AT_3", "95.0", "15.0"),
        _row("AT_4", "47.0", "abc"),
        _row("AT_5", "0", "0"),
        _row("AT_6", "47.0", "-181"),
    ]
    mirror = _mirror_with(tmp_path, "\n".join([HEADER, *rows]) + "\n")
    with pytest.warns(DataQualityWarning, match=r"5 of 6 GISCO healthcare points"):
        points = basic_services(mirror=mirror)
    assert points["id"].tolist() == [f"AT_{i}" for i in range(1, 7)]  # none dropped
    assert points.geometry.isna().tolist() == [False, True, True, True, True, True]
    assert points.attrs["bad_coordinates"] == 5
    assert points.attrs["bad_coordinate_ids"] == [
        "AT_2",
        "AT_3",
        "AT_4",
        "AT_5",
        "AT_6",
    ]
    assert points["lat"].isna().tolist() == [False, True, False, False, False, False]
    # the cached copy says the same, and warns again
    with pytest.warns(DataQualityWarning, match="AT_2, AT_3, AT_4, AT_5, AT_6"):
        again = basic_services(mirror=mirror)
    assert again.attrs["bad_coordinate_ids"] == points.attrs["bad_coordinate_ids"]


def test_unreadable_counts_are_reported(tmp_path):
    # hand-made rows in GISCO's layout, one bed count that is not a number
    rows = [
        _row("AT_1", "47.1", "15.4", beds="120"),
        _row("AT_2", "47.2", "15.5", beds="n/a"),
    ]
    mirror = _mirror_with(tmp_path, "\n".join([HEADER, *rows]) + "\n")
    with pytest.warns(
        DataQualityWarning, match="1 of 2 .* cap_beds that is not a number"
    ):
        points = basic_services(mirror=mirror)
    assert points["cap_beds"].tolist() == [120, pd.NA]
    assert points.attrs["unreadable"] == {"cap_beds": 1}


def test_the_2023_layout_country_column_and_bom(tmp_path):
    # hand-made: GISCO's 2023 files name the country cntr_id and start with a BOM
    text = "\ufeffid,hospital_name,lat,lon,cntr_id,cap_beds\nEL_1,A,37.9,23.7,EL,10\n"
    points = read_services(text.encode("utf-8"), name="EU.csv")
    assert points["country"].tolist() == ["EL"] and points["cc"].tolist() == ["EL"]
    assert points["site_name"].tolist() == [""]
    assert points["cap_prac"].isna().all()


def test_a_layer_with_unexpected_columns_is_a_schema_error(tmp_path):
    # hand-made: another GISCO layer's columns
    mirror = _mirror_with(tmp_path, "id,name,levels,lat\nFR_1,École,ISCED1,48.8\n")
    with pytest.raises(SchemaError) as info:
        basic_services(mirror=mirror)
    msg = str(info.value)
    assert "it lacks ['hospital_name', 'lon', 'cc or cntr_id']" in msg
    assert "it has columns ['id', 'name', 'levels', 'lat']" in msg
    assert "expected ['id', 'hospital_name', 'site_name', 'lat', 'lon'" in msg
    assert not cache.cache_path("gisco", NAME).exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"<!DOCTYPE html><html><title>Down</title></html>", "not CSV"),
        (b"", "not CSV"),
        (HEADER.encode() + b"\n" + _row("AT_1", "47", "15").encode()[:30], "truncated"),
        (gzip.compress(HEADER.encode() + b"\nAT_1,x")[:-10], "truncated"),
        (HEADER.encode() + b'\n"AT_1,unclosed quote\n', "truncated"),
        (
            HEADER.encode() + b"\n" + _row("AT_\xff", "47", "15").encode("latin-1"),
            "UTF",
        ),
    ],
    ids=["html", "empty", "cut-row", "cut-gzip", "open-quote", "not-utf8"],
)
def test_unreadable_files_are_source_errors(content, fragment):
    with pytest.raises(SourceError, match=fragment):
        read_services(content, name="EU.csv")


# --------------------------------------------------------- the online path


@pytest.mark.mirror
def test_download_from_gisco_then_cache(service, mirror_path):
    points = basic_services()
    assert service.count("/pub/") == 1
    prov = points.attrs["provenance"]
    assert prov["source"] == "api"
    assert prov["location"] == f"{service.base_url}/healthcare/2020/csv/EU.csv"
    served = gzip.decompress((mirror_path / FILE).read_bytes())
    assert prov["sha256"] == hashlib.sha256(served).hexdigest()
    assert len(points) == 15181
    again = basic_services()
    assert service.count("/pub/") == 1  # from the cache
    assert _frame_bytes(again) == _frame_bytes(points)
    basic_services(refresh=True)
    assert service.count("/pub/") == 2


@pytest.mark.mirror
def test_the_same_points_from_the_mirror_and_from_gisco(service, mirror_path):
    online = basic_services()
    offline = basic_services(mirror=mirror_path, refresh=True)
    assert _frame_bytes(online) == _frame_bytes(offline)


@pytest.mark.mirror
@pytest.mark.parametrize(
    ("fault", "times", "error", "fragment"),
    [
        (faults.status(404), 1, DatasetNotFoundError, "not found"),
        (faults.status(503, retry_after=0), 2, SourceError, "HTTP 503"),
        (faults.html_200(), 1, SourceError, "not CSV"),
        (faults.truncated(0.5), 1, SourceError, "truncated"),
        (faults.reset_mid_body(5000), 2, SourceError, "Incomplete|Connection"),
    ],
    ids=["404", "503", "html", "truncated", "reset"],
)
def test_faults_leave_nothing_cached_and_keep_the_old_cache(
    service, fault, times, error, fragment
):
    path = cache.cache_path("gisco", NAME)
    service.add_fault(fault, times=times, path="/pub/")
    with pytest.raises(error, match=fragment):
        basic_services()
    assert not path.exists()
    good = basic_services()
    before = path.read_bytes()
    service.add_fault(fault, times=times, path="/pub/")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error):
            basic_services(refresh=True)
    assert path.read_bytes() == before
    assert _frame_bytes(basic_services()) == _frame_bytes(good)
    assert list(path.parent.glob("*.tmp")) == []
