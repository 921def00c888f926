"""The shipped partnership registry: its data, partnerships(), members()."""

from __future__ import annotations

import csv
import shutil
from collections import Counter

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import MembershipError, SchemaError
from regiongap.geo.lists import nuts_codes
from regiongap.membership.registry import (
    DATA_DIR,
    MEMBERS_FILE,
    PARTNERSHIPS_FILE,
    load_registry,
)
from regiongap.membership.to_level import LEVEL_COLUMNS
from regiongap.membership.vocabulary import COMPLETE, MEMBER_COLUMNS

SOCIAL_URL = (
    "https://ec.europa.eu/regional_policy/policy/communities-and-networks/"
    "s3-community-of-practice/im_social_economy_en"
)


def _csv_rows(name: str) -> list[dict[str, str]]:
    """Read a shipped table with the csv module (independent of the library)."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------ shipped data
def test_shipped_registry_loads_and_keeps_every_row():
    table, rows = load_registry()
    raw_p, raw_m = _csv_rows(PARTNERSHIPS_FILE), _csv_rows(MEMBERS_FILE)
    assert list(table["partnership_id"]) == [r["partnership_id"] for r in raw_p]
    assert len(rows) == len(raw_m)
    assert list(rows["geo"]) == [r["nuts_code"] for r in raw_m]
    assert list(rows.columns) == list(MEMBER_COLUMNS)
    assert rows["source_url"].notna().all()


def test_shipped_files_keep_every_source_column():
    with (DATA_DIR / MEMBERS_FILE).open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header == [
        "partnership_id",
        "region_name",
        "country",
        "nuts_code",
        "level",
        "role",
        "source_url",
        "confidence",
        "notes",
    ]


def test_shipped_codes_are_nuts_2021_and_match_country_and_level():
    rows = rg.members()
    report = rg.validate_nuts(rows["geo"], nuts_year=2021)
    assert report["valid"].all(), report[~report["valid"]]
    assert (rows["geo"].str.len() - 2).tolist() == rows["level"].tolist()
    assert (rows["geo"].str[:2] == rows["country"]).all()


def test_social_economy_lists_navarra_as_lead_with_its_source():
    rows = rg.members("social_economy")
    navarra = rows[rows["geo"] == "ES22"]
    assert len(navarra) == 1
    assert navarra["role"].iloc[0] == "lead"
    assert SOCIAL_URL in navarra["source_url"].iloc[0]
    assert rows["role"].iloc[0] == "lead"  # leads come first
    assert set(rows["geo"]) == {"ES22", "ITH5", "FI1D7", "ES62", "SE124", "SI", "BE3"}
    assert (rows["member_list"] == COMPLETE).all()


def test_partnerships_one_row_each_with_counts_from_the_files():
    table = rg.partnerships()
    raw_p, raw_m = _csv_rows(PARTNERSHIPS_FILE), _csv_rows(MEMBERS_FILE)
    assert table["partnership_id"].is_unique
    assert len(table) == len(raw_p)
    counts = Counter(r["partnership_id"] for r in raw_m)
    got = dict(zip(table["partnership_id"], table["member_rows"], strict=True))
    assert got == {
        r["partnership_id"]: counts.get(r["partnership_id"], 0) for r in raw_p
    }
    assert (table["members_with_nuts"] == table["member_rows"]).all()
    for column in (
        "name",
        "platform",
        "launched",
        "lead_regions",
        "completeness",
        "source_url",
        "members_stated",
        "complete",
    ):
        assert column in table.columns
    by_id = table.set_index("partnership_id")
    assert by_id.loc["social_economy", "completeness"].startswith(
        "complete list per source"
    )
    assert (
        by_id.loc["hydrogen_valleys", "completeness"]
        == "partial: 5 of 12 stated members listed"
    )
    assert by_id.loc["social_economy", "launched"] == 2018
    assert set(table["platform"]) == {"industrial_modernisation", "energy", "agrifood"}


def test_complete_partnerships_are_those_marked_complete_in_the_file():
    expected = sorted(
        r["partnership_id"]
        for r in _csv_rows(PARTNERSHIPS_FILE)
        if r["member_list"] == "complete"
    )
    assert rg.complete_partnerships() == expected
    assert "social_economy" in expected and "hydrogen_valleys" not in expected


# ------------------------------------------------------------------ members()
def test_members_level2_joins_cleanly_with_nuts2():
    rows = rg.members(level=2)
    nuts2 = set(nuts_codes(2021, level=2)["geo"])
    assert set(rows["geo"]) <= nuts2
    assert not rows.duplicated(["partnership_id", "geo"]).any()
    assert (rows["level"] == 2).all()
    assert list(rows.columns) == list(LEVEL_COLUMNS)
    assert set(rows["mapping"]) <= {"as_listed", "parent", "expanded"}
    # every listed row is accounted for by exactly one output row per region
    listed = rg.members()
    assert set(listed["partnership_id"]) == set(rows["partnership_id"])


def test_min_confidence_and_roles_filters():
    raw = _csv_rows(MEMBERS_FILE)
    high = rg.members(min_confidence="high")
    assert len(high) == sum(r["confidence"] == "high" for r in raw)
    medium = rg.members(min_confidence="medium")
    assert len(medium) == sum(r["confidence"] in ("high", "medium") for r in raw)
    assert len(rg.members()) == len(raw)
    leads = rg.members(roles=["lead", "co-lead"])
    assert len(leads) == sum(r["role"] in ("lead", "co-lead") for r in raw)
    assert set(rg.members(roles="lead")["role"]) == {"lead"}


def test_several_partnerships_as_a_list():
    rows = rg.members(["social_economy", "mining"])
    assert set(rows["partnership_id"]) == {"social_economy", "mining"}


def test_unknown_partnership_names_it_and_suggests():
    with pytest.raises(MembershipError) as info:
        rg.members("social_econmy")
    text = str(info.value)
    assert "'social_econmy'" in text
    assert "Did you mean 'social_economy'?" in text
    assert "hydrogen_valleys" in text  # valid ids are listed


@pytest.mark.parametrize(
    "kwargs",
    [{"level": 5}, {"level": "2"}, {"min_confidence": "certain"}, {"roles": "boss"}],
)
def test_bad_arguments_raise_schema_error(kwargs):
    with pytest.raises(SchemaError):
        rg.members(**kwargs)


def test_level_mapped_table_is_not_a_registry():
    with pytest.raises(MembershipError, match="level-mapped"):
        rg.members(registry=rg.members(level=2))


# ------------------------------------------------------------------ broken shipped copy
def test_broken_copy_of_the_shipped_data_lists_every_bad_row(tmp_path):
    for name in (PARTNERSHIPS_FILE, MEMBERS_FILE):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    table = pd.read_csv(tmp_path / PARTNERSHIPS_FILE, dtype=str, keep_default_na=False)
    table.loc[0, "platform"] = "agri-food"
    table.loc[1, "partnership_id"] = table.loc[2, "partnership_id"]
    table.to_csv(tmp_path / PARTNERSHIPS_FILE, index=False)
    with pytest.raises(MembershipError) as info:
        load_registry(tmp_path)
    text = str(info.value)
    assert "row 2" in text and "platform 'agri-food'" in text
    assert "row 3" in text and "row 4" in text and "appears more than once" in text

    shutil.copy(DATA_DIR / PARTNERSHIPS_FILE, tmp_path / PARTNERSHIPS_FILE)
    rows = pd.read_csv(tmp_path / MEMBERS_FILE, dtype=str, keep_default_na=False)
    rows.loc[0, "role"] = "chef"
    rows.loc[1, "country"] = "FR"
    rows.loc[2, "source_url"] = ""
    rows.loc[3, "partnership_id"] = "batteriez"
    rows.loc[4, "level"] = "3"
    rows.loc[5, "confidence"] = "certain"
    rows.to_csv(tmp_path / MEMBERS_FILE, index=False)
    with pytest.raises(MembershipError) as info:
        load_registry(tmp_path)
    text = str(info.value)
    for line, reason in {
        2: "role 'chef'",
        3: "country 'FR' does not match",
        4: "missing source_url",
        5: "'batteriez' is not in the partnership table (did you mean 'batteries'?)",
        6: "): level 3 does not match",
        7: "confidence 'certain'",
    }.items():
        assert any(
            ln.strip().startswith(f"line {line} ") and reason in ln
            for ln in text.splitlines()
        ), (line, reason, text)
    assert "has 6 bad rows" in text


# ------------------------------------------------------------------ public API
def test_partnerships_stays_a_function_after_the_module_is_imported():
    import regiongap.membership.registry as module

    rg.members("social_economy")
    assert rg.partnerships is module.partnerships
    assert isinstance(rg.partnerships(), pd.DataFrame)
    assert module.COMPLETE == "complete"
