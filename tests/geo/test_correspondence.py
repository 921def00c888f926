"""The four NUTS versions and the official correspondence between them.

Checked three ways: Eurostat's published region counts for each version,
hand-checked cases from the workbooks (``FRC=FR26+FR43``, ``FR30`` → ``FRE1``,
Alentejo's boundary shift), and the shipped tables rebuilt byte for byte from the
workbooks in the mirror.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiongap.errors import SchemaError
from regiongap.geo.codes import EU27_COUNTRIES
from regiongap.geo.correspondence import nuts_changes, nuts_successors, suggest_nuts
from regiongap.geo.lists import nuts_codes, nuts_names
from regiongap.schema import NUTS_YEARS

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
DATA = Path(__file__).resolve().parents[2] / "src" / "regiongap" / "data" / "nuts"


def _script():
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(
        "derive_nuts_tables", SCRIPTS / "derive_nuts_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ code lists


@pytest.mark.parametrize(
    ("nuts_year", "countries", "counts"),
    [
        (2013, [*EU27_COUNTRIES, "UK"], [28, 98, 276, 1342]),
        (2016, [*EU27_COUNTRIES, "UK"], [28, 104, 281, 1348]),
        (2021, "EU27", [27, 92, 242, 1166]),
        (2024, "EU27", [27, 92, 244, 1165]),
    ],
)
def test_region_counts_are_eurostats(nuts_year, countries, counts):
    codes = nuts_codes(nuts_year, countries=countries)
    assert codes.groupby("level").size().tolist() == counts


def test_versions_cover_their_countries():
    countries = {y: set(nuts_codes(y, level=0)["geo"]) for y in NUTS_YEARS}
    assert countries[2013] == {*EU27_COUNTRIES, "UK"}  # the workbook: EU-28 only
    assert "UK" not in countries[2024]
    assert {"XK", "NO", "CH", "TR"} <= countries[2024]
    assert countries[2021] - countries[2024] == {"UK"}
    # Latin names everywhere (Greek and Cyrillic names transliterated)
    for nuts_year in NUTS_YEARS:
        names = nuts_codes(nuts_year, extra_regio=True)["region_name"]
        assert not names.str.contains(r"[\u0370-\u03ff\u0400-\u04ff]").any()
    assert nuts_names(2024)["BG311"] == "Vidin"
    assert nuts_names(2013)["FR30"] == "Nord-Pas de Calais"
    assert nuts_names(2024)["PT1C"] == "Alentejo"


@pytest.mark.mirror
def test_nuts_2024_codes_equal_giscos_shapes(mirror_path):
    path = mirror_path / "geo" / "NUTS_RG_20M_2024_4326.geojson.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    gisco = {f["properties"]["NUTS_ID"]: f["properties"] for f in features}
    ours = nuts_codes(2024).set_index("geo")
    # GISCO adds Ukraine at level 0 and Bosnia and Herzegovina's statistical
    # regions, which the NUTS 2024 workbook does not list; no extra-regio shapes
    extra = {c for c in gisco if c[:2] in {"UA", "BA"}}
    assert extra == {"UA", "BA", "BA0", "BA01", "BA02", "BA03"}
    assert set(ours.index) == set(gisco) - extra

    def spaced(name: str) -> str:
        return re.sub(r"\s+", " ", name.replace("/ ", "/")).strip()

    differ = [c for c in ours.index if spaced(ours.loc[c, "region_name"]) !=
              spaced(gisco[c]["NAME_LATN"])]  # fmt: skip
    # spelling variants only: Kosovo's bilingual names (GISCO gives the Albanian
    # one), two Greek island groups, one Albanian letter
    assert len(differ) <= 13, differ
    assert {c for c in differ if not c.startswith("XK")} == {"EL421", "EL422", "AL034"}


# ------------------------------------------------------------------ changes


def test_change_table_hand_checked_cases():
    changes = nuts_changes()
    by_to = changes.dropna(subset=["code_to"]).set_index(
        ["from_nuts_year", "code_to"]
    )  # fmt: skip
    by_from = changes.dropna(subset=["code_from"]).set_index(
        ["from_nuts_year", "code_from"]
    )  # fmt: skip
    # NUTS 2013 → 2016: France's new regions, the workbook's "FRC=FR26+FR43"
    assert by_to.loc[(2013, "FRC"), ["change", "parts"]].tolist() == [
        "merged", "FR26+FR43"
    ]  # fmt: skip
    assert by_from.loc[(2013, "FR30"), ["change", "code_to"]].tolist() == [
        "recoded", "FRE1"
    ]  # fmt: skip
    assert by_to.loc[(2013, "IE05"), "parts"] == "IE023+IE024+IE025"
    assert by_to.loc[(2013, "DE91C"), "parts"] == "DE915+DE919"
    assert by_from.loc[(2013, "LT00"), ["change", "parts"]].tolist() == [
        "split", "LT01+LT02"
    ]  # fmt: skip
    # NUTS 2016 → 2021
    assert by_from.loc[(2016, "HR04"), "parts"] == "HR02+HR05+HR06"
    assert by_to.loc[(2016, "NO082"), "parts"] == "NO012+NO031+NO032"
    assert by_from.loc[(2016, "BE221"), ["change", "code_to"]].tolist() == [
        "boundary_shift", "BE224"
    ]  # fmt: skip
    # Norway gains Jan Mayen and Svalbard: same code, not the same land
    assert by_from.loc[(2016, "NO"), "official"] == (
        "same code; NUTS 2021 adds NO0B1, NO0B2"
    )
    # NUTS 2021 → 2024: Alentejo's boundary shift, Lisbon's split, art. 5(2a)
    alentejo = by_from.loc[(2021, "PT18")]
    assert alentejo[["change", "code_to", "overlaps"]].tolist() == [
        "boundary_shift", "PT1C", "PT1C PT1D"
    ]  # fmt: skip
    assert by_from.loc[(2021, "PT17"), "parts"] == "PT1A+PT1B"
    assert by_from.loc[(2021, "ITH5"), "change"] == "minor_shift"
    assert by_from.loc[(2021, "UKC1"), ["change", "official"]].tolist() == [
        "discontinued", "UK regional classification suppressed due to BREXIT."
    ]  # fmt: skip


def test_every_change_names_its_kind_and_parts_are_codes():
    changes = nuts_changes()
    assert set(changes["change"]) == {
        "renamed", "recoded", "minor_shift", "boundary_shift", "split",
        "discontinued", "merged", "new",
    }  # fmt: skip
    for row in changes.dropna(subset=["parts"]).itertuples():
        side = row.to_nuts_year if row.code_from is not pd.NA else row.from_nuts_year
        if isinstance(row.code_from, str):
            side = row.to_nuts_year
        valid = set(nuts_codes(side, extra_regio=True)["geo"])
        assert set(row.parts.split("+")) <= valid, row
    merged = changes[changes["change"] == "merged"]
    assert (merged["parts"].str.count(r"\+") >= 1).all()
    assert merged["code_from"].isna().all()


def test_nuts_changes_bounds_and_errors():
    assert set(nuts_changes(2016, 2021)["from_nuts_year"]) == {2016}
    assert set(nuts_changes(2013, 2021)["to_nuts_year"]) == {2016, 2021}
    with pytest.raises(SchemaError, match="from_nuts_year=2024 is after"):
        nuts_changes(2024, 2013)
    with pytest.raises(SchemaError, match="nuts_year=2018 is not a NUTS version"):
        nuts_changes(2018)


# ------------------------------------------------------------------ successors


@pytest.mark.parametrize(
    ("code", "versions", "change", "codes"),
    [
        ("PT18", (2021, 2024), "boundary_shift", ("PT1C",)),
        ("FR30", (2013, 2024), "recoded", ("FRE1",)),
        ("HR04", (2016, 2024), "split", ("HR02", "HR05", "HR06")),
        ("PT1C", (2024, 2021), "boundary_shift", ("PT18",)),
        ("FRC", (2016, 2013), "split", ("FR26", "FR43")),
        ("FRE1", (2024, 2013), "recoded", ("FR30",)),
        ("DE11", (2013, 2024), "unchanged", ("DE11",)),
        ("ITH5", (2021, 2024), "minor_shift", ("ITH5",)),
        ("UKC1", (2021, 2024), "discontinued", ()),
        ("DEG0N", (2021, 2024), "discontinued",
         ("DEG0Q", "DEG0R", "DEG0S", "DEG0T", "DEG0U", "DEG0V")),
    ],
)  # fmt: skip
def test_successors_follow_the_chain_both_ways(code, versions, change, codes):
    succession = nuts_successors(code, *versions)
    assert succession.change == change
    assert succession.codes == codes
    assert succession.code == code
    assert f"NUTS {versions[1]}" in str(succession)


def test_successors_say_what_they_overlap():
    alentejo = nuts_successors("PT18", 2021, 2024)
    assert alentejo.overlaps == ("PT1C", "PT1D")
    assert "boundary shift" in alentejo.note and "overlaps PT1C, PT1D" in alentejo.note
    assert "NUTS 2024 has no regions of UK" in nuts_successors("UKC1", 2021, 2024).note
    with pytest.raises(SchemaError, match=r"'PT1C' is not a code of NUTS 2021 \("):
        nuts_successors("PT1C", 2021, 2024)
    with pytest.raises(SchemaError, match="nuts_year=2010"):
        nuts_successors("DE11", 2010, 2024)


# ------------------------------------------------------------------ suggestions


def test_suggestions_come_from_the_correspondence_first():
    fr30 = suggest_nuts("FR30")
    assert fr30.codes == ("FRE1",)  # Nord-Pas-de-Calais, never Guyane (FRY3)
    assert fr30.source == "correspondence"
    assert str(fr30).startswith("did you mean 'FRE1'?")
    assert suggest_nuts("PT18", 2024).codes == ("PT1C",)
    assert suggest_nuts("PT1C", 2021).codes == ("PT18",)
    assert suggest_nuts("DE11").source == "valid"
    typo = suggest_nuts("DE1Z")
    assert (typo.source, typo.codes) == ("same_country", ("DE11", "DE12", "DE13"))
    assert suggest_nuts("XX99").source == "none"
    assert "did you mean 'DE11'" in suggest_nuts("de11").note  # normalise_nuts
    assert suggest_nuts("FRZZ9").codes == ()


@given(
    country=st.sampled_from(sorted(EU27_COUNTRIES)),
    rest=st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTUVWY", min_size=1, max_size=3),
)
def test_suggestions_never_cross_a_country(country, rest):
    suggestion = suggest_nuts(country + rest, 2024)
    assert all(code.startswith(country) for code in suggestion.codes)


# ------------------------------------------------------------------ the script


def test_script_names_a_missing_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "NUTS2021-NUTS2024.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "NUTS2024"
    workbook.create_sheet("Changes overview")
    workbook.save(book)
    script = _script()
    with pytest.raises(SystemExit, match=re.escape(
        "NUTS2021-NUTS2024.xlsx: no sheet 'Statistical Regions'; the workbook has "
        "sheets ['NUTS2024', 'Changes overview']"
    )):  # fmt: skip
        script.read_sheet(book, "Statistical Regions")


def test_script_formulas_are_unions_only():
    from nuts_algebra import parse_formulas

    _script()
    assert parse_formulas(["FRC=FR26+FR43", "PL8=PL3-PL33", "FRD1=FRFR25"]) == [
        (["FRC"], ["FR26", "FR43"])
    ]  # fmt: skip
    assert parse_formulas(["PT1A + PT1B = ex-PT17, recalculation by NSI"]) == [
        (["PT1A", "PT1B"], ["PT17"])
    ]  # fmt: skip
    assert parse_formulas(["PL913=PL633-new PL926"]) == []


@pytest.mark.mirror
@pytest.mark.slow
def test_script_rebuilds_the_shipped_tables_byte_for_byte(
    mirror_path, tmp_path, monkeypatch, capsys
):
    script = _script()
    monkeypatch.setattr(script, "OUT", tmp_path)
    assert script.main(["derive", str(mirror_path / "eurostat")]) == 0
    assert "2021 → 2024: 365 changes" in capsys.readouterr().out
    names = ["nuts2013.csv", "nuts2016.csv", "nuts2021.csv", "nuts2024.csv",
             "nuts_changes.csv", "nuts2021_typologies.csv"]  # fmt: skip
    for name in names:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
