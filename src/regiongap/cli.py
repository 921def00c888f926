"""The ``regiongap`` command line.

::

    regiongap fetch CODE… [--refresh] [--catalogue]   download and cache datasets
    regiongap search WORD                              find Eurostat datasets by title
    regiongap cache list [--kind K]                    what the cache holds
    regiongap cache clear [--kind K] [--name N]        delete cache files
    regiongap report … [--nuts-year Y] [--pdf] [--images]  build the HTML reports

Errors of the library print one line on stderr and exit with status 1; everything
else the commands print goes to stdout. Each command imports the layer it needs when
it runs, so that ``regiongap --help`` answers without loading pandas, pyarrow or the
report machinery.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from regiongap._version import VERSION
from regiongap.errors import MembershipError, RegiongapError, SchemaError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from regiongap.cache.store import KINDS

    parser = argparse.ArgumentParser(
        prog="regiongap",
        description=(
            "Measure how unequal Europe's NUTS regions are, from Eurostat data. "
            "Data come from the mirror folder in REGIONGAP_MIRROR when set, else "
            "from the Eurostat API; REGIONGAP_OFFLINE=1 forbids the network."
        ),
    )
    parser.add_argument("--version", action="version", version=VERSION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fetch = sub.add_parser("fetch", help="download Eurostat datasets into the cache")
    fetch.add_argument("codes", nargs="*", metavar="CODE", help="dataset codes")
    fetch.add_argument(
        "--refresh", action="store_true", help="download again even when cached"
    )
    fetch.add_argument(
        "--catalogue",
        action="store_true",
        help="also fetch every dataset the indicator catalogue needs",
    )

    search = sub.add_parser("search", help="find Eurostat datasets by title or code")
    search.add_argument("word", help="text to look for, e.g. broadband")
    search.add_argument(
        "--refresh", action="store_true", help="download the table of contents again"
    )

    cache = sub.add_parser("cache", help="list or clear the local cache")
    cache_sub = cache.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = cache_sub.add_parser("list", help="list the cached files")
    listing.add_argument("--kind", choices=KINDS)
    clear = cache_sub.add_parser("clear", help="delete cached files")
    clear.add_argument("--kind", choices=KINDS)
    clear.add_argument("--name", help="only the file of this name (e.g. a code)")

    sub.add_parser(
        "report",
        help="build the HTML reports (see: regiongap report --help)",
        add_help=False,
    )
    return parser


def _fetch(args: argparse.Namespace) -> int:
    from regiongap.load.datasets import fetch_dataset

    codes = list(args.codes)
    if args.catalogue:
        from regiongap.indicators.catalogue import catalogue_datasets

        codes += [c for c in catalogue_datasets() if c not in codes]
    if not codes:
        print("regiongap fetch: give dataset codes or --catalogue", file=sys.stderr)
        return 2
    failed = []
    for code in codes:
        try:
            frame = fetch_dataset(code, refresh=args.refresh, progress=True)
        except RegiongapError as exc:
            print(f"regiongap fetch: {code}: {exc}", file=sys.stderr)
            failed.append(code)
            continue
        prov = frame.attrs.get("provenance", {})
        print(
            f"{prov.get('dataset', code)}: {len(frame):,} rows from "
            f"{prov.get('source')} {prov.get('location')} "
            f"(retrieved {prov.get('retrieved_at')})"
        )
    if failed:
        print(
            f"regiongap fetch: {len(failed)} of {len(codes)} failed: "
            f"{', '.join(failed)}",
            file=sys.stderr,
        )
        return 1
    return 0


def _search(args: argparse.Namespace) -> int:
    from regiongap.load.toc import search_datasets

    found = search_datasets(args.word, refresh=args.refresh)
    if found.empty:
        print(f"no Eurostat dataset title or code contains {args.word!r}")
        return 0
    width = int(found["code"].str.len().max())
    for code, title in zip(found["code"], found["title"], strict=True):
        print(f"{code:<{width}}  {title}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from regiongap.cache import contents as cache
    from regiongap.config import cache_dir

    if args.action == "list":
        frame = cache.cache_list(kind=args.kind)
        if frame.empty:
            print(f"the cache {cache_dir()} is empty")
            return 0
        shown = frame[
            ["kind", "name", "size", "retrieved_at", "source", "last_update", "valid"]
        ]
        print(shown.to_string(index=False))
        bad = frame.loc[~frame["valid"]]
        for name, problem in zip(bad["name"], bad["problem"], strict=True):
            print(f"invalid: {name}: {problem}")
        return 0
    count = cache.cache_clear(kind=args.kind, name=args.name)
    print(f"deleted {count} cache file{'s' if count != 1 else ''}")
    return 0


def _report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regiongap report",
        description="Build the HTML reports (overview, one page per partnership, "
        "index) into reports/.",
    )
    parser.add_argument(
        "--partnership",
        nargs="+",
        action="extend",
        metavar="ID",
        help="partnership id(s) to profile (default: all)",
    )
    parser.add_argument("--year", type=int, default=2019, help="reference year")
    parser.add_argument(
        "--nuts-year",
        type=int,
        choices=(2013, 2016, 2021, 2024),
        help="NUTS version of the regions and maps (default: the newest version "
        "the data fit; every page says which)",
    )
    parser.add_argument("--out", help="output folder (default: reports/)")
    parser.add_argument(
        "--workers", type=int, default=2, help="notebooks run in parallel (default 2)"
    )
    parser.add_argument(
        "--no-overview", action="store_true", help="only the partnership pages"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--self-contained",
        action="store_true",
        help="embed plotly.js in every page (each works alone; ~5 MB a page) "
        "instead of one copy in reports/assets/",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="also print each page to PDF (A4) through headless Chromium",
    )
    parser.add_argument(
        "--images",
        action="store_true",
        help="also write every figure as PNG and SVG into <page>-figures/",
    )
    return parser


def _report(argv: list[str]) -> int:
    """Run ``regiongap report [--partnership ID …] [--year Y] [--out DIR]``.

    Returns 0 when every page was built, 1 when some failed, 2 for bad arguments.
    """
    try:
        args = _report_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from regiongap.report.build import build_reports

    start = time.perf_counter()
    try:
        reports = build_reports(
            args.partnership,
            year=args.year,
            out_dir=args.out,
            overview=not args.no_overview,
            workers=args.workers,
            progress=not args.quiet,
            self_contained=args.self_contained,
            pdf=args.pdf,
            images=args.images,
            nuts_year=args.nuts_year,
        )
    except (MembershipError, SchemaError) as exc:
        sys.stderr.write(f"regiongap report: {exc}\n")
        return 2
    except RegiongapError as exc:
        sys.stderr.write(f"regiongap report: {exc}\n")
        return 1
    total = sum(r.size for r in reports)
    index = Path(reports[0].path).parent if reports else Path(args.out or ".")
    if reports and reports[-1].kind == "partnership" and reports[-1].path.parent.name:
        index = reports[-1].path.parent.parent
    extras = "".join(
        f", {n} {what}"
        for n, what in (
            (sum(r.pdf is not None for r in reports), "PDF"),
            (sum(len(r.images) for r in reports), "images"),
        )
        if n
    )
    sys.stdout.write(
        f"{len(reports)} pages{extras}, {total / 1e6:.1f} MB, in "
        f"{time.perf_counter() - start:.0f} s: {index / 'index.html'}\n"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 when the library reported an error, 2 for bad usage.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list[:1] == ["report"]:
            return _report(args_list[1:])
        args = _parser().parse_args(args_list)
        if args.command == "fetch":
            return _fetch(args)
        if args.command == "search":
            return _search(args)
        return _cache(args)
    except RegiongapError as exc:
        print(f"regiongap: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("regiongap: interrupted", file=sys.stderr)
        return 130
