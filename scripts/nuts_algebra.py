"""Territory algebra between two NUTS versions (used by ``derive_nuts_tables.py``).

Eurostat's workbooks say, code by code, what changed from one NUTS version to the
next (recoded, renamed, boundary shift, discontinued, new) and, in their
"Explanation (new = old)" columns, which new regions are exact unions of old ones
(``FRC=FR26+FR43``). This module turns that into what a recoder needs:

* **same territory**: pairs of codes (one per version) covering the same land —
  unchanged, renamed, recoded, or moved under art. 5(2a) of Regulation 1059/2003
  (a boundary shift below 1 % of the population that is no NUTS amendment);
* **blocks**: the NUTS 3 regions of both versions grouped into the smallest sets
  whose unions are provably equal. A same-territory NUTS 3 pair is a block; an
  official formula joins its two sides into one; every other NUTS 3 region joins the
  block of the other changed NUTS 3 regions under its smallest ancestor that has the
  same territory in both versions (a NUTS 2 region that kept its boundary holds the
  same land before and after, so what changed inside it balances out);
* **decompositions**: a region whose blocks lie wholly inside it is the exact union
  of regions of the other version (the coarsest such regions, at its own level or
  below): ``FRC = FR26 + FR43``, ``HR04 = HR02 + HR05 + HR06``.

Every step is checked against the hierarchy: each same-territory pair above NUTS 3
must hold the same blocks on both sides, else the script stops naming the pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CODE = r"[A-Z]{2}[0-9A-Z]{1,3}"
_SIDE = rf"{_CODE}(?:\s*\+\s*{_CODE})*"
_FORMULA = re.compile(rf"(?<![0-9A-Z])({_SIDE})\s*=\s*({_SIDE})(?![0-9A-Z])(?!\s*[-+])")
_PARENT_EXCEPTIONS = {"UKN1": "UKN0"}  # NUTS 2016's UKN10–UKN16 lie in UKN0
SAME = ("renamed", "recoded", "minor_shift")


def parent(code: str, level: int) -> str:
    """Return the region at *level* containing *code*."""
    prefix = code[: 2 + level]
    return _PARENT_EXCEPTIONS.get(prefix, prefix)


def parse_formulas(texts: list[str]) -> list[tuple[list[str], list[str]]]:
    """Return ``(new codes, old codes)`` of every pure-union formula in *texts*.

    Formulas with a minus (``PL8=PL3-PL33``) or a "new" term are differences, not
    unions, and are skipped; ``ex-`` prefixes are dropped.
    """
    out = []
    for text in texts:
        clean = re.sub(r"\bex-\s*", "", text)
        if re.search(r"\bnew\s", clean):
            continue
        for match in _FORMULA.finditer(clean):
            new = re.findall(_CODE, match.group(1))
            old = re.findall(_CODE, match.group(2))
            out.append((new, old))
    return out


class _Blocks:
    """Union-find over ``(side, code)`` NUTS 3 nodes."""

    def __init__(self) -> None:
        self.up: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, node: tuple[str, str]) -> tuple[str, str]:
        self.up.setdefault(node, node)
        while self.up[node] != node:
            self.up[node] = self.up[self.up[node]]
            node = self.up[node]
        return node

    def union(self, nodes: list[tuple[str, str]]) -> None:
        roots = [self.find(n) for n in nodes]
        for root in roots[1:]:
            self.up[root] = roots[0]


@dataclass
class Version:
    """One side of a step: its codes, levels, and NUTS 3 descendants."""

    side: str
    codes: list[str]
    level: dict[str, int] = field(init=False)
    leaves: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.level = {c: min(len(c) - 2, 3) for c in self.codes}
        self.leaves = {c: [] for c in self.codes}
        for code in self.codes:
            if self.level[code] != 3:
                continue
            for lvl in range(4):
                anc = parent(code, lvl)
                if anc in self.leaves:
                    self.leaves[anc].append(code)


@dataclass
class Step:
    """The algebra of one step ``a`` → ``b`` (see the module docstring)."""

    a: Version
    b: Version
    same: dict[str, str]
    formulas: list[tuple[list[str], list[str]]]
    blocks: _Blocks = field(default_factory=_Blocks)
    used_formulas: list[str] = field(default_factory=list)
    members: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    demoted: dict[str, str] = field(default_factory=dict)

    def build(self) -> None:
        """Form the blocks; demote pairs that gained or lost land; check the rest.

        A same-territory pair whose NUTS 3 regions include land with no counterpart
        in the other version (NUTS 2021 adds Jan Mayen and Svalbard to Norway) is
        no same-territory pair: it becomes a boundary shift (:attr:`demoted`). Any
        other disagreement with the hierarchy stops the script.
        """
        while True:
            self.blocks = _Blocks()
            self.used_formulas = []
            self._join()
            self._group_the_rest()
            self.members = self._members()
            bad = self._check()
            one_sided = [p for p in bad if self._one_sided(p)]
            if not bad:
                return
            if len(one_sided) != len(bad):
                msg = f"territory check failed for same-territory pairs {bad}"
                raise SystemExit(msg)
            for old in one_sided:
                self.demoted[old] = self.same.pop(old)

    def _join(self) -> None:
        matched = set()
        for old, new in self.same.items():
            if self.a.level[old] == 3 and self.b.level[new] == 3:
                self.blocks.union([("a", old), ("b", new)])
                matched |= {("a", old), ("b", new)}
        for new_codes, old_codes in self.formulas:
            if not (set(new_codes) <= set(self.b.codes)) or not (
                set(old_codes) <= set(self.a.codes)
            ):
                continue
            nodes = [("b", x) for c in new_codes for x in self.b.leaves[c]]
            nodes += [("a", x) for c in old_codes for x in self.a.leaves[c]]
            if all(n in matched for n in nodes):
                continue  # says nothing the code-by-code changes do not
            self.blocks.union(nodes)
            self.used_formulas.append(f"{'+'.join(new_codes)}={'+'.join(old_codes)}")

    def added_land(self, old: str) -> list[str]:
        """Return the NUTS 3 regions of one side only inside a demoted pair."""
        new = self.demoted[old]
        blocks = self.block_set(self.a, old) | self.block_set(self.b, new)
        return sorted(
            m[1]
            for r in blocks
            for m in self.members[r]
            if len({s for s, _ in self.members[r]}) == 1
        )

    def _one_sided(self, old: str) -> bool:
        blocks = self.block_set(self.a, old) | self.block_set(self.b, self.same[old])
        return any(len({m[0] for m in self.members[r]}) == 1 for r in blocks)

    def _members(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for version in (self.a, self.b):
            for code in version.codes:
                if version.level[code] == 3:
                    node = (version.side, code)
                    groups.setdefault(self.blocks.find(node), []).append(node)
        return groups

    def _group_the_rest(self) -> None:
        inverse = {new: old for old, new in self.same.items()}
        keyed: dict[object, list[tuple[str, str]]] = {}
        for members in self._members().values():
            if len(members) > 1:
                continue  # a matched pair or a formula: closed already
            side, code = members[0]
            partner = self.same if side == "a" else inverse
            key: object = (side, code[:2])  # no common ancestor: one-sided
            for lvl in (2, 1, 0):
                anc = parent(code, lvl)
                if anc in partner:
                    key = (anc, partner[anc]) if side == "a" else (partner[anc], anc)
                    break
            keyed.setdefault(key, []).append(members[0])
        for nodes in keyed.values():
            self.blocks.union(nodes)

    def block_set(self, version: Version, code: str) -> frozenset[tuple[str, str]]:
        """Return the blocks the NUTS 3 descendants of *code* belong to."""
        return frozenset(
            self.blocks.find((version.side, x)) for x in version.leaves[code]
        )

    def _check(self) -> list[str]:
        members = self.members
        bad = []
        for old, new in self.same.items():
            if self.a.level[old] == 3:
                continue
            blocks = self.block_set(self.a, old)
            inside = {("a", x) for x in self.a.leaves[old]}
            inside |= {("b", x) for x in self.b.leaves[new]}
            if blocks != self.block_set(self.b, new) or any(
                not set(members[r]) <= inside for r in blocks
            ):
                bad.append(old)
        return bad

    def _cover(self, version: Version, leaves: set[str], level: int) -> list[str]:
        """Return the coarsest regions at *level* or below tiling *leaves* exactly."""
        parts, left = [], set(leaves)
        for lvl in range(level, 4):
            for code in version.codes:
                own = set(version.leaves[code])
                if version.level[code] == lvl and own and own <= left:
                    parts.append(code)
                    left -= own
        return parts if not left else []

    def decompose(self, side: str, code: str) -> list[str]:
        """Return the regions of the other version whose union is *code*, or []."""
        mine, other = (self.a, self.b) if side == "a" else (self.b, self.a)
        if not mine.leaves[code]:
            return []
        members = self.members
        blocks = self.block_set(mine, code)
        own = {(mine.side, x) for x in mine.leaves[code]}
        if any({m for m in members[r] if m[0] == mine.side} - own for r in blocks):
            return []  # a block reaches outside the region
        if any(len({m[0] for m in members[r]}) == 1 for r in blocks):
            return []  # land with no counterpart in the other version
        leaves = {m[1] for r in blocks for m in members[r] if m[0] == other.side}
        return self._cover(other, leaves, mine.level[code]) if leaves else []

    def overlaps(self, side: str, code: str) -> list[str]:
        """Return the regions of the other version at *code*'s level sharing land."""
        mine, other = (self.a, self.b) if side == "a" else (self.b, self.a)
        members = self.members
        level = mine.level[code]
        found = {
            parent(m[1], level)
            for r in self.block_set(mine, code)
            for m in members[r]
            if m[0] == other.side
        }
        return [c for c in other.codes if c in found]
