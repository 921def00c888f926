"""The shared look: source notes and their wrapping, escaped titles."""

from __future__ import annotations


def test_source_note_lists_datasets_with_their_last_update():
    from regiongap.viz.style import source_note

    one = {"dataset": "nama_10r_2gdp", "last_update": "2023-02-21T23:00:00"}
    assert source_note(one) == (
        "Source: Eurostat (nama_10r_2gdp), last update 2023-02-21; GISCO NUTS 2021"
    )
    several = [one, {"dataset": "demo_r_d2jan", "last_update": None}, one]
    assert source_note(several, geography=None) == (
        "Source: Eurostat (nama_10r_2gdp, last update 2023-02-21; demo_r_d2jan)"
    )
    assert source_note(None) == "Source: GISCO NUTS 2021"
    assert source_note("Source: registry", geography=None) == "Source: registry"


def test_long_source_notes_wrap_below_the_plot():
    import plotly.graph_objects as go

    from regiongap.viz.style import apply_style

    note = "; ".join(f"Eurostat dataset number {i}" for i in range(12))
    fig = apply_style(go.Figure(), title="<script>", source=note)
    (annotation,) = fig.layout.annotations
    lines = annotation.text.split("<br>")
    assert len(lines) > 1 and all(len(line) < 200 for line in lines)
    assert fig.layout.margin.b >= 64 + 14 * len(lines)
    assert "<script>" not in fig.layout.title.text
