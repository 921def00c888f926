"""The ``regiongap`` command line.

::

    regiongap fetch CODE… [--refresh] [--catalogue]   download and cache datasets
    regiongap search WORD                              find Eurostat datasets by title
    regiongap cache list [--kind K]                    what the cache holds
    regiongap cache clear [--kind K] [--name N]        delete cache files
    regiongap report …                                 build the HTML reports

Errors of the library print one line on stderr and exit with status 1; everything
else the commands print goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from regiongap.errors import RegiongapError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from regiongap import __version__
    from regiongap.cache.store import KINDS

    parser = argparse.ArgumentParser(
        prog="regiongap",
        description=(
            "Measure how unequal Europe's NUTS regions are, from Eurostat data. "
            "Data come from the mirror folder in REGIONGAP_MIRROR when set, else "
            "from the Eurostat API; REGIONGAP_OFFLINE=1 forbids the network."
        ),
    )
    parser.add_argument("--version", action="version", version=__version__)
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
    from regiongap.sources.eurostat import search_datasets

    found = search_datasets(args.word, refresh=args.refresh)
    if found.empty:
        print(f"no Eurostat dataset title or code contains {args.word!r}")
        return 0
    width = int(found["code"].str.len().max())
    for code, title in zip(found["code"], found["title"], strict=True):
        print(f"{code:<{width}}  {title}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from regiongap.cache import store as cache

    if args.action == "list":
        frame = cache.cache_list(kind=args.kind)
        if frame.empty:
            print(f"the cache {cache.config.cache_dir()} is empty")
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
            from regiongap.report.build import cli_report

            return int(cli_report(args_list[1:]) or 0)
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
