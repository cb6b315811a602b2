"""Today: the agenda an account manager opens the day with.

Computed from the stored records (as plain dicts, so it stays fast on a large workspace) and
shared by the Today pane and ``amtui today``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from amtui.dates import days as whole_days, duration
from amtui.i18n import _
from amtui.models import Cadence, WorkingHours
from amtui.models.work import department
from amtui.services.hours import WorkingDays, on_working_day
from amtui.services.projection import Interner
from amtui.services.rules import (
    message_late,
    message_open,
    message_snoozed,
    message_urgent,
    moment,
    snoozed,
    task_overdue,
)

if TYPE_CHECKING:
    from amtui.plugins.host import PluginHost
    from amtui.plugins.specs import EntryAction
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
    """More about it, said after the record: the department, the cadence; for a plugin's line,
    all it says."""
    client_id: str | None = None
    fact: str = ""
    """Why it is on the agenda, said first: "answer 2 d late", "3 d overdue", "due today"
    (a plugin's line: what its plugin says, if anything)."""
    plugin: str = ""
    """The plugin whose line it is ("" for amtui's own)."""
    done: EntryAction | None = None
    """What ``d`` does on a plugin's line (None: nothing, and the key says so)."""
    snooze: EntryAction | None = None
    """What ``s`` does on a plugin's line."""

    def as_json(self) -> dict[str, Any]:
        """Its fields for ``amtui today --json``: what a plugin's ``d`` and ``s`` do, by
        name (``done``, ``snooze``: their labels, "" if none)."""
        return {"table": self.table, "record_id": self.record_id, "title": self.title,
                "client": self.client, "detail": self.detail, "client_id": self.client_id,
                "fact": self.fact, "plugin": self.plugin,
                "done": self.done.label if self.done else "",
                "snooze": self.snooze.label if self.snooze else ""}


@dataclass
class AgendaSection:
    key: str
    title: str
    empty: str
    """What to say when nothing is in the section."""
    items: list[AgendaItem] = field(default_factory=list)
    total: int = 0
    """How many items the section has; more than ``items`` when the agenda was limited."""


@dataclass(frozen=True)
class Mine:
    """Whose agenda it is: the records a member owns or is assigned to.

    A client is theirs when they own it; a message when it is assigned to them or its client
    is theirs (mail with no client yet that nobody has is everyone's); a task when its client
    is theirs or its assignee is their name or login; a contact when its client is theirs; a
    plugin's line when its client is theirs (a line about no client is everyone's).
    """

    member_id: str
    name: str
    login: str

    @classmethod
    def of(cls, member: Raw) -> Mine:
        return cls(str(member["id"]), str(member.get("name", "")), str(member.get("login", "")))

    def assignee(self, assignee: object) -> bool:
        """A task's assignee (a name typed by someone) is this member."""
        typed = str(assignee or "").strip().casefold()
        return bool(typed) and typed in (self.name.casefold(), self.login.casefold())


def member_by_login(workspace: Workspace, login: str) -> Raw | None:
    """The member who logs in to the host as ``login``, if there is one."""
    if not login:
        return None
    return next((member for member in workspace.file("members").scan()
                 if member.get("login") == login), None)


CLIENT_FIELDS = ("id", "name", "status", "cadence", "update_snoozed_until", "owner_id",
                 "working_hours", "timezone")
"""What the agenda needs of a client (the rest is not kept, to stay small on large data)."""

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def _update_due(client: dict[str, Any], last: datetime | None, days: int, now: datetime,
                calendar: WorkingDays) -> bool:
    """Whether a client's update is due: one cadence after the last contact, moved to the
    start of the client's next working day if it falls on one they do not work (the calendar
    is read only for updates the plain count makes due)."""
    if last is None:
        return True
    due = last + timedelta(days=days)
    if due > now:
        return False
    hours = WorkingHours.model_validate(client.get("working_hours") or {})
    return on_working_day(due, hours.weekdays, hours.start,
                          str(client.get("timezone") or "Europe/Moscow"), calendar) <= now


def build_agenda(workspace: Workspace, now: datetime | None = None,
                 limit: int | None = None, mine: Mine | None = None) -> list[AgendaSection]:
    """The sections of Today, most urgent first.

    Each table is read once, record by record, keeping only what the agenda shows: a large
    workspace never has to be in memory at once. With ``limit``, each section keeps its
    first ``limit`` items (``total`` still counts them all). With ``mine``, only that
    member's records (see :class:`Mine`).
    """
    now = now or workspace.clock()
    settings = workspace.settings
    shared = Interner()
    clients = {
        client["id"]: {key: shared(client.get(key)) for key in CLIENT_FIELDS}
        for client in workspace.file("clients").scan()
    }
    done_column = settings.columns[-1]
    me = mine.member_id if mine else None

    def client_name(client_id: str | None) -> str:
        return str((clients.get(client_id or "") or {}).get("name") or "")

    def theirs(client_id: str | None) -> bool:
        """Records of this client are on the agenda: on everyone's always, on a member's
        when the member owns the client."""
        return me is None or (clients.get(client_id or "") or {}).get("owner_id") == me

    urgent = AgendaSection("urgent", _("Urgent"), _("No urgent message waits for an answer."))
    late = AgendaSection("late_answers", _("Answers overdue"), _("No client is waiting past their "
                           "answer time."))
    # sort key (the soonest answer first, none last), id, first line, client, fact
    MessageRow = tuple[tuple[bool, datetime], str, str, str | None, str]
    urgent_messages: list[MessageRow] = []
    late_messages: list[MessageRow] = []
    contacted: dict[str, datetime] = {}
    contacted_people: dict[str, datetime] = {}
    for message in workspace.file("messages").scan():
        received = moment(message.get("received_at"))
        if received:
            for owner, latest in ((message.get("client_id"), contacted),
                                  (message.get("contact_id"), contacted_people)):
                if owner and (owner not in latest or received > latest[owner]):
                    latest[owner] = received
        if not message_open(message) or message_snoozed(message, now):
            continue
        client_id = message.get("client_id")
        nobodys = not client_id and not message.get("assignee_id")  # everyone's, then
        if me is not None and message.get("assignee_id") != me and not theirs(client_id) \
                and not nobodys:
            continue
        is_late = message_late(message, now)
        is_urgent = message_urgent(message, settings)
        if not is_late and not is_urgent:
            continue
        answer_by = moment(message.get("answer_by"))
        first_line = message["text"].strip().split("\n")[0]
        if answer_by is None:
            fact = _("urgent")
        elif is_late:
            fact = _("answer {time} late").format(time=duration(now - answer_by))
        else:
            fact = _("answer in {time}").format(time=duration(answer_by - now))
        row = ((answer_by is None, answer_by or now), message["id"], first_line, client_id,
               fact)
        (urgent_messages if is_urgent else late_messages).append(row)
    for section, rows in ((urgent, urgent_messages), (late, late_messages)):
        rows.sort(key=lambda row: row[0])
        section.total = len(rows)
        section.items = [AgendaItem("messages", message_id, first_line,
                                    client_name(client_id) if client_id
                                    else _("no client yet"), "", client_id, fact)
                         for _key, message_id, first_line, client_id, fact in rows[:limit]]
    del urgent_messages, late_messages

    today = now.date()
    overdue = AgendaSection("overdue_tasks", _("Tasks overdue"), _("No task is past its due date."))
    due_today = AgendaSection("due_today", _("Due today"), _("No task is due today."))
    waiting = AgendaSection("waiting_on_client", _("Waiting on the client"),
                            _("No task has waited on a client for long."))
    stuck = AgendaSection("stuck_with_department", _("Stuck with a department"),
                          _("No task has sat in one column for long."))
    push_after = timedelta(days=settings.push_client_after_days)
    stale_after = timedelta(days=settings.stale_after_days)
    first_column = settings.columns[0]
    today_text = today.isoformat()
    delivered: dict[str, datetime] = {}
    open_work: set[str] = set()
    # Kept as plain tuples of what the records hold until sorted and cut to ``limit`` (there
    # can be thousands): sort key, id, title, client, department, column.
    Row = tuple[Any, str, str, str | None, str, str]
    late_tasks: list[Row] = []
    today_tasks: list[Row] = []
    blocked_tasks: list[Row] = []
    stuck_tasks: list[Row] = []
    for task in workspace.file("tasks").scan():
        client_id = task.get("client_id")
        if task.get("column") == done_column:
            done_at = moment(task.get("done_at"))
            if client_id and done_at and (client_id not in delivered
                                          or done_at > delivered[client_id]):
                delivered[client_id] = done_at
            continue
        if client_id:
            open_work.add(client_id)
        if mine is not None and not theirs(client_id) and not mine.assignee(task.get("assignee")):
            continue
        shown = (task["id"], task["title"], client_id, task.get("department") or "",
                 task.get("column") or "")
        if task_overdue(task, today, done_column):
            late_tasks.append((task["due"], *shown))
        elif task.get("due") == today_text:
            today_tasks.append((PRIORITY_ORDER.get(task.get("priority", ""), 2), *shown))
        blocked_since = moment(task.get("blocked_since"))
        if task.get("blocked_by_client"):
            if blocked_since and now - blocked_since >= push_after:
                blocked_tasks.append((blocked_since, *shown))
        elif task.get("column") != first_column:
            # With the department: since it came into its column (or was last changed).
            since = moment(task.get("column_since")) or moment(task.get("updated_at"))
            if since and now - since >= stale_after:
                stuck_tasks.append((since, *shown))

    def column_title(column: str) -> str:
        # lazy: orjson, loaded with the store
        from amtui.services.board import column_title

        return column_title(settings, column)

    says: list[tuple[AgendaSection, list[Row], Callable[[Row], tuple[str, str]]]] = [
        (overdue, late_tasks, lambda row: (
            # a due day is missed by whole days, never "24 h"
            _("{time} overdue").format(
                time=whole_days((today - date.fromisoformat(str(row[0]))).days)),
            department(row[4]))),
        (due_today, today_tasks, lambda row: (_("due today"), department(row[4]))),
        (waiting, blocked_tasks, lambda row: (
            _("waiting on client {time}").format(time=duration(now - row[0])),
            department(row[4]))),
        (stuck, stuck_tasks, lambda row: (
            _("in {department} {time}").format(department=department(row[4]),
                                               time=duration(now - row[0])),
            column_title(row[5]))),
    ]
    for section, task_rows, fact_and_detail in says:
        task_rows.sort(key=lambda row: row[0])
        section.total = len(task_rows)
        section.items = [AgendaItem("tasks", row[1], row[2], client_name(row[3]), detail,
                                    row[3], fact)
                         for row in task_rows[:limit] for fact, detail in [fact_and_detail(row)]]
    del late_tasks, today_tasks, blocked_tasks, stuck_tasks

    updates = AgendaSection("updates_due", _("Updates due"), _("Every client has heard from us "
                              "on time."))
    remarket = AgendaSection("remarket", _("Remarket"), _("No dormant or delivered client to "
                               "offer something now."))
    calendar = WorkingDays.of(settings)
    dormant_after = timedelta(days=settings.dormant_contact_days)
    remarket_after = timedelta(days=settings.remarket_after_days)
    for client in clients.values():
        if not theirs(client["id"]):
            continue
        last = contacted.get(client["id"])
        silence = (_("no contact {time}").format(time=duration(now - last)) if last
                   else _("never contacted"))
        status = client.get("status")
        if status == "active":
            days = Cadence(client.get("cadence") or "weekly").days
            if days and not snoozed(client.get("update_snoozed_until"), now) and _update_due(
                client, last, days, now, calendar
            ):
                updates.items.append(AgendaItem(
                    "clients", client["id"], client["name"], client["name"],
                    _("{cadence} update").format(cadence=_(str(client.get("cadence")))),
                    client["id"], silence,
                ))
            finished = delivered.get(client["id"])
            if (finished and client["id"] not in open_work and now - finished >= remarket_after
                    and (last is None or now - last >= remarket_after)):
                remarket.items.append(AgendaItem(
                    "clients", client["id"], client["name"], client["name"],
                    _("offer what comes next"), client["id"],
                    _("delivered {time} ago").format(time=duration(now - finished)),
                ))
        elif status == "dormant" and (last is None or now - last >= dormant_after):
            remarket.items.append(AgendaItem(
                "clients", client["id"], client["name"], client["name"], _("dormant"),
                client["id"], silence,
            ))
    for contact in workspace.file("contacts").scan():
        cadence = contact.get("cadence")
        client = clients.get(contact.get("client_id") or "") or {}
        days = Cadence(cadence).days if cadence else None
        if not days or client.get("status") != "active" or not theirs(client["id"]):
            continue
        last = contacted_people.get(contact["id"])
        if _update_due(client, last, days, now, calendar):
            silence = (_("no contact {time}").format(time=duration(now - last)) if last
                       else _("never contacted"))
            updates.items.append(AgendaItem(
                "contacts", contact["id"], contact["name"], client["name"],
                _("{cadence} update for this contact").format(cadence=_(str(cadence))),
                client["id"], silence,
            ))
    updates.items.sort(key=lambda item: item.title.casefold())
    remarket.items.sort(key=lambda item: item.title.casefold())
    sections = [urgent, late, overdue, due_today, updates, waiting, stuck, remarket]
    for section in sections:
        section.total = max(section.total, len(section.items))
        if limit is not None:
            del section.items[limit:]
    return sections


def plugin_sections(workspace: Workspace, host: PluginHost, now: datetime | None = None,
                    limit: int | None = None, mine: Mine | None = None) -> list[AgendaSection]:
    """Today's sections that plugins add, one per plugin and section title (with ``mine``,
    only the lines about that member's clients or about no client)."""
    now = now or workspace.clock()
    sections: dict[tuple[str, str], AgendaSection] = {}
    clients: dict[str, tuple[str, object]] = {}
    for plugin, entry in host.agenda(workspace, now):
        client = ""
        if entry.client_id:
            if entry.client_id not in clients:
                found = workspace.file("clients").get(entry.client_id) or {}
                clients[entry.client_id] = (str(found.get("name", "")), found.get("owner_id"))
            client, owner = clients[entry.client_id]
            if mine is not None and owner != mine.member_id:
                continue
        section = sections.setdefault((plugin, entry.section), AgendaSection(
            f"plugin:{plugin}:{entry.section}", entry.section, ""))
        section.total += 1
        if limit is not None and len(section.items) >= limit:
            continue
        section.items.append(AgendaItem(entry.table, entry.record_id, entry.title, client,
                                        entry.detail, entry.client_id, entry.fact, plugin,
                                        entry.done, entry.snooze))
    return list(sections.values())
