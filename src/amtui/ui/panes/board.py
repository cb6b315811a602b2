"""Board: the tasks handed to departments, in columns, moved along by keyboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from amtui.i18n import _
from amtui.ui.panes.base import PaneScreen
from amtui.ui.safe import line

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


class CardList(OptionList):
    """One column's cards; j/k move like the arrows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", _("Down"), id="board.down", show=False),
        Binding("k", "cursor_up", _("Up"), id="board.up", show=False),
    ]

    def __init__(self, column_id: str) -> None:
        super().__init__(id=f"column-{column_id}", classes="board-cards")
        self.column_id = column_id


class BoardPane(PaneScreen):
    PANE_ID = "board"
    TITLE_TEXT = _("Board")
    DEFAULT_CSS = """
    #board-columns { height: 1fr; overflow-x: auto; }
    .board-column { width: 1fr; height: 1fr; }
    #board-columns.-narrow .board-column { width: 22; }
    .board-header { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    .board-header.-over { color: $error; }
    .board-cards { height: 1fr; border: none; padding: 0; text-wrap: nowrap;
                   text-overflow: ellipsis; }
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
        yield Horizontal(Static(_("Loading…")), id="board-columns")
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
                if follow is not None and any(card.id == follow for card in column.cards):
                    target = (index, card_list.get_option_index(follow))
                continue
            self._shown[column.id] = shown
            count = f"{column.total}/{column.wip}" if column.wip else str(column.total)
            header.update(Content.assemble(line(column.title, 30), f" ({count})"))
            header.set_class(column.over_limit, "-over")
            options, ids = self._options(column)
            highlighted = card_list.highlighted
            card_list.set_options(options)
            if follow is not None and follow in ids:
                target = (index, ids.index(follow))
            elif card_list.option_count:
                wanted = min(highlighted or 0, card_list.option_count - 1)
                card_list.highlighted = next(
                    (row for row in range(wanted, card_list.option_count) if ids[row]),
                    wanted)
        self._follow = None
        if target is not None:
            lists[target[0]].highlighted = target[1]
            self._column = target[0]
        elif lists:
            self._column = min(max(focused_column, 0), len(lists) - 1)
        if lists:
            lists[self._column].focus()
        self._show_status()

    def _options(self, column: Column) -> tuple[list[Option | None], list[str | None]]:
        """The column's options (None: a separator line), and for each option (separators
        are not options) the card id it shows, None for lane headers and notes."""
        options: list[Option | None] = []
        ids: list[str | None] = []
        lane: str | None = None
        for card in column.cards[:MAX_CARDS]:
            if self.lanes:
                name = card.client if self.lanes == "client" else card.department
                if name != lane:
                    lane = name
                    options.append(Option(Content.assemble(
                        "── ", line(name or _("none"), 30)).stylize("bold $text-muted"),
                        disabled=True))
                    ids.append(None)
            if ids and ids[-1] is not None:
                options.append(None)  # a line between two cards (not an option itself)
            options.append(Option(self._card(card), id=card.id))
            ids.append(card.id)
        hidden = column.total - len(column.cards[:MAX_CARDS])
        if hidden > 0:
            options.append(Option(Content(_("… and {count} more: / narrows the board").format(
                count=hidden)).stylize("italic"), disabled=True))
            ids.append(None)
        if column.older_done:
            options.append(Option(Content(_("{count} done earlier, not shown").format(
                count=column.older_done)).stylize("italic $text-muted"), disabled=True))
            ids.append(None)
        return options, ids

    def _card(self, card: Card) -> Content:
        today = self.now.date().isoformat()
        details: list[Content] = []
        if card.client:
            details.append(line(card.client, 24))
        details.append(line(card.department.replace("_", " "), 20))
        if card.assignee:
            details.append(line(card.assignee, 20))
        if card.due:
            due = Content(card.due)
            if card.due < today:
                due = due.stylize("bold $error")
            elif card.due == today:
                due = due.stylize("bold $warning")
            details.append(due)
        if card.checklist_total:
            details.append(Content(f"☑ {card.checklist_done}/{card.checklist_total}"))
        if card.blocked_since is not None:
            details.append(Content(_("waiting for client {days} d").format(
                days=card.waiting_days(self.now))).stylize("$warning"))
        return Content.assemble(line(card.title, 80), "\n",
                                Content(" · ").join(details).stylize("$text-muted"))

    def _show_status(self) -> None:
        parts = [_("{count} cards").format(count=sum(column.total for column in self.columns))]
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
        option = lists[self._focused_column_index()].highlighted_option
        if option is not None and option.id in self.cards:
            return option.id
        return None

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
            row = lists[index - step].highlighted or 0
            target = lists[index]
            self._column = index
            target.focus()
            if target.option_count and target.highlighted is None:
                target.highlighted = min(row, target.option_count - 1)

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
            lambda: move(workspace, card.id, target, card.rev),
            _("Moved to {column}").format(column=destination.title),
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
        self.amtui.change(lambda: reorder(workspace, card, before, after),
                          _("Reordered"),
                          overwrite=lambda: reorder(workspace, card, before, after,
                                                    overwrite=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
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

    def action_lanes(self) -> None:
        self.lanes = LANES[(LANES.index(self.lanes) + 1) % len(LANES)]
        self._follow = self._current_id()
        self._fill(self._follow, self._focused_column_index())
