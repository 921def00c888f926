"""Which NUTS version a frame's codes are in, per country and data year.

Eurostat's tables mix versions: across countries, and since 2025 across years of a
country (NUTS 2021 codes for older years, NUTS 2024 for recent ones), and they keep
older codes beside their successors for history. :func:`version_groups` reads, for
each country and year, the codes that carry a value; the version most of them fit
(the newest on a tie, like ropensci ``nuts::nuts_classify``) is the group's version
when every other code is *superseded*: a code of another version whose successors
are all in the group too, or none of them (it then covers land the group's other
codes leave out, like NO060 after Norway's 2018 merger). A code with only some of
its successors in the group is *conflicting*: the group fits no single version
(its land would count twice). :func:`row_versions` then says
which version each row's code is read in.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.geo._rules import AGGREGATE, NOT_REGIONALISED, problem
from regiongap.geo._tables import code_set, country_codes
from regiongap.geo.correspondence import nuts_successors
from regiongap.schema import NUTS_YEARS

__all__ = [
    "nearest_version",
    "read_versions",
    "refuse_conflicts",
    "row_versions",
    "version_groups",
]


@functools.cache
def _versions_of(code: str) -> tuple[int, ...]:
    return tuple(y for y in NUTS_YEARS if code in code_set(y))


def nearest_version(code: object, nuts_year: int) -> int:
    """Return the version containing *code* nearest to *nuts_year* (0: none).

    Parameters
    ----------
    code : object
        A value of a code column.
    nuts_year : int
        The version to be near (ties go to the newer version).

    Returns
    -------
    int
        A version of :data:`regiongap.schema.NUTS_YEARS`, or 0.

    Examples
    --------
    >>> nearest_version("HR04", 2024), nearest_version("HR04", 2013)
    (2016, 2013)
    >>> nearest_version("EU27_2020", 2021)
    0
    """
    if not isinstance(code, str):
        return 0
    versions = _versions_of(code)
    if not versions:
        return 0
    return min(versions, key=lambda y: (abs(y - nuts_year), -y))


def _region_code(code: object) -> bool:
    return (
        isinstance(code, str)
        and not AGGREGATE.fullmatch(code)
        and not NOT_REGIONALISED.fullmatch(code)
        and problem(code) is None
    )


@functools.cache
def _successors(code: str, nuts_year: int) -> frozenset[str]:
    origin = nearest_version(code, nuts_year)
    succession = nuts_successors(code, origin, nuts_year)
    return frozenset(succession.overlaps or succession.codes)


def _one_group(codes: set[str], country: str) -> dict[str, object]:
    known = {c for c in codes if _versions_of(c)}
    shares = {
        y: len(known & code_set(y)) / len(known) if known else np.nan
        for y in NUTS_YEARS
        if country in country_codes(y)
    }
    row: dict[str, object] = {"n_codes": len(known)}
    row.update({f"share_{y}": shares.get(y, np.nan) for y in NUTS_YEARS})
    if not known or not shares:
        return {
            **row,
            "nuts_year": pd.NA,
            "fits": True,
            "superseded": (),
            "conflicting": (),
            "unknown": tuple(sorted(codes - known)),
        }
    best = max(shares, key=lambda y: (shares[y], y))
    leftover = known - code_set(best)
    # beside the group's version: codes whose successors are all there too
    # (history), and codes none of whose counterparts is there (they fill land the
    # group's other codes leave out: NO060 after Norway's 2018 merger). A code with
    # only part of its counterparts there makes the year count land twice.
    superseded = {
        c
        for c in leftover
        if _successors(c, best) <= known or not _successors(c, best) & known
    }
    conflicting = leftover - superseded
    return {
        **row,
        "nuts_year": best,
        "fits": not conflicting,
        "superseded": tuple(sorted(superseded)),
        "conflicting": tuple(sorted(conflicting)),
        "unknown": tuple(sorted(codes - known)),
    }


def version_groups(
    frame: pd.DataFrame, geo: str, time: str | None, value: str | None
) -> pd.DataFrame:
    """Return the NUTS version of each country (and data year) of *frame*.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a code column.
    geo : str
        The code column.
    time, value : str or None
        The data-year and value columns, if the frame has them: only codes with a
        value count, per year.

    Returns
    -------
    pandas.DataFrame
        One row per country (and year): ``country``, ``time`` (when given),
        ``n_codes`` (distinct codes of some version), ``share_2013`` …
        ``share_2024`` (the share of those codes in each version; NaN where the
        version does not cover the country), ``nuts_year`` (``<NA>`` when no code
        is of any version), ``fits``, ``superseded``, ``conflicting`` and
        ``unknown`` (codes in no version).

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": ["HR03", "HR04", "HR041", "DE11"],
    ...                       "time": 2019, "value": 1.0})
    >>> out = version_groups(frame, "geo", "time", "value")
    >>> out[["country", "time", "nuts_year", "fits", "share_2016", "share_2021"]]
      country  time  nuts_year  fits  share_2016  share_2021
    0      DE  2019       2024  True         1.0    1.000000
    1      HR  2019       2016  True         1.0        0.333333
    """
    rows = frame
    if value is not None and value in frame.columns:
        rows = frame[frame[value].notna()]
    has_time = time is not None and time in frame.columns
    rows = rows[[geo, time] if has_time else [geo]].drop_duplicates()
    codes = rows[geo].astype(object)
    regional = {c: _region_code(c) for c in pd.unique(codes)}
    keep = codes.map(regional).astype(bool)
    keys = [codes[keep].str[:2].rename("country")]
    if has_time:
        keys.append(rows.loc[keep, time].rename("time"))
    groups = codes[keep].groupby(keys, sort=True, observed=True)
    records = []
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        record = dict(zip([k.name for k in keys], key, strict=True))
        record.update(_one_group(set(part), str(key[0])))
        records.append(record)
    columns = [k.name for k in keys] + ["n_codes"] + [f"share_{y}" for y in NUTS_YEARS]
    columns += ["nuts_year", "fits", "superseded", "conflicting", "unknown"]
    out = pd.DataFrame.from_records(records, columns=columns)
    out["nuts_year"] = out["nuts_year"].astype("Int64")
    out["fits"] = out["fits"].astype(bool)
    return out


def _for_target(groups: pd.DataFrame, to_nuts_year: int) -> pd.DataFrame:
    """Add ``read_in``: of the versions a group fits best, the nearest to the target.

    Codes valid in several versions fit them equally well; reading them in the
    version nearest to the target takes the fewest steps.
    """
    shares = groups[[f"share_{y}" for y in NUTS_YEARS]].to_numpy(dtype=float)
    best = np.nanmax(np.where(np.isnan(shares), -1.0, shares), axis=1)
    read_in = []
    for row, top, chosen in zip(shares, best, groups["nuts_year"], strict=True):
        tied = [y for y, s in zip(NUTS_YEARS, row, strict=True) if s == top]
        near = min(tied, key=lambda y: (abs(y - to_nuts_year), -y)) if tied else 0
        read_in.append(0 if pd.isna(chosen) else near)
    return groups.assign(read_in=read_in)


def row_versions(
    frame: pd.DataFrame,
    geo: str,
    time: str | None,
    groups: pd.DataFrame,
    to_nuts_year: int,
) -> pd.Series:
    """Return the version each row's code is read in (0 where it is in none).

    A code of its group's version is read in that version (of the versions the
    group fits equally well, the one nearest to *to_nuts_year*); any other code in
    the version containing it nearest to *to_nuts_year*.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame.
    geo, time : str or None
        Its code and data-year columns (*time* ``None`` or absent: per country).
    groups : pandas.DataFrame
        :func:`version_groups` of *frame*.
    to_nuts_year : int
        The target version.

    Returns
    -------
    pandas.Series
        Of ``int``, same index as *frame*.

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": ["HR04", "HR05", "EU27_2020"], "value": 1.0})
    >>> groups = version_groups(frame, "geo", None, "value")
    >>> row_versions(frame, "geo", None, groups, 2016).tolist()
    [2016, 2021, 0]
    """
    by_time = "time" in groups.columns and time is not None and time in frame.columns
    # each distinct (code, year) once: a frame repeats them across its dimensions
    g_index, g_uniq = pd.factorize(frame[geo].astype(object), use_na_sentinel=False)
    g_values = list(g_uniq)
    if by_time:
        t_index, t_uniq = pd.factorize(frame[time], use_na_sentinel=False)
        t_values = list(t_uniq)
    else:
        t_index, t_values = np.zeros(len(frame), dtype=np.intp), [None]
    pairs, inverse = np.unique(
        g_index.astype(np.int64) * len(t_values) + t_index, return_inverse=True
    )
    read_in = _for_target(groups, to_nuts_year)
    keys = ["country", "time"] if by_time else ["country"]
    lookup = {
        tuple(k) if by_time else (k[0],): int(v)
        for k, v in zip(read_in[keys].to_numpy(), read_in["read_in"], strict=True)
    }
    chosen = np.zeros(len(pairs), dtype=int)
    for i, pair in enumerate(pairs):
        code = g_values[pair // len(t_values)]
        key = (code[:2], t_values[pair % len(t_values)]) if by_time else (code[:2],)
        version = lookup.get(key, 0) if isinstance(code, str) else 0
        if not (version and code in code_set(version)):
            version = nearest_version(code, to_nuts_year)
        chosen[i] = version
    return pd.Series(chosen[inverse.ravel()], index=frame.index, dtype=int)


def refuse_conflicts(groups: pd.DataFrame) -> None:
    """Raise naming each country and year whose codes fit no single version.

    Parameters
    ----------
    groups : pandas.DataFrame
        :func:`version_groups` of a frame.

    Raises
    ------
    SchemaError
        Naming the countries, years and conflicting codes (six at most of each).

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": ["HR04", "HR05"], "time": 2015, "value": 1.0})
    >>> refuse_conflicts(version_groups(frame, "geo", "time", "value"))
    Traceback (most recent call last):
    regiongap.errors.SchemaError: recode_nuts cannot tell which NUTS version ...
    HR 2015: HR04 (beside NUTS 2024 codes)...
    """
    bad = groups[~groups["fits"]]
    if bad.empty:
        return
    where = []
    for row in bad.head(6).to_dict("records"):
        codes: tuple[str, ...] = row["conflicting"]
        year = f" {row['time']}" if "time" in row else ""
        more_codes = " …" if len(codes) > 6 else ""
        where.append(
            f"{row['country']}{year}: {', '.join(codes[:6])}{more_codes} "
            f"(beside NUTS {row['nuts_year']} codes)"
        )
    more = f"; … and {len(bad) - 6} more" if len(bad) > 6 else ""
    msg = (
        "recode_nuts cannot tell which NUTS version these codes are in: for each "
        "country and year the codes with a value must fit one version (a code of "
        "another version is fine beside all its successors or none of them, not "
        "some: its land would count twice). No single version fits "
        + "; ".join(where)
        + more
        + ". Pass from_nuts_year= to read every code in "
        "one version, or see the shares with nuts_versions(frame)."
    )
    raise SchemaError(msg)


def read_versions(
    work: pd.DataFrame,
    spec: tuple[str, str | None, str | None],
    to_nuts_year: int,
    from_nuts_year: int | None,
) -> pd.Series:
    """Return the version each row's code is read in (0: none).

    Parameters
    ----------
    work : pandas.DataFrame
        The frame.
    spec : tuple
        ``(geo, time, value)`` columns (*time*/*value* ``None`` if absent).
    to_nuts_year : int
        The target version.
    from_nuts_year : int or None
        The version every code is in, or ``None`` to detect it per country and year.

    Returns
    -------
    pandas.Series
        Of ``int``, same index as *work*.

    Raises
    ------
    SchemaError
        When detecting, if a country and year fit no single version.

    Examples
    --------
    >>> frame = pd.DataFrame({"geo": ["FR30", "DE11"], "value": 1.0})
    >>> read_versions(frame, ("geo", None, "value"), 2021, None).tolist()
    [2013, 2021]
    >>> read_versions(frame, ("geo", None, "value"), 2021, 2016).tolist()
    [0, 2016]
    """
    geo, time, value = spec
    if from_nuts_year is not None:
        known = code_set(from_nuts_year)
        return (
            work[geo]
            .map(lambda c: from_nuts_year if isinstance(c, str) and c in known else 0)
            .astype(int)
        )
    groups = version_groups(work, geo, time, value)
    refuse_conflicts(groups)
    return row_versions(work, geo, time, groups, to_nuts_year)
