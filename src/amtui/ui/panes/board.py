"""Board: the tasks handed to departments, in columns, moved along by keyboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from amtui.i18n import _
from amtui.ui.panes.base import PaneScreen
from amtui.ui.safe import line
from amtui.ui.widgets.cards import CardColumn, CardLines, Part

if TYPE_CHECKING:
    from amtui.services.board import BoardFilter, Card, Column

MAX_CARDS = 40
"""Cards drawn per column; the rest are counted (a filter narrows the board)."""

MIN_COLUMN_WIDTH = 20
"""Narrower than this, columns keep a fixed width and the board scrolls sideways."""

LANES = ("", "client", "department")
"""Swimlanes: none, by client, by department (``w`` goes through them)."""


class BoardData:
    """What the worker read: the columns with their cards, and when."""

    def __init__(self, columns: list[Column], now: datetime) -> None:
        self.columns = columns
        self.now = now


class CardList(CardColumn):
    """One column's cards."""

    def __init__(self, column_id: str) -> None:
        super().__init__(column_id, id=f"column-{column_id}", classes="board-cards")


class BoardPane(PaneScreen):
    PANE_ID = "board"
    TITLE_TEXT = _("Board")
    DEFAULT_CSS = """
    #board-columns { height: 1fr; overflow-x: auto; }
    .board-column { width: 1fr; height: 1fr; }
    #board-columns.-narrow .board-column { width: 22; }
    .board-header { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    .board-header.-over { color: $error; }
    .board-cards { height: 1fr; }
    #board-status { height: 1; color: $text-muted; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "column(-1)", _("Column left"), id="board.left", show=False),
        Binding("l,right", "column(1)", _("Column right"), id="board.right", show=False),
        Binding("H,shift+left", "move(-1)", _("Move left"), id="board.move_left",
                tooltip=_("Move the task to the column on the left")),
        Binding("L,shift+right", "move(1)", _("Move right"), id="board.move_right",
                tooltip=_("Move the task to the column on the right")),
        Binding("K,shift+up", "reorder(-1)", _("Up in column"), id="board.reorder_up",
                show=False),
        Binding("J,shift+down", "reorder(1)", _("Down in column"), id="board.reorder_down",
                show=False),
        Binding("enter", "open", _("Open"), id="board.open", show=False),
        Binding("n", "new", _("New"), id="board.new", tooltip=_("A new task in this column")),
        Binding("e", "edit", _("Edit"), id="board.edit"),
        Binding("slash", "filter", _("Filter"), id="board.filter",
                tooltip=_("Narrow the board by client, department, assignee, due date")),
        Binding("F", "clear_filter", _("Clear filter"), id="board.clear_filter", show=False),
        Binding("r", "update", _("Daily update"), id="board.update", show=False,
                tooltip=_("Compose today's update for the task's client")),
        Binding("w", "lanes", _("Swimlanes"), id="board.lanes",
                tooltip=_("Group the cards by client, by department, or not")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[Column] = []
        self.cards: dict[str, Card] = {}
        self.now = datetime.now().astimezone()
        self.board_filter: BoardFilter | None = None
        self.lanes = ""
        self._follow: str | None = None
        """A card to put the cursor on once the board is read again (it was just moved)."""
        self._column = 0
        self._shown: dict[str, tuple[Any, ...]] = {}
        """What each column shows now, to leave alone a column that has not changed."""

    def compose_body(self) -> ComposeResult:
        # The columns are known once the workspace is open (it is, unless the board is the
        # first pane shown): then they are made now, and the read only fills them.
        workspace = self.amtui.opened_workspace
        if workspace is None:
            yield Horizontal(Static(_("Loading…")), id="board-columns")
        else:
            from amtui.services.board import column_title

            with Horizontal(id="board-columns"):
                for column_id in workspace.settings.columns:
                    yield Vertical(
                        Static(line(column_title(workspace.settings, column_id), 30),
                               classes="board-header"),
                        CardList(column_id), classes="board-column")
        yield Static("", id="board-status")

    # reading and showing

    def read(self) -> BoardData:
        from amtui.services.board import load_board

        workspace = self.amtui.workspace
        now = workspace.clock()
        return BoardData(load_board(workspace, now, self.board_filter, limit=MAX_CARDS), now)

    def show(self, payload: BoardData) -> None:
        follow = self._follow or self._current_id()
        focused_column = self._focused_column_index()
        self.columns, self.now = payload.columns, payload.now
        self.cards = {card.id: card for column in self.columns for card in column.cards}
        lists = list(self.query(CardList).results(CardList))
        if [card_list.column_id for card_list in lists] != [c.id for c in self.columns]:
            self.call_later(self._build_columns, follow, focused_column)
        else:
            self._fill(follow, focused_column)

    async def _build_columns(self, follow: str | None, focused_column: int) -> None:
        """Make one list per column (on the first read, or when the columns changed)."""
        holder = self.query_one("#board-columns", Horizontal)
        await holder.remove_children()
        await holder.mount_all(
            Vertical(Static("", classes="board-header"), CardList(column.id),
                     classes="board-column") for column in self.columns)
        self._fill(follow, focused_column)

    def on_resize(self) -> None:
        super().on_resize()
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns share the width; when too many to be readable, they keep a readable
        width and the board scrolls sideways to the column with the cursor."""
        narrow = self.app.size.width < len(self.columns) * MIN_COLUMN_WIDTH
        self.query_one("#board-columns", Horizontal).set_class(narrow, "-narrow")

    def _fill(self, follow: str | None, focused_column: int,
              only: set[int] | None = None) -> None:
        """Show the columns (``only`` those at these indexes) and put the cursor on
        ``follow`` if it is shown, else where it was."""
        self._fit_columns()
        lists = list(self.query(CardList).results(CardList))
        headers = list(self.query(".board-header").results(Static))
        target: tuple[int, int] | None = None
        for index, (column, card_list, header) in enumerate(
                zip(self.columns, lists, headers, strict=True)):
            if only is not None and index not in only:
                continue
            shown = (self.lanes, column.total, column.older_done,
                     tuple((card.id, card.rev) for card in column.cards[:MAX_CARDS]))
            if self._shown.get(column.id) == shown:
                # As it is on screen already (say, a move shown before it was saved).
                if follow is not None and card_list.move_to(follow):
                    target = (index, 0)
                continue
            self._shown[column.id] = shown
            count = f"{column.total}/{column.wip}" if column.wip else str(column.total)
            title = Content.assemble(line(column.title, 30), f" {count}")
            if header.visual != title:
                header.update(title)
            header.set_class(column.over_limit, "-over")
            card_list.set_entries(self._entries(column))
            if follow is not None and card_list.move_to(follow):
                target = (index, 0)
        self._follow = None
        if target is not None:
            self._column = target[0]
        elif lists:
            self._column = min(max(focused_column, 0), len(lists) - 1)
        if lists:
            lists[self._column].focus()
        self._show_status()

    def _entries(self, column: Column) -> list[CardLines]:
        """What the column draws: its cards (under lane headings if asked), then notes."""
        entries: list[CardLines] = []
        lane: str | None = None
        cards = column.cards[:MAX_CARDS]
        if self.lanes:
            cards = sorted(cards, key=lambda card: (not self._lane(card),  # "none" last
                                                    self._lane(card).casefold(), card.position))
        for card in cards:
            if self.lanes:
                name = self._lane(card)
                if name != lane:
                    lane = name
                    entries.append(CardLines(("lane", name), None,
                                             f"── {name or _('none')}", note=True))
            entries.append(CardLines((card.id, card.rev, self.now.date()), card.id, card.title,
                                     self._details(card)))
        hidden = column.total - len(column.cards[:MAX_CARDS])
        if hidden > 0:
            text = _("… and {count} more: / narrows the board").format(count=hidden)
            entries.append(CardLines(("more", hidden), None, text, note=True))
        if column.older_done:
            text = _("{count} done earlier, not shown").format(count=column.older_done)
            entries.append(CardLines(("older", column.older_done), None, text, note=True))
        return entries

    def _lane(self, card: Card) -> str:
        return card.client if self.lanes == "client" else card.department.replace("_", " ")

    def _details(self, card: Card) -> tuple[Part, ...]:
        today = self.now.date().isoformat()
        parts: list[Part] = []
        if card.client:
            parts.append((card.client, ""))
        parts.append((card.department.replace("_", " "), ""))
        if card.assignee:
            parts.append((card.assignee, ""))
        if card.due:
            parts.append((card.due, "late" if card.due < today else
                          "today" if card.due == today else ""))
        if card.checklist_total:
            parts.append((f"☑ {card.checklist_done}/{card.checklist_total}", ""))
        settings = self.amtui.workspace.settings
        days = card.waiting_days(self.now)
        if card.blocked_since is not None:
            parts.append((_("waiting for client {days} d").format(days=days), "waiting"))
        elif (card.column not in (settings.columns[0], settings.columns[-1])
              and days >= settings.stale_after_days):
            parts.append((_("stale {days} d in this column").format(days=days), "late"))
        return tuple(parts)

    def _show_status(self) -> None:
        parts = [_("cards: {count}").format(count=sum(column.total for column in self.columns))]
        if self.board_filter is not None and self.board_filter.active:
            parts.append(_("filtered (F clears)"))
        if self.lanes:
            parts.append(_("swimlanes by {what}").format(what=_(self.lanes)))
        self.query_one("#board-status", Static).update(Content(" · ".join(parts)))

    # where the cursor is

    def _lists(self) -> list[CardList]:
        return list(self.query(CardList).results(CardList))

    def _focused_column_index(self) -> int:
        """The column with the cursor (kept here: focus moves a moment after a key)."""
        return min(self._column, max(len(self.columns) - 1, 0))

    def on_descendant_focus(self, event: Any) -> None:
        widget = getattr(event, "widget", None) or getattr(event, "control", None)
        if isinstance(widget, CardList):
            lists = self._lists()
            if widget in lists:
                self._column = lists.index(widget)

    def _current_id(self) -> str | None:
        lists = self._lists()
        if not lists:
            return None
        card_id = lists[self._focused_column_index()].current_card_id
        return card_id if card_id in self.cards else None

    def _current(self) -> Card | None:
        card_id = self._current_id()
        if card_id is None:
            self.notify(_("No task is selected."), severity="warning")
            return None
        return self.cards[card_id]

    # keys

    def action_column(self, step: int) -> None:
        lists = self._lists()
        if not lists:
            return
        index = self._focused_column_index() + step
        if 0 <= index < len(lists):
            self._column = index
            lists[index].focus()

    def action_move(self, step: int) -> None:
        card = self._current()
        if card is None:
            return
        ids = [column.id for column in self.columns]
        index = ids.index(card.column) + step
        if not 0 <= index < len(ids):
            return
        from amtui.services.board import move

        workspace = self.amtui.workspace
        target = ids[index]
        destination = self.columns[index]
        if destination.wip is not None and destination.total >= destination.wip:
            self.notify(_("{column} holds {held} tasks, its limit is {limit}: finish one there "
                          "first").format(column=destination.title, held=destination.total,
                                          limit=destination.wip), severity="warning")
            return
        self.amtui.change(
            lambda: move(workspace, card.id, target, card.rev), "",  # the card shows it
            overwrite=lambda: move(workspace, card.id, target, overwrite=True))
        # Show the move at once; the board is read again when the save is done.
        source_index = ids.index(card.column)
        source = self.columns[source_index]
        first = min((other.position for other in destination.cards), default=1.0)
        moved = replace(card, column=target, position=first - 1.0, rev=card.rev + 1)
        source.cards.remove(card)
        source.total -= 1
        destination.cards.insert(0, moved)
        destination.total += 1
        self.cards[card.id] = moved
        self._follow = card.id
        self._fill(card.id, index, only={source_index, index})

    def action_reorder(self, step: int) -> None:
        card = self._current()
        if card is None:
            return
        column = next(column for column in self.columns if column.id == card.column)
        cards = column.cards
        index = cards.index(card)
        if not 0 <= index + step < len(cards):
            return
        # Past the neighbour: between it and the one after it (or the column's end).
        neighbour = cards[index + step]
        beyond = index + 2 * step
        other = cards[beyond] if 0 <= beyond < len(cards) else None
        before, after = (neighbour, other) if step > 0 else (other, neighbour)
        from amtui.services.board import reorder

        workspace = self.amtui.workspace
        self._follow = card.id
        self.amtui.change(lambda: reorder(workspace, card, before, after), "",
                          overwrite=lambda: reorder(workspace, card, before, after,
                                                    overwrite=True))

    def on_card_column_selected(self, event: CardColumn.Selected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        card = self._current()
        if card is not None:
            from amtui.ui.task_screen import TaskScreen

            self.app.push_screen(TaskScreen(card.id))

    def action_new(self) -> None:
        lists = self._lists()
        column = self.columns[self._focused_column_index()].id if lists else None
        from amtui.services.board import add_task
        from amtui.ui.task_forms import task_form

        workspace = self.amtui.workspace

        def made(task: Any) -> None:
            if task is not None:
                self._follow = task.id
                self.amtui.change(lambda: add_task(workspace, task), _("Task added"))

        self.app.push_screen(task_form(workspace, column=column), made)

    def action_edit(self) -> None:
        card = self._current()
        if card is None:
            return
        from amtui.models import Task
        from amtui.services.board import save_task
        from amtui.ui.task_forms import task_form

        workspace = self.amtui.workspace
        task = workspace.repo(Task).find(card.id)
        if task is None:
            self.notify(_("This task is no longer there."), severity="warning")
            return
        seen = task.model_copy(update={"rev": card.rev})

        def edited(changed: Any) -> None:
            if changed is not None:
                self.amtui.change(lambda: save_task(workspace, changed), _("Task saved"),
                                  overwrite=lambda: save_task(workspace, changed,
                                                              overwrite=True))

        self.app.push_screen(task_form(workspace, task=seen), edited)

    def action_filter(self) -> None:
        from amtui.services.board import BoardFilter
        from amtui.ui.task_forms import board_filter_form

        def chosen(wanted: BoardFilter | None) -> None:
            if wanted is not None:
                self.board_filter = wanted
                self.load()

        self.app.push_screen(board_filter_form(self.amtui.workspace,
                                               self.board_filter or BoardFilter()), chosen)

    def action_clear_filter(self) -> None:
        if self.board_filter is not None and self.board_filter.active:
            self.board_filter = None
            self.load()

    def action_update(self) -> None:
        card = self._current()
        if card is None:
            return
        if not card.client_id:
            self.notify(_("This task has no client."), severity="warning")
            return
        from amtui.ui.update_screen import UpdateScreen

        self.app.push_screen(UpdateScreen(card.client_id))

    def action_lanes(self) -> None:
        self.lanes = LANES[(LANES.index(self.lanes) + 1) % len(LANES)]
        self._follow = self._current_id()
        self._fill(self._follow, self._focused_column_index())
