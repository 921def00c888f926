"""recode_nuts along 2013 – 2016 – 2021 – 2024, and per-country version detection.

Three ways: hand-checked cases (sums, weighted means and NaN of merged regions,
named changes), round trips 2013 → 2024 → 2013 of every code whose land is the
same in both versions, and the real files of the mirror (the NUTS 2013 GDP file,
the 2026 population file that mixes NUTS 2021 and 2024 codes).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.geo.correspondence import nuts_successors
from regiongap.geo.lists import nuts_codes
from regiongap.geo.versions import NUTS_CHANGES, nuts_versions, recode_nuts


def _quiet(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return recode_nuts(*args, **kwargs)


# ------------------------------------------------------------------ merged regions

# Tiny hand-made frame in the tidy long format: France's NUTS 1 and 2 regions of
# Bourgogne and Franche-Comté, two years, a count (made-up round numbers).
FRANCE = pd.DataFrame(
    {
        "unit": "THS",
        "geo": ["FR1", "FR26", "FR43", "FR1", "FR26", "FR43"],
        "time": [2014, 2014, 2014, 2015, 2015, 2015],
        "value": [100.0, 16.0, 12.0, 101.0, 17.0, np.nan],
        "flag": pd.array(["p", "e", None, None, None, None], dtype="string"),
    }
)


def test_a_union_gets_the_sum_of_an_additive_quantity():
    out = recode_nuts(FRANCE, 2016, 2013, additive=True)
    merged = out[out["nuts_change"] == "merged"]
    assert merged["geo"].tolist() == ["FRC", "FRC"]
    assert merged["geo_original"].tolist() == ["FR26+FR43", "FR26+FR43"]
    assert merged["value"].iloc[0] == 28.0
    assert np.isnan(merged["value"].iloc[1])  # a missing part: no sum
    assert merged["flag"].iloc[0] == "e"  # the parts' flags travel with the sum
    assert merged["unit"].tolist() == ["THS", "THS"]
    note = merged["nuts_note"].iloc[0]
    assert "FRC = FR26 + FR43 (NUTS 2013): sum of the parts" in note
    assert out.attrs["nuts_recode"]["added_rows"] == 2
    # the input rows come first, in order, recoded
    assert out["geo"].tolist()[:6] == ["FR1", "FRC1", "FRC2", "FR1", "FRC1", "FRC2"]


def test_a_union_of_a_ratio_is_nan_unless_weighted():
    ratio = FRANCE.assign(value=[50.0, 30.0, 20.0, 50.0, 30.0, 20.0])
    out = recode_nuts(ratio, 2016, 2013)
    assert out.loc[out["geo"] == "FRC", "value"].isna().all()
    assert "not additive: NaN" in out.loc[out["geo"] == "FRC", "nuts_note"].iloc[0]
    weighted = ratio.assign(pop=[12.0, 1.6, 1.2, 12.0, 1.5, 0.5])
    out = recode_nuts(weighted, 2016, 2013, weights="pop")
    frc = out[out["geo"] == "FRC"]
    np.testing.assert_allclose(
        frc["value"], [(30 * 1.6 + 20 * 1.2) / 2.8, (30 * 1.5 + 20 * 0.5) / 2.0]
    )
    np.testing.assert_allclose(frc["pop"], [2.8, 2.0])  # the merged weight
    assert "weighted by 'pop'" in frc["nuts_note"].iloc[0]


def test_the_same_land_at_another_level_carries_a_ratio():
    # FRB (NUTS 1, 2016) is exactly FR24 (NUTS 2, 2013)
    frame = pd.DataFrame({"geo": ["FR1", "FR24"], "value": [4.5, 7.25]})
    out = recode_nuts(frame, 2016, 2013)
    assert out["geo"].tolist() == ["FR1", "FRB0", "FRB"]
    assert out["value"].tolist() == [4.5, 7.25, 7.25]
    assert out["nuts_change"].tolist() == ["unchanged", "recoded", "recoded"]
    # without NUTS 1 rows in the frame no NUTS 1 region is added
    assert recode_nuts(frame.iloc[1:], 2016, 2013)["geo"].tolist() == ["FRB0"]


def test_going_back_in_time_a_split_becomes_a_merge():
    # Lisbon (PT17, NUTS 2021) is Grande Lisboa + Península de Setúbal (NUTS 2024)
    frame = pd.DataFrame({"geo": ["PT1", "PT1A", "PT1B", "PT1C"],
                          "value": [10.0, 2.0, 0.8, 0.7]})  # fmt: skip
    with pytest.warns(DataQualityWarning, match="1 rows boundary_shift"):
        out = recode_nuts(frame, 2021, 2024, additive=True)
    got = out.set_index("geo_original")
    assert got.loc["PT1A+PT1B", ["geo", "value", "nuts_change"]].tolist() == [
        "PT17", 2.8, "merged"
    ]  # fmt: skip
    assert got.loc["PT1A", "nuts_change"] == "discontinued"
    assert "its land lies within PT17" in got.loc["PT1A", "nuts_note"]
    assert "PT18" in got.loc["PT1C", "nuts_note"]  # Alentejo's boundary shift
    assert np.isnan(got.loc["PT1C", "value"])


def test_a_merged_region_that_a_later_version_splits_adds_nothing():
    # NO082 = NO012 + NO031 + NO032 in 2021, split again into NO083–NO085 in 2024
    frame = pd.DataFrame({"geo": ["NO0", "NO012", "NO031", "NO032"],
                          "value": [1.0, 2.0, 3.0, 4.0]})  # fmt: skip
    with pytest.warns(DataQualityWarning):
        out = recode_nuts(frame, 2024, 2016, additive=True)
    assert "NO082" not in set(out["geo"])
    assert out.attrs["nuts_recode"]["added_rows"] == 0


# ------------------------------------------------------------------ every row named


def test_every_row_says_what_happened():
    frame = pd.DataFrame(
        {"geo": ["FR30", "FR2", "UKM2", "IE01", "DE11", "EU27_2020", "FRXX", "DE1Z",
                 None],
         "value": 1.0}
    )  # fmt: skip
    with pytest.warns(DataQualityWarning) as record:
        out = recode_nuts(frame, 2021, 2013)
    assert out["nuts_change"].tolist()[:9] == [
        "recoded", "split", "boundary_shift", "discontinued", "unchanged",
        "unchanged", "unchanged", "unknown", "unknown",
    ]  # fmt: skip
    notes = out["nuts_note"].tolist()
    assert notes[0] == "recoded FR30 → FRE1 in NUTS 2016"
    assert "split in NUTS 2016 into FRB, FRD, FRC1, FRE2, FRF2" in notes[1]
    assert "boundary shift in NUTS 2016: now UKM7" in notes[2]
    assert "its land lies within IE04, IE06" in notes[3]
    assert "not regionalised" in notes[6]
    assert "not in NUTS 2013, 2016, 2021 or 2024" in notes[7]
    assert notes[8] == "missing code"
    changed = out[out["nuts_change"] != "unchanged"]
    assert (changed["nuts_note"].str.len() > 0).all()
    assert out["value"].isna().tolist()[:5] == [False, True, True, True, False]
    message = str(record[0].message)
    assert "1 rows split (values set to NaN: FR2)" in message
    assert set(out["nuts_change"].cat.categories) == set(NUTS_CHANGES)


# ------------------------------------------------------------------ round trips


def _pure_codes() -> list[str]:
    """NUTS 2013 codes whose land has one code in 2024 and back (no EFTA: EU-28)."""
    pure = []
    for code in nuts_codes(2013, extra_regio=True)["geo"]:
        forward = nuts_successors(code, 2013, 2024)
        if forward.change not in ("unchanged", "renamed", "minor_shift", "recoded"):
            continue
        back = nuts_successors(forward.codes[0], 2024, 2013)
        if back.codes == (code,):
            pure.append(code)
    return pure


def test_round_trip_2013_2024_2013_returns_every_pure_code_and_value():
    codes = _pure_codes()
    assert len(codes) > 1300  # all of the EU-27 but the regions that changed land
    assert "FR30" in codes and "UKC1" not in codes and "PT18" not in codes
    rng = np.random.default_rng(14)
    frame = pd.DataFrame({"geo": codes, "value": rng.normal(size=len(codes))})
    out = recode_nuts(frame, 2024, 2013)  # no warning: nothing lost
    forward = out.iloc[: len(codes)]
    assert forward["nuts_change"].isin(["unchanged", "recoded"]).all()
    assert forward["geo"].is_unique
    # regions new in 2016 that are unions of these (FRC = FR26 + FR43) come after
    added = out.iloc[len(codes) :]
    assert len(added) == out.attrs["nuts_recode"]["added_rows"] > 0
    assert not set(added["geo"]) & set(forward["geo"])
    back = recode_nuts(forward[["geo", "value"]], 2013, 2024)
    assert back["geo"].tolist()[: len(codes)] == codes
    np.testing.assert_array_equal(back["value"].iloc[: len(codes)], frame["value"])
    assert (forward.loc[forward["geo_original"] == "FR30", "geo"] == "FRE1").all()


# ------------------------------------------------------------------ detection


def test_versions_are_read_per_country_and_year():
    frame = pd.DataFrame(
        {"geo": ["PT16", "PT17", "PT18", "PT19", "PT1A", "PT1B", "PT1C", "PT1D",
                 "PT16", "PT17", "PT18", "FR30", "FR22"],
         "time": [2023] * 8 + [2020] * 3 + [2014] * 2,
         "value": 1.0}
    )  # fmt: skip
    table = nuts_versions(frame)
    got = table.set_index(["country", "time"])["nuts_year"]
    assert got.to_dict() == {("FR", 2014): 2013, ("PT", 2020): 2021,
                             ("PT", 2023): 2024}  # fmt: skip
    assert table["fits"].all()
    pt23 = table.set_index(["country", "time"]).loc[("PT", 2023)]
    assert pt23["superseded"] == ("PT16", "PT17", "PT18")  # kept for history
    assert pt23["share_2013"] == pytest.approx(3 / 8)
    with pytest.warns(DataQualityWarning):
        out = recode_nuts(frame, 2024)
    assert out.attrs["nuts_recode"]["from_nuts_year"] == {2013: 2, 2021: 6, 2024: 5}
    new = out[out["time"] == 2023]
    assert new.loc[new["geo_original"] == "PT1C", "nuts_change"].item() == "unchanged"
    # the 2020 codes are read in NUTS 2021 and lose their land, named
    assert set(out.loc[out["time"] == 2020, "nuts_change"]) == {
        "boundary_shift", "split"
    }  # fmt: skip


def test_a_year_that_fits_no_version_is_refused_naming_it():
    frame = pd.DataFrame({"geo": ["HR04", "HR05", "DE11"], "time": 2019,
                          "value": 1.0})  # fmt: skip
    with pytest.raises(SchemaError, match=r"HR 2019: HR04 \(beside NUTS 2024 codes\)"):
        recode_nuts(frame)
    assert not nuts_versions(frame).set_index("country").loc["HR", "fits"]
    # from_nuts_year reads every code in one version instead
    out = _quiet(frame, 2021, 2016)
    assert out["nuts_change"].tolist() == ["split", "unchanged", "unchanged"]


# ------------------------------------------------------------------ real files


@pytest.mark.mirror
def test_gdp_file_of_2017_recoded_2013_to_2021(mirror_path):
    from regiongap.sdmx import parse

    raw = (mirror_path / "eurostat" / "alt" / "nama_10r_2gdp.2017.tsv.gz").read_bytes()
    frame = parse(raw, name="nama_10r_2gdp")
    with pytest.warns(DataQualityWarning, match="rows split"):
        out = recode_nuts(frame, 2021, 2013)
    summary = out.attrs["nuts_recode"]
    assert sum(summary[k] for k in NUTS_CHANGES) == len(out)
    assert len(out) == len(frame) + summary["added_rows"]
    # every change is named
    changed = out[out["nuts_change"] != "unchanged"]
    assert (changed["nuts_note"].str.len() > 0).all()
    by_code = out.drop_duplicates("geo_original").set_index("geo_original")
    assert by_code.loc["FR30", ["geo", "nuts_change"]].tolist() == ["FRE1", "recoded"]
    assert by_code.loc["FR2", "nuts_change"] == "split"
    assert by_code.loc["HR04", "nuts_change"] == "split"
    assert by_code.loc["FR26+FR43", "geo"] == "FRC"
    # values carried over exactly where the land is the same
    fr30 = frame[frame["geo"] == "FR30"]["value"].to_numpy()
    np.testing.assert_array_equal(out[out["geo_original"] == "FR30"]["value"], fr30)
    # Norway is not in NUTS 2013: with from_nuts_year=2013 its codes stay as they are
    assert set(out.loc[out["nuts_change"] == "unknown", "geo"].astype(str)) == {
        "NO01", "NO03", "NO04", "NO05"
    }  # fmt: skip
    # read per country and year, they are NUTS 2016 codes and every row is named
    with pytest.warns(DataQualityWarning):
        detected = recode_nuts(frame, 2021)
    assert detected.attrs["nuts_recode"]["unknown"] == 0
    assert 2016 in detected.attrs["nuts_recode"]["from_nuts_year"]


@pytest.mark.mirror
def test_population_file_of_2026_in_nuts_2024(mirror_path):
    from regiongap.sdmx import parse

    raw = (mirror_path / "eurostat" / "demo_r_pjanaggr3.tsv.gz").read_bytes()
    frame = parse(raw, name="demo_r_pjanaggr3")
    frame = frame[(frame["sex"] == "T") & (frame["age"] == "TOTAL")]
    versions = nuts_versions(frame)
    assert versions["fits"].all()
    eu = versions[versions["country"].isin(EU27_COUNTRIES)]
    assert set(eu.loc[eu["time"] >= 2024, "nuts_year"]) == {2024}
    with pytest.warns(DataQualityWarning):
        out = recode_nuts(frame, 2024, additive=True)
    # no EU-27 code is unknown
    unknown = out[out["nuts_change"] == "unknown"]
    assert not unknown["geo"].astype(str).str[:2].isin(EU27_COUNTRIES).any()
    year = out[(out["time"] == 2024) & out["value"].notna()]
    nuts3 = set(nuts_codes(2024, 3, countries="EU27")["geo"])
    assert nuts3 <= set(year["geo"].astype(str))  # all 1,165 regions
    assert len(nuts3) == 1165
    # an older year gains Alentejo's NUTS 2024 region as the sum of its parts
    pt1c = out[(out["geo"] == "PT1C") & (out["time"] == 2016)]
    assert pt1c["nuts_change"].tolist() == ["merged"]
    parts = frame[(frame["time"] == 2016) & frame["geo"].isin(
        ["PT181", "PT184", "PT186", "PT187"])]["value"].sum()  # fmt: skip
    assert pt1c["value"].item() == parts
