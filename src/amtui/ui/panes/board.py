"""Board: the tasks handed to departments, in columns, moved along by keyboard.

The board is read in a worker once; after that a change made here (a move, a new or edited
task) is shown at once and saved in a worker, and the task as saved replaces the guess. The
board is read again only when something else changed its files.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from amtui.clock import now as clock_now
from amtui.i18n import N_, _
from amtui.services.rules import task_overdue
from amtui.text import one_line
from amtui.ui.panes.base import PaneScreen
from amtui.ui.widgets.cards import BoardView, CardLines, ColumnHead, Part

if TYPE_CHECKING:
    from collections.abc import Callable

    from amtui.models import Task
    from amtui.models.workspace import WorkspaceSettings
    from amtui.services.board import BoardFilter, Card, Column
    from amtui.services.undo import Undo

MAX_CARDS = 40
"""Cards drawn per column; the rest are counted (a filter narrows the board)."""

LANES = ("", "client", "department")
"""Swimlanes: none, by client, by department (``w`` goes through them)."""

SAVE_WAIT = 10.0
"""Seconds a save waits for the board's previous save to finish (they run in order)."""


@dataclass(frozen=True)
class BoardData:
    """What the worker read: the columns with their cards, when, and the files' version."""

    columns: list[Column]
    now: datetime
    version: object


@dataclass(frozen=True)
class Saved:
    """A task the board saved (in a worker), and the files' version before and after."""

    before: object
    """None when others saved too (the board is read again)."""
    after: object
    card: Card
    was_in: str | None
    """The column the task was in before (None for a new task)."""
    gone: bool = False
    """The task was moved to the trash: it leaves the board."""


class BoardPane(PaneScreen):
    PANE_ID = "board"
    TITLE_TEXT = N_("Board")
    DEFAULT_CSS = """
    #board-status { height: 1; color: $text-muted; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "column(-1)", N_("Column left"), id="board.left", show=False),
        Binding("l,right", "column(1)", N_("Column right"), id="board.right", show=False),
        Binding("H,shift+left", "move(-1)", N_("Move left"), id="board.move_left",
                tooltip=N_("Move the task to the column on the left")),
        Binding("L,shift+right", "move(1)", N_("Move right"), id="board.move_right",
                tooltip=N_("Move the task to the column on the right")),
        Binding("K,shift+up", "reorder(-1)", N_("Up in column"), id="board.reorder_up",
                show=False),
        Binding("J,shift+down", "reorder(1)", N_("Down in column"), id="board.reorder_down",
                show=False),
        Binding("enter", "open", N_("Open"), id="board.open", show=False),
        Binding("n", "new", N_("New"), id="board.new", tooltip=N_("A new task in this column")),
        Binding("e", "edit", N_("Edit"), id="board.edit"),
        Binding("slash", "filter", N_("Filter"), id="board.filter",
                tooltip=N_("Narrow the board by client, department, assignee, due date")),
        Binding("F", "clear_filter", N_("Clear filter"), id="board.clear_filter", show=False),
        Binding("x,delete", "delete", N_("Delete"), id="board.delete",
                tooltip=N_("Move the task to the trash (u undoes)")),
        Binding("r", "update", N_("Daily update"), id="board.update", show=False,
                tooltip=N_("Compose today's update for the task's client")),
        Binding("w", "lanes", N_("Swimlanes"), id="board.lanes",
                tooltip=N_("Group the cards by client, by department, or not")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[Column] = []
        self.cards: dict[str, Card] = {}
        self.now = clock_now().astimezone()
        self.board_filter: BoardFilter | None = None
        self.lanes = ""
        self._follow: str | None = None
        """A card to put the cursor on once it is shown (it was just added)."""
        self._shown: dict[str, object] = {}
        """What each column shows now, to leave alone a column that has not changed."""
        self._dirty: set[str] = set()
        """Columns whose cards were changed here since they were last shown."""
        self._lines: dict[Card, CardLines] = {}
        """What each card draws, made once per card and read."""
        self._version: object = None
        """The version of the files the board shows (None: not read yet)."""
        self._saved: deque[Saved] = deque()
        """Filled by the save workers, emptied here on the UI thread."""
        self._last_save = threading.Event()
        self._last_save.set()
        self.view = BoardView(id="board-view")

    def compose_body(self) -> ComposeResult:
        view = self.view
        # The columns are known once the workspace is open (it is, unless the board is the
        # first pane shown): their headers are drawn at once, the read fills them.
        workspace = self.amtui.opened_workspace
        if workspace is not None:
            # lazy: pydantic, loaded on first use
            from amtui.services.board import column_title

            view.set_columns([(column_id, ColumnHead(
                one_line(column_title(workspace.settings, column_id), 30), ""))
                for column_id in workspace.settings.columns])
        yield view
        yield Static(_("Loading…"), id="board-status")

    # reading and showing

    def read(self) -> BoardData:
        # lazy: pydantic, loaded on first use
        from amtui.services.board import board_version, load_board

        workspace = self.amtui.workspace
        now = workspace.clock()
        version = board_version(workspace)  # before reading: a save meanwhile reads again
        columns = load_board(workspace, now, self.board_filter, limit=MAX_CARDS)
        return BoardData(columns, now, version)

    def show(self, payload: BoardData) -> None:
        follow = self._follow or self.view.current_card_id
        self.columns, self.now, self._version = payload.columns, payload.now, payload.version
        self._lines.clear()  # drawn as of the new time
        self.cards = {card.id: card for column in self.columns for card in column.cards}
        if not self._catch_up():
            self.load()
        view = self.view
        if [column.id for column in view.columns] != [column.id for column in self.columns]:
            view.set_columns([(column.id, self._head(column)) for column in self.columns])
            self._shown.clear()
        self._fill(follow, everything=True)

    def data_changed(self) -> None:
        """Something was saved: show the board's own saves, and read the board again only
        if its files changed otherwise."""
        if self._catch_up():
            self._fill(self._follow)
        else:
            self.load()

    def on_screen_resume(self) -> None:
        if self.loads_shown:
            self.data_changed()  # other panes may have changed tasks meanwhile

    def _catch_up(self) -> bool:
        """Put the board's own saves made since it was read into what it shows; False if
        the files changed otherwise too (then the board must be read again). While a save
        of its own is under way, wait: it calls again when done."""
        # lazy: pydantic, loaded on first use
        from amtui.services.board import board_version

        if not self._last_save.is_set():
            return True
        exact = True
        while self._saved:
            saved = self._saved.popleft()
            if self._version is not None and saved.before == self._version:
                self._version = saved.after
                exact = self._apply(saved) and exact
        return (exact and self._version is not None
                and self._version == board_version(self.amtui.workspace))

    def _apply(self, saved: Saved) -> bool:
        """Show a saved task in place of what is shown of it; False if that cannot be done
        exactly (it was not shown)."""
        card = saved.card
        shown = self.cards.get(card.id)
        if saved.gone:
            if shown is not None:
                self._take_out(shown)
            return True
        if shown is None and saved.was_in is not None:
            return False
        if shown is not None:
            if shown.rev > card.rev:
                return True  # a newer version is shown already
            self._take_out(shown)
        self._put_in(card)
        return True

    def _column(self, column_id: str) -> Column:
        return next((column for column in self.columns if column.id == column_id),
                    self.columns[0])

    def _take_out(self, card: Card) -> None:
        column = self._column(card.column)
        if card in column.cards:
            column.cards.remove(card)
            column.total -= 1
            self._dirty.add(column.id)
        self.cards.pop(card.id, None)

    def _put_in(self, card: Card) -> None:
        """Add a card to its column in order (counted only, when past the cards drawn)."""
        if self.board_filter is not None and not self.board_filter.accepts(
                card, self.now.date(), self.amtui.workspace.settings.columns[-1]):
            return
        column = self._column(card.column)
        cards = column.cards
        hidden = column.total > len(cards)
        column.total += 1
        self._dirty.add(column.id)
        at = next((index for index, other in enumerate(cards)
                   if (other.position, other.id) > (card.position, card.id)), len(cards))
        if at >= MAX_CARDS or (hidden and at == len(cards)):
            return  # among the cards not drawn (or after some of them)
        cards.insert(at, card)
        self.cards[card.id] = card
        if len(cards) > MAX_CARDS:
            self.cards.pop(cards.pop().id, None)

    def _fill(self, follow: str | None = None, everything: bool = False) -> None:
        """Show the columns that changed (``everything``: check them all, else those whose
        cards were changed here), and put the cursor on ``follow`` if it is shown."""
        view = self.view
        dirty, self._dirty = self._dirty, set()
        lanes = self._lane_heights()
        view.linked = bool(self.lanes)
        for index, column in enumerate(self.columns):
            if not everything and not lanes and column.id not in dirty:
                continue
            cards = tuple(column.cards[:MAX_CARDS])
            shown = (self.lanes, lanes, column.total, column.older_done, cards)
            if self._shown.get(column.id) == shown:
                continue
            self._shown[column.id] = shown
            view.set_column(index, self._head(column), self._entries(column, lanes))
        if follow is not None and view.move_to(follow) and follow == self._follow:
            self._follow = None
        self._show_status()

    def _head(self, column: Column) -> ColumnHead:
        count = f"{column.total}/{column.wip}" if column.wip else str(column.total)
        return ColumnHead(one_line(column.title, 30), count, column.over_limit)

    def _lane_heights(self) -> tuple[tuple[str, int], ...]:
        """With lanes: each lane (in order, "none" last) and the most cards it has in any
        column, so that every column gives it as many lines and the headings line up."""
        if not self.lanes:
            return ()
        most: dict[str, int] = {}
        for column in self.columns:
            counts: dict[str, int] = {}
            for card in column.cards[:MAX_CARDS]:
                lane = self._lane(card)
                counts[lane] = counts.get(lane, 0) + 1
            for lane, count in counts.items():
                most[lane] = max(most.get(lane, 0), count)
        order = sorted(most, key=lambda lane: (not lane, lane.casefold()))
        return tuple((lane, most[lane]) for lane in order)

    def _entries(self, column: Column,
                 lanes: tuple[tuple[str, int], ...] = ()) -> list[CardLines]:
        """What the column draws: its cards (under lane headings, each lane as tall as in
        the column where it is tallest), then notes."""
        entries: list[CardLines] = []
        cards = column.cards[:MAX_CARDS]
        if lanes:
            by_lane: dict[str, list[Card]] = {}
            for card in cards:
                by_lane.setdefault(self._lane(card), []).append(card)
            for name, most in lanes:
                entries.append(CardLines(None, f"── {name or _('none')}", note=True))
                lane_cards = by_lane.get(name, [])
                entries.extend(self._card_lines(card) for card in lane_cards)
                gap = CardLines(None, "", gap=True)
                entries.extend([gap] * (3 * (most - len(lane_cards))))
        else:
            entries.extend(self._card_lines(card) for card in cards)
        hidden = column.total - len(cards)
        if hidden > 0:
            text = _("… and {count} more: / narrows the board").format(count=hidden)
            entries.append(CardLines(None, text, note=True))
        if column.older_done:
            text = _("{count} done earlier, not shown (/ shows them)").format(
                count=column.older_done)
            entries.append(CardLines(None, text, note=True))
        return entries

    def _card_lines(self, card: Card) -> CardLines:
        """What a card draws, made once per card (a move changes two cards of eighty)."""
        lines = self._lines.get(card)
        if lines is None:
            from amtui.models.work import department  # lazy: pydantic, kept out of the first paint

            if len(self._lines) > 4 * MAX_CARDS * len(self.columns):
                self._lines.clear()
            work = department(card.department)
            # In lanes by client, the lane names the client: the card has room for the rest.
            who = (work,) if self.lanes == "client" else (card.client, work)
            lines = self._lines[card] = CardLines(
                card.id, card.title, card_facts(card, self.now, self.amtui.workspace.settings),
                who=who)
        return lines

    def _lane(self, card: Card) -> str:
        # lazy: pydantic, loaded on first use
        from amtui.models.work import department

        return card.client if self.lanes == "client" else department(card.department)

    def _show_status(self) -> None:
        """The count of cards, the filter and swimlanes if on, and the legend of the marks:
        the legend's short form when the long one does not fit, none when neither does (never
        a note cut in the middle)."""
        parts = [_("cards: {count}").format(count=sum(column.total for column in self.columns))]
        if self.board_filter is not None and self.board_filter.active:
            parts.append(_("filtered (F clears)"))
        if self.lanes:
            parts.append(_("swimlanes by {what}").format(what=_(self.lanes)))
        status = self.query_one("#board-status", Static)
        room = status.content_region.width or self.app.size.width - 2

        def fits(shown: list[str]) -> bool:
            return Content(" · ".join(shown)).cell_length <= room

        for legend in (_("! overdue ⏸ waiting on client ◷ stale"), _("! late ⏸ waiting ◷ stale")):
            if fits([*parts, legend]):
                parts.append(legend)
                break
        while len(parts) > 1 and not fits(parts):
            parts.pop()  # the swimlanes note first, then the filter's
        text = Content(" · ".join(parts))
        if status.visual != text:
            status.update(text, layout=False)

    def on_resize(self) -> None:
        super().on_resize()
        if self.columns:
            self._show_status()

    # saving

    def _change(self, save: Callable[[], tuple[Task, Undo]], done_message: str, *,
                was_in: str | None, client: str | None = None,
                overwrite: Callable[[], tuple[Task, Undo]] | None = None,
                gone: bool = False) -> None:
        """Save in a worker, after the board's earlier saves (a card moved twice quickly is
        saved twice in that order), and hand the task as saved back to the board.
        ``client`` is the task's client's name if known (else it is looked up); ``gone``: the
        change moves the task to the trash."""
        previous, finished = self._last_save, threading.Event()
        self._last_save = finished

        def in_turn() -> Undo:
            previous.wait(SAVE_WAIT)
            try:
                return self._record(save, was_in, client, gone)
            finally:
                finished.set()

        self.amtui.change(in_turn, done_message, overwrite=None if overwrite is None else
                          lambda: self._record(overwrite, was_in, client))

    def _record(self, save: Callable[[], tuple[Task, Undo]], was_in: str | None,
                client: str | None, gone: bool = False) -> Undo:
        """Runs in a worker: save, and note what was saved over which version. A save that
        fails leaves the board showing its guess: it is read again."""
        # lazy: pydantic, loaded on first use
        from amtui.services.board import board_version, card_of

        workspace = self.amtui.workspace
        tasks = workspace.file("tasks")
        mark = tasks.mark()
        before = board_version(workspace)
        try:
            task, undo = save()
        except Exception:
            self.post_message(self.SaveFailed())
            raise
        after = board_version(workspace)
        # Another process may have saved the tasks just before this save took the lock, or
        # just after it: then ``after`` holds its change too, which the board does not show.
        changed = tasks.changed_since(mark)
        alone = changed is not None and set(changed) <= {task.id} and before[1] == after[1]
        self._saved.append(Saved(before if alone else None, after,
                                 card_of(workspace, task, client), was_in, gone))
        return undo

    class SaveFailed(Message):
        """A save the board showed at once failed (the app says why)."""

    def on_board_pane_save_failed(self) -> None:
        self.load()

    # where the cursor is

    def _current(self) -> Card | None:
        card_id = self.view.current_card_id
        if card_id is None or card_id not in self.cards:
            self.notify(_("No task is selected."), severity="warning")
            return None
        return self.cards[card_id]

    # keys

    def action_column(self, step: int) -> None:
        view = self.view
        view.go_to_column(view.column + step)

    def action_move(self, step: int) -> None:
        card = self._current()
        if card is None:
            return
        ids = [column.id for column in self.columns]
        index = ids.index(card.column) + step
        if not 0 <= index < len(ids):
            return
        # lazy: pydantic, loaded on first use
        from amtui.services.board import move, moved_card

        workspace = self.amtui.workspace
        target = ids[index]
        destination = self.columns[index]
        if destination.wip is not None and destination.total >= destination.wip:
            self.notify(_("{column} holds {held} tasks, its limit is {limit}: finish one there "
                          "first").format(column=destination.title, held=destination.total,
                                          limit=destination.wip), severity="warning")
            return
        self._change(lambda: move(workspace, card.id, target, card.rev), "",  # shown at once
                     was_in=card.column, client=card.client,
                     overwrite=lambda: move(workspace, card.id, target, overwrite=True))
        # Shown as it will be saved; the task as saved then takes its place.
        self._take_out(card)
        self._put_in(moved_card(workspace.settings, card, target, workspace.clock()))
        self._fill(card.id)

    def action_reorder(self, step: int) -> None:
        card = self._current()
        if card is None:
            return
        cards = self._column(card.column).cards
        index = cards.index(card)
        if not 0 <= index + step < len(cards):
            return
        # Past the neighbour: between it and the one after it (or the column's end).
        neighbour = cards[index + step]
        beyond = index + 2 * step
        other = cards[beyond] if 0 <= beyond < len(cards) else None
        before, after = (neighbour, other) if step > 0 else (other, neighbour)
        # lazy: pydantic, loaded on first use
        from amtui.services.board import position_between, reorder

        workspace = self.amtui.workspace
        self._change(lambda: reorder(workspace, card, before, after), "",
                     was_in=card.column, client=card.client,
                     overwrite=lambda: reorder(workspace, card, before, after, overwrite=True))
        self._take_out(card)
        self._put_in(replace(card, position=position_between(before, after), rev=card.rev + 1))
        self._fill(card.id)

    def on_board_view_selected(self, event: BoardView.Selected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        card = self._current()
        if card is not None:
            # lazy: pydantic, loaded on first use
            from amtui.ui.task_screen import TaskScreen

            self.app.push_screen(TaskScreen(card.id, save=lambda change, message: self._change(
                change, message, was_in=card.column, client=card.client),
                delete=lambda task: self._delete(task.id, task.title)))

    def action_new(self) -> None:
        column = self.view.current
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.board import add_task
        from amtui.ui.task_forms import task_form

        workspace = self.amtui.workspace

        def made(task: Any) -> None:
            if task is not None:
                self._follow = task.id
                self._change(lambda: add_task(workspace, task), _("Task added"), was_in=None)

        self.app.push_screen(task_form(workspace, column=column.id if column else None), made)

    def action_edit(self) -> None:
        card = self._current()
        if card is None:
            return
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
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
                self._change(lambda: save_task(workspace, changed), _("Task saved"),
                             was_in=card.column,
                             overwrite=lambda: save_task(workspace, changed, overwrite=True))

        self.app.push_screen(task_form(workspace, task=seen), edited)

    def action_delete(self) -> None:
        card = self._current()
        if card is None:
            return
        # lazy: kept out of the app start
        from amtui.ui.confirm import ask_to_delete

        ask_to_delete(self.app, _("Move the task «{title}» to the trash?").format(
            title=one_line(card.title, 60)), lambda: self._delete(card.id, card.title))

    def _delete(self, task_id: str, title: str) -> None:
        """Move the task to the trash, after the board's earlier saves; its card leaves the
        board at once (a task not shown is left to the board's next reading)."""
        # lazy: pydantic, loaded on first use
        from amtui.services.board import delete_task

        workspace = self.amtui.workspace
        done = _("«{name}» moved to the trash; u undoes").format(name=one_line(title, 40))
        card = self.cards.get(task_id)
        if card is None:
            self.amtui.change(lambda: delete_task(workspace, task_id)[1], done)
            return
        self._change(lambda: delete_task(workspace, task_id), done,
                     was_in=card.column, client=card.client, gone=True)
        self._take_out(card)
        self._fill()

    def action_filter(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
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
        # lazy: kept out of the app start
        from amtui.ui.update_screen import UpdateScreen

        self.app.push_screen(UpdateScreen(card.client_id))

    def action_lanes(self) -> None:
        self.lanes = LANES[(LANES.index(self.lanes) + 1) % len(LANES)]
        self._lines.clear()  # a card says whose it is unless its lane does
        self._fill(self.view.current_card_id, everything=True)


def card_facts(card: Card, now: datetime, settings: WorkspaceSettings) -> tuple[Part, ...]:
    """A card's facts, each with its mark: due day ("!" overdue), waiting on the client
    ("⏸" days), stale in its column ("◷" days), the checklist and the assignee."""
    today = now.date()
    done_column = settings.columns[-1]
    parts: list[Part] = []
    if card.due:
        due = date.fromisoformat(card.due)
        shown = due.strftime("%d.%m" if due.year == today.year else "%d.%m.%y")
        if task_overdue(card.rule_fields(), today, done_column):
            parts.append(("!" + shown, "late"))
        elif due == today and card.column != done_column:
            parts.append((_("today"), "today"))
        else:
            parts.append((shown, ""))
    days = card.waiting_days(now)
    if card.blocked_since is not None:
        parts.append((_("⏸{days}d").format(days=days), "waiting"))
    elif (card.column not in (settings.columns[0], done_column)
          and days >= settings.stale_after_days):
        parts.append((_("◷{days}d").format(days=days), "stale"))
    if card.checklist_total:
        parts.append((f"☑{card.checklist_done}/{card.checklist_total}", "checklist"))
    if card.assignee:
        parts.append((card.assignee, "who"))
    return tuple(parts)
