"""NUTS code helpers and the shipped code lists (regiongap.geo.codes)."""

from __future__ import annotations

import gzip
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo.codes import (
    EU27_COUNTRIES,
    is_aggregate,
    is_eu27,
    is_extra_regio,
    normalise_nuts,
    nuts_country,
    nuts_level,
    nuts_parent,
)
from regiongap.geo.lists import nuts_children, nuts_codes
from regiongap.geo.typologies import nuts_typologies
from regiongap.geo.versions import (
    NUTS_CHANGES,
    nuts_version,
    recode_nuts,
    validate_nuts,
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


def test_normalise_only_where_unambiguous():
    assert normalise_nuts(" de11 ") == "DE11"
    assert normalise_nuts("gr") == "EL"
    assert normalise_nuts("GB") == "UK"
    assert normalise_nuts("eu27_2020") == "EU27_2020"
    # GR/GB are mapped only as country codes: 'GR11' is no NUTS code at all
    with pytest.raises(SchemaError, match="GR11"):
        normalise_nuts("GR11")
    with pytest.raises(SchemaError, match="'D E11'"):
        normalise_nuts("D E11")
    with pytest.raises(SchemaError, match="None"):
        normalise_nuts(None)
    with pytest.raises(SchemaError, match="xx99"):
        normalise_nuts("xx99")


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
    assert "UKN16" in nuts_children("UKN0", 3, nuts_year=2016)
    with pytest.raises(SchemaError, match="'DE' is a country"):
        nuts_parent("DE")
    with pytest.raises(SchemaError, match="level=4 is not a NUTS level; use 0, 1, 2"):
        nuts_parent("DE111", 4)
    with pytest.raises(SchemaError, match="level=-1 is not a NUTS level"):
        nuts_parent("DE111", -1)


def test_children_by_version():
    # Croatia's NUTS 2 regions were split in 2021 (HR04 → HR02, HR05, HR06)
    assert nuts_children("HR0", 2) == ["HR02", "HR03", "HR05", "HR06"]
    assert nuts_children("HR0", 2, nuts_year=2016) == ["HR03", "HR04"]
    assert nuts_children("HR05", 3) == ["HR050"]
    assert len(nuts_children("DE", 3)) == 401
    assert nuts_children("FR", 1)[-1] == "FRY"
    assert nuts_children("FR", 1, extra_regio=True)[-1] == "FRZ"
    assert nuts_children("FRZ") == ["FRZZ"]
    with pytest.raises(SchemaError, match=r"'HR04' is not a region of NUTS 2021.*2016"):
        nuts_children("HR04")
    with pytest.raises(SchemaError, match="nuts_year=2010 is not a NUTS version"):
        nuts_children("DE1", nuts_year=2010)
    # NUTS 2024: Portugal's new NUTS 2 regions, NUTS 2013: France before 2016
    assert nuts_children("PT1", 2, nuts_year=2024) == [
        "PT11", "PT15", "PT19", "PT1A", "PT1B", "PT1C", "PT1D"
    ]  # fmt: skip
    assert nuts_children("FR", 1, nuts_year=2013)[:3] == ["FR1", "FR2", "FR3"]
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
        "geo", "region_name", "level", "country", "extra_regio", "statistical_region"
    ]  # fmt: skip
    assert not codes["extra_regio"].any()
    assert not codes["statistical_region"].any()


def test_eu28_region_counts_nuts_2016():
    eu28 = [*EU27_COUNTRIES, "UK"]
    codes = nuts_codes(2016, countries=eu28)
    assert codes.groupby("level").size().tolist() == [28, 104, 281, 1348]


def test_code_lists_are_consistent_with_helpers():
    for nuts_year in (2013, 2016, 2021, 2024):
        codes = nuts_codes(nuts_year, extra_regio=True)
        assert codes["geo"].is_unique
        assert (codes["level"] == codes["geo"].map(nuts_level)).all()
        assert (codes["country"] == codes["geo"].map(nuts_country)).all()
        assert (codes["extra_regio"] == codes["geo"].map(is_extra_regio)).all()
        assert (codes["extra_regio"] == codes["region_name"].str.upper().str.startswith(
            "EXTRA-REGIO")).all()  # fmt: skip
        # every region's parent is in the same version
        sub = codes[codes["level"] > 0]
        assert sub["geo"].map(nuts_parent).isin(set(codes["geo"])).all()


def test_nuts_codes_hands_out_copies():
    first = nuts_codes(2021)
    first.loc[0, "region_name"] = "changed"
    first.iloc[:, 0] = "XX"
    again = nuts_codes(2021)
    assert again.loc[0, "region_name"] == "Belgique/België"
    assert len(again) > 2000


def test_nuts_codes_bad_arguments():
    with pytest.raises(SchemaError, match="nuts_year=2010 is not a NUTS version"):
        nuts_codes(2010)
    with pytest.raises(SchemaError, match="nuts_year='2021' is not a NUTS version"):
        nuts_codes("2021")
    with pytest.raises(SchemaError, match="level=5 is not a NUTS level"):
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
    differ = merged[merged["region_name"] != merged["NAME_LATN"]]
    # only spelling variants (CH bilingual names, a double space, Svalbard's order)
    assert len(differ) <= 7, differ[["geo", "region_name", "NAME_LATN"]]


# ------------------------------------------------------------------ versions


def test_version_functions_are_reachable():
    import regiongap
    from regiongap.geo import codes as nuts
    from regiongap.geo import lists, versions

    assert versions.recode_nuts is regiongap.recode_nuts
    assert versions.validate_nuts is regiongap.validate_nuts
    assert versions.nuts_version is regiongap.nuts_version
    assert lists.nuts_codes is regiongap.nuts_codes
    assert lists.nuts_children is regiongap.nuts_children
    assert not hasattr(nuts, "nuts_codes")  # the lists moved out of codes
    with pytest.raises(AttributeError):
        nuts.does_not_exist  # noqa: B018
    # no bridge back: the version functions live in versions only (no cycle)
    assert not hasattr(nuts, "recode_nuts")


def test_validate_nuts_reports_every_problem():
    out = validate_nuts(
        ["DE11", "HR04", "HR05", "XX99", "de11 ", None, "EU27_2020", "DEG0Q",
         "FRZZ", "FRXX", float("nan")]
    )  # fmt: skip
    suggestion = dict(zip(out["code"].map(str), out["suggestion"], strict=True))
    assert suggestion["HR04"] == "HR02, HR05, HR06"
    assert pd.isna(suggestion["XX99"]) and pd.isna(suggestion["DE11"])
    assert list(out.columns) == [
        "code", "valid", "level", "country", "reason", "suggestion"
    ]  # fmt: skip
    assert out["valid"].tolist() == [True, False, True, False, False, False, False,
                                     False, True, False, False]  # fmt: skip
    reason = dict(zip(out["code"].map(str), out["reason"], strict=True))
    assert reason["HR04"].startswith("not in NUTS 2021; a NUTS 2016 code")
    assert "unknown country code 'XX'" in reason["XX99"]
    assert "did you mean 'DE11'" in reason["de11 "]
    assert reason["None"] == "missing code"
    assert reason["nan"] == "missing code"
    assert "aggregate" in reason["EU27_2020"]
    assert reason["DEG0Q"].startswith("not in NUTS 2021; a NUTS 2024 code")
    assert "DEG0B" in reason["DEG0Q"]  # its NUTS 2021 predecessor (boundary shift)
    assert "not regionalised" in reason["FRXX"]
    assert out.loc[1, "level"] == 2
    assert out.loc[1, "country"] == "HR"
    assert pd.isna(out.loc[3, "level"])
    # against NUTS 2016 the roles swap
    out16 = validate_nuts(["HR04", "HR05"], nuts_year=2016)
    assert out16["valid"].tolist() == [True, False]
    assert out16.loc[1, "reason"].startswith(
        "not in NUTS 2016; a NUTS 2021 code (recode_nuts converts it); "
        "did you mean 'HR041'?"
    )


def test_validate_nuts_bad_arguments():
    with pytest.raises(SchemaError, match="wrap a single code in a list"):
        validate_nuts("DE11")
    with pytest.raises(SchemaError, match="nuts_year=2010 is not a NUTS version"):
        validate_nuts(["DE11"], nuts_year=2010)
    with pytest.raises(SchemaError, match="not a DataFrame"):
        validate_nuts(pd.DataFrame({"geo": ["DE11"]}))
    with pytest.raises(SchemaError, match="iterable"):
        validate_nuts(5)


def test_nuts_version_counts_exclusive_codes():
    result = nuts_version(["HR04", "HR03", "NO011", "DE11", "DE1Z", "EU28", "x"])
    assert result.nuts_year == 2016
    assert result.counts.loc[2016, "exclusive"] == 1  # NO011 (HR04 is 2013 too)
    assert result.counts.loc[2021, "exclusive"] == 0
    assert result.counts.loc[2013, "valid"] == 3  # NUTS 2013 lists the EU-28 only
    assert result.counts.loc[2016, "valid"] == 4
    assert result.counts.loc[2021, "valid"] == 2
    assert result.counts.loc[2016, "share"] == 0.8
    assert set(result.unknown) == {"DE1Z", "x"}
    assert not result.mixed
    assert "mostly NUTS 2016" in str(result)
    # codes of several versions: the newest most of them are valid in
    assert nuts_version(["HR05", "HR04", "HR06"]).nuts_year == 2024
    assert nuts_version(["HR05", "HR04", "HR06", "DEG0N"]).nuts_year == 2021
    assert nuts_version(["DEG0Q", "NO011"]).mixed  # only NUTS 2024, only 2016
    # codes of every version alone: the newest, with nothing exclusive
    both = nuts_version(["DE11", "DE12"])
    assert both.nuts_year == 2024
    assert both.counts["exclusive"].sum() == 0
    assert nuts_version(["EU27_2020", "DE1Z"]).nuts_year is None


def _frame(geos, values=None):
    values = range(len(geos)) if values is None else values
    return pd.DataFrame(
        {"geo": geos, "time": 2019, "value": np.array(values, dtype=float),
         "flag": pd.array([None] * len(geos), dtype="string")}
    )  # fmt: skip


def test_recode_carries_recoded_and_renamed_codes():
    frame = _frame(["HR041", "HR047", "NO011", "CZ0", "DE11", "EU27_2020"])
    # nothing boundary-changed or unknown: no warning
    out = recode_nuts(frame, 2021, 2016)
    # HR041 is NUTS 2021's HR050 and, the frame having NUTS 2 rows, also HR05:
    # the same land at NUTS 2, added at the end
    assert out["geo"].tolist() == ["HR050", "HR021", "NO081", "CZ0", "DE11",
                                   "EU27_2020", "HR05"]  # fmt: skip
    assert out["geo_original"].tolist() == [*frame["geo"], "HR041"]
    assert out["nuts_change"].tolist() == ["recoded"] * 3 + ["unchanged"] * 3 + [
        "recoded"
    ]
    assert out["value"].tolist() == [*frame["value"], 0.0]
    assert "HR05 = HR041 (NUTS 2016): the same land" in out.loc[6, "nuts_note"]
    assert "renamed" in out.loc[3, "nuts_note"]
    assert "geo_original" not in frame.columns  # input untouched
    assert out.attrs["nuts_recode"]["recoded"] == 4
    assert out.attrs["nuts_recode"]["added_rows"] == 1
    assert out.attrs["nuts_recode"]["from_nuts_year"] == {2016: 5}
    # the result is NUTS 2021 throughout (the aggregate aside)
    assert validate_nuts(out["geo"])["valid"].tolist() == [True] * 5 + [False, True]


def test_recode_flags_boundary_changes_and_unknowns_and_warns():
    frame = _frame(["BE221", "HR04", "NO01", "ITG25", "DEG0Q", "FI198", None, "DE11"])
    with pytest.warns(DataQualityWarning) as record:
        out = recode_nuts(frame, 2021, 2016)
    message = str(record[0].message)
    assert "2 rows boundary_shift (values set to NaN: BE221, ITG25)" in message
    assert "1 rows split (values set to NaN: HR04)" in message
    assert "1 rows discontinued (values set to NaN: NO01)" in message
    assert "3 rows unknown" in message and "DEG0Q" in message
    assert len(out) == len(frame)
    assert out["nuts_change"].tolist() == [
        "boundary_shift", "split", "discontinued", "boundary_shift", "unknown",
        "unknown", "unknown", "unchanged",
    ]  # fmt: skip
    # rows not carried over keep the NUTS 2016 code and lose their value
    assert out["geo"].tolist()[:4] == ["BE221", "HR04", "NO01", "ITG25"]
    assert out["value"].iloc[:4].isna().all()
    assert "BE224" in out.loc[0, "nuts_note"]
    assert "HR02, HR05, HR06" in out.loc[1, "nuts_note"]
    assert "no region of NUTS 2021" in out.loc[2, "nuts_note"]
    # unknown rows keep their values, never dropped
    assert out["value"].iloc[4:].tolist() == [4.0, 5.0, 6.0, 7.0]
    assert "a code of NUTS 2024, not of NUTS 2016" in out.loc[4, "nuts_note"]


def test_recode_resolves_a_region_present_under_both_codes():
    frame = _frame(["HR041", "HR050", "NO011", "NO081"], [1.0, 2.0, 3.0, None])
    with pytest.warns(DataQualityWarning, match="2 rows dropped"):
        out = recode_nuts(frame, 2021, 2016)
    # the NUTS 2021 row wins where it has a value; else the recoded one fills in
    got = dict(zip(out["geo"], out["value"], strict=True))
    assert got == {"HR050": 2.0, "NO081": 3.0}
    assert out.attrs["nuts_recode"]["dropped_duplicates"] == 2


def test_recode_keeps_categorical_geo_and_other_value_column():
    frame = pd.DataFrame(
        {"region": pd.Categorical(["HR041", "BE221"]), "x": [1.0, 2.0]}
    )
    with pytest.warns(DataQualityWarning):
        out = recode_nuts(frame, 2021, 2016, geo="region", value="x")
    assert isinstance(out["region"].dtype, pd.CategoricalDtype)
    assert out["region"].tolist() == ["HR050", "BE221"]
    assert out["x"].isna().tolist() == [False, True]
    # without a value column, rows are flagged and nothing is nulled
    with pytest.warns(DataQualityWarning):
        out = recode_nuts(frame.drop(columns="x"), 2021, 2016, geo="region")
    assert out["nuts_change"].tolist() == ["recoded", "boundary_shift"]
    assert "value set to NaN" not in out.loc[1, "nuts_note"]


def test_recode_bad_arguments():
    frame = _frame(["DE11"])
    with pytest.raises(SchemaError, match="nuts_year=2010 is not a NUTS version"):
        recode_nuts(frame, from_nuts_year=2010, to_nuts_year=2016)
    with pytest.raises(SchemaError, match="nuts_year=2030 is not a NUTS version"):
        recode_nuts(frame, to_nuts_year=2030)
    with pytest.raises(SchemaError, match="not both"):
        recode_nuts(frame.assign(pop=1.0), additive=True, weights="pop")
    with pytest.raises(SchemaError, match="weights='pop' is not a numeric column"):
        recode_nuts(frame, weights="pop")
    with pytest.raises(SchemaError, match="no column 'nuts'"):
        recode_nuts(frame, geo="nuts")
    with pytest.raises(SchemaError, match="recoded already"):
        recode_nuts(recode_nuts(frame))
    with pytest.raises(SchemaError, match="DataFrame"):
        recode_nuts(["DE11"])


@pytest.mark.mirror
def test_recode_real_population_file(mirror_path):
    """demo_r_pjanaggr3 mixes NUTS 2016, 2021 and 2024 codes, as Eurostat publishes."""
    from regiongap.sdmx import parse

    raw = (mirror_path / "eurostat" / "demo_r_pjanaggr3.tsv.gz").read_bytes()
    frame = parse(raw, name="demo_r_pjanaggr3")
    frame = frame[(frame["sex"] == "T") & (frame["age"] == "TOTAL")]
    version = nuts_version(frame["geo"].unique())
    assert version.mixed
    assert version.counts.loc[2024, "exclusive"] > 0  # DEG0Q, FI198, PT19 …
    assert {"DEG0Q", "FI198"} <= set(
        validate_nuts(["DEG0Q", "FI198"], nuts_year=2024).query("valid")["code"]
    )

    # a NUTS 2016 extract: Croatia's HR04x NUTS 3 regions and Norway's NO011
    old = [f"HR04{c}" for c in "123456789ABCDE"] + ["NO011"]
    part = frame[frame["geo"].isin(old)].copy()
    part["geo"] = part["geo"].astype(str)
    assert part["geo"].nunique() == 15
    out = recode_nuts(part, 2021)  # read as NUTS 2016, all recoded: no warning
    assert (out["nuts_change"] == "recoded").all()
    assert validate_nuts(out["geo"].unique())["valid"].all()
    assert set(out["geo"]) == {f"HR0{c}" for c in
                               ["50", "61", "62", "63", "64", "65", "21", "22", "23",
                                "24", "25", "26", "27", "28"]} | {"NO081"}  # fmt: skip
    np.testing.assert_array_equal(out["value"].to_numpy(), part["value"].to_numpy())

    # the whole file, read per country and year, to NUTS 2024: every row kept or
    # accounted for, the key stays unique
    with pytest.warns(DataQualityWarning, match="boundary_shift") as record:
        full = recode_nuts(frame, 2024, additive=True)
    summary = full.attrs["nuts_recode"]
    assert sum(summary[k] for k in NUTS_CHANGES) == len(full)
    assert len(full) + summary["dropped_duplicates"] == (
        len(frame) + summary["added_rows"]
    )
    assert not full.duplicated(["sex", "age", "geo", "time"]).any()
    assert "DEG0B" in str(record[0].message)  # NUTS 2021 codes kept for history
    changes = full.drop_duplicates("geo_original").set_index("geo_original")
    assert changes.loc[["BE221", "HR04", "NO01"], "nuts_change"].tolist() == [
        "boundary_shift", "split", "discontinued"
    ]  # fmt: skip
    flagged = full[full["geo_original"].isin(["BE221", "HR04", "NO01"])]
    assert flagged["value"].isna().all()
    # no EU-27 code unknown; NUTS 2024 codes stay as they are
    unknown = full[full["nuts_change"] == "unknown"]
    assert not unknown["geo"].astype(str).str[:2].isin(EU27_COUNTRIES).any()
    kept = full.set_index("geo_original")["nuts_change"]
    assert set(kept.loc[["DEG0Q", "FI198"]]) == {"unchanged"}


def test_docstring_examples_run():
    import doctest

    from regiongap.geo import (
        _detect,
        _outcome,
        _recode,
        _rules,
        _steps,
        _tables,
        _unions,
        codes,
        correspondence,
        lists,
        typologies,
        versions,
    )

    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for module in (codes, lists, versions, correspondence, typologies, _tables,
                   _rules, _recode, _steps, _unions, _outcome, _detect):  # fmt: skip
        assert doctest.testmod(module, optionflags=flags).failed == 0, module


def test_typologies_shipped_for_every_nuts3_region():
    types = nuts_typologies()
    nuts3 = nuts_codes(2021, 3)
    # the workbook classifies every NUTS 3 region but Jan Mayen and Svalbard
    assert set(nuts3["geo"]) - set(types["geo"]) == {"NO0B1", "NO0B2"}
    assert set(types["geo"]) <= set(nuts3["geo"])
    assert set(types["urbn_type"]) == {1, 2, 3}
    assert set(types["coast_type"]) == {1, 2, 3}
    assert (types["metropolitan"] == types["metro_region"].notna()).all()
    types.loc[0, "urbn_type"] = 99
    assert nuts_typologies().loc[0, "urbn_type"] != 99
    with pytest.raises(SchemaError, match="NUTS 2021 only"):
        nuts_typologies(2024)
    with pytest.raises(SchemaError, match="nuts_year=2010 is not a NUTS version"):
        nuts_typologies(2010)


@pytest.mark.mirror
def test_typologies_equal_gisco_attribute_table(mirror_path):
    with gzip.open(mirror_path / "eurostat" / "NUTS_AT_2021.csv.gz", "rt") as fh:
        gisco = pd.read_csv(fh, keep_default_na=False, dtype=str)
    gisco = gisco[gisco["NUTS_ID"].str.len() == 5].set_index("NUTS_ID")
    ours = nuts_typologies().set_index("geo")
    assert set(gisco.index) - set(ours.index) == {"NO0B1", "NO0B2"}
    gisco = gisco.loc[ours.index]
    assert (ours["urbn_type"].astype(str) == gisco["URBN_TYPE"]).all()
    assert (ours["coast_type"].astype(str) == gisco["COAST_TYPE"]).all()


@pytest.mark.parametrize(("old", "new"), [(2013, 2016), (2016, 2021), (2021, 2024)])
def test_change_table_accounts_for_every_code_that_appears_or_vanishes(old, new):
    from regiongap.geo._tables import change_table

    table = change_table()
    changes = table[table["from_nuts_year"] == old]
    assert (changes["to_nuts_year"] == new).all()
    before = set(nuts_codes(old, extra_regio=True)["geo"])
    after = set(nuts_codes(new, extra_regio=True)["geo"])
    covered = set(nuts_codes(old, level=0)["geo"])  # NUTS 2013 lists the EU-28 only
    after = {c for c in after if c[:2] in covered | {"XK"}}
    assert before - after <= set(changes["code_from"])
    assert after - before <= set(changes["code_to"])
    recoded = changes[changes["change"] == "recoded"]
    assert set(recoded["code_from"]) <= before
    assert set(recoded["code_to"]) <= after
    assert set(changes["change"]) <= {
        "renamed", "recoded", "minor_shift", "boundary_shift", "split",
        "discontinued", "merged", "new",
    }  # fmt: skip


@given(
    code=st.sampled_from(sorted(nuts_codes(2021, extra_regio=True)["geo"])),
    data=st.data(),
)
def test_parent_and_children_are_inverse(code, data):
    level = nuts_level(code)
    up = data.draw(st.integers(min_value=0, max_value=level))
    parent = nuts_parent(code, up)
    assert nuts_level(parent) == up
    assert code.startswith(parent)
    assert nuts_country(parent) == nuts_country(code)
    if up < level:
        assert code in nuts_children(parent, level, extra_regio=True)
