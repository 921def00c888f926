"""The official correspondence between NUTS 2013, 2016, 2021 and 2024, code by code.

Eurostat's workbooks say what became of every region from one version to the next
(``data/nuts/README.md``): :func:`nuts_changes` is that table, :func:`nuts_successors`
follows one code along the chain in either direction (``PT18`` Alentejo, NUTS 2021,
is ``PT1C`` in NUTS 2024 after a boundary shift), and :func:`suggest_nuts` says what
an unknown code most likely means — from the correspondence first (``FR30``,
Nord-Pas-de-Calais in NUTS 2013, became ``FRE1``), else from codes of the same
country and level, never from another country.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._rules import EXTRA_REGIO, problem
from regiongap.geo._steps import Lost, chain
from regiongap.geo._tables import change_table, code_list, code_set, country_codes
from regiongap.schema import NUTS_YEARS, check_nuts_year

__all__ = [
    "NutsSuccession",
    "NutsSuggestion",
    "nuts_changes",
    "nuts_successors",
    "suggest_nuts",
]

_RANK = (
    "unchanged",
    "renamed",
    "minor_shift",
    "recoded",
    "boundary_shift",
    "split",
    "discontinued",
)
_WORDS = {
    "renamed": "renamed",
    "minor_shift": "a boundary shift below 1 % of the population (art. 5(2a), "
    "no NUTS amendment)",
    "recoded": "recoded",
    "boundary_shift": "a boundary shift",
    "split": "split",
    "discontinued": "no such region",
}


def nuts_changes(
    from_nuts_year: int | None = None, to_nuts_year: int | None = None
) -> pd.DataFrame:
    """Return the official changes between consecutive NUTS versions.

    One row per code that changed from one version to the next (codes that keep
    code and land have no row), as derived from Eurostat's workbooks.

    Parameters
    ----------
    from_nuts_year, to_nuts_year : {2013, 2016, 2021, 2024}, optional
        Only the steps between these versions (default: 2013 → 2024, every step).

    Returns
    -------
    pandas.DataFrame
        ``from_nuts_year, to_nuts_year, code_from, code_to, level, country,
        change, parts, overlaps, official``. ``change`` is ``renamed``, ``recoded``
        (same land, new code), ``minor_shift`` (art. 5(2a): a boundary shift below
        1 % of the population, code kept), ``boundary_shift``, ``split`` (the old
        region is exactly the union of ``parts``), ``discontinued``, ``merged``
        (the new region is exactly the union of ``parts``) or ``new``; ``parts``
        joins codes with ``+``, ``overlaps`` (the regions of the other version at
        the same level sharing land) with spaces; ``official`` is Eurostat's
        wording. Missing entries are ``<NA>``. A fresh copy.

    Raises
    ------
    SchemaError
        If a version is unknown or *from_nuts_year* is after *to_nuts_year*.

    Examples
    --------
    >>> changes = nuts_changes(2013, 2016)
    >>> changes.loc[changes["code_to"] == "FRC", ["change", "parts"]]
         change      parts
    236  merged  FR26+FR43
    >>> int(nuts_changes(2021, 2024).groupby("change").size()["boundary_shift"])
    34
    """
    low = NUTS_YEARS[0] if from_nuts_year is None else check_nuts_year(from_nuts_year)
    high = NUTS_YEARS[-1] if to_nuts_year is None else check_nuts_year(to_nuts_year)
    if low > high:
        msg = (
            f"from_nuts_year={low} is after to_nuts_year={high}; the table runs "
            "forward in time (nuts_successors follows a code either way)"
        )
        raise SchemaError(msg)
    table = change_table()
    keep = (table["from_nuts_year"] >= low) & (table["to_nuts_year"] <= high)
    out = table.loc[keep].copy()
    for column in ("code_from", "code_to", "parts", "overlaps", "official"):
        out[column] = out[column].replace("", None).astype("string")
    return out


@dataclass(frozen=True)
class NutsSuccession:
    """What became of one code between two NUTS versions (:func:`nuts_successors`).

    Attributes
    ----------
    code : str
        The code asked about.
    from_nuts_year, to_nuts_year : int
        Its version and the version asked for.
    change : str
        The largest change along the way: ``unchanged``, ``renamed``,
        ``minor_shift``, ``recoded`` (same land), ``boundary_shift``, ``split``
        or ``discontinued``.
    codes : tuple of str
        Its successors in *to_nuts_year*: the same land under its code, the region
        it became after a boundary shift, its parts after a split, else the
        regions that now hold its land.
    overlaps : tuple of str
        Every region of *to_nuts_year* at its level that shares land with it.
    note : str
        The same in words.
    """

    code: str
    from_nuts_year: int
    to_nuts_year: int
    change: str
    codes: tuple[str, ...]
    overlaps: tuple[str, ...]
    note: str

    def __str__(self) -> str:
        return self.note


def _advance(
    codes: tuple[str, ...], step_changes: list[str], steps: list, overlap: bool
) -> tuple[str, ...]:
    for one in steps:
        found: list[str] = []
        for code in codes:
            moved = one.follow(code)
            if isinstance(moved, Lost):
                step_changes.append(moved.change)
                found += (
                    moved.overlaps if overlap and moved.overlaps else moved.successors
                )
            elif moved is not None:
                step_changes.append(moved[1])
                found.append(moved[0])
        codes = tuple(dict.fromkeys(found))
    return codes


def _name(code: str, nuts_year: int) -> str:
    table = code_list(nuts_year)
    return str(table.loc[table["geo"] == code, "region_name"].iloc[0])


def _note(
    head: str,
    to_nuts_year: int,
    change: str,
    codes: tuple[str, ...],
    overlaps: tuple[str, ...],
) -> str:
    if change == "unchanged":
        return f"{head} is the same region in NUTS {to_nuts_year}"
    words = f"{head} in NUTS {to_nuts_year}: {_WORDS[change]}"
    if not codes:
        country = head[:2]
        gone = country not in country_codes(to_nuts_year)
        why = f" (NUTS {to_nuts_year} has no regions of {country})" if gone else ""
        return f"{words}; no NUTS {to_nuts_year} region holds its land{why}"
    if change == "discontinued":
        return f"{words}; its land lies within {', '.join(codes)}"
    note = f"{words}; now {', '.join(codes)}"
    if set(overlaps) - set(codes):
        note += f" (its land overlaps {', '.join(overlaps)})"
    return note


def nuts_successors(
    code: str, from_nuts_year: int, to_nuts_year: int
) -> NutsSuccession:
    """Follow one code along the official correspondence to another NUTS version.

    Parameters
    ----------
    code : str
        A code of NUTS *from_nuts_year*.
    from_nuts_year, to_nuts_year : {2013, 2016, 2021, 2024}
        Any two versions, forward or backward in time.

    Returns
    -------
    NutsSuccession
        The change, the successor codes, every overlapping region, and a note.

    Raises
    ------
    SchemaError
        If a version is unknown or *code* is not a code of *from_nuts_year*.

    Examples
    --------
    >>> print(nuts_successors("PT18", 2021, 2024))
    PT18 (Alentejo, NUTS 2021) in NUTS 2024: a boundary shift; now PT1C (its land
    overlaps PT1C, PT1D)
    >>> nuts_successors("FR30", 2013, 2021).codes
    ('FRE1',)
    >>> nuts_successors("HR04", 2016, 2024).change
    'split'
    """
    check_nuts_year(from_nuts_year)
    check_nuts_year(to_nuts_year)
    if not isinstance(code, str) or code not in code_set(from_nuts_year):
        where = [y for y in NUTS_YEARS if isinstance(code, str) and code in code_set(y)]
        also = f" (it is a code of NUTS {', '.join(map(str, where))})" if where else ""
        msg = f"{code!r} is not a code of NUTS {from_nuts_year}{also}"
        raise SchemaError(msg)
    steps = chain(from_nuts_year, to_nuts_year)
    changes: list[str] = []
    codes = _advance((code,), changes, steps, overlap=False)
    overlaps = _advance((code,), [], steps, overlap=True)
    change = max(changes or ["unchanged"], key=_RANK.index)
    head = f"{code} ({_name(code, from_nuts_year)}, NUTS {from_nuts_year})"
    note = _note(head, to_nuts_year, change, codes, overlaps)
    return NutsSuccession(
        code, from_nuts_year, to_nuts_year, change, codes, overlaps, note
    )


@dataclass(frozen=True)
class NutsSuggestion:
    """What an unknown NUTS code most likely means (:func:`suggest_nuts`).

    Attributes
    ----------
    code : object
        The code asked about.
    nuts_year : int
        The version it was looked up in.
    codes : tuple of str
        Suggested codes of *nuts_year* (empty when there is none).
    source : {"valid", "correspondence", "same_country", "none"}
        Where they come from: the code is valid already, the official
        correspondence (a code of another version), codes of the same country
        and level that look alike, or nowhere.
    note : str
        Why, in words.
    """

    code: object
    nuts_year: int
    codes: tuple[str, ...]
    source: Literal["valid", "correspondence", "same_country", "none"]
    note: str

    def __str__(self) -> str:
        if self.source == "valid":
            return self.note
        if self.codes:
            shown = ", ".join(repr(c) for c in self.codes)
            return f"did you mean {shown}? ({self.note})"
        return self.note


def _nearest_version(code: str, nuts_year: int) -> int | None:
    versions = [y for y in NUTS_YEARS if code in code_set(y)]
    if not versions:
        return None
    return min(versions, key=lambda y: (abs(y - nuts_year), -y))


def _closest(code: str, pool: list[str]) -> list[str]:
    """Return up to three codes of *pool* sharing the longest prefix with *code*."""

    def prefix(other: str) -> int:
        return next(
            (i for i, (a, b) in enumerate(zip(code, other, strict=False)) if a != b),
            min(len(code), len(other)),
        )

    ranked = sorted(
        pool,
        key=lambda c: (-prefix(c), -difflib.SequenceMatcher(None, code, c).ratio()),
    )
    best = [c for c in ranked if prefix(c) > 2]  # more than the country in common
    return best[:3]


def _same_country(code: str, nuts_year: int) -> NutsSuggestion:
    table = code_list(nuts_year)
    level = len(code) - 2
    pool = table.loc[
        (table["country"] == code[:2]) & (table["level"] == level), "geo"
    ].tolist()
    pool = [c for c in pool if not EXTRA_REGIO.fullmatch(c)]
    close = tuple(_closest(code, pool))
    where = f"NUTS {nuts_year} region of {code[:2]} at level {level}"
    if close:
        note = (
            f"{code} is in no NUTS version; the closest NUTS {nuts_year} codes of "
            f"{code[:2]} at level {level}"
        )
        return NutsSuggestion(code, nuts_year, close, "same_country", note)
    if not pool:
        note = f"{code} is in no NUTS version, and there is no {where}"
    else:
        note = f"{code} is in no NUTS version and looks like no {where}"
    return NutsSuggestion(code, nuts_year, (), "none", note)


def suggest_nuts(code: object, nuts_year: int = 2021) -> NutsSuggestion:
    """Say what a code that is not in NUTS *nuts_year* most likely means.

    The official correspondence comes first: a code of another version gives its
    successors (or predecessors) in *nuts_year*. A code in no version gets the
    most similar codes of the same country and level; a code of another country is
    never suggested.

    Parameters
    ----------
    code : str
        A code as found in data or a membership file.
    nuts_year : {2013, 2016, 2021, 2024}
        The version the code should belong to.

    Returns
    -------
    NutsSuggestion
        ``codes``, their ``source`` and a ``note``; ``str()`` gives a one-line
        hint ("did you mean 'FRE1'? (…)").

    Raises
    ------
    SchemaError
        If *nuts_year* is unknown.

    Examples
    --------
    >>> print(suggest_nuts("FR30"))
    did you mean 'FRE1'? (FR30 (Nord-Pas de Calais, NUTS 2013) in NUTS 2021:
    recoded; now FRE1)
    >>> suggest_nuts("PT18", 2024).codes
    ('PT1C',)
    >>> suggest_nuts("DE1Z").source, suggest_nuts("DE1Z").codes
    ('same_country', ('DE11', 'DE12', 'DE13'))
    """
    check_nuts_year(nuts_year)
    why = problem(code)
    if why is not None:
        return NutsSuggestion(code, nuts_year, (), "none", why)
    assert isinstance(code, str)  # narrowed by problem()
    if code in code_set(nuts_year):
        note = f"{code} is a region of NUTS {nuts_year}"
        return NutsSuggestion(code, nuts_year, (code,), "valid", note)
    version = _nearest_version(code, nuts_year)
    if version is None:
        return _same_country(code, nuts_year)
    succession = nuts_successors(code, version, nuts_year)
    codes = succession.codes or succession.overlaps
    source: Literal["correspondence", "none"] = "correspondence" if codes else "none"
    return NutsSuggestion(code, nuts_year, codes, source, succession.note)
