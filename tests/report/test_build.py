"""Report machinery without a kernel: HTML export, index, annex, notebooks, CLI.

The end-to-end build (papermill + a real browser) is in tests/browser/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from regiongap.errors import MembershipError, SchemaError

PROJECT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT / "notebooks"
EVIL = "<script>alert('x')</script>"


def _executed_notebook() -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: inputs, 2 plotly outputs, a table, stderr."""
    import plotly.graph_objects as go

    from regiongap.report.sections import Html

    nb = nbformat.v4.new_notebook()
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name=EVIL))
    plotly_out = nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.plotly.v1+json": json.loads(fig.to_json())},
    )
    table = pd.DataFrame({"Region": [EVIL], "value": [1.0]})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A title\n\nSome prose."),
        nbformat.v4.new_markdown_cell(
            "Change the partnership in the next cell.",
            metadata={"tags": ["notebook-only"]},
        ),
        nbformat.v4.new_code_cell(
            "secret_input_code = 1\nfig.show()",
            outputs=[
                nbformat.v4.new_output(
                    "stream", name="stderr", text="DataQualityWarning"
                ),
                plotly_out,
            ],
        ),
        nbformat.v4.new_code_cell(
            "table",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/html": table.to_html(), "text/plain": "t"},
                    execution_count=2,
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "fig2.show()",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/vnd.plotly.v1+json": json.loads(fig.to_json())},
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "annex",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": str(Html("<h3>Datasets</h3>"))},
                )
            ],
        ),
    ]
    return nb


@pytest.fixture(scope="module")
def exported() -> tuple[str, int]:
    from regiongap.report.build import export_html

    return export_html(
        _executed_notebook(),
        title=f"T {EVIL}",
        kind="Overview",
        year=2019,
        index_href="index.html",
    )


def test_export_has_no_input_cells_or_prompts(exported):
    body, _ = exported
    assert "secret_input_code" not in body
    assert 'jp-InputArea-editor"' not in body and "In&nbsp;[" not in body
    assert "highlight hl-ipython3" not in body
    assert 'class="jp-OutputPrompt' not in body and 'class="jp-InputPrompt' not in body
    assert "DataQualityWarning" not in body  # stderr is left out of reports
    assert "Some prose." in body
    assert "Change the partnership" not in body  # notebook-only cells are dropped


def test_export_embeds_plotlyjs_exactly_once_and_counts_figures(exported):
    from plotly.offline import get_plotlyjs

    body, figures = exported
    assert figures == 2
    banner = get_plotlyjs()[:60]
    assert body.count(banner) == 1
    assert body.count("Plotly.newPlot(") == 2
    assert re.search(
        r'<meta content="2" name="regiongap-figures"/?>', body
    ) or re.search(r'<meta name="regiongap-figures" content="2"/?>', body)


def test_export_loads_nothing_from_the_network(exported):
    from plotly.offline import get_plotlyjs

    # plotly.js itself names its CDN as a default it never uses here
    body = exported[0].replace(get_plotlyjs(), "")
    srcs = re.findall(
        r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?([^"' >]+)""", body
    )
    assert all(s.startswith(("data:", "#", "index.html")) for s in srcs), srcs
    for cdn in (
        "cdn.plot.ly",
        "cdnjs",
        "unpkg.com",
        "jsdelivr",
        "require.min.js",
        "mathjax",
    ):
        assert cdn not in body.lower().replace("mathjaxconfig", "")


def test_export_escapes_names(exported):
    body, _ = exported
    assert EVIL not in body
    assert "&lt;script&gt;alert(" in body


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    from regiongap.report.build import _atomic_write

    target = tmp_path / "sub" / "page.html"
    _atomic_write(target, "one")
    _atomic_write(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]
    assert target.stat().st_mode & 0o044  # readable by others, not 0600


def _small_data():
    """ReportData with hand-made tables (three regions, one partnership named EVIL)."""
    from regiongap.report.data import ReportData

    geo = pd.Index(["AT11", "AT12", "AT13"], name="geo")
    panel = pd.DataFrame(
        {
            "name": ["Burgenland", "Niederösterreich", "Wien"],
            "gdp_pps_per_inhabitant": [25000.0, None, 45000.0],
            "gdp_pps_per_inhabitant__year": pd.array([2019, None, 2019], dtype="Int64"),
            "gdp_pps_per_inhabitant__flag": pd.array(["e", None, None], dtype="string"),
        },
        index=geo,
    )
    catalogue = pd.DataFrame(
        {
            "indicator": ["gdp_pps_per_inhabitant", "motorway_density"],
            "title": ["GDP per inhabitant in PPS", "Motorway density"],
            "pillar": ["economic_resources", "transport_infrastructure"],
            "dataset": ["nama_10r_2gdp", "tran_r_net"],
            "unit": ["PPS_EU27_2020_HAB", "KM_TKM2"],
            "higher_is_better": [True, True],
        }
    )
    partnerships = pd.DataFrame(
        {
            "partnership_id": ["evil", "empty"],
            "name": [EVIL, "No members"],
            "platform": ["energy", "agrifood"],
            "member_list": ["complete", "none"],
            "members_stated": pd.array([2, None], dtype="Int64"),
            "completeness": [f"complete: {EVIL}", "none"],
        }
    )
    members = pd.DataFrame(
        {
            "partnership_id": ["evil", "evil"],
            "geo": ["AT11", "AT13"],
            "region_name": ["Burgenland", "Wien"],
            "role": ["lead", "member"],
            "listed_name": [EVIL, "Vienna"],
        }
    )
    scores = pd.DataFrame({"index": [30.0, None, 70.0]}, index=geo)
    ranks = pd.DataFrame(
        {"median_rank": [2.0, 1.0], "rank_p05": [2.0, 1.0], "rank_p95": [2.0, 1.0]},
        index=pd.Index(["AT11", "AT13"], name="geo"),
    )
    return ReportData(
        year=2019,
        level=2,
        panel=panel,
        catalogue=catalogue,
        available=["gdp_pps_per_inhabitant"],
        unavailable={"motorway_density": "SourceError: could not download … offline"},
        warnings=[],
        scores=scores,
        pillars=pd.DataFrame({"economic_resources": [30.0, 70.0]}, index=ranks.index),
        ranks=ranks,
        framework=catalogue.iloc[:1][["indicator", "pillar", "higher_is_better"]],
        gdp_series=pd.DataFrame(columns=["geo", "time", "value", "flag"]),
        partnerships=partnerships,
        members=members,
        provenance=[
            {
                "dataset": "nama_10r_2gdp",
                "last_update": "2023-02-21T23:00:00",
                "source": "mirror",
            }
        ],
        recoding={"gdp_pps_per_inhabitant": {"not_in_index": ["HR04"]}},
    )


def test_index_page_escapes_names_and_links_every_page(tmp_path):
    from regiongap.report.build import BuiltReport, index_page

    data = _small_data()
    pages = [
        BuiltReport(tmp_path / "01-data.html", "Data", "overview", None, 1, 1.0, 10),
        BuiltReport(
            tmp_path / "partnerships/evil.html", EVIL, "partnership", "evil", 3, 1.0, 10
        ),
        BuiltReport(
            tmp_path / "partnerships/empty.html",
            "No members",
            "partnership",
            "empty",
            0,
            1.0,
            10,
        ),
    ]
    page = index_page(pages, data, failed={"x.html": f"Error {EVIL}"})
    assert "<script>" not in page
    assert "href='01-data.html'" in page
    assert "href='partnerships/evil.html'" in page
    assert "href='partnerships/empty.html'" in page and "none listed" in page
    assert "Pages that could not be built" in page


def test_header_and_annex_escape_and_say_what_is_missing():
    from regiongap.report.sections import Profile, partnership_header, sources_annex

    data = _small_data()
    header = partnership_header(data, "evil")
    assert "<script>" not in header and "&lt;script&gt;" in header
    assert "complete member list" in header
    annex = sources_annex(data)
    for part in (
        "nama_10r_2gdp",
        "2023-02-21",
        "1 of 2 (50%)",
        "AT12",
        "HR04",
        "Motorway density",
        "working offline",
    ):
        assert part in annex
    assert "<script>" not in Profile(data, "evil").table().to_html()
    empty = Profile(data, "empty")
    assert not empty.has_members
    assert "no member regions" in empty.member_map()
    with pytest.raises(MembershipError, match="unknown partnership 'nope'"):
        Profile(data, "nope")


def test_notebooks_are_stored_clean_and_only_call_the_library():
    from regiongap.report.build import OVERVIEW_NOTEBOOKS, PROFILE_NOTEBOOK

    for stem in (*OVERVIEW_NOTEBOOKS, PROFILE_NOTEBOOK):
        nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), stem
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and "year" in params[0].source, stem
        if stem == PROFILE_NOTEBOOK:
            assert "partnership" in params[0].source
        for cell in code:
            assert not re.search(r"^\s*(def|class|for|while|if) ", cell.source, re.M), (
                stem,
                cell.source,
            )
        assert code[-1].source.strip().endswith("annex()"), stem
        assert any("Sources and data quality" in c.source for c in nb.cells), stem


def test_notebooks_dir_names_what_is_missing(tmp_path):
    from regiongap.report.build import notebooks_dir

    with pytest.raises(SchemaError, match=r"04-partnership-profile\.ipynb"):
        notebooks_dir(tmp_path)


def test_cli_rejects_bad_arguments_before_any_work(capsys):
    from regiongap.report.build import cli_report

    assert cli_report(["--year", "soon"]) == 2
    assert cli_report(["--partnership", "no_such_partnership", "--quiet"]) == 2
    assert (
        "unknown partnership id(s) ['no_such_partnership']" in capsys.readouterr().err
    )


def test_build_reports_checks_arguments():
    from regiongap.report.build import build_reports

    with pytest.raises(SchemaError, match="workers=0"):
        build_reports(workers=0)
    with pytest.raises(MembershipError, match="known ids"):
        build_reports(["nope"])
