r"""Rank mobility over periods, and partnership members against the other regions.

:func:`rank_mobility` measures how much the regions' order changes between two
years with Kendall's rank correlation (Kendall 1938, *Biometrika* 30, 81–93;
``giddy.rank.Tau``; Rey 2004, *Journal of Regional Science* 44(1), 143–166):

.. math::

    \tau = \frac{n_c - n_d}{\sqrt{(n_0 - n_1)(n_0 - n_2)}},

with :math:`n_c`, :math:`n_d` the concordant and discordant pairs and the
denominator corrected for ties (Kendall's :math:`\tau_b`). 1 = no region
overtook another; lower = more reshuffling.

:func:`mobility_by_group` asks whether a partnership's members move differently
from the other regions: the quantile classes are cut on **every** region's values
each year (:func:`regiongap.metrics.dynamics.transition_matrix`), and the
transitions of the members and of the others are counted apart, each with its
Shorrocks index :math:`(k - \operatorname{tr} P)/(k - 1)`, the share of
bottom-class region-years that stay in the bottom class, the shares of moves up
and down, and Kendall's :math:`\tau` between the first and the last year.
Gaps are treated as in :mod:`regiongap.metrics.dynamics` (regions left out, named).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from giddy.mobility import markov_mobility

from regiongap.errors import MembershipError, MetricInputError
from regiongap.membership.resolve import (
    MembershipInput,
    infer_level,
    resolve_membership,
)
from regiongap.metrics._series import warn_gaps, wide_series
from regiongap.metrics.dynamics import kendall_tau, markov_of, transition_matrix

__all__ = ["mobility_by_group", "rank_mobility"]


def rank_mobility(
    series: pd.DataFrame,
    *,
    years: tuple[int, int] | None = None,
    step: int = 1,
) -> pd.DataFrame:
    """Measure rank mobility: Kendall's tau between the start and end of periods.

    Defined in the module docstring (:mod:`regiongap.metrics.mobility`).

    Parameters
    ----------
    series : pandas.DataFrame
        A long frame ``geo, time, value`` or a wide frame, regions × years, as
        :func:`regiongap.metrics.dynamics.transition_matrix`.
    years : tuple of int, optional
        First and last year of the window.
    step : int, default 1
        Length of each period in years; a last row compares the first and the
        last year of the window.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``start, end, kendall_tau, p_value, n_regions``;
        the last row is the whole window. ``attrs["left_out"]``: regions with a
        gap, left out.

    Raises
    ------
    MetricInputError
        As :func:`~regiongap.metrics.dynamics.transition_matrix`, or a ``step``
        that is not a positive integer.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out because of a gap.

    Examples
    --------
    >>> wide = pd.DataFrame({2000: [1.0, 2.0, 3.0], 2001: [1.0, 3.0, 2.0],
    ...                      2002: [1.0, 2.0, 3.0]}, index=["A", "B", "C"])
    >>> rank_mobility(wide)[["start", "end", "kendall_tau"]].round(3)
       start   end  kendall_tau
    0   2000  2001        0.333
    1   2001  2002        0.333
    2   2000  2002        1.000
    """
    if isinstance(step, bool) or not isinstance(step, int | np.integer) or step < 1:
        msg = f"step must be a positive integer (years), got {step!r}"
        raise MetricInputError(msg)
    wide, left = wide_series(series, years)
    if len(wide) < 2:
        msg = (
            "rank mobility needs at least 2 regions with a complete series, "
            f"got {len(wide)}"
        )
        raise MetricInputError(msg)
    warn_gaps(left)
    cols = [int(c) for c in wide.columns]
    pairs = [
        (y, y + int(step))
        for y in range(cols[0], cols[-1] - int(step) + 1, int(step))
        if y in set(cols) and y + int(step) in set(cols)
    ]
    pairs.append((cols[0], cols[-1]))
    rows = []
    for start, end in pairs:
        tau, p = kendall_tau(wide[start].to_numpy(), wide[end].to_numpy())
        rows.append(
            {
                "start": int(start),
                "end": int(end),
                "kendall_tau": tau,
                "p_value": p,
                "n_regions": len(wide),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["left_out"] = left
    return out


def _group_row(name: str, classes: pd.DataFrame, wide: pd.DataFrame, k: int) -> dict:
    ids = classes.to_numpy(dtype="int64") - 1
    counts, p, _ = markov_of(ids, k)
    moves = counts.sum()
    up = np.triu(counts, 1).sum()
    down = np.tril(counts, -1).sum()
    bottom = counts[0].sum()
    tau = (
        kendall_tau(wide.iloc[:, 0].to_numpy(), wide.iloc[:, -1].to_numpy())[0]
        if len(wide) > 1
        else float("nan")
    )
    return {
        "group": name,
        "n_regions": len(classes),
        "shorrocks": float(markov_mobility(p, measure="P")),
        "stay_bottom": float(counts[0, 0] / bottom) if bottom else float("nan"),
        "moved_up": float(up / moves) if moves else float("nan"),
        "moved_down": float(down / moves) if moves else float("nan"),
        "kendall_tau": tau,
    }


def mobility_by_group(
    series: pd.DataFrame,
    partnership: str | None = None,
    *,
    membership: MembershipInput | None = None,
    k: int = 5,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Mobility of a partnership's members against the other regions.

    Defined in the module docstring (:mod:`regiongap.metrics.mobility`).

    Parameters
    ----------
    series : pandas.DataFrame
        As :func:`regiongap.metrics.dynamics.transition_matrix`.
    partnership : str, optional
        Partnership id, resolved with :func:`regiongap.members` at the NUTS
        level of *series*.
    membership : pandas.DataFrame, pandas.Series or list of str, optional
        Members given directly.
    k : int, default 5
        Number of quantile classes.
    years : tuple of int, optional
        First and last year of the window.

    Returns
    -------
    pandas.DataFrame
        Index ``members``, ``other regions``: ``n_regions, shorrocks,
        stay_bottom, moved_up, moved_down, kendall_tau``. ``attrs``:
        ``partnership``, ``member_list``, ``years``, ``k``, ``left_out``,
        ``members_without_series``.

    Raises
    ------
    MembershipError
        Unknown partnership, or no member with a complete series.
    MetricInputError
        As :func:`~regiongap.metrics.dynamics.transition_matrix`.

    Warns
    -----
    DataQualityWarning
        Naming the regions left out because of a gap.

    Examples
    --------
    >>> wide = pd.DataFrame({2000: [1.0, 2.0, 3.0, 4.0], 2001: [2.0, 1.0, 3.0, 4.0]},
    ...                     index=["A", "B", "C", "D"])
    >>> mobility_by_group(wide, membership=["A", "B"], k=2)["shorrocks"].tolist()
    [0.0, 0.0]
    """
    chain = transition_matrix(series, k=k, years=years)
    classes = chain.classes
    members = resolve_membership(
        partnership, membership, level=infer_level(classes.index)
    )
    inside = [g for g in members.geos if g in classes.index]
    if not inside:
        msg = (
            f"no member of {members.partnership or 'the group'!r} has a complete "
            f"series; members: {members.geos[:10]}"
        )
        raise MembershipError(msg)
    outside = [g for g in classes.index if g not in set(inside)]
    wide, _ = wide_series(series, chain.years)
    rows = [_group_row("members", classes.loc[inside], wide.loc[inside], int(k))]
    if outside:
        rows.append(
            _group_row("other regions", classes.loc[outside], wide.loc[outside], k)
        )
    out = pd.DataFrame(rows).set_index("group")
    out.attrs.update(
        {
            "partnership": members.partnership,
            "member_list": members.member_list,
            "years": chain.years,
            "k": int(k),
            "left_out": chain.left_out,
            "members_without_series": [g for g in members.geos if g not in inside],
        }
    )
    return out
