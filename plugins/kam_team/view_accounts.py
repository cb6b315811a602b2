"""Key-account identification: every account with revenue in the period, ranked (the Pareto
of revenue), with the cumulative share and the 80% line, the revenue-to-cost ratio, the
checklist score, and what the figures suggest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable

from amtui.api.ui import cell

from .account import AccountScreen, ask_scores
from .fmt import count, money, ratio, share as fmt_share
from .i18n import N_, _
from .keyaccounts import KEY_FIGURES, SUGGESTIONS, KeyRow, line_rank
from .periods import last_months, month_of, quarter_of, shift, year
from .view_load import right
from .widgets import Cells, PagedTable, Remembered, TeamView, widths_for

if TYPE_CHECKING:
    from .periods import Period
    from .snapshot import TeamFigures

COLUMNS = [("rank", 4), ("client", 20), ("revenue", 10), ("share", 6), ("ratio", 8),
           ("score", 5), ("suggestion", 8)]
"""(figure, width): fits 80 columns."""
FILTERS = ("all", "key", "suggested", "above the line")
FILTER_WORDS = {"key": N_("key"), "suggested": N_("suggested"),
                "above the line": N_("above the line")}
LENGTHS = ("12 months", "quarter", "month", "year")


class AccountsView(TeamView):
    VIEW_ID = "accounts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("K", "key", N_("Key ★"), id="team.accounts.key",
                tooltip=N_("Mark the account key, or not key")),
        Binding("c", "score", N_("Score"), id="team.accounts.score",
                tooltip=N_("Score the account on the criteria checklist")),
        Binding("f", "filter", N_("Filter"), id="team.accounts.filter",
                tooltip=N_("All accounts, key ones, suggested ones, or those above the line")),
        Binding("left_square_bracket", "period(-1)", N_("Earlier"), id="team.accounts.earlier",
                show=False),
        Binding("right_square_bracket", "period(1)", N_("Later"), id="team.accounts.later",
                show=False),
        Binding("p", "length", N_("Period"), id="team.accounts.length",
                tooltip=N_("12 months, a quarter, a month or a year ([ and ] move it)")),
    ]

    filter = Remembered(FILTERS[0])
    length = Remembered(LENGTHS[0])

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__(state)
        self._shown: tuple[object, str] | None = None
        """The list of accounts and the filter the table shows."""

    def key_toggled(self, row: KeyRow) -> None:
        self.table.replace(row.client_id, self._cells(row))

    def compose_view(self) -> ComposeResult:
        yield PagedTable([(KEY_FIGURES[key][0], width) for key, width in COLUMNS],
                         id="accounts-table", cursor_type="cell")

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def draw(self, figures: TeamFigures) -> None:
        if figures.accounts is None:
            self.heading(Content(_("{label} · ranking the accounts…").format(
                label=figures.accounts_period.shown)))
            return
        if (self._shown is None or self._shown[0] is not figures.accounts
                or self._shown[1] != self.filter):  # (a read that changed no account keeps
            self._shown = (figures.accounts, self.filter)  # the same list)
            rows = [row for row in figures.accounts if self._kept(row)]
            fixed = [width for _key, width in COLUMNS]
            fixed[2] = max(fixed[2], max((len(money(row.revenue)) for row in rows), default=0))
            self.table.fit(widths_for(self.size.width, fixed, 1, 14, 48))
            self.table.fill([(row.client_id, self._cells(row)) for row in rows], same=rows)
        rows_shown = len(self.table.keys)
        ranked = figures.accounts
        line = figures.data.settings.pareto_share.normalize()
        at = line_rank(ranked)
        where = (_("{line:f}% of revenue by rank {count} of {count2}").format(
            line=line, count=count(at), count2=count(len(ranked))) if at
                 else _("no revenue in the period"))
        shown_note = ("" if self.filter == "all"
                      else f" · {_(FILTER_WORDS[self.filter])}: {count(rows_shown)}")
        self.heading(Content(_("{label} · {where}{shown_note} · [ ] p: period").format(
            label=figures.accounts_period.shown, where=where, shown_note=shown_note)))

    def _kept(self, row: KeyRow) -> bool:
        return (self.filter == "all" or (self.filter == "key" and row.key)
                or (self.filter == "suggested" and bool(row.suggestion))
                or (self.filter == "above the line" and row.above_line))

    def _cells(self, row: KeyRow) -> Cells:
        def cells() -> list[Text]:
            mark = ("★⚠ " if row.single_threaded else "★ ") if row.key else ""
            share = (f"{'▲' if row.above_line else ' '}{fmt_share(row.share)}"
                     if row.share is not None else "—")
            suggestion = cell(_(SUGGESTIONS[row.suggestion]) if row.suggestion else "",
                              style="bold" if row.suggestion else "")
            return [right(count(row.rank)), cell(mark + row.name, 60), right(money(row.revenue)),
                    right(share), right(ratio(row.ratio)),
                    right(f"{row.score:.0f}" if row.score is not None else "—"), suggestion]
        return cells

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.explain()

    def explain(self) -> None:
        key = COLUMNS[min(self.table.cursor_column, len(COLUMNS) - 1)][0]
        title, text = map(_, KEY_FIGURES[key])
        why = ""
        if key == "suggestion" and self.figures is not None:
            found = self._row(self.table.current_key())
            if found is not None and found.why:
                why = _(" Here: {why}.").format(why=found.why)
        self.pane.explain(Content.assemble((f"{title}: ", "bold"), text, why))

    def _row(self, client_id: str | None) -> KeyRow | None:
        if self.figures is None or client_id is None or self.figures.accounts is None:
            return None
        return next((row for row in self.figures.accounts if row.client_id == client_id), None)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        client_id = self.table.current_key()
        if client_id:
            self.app.push_screen(AccountScreen(client_id))

    def action_key(self) -> None:
        client_id = self.table.current_key()
        if client_id:
            self.pane.toggle_key(client_id)

    def action_score(self) -> None:
        client_id = self.table.current_key()
        if client_id:
            ask_scores(self.pane, client_id)

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        if self.figures is not None:
            self.draw(self.figures)

    def action_period(self, steps: int) -> None:
        if self.figures is None:
            return
        moved = shift(self.figures.accounts_period, steps)
        if moved.start > self.figures.data.today:
            self.app.notify(_("That period has not started yet."), markup=False)
            return
        self._compute(moved)

    def action_length(self) -> None:
        if self.figures is None:
            return
        self.length = LENGTHS[(LENGTHS.index(self.length) + 1) % len(LENGTHS)]
        today = self.figures.data.today
        period = {"12 months": lambda: last_months(12, today),
                  "quarter": lambda: quarter_of(today), "month": lambda: month_of(today),
                  "year": lambda: year(today.year)}[self.length]()
        self._compute(period)

    def _compute(self, period: Period) -> None:
        self.heading(Content(_("{label} · computing…").format(label=period.shown)))
        self.pane.recompute_accounts(period)
