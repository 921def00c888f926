"""Report machinery without a kernel: the notebooks, their folder, the arguments.

The end-to-end build (papermill + a real browser) is in tests/browser/.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from regiongap.errors import MembershipError, SchemaError

PROJECT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT / "notebooks"


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
    from regiongap.cli import main

    assert main(["report", "--year", "soon"]) == 2
    assert main(["report", "--partnership", "no_such_partnership", "--quiet"]) == 2
    assert (
        "unknown partnership id(s) ['no_such_partnership']" in capsys.readouterr().err
    )


def test_build_reports_checks_arguments():
    from regiongap.report.build import build_reports

    with pytest.raises(SchemaError, match="workers=0"):
        build_reports(workers=0)
    with pytest.raises(MembershipError, match="known ids"):
        build_reports(["nope"])


def test_pdf_or_images_without_chromium_stop_before_any_work(tmp_path, monkeypatch):
    from regiongap.errors import ExportError
    from regiongap.report.build import build_reports

    monkeypatch.setenv("REGIONGAP_CHROMIUM", str(tmp_path / "no-chromium"))
    for option in ("pdf", "images"):
        with pytest.raises(ExportError, match="apt-get install chromium"):
            build_reports(["batteries"], out_dir=tmp_path / "out", **{option: True})
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.*"))


def test_cli_says_how_to_install_chromium(tmp_path, monkeypatch, capsys):
    from regiongap.cli import main

    monkeypatch.setenv("REGIONGAP_CHROMIUM", str(tmp_path / "no-chromium"))
    code = main(["report", "--partnership", "batteries", "--pdf", "--quiet"])
    assert code == 1
    assert "make browser" in capsys.readouterr().err
