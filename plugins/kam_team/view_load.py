"""The team and its load: one row per member; Enter shows a member's accounts, where
accounts are marked (space) and reassigned (R) to another member in one go."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable

from amtui.api.ui import cell, line

from .account import AccountScreen
from .fmt import count, money
from .i18n import N_, _
from .load import LOAD_FIGURES, MemberLoad, member_accounts, sort_load
from .reassign import ask_reassign
from .widgets import Cells, PagedTable, Remembered, TeamView, widths_for
from .words import word

if TYPE_CHECKING:
    from .snapshot import ClientRow, TeamFigures

ROLES = {"head": N_("head"), "kam": N_("KAM"), "account_manager": N_("AM"),
         "assistant": N_("asst")}
TEAM_COLUMNS = [("member", N_("Member"), 14), ("role", N_("Role"), 4),
                ("accounts", N_("Accts"), 5), ("key", N_("Key"), 3),
                ("revenue", N_("Revenue"), 9), ("open", N_("Open"), 5),
                ("overdue", N_("Overdue"), 7), ("waiting", N_("Waiting"), 7),
                ("late", N_("Late"), 4)]
"""(figure, title, width): fits 80 columns; the member's name takes what is left, the
revenue what its largest figure needs."""
ACCOUNT_COLUMNS: list[tuple[str, str, int, str]] = [
    ("mark", "✓", 1, N_("Marked for reassigning (space marks; R reassigns the marked ones, or all "
                        "when none is marked).")),
    ("client", N_("Client"), 22,
     N_("★ key account (K marks or unmarks it; Enter opens the account).")),
    ("status", N_("Status"), 7, N_("The client's status: lead, active or dormant.")),
    ("stage", N_("Stage"), 11, N_("The relationship stage: tactical → operational → functional → "
                                  "strategic.")),
    ("revenue", N_("Revenue"), 9, N_("Recurring revenue per month.")),
    ("open", N_("Open"), 4, LOAD_FIGURES["open"][1]),
    ("overdue", N_("Over"), 4, N_("Overdue: Of those, the tasks whose due date has passed.")),
    ("waiting", N_("Wait"), 4,
     N_("Waiting: client messages waiting on us (new or waiting on us).")),
]
"""(figure, title, width, definition): fits 80 columns."""
HIGH_FIRST = {"accounts", "key", "revenue", "open", "overdue", "waiting", "late"}


def right(text: str) -> Text:
    return Text(text, justify="right", no_wrap=True)


class LoadView(TeamView):
    VIEW_ID = "load"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", N_("Sort"), id="team.load.sort",
                tooltip=N_("Sort by the column under the cursor (again: the other way)")),
        Binding("R", "reassign", N_("Reassign"), id="team.load.reassign",
                tooltip=N_("Give the member's accounts (the marked ones, or all) to another "
                           "member")),
        Binding("space", "mark", N_("Mark"), id="team.load.mark", show=False),
        Binding("K", "key", N_("Key ★"), id="team.load.key", show=False,
                tooltip=N_("Mark the account key, or not key")),
        Binding("escape,backspace", "back", N_("Back"), id="team.load.back", show=False),
    ]

    member = Remembered()
    """The :class:`MemberLoad` whose accounts are shown (None: the team)."""
    sort_key = Remembered()
    descending = Remembered(False)
    marked = Remembered(factory=set)

    def compose_view(self) -> ComposeResult:
        yield PagedTable([(title, width) for _key, title, width in TEAM_COLUMNS],
                         id="load-table", cursor_type="cell")

    def focus_view(self) -> None:
        self.table.focus()

    @property
    def table(self) -> PagedTable:
        """The team, or a member's accounts (one table: a pane with fewer widgets is quicker
        to show again)."""
        return self.query_one("#load-table", PagedTable)

    def draw(self, figures: TeamFigures) -> None:
        rows = figures.load
        if self.sort_key:
            rows = sort_load(rows, self.sort_key, self.descending)
        if self.member is not None:
            found = next((row for row in figures.load if row.member_id == self.member.member_id),
                         None)
            if found is not None:
                self.member = found
                self._draw_accounts(figures)
                return
            self.member = None  # no longer on the team
        widest = max((len(money(row.revenue)) for row in rows), default=0)
        fixed = [width for _key, _title, width in TEAM_COLUMNS]
        fixed[4] = max(fixed[4], widest)
        widths = widths_for(self.size.width, fixed, 0, 12, 32)
        self.table.set_columns([(title, width) for (_key, title, _width), width
                                in zip(TEAM_COLUMNS, widths, strict=True)])
        self.table.fill([(row.member_id or "", self._member_cells(row)) for row in rows],
                        same=rows)
        total = sum(row.accounts for row in figures.load)
        order = ""
        if self.sort_key:
            arrow = "↓" if self.descending else "↑"
            order = _(" · sorted by {figure} {arrow}").format(
                figure=_(LOAD_FIGURES[self.sort_key][0]), arrow=arrow)
        self.heading(Content(_("Team · {count} members · {count2} accounts{order} · Enter: a "
                               "member's accounts").format(
            count=len(figures.data.members), count2=count(total), order=order)))

    def _member_cells(self, row: MemberLoad) -> Cells:
        def cells() -> list[Text]:
            return [cell(row.name, 40), cell(_(ROLES.get(row.role, row.role))),
                    right(count(row.accounts)), right(count(row.key)), right(money(row.revenue)),
                    right(count(row.open)), right(count(row.overdue)),
                    right(count(row.waiting)), right(count(row.late))]
        return cells

    def _draw_accounts(self, figures: TeamFigures) -> None:
        assert self.member is not None
        accounts = member_accounts(figures.data, self.member.member_id)
        self.marked &= {client.id for client in accounts}
        table = self.table
        work = figures.data.work
        fixed = [width for _key, _title, width, _help in ACCOUNT_COLUMNS]
        fixed[4] = max(fixed[4], max((len(money(client.revenue)) for client in accounts),
                                     default=0))
        widths = widths_for(self.size.width, fixed, 1, 14, 48)
        table.set_columns([(title, width) for (_key, title, _width, _help), width
                           in zip(ACCOUNT_COLUMNS, widths, strict=True)])
        table.fill([(client.id, self._account_cells(figures, client)) for client in accounts],
                   same=[(client, work.get(client.id), client.id in self.marked)
                         for client in accounts])
        self._account_heading(len(accounts))

    def _account_heading(self, shown: int) -> None:
        assert self.member is not None
        marked = _(" · {count} marked").format(count=len(self.marked)) if self.marked else ""
        self.heading(Content.assemble(
            line(self.member.name, 40), _(" · {shown} accounts{marked} · space marks · R "
                                          "reassigns · Esc: the team").format(
                shown=shown, marked=marked)))

    def _account_cells(self, figures: TeamFigures, client: ClientRow) -> Cells:
        def cells() -> list[Text]:
            work = figures.data.work.get(client.id)
            key = "★ " if client.key else ""
            return [cell("✓" if client.id in self.marked else ""),
                    cell(key + client.name, 60), cell(word(client.status)),
                    cell(word(client.stage) if client.stage else ""),
                    right(money(client.revenue)),
                    right(str(work.open_tasks if work else 0)),
                    right(str(work.overdue_tasks if work else 0)),
                    right(str(work.waiting if work else 0))]
        return cells

    # the help line ----------------------------------------------------------------------

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.explain()

    def explain(self) -> None:
        column = self.table.cursor_column
        if self.member is None:
            key, title, _width = TEAM_COLUMNS[min(column, len(TEAM_COLUMNS) - 1)]
            text = _(LOAD_FIGURES[key][1])
        else:
            _key, title, _width, text = ACCOUNT_COLUMNS[min(column, len(ACCOUNT_COLUMNS) - 1)]
            text = _(text)
        self.pane.explain(Content.assemble((f"{_(title)}: ", "bold"), text))

    # actions ----------------------------------------------------------------------------

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if self.member is None:
            self._drill(self.table.current_key())
        else:
            client_id = self.table.current_key()
            if client_id:
                self.app.push_screen(AccountScreen(client_id))

    def _drill(self, member_id: str | None) -> None:
        if self.figures is None or member_id is None:
            return
        self.member = next((row for row in self.figures.load
                            if (row.member_id or "") == member_id), None)
        if self.member is None:
            return
        self.marked = set()
        self.state["team-cursor"] = (member_id, self.table.cursor_column)
        self.table.resume = ("", 1)  # the first account, on its name
        self._draw_accounts(self.figures)
        self.explain()

    def action_back(self) -> None:
        if self.member is None:
            return
        self.member = None
        self.marked = set()
        self.table.resume = self.state.pop("team-cursor", None) or ("", 0)
        if self.figures is not None:
            self.draw(self.figures)
        self.explain()

    def action_sort(self) -> None:
        if self.member is not None or self.figures is None:
            return
        key = TEAM_COLUMNS[min(self.table.cursor_column, len(TEAM_COLUMNS) - 1)][0]
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, key in HIGH_FIRST
        self.draw(self.figures)

    def action_mark(self) -> None:
        if self.member is None or self.figures is None:
            return
        client_id = self.table.current_key()
        if client_id is None:
            return
        self.marked ^= {client_id}
        self.table.redraw(client_id)
        self.table.action_cursor_down()
        self._account_heading(len(self.table.keys))

    def action_key(self) -> None:
        client_id = self.table.current_key() if self.member else None
        if client_id is not None:
            self.pane.toggle_key(client_id)

    def action_reassign(self) -> None:
        if self.figures is None:
            return
        if self.member is None:
            member_id = self.table.current_key()
            source = next((row for row in self.figures.load
                           if (row.member_id or "") == member_id), None)
            if source is None:
                return
            chosen = [client.id for client in member_accounts(self.figures.data,
                                                              source.member_id)]
        else:
            source = self.member
            chosen = [key for key in self.table.keys if key in self.marked] or list(
                self.table.keys)
        if not chosen:
            self.app.notify(_("No accounts to reassign."), markup=False)
            return

        ask_reassign(self, source, chosen)
