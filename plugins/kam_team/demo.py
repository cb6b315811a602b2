"""Demo data for the team view (``amtui demo``): a year of account history, plans, stage moves
and surveys, with the situations the view is for made plain: a few clearly key accounts, one
single-threaded key account, a key account that churned, and accounts to review or promote.

Deterministic for a seed and a day, like amtui's own demo data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from amtui.api import Client, Contact, Member, Message

from .history import created_on, decimal, recording_itself
from .i18n import _
from .models import (
    STAGES,
    AccountHistory,
    AccountPlan,
    Attitude,
    Criterion,
    HistoryEntry,
    Purpose,
    Specialist,
    StageMove,
    Survey,
    history_id,
    plan_id,
)
from .snapshot import ANSWERED, LATE_WINDOW_DAYS

if TYPE_CHECKING:
    from amtui.api import Workspace

Raw = dict[str, Any]
FEATURED = 4
"""Clearly key accounts: the biggest active clients, scored high, at the top stages."""
SPECIALISTS = [("Лена Котова", "copywriting"), ("Stas Ivanov", "seo"),
               ("Вика Руденко", "design"), ("Артём Белов", "development"),
               ("Kate Novak", "context_ads"), ("Гоша Ким", "analytics")]
REASONS = {
    "operational": ["Подписали договор на год", "Weekly reporting agreed with their CMO",
                    "Перешли с разовых задач на ежемесячный ретейнер"],
    "functional": ["Встречи с отделом продаж каждую неделю",
                   "We now plan their campaigns together each quarter",
                   "Подключили сквозную аналитику с их CRM"],
    "strategic": ["Стали подрядчиком по всем digital-каналам",
                  "Invited to their annual strategy session",
                  "Совместный план роста на два года"],
}
COMMENTS = ["Всё устраивает", "Отчёты стали понятнее", "Slow answers last month",
            "Хотим больше инициативы от агентства", "Great results on the new landing", "",
            "Дорого, но работает", ""]


class DemoIds:
    """Ids made from the seeded generator (the same seed gives the same ids)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, prefix: str) -> str:
        return f"{prefix}-{self.rng.getrandbits(64):016x}"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def fill_demo(workspace: Workspace, size: str, seed: int, say: Callable[[str], Any]) -> None:
    rng = random.Random(f"kam_team-{seed}")
    ids = DemoIds(rng)
    today = workspace.clock().date()
    members = list(workspace.repo(Member).scan())
    if not members:
        return
    clients = {raw["id"]: dict(raw) for raw in workspace.repo(Client).scan()}
    contacts: dict[str, list[Raw]] = defaultdict(list)
    for raw in workspace.repo(Contact).scan():
        contacts[raw["client_id"]].append(raw)
    assistants = [m["id"] for m in members if m.get("role") == "assistant"] or [
        m["id"] for m in members]

    changed: set[str] = set()
    active = sorted((c for c in clients.values() if c.get("status") == "active"),
                    key=lambda c: (-decimal(c.get("monthly_revenue")), c["id"]))
    featured = [c["id"] for c in active[:FEATURED]]
    churned_key = active[FEATURED]["id"] if len(active) > FEATURED else None
    key_ids = {c["id"] for c in clients.values() if c.get("key_account")} | set(featured)
    for client_id in key_ids:
        client = clients[client_id]
        client["key_account"] = True
        if not client.get("stage"):
            client["stage"] = "tactical"
        changed.add(client_id)
    for position, client_id in enumerate(featured):
        clients[client_id]["stage"] = ("strategic", "strategic", "functional",
                                       "functional")[position]
    # A key account that churned a couple of months ago.
    churn_day: dict[str, date] = {}
    if churned_key is not None:
        client = clients[churned_key]
        client.update(status="churned", key_account=True, stage="operational",
                      monthly_revenue="0", cost_to_serve="0")
        churn_day[churned_key] = today - timedelta(days=rng.randint(40, 70))
        key_ids.add(churned_key)
        changed.add(churned_key)
    # One key account with a single contact on the client's side; the others with two or more.
    single = next((client_id for client_id in featured[1:] if len(contacts[client_id]) == 1),
                  featured[-1] if featured else None)
    new_contacts = _second_contacts(rng, ids, contacts, key_ids - {single}, today)
    if single is not None:
        contacts[single] = contacts[single][:1]

    say(_("writing {count:,} key accounts and {count2:,} contacts").format(
        count=len(changed), count2=len(new_contacts)))
    stamp = workspace.clock().isoformat()
    with recording_itself():
        if changed:
            with workspace.transaction("clients") as tx:
                for client_id in sorted(changed):
                    stored = tx.get("clients", client_id) or {"rev": 0}
                    fields = sorted(k for k in ("key_account", "stage", "status",
                                                "monthly_revenue", "cost_to_serve")
                                    if stored.get(k) != clients[client_id].get(k))
                    raw = {**clients[client_id], "rev": stored["rev"] + 1, "updated_at": stamp}
                    tx.put("clients", raw, "update", fields)
        if new_contacts:
            workspace.repo(Contact).add_many(new_contacts, keep_timestamps=True)
        histories = [_history(rng, client, today, churn_day.get(client_id), members)
                     for client_id, client in clients.items()]
        say(_("writing the history of {count:,} accounts").format(count=len(histories)))
        workspace.repo(AccountHistory).add_many(histories, keep_timestamps=True)
    timelines = {history.client_id: history.entries for history in histories}

    plans, moves = [], []
    for client_id in sorted(key_ids):
        client = clients[client_id]
        top = client_id in featured
        plans.append(_plan(rng, client, contacts[client_id], assistants, top,
                           lone=client_id == single, today=today))
        moves += _moves(rng, ids, client, today)
    # Accounts that score like key accounts but are not marked: the view suggests them.
    candidates = [c for c in active[FEATURED + 1:] if c["id"] not in key_ids]
    for client in rng.sample(candidates, min(len(candidates), 2 if size == "small" else 40)):
        plans.append(_plan(rng, client, contacts[client["id"]], assistants, True, False, today))
    say(_("writing {count:,} account plans and {count2:,} stage moves").format(
        count=len(plans), count2=len(moves)))
    workspace.repo(AccountPlan).add_many(plans, keep_timestamps=True)
    workspace.repo(StageMove).add_many(moves, keep_timestamps=True)
    surveys = _surveys(rng, ids, clients, timelines, key_ids, featured, churned_key, today, size)
    say(_("writing {count:,} satisfaction surveys").format(count=len(surveys)))
    workspace.repo(Survey).add_many(surveys, keep_timestamps=True)
    replies = _late_replies(rng, ids, workspace, 0.1 if size == "small" else 0.02)
    say(_("writing {count:,} replies sent after their answer-by time").format(count=len(replies)))
    with workspace.transaction("messages") as tx:
        for request, reply in replies:
            tx.put("messages", {**request, "rev": request["rev"] + 1,
                                "updated_at": reply.received_at.isoformat()}, "update", [])
        tx.insert("messages", [reply.model_dump(mode="json") for _request, reply in replies])


def _late_replies(rng: random.Random, ids: DemoIds, workspace: Workspace, share: float
                  ) -> list[tuple[Raw, Any]]:
    """Replies to a few answered requests of the last 30 days, sent after the answer was due
    (and the request closed then): the late answers the team's load shows."""
    now = workspace.clock()
    since = (now - timedelta(days=LATE_WINDOW_DAYS)).isoformat()
    replies = []
    for raw in workspace.repo(Message).scan():
        if (raw.get("direction") == "outgoing" or raw.get("status") not in ANSWERED
                or not raw.get("answer_by") or raw.get("received_at", "") < since
                or rng.random() > share):
            continue
        due = datetime.fromisoformat(raw["answer_by"])
        sent = min(due + timedelta(hours=rng.uniform(1, 30)), now - timedelta(minutes=5))
        if sent <= due:
            continue
        replies.append((raw, Message(
            id=ids("msg"), rev=1, created_at=sent, updated_at=sent, client_id=raw["client_id"],
            contact_id=raw.get("contact_id"), channel=raw.get("channel", "email"),
            direction="outgoing", kind="reply", status="done", received_at=sent,
            assignee_id=raw.get("assignee_id"),
            text="Извините за задержку — ответ по вашему вопросу во вложении")))
    return replies


def _second_contacts(rng: random.Random, ids: DemoIds, contacts: dict[str, list[Raw]],
                     wanted: set[str], today: date) -> list[Any]:
    made = []
    for client_id in sorted(wanted):
        if len(contacts[client_id]) >= 2:
            continue
        name = rng.choice(["Ольга Зайцева", "Pavel Kim", "Ирина Белова", "Tom Hughes"])
        moment = _moment(today - timedelta(days=rng.randint(30, 300)))
        contact = Contact(id=ids("ct"), rev=1, created_at=moment, updated_at=moment,
                          client_id=client_id, name=name, role="маркетолог",
                          influence="champion")
        contacts[client_id].append(contact.model_dump(mode="json"))
        made.append(contact)
    return made


def _history(rng: random.Random, client: Raw, today: date, churned_on: date | None,
             members: list[Raw]) -> AccountHistory:
    """A year or more of the client's status, revenue, cost and owner, ending as it is."""
    start = created_on(client, today)
    revenue = decimal(client.get("monthly_revenue"))
    cost = decimal(client.get("cost_to_serve"))
    owner = client.get("owner_id")
    status = client.get("status", "active")
    entries: list[HistoryEntry] = []

    def at(day: date, status: str, revenue: Decimal, cost: Decimal, owner: str | None) -> None:
        day = max(min(day, today), start)
        entry = HistoryEntry(on=day, status=status, revenue=revenue, cost=cost, owner_id=owner)
        if entries and entries[-1].same_as(entry):
            return
        entries.append(entry)

    span = max((today - start).days, 1)

    def after(day: date, most: int) -> date:
        return day + timedelta(days=rng.randint(0, max(min(most, (today - day).days), 0)))

    if status == "active":
        was = (revenue * Decimal(rng.uniform(0.55, 1.0)) / 1000).quantize(Decimal(1)) * 1000
        was_cost = (cost * was / revenue).quantize(Decimal(1)) if revenue else cost
        first_owner = rng.choice(members)["id"] if rng.random() < 0.1 else owner
        at(start, "active", was, was_cost, first_owner)
        day = start
        if rng.random() < 0.06 and span > 150:  # churned once and came back
            day = after(start + timedelta(days=30), span - 120)
            at(day, "churned", Decimal(0), Decimal(0), first_owner)
            day = after(day + timedelta(days=20), 40)
            at(day, "active", was, was_cost, first_owner)
        day = after(max(day, start + timedelta(days=span // 2)), span)
        at(day, "active", revenue, cost, first_owner)
        at(after(day, 120), "active", revenue, cost, owner)
    elif status in ("churned", "dormant"):
        was = Decimal(int(rng.paretovariate(1.16) * 25_000) // 1000 * 1000)
        was_cost = (was * Decimal(rng.uniform(0.15, 0.6))).quantize(Decimal(1))
        at(start, "active", was, was_cost, owner)
        at(churned_on or after(start, span), status, revenue, cost, owner)
    if not entries:  # a lead
        at(start, status, revenue, cost, owner)
    at(today, status, revenue, cost, owner)
    moment = _moment(start)
    return AccountHistory(id=history_id(client["id"]), rev=1, created_at=moment,
                          updated_at=moment, client_id=client["id"], entries=entries)


def _plan(rng: random.Random, client: Raw, people: list[Raw], assistants: list[str],
          top: bool, lone: bool, today: date) -> AccountPlan:
    low, high = (3, 5) if top else (1, 4)
    scores = {criterion: rng.randint(low, high) for criterion in Criterion}
    purpose = Purpose.GROWTH if top else rng.choice(list(Purpose))
    specialists = [] if lone else [Specialist(name=name, department=department)
                                   for name, department in rng.sample(SPECIALISTS,
                                                                      rng.randint(1, 3))]
    attitudes = [Attitude.SUPPORTER, Attitude.SUPPORTER, Attitude.NEUTRAL, Attitude.OPPONENT]
    stakeholders = [{"contact_id": person["id"], "attitude": rng.choice(attitudes),
                     "strength": rng.randint(2 if top else 1, 5)} for person in people]
    moment = _moment(today - timedelta(days=rng.randint(10, 120)))
    return AccountPlan(id=plan_id(client["id"]), rev=1, created_at=moment, updated_at=moment,
                       client_id=client["id"], purpose=purpose, kam_id=client.get("owner_id"),
                       assistant_id=None if lone else rng.choice(assistants),
                       specialists=specialists, stakeholders=stakeholders, scores=scores,
                       scored_on=moment.date())


def _moves(rng: random.Random, ids: DemoIds, client: Raw, today: date) -> list[StageMove]:
    stage = client.get("stage") or "tactical"
    reached = [value.value for value in STAGES][: [s.value for s in STAGES].index(stage) + 1]
    start = created_on(client, today)
    span = max((today - start).days, len(reached))
    days = sorted(rng.sample(range(span), len(reached)))
    moves = []
    previous = None
    for stage_name, offset in zip(reached, days, strict=True):
        day = start + timedelta(days=offset)
        reason = ("Начали работать" if previous is None
                  else rng.choice(REASONS.get(stage_name, ["—"])))
        moment = _moment(day)
        moves.append(StageMove(id=ids("sm"), rev=1, created_at=moment, updated_at=moment,
                               client_id=client["id"], on=day, from_stage=previous,
                               to_stage=stage_name, reason=reason, by="demo"))
        previous = stage_name
    return moves


def _surveys(rng: random.Random, ids: DemoIds, clients: dict[str, Raw],
             timelines: dict[str, list[HistoryEntry]], key_ids: set[str], featured: list[str],
             churned_key: str | None, today: date, size: str) -> list[Survey]:
    """Surveys a few times a year from key accounts and some others, answered while the client
    was active; the churned key account was unhappy before it left; one featured account is
    unhappy now (Today shows it)."""
    share = 0.5 if size == "small" else 0.08
    surveys = []
    for client_id in sorted(clients):
        if client_id not in key_ids and rng.random() > share:
            continue
        entries = timelines.get(client_id, [])
        every = rng.choice([45, 60, 90])
        for back in range(rng.randint(0, every), 390, every):
            day = today - timedelta(days=back)
            state = next((e for e in reversed(entries) if e.on <= day), None)
            if state is None or state.status != "active":
                continue
            scale = rng.choice(["csat", "csat", "nps"])
            if client_id == churned_key:
                score = 2 if scale == "csat" else 4
            elif scale == "csat":
                score = rng.choices([1, 2, 3, 4, 5], [3, 7, 20, 40, 30])[0]
            else:
                score = rng.choices(range(11), [1, 1, 1, 2, 2, 4, 6, 10, 20, 25, 28])[0]
            moment = _moment(day)
            surveys.append(Survey(id=ids("sv"), rev=1, created_at=moment, updated_at=moment,
                                  client_id=client_id, on=day, scale=scale, score=score,
                                  comment=rng.choice(COMMENTS)))
    if featured:
        unhappy_day = today - timedelta(days=3)
        moment = _moment(unhappy_day)
        surveys.append(Survey(id=ids("sv"), rev=1, created_at=moment, updated_at=moment,
                              client_id=featured[-1], on=unhappy_day, scale="csat", score=2,
                              comment="Отчёты приходят с опозданием, ответов ждём по два дня"))
    return surveys
