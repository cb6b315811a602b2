"""What statements are computed from, read from the workspace once: members, their deals,
their inbox figures, their clients, time entries, plans and locked statements.

Reading goes through the stored dicts (fast on a large workspace); everything after the read is
pure, so a what-if or another month needs no second read.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .engine import DealFact, KpiFacts, Period, PeriodFacts, TimeFact
from .market import BonusSettings, settings_of

if TYPE_CHECKING:
    from amtui.api import Workspace

    from .plan import Plan
    from .records import LockedStatement

ANSWERABLE = frozenset({"question", "request", "complaint", "approval", "feedback"})
"""Kinds of incoming message that wait for an answer."""

ANSWERED_STATUSES = frozenset({"done", "waiting_on_client"})


@dataclass(frozen=True)
class MemberInfo:
    id: str
    name: str
    role: str
    login: str


@dataclass(frozen=True)
class ClientInfo:
    id: str
    name: str
    owner_id: str | None
    status: str
    created: date
    changed: date


@dataclass(frozen=True)
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
        for client in self.clients.values():
            if client.owner_id != member_id:
                continue
            active += client.status == "active"
            churned_before = client.status == "churned" and client.changed < period.start
            if client.created < period.start and not churned_before:
                at_start += 1
                lost += client.status == "churned" and period.contains(client.changed)
        return KpiFacts(due, in_time, complaints, at_start, lost, active)

    def last_locked(self, member_id: str) -> Period | None:
        locked = self.locked.get(member_id)
        return max(locked) if locked else None


def read_snapshot(workspace: Workspace, member_ids: set[str] | None = None, *,
                  viewer_only: bool = False, with_inbox: bool = True) -> Snapshot:
    """Read what the statements of ``member_ids`` (all members if None; with
    ``viewer_only``, the person at the keyboard's own) are computed from. Members, clients,
    plans and locked statements are always read whole; the inbox only ``with_inbox`` (its
    KPIs are then measured as if there were no messages)."""
    from .plan import Plan
    from .records import LockedStatement, TimeEntry

    snapshot = Snapshot(workspace.clock(), ZoneInfo(workspace.settings.timezone),
                        settings_of(workspace), workspace.settings.currency)
    for raw in workspace.file("members").scan():
        snapshot.members[raw["id"]] = MemberInfo(raw["id"], str(raw.get("name", "")),
                                                 str(raw.get("role", "account_manager")),
                                                 str(raw.get("login", "")))
    if viewer_only:
        from amtui.api import os_user

        me = os_user()
        member_ids = {member.id for member in snapshot.members.values() if member.login == me}
    wanted = set(snapshot.members) if member_ids is None else member_ids
    zone = snapshot.zone
    for raw in workspace.file("clients").scan():
        created = _moment(raw.get("created_at")) or snapshot.now
        changed = _moment(raw.get("updated_at")) or created
        snapshot.clients[raw["id"]] = ClientInfo(
            raw["id"], str(raw.get("name", "")), raw.get("owner_id"),
            str(raw.get("status", "active")), created.astimezone(zone).date(),
            changed.astimezone(zone).date())
    _read_deals(workspace, snapshot, wanted)
    if with_inbox:
        _read_messages(workspace, snapshot, wanted)
    for raw in workspace.file(TimeEntry.table).scan():
        if raw.get("member_id") not in wanted:
            continue
        client_id = raw.get("client_id")
        client = snapshot.clients.get(client_id or "")
        snapshot.time_entries.setdefault(raw["member_id"], []).append(TimeFact(
            raw["id"], date.fromisoformat(raw["day"]), time.fromisoformat(raw["start"]),
            time.fromisoformat(raw["end"]), client_id, client.name if client else "",
            str(raw.get("note", ""))))
    snapshot.plans = workspace.repo(Plan).all()
    for statement in workspace.repo(LockedStatement).all():
        snapshot.locked.setdefault(statement.member_id, {})[
            Period.parse(statement.period)] = statement
    return snapshot


def _owner(raw: dict[str, Any], field_name: str, clients: dict[str, ClientInfo]) -> str | None:
    owner = raw.get(field_name)
    if owner:
        return str(owner)
    client = clients.get(raw.get("client_id") or "")
    return client.owner_id if client else None


def _read_deals(workspace: Workspace, snapshot: Snapshot, wanted: set[str]) -> None:
    for raw in workspace.file("deals").scan():
        owner = _owner(raw, "owner_id", snapshot.clients)
        if owner not in wanted:
            continue
        client = snapshot.clients.get(raw.get("client_id") or "")
        amount = raw.get("amount") or {}
        snapshot.deal_clients[raw["id"]] = str(raw.get("client_id", ""))
        snapshot.deals.setdefault(owner, []).append(DealFact(
            raw["id"], str(raw.get("title", "")), client.name if client else "",
            Decimal(str(amount.get("amount", "0"))), str(amount.get("currency", "RUB")),
            str(raw.get("status", "proposal")), _day(raw.get("signed_on")),
            _day(raw.get("paid_on"))))


def _read_messages(workspace: Workspace, snapshot: Snapshot, wanted: set[str]) -> None:
    replies: dict[str, list[datetime]] = {}
    incoming: list[tuple[str, dict[str, Any]]] = []
    for raw in workspace.file("messages").scan():
        if raw.get("direction") == "outgoing":
            sent = _moment(raw.get("received_at"))
            if sent is not None:
                replies.setdefault(str(raw.get("client_id")), []).append(sent)
            continue
        owner = _owner(raw, "assignee_id", snapshot.clients)
        if owner in wanted:
            incoming.append((owner, raw))
    for times in replies.values():
        times.sort()
    for owner, raw in incoming:
        received = _moment(raw.get("received_at"))
        if raw.get("kind") == "complaint" and received is not None:
            snapshot.complaints.setdefault(owner, []).append(snapshot.local_day(received))
        answer_by = _moment(raw.get("answer_by"))
        if answer_by is None or received is None or raw.get("kind") not in ANSWERABLE:
            continue
        times = replies.get(str(raw.get("client_id")), [])
        at = bisect.bisect_left(times, received)
        answered = times[at] if at < len(times) else None
        if answered is None and raw.get("status") in ANSWERED_STATUSES:
            answered = _moment(raw.get("updated_at"))
        snapshot.messages.setdefault(owner, []).append(MessageFact(answer_by, answered))
