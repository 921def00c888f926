"""Checks of the arguments the registry functions share: ids, confidence, roles.

Each check names the bad value and what is allowed; an unknown partnership id is
answered with the closest valid one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from regiongap.errors import MembershipError, SchemaError
from regiongap.membership.vocabulary import (
    CONFIDENCE_LEVELS,
    ROLES,
)

__all__ = ["check_confidence", "check_roles", "partnership_ids"]


def partnership_ids(
    partnership: str | Iterable[str] | None, known: Iterable[str]
) -> list[str] | None:
    """Return the requested partnership ids, each checked against *known*.

    Parameters
    ----------
    partnership : str, iterable of str or None
        One id, several, or ``None`` (all).
    known : iterable of str
        The valid ids.

    Returns
    -------
    list of str or None
        The ids without repeats, in the order given; ``None`` for ``None``.

    Raises
    ------
    MembershipError
        An unknown id (with the closest valid one), or not an id at all.

    Examples
    --------
    >>> partnership_ids(["mining", "mining"], ["mining", "textile"])
    ['mining']
    >>> partnership_ids("minning", ["mining", "textile"])
    Traceback (most recent call last):
    regiongap.errors.MembershipError: unknown partnership id 'minning'. Did you mean
    'mining'? Valid ids: mining, textile
    """
    if partnership is None:
        return None
    valid = sorted(known)
    if isinstance(partnership, str):
        ids = [partnership]
    elif isinstance(partnership, Iterable) and not isinstance(partnership, bytes):
        ids = list(partnership)
    else:  # list(42) would fail with a bare TypeError
        msg = (
            f"partnership must be an id, a list of ids or None, not "
            f"{type(partnership).__name__} ({partnership!r}). Valid ids: "
            f"{', '.join(valid)}"
        )
        raise MembershipError(msg)
    for pid in ids:
        if not isinstance(pid, str) or pid not in valid:
            close = difflib.get_close_matches(str(pid), valid, n=1, cutoff=0.5)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            msg = f"unknown partnership id {pid!r}.{hint} Valid ids: {', '.join(valid)}"
            raise MembershipError(msg)
    return list(dict.fromkeys(ids))


def check_confidence(min_confidence: object) -> None:
    """Raise :class:`SchemaError` unless *min_confidence* is a confidence level.

    Parameters
    ----------
    min_confidence : object
        What the caller passed.

    Raises
    ------
    SchemaError
        Naming the value and the levels.

    Examples
    --------
    >>> check_confidence("certain")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: min_confidence='certain' is not one of high,
    medium, low (high ≥ medium ≥ low)
    """
    if min_confidence not in CONFIDENCE_LEVELS:
        msg = (
            f"min_confidence={min_confidence!r} is not one of "
            f"{', '.join(CONFIDENCE_LEVELS)} (high ≥ medium ≥ low)"
        )
        raise SchemaError(msg)


def check_roles(roles: object) -> list[str] | None:
    """Return the roles asked for as a list, each checked.

    Parameters
    ----------
    roles : object
        One role, several, or ``None`` (every role).

    Returns
    -------
    list of str or None
        The roles; ``None`` for ``None``.

    Raises
    ------
    SchemaError
        Naming the values that are not roles.

    Examples
    --------
    >>> check_roles("lead")
    ['lead']
    >>> check_roles(["lead", "boss"])
    Traceback (most recent call last):
    regiongap.errors.SchemaError: roles ['boss'] are not roles; use any of lead,
    co-lead, member, unknown
    """
    if roles is None:
        return None
    if isinstance(roles, str) or not isinstance(roles, Iterable):
        wanted = [roles]
    else:
        wanted = list(roles)
    bad = [r for r in wanted if r not in ROLES]
    if bad:
        msg = f"roles {bad} are not roles; use any of {', '.join(ROLES)}"
        raise SchemaError(msg)
    return [str(r) for r in wanted]
