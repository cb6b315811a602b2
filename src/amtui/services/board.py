"""The board: tasks in columns, moved along as the departments and the client do their part.

Read once per load, task by task, keeping a small view of each column's first tasks and
counting the rest; done tasks older than a cut-off are only counted (a workspace holds years
of them). The changes return the task as saved, so a view can show it without reading again.
"""

from __future__ import annotations

import heapq
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from amtui.i18n import N_, _
from amtui.models import ChecklistItem, Task
from amtui.services import actions, undo
from amtui.services.projection import Interner
from amtui.services.rules import task_due_within, task_overdue
from amtui.storage import InvalidRecord
from amtui.storage.index import microseconds

if TYPE_CHECKING:
    from amtui.models.workspace import WorkspaceSettings
    from amtui.storage import Workspace

APPROVAL_COLUMN = "client_approval"
"""Moving a task here means the client now has to answer: it waits on the client."""

COLUMN_TITLES = {
    "backlog": N_("Backlog"), "todo": N_("To do"), "in_progress": N_("In progress"),
    "review": N_("Review"), "client_approval": N_("Client approval"), "done": N_("Done"),
}


@dataclass(frozen=True, slots=True)
class Card:
    """What a card shows of a task."""

    id: str
    rev: int
    title: str
    client_id: str | None
    client: str
    department: str
    assignee: str
    column: str
    position: float
    due: str | None
    checklist_done: int
    checklist_total: int
    blocked_since: datetime | None
    """Waiting on the client since then (None: waiting on us, the department)."""
    since: datetime | None
    """In this column since then."""
    done_at: datetime | None

    def rule_fields(self) -> dict[str, Any]:
        """The task's fields that the rules (:mod:`amtui.services.rules`) read."""
        return {"due": self.due, "column": self.column,
                "blocked_by_client": self.blocked_since is not None}

    def waiting_days(self, now: datetime) -> int:
        """Days in its current state: waiting on the client, or on the department."""
        start = self.blocked_since or self.since
        return max((now - start).days, 0) if start else 0


@dataclass
class Column:
    id: str
    title: str
    wip: int | None
    """Most tasks the column may hold; None for no limit."""
    cards: list[Card] = field(default_factory=list)
    """The column's first cards, in order (all of them unless the board was limited)."""
    total: int = 0
    """How many tasks are in the column (those filtered out not counted)."""
    older_done: int = 0
    """Done tasks left off the board (done before the cut-off)."""

    @property
    def over_limit(self) -> bool:
        return self.wip is not None and self.total > self.wip


@dataclass(frozen=True)
class BoardFilter:
    """What the board is narrowed to; empty values let every task through."""

    client_id: str = ""
    department: str = ""
    assignee: str = ""
    due: str = ""
    """``overdue`` or ``week`` (due within seven days), or empty."""
    blocked: bool = False
    """Only tasks waiting on the client."""
    done_earlier: bool = False
    """Also the done tasks older than the cut-off (otherwise only counted)."""

    @property
    def active(self) -> bool:
        return bool(self.client_id or self.department or self.assignee or self.due
                    or self.blocked or self.done_earlier)

    def accepts(self, card: Card, today: date, done_column: str) -> bool:
        if self.client_id and card.client_id != self.client_id:
            return False
        if self.department and card.department != self.department:
            return False
        if self.assignee and card.assignee.casefold() != self.assignee.casefold():
            return False
        if self.blocked and card.blocked_since is None:
            return False
        if self.due == "overdue":
            return task_overdue(card.rule_fields(), today, done_column)
        if self.due == "week":
            return task_due_within(card.rule_fields(), today, 7, done_column)
        return True


def column_title(settings: WorkspaceSettings, column: str) -> str:
    return settings.column_titles.get(column) or _(COLUMN_TITLES.get(column, "")) or \
        column.replace("_", " ")


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def load_board(workspace: Workspace, now: datetime | None = None,
               board_filter: BoardFilter | None = None,
               limit: int | None = None) -> list[Column]:
    """The columns with their cards in order. Tasks in a column the settings no longer name
    are shown in the first column, so nothing disappears. With ``limit``, each column keeps
    only its first ``limit`` cards (and counts the rest): a large board is never held whole."""
    settings = workspace.settings
    now = now or workspace.clock()
    today = now.date()
    columns = [Column(column_id, column_title(settings, column_id),
                      settings.wip_limits.get(column_id))
               for column_id in settings.columns]
    by_id = {column.id: column for column in columns}
    done = by_id.get(settings.columns[-1])
    cutoff = now - timedelta(days=settings.board_done_days)
    if board_filter is not None and board_filter.done_earlier:
        done = None
    shared = Interner()
    if board_filter is None and limit is not None:
        _from_index(workspace, columns, done, cutoff, limit, shared)
        return columns
    heaps: dict[str, list[tuple[float, int, Card]]] = {column.id: [] for column in columns}
    for task in workspace.file("tasks").scan():
        column = by_id.get(task.get("column") or "") or columns[0]
        done_at = _moment(task.get("done_at"))
        if column is done and done_at is not None and done_at < cutoff:
            column.older_done += 1
            continue
        position = float(task.get("position") or 0.0)
        kept = heaps[column.id]
        if board_filter is None:
            column.total += 1
            if limit is not None and len(kept) >= limit and -position <= kept[0][0]:
                continue  # not among the column's first cards: counted, not built
        card = _card(task, column.id, position, done_at, shared)
        if board_filter is not None:
            if not board_filter.accepts(card, today, settings.columns[-1]):
                continue
            column.total += 1
        entry = (-position, -column.total, card)
        if limit is None or len(kept) < limit:
            heapq.heappush(kept, entry)
        elif entry[:2] > kept[0][:2]:  # earlier than the last card kept
            heapq.heapreplace(kept, entry)
    # Client names only for the cards kept (not a name for each of thousands of clients).
    names = _client_names(workspace, {entry[2].client_id for kept in heaps.values()
                                      for entry in kept if entry[2].client_id}, shared)
    for column in columns:
        column.cards = sorted((replace(entry[2], client=names.get(entry[2].client_id, ""))
                               if entry[2].client_id else entry[2]
                               for entry in heaps[column.id]),
                              key=lambda card: (card.position, card.id))
    return columns


def _from_index(workspace: Workspace, columns: list[Column], done: Column | None,
                cutoff: datetime, limit: int, shared: Interner) -> None:
    """The whole board's first ``limit`` cards of each column and its counts, asked of the
    record index: the work follows the cards shown, not the tasks ever made."""
    db = workspace.index.fresh(workspace.file("tasks"), workspace.file("clients"))
    known = [column.id for column in columns]
    marks = ", ".join("?" * len(known))
    older = 't."column" = ? AND t.done_at IS NOT NULL AND t.done_at < ?'
    old_done = [done.id if done else "", microseconds(cutoff)]
    by_id = {column.id: column for column in columns}
    # counted by the index on (column, done_at), never a task read: each column's tasks
    # (those in a column no longer named in the first), less the done ones done long ago
    for column_id, total in db.execute('SELECT "column", COUNT(*) FROM tasks GROUP BY "column"'):
        by_id.get(column_id, columns[0]).total += total
    if done is not None:
        done.older_done = db.execute(f"SELECT COUNT(*) FROM tasks t WHERE {older}",
                                     old_done).fetchone()[0]
        done.total -= done.older_done
    for column in columns:
        if not column.total:
            continue
        inside = ('t."column" = ?' if column.id != known[0]
                  else f't."column" = ? OR t."column" NOT IN ({marks})')
        values = [column.id] if column.id != known[0] else [column.id, *known]
        cards = []
        for body, client in db.execute(
                f"SELECT t.body, c.name FROM tasks t LEFT JOIN clients c ON c.id = t.client_id "
                f"WHERE ({inside}) AND NOT ({older}) ORDER BY t.position, t.rowid LIMIT ?",
                [*values, *old_done, limit]):
            task = orjson.loads(body)
            card = _card(task, column.id, float(task.get("position") or 0.0),
                         _moment(task.get("done_at")), shared)
            cards.append(replace(card, client=shared(client or "")) if card.client_id
                         else card)
        column.cards = sorted(cards, key=lambda card: (card.position, card.id))


def board_version(workspace: Workspace) -> tuple[object, ...]:
    """The version on disk of the files the board is read from: different after any save,
    by this process or another."""
    version: list[object] = []
    for table in ("tasks", "clients"):
        try:
            stat = os.stat(workspace.file(table).path)
        except FileNotFoundError:
            version.append(None)
        else:
            version.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(version)


def card_of(workspace: Workspace, task: Task, client: str | None = None) -> Card:
    """The card of a task (as just saved); ``client`` is its client's name, looked up when
    not given."""
    raw = task.model_dump(mode="json")
    columns = workspace.settings.columns
    column = task.column if task.column in columns else columns[0]
    card = _card(raw, column, task.position, task.done_at, Interner())
    if client is None and task.client_id:
        client = _client_names(workspace, {task.client_id}, Interner()).get(task.client_id)
    return replace(card, client=client or "")


def _client_names(workspace: Workspace, wanted: set[str | None],
                  shared: Interner) -> dict[str | None, str]:
    if not wanted:
        return {}
    clients = workspace.file("clients")
    if len(wanted) == 1:
        (client_id,) = wanted
        found = clients.get(client_id) if client_id else None  # found without a full scan
        return {client_id: str(found.get("name", ""))} if found else {}
    return {client["id"]: shared(str(client.get("name", ""))) for client in clients.scan()
            if client["id"] in wanted}


def _card(task: dict[str, Any], column: str, position: float, done_at: datetime | None,
          shared: Interner) -> Card:
    """A card without its client's name (filled in for the cards kept)."""
    checklist = task.get("checklist") or []
    return Card(
        id=task["id"], rev=int(task.get("rev", 0)), title=str(task.get("title", "")),
        client_id=shared(task.get("client_id")), client="",
        department=shared(str(task.get("department", ""))),
        assignee=shared(str(task.get("assignee", ""))),
        column=column, position=position, due=shared(task.get("due")),
        checklist_done=sum(1 for item in checklist if item.get("done")),
        checklist_total=len(checklist),
        blocked_since=(_moment(task.get("blocked_since"))
                       if task.get("blocked_by_client") else None),
        since=_moment(task.get("column_since")) or _moment(task.get("updated_at")),
        done_at=done_at,
    )


def move(workspace: Workspace, task_id: str, to_column: str, seen_rev: int | None = None,
         *, overwrite: bool = False) -> tuple[Task, undo.Undo]:
    """Move a task to another column, at its top (where the eye and the cursor are). Moving to
    the last column stamps when it was done; to client approval, it starts waiting on the
    client. A column at its WIP limit takes no more tasks."""
    settings = workspace.settings
    if to_column not in settings.columns:
        raise InvalidRecord(_("no board column {to_column!r} (columns: {columns})").format(
            to_column=to_column, columns=", ".join(settings.columns)))
    repository = workspace.repo(Task)
    task = repository.get(task_id)
    if seen_rev is not None and not overwrite:
        task = task.model_copy(update={"rev": seen_rev})
    if task.column == to_column:
        raise InvalidRecord(_("the task is already in {column}").format(
            column=column_title(settings, to_column)))
    limit = settings.wip_limits.get(to_column)
    held = workspace.file("tasks").count_where("column", to_column) if limit else 0
    if limit is not None and held >= limit:
        raise InvalidRecord(_("{column} holds {held} tasks, its limit is {limit}: finish one "
                              "there first").format(
            column=column_title(settings, to_column), held=held, limit=limit))
    changes = move_changes(settings, task.column, to_column, workspace.clock())
    moved = task.model_copy(update=changes)
    return undo.update(workspace, moved, _("task «{title}» moved to {column}").format(
        title=task.title[:40], column=column_title(settings, to_column)))


def move_changes(settings: WorkspaceSettings, from_column: str, to_column: str,
                 now: datetime) -> dict[str, Any]:
    """The fields a move changes: the column, since when, the place on top of it, and the
    done and waiting-on-the-client stamps."""
    # On top of the column: before every position given so far (they are small numbers, or
    # earlier moves' own, which are larger negative times).
    changes: dict[str, Any] = {"column": to_column, "column_since": now,
                               "position": -now.timestamp()}
    done_column = settings.columns[-1]
    if to_column == done_column:
        changes["done_at"] = now
    elif from_column == done_column:
        changes["done_at"] = None
    if to_column == APPROVAL_COLUMN:
        changes.update(blocked_by_client=True, blocked_since=now)
    elif from_column == APPROVAL_COLUMN:
        changes.update(blocked_by_client=False, blocked_since=None)
    return changes


def moved_card(settings: WorkspaceSettings, card: Card, to_column: str,
               now: datetime) -> Card:
    """The card as :func:`move` will save it (shown before the save is done)."""
    changes = move_changes(settings, card.column, to_column, now)
    blocked = changes.get("blocked_by_client")
    return replace(
        card, column=to_column, position=changes["position"], rev=card.rev + 1,
        since=now, done_at=changes.get("done_at", card.done_at),
        blocked_since=card.blocked_since if blocked is None else changes["blocked_since"])


def reorder(workspace: Workspace, card: Card, before: Card | None, after: Card | None,
            *, overwrite: bool = False) -> tuple[Task, undo.Undo]:
    """Put a task between two cards of its column (either may be None: the column's end)."""
    position = position_between(before, after)
    task = workspace.repo(Task).get(card.id)
    if not overwrite:
        task = task.model_copy(update={"rev": card.rev})
    return undo.update(workspace, task.model_copy(update={"position": position}),
                       _("task «{title}» reordered").format(title=task.title[:40]))


def position_between(before: Card | None, after: Card | None) -> float:
    """A position between two cards of a column (either may be None: the column's end)."""
    if before is None and after is None:
        raise InvalidRecord(_("the task is alone in its column"))
    if before is None:
        assert after is not None
        return after.position - 1.0
    if after is None:
        return before.position + 1.0
    position = (before.position + after.position) / 2
    if position in (before.position, after.position):
        position = before.position + 0.5  # positions too close: not exact, still ordered
    return position


def toggle_checklist_item(workspace: Workspace, task: Task, index: int) -> tuple[Task, undo.Undo]:
    """Tick or untick one checklist item of a task."""
    if not 0 <= index < len(task.checklist):
        raise InvalidRecord(_("the task has no checklist item {number}").format(
            number=index + 1))
    items = list(task.checklist)
    item = items[index]
    items[index] = item.model_copy(update={"done": not item.done})
    done = (_("checklist item of «{title}» unticked") if item.done
            else _("checklist item of «{title}» ticked"))
    return undo.update(workspace, task.model_copy(update={"checklist": items}),
                       done.format(title=task.title[:40]))


def add_checklist_item(workspace: Workspace, task: Task, text: str,
                       after: int | None = None) -> tuple[Task, undo.Undo]:
    """Add an item to the task's checklist, after item ``after`` (at the end if None)."""
    items = list(task.checklist)
    place = len(items) if after is None else min(max(after + 1, 0), len(items))
    items.insert(place, ChecklistItem(text=_item_text(text)))
    return undo.update(workspace, task.model_copy(update={"checklist": items}),
                       _("checklist item added to «{title}»").format(title=task.title[:40]))


def rename_checklist_item(workspace: Workspace, task: Task, index: int,
                          text: str) -> tuple[Task, undo.Undo]:
    """Give one checklist item new words; ticked stays ticked."""
    items = list(task.checklist)
    index = _item_index(task, index)
    items[index] = items[index].model_copy(update={"text": _item_text(text)})
    return undo.update(workspace, task.model_copy(update={"checklist": items}),
                       _("checklist item of «{title}» renamed").format(title=task.title[:40]))


def remove_checklist_item(workspace: Workspace, task: Task,
                          index: int) -> tuple[Task, undo.Undo]:
    """Take one item off the task's checklist."""
    items = list(task.checklist)
    del items[_item_index(task, index)]
    return undo.update(workspace, task.model_copy(update={"checklist": items}),
                       _("checklist item of «{title}» removed").format(title=task.title[:40]))


def _item_index(task: Task, index: int) -> int:
    if not 0 <= index < len(task.checklist):
        raise InvalidRecord(_("the task has no checklist item {number}").format(
            number=index + 1))
    return index


def _item_text(text: str) -> str:
    """A checklist item's words: one line, not empty (else InvalidRecord)."""
    words = " ".join(text.split())
    if not words:
        raise InvalidRecord(_("a checklist item needs some words"))
    if len(words) > 500:
        raise InvalidRecord(_("a checklist item is at most 500 characters"))
    return words


def add_task(workspace: Workspace, task: Task) -> tuple[Task, undo.Undo]:
    """A new task, on top of its column (where the cursor goes)."""
    now = workspace.clock()
    placed = task.model_copy(update={"position": -now.timestamp(), "column_since": now})
    return undo.add(workspace, placed, _("task «{title}» added").format(
        title=task.title[:40]))


def delete_task(workspace: Workspace, task_id: str) -> tuple[Task, undo.Undo]:
    """Move the task to the trash, as ``amtui delete`` does; returns the task as it was."""
    task = workspace.repo(Task).get(task_id)
    return task, actions.delete(workspace, Task.table, task_id)


def save_task(workspace: Workspace, task: Task, *,
              overwrite: bool = False) -> tuple[Task, undo.Undo]:
    """Save an edited task (as read earlier; ``overwrite`` after a conflict)."""
    if overwrite:
        current = workspace.repo(Task).get(task.id)
        task = task.model_copy(update={"rev": current.rev})
    return undo.update(workspace, task, _("task «{title}» edited").format(
        title=task.title[:40]))
