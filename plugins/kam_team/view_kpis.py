"""Portfolio KPIs per month or quarter, for the team or one member: a table of every figure
and a chart of the one under the cursor (← → choose it), with its definition below."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from amtui.api.ui import cell, line

from .fmt import count, money, share
from .i18n import N_, _
from .kpis import KPI_FIGURES, TEAM, Figures, empty_figures
from .view_load import right
from .widgets import Cells, PagedTable, Remembered, TeamView

if TYPE_CHECKING:
    from .snapshot import TeamFigures

COLUMNS = [("period", 8), ("active", 6), ("churned", 7), ("churn_rate", 7),
           ("expansion_rate", 6), ("nrr", 6), ("satisfied", 6), ("index", 5), ("cost", 11),
           ("cost_share", 6)]
PERCENT = {"churn_rate", "expansion_rate", "nrr", "satisfied", "cost_share"}
FIRST_CHARTED = 3
"""The column charted first: the churn rate."""
WIDE = 150
"""From this width the chart stands beside the table; below it, above the table."""


class ChartReady(Message):
    """textual-plotext is imported (in a worker: it takes tens of milliseconds)."""


class KpiView(TeamView):
    VIEW_ID = "kpis"
    DEFAULT_CSS = """
    #kpi-body { height: 1fr; layout: vertical; }
    #kpi-body.-wide { layout: horizontal; }
    #kpi-chart-box { height: 1fr; min-height: 6; }
    #kpi-body.-wide #kpi-chart-box { width: 1fr; height: 1fr; }
    #kpi-table { height: 1fr; }
    #kpi-body.-wide #kpi-table { width: 84; }
    #kpi-chart-wait { color: $text-muted; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "granularity", N_("Month/quarter"), id="team.kpis.granularity",
                tooltip=N_("Figures by month or by quarter")),
        Binding("w", "scope", N_("Whose"), id="team.kpis.scope",
                tooltip=N_("The whole team, or one member's clients")),
    ]

    by_quarter = Remembered(False)
    scope = Remembered(TEAM)

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__(state)
        self.chart: Any = None

    def compose_view(self) -> ComposeResult:
        with Container(id="kpi-body"):
            with Container(id="kpi-chart-box"):
                yield Static(_("The chart is being drawn…"), id="kpi-chart-wait")
            yield PagedTable([(KPI_FIGURES[key][0], width) for key, width in COLUMNS],
                             id="kpi-table", cursor_type="cell")

    def on_resize(self) -> None:
        self.query_one("#kpi-body").set_class(self.size.width >= WIDE, "-wide")

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def series(self, figures: TeamFigures) -> list[Figures]:
        """The figures of the scope shown, oldest period first (a member without clients in
        a period has empty figures there)."""
        found = (figures.quarters if self.by_quarter else figures.months) or []
        return [by_scope.get(self.scope) or empty_figures(by_scope[TEAM].period)
                for by_scope in found]

    def draw(self, figures: TeamFigures) -> None:
        if figures.months is None:
            self.heading(Content(_("KPIs · computing the figures…")))
            return
        if self.scope != TEAM and not any(member.id == self.scope
                                          for member in figures.data.members):
            self.scope = TEAM
        rows = self.series(figures)
        fixed = [width for _key, width in COLUMNS]
        fixed[8] = max(fixed[8], max((len(money(row.cost)) for row in rows), default=0))
        self.table.fit(fixed)
        first = self.table.row_count == 0
        self.table.fill([(row.period.shown, self._cells(row)) for row in rows], same=rows)
        if first and rows:
            self.table.move_cursor(row=len(rows) - 1, column=FIRST_CHARTED, animate=False)
        whose = _("the team") if self.scope == TEAM else figures.data.member_name(self.scope)
        self.heading(Content.assemble(
            _("KPIs by quarter") if self.by_quarter else _("KPIs by month"), " · ",
            line(whose, 30),
            _(" · q month/quarter · w whose · ←→ figure")))
        self._chart()

    def _cells(self, row: Figures) -> Cells:
        def cells() -> list[Text]:
            shown: list[Text] = [cell(row.period.shown)]
            for key, _width in COLUMNS[1:]:
                value = row.value(key)
                if key in PERCENT:
                    shown.append(right(share(value)))  # type: ignore[arg-type]
                elif key == "cost":
                    shown.append(right(money(value)))  # type: ignore[arg-type]
                elif isinstance(value, Decimal):  # the satisfaction index: «75,0»
                    shown.append(right(share(value)))
                else:
                    shown.append(right("—" if value is None else count(value)))
            return shown
        return cells

    def charted(self) -> str:
        column = self.table.cursor_column
        return COLUMNS[column][0] if 0 < column < len(COLUMNS) else COLUMNS[FIRST_CHARTED][0]

    def _chart(self) -> None:
        if self.chart is None:
            self._import_chart()
            return
        if self.figures is None:
            return
        key = self.charted()
        rows = self.series(self.figures)
        title = _(KPI_FIGURES[key][0])
        self.chart.plot(title, [row.period.shown for row in rows],
                        [row.value(key) for row in rows])

    @work(thread=True, exclusive=True, group="team-chart")
    def _import_chart(self) -> None:
        # lazy: plotext, only when a chart is drawn
        from . import chart  # noqa: F401 (imported here, off the UI thread)

        self.post_message(ChartReady())

    def on_chart_ready(self, _message: ChartReady) -> None:
        if self.chart is not None:
            return
        # lazy: plotext, only when a chart is drawn
        from .chart import TrendChart

        self.chart = TrendChart(id="kpi-chart")
        box = self.query_one("#kpi-chart-box")
        box.remove_children()
        box.mount(self.chart)
        self._chart()

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.explain()
        if self.chart is not None:
            self._chart()

    def explain(self) -> None:
        title, text = map(_, KPI_FIGURES[self.charted()])
        self.pane.explain(Content.assemble((f"{title}: ", "bold"), text))

    def action_granularity(self) -> None:
        self.by_quarter = not self.by_quarter
        if self.figures is not None:
            self.table.clear()
            self.draw(self.figures)

    def action_scope(self) -> None:
        if self.figures is None:
            return
        scopes = [TEAM, *(member.id for member in self.figures.data.members)]
        self.scope = scopes[(scopes.index(self.scope) + 1) % len(scopes)] \
            if self.scope in scopes else TEAM
        self.draw(self.figures)
