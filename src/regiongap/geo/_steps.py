"""One step between consecutive NUTS versions, in either direction, and chains of them.

The shipped change table (``data/nuts/nuts_changes.csv``) lists, for each pair of
consecutive versions, what became of every code that changed. A :class:`Step` reads
it for one direction: the codes that keep their land (:attr:`Step.same`), those
that do not (:attr:`Step.lost`, with their successors), and the regions of the
target version that are exact unions of source regions (:attr:`Step.unions`). Going
back in time the table reads the other way round: a merge becomes a split.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import pandas as pd

from regiongap.geo._tables import change_table, code_set
from regiongap.schema import NUTS_YEARS

__all__ = ["KEEP", "Lost", "Step", "Union", "chain", "step"]

#: Changes after which a code keeps its land (its value is carried over).
KEEP: tuple[str, ...] = ("renamed", "recoded", "minor_shift")


@dataclass(frozen=True)
class Lost:
    """A code whose land no single code of the target version has.

    Attributes
    ----------
    change : str
        ``"boundary_shift"``, ``"split"`` or ``"discontinued"``.
    successors : tuple of str
        The region it became (a boundary shift), its parts (a split), else the
        regions that now hold its land.
    overlaps : tuple of str
        Every region of the target version, at its level, that shares land with it.
    parts : tuple of str
        The regions of the target version whose union is exactly its land, if any.
    official : str
        Eurostat's wording.
    """

    change: str
    successors: tuple[str, ...]
    overlaps: tuple[str, ...]
    parts: tuple[str, ...]
    official: str


@dataclass(frozen=True)
class Union:
    """A region of the target version that is exactly the union of *parts*.

    Attributes
    ----------
    target : str
        The region of the target version.
    parts : tuple of str
        Regions of the source version (one: the same land at another level).
    """

    target: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """What becomes of each code going from one NUTS version to the next one.

    Attributes
    ----------
    from_nuts_year, to_nuts_year : int
        Consecutive versions, either way round.
    same : dict
        Code → ``(code in the target version, change)`` for the codes that keep
        their land under a change (``renamed``, ``recoded``, ``minor_shift``);
        a code in both versions and in neither map keeps code and land.
    lost : dict
        Code → :class:`Lost`.
    unions : tuple of Union
        Regions of the target version that are exact unions of source regions.
    """

    from_nuts_year: int
    to_nuts_year: int
    same: dict[str, tuple[str, str]]
    lost: dict[str, Lost]
    unions: tuple[Union, ...]

    def follow(self, code: str) -> tuple[str, str] | Lost | None:
        """Return ``(target code, change)``, a :class:`Lost`, or ``None``.

        Parameters
        ----------
        code : str
            A well-formed code.

        Returns
        -------
        tuple, Lost or None
            ``(code, "unchanged")`` for a code of both versions, ``None`` for a
            code that is not one of the source version.

        Examples
        --------
        >>> step(2013, 2016).follow("FR30")
        ('FRE1', 'recoded')
        >>> step(2021, 2024).follow("PT18").successors
        ('PT1C',)
        >>> step(2016, 2013).follow("FRE1")
        ('FR30', 'recoded')
        """
        if code in self.lost:
            return self.lost[code]
        if code in self.same:
            return self.same[code]
        if code in code_set(self.from_nuts_year):
            if code in code_set(self.to_nuts_year):
                return code, "unchanged"
            return Lost("discontinued", (), (), (), "")  # pragma: no cover
        return None


def _split_codes(text: str, sep: str) -> tuple[str, ...]:
    return tuple(text.split(sep)) if text else ()


def _lost(row: pd.Series, change: str, successors: tuple[str, ...]) -> Lost:
    return Lost(
        change,
        successors,
        _split_codes(row["overlaps"], " "),
        _split_codes(row["parts"], "+"),
        row["official"],
    )


_Maps = tuple[dict[str, tuple[str, str]], dict[str, Lost], list[Union]]


def _forward(rows: pd.DataFrame) -> _Maps:
    same: dict[str, tuple[str, str]] = {}
    lost: dict[str, Lost] = {}
    unions: list[Union] = []
    for _, row in rows.iterrows():
        code_from, code_to, change = row["code_from"], row["code_to"], row["change"]
        parts = _split_codes(row["parts"], "+")
        if code_from and change in KEEP:
            same[code_from] = (code_to, change)
        elif code_from:
            successors = (code_to,) if code_to else parts
            overlaps = _split_codes(row["overlaps"], " ")
            lost[code_from] = _lost(row, change, successors or overlaps)
        elif parts:
            unions.append(Union(code_to, parts))
    return same, lost, unions


def _backward(rows: pd.DataFrame) -> _Maps:
    same: dict[str, tuple[str, str]] = {}
    lost: dict[str, Lost] = {}
    unions: list[Union] = []
    partners = {
        r["code_to"]: r["code_from"]
        for _, r in rows.iterrows()
        if r["change"] == "boundary_shift" and r["code_to"]
    }
    for _, row in rows.iterrows():
        code_from, code_to, change = row["code_from"], row["code_to"], row["change"]
        parts = _split_codes(row["parts"], "+")
        if code_from and change in KEEP:
            same[code_to] = (code_from, change)
        elif code_from and parts:
            unions.append(Union(code_from, parts))
        elif not code_from and code_to in partners:
            lost[code_to] = _lost(row, "boundary_shift", (partners[code_to],))
        elif not code_from:
            kind = "split" if len(parts) > 1 else "discontinued"
            overlaps = _split_codes(row["overlaps"], " ")
            lost[code_to] = _lost(row, kind, parts or overlaps)
    return same, lost, unions


@functools.cache
def step(from_nuts_year: int, to_nuts_year: int) -> Step:
    """Return the :class:`Step` between two consecutive versions (either way round).

    Parameters
    ----------
    from_nuts_year, to_nuts_year : int
        Consecutive versions of :data:`regiongap.schema.NUTS_YEARS` (not checked).

    Returns
    -------
    Step
        Built once per process from the shipped change table.

    Examples
    --------
    >>> forward = step(2016, 2021)
    >>> forward.lost["HR04"].change, forward.lost["HR04"].successors
    ('split', ('HR02', 'HR05', 'HR06'))
    >>> [u.parts for u in step(2021, 2016).unions if u.target == "HR04"]
    [('HR02', 'HR05', 'HR06')]
    """
    low, high = sorted((from_nuts_year, to_nuts_year))
    table = change_table()
    rows = table[(table["from_nuts_year"] == low) & (table["to_nuts_year"] == high)]
    build = _forward if from_nuts_year < to_nuts_year else _backward
    same, lost, unions = build(rows)
    return Step(from_nuts_year, to_nuts_year, same, lost, tuple(unions))


def chain(from_nuts_year: int, to_nuts_year: int) -> list[Step]:
    """Return the steps from one version to another (empty when they are equal).

    Parameters
    ----------
    from_nuts_year, to_nuts_year : int
        Versions of :data:`regiongap.schema.NUTS_YEARS` (not checked).

    Returns
    -------
    list of Step
        Consecutive steps, forward or backward in time.

    Examples
    --------
    >>> [(s.from_nuts_year, s.to_nuts_year) for s in chain(2024, 2016)]
    [(2024, 2021), (2021, 2016)]
    """
    known: tuple[int, ...] = NUTS_YEARS
    low, high = sorted((known.index(from_nuts_year), known.index(to_nuts_year)))
    years = list(known[low : high + 1])
    if from_nuts_year > to_nuts_year:
        years.reverse()
    return [step(a, b) for a, b in itertools.pairwise(years)]
