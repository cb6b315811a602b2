"""What the plugin adds to Today and to the client card, for the person at the keyboard."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from amtui.api import AgendaEntry, Client, ClientSection, Deal

from .engine import Period, own_lines, sales, total
from .facts import read_snapshot
from .i18n import N_, _
from .money import money, number, signed_money
from .statements import viewer_of
from .whatif import WhatIf, apply, compare

if TYPE_CHECKING:
    from amtui.api import AgendaEntry, ClientSection, Workspace

SECTION = N_("Bonus")
OPEN_STATUSES = ("proposal", "negotiation")
KIND_NAMES = {"commission": N_("commission"), "cap_deal": N_("cap per deal"),
              "accelerator": N_("accelerator"), "cap_month": N_("cap per month")}


def agenda_entries(workspace: Workspace, now: datetime) -> list[AgendaEntry]:
    """Your quota so far this month; for the head, last month's statements still to lock."""
    today = workspace.clock().astimezone(ZoneInfo(workspace.settings.timezone)).date()
    # what was sold this quarter is all the lines need of the deals
    quarter = tuple(Period.of(today).quarter_months())
    snapshot = read_snapshot(workspace, viewer_only=True, with_inbox=False, months=quarter)
    viewer = viewer_of(snapshot)
    if viewer is None:
        return []
    entries = []
    period = Period.of(snapshot.today)
    plan = snapshot.plan_for(viewer.id, period)
    if plan is not None and plan.quota is not None:
        quarterly = plan.quota.period == "quarter"
        months = [month for month in period.quarter_months() if month <= period] \
            if quarterly else [period]
        deals = snapshot.deals.get(viewer.id, [])
        sold = sales(plan, deals, months)
        reached = sold * 100 / plan.quota.amount
        title = _("Quota {label}: {number}% reached").format(
            label=period.shown_quarter if quarterly else period.shown,
            number=number(reached.quantize(Decimal('0.1'))))
        detail = _("{money} of {money2}").format(
            money=money(sold, plan.currency), money2=money(plan.quota.amount, plan.currency))
        ahead = [band for band in plan.quota.bands if band.start > reached]
        if ahead:
            to_go = plan.quota.amount * ahead[0].start / 100 - sold
            detail += (_("; ×{number} from {number2}%: {money} to go").format(
                number=number(ahead[0].multiplier), number2=number(ahead[0].start),
                money=money(to_go, plan.currency)))
        entries.append(AgendaEntry(_(SECTION), title, detail))
    if viewer.role == "head":
        last = period.previous()
        waiting = [member.name for member in snapshot.members.values()
                   if snapshot.plan_for(member.id, last) is not None
                   and last not in snapshot.locked_periods.get(member.id, set())
                   and (snapshot.last_locked(member.id) or last.previous()) < last]
        if waiting:
            entries.append(AgendaEntry(
                _(SECTION), _("{last} statements to lock: {count}").format(
                    last=last.shown, count=len(waiting)),
                _("once paid; Bonus pane, l: ") + ", ".join(sorted(waiting)[:5])
                + ("…" if len(waiting) > 5 else "")))
    return entries


def worth_section(workspace: Workspace, client_id: str) -> ClientSection | None:
    """"What it is worth to me": for each open deal of the client, what winning it this month
    would add to its owner's payout under their plan. Shown to the owner and the head."""
    people = read_snapshot(workspace, set())
    viewer = viewer_of(people)
    if viewer is None:
        return None
    owners = {viewer.id}
    if viewer.role == "head":
        client = workspace.repo(Client).stored(client_id) or {}
        owners = {str(raw.get("owner_id") or client.get("owner_id"))
                  for raw in workspace.repo(Deal).query_raw(client_id=client_id,
                                                            status__in=OPEN_STATUSES)}
    # A deal does not change the inbox: its KPIs are the same either way, so it is not read.
    snapshot = read_snapshot(workspace, owners, with_inbox=False)
    period = Period.of(snapshot.today)
    lines: list[str] = []
    for owner_id, deals in snapshot.deals.items():
        if viewer.role != "head" and owner_id != viewer.id:
            continue
        open_deals = [deal for deal in deals if deal.status in OPEN_STATUSES
                      and snapshot.deal_clients.get(deal.id) == client_id]
        if not open_deals:
            continue
        owner = snapshot.members[owner_id]
        plan = snapshot.plan_for(owner_id, period)
        for deal in open_deals:
            heading = f"«{deal.title}» {money(deal.amount, deal.currency)}"
            if plan is None:
                lines.append(_("{heading}: {name} has no plan in {period}").format(
                    heading=heading, name=owner.name, period=period))
                continue
            facts = snapshot.facts(owner_id, period)
            before = own_lines(plan, facts)
            after = own_lines(*apply(WhatIf(deal_amounts={deal.id: deal.amount}), plan, facts))
            change = total(after) - total(before)
            parts = [f"{_(KIND_NAMES[item.kind]) if item.kind in KIND_NAMES else item.source} "
                     f"{signed_money(item.change, plan.currency)}"
                     for item in compare(before, after) if item.change]
            lines.append(_("{heading}: {signed_money} for {name} if won in {period}").format(
                heading=heading, signed_money=signed_money(change, plan.currency), name=owner.name,
                period=period))
            if parts:
                lines.append("    " + ", ".join(parts))
    if not lines:
        return None
    return ClientSection(_("What it is worth to me"), lines)
