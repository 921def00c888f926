r"""A loopback HTTP server that answers like Eurostat's dissemination API.

It serves the real files of a mirror folder (``<mirror>/eurostat/{code}.tsv.gz`` …)
at the API's own paths, so the library's online path — and the ``eurostat`` package,
unmodified — can be tested and benchmarked without the internet::

    from tests.support.fake_eurostat import FakeEurostat, faults

    with FakeEurostat(mirror_path) as server:
        monkeypatch.setenv("REGIONGAP_EUROSTAT_API", server.base_url)
        server.add_fault(faults.status(503, retry_after=1))   # next data request
        frame = regiongap.fetch_dataset("nama_10r_3gdp")
        assert server.count("/data/") == 2                     # one retry

Endpoints (below ``base_url`` = ``http://127.0.0.1:PORT/api/dissemination``):

``/sdmx/2.1/data/{CODE}[/{key}]?format=TSV&compressed=true``
    The dataset's bytes; the code is case-insensitive. ``compressed=true`` → gzip
    bytes, otherwise plain text. ``served_as`` changes that per dataset, as other
    servers answer: ``"plain"`` sends the text whatever was asked (the SDMX 3.0
    API with ``compress=false``), ``"content-encoding"`` sends the text gzipped in
    transit only (``Content-Encoding: gzip``, decoded by any HTTP client). A
    mirror dataset that exists only as SDMX-CSV
    (``{code}.csv.gz``, 1.0 or 2.0) is served as those CSV bytes: the real API
    would answer TSV, and regiongap's parser sniffs the format from the content,
    so the online path still gets real data. Unknown codes → 404 with Eurostat's
    SOAP fault body (code 100, "No results found").
``/sdmx/2.1/dataflow/all?format=JSON&compressed=true&lang=en``
    The table of contents as the ``eurostat`` package reads it (gzip JSON).
``/sdmx/2.1/dataflow/ESTAT/{CODE}/latest``
    SDMX-ML dataflow pointing at the data structure ``{CODE}``.
``/sdmx/2.1/datastructure/ESTAT/{CODE}/latest``
    SDMX-ML data structure: the dimensions read from the file's header.
``/sdmx/2.1/codelist/ESTAT/{ID}/latest?format=TSV&compressed=true``
    Code → label, tab separated. ``GEO`` comes from the mirror's official GISCO
    attribute table (``eurostat/NUTS_AT_2021.csv.gz``: ``NUTS_ID`` →
    ``NAME_LATN``); other code lists only when given to the constructor.

Benchmarks can serve generated files in the real format next to the mirror's
(``FakeEurostat(mirror, datasets={"big_x": path_or_bytes})``) and run the
``eurostat`` package against the same server with
``with server.patch_eurostat_package() as pkg: pkg.get_data_df("demo_r_pjanaggr3")``.

Only what the mirror holds is known: the table of contents lists the mirror's
datasets with their Eurostat titles (:data:`TITLES`) and the ``LAST UPDATE`` of
SDMX-CSV files; dates the mirror does not record are ``null``.

Faults
------
``add_fault(fault, times=1, path="/data/")`` queues a fault for the next ``times``
requests whose path contains ``path``; queued faults are used in order, one per
request. The factories in :data:`faults` cover what a flaky API does: an HTTP status
(with ``Retry-After``), a delay before answering, a slow drip of the body, a
connection reset mid-body, a connection dropped before any answer, a truncated
gzip served as a complete answer, an HTML page served with status 200, and an
oversized body. Every request is logged (:attr:`FakeEurostat.log`, :meth:`count`),
with the fault applied to it, so tests can assert that retries happened.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

__all__ = ["TITLES", "FakeEurostat", "Fault", "Served", "faults"]

#: English titles of the mirror's datasets in Eurostat's table of contents.
TITLES = {
    "demo_r_d2jan": "Population on 1 January by age, sex and NUTS 2 region",
    "demo_r_d3dens": "Population density by NUTS 3 region",
    "demo_r_pjanaggr3": (
        "Population on 1 January by broad age group, sex and NUTS 3 region"
    ),
    "hrst_st_rcat": "HRST by category and NUTS 2 regions",
    "htec_emp_reg2": (
        "Employment in technology and knowledge-intensive sectors by NUTS 2 "
        "regions and sex (from 2008 onwards, NACE Rev. 2)"
    ),
    "isoc_r_broad_h": "Households with broadband access by NUTS 2 regions",
    "lfst_r_lfp2actrt": "Economic activity rates by sex, age and NUTS 2 regions (%)",
    "nama_10r_2gdp": (
        "Gross domestic product (GDP) at current market prices by NUTS 2 regions"
    ),
    "nama_10r_2hhinc": "Income of households by NUTS 2 regions",
    "nama_10r_3gdp": (
        "Gross domestic product (GDP) at current market prices by NUTS 3 regions"
    ),
    "reg_area3": "Area by NUTS 3 region",
    "trng_lfse_04": (
        "Participation rate of adults in education and training (last 4 weeks) "
        "by NUTS 2 regions"
    ),
}

_SUFFIXES = (".tsv.gz", ".csv.gz", ".tsv", ".csv")

# Eurostat's SDMX 2.1 error answer: a SOAP fault with an SDMX error code.
_FAULT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>'
    "<S:Fault><faultcode>S:Client</faultcode><faultstring>{text}</faultstring>"
    '<detail><ns0:ErrorDetails xmlns:ns0="http://estat.ec.europa.eu/disschain/'
    'soap/extraction"><ns0:code>{code}</ns0:code><ns0:message>{detail}'
    "</ns0:message></ns0:ErrorDetails></detail></S:Fault></S:Body></S:Envelope>"
)

_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Service temporarily unavailable</title>"
    b"</head><body><h1>Service temporarily unavailable</h1><p>The Eurostat "
    b"dissemination service is under maintenance. Please try again later.</p>"
    b"</body></html>"
)

_NS = (
    'xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
    'xmlns:s="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" '
    'xmlns:c="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"'
)


@dataclass(frozen=True)
class Served:
    """One request the server answered (or dropped)."""

    method: str
    path: str
    query: str
    status: int | None  # None while answering, or when the connection was dropped
    fault: str | None
    at: float


@dataclass
class Fault:
    """A misbehaviour applied to one request instead of the normal answer.

    ``serve(handler, status, body, headers)`` writes the faulty answer; it returns
    the status sent (``None`` if the connection was dropped).
    """

    name: str
    serve: Callable[..., int | None]


def _send(handler, status: int, body: bytes, headers: Mapping[str, str]) -> int:
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return status


def _abort(handler) -> None:
    """Close the connection with a TCP reset (SO_LINGER 0), not a clean FIN."""
    with contextlib.suppress(OSError):
        handler.wfile.flush()
    conn = handler.connection
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()


def _status(
    code: int,
    *,
    retry_after: float | str | None = None,
    body: bytes | None = None,
    content_type: str = "application/xml",
) -> Fault:
    def serve(handler, status, normal, headers):
        extra = {"Content-Type": content_type}
        if retry_after is not None:
            extra["Retry-After"] = str(retry_after)
        payload = body
        if payload is None:
            payload = _FAULT.format(
                text="Service unavailable" if code >= 500 else "Error",
                code=code,
                detail=f"Injected HTTP {code}",
            ).encode()
        return _send(handler, code, payload, extra)

    return Fault(
        f"status {code}"
        + (f" retry-after {retry_after}" * bool(retry_after is not None)),
        serve,
    )


def _delay(seconds: float) -> Fault:
    def serve(handler, status, normal, headers):
        time.sleep(seconds)
        return _send(handler, status, normal, headers)

    return Fault(f"delay {seconds}s", serve)


def _slow_drip(chunk: int = 64, interval: float = 0.05) -> Fault:
    def serve(handler, status, normal, headers):
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(normal)))
        handler.end_headers()
        try:
            for start in range(0, len(normal), chunk):
                handler.wfile.write(normal[start : start + chunk])
                handler.wfile.flush()
                time.sleep(interval)
        except OSError:  # the client gave up: that is the point of the test
            handler.close_connection = True
        return status

    return Fault(f"slow drip {chunk}B/{interval}s", serve)


def _reset_mid_body(after: int = 4096) -> Fault:
    def serve(handler, status, normal, headers):
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(normal)))
        handler.end_headers()
        handler.wfile.write(normal[: min(after, max(len(normal) - 1, 0))])
        _abort(handler)
        return None

    return Fault(f"reset after {after}B", serve)


def _drop() -> Fault:
    def serve(handler, status, normal, headers):
        _abort(handler)
        return None

    return Fault("connection dropped", serve)


def _truncated(fraction: float = 0.5) -> Fault:
    def serve(handler, status, normal, headers):
        return _send(handler, status, normal[: int(len(normal) * fraction)], headers)

    return Fault(f"truncated to {fraction:.0%}", serve)


def _html_200(page: bytes = _HTML_PAGE) -> Fault:
    def serve(handler, status, normal, headers):
        return _send(handler, 200, page, {"Content-Type": "text/html; charset=UTF-8"})

    return Fault("html with 200", serve)


def _oversized(size: int) -> Fault:
    def serve(handler, status, normal, headers):
        seed = normal or b"0"
        body = (seed * (size // len(seed) + 1))[:size]
        return _send(handler, status, body, headers)

    return Fault(f"oversized {size}B", serve)


#: Fault factories: ``faults.status(503, retry_after=2)``, ``faults.delay(1.0)``,
#: ``faults.slow_drip(chunk, interval)``, ``faults.reset_mid_body(after)``,
#: ``faults.drop()``, ``faults.truncated(fraction)``, ``faults.html_200()``,
#: ``faults.oversized(size)``.
faults = SimpleNamespace(
    status=_status,
    delay=_delay,
    slow_drip=_slow_drip,
    reset_mid_body=_reset_mid_body,
    drop=_drop,
    truncated=_truncated,
    html_200=_html_200,
    oversized=_oversized,
)


def _first_line(raw: bytes) -> str:
    stream = (
        gzip.GzipFile(fileobj=io.BytesIO(raw))
        if raw[:2] == b"\x1f\x8b"
        else (io.BytesIO(raw))
    )
    return stream.readline(1 << 20).decode("utf-8-sig", "replace").rstrip("\r\n")


def _dimensions(raw: bytes) -> list[str]:
    """Dimension ids read from a TSV (``a,b,geo\\TIME``) or SDMX-CSV header.

    SDMX-CSV 1.0 starts ``DATAFLOW[,LAST UPDATE]``; 2.0 starts
    ``STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME]`` and, exported with labels, has a
    label column after each code column (``geo,Geopolitical entity (reporting)``).
    """
    header = _first_line(raw)
    if "\t" in header or "\\" in header:
        keys = header.split("\t", 1)[0].split("\\", 1)[0]
        return [k.strip().lower() for k in keys.split(",") if k.strip()]
    cols = [c.strip() for c in next(csv.reader([header]))]
    lead = {"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME"}
    start = max((i + 1 for i, c in enumerate(cols) if c.upper() in lead), default=1)
    stop = cols.index("TIME_PERIOD") if "TIME_PERIOD" in cols else len(cols)
    labelled = stop + 1 < len(cols) and cols[stop + 1] != "OBS_VALUE"
    return [c.lower() for c in cols[start : stop : 2 if labelled else 1]]


def _csv_last_update(raw: bytes) -> str | None:
    """The ``LAST UPDATE`` of an SDMX-CSV file's first row, as ISO 8601."""
    stream = (
        gzip.GzipFile(fileobj=io.BytesIO(raw))
        if raw[:2] == b"\x1f\x8b"
        else (io.BytesIO(raw))
    )
    text = stream.read(1 << 16).decode("utf-8-sig", "replace").splitlines()
    if len(text) < 2:
        return None
    rows = list(csv.reader(text[:2]))
    upper = [c.strip().upper() for c in rows[0]]
    if "LAST UPDATE" not in upper:
        return None
    value = rows[1][upper.index("LAST UPDATE")].strip()
    for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%y"):
        try:
            return time.strftime("%Y-%m-%dT%H:%M:%S", time.strptime(value, fmt))
        except ValueError:
            continue
    return None


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeEurostat/1.0"
    fake: FakeEurostat  # set on the subclass each server builds

    def log_message(self, format, *args):
        """Keep test output quiet."""

    def do_GET(self):
        fake = self.fake
        split = urlsplit(self.path)
        query = {k.lower(): v[-1] for k, v in parse_qs(split.query).items()}
        status, body, headers = fake._route(split.path, query)
        fault = fake._take_fault(split.path)
        # logged on arrival (the client may act on the answer before we return)
        entry = fake._record(
            Served(
                "GET",
                split.path,
                split.query,
                None,
                fault.name if fault else None,
                time.time(),
            )
        )
        sent: int | None
        try:
            if fault is None:
                sent = _send(self, status, body, headers)
            else:
                sent = fault.serve(self, status, body, headers)
        except OSError:
            sent = None
        fake._update(entry, sent)


class FakeEurostat:
    """Eurostat's dissemination API on ``127.0.0.1``, in a background thread.

    Parameters
    ----------
    mirror : path-like, optional
        A folder laid out like the shared data folder; its ``eurostat/`` files are
        served as datasets.
    datasets : mapping of str to bytes or path, optional
        Extra (or replacement) datasets: code → raw bytes or a file.
    toc : list of dict, optional
        Table of contents entries (``code``, ``title``, optional ``last_update``);
        default: the served datasets with :data:`TITLES`.
    codelists : mapping of str to mapping, optional
        Code lists by id (``"UNIT"``) → {code: label}; ``GEO`` defaults to the
        mirror's GISCO attribute table.
    served_as : mapping of str to str, optional
        Code → ``"plain"`` or ``"content-encoding"`` (see the data endpoint above).
    prefix : str, default "/api/dissemination"
        Path of the API root on the server.
    """

    def __init__(
        self,
        mirror: str | Path | None = None,
        *,
        datasets: Mapping[str, bytes | str | Path] | None = None,
        toc: list[dict] | None = None,
        codelists: Mapping[str, Mapping[str, str]] | None = None,
        prefix: str = "/api/dissemination",
        served_as: Mapping[str, str] | None = None,
    ) -> None:
        self.prefix = "/" + prefix.strip("/")
        self._files: dict[str, Path | bytes] = {}
        self._mirror = Path(mirror) if mirror is not None else None
        if self._mirror is not None:
            folder = self._mirror / "eurostat"
            for suffix in reversed(_SUFFIXES):  # earlier suffixes win
                for path in folder.glob(f"*{suffix}"):
                    code = path.name[: -len(suffix)]
                    if code == code.lower():
                        self._files[code] = path
        for code, value in (datasets or {}).items():
            self._files[code.lower()] = (
                value if isinstance(value, bytes) else Path(value)
            )
        self._served_as = {k.lower(): v for k, v in (served_as or {}).items()}
        self._toc = toc
        self._codelists = {k.upper(): dict(v) for k, v in (codelists or {}).items()}
        self._faults: deque[tuple[str, Fault]] = deque()
        self._log: list[Served] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> FakeEurostat:
        """Start serving on a free port; return self."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-eurostat", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeEurostat:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Value for ``REGIONGAP_EUROSTAT_API``."""
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def data_url(self, code: str) -> str:
        """The URL regiongap requests for *code*."""
        return (
            f"{self.base_url}/sdmx/2.1/data/{code.upper()}?format=TSV&compressed=true"
        )

    @property
    def codes(self) -> list[str]:
        """The dataset codes served."""
        return sorted(self._files)

    def raw(self, code: str) -> bytes:
        """The bytes served for *code* with ``compressed=true``."""
        value = self._files[code.lower()]
        data = value if isinstance(value, bytes) else value.read_bytes()
        return data if data[:2] == b"\x1f\x8b" else gzip.compress(data, mtime=0)

    @contextlib.contextmanager
    def patch_eurostat_package(self):
        """Point the ``eurostat`` package at this server while the block runs.

        The package has no base-URL setting: every request is built from
        ``eurostat.eurostat.__Uri__.BASE_URL`` (one entry per provider), which is
        swapped here and restored afterwards. Note the package splits TSV lines on
        ``\\r\\n`` as the API writes them; the mirror's old bulk files use ``\\n``.
        """
        from eurostat import eurostat as pkg

        saved = dict(pkg.__Uri__.BASE_URL)
        try:
            for provider in saved:
                pkg.__Uri__.BASE_URL[provider] = f"{self.base_url}/sdmx/2.1/"
            yield pkg
        finally:
            pkg.__Uri__.BASE_URL.clear()
            pkg.__Uri__.BASE_URL.update(saved)

    # -------------------------------------------------------------- faults & log
    def add_fault(self, fault: Fault, *, times: int = 1, path: str = "/data/") -> None:
        """Apply *fault* to the next *times* requests whose path contains *path*."""
        with self._lock:
            for _ in range(times):
                self._faults.append((path, fault))

    def clear_faults(self) -> None:
        """Forget the faults not used yet."""
        with self._lock:
            self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many queued faults are still waiting for a request."""
        with self._lock:
            return len(self._faults)

    @property
    def log(self) -> list[Served]:
        """Every request served so far, in order."""
        with self._lock:
            return list(self._log)

    def count(self, path: str = "") -> int:
        """How many requests had *path* in their path."""
        with self._lock:
            return sum(path in s.path for s in self._log)

    def reset_log(self) -> None:
        """Forget the requests served so far."""
        with self._lock:
            self._log.clear()

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for i, (where, fault) in enumerate(self._faults):
                if where in path:
                    del self._faults[i]
                    return fault
        return None

    def _record(self, served: Served) -> int:
        with self._lock:
            self._log.append(served)
            return len(self._log) - 1

    def _update(self, index: int, status: int | None) -> None:
        with self._lock:
            if index < len(self._log):  # the log may have been reset meanwhile
                self._log[index] = replace(self._log[index], status=status)

    # ------------------------------------------------------------------ routing
    def _route(self, path: str, query: Mapping[str, str]):
        rest = path[len(self.prefix) :] if path.startswith(self.prefix) else None
        parts = [p for p in (rest or "").split("/") if p]
        if rest is None or parts[:2] != ["sdmx", "2.1"] or len(parts) < 3:
            return self._not_found(f"No such resource: {path}")
        kind, args = parts[2], parts[3:]
        compressed = query.get("compressed", "false").lower() == "true"
        if kind == "data" and args:
            return self._data(args[0], compressed)
        if kind == "dataflow" and args == ["all"]:
            return self._toc_json(compressed)
        if kind == "dataflow" and len(args) >= 2:
            return self._dataflow(args[1])
        if kind == "datastructure" and len(args) >= 2:
            return self._datastructure(args[1])
        if kind == "codelist" and len(args) >= 2:
            return self._codelist(args[1], compressed)
        return self._not_found(f"No such resource: {path}")

    def _not_found(self, detail: str):
        body = _FAULT.format(text="No results found", code=100, detail=escape(detail))
        return 404, body.encode(), {"Content-Type": "application/xml;charset=UTF-8"}

    def _bytes(self, code: str) -> bytes | None:
        value = self._files.get(code.lower())
        if value is None:
            return None
        return value if isinstance(value, bytes) else value.read_bytes()

    def _data(self, code: str, compressed: bool):
        raw = self._bytes(code)
        if raw is None:
            return self._not_found(f"Dataset {code.upper()} does not exist")
        gz = raw[:2] == b"\x1f\x8b"
        how = self._served_as.get(code.lower())
        if how is not None:
            return self._data_as(how, gzip.decompress(raw) if gz else raw)
        if compressed and not gz:
            raw = gzip.compress(raw, mtime=0)
        elif not compressed and gz:
            raw = gzip.decompress(raw)
        name = f"{code.upper()}.tsv" + (".gz" if compressed else "")
        return (
            200,
            raw,
            {
                "Content-Type": "application/octet-stream"
                if compressed
                else ("text/tab-separated-values;charset=UTF-8"),
                "Content-Disposition": f"attachment; filename={name}",
            },
        )

    @staticmethod
    def _data_as(how: str, text: bytes):
        headers = {"Content-Type": "text/csv;charset=UTF-8"}
        if how == "plain":
            return 200, text, headers
        if how == "content-encoding":
            headers["Content-Encoding"] = "gzip"
            return 200, gzip.compress(text, mtime=0), headers
        msg = f"served_as={how!r}; use 'plain' or 'content-encoding'"
        raise ValueError(msg)

    def _toc_entries(self) -> list[dict]:
        if self._toc is not None:
            return self._toc
        entries = []
        for code in self.codes:
            raw = self._bytes(code) or b""
            entries.append(
                {
                    "code": code,
                    "title": TITLES.get(code, code),
                    "last_update": _csv_last_update(raw),
                }
            )
        return entries

    def _toc_json(self, compressed: bool):
        items = []
        for entry in self._toc_entries():
            code = entry["code"].upper()
            items.append(
                {
                    "class": "dataset",
                    "href": f"{self.prefix}/sdmx/2.1/dataflow/ESTAT/{code}/1.0",
                    "label": entry["title"],
                    "extension": {
                        "id": code,
                        "agencyId": "ESTAT",
                        "version": "1.0",
                        "lang": "en",
                        "annotation": [
                            {"type": "UPDATE_DATA", "date": entry.get("last_update")},
                            {
                                "type": "UPDATE_STRUCTURE",
                                "date": entry.get("last_structure_change"),
                            },
                            {
                                "type": "OBS_PERIOD_OVERALL_OLDEST",
                                "title": entry.get("data_start"),
                            },
                            {
                                "type": "OBS_PERIOD_OVERALL_LATEST",
                                "title": entry.get("data_end"),
                            },
                        ],
                    },
                }
            )
        doc = {
            "version": "2.0",
            "class": "collection",
            "label": "Dataflows",
            "link": {"item": items},
        }
        body = json.dumps(doc).encode()
        return (
            200,
            gzip.compress(body, mtime=0) if compressed else body,
            {"Content-Type": "application/json"},
        )

    def _dataflow(self, code: str):
        raw = self._bytes(code)
        if raw is None:
            return self._not_found(f"Dataflow ESTAT/{code.upper()} does not exist")
        up = code.upper()
        title = escape(TITLES.get(code.lower(), code.lower()))
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><m:Structure {_NS}>'
            f"<m:Structures><s:Dataflows>"
            f'<s:Dataflow id="{up}" agencyID="ESTAT" version="1.0">'
            f'<c:Name xml:lang="en">{title}</c:Name><s:Structure>'
            f'<Ref id="{up}" version="1.0" agencyID="ESTAT" package="datastructure"'
            ' class="DataStructure"/></s:Structure></s:Dataflow>'
            "</s:Dataflows></m:Structures></m:Structure>"
        )
        return 200, xml.encode(), {"Content-Type": "application/xml;charset=UTF-8"}

    def _datastructure(self, code: str):
        raw = self._bytes(code)
        if raw is None:
            return self._not_found(
                f"Data structure ESTAT/{code.upper()} does not exist"
            )
        dims = []
        for position, dim in enumerate(_dimensions(raw), start=1):
            dims.append(
                f'<s:Dimension id="{escape(dim)}" position="{position}">'
                f"<s:LocalRepresentation><s:Enumeration>"
                f'<Ref id="{escape(dim.upper())}" version="1.0" agencyID="ESTAT"'
                ' package="codelist" class="Codelist"/>'
                "</s:Enumeration></s:LocalRepresentation></s:Dimension>"
            )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><m:Structure {_NS}>'
            f"<m:Structures><s:DataStructures>"
            f'<s:DataStructure id="{code.upper()}" agencyID="ESTAT" version="1.0">'
            f"<s:DataStructureComponents><s:DimensionList>{''.join(dims)}"
            f'<s:TimeDimension id="TIME_PERIOD" position="{len(dims) + 1}"/>'
            "</s:DimensionList></s:DataStructureComponents></s:DataStructure>"
            "</s:DataStructures></m:Structures></m:Structure>"
        )
        return 200, xml.encode(), {"Content-Type": "application/xml;charset=UTF-8"}

    def _geo_labels(self) -> dict[str, str]:
        if self._mirror is None:
            return {}
        path = self._mirror / "eurostat" / "NUTS_AT_2021.csv.gz"
        if not path.is_file():
            return {}
        text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
        return {
            row["NUTS_ID"]: row["NAME_LATN"]
            for row in csv.DictReader(io.StringIO(text))
        }

    def _codelist(self, ident: str, compressed: bool):
        ident = ident.upper()
        labels = self._codelists.get(ident)
        if labels is None and ident == "GEO":
            labels = self._geo_labels()
        if not labels:
            return self._not_found(f"Codelist ESTAT/{ident} does not exist")
        body = "".join(f"{k}\t{v}\r\n" for k, v in labels.items()).encode()
        return (
            200,
            gzip.compress(body, mtime=0) if compressed else body,
            {"Content-Type": "text/tab-separated-values;charset=UTF-8"},
        )
