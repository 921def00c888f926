"""Moving frames between NUTS levels (regiongap.geo.levels)."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from regiongap.errors import DataQualityWarning, SchemaError
from regiongap.geo import _aggregate, _frames, levels
from regiongap.geo.levels import aggregate_up, broadcast_down
from regiongap.geo.lists import nuts_children

HR06 = ["HR061", "HR062", "HR063", "HR064", "HR065"]


def _long(geos, values, time=2020, **extra):
    frame = pd.DataFrame(
        {"geo": geos, "time": time, "value": np.asarray(values, float)}
    )
    for key, val in extra.items():
        frame[key] = val
    return frame


def test_docstring_examples_run():
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for module in (levels, _aggregate, _frames):
        assert doctest.testmod(module, optionflags=flags).failed == 0, module


def test_sum_closed_form_and_counts():
    frame = _long([*HR06, "HR050"], [1, 2, 3, 4, 5, 10])
    out = aggregate_up(frame, 2)
    got = out.set_index("geo")
    assert got.loc["HR06", "value"] == 15.0
    assert got.loc["HR05", "value"] == 10.0
    assert got.loc["HR06", "n_children"] == 5
    assert got.loc["HR06", "n_expected"] == 5
    assert got.loc["HR06", "complete"]
    assert got.loc["HR06", "value_source"] == "sum of 5/5 NUTS 3 regions"
    # straight to NUTS 0 from NUTS 3: Croatia has 21 NUTS 3 regions
    with pytest.warns(DataQualityWarning, match=r"HR 6/21"):
        to0 = aggregate_up(frame, 0)
    assert to0.loc[0, "n_expected"] == 21
    assert np.isnan(to0.loc[0, "value"])


def test_incomplete_aggregates_are_flagged_not_silently_summed():
    frame = _long([*HR06[:4], "HR050"], [1, 2, 3, 4, 10])
    with pytest.warns(DataQualityWarning, match=r"1 aggregates incomplete.*HR06 4/5"):
        out = aggregate_up(frame, 2)
    row = out.set_index("geo").loc["HR06"]
    assert np.isnan(row["value"])
    assert not row["complete"]
    assert row["value_source"] == "sum of 4/5 NUTS 3 regions"
    with pytest.warns(DataQualityWarning, match="partial value kept"):
        kept = aggregate_up(frame, 2, incomplete="keep")
    assert kept.set_index("geo").loc["HR06", "value"] == 10.0
    with pytest.warns(DataQualityWarning, match="rows dropped"):
        dropped = aggregate_up(frame, 2, incomplete="drop")
    assert dropped["geo"].tolist() == ["HR05"]
    # a NaN child counts as missing too
    nan_child = _long(HR06, [1, 2, np.nan, 4, 5])
    with pytest.warns(DataQualityWarning, match="HR06 4/5"):
        aggregate_up(nan_child, 2)


def test_weighted_mean_closed_form():
    rates = _long(HR06, [10, 20, 30, 40, 50])
    pop = _long(HR06, [1, 1, 1, 1, 6])
    out = aggregate_up(rates, 2, how="mean", weights=pop)
    # (10 + 20 + 30 + 40 + 6·50) / 10
    assert out.loc[0, "value"] == pytest.approx(40.0)
    assert out.loc[0, "value_source"] == "weighted mean of 5/5 NUTS 3 regions"
    equal = aggregate_up(rates, 2, how="mean", weights="equal")
    assert equal.loc[0, "value"] == pytest.approx(30.0)
    assert equal.loc[0, "value_source"].startswith("unweighted mean")
    # weights of the wrong year: no weight, so incomplete
    with pytest.warns(DataQualityWarning, match="HR06 0/5"):
        aggregate_up(rates, 2, how="mean", weights=pop.assign(time=2019))


def test_keys_are_kept_and_groups_separate():
    frame = pd.concat(
        [
            _long(HR06, [1, 2, 3, 4, 5], time=2020, indicator="pop", unit="NR"),
            _long(HR06, [2, 2, 2, 2, 2], time=2021, indicator="pop", unit="NR"),
        ]
    )
    frame["flag"] = pd.array(["p", None, "e", None, None] + [None] * 5, dtype="string")
    frame["dataset"] = "demo"
    out = aggregate_up(frame, 2)
    assert list(out.columns) == [
        "geo", "time", "value", "indicator", "unit", "flag", "dataset",
        "n_children", "n_expected", "complete", "value_source",
    ]  # fmt: skip
    assert out["value"].tolist() == [15.0, 10.0]
    assert out["flag"].tolist()[0] == "ep"
    assert pd.isna(out["flag"].tolist()[1])


def test_aggregates_and_other_levels_are_ignored_other_versions_warned():
    frame = _long([*HR06, "HR0", "EU27_2020"], [1, 2, 3, 4, 5, 99, 99])
    out = aggregate_up(frame, 2)  # no warning: aggregates and NUTS 0 rows ignored
    assert out["geo"].tolist() == ["HR06"]
    old = _long([*HR06, "HR041"], [1, 2, 3, 4, 5, 6])
    with pytest.warns(DataQualityWarning, match=r"1 rows left out.*HR041.*recode_nuts"):
        aggregate_up(old, 2)


def test_extra_regio_children_are_summed_but_not_expected():
    kids = nuts_children("HR0", 3)
    frame = _long([*kids, "HRZZZ"], [1.0] * len(kids) + [0.5])
    out = aggregate_up(frame, 0)
    assert out.loc[0, "value"] == len(kids) + 0.5
    assert out.loc[0, "n_expected"] == len(kids)


def test_aggregate_up_bad_input():
    frame = _long(HR06, [1, 2, 3, 4, 5])
    with pytest.raises(SchemaError, match="level=4 is not a NUTS level"):
        aggregate_up(frame, 4)
    with pytest.raises(SchemaError, match="from_level=3 must be below to_level=3"):
        aggregate_up(frame, 3)
    with pytest.raises(SchemaError, match="how='median'"):
        aggregate_up(frame, 2, how="median")
    with pytest.raises(SchemaError, match="needs weights"):
        aggregate_up(frame, 2, how="mean")
    with pytest.raises(SchemaError, match="a sum takes no weights"):
        aggregate_up(frame, 2, weights=frame)
    with pytest.raises(SchemaError, match="incomplete='zero'"):
        aggregate_up(frame, 2, incomplete="zero")
    with pytest.raises(SchemaError, match="nuts_year=2010 is not a NUTS version"):
        aggregate_up(frame, 2, nuts_year=2010)
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['value'\]"):
        aggregate_up(frame.drop(columns="value"), 2)
    with pytest.raises(SchemaError, match="must be numeric"):
        aggregate_up(frame.assign(value="x"), 2)
    with pytest.raises(SchemaError, match="share the key"):
        aggregate_up(pd.concat([frame, frame]), 2)
    with pytest.raises(SchemaError, match="no code of the frame"):
        aggregate_up(_long(["DEG0Q"], [1]), 2)
    with pytest.raises(SchemaError, match="weights must be ≥ 0"):
        aggregate_up(frame, 2, how="mean", weights=frame.assign(value=-1.0))
    with pytest.raises(SchemaError, match="DataFrame"):
        aggregate_up([1, 2], 2)


def test_broadcast_down_fills_missing_children_from_nearest_ancestor():
    frame = _long(["HR", "HR0", "HR05", "HR06"], [1.0, 2.0, 9.0, np.nan])
    frame["flag"] = pd.array([None, "e", None, None], dtype="string")
    out = broadcast_down(frame, 2).set_index("geo")
    assert sorted(out.index) == ["HR02", "HR03", "HR05", "HR06"]
    assert out.loc["HR05", "value"] == 9.0
    assert out.loc["HR05", "value_source"] == "reported"
    # HR06 was NaN: filled from NUTS 1 (nearer than NUTS 0)
    assert out.loc["HR06", "value"] == 2.0
    assert out.loc["HR06", "value_source"] == "broadcast from HR0"
    assert out.loc["HR06", "flag"] == "e"
    assert out.loc["HR02", "value_source"] == "broadcast from HR0"
    # only NUTS 0 given: every NUTS 2 region of Germany
    de = broadcast_down(_long(["DE"], [5.0]), 2)
    assert len(de) == 38
    assert set(de["value_source"]) == {"broadcast from DE"}


def test_broadcast_down_bad_input():
    frame = _long(["HR0"], [1.0])
    with pytest.raises(SchemaError, match="to_level=0"):
        broadcast_down(frame, 0)
    with pytest.raises(SchemaError, match="level=7 is not a NUTS level"):
        broadcast_down(frame, 7)
    with pytest.raises(SchemaError, match="already has a 'value_source'"):
        broadcast_down(broadcast_down(frame), 2)
    with pytest.warns(DataQualityWarning, match="HR04"):
        broadcast_down(_long(["HR0", "HR04"], [1.0, 2.0]), 2)


@pytest.mark.mirror
def test_population_nuts3_sums_equal_published_nuts2(mirror_path):
    """Eurostat's NUTS 2 population equals the sum of its NUTS 3 regions."""
    from regiongap.sdmx import parse

    raw = (mirror_path / "eurostat" / "demo_r_pjanaggr3.tsv.gz").read_bytes()
    frame = parse(raw, name="demo_r_pjanaggr3")
    frame = frame[(frame["sex"] == "T") & (frame["age"] == "TOTAL")]
    frame = frame[frame["time"] == 2020].drop(columns=["sex", "age"])
    with pytest.warns(DataQualityWarning, match="incomplete"):
        out = aggregate_up(frame, 2)
    published = dict(zip(frame["geo"].astype(str), frame["value"], strict=True))
    done = out[out["complete"]]
    assert len(done) >= 280
    expected = done["geo"].astype(str).map(published)
    np.testing.assert_array_equal(done["value"].to_numpy(), expected.to_numpy())
    # EU-27 population 2020 from NUTS 3 (via NUTS 0), against the published countries
    eu = aggregate_up(out[out["complete"]].drop(columns=list(out.columns[-4:])), 0)
    eu = eu[eu["complete"] & eu["geo"].astype(str).isin(["DE", "FR", "IT", "PL"])]
    assert len(eu) == 4
    np.testing.assert_array_equal(
        eu["value"].to_numpy(), eu["geo"].astype(str).map(published).to_numpy()
    )


@pytest.mark.mirror
def test_population_weighted_mean_of_shares_equals_published_share(mirror_path):
    """Share of people 65+ per NUTS 3, population-weighted to NUTS 2, equals the
    NUTS 2 share computed from Eurostat's own NUTS 2 counts."""
    from regiongap.sdmx import parse

    raw = (mirror_path / "eurostat" / "demo_r_pjanaggr3.tsv.gz").read_bytes()
    frame = parse(raw, name="demo_r_pjanaggr3")
    frame = frame[(frame["sex"] == "T") & (frame["time"] == 2019)]
    wide = frame.pivot_table(index="geo", columns="age", values="value",
                             observed=True)  # fmt: skip
    wide.index = wide.index.astype(str)
    share = (wide["Y_GE65"] / wide["TOTAL"]).dropna()
    nuts3 = [g for g in share.index if len(g) == 5]
    rates = pd.DataFrame({"geo": nuts3, "time": 2019, "value": share[nuts3].to_numpy()})
    pop = pd.DataFrame(
        {"geo": nuts3, "time": 2019, "value": wide.loc[nuts3, "TOTAL"].to_numpy()}
    )
    with pytest.warns(DataQualityWarning):
        out = aggregate_up(rates, 2, how="mean", weights=pop)
    done = out[out["complete"]].set_index("geo")
    assert len(done) >= 280
    expected = share.reindex(done.index.astype(str))
    np.testing.assert_allclose(
        done["value"].to_numpy(), expected.to_numpy(), rtol=1e-12
    )
