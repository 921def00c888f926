"""The files of a registry folder, read as text exactly as they are written.

A registry folder holds ``s3_partnerships.csv`` and ``s3_partnership_members.csv``
(UTF-8, comma-separated); the shipped one sits inside the package. The registry
validates what is read here, and additions are merged into it cell for cell.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from regiongap._package_data import read_package_csv

__all__ = ["read_registry_table"]


def read_registry_table(
    folder: str | os.PathLike[str] | None, name: str
) -> pd.DataFrame:
    """Return one table of a registry folder as text cells (empty cells ``""``).

    Parameters
    ----------
    folder : str, os.PathLike or None
        A registry folder; ``None`` for the one shipped with regiongap.
    name : str
        The file name, e.g. ``"s3_partnerships.csv"``.

    Returns
    -------
    pandas.DataFrame
        Every column as text, cells as the file writes them.

    Examples
    --------
    >>> table = read_registry_table(None, "s3_partnerships.csv")
    >>> table.loc[table["partnership_id"] == "mining", "member_list"].tolist()
    ['complete']
    """
    if folder is None:
        return read_package_csv("partnerships", name)
    return pd.read_csv(
        Path(folder) / name, dtype=str, keep_default_na=False, encoding="utf-8"
    )
