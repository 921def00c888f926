"""The regiongap command line (regiongap.cli.main)."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from regiongap.cache import store as cache
from regiongap.cli import main


def test_fetch_from_the_mirror(mirror, capsys):
    assert main(["fetch", "reg_area3", "NAMA_10R_3GDP"]) == 0
    out = capsys.readouterr().out
    assert "reg_area3: 23,300 rows from mirror" in out
    assert "nama_10r_3gdp: 273,966 rows from mirror" in out
    assert cache.cache_path("eurostat", "reg_area3").is_file()


def test_fetch_downloads_with_a_progress_bar(api, capsys):
    assert main(["fetch", "reg_area3"]) == 0
    captured = capsys.readouterr()
    assert "from api " + api.data_url("reg_area3") in captured.out
    assert "Eurostat dataset 'reg_area3'" in captured.err  # the tqdm bar
    assert main(["fetch", "reg_area3"]) == 0
    assert api.count("/data/") == 1
    assert main(["fetch", "reg_area3", "--refresh"]) == 0
    assert api.count("/data/") == 2


def test_fetch_reports_failures_and_continues(mirror, capsys):
    assert main(["fetch", "../etc/passwd", "reg_area3"]) == 1
    captured = capsys.readouterr()
    assert "reg_area3: 23,300 rows" in captured.out
    assert "../etc/passwd" in captured.err
    assert "1 of 2 failed" in captured.err
    assert "Traceback" not in captured.err


def test_fetch_catalogue(mirror, capsys, monkeypatch):
    fake = types.ModuleType("regiongap.indicators.catalogue")
    fake.catalogue_datasets = lambda: ["reg_area3", "demo_r_d3dens"]
    monkeypatch.setitem(sys.modules, "regiongap.indicators.catalogue", fake)
    assert main(["fetch", "--catalogue", "reg_area3"]) == 0
    out = capsys.readouterr().out
    assert out.count("reg_area3:") == 1
    assert "demo_r_d3dens:" in out


def test_fetch_without_codes_is_a_usage_error(capsys):
    assert main(["fetch"]) == 2
    assert "give dataset codes" in capsys.readouterr().err


def test_offline_error_is_one_line(data_dir, capsys, monkeypatch):
    monkeypatch.setenv("REGIONGAP_OFFLINE", "1")
    assert main(["search", "gdp"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("regiongap: OfflineError: ")
    assert err.count("\n") == 1


def test_search(api, capsys):
    assert main(["search", "broadband"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("isoc_r_broad_h  Households with broadband access")
    assert main(["search", "no such words"]) == 0
    assert "no Eurostat dataset" in capsys.readouterr().out


def test_cache_list_and_clear(mirror, capsys):
    assert main(["cache", "list"]) == 0
    assert "is empty" in capsys.readouterr().out
    main(["fetch", "reg_area3", "demo_r_d3dens"])
    capsys.readouterr()
    assert main(["cache", "list", "--kind", "eurostat"]) == 0
    out = capsys.readouterr().out
    assert "reg_area3" in out and "demo_r_d3dens" in out and "True" in out
    path = cache.cache_path("eurostat", "reg_area3")
    path.write_bytes(b"PAR1broken")
    main(["cache", "list"])
    assert "invalid: reg_area3:" in capsys.readouterr().out
    assert main(["cache", "clear", "--name", "reg_area3"]) == 0
    assert "deleted 1 cache file\n" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "deleted 1 cache file" in capsys.readouterr().out
    assert not path.exists()


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["cache", "list", "--kind", "nope"])
    assert info.value.code == 2


def test_report_forwards_its_arguments(monkeypatch):
    seen = []
    fake = types.ModuleType("regiongap.report.build")

    def build_reports(partnerships, **options):
        seen.append((partnerships, options))
        return []

    fake.build_reports = build_reports
    monkeypatch.setitem(sys.modules, "regiongap.report.build", fake)
    argv = ["--partnership", "batteries", "--year", "2018", "--workers", "3"]
    argv += ["--no-overview", "--quiet", "--out", "out"]
    assert main(["report", *argv]) == 0
    assert seen == [
        (
            ["batteries"],
            {
                "year": 2018,
                "out_dir": "out",
                "overview": False,
                "workers": 3,
                "progress": False,
                "nuts_year": None,
                "self_contained": False,
                "pdf": False,
                "images": False,
            },
        )
    ]
    assert main(["report", "--only", "gaps", "-x"]) == 2
    assert len(seen) == 1
    assert main(["report", "--nuts-year", "2024", "--quiet"]) == 0
    assert seen[-1][1]["nuts_year"] == 2024
    assert main(["report", "--nuts-year", "2020"]) == 2  # not a NUTS version
    assert main(["report", "--pdf", "--images", "--self-contained", "--quiet"]) == 0
    assert {k: seen[-1][1][k] for k in ("pdf", "images", "self_contained")} == {
        "pdf": True,
        "images": True,
        "self_contained": True,
    }


def test_console_script_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "regiongap", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    for command in ("fetch", "search", "cache", "report"):
        assert command in done.stdout
