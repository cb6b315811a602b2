"""Portfolio KPIs over a period, for the team or one member.

"At the start" means at the end of the day before the period; "at the end", at the end of
its last day (or today, for the current period). Recurring revenue counts only while a client
is active. Per member, the figures are about the clients the member owned at the start (churn,
expansion, NRR), owned on the survey's day (satisfaction), or owned at each month's end (cost).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .history import Timeline, state_at
from .keyaccounts import TENTH, months_until, percent

if TYPE_CHECKING:
    from .models import Survey
    from .periods import Period

Owner = str | None
TEAM = "team"
"""The scope of the whole team (a member's scope is their id)."""

KPI_FIGURES: dict[str, tuple[str, str]] = {
    "period": ("Period", "The month or quarter."),
    "active": ("Active", "Clients active at the start of the period (the end of the day "
                         "before it)."),
    "churned": ("Churned", "Of the clients active at the start, those churned at the end "
                           "(one that churned and came back within the period is not counted)."),
    "churn_rate": ("Churn %", "Churn rate: churned ÷ active at the start × 100."),
    "expansion_rate": ("Exp %", "Expansion rate: the growth of monthly recurring revenue of "
                                "the clients active at the start, summed over those whose "
                                "revenue grew, ÷ their revenue at the start × 100."),
    "nrr": ("NRR %", "Net revenue retention: the monthly recurring revenue at the end of the "
                     "clients active at the start (0 for those no longer active) ÷ their "
                     "revenue at the start × 100. New and returning clients do not count."),
    "satisfied": ("Sat %", "Share of satisfied clients: of the clients surveyed in the period "
                           "(their latest answer), those who gave 4–5 of 5 or 9–10 of 10."),
    "index": ("Index", "Average satisfaction score, 0–100: the mean of the clients' latest "
                       "answers in the period, 1–5 as (score − 1) × 25, 0–10 as score × 10."),
    "cost": ("Cost", "Cost to serve: the monthly cost to serve of the clients active at each "
                     "month's end (today for the current month), summed over the period."),
    "cost_share": ("Cost %", "Cost to serve ÷ the recurring revenue of the same clients and "
                             "months × 100."),
}
"""Column key → (title, definition)."""
CHARTED = ("churn_rate", "expansion_rate", "nrr", "satisfied", "index", "cost", "cost_share",
           "active", "churned")
"""The figures that can be charted (the period is the chart's axis)."""


@dataclass(frozen=True)
class Figures:
    period: Period
    active: int
    churned: int
    churn_rate: Decimal | None
    revenue_at_start: Decimal
    expansion: Decimal
    contraction: Decimal
    churned_revenue: Decimal
    expansion_rate: Decimal | None
    nrr: Decimal | None
    surveyed: int
    satisfied_count: int
    satisfied: Decimal | None
    index: Decimal | None
    cost: Decimal
    recurring_revenue: Decimal
    cost_share: Decimal | None

    def value(self, key: str) -> Decimal | int | str | None:
        if key == "period":
            return self.period.label
        return getattr(self, key)  # type: ignore[no-any-return]


@dataclass
class _Tally:
    active: int = 0
    churned: int = 0
    at_start: Decimal = Decimal(0)
    expansion: Decimal = Decimal(0)
    contraction: Decimal = Decimal(0)
    churned_revenue: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)

    def figures(self, period: Period, latest: list[Survey]) -> Figures:
        retained = self.at_start + self.expansion - self.contraction - self.churned_revenue
        satisfied = sum(1 for survey in latest if survey.satisfied)
        index = (sum((survey.index for survey in latest), Decimal(0)) / len(latest)
                 ).quantize(TENTH, ROUND_HALF_UP) if latest else None
        return Figures(
            period=period, active=self.active, churned=self.churned,
            churn_rate=percent(self.churned, self.active), revenue_at_start=self.at_start,
            expansion=self.expansion, contraction=self.contraction,
            churned_revenue=self.churned_revenue,
            expansion_rate=percent(self.expansion, self.at_start),
            nrr=percent(retained, self.at_start), surveyed=len(latest),
            satisfied_count=satisfied, satisfied=percent(satisfied, len(latest)), index=index,
            cost=self.cost, recurring_revenue=self.revenue,
            cost_share=percent(self.cost, self.revenue),
        )


def figures_by_scope(timelines: Mapping[str, Timeline], surveys: Iterable[Survey],
                     period: Period, today: date) -> dict[str, Figures]:
    """The KPIs of ``period`` for the team (key "team") and for each member who owned a
    client in it (key: the member's id; "" for clients nobody owned)."""
    end = min(period.end, today)
    start_day = period.day_before
    counted_at = months_until(period, today)
    tallies: dict[str, _Tally] = {TEAM: _Tally()}

    def tallies_of(owner: Owner) -> tuple[_Tally, _Tally]:
        own = tallies.get(owner or "")
        if own is None:
            own = tallies[owner or ""] = _Tally()
        return tallies[TEAM], own

    for timeline in timelines.values():
        before = state_at(timeline, start_day)
        if before is not None and before.active:
            after = state_at(timeline, end)
            gone = after is None or after.status == "churned"
            now = after.revenue if after is not None and after.active else Decimal(0)
            for tally in tallies_of(before.owner_id):
                tally.active += 1
                tally.at_start += before.revenue
                if gone:
                    tally.churned += 1
                    tally.churned_revenue += before.revenue
                elif now > before.revenue:
                    tally.expansion += now - before.revenue
                else:
                    tally.contraction += before.revenue - now
        for day in counted_at:
            state = state_at(timeline, day)
            if state is not None and state.active:
                for tally in tallies_of(state.owner_id):
                    tally.cost += state.cost
                    tally.revenue += state.revenue
    latest: dict[str, dict[str, Survey]] = {TEAM: {}}
    for survey in sorted(surveys, key=lambda survey: (survey.on, survey.created_at)):
        if survey.on in period and survey.on <= today:
            then = state_at(timelines.get(survey.client_id, []), survey.on)
            owner = (then.owner_id if then else None) or ""
            latest[TEAM][survey.client_id] = survey
            latest.setdefault(owner, {})[survey.client_id] = survey
            tallies.setdefault(owner, _Tally())
    return {scope: tally.figures(period, list(latest.get(scope, {}).values()))
            for scope, tally in tallies.items()}


def figures(timelines: Mapping[str, Timeline], surveys: Iterable[Survey], period: Period,
            today: date, scope: str = TEAM) -> Figures:
    """The KPIs of ``period`` for the team (``scope`` "team") or one member (their id)."""
    found = figures_by_scope(timelines, surveys, period, today)
    return found.get(scope) or empty_figures(period)


def empty_figures(period: Period) -> Figures:
    """The figures of a scope with no clients in the period."""
    return _Tally().figures(period, [])


def series(timelines: Mapping[str, Timeline], surveys: list[Survey], periods: list[Period],
           today: date) -> list[dict[str, Figures]]:
    """The KPIs of each period, by scope."""
    return [figures_by_scope(timelines, surveys, period, today) for period in periods]
