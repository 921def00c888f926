r"""Merge reviewed member rows into a registry's member table.

A maintainer script, not run at import. It reads an additions file (the columns of
``s3_partnership_members.csv``, ``nuts_level`` accepted, plus an optional ``quote``),
checks every row with :func:`regiongap.membership.additions.merge_additions` (a row
whose source is not an http(s) URL, an unknown partnership, a bad NUTS code or a
pair already in the registry stops the script with one error listing every bad row),
leaves out the rows named with ``--skip`` (the review's refusals), and rewrites the
member table atomically, the existing rows byte for byte as they were. The partnership
table (``member_list``, ``members_stated``, sources) is edited by hand, as reviewed,
and the registry README says what was merged and what was not.

Usage::

    .venv/bin/python scripts/merge_partnership_additions.py ADDITIONS.csv \
        [--skip PARTNERSHIP:CODE ...] [--folder REGISTRY_FOLDER]

The default folder is the registry shipped in ``src/regiongap/data/partnerships``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from regiongap.cache.store import atomic_write
from regiongap.errors import MembershipError
from regiongap.membership.additions import merge_additions, read_additions
from regiongap.membership.registry import DATA_DIR, MEMBERS_FILE


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("additions", type=Path, help="the reviewed additions (CSV)")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="PARTNERSHIP:CODE",
        help="a proposed row the review refused (repeatable)",
    )
    parser.add_argument("--folder", type=Path, default=DATA_DIR)
    return parser.parse_args(argv)


def _line_ending(path: Path) -> str:
    """Return the line ending the member table uses (kept on rewrite)."""
    return "\r\n" if b"\r\n" in path.read_bytes()[:4096] else "\n"


def main(argv: list[str] | None = None) -> int:
    """Merge the additions; return the exit status."""
    args = _arguments(argv)
    additions = read_additions(args.additions)
    pairs = list(zip(additions["partnership_id"], additions["nuts_code"], strict=True))
    skip = {tuple(s.split(":", 1)) for s in args.skip}
    unknown = skip - set(pairs)
    if unknown:
        sys.stderr.write(f"--skip names rows not in the additions: {sorted(unknown)}\n")
        return 2
    kept = additions[[pair not in skip for pair in pairs]]
    try:
        table = merge_additions(kept, folder=args.folder, what=args.additions.name)
    except MembershipError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    target = args.folder / MEMBERS_FILE
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=_line_ending(target))
    writer.writerow(table.columns)
    writer.writerows(table.itertuples(index=False))
    atomic_write(target, buffer.getvalue().encode("utf-8"))
    sys.stdout.write(
        f"{target}: {len(kept)} rows added, {len(skip)} skipped, {len(table)} rows\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
