"""Demo plans, hours and locked statements for ``amtui demo`` (the same seed, the same data)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .engine import Period
from .facts import read_snapshot
from .i18n import _, ngettext
from .plan import Plan
from .records import TimeEntry
from .statements import locked_record, store_locked

if TYPE_CHECKING:
    from amtui.api import Workspace

    from .plan import Plan
    from .records import TimeEntry

B2B_TIERS = [{"from": 0, "to": 500_000, "rate": 12}, {"from": 500_000, "rate": 5}]
BANDS = [{"from": 0, "multiplier": 0}, {"from": 50, "multiplier": 1},
         {"from": 100, "multiplier": Decimal("1.2")}, {"from": 150, "multiplier": Decimal("1.5")}]


def demo_plans(valid_from: date, head_id: str | None) -> list[Plan]:
    """A plan per role (B2B for KAMs, B2C for account managers) and the head's own."""
    common: dict[str, Any] = {"valid_from": valid_from, "currency": "RUB"}
    plans = [
        Plan(name="KAM 2026", role="kam", base_salary=Decimal(90_000), **common,
             commission={"basis": "signed", "mode": "marginal", "tiers": B2B_TIERS,
                         "cap_per_month": 400_000},
             quota={"amount": 120_000, "period": "month", "bands": BANDS},
             kpis=[{"kind": "plan_fulfilment", "target": 100, "amount": 15_000},
                   {"kind": "active_clients", "target": 5, "amount": 10_000},
                   {"kind": "average_order_growth", "target": 10, "percent_of_base": 5}],
             overtime={"coefficient": Decimal("1.5")}),
        Plan(name="Account manager 2026", role="account_manager",
             base_salary=Decimal(40_000), **common,
             commission={"basis": "paid", "mode": "whole_deal", "cap_per_deal": 30_000,
                         "tiers": [{"from": 0, "to": 100_000, "rate": 15},
                                   {"from": 100_000, "rate": 10}]},
             kpis=[{"kind": "answered_in_time", "target": 90, "amount": 5_000},
                   {"kind": "no_complaints", "target": 1, "amount": 3_000},
                   {"kind": "clients_retained", "target": 95, "percent_of_base": 10}],
             overtime={"coefficient": Decimal("1.5")}),
        Plan(name="Assistant 2026", role="assistant", base_salary=Decimal(35_000), **common,
             overtime={"coefficient": 2, "hourly_rate": 250}),
    ]
    if head_id:
        plans.append(Plan(
            name="Head 2026", member_id=head_id, base_salary=Decimal(180_000), **common,
            market_region="Moscow",
            commission={"basis": "signed", "mode": "whole_deal",
                        "tiers": [{"from": 0, "rate": 3}]},
            quota={"amount": 900_000, "period": "quarter", "bands": BANDS},
            kpis=[{"kind": "active_clients", "target": 5, "amount": 20_000}]))
    return plans


def demo_hours(rng: random.Random, members: list[Any], clients: dict[str, list[str]],
               today: date) -> list[TimeEntry]:
    """Evenings and the odd Saturday over the last two months."""
    entries = []
    for member in members:
        for _round in range(rng.randint(2, 5)):
            day = today - timedelta(days=rng.randint(1, 60))
            if day.weekday() >= 5:
                start, end = time(rng.choice([10, 11, 12]), 0), time(rng.choice([14, 15]), 30)
            else:
                start, end = time(17, rng.choice([0, 30])), time(rng.choice([20, 21]), 30)
            own = clients.get(member.id, [])
            entries.append(TimeEntry(
                member_id=member.id, day=day, start=start, end=end,
                client_id=rng.choice(own) if own and rng.random() < 0.8 else None,
                note=rng.choice(["срочные правки к запуску", "отчёт для клиента",
                                 "созвон с клиентом вечером", "launch night"])))
    return entries


def fill_demo(workspace: Workspace, size: str, seed: int, say: Callable[[str], None]) -> None:
    # lazy: orjson, loaded with the store
    from amtui.api import Client, Member, os_user

    rng = random.Random(f"bonus-{seed}")
    members = workspace.repo(Member).all()
    if not members:
        return
    head = next((member for member in members if member.role == "head"), None)
    me = os_user()
    if head is not None and not any(member.login == me for member in members):
        workspace.repo(Member).update(head.model_copy(update={"login": me}))
        say(_("you ({me}) are {name}, the head, in the demo: you see every statement").format(
            me=me, name=head.name))
    today = workspace.clock().date()
    first = Period.of(today).months_before(6)[-1]
    plans = demo_plans(first.start, head.id if head else None)
    say(ngettext("writing {count} compensation plan", "writing {count} compensation plans",
                 len(plans)).format(count=len(plans)))
    workspace.repo(Plan).add_many(plans)
    clients: dict[str, list[str]] = {}
    for raw in workspace.repo(Client).scan():
        if raw.get("owner_id") and raw.get("status") == "active":
            clients.setdefault(raw["owner_id"], []).append(raw["id"])
    working = [member for member in members if member.role != "head"]
    if size != "small":
        working = working[:12]
    entries = demo_hours(rng, working, clients, today)
    say(ngettext("writing {count} time entry", "writing {count} time entries",
                 len(entries)).format(count=len(entries)))
    workspace.repo(TimeEntry).add_many(entries)
    snapshot = read_snapshot(workspace)
    snapshot.locked = {member: dict(months) for member, months in snapshot.locked.items()}
    snapshot.locked_periods = {member: set(months)
                               for member, months in snapshot.locked_periods.items()}
    months = []
    month = first
    while month.next() < Period.of(today):
        months.append(month)
        month = month.next()
    records = []
    for member in members:
        for month in months:
            if snapshot.plan_for(member.id, month) is None:
                continue
            record = locked_record(snapshot, member.id, month, "demo")
            snapshot.add_locked(record)
            records.append(record)
    say(ngettext("locking {count} statement of past months",
                 "locking {count} statements of past months", len(records)).format(
        count=len(records)))
    if records:
        store_locked(workspace, records)
