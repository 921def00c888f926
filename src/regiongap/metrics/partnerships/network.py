r"""The co-membership network: regions linked by the partnerships they share.

Two regions are linked when they are members of at least one common partnership;
the link's ``weight`` is the number of partnerships they share (a one-mode
projection of the region × partnership membership; Newman 2010, *Networks: An
Introduction*, §6.6). The graph is a ``networkx.Graph`` (Hagberg, Schult &
Swart 2008, *Proc. SciPy*).

:func:`network_centrality` gives, per region,

* ``degree``: the number of distinct partner regions;
* ``degree_centrality``: ``degree`` / (*n* − 1);
* ``betweenness``: the share of shortest paths between two other regions that
  pass through it (Freeman 1977, *Sociometry* 40(1), 35–41;
  ``networkx.betweenness_centrality``, unweighted, normalised by
  :math:`(n-1)(n-2)/2`): regions that bridge partnerships.

:func:`lagging_outside` lists the lagging regions — the bottom ``share`` of the
values given (the EU-27 regions among them) — that are in no partnership at all.
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pandas as pd

from regiongap.errors import MetricInputError
from regiongap.geo.codes import is_eu27
from regiongap.membership.resolve import Membership, resolve_memberships

__all__ = ["comembership_network", "lagging_outside", "network_centrality"]


def _memberships(membership: pd.DataFrame) -> list[Membership]:
    if not isinstance(membership, pd.DataFrame):
        msg = (
            "membership must be a region × partnership matrix "
            "(regiongap.membership_matrix) or a long frame with geo and "
            f"partnership_id; got {type(membership).__name__}"
        )
        raise MetricInputError(msg)
    return resolve_memberships(membership)


def comembership_network(membership: pd.DataFrame) -> nx.Graph:
    """Link regions by the partnerships they share.

    Defined in the module docstring (:mod:`regiongap.metrics.partnerships.network`).

    Parameters
    ----------
    membership : pandas.DataFrame
        A region × partnership matrix (:func:`regiongap.membership_matrix`, 0/1
        or roles) or a long frame ``geo, partnership_id``
        (:func:`regiongap.members`). Rows of regions in no partnership (as
        ``membership_matrix(all_regions=True)`` gives) become nodes without a
        link.

    Returns
    -------
    networkx.Graph
        Nodes: region codes (attribute ``partnerships``: the ids);
        edges: attribute ``weight`` (shared partnerships) and
        ``partnerships`` (their ids).

    Raises
    ------
    MetricInputError
        A membership of another form.

    Examples
    --------
    >>> matrix = pd.DataFrame({"a": [1, 1, 0], "b": [0, 1, 1]},
    ...                       index=["AT11", "AT12", "AT13"])
    >>> g = comembership_network(matrix)
    >>> sorted(g.edges(data="weight"))
    [('AT11', 'AT12', 1), ('AT12', 'AT13', 1)]
    """
    graph = nx.Graph()
    if "geo" not in membership.columns and isinstance(membership, pd.DataFrame):
        for geo in membership.index:
            graph.add_node(str(geo), partnerships=[])
    for m in _memberships(membership):
        for geo in m.geos:
            if geo not in graph:
                graph.add_node(geo, partnerships=[])
            graph.nodes[geo]["partnerships"].append(m.partnership)
        for a, b in combinations(sorted(m.geos), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["partnerships"].append(m.partnership)
            else:
                graph.add_edge(a, b, weight=1, partnerships=[m.partnership])
    return graph


def network_centrality(membership: pd.DataFrame) -> pd.DataFrame:
    """Degree and betweenness centrality of every region in the co-membership network.

    Defined in the module docstring (:mod:`regiongap.metrics.partnerships.network`).

    Parameters
    ----------
    membership : pandas.DataFrame
        As :func:`comembership_network`.

    Returns
    -------
    pandas.DataFrame
        Index ``geo``, most central (betweenness) first: ``n_partnerships``,
        ``degree``, ``degree_centrality``, ``betweenness``. ``attrs``:
        ``n_regions``, ``n_links``, ``n_components``.

    Raises
    ------
    MetricInputError
        A membership of another form.

    Examples
    --------
    >>> matrix = pd.DataFrame({"a": [1, 1, 0], "b": [0, 1, 1]},
    ...                       index=["AT11", "AT12", "AT13"])
    >>> network_centrality(matrix)[["n_partnerships", "degree", "betweenness"]]
          n_partnerships  degree  betweenness
    geo
    AT12               2       2          1.0
    AT11               1       1          0.0
    AT13               1       1          0.0
    """
    graph = comembership_network(membership)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    degree_c = (
        nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    )
    out = pd.DataFrame(
        {
            "n_partnerships": [len(graph.nodes[g]["partnerships"]) for g in graph],
            "degree": [graph.degree(g) for g in graph],
            "degree_centrality": [degree_c[g] for g in graph],
            "betweenness": [betweenness[g] for g in graph],
        },
        index=pd.Index(list(graph), name="geo"),
    )
    out = out.reset_index().sort_values(
        ["betweenness", "degree", "geo"], ascending=[False, False, True]
    )
    out = out.set_index("geo")
    out.attrs.update(
        {
            "n_regions": graph.number_of_nodes(),
            "n_links": graph.number_of_edges(),
            "n_components": nx.number_connected_components(graph) if len(graph) else 0,
        }
    )
    return out


def lagging_outside(
    values: pd.Series,
    membership: pd.DataFrame,
    *,
    share: float = 0.25,
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Lagging regions that are in no partnership at all.

    Parameters
    ----------
    values : pandas.Series
        One value per region, indexed by ``geo`` (e.g. the capacity index);
        the EU-27 regions among them are compared.
    membership : pandas.DataFrame
        As :func:`comembership_network`.
    share : float, default 0.25
        The bottom share of regions called lagging, in (0, 1).
    higher_is_better : bool, default True
        Direction of the values.

    Returns
    -------
    pandas.DataFrame
        Index ``geo``, furthest behind first: ``value``, ``rank_from_bottom``.
        ``attrs``: ``threshold`` (the value at the share), ``n_lagging``,
        ``n_outside``, ``share``.

    Raises
    ------
    MetricInputError
        Values that are not a Series, fewer than 2 EU-27 regions with a value,
        or a share outside (0, 1).

    Examples
    --------
    >>> v = pd.Series({"AT11": 1.0, "AT12": 2.0, "AT13": 3.0, "AT21": 4.0})
    >>> matrix = pd.DataFrame({"a": [1, 1]}, index=["AT12", "AT21"])
    >>> lagging_outside(v, matrix, share=0.5).index.tolist()
    ['AT11']
    """
    if not (isinstance(share, int | float) and 0 < share < 1):
        msg = f"share must be in (0, 1), got {share!r}"
        raise MetricInputError(msg)
    if not isinstance(values, pd.Series):
        msg = f"values must be a Series indexed by geo, got {type(values).__name__}"
        raise MetricInputError(msg)
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    x.index = pd.Index([str(g) for g in values.index], name="geo")
    x = x[[is_eu27(g) for g in x.index]].dropna()
    if len(x) < 2:
        msg = f"fewer than 2 EU-27 regions have a value ({len(x)})"
        raise MetricInputError(msg)
    behind = x if higher_is_better else -x
    threshold = float(behind.quantile(share))
    lagging = behind[behind <= threshold].sort_values(kind="stable")
    in_any = {g for m in _memberships(membership) for g in m.geos}
    outside = [g for g in lagging.index if g not in in_any]
    out = pd.DataFrame(
        {
            "value": x[outside],
            "rank_from_bottom": behind.rank(method="min")[outside].astype(int),
        },
        index=pd.Index(outside, name="geo"),
    )
    out.attrs.update(
        {
            "threshold": threshold if higher_is_better else -threshold,
            "n_lagging": len(lagging),
            "n_outside": len(outside),
            "share": float(share),
        }
    )
    return out
