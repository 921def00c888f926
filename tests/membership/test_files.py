"""An analyst's own membership file: read, validated row by row, used as a registry."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import MembershipError, SchemaError
from regiongap.membership.vocabulary import MEMBER_COLUMNS

FIXTURES = Path(__file__).parents[1] / "data" / "membership"


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
    assert frame["level"].tolist() == [2, 1, 3, 3, 1, 2]
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
    5: "in NUTS 2021: split; now HR02, HR05, HR06",
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


def test_level_column_and_its_old_name_both_work(tmp_path):
    new = tmp_path / "new.csv"
    new.write_text(
        "partnership_id,nuts_code,role,level\nnet,ES21,lead,2\nnet,ES22,member,3\n",
        encoding="utf-8",
    )
    with pytest.raises(MembershipError) as info:
        rg.read_membership(new)
    text = str(info.value)
    assert "row 3 (partnership_id='net', geo='ES22'): level 3 does not match" in text
    assert "nuts_level" not in text
    # a file written for regiongap 0.1 says nuts_level: read as level
    old = tmp_path / "old.csv"
    old.write_text(
        "partnership_id,nuts_code,role,nuts_level\nnet,ES21,lead,2\nnet,FRH,member,1\n",
        encoding="utf-8",
    )
    frame = rg.read_membership(old)
    assert list(frame.columns) == list(MEMBER_COLUMNS)
    assert frame["level"].tolist() == [2, 1]


def test_a_0_1_members_table_is_still_a_registry():
    mine = rg.read_membership(FIXTURES / "good_network.csv", member_list="complete")
    old = mine.rename(columns={"level": "nuts_level"})
    rows = rg.members(level=2, registry=old)
    assert set(rows["geo"]) == set(rg.members(level=2, registry=mine)["geo"])
    assert "nuts_level" not in rows.columns
