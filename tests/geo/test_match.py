"""The match report: a frame's NUTS codes against the shapes, country by country."""

from __future__ import annotations

import gzip
import warnings
from pathlib import Path

import pandas as pd
import pytest

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.match import nuts_match_report
from regiongap.load.boundaries import nuts_regions


def _tsv_geo_codes(path: Path, unit: str) -> set[str]:
    """NUTS 2 codes with at least one value, read with plain pandas (not sdmx)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, sep="\t", dtype=str)
    keys = raw.iloc[:, 0].str.split(",", expand=True)
    raw = raw[keys[0] == unit]
    codes = keys.loc[raw.index, 1]
    numbers = raw.iloc[:, 1:].apply(lambda col: col.str.strip().str.match(r"^[0-9.]"))
    has_value = numbers.any(axis=1)
    return {c for c in codes[has_value] if len(c) == 4 and "_" not in c}


@pytest.mark.mirror
def test_gdp_nuts2_matches_shapes_with_every_mismatch_reported(mirror):
    from regiongap.sdmx import parse

    path = mirror / "eurostat" / "nama_10r_3gdp.tsv.gz"
    frame = parse(path.read_bytes(), name="nama_10r_3gdp")
    frame = frame[frame["unit"] == "MIO_EUR"]
    shapes = nuts_regions(2)
    with pytest.warns(DataQualityWarning, match="codes without a shape") as record:
        summary = nuts_match_report(frame, 2, 2021, shapes=shapes)
    message = str(record[0].message)
    assert "EU-27: 0" in message

    # independent reading of the same file
    data = _tsv_geo_codes(path, "MIO_EUR")
    extra = {c for c in data if c.endswith("ZZ")}
    shape_codes = set(shapes["geo"])
    no_shape = sorted(data - shape_codes - extra)
    no_data = sorted(shape_codes - data)
    assert no_shape == ["NO0B"]  # Svalbard og Jan Mayen: no shape in the 20M file

    eu = summary[summary["group"] == "EU27"]
    assert len(eu) == 27
    assert eu["n_shapes"].sum() == 242
    assert eu["n_matched"].sum() == 242
    assert eu["n_data_without_shape"].sum() == 0
    assert eu["n_shapes_without_data"].sum() == 0
    assert summary["group"].tolist() == ["EU27"] * 27 + ["other"] * (len(summary) - 27)
    assert summary.attrs["n_data_without_shape"] == len(no_shape)
    assert summary.attrs["n_shapes_without_data"] == len(no_data)
    assert summary.attrs["n_extra_regio"] == len(extra)
    uk = summary.set_index("country").loc["UK"]
    assert uk["n_shapes_without_data"] == 41
    assert uk["n_data"] == 0

    with pytest.warns(DataQualityWarning):
        details = nuts_match_report(frame, 2, shapes=shapes, detail=True)
    assert sorted(details.loc[details["problem"] == "no shape", "geo"]) == no_shape
    assert sorted(details.loc[details["problem"] == "no data", "geo"]) == no_data
    assert sorted(details.loc[details["problem"] == "extra-regio", "geo"]) == sorted(
        extra
    )
    assert list(details.columns) == [
        "geo",
        "country",
        "group",
        "problem",
        "region_name",
        "reason",
    ]


def _shapes(codes: list[str], level: int = 2) -> pd.DataFrame:
    return pd.DataFrame({"geo": codes, "region_name": codes, "level": level})


def test_match_report_reasons_and_no_warning_when_all_match():
    frame = pd.DataFrame({"geo": ["HR02", "HR03", "EU27_2020", "HR0"], "value": 1.0})
    out = nuts_match_report(frame, shapes=_shapes(["HR02", "HR03"]))  # no warning
    assert out["n_matched"].tolist() == [2]
    frame = pd.DataFrame(
        {"geo": ["HR03", "HR04", "HR09", "HRZZ", "HR02"], "value": [1, 1, 1, 1, None]}
    )
    with pytest.warns(DataQualityWarning, match="2 codes without a shape"):
        details = nuts_match_report(
            frame, shapes=_shapes(["HR02", "HR03"]), detail=True
        )
    reasons = dict(zip(details["geo"], details["reason"], strict=True))
    assert "NUTS 2016 code (recode_nuts converts it)" in reasons["HR04"]
    assert "not in NUTS 2013, 2016, 2021 or 2024" in reasons["HR09"]
    # the suggestions stay in the country and level: never another country's code
    assert "did you mean 'HR02', 'HR03', 'HR05'?" in reasons["HR09"]
    assert "did you mean 'HR02', 'HR05', 'HR06'?" in reasons["HR04"]
    assert "extra-regio" in reasons["HRZZ"]
    # HR02 has a row but no value: a shape without data
    assert details.set_index("geo").loc["HR02", "problem"] == "no data"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = nuts_match_report(frame[frame["geo"] != "HR04"].iloc[:1], value=None,
                                shapes=_shapes(["HR03"]))  # fmt: skip
    assert out["n_matched"].tolist() == [1]


def test_match_report_bad_input():
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['geo'\]"):
        nuts_match_report(pd.DataFrame({"x": [1]}), shapes=_shapes(["HR03"]))
    with pytest.raises(SchemaError, match="level=9 is not a NUTS level"):
        nuts_match_report(pd.DataFrame({"geo": ["HR03"]}), level=9)
    with pytest.raises(SchemaError, match="not NUTS 3"):
        nuts_match_report(
            pd.DataFrame({"geo": ["HR03"]}), level=3, shapes=_shapes(["HR03"])
        )
    with pytest.raises(SchemaError, match="DataFrame"):
        nuts_match_report(["HR03"], shapes=_shapes(["HR03"]))
