"""The relationship stages: key accounts in columns tactical → operational → functional →
strategic. h/l (or ←/→) go from column to column; H/L (or shift+←/→) move the account, asking
why: every move is kept with its day and reason. p sets the account's purpose.

The board is one table whose columns are the stages (row n holds the n-th account of each), so
that showing the pane again has one widget to restyle, not one per stage.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from amtui.api.ui import cell, line

from .account import AccountScreen, ask_purpose, ask_stage_move
from .fmt import compact, money
from .i18n import N_, _, ngettext
from .models import STAGES, Purpose
from .widgets import Cells, PagedTable, Remembered, TeamView
from .words import word

if TYPE_CHECKING:
    from .snapshot import ClientRow, TeamFigures

UNSET = "none"
ORDER = tuple(stage.value for stage in STAGES)
PURPOSE_MARKS = {Purpose.GROWTH: "↑", Purpose.PRESERVATION: "=", Purpose.IMAGE: "◆"}
STAGE_HELP = {
    UNSET: N_("No stage set yet."),
    "tactical": N_("Tactical: one contact each side, orders and prices."),
    "operational": N_("Operational: more contacts, regular work, some trust."),
    "functional": N_("Functional: departments work with departments; we plan together."),
    "strategic": N_("Strategic: a partner in the client's plans; hard to replace."),
}


class StageBoard(PagedTable):
    """The board: h/l and ←/→ go from stage to stage, staying on an account."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "column(-1)", N_("Stage left"), id="team.stages.left", show=False),
        Binding("l,right", "column(1)", N_("Stage right"), id="team.stages.right", show=False),
    ]

    def action_column(self, step: int) -> None:
        view = self.parent
        if isinstance(view, StagesView):
            view.go_column(step)


class StagesView(TeamView):
    VIEW_ID = "stages"
    DEFAULT_CSS = """
    #stage-board { height: 1fr; }
    #stage-detail { height: 2; padding: 0 1; color: $text; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("H,shift+left", "move(-1)", N_("Stage back"), id="team.stages.move_left",
                tooltip=N_("Move the account a stage back (the reason is asked)")),
        Binding("L,shift+right", "move(1)", N_("Stage on"), id="team.stages.move_right",
                tooltip=N_("Move the account a stage on (the reason is asked)")),
        Binding("p", "purpose", N_("Purpose"), id="team.stages.purpose",
                tooltip=N_("Why we hold the account: growth, preservation or image")),
    ]

    stage = Remembered()
    """The stage the cursor is on."""
    client_id = Remembered()
    """The account the cursor is on."""

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__(state)
        self.stages: list[str] = []
        """The columns shown ("none" first when a key account has no stage)."""
        self.accounts: list[list[ClientRow]] = []
        """Each column's accounts, biggest first."""
        self._layout: tuple[tuple[str, ...], int] | None = None

    def compose_view(self) -> ComposeResult:
        yield StageBoard([], id="stage-board", cursor_type="cell", show_cursor=True)
        yield Static("", id="stage-detail")

    @property
    def board(self) -> StageBoard:
        return self.query_one(StageBoard)

    def draw(self, figures: TeamFigures) -> None:
        keyed = [client for client in figures.data.clients.values() if client.key]
        keyed.sort(key=lambda client: (-client.revenue, client.name.casefold()))
        by_stage: dict[str, list[ClientRow]] = {}
        for client in keyed:
            by_stage.setdefault(client.stage if client.stage in ORDER else UNSET,
                                []).append(client)
        self.stages = ([UNSET] if UNSET in by_stage else []) + list(ORDER)
        self.accounts = [by_stage.get(stage, []) for stage in self.stages]
        board = self.board
        width = max(8, (self.size.width - 2) // len(self.stages) - 2)
        titles = []
        for stage, accounts in zip(self.stages, self.accounts, strict=True):
            total = sum((client.revenue for client in accounts if client.status == "active"),
                        Decimal(0))
            words = f"{word(stage).capitalize()} {len(accounts)} · {compact(total)}"
            if len(words) > width:
                words = f"{word(stage).capitalize()} {len(accounts)}"  # the sum is in the heading
            titles.append(Text(words, overflow="ellipsis", no_wrap=True))
        layout = (tuple(self.stages), width)
        if layout != self._layout:
            self._layout = layout
            board.clear(columns=True)
            for title in titles:
                board.add_column(title, width=width)
        else:
            for column, title in zip(board.columns.values(), titles, strict=True):
                column.label = title
            board.refresh()
        depth = max((len(accounts) for accounts in self.accounts), default=0)
        plans = figures.data.plans
        board.fill([(str(row), self._row(figures, row, width)) for row in range(depth)],
                   keep="", same=[tuple((accounts[row], plans.get(accounts[row].id))
                                        if row < len(accounts) else None
                                        for accounts in self.accounts)
                                  for row in range(depth)])
        self._place_cursor()
        gone = sum(1 for client in keyed if client.status != "active")
        self.heading(Content(ngettext("Relationship stages · {count:,} key account",
                                      "Relationship stages · {count:,} key accounts",
                                      len(keyed)).format(count=len(keyed))
                             + (_(" ({gone} not active: ✗)").format(gone=gone) if gone else "")
                             + _(" · H/L move · p purpose")))

    def _row(self, figures: TeamFigures, row: int, width: int) -> Cells:
        def cells() -> list[Text]:
            found = []
            for accounts in self.accounts:
                if row >= len(accounts):
                    found.append(cell(""))
                    continue
                client = accounts[row]
                plan = figures.data.plans.get(client.id)
                mark = PURPOSE_MARKS.get(plan.purpose, " ") if plan and plan.purpose else " "
                gone = "✗ " if client.status != "active" else ""
                found.append(cell(f"{mark} {gone}{client.name}", width))
            return found
        return cells

    def _place_cursor(self) -> None:
        """Back on the account (or the stage) the cursor was on."""
        column = self.stages.index(self.stage) if self.stage in self.stages else next(
            (index for index, accounts in enumerate(self.accounts) if accounts), 0)
        ids = [client.id for client in self.accounts[column]] if self.accounts else []
        row = ids.index(self.client_id) if self.client_id in ids else 0
        self.board.move_cursor(row=row, column=column, animate=False)
        self._note_cursor()

    def _note_cursor(self) -> None:
        row, column = self.board.cursor_coordinate
        if not self.stages:
            return
        column = min(column, len(self.stages) - 1)
        self.stage = self.stages[column]
        accounts = self.accounts[column]
        self.client_id = accounts[min(row, len(accounts) - 1)].id if accounts else None

    def focus_view(self) -> None:
        self.board.focus()

    def current_client(self) -> str | None:
        return self.client_id  # type: ignore[no-any-return]

    def go_column(self, step: int) -> None:
        if not self.stages:
            return
        row, column = self.board.cursor_coordinate
        target = max(0, min(len(self.stages) - 1, column + step))
        depth = len(self.accounts[target])
        self.board.move_cursor(row=min(row, max(depth - 1, 0)), column=target, animate=False)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        row, column = self.board.cursor_coordinate  # (the event may be an older move's)
        if self.accounts and column < len(self.accounts):
            depth = len(self.accounts[column])
            if depth and row >= depth:  # below the column's last account: back onto it
                self.board.move_cursor(row=depth - 1, column=column, animate=False)
                return
        self._note_cursor()
        self.explain()

    def explain(self) -> None:
        self.pane.explain(Content.assemble(
            (f"{_(STAGE_HELP[self.stage or ''])} ", "bold"),
            _("↑ growth · = preservation · ◆ image (purpose) · ✗ not active")))
        detail = self.query_one("#stage-detail", Static)
        client_id = self.current_client()
        data = self.figures.data if self.figures else None
        client = data.clients.get(client_id) if data and client_id else None
        if data is None or client is None:
            detail.update("")
            return
        plan = data.plans.get(client.id)
        moves = data.moves.get(client.id, [])
        purpose = word(plan.purpose.value) if plan and plan.purpose else _("purpose not set")
        detail.update(Content.assemble(
            line(client.name, 40), " · ", line(data.member_name(client.owner_id), 30),
            _(" · {money}/mo · {purpose}").format(money=money(client.revenue), purpose=purpose),
            "\n" + _("since {day}: ").format(day=f"{moves[-1].on:%d.%m.%Y}") if moves else "",
            line(moves[-1].reason, 120) if moves else ""))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        client_id = self.current_client()
        if client_id:
            self.app.push_screen(AccountScreen(client_id))

    def action_move(self, step: int) -> None:
        client_id = self.current_client()
        if self.figures is None or client_id is None:
            return
        client = self.figures.data.clients[client_id]
        index = ORDER.index(client.stage) if client.stage in ORDER else -1
        target_index = index + step
        if target_index < 0 or target_index >= len(ORDER):
            said = _("{stage} is the first stage.") if step < 0 else _("{stage} is the last stage.")
            self.app.notify(said.format(stage=word(ORDER[index] if index >= 0 else "none")),
                            markup=False)
            return
        target = ORDER[target_index]

        ask_stage_move(self.pane, client_id, client.name, client.stage, target, client.rev,
                       lambda: self.moved(client_id, target))

    def moved(self, client_id: str, stage: str) -> None:
        """Show the move at once (the save and the next read confirm it)."""
        if self.figures is None:
            return
        clients = self.figures.data.clients
        clients[client_id] = replace(clients[client_id], stage=stage)
        self.stage, self.client_id = stage, client_id
        self.draw(self.figures)
        self.explain()

    def action_purpose(self) -> None:
        client_id = self.current_client()
        if client_id:
            ask_purpose(self.pane, client_id)
