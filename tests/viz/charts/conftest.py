"""Real GDP per inhabitant for the charts that draw regions."""

from __future__ import annotations

import pytest

from tests.support.mirror_files import nuts2_gdp_per_inhabitant


@pytest.fixture(scope="module")
def gdp(mirror_path):
    """Real GDP per inhabitant 2019 for NUTS 2 regions, with Eurostat's flags."""
    out = nuts2_gdp_per_inhabitant(mirror_path)
    out.attrs["provenance"] = {"dataset": "nama_10r_2gdp", "last_update": "2023-02-21"}
    return out
