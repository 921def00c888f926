"""Write the API reference pages from the ``__all__`` lists (a mkdocs-gen-files script).

One page per defining module, one section per public name (mkdocstrings renders the
numpy docstring), and an overview listing every public name by namespace. The
navigation (``reference/SUMMARY.md``) follows the data flow.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import mkdocs_gen_files

sys.path.insert(0, str(Path(__file__).parent))

from public_api import NAMESPACES, SECTIONS, WHOLE_MODULES, public_names


def _pages() -> dict[str, list[str]]:
    """Return ``{module: [canonical identifiers]}``, each object once."""
    pages: dict[str, list[str]] = defaultdict(list)
    for name in public_names():
        if name.module in WHOLE_MODULES:
            pages[name.module] = []
        elif name.canonical not in pages[name.module]:
            pages[name.module].append(name.canonical)
    return pages


def _aliases(identifier: str) -> list[str]:
    return [
        f"{n.namespace}.{n.name}"
        for n in public_names()
        if n.canonical == identifier and f"{n.namespace}.{n.name}" != identifier
    ]


def _write_pages(pages: dict[str, list[str]]) -> None:
    for module, identifiers in pages.items():
        with mkdocs_gen_files.open(f"reference/{module}.md", "w") as page:
            if module in WHOLE_MODULES:
                page.write(f"# `{module}`\n\n::: {module}\n")
                continue
            page.write(f"# `{module}`\n\n::: {module}\n    options:\n")
            page.write("      members: false\n      show_root_heading: false\n\n")
            for identifier in identifiers:
                # anchors for the public spellings (``regiongap.panel``), so that
                # hand-written pages link to names, wherever they are defined
                for alias in _aliases(identifier):
                    page.write(f"[](){{#{alias}}}\n\n")
                page.write(f"::: {identifier}\n\n")


def _overview() -> str:
    lines = [
        "# API reference",
        "",
        "Every public name, as you reach it (`import regiongap as rg`, "
        "`from regiongap import metrics, viz`), and the page that documents it. "
        "The list is made from the packages' `__all__` when the site is built.",
        "",
    ]
    for namespace in (*NAMESPACES, *WHOLE_MODULES):
        names = [n for n in public_names() if n.namespace == namespace]
        lines += [f"## `{namespace}`", "", "| name | defined in |", "|---|---|"]
        lines += [
            f"| [`{n.name}`][{n.canonical}] | `{n.module}` |"
            for n in sorted(names, key=lambda n: n.name.lower())
        ]
        lines.append("")
    return "\n".join(lines)


def _summary(pages: dict[str, list[str]]) -> str:
    order = list(SECTIONS)
    lines = ["* [Overview](index.md)"]
    by_section: dict[str, list[str]] = defaultdict(list)
    for module in pages:
        parts = module.split(".")
        by_section[parts[1] if len(parts) > 1 else module].append(module)
    for section in sorted(
        by_section, key=lambda s: (order.index(s) if s in order else 99, s)
    ):
        lines.append(f"* {SECTIONS.get(section, section)}")
        lines += [f"    * [`{m}`]({m}.md)" for m in sorted(by_section[section])]
    return "\n".join(lines) + "\n"


pages = _pages()
_write_pages(pages)
with mkdocs_gen_files.open("reference/index.md", "w") as index:
    index.write(_overview())
with mkdocs_gen_files.open("reference/SUMMARY.md", "w") as summary:
    summary.write(_summary(pages))
