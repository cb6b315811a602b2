"""Everything the team view shows, read in one pass over the workspace (as plain records, so
that it stays fast with 10,000 clients and 50,000 tasks). Runs in a worker or on the command
line; imports no Textual."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from amtui.api import Client, Contact, Deal, Member, Message, Record, Task, message_open

from . import history
from .history import Timeline, decimal
from .i18n import _
from .keyaccounts import checklist_score, key_accounts, single_threaded_because
from .kpis import series
from .load import team_load
from .models import (
    AccountHistory,
    AccountPlan,
    KamSettings,
    StageMove,
    Survey,
    SurveyScore,
    plan_id,
    settings_of,
)
from .periods import last_months, recent_months, recent_quarters

if TYPE_CHECKING:
    from amtui.api import Workspace

Raw = dict[str, Any]
T = TypeVar("T")
ANSWERED = frozenset({"done", "waiting_on_client"})
LATE_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class ClientRow:
    id: str
    name: str
    status: str
    owner_id: str | None
    key: bool
    stage: str | None
    revenue: Decimal
    """Recurring revenue per month."""
    cost: Decimal
    """Cost to serve per month."""
    rev: int


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: str
    name: str
    role: str


@dataclass(slots=True)
class ClientWork:
    """A client's open work and its inbox."""

    open_tasks: int = 0
    overdue_tasks: int = 0
    waiting: int = 0
    """Incoming messages waiting on us (new or waiting on us)."""


@dataclass
class TeamData:
    """What the team view and the report are computed from."""

    today: date
    currency: str
    settings: KamSettings
    members: list[MemberRow]
    clients: dict[str, ClientRow]
    work: dict[str, ClientWork]
    late_answers: Counter[str | None]
    """Member id (None: nobody) → answers given late in the last 30 days."""
    waiting_by_member: Counter[str | None]
    contacts: Counter[str]
    """Client id → how many contacts it has."""
    deals: dict[str, list[tuple[date, Decimal]]]
    """Client id → its won deals in the workspace currency: (signed on, amount)."""
    other_currency_deals: int
    timelines: dict[str, Timeline]
    plans: dict[str, AccountPlan]
    moves: dict[str, list[StageMove]]
    """Client id → its stage moves, oldest first."""
    surveys: list[SurveyScore]
    """Oldest first."""
    history_written: bool = True
    """False if the history could not be brought up to date on disk (a read-only file)."""
    member_names: dict[str, str] = field(default_factory=dict)
    figures_version: tuple[Any, ...] | None = None
    """The files the key accounts and the KPIs are computed from as they were read (None:
    not known, compute them again)."""

    def member_name(self, member_id: str | None) -> str:
        if not member_id:
            return _("(no owner)")
        return self.member_names.get(member_id, member_id)


FIGURE_TABLES: tuple[type[Record], ...] = (Client, AccountHistory, Deal, AccountPlan, Contact,
                                           Survey)
"""What the key accounts and the KPIs are computed from: not the tasks and the inbox, so that
a change to those (the usual change made elsewhere) computes only the team's load again."""


def read_team(workspace: Workspace, *, write_history: bool = True) -> TeamData:
    """Read the workspace; with ``write_history`` bring the account history up to date."""
    now = workspace.clock()
    today = now.date()
    figures_version: tuple[Any, ...] | None = (
        str(workspace.root), today, *(workspace.repo(table).version()
                                      for table in FIGURE_TABLES))
    members = [MemberRow(raw["id"], str(raw.get("name", "")), str(raw.get("role", "")))
               for raw in workspace.repo(Member).scan()]
    clients, timelines, catching = _cached(workspace, "clients", (Client, AccountHistory),
                                           lambda: _read_clients(workspace, today))
    written = True
    if catching:
        _computed.pop((str(workspace.root), "clients"), None)  # caught up: read again
        figures_version = None
        if write_history:
            # lazy: orjson, loaded with the store
            from amtui.api import StorageError

            try:
                history.write(workspace, catching)
            except StorageError:
                written = False
    tasks = _cached(workspace, "tasks", (Task,), lambda: _read_tasks(workspace, today))
    waiting, waiting_by_member, late = _cached(
        workspace, "inbox", (Message, Client), lambda: _read_inbox(workspace, clients, now))
    work = {client_id: ClientWork(*tasks.get(client_id, (0, 0)),
                                  waiting=waiting.get(client_id, 0))
            for client_id in {**tasks, **waiting}}
    deals, other = _cached(workspace, "deals", (Deal,),
                           lambda: _read_deals(workspace, workspace.settings.currency))
    contacts = _cached(workspace, "contacts", (Contact,), lambda: Counter(
        str(raw.get("client_id", "")) for raw in workspace.repo(Contact).scan()))
    data = TeamData(
        today=today, currency=workspace.settings.currency, settings=settings_of(workspace),
        members=members, clients=clients, work=work, late_answers=late,
        waiting_by_member=waiting_by_member,
        contacts=contacts,
        deals=deals, other_currency_deals=other, timelines=timelines,
        plans=_cached(workspace, "plans", (AccountPlan,), lambda: {
            plan.client_id: plan for plan in workspace.repo(AccountPlan).all()}),
        moves=_cached(workspace, "moves", (StageMove,), lambda: _read_moves(workspace)),
        surveys=_cached(workspace, "surveys", (Survey,), lambda: sorted(
            map(SurveyScore.of, workspace.repo(Survey).scan()),
            key=lambda survey: (survey.on, survey.created_at))),
        history_written=written,
        member_names={member.id: member.name for member in members},
        figures_version=figures_version,
    )
    return data


def _read_clients(workspace: Workspace, today: date
                  ) -> tuple[dict[str, ClientRow], dict[str, Timeline], history.Catching]:
    """The clients, their timelines, and what their history lacks. A client at a time, its
    history let go of once its timeline is made: ten thousand clients and their histories
    held at once would be the view's peak of memory, and much of it would stay taken."""
    one = history.Shared()
    stored = history.stored_histories(workspace)
    clients: dict[str, ClientRow] = {}
    timelines: dict[str, Timeline] = {}
    catching = history.Catching([], [])
    for raw in workspace.repo(Client).scan():
        client_id = raw["id"]
        clients[client_id] = ClientRow(
            client_id, str(raw.get("name", "")), one(str, raw.get("status", "active")),
            one(str, raw.get("owner_id")), bool(raw.get("key_account")),
            one(str, raw.get("stage")), one(decimal, raw.get("monthly_revenue") or 0),
            one(decimal, raw.get("cost_to_serve") or 0), int(raw.get("rev", 0)))
        own = {client_id: stored.pop(client_id)} if client_id in stored else {}
        caught = history.missing_entries([raw], own, today)
        catching.new += caught.new
        catching.extended += caught.extended
        timelines.update(history.timelines([raw], own, caught, one))
    return clients, timelines, catching


_computed: dict[tuple[str, str], tuple[Any, Any]] = {}


def _cached(workspace: Workspace, what: str, tables: tuple[type[Record], ...],
            compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave last time if none of ``tables`` changed on disk since
    (the large tables are read again only after a change)."""
    version = (workspace.clock().date(), *(workspace.repo(table).version() for table in tables))
    key = (str(workspace.root), what)
    found = _computed.get(key)
    if found is not None and found[0] == version:
        return found[1]  # type: ignore[no-any-return]
    value = compute()
    _computed[key] = (version, value)
    return value


def _read_moves(workspace: Workspace) -> dict[str, list[StageMove]]:
    moves: dict[str, list[StageMove]] = defaultdict(list)
    for raw in workspace.repo(StageMove).scan():
        move = StageMove.model_validate(raw)
        moves[move.client_id].append(move)
    for found in moves.values():
        found.sort(key=lambda move: (move.on, move.created_at))
    return dict(moves)


def _read_deals(workspace: Workspace, currency: str
                ) -> tuple[dict[str, list[tuple[date, Decimal]]], int]:
    deals: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    other = 0
    for raw in workspace.repo(Deal).scan():
        if raw.get("status") != "won" or not raw.get("signed_on"):
            continue
        amount = raw.get("amount") or {}
        if amount.get("currency", currency) != currency:
            other += 1
            continue
        deals[raw["client_id"]].append((date.fromisoformat(raw["signed_on"]),
                                        decimal(amount.get("amount"))))
    return dict(deals), other


def _read_tasks(workspace: Workspace, today: date) -> dict[str, tuple[int, int]]:
    """Client id → its open tasks and how many of them are overdue, not waiting on the
    client (two grouped counts: the record index answers them without reading every
    task)."""
    tasks = workspace.repo(Task)
    done_column = workspace.settings.columns[-1]
    open_tasks = tasks.count_by("client_id", column__ne=done_column)
    # overdue as Today says (amtui's rule): a task waiting on the client is not
    overdue = tasks.count_by("client_id", column__ne=done_column, due__lt=today,
                             blocked_by_client=False)
    return {client_id: (count, overdue.get(client_id, 0))
            for client_id, count in open_tasks.items() if client_id}


def _read_inbox(workspace: Workspace, clients: dict[str, ClientRow], now: datetime
                ) -> tuple[dict[str, int], Counter[str | None], Counter[str | None]]:
    """Client id → incoming messages waiting on us; the same by member; answers given late
    in the last 30 days by member."""
    work: Counter[str] = Counter()
    waiting_by_member: Counter[str | None] = Counter()
    answered: list[tuple[str, str, str, str | None]] = []
    """(client id, received at, answer by, the member answering) of answered requests."""
    outgoing: dict[str, list[str]] = defaultdict(list)
    answer_moment: dict[tuple[str, str], str] = {}
    window_start = (now - timedelta(days=LATE_WINDOW_DAYS)).isoformat()
    for message in workspace.repo(Message).scan():
        client_id = message.get("client_id", "")
        if message.get("direction") == "outgoing":
            outgoing[client_id].append(message.get("received_at", ""))
            continue
        status = message.get("status")
        client = clients.get(client_id)
        member = message.get("assignee_id") or (client.owner_id if client else None)
        if message_open(message):
            work[client_id] += 1
            waiting_by_member[member] += 1
        elif status in ANSWERED and message.get("answer_by"):
            answered.append((client_id, message.get("received_at", ""), message["answer_by"],
                             member))
            answer_moment[(client_id, message.get("received_at", ""))] = message.get(
                "updated_at", "")
    for moments in outgoing.values():
        moments.sort()
    late: Counter[str | None] = Counter()
    for client_id, received, answer_by, member in answered:
        replies = outgoing.get(client_id, [])
        position = bisect_left(replies, received)
        closed = answer_moment[(client_id, received)]
        at = min(replies[position], closed) if position < len(replies) and closed else (
            closed or (replies[position] if position < len(replies) else ""))
        if at and at[:19] >= window_start[:19] and _later(at, answer_by):
            late[member] += 1
    return dict(work), waiting_by_member, late


def _later(moment: str, deadline: str) -> bool:
    """Whether ISO moment ``moment`` is after ``deadline`` (both stored in UTC)."""
    if moment[:19] != deadline[:19] and len(moment) >= 19 and len(deadline) >= 19:
        return moment[:19] > deadline[:19]
    return datetime.fromisoformat(moment) > datetime.fromisoformat(deadline)


KPI_MONTHS = 12
KPI_QUARTERS = 5


@dataclass
class TeamFigures:
    """What the pane shows, computed off the UI thread: first the load (quick), then the
    key accounts and the KPIs (None until they are computed)."""

    data: TeamData
    load: list[Any]
    """:class:`~.load.MemberLoad` rows."""
    accounts_period: Any
    """The :class:`~.periods.Period` of ``accounts``."""
    accounts: list[Any] | None = None
    """:class:`~.keyaccounts.KeyRow` rows."""
    months: list[dict[str, Any]] | None = None
    """The last 12 months' KPIs (oldest first): scope → :class:`~.kpis.Figures`."""
    quarters: list[dict[str, Any]] | None = None


def with_load(data: TeamData, accounts_period: Any = None,
              earlier: TeamFigures | None = None) -> TeamFigures:
    """The first part: the team's load. What ``earlier`` figures had of the rest is kept until
    it is computed again (nothing blinks)."""
    period = accounts_period or last_months(data.settings.pareto_months, data.today)
    return TeamFigures(data=data, load=team_load(data), accounts_period=period,
                       accounts=earlier.accounts if earlier else None,
                       months=earlier.months if earlier else None,
                       quarters=earlier.quarters if earlier else None)


def completed(figures: TeamFigures) -> TeamFigures:
    """The rest: the key accounts of the period and the KPIs by month and quarter (what was
    computed last, when none of :data:`FIGURE_TABLES` has changed since)."""
    data = figures.data
    key = (data.figures_version, figures.accounts_period)
    with _FIGURES_LOCK:
        found = _figures.get(data.figures_version[0]) if data.figures_version else None
    if found is not None and found[0] == key and found[1] == data.settings:
        return replace(figures, accounts=found[2], months=found[3], quarters=found[4])
    done = replace(
        figures, accounts=key_accounts(data, figures.accounts_period),
        months=series(data.timelines, data.surveys, recent_months(KPI_MONTHS, data.today),
                      data.today),
        quarters=series(data.timelines, data.surveys,
                        recent_quarters(KPI_QUARTERS, data.today), data.today))
    if data.figures_version:
        with _FIGURES_LOCK:
            _figures[data.figures_version[0]] = (key, data.settings, done.accounts,
                                                 done.months, done.quarters)
    return done


_figures: dict[str, tuple[Any, ...]] = {}
"""Workspace → the key accounts and KPIs computed last, with what they were computed from."""
_FIGURES_LOCK = threading.Lock()


def compute(data: TeamData, accounts_period: Any = None) -> TeamFigures:
    """Everything at once (the command line and tests)."""
    return completed(with_load(data, accounts_period))


@dataclass
class AccountDetails:
    """One account as its screen shows it."""

    client: Any
    """The :class:`amtui.api.Client`."""
    owner: str
    contacts: list[Raw]
    plan: AccountPlan | None
    moves: list[StageMove]
    surveys: list[Survey]
    members: list[MemberRow]
    score: Decimal | None
    single_threaded: str
    """Why the account is single-threaded ("" if it is not)."""


def read_account(workspace: Workspace, client_id: str) -> AccountDetails:
    client = workspace.repo(Client).get(client_id)
    members = [MemberRow(raw["id"], str(raw.get("name", "")), str(raw.get("role", "")))
               for raw in workspace.repo(Member).scan()]
    names = {member.id: member.name for member in members}
    contacts = [raw for raw in workspace.repo(Contact).scan()
                if raw.get("client_id") == client_id]
    influence_order = {"decision_maker": 0, "champion": 1, "blocker": 2, "stakeholder": 3}
    contacts.sort(key=lambda raw: (influence_order.get(raw.get("influence", ""), 9),
                                   str(raw.get("name", "")).casefold()))
    plan = workspace.repo(AccountPlan).find(plan_id(client_id))
    moves = _read_moves(workspace).get(client_id, [])
    surveys = sorted((Survey.model_validate(raw) for raw in workspace.repo(Survey).scan()
                      if raw.get("client_id") == client_id),
                     key=lambda survey: (survey.on, survey.created_at))
    return AccountDetails(
        client=client, owner=names.get(client.owner_id or "", _("(no owner)")), contacts=contacts,
        plan=plan, moves=moves, surveys=surveys, members=members,
        score=checklist_score(plan.scores if plan else None, settings_of(workspace).weights),
        single_threaded=single_threaded_because(len(contacts), plan, client.owner_id))
