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


@pytest.mark.parametrize("nuts_year", [2016, 2024, "2021"])
def test_only_nuts_2021_is_supported(nuts_year):
    frame = _frame(partnership_id=["net"], geo=["ES21"], role=["lead"])
    with pytest.raises(
        SchemaError, match=rf"nuts_year={nuts_year!r}.*use nuts_year=2021"
    ):
        validate_members(frame, nuts_year=nuts_year)


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
