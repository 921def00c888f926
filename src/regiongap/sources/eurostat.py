"""Raw Eurostat data: a dataset's bytes, from the mirror folder or the API.

Where a dataset comes from
--------------------------
1. A **mirror folder** when one is configured (argument, else ``REGIONGAP_MIRROR``):
   the first of ``eurostat/{code}.tsv.gz``, ``.tsv``, ``.csv.gz``, ``.csv``.
2. Otherwise — or when the mirror lacks the dataset — **the dissemination API**,
   ``{REGIONGAP_EUROSTAT_API}/sdmx/2.1/data/{CODE}?format=TSV&compressed=true``
   (the documented bulk-download URL of the SDMX 2.1 API; Eurostat accepts the
   code in any case and we send it upper-case as its own examples do), through
   :func:`regiongap.sources.http.get_bytes` (timeouts, retries with back-off).
3. Offline (``REGIONGAP_OFFLINE=1``) and not in the mirror: an error saying what is
   missing and how to get it.

The bytes are parsed by :func:`regiongap.sdmx.parse`, our own vectorised parser (see
its module docstring for why it replaces ``eurostat.get_data_df``).

Eurostat's table of contents and code labels come through the ``eurostat`` package
(:mod:`regiongap.sources.eurostat_toc`); nothing here writes the cache
(:mod:`regiongap.load.datasets` does).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from regiongap import config
from regiongap.errors import DatasetNotFoundError, SchemaError
from regiongap.sources._mirror import RawFile, find_file, read_file, utc_now

__all__ = [
    "CODE_PATTERN",
    "MIRROR_SUFFIXES",
    "RawDataset",
    "dataset_url",
    "describe",
    "fetch_raw",
    "validate_code",
]

#: A plausible Eurostat dataset code, after lower-casing: starts with a letter or
#: digit, then letters, digits, ``_``, ``-`` or ``$`` (e.g. ``nama_10r_3gdp``,
#: ``demo_r_pjanaggr3``, ``isoc_r_broad_h``, ``lfst_r_lfp2actrt``); 2 to 64
#: characters. No dots and no separators, so a code can never name another folder.
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_$\-]{1,63}$")
#: Mirror file names tried, in order, for a dataset.
MIRROR_SUFFIXES = (".tsv.gz", ".tsv", ".csv.gz", ".csv")

#: largest dataset download accepted by default (REGIONGAP_MAX_BYTES overrides)
_MAX_BYTES = 2 * 1024**3


def validate_code(code: object) -> str:
    """Return *code* lower-cased if it is a plausible Eurostat dataset code.

    Parameters
    ----------
    code : str
        A dataset code such as ``"nama_10r_3gdp"`` (any case).

    Returns
    -------
    str
        The code in lower case.

    Raises
    ------
    SchemaError
        If *code* is not a string matching :data:`CODE_PATTERN` (e.g. it contains a
        path separator, a dot, a space, or is empty).

    Examples
    --------
    >>> validate_code("NAMA_10R_3GDP")
    'nama_10r_3gdp'
    """
    if not isinstance(code, str):
        msg = (
            f"a Eurostat dataset code must be a string, not {type(code).__name__} "
            f"({code!r})"
        )
        raise SchemaError(msg)
    lowered = code.lower()
    if not CODE_PATTERN.fullmatch(lowered):
        msg = (
            f"{code!r} is not a valid Eurostat dataset code: use 2–64 letters, "
            f"digits, '_', '-' or '$', starting with a letter or digit (pattern "
            f"{CODE_PATTERN.pattern}), e.g. 'nama_10r_3gdp'"
        )
        raise SchemaError(msg)
    return lowered


def dataset_url(code: str, base: str | None = None) -> str:
    """Return the dissemination-API URL of *code*'s whole dataset (gzipped TSV).

    Parameters
    ----------
    code : str
        The dataset code (validated).
    base : str, optional
        API base URL (default :func:`regiongap.config.eurostat_api`).

    Returns
    -------
    str
        ``{base}/sdmx/2.1/data/{CODE}?format=TSV&compressed=true``.

    Raises
    ------
    SchemaError
        If *code* is not a plausible dataset code.

    Examples
    --------
    >>> dataset_url("reg_area3", "https://example.org/api")
    'https://example.org/api/sdmx/2.1/data/REG_AREA3?format=TSV&compressed=true'
    """
    code = validate_code(code)
    return (
        f"{config.eurostat_api(base)}/sdmx/2.1/data/{code.upper()}"
        "?format=TSV&compressed=true"
    )


class RawDataset(RawFile):
    """A dataset's raw bytes and where they came from.

    A :class:`RawFile` whose ``name`` is the dataset code (lower case), also
    readable as :attr:`code`.
    """

    @property
    def code(self) -> str:
        """The dataset code (lower case)."""
        return self.name


def describe(code: str) -> str:
    """Return how messages name the dataset *code*.

    Parameters
    ----------
    code : str
        The dataset code.

    Returns
    -------
    str
        ``Eurostat dataset '<code>'``.

    Examples
    --------
    >>> describe("reg_area3")
    "Eurostat dataset 'reg_area3'"
    """
    return f"Eurostat dataset {code!r}"


def _mirror_file(folder: Path, code: str) -> Path | None:
    return find_file(folder / "eurostat", code, MIRROR_SUFFIXES)


def _mirror_codes(folder: Path, limit: int = 20) -> str:
    codes = set()
    for suffix in MIRROR_SUFFIXES:
        for path in (folder / "eurostat").glob(f"*{suffix}"):
            stem = path.name[: -len(suffix)]
            if CODE_PATTERN.fullmatch(stem):
                codes.add(stem)
    if not codes:
        return "none"
    listed = sorted(codes)
    more = f" and {len(listed) - limit} more" if len(listed) > limit else ""
    return ", ".join(listed[:limit]) + more


def fetch_raw(
    code: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    offline: bool | None = None,
    progress: bool = False,
    api: str | None = None,
) -> RawDataset:
    """Return the raw bytes of a Eurostat dataset, from the mirror or the API.

    Parameters
    ----------
    code : str
        The dataset code (validated with :func:`validate_code`).
    mirror : path-like, optional
        Mirror folder (default ``REGIONGAP_MIRROR``; none when unset).
    offline : bool, optional
        Forbid the network (default ``REGIONGAP_OFFLINE``).
    progress : bool, default False
        Show a progress bar while downloading.
    api : str, optional
        API base URL (default ``REGIONGAP_EUROSTAT_API`` or Eurostat's).

    Returns
    -------
    RawDataset
        The bytes with their source, location and retrieval time.

    Raises
    ------
    SchemaError
        If *code* is not a plausible dataset code.
    DatasetNotFoundError
        If the API does not know the dataset, or offline and the mirror lacks it.
    OfflineError
        Offline, with no mirror configured.
    SourceError
        If the mirror file cannot be read or the download fails.

    Examples
    --------
    >>> raw = fetch_raw("REG_AREA3")  # REGIONGAP_MIRROR holds eurostat/reg_area3.tsv.gz
    >>> raw.code, raw.source, raw.location.endswith("eurostat/reg_area3.tsv.gz")
    ('reg_area3', 'mirror', True)
    """
    code = validate_code(code)
    folder = config.mirror_dir(mirror)
    if folder is not None:
        path = _mirror_file(folder, code)
        if path is not None:
            content = read_file(path, describe(code))
            return RawDataset(code, content, "mirror", str(path), utc_now())
        if config.is_offline(offline):
            msg = (
                f"{describe(code)} is not in the mirror {str(folder)!r} (looked for "
                f"eurostat/{code}{{{','.join(MIRROR_SUFFIXES)}}}) and the network is "
                f"off (REGIONGAP_OFFLINE). The mirror has: {_mirror_codes(folder)}. "
                "Add the file to the mirror or go online."
            )
            raise DatasetNotFoundError(msg)
    # requests (~0.1 s to import) is loaded only when a download is needed
    from regiongap.sources.http import get_bytes

    url = dataset_url(code, api)
    response = get_bytes(
        url,
        what=describe(code),
        max_bytes=config.max_bytes(_MAX_BYTES),
        progress=progress,
        offline=offline,
    )
    return RawDataset(code, response.content, "api", url, utc_now())
