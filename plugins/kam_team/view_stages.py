"""The relationship stages: key accounts in columns tactical → operational → functional →
strategic. h/l (or ←/→) go from column to column; H/L (or shift+←/→) move the account, asking
why: every move is kept with its day and reason. p sets the account's purpose."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from amtui.api.ui import cell, line

from .fmt import compact, money
from .models import STAGES, Purpose
from .widgets import Cells, PagedTable, TeamView

if TYPE_CHECKING:
    from .snapshot import ClientRow, TeamFigures

UNSET = "none"
PURPOSE_MARKS = {Purpose.GROWTH: "↑", Purpose.PRESERVATION: "=", Purpose.IMAGE: "◆"}
STAGE_HELP = {
    UNSET: "No stage set yet.",
    "tactical": "Tactical: one contact each side, orders and prices.",
    "operational": "Operational: more contacts, regular work, some trust.",
    "functional": "Functional: departments work with departments; we plan together.",
    "strategic": "Strategic: a partner in the client's plans; hard to replace.",
}


class StageColumn(Vertical):
    DEFAULT_CSS = """
    StageColumn { width: 1fr; height: 1fr; }
    StageColumn > .stage-title { height: 1; padding: 0 0 0 1; text-style: bold; color: $text; }
    StageColumn > PagedTable { height: 1fr; overflow-x: hidden; }
    StageColumn.-empty-unset { display: none; }
    """

    def __init__(self, stage: str) -> None:
        super().__init__(id=f"stage-{stage}")
        self.stage = stage

    def compose(self) -> ComposeResult:
        yield Static(self.stage, classes="stage-title")
        yield PagedTable([("Account", 60)], id=f"stage-table-{self.stage}", cursor_type="row",
                         show_header=False)

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)


class StagesView(TeamView):
    VIEW_ID = "stages"
    DEFAULT_CSS = """
    #stage-columns { height: 1fr; }
    #stage-detail { height: 2; padding: 0 1; color: $text; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "column(-1)", "Column left", id="team.stages.left", show=False),
        Binding("l,right", "column(1)", "Column right", id="team.stages.right", show=False),
        Binding("H,shift+left", "move(-1)", "Stage back", id="team.stages.move_left",
                tooltip="Move the account a stage back (the reason is asked)"),
        Binding("L,shift+right", "move(1)", "Stage on", id="team.stages.move_right",
                tooltip="Move the account a stage on (the reason is asked)"),
        Binding("p", "purpose", "Purpose", id="team.stages.purpose",
                tooltip="Why we hold the account: growth, preservation or image"),
    ]

    def compose_view(self) -> ComposeResult:
        with Horizontal(id="stage-columns"):
            for stage in (UNSET, *(stage.value for stage in STAGES)):
                yield StageColumn(stage)
        yield Static("", id="stage-detail")

    def columns(self) -> list[StageColumn]:
        return [column for column in self.query(StageColumn) if column.display]

    def __init__(self) -> None:
        super().__init__()
        self.stage: str | None = None
        """The column the cursor is in (kept here: focus moves a moment after a key)."""

    def focused_column(self) -> StageColumn:
        columns = self.columns()
        return next((column for column in columns if column.stage == self.stage), columns[0])

    def focus_view(self) -> None:
        columns = self.columns()
        if self.stage not in {column.stage for column in columns}:
            self.stage = next((c for c in columns if c.table.row_count), columns[0]).stage
        self.focused_column().table.focus()

    def draw(self, figures: TeamFigures) -> None:
        keyed = [client for client in figures.data.clients.values() if client.key]
        keyed.sort(key=lambda client: (-client.revenue, client.name.casefold()))
        by_stage: dict[str, list[ClientRow]] = {}
        for client in keyed:
            by_stage.setdefault(client.stage or UNSET, []).append(client)
        for column in self.query(StageColumn):
            accounts = by_stage.get(column.stage, [])
            column.set_class(column.stage == UNSET and not accounts, "-empty-unset")
            column.display = column.stage != UNSET or bool(accounts)
            total = sum((client.revenue for client in accounts if client.status == "active"),
                        Decimal(0))
            column.query_one(".stage-title", Static).update(Content(
                f"{column.stage.capitalize()} {len(accounts)} · {compact(total)}"))
            column.table.fill([(client.id, self._card(figures, client)) for client in accounts])
        churned = sum(1 for client in keyed if client.status != "active")
        self.heading(Content(f"Relationship stages · {len(keyed):,} key accounts"
                             + (f" ({churned} not active: ✗)" if churned else "")
                             + " · H/L move · p purpose"))
        self.explain()

    def _card(self, figures: TeamFigures, client: ClientRow) -> Cells:
        def cells() -> list[Text]:
            plan = figures.data.plans.get(client.id)
            mark = PURPOSE_MARKS.get(plan.purpose, " ") if plan and plan.purpose else " "
            gone = "✗ " if client.status != "active" else ""
            return [cell(f"{mark} {gone}{client.name}", 60)]
        return cells

    def current_client(self) -> str | None:
        return self.focused_column().table.current_key()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.explain()

    def on_descendant_focus(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        column = widget.parent if widget is not None else None
        if isinstance(column, StageColumn):
            self.stage = column.stage
        self.explain()

    def explain(self) -> None:
        column = self.focused_column()
        self.pane.explain(Content.assemble(
            (f"{STAGE_HELP.get(column.stage, '')} ", "bold"),
            "↑ growth · = preservation · ◆ image (purpose) · ✗ not active"))
        detail = self.query_one("#stage-detail", Static)
        client_id = column.table.current_key()
        if self.figures is None or client_id is None:
            detail.update("")
            return
        data = self.figures.data
        client = data.clients.get(client_id)
        if client is None:
            return
        plan = data.plans.get(client_id)
        moves = data.moves.get(client_id, [])
        purpose = plan.purpose.value if plan and plan.purpose else "purpose not set"
        since = ""
        if moves:
            last = moves[-1]
            since = f"\nsince {last.on}: "
        detail.update(Content.assemble(
            line(client.name, 40), f" · {line(data.member_name(client.owner_id), 30)} · "
            f"{money(client.revenue)}/mo · {purpose}", since,
            line(moves[-1].reason, 120) if moves else ""))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        client_id = self.current_client()
        if client_id:
            from .account import AccountScreen

            self.app.push_screen(AccountScreen(client_id))

    def action_column(self, step: int) -> None:
        columns = self.columns()
        index = columns.index(self.focused_column())
        target = columns[max(0, min(len(columns) - 1, index + step))]
        self.stage = target.stage
        target.table.focus()
        self.explain()

    def action_move(self, step: int) -> None:
        client_id = self.current_client()
        if self.figures is None or client_id is None:
            return
        client = self.figures.data.clients[client_id]
        order = [stage.value for stage in STAGES]
        index = order.index(client.stage) if client.stage in order else -1
        target_index = index + step
        if target_index < 0 or target_index >= len(order):
            where = "the first" if step < 0 else "the last"
            self.app.notify(f"{order[index] if index >= 0 else 'none'} is {where} stage.",
                            markup=False)
            return
        target = order[target_index]
        from .account import ask_stage_move

        ask_stage_move(self.pane, client_id, client.name, client.stage, target, client.rev,
                       lambda: self.moved(client_id, target))

    def moved(self, client_id: str, stage: str) -> None:
        """Show the move at once (the save and the next read confirm it)."""
        if self.figures is None:
            return
        clients = self.figures.data.clients
        clients[client_id] = replace(clients[client_id], stage=stage)
        self.draw(self.figures)
        column = self.query_one(f"#stage-{stage}", StageColumn)
        if client_id in column.table.keys:
            column.table.move_cursor(row=column.table.keys.index(client_id), animate=False)
        self.stage = stage
        column.table.focus()

    def action_purpose(self) -> None:
        client_id = self.current_client()
        if client_id:
            from .account import ask_purpose

            ask_purpose(self.pane, client_id)
