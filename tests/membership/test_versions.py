"""Membership in any NUTS version: each row's own, and members in the analysis one."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import DataQualityWarning, MembershipError, SchemaError
from regiongap.membership.registry import DATA_DIR, MEMBERS_FILE, load_registry
from regiongap.membership.resolve import resolve_membership
from regiongap.membership.to_level import LEVEL_COLUMNS, NUTS_CHANGES
from regiongap.membership.vocabulary import MEMBER_COLUMNS

UK_ROWS = {
    ("cybersecurity", "UKL"),
    ("marine_renewable_energy", "UKM"),
    ("efficient_sustainable_manufacturing", "UKM"),
}


def _members(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return rg.members(*args, **kwargs)


def test_shipped_rows_say_their_version():
    rows = rg.members()
    assert list(rows.columns) == list(MEMBER_COLUMNS)
    assert set(rows["nuts_year"]) == {2021}
    assert str(rows["nuts_year"].dtype) == "int64"


def test_alentejo_in_nuts_2024_is_pt1c_after_a_boundary_shift():
    solar = _members("solar_energy", level=2, nuts_year=2024).set_index("geo")
    assert "PT18" not in solar.index
    alentejo = solar.loc["PT1C"]
    assert (alentejo["listed_geo"], alentejo["role"]) == ("PT18", "co-lead")
    assert alentejo["nuts_change"] == "boundary_shift"
    assert alentejo["nuts_note"].startswith(
        "PT18 (Alentejo, NUTS 2021) in NUTS 2024: a boundary shift; now PT1C"
    )
    assert alentejo["region_name"] == "Alentejo"
    assert set(solar["nuts_year"]) == {2024}
    assert solar.loc["ES43", "nuts_change"] == "unchanged"
    assert pd.isna(solar.loc["ES43", "nuts_note"])


def test_the_change_is_that_of_the_region_at_the_level_asked_for():
    # Keski-Suomi (FI193) has a boundary shift in 2024; Länsi-Suomi (FI19) has not
    level2 = _members("cybersecurity", level=2, nuts_year=2024).set_index("geo")
    assert level2.loc["FI19", "nuts_change"] == "unchanged"
    level3 = _members("cybersecurity", level=3, nuts_year=2024)
    keski = level3[level3["listed_geo"] == "FI193"].iloc[0]
    assert (keski["geo"], keski["nuts_change"]) == ("FI198", "boundary_shift")


def test_every_shipped_member_lands_in_nuts_2024_or_is_named():
    with pytest.warns(DataQualityWarning, match="3 listed member row") as caught:
        rows = rg.members(level=2, nuts_year=2024)
    text = str(caught[0].message)
    for pid, code in UK_ROWS:
        assert f"{pid}: {code} (" in text
    assert "NUTS 2024 has no regions of UK" in text
    assert list(rows.columns) == list(LEVEL_COLUMNS)
    assert set(rows["nuts_change"]) <= set(NUTS_CHANGES)
    codes_2024 = set(rg.nuts_codes(nuts_year=2024, level=2)["geo"])
    assert set(rows["geo"]) <= codes_2024
    listed = _members()
    kept = {
        (p, c) for p, c in zip(listed["partnership_id"], listed["geo"], strict=True)
    }
    lost = kept - {
        (p, c)
        for p, codes in zip(rows["partnership_id"], rows["listed_geo"], strict=True)
        for c in codes.split(", ")
    }
    assert lost == UK_ROWS


def test_members_in_another_version_without_a_level_keep_their_level():
    rows = _members("solar_energy", nuts_year=2024).set_index("listed_geo")
    assert rows.loc["PT18", "geo"] == "PT1C"
    assert rows.loc["SI", ["geo", "level", "mapping"]].tolist() == [
        "SI",
        0,
        "as_listed",
    ]
    assert rows.loc["FI195", ["geo", "level"]].tolist() == ["FI19A", 3]


def test_a_file_in_nuts_2013_is_read_in_it_and_mapped(tmp_path):
    path = tmp_path / "old_network.csv"
    path.write_text(
        "partnership_id,nuts_code,role,region_name\n"
        "old_net,FR30,lead,Nord-Pas-de-Calais\n"
        "old_net,LT00,member,Lietuva\n"
        "old_net,ES21,member,\n",
        encoding="utf-8",
    )
    with pytest.raises(MembershipError) as info:
        rg.read_membership(path)  # codes are NUTS 2021 unless the file says
    text = str(info.value)
    assert "its NUTS 2021 equivalent is 'FRE1'" in text
    assert "did you mean 'FRY3'" not in text
    assert "LT00 (Lietuva, NUTS 2013) in NUTS 2021: split; now LT01, LT02" in text
    frame = rg.read_membership(path, nuts_year=2013, member_list="complete")
    assert frame["nuts_year"].tolist() == [2013, 2013, 2013]
    assert frame.loc[2, "region_name"] == "País Vasco"
    level2 = _members(level=2, registry=frame).set_index("geo")
    assert level2.loc["FRE1", ["listed_geo", "nuts_change"]].tolist() == [
        "FR30",
        "recoded",
    ]
    assert {"LT01", "LT02"} <= set(level2.index)
    assert level2.loc["LT01", "nuts_change"] == "split"
    assert level2.loc["ES21", "nuts_change"] == "unchanged"
    assert set(level2["nuts_year"]) == {2021}
    matrix = rg.membership_matrix(registry=frame, nuts_year=2024)
    assert {"FRE1", "LT01", "LT02", "ES21"} == set(matrix.index)


def test_each_row_may_say_its_version(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "partnership_id;nuts_code;role;nuts_year\n"
        "net;FR30;lead;2013\n"
        "net;PT1C;member;2024\n"
        "net;HR04;member;\n",  # the argument's version, 2016 here
        encoding="utf-8",
    )
    frame = rg.read_membership(path, nuts_year=2016)
    assert frame["nuts_year"].tolist() == [2013, 2024, 2016]
    detected = rg.read_membership(path, nuts_year=None)
    assert detected["nuts_year"].tolist() == [2013, 2024, 2016]
    rows = _members(level=2, registry=frame, nuts_year=2024).set_index("geo")
    assert rows.loc["PT1C", "nuts_change"] == "unchanged"
    assert rows.loc["FRE1", "nuts_change"] == "recoded"
    assert rows.loc["HR06", "nuts_change"] == "split"


def test_a_registry_copy_may_hold_rows_of_other_versions(tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(DATA_DIR, folder)
    path = folder / MEMBERS_FILE
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.insert(5, "nuts_year", "")
    extra = table.iloc[[0]].copy()
    extra[["nuts_code", "level", "country", "nuts_year", "region_name"]] = [
        "PT1C",
        "2",
        "PT",
        "2024",
        "Alentejo",
    ]
    table = pd.concat([table, extra], ignore_index=True)
    table.to_csv(path, index=False)
    _, rows = load_registry(folder)
    assert rows["nuts_year"].iloc[-1] == 2024
    assert set(rows["nuts_year"].iloc[:-1]) == {2021}


def test_groups_and_resolved_membership_in_nuts_2024():
    with pytest.warns(DataQualityWarning, match="outside the universe eu27.*TR33"):
        groups = rg.membership_groups("solar_energy", nuts_year=2024)
    assert groups["PT1C"] == "member"
    assert "PT18" not in groups.index
    assert len(groups) == 244  # the EU-27 NUTS 2 regions of NUTS 2024
    resolved = resolve_membership("solar_energy", None, level=2, nuts_year=2024)
    assert resolved.roles["PT1C"] == "co-lead"
    with pytest.raises(SchemaError, match="nuts_year=2019 is not a NUTS version"):
        rg.members("solar_energy", level=2, nuts_year=2019)


def test_level_mapped_output_stays_refused_as_a_registry():
    mapped = _members("mining", level=2, nuts_year=2024)
    with pytest.raises(MembershipError, match="level-mapped table"):
        rg.members(registry=mapped)
