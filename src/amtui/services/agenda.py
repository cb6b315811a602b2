"""Today: the agenda an account manager opens the day with.

Computed from the stored records (as plain dicts, so it stays fast on a large workspace) and
shared by the Today pane and ``amtui today``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from amtui.dates import days as whole_days, duration
from amtui.i18n import _
from amtui.models import Cadence, WorkingHours
from amtui.models.work import department
from amtui.services.agenda_items import AgendaItem, AgendaSection, FirstAgenda, Mine
from amtui.services.hours import WorkingDays, on_working_day
from amtui.services.rules import (
    OPEN_MESSAGE_STATUSES,
    message_urgent,
    moment,
    snoozed,
)
from amtui.storage.index import microseconds, moment_of

if TYPE_CHECKING:
    from amtui.plugins.host import PluginHost
    from amtui.storage import Workspace

Raw = dict[str, Any]

def first_agenda(workspace: Workspace, limit: int) -> FirstAgenda:
    """amtui's own sections of Today as the pane first shows them (``limit`` lines each)."""
    # lazy: looked up at each call (tests stand in another user)
    from amtui.identity import os_user

    versions = {table: workspace.file(table).version_on_disk() for table in AGENDA_TABLES}
    member = member_by_login(workspace, os_user())
    me = Mine.of(member) if member else None
    now = workspace.clock()
    return FirstAgenda(me, now, build_agenda(workspace, now, limit=limit, mine=me), limit,
                       versions)


AGENDA_TABLES = ("clients", "messages", "tasks", "contacts", "members")
"""The tables amtui's own sections of Today are read from."""


def member_by_login(workspace: Workspace, login: str) -> Raw | None:
    """The member who logs in to the host as ``login``, if there is one."""
    if not login:
        return None
    return next((member for member in workspace.file("members").scan()
                 if member.get("login") == login), None)


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
    hours = _working_hours(orjson.dumps(client.get("working_hours") or {},
                                        option=orjson.OPT_SORT_KEYS))
    return on_working_day(due, hours.weekdays, hours.start,
                          str(client.get("timezone") or "Europe/Moscow"), calendar) <= now


@functools.lru_cache(maxsize=256)
def _working_hours(stored: bytes) -> WorkingHours:
    """A client's working hours as stored (most clients share a few)."""
    return WorkingHours.model_validate(orjson.loads(stored))


def build_agenda(workspace: Workspace, now: datetime | None = None,
                 limit: int | None = None, mine: Mine | None = None) -> list[AgendaSection]:
    """The sections of Today, most urgent first.

    Asked of the record index (:mod:`amtui.storage.index`), so the work follows what is
    shown, not the history: each section counts its lines and reads only the first
    ``limit`` of them (``total`` still counts them all). With ``mine``, only that member's
    records (see :class:`Mine`).
    """
    now = now or workspace.clock()
    return _Agenda(workspace, now, limit, mine).sections()


class _Agenda:
    """The questions Today asks the record index, with what they share."""

    def __init__(self, workspace: Workspace, now: datetime, limit: int | None,
                 mine: Mine | None) -> None:
        self.workspace, self.now, self.limit, self.mine = workspace, now, limit, mine
        self.settings = settings = workspace.settings
        index = workspace.index
        index.derive("messages", "urgent", "\n".join(settings.urgent_words),
                     lambda message: message_urgent(message, settings))
        self.db = index.fresh(*(workspace.file(table) for table in AGENDA_TABLES
                                if table != "members"))
        self.at = microseconds(now)
        self.done_column = settings.columns[-1]
        me = mine.member_id if mine else None
        self.me = me
        self.names = (mine.name.casefold(), mine.login.casefold()) if mine else ("", "")

    def sections(self) -> list[AgendaSection]:
        urgent, late = self.messages()
        overdue, due_today, waiting, stuck = self.tasks()
        updates, remarket = self.clients()
        sections = [urgent, late, overdue, due_today, updates, waiting, stuck, remarket]
        for section in sections:
            section.total = max(section.total, len(section.items))
            if self.limit is not None:
                del section.items[self.limit:]
        return sections

    def _page(self, query: str, parameters: dict[str, object],
              count: str | None = None) -> tuple[int, list[Raw]]:
        """How many rows ``query`` (``FROM … WHERE …``) has (or ``count`` counts), and the
        first ``limit`` records of them with their client's name (``client_name``)."""
        # the client is joined for its name only
        counted = count or "SELECT COUNT(*) " + query.partition(" ORDER BY ")[0].replace(
            " LEFT JOIN clients c ON c.id = r.client_id", "")
        total = self.db.execute(counted, parameters).fetchone()[0]
        if not total:
            return 0, []
        cut = "" if self.limit is None else f" LIMIT {int(self.limit)}"
        records = []
        for body, client_name in self.db.execute(f"SELECT r.body, c.name {query}{cut}",
                                                 parameters):
            record = orjson.loads(body)
            record["client_name"] = client_name or ""
            records.append(record)
        return total, records

    def messages(self) -> list[AgendaSection]:
        now = self.now
        urgent = AgendaSection("urgent", _("Urgent"), _("No urgent message waits for an "
                                                        "answer."))
        late = AgendaSection("late_answers", _("Answers overdue"),
                             _("No client is waiting past their answer time."))
        waiting = (
            "FROM messages r LEFT JOIN clients c ON c.id = r.client_id "
            f"WHERE r.status IN ({OPEN_STATUSES}) "
            "AND (r.snoozed_until IS NULL OR r.snoozed_until <= :at) ")
        if self.me is not None:
            waiting += (f"AND (r.assignee_id = :me OR r.client_id IN {THEIR_CLIENTS} "
                        "OR (IFNULL(r.client_id, '') = '' AND IFNULL(r.assignee_id, '') = '')) ")
        order = " ORDER BY r.answer_by IS NULL, IFNULL(r.answer_by, :at), r.rowid"
        parameters = {"at": self.at, "me": self.me}
        for section, which in ((urgent, "AND r.urgent = 1"),
                               (late, "AND r.urgent = 0 AND r.answer_by < :at")):
            section.total, records = self._page(waiting + which + order, parameters)
            for message in records:
                answer_by = moment(message.get("answer_by"))
                if answer_by is None:
                    fact = _("urgent")
                elif answer_by < now:
                    fact = _("answer {time} late").format(time=duration(now - answer_by))
                else:
                    fact = _("answer in {time}").format(time=duration(answer_by - now))
                client_id = message.get("client_id")
                section.items.append(AgendaItem(
                    "messages", message["id"], message["text"].strip().split("\n")[0],
                    message["client_name"] or (_("deleted client") if client_id
                                               else _("no client yet")), "",
                    client_id, fact))
        return [urgent, late]

    def tasks(self) -> list[AgendaSection]:
        now, settings = self.now, self.settings
        today = now.date()
        overdue = AgendaSection("overdue_tasks", _("Tasks overdue"),
                                _("No task is past its due date."))
        due_today = AgendaSection("due_today", _("Due today"), _("No task is due today."))
        waiting = AgendaSection("waiting_on_client", _("Waiting on the client"),
                                _("No task has waited on a client for long."))
        stuck = AgendaSection("stuck_with_department", _("Stuck with a department"),
                              _("No task has sat in one column for long."))
        open_tasks = ("FROM tasks r LEFT JOIN clients c ON c.id = r.client_id "
                      "WHERE r.\"column\" IS NOT :done ")
        if self.me is not None:
            open_tasks += (f"AND (r.client_id IN {THEIR_CLIENTS} OR (r.assignee != '' "
                           "AND r.assignee IN (:name, :login))) ")
        priority = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in PRIORITY_ORDER.items())
        parameters = {
            "done": self.done_column, "me": self.me, "name": self.names[0],
            "login": self.names[1], "today": today.isoformat(),
            "first": settings.columns[0],
            "pushed": microseconds(now - timedelta(days=settings.push_client_after_days)),
            "stale": microseconds(now - timedelta(days=settings.stale_after_days)),
        }

        def column_title(column: str) -> str:
            # lazy: orjson, loaded with the store
            from amtui.services.board import column_title

            return column_title(settings, column)

        def since(task: Raw) -> datetime:
            return moment(task.get("column_since")) or moment(task["updated_at"]) or now

        def overdue_fact(task: Raw) -> str:
            # a due day is missed by whole days, never "24 h"
            return _("{time} overdue").format(time=whole_days(
                (today - date.fromisoformat(str(task["due"]))).days))

        def waiting_fact(task: Raw) -> str:
            waited = _("waiting on client {time}").format(
                time=duration(now - (moment(task.get("blocked_since")) or now)))
            due = str(task.get("due") or "")
            if due and due < today.isoformat():
                return f"{waited}, {overdue_fact(task)}"
            return f"{waited}, {_('due today')}" if due == today.isoformat() else waited

        # Each task in one section, as rules.task_section decides: waiting on the client
        # (pushed long enough, or due), else overdue, else due today, else stuck.
        not_due = "(IFNULL(r.due, '') = '' OR r.due > :today)"
        questions: list[tuple[AgendaSection, str, Callable[[Raw], tuple[str, str]]]] = [
            (overdue, "AND r.blocked_by_client = 0 AND IFNULL(r.due, '') != '' "
                      "AND r.due < :today ORDER BY r.due, r.rowid",
             lambda task: (overdue_fact(task), department(task.get("department") or ""))),
            (due_today, "AND r.blocked_by_client = 0 AND r.due = :today "
                        f"ORDER BY CASE r.priority {priority} ELSE 2 END, r.rowid",
             lambda task: (_("due today"), department(task.get("department") or ""))),
            (waiting, "AND r.blocked_by_client = 1 AND (r.blocked_since <= :pushed "
                      "OR (IFNULL(r.due, '') != '' AND r.due <= :today)) "
                      "ORDER BY r.blocked_since, r.rowid",
             lambda task: (waiting_fact(task), department(task.get("department") or ""))),
            (stuck, "AND r.blocked_by_client = 0 AND r.\"column\" IS NOT :first "
                    f"AND r.since <= :stale AND {not_due} ORDER BY r.since, r.rowid",
             lambda task: (
                 _("in {department} {time}").format(
                     department=department(task.get("department") or ""),
                     time=duration(now - since(task))),
                 column_title(task.get("column") or ""))),
        ]
        for section, which, fact_and_detail in questions:
            section.total, records = self._page(open_tasks + which, parameters,
                                                self._count_mine(which))
            for task in records:
                fact, detail = fact_and_detail(task)
                section.items.append(AgendaItem("tasks", task["id"], task["title"],
                                                task["client_name"], detail,
                                                task.get("client_id"), fact))
        return [overdue, due_today, waiting, stuck]

    def _count_mine(self, which: str) -> str | None:
        """For a member's agenda, a count of the open tasks ``which`` picks that starts from
        the member's clients and their assigned tasks (a few thousand of a large workspace),
        not from every open task."""
        if self.me is None:
            return None
        which = which.partition(" ORDER BY ")[0]
        return ("SELECT COUNT(*) FROM ("
                "  SELECT r.rowid FROM clients c JOIN tasks r ON r.client_id = c.id "
                f"  WHERE c.owner_id = :me AND r.\"column\" IS NOT :done {which} "
                "  UNION SELECT r.rowid FROM tasks r "
                "  WHERE r.assignee != '' AND r.assignee IN (:name, :login) "
                # "+r.x": SQLite's way to say the assignee's index is the one to walk
                f"  AND r.\"column\" IS NOT :done {which.replace('r.', '+r.')})")

    def clients(self) -> list[AgendaSection]:
        """Updates due and clients to remarket: a client's last contact and last delivery
        come from the index, each client's working days only for updates the plain count
        makes due."""
        now, settings = self.now, self.settings
        updates = AgendaSection("updates_due", _("Updates due"),
                                _("Every client has heard from us on time."))
        remarket = AgendaSection("remarket", _("Remarket"),
                                 _("No dormant or delivered client to offer something now."))
        calendar = WorkingDays.of(settings)
        cadence_days = " ".join(f"WHEN '{cadence.value}' THEN {cadence.days}"
                                for cadence in Cadence if cadence.days)
        parameters = {
            "at": self.at, "me": self.me, "done": self.done_column,
            "remarket": microseconds(now - timedelta(days=settings.remarket_after_days)),
            "dormant": microseconds(now - timedelta(days=settings.dormant_contact_days)),
        }
        last_contact = "(SELECT MAX(m.received_at) FROM messages m WHERE m.client_id = c.id)"
        rows = self.db.execute(
            "SELECT *, CASE WHEN status = 'active' AND delivered <= :remarket "
            "  AND IFNULL(last, 0) <= :remarket THEN EXISTS(SELECT 1 FROM tasks t "
            "  WHERE t.client_id = q.id AND t.\"column\" IS NOT :done) END AS busy FROM ("
            f"  SELECT c.id, c.name, c.status, c.body, {last_contact} AS last, "
            f"  CASE IFNULL(NULLIF(c.cadence, ''), 'weekly') {cadence_days} END AS days, "
            "   (SELECT MAX(t.done_at) FROM tasks t WHERE t.client_id = c.id "
            "    AND t.\"column\" = :done) AS delivered, c.update_snoozed_until AS snoozed "
            "   FROM clients c WHERE c.status IN ('active', 'dormant') "
            "   AND (:me IS NULL OR c.owner_id = :me) ORDER BY c.rowid) AS q "
            # what may be listed; the working days are looked at below
            "WHERE (status = 'active' AND days IS NOT NULL AND IFNULL(snoozed, 0) <= :at "
            f"      AND IFNULL(last, 0) + days * {DAY} <= :at) "
            "OR (status = 'active' AND delivered <= :remarket AND IFNULL(last, 0) <= :remarket) "
            "OR (status = 'dormant' AND IFNULL(last, 0) <= :dormant)", parameters)
        # (title, how to make its line): the lines are made for the first ``limit`` only
        due: list[tuple[str, Callable[[], AgendaItem]]] = []
        offers: list[tuple[str, Callable[[], AgendaItem]]] = []
        for client_id, name, status, body, last, days, delivered, _snoozed, busy in rows:
            last_moment = moment_of(last) if last is not None else None
            if status == "active":
                client = orjson.loads(body)
                if days and not snoozed(client.get("update_snoozed_until"), now) \
                        and (last is None or last + days * DAY <= self.at) \
                        and _update_due(client, last_moment, days, now, calendar):
                    due.append((name, functools.partial(
                        self._update_line, "clients", client_id, name, name, client_id,
                        str(client.get("cadence")), last_moment)))
                if busy == 0:  # delivered long enough ago, quiet since, no work open
                    offers.append((name, functools.partial(
                        self._delivered_line, client_id, name, moment_of(delivered))))
            elif last is None or last <= parameters["dormant"]:
                offers.append((name, functools.partial(self._dormant_line, client_id, name,
                                                       last_moment)))
        contacts = self.db.execute(
            "SELECT p.id, p.name, p.cadence, c.id, c.name, c.body, "
            "(SELECT MAX(m.received_at) FROM messages m WHERE m.contact_id = p.id) AS last, "
            f"CASE p.cadence {cadence_days} END AS days "
            "FROM contacts p JOIN clients c ON c.id = p.client_id "
            "WHERE days IS NOT NULL AND c.status = 'active' "
            "AND (:me IS NULL OR c.owner_id = :me) ORDER BY p.rowid", parameters)
        for contact_id, name, cadence, client_id, client_name, body, last, days in contacts:
            if last is not None and last + days * DAY > self.at:
                continue
            last_moment = moment_of(last) if last is not None else None
            if _update_due(orjson.loads(body), last_moment, days, now, calendar):
                due.append((name, functools.partial(
                    self._update_line, "contacts", contact_id, name, client_name, client_id,
                    str(cadence), last_moment)))
        for section, lines in ((updates, due), (remarket, offers)):
            lines.sort(key=lambda line: line[0].casefold())
            section.total = len(lines)
            section.items = [make() for _title, make in lines[:self.limit]]
        return [updates, remarket]

    def _silence(self, last: datetime | None) -> str:
        return (_("no contact {time}").format(time=duration(self.now - last)) if last
                else _("never contacted"))

    def _update_line(self, table: str, record_id: str, title: str, client: str,
                     client_id: str, cadence: str, last: datetime | None) -> AgendaItem:
        detail = (_("{cadence} update").format(cadence=_(cadence)) if table == "clients"
                  else _("{cadence} update for this contact").format(cadence=_(cadence)))
        return AgendaItem(table, record_id, title, client, detail, client_id,
                          self._silence(last))

    def _delivered_line(self, client_id: str, name: str, delivered: datetime) -> AgendaItem:
        return AgendaItem("clients", client_id, name, name, _("offer what comes next"),
                          client_id, _("delivered {time} ago").format(
                              time=duration(self.now - delivered)))

    def _dormant_line(self, client_id: str, name: str, last: datetime | None) -> AgendaItem:
        return AgendaItem("clients", client_id, name, name, _("dormant"), client_id,
                          self._silence(last))


OPEN_STATUSES = ", ".join(f"'{status}'" for status in sorted(OPEN_MESSAGE_STATUSES))
"""The statuses of a message waiting for our answer (the rule's), as SQL reads them."""
THEIR_CLIENTS = "(SELECT id FROM clients WHERE owner_id = :me)"
"""The member's clients, in Today's questions."""
DAY = 86_400_000_000
"""A day in the index's moments (microseconds)."""


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
