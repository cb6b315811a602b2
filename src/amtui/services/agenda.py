"""Today: the agenda an account manager opens the day with.

Computed from the stored records (as plain dicts, so it stays fast on a large workspace) and
shared by the Today pane and ``amtui today``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from amtui.models import Cadence
from amtui.services.projection import Interner
from amtui.services.rules import message_late, snoozed, task_overdue

if TYPE_CHECKING:
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace

Raw = dict[str, Any]

@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One line of the agenda, pointing at the record it is about."""

    table: str
    record_id: str
    title: str
    client: str
    detail: str
    """Why it is on the agenda: "answer was due 3 h ago", "due 2026-11-20", …"""
    client_id: str | None = None


@dataclass
class AgendaSection:
    key: str
    title: str
    empty: str
    """What to say when nothing is in the section."""
    items: list[AgendaItem] = field(default_factory=list)
    total: int = 0
    """How many items the section has; more than ``items`` when the agenda was limited."""


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ago(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(int(hours * 60), 1)} min"
    if hours < 48:
        return f"{int(hours)} h"
    return f"{int(hours // 24)} days"


def last_contacts(messages: Iterable[Raw], key: str = "client_id") -> dict[str, datetime]:
    """When each client (or, with ``key="contact_id"``, each contact) last had any logged
    interaction: a message either way, a call."""
    latest: dict[str, datetime] = {}
    for message in messages:
        moment = _moment(message.get("received_at"))
        owner = message.get(key)
        if moment and owner and (owner not in latest or moment > latest[owner]):
            latest[owner] = moment
    return latest


CLIENT_FIELDS = ("id", "name", "status", "cadence", "update_snoozed_until")
"""What the agenda needs of a client (the rest is not kept, to stay small on large data)."""


def build_agenda(workspace: Workspace, now: datetime | None = None,
                 limit: int | None = None) -> list[AgendaSection]:
    """The sections of Today, in the order they are shown.

    Each table is read once, record by record, keeping only what the agenda shows: a large
    workspace never has to be in memory at once. With ``limit``, each section keeps its
    first ``limit`` items (``total`` still counts them all).
    """
    now = now or workspace.clock()
    settings = workspace.settings
    shared = Interner()
    clients = {
        client["id"]: {key: shared(client.get(key)) for key in CLIENT_FIELDS}
        for client in workspace.file("clients").scan()
    }
    done_column = settings.columns[-1]

    def client_name(client_id: str | None) -> str:
        return str((clients.get(client_id or "") or {}).get("name") or "")

    late = AgendaSection("late_answers", "Answers overdue", "No client is waiting past their "
                         "answer time.")
    late_messages: list[tuple[datetime, str, str, str | None]] = []
    contacted: dict[str, datetime] = {}
    contacted_people: dict[str, datetime] = {}
    for message in workspace.file("messages").scan():
        moment = _moment(message.get("received_at"))
        if moment:
            for owner, latest in ((message.get("client_id"), contacted),
                                  (message.get("contact_id"), contacted_people)):
                if owner and (owner not in latest or moment > latest[owner]):
                    latest[owner] = moment
        if not message_late(message, now):
            continue
        answer_by = _moment(message["answer_by"])
        assert answer_by is not None  # a late message has one
        late_messages.append((answer_by, message["id"],
                              message["text"].strip().split("\n")[0], message.get("client_id")))
    late_messages.sort(key=lambda late_message: late_message[0])
    for answer_by, message_id, first_line, client_id in late_messages:
        late.items.append(AgendaItem(
            "messages", message_id, first_line, client_name(client_id),
            f"answer was due {_ago(now - answer_by)} ago", client_id,
        ))
    del late_messages

    today = now.date()
    overdue = AgendaSection("overdue_tasks", "Tasks overdue", "No task is past its due date.")
    waiting = AgendaSection("waiting_on_client", "Waiting on the client",
                            "No task has waited on a client for long.")
    stuck = AgendaSection("stuck_with_department", "Stuck with a department",
                          "No task has sat in one column for long.")
    push_after = timedelta(days=settings.push_client_after_days)
    stale_after = timedelta(days=settings.stale_after_days)
    first_column = settings.columns[0]
    delivered: dict[str, datetime] = {}
    open_work: set[str] = set()
    Row = tuple[Any, str, str, str, str | None]  # sort key, detail, id, title, client
    late_tasks: list[Row] = []
    blocked_tasks: list[Row] = []
    stuck_tasks: list[Row] = []
    for task in workspace.file("tasks").scan():
        client_id = task.get("client_id")
        if task.get("column") == done_column:
            done_at = _moment(task.get("done_at"))
            if client_id and done_at and (client_id not in delivered
                                          or done_at > delivered[client_id]):
                delivered[client_id] = done_at
            continue
        if client_id:
            open_work.add(client_id)
        # Kept as plain tuples until sorted and cut to ``limit``: there can be thousands.
        if task_overdue(task, today, done_column):
            detail = f"due {task['due']} · {task.get('department', '')}"
            late_tasks.append((detail, detail, task["id"], task["title"], client_id))
        blocked_since = _moment(task.get("blocked_since"))
        if task.get("blocked_by_client"):
            if blocked_since and now - blocked_since >= push_after:
                blocked_tasks.append((blocked_since,
                                      f"waiting {_ago(now - blocked_since)} for the client",
                                      task["id"], task["title"], client_id))
        elif task.get("column") != first_column:
            # With the department: since it came into its column (or was last changed).
            since = _moment(task.get("column_since")) or _moment(task.get("updated_at"))
            if since and now - since >= stale_after:
                column = str(task.get("column", "")).replace("_", " ")
                stuck_tasks.append((since, f"{column} for {_ago(now - since)} · "
                                           f"{task.get('department', '')}",
                                    task["id"], task["title"], client_id))
    for section, rows in ((overdue, late_tasks), (waiting, blocked_tasks),
                          (stuck, stuck_tasks)):
        rows.sort(key=lambda row: row[0])
        section.total = len(rows)
        section.items = [AgendaItem("tasks", task_id, title, client_name(client_id), detail,
                                    client_id)
                         for _key, detail, task_id, title, client_id in rows[:limit]]
    del late_tasks, blocked_tasks, stuck_tasks

    updates = AgendaSection("updates_due", "Updates due", "Every client has heard from us "
                            "on time.")
    remarket = AgendaSection("remarket", "Remarket", "No dormant or delivered client to "
                             "offer something now.")
    dormant_after = timedelta(days=settings.dormant_contact_days)
    remarket_after = timedelta(days=settings.remarket_after_days)
    for client in clients.values():
        last = contacted.get(client["id"])
        since = f"last contact {_ago(now - last)} ago" if last else "never contacted"
        status = client.get("status")
        if status == "active":
            days = Cadence(client.get("cadence") or "weekly").days
            if days and not snoozed(client.get("update_snoozed_until"), now) and (
                last is None or now - last >= timedelta(days=days)
            ):
                updates.items.append(AgendaItem(
                    "clients", client["id"], client["name"], client["name"],
                    f"{client.get('cadence')} update · {since}", client["id"],
                ))
            finished = delivered.get(client["id"])
            if (finished and client["id"] not in open_work and now - finished >= remarket_after
                    and (last is None or now - last >= remarket_after)):
                remarket.items.append(AgendaItem(
                    "clients", client["id"], client["name"], client["name"],
                    f"work delivered {_ago(now - finished)} ago · offer what comes next",
                    client["id"],
                ))
        elif status == "dormant" and (last is None or now - last >= dormant_after):
            remarket.items.append(AgendaItem(
                "clients", client["id"], client["name"], client["name"],
                f"dormant · {since}", client["id"],
            ))
    for contact in workspace.file("contacts").scan():
        cadence = contact.get("cadence")
        client = clients.get(contact.get("client_id") or "") or {}
        days = Cadence(cadence).days if cadence else None
        if not days or client.get("status") != "active":
            continue
        last = contacted_people.get(contact["id"])
        if last is None or now - last >= timedelta(days=days):
            since = f"last contact {_ago(now - last)} ago" if last else "never contacted"
            updates.items.append(AgendaItem(
                "contacts", contact["id"], contact["name"], client["name"],
                f"{cadence} update for this contact · {since}", client["id"],
            ))
    updates.items.sort(key=lambda item: item.title.casefold())
    remarket.items.sort(key=lambda item: item.title.casefold())
    sections = [late, overdue, waiting, stuck, updates, remarket]
    for section in sections:
        section.total = max(section.total, len(section.items))
        if limit is not None:
            del section.items[limit:]
    return sections


def plugin_sections(workspace: Workspace, host: PluginHost, now: datetime | None = None,
                    limit: int | None = None) -> list[AgendaSection]:
    """Today's sections that plugins add, one per plugin and section title."""
    now = now or workspace.clock()
    sections: dict[tuple[str, str], AgendaSection] = {}
    names: dict[str, str] = {}
    for plugin, entry in host.agenda(workspace, now):
        section = sections.setdefault((plugin, entry.section), AgendaSection(
            f"plugin:{plugin}:{entry.section}", entry.section, ""))
        section.total += 1
        if limit is not None and len(section.items) >= limit:
            continue
        client = ""
        if entry.client_id:
            if entry.client_id not in names:
                found = workspace.file("clients").get(entry.client_id)
                names[entry.client_id] = str(found.get("name", "")) if found else ""
            client = names[entry.client_id]
        section.items.append(AgendaItem(entry.table, entry.record_id, entry.title, client,
                                        entry.detail, entry.client_id))
    return list(sections.values())
