"""Bad input: every case is a clear error of the library's own.

Each case calls a public function with one bad value and checks that

* the exception is a :class:`~regiongap.errors.RegiongapError` defined in
  ``regiongap`` (not a ``KeyError``/``TypeError``/``ValueError`` from deep inside
  pandas or numpy),
* the message names the bad value,
* the message says what is allowed.

Dataset codes are tried on every entry point that takes one, and none of them may
open a socket or create a cache folder. Membership files are tried one bad row at a
time and then all bad rows in one file, which must give one error listing them all.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import regiongap as rg
from regiongap.errors import MembershipError, RegiongapError
from regiongap.load.datasets import fetch_dataset
from regiongap.load.toc import dataset_labels
from regiongap.metrics import dispersion as disp
from regiongap.metrics import inequality as ineq
from regiongap.sources.eurostat import dataset_url, fetch_raw

NAN = float("nan")


def _raises(call, shows: str, allowed: str):
    """Run *call*; check the error is the library's own and reads well."""
    with pytest.raises(RegiongapError) as info:
        call()
    exc = info.value
    assert type(exc).__module__.startswith("regiongap"), type(exc)
    msg = str(exc)
    assert shows in msg, f"{shows!r} not in {msg!r}"
    assert re.search(allowed, msg), f"{allowed!r} not in {msg!r}"
    return exc


# ------------------------------------------------------------------ dataset codes
BAD_CODES = {
    "traversal": "../../etc/passwd",
    "slash": "a/b",
    "backslash": "a\\b",
    "space": "nama 10",
    "empty": "",
    "none": None,
    "int": 123,
    "float": 12.5,
    "bytes": b"nama_10r_3gdp",
    "list": ["nama_10r_3gdp"],
    "very-long": "n" * 300,
    "one-char": "a",
    "dot-dot": "..",
    "hidden": ".hidden",
    "dot-inside": "nama.10",
    "query": "nama_10r_3gdp?format=csv",
    "url-encoded": "%2e%2e%2fetc",
    "semicolon": "nama;rm -rf",
    "nul-byte": "nama\x00x",
    "newline": "nama\n",
    "non-ascii": "namä_10",
    "absolute": "/etc/passwd",
}
ENTRY_POINTS = {
    "fetch_dataset": fetch_dataset,
    "fetch_raw": fetch_raw,
    "dataset_url": dataset_url,
    "dataset_labels": lambda code: dataset_labels(code, "geo"),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("name", list(BAD_CODES))
def test_bad_dataset_codes(api, data_dir, name, entry):
    code = BAD_CODES[name]
    _raises(
        lambda: ENTRY_POINTS[entry](code),
        repr(code),
        r"use 2–64 letters, digits|must be a string",
    )
    assert api.count() == 0  # nothing was sent
    assert not (data_dir / "raw").exists()  # nothing was created


# ------------------------------------------- ids, years and levels of the API
CASES = {
    # unknown indicator ids
    "indicator-unknown": (
        lambda: rg.fetch_indicator("no_such_indicator"),
        "'no_such_indicator'",
        "known indicators",
    ),
    "indicator-typo": (
        lambda: rg.fetch_indicator("gdp_pps_per_inhabitnt"),
        "'gdp_pps_per_inhabitnt'",
        "gdp_pps_per_inhabitant",
    ),
    "indicator-empty": (lambda: rg.fetch_indicator(""), "''", "known indicators"),
    "indicator-none": (lambda: rg.fetch_indicator(None), "None", "known indicators"),
    "indicator-int": (lambda: rg.fetch_indicator(123), "123", "known indicators"),
    "indicator-in-panel": (
        lambda: rg.panel(["area", "nope_x"]),
        "'nope_x'",
        "known indicators",
    ),
    "indicator-in-coverage": (
        lambda: rg.coverage(["nope_y"]),
        "'nope_y'",
        "known indicators",
    ),
    # unknown partnership ids
    "partnership-unknown": (
        lambda: rg.members("no_such_partnership"),
        "'no_such_partnership'",
        "Valid ids: .*batteries",
    ),
    "partnership-typo": (
        lambda: rg.members("baterries"),
        "'baterries'",
        "Did you mean 'batteries'",
    ),
    "partnership-in-list": (
        lambda: rg.members(["batteries", "nope"]),
        "'nope'",
        "Valid ids",
    ),
    "partnership-int": (lambda: rg.members(42), "42", "Valid ids"),
    "partnership-matrix": (
        lambda: rg.membership_matrix(partnerships="nope"),
        "'nope'",
        "Valid ids",
    ),
    "partnership-groups": (
        lambda: rg.membership_groups("nope"),
        "'nope'",
        "Valid ids",
    ),
    "partnership-confidence": (
        lambda: rg.members("batteries", min_confidence="super"),
        "'super'",
        "high, medium, low",
    ),
    "partnership-role": (
        lambda: rg.members("batteries", roles="boss"),
        "'boss'",
        "lead, co-lead, member",
    ),
    # bad levels
    "level-nuts_regions-4": (lambda: rg.nuts_regions(level=4), "4", "0, 1, 2 or 3"),
    "level-nuts_regions-neg": (
        lambda: rg.nuts_regions(level=-1),
        "-1",
        "0, 1, 2 or 3",
    ),
    "level-nuts_regions-str": (
        lambda: rg.nuts_regions(level="2"),
        "'2'",
        "0, 1, 2 or 3",
    ),
    "level-nuts_regions-float": (
        lambda: rg.nuts_regions(level=2.5),
        "2.5",
        "0, 1, 2 or 3",
    ),
    "level-panel": (lambda: rg.panel(["area"], level=4), "4", "0, 1, 2 or 3"),
    "level-coverage": (lambda: rg.coverage(["area"], level=7), "7", "0, 1, 2 or 3"),
    "level-fetch_indicator": (
        lambda: rg.fetch_indicator("area", level=5),
        "5",
        "0, 1, 2 or 3",
    ),
    "level-fetch_indicator-str": (
        lambda: rg.fetch_indicator("area", level="2"),
        "'2'",
        "0, 1, 2 or 3",
    ),
    "level-not-in-indicator": (
        lambda: rg.fetch_indicator("broadband_households", level=3),
        "level 3",
        "exists at NUTS levels",
    ),
    "level-nuts_codes": (lambda: rg.nuts_codes(level=7), "level=7", "0, 1, 2 or 3"),
    "level-nuts_codes-bool": (
        lambda: rg.nuts_codes(level=True),
        "level=True",
        "0, 1, 2 or 3",
    ),
    "level-members": (
        lambda: rg.members("batteries", level=4),
        "level=4",
        "None, 0, 1, 2 or 3",
    ),
    "level-members-str": (
        lambda: rg.members("batteries", level="2"),
        "level='2'",
        "None, 0, 1, 2 or 3",
    ),
    "level-membership_matrix": (
        lambda: rg.membership_matrix(level=5),
        "level=5",
        "0, 1, 2 or 3",
    ),
    "level-nuts_parent": (
        lambda: rg.nuts_parent("DE21", 3),
        "'DE21'",
        "parent level must be ≤ 2",
    ),
    # bad years
    "year-nuts_regions": (
        lambda: rg.nuts_regions(nuts_year=2019),
        "2019",
        r"use one of \[2003, 2006, 2010, 2013, 2016, 2021, 2024\]",
    ),
    "year-nuts_regions-str": (
        lambda: rg.nuts_regions(nuts_year="2021"),
        "'2021'",
        "use one of",
    ),
    "year-nuts_codes": (
        lambda: rg.nuts_codes(nuts_year=2015),
        "nuts_year=2015",
        "use 2013, 2016, 2021 or 2024",
    ),
    "year-nuts_codes-str": (
        lambda: rg.nuts_codes(nuts_year="2021"),
        "nuts_year='2021'",
        "use 2013, 2016, 2021 or 2024",
    ),
    "year-nuts_children": (
        lambda: rg.nuts_children("DE2", nuts_year=2010),
        "nuts_year=2010",
        "use 2013, 2016, 2021 or 2024",
    ),
    "year-validate_nuts": (
        lambda: rg.validate_nuts(["DE21"], nuts_year=1999),
        "nuts_year=1999",
        "use 2013, 2016, 2021 or 2024",
    ),
    "year-panel-str": (
        lambda: rg.panel(["area"], year="2021"),
        "'2021'",
        "must be an int",
    ),
    "year-panel-window": (
        lambda: rg.panel(["area"], window=-1),
        "-1",
        "must be ≥ 0",
    ),
    "year-panel-policy": (
        lambda: rg.panel(["area"], policy="median"),
        "'median'",
        r"\['exact', 'latest'\]",
    ),
    "year-fetch_indicator-str": (
        lambda: rg.fetch_indicator("area", years="abc"),
        "'abc'",
        "an int, a range or a list of ints",
    ),
    "year-fetch_indicator-float": (
        lambda: rg.fetch_indicator("area", years=2020.5),
        "2020.5",
        "an int, a range or a list of ints",
    ),
    "year-fetch_indicator-empty": (
        lambda: rg.fetch_indicator("area", years=[]),
        "empty",
        "None for every year",
    ),
    "year-fetch_indicator-outside-data": (
        lambda: rg.fetch_indicator("area", years=[1800, 1801]),
        "1800, 1801",
        r"it covers \d{4}–\d{4}",
    ),
    "panel-nuts-year": (
        lambda: rg.panel(["area"], nuts_year=2019),
        "nuts_year=2019",
        "2013, 2016, 2021 or 2024",
    ),
    "coverage-by": (
        lambda: rg.coverage(["area"], by="region"),
        "by='region'",
        r"\['indicator', 'country'\]",
    ),
    "hospitals-level": (lambda: rg.hospitals(level=4), "4", "0, 1, 2 or 3"),
    "year-recode-no-single-version": (
        lambda: rg.recode_nuts(
            pd.DataFrame({"geo": ["HR04", "HR05"], "time": 2019, "value": [1.0, 2.0]}),
            to_nuts_year=2021,
        ),
        "HR 2019: HR04",
        "Pass from_nuts_year=",
    ),
    # NUTS codes
    "nuts-too-long": (
        lambda: rg.nuts_level("DE1234567"),
        "'DE1234567'",
        "two upper-case letters",
    ),
    "nuts-none": (lambda: rg.nuts_level(None), "None", "not a string"),
    "nuts-int": (lambda: rg.nuts_level(12), "12", "not a string"),
    "nuts-script": (
        lambda: rg.nuts_level("<script>alert(1)</script>"),
        "'<script>alert(1)</script>'",
        "two upper-case letters",
    ),
    "nuts-unknown-country": (
        lambda: rg.nuts_children("XX9"),
        "'XX'",
        r"known: \['AL', 'AT'",
    ),
}


# ---------------------------------------------------------------- metric inputs
def _series(values, labels):
    return pd.Series(values, index=list(labels), dtype=float)


METRICS = {
    "gini-negative": (lambda: ineq.gini([1, -2, 3]), "-2.0", "non-negative"),
    "gini-nan": (lambda: ineq.gini([1, NAN, 3]), "NaN at positions [1]", "omit"),
    "gini-inf": (lambda: ineq.gini([1, np.inf, 3]), "positions [1]", "infinite"),
    "gini-empty": (lambda: ineq.gini([]), "empty", "at least one value"),
    "gini-text": (lambda: ineq.gini(["a", "b"]), "'a'", "numbers only"),
    "gini-all-zero": (lambda: ineq.gini([0, 0, 0]), "zero", "undefined"),
    "gini-zero-weights": (
        lambda: ineq.gini([1, 2, 3], [0, 0, 0]),
        "sum to zero",
        "must be positive",
    ),
    "gini-negative-weight": (
        lambda: ineq.gini([1, 2, 3], [1, -1, 1]),
        "positions [1]",
        "non-negative",
    ),
    "gini-nan-weight": (
        lambda: ineq.gini([1, 2, 3], [1, NAN, 1]),
        "NaN at positions [1]",
        "omit",
    ),
    "gini-short-weights": (
        lambda: ineq.gini([1, 2, 3], [1, 1]),
        "2 entries",
        "aligned one to one",
    ),
    "gini-mismatched-index": (
        lambda: ineq.gini(_series([1, 2, 3], "abc"), _series([1, 1, 1], "abd")),
        "['d']",
        "reindex",
    ),
    "gini-nan-policy": (
        lambda: ineq.gini([1, 2], nan_policy="ignore_all"),
        "'ignore_all'",
        "'raise', 'omit'",
    ),
    "theil-negative": (lambda: ineq.theil([1, -5]), "-5.0", "non-negative"),
    "mld-zero": (
        lambda: ineq.mean_log_deviation([0, 1, 2]),
        "positions [0]",
        "strictly positive",
    ),
    "atkinson-negative-epsilon": (
        lambda: ineq.atkinson([1, 2, 3], -1),
        "-1",
        "finite and ≥ 0",
    ),
    "atkinson-nan-epsilon": (
        lambda: ineq.atkinson([1, 2, 3], NAN),
        "nan",
        "finite and ≥ 0",
    ),
    "atkinson-zero-value": (
        lambda: ineq.atkinson([0, 1, 2], 2),
        "positions [0]",
        "strictly positive",
    ),
    "cv-negative": (
        lambda: ineq.coefficient_of_variation([1, -1, 4]),
        "-1.0",
        "non-negative",
    ),
    "max-min-zero": (
        lambda: ineq.max_min_ratio([0, 1, 2]),
        "smallest value is 0",
        "quintile_share_ratio or gini",
    ),
    "quintile-nan": (
        lambda: ineq.quintile_share_ratio([1, NAN, 2, 3, 4]),
        "NaN at positions [1]",
        "omit",
    ),
    "theil-decomposition-empty": (
        lambda: ineq.theil_decomposition([], []),
        "empty",
        "at least one value",
    ),
    "theil-decomposition-nan-group": (
        lambda: ineq.theil_decomposition([1, 2, 3], ["a", None, "b"]),
        "NaN at positions [1]",
        "omit",
    ),
    "theil-decomposition-short-groups": (
        lambda: ineq.theil_decomposition([1, 2, 3], ["a", "b"]),
        "2 labels",
        "values has 3",
    ),
    "theil-decomposition-mismatched-index": (
        lambda: ineq.theil_decomposition(
            _series([1, 2, 3], "abc"), pd.Series(["x", "y", "x"], index=list("abd"))
        ),
        "['d']",
        "reindex",
    ),
    "theil-decomposition-zero-weights": (
        lambda: ineq.theil_decomposition([1, 2, 3], ["a", "a", "b"], [0, 0, 0]),
        "sum to zero",
        "must be positive",
    ),
    "dispersion-cv-short-population": (
        lambda: disp.eurostat_dispersion_cv([1, 2, 3], [1, 2]),
        "2 entries",
        "aligned one to one",
    ),
    "dispersion-cv-negative-rate": (
        lambda: disp.eurostat_dispersion_cv([1, -2, 3], [1, 2, 3]),
        "-2.0",
        "non-negative",
    ),
    "dispersion-cv-zero-population": (
        lambda: disp.eurostat_dispersion_cv([1, 2, 3], [0, 0, 0]),
        "sum to zero",
        "must be positive",
    ),
    "dispersion-mad-nan": (
        lambda: disp.eurostat_dispersion_mad([1, NAN, 3], [1, 2, 3]),
        "NaN at positions [1]",
        "omit",
    ),
    "dispersion-mad-mismatched-index": (
        lambda: disp.eurostat_dispersion_mad(
            _series([1, 2, 3], "abc"), _series([1, 1, 1], "xbc")
        ),
        "['x']",
        "reindex",
    ),
    "dispersion-by-country-column": (
        lambda: disp.dispersion_by_country(
            pd.DataFrame({"geo": ["DE11"], "value": [1.0]}), value="nope"
        ),
        "'nope'",
        r"it has \['geo', 'value'\]",
    ),
    "dispersion-by-country-kind": (
        lambda: disp.dispersion_by_country(
            pd.DataFrame(
                {"geo": ["DE11"], "time": [2020], "value": [1.0], "population": [1.0]}
            ),
            kind="gini",
        ),
        "'gini'",
        r"\('cv', 'mad'\)",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_arguments(mirror, name):
    _raises(*CASES[name])


@pytest.mark.parametrize("name", list(METRICS))
def test_bad_metric_inputs(name):
    _raises(*METRICS[name])


# ------------------------------------------------------------- membership files
HEADER = "partnership_id,nuts_code,role,country,nuts_level\n"
GOOD_ROWS = "net,ES21,lead,ES,2\nnet,ES51,member,ES,2\n"
#: one bad row each: (row text, what the error must name, what it must explain)
BAD_ROWS = {
    "unknown-code": ("net,DE2Z,member,DE,2", "'DE2Z'", "unknown NUTS 2021 code"),
    "other-version-2016": ("net,HR04,member,HR,2", "'HR04'", "NUTS 2016"),
    "other-version-2013": ("net,LT00,member,LT,2", "'LT00'", "another version"),
    "country-mismatch": ("net,ITC4,member,FR,2", "'ITC4'", "country 'FR' does not"),
    "level-mismatch": ("net,ES22,member,ES,3", "'ES22'", "nuts_level 3 does not"),
    "malformed": ("net,E S21,member,ES,2", "'E S21'", "not a NUTS code"),
    "script": (
        "net,<script>alert(1)</script>,member,ES,2",
        "<SCRIPT>ALERT(1)</SCRIPT>",
        "not a NUTS code",
    ),
    "iso-greece": ("net,GR30,member,GR,2", "'GR30'", "EL"),
    "bad-role": ("net,ES41,boss,ES,2", "'boss'", "lead, co-lead, member"),
    "missing-id": (",ES61,member,ES,2", "ES61", "missing partnership_id"),
    "duplicate": ("net,ES21,member,ES,2", "'ES21'", "duplicate"),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_membership_file_with_one_bad_row(tmp_path, name):
    row, shows, explains = BAD_ROWS[name]
    path = tmp_path / "network.csv"
    path.write_text(HEADER + GOOD_ROWS + row + "\n", encoding="utf-8")
    exc = _raises(lambda: rg.read_membership(path), shows, explains)
    assert isinstance(exc, MembershipError)
    assert "row 4" in str(exc)  # the header is row 1, the bad row the 4th


def test_membership_file_lists_every_bad_row_in_one_error(tmp_path):
    rows = [row for row, _, _ in BAD_ROWS.values()]
    path = tmp_path / "network.csv"
    path.write_text(HEADER + GOOD_ROWS + "\n".join(rows) + "\n", encoding="utf-8")
    exc = _raises(lambda: rg.read_membership(path), "bad rows", "row numbers")
    msg = str(exc)
    for offset, (_, shows, explains) in enumerate(BAD_ROWS.values()):
        assert f"row {4 + offset} " in msg, (offset, msg)
        assert shows in msg and explains in msg
    # the good row is not reported (row 2 is, as the duplicate's first copy)
    assert "row 3 " not in msg
    assert f"{len(BAD_ROWS) + 1} bad rows" in msg


BAD_FILES = {
    "empty": (b"", "m.csv", "cannot parse membership file", "No columns"),
    "no-required-columns": (
        b"a,b\n1,2\n",
        "m.csv",
        "missing column",
        "Required: ",
    ),
    "not-utf8": (b"\xff\xfe\x00garbage\x00\x01", "m.csv", "m.csv", "utf-8"),
    "not-excel": (b"not a zip", "m.xlsx", "m.xlsx", "cannot parse"),
    "wrong-suffix": (HEADER.encode() + b"net,ES21,lead,ES,2\n", "m.json", "m.json", ""),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_membership_files(tmp_path, name):
    body, filename, shows, explains = BAD_FILES[name]
    path = tmp_path / filename
    path.write_bytes(body)
    _raises(lambda: rg.read_membership(path), shows, explains)
