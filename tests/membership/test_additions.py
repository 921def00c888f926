"""Reviewed membership additions: the merge, its refusals, and the shipped result."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import MembershipError
from regiongap.membership.additions import (
    MEMBER_FILE_COLUMNS,
    merge_additions,
    read_additions,
)
from regiongap.membership.registry import DATA_DIR, MEMBERS_FILE, PARTNERSHIPS_FILE

PROJECT = Path(__file__).resolve().parents[2]
#: rows of the member table before the November 2026 additions were merged
BEFORE = 146


def _additions(mirror_path: Path) -> pd.DataFrame:
    return read_additions(mirror_path / "partnerships" / "additions-2026-11.csv")


def _row(**changes: str) -> dict[str, str]:
    row = {
        "partnership_id": "sports",
        "region_name": "Kainuu (FI)",
        "country": "FI",
        "nuts_code": "FI1D8",
        "nuts_level": "3",
        "role": "member",
        "source_url": "https://epsi.eu/clussport/",
        "confidence": "high",
        "notes": "",
        "quote": "Kainuu (FI)",
    }
    return {**row, **changes}


def _registry_before(tmp_path: Path) -> Path:
    """A copy of the shipped registry with only the member rows it had before."""
    folder = tmp_path / "registry"
    shutil.copytree(DATA_DIR, folder)
    path = folder / MEMBERS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.readlines()
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(lines[: BEFORE + 1])
    return folder


# ------------------------------------------------------------------ the shipped result
def test_every_reviewed_addition_is_shipped_with_its_source(mirror_path):
    additions = _additions(mirror_path)
    assert len(additions) == 31
    rows = rg.members()
    assert len(rows) == BEFORE + 31
    shipped = rows.set_index(["partnership_id", "geo"])
    for add in additions.itertuples(index=False):
        row = shipped.loc[(add.partnership_id, add.nuts_code)]
        assert row["source_url"] == add.source_url
        assert (row["role"], row["confidence"]) == (add.role, add.confidence)
        assert add.quote in row["notes"]  # the source's words travel with the row


def test_sports_list_is_complete_and_the_other_statuses_follow_the_review():
    table = rg.partnerships().set_index("partnership_id")
    sports = table.loc["sports"]
    assert sports["member_list"] == "complete"
    assert (sports["member_rows"], sports["members_stated"]) == (10, 10)
    assert sports["completeness"] == "complete list per source (10 regions)"
    assert "https://epsi.eu/clussport/" in sports["source_url"]
    assert "sports" in rg.complete_partnerships()
    lists = table["member_list"].to_dict()
    for pid in (
        "efficient_sustainable_manufacturing",
        "high_performance_3d_printing",
        "marine_renewable_energy",
        "sustainable_buildings",
        "adma_energy",
        "high_tech_farming",
    ):
        assert lists[pid] == "partial", pid
    assert lists["personalised_medicine"] == "leads_only"
    assert table.loc["personalised_medicine", "members_stated"] == 13
    assert table.loc["high_tech_farming", "members_stated"] == 23
    assert table.loc["efficient_sustainable_manufacturing", "member_rows"] == 14


def test_two_leading_regions_are_both_co_leads():
    sports = rg.members("sports", roles=["lead", "co-lead"])
    assert sports.set_index("geo")["role"].to_dict() == {
        "FI1D7": "co-lead",
        "NL4": "co-lead",
    }
    # the bio-economy pilot-action group "led by Flanders" is not the partnership:
    # its coordinator stays Lombardy, Flanders a member
    bio = rg.members("bioeconomy").set_index("geo")["role"]
    assert (bio["ITC4"], bio["BE2"]) == ("lead", "member")


def test_the_merge_script_reproduces_the_shipped_member_table(mirror_path, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "merge_partnership_additions",
        PROJECT / "scripts" / "merge_partnership_additions.py",
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    folder = _registry_before(tmp_path)
    source = mirror_path / "partnerships" / "additions-2026-11.csv"
    assert script.main([str(source), "--folder", str(folder)]) == 0
    # the shipped rows before the additions, then the additions: byte for byte
    assert (folder / MEMBERS_FILE).read_bytes() == (
        DATA_DIR / MEMBERS_FILE
    ).read_bytes()
    # run twice: the second run refuses every row as already there
    assert script.main([str(source), "--folder", str(folder)]) == 1


def test_merge_keeps_existing_rows_cell_for_cell(tmp_path):
    folder = _registry_before(tmp_path)
    table = merge_additions(pd.DataFrame([_row()]), folder=folder)
    assert list(table.columns) == list(MEMBER_FILE_COLUMNS)
    with (folder / MEMBERS_FILE).open(encoding="utf-8", newline="") as handle:
        before = list(csv.DictReader(handle))
    assert table.iloc[:BEFORE].to_dict("records") == before
    added = table.iloc[-1]
    assert (added["nuts_code"], added["level"]) == ("FI1D8", "3")
    assert added["notes"] == "source quote: “Kainuu (FI)”"


# ------------------------------------------------------------------ refusals
def test_a_source_that_is_not_a_url_is_refused(tmp_path):
    folder = _registry_before(tmp_path)
    rows = pd.DataFrame(
        [
            _row(source_url="EPSI ClusSport page"),
            _row(nuts_code="AT31", nuts_level="2", country="AT", source_url=""),
            _row(
                nuts_code="ES52",
                nuts_level="2",
                country="ES",
                source_url="epsi.eu/clussport",
            ),
        ]
    )
    with pytest.raises(MembershipError) as info:
        merge_additions(rows, folder=folder, what="additions-2026-11.csv")
    text = str(info.value)
    assert "additions-2026-11.csv has 3 bad rows" in text
    assert "row 2 (partnership_id='sports', geo='FI1D8'): source_url is not an " in text
    assert "'EPSI ClusSport page'" in text
    assert "row 3 (partnership_id='sports', geo='AT31'): missing source_url" in text
    assert "'epsi.eu/clussport'" in text


def test_every_bad_addition_is_listed_in_one_error(tmp_path):
    folder = _registry_before(tmp_path)
    rows = pd.DataFrame(
        [
            _row(partnership_id="clussport"),  # not in the partnership table
            _row(nuts_code="FR30", nuts_level="2", country="FR"),  # not NUTS 2021
            _row(nuts_code="FI1D7"),  # already shipped (Lapland)
            _row(role="participant"),
        ]
    )
    with pytest.raises(MembershipError) as info:
        merge_additions(rows, folder=folder)
    text = str(info.value)
    assert "row 2 (partnership_id='clussport'" in text
    assert "'clussport' is not in the partnership table" in text
    assert "row 3 (partnership_id='sports', geo='FR30')" in text
    assert "role 'participant' is not one of" in text
    # the check against the registry runs once the rows themselves are sound
    sound = pd.DataFrame([_row(nuts_code="FI1D7"), _row()])
    with pytest.raises(MembershipError, match=r"\(line 92\)") as info:
        merge_additions(sound, folder=folder)
    assert "row 2 (partnership_id='sports', geo='FI1D7')" in str(info.value)
    assert "row 3" not in str(info.value)


def test_additions_must_have_the_member_table_columns(tmp_path):
    rows = pd.DataFrame([_row()]).drop(columns="confidence").assign(extra="x")
    with pytest.raises(MembershipError, match=r"missing \['confidence'\]") as info:
        merge_additions(rows, folder=_registry_before(tmp_path))
    assert "not allowed ['extra']" in str(info.value)


def test_partnership_table_is_untouched_by_the_merge(tmp_path):
    folder = _registry_before(tmp_path)
    merge_additions(pd.DataFrame([_row()]), folder=folder)
    assert (folder / PARTNERSHIPS_FILE).read_bytes() == (
        DATA_DIR / PARTNERSHIPS_FILE
    ).read_bytes()
