"""An analyst's own membership file (CSV or Excel), read and validated row by row.

Use it for networks the shipped registry does not hold (Interreg projects, Vanguard
pilots, ERRIN working groups): the table :func:`read_membership` returns works
everywhere the registry does, through the ``registry=`` argument of
:func:`regiongap.members`, :func:`regiongap.membership_matrix` and
:func:`regiongap.membership_groups`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from regiongap.errors import SchemaError
from regiongap.membership.validate import validate_members
from regiongap.membership.vocabulary import (
    MEMBER_LISTS,
    MEMBERS_NUTS_YEAR,
    MemberList,
    MembersNutsYear,
)

__all__ = ["read_membership"]


def _read_table(path: Path, sheet: int | str) -> pd.DataFrame:
    """Read *path* as text; raise :class:`SchemaError` if it cannot be parsed."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(
                path, sheet_name=sheet, dtype=str, keep_default_na=False
            )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        msg = f"cannot parse membership file {path}: {exc}"
        raise SchemaError(msg) from exc
    except ImportError as exc:  # openpyxl is needed for Excel files
        msg = f"reading {path.name!r} needs openpyxl: pip install openpyxl ({exc})"
        raise SchemaError(msg) from exc
    msg = f"cannot read {path.name!r}: use a .csv or .xlsx file"
    raise SchemaError(msg)


def read_membership(
    path: str | os.PathLike[str],
    *,
    nuts_year: MembersNutsYear = MEMBERS_NUTS_YEAR,
    member_list: MemberList | None = None,
    sheet: int | str = 0,
) -> pd.DataFrame:
    r"""Read an analyst's own membership file (CSV or Excel) and validate every row.

    The file has one row per (network, region), like the shipped registry:
    required columns ``partnership_id``, ``nuts_code`` (or ``geo``) and ``role``;
    optional ``region_name``, ``country``, ``level``, ``confidence``,
    ``source_url``, ``notes``, ``member_list``. Files written for regiongap 0.1,
    whose level column is called ``nuts_level``, keep working: the column is read
    as ``level`` (and messages name it as the file does). Use it for networks the
    registry does not hold (Interreg projects, Vanguard pilots, ERRIN working
    groups); the result works everywhere the shipped registry does, e.g.
    ``rg.members(registry=frame, level=2)`` or
    ``rg.membership_matrix(registry=frame)``.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.csv`` (UTF-8, comma-separated) or ``.xlsx`` file.
    nuts_year : {2021}, default 2021
        NUTS version of the codes; only 2021 is supported, and codes of other
        versions are reported with their 2021 equivalent.
    member_list : {"complete", "partial", "leads_only", "none"}, optional
        Declares how complete the file's lists are when it has no ``member_list``
        column. Without either, lists count as ``"partial"``, so
        :func:`regiongap.membership_groups` refuses a
        members-versus-non-members split until you declare them complete.
    sheet : int or str, default 0
        Excel sheet to read (ignored for CSV).

    Returns
    -------
    pandas.DataFrame
        The shape of :func:`regiongap.members`
        (:data:`~regiongap.membership.validate.MEMBER_COLUMNS`, then any extra
        columns of the file). A missing ``confidence`` column counts as
        ``"high"`` (the analyst's own list); ``country``, ``level`` and
        ``region_name`` are filled from the NUTS table where absent.
        ``attrs["source"]`` holds the file path.

    Raises
    ------
    MembershipError
        One error listing every bad row (row numbers as in a spreadsheet, the
        header being row 1) and every reason; see
        :func:`~regiongap.membership.validate.validate_members`.
    SchemaError
        If the file type is not supported or the file cannot be parsed.
    FileNotFoundError
        If *path* does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import regiongap as rg
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "network.csv").write_text(
    ...     "partnership_id,nuts_code,role\n"
    ...     "my_network,ES21,lead\n"
    ...     "my_network,FRH,member\n", encoding="utf-8")
    >>> mine = rg.read_membership(folder / "network.csv", member_list="complete")
    >>> mine[["partnership_id", "geo", "region_name", "level", "role"]]
      partnership_id   geo region_name  level    role
    0     my_network  ES21  País Vasco      2    lead
    1     my_network   FRH    Bretagne      1  member
    >>> rg.membership_matrix(registry=mine)
    partnership_id  my_network
    geo
    ES21                     1
    FRH0                     1
    """
    path = Path(path)
    if not path.is_file():
        msg = f"membership file not found: {path}"
        raise FileNotFoundError(msg)
    if member_list is not None and member_list not in MEMBER_LISTS:
        msg = f"member_list={member_list!r} is not one of {MEMBER_LISTS}"
        raise SchemaError(msg)
    raw = _read_table(path, sheet)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    raw = raw.dropna(how="all")
    raw = raw[~(raw.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1)]
    rows = pd.Series(raw.index + 2, index=raw.index)
    frame = validate_members(
        raw,
        nuts_year=nuts_year,
        default_confidence="high",
        default_member_list=member_list or "partial",
        what=f"membership file {path.name!r}",
        row_numbers=rows,
        row_label="row",
    )
    frame.attrs["source"] = str(path)
    return frame
