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

from .fmt import count, money
from .load import LOAD_FIGURES, MemberLoad, member_accounts, sort_load
from .widgets import Cells, PagedTable, Remembered, TeamView, widths_for

if TYPE_CHECKING:
    from .snapshot import ClientRow, TeamFigures

ROLES = {"head": "head", "kam": "KAM", "account_manager": "AM", "assistant": "asst"}
TEAM_COLUMNS = [("member", "Member", 14), ("role", "Role", 4), ("accounts", "Accts", 5),
                ("key", "Key", 3), ("revenue", "Revenue", 9), ("open", "Open", 5),
                ("overdue", "Overdue", 7), ("waiting", "Waiting", 7), ("late", "Late", 4)]
"""(figure, title, width): fits 80 columns; the member's name takes what is left, the
revenue what its largest figure needs."""
ACCOUNT_COLUMNS: list[tuple[str, str, int, str]] = [
    ("mark", "✓", 1, "Marked for reassigning (space marks; R reassigns the marked ones, or all "
                    "when none is marked)."),
    ("client", "Client", 22, "★ key account (K marks or unmarks it; Enter opens the account)."),
    ("status", "Status", 7, "The client's status: lead, active or dormant."),
    ("stage", "Stage", 11, "The relationship stage: tactical → operational → functional → "
                           "strategic."),
    ("revenue", "Revenue", 9, "Recurring revenue per month."),
    ("open", "Open", 4, LOAD_FIGURES["open"][1]),
    ("overdue", "Over", 4, "Overdue: " + LOAD_FIGURES["overdue"][1]),
    ("waiting", "Wait", 4, "Waiting: client messages waiting on us (new or waiting on us)."),
]
"""(figure, title, width, definition): fits 80 columns."""
HIGH_FIRST = {"accounts", "key", "revenue", "open", "overdue", "waiting", "late"}


def right(text: str) -> Text:
    return Text(text, justify="right", no_wrap=True)


class LoadView(TeamView):
    VIEW_ID = "load"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort", id="team.load.sort",
                tooltip="Sort by the column under the cursor (again: the other way)"),
        Binding("R", "reassign", "Reassign", id="team.load.reassign",
                tooltip="Give the member's accounts (the marked ones, or all) to another member"),
        Binding("space", "mark", "Mark", id="team.load.mark", show=False),
        Binding("K", "key", "Key ★", id="team.load.key", show=False,
                tooltip="Mark the account key, or not key"),
        Binding("escape,backspace", "back", "Back", id="team.load.back", show=False),
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
            order = f" · sorted by {LOAD_FIGURES[self.sort_key][0]} {arrow}"
        self.heading(Content(f"Team · {len(figures.data.members)} members · {count(total)} accounts"
                             f"{order} · Enter: a member's accounts"))

    def _member_cells(self, row: MemberLoad) -> Cells:
        def cells() -> list[Text]:
            return [cell(row.name, 40), cell(ROLES.get(row.role, row.role)),
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
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        self.heading(Content.assemble(
            line(self.member.name, 40), f" · {shown} accounts{marked} · space marks · "
            "R reassigns · Esc: the team"))

    def _account_cells(self, figures: TeamFigures, client: ClientRow) -> Cells:
        def cells() -> list[Text]:
            work = figures.data.work.get(client.id)
            key = "★ " if client.key else ""
            return [cell("✓" if client.id in self.marked else ""),
                    cell(key + client.name, 60), cell(client.status),
                    cell(client.stage or ""), right(money(client.revenue)),
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
            text = LOAD_FIGURES[key][1]
        else:
            _key, title, _width, text = ACCOUNT_COLUMNS[min(column, len(ACCOUNT_COLUMNS) - 1)]
        self.pane.explain(Content.assemble((f"{title}: ", "bold"), text))

    # actions ----------------------------------------------------------------------------

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if self.member is None:
            self._drill(self.table.current_key())
        else:
            client_id = self.table.current_key()
            if client_id:
                from .account import AccountScreen

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
            self.app.notify("No accounts to reassign.", markup=False)
            return
        from .reassign import ask_reassign

        ask_reassign(self, source, chosen)
