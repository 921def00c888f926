r"""Sigma and beta convergence of regions, overall and by group.

Barro, R. J. & Sala-i-Martin, X. (1992). Convergence. *Journal of Political
Economy* 100(2), 223–251; Sala-i-Martin, X. (1996). The classical approach to
convergence analysis. *Economic Journal* 106(437), 1019–1036.

**Sigma convergence** — the cross-regional dispersion of a variable falls over
time. :func:`sigma_convergence` reports, for every year and group, one of

* ``"cv"``: coefficient of variation :math:`\sigma_t/\mu_t`
  (:func:`regiongap.metrics.coefficient_of_variation`, population SD);
* ``"sd_log"``: standard deviation of logs, Barro & Sala-i-Martin's
  :math:`\sigma_t = \sqrt{\sum_i p_i(\ln y_{it} - \overline{\ln y_t})^2}`,
  :math:`p_i = w_i/\sum w`, :math:`\overline{\ln y_t} = \sum_i p_i \ln y_{it}`;
* ``"gini"``: :func:`regiongap.metrics.gini`.

**Beta convergence** — poorer regions grow faster. :func:`beta_convergence`
fits by ordinary least squares

.. math::

    g_i = \frac{\ln y_{i,t_1} - \ln y_{i,t_0}}{T} = \alpha + \beta \ln y_{i,t_0}
    + \varepsilon_i, \qquad T = t_1 - t_0,

and reports :math:`\hat\beta`, its classical standard error
:math:`\mathrm{se}(\hat\beta) = \sqrt{\frac{\sum_i \hat\varepsilon_i^2/(n-2)}
{\sum_i (x_i - \bar x)^2}}` with the two-sided *t*-test on :math:`n-2` degrees of
freedom (``scipy.stats.linregress``), the implied speed of convergence

.. math::

    \lambda = -\frac{\ln(1 + \hat\beta T)}{T}

(from :math:`\hat\beta = -(1 - e^{-\lambda T})/T`, Barro & Sala-i-Martin 1992,
eq. 11) and the half-life :math:`\ln 2/\lambda` in years (the time to close half
of the gap to the steady state). :math:`\beta < 0` means convergence. Classical
standard errors assume homoskedastic, independent errors; neighbouring regions
are spatially correlated, so read the p-value as indicative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import linregress

from regiongap.errors import MetricInputError
from regiongap.metrics.inequality import coefficient_of_variation, gini

__all__ = ["MEASURES", "Measure", "beta_convergence", "sigma_convergence"]

ALL = "all"

#: A key of :data:`MEASURES`.
Measure = Literal["cv", "sd_log", "gini"]


def _cv(y: np.ndarray, w: np.ndarray | None) -> float:
    return float(coefficient_of_variation(y, w))


def _gini(y: np.ndarray, w: np.ndarray | None) -> float:
    return float(gini(y, w))


def _sd_log(y: np.ndarray, w: np.ndarray | None) -> float:
    if (y <= 0).any():
        msg = "measure 'sd_log' needs strictly positive values (it takes logarithms)"
        raise MetricInputError(msg)
    p = np.full(len(y), 1.0 / len(y)) if w is None else w / w.sum()
    ly = np.log(y)
    return float(math.sqrt(np.dot(p, (ly - np.dot(p, ly)) ** 2)))


MEASURES: dict[str, Callable[[np.ndarray, np.ndarray | None], float]] = {
    "cv": _cv,
    "sd_log": _sd_log,
    "gini": _gini,
}
"""Registry of dispersion measures for :func:`sigma_convergence`."""


def _long(frame: pd.DataFrame, what: str = "frame") -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        msg = (
            f"{what} must be a long DataFrame geo, time, value; "
            f"got {type(frame).__name__}"
        )
        raise MetricInputError(msg)
    missing = [c for c in ("geo", "time", "value") if c not in frame.columns]
    if missing:
        msg = f"{what} is missing column(s) {missing}; it has {list(frame.columns)}"
        raise MetricInputError(msg)
    out = frame[["geo", "time", "value"]].copy()
    out["geo"] = out["geo"].astype(str)
    if isinstance(out["time"].dtype, pd.PeriodDtype):
        out["time"] = out["time"].dt.year
    out["value"] = out["value"].astype("float64")
    dup = out.duplicated(["geo", "time"], keep=False)
    if dup.any():
        rows = out.loc[dup, ["geo", "time"]].head(5).to_numpy().tolist()
        msg = f"{what} has several rows per (geo, time), e.g. {rows}; filter it first"
        raise MetricInputError(msg)
    return out


def _groups(groups: pd.Series | None, geos: pd.Index) -> pd.Series:
    """Group label of every region ('all' is added by the callers)."""
    if groups is None:
        return pd.Series(pd.NA, index=geos, dtype="object")
    if not isinstance(groups, pd.Series):
        msg = (
            "groups must be a Series geo -> label (e.g. regiongap.membership_groups "
            f"or a cohesion category); got {type(groups).__name__}"
        )
        raise MetricInputError(msg)
    g = groups.copy()
    g.index = g.index.astype(str)
    if g.index.has_duplicates:
        dups = sorted(set(g.index[g.index.duplicated()]))[:5]
        msg = f"groups has duplicated regions {dups}"
        raise MetricInputError(msg)
    labels = g.reindex(geos).astype("object")
    if (labels.astype(str) == ALL).any():
        msg = f"groups must not use the label {ALL!r}, reserved for all regions"
        raise MetricInputError(msg)
    return labels


def _prepare_weights(weights: pd.Series | pd.DataFrame | None) -> pd.Series | None:
    """Weights by ``geo`` (fixed) or by ``(geo, time)`` (a long frame)."""
    if weights is None:
        return None
    if isinstance(weights, pd.Series):
        w = weights.astype("float64")
        w.index = w.index.astype(str)
        return w
    return _long(weights, "weights").set_index(["geo", "time"])["value"]


def _weights_at(
    weights: pd.Series | None, geos: pd.Index, time: object
) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights.index, pd.MultiIndex):
        keys = pd.MultiIndex.from_arrays([geos, [time] * len(geos)])
        values = weights.reindex(keys)
    else:
        values = weights.reindex(geos)
    if values.isna().any():
        missing = list(geos[values.isna().to_numpy()][:10])
        msg = f"weights has no value in {time} for regions {missing}"
        raise MetricInputError(msg)
    return values.to_numpy(dtype="float64")


def sigma_convergence(
    frame: pd.DataFrame,
    groups: pd.Series | None = None,
    measure: Measure = "cv",
    weights: pd.Series | pd.DataFrame | None = None,
    *,
    balanced: bool = True,
) -> pd.DataFrame:
    r"""Dispersion of regional values in every year, for all regions and by group.

    Definitions and sources in the module docstring
    (:mod:`regiongap.metrics.convergence`).

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame ``geo, time, value`` (one row per region and year).
    groups : pandas.Series, optional
        Label of each region (e.g. ``"member"`` / ``"non-member"`` from
        :func:`regiongap.membership_groups`, or cohesion categories). Regions
        without a label count in ``"all"`` only.
    measure : {"cv", "sd_log", "gini"}
        Key of :data:`MEASURES`.
    weights : pandas.Series or pandas.DataFrame, optional
        Population weights: a Series by ``geo`` (the same every year) or a long
        frame ``geo, time, value`` (per year).
    balanced : bool
        ``True`` (default): keep only the regions observed in every year of
        *frame*, so that a change in dispersion is not a change in the sample.
        ``False``: each year uses the regions observed that year (see ``n``).

    Returns
    -------
    pandas.DataFrame
        Columns ``time``, ``group`` (``"all"`` then each label), ``n`` and
        ``dispersion``, sorted by group and time. ``attrs`` records the measure,
        ``balanced`` and the regions dropped by balancing.

    Raises
    ------
    MetricInputError
        Unknown measure (listing the allowed ones), wrong frame, missing
        weights, or a measure's own domain error (e.g. ``sd_log`` on zeros).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"geo": ["A", "B", "A", "B"], "time": [2000, 2000, 2010, 2010],
    ...                   "value": [1.0, 3.0, 2.0, 2.0]})
    >>> sigma_convergence(f)["dispersion"].tolist()
    [0.5, 0.0]
    """
    if measure not in MEASURES:
        msg = f"measure {measure!r} is not known; choose one of {sorted(MEASURES)}"
        raise MetricInputError(msg)
    func = MEASURES[measure]
    data = _long(frame).dropna(subset=["value"])
    if data.empty:
        msg = "frame has no observed value"
        raise MetricInputError(msg)
    years = sorted(data["time"].unique())
    dropped: list[str] = []
    if balanced:
        counts = data.groupby("geo")["time"].nunique()
        keep = counts[counts == len(years)].index
        dropped = sorted(set(counts.index) - set(keep))
        data = data[data["geo"].isin(keep)]
        if data.empty:
            msg = (
                f"no region is observed in all {len(years)} years "
                f"{years[0]}–{years[-1]}; "
                "select fewer years or pass balanced=False"
            )
            raise MetricInputError(msg)
    labels = _groups(groups, pd.Index(sorted(data["geo"].unique())))
    prepared_weights = _prepare_weights(weights)
    group_names = [ALL, *sorted({str(v) for v in labels.dropna()})]
    rows = []
    for time, year_frame in data.groupby("time", sort=True):
        year_data = year_frame.set_index("geo")["value"]
        for name in group_names:
            if name == ALL:
                sel = year_data
            else:
                members = labels[labels.astype(str) == name].index
                sel = year_data[year_data.index.isin(members)]
            if len(sel) == 0:
                value = np.nan
            else:
                value = func(
                    sel.to_numpy(), _weights_at(prepared_weights, sel.index, time)
                )
            rows.append(
                {"time": time, "group": name, "n": len(sel), "dispersion": value}
            )
    out = pd.DataFrame(rows)
    out["group"] = pd.Categorical(out["group"], categories=group_names)
    out = out.sort_values(["group", "time"]).reset_index(drop=True)
    out.attrs.update(
        {
            "measure": measure,
            "balanced": bool(balanced),
            "dropped_by_balancing": dropped,
            "weighted": weights is not None,
        }
    )
    return out


def _fit(x: np.ndarray, g: np.ndarray, T: float) -> dict[str, float]:
    n = len(x)
    nan = dict.fromkeys(
        ["beta", "se", "t", "p_value", "intercept", "r2", "speed", "half_life"], np.nan
    )
    if n < 3 or np.ptp(x) == 0:
        return {"n": n, **nan}
    fit = linregress(x, g)
    beta, se = float(fit.slope), float(fit.stderr)
    t = beta / se if se > 0 else (np.copysign(np.inf, beta) if beta else np.nan)
    base = 1.0 + beta * T
    speed = -math.log(base) / T if base > 0 else np.nan
    half_life = math.log(2) / speed if speed > 0 else np.nan
    return {
        "n": n,
        "beta": beta,
        "se": se,
        "t": t,
        "p_value": float(fit.pvalue),
        "intercept": float(fit.intercept),
        "r2": float(fit.rvalue**2),
        "speed": speed,
        "half_life": half_life,
    }


def beta_convergence(
    frame: pd.DataFrame,
    start: int,
    end: int,
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Beta convergence: regression of annualised log growth on the initial log level.

    Model, standard error, speed and half-life in the module docstring
    (:mod:`regiongap.metrics.convergence`; Barro & Sala-i-Martin 1992).

    Parameters
    ----------
    frame : pandas.DataFrame
        Long frame ``geo, time, value`` with strictly positive values.
    start, end : int
        Initial and final years, ``start < end``. Regions need a value in both.
    groups : pandas.Series, optional
        Label of each region; one regression per label besides ``"all"``.

    Returns
    -------
    pandas.DataFrame
        One row per group (``"all"`` first): ``group``, ``n``, ``start``,
        ``end``, ``beta``, ``se``, ``t``, ``p_value``, ``intercept``, ``r2``,
        ``speed`` (λ per year), ``half_life`` (years). A group with fewer than
        3 regions gets NaN statistics.

    Raises
    ------
    MetricInputError
        ``start >= end``, non-positive values, or fewer than 3 regions overall.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> y0 = np.array([1.0, 2.0, 4.0, 8.0])
    >>> y1 = np.exp(np.log(y0) + 10 * (0.05 - 0.02 * np.log(y0)))
    >>> f = pd.DataFrame({"geo": list("ABCD") * 2, "time": [2000] * 4 + [2010] * 4,
    ...                   "value": np.r_[y0, y1]})
    >>> round(float(beta_convergence(f, 2000, 2010)["beta"].iloc[0]), 10)
    -0.02
    """
    if not (isinstance(start, int | np.integer) and isinstance(end, int | np.integer)):
        msg = f"start and end must be integer years, got {start!r}, {end!r}"
        raise MetricInputError(msg)
    if start >= end:
        msg = f"start ({start}) must be before end ({end})"
        raise MetricInputError(msg)
    data = _long(frame)
    wide = data[data["time"].isin([start, end])].pivot(
        index="geo", columns="time", values="value"
    )
    for year in (start, end):
        if year not in wide.columns:
            msg = f"frame has no value for year {year}"
            raise MetricInputError(msg)
    wide = wide[[start, end]].dropna()
    bad = wide[(wide <= 0).any(axis=1)]
    if len(bad):
        msg = (
            "beta convergence takes logarithms: values must be strictly positive; "
            f"non-positive for {list(bad.index[:10])}"
        )
        raise MetricInputError(msg)
    if len(wide) < 3:
        msg = (
            f"beta convergence needs at least 3 regions with {start} and {end} "
            f"values; got {len(wide)}"
        )
        raise MetricInputError(msg)
    T = float(end - start)
    x = np.log(wide[start].to_numpy())
    g = (np.log(wide[end].to_numpy()) - x) / T
    labels = _groups(groups, wide.index)
    rows = [{"group": ALL, "start": start, "end": end, **_fit(x, g, T)}]
    for name in sorted({str(v) for v in labels.dropna()}):
        mask = (labels.astype(str) == name).to_numpy()
        rows.append(
            {"group": name, "start": start, "end": end, **_fit(x[mask], g[mask], T)}
        )
    out = pd.DataFrame(rows)
    columns = [
        "group",
        "n",
        "start",
        "end",
        "beta",
        "se",
        "t",
        "p_value",
        "intercept",
        "r2",
        "speed",
        "half_life",
    ]
    out = out[columns]
    out.attrs.update(
        {
            "model": "g = alpha + beta ln y0, OLS, classical standard errors",
            "dropped": sorted(set(data["geo"]) - set(wide.index)),
        }
    )
    return out
