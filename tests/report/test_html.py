"""Report pages without a kernel: HTML export of an executed notebook, the index."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import pytest

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
    from regiongap.report.html import export_html

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
    from regiongap.cache.store import atomic_write

    target = tmp_path / "sub" / "page.html"
    atomic_write(target, "one")
    atomic_write(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]
    assert target.stat().st_mode & 0o044  # readable by others, not 0600


def test_index_page_escapes_names_and_links_every_page(tmp_path, small_data):
    from regiongap.report.html import BuiltReport, index_page

    data = small_data
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


def test_pages_of_a_site_read_plotlyjs_and_the_style_sheet_from_assets():
    from plotly.offline import get_plotlyjs

    from regiongap.report.html import export_page, page_assets

    assets = page_assets()
    js = next(n for n in assets if n.endswith(".js"))
    css = next(n for n in assets if n.endswith(".css"))
    assert js.startswith("plotly-") and assets[js] == get_plotlyjs()
    assert ".jp-OutputArea" in assets[css]  # JupyterLab's output styles
    body, figures = export_page(
        _executed_notebook(),
        title="T",
        kind="Partnership profile",
        year=2019,
        index_href="../index.html",
        assets="../assets",
    )
    assert figures == 2 and body.count("Plotly.newPlot(") == 2
    assert body.count(f'src="../assets/{js}"') == 1
    assert body.count(f'href="../assets/{css}"') == 1
    assert get_plotlyjs()[:60] not in body  # not embedded
    assert len(body) < 200_000  # the page holds its figures and text only
    srcs = re.findall(
        r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?([^"' >]+)""", body
    )
    assert all(s.startswith(("data:", "#", "../")) for s in srcs), srcs


def test_print_rules_lay_the_page_out_on_a4(exported):
    body, _ = exported
    assert "@page { size: A4;" in body
    print_rules = body[body.index("@media print") :]
    assert ".modebar-container" in print_rules  # no figure toolbar on paper
    assert "break-before: page" in print_rules  # sections start a new page


def test_figure_outputs_are_the_figures_a_page_shows():
    from regiongap.report.html import figure_outputs

    figures = figure_outputs(_executed_notebook())
    assert len(figures) == 2
    assert figures[0]["data"][0]["type"] == "scatter"
