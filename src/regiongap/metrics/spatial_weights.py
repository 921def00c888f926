r"""Who neighbours whom: contiguity weights of NUTS regions, with an island policy.

Spatial statistics (:mod:`regiongap.metrics.spatial`, the neighbour scale of
:mod:`regiongap.metrics.multiscalar`, spatial Markov chains in
:mod:`regiongap.metrics.dynamics`) need to know which regions are neighbours.
:func:`region_weights` builds **contiguity** weights from the regions' shapes with
libpysal (Rey & Anselin 2007, *PySAL: A Python Library of Spatial Analytical
Methods*, Review of Regional Studies 37(1)): two regions are neighbours when their
boundaries share at least a point (``"queen"``) or a segment (``"rook"``). The
weights are row-standardised,

.. math::

    w_{ij} = \frac{c_{ij}}{\sum_k c_{ik}}, \qquad c_{ij} \in \{0, 1\},

so that the spatial lag :math:`\sum_j w_{ij} x_j` is the mean of a region's
neighbours.

**Islands.** Europe has regions without a land neighbour among the NUTS regions
of the EU-27: Malta (``MT00``), Cyprus (``CY00``), the Balearic and Canary Islands
(``ES53``, ``ES70``), Ceuta and Melilla (``ES63``, ``ES64``, whose only land
neighbour is Morocco), Corsica (``FRM0``), the French outermost regions
(``FRY1``–``FRY5``), the Açores and Madeira (``PT20``, ``PT30``), Åland
(``FI20``), Sicily and Sardinia (``ITG1``, ``ITG2``) and four Greek island
regions. A region without a neighbour has no spatial lag, so the caller chooses,
and the output says which:

* ``islands="knn"``: each island is linked to its *k* nearest regions, by the
  distance between centroids in the ETRS89-LAEA projection (EPSG:3035); every
  link is made in both directions so that the weights stay symmetric before
  row-standardisation;
* ``islands="drop"``: islands are left out of the weights (and so of every
  statistic built on them), and named in :attr:`RegionWeights.left_out`.

Without a policy, a region set with islands is an error naming them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from libpysal.weights import Queen, Rook, W

from regiongap.errors import MetricInputError

__all__ = ["CONTIGUITY", "IslandPolicy", "RegionWeights", "region_weights", "str_ids"]

#: What to do with regions that have no land neighbour.
IslandPolicy = Literal["knn", "drop"]
#: Contiguity rules: shared point (queen) or shared edge (rook).
CONTIGUITY = {"queen": Queen, "rook": Rook}


@dataclass(frozen=True)
class RegionWeights:
    """Row-standardised spatial weights of regions, and how islands were treated.

    Parameters
    ----------
    w : libpysal.weights.W
        The weights, ids = region codes, row-standardised (``transform="r"``).
    contiguity : {"queen", "rook"}
        The contiguity rule.
    policy : {"knn", "drop"} or None
        The island policy (None when there was no island).
    k : int
        Number of links of each island under ``"knn"``.
    islands : list of str
        Regions without a contiguous neighbour.
    links : dict of str to list of str
        Under ``"knn"``: the regions each island was linked to.
    left_out : list of str
        Regions not in :attr:`w` (islands under ``"drop"``).

    Notes
    -----
    Under ``"knn"`` an island's nearest region may be another island (Malta and
    Sicily, Guadeloupe and Martinique): :attr:`links` says which.

    Examples
    --------
    >>> import regiongap as rg
    >>> rw = region_weights(rg.nuts_regions(level=2), islands="knn")
    >>> rw.links["MT00"], rw.w.n
    (['ITG1'], 333)
    """

    w: W
    contiguity: str
    policy: str | None
    k: int
    islands: list[str] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)

    @property
    def geos(self) -> list[str]:
        """The regions in the weights, in their order."""
        return [str(g) for g in self.w.id_order]

    def describe(self) -> str:
        """Say in one sentence how the weights were made (for an output's notes).

        Returns
        -------
        str
            Contiguity, number of regions and the island policy applied.

        Examples
        --------
        >>> import regiongap as rg
        >>> shapes = rg.nuts_regions(level=2)
        >>> rw = region_weights(shapes[shapes["country"].isin(["IT", "MT"])],
        ...                     islands="drop")
        >>> rw.describe()
        'queen contiguity, 19 regions; 3 island(s) without a land neighbour left out: ITG1, ITG2, MT00'
        """  # noqa: E501 - a doctest's output is one line
        text = f"{self.contiguity} contiguity, {self.w.n} regions"
        if not self.islands:
            return text + "; no island"
        names = ", ".join(self.islands)
        if self.policy == "knn":
            return (
                f"{text}; {len(self.islands)} island(s) without a land neighbour "
                f"linked to their {self.k} nearest region(s): {names}"
            )
        return (
            f"{text}; {len(self.islands)} island(s) without a land neighbour "
            f"left out: {names}"
        )

    def __repr__(self) -> str:
        return f"RegionWeights({self.describe()})"


def _check_shapes(shapes: pd.DataFrame) -> list[str]:
    if not isinstance(shapes, pd.DataFrame) or "geometry" not in shapes.columns:
        msg = (
            "shapes must be a GeoDataFrame of regions with a geo and a geometry "
            "column (e.g. regiongap.nuts_regions(level=2)); got "
            f"{type(shapes).__name__}"
        )
        raise MetricInputError(msg)
    if "geo" not in shapes.columns:
        msg = f"shapes has no geo column; it has {list(shapes.columns)}"
        raise MetricInputError(msg)
    geos = [str(g) for g in shapes["geo"]]
    dups = sorted({g for g in geos if geos.count(g) > 1})
    if dups:
        msg = f"shapes has duplicated regions {dups[:10]}"
        raise MetricInputError(msg)
    empty = [g for g, geom in zip(geos, shapes.geometry, strict=True) if geom is None]
    if empty:
        msg = f"shapes has regions without a geometry: {empty[:10]}"
        raise MetricInputError(msg)
    return geos


def _nearest(shapes: pd.DataFrame, geos: list[str], island: str, k: int) -> list[str]:
    """Return the *k* regions nearest to *island* (centroids in EPSG:3035)."""
    projected = shapes.geometry.to_crs(3035) if shapes.crs is not None else None
    points = (projected if projected is not None else shapes.geometry).centroid
    xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    i = geos.index(island)
    dist = np.hypot(*(xy - xy[i]).T)
    dist[i] = np.inf
    order = np.argsort(dist, kind="stable")[:k]
    return [geos[j] for j in order]


def _knn_links(
    shapes: pd.DataFrame,
    geos: list[str],
    neighbours: dict[str, list[str]],
    islands: list[str],
    k: int,
) -> dict[str, list[str]]:
    links = {isl: _nearest(shapes, geos, isl, k) for isl in islands}
    for isl, near in links.items():
        for other in near:
            if other not in neighbours[isl]:
                neighbours[isl].append(other)
            if isl not in neighbours[other]:
                neighbours[other].append(isl)
    return links


def region_weights(
    shapes: pd.DataFrame,
    *,
    islands: IslandPolicy | None = None,
    k: int = 1,
    contiguity: Literal["queen", "rook"] = "queen",
) -> RegionWeights:
    """Contiguity weights of the regions in *shapes*, with an explicit island policy.

    The rules and the island policy are in the module docstring
    (:mod:`regiongap.metrics.spatial_weights`).

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        Regions with a ``geo`` and a ``geometry`` column, e.g.
        :func:`regiongap.nuts_regions` (select the regions first, e.g. the
        EU-27's).
    islands : {"knn", "drop"}, optional
        What to do with regions that have no contiguous neighbour; required when
        there is one.
    k : int, default 1
        Number of nearest regions each island is linked to under ``"knn"``.
    contiguity : {"queen", "rook"}, default "queen"
        Shared point or shared edge.

    Returns
    -------
    RegionWeights
        The row-standardised weights and the record of the island policy.

    Raises
    ------
    MetricInputError
        Shapes without ``geo``/``geometry``, duplicated regions, an unknown
        policy or contiguity, ``k`` < 1, or islands and no policy (naming them).

    Examples
    --------
    >>> import regiongap as rg
    >>> shapes = rg.nuts_regions(level=2)
    >>> eu = shapes[shapes["geo"].map(rg.is_eu27)]
    >>> region_weights(eu)
    Traceback (most recent call last):
    regiongap.errors.MetricInputError: 21 region(s) have no contiguous neighbour: CY00, EL41, ... choose islands='knn' (link each to its k nearest regions) or islands='drop' (leave them out)
    >>> rw = region_weights(eu, islands="drop")
    >>> rw.w.n, len(rw.left_out), rw.w.neighbors["AT13"]
    (221, 21, ['AT12'])
    """  # noqa: E501 - a doctest's traceback is one line
    if contiguity not in CONTIGUITY:
        msg = (
            f"contiguity {contiguity!r} is not known; choose one of {list(CONTIGUITY)}"
        )
        raise MetricInputError(msg)
    if islands is not None and islands not in ("knn", "drop"):
        msg = f"islands={islands!r} is not a policy; choose 'knn', 'drop' or None"
        raise MetricInputError(msg)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        msg = f"k must be a positive integer, got {k!r}"
        raise MetricInputError(msg)
    geos = _check_shapes(shapes)
    frame = shapes.reset_index(drop=True)
    base = CONTIGUITY[contiguity].from_dataframe(
        frame, ids=geos, use_index=False, silence_warnings=True
    )
    neighbours = {str(g): [str(n) for n in base.neighbors[g]] for g in geos}
    alone = [g for g in geos if not neighbours[g]]
    links: dict[str, list[str]] = {}
    left_out: list[str] = []
    if alone and islands is None:
        msg = (
            f"{len(alone)} region(s) have no contiguous neighbour: "
            f"{', '.join(alone)}; choose islands='knn' (link each to its k nearest "
            "regions) or islands='drop' (leave them out)"
        )
        raise MetricInputError(msg)
    if alone and islands == "knn":
        links = _knn_links(frame, geos, neighbours, alone, int(k))
    elif alone:
        left_out = alone
        neighbours = {g: n for g, n in neighbours.items() if g not in set(alone)}
    order = [g for g in geos if g in neighbours]
    if not order:
        msg = f"no region is left once the islands are left out: {alone}"
        raise MetricInputError(msg)
    w = W(neighbours, id_order=order, silence_warnings=True)
    w.transform = "r"
    return RegionWeights(
        w=w,
        contiguity=contiguity,
        policy=islands if alone else None,
        k=int(k),
        islands=alone,
        links=links,
        left_out=left_out,
    )


def str_ids(w: W) -> W:
    """Return *w* with its ids as strings (region codes), unchanged if they are.

    Parameters
    ----------
    w : libpysal.weights.W
        Spatial weights.

    Returns
    -------
    libpysal.weights.W
        The same neighbours and weights, keyed by ``str(id)``.

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> str_ids(lat2W(1, 2)).neighbors
    {'0': ['1'], '1': ['0']}
    """
    if all(isinstance(g, str) for g in w.id_order):
        return w
    neighbours = {str(g): [str(n) for n in w.neighbors[g]] for g in w.id_order}
    weights = {str(g): list(w.weights[g]) for g in w.id_order}
    return W(neighbours, weights, id_order=[str(g) for g in w.id_order])
