"""The catalogue of regional capacity indicators.

Analysts think in "R&D spending as a share of GDP" or "households with broadband",
not in dataset codes and filter strings. The catalogue
(``regiongap/data/indicators.csv``, one reviewable row per indicator) maps each
indicator id to the Eurostat dataset and the exact dimension filters that select it,
its unit, the NUTS levels it exists at, whether a higher value means more capacity,
and — for indicators Eurostat does not publish as such — how it is derived and from
which denominator. Every row is checked when the file is first read (a bad row is
a :class:`~regiongap.errors.SchemaError` naming it); :func:`catalogue` lists the
rows, :func:`regiongap.fetch_indicator` fetches one.

>>> import regiongap as rg
>>> rg.catalogue()[["indicator", "dataset", "filters"]].head(2)
                      indicator        dataset               filters
0        gdp_pps_per_inhabitant  nama_10r_3gdp  unit=PPS_EU27_2020_HAB
1  gdp_pps_per_inhabitant_index  nama_10r_3gdp  unit=PPS_HAB_EU27_2020

Catalogue columns
-----------------
``indicator``
    id (a lowercase slug), the key everything else uses.
``title``, ``pillar``
    what it measures; the capacity pillar it belongs to (:data:`PILLARS`).
``dataset``, ``fallback``, ``filters``
    the Eurostat dataset code (or ``gisco:<layer>``, a layer of GISCO's
    basic-services points counted per region), the datasets read instead, in
    order, when it cannot be read (the full dataset first, its ``tgs`` summary
    table after it; the one used is recorded in the provenance), and the filters
    ``dim=VALUE;dim=VALUE`` that leave one series per region in each of them (for
    a derived indicator: the numerator's; :func:`parse_filters` reads them).
``unit``, ``unit_label``
    the unit of the *result* (a Eurostat unit code, or the code-style name of the
    derived unit, e.g. ``EUR_HAB``) and its plain-language label.
``levels``
    the NUTS levels the indicator exists at, e.g. ``"0;1;2"``.
``higher_is_better``
    ``True``/``False`` for capacity indicators, ``<NA>`` for context.
``derivation``, ``denominator``, ``scale``
    ``none`` for a published series; otherwise one of
    :data:`~regiongap.indicators.derive.DERIVATIONS`, the id of the catalogue
    indicator used as denominator, and the scale applied (value = numerator /
    denominator × scale).
``comparability``
    ``across_countries`` (harmonised definitions) or ``within_country`` (e.g.
    hospitals counted from national registers that count differently: compare
    regions of one country, and across countries only with care).
``source_note``
    what each code was checked against.
``in_mirror``
    added by :func:`catalogue` at call time: whether the configured mirror folder
    holds a file for every part the indicator needs (the dataset or one of its
    fallbacks; the denominator's too; ``<NA>`` when no mirror is configured). A
    mirror file may be a subset of the dataset: the mirror's
    ``nama_10r_2hhinc`` has only ``unit=MIO_EUR``, so the PPS disposable-income
    indicator is ``in_mirror`` yet fails with a :class:`SchemaError` listing the
    units the file has; :func:`regiongap.coverage` reports such cases.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regiongap.config import mirror_dir
from regiongap.errors import SchemaError
from regiongap.indicators._checks import GISCO_LAYERS
from regiongap.indicators._entries import (
    CATALOGUE_COLUMNS,
    PILLARS,
    Pillar,
    catalogue_table,
    datasets_of,
    entries,
    parse_filters,
)
from regiongap.sources.eurostat import MIRROR_SUFFIXES

__all__ = [
    "CATALOGUE_COLUMNS",
    "PILLARS",
    "Pillar",
    "catalogue",
    "catalogue_datasets",
    "parse_filters",
]


def _mirror_file(folder: Path, code: str) -> Path | None:
    if code in GISCO_LAYERS:
        found = sorted((folder / "services").glob(f"gisco_{code[6:]}*"))
        return found[0] if found else None
    for suffix in MIRROR_SUFFIXES:
        path = folder / "eurostat" / f"{code}{suffix}"
        if path.is_file():
            return path
    return None


def _in_mirror(
    frame: pd.DataFrame, mirror: str | Path | None
) -> pd.arrays.BooleanArray:
    """Whether the mirror holds, for each part an indicator needs, one source."""
    folder = mirror_dir(mirror)
    if folder is None:
        return pd.array([pd.NA] * len(frame), dtype="boolean")
    known = entries()
    return pd.array(
        [
            all(
                any(_mirror_file(folder, c) is not None for c in sources)
                for sources in datasets_of(known[i])
            )
            for i in frame["indicator"]
        ],
        dtype="boolean",
    )


def catalogue(
    pillar: Pillar | None = None, *, mirror: str | Path | None = None
) -> pd.DataFrame:
    """List the capacity indicator catalogue.

    Parameters
    ----------
    pillar : str, optional
        Keep only this pillar, one of :data:`PILLARS` (``"economic_resources"``,
        ``"research_innovation"``, ``"human_capital"``, ``"digital_infrastructure"``,
        ``"transport_infrastructure"``, ``"health_infrastructure"``, ``"context"``).
    mirror : str or Path, optional
        Mirror folder to check ``in_mirror`` against; default
        :func:`regiongap.config.mirror_dir` (``REGIONGAP_MIRROR``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator with the columns of :data:`CATALOGUE_COLUMNS`
        (``higher_is_better`` as nullable boolean, ``scale`` as float, NaN for
        published series) plus ``in_mirror`` (nullable boolean: for every part the
        indicator needs, the dataset or one of its fallbacks is a file in the
        mirror; ``<NA>`` with no mirror configured).

    Raises
    ------
    SchemaError
        If *pillar* is not a known pillar.
    SourceError
        If a mirror is named (argument or ``REGIONGAP_MIRROR``) but is no folder.

    Examples
    --------
    With ``REGIONGAP_MIRROR`` pointing at the shared data folder:

    >>> import regiongap as rg
    >>> digital = rg.catalogue("digital_infrastructure")
    >>> digital[["indicator", "dataset", "filters", "in_mirror"]]
                        indicator         dataset     filters  in_mirror
    0        broadband_households  isoc_r_broad_h  unit=PC_HH       True
    1  internet_access_households  isoc_r_iacc_h  unit=PC_HH       True
    >>> row = rg.catalogue().set_index("indicator").loc[
    ...     "household_primary_income_per_inhabitant"
    ... ]
    >>> row[["unit", "higher_is_better", "derivation", "denominator", "scale"]]
    unit                       EUR_HAB
    higher_is_better              True
    derivation          per_inhabitant
    denominator             population
    scale                    1000000.0
    Name: household_primary_income_per_inhabitant, dtype: object
    >>> rg.catalogue("wealth")
    Traceback (most recent call last):
    regiongap.errors.SchemaError: unknown pillar 'wealth'; pillars are [...]
    """
    frame = catalogue_table()
    if pillar is not None:
        if pillar not in PILLARS:
            msg = f"unknown pillar {pillar!r}; pillars are {list(PILLARS)}"
            raise SchemaError(msg)
        frame = frame.loc[frame["pillar"] == pillar]
    frame["higher_is_better"] = (
        frame["higher_is_better"].map({"true": True, "false": False}).astype("boolean")
    )
    frame["scale"] = pd.to_numeric(frame["scale"].replace("", None), errors="raise")
    frame["denominator"] = frame["denominator"].replace("", None)
    frame["in_mirror"] = _in_mirror(frame, mirror)
    return frame.reset_index(drop=True)


def catalogue_datasets() -> list[str]:
    """Return every Eurostat dataset code the catalogue needs, sorted.

    Returns
    -------
    list of str
        Eurostat dataset codes of all indicators, numerators and denominators
        alike (``regiongap fetch --catalogue`` downloads exactly these); the
        ``tgs`` fallbacks and GISCO layers are not among them.

    Examples
    --------
    >>> codes = catalogue_datasets()
    >>> codes[:3]
    ['demo_r_d2jan', 'demo_r_d3dens', 'demo_r_pjanaggr3']
    >>> len(codes) == len(set(codes))
    True
    """
    return sorted({e.dataset for e in entries().values() if not e.is_gisco})
