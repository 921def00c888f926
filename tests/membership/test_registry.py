"""The partnership registry: shipped data, level mapping, matrix, groups, user files."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, MembershipError, SchemaError
from regiongap.geo import codes as nuts
from regiongap.membership.registry import (
    COMPLETE,
    DATA_DIR,
    LEVEL_COLUMNS,
    MEMBERS_FILE,
    PARTNERSHIPS_FILE,
    load_registry,
)
from regiongap.membership.validate import MEMBER_COLUMNS

FIXTURES = Path(__file__).parents[1] / "data" / "membership"
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
        "nuts_level",
        "role",
        "source_url",
        "confidence",
        "notes",
    ]


def test_shipped_codes_are_nuts_2021_and_match_country_and_level():
    rows = rg.members()
    report = nuts.validate_nuts(rows["geo"], year=2021)
    assert report["valid"].all(), report[~report["valid"]]
    assert (rows["geo"].str.len() - 2).tolist() == rows["nuts_level"].tolist()
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
    nuts2 = set(nuts.nuts_codes(2021, level=2)["geo"])
    assert set(rows["geo"]) <= nuts2
    assert not rows.duplicated(["partnership_id", "geo"]).any()
    assert (rows["nuts_level"] == 2).all()
    assert list(rows.columns) == list(LEVEL_COLUMNS)
    assert set(rows["mapping"]) <= {"as_listed", "parent", "expanded"}
    # every listed row is accounted for by exactly one output row per region
    listed = rg.members()
    assert set(listed["partnership_id"]) == set(rows["partnership_id"])


@pytest.mark.parametrize(
    ("partnership", "listed", "expected"),
    [
        ("cybersecurity", "FRH", {"FRH0"}),
        ("cybersecurity", "EE", {"EE00"}),
        ("chemicals", "PL9", {"PL91", "PL92"}),
        ("social_economy", "SI", {"SI03", "SI04"}),
        ("cybersecurity", "UKL", {"UKL1", "UKL2"}),
    ],
)
def test_coarse_members_are_expanded_to_nuts2(partnership, listed, expected):
    rows = rg.members(partnership, level=2)
    hit = rows[rows["listed_geo"] == listed]
    assert set(hit["geo"]) == expected
    assert (hit["mapping"] == "expanded").all()


def test_nuts3_members_are_mapped_to_parent_and_merged_not_duplicated():
    rows = rg.members("mining", level=2)
    fi1d = rows[rows["geo"] == "FI1D"]
    assert len(fi1d) == 1
    row = fi1d.iloc[0]
    assert set(row["listed_geo"].split(", ")) == {"FI1D7", "FI1D3", "FI1D8"}
    assert row["n_listed"] == 3
    assert row["mapping"] == "parent"
    # Lapland and North Karelia lead, Kainuu is a member: the strongest role wins
    assert row["role"] == "co-lead"
    names = nuts.nuts_codes(2021).set_index("geo")["name"]
    assert row["region_name"] == names["FI1D"]


def test_merge_keeps_strongest_role_and_highest_confidence():
    frame = pd.DataFrame(
        {
            "partnership_id": ["net", "net"],
            "geo": ["FI1D7", "FI1D3"],
            "role": ["member", "lead"],
            "confidence": ["high", "low"],
            "member_list": ["complete", "complete"],
        }
    )
    row = rg.members(level=2, registry=frame).iloc[0]
    assert (row["role"], row["confidence"], row["n_listed"]) == ("lead", "high", 2)


def test_level1_maps_up_and_down():
    rows = rg.members("social_economy", level=1)
    assert set(rows["geo"]) == {"ES2", "ES6", "FI1", "ITH", "SE1", "SI0", "BE3"}
    mapping = dict(zip(rows["listed_geo"], rows["mapping"], strict=True))
    assert mapping == {
        "ES22": "parent",
        "ES62": "parent",
        "FI1D7": "parent",
        "ITH5": "parent",
        "SE124": "parent",
        "SI": "expanded",
        "BE3": "as_listed",
    }


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


# ------------------------------------------------------------------ matrix
def test_matrix_has_one_row_per_region_and_counts_memberships():
    matrix = rg.membership_matrix(level=2)
    rows = rg.members(level=2)
    assert matrix.index.is_unique and matrix.index.name == "geo"
    assert set(matrix.columns) == set(rg.partnerships()["partnership_id"])
    assert set(matrix.to_numpy().ravel()) <= {0, 1}
    assert str(matrix.dtypes.unique()[0]) == "int64"
    # column sums = members per partnership; row sums = partnerships per region
    assert matrix.sum().to_dict() == {
        pid: int((rows["partnership_id"] == pid).sum()) for pid in matrix.columns
    }
    assert matrix.loc["ES41"].sum() == int((rows["geo"] == "ES41").sum()) >= 5
    assert matrix["photonics"].sum() == 0  # listed with no members


def test_matrix_roles_and_complete_only():
    roles = rg.membership_matrix(value="role", partnerships=["social_economy"])
    assert roles.loc["ES22", "social_economy"] == "lead"
    complete = rg.membership_matrix(complete_only=True)
    assert list(complete.columns) == [
        p
        for p in rg.partnerships()["partnership_id"]
        if p in rg.complete_partnerships()
    ]
    assert complete.attrs["member_list"] == dict.fromkeys(complete.columns, COMPLETE)
    with pytest.raises(MembershipError, match="not complete"):
        rg.membership_matrix(partnerships=["hydrogen_valleys"], complete_only=True)
    with pytest.raises(SchemaError):
        rg.membership_matrix(value="share")


def test_matrix_all_regions_covers_every_nuts2_region():
    matrix = rg.membership_matrix(all_regions=True, partnerships="social_economy")
    assert set(nuts.nuts_codes(2021, level=2)["geo"]) == set(matrix.index)
    assert matrix["social_economy"].sum() == len(rg.members("social_economy", level=2))


# ------------------------------------------------------------------ groups
def test_groups_refuse_incomplete_lists_by_default():
    with pytest.raises(MembershipError) as info:
        rg.membership_groups("hydrogen_valleys")
    text = str(info.value)
    assert "not complete" in text and "5 of 12" in text
    assert "social_economy" in text  # the complete alternatives are listed


def test_groups_on_a_complete_list():
    groups = rg.membership_groups("social_economy")
    assert groups.name == "social_economy"
    assert set(groups.cat.categories) == {"member", "non-member"}
    members = set(rg.members("social_economy", level=2)["geo"])
    assert set(groups[groups == "member"].index) == members
    eu27 = set(nuts.nuts_codes(2021, level=2, countries="EU27")["geo"])
    assert set(groups.index) == eu27
    assert groups.attrs["member_list"] == {"social_economy": COMPLETE}


def test_groups_on_incomplete_list_warn_when_allowed():
    with pytest.warns(DataQualityWarning, match="not complete"):
        groups = rg.membership_groups("hydrogen_valleys", complete_only=False)
    assert (groups == "member").sum() == len(rg.members("hydrogen_valleys", level=2))


def test_groups_warn_about_members_outside_the_universe():
    with pytest.warns(DataQualityWarning, match="UKL1, UKL2"):
        groups = rg.membership_groups("cybersecurity")
    assert "UKL1" not in groups.index
    everything = rg.membership_groups("cybersecurity", universe="all")
    assert everything["UKL1"] == "member"


# ------------------------------------------------------------------ user files
def test_read_membership_good_file_has_the_members_shape():
    frame = rg.read_membership(FIXTURES / "good_network.csv", member_list="complete")
    assert list(frame.columns) == list(MEMBER_COLUMNS)
    first = frame.iloc[0]
    assert (first["geo"], first["role"], first["country"]) == ("ES21", "lead", "ES")
    assert frame.loc[1, "country"] == "FR"
    assert frame.loc[2, "role"] == "co-lead"
    assert frame["confidence"].eq("high").all()
    assert frame.loc[5, "region_name"] == "País Vasco"  # filled from NUTS
    assert frame["nuts_level"].tolist() == [2, 1, 3, 3, 1, 2]
    level2 = rg.members(level=2, registry=frame)
    assert set(level2.loc[level2["partnership_id"] == "other_network", "geo"]) == {
        "PL91",
        "PL92",
        "ES21",
    }
    matrix = rg.membership_matrix(registry=frame)
    assert list(matrix.columns) == ["demo_network", "other_network"]
    assert matrix.loc["ES21"].tolist() == [1, 1]
    groups = rg.membership_groups("demo_network", registry=frame)
    assert set(groups[groups == "member"].index) == {"ES21", "FRH0", "FI1D"}


def test_partnerships_of_a_user_registry():
    frame = rg.read_membership(FIXTURES / "good_network.csv")
    table = rg.partnerships(registry=frame).set_index("partnership_id")
    assert list(table.index) == ["demo_network", "other_network"]
    assert table.loc["demo_network", "member_rows"] == 4
    assert table.loc["demo_network", "lead_regions"] == "Basque Country; Lappi"
    assert table.loc["demo_network", "completeness"] == (
        "partial: 4 regions listed, total not stated"
    )
    assert pd.isna(table.loc["other_network", "source_url"])
    assert rg.complete_partnerships(registry=frame) == []


def test_user_files_default_to_partial_lists():
    frame = rg.read_membership(FIXTURES / "good_network.csv")
    assert set(frame["member_list"]) == {"partial"}
    with pytest.raises(MembershipError, match=r"member_list='complete'\)"):
        rg.membership_groups("demo_network", registry=frame)


def test_shipped_and_user_rows_combine():
    mine = rg.read_membership(FIXTURES / "good_network.csv", member_list="complete")
    both = pd.concat([rg.members(), mine], ignore_index=True)
    matrix = rg.membership_matrix(registry=both)
    assert {"social_economy", "demo_network"} <= set(matrix.columns)


BAD_ROWS = {
    3: "unknown NUTS 2021 code 'ES2X'",  # suggestions are same-country, same-level
    4: "its NUTS 2021 equivalent is 'HR050'",
    5: "split into new HR02, HR05 and HR06",
    6: "country 'FR' does not match 'ITC4'",
    7: "nuts_level 3 does not match 'ES22'",
    8: "duplicate (partnership_id, nuts_code): also on row 9",
    9: "duplicate (partnership_id, nuts_code): also on row 8",
    10: "missing role",
    11: "role 'leader' is not one of lead, co-lead, member, unknown "
    "(did you mean 'lead'?)",
    12: "missing partnership_id",
    13: "malformed NUTS code",
    14: "Eurostat writes 'EL'",
}


def _assert_all_bad_rows(error: MembershipError) -> None:
    text = str(error)
    assert f"has {len(BAD_ROWS)} bad rows" in text
    lines = {int(line.split()[1]): line for line in text.splitlines()[1:]}
    assert set(lines) == set(BAD_ROWS)
    for row, reason in BAD_ROWS.items():
        assert reason in lines[row], (row, lines[row])
    problems = error.problems
    assert set(problems["row"]) == set(BAD_ROWS)


def test_bad_csv_gets_one_error_listing_every_bad_row():
    with pytest.raises(MembershipError) as info:
        rg.read_membership(FIXTURES / "bad_network.csv")
    _assert_all_bad_rows(info.value)


def test_bad_xlsx_gets_the_same_error(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    with (FIXTURES / "bad_network.csv").open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle):
            sheet.append([int(v) if v.isdigit() else (v or None) for v in record])
    path = tmp_path / "bad_network.xlsx"
    book.save(path)
    with pytest.raises(MembershipError) as info:
        rg.read_membership(path)
    _assert_all_bad_rows(info.value)


def test_read_membership_rejects_other_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        rg.read_membership(tmp_path / "missing.csv")
    path = tmp_path / "network.json"
    path.write_text("{}")
    with pytest.raises(SchemaError, match=r"\.csv or \.xlsx"):
        rg.read_membership(path)
    path = tmp_path / "no_role.csv"
    path.write_text("partnership_id,nuts_code\nnet,ES21\n")
    with pytest.raises(MembershipError, match="missing column"):
        rg.read_membership(path)


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
    rows.loc[4, "nuts_level"] = "3"
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
        6: "nuts_level 3 does not match",
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


def test_more_user_file_rules(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "partnership_id,nuts_code,role,confidence,member_list,budget\n"
        "Net A,ES21,lead,high,complete,10\n"  # not a slug
        "net_b,ESZZ,member,high,complete,\n"  # extra-regio
        "net_b,EU27_2020,member,high,complete,\n"  # aggregate
        "net_b,ES22,member,sure,partial,\n"  # bad confidence, member_list differs
        "net_c,ES30,member,high,finished,\n",  # bad member_list
        encoding="utf-8",
    )
    with pytest.raises(MembershipError) as info:
        rg.read_membership(path)
    lines = {int(ln.split()[1]): ln for ln in str(info.value).splitlines()[1:]}
    assert "use 'net_a'" in lines[2]
    assert "extra-regio" in lines[3]
    assert "malformed NUTS code" in lines[4] and "aggregate" in lines[4]
    assert "confidence 'sure'" in lines[5] and "member_list differs" in lines[5]
    assert "member_list differs" in lines[3]
    assert "member_list 'finished'" in lines[6]


def test_user_file_keeps_extra_columns(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "partnership_id,nuts_code,role,budget\nnet,ES21,lead,10\n", encoding="utf-8"
    )
    frame = rg.read_membership(path, member_list="complete")
    assert list(frame.columns) == [*MEMBER_COLUMNS, "budget"]
    assert frame.loc[0, "budget"] == "10"
    assert frame.attrs["source"] == str(path)
