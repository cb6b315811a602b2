"""Statements: a member's month, computed from the snapshot; locked once paid; adjustments
for what changed in locked months; who may see whose statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .engine import (
    Billable,
    Line,
    Period,
    adjustment_lines,
    billable,
    own_lines,
    total,
)
from .facts import MemberInfo, Snapshot, read_snapshot
from .i18n import _
from .market import MarketPosition, position, segment_for
from .plan import role_name
from .records import STATEMENTS_TABLE, LockedStatement
from .whatif import apply

if TYPE_CHECKING:
    from amtui.api import Workspace

    from .plan import Plan
    from .records import LockedStatement
    from .whatif import WhatIf


class NotAllowed(Exception):
    """The person at the keyboard may not do or see this (a message for them)."""


@dataclass(frozen=True)
class Statement:
    """A member's pay for a month, line by line."""

    member: MemberInfo
    period: Period
    currency: str
    plan: Plan | None
    lines: tuple[Line, ...]
    locked: LockedStatement | None = None
    billable: tuple[Billable, ...] = ()
    market: MarketPosition | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    """What the reader should know: no plan, deals not counted, where adjustments go."""

    @property
    def total(self) -> Decimal:
        return total(self.lines)


def adjustment_month(snapshot: Snapshot, member_id: str) -> Period | None:
    """The month that takes the adjustments to locked months: the one after the last locked."""
    last = snapshot.last_locked(member_id)
    return last.next() if last else None


def stored_lines(statement: LockedStatement) -> list[Line]:
    return list(statement.lines)


def _why_gone(snapshot: Snapshot, member_id: str, plan: Plan | None) -> dict[str, str]:
    """Deal id → why it no longer counts, for deals that are lost, unpaid or deleted."""
    reasons: dict[str, str] = {}
    basis = plan.commission.basis if plan and plan.commission else "signed"
    for deal in snapshot.deals.get(member_id, []):
        if deal.status == "lost":
            reasons[deal.id] = _("«{title}» is now lost").format(title=deal.title)
        elif deal.status != "won":
            reasons[deal.id] = _("«{title}» is back to {status}").format(
                title=deal.title, status=deal.status)
        elif basis == "paid" and deal.paid_on is None:
            reasons[deal.id] = _("the payment for «{title}» was taken back").format(
                title=deal.title)
    return reasons


def adjustments(snapshot: Snapshot, member_id: str, currency: str) -> tuple[list[Line], list[str]]:
    """Adjustments to every locked month of the member, and notes about any not made."""
    locked = snapshot.locked.get(member_id, {})
    lines: list[Line] = []
    notes: list[str] = []
    known = {deal.id for deal in snapshot.deals.get(member_id, [])}
    for period in sorted(locked):
        statement = locked[period]
        if statement.currency != currency:
            notes.append(_("{period} was paid in {currency}: it is not adjusted in "
                           "{currency2}").format(
                period=period, currency=statement.currency, currency2=currency))
            continue
        plan = snapshot.plan_for(member_id, period)
        recomputed = own_lines(plan, snapshot.facts(member_id, period))
        paid = [line for line in stored_lines(statement) if not line.adjusts]
        adjusted = [line for later, other in locked.items() if later > period
                    for line in stored_lines(other) if line.adjusts == str(period)]
        gone = _why_gone(snapshot, member_id, plan)
        for line in paid:
            if line.kind == "commission" and line.source_id not in known:
                gone[line.source_id] = _("{source} was deleted").format(source=line.source)
        lines += adjustment_lines(str(period), recomputed, paid, adjusted, currency, gone)
    return lines, notes


def compute_statement(snapshot: Snapshot, member_id: str, period: Period,
                      what_if: WhatIf | None = None) -> Statement:
    """The member's statement for the month: the locked one if it is locked (a what-if
    applies to the computed lines only)."""
    member = snapshot.members[member_id]
    settings = snapshot.settings
    plan = snapshot.plan_for(member_id, period)
    currency = plan.currency if plan else snapshot.workspace_currency
    locked = snapshot.locked.get(member_id, {}).get(period)
    facts = snapshot.facts(member_id, period)
    notes: list[str] = []
    if locked is not None and what_if is None:
        lines = stored_lines(locked)
        currency = locked.currency
        notes.append(_("locked on {local_day} by {locked_by}; later changes become adjustments in "
                       "{next}").format(
            local_day=snapshot.local_day(locked.locked_at), locked_by=locked.locked_by,
            next=period.next()))
    else:
        if what_if is not None and plan is not None:
            plan, facts = apply(what_if, plan, facts)
        lines = own_lines(plan, facts)
        if plan is None:
            notes.append(_("no plan for {name} in {period}: the head gives them one (e in the "
                           "Bonus pane, or `amtui bonus plan set FILE`)").format(
                name=member.name, period=period))
        target = adjustment_month(snapshot, member_id)
        if target == period:
            extra, extra_notes = adjustments(snapshot, member_id, currency)
            lines += extra
            notes += extra_notes
        elif target is not None and period > target:
            notes.append(_("adjustments to locked months come in {target}, the month after the "
                           "last one locked").format(target=target))
    notes += [_("not counted: {source} — {detail}").format(
        source=line.source, detail=line.detail) for line in lines
              if line.kind == "excluded"]
    billed = billable(plan, facts.time_entries, settings.client_overtime_coefficient,
                      settings.client_hourly_rate, snapshot.workspace_currency)
    segment = segment_for(member.role, plan.market_segment if plan else None)
    region = (plan.market_region if plan else None) or settings.region
    amount = total(lines)
    market = position(amount, currency, settings.market, segment, region) if plan else None
    return Statement(member, period, currency, plan, tuple(lines), locked, tuple(billed),
                     market, tuple(notes))


# Who may see and do what ----------------------------------------------------------------------

def viewer_of(snapshot: Snapshot) -> MemberInfo | None:
    """The member at the keyboard: the one whose login is the OS user's."""
    # lazy: orjson, loaded with the store
    from amtui.api import os_user

    me = os_user()
    return next((member for member in snapshot.members.values() if member.login == me), None)


def not_a_member() -> str:
    # lazy: orjson, loaded with the store
    from amtui.api import os_user

    return (_("you ({os_user}) are not a member of this workspace: the head sets your login on "
              "your member record, and then you see your own statements").format(
        os_user=os_user()))


def visible_members(snapshot: Snapshot) -> list[MemberInfo]:
    """Whose statements the person at the keyboard may see: their own; the head's, all."""
    viewer = viewer_of(snapshot)
    if viewer is None:
        return []
    if viewer.role == "head":
        return sorted(snapshot.members.values(), key=lambda member: member.name.casefold())
    return [viewer]


def check_may_see(snapshot: Snapshot, member_id: str) -> None:
    viewer = viewer_of(snapshot)
    if viewer is None:
        raise NotAllowed(not_a_member())
    if viewer.role != "head" and viewer.id != member_id:
        raise NotAllowed(_("you ({name}) may see only your own statements; the head sees "
                           "everyone's").format(name=viewer.name))


def check_head(snapshot: Snapshot, action: str) -> MemberInfo:
    viewer = viewer_of(snapshot)
    if viewer is None:
        raise NotAllowed(not_a_member())
    if viewer.role != "head":
        raise NotAllowed(_("only the head {action}; you are {role}").format(
            action=action, role=role_name(viewer.role)))
    return viewer


def find_member(snapshot: Snapshot, wanted: str) -> MemberInfo:
    """A member named by id, login or name (case does not matter)."""
    text = wanted.strip()
    if text in snapshot.members:
        return snapshot.members[text]
    folded = text.casefold()
    found = [member for member in snapshot.members.values()
             if member.login and member.login.casefold() == folded] or \
        [member for member in snapshot.members.values() if member.name.casefold() == folded]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(_("{count} members are named {text!r}; name one by id or login").format(
            count=len(found), text=text))
    names = ", ".join(sorted(member.name for member in snapshot.members.values())[:12])
    raise ValueError(_("no member named {text!r} (members: {value})").format(
        text=text, value=names or 'none'))


# Locking --------------------------------------------------------------------------------------

def locked_record(snapshot: Snapshot, member_id: str, period: Period, by: str) -> LockedStatement:
    """The member's statement for the month, as it is in ``snapshot``, ready to be stored
    locked. Only months that have ended, in order (the month after the last locked one).
    Raises InvalidRecord saying why not."""
    # lazy: orjson, loaded with the store
    from amtui.api import InvalidRecord

    member = snapshot.members[member_id]
    if period.end >= snapshot.today:
        raise InvalidRecord(_("{period} has not ended yet (its last day is {end}): lock a month "
                              "once it is over and paid").format(period=period, end=period.end))
    if period in snapshot.locked_periods.get(member_id, set()):
        raise InvalidRecord(_("{period} of {name} is locked already").format(
            period=period, name=member.name))
    expected = adjustment_month(snapshot, member_id)
    if expected is not None and period != expected:
        raise InvalidRecord(_("lock the months of {name} in order: the last locked is {previous}, "
                              "so the next to lock is {expected}").format(
            name=member.name, previous=expected.previous(), expected=expected))
    statement = compute_statement(snapshot, member_id, period)
    if statement.plan is None:
        raise InvalidRecord(_("{name} has no plan in {period}: nothing to lock").format(
            name=member.name, period=period))
    excluded = [line for line in statement.lines if line.kind == "excluded"]
    if excluded:
        raise InvalidRecord(_("{source} is in {unit}, the plan pays in {currency}: correct it "
                              "before locking {period}").format(
            source=excluded[0].source, unit=excluded[0].unit, currency=statement.currency,
            period=period))
    now = snapshot.now
    return LockedStatement(
        member_id=member_id, period=str(period), currency=statement.currency,
        plan_id=statement.plan.id, plan_name=statement.plan.name,
        lines=list(statement.lines),
        total=statement.total, locked_at=now, locked_by=by, rev=1, created_at=now,
        updated_at=now)


def store_locked(workspace: Workspace, records: list[LockedStatement]) -> None:
    """Store locked statements in one transaction, unless a month of theirs (or a later one)
    was locked meanwhile."""
    # lazy: orjson, loaded with the store
    from amtui.api import InvalidRecord

    with workspace.transaction(STATEMENTS_TABLE) as transaction:
        first: dict[str, str] = {}
        for record in records:
            first[record.member_id] = min(first.get(record.member_id, record.period),
                                          record.period)
        for raw in transaction.scan(STATEMENTS_TABLE):
            since = first.get(raw.get("member_id", ""))
            if since is not None and str(raw.get("period", "")) >= since:
                raise InvalidRecord(_("{period} was locked meanwhile; look again").format(
                    period=raw.get("period")))
        transaction.insert(STATEMENTS_TABLE, [record.model_dump(mode="json")
                                              for record in records])


def lock_statement(workspace: Workspace, member_id: str, period: Period) -> LockedStatement:
    """Lock the member's statement for the month as it is now (only the head may)."""
    # lazy: orjson, loaded with the store
    from amtui.api import InvalidRecord

    snapshot = read_snapshot(workspace, {member_id})
    if member_id not in snapshot.members:
        raise InvalidRecord(_("no member with id {member_id!r}").format(member_id=member_id))
    viewer = check_head(snapshot, _("locks statements"))
    record = locked_record(snapshot, member_id, period, viewer.login)
    store_locked(workspace, [record])
    return record
