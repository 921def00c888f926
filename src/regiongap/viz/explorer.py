"""A small explorer for JupyterLab: a partnership and an indicator, shown three ways.

:func:`explore` returns an :class:`Explorer`, an ipywidgets box with two drop-downs
(partnership, indicator) above a map of the indicator with the members outlined,
the gap chart of the members and the member table. Changing a drop-down redraws the
three; the figures and the table of the current choice are also attributes
(:attr:`Explorer.map_figure`, :attr:`Explorer.gap_figure`, :attr:`Explorer.table`),
so a script or a test can drive the explorer without a browser.

The data are read once, when the explorer is made: the panel (:func:`regiongap.panel`),
the boundaries (:func:`regiongap.nuts_regions`), the registry and the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from regiongap.errors import SchemaError
from regiongap.indicators.catalogue import catalogue
from regiongap.indicators.panel import panel as read_panel
from regiongap.load.boundaries import nuts_regions
from regiongap.membership.registry import members, partnerships
from regiongap.schema import Level, check_level
from regiongap.viz.charts.gaps import gap_chart
from regiongap.viz.maps import choropleth

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas as gpd
    import ipywidgets
    import plotly.graph_objects as go

__all__ = ["Explorer", "explore"]

_TABLE_COLUMNS = ["region_name", "country", "role", "value", "year", "flag"]
#: Roles marked with a star on the gap chart, the first one found drawn as the leader.
_LEADS = ("lead", "co-lead")


@dataclass(frozen=True)
class _Data:
    """What the explorer draws from, read once."""

    panel: pd.DataFrame
    shapes: gpd.GeoDataFrame
    indicators: dict[str, str]  # id -> title (unit)
    partnerships: dict[str, str]  # id -> name
    level: int


def _indicators(panel: pd.DataFrame) -> dict[str, str]:
    """Return ``{indicator: "title (unit)"}``: catalogue indicators in *panel*."""
    cat = catalogue()
    held = cat[cat["indicator"].isin(panel.columns)]
    return {
        str(i): f"{t} ({u})" if isinstance(u, str) and u else str(t)
        for i, t, u in zip(held["indicator"], held["title"], held["unit"], strict=True)
    }


def _member_rows(partnership: str, level: int) -> pd.DataFrame:
    """Return the members of *partnership* at *level*: ``geo, role`` (lead first)."""
    rows = members(partnership, level=level)[["geo", "role"]].astype(str)
    rows = rows.sort_values(
        "role", key=lambda r: r.map({"lead": 0, "co-lead": 1}).fillna(2), kind="stable"
    )
    return rows.drop_duplicates("geo").reset_index(drop=True)


class Explorer:
    """The explorer's widgets and its current figures; display it in a notebook.

    Parameters
    ----------
    data : _Data
        What :func:`explore` read.
    partnership, indicator : str
        The first choice shown.

    Attributes
    ----------
    partnership, indicator : ipywidgets.Dropdown
        The two choices; setting ``.value`` redraws.
    widget : ipywidgets.VBox
        The whole explorer (what a notebook displays).
    map_figure, gap_figure : plotly.graph_objects.Figure
        The map and the gap chart of the current choice.
    table : pandas.DataFrame
        The member table of the current choice.
    """

    def __init__(self, data: _Data, partnership: str, indicator: str) -> None:
        import ipywidgets as w

        self._data = data
        self.partnership = w.Dropdown(
            options=[(n, i) for i, n in data.partnerships.items()],
            value=partnership,
            description="Partnership",
            layout=w.Layout(width="60%"),
        )
        self.indicator = w.Dropdown(
            options=[(t, i) for i, t in data.indicators.items()],
            value=indicator,
            description="Indicator",
            layout=w.Layout(width="60%"),
        )
        self._outputs = [w.Output(), w.Output(), w.Output()]
        self.widget: ipywidgets.VBox = w.VBox(
            [w.HBox([self.partnership, self.indicator]), *self._outputs]
        )
        self.map_figure: go.Figure
        self.gap_figure: go.Figure
        self.table: pd.DataFrame
        self.update()
        for dropdown in (self.partnership, self.indicator):
            dropdown.observe(lambda _change: self.update(), names="value")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def update(self) -> None:
        """Draw the map, the gap chart and the table of the current choice."""
        d, value = self._data, str(self.indicator.value)
        pid = str(self.partnership.value)
        rows = _member_rows(pid, d.level)
        title = d.indicators[value]
        self.map_figure = choropleth(
            d.panel,
            d.shapes,
            value=value,
            highlight=rows["geo"],
            title=title,
            subtitle=f"NUTS {d.level} regions; {d.partnerships[pid]} outlined",
        )
        self.table = self._table(rows, value)
        eu = d.panel[value].dropna()
        leads = rows.loc[rows["role"].isin(_LEADS), "geo"].tolist()
        self.gap_figure = gap_chart(
            self.table.rename(columns={"value": value}),
            value=value,
            eu_median=float(np.median(eu)) if len(eu) else None,
            leader=leads[0] if leads else None,
            leads=leads,
            title="Where each member stands",
            subtitle=f"{title}; ★ = lead region",
        )
        for output, shown in zip(
            self._outputs, (self.map_figure, self.gap_figure, self.table), strict=True
        ):
            # the widget's own outputs, set whether or not a kernel is listening
            output.outputs = ()
            output.append_display_data(shown)

    def _table(self, rows: pd.DataFrame, value: str) -> pd.DataFrame:
        """Return one row per member: name, country, role, value, its year and flag."""
        panel = self._data.panel
        table = rows.set_index("geo")
        for column, source in (
            ("region_name", "region_name"),
            ("country", "country"),
            ("value", value),
            ("year", f"{value}__year"),
            ("flag", f"{value}__flag"),
        ):
            table[column] = (
                panel[source].reindex(table.index) if source in panel else pd.NA
            )
        return table[_TABLE_COLUMNS]


def explore(
    panel: pd.DataFrame | None = None,
    shapes: gpd.GeoDataFrame | None = None,
    *,
    year: int = 2019,
    level: Level = 2,
    partnership: str | None = None,
    indicator: str | None = None,
) -> Explorer:
    """Open an explorer: pick a partnership and an indicator, see map, gaps and members.

    Parameters
    ----------
    panel : pandas.DataFrame, optional
        A panel from :func:`regiongap.panel` (with ``region_name`` and
        ``country``); default: read for *level* and *year*.
    shapes : geopandas.GeoDataFrame, optional
        Boundaries from :func:`regiongap.nuts_regions`; default NUTS 2021 of
        *level*.
    year : int
        Reference year of the panel read by default (default 2019).
    level : {2, 3}
        NUTS level (default 2).
    partnership : str, optional
        Partnership shown first (default: the first with listed members).
    indicator : str, optional
        Indicator shown first (default: the first of the catalogue in the panel).

    Returns
    -------
    Explorer
        Display it in JupyterLab (the last line of a cell); its ``partnership``
        and ``indicator`` drop-downs redraw the figures.

    Raises
    ------
    SchemaError
        An unknown partnership or indicator (the known ones are named), or a
        panel without any catalogue indicator.

    Examples
    --------
    >>> import warnings
    >>> import regiongap as rg
    >>> with warnings.catch_warnings():  # the indicators the mirror lacks are listed
    ...     warnings.simplefilter("ignore")
    ...     panel = rg.panel(level=2, year=2019, with_names=True, with_country=True)
    >>> explorer = explore(panel, partnership="batteries",
    ...                    indicator="gdp_pps_per_inhabitant")
    >>> explorer.table.loc["SI03", ["region_name", "role"]].tolist()
    ['Vzhodna Slovenija', 'lead']
    >>> explorer.partnership.value = "hydrogen_valleys"  # redraws
    >>> listed = rg.members("hydrogen_valleys", level=2)["geo"]
    >>> bool(explorer.table.index.isin(listed).all())
    True
    >>> explore(panel, partnership="nope")
    Traceback (most recent call last):
    ...
    regiongap.errors.SchemaError: unknown partnership 'nope'; known: ...
    """
    check_level(level)
    if panel is None:
        panel = read_panel(level=level, year=year, with_names=True, with_country=True)
    if shapes is None:
        shapes = nuts_regions(level=level, nuts_year=2021)
    registry = partnerships()
    listed = registry[registry["member_rows"] > 0]
    names = dict(zip(listed["partnership_id"], listed["name"], strict=True))
    data = _Data(panel, shapes, _indicators(panel), names, level)
    if not data.indicators:
        msg = "the panel holds no indicator of the catalogue; use regiongap.panel()"
        raise SchemaError(msg)
    partnership = partnership or next(iter(names))
    indicator = indicator or next(iter(data.indicators))
    for kind, chosen, known in (
        ("partnership", partnership, names),
        ("indicator", indicator, data.indicators),
    ):
        if chosen not in known:
            msg = f"unknown {kind} {chosen!r}; known: {sorted(known)}"
            raise SchemaError(msg)
    return Explorer(data, partnership, indicator)
