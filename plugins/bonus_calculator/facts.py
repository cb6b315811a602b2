"""What statements are computed from, read from the workspace once: members, their deals,
their inbox figures, their clients, time entries, plans and locked statements.

Reading goes through the stored dicts (fast on a large workspace); everything after the read is
pure, so a what-if or another month needs no second read.
"""

from __future__ import annotations

import bisect
import functools
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from amtui.api import Client, Deal, Member, Message

from .engine import DealFact, KpiFacts, Period, PeriodFacts, TimeFact
from .market import BonusSettings, settings_of
from .plan import Plan
from .records import LockedStatement, TimeEntry

if TYPE_CHECKING:
    from amtui.api import Record, Workspace

    from .plan import Plan
    from .records import LockedStatement

ANSWERABLE = frozenset({"question", "request", "complaint", "approval", "feedback"})
"""Kinds of incoming message that wait for an answer."""

ANSWERED_STATUSES = frozenset({"done", "waiting_on_client"})


@dataclass(frozen=True, slots=True)
class MemberInfo:
    id: str
    name: str
    role: str
    login: str


@dataclass(frozen=True, slots=True)
class ClientInfo:
    id: str
    name: str
    owner_id: str | None
    status: str
    created: date
    changed: date


@dataclass(frozen=True, slots=True)
class MessageFact:
    """An incoming message that waited for an answer."""

    answer_by: datetime
    answered_at: datetime | None
    """When it was answered: our first reply or call to the client after it, else when its
    status last changed to answered; None while it waits."""


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


@dataclass
class Snapshot:
    """The workspace as the statements see it, at one moment."""

    now: datetime
    zone: ZoneInfo
    settings: BonusSettings
    workspace_currency: str
    members: dict[str, MemberInfo] = field(default_factory=dict)
    clients: dict[str, ClientInfo] = field(default_factory=dict)
    deals: dict[str, list[DealFact]] = field(default_factory=dict)
    """Member id → their deals (their own, or their clients' without an owner)."""
    deal_clients: dict[str, str] = field(default_factory=dict)
    """Deal id → client id."""
    messages: dict[str, list[MessageFact]] = field(default_factory=dict)
    complaints: dict[str, list[date]] = field(default_factory=dict)
    """Member id → the days complaints were received."""
    time_entries: dict[str, list[TimeFact]] = field(default_factory=dict)
    plans: list[Plan] = field(default_factory=list)
    locked: dict[str, dict[Period, LockedStatement]] = field(default_factory=dict)
    """The wanted members' locked statements."""
    locked_periods: dict[str, set[Period]] = field(default_factory=dict)
    """Every member's locked months."""
    version: tuple[Any, ...] = ()
    """The data files as they were when read (see :func:`data_version`)."""
    _by_owner: dict[str, list[ClientInfo]] | None = field(default=None, repr=False)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    # plans

    def plan_for(self, member_id: str, period: Period) -> Plan | None:
        """The member's own plan in force in the month, else their role's."""
        member = self.members.get(member_id)
        started = [plan for plan in self.plans if plan.valid_from <= period.start]
        own = [plan for plan in started if plan.member_id == member_id]
        if not own and member is not None:
            own = [plan for plan in started if plan.role == member.role]
        return max(own, key=lambda plan: plan.valid_from) if own else None

    # facts of one month

    def facts(self, member_id: str, period: Period) -> PeriodFacts:
        earlier = {}
        for month in period.quarter_months():
            if month < period:
                earlier[month] = self.plan_for(member_id, month)
        entries = [entry for entry in self.time_entries.get(member_id, [])
                   if period.contains(entry.day)]
        return PeriodFacts(period, self.deals.get(member_id, []), entries,
                           self.kpi_facts(member_id, period), earlier)

    def kpi_facts(self, member_id: str, period: Period) -> KpiFacts:
        due = in_time = 0
        for message in self.messages.get(member_id, []):
            if not period.contains(self.local_day(message.answer_by)):
                continue
            if message.answered_at is None and message.answer_by > self.now:
                continue  # not due yet, not answered yet: it counts once either happens
            due += 1
            if message.answered_at is not None and message.answered_at <= message.answer_by:
                in_time += 1
        complaints = sum(1 for day in self.complaints.get(member_id, [])
                         if period.contains(day))
        at_start = lost = active = 0
        for client in self.clients_of(member_id):
            active += client.status == "active"
            churned_before = client.status == "churned" and client.changed < period.start
            if client.created < period.start and not churned_before:
                at_start += 1
                lost += client.status == "churned" and period.contains(client.changed)
        return KpiFacts(due, in_time, complaints, at_start, lost, active)

    def clients_of(self, member_id: str) -> list[ClientInfo]:
        """The clients the member owns."""
        if self._by_owner is None:
            self._by_owner = {}
            for client in self.clients.values():
                self._by_owner.setdefault(client.owner_id or "", []).append(client)
        return self._by_owner.get(member_id, [])

    def last_locked(self, member_id: str) -> Period | None:
        locked = self.locked_periods.get(member_id)
        return max(locked) if locked else None

    def add_locked(self, statement: LockedStatement) -> None:
        period = Period.parse(statement.period)
        self.locked.setdefault(statement.member_id, {})[period] = statement
        self.locked_periods.setdefault(statement.member_id, set()).add(period)


SOURCE_TABLES = ("members", "clients", "deals", "messages", "bonus_plans",
                 "bonus_time_entries", "bonus_statements")
"""The tables statements are computed from."""


@functools.cache
def source_models() -> tuple[type[Record], ...]:
    """The records statements are computed from (those of :data:`SOURCE_TABLES`)."""
    return (Member, Client, Deal, Message, Plan, TimeEntry, LockedStatement)


def data_version(workspace: Workspace) -> tuple[Any, ...]:
    """Changes whenever a file the statements are computed from is saved."""
    return tuple(workspace.repo(model).version() for model in source_models())


def forget_recent(table: str) -> None:
    """A record of ``table`` was saved in this process: snapshots that read it are old (a
    file's signature alone could miss two saves of the same size within a clock tick)."""
    if table in SOURCE_TABLES:
        with _RECENT_LOCK:
            _RECENT.clear()


_RECENT: dict[tuple[Any, ...], Snapshot] = {}
_RECENT_LOCK = threading.Lock()
KEEP_RECENT = 3
"""Snapshots kept, so that another month, a what-if or Today again reads nothing while the
files are unchanged (on the large demo a read takes most of a second)."""


def read_snapshot(workspace: Workspace, member_ids: set[str] | None = None, *,
                  viewer_only: bool = False, with_inbox: bool = True,
                  months: tuple[Period, ...] | None = None) -> Snapshot:
    """What the statements of ``member_ids`` (all members if None; with ``viewer_only``, the
    person at the keyboard's own; none: only members, plans and locked statements) are
    computed from. The inbox is read only ``with_inbox`` (its KPIs are then measured as if
    there were no messages). With ``months`` (consecutive), only the deals won with a day in
    them, the time entries of them and the clients these and the members need are read
    (asked of the record index): enough for what was sold in those months. Read again only
    when a file has changed."""
    # lazy: orjson, loaded with the store
    from amtui.api import os_user

    version = data_version(workspace)
    key = (str(workspace.root), id(workspace.settings), viewer_only and os_user(),
           None if member_ids is None else frozenset(member_ids), with_inbox, months)
    with _RECENT_LOCK:
        recent = _RECENT.get(key)
    if recent is not None and recent.version == version:
        return replace(recent, now=workspace.clock())
    snapshot = _read(workspace, member_ids, viewer_only, with_inbox, months)
    snapshot.version = version
    with _RECENT_LOCK:
        _RECENT.pop(key, None)
        _RECENT[key] = snapshot
        while len(_RECENT) > KEEP_RECENT:
            del _RECENT[next(iter(_RECENT))]
    return snapshot


def _read(workspace: Workspace, member_ids: set[str] | None, viewer_only: bool,
          with_inbox: bool, months: tuple[Period, ...] | None = None) -> Snapshot:
    """Deals and messages first, then only the clients they (or the members) need: a
    member's statement keeps a few hundred records of a large workspace, not all of it."""
    snapshot = Snapshot(workspace.clock(), ZoneInfo(workspace.settings.timezone),
                        settings_of(workspace), workspace.settings.currency)
    for raw in workspace.repo(Member).scan():
        snapshot.members[raw["id"]] = MemberInfo(raw["id"], str(raw.get("name", "")),
                                                 str(raw.get("role", "account_manager")),
                                                 str(raw.get("login", "")))
    if viewer_only:
        # lazy: orjson, loaded with the store
        from amtui.api import os_user

        me = os_user()
        member_ids = {member.id for member in snapshot.members.values() if member.login == me}
    wanted = set(snapshot.members) if member_ids is None else member_ids
    snapshot.plans = workspace.repo(Plan).all()
    for raw in workspace.repo(LockedStatement).scan():
        if raw.get("member_id") in wanted:
            snapshot.add_locked(LockedStatement.model_validate(raw))
        else:
            snapshot.locked_periods.setdefault(str(raw.get("member_id")), set()).add(
                Period.parse(str(raw.get("period"))))
    if not wanted:
        return snapshot
    deals = _scan_deals(workspace, wanted, months)
    messages, replies = _scan_messages(workspace, wanted) if with_inbox else ([], {})
    if months is None:
        entries = [raw for raw in workspace.repo(TimeEntry).scan()
                   if raw.get("member_id") in wanted]
    else:
        entries = workspace.repo(TimeEntry).query_raw(
            member_id__in=wanted, day__gte=months[0].start, day__lte=months[-1].end)
    needed = {client_id for _owner, client_id, _fact in deals} \
        | {client_id for _owner, client_id, _fact in messages} \
        | {str(raw.get("client_id")) for raw in entries if raw.get("client_id")}
    zone = snapshot.zone
    for raw in _scan_clients(workspace, wanted, needed, months):
        owner = raw.get("owner_id")
        if owner not in wanted and raw["id"] not in needed:
            continue
        created = _moment(raw.get("created_at")) or snapshot.now
        changed = _moment(raw.get("updated_at")) or created
        snapshot.clients[raw["id"]] = ClientInfo(
            raw["id"], str(raw.get("name", "")), sys.intern(owner) if owner else None,
            sys.intern(str(raw.get("status", "active"))), created.astimezone(zone).date(),
            changed.astimezone(zone).date())
    _keep_deals(snapshot, deals, wanted)
    _keep_messages(snapshot, messages, replies, wanted)
    for raw in entries:
        client_id = raw.get("client_id")
        client = snapshot.clients.get(client_id or "")
        snapshot.time_entries.setdefault(raw["member_id"], []).append(TimeFact(
            raw["id"], date.fromisoformat(raw["day"]), time.fromisoformat(raw["start"]),
            time.fromisoformat(raw["end"]), client_id, client.name if client else "",
            str(raw.get("note", ""))))
    kept = set(snapshot.deal_clients.values()) | {
        str(raw.get("client_id")) for raw in entries if raw.get("client_id")}
    snapshot.clients = {client_id: client for client_id, client in snapshot.clients.items()
                        if client.owner_id in wanted or client_id in kept}
    return snapshot


Owned = tuple[str | None, str, Any]
"""(owner or assignee, if the record names one; client id; what was read of it)."""


def _scan_clients(workspace: Workspace, wanted: set[str], needed: set[str],
                  months: tuple[Period, ...] | None) -> Iterable[dict[str, Any]]:
    """Every client, or (for ``months``) those the wanted members own and the ``needed``."""
    clients = workspace.repo(Client)
    if months is None:
        return clients.scan()
    found = {raw["id"]: raw for raw in clients.query_raw(owner_id__in=wanted)}
    found.update((raw["id"], raw) for raw in clients.query_raw(id__in=needed - set(found)))
    return found.values()


def _deals_won_in(workspace: Workspace, months: tuple[Period, ...]) -> list[dict[str, Any]]:
    """The deals won with a day signed or paid in ``months`` (consecutive)."""
    first, last = months[0].start, months[-1].end
    deals = workspace.repo(Deal)
    found = {raw["id"]: raw for raw in deals.query_raw(
        status="won", signed_on__gte=first, signed_on__lte=last)}
    for raw in deals.query_raw(status="won", paid_on__gte=first, paid_on__lte=last):
        found.setdefault(raw["id"], raw)
    return list(found.values())


def _scan_deals(workspace: Workspace, wanted: set[str],
                months: tuple[Period, ...] | None = None) -> list[Owned]:
    """The deals of the wanted members, and those with no owner (their client's decides);
    for ``months``, only those won in them."""
    found: list[Owned] = []
    for raw in (workspace.repo(Deal).scan() if months is None
                else _deals_won_in(workspace, months)):
        owner = raw.get("owner_id")
        if owner and owner not in wanted:
            continue
        amount = raw.get("amount") or {}
        found.append((owner, str(raw.get("client_id", "")), DealFact(
            raw["id"], str(raw.get("title", "")), "",
            Decimal(str(amount.get("amount", "0"))), str(amount.get("currency", "RUB")),
            str(raw.get("status", "proposal")), _day(raw.get("signed_on")),
            _day(raw.get("paid_on")))))
    return found


def _keep_deals(snapshot: Snapshot, deals: list[Owned], wanted: set[str]) -> None:
    for owner, client_id, fact in deals:
        client = snapshot.clients.get(client_id)
        owner = owner or (client.owner_id if client else None)
        if owner not in wanted:
            continue
        snapshot.deal_clients[fact.id] = client_id
        snapshot.deals.setdefault(owner, []).append(
            replace(fact, client=client.name) if client else fact)


def _scan_messages(workspace: Workspace, wanted: set[str]
                   ) -> tuple[list[Owned], dict[str, list[datetime]]]:
    """Incoming messages of the wanted members (and unassigned ones), and when we wrote to
    each client."""
    replies: dict[str, list[datetime]] = {}
    incoming: list[Owned] = []
    for raw in workspace.repo(Message).scan():
        client_id = str(raw.get("client_id"))
        if raw.get("direction") == "outgoing":
            sent = _moment(raw.get("received_at"))
            if sent is not None:
                replies.setdefault(client_id, []).append(sent)
            continue
        assignee = raw.get("assignee_id")
        if assignee and assignee not in wanted:
            continue
        kind = raw.get("kind")
        if kind != "complaint" and (kind not in ANSWERABLE or not raw.get("answer_by")):
            continue
        incoming.append((assignee, client_id, (
            kind, _moment(raw.get("received_at")), _moment(raw.get("answer_by")),
            raw.get("status"), _moment(raw.get("updated_at")))))
    for times in replies.values():
        times.sort()
    return incoming, replies


def _keep_messages(snapshot: Snapshot, messages: list[Owned],
                   replies: dict[str, list[datetime]], wanted: set[str]) -> None:
    for assignee, client_id, (kind, received, answer_by, status, updated) in messages:
        client = snapshot.clients.get(client_id)
        owner = assignee or (client.owner_id if client else None)
        if owner not in wanted or received is None:
            continue
        if kind == "complaint":
            snapshot.complaints.setdefault(owner, []).append(snapshot.local_day(received))
        if answer_by is None or kind not in ANSWERABLE:
            continue
        times = replies.get(client_id, [])
        at = bisect.bisect_left(times, received)
        answered = times[at] if at < len(times) else None
        if answered is None and status in ANSWERED_STATUSES:
            answered = updated
        snapshot.messages.setdefault(owner, []).append(MessageFact(answer_by, answered))
