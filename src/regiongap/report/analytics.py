"""The partnership pages' analytics, computed once per build from regiongap.metrics.

:func:`add_analytics` fills the tables of :class:`~regiongap.report.data.ReportData`
that the partnership pages draw:

* ``clusters`` — local Moran (LISA) clusters of the capacity index over the
  EU-27 regions with an index value (:func:`regiongap.metrics.spatial.lisa_clusters`,
  :data:`PERMUTATIONS` seeded permutations, Benjamini–Hochberg correction at 5 %),
  on queen contiguity weights whose islands are linked to their nearest region
  (:func:`regiongap.metrics.spatial_weights.region_weights`, ``islands="knn"``);
  the global Moran's I and the weights' description go to ``analytics``;
* ``mobility`` — how the members of each partnership move between the quintile
  classes of GDP per inhabitant (PPS) over the report's years, against all other
  regions (:func:`regiongap.metrics.mobility.mobility_by_group`: Shorrocks index,
  share staying in the bottom fifth, moves up and down, Kendall's tau);
* ``sensitivity`` — first- and total-order Sobol indices of every region's rank
  with respect to the index's assumptions (normalisation, aggregation, pillar
  weights, imputation, coverage threshold;
  :func:`regiongap.metrics.composite.sensitivity.index_sensitivity`,
  :data:`~regiongap.report.data.SENSITIVITY_BASE` base samples), with the number
  of runs and the convergence of the estimates in ``analytics``;
* ``mentors``, ``collective``, ``complementary`` — per partnership with at least
  two members with pillar scores: mentor pairs
  (:func:`regiongap.metrics.partnerships.matchmaking.mentor_pairs`), the best
  member's score per pillar against the EU-27's top decile
  (:func:`~regiongap.metrics.partnerships.matchmaking.collective_profile`) and
  the regions outside the partnership strongest where it lacks
  (:func:`regiongap.metrics.partnerships.complementary.complementary_candidates`,
  :data:`CANDIDATES` of them).

Every warning the metrics raise (e.g. regions left out) is kept in
``analytics["notes"]`` for the pages, not printed.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from regiongap.errors import RegiongapError
from regiongap.metrics.composite.sensitivity import index_sensitivity
from regiongap.metrics.mobility import mobility_by_group
from regiongap.metrics.partnerships.complementary import complementary_candidates
from regiongap.metrics.partnerships.matchmaking import collective_profile, mentor_pairs
from regiongap.metrics.spatial import lisa_clusters, morans_i
from regiongap.metrics.spatial_weights import region_weights
from regiongap.report.data import SENSITIVITY_BASE, ReportData, index_settings

__all__ = [
    "CANDIDATES",
    "CLUSTER_COLUMNS",
    "MOBILITY_CLASSES",
    "MOBILITY_COLUMNS",
    "PERMUTATIONS",
    "SEED",
    "add_analytics",
]

#: Permutations of the local and global Moran tests.
PERMUTATIONS = 999
#: Seed of every random step.
SEED = 0
#: Columns of ``ReportData.clusters`` (index ``geo``).
CLUSTER_COLUMNS = ["value", "lag", "local_i", "quadrant", "p_sim", "p_fdr", "cluster"]
#: Complementary candidates kept per partnership.
CANDIDATES = 5
#: Quantile classes of the mobility analysis (quintiles).
MOBILITY_CLASSES = 5
#: Columns of ``ReportData.mobility``.
MOBILITY_COLUMNS = [
    "partnership",
    "group",
    "n_regions",
    "shorrocks",
    "stay_bottom",
    "moved_up",
    "moved_down",
    "kendall_tau",
]


def _spatial(data: ReportData, notes: list[str]) -> dict[str, Any]:
    """LISA clusters of the index into ``data.clusters``; return Moran's I."""
    index = data.scores["index"].dropna()
    index.index = index.index.astype(str)
    shapes = data.shapes
    shapes = shapes[shapes["geo"].astype(str).isin(index.index)]
    weights = region_weights(shapes, islands="knn", k=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        moran = morans_i(index, weights, permutations=PERMUTATIONS, seed=SEED)
        clusters = lisa_clusters(index, weights, permutations=PERMUTATIONS, seed=SEED)
    notes.extend(str(w.message) for w in caught)
    clusters = clusters[CLUSTER_COLUMNS].copy()
    clusters["cluster"] = clusters["cluster"].astype(str)
    clusters["quadrant"] = clusters["quadrant"].astype(str)
    clusters.attrs = {}
    data.clusters = clusters
    return {
        "morans_i": moran.i,
        "expected": moran.expected,
        "z_sim": moran.z_sim,
        "p_sim": moran.p_sim,
        "n": moran.n,
        "permutations": PERMUTATIONS,
        "seed": SEED,
        "weights": weights.describe(),
        "left_out": sorted(moran.left_out),
    }


def _mobility(data: ReportData, notes: list[str]) -> dict[str, Any]:
    """Members against other regions per partnership into ``data.mobility``."""
    series = data.gdp_series[["geo", "time", "value"]].copy()
    series["time"] = pd.to_numeric(series["time"]).astype(int)
    series = series.dropna(subset=["value"])
    parts = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for pid, rows in data.members.groupby("partnership_id", sort=False):
            members = rows[["geo", "role"]].drop_duplicates("geo")
            try:
                table = mobility_by_group(
                    series, membership=members, k=MOBILITY_CLASSES
                )
            except RegiongapError as exc:
                notes.append(f"mobility of {pid}: {exc}")
                continue
            table = table.reset_index().rename(columns={"index": "group"})
            table.insert(0, "partnership", str(pid))
            parts.append(table)
    notes.extend(sorted({str(w.message) for w in caught}))
    data.mobility = (
        pd.concat(parts, ignore_index=True)[MOBILITY_COLUMNS]
        if parts
        else pd.DataFrame(columns=MOBILITY_COLUMNS)
    )
    data.mobility.attrs = {}
    years = sorted(series["time"].unique())
    return {
        "indicator": "gdp_pps_per_inhabitant",
        "years": [int(years[0]), int(years[-1])] if years else [],
        "classes": MOBILITY_CLASSES,
    }


def _sensitivity(data: ReportData, notes: list[str]) -> dict[str, Any]:
    """Sobol indices of every region's rank into ``data.sensitivity``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = index_sensitivity(
            data.panel,
            data.framework,
            index_settings(),
            n_base=SENSITIVITY_BASE,
            seed=SEED,
        )
    notes.extend(sorted({str(w.message) for w in caught}))
    table = result.table()
    table["geo"] = table["geo"].astype(str)
    table.attrs = {}
    data.sensitivity = table
    return {
        "n_runs": result.n_runs,
        "n_base": result.n_base,
        "seed": result.seed,
        "convergence": result.convergence.to_dict(orient="index"),
        "fixed": {str(k): str(v) for k, v in result.fixed.items()},
        "left_out": dict(result.left_out),
    }


def _one_partnership(
    data: ReportData, pid: str, members: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Mentor pairs, collective profile and complementary candidates of one."""
    pillars = data.pillars
    pairs = mentor_pairs(pillars, membership=members)
    collective = collective_profile(pillars, membership=members).reset_index()
    candidates = complementary_candidates(
        pillars, membership=members, index=data.scores["index"], n=CANDIDATES
    )
    notes = list(candidates.attrs.get("notes", []))
    candidates = candidates.reset_index()
    candidates["note"] = "; ".join(str(n) for n in notes)
    parts = []
    for frame in (pairs, collective, candidates):
        frame = frame.copy()
        frame.attrs = {}
        frame.insert(0, "partnership", pid)
        parts.append(frame)
    return parts[0], parts[1], parts[2]


def _matchmaking(data: ReportData, notes: list[str]) -> dict[str, Any]:
    """Mentor pairs, collective profiles and complementary candidates, each one."""
    found: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    scored = set(data.pillars.dropna(how="all").index.astype(str))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for pid, rows in data.members.groupby("partnership_id", sort=False):
            members = rows[["geo", "role"]].drop_duplicates("geo")
            if members["geo"].astype(str).isin(scored).sum() < 2:
                notes.append(f"matchmaking of {pid}: fewer than 2 members with scores")
                continue
            try:
                found.append(_one_partnership(data, str(pid), members))
            except RegiongapError as exc:
                notes.append(f"matchmaking of {pid}: {exc}")
    notes.extend(sorted({str(w.message) for w in caught}))
    for i, name in enumerate(("mentors", "collective", "complementary")):
        parts = [f[i] for f in found]
        setattr(
            data, name, pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        )
    return {"partnerships": len(found), "candidates": CANDIDATES}


def add_analytics(data: ReportData) -> ReportData:
    """Compute the partnership pages' analytics into *data* (once per build).

    Parameters
    ----------
    data : ReportData
        The report tables with the index, ranks and members computed.

    Returns
    -------
    ReportData
        The same object, with ``clusters``, ``mobility``, ``sensitivity``,
        ``mentors``, ``collective``, ``complementary`` and ``analytics`` filled. An
        analysis that cannot be made (e.g. too few regions) leaves its table
        empty and its reason in ``analytics["failed"]``.
    """
    notes: list[str] = []
    failed: dict[str, str] = {}
    out: dict[str, Any] = {}
    steps = (
        ("spatial", _spatial),
        ("mobility", _mobility),
        ("sensitivity", _sensitivity),
        ("matchmaking", _matchmaking),
    )
    for name, step in steps:
        try:
            out[name] = step(data, notes)
        except RegiongapError as exc:
            failed[name] = str(exc)
    data.analytics = {**out, "notes": notes, "failed": failed}
    return data
