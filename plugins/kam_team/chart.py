"""A trend chart drawn by textual-plotext (a maintained plotting widget), imported only when
a chart is first shown. The picture is kept until its data, size or theme change, so showing
the pane again draws nothing new."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.color import Color
from textual_plotext import PlotextPlot

from .i18n import _


def _in_order(data: Any) -> list[Any]:
    return list(dict.fromkeys(data))


def _steady_ticks() -> None:
    """plotext removes duplicate points and ticks through a set, so where the tick labels land
    depends on Python's string hashing (a different picture in each process); keep their
    order instead. (Its internals may change: then the picture is merely less steady.)"""
    try:
        # lazy: plotext, only when a chart is drawn
        import plotext._utility as plotext_utility
    except ImportError:
        return
    if callable(getattr(plotext_utility, "no_duplicates", None)):
        plotext_utility.no_duplicates = _in_order


_steady_ticks()


class TrendChart(PlotextPlot):
    """One figure over the periods: a line with its points, the periods on the x axis."""

    DEFAULT_CSS = """
    TrendChart { height: 1fr; width: 1fr; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._series: tuple[str, tuple[str, ...], tuple[Decimal | int | None, ...]] = (
            "", (), ())
        self._drawn: tuple[Any, Any] | None = None

    def plot(self, title: str, labels: list[str], values: list[Decimal | int | None]) -> None:
        series = (title, tuple(labels), tuple(values))
        if series != self._series:
            self._series = series
            self._drawn = None
            self.refresh()

    def _colour(self, name: str) -> tuple[int, int, int]:
        return Color.parse(self.app.theme_variables.get(name, "white")).rgb

    def render(self) -> Any:
        look = (self.size, self.app.theme, self._series)
        if self._drawn is not None and self._drawn[0] == look:
            return self._drawn[1]
        title, labels, values = self._series
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        points = [(index, float(value)) for index, value in enumerate(values, start=1)
                  if value is not None]
        if points:
            plt.plot([x for x, _y in points], [y for _x, y in points], marker="braille",
                     color=self._colour("primary"))
            plt.scatter([x for x, _y in points], [y for _x, y in points], marker="●",
                        color=self._colour("accent"))
        step = max(1, len(labels) // max(1, self.size.width // 9))
        ticks = list(range(1, len(labels) + 1))[::step]
        plt.xticks([float(tick) for tick in ticks], [labels[tick - 1][2:] for tick in ticks])
        if not points:
            plt.text(_("no figures in these periods"), x=1, y=0)
        drawn = super().render()
        self._drawn = (look, drawn)
        return drawn
