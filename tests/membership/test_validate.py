"""The membership validators: one error for every bad row, and the NUTS version."""

from __future__ import annotations

import pandas as pd
import pytest

from regiongap.errors import MembershipError, SchemaError
from regiongap.membership.validate import validate_members, validate_partnerships
from regiongap.membership.vocabulary import MEMBER_COLUMNS, PARTNERSHIP_COLUMNS


def _frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_members_are_normalised_and_filled_from_nuts():
    frame = _frame(partnership_id=[" Net "], nuts_code=[" es21"], role=["Co_Lead"])
    out = validate_members(frame)
    assert list(out.columns) == list(MEMBER_COLUMNS)
    row = out.iloc[0]
    assert (row["partnership_id"], row["geo"], row["role"]) == (
        "net",
        "ES21",
        "co-lead",
    )
    assert (row["country"], row["level"]) == ("ES", 2)
    assert str(out["level"].dtype) == "int64"


@pytest.mark.parametrize("nuts_year", [2019, "2021", 2020.0])
def test_nuts_year_must_be_a_nuts_version(nuts_year):
    frame = _frame(partnership_id=["net"], geo=["ES21"], role=["lead"])
    with pytest.raises(
        SchemaError,
        match=rf"nuts_year={nuts_year!r} is not a NUTS version; use 2013, 2016, "
        r"2021 or 2024",
    ):
        validate_members(frame, nuts_year=nuts_year)


@pytest.mark.parametrize(
    ("nuts_year", "code", "name"),
    [
        (2013, "FR30", "Nord-Pas de Calais"),
        (2016, "HR04", "Kontinentalna Hrvatska"),
        (2021, "PT18", "Alentejo"),
        (2024, "PT1C", "Alentejo"),
    ],
)
def test_codes_of_every_nuts_version_are_read_in_it(nuts_year, code, name):
    frame = _frame(partnership_id=["net"], geo=[code], role=["lead"])
    out = validate_members(frame, nuts_year=nuts_year)
    assert out.loc[0, "nuts_year"] == nuts_year
    assert out.loc[0, "region_name"] == name
    assert str(out["nuts_year"].dtype) == "int64"


def test_each_row_has_its_own_version():
    frame = _frame(
        partnership_id=["net"] * 4,
        geo=["FR30", "PT1C", "ES21", "PT18"],
        role=["lead"] * 4,
        nuts_year=["", "", "", "2021"],
    )
    out = validate_members(frame, nuts_year=None)  # each code's own version
    assert out["nuts_year"].tolist() == [2013, 2024, 2021, 2021]
    with pytest.raises(MembershipError) as info:
        validate_members(frame.assign(nuts_year=["2013", "2019", "", ""]))
    text = str(info.value)
    assert "row 3 (partnership_id='net', geo='PT1C'): nuts_year 2019 is not a NUTS" in (
        text
    )
    # the default version, 2021, for the rows that say none: PT1C is NUTS 2024
    assert "row 3" in text and "row 4" not in text and "row 2" not in text
    frame = frame.assign(nuts_year=["2013", "", "", ""])
    with pytest.raises(MembershipError, match=r"'PT1C' is a NUTS 2024 code"):
        validate_members(frame)


def test_other_version_codes_are_answered_from_the_official_correspondence():
    frame = _frame(partnership_id=["net"] * 3, geo=["FR30", "PT18", "FR3X"])
    frame["role"] = "member"
    with pytest.raises(MembershipError) as info:
        validate_members(frame, nuts_year=2024)
    lines = str(info.value).splitlines()[1:]
    assert "'FR30' is a NUTS 2013 code" in lines[0]
    assert "its NUTS 2024 equivalent is 'FRE1' (recoded: same territory)" in lines[0]
    assert "'PT18' is a NUTS 2021 code" in lines[1]
    assert "a boundary shift; now PT1C" in lines[1]
    # in no version: the closest codes of the same country, never a string guess
    # from another country
    assert "unknown NUTS 2024 code 'FR3X': in no NUTS version" in lines[2]
    assert "did you mean 'FRE1'" not in lines[2]


def test_problems_attribute_lists_every_problem():
    frame = _frame(
        partnership_id=["net", "net", "net"],
        geo=["ES21", "ES2X", "ES21"],
        role=["lead", "boss", "member"],
    )
    with pytest.raises(MembershipError) as info:
        validate_members(frame)
    problems = info.value.problems
    assert set(problems.columns) == {"row", "partnership_id", "geo", "problem"}
    assert sorted(problems["row"].unique()) == [2, 3, 4]
    assert "has 3 bad rows" in str(info.value)


def test_partnership_table_every_rule():
    good = dict.fromkeys(PARTNERSHIP_COLUMNS, "")
    good.update(
        partnership_id="net",
        name="Net",
        platform="energy",
        member_list="complete",
        source_url="https://example.org",
    )
    bad = {**good, "partnership_id": "net", "launched": "1850", "source_url": "x"}
    with pytest.raises(MembershipError) as info:
        validate_partnerships(pd.DataFrame([good, bad]))
    text = str(info.value)
    assert "row 2" in text and "row 3" in text and "appears more than once" in text
    assert "launched '1850' is not a whole number in [1990, 2100]" in text
    assert "source_url is not an http(s) URL: 'x'" in text
    table = validate_partnerships(pd.DataFrame([{**good, "members_stated": "7"}]))
    assert str(table["members_stated"].dtype) == "Int64"
    assert table.loc[0, "members_stated"] == 7
