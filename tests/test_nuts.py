"""NUTS code helpers and the shipped code lists (regiongap.nuts)."""

from __future__ import annotations

import gzip
import re

import pandas as pd
import pytest

from regiongap.errors import SchemaError
from regiongap.nuts import (
    EU27_COUNTRIES,
    is_aggregate,
    is_eu27,
    is_extra_regio,
    normalize_nuts,
    nuts_children,
    nuts_codes,
    nuts_country,
    nuts_level,
    nuts_parent,
)

# ------------------------------------------------------------------ level etc.


@pytest.mark.parametrize(
    ("code", "level"),
    [("DE", 0), ("DE1", 1), ("DE11", 2), ("DE111", 3), ("FRZ", 1), ("ITZZZ", 3),
     ("EL301", 3), ("UKC1", 2), ("NO0B1", 3), ("XK001", 3)],
)  # fmt: skip
def test_nuts_level_is_code_length_minus_two(code, level):
    assert nuts_level(code) == level


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("de11 ", "did you mean 'DE11'"),
        (" DE11", "did you mean 'DE11'"),
        ("de11", "did you mean 'DE11'"),
        ("XX99", "unknown country code 'XX'"),
        (None, "None is not a string"),
        (11, "11 is not a string"),
        ("", "'' is not a NUTS code"),
        ("D", "'D' is not a NUTS code"),
        ("DE1111", "'DE1111' is not a NUTS code"),
        ("DE 11", "'DE 11' is not a NUTS code"),
        ("EU27_2020", "aggregate"),
        ("GR", "Eurostat writes 'EL'"),
        ("GB", "Eurostat writes 'UK'"),
    ],
)
def test_malformed_codes_raise_schema_error_naming_the_value(bad, fragment):
    for helper in (nuts_level, nuts_country, nuts_parent, is_extra_regio, is_eu27):
        if bad == "EU27_2020" and helper in (is_extra_regio, is_eu27):
            continue  # aggregates are simply not extra-regio / not a region
        with pytest.raises(SchemaError, match=re.escape(fragment)):
            helper(bad)
    with pytest.raises(SchemaError):
        nuts_children(bad)


def test_schema_error_is_a_value_error():
    with pytest.raises(ValueError, match="XX99"):
        nuts_level("XX99")


def test_normalize_only_where_unambiguous():
    assert normalize_nuts(" de11 ") == "DE11"
    assert normalize_nuts("gr") == "EL"
    assert normalize_nuts("GB") == "UK"
    assert normalize_nuts("eu27_2020") == "EU27_2020"
    # GR/GB are mapped only as country codes: 'GR11' is no NUTS code at all
    with pytest.raises(SchemaError, match="GR11"):
        normalize_nuts("GR11")
    with pytest.raises(SchemaError, match="'D E11'"):
        normalize_nuts("D E11")
    with pytest.raises(SchemaError, match="None"):
        normalize_nuts(None)
    with pytest.raises(SchemaError, match="xx99"):
        normalize_nuts("xx99")


def test_country_uses_eurostat_conventions():
    assert nuts_country("EL301") == "EL"
    assert nuts_country("UKC1") == "UK"
    assert "GR" not in EU27_COUNTRIES
    assert "EL" in EU27_COUNTRIES
    assert len(EU27_COUNTRIES) == 27
    assert len(set(EU27_COUNTRIES)) == 27


def test_parent_at_any_level():
    assert nuts_parent("DE111") == "DE11"
    assert nuts_parent("DE111", 2) == "DE11"
    assert nuts_parent("DE111", 1) == "DE1"
    assert nuts_parent("DE111", 0) == "DE"
    assert nuts_parent("DE11", 2) == "DE11"
    with pytest.raises(SchemaError, match=r"'DE11'.*level must be ≤ 2"):
        nuts_parent("DE11", 3)
    # NUTS 2016's Northern Ireland NUTS 3 codes break the prefix rule
    assert nuts_parent("UKN10", 2) == "UKN0"
    assert nuts_parent("UKN10", 1) == "UKN"
    assert "UKN16" in nuts_children("UKN0", 3, year=2016)
    with pytest.raises(SchemaError, match="'DE' is a country"):
        nuts_parent("DE")
    with pytest.raises(SchemaError, match="level 4 is not one of"):
        nuts_parent("DE111", 4)
    with pytest.raises(SchemaError, match="level -1"):
        nuts_parent("DE111", -1)


def test_children_by_version():
    # Croatia's NUTS 2 regions were split in 2021 (HR04 → HR02, HR05, HR06)
    assert nuts_children("HR0", 2) == ["HR02", "HR03", "HR05", "HR06"]
    assert nuts_children("HR0", 2, year=2016) == ["HR03", "HR04"]
    assert nuts_children("HR05", 3) == ["HR050"]
    assert len(nuts_children("DE", 3)) == 401
    assert nuts_children("FR", 1)[-1] == "FRY"
    assert nuts_children("FR", 1, extra_regio=True)[-1] == "FRZ"
    assert nuts_children("FRZ") == ["FRZZ"]
    with pytest.raises(SchemaError, match=r"'HR04' is not a region of NUTS 2021.*2016"):
        nuts_children("HR04")
    with pytest.raises(SchemaError, match="unknown NUTS year 2024"):
        nuts_children("DE1", year=2024)
    with pytest.raises(SchemaError, match="level > 2"):
        nuts_children("DE11", 1)


def test_aggregates_pattern():
    for code in ("EU27_2020", "EU28", "EA19", "EA20", "EU27_2007", "EU15", "EFTA",
                 "EA", "EU", "EEA30_2007", "DE_TOT"):  # fmt: skip
        assert is_aggregate(code), code
    for code in ("DE", "EE", "EE001", "ES11", "FRZZ", "de11 "):
        assert not is_aggregate(code), code
    with pytest.raises(SchemaError, match="None"):
        is_aggregate(None)


def test_extra_regio_and_eu27():
    assert is_extra_regio("FRZZ")
    assert is_extra_regio("ITZZZ")
    assert is_extra_regio("NOZ")
    assert not is_extra_regio("DE11")
    assert not is_extra_regio("EU27_2020")
    assert is_eu27("DE11")
    assert is_eu27("FRZZ")
    assert not is_eu27("UKC1")
    assert not is_eu27("NO011")
    assert not is_eu27("EU27_2020")


# ------------------------------------------------------------------ code lists


def test_eu27_region_counts_nuts_2021():
    codes = nuts_codes(2021, countries="EU27")
    assert codes.groupby("level").size().tolist() == [27, 92, 242, 1166]
    assert list(codes.columns) == [
        "geo", "name", "level", "country", "extra_regio", "statistical_region"
    ]  # fmt: skip
    assert not codes["extra_regio"].any()
    assert not codes["statistical_region"].any()


def test_eu28_region_counts_nuts_2016():
    eu28 = [*EU27_COUNTRIES, "UK"]
    codes = nuts_codes(2016, countries=eu28)
    assert codes.groupby("level").size().tolist() == [28, 104, 281, 1348]


def test_code_lists_are_consistent_with_helpers():
    for year in (2016, 2021):
        codes = nuts_codes(year, extra_regio=True)
        assert codes["geo"].is_unique
        assert (codes["level"] == codes["geo"].map(nuts_level)).all()
        assert (codes["country"] == codes["geo"].map(nuts_country)).all()
        assert (codes["extra_regio"] == codes["geo"].map(is_extra_regio)).all()
        assert (codes["extra_regio"] == codes["name"].str.upper().str.startswith(
            "EXTRA-REGIO")).all()  # fmt: skip
        # every region's parent is in the same version
        sub = codes[codes["level"] > 0]
        assert sub["geo"].map(nuts_parent).isin(set(codes["geo"])).all()


def test_nuts_codes_hands_out_copies():
    first = nuts_codes(2021)
    first.loc[0, "name"] = "changed"
    first.iloc[:, 0] = "XX"
    again = nuts_codes(2021)
    assert again.loc[0, "name"] == "Belgique/België"
    assert len(again) > 2000


def test_nuts_codes_bad_arguments():
    with pytest.raises(SchemaError, match="unknown NUTS year 2013"):
        nuts_codes(2013)
    with pytest.raises(SchemaError, match="unknown NUTS year '2021'"):
        nuts_codes("2021")
    with pytest.raises(SchemaError, match="NUTS level 5"):
        nuts_codes(2021, level=5)
    with pytest.raises(SchemaError, match="unknown country 'GR'"):
        nuts_codes(2021, countries=["GR"])


@pytest.mark.mirror
def test_latin_names_match_gisco_attributes(mirror_path):
    with gzip.open(mirror_path / "eurostat" / "NUTS_AT_2021.csv.gz", "rt") as fh:
        gisco = pd.read_csv(fh, keep_default_na=False)
    ours = nuts_codes(2021)
    merged = ours.merge(gisco, left_on="geo", right_on="NUTS_ID", how="outer",
                        indicator=True)  # fmt: skip
    # same regions (GISCO has no extra-regio rows)
    assert (merged["_merge"] == "both").all()
    differ = merged[merged["name"] != merged["NAME_LATN"]]
    # only spelling variants (CH bilingual names, a double space, Svalbard's order)
    assert len(differ) <= 7, differ[["geo", "name", "NAME_LATN"]]
