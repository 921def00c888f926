"""SALib's Sobol sampling and estimators, wrapped once for the sensitivity analysis.

:func:`sobol_problem` turns named bounds (and groups) into SALib's problem,
:func:`check_base` refuses a base sample Saltelli sampling cannot use, and
:func:`analyse` runs ``SALib.analyze.sobol`` quietly on one output (a constant
output has all indices 0).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
from SALib.analyze import sobol as sobol_analyze

from regiongap.errors import MetricInputError

__all__ = ["MIN_BASE", "analyse", "check_base", "input_labels", "sobol_problem"]

#: Smallest base sample accepted (Saltelli sampling needs a power of 2).
MIN_BASE = 64


def check_base(n_base: int) -> int:
    """Return *n_base* if Saltelli sampling can use it (a power of 2, ≥ 64).

    Examples
    --------
    >>> check_base(128)
    128
    """
    ok = isinstance(n_base, int | np.integer) and not isinstance(n_base, bool)
    if not ok or n_base < MIN_BASE or n_base & (n_base - 1):
        msg = (
            f"n_base={n_base!r}: Saltelli sampling needs a base sample that is a power "
            f"of 2 and at least {MIN_BASE} (e.g. 64, 128, 256, 1024); the model runs "
            "N × (number of inputs + 2) times"
        )
        raise MetricInputError(msg)
    return int(n_base)


def sobol_problem(
    bounds: Mapping[str, tuple[float, float]], groups: Mapping[str, str] | None
) -> dict[str, object]:
    """Return SALib's problem for named uniform *bounds* (and optional groups).

    Examples
    --------
    >>> sobol_problem({"a": (0, 1)}, None)["bounds"]
    [[0.0, 1.0]]
    """
    if not bounds:
        msg = "bounds has no input; give {name: (low, high)}"
        raise MetricInputError(msg)
    names = list(bounds)
    for name, (lo, hi) in bounds.items():
        if not float(lo) < float(hi):
            msg = f"bounds of {name!r} must be low < high, got {(lo, hi)!r}"
            raise MetricInputError(msg)
    problem: dict[str, object] = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[float(lo), float(hi)] for lo, hi in bounds.values()],
    }
    if groups is not None:
        missing = [n for n in names if n not in groups]
        if missing:
            msg = f"groups has no group for input(s) {missing}"
            raise MetricInputError(msg)
        problem["groups"] = [str(groups[n]) for n in names]
    return problem


def input_labels(problem: Mapping[str, object]) -> list[str]:
    """Return the names the indices are given for: the groups, else the inputs.

    Examples
    --------
    >>> input_labels(sobol_problem({"a": (0, 1), "b": (0, 1)}, {"a": "g", "b": "g"}))
    ['g']
    """
    labels = problem.get("groups") or problem["names"]
    return list(dict.fromkeys(str(n) for n in labels))  # type: ignore[attr-defined]  # a list of str


def analyse(
    problem: dict[str, object], y: np.ndarray, seed: int, resamples: int = 100
) -> dict[str, np.ndarray]:
    """Return S1, ST and their confidence half-widths of one output *y*.

    Examples
    --------
    >>> analyse(sobol_problem({"a": (0, 1)}, None), np.ones(192), 0)["ST"]
    array([0.])
    """
    n_groups = len(input_labels(problem))
    if float(np.var(y)) == 0.0:
        zeros = np.zeros(n_groups)
        return {"S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros}
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        result = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            seed=seed,
            print_to_console=False,
        )
    return {
        k: np.asarray(result[k], dtype="float64")
        for k in ("S1", "S1_conf", "ST", "ST_conf")
    }
