"""viz.explore driven headlessly: pick a partnership and an indicator, read the result.

The explorer is made from the real mirror (panel, boundaries, registry); its
drop-downs are set as a user would set them and the figures and the member table
of each choice are checked against the library's own answers.
"""

from __future__ import annotations

import pytest

from regiongap.errors import SchemaError

pytestmark = [pytest.mark.mirror, pytest.mark.slow]


@pytest.fixture(scope="module")
def panel(mirror_path):
    import regiongap as rg
    from regiongap.errors import DataQualityWarning

    with pytest.MonkeyPatch.context() as mp, pytest.warns(DataQualityWarning):
        mp.setenv("REGIONGAP_MIRROR", str(mirror_path))
        mp.setenv("REGIONGAP_OFFLINE", "1")
        return rg.panel(level=2, year=2019, with_names=True, with_country=True)


@pytest.fixture
def explorer(panel, mirror):
    from regiongap import viz

    return viz.explore(
        panel, partnership="batteries", indicator="gdp_pps_per_inhabitant"
    )


def test_the_first_choice_is_drawn(explorer, panel):
    import ipywidgets

    import regiongap as rg

    assert isinstance(explorer.widget, ipywidgets.VBox)
    members = set(rg.members("batteries", level=2)["geo"])
    assert set(explorer.table.index) == members
    row = explorer.table.loc["SI03"]
    assert row["role"] == "lead"
    assert row["value"] == panel.loc["SI03", "gdp_pps_per_inhabitant"]
    assert len(explorer.map_figure.data) > 1  # classes, no data, members outlined
    assert "GDP" in explorer.map_figure.layout.title.text
    drawn = next(t for t in explorer.gap_figure.data if t.name == "Member region")
    assert any("★" in str(label) for label in drawn.y)  # the lead region is starred


def test_changing_the_choices_redraws(explorer, panel):
    import regiongap as rg

    before = explorer.map_figure
    explorer.partnership.value = "hydrogen_valleys"
    assert explorer.map_figure is not before
    assert set(explorer.table.index) <= set(
        rg.members("hydrogen_valleys", level=2)["geo"]
    )
    other = explorer.indicator.options[-1][1]
    explorer.indicator.value = other
    assert explorer.table["value"].equals(
        panel[other].reindex(explorer.table.index).rename("value")
    )


def test_unknown_choices_are_named(panel, mirror):
    from regiongap import viz

    with pytest.raises(SchemaError, match="unknown partnership 'nope'; known: "):
        viz.explore(panel, partnership="nope")
    with pytest.raises(SchemaError, match="unknown indicator 'gdp'; known: "):
        viz.explore(panel, partnership="batteries", indicator="gdp")
