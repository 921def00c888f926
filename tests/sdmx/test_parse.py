"""Unit tests of regiongap.sdmx on hand-made fixtures in the three real layouts."""

from __future__ import annotations

import gzip
import math
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiongap.errors import ParseError
from regiongap.sdmx import FORMATS, parse, sniff_format

FIXTURES = Path(__file__).parents[1] / "data" / "sdmx"
OLD_HEAD = b"unit,geo\\time\t2021 \t2020 \n"
NEW_HEAD = b"freq,unit,geo\\TIME_PERIOD\t2020 \t2021 \n"
CSV_HEAD = b"DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
CSV_ROW = b"ESTAT:X(1.0),21/02/23 23:00:00,A,PC,AT11,"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows(frame: pd.DataFrame) -> list[tuple]:
    """Rows as plain Python tuples, NaN -> None and <NA> -> None, for comparisons."""
    out = []
    for row in frame.astype(object).itertuples(index=False):
        out.append(
            tuple(
                None if (v is pd.NA or (isinstance(v, float) and math.isnan(v))) else v
                for v in row
            )
        )
    return out


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


# --------------------------------------------------------------------------------------
# the three formats, cell for cell
# --------------------------------------------------------------------------------------


def test_new_tsv_fixture_cell_for_cell():
    frame = parse(fixture("new_format.tsv"), name="new_format.tsv")
    assert list(frame.columns) == ["freq", "unit", "geo", "time", "value", "flag"]
    assert frame.attrs == {"format": "tsv", "last_update": None, "dataflow": None}
    assert rows(frame) == [
        ("A", "NR", "AL", 2019, 2845955.0, None),
        ("A", "NR", "AL", 2020, 2829741.0, "p"),
        ("A", "NR", "AL", 2021, None, None),
        ("A", "NR", "AL01", 2019, 1000.0, "e"),
        ("A", "NR", "AL01", 2020, None, "c"),
        ("A", "NR", "AL01", 2021, 1234.0, "bp"),
        ("A", "KM2", "AL", 2019, 28791.0, "e"),
        ("A", "KM2", "AL", 2020, 28791.5, None),
        ("A", "KM2", "AL", 2021, None, "m"),
    ]


def test_dtypes_follow_the_contract():
    frame = parse(fixture("new_format.tsv"))
    for dim in ("freq", "unit", "geo"):
        assert isinstance(frame[dim].dtype, pd.CategoricalDtype)
    assert frame["time"].dtype == np.int64
    assert frame["value"].dtype == np.float64
    assert frame["flag"].dtype == "string"
    assert frame["flag"].dtype.na_value is pd.NA
    # categories in order of first appearance, not sorted
    assert list(frame["unit"].cat.categories) == ["NR", "KM2"]
    assert list(frame["geo"].cat.categories) == ["AL", "AL01"]


def test_old_tsv_fixture_has_no_freq_and_ascending_years():
    frame = parse(fixture("old_format.tsv"))
    assert list(frame.columns) == ["unit", "geo", "time", "value", "flag"]
    assert frame.attrs["format"] == "tsv-old"
    assert rows(frame) == [
        ("EUR_HAB", "AL", 2019, 4800.0, None),
        ("EUR_HAB", "AL", 2020, 4700.0, "p"),
        ("EUR_HAB", "AL", 2021, None, None),
        ("EUR_HAB", "AL01", 2019, 3900.0, None),
        ("EUR_HAB", "AL01", 2020, 3800.0, "p"),
        ("EUR_HAB", "AL01", 2021, None, None),
        ("MIO_EUR", "AL", 2019, 1234.0, "d"),
        ("MIO_EUR", "AL", 2020, 13754.19, None),
        ("MIO_EUR", "AL", 2021, 12.5, None),
    ]


def test_linear_csv_fixture():
    frame = parse(fixture("linear.csv"))
    assert list(frame.columns) == ["freq", "unit", "geo", "time", "value", "flag"]
    assert frame.attrs == {
        "format": "csv",
        "last_update": "2023-02-21T23:00:00",
        "dataflow": "ESTAT:NAMA_10R_2GDP(1.0)",
    }
    assert rows(frame) == [
        ("A", "EUR_HAB", "AL01", 2019, 3900.0, None),
        ("A", "EUR_HAB", "AL01", 2020, 3800.0, "p"),
        ("A", "MIO_EUR", "AL01", 2020, 3009.75, "e"),  # quoted in the file
        ("A", "EUR_HAB", "AL02", 2020, None, "u"),  # empty value, flag kept
        ("A", "EUR_HAB", "AL02", 2021, None, "c"),  # ':' as value
    ]
    assert isinstance(frame["geo"].dtype, pd.CategoricalDtype)
    assert frame["time"].dtype == np.int64


def test_api_csv_keeps_a_non_empty_conf_status():
    frame = parse(fixture("api.csv"))
    assert list(frame.columns) == [
        "freq",
        "unit",
        "geo",
        "time",
        "value",
        "flag",
        "conf_status",
    ]
    assert frame["conf_status"].dtype == "string"
    assert rows(frame) == [
        ("A", "PC_HH", "AL", 2018, 82.79, None, None),
        ("A", "PC_HH", "AL", 2019, None, "u", "C"),
        ("A", "PC_HH", "XK", 2019, 96.36, "b", None),
    ]
    assert frame.attrs["last_update"] == "2024-06-16T23:00:00"


def test_api_csv_drops_an_all_empty_conf_status():
    raw = fixture("api.csv").replace(b",u,C\n", b",u,\n")
    frame = parse(raw)
    assert "conf_status" not in frame.columns
    assert frame["flag"].tolist()[1] == "u"


def test_sdmx_csv2_fixture_without_labels():
    frame = parse(fixture("sdmx2.csv"))
    assert frame.attrs == {
        "format": "csv2",
        "last_update": None,
        "dataflow": "ESTAT:TGS00010(1.0)",
        "title": None,
    }
    assert list(frame.columns) == [
        *("freq", "unit", "geo", "time", "value", "flag", "conf_status")
    ]
    assert rows(frame) == [
        ("A", "PC", "AT11", 2019, 3.1, None, None),
        ("A", "PC", "AT11", 2020, None, "u", "C"),
        ("A", "PC", "PT1C", 2024, 6.5, "b", None),  # quoted in the file
    ]


def test_sdmx_csv2_labels_go_to_attrs_not_columns():
    frame = parse(fixture("sdmx2_labels.csv"))
    assert list(frame.columns) == [
        *("freq", "unit", "geo", "time", "value", "flag", "conf_status")
    ]
    assert rows(frame) == [
        ("A", "PC_GDP", "AT11", 2013, 0.89, "b", None),
        ("A", "PC_GDP", "BE10", 2020, None, None, "C"),
        ("A", "PC_GDP", "AT11", 2015, 1.5, "p", None),
    ]
    attrs = frame.attrs
    assert attrs["format"] == "csv2"
    assert attrs["dataflow"] == "ESTAT:TGS00042(1.0)"
    assert attrs["title"] == "Intramural R&D expenditure (GERD) by NUTS 2 region"
    assert attrs["labels"] == {
        "freq": {"A": "Annual"},
        "unit": {"PC_GDP": "Percentage of gross domestic product (GDP)"},
        "geo": {
            "AT11": "Burgenland",
            "BE10": "Région de Bruxelles-Capitale, Brussels",
        },
        "flag": {"b": "break in time series", "p": "provisional"},
        "conf_status": {"C": "confidential"},
    }
    assert attrs["column_labels"] == {
        "freq": "Time frequency",
        "unit": "Unit of measure",
        "geo": "Geopolitical entity (reporting)",
        "time": "Time",
        "value": "Observation value",
        "flag": "Observation status (Flag) V2 structure",
        "conf_status": "Confidentiality status (flag)",
    }


def test_sdmx_csv2_with_and_without_labels_give_the_same_frame():
    labelled = parse(fixture("sdmx2_labels.csv"))
    lines = fixture("sdmx2_labels.csv").decode().splitlines()
    import csv as stdcsv
    import io

    rows_in = list(stdcsv.reader(io.StringIO("\n".join(lines))))
    keep = [0, 1, 2, *range(3, len(rows_in[0]), 2)]  # drop every label column
    out = io.StringIO()
    stdcsv.writer(out, lineterminator="\n").writerows(
        [[r[i] for i in keep] for r in rows_in]
    )
    plain = parse(out.getvalue().encode())
    pd.testing.assert_frame_equal(plain, labelled)
    assert "labels" not in plain.attrs


def test_quarterly_tsv_becomes_a_period_column():
    frame = parse(fixture("quarterly.tsv"))
    assert frame["time"].dtype == pd.PeriodDtype("Q-DEC")
    assert frame["time"].tolist()[:3] == [
        pd.Period("2020Q3", "Q"),
        pd.Period("2020Q4", "Q"),
        pd.Period("2021Q1", "Q"),
    ]
    assert rows(frame.drop(columns="time"))[3:] == [
        ("Q", "PC", "AT12", 6.0, None),
        ("Q", "PC", "AT12", 6.25, None),
        ("Q", "PC", "AT12", 7.5, "e"),
    ]


@pytest.mark.parametrize(
    "fixture_name",
    [
        "new_format.tsv",
        "old_format.tsv",
        "linear.csv",
        "api.csv",
        "sdmx2.csv",
        "sdmx2_labels.csv",
    ],
)
def test_gzip_and_plain_give_identical_frames(fixture_name):
    plain = fixture(fixture_name)
    a = parse(plain)
    b = parse(gzip.compress(plain))
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs


@pytest.mark.parametrize(
    ("fixture_name", "expected"),
    [
        ("new_format.tsv", "tsv"),
        ("old_format.tsv", "tsv-old"),
        ("linear.csv", "csv"),
        ("api.csv", "csv"),
        ("sdmx2.csv", "csv2"),
        ("sdmx2_labels.csv", "csv2"),
    ],
)
def test_sniff_format(fixture_name, expected):
    raw = fixture(fixture_name)
    assert sniff_format(raw) == expected
    assert sniff_format(gzip.compress(raw)) == expected
    assert parse(raw).attrs["format"] == expected
    assert expected in FORMATS


@pytest.mark.parametrize(
    "raw", [b"", b"<!DOCTYPE html><html>", b'{"error": 1}', b"\x00\x01\x02"]
)
def test_sniff_format_rejects_non_sdmx(raw):
    with pytest.raises(ParseError, match="not an Eurostat SDMX file"):
        sniff_format(raw, name="thing")


# --------------------------------------------------------------------------------------
# values, flags, periods
# --------------------------------------------------------------------------------------


def test_values_are_exactly_float_of_the_text():
    texts = [
        "0.1",
        "13754.19",
        "2582379.0",
        "0.30000000000000004",
        "123456789.123456789",
        "1e-7",
        "-0.0",
        "9007199254740993",
    ]
    body = b"".join(
        b"PC,G%d\t%s p\t%s \n" % (i, t.encode(), t.encode())
        for i, t in enumerate(texts)
    )
    frame = parse(OLD_HEAD + body)
    got = frame["value"].tolist()
    want = [float(t) for t in texts for _ in range(2)]
    assert [bits(x) for x in got] == [bits(x) for x in want]


def test_flags_are_kept_verbatim():
    flags = ["p", "e", "b", "u", "c", "bp", "d", "z", "bep", "@N", "0n"]
    body = b"".join(
        b"PC,G%d\t1 %s\t: %s\n" % (i, f.encode(), f.encode())
        for i, f in enumerate(flags)
    )
    frame = parse(OLD_HEAD + body)
    assert frame["flag"].tolist() == [f for f in flags for _ in range(2)]
    assert frame["value"].isna().tolist() == [True, False] * len(flags)


def test_colon_cells_are_kept_as_rows_with_nan():
    frame = parse(OLD_HEAD + b"PC,AT\t: \t: c\n")
    assert len(frame) == 2
    assert frame["value"].isna().all()
    assert frame["flag"].tolist() == ["c", pd.NA]  # 2020 then 2021


@pytest.mark.parametrize(
    ("labels", "dtype", "first"),
    [
        (["2020-Q1", "2020-Q2"], "Q-DEC", pd.Period("2020Q1", "Q")),
        (["2020Q1", "2020Q2"], "Q-DEC", pd.Period("2020Q1", "Q")),
        (["2020-03", "2020-04"], "M", pd.Period("2020-03", "M")),
        (["2020M03", "2020M04"], "M", pd.Period("2020-03", "M")),
        (["2020-S1", "2020-S2"], "6M", pd.Period("2020-01", "6M")),
        (["2020-W05", "2020-W06"], "W-SUN", pd.Period("2020-01-27", "W-SUN")),
        (["2020-01-31", "2020-02-01"], "D", pd.Period("2020-01-31", "D")),
        (["2020M01D31", "2020M02D01"], "D", pd.Period("2020-01-31", "D")),
    ],
)
def test_sub_annual_periods(labels, dtype, first):
    head = "unit,geo\\TIME_PERIOD\t" + "\t".join(f"{x} " for x in labels) + "\n"
    frame = parse(head.encode() + b"PC,AT\t1 \t2 p\n")
    assert frame["time"].dtype == pd.PeriodDtype(dtype)
    assert frame["time"].iloc[0] == first
    assert frame["time"].iloc[1] == first + 1
    assert frame["value"].tolist() == [1.0, 2.0]


def test_semesters_and_iso_weeks_are_the_right_spans():
    raw = b"unit,geo\\TIME_PERIOD\t2020-S2 \nPC,AT\t1 \n"
    period = parse(raw)["time"].iloc[0]
    assert period.start_time == pd.Timestamp("2020-07-01")
    assert period.end_time.normalize() == pd.Timestamp("2020-12-31")
    raw = b"unit,geo\\TIME_PERIOD\t2021-W01 \nPC,AT\t1 \n"
    week = parse(raw)["time"].iloc[0]
    assert week.start_time == pd.Timestamp("2021-01-04")  # ISO week 1 of 2021
    assert week.end_time.normalize() == pd.Timestamp("2021-01-10")


def test_quarterly_csv():
    raw = CSV_HEAD + CSV_ROW.replace(b",A,", b",Q,") + b"2020-Q4,1.5,p\n"
    frame = parse(raw)
    assert frame["time"].dtype == pd.PeriodDtype("Q-DEC")
    assert frame["time"].iloc[0] == pd.Period("2020Q4", "Q")


def test_mixed_frequencies_are_rejected_naming_the_labels():
    raw = b"unit,geo\\TIME_PERIOD\t2020 \t2020-Q1 \t2020-03 \nPC,AT\t1 \t2 \t3 \n"
    with pytest.raises(ParseError, match="mix frequencies") as info:
        parse(raw)
    for label in ("'2020'", "'2020-Q1'", "'2020-03'"):
        assert label in str(info.value)
    csv = CSV_HEAD + CSV_ROW + b"2020,1,\n" + CSV_ROW + b"2020-Q1,2,\n"
    with pytest.raises(ParseError, match=r"mix frequencies.*'2020-Q1'"):
        parse(csv)


@pytest.mark.parametrize(
    "label",
    [
        "2020-Q5",
        "20x0",
        "2020-13",
        "2020-W54",
        "2021-W53",
        "2020-02-30",
        "2020M02D30",
        "2020-01D01",
        "Y2020",
        "2020 Q1",
        "2020-1",
    ],
)
def test_unparseable_period_label_is_named(label):
    raw = f"unit,geo\\TIME_PERIOD\t{label} \nPC,AT\t1 \n".encode()
    with pytest.raises(ParseError, match="unparseable time period") as info:
        parse(raw)
    assert repr(label) in str(info.value)
    csv = CSV_HEAD + CSV_ROW + label.encode() + b",1,\n"
    with pytest.raises(ParseError, match=repr(label)):
        parse(csv)


# --------------------------------------------------------------------------------------
# shape of the output
# --------------------------------------------------------------------------------------


def test_dimension_names_are_lowercased_in_file_order():
    raw = b"FREQ,NA_ITEM,Unit,GEO\\TIME_PERIOD\t2020 \nA,B1G,EUR,AT\t1 \n"
    assert list(parse(raw).columns) == [
        "freq",
        "na_item",
        "unit",
        "geo",
        "time",
        "value",
        "flag",
    ]


def test_rows_are_series_by_series_with_time_ascending():
    raw = OLD_HEAD + b"PC,B\t1 \t2 \nPC,A\t3 \t4 \n"
    frame = parse(raw)
    assert frame["geo"].tolist() == ["B", "B", "A", "A"]
    assert frame["time"].tolist() == [2020, 2021, 2020, 2021]
    assert frame["value"].tolist() == [2.0, 1.0, 4.0, 3.0]


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        (OLD_HEAD, "tsv-old"),
        (NEW_HEAD, "tsv"),
        (CSV_HEAD, "csv"),
        (fixture("sdmx2.csv").splitlines(keepends=True)[0], "csv2"),
        (fixture("sdmx2_labels.csv").splitlines(keepends=True)[0], "csv2"),
    ],
)
def test_header_only_gives_an_empty_frame_with_the_right_dtypes(raw, fmt):
    frame = parse(raw)
    assert len(frame) == 0
    assert frame.attrs["format"] == fmt
    assert frame["time"].dtype == np.int64
    assert frame["value"].dtype == np.float64
    assert frame["flag"].dtype == "string"
    assert isinstance(frame["geo"].dtype, pd.CategoricalDtype)


def test_missing_final_newline_and_bom_are_fine():
    raw = b"\xef\xbb\xbf" + OLD_HEAD + b"PC,AT\t1 \t2 p"
    assert parse(raw)["value"].tolist() == [2.0, 1.0]


def test_bytearray_and_memoryview_are_accepted():
    raw = fixture("old_format.tsv")
    pd.testing.assert_frame_equal(parse(bytearray(raw)), parse(raw))
    pd.testing.assert_frame_equal(parse(memoryview(raw)), parse(raw))


def test_last_update_is_the_latest_when_several():
    raw = (
        CSV_HEAD
        + CSV_ROW
        + b"2020,1,\n"
        + CSV_ROW.replace(b"21/02/23", b"03/03/23").replace(b"AT11", b"AT12")
        + b"2020,1,\n"
    )
    assert parse(raw).attrs["last_update"] == "2023-03-03T23:00:00"


# --------------------------------------------------------------------------------------
# bad input: always ParseError, naming the bad thing
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"<!DOCTYPE html><html><body>Service unavailable", "<!DOCTYPE html>"),
        (b'{"error": {"status": 404}}', '{"error"'),
        (b"CNTR_CODE,NUTS_ID,NAME_LATN\nDE,DE1,x\n", "CNTR_CODE"),
        (bytes(range(256)), "\\x00\\x01"),
        (b"geo\\time 2020\nAT 1\n", "geo\\\\time"),  # spaces instead of tabs
    ],
)
def test_header_not_sdmx(raw, shown):
    with pytest.raises(ParseError) as info:
        parse(raw, name="answer.tsv")
    msg = str(info.value)
    assert msg.startswith("answer.tsv: not an Eurostat SDMX file")
    assert "expected an SDMX-TSV header" in msg
    assert shown in msg


@pytest.mark.parametrize("raw", [b"", b"   \n\n", gzip.compress(b"", mtime=0)])
def test_empty_input(raw):
    with pytest.raises(ParseError, match="empty input"):
        parse(raw)


def test_truncated_gzip():
    raw = gzip.compress(fixture("new_format.tsv"))
    for cut in (3, 10, len(raw) // 2, len(raw) - 4):
        with pytest.raises(ParseError, match="truncated or corrupt gzip"):
            parse(raw[:cut], name="x.tsv.gz")


@pytest.mark.parametrize("offset", [15, 30, -6])  # deflate header, body, CRC
def test_corrupt_gzip(offset):
    raw = bytearray(gzip.compress(fixture("new_format.tsv"), mtime=0))
    raw[offset] ^= 0xFF
    with pytest.raises(ParseError, match="gzip"):
        parse(bytes(raw))


def test_row_with_too_few_cells_names_the_line():
    raw = OLD_HEAD + b"PC,AT\t1 \t2 \nPC,DE\t1 \n"
    with pytest.raises(ParseError, match=r"line 3 has 2 tab-separated cells.*has 3"):
        parse(raw)


def test_row_with_too_many_cells_names_the_line():
    raw = NEW_HEAD + b"A,PC,AT\t1 \t2 \nA,PC,DE\t1 \t2 \t3 \n"
    with pytest.raises(ParseError, match=r"line 3 has 4 tab-separated cells") as info:
        parse(raw)
    assert "A,PC,DE" in str(info.value)


def test_csv_row_with_wrong_field_count_names_the_line():
    raw = CSV_HEAD + CSV_ROW + b"2020,1,\n" + CSV_ROW + b"2021,1\n"
    with pytest.raises(ParseError, match=r"line 3 has 7 fields, the header has 8"):
        parse(raw)


def test_key_with_wrong_number_of_parts_is_named():
    raw = NEW_HEAD + b"A,PC\t1 \t2 \n"
    with pytest.raises(ParseError, match=r"3 comma-separated codes.*'A,PC'"):
        parse(raw)


def test_empty_dimension_value_is_rejected():
    with pytest.raises(ParseError, match="empty value of dimension 'geo'"):
        parse(NEW_HEAD + b"A,PC,\t1 \t2 \n")
    with pytest.raises(ParseError, match="empty value of dimension 'geo'"):
        parse(CSV_HEAD + CSV_ROW.replace(b"AT11", b"") + b"2020,1,\n")


@pytest.mark.parametrize("cell", [b"1", b"1  p", b" 1 p", b"1 p q", b""])
def test_cell_not_value_space_flag_is_named(cell):
    raw = OLD_HEAD + b"PC,AT\t" + cell + b"\t2 \n"
    with pytest.raises(ParseError, match="exactly one space") as info:
        parse(raw)
    assert repr(cell.decode()) in str(info.value)
    assert "period '2021'" in str(info.value)


@pytest.mark.parametrize("text", ["12a", "1,5", "n/a", "--", "1_000", "0x10"])
def test_value_that_is_not_a_number_is_named(text):
    raw = OLD_HEAD + b"PC,AT\t1 \t" + text.encode() + b" p\n"
    with pytest.raises(ParseError, match="not a number") as info:
        parse(raw)
    assert repr(text) in str(info.value)
    assert "series 'PC,AT', period '2020'" in str(info.value)
    if "," not in text:
        csv = CSV_HEAD + CSV_ROW + b"2020," + text.encode() + b",\n"
        with pytest.raises(ParseError, match=rf"not a number.*{text!r}.*data row 1"):
            parse(csv)


def test_duplicate_series_keys_are_listed():
    raw = OLD_HEAD + b"PC,AT\t1 \t2 \nPC,DE\t1 \t2 \nPC,AT\t3 \t4 \n"
    with pytest.raises(
        ParseError, match=r"1 series key\(s\) appear on two lines: 'PC,AT'"
    ):
        parse(raw)


def test_duplicate_period_columns_are_listed():
    raw = b"unit,geo\\time\t2021 \t2021\nPC,AT\t1 \t2 \n"
    with pytest.raises(ParseError, match=r"'2021', '2021' name one period twice"):
        parse(raw)
    raw = b"unit,geo\\time\t2021-03 \t2021M03 \t2021-04 \nPC,AT\t1 \t2 \t3 \n"
    with pytest.raises(ParseError, match=r"'2021-03', '2021M03' name one period"):
        parse(raw)


def test_one_period_spelt_two_ways_is_a_duplicate_csv_key():
    raw = CSV_HEAD + CSV_ROW + b"2021-03,1,\n" + CSV_ROW + b"2021M03,2,\n"
    with pytest.raises(ParseError, match=r"appear more than once: A,PC,AT11,2021-03"):
        parse(raw)


def test_duplicate_csv_keys_are_listed():
    raw = (
        CSV_HEAD
        + CSV_ROW
        + b"2020,1,\n"
        + CSV_ROW
        + b"2021,1,\n"
        + CSV_ROW
        + b"2020,2,\n"
    )
    with pytest.raises(ParseError, match=r"appear more than once: A,PC,AT11,2020"):
        parse(raw)


def test_invalid_utf8_in_body():
    raw = OLD_HEAD + b"PC,\xff\xfeAT\t1 \t2 \n"
    with pytest.raises(ParseError, match="not valid UTF-8"):
        parse(raw)
    csv = CSV_HEAD + CSV_ROW.replace(b"AT11", b"A\xff") + b"2020,1,\n"
    with pytest.raises(ParseError, match="not valid UTF-8"):
        parse(csv)


def test_invalid_utf8_in_header():
    raw = b"unit,g\xffeo\\time\t2021 \nPC,AT\t1 \n"
    with pytest.raises(ParseError, match=r"not an Eurostat SDMX file.*\\xff"):
        parse(raw)


@pytest.mark.parametrize(
    ("header", "bad"),
    [
        (b"unit,time\\TIME_PERIOD\t2020 \n", "time"),
        (b"unit,unit\\TIME_PERIOD\t2020 \n", "unit"),
        (b"unit,ge o\\TIME_PERIOD\t2020 \n", "ge o"),
        (b",geo\\TIME_PERIOD\t2020 \n", "''"),
    ],
)
def test_bad_dimension_names(header, bad):
    with pytest.raises(ParseError, match="dimension name") as info:
        parse(header + b"PC,AT\t1 \n")
    assert bad in str(info.value)


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_FLAG\n", "OBS_VALUE"),
        (
            b"DATAFLOW,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,OBS_STATUS\n",
            "OBS_STATUS",
        ),
        (b"DATAFLOW,LAST UPDATE,TIME_PERIOD,OBS_VALUE\n", "TIME_PERIOD"),
        (b"DATAFLOW,freq,geo,TIME_PERIOD,OBS_FLAG,OBS_VALUE\n", "OBS_FLAG"),
    ],
)
def test_unexpected_csv_columns_are_named(header, named):
    with pytest.raises(ParseError, match="SDMX-CSV") as info:
        parse(header + b"X,A,AT,2020,1,\n")
    assert named in str(info.value)


def test_csv_mixing_dataflows():
    raw = (
        CSV_HEAD
        + CSV_ROW
        + b"2020,1,\n"
        + CSV_ROW.replace(b"X(1.0)", b"Y(1.0)")
        + b"2021,1,\n"
    )
    with pytest.raises(
        ParseError, match=r"mixes dataflows 'ESTAT:X\(1.0\)', 'ESTAT:Y\(1.0\)'"
    ):
        parse(raw)


CSV2_HEAD = b"STRUCTURE,STRUCTURE_ID,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (b"STRUCTURE,STRUCTURE_ID,freq,geo,TIME_PERIOD,OBS_FLAG\n", "OBS_VALUE"),
        (b"STRUCTURE,freq,geo,TIME_PERIOD,OBS_VALUE\n", "STRUCTURE_ID"),
        (
            b"STRUCTURE,STRUCTURE_ID,freq,Frequency,geo,TIME_PERIOD,Time,OBS_VALUE\n",
            "label column",
        ),
        (b"STRUCTURE,STRUCTURE_ID,geo,geo,TIME_PERIOD,OBS_VALUE\n", "'geo', 'geo'"),
    ],
)
def test_sdmx_csv2_unexpected_columns_are_named(header, named):
    with pytest.raises(ParseError, match="SDMX-CSV") as info:
        parse(header + b"dataflow,X,A,AT,2020,1,\n")
    assert named in str(info.value)


def test_sdmx_csv2_duplicate_keys_are_listed():
    row = b"dataflow,ESTAT:X(1.0),A,AT11,2020,1,\n"
    with pytest.raises(ParseError, match=r"1 key\(s\) \(freq,geo,time\).*A,AT11,2020"):
        parse(CSV2_HEAD + row + row.replace(b",1,", b",2,"))


def test_sdmx_csv2_mixing_structures():
    raw = (
        CSV2_HEAD
        + b"dataflow,ESTAT:X(1.0),A,AT11,2020,1,\n"
        + b"dataflow,ESTAT:Y(1.0),A,AT11,2021,1,\n"
    )
    with pytest.raises(ParseError, match=r"mixes structures 'ESTAT:X\(1.0\)'"):
        parse(raw)


def test_sdmx_csv2_code_with_two_labels_is_named():
    head = b"STRUCTURE,STRUCTURE_ID,geo,Geo,TIME_PERIOD,Time,OBS_VALUE,Value\n"
    raw = head + b"dataflow,X,AT11,Burgenland,2020,,1,\ndataflow,X,AT11,Wien,2021,,2,\n"
    with pytest.raises(ParseError, match="'AT11' of geo has more than one label"):
        parse(raw)


def test_sdmx_csv2_bad_value_is_named():
    with pytest.raises(ParseError, match=r"'1,5'|'abc'") as info:
        parse(CSV2_HEAD + b"dataflow,X,A,AT11,2020,abc,\n")
    assert "data row 1" in str(info.value)


def test_csv_bad_last_update():
    raw = CSV_HEAD + CSV_ROW.replace(b"21/02/23 23:00:00", b"yesterday") + b"2020,1,\n"
    with pytest.raises(ParseError, match="LAST UPDATE 'yesterday'"):
        parse(raw)


def test_header_without_periods():
    with pytest.raises(ParseError, match="unparseable time period label"):
        parse(b"unit,geo\\time\t\nPC,AT\t\n")


@pytest.mark.parametrize("raw", [None, 12, "text", object()])
def test_non_bytes_input_raises_parse_error(raw):
    with pytest.raises(ParseError):
        parse(raw)  # type: ignore[arg-type]


def test_parse_error_is_a_value_error():
    with pytest.raises(ValueError, match="not an Eurostat SDMX file"):
        parse(b"nope")


# --------------------------------------------------------------------------------------
# a generated file of 5 million values: right at scale, and no per-cell Python loop
# --------------------------------------------------------------------------------------


def generate_new_tsv(nseries: int, years: list[int], seed: int = 0):
    """A new-format SDMX-TSV of ``nseries × len(years)`` cells, built with numpy/arrow.

    Values are integers or integers plus a quarter, so numpy's expected float is
    exact; one cell in ten is ``:``. Returns the bytes and the expected arrays.
    """
    rng = np.random.default_rng(seed)
    n = len(years)

    def pick(choices: list[str], codes: np.ndarray) -> pa.Array:
        """Strings chosen by integer codes, built by arrow (no Python loop)."""
        return pa.DictionaryArray.from_arrays(pa.array(codes), choices).cast(
            pa.string()
        )

    whole = rng.integers(0, 10**8, size=(nseries, n))
    quarter = rng.integers(0, 4, size=(nseries, n))
    missing = rng.random((nseries, n)) < 0.1
    flag_choices = ["", "", "", "p", "e", "b", "bp", "c", "u", "bep"]
    flag_codes = rng.integers(0, len(flag_choices), size=(nseries, n))
    expected_value = np.where(missing, np.nan, whole + quarter / 4)

    series = np.arange(nseries)
    sex_codes = series % 3
    geo_number = pc.cast(pa.array(series // 150), pa.string())
    key = pc.binary_join_element_wise(
        "A",
        "NR",
        pick(["F", "M", "T"], sex_codes),
        pc.binary_join_element_wise(
            "Y", pc.cast(pa.array(series // 3 % 50), pa.string()), ""
        ),
        pc.binary_join_element_wise("G", geo_number, ""),
        ",",
    )
    cells = []
    for j in range(n):  # one vectorised string build per period column
        number = pc.binary_join_element_wise(
            pc.cast(pa.array(whole[:, j]), pa.string()),
            pick(["", ".25", ".5", ".75"], quarter[:, j]),
            "",
        )
        value = pc.if_else(pa.array(missing[:, j]), ":", number)
        flag = pick(flag_choices, flag_codes[:, j])
        cells.append(pc.binary_join_element_wise(value, flag, " "))
    lines = pc.binary_join_element_wise(key, *cells, "\t")
    lines = pc.binary_join_element_wise(lines, pa.scalar("\r\n"), "")
    offsets = np.frombuffer(lines.buffers()[1], np.int32)
    body = lines.buffers()[2].to_pybytes()[offsets[0] : offsets[nseries]]
    header = "freq,unit,sex,age,geo\\TIME_PERIOD\t" + "\t".join(f"{y} " for y in years)
    raw = header.encode() + b"\r\n" + body
    return raw, {
        "value": expected_value.ravel(),
        "flag": np.array(flag_choices, dtype=object)[flag_codes].ravel(),
        "sex": np.repeat(np.array(["F", "M", "T"])[sex_codes], n),
        "geo": np.repeat(np.char.add("G", (series // 150).astype(str)), n),
        "time": np.tile(np.array(years), nseries),
    }


@pytest.mark.slow
def test_five_million_generated_values(record_property):
    import time

    years = list(range(2015, 2025))
    raw, expected = generate_new_tsv(500_000, years)

    def bare_read():
        names = [f"c{i}" for i in range(len(years) + 1)]
        return pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string())
            ),
        )

    def best_of(f, k=3):
        times = []
        for _ in range(k):
            start = time.perf_counter()
            result = f()
            times.append(time.perf_counter() - start)
        return min(times), result

    floor, _ = best_of(bare_read)
    took, frame = best_of(lambda: parse(raw))
    record_property("bare_pyarrow_read_s", round(floor, 4))
    record_property("parse_s", round(took, 4))

    assert len(frame) == 5_000_000
    np.testing.assert_array_equal(frame["value"].to_numpy(), expected["value"])
    flags = frame["flag"].to_numpy(dtype=object, na_value="")
    assert (flags == expected["flag"]).all()
    assert (frame["sex"].to_numpy(dtype=str) == expected["sex"]).all()
    assert (frame["geo"].to_numpy(dtype=str) == expected["geo"]).all()
    assert (frame["time"].to_numpy() == expected["time"]).all()
    assert frame["geo"].cat.categories[:2].tolist() == ["G0", "G1"]
    # a loop per cell in Python would be ~100× the bare read; allow noisy CI machines
    assert took < 15 * floor + 1.0, (took, floor)


@pytest.mark.parametrize(
    "raw",
    [
        fixture("new_format.tsv"),
        fixture("old_format.tsv"),
        fixture("linear.csv"),
        fixture("api.csv"),
        fixture("sdmx2.csv"),
        fixture("sdmx2_labels.csv"),
        fixture("quarterly.tsv"),
        b"unit,geo\\TIME_PERIOD\t2020-S1 \t2020-S2 \nPC,AT\t1 p\t2 \n",
        b"unit,geo\\TIME_PERIOD\t2020-W52 \t2020-W53 \nPC,AT\t1 p\t2 \n",
        b"unit,geo\\TIME_PERIOD\t2020-02 \t2020-03 \nPC,AT\t1 p\t2 \n",
    ],
)
def test_frames_round_trip_through_parquet(raw, tmp_path):
    import pyarrow.parquet as pq

    frame = parse(raw)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "f")
    back = pq.read_table(tmp_path / "f").to_pandas()
    pd.testing.assert_frame_equal(back, frame)


# --------------------------------------------------------------------------------------
# generated tables: whatever Hypothesis writes in a real layout comes back cell for cell
# --------------------------------------------------------------------------------------

CODES = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=6)
FLAGS = st.sampled_from(["", "p", "e", "b", "u", "c", "bp", "bep", "d", "z"])
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
    st.decimals(-(10**6), 10**6, places=3, allow_nan=False).map(str),
    st.just(":"),
)


@st.composite
def tables(draw):
    ndims = draw(st.integers(1, 3))
    names = draw(
        st.lists(
            st.sampled_from(["unit", "sex", "age", "na_item"]),
            min_size=ndims - 1,
            max_size=ndims - 1,
            unique=True,
        )
    )
    dims = [*names, "geo"]
    freq = draw(st.sampled_from(["A", "Q", "M"]))
    stamps = st.tuples(
        st.integers(1990, 2030), st.integers(1, 4 if freq == "Q" else 12)
    )
    label = {
        "A": lambda t: str(t[0]),
        "Q": lambda t: f"{t[0]}-Q{t[1]}",
        "M": lambda t: f"{t[0]}-{t[1]:02d}",
    }[freq]
    years = draw(st.lists(stamps.map(label), min_size=1, max_size=5, unique=True))
    keys = draw(
        st.lists(st.tuples(*[CODES] * len(dims)), min_size=0, max_size=6, unique=True)
    )
    cells = {
        (*key, year): (draw(NUMBERS), draw(FLAGS)) for key in keys for year in years
    }
    return freq, dims, years, keys, cells


def period_value(label: str, freq: str):
    """What ``time`` should hold for *label*: an int year or a pandas Period."""
    if freq == "A":
        return int(label)
    return pd.Period(label.replace("-Q", "Q"), freq="Q-DEC" if freq == "Q" else "M")


def expected_rows(keys, labels, cells, freq):
    """The tidy rows, series by series, in the order *labels* are given."""
    out = []
    for key in keys:
        for label in labels:
            text, flag = cells[(*key, label)]
            value = None if text == ":" else float(text)
            out.append((*key, period_value(label, freq), value, flag or None))
    return out


def csv_lines(layout, freq, dims, years, keys, cells) -> list[str]:
    """An SDMX-CSV table (1.0, 2.0, or 2.0 with label columns) as text lines."""
    if layout == "csv":
        head = ["DATAFLOW", "LAST UPDATE", "freq", *dims]
        lead = ["ESTAT:T(1.0)", "01/02/24 10:00:00"]
    else:
        head = ["STRUCTURE", "STRUCTURE_ID", "freq", *dims]
        lead = ["dataflow", "ESTAT:T(1.0)"]
    head += ["TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
    labelled = layout == "csv2-labels"
    if labelled:  # "Label of <column>" after each code column
        head = [
            h for c in head for h in ([c, f"Label of {c}"] if c in head[2:] else [c])
        ]
    lines = [",".join(head)]
    for key in keys:
        for year in years:
            text, flag = cells[(*key, year)]
            fields = [freq, *key, str(year), text, flag]
            if labelled:  # the label of a code: the code reversed, quoted
                fields = [x for f in fields for x in (f, f'"{f[::-1]} label, {f}"')]
            lines.append(",".join([*lead, *fields]))
    return lines


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    table=tables(),
    layout=st.sampled_from(["tsv", "tsv-old", "csv", "csv2", "csv2-labels"]),
    gz=st.booleans(),
)
def test_generated_tables_come_back_cell_for_cell(table, layout, gz):
    freq, dims, years, keys, cells = table
    is_csv = layout.startswith("csv")
    if is_csv:
        raw = (
            "\r\n".join(csv_lines(layout, freq, dims, years, keys, cells)) + "\r\n"
        ).encode()
    else:
        order = sorted(years, reverse=layout == "tsv-old")
        first = ("freq," if layout == "tsv" else "") + ",".join(dims)
        first += "\\TIME_PERIOD" if layout == "tsv" else "\\time"
        lines = [first + "\t" + "\t".join(f"{y} " for y in order)]
        for key in keys:
            prefix = (f"{freq}," if layout == "tsv" else "") + ",".join(key)
            row = [f"{cells[(*key, y)][0]} {cells[(*key, y)][1]}" for y in order]
            lines.append(prefix + "\t" + "\t".join(row))
        raw = ("\n".join(lines) + "\n").encode()
    if gz:
        raw = gzip.compress(raw, mtime=0)
    frame = parse(raw)
    assert frame.attrs["format"] == layout.removesuffix("-labels")
    if layout == "csv2-labels" and keys:
        assert frame.attrs["labels"]["geo"] == {
            k[-1]: f"{k[-1][::-1]} label, {k[-1]}" for k in keys
        }
    if layout != "tsv-old":
        frame = frame.drop(columns="freq")
    assert list(frame.columns) == [*dims, "time", "value", "flag"]
    # TSV: periods ascending within each series; CSV: the file's order
    want_years = years if is_csv else sorted(years)
    assert rows(frame) == expected_rows(keys, want_years, cells, freq)
    if freq == "A" or (is_csv and not keys):  # no label: nothing to tell
        assert frame["time"].dtype == np.int64
    else:
        assert frame["time"].dtype == pd.PeriodDtype("Q-DEC" if freq == "Q" else "M")
