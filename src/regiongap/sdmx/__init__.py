r"""Pure parsers for Eurostat's bulk formats: raw bytes in, one tidy long frame out.

Four formats are read, gzipped or not (sniffed from the content, never from a name):

``"tsv"`` — SDMX-TSV as served today by the dissemination API::

    freq,unit,geo\TIME_PERIOD<TAB>2016 <TAB>2017 …      (periods ascending)
    A,NR,AL<TAB>1417141 <TAB>1423050 p …

``"tsv-old"`` — the former bulk-download SDMX-TSV::

    unit,geo\time<TAB>2021 <TAB>2020 …                  (periods descending, no freq)
    EUR_HAB,AL<TAB>: <TAB>4700 p …

``"csv"`` — SDMX-CSV 1.0 (databrowser "linear" export and the SDMX 2.1 API export)::

    DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG[,CONF_STATUS]

``"csv2"`` — SDMX-CSV 2.0 (SDMX 3.0 API, today's data browser), with or without a
label column after each code column (``labels=both``)::

    STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME],freq,unit,geo,TIME_PERIOD,OBS_VALUE,…
    STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,unit,Unit of measure,…

The result (:func:`parse`) has one row per cell of the file, ``:`` cells included:

* one categorical column per dimension, named in lowercase, in the file's order
  (``freq`` included when the file has it; old TSV files have no ``freq`` column and
  none is invented — the frequency is visible in the ``time`` dtype);
  categories in order of first appearance. ``geo`` is one of them;
* ``time`` — ``int64`` years for annual data, a :class:`pandas.PeriodDtype` column
  for the other frequencies (``2020-Q1`` → ``Q-DEC``, ``2020-03``/``2020M03`` → ``M``,
  ``2020-S1`` → ``6M`` starting in January or July, ``2020-W05`` → ISO week as
  ``W-SUN``, ``2020-03-15``/``2020M03D15`` → ``D``). A file mixing frequencies
  (say ``2020`` and ``2020-Q1``) raises :class:`~regiongap.errors.ParseError` naming
  the labels of each frequency: one ``time`` column cannot hold years and periods
  and still be written to Parquet, and silently dropping part of a file is worse
  than asking;
* ``value`` — ``float64``, exactly ``float(text)`` of the number as written; NaN for
  ``:`` (and for an empty SDMX-CSV ``OBS_VALUE``); a ``:`` cell is still a row, its
  flag kept. A TSV cell must be the number or ``:``, one space, then the flags
  (``4700 p``, ``4700 ``, ``: c``) as Eurostat writes it; any other spacing is a
  ParseError naming the cell;
* ``flag`` — pandas ``"string"`` dtype (pyarrow storage), the flags verbatim
  (``p``, ``e``, ``bp``, ``: c`` → ``c``, …), ``<NA>`` when there is none;
* ``conf_status`` — only for SDMX-CSV files (either version) whose ``CONF_STATUS``
  column is non-empty somewhere (``"string"`` dtype); an all-empty column is dropped.

TSV rows come out series by series (file order), periods ascending within a series
(old files list years descending); CSV rows keep the file's order. Dimension values,
period labels and flags are trimmed of surrounding white space. A file with a header
and no data gives an empty frame with these columns (``time`` is ``int64`` for an
empty SDMX-CSV, whose header names no period).

``frame.attrs`` holds ``format``, ``last_update`` (ISO 8601, from SDMX-CSV 1.0's
``LAST UPDATE``, the latest one if several; ``None`` for TSV and SDMX-CSV 2.0, which
carry none) and ``dataflow`` (``DATAFLOW`` or ``STRUCTURE_ID``, e.g.
``"ESTAT:NAMA_10R_2GDP(1.0)"``; ``None`` for TSV). SDMX-CSV 2.0 adds ``title``
(``STRUCTURE_NAME``, or ``None``); with label columns also ``column_labels`` (output
column → the label column's header, ``{"geo": "Geopolitical entity (reporting)"}``)
and ``labels`` (output column → ``{code: label}``, e.g. ``{"geo": {"AT11":
"Burgenland"}, "flag": {"b": "break in time series"}}``). Labels are kept there, never
as extra columns: the frame is the same whichever way the file was downloaded.

Anything else — an HTML error page, JSON, random or truncated bytes, a row with the
wrong number of cells, an unparseable number or period, duplicated keys, invalid
UTF-8 — raises :class:`~regiongap.errors.ParseError` naming what was wrong and where.
No other exception type leaves :func:`parse` (``MemoryError`` apart).

Why our own parser rather than ``eurostat.get_data_df``
-------------------------------------------------------
The ``eurostat`` package parses the TSV cell by cell in Python (slow on the large
regional tables), returns a *wide* frame (one column per period) whose shape changes
with ``flags=True`` (``2020_value``/``2020_flag``), and answers filtered requests with
one HTTP request per combination of filter values. Here the whole table is read once
by :mod:`pyarrow.csv`, which also splits value from flag and converts the numbers
(see :mod:`regiongap.sdmx._from_tsv`): there is no Python loop per row or per cell, only
per column (period) and per distinct period label.
"""

from __future__ import annotations

import re

import pandas as pd

from regiongap.errors import ParseError
from regiongap.sdmx._from_csv import parse_csv
from regiongap.sdmx._from_tsv import parse_tsv
from regiongap.sdmx._text import (
    check_utf8,
    decompress,
    first_line,
    head_text,
    not_sdmx,
    sniff_header,
)

__all__ = ["FORMATS", "parse", "sniff_format"]

#: The format names :func:`sniff_format` returns and ``frame.attrs["format"]`` holds.
FORMATS: tuple[str, ...] = ("tsv", "tsv-old", "csv", "csv2")

_NON_BLANK = re.compile(rb"\S")


def sniff_format(raw: bytes, *, name: str = "<bytes>") -> str:
    r"""Tell which Eurostat format *raw* (gzipped or not) is in, from its header line.

    Parameters
    ----------
    raw : bytes
        The file content, gzip-compressed or plain.
    name : str, optional
        What to call the content in an error message (a file name or URL).

    Returns
    -------
    str
        ``"tsv"`` (new SDMX-TSV), ``"tsv-old"`` (old bulk SDMX-TSV), ``"csv"``
        (SDMX-CSV 1.0) or ``"csv2"`` (SDMX-CSV 2.0); see :data:`FORMATS`.

    Raises
    ------
    regiongap.errors.ParseError
        If the header is none of these (an HTML error page, JSON, empty input …); the
        message shows the first bytes. Only the first 64 KiB are decompressed, so a
        truncated gzip stream is caught by :func:`parse`, not here.

    Examples
    --------
    >>> sniff_format(b"unit,geo\\time\t2021 \nEUR_HAB,AL\t: \n")
    'tsv-old'
    """
    try:
        head = head_text(bytes(raw))
        kind = sniff_header(first_line(head, name)[0])
    except ParseError:
        raise
    except Exception as exc:  # the contract: only ParseError leaves
        msg = f"{name}: could not read the header ({type(exc).__name__}: {exc})"
        raise ParseError(msg) from exc
    if kind is None:
        raise not_sdmx(name, head)
    return kind


def parse(raw: bytes, *, name: str = "<bytes>") -> pd.DataFrame:
    r"""Parse an Eurostat SDMX-TSV (old, new) or SDMX-CSV (1.0, 2.0) file into a frame.

    Parameters
    ----------
    raw : bytes
        The file content, gzip-compressed or plain (detected from the magic bytes).
    name : str, optional
        What to call the content in error messages (a file name or URL).

    Returns
    -------
    pandas.DataFrame
        One row per cell: dimension columns (lowercase categoricals, file order),
        ``time`` (``int64`` years or a Period dtype), ``value`` (float64, NaN for
        ``:``), ``flag`` (``"string"``, ``<NA>`` when none) and, for SDMX-CSV with
        confidentiality statuses, ``conf_status``. ``attrs`` has ``format``,
        ``last_update`` and ``dataflow``; see the package docstring.

    Raises
    ------
    regiongap.errors.ParseError
        For anything that is not a well-formed file in one of the four formats; the
        message names the bad header, line, cell, label or keys. No other exception
        type is raised (except MemoryError).

    Examples
    --------
    >>> raw = b"unit,geo\\time\t2021 \t2020 \nEUR_HAB,AL\t: \t4700 p\n"
    >>> frame = parse(raw)
    >>> print(frame.to_string(index=False))
       unit geo  time  value flag
    EUR_HAB  AL  2020 4700.0    p
    EUR_HAB  AL  2021    NaN <NA>
    """
    try:
        text = decompress(bytes(raw), name)
        if _NON_BLANK.search(text) is None:
            raise not_sdmx(name, text)
        header, body_start = first_line(text, name)
        kind = sniff_header(header)
        if kind is None:
            raise not_sdmx(name, text)
        check_utf8(text, name)
        if kind in ("csv", "csv2"):
            return parse_csv(text, header, body_start, name)
        return parse_tsv(text, header, body_start, kind, name)
    except (ParseError, MemoryError):
        raise
    except Exception as exc:  # the contract: only ParseError leaves parse()
        msg = f"{name}: could not parse ({type(exc).__name__}: {exc})"
        raise ParseError(msg) from exc
