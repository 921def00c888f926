"""Prepared map shapes are cached, and the maps' data stay bit-identical.

The digests below are SHA-256 sums of the traces (``fig.to_plotly_json()["data"]``,
keys sorted) of maps
built from the mirror's NUTS 2021 boundaries, recorded with the code before the
shapes were cached: a faster map must draw exactly the same figure.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from tests.support.mirror_files import nuts2_gdp_per_inhabitant

pytestmark = pytest.mark.mirror

#: figure -> digest of its traces, recorded before the display-shape cache
RECORDED = {
    "nuts2_quantiles": (
        "07c3f8ecb5497dc37fa6c6591274aa947ac3638a1584ae8f763a30ad58880082"
    ),
    "nuts2_fisher_jenks": (
        "8e916e32e3d13446c0b00a8cc435a692d67cb83a273ad055e4469d7de1050702"
    ),
    "nuts2_continuous": (
        "9a3848e25f2572ad4b8a26c9885d1239a4345018996ffbb30156aeb12a340f4a"
    ),
    "nuts2_members": (
        "9f89e32c77ebf58bc5fc7bb23ad158a785ec8fd4043df7ac8c033d9be0efecd9"
    ),
    "nuts3_user": "e544153455be5dd68ee37c6b9dd24295e0b359a4b72011dbf0458d924c2f88ac",
}


def _shapes(mirror_path, level):
    import geopandas as gpd

    path = mirror_path / "geo" / f"NUTS_RG_20M_2021_4326_LEVL_{level}.geojson.gz"
    raw = gpd.read_file(f"/vsigzip/{path}")
    return raw.rename(
        columns={"NUTS_ID": "geo", "NAME_LATN": "region_name", "CNTR_CODE": "country"}
    )[["geo", "region_name", "country", "geometry"]]


@pytest.fixture(scope="module")
def nuts2(mirror_path):
    return _shapes(mirror_path, 2)


@pytest.fixture(scope="module")
def nuts3(mirror_path):
    return _shapes(mirror_path, 3)


def _digest(fig) -> str:
    text = json.dumps(
        fig.to_plotly_json()["data"],
        sort_keys=True,
        default=lambda o: np.asarray(o).tolist(),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _figures(mirror_path, nuts2, nuts3):
    from regiongap.viz.maps import choropleth, partnership_map

    gdp = nuts2_gdp_per_inhabitant(mirror_path)
    members = pd.DataFrame(
        {
            "geo": ["SI03", "SI04", "ES21", "FRK2"],
            "role": ["lead", "co-lead"] + 2 * ["member"],
        }
    )
    area = nuts3.geometry.to_crs(3035).area.to_numpy() / 1e6
    by_area = pd.DataFrame({"geo": nuts3["geo"], "value": area})
    by_area.loc[::9, "value"] = np.nan
    return {
        "nuts2_quantiles": choropleth(
            gdp, nuts2, highlight=members["geo"], title="GDP", source="Source: test"
        ),
        "nuts2_fisher_jenks": choropleth(gdp, nuts2, classification="fisher_jenks"),
        "nuts2_continuous": choropleth(gdp, nuts2, classification="continuous"),
        "nuts2_members": partnership_map(members, nuts2, title="Members"),
        "nuts3_user": choropleth(
            by_area, nuts3, classification="user", bins=[500, 2000, 10000, 1e6]
        ),
    }


@pytest.mark.filterwarnings("ignore:Numba not installed")
def test_maps_are_bit_identical_to_the_recorded_ones(mirror_path, nuts2, nuts3):
    from regiongap.viz._geometry import clear_cache

    clear_cache()
    cold = {k: _digest(f) for k, f in _figures(mirror_path, nuts2, nuts3).items()}
    warm = {k: _digest(f) for k, f in _figures(mirror_path, nuts2, nuts3).items()}
    assert cold == warm == RECORDED


def test_display_shapes_are_prepared_once_per_content_and_tolerance(nuts2):
    from regiongap.viz._geometry import display_shapes

    first = display_shapes(nuts2)
    assert display_shapes(nuts2) is first
    assert display_shapes(nuts2.copy()) is first  # same content, another object
    assert display_shapes(nuts2, tolerance=0.02) is not first
    moved = nuts2.copy()
    moved.loc[moved["geo"] == "AT13", "geometry"] = moved.loc[
        moved["geo"] == "AT11", "geometry"
    ].to_numpy()
    changed = display_shapes(moved)
    assert changed is not first
    assert changed.features["AT13"]["geometry"] == changed.features["AT11"]["geometry"]
    renamed = nuts2.assign(region_name=nuts2["region_name"].str.upper())
    assert display_shapes(renamed).names["AT13"] == "WIEN"


def test_the_cache_keeps_a_bounded_number_of_boundary_sets(nuts2):
    from regiongap.viz._geometry import CACHE_SIZE, clear_cache, display_shapes

    clear_cache()
    for i in range(CACHE_SIZE + 3):
        display_shapes(nuts2, tolerance=0.01 + i / 1000)
    assert clear_cache() == CACHE_SIZE
