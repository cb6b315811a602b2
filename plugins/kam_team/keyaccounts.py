"""Which accounts are key: the Pareto of revenue, the revenue-to-cost ratio, the criteria
checklist score, and the suggestions that follow from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .history import Timeline
from .i18n import N_, _
from .models import MAX_SCORE, Criterion

if TYPE_CHECKING:
    from .models import AccountPlan
    from .periods import Period
    from .snapshot import TeamData

HUNDRED = Decimal(100)
CRITERIA = tuple(Criterion)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")

SUGGESTIONS = {"make key": N_("make key"), "review": N_("review")}
"""A suggestion as stored in reports → the words shown for it."""

KEY_FIGURES: dict[str, tuple[str, str]] = {
    "rank": ("#", N_("Rank by revenue in the period, highest first (ties: by name).")),
    "client": (N_("Client"), N_("★ marks a key account; ⚠ a key account that is single-threaded "
                                "(one contact, or one person of ours).")),
    "revenue": (N_("Revenue"), N_("Won deals signed in the period plus recurring revenue: the "
                                  "client's monthly revenue for each month of the period it was "
                                  "active at the month's end (the current month as it is today).")),
    "share": (N_("Cum %"), N_("Cumulative share: this account's and all higher-ranked accounts' "
                              "revenue as a share of the period's total. ▲ marks the accounts up "
                              "to the line where the share first reaches the Pareto line (80%), "
                              "and any tied with the last of them.")),
    "ratio": (N_("Rev/Cost"), N_("Revenue-to-cost-to-serve ratio: revenue in the period divided "
                                 "by the cost to serve in the months it was active; — when that "
                                 "cost is 0.")),
    "score": (N_("Score"), N_("Criteria checklist score, 0–100: each criterion scored 0–5, "
                              "weighted as set in workspace.toml, Σ weight × score ÷ (Σ weight × "
                              "5) × 100; criteria not scored count as 0; — if the account was "
                              "never scored.")),
    "suggestion": (N_("Suggest"), N_("Suggestion. Make key: an account that is not key but above "
                                     "the line or scoring at least the key score (60). Review: a "
                                     "key account below the line scoring less, or churned or "
                                     "dormant.")),
}
"""Column key → (title, definition)."""


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part`` as a share of ``whole`` in %, to one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, ROUND_HALF_UP)


def months_until(period: Period, today: date) -> list[date]:
    """The day each month of the period is counted at: its last day, or today for the
    current month; months not begun yet are left out."""
    return [min(month.end, today) for month in period.months() if month.start <= today]


def recurring(timeline: Timeline, counted_at: list[date]) -> tuple[Decimal, Decimal]:
    """Recurring revenue and cost to serve over the months counted at ``counted_at`` (in
    order)."""
    # cycle: kam_team.kpis imports this module
    from .kpis import states_on

    revenue = cost = Decimal(0)
    for state in states_on(timeline, counted_at):
        if state is not None and state.status == "active":
            revenue += state.revenue
            cost += state.cost
    return revenue, cost


def checklist_score(scores: Mapping[Criterion, int] | None,
                    weights: Mapping[Criterion, Decimal]) -> Decimal | None:
    """Σ weight × score ÷ (Σ weight × 5) × 100, to one decimal; None if never scored."""
    if not scores:
        return None
    total_weight = sum((weights.get(criterion, Decimal(1)) for criterion in CRITERIA),
                       Decimal(0))
    if not total_weight:
        return None
    earned = sum((weights.get(criterion, Decimal(1)) * score
                  for criterion, score in scores.items()), Decimal(0))
    return (earned * HUNDRED / (total_weight * MAX_SCORE)).quantize(TENTH, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Ranked:
    client_id: str
    name: str
    revenue: Decimal
    rank: int
    share: Decimal | None
    """Cumulative share of the total, %; None when the total is 0."""
    above_line: bool


def pareto(revenues: Mapping[str, Decimal], names: Mapping[str, str],
           line: Decimal = Decimal(80)) -> list[Ranked]:
    """Rank by revenue (ties by name, then id) and mark the accounts above the line: the
    fewest at the top whose revenue reaches ``line`` % of the total, and any tied in revenue
    with the last of them. Accounts with no revenue are never above it."""
    order = sorted(revenues, key=lambda client_id: (-revenues[client_id],
                                                    names.get(client_id, "").casefold(),
                                                    client_id))
    total = sum(revenues.values(), Decimal(0))
    target = total * line / HUNDRED
    ranked: list[Ranked] = []
    running = Decimal(0)
    cut_revenue: Decimal | None = None
    for rank, client_id in enumerate(order, start=1):
        revenue = revenues[client_id]
        running += revenue
        if revenue <= 0:
            above = False
        elif cut_revenue is None:
            above = True
            if running >= target:
                cut_revenue = revenue
        else:
            above = revenue == cut_revenue
        ranked.append(Ranked(client_id, names.get(client_id, ""), revenue, rank,
                             percent(running, total), above))
    return ranked


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One account in the key-account list."""

    client_id: str
    name: str
    rank: int
    revenue: Decimal
    share: Decimal | None
    above_line: bool
    cost: Decimal
    ratio: Decimal | None
    score: Decimal | None
    key: bool
    status: str
    single_threaded: bool
    suggestion: str
    """"make key", "review" or ""."""
    why: str


def single_threaded_because(contacts: int, plan: AccountPlan | None, owner_id: str | None
                            ) -> str:
    """Why the account is single-threaded: one contact (or none) on the client's side, or
    one person of ours on it ("" if it is not)."""
    ours = {plan.kam_id if plan and plan.kam_id else owner_id,
            plan.assistant_id if plan else None} - {None}
    people = len(ours) + (len(plan.specialists) if plan else 0)
    why = []
    if contacts <= 1:
        why.append(_("one contact on the client's side") if contacts else
                   _("no contact on the client's side"))
    if people <= 1:
        why.append(_("one person of ours on the account"))
    return _(" and ").join(why)


def single_threaded(data: TeamData, client_id: str) -> bool:
    client = data.clients.get(client_id)
    return bool(single_threaded_because(data.contacts.get(client_id, 0),
                                        data.plans.get(client_id),
                                        client.owner_id if client else None))


def key_accounts(data: TeamData, period: Period) -> list[KeyRow]:
    """Every account with revenue in the period, every key account and every account scored
    on the checklist, ranked."""
    counted_at = months_until(period, data.today)
    revenues: dict[str, Decimal] = {}
    costs: dict[str, Decimal] = {}
    for client in data.clients.values():
        won = sum((amount for signed, amount in data.deals.get(client.id, ())
                   if period.start <= signed <= period.end), Decimal(0))
        monthly, cost = recurring(data.timelines.get(client.id, []), counted_at)
        plan = data.plans.get(client.id)
        if won + monthly > 0 or client.key or (plan is not None and plan.scores):
            revenues[client.id] = won + monthly
            costs[client.id] = cost
    names = {client_id: data.clients[client_id].name for client_id in revenues}
    settings = data.settings
    rows = []
    for ranked in pareto(revenues, names, settings.pareto_share):
        client = data.clients[ranked.client_id]
        plan = data.plans.get(client.id)
        score = checklist_score(plan.scores if plan else None, settings.weights)
        cost = costs[client.id]
        ratio = (ranked.revenue / cost).quantize(CENT, ROUND_HALF_UP) if cost else None
        suggestion, why = _suggest(client.key, client.status, ranked.above_line, score,
                                   settings.key_score, settings.pareto_share)
        rows.append(KeyRow(client.id, client.name, ranked.rank, ranked.revenue, ranked.share,
                           ranked.above_line, cost, ratio, score, client.key, client.status,
                           client.key and single_threaded(data, client.id), suggestion, why))
    return rows


def _suggest(key: bool, status: str, above: bool, score: Decimal | None, key_score: int,
             line: Decimal) -> tuple[str, str]:
    qualifies_by_score = score is not None and score >= key_score
    if not key:
        if status != "active" or not (above or qualifies_by_score):
            return "", ""
        reasons = []
        if above:
            reasons.append(_("above the {normalize:f}% line").format(normalize=line.normalize()))
        if qualifies_by_score:
            reasons.append(_("score {score}").format(score=score))
        return "make key", ", ".join(reasons)
    if status in ("churned", "dormant"):
        return "review", status
    if not above and not qualifies_by_score:
        scored = _("never scored") if score is None else _("score {score}").format(score=score)
        return "review", _("below the line, {scored}").format(scored=scored)
    return "", ""


def line_rank(rows: list[KeyRow]) -> int:
    """The rank of the last account above the line (0 if none)."""
    return max((row.rank for row in rows if row.above_line), default=0)
