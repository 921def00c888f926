"""Analysts' own files as spreadsheets save them: locale, encoding, title rows, numbers.

The fixtures in ``tests/data/membership/`` are hand-made (see its README): a French
Excel CSV (semicolons, cp1252, a title row, decimal commas, empty rows at the end),
Excel's "CSV UTF-8" (a byte-order mark), Excel's "Unicode text" (UTF-16, tabs), a
Latin-1 file with two title rows, and a cp1252 file with bad rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import MembershipError, SchemaError
from regiongap.membership.vocabulary import MEMBER_COLUMNS

FIXTURES = Path(__file__).parents[1] / "data" / "membership"


def test_semicolon_cp1252_file_with_title_row_and_decimal_commas():
    frame = rg.read_membership(FIXTURES / "semicolon_cp1252.csv")
    assert frame["geo"].tolist() == ["FRL0", "FRK", "ITC1", "ITH2"]
    assert frame.loc[0, "region_name"] == "Provence-Alpes-Côte d’Azur"  # ’ is cp1252
    assert frame.loc[1, "region_name"] == "Auvergne-Rhône-Alpes"
    assert frame["level"].tolist() == [2, 1, 2, 2]
    assert frame["role"].tolist() == ["lead", "co-lead", "member", "member"]
    assert list(frame.columns) == [*MEMBER_COLUMNS, "budget_meur", "part_du_budget"]
    budget = pd.to_numeric(frame["budget_meur"])
    assert budget.tolist()[:3] == [1234.5, 850.0, 412.25]
    assert pd.isna(budget.iloc[3])
    assert pd.to_numeric(frame["part_du_budget"]).sum() == pytest.approx(1.0)
    attrs = frame.attrs
    assert (attrs["encoding"], attrs["delimiter"], attrs["header_row"]) == (
        "cp1252",
        "semicolon",
        3,
    )
    assert attrs["decimal_comma"] == ["budget_meur", "part_du_budget"]


def test_utf8_file_with_byte_order_mark():
    frame = rg.read_membership(FIXTURES / "utf8_bom.csv")
    assert frame.columns[0] == "partnership_id"  # the BOM is not in the name
    assert frame["region_name"].tolist() == [
        "Baden-Württemberg",
        "Länsi-Suomi",
        "Região Autónoma dos Açores",
    ]
    assert frame["notes"].tolist() == ["Land, NUTS 1", pd.NA, "ilhas; NUTS 2"]
    assert frame.attrs["encoding"] == "utf_8 (BOM)"
    assert frame.attrs["delimiter"] == "comma"


def test_utf16_tab_file_as_excel_unicode_text():
    frame = rg.read_membership(FIXTURES / "tab_utf16.txt")
    assert frame["geo"].tolist() == ["AT31", "DEG", "SE312"]
    assert frame["region_name"].tolist() == [
        "Oberösterreich",
        "Thüringen",
        "Dalarnas län",
    ]
    assert frame["level"].tolist() == [2, 1, 3]
    assert frame.attrs["delimiter"] == "tab"
    assert frame.attrs["encoding"] == "utf_16 (BOM)"


def test_latin1_file_with_two_title_rows_and_empty_rows_at_the_end():
    frame = rg.read_membership(
        FIXTURES / "latin1_title_rows.csv", member_list="complete"
    )
    assert frame["geo"].tolist() == ["ES52", "ES61", "PT15"]
    assert frame.loc[1, "region_name"] == "Andalucía"
    assert frame.attrs["header_row"] == 3
    assert frame["presupuesto"].tolist() == ["12.5", "7", "3.75"]
    level2 = rg.members(level=2, registry=frame)
    assert set(level2["geo"]) == {"ES52", "ES61", "PT15"}


def test_every_bad_row_of_a_semicolon_file_in_one_error_with_file_row_numbers():
    with pytest.raises(MembershipError) as info:
        rg.read_membership(FIXTURES / "bad_semicolon_cp1252.csv")
    text = str(info.value)
    assert "has 4 bad rows (row numbers count the header as row 2)" in text
    lines = {int(line.split()[1]): line for line in text.splitlines()[1:]}
    assert set(lines) == {4, 5, 7, 8}  # row 6 is empty, row 3 is good
    assert "'FR30'" in lines[4]
    assert "role 'chef de file' is not one of" in lines[5]
    # "2,0" is read as level 2, which FRK (NUTS 1) is not
    assert "nuts_level 2 does not match 'FRK' (level 1)" in lines[7]
    assert "nuts_level '1,5' is not a whole number" in lines[8]
    assert set(info.value.problems["row"]) == {4, 5, 7, 8}


def test_excel_workbook_with_a_title_row(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A2"] = "Danube link: members (hand-made test workbook)"
    sheet.merge_cells("A2:E2")
    sheet.append([])
    sheet.append(["partnership_id", "nuts_code", "role", "nuts_level", "budget"])
    sheet.append(["danube_link", "AT31", "lead", 2, 1234.5])
    sheet.append(["danube_link", "HU11", "member", 2, 10])
    sheet.append(["danube_link", "SK02", "boss", 3, None])
    sheet.append([None, None, None, None, None])
    path = tmp_path / "danube.xlsx"
    book.save(path)
    with pytest.raises(MembershipError) as info:
        rg.read_membership(path)
    text = str(info.value)
    assert "header as row 4" in text  # row 1 empty, row 2 the title, row 3 empty
    assert "row 7 (partnership_id='danube_link', geo='SK02')" in text
    assert "role 'boss'" in text and "nuts_level 3 does not match 'SK02'" in text
    sheet["C7"], sheet["D7"] = "member", 2
    book.save(path)
    frame = rg.read_membership(path)
    assert frame["geo"].tolist() == ["AT31", "HU11", "SK02"]
    assert frame["level"].tolist() == [2, 2, 2]
    assert frame.attrs["header_row"] == 4
    assert pd.to_numeric(frame["budget"]).tolist()[:2] == [1234.5, 10]


def test_file_in_no_detectable_encoding_names_the_file_and_the_encodings(tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(SchemaError) as info:
        rg.read_membership(path)
    text = str(info.value)
    assert "cannot detect the encoding of membership file 'members.csv'" in text
    for name in ("utf-8", "utf-16", "cp1252", "latin-1", "encoding="):
        assert name in text


def test_encoding_can_be_named(tmp_path):
    path = tmp_path / "polska.csv"
    body = "partnership_id;nuts_code;region_name;role\nsiec;PL21;Małopolskie;lead\n"
    path.write_bytes(body.encode("cp1250"))
    frame = rg.read_membership(path, encoding="cp1250")
    assert frame.loc[0, "region_name"] == "Małopolskie"
    assert frame.attrs["encoding"] == "cp1250"
    with pytest.raises(SchemaError, match="'klingon' is not a Python codec"):
        rg.read_membership(path, encoding="klingon")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "partnership_id,nuts_code,role,region_name\nn,FR10,lead,Île\n".encode("cp1252")
    )
    with pytest.raises(
        SchemaError, match=r"'latin\.csv' is not utf-8.*Leave encoding="
    ):
        rg.read_membership(latin, encoding="utf-8")


def test_delimiter_is_the_one_that_splits_the_header(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "partnership_id,nuts_code,role,notes\n"
        "net,ES21,lead,first; second; third\n"
        'net,ES22,member,"a, b; c"\n',
        encoding="utf-8",
    )
    frame = rg.read_membership(path)
    assert frame["notes"].tolist() == ["first; second; third", "a, b; c"]
    assert frame.attrs["delimiter"] == "comma"


def test_membership_columns_are_never_read_as_numbers(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "partnership_id;nuts_code;role;level;notes;mixed\n"
        "net;ES21;lead;2,0;3,5;1,5\n"
        "net;ES22;member;2;;n/a\n",
        encoding="utf-8",
    )
    frame = rg.read_membership(path)
    assert frame["level"].tolist() == [2, 2]
    assert frame["notes"].tolist() == ["3,5", pd.NA]  # text, as written
    assert frame["mixed"].tolist() == ["1,5", "n/a"]  # not all numbers: as written
    assert frame.attrs["decimal_comma"] == []


def test_unnamed_empty_columns_are_dropped_and_named_ones_kept(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "partnership_id;nuts_code;role;;comment;\n"
        "net;ES21;lead;;;\n"
        "net;ES22;member;x;;\n",
        encoding="utf-8",
    )
    frame = rg.read_membership(path)
    assert list(frame.columns) == [*MEMBER_COLUMNS, "unnamed: 4", "comment"]
    assert frame["unnamed: 4"].tolist() == [pd.NA, "x"]
