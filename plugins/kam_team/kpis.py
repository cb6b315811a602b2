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
from typing import TYPE_CHECKING, TypeAlias

from .history import State, Timeline, state_at
from .i18n import N_
from .keyaccounts import TENTH, months_until, percent

if TYPE_CHECKING:
    from .models import Survey, SurveyScore
    from .periods import Period

Owner = str | None
Answer: TypeAlias = "Survey | SurveyScore"
"""A survey answer: the record, or what the team view keeps of it."""
ZERO = Decimal(0)
TEAM = "team"
"""The scope of the whole team (a member's scope is their id)."""

KPI_FIGURES: dict[str, tuple[str, str]] = {
    "period": (N_("Period"), N_("The month or quarter.")),
    "active": (N_("Active"), N_("Clients active at the start of the period (the end of the day "
                                "before it).")),
    "churned": (N_("Churned"), N_("Of the clients active at the start, those churned at the end "
                                  "(one that churned and came back within the period is not "
                                  "counted).")),
    "churn_rate": (N_("Churn %"), N_("Churn rate: churned ÷ active at the start × 100.")),
    "expansion_rate": (N_("Exp %"), N_("Expansion rate: the growth of monthly recurring revenue "
                                       "of the clients active at the start, summed over those "
                                       "whose revenue grew, ÷ their revenue at the start × 100.")),
    "nrr": (N_("NRR %"), N_("Net revenue retention: the monthly recurring revenue at the end of "
                            "the clients active at the start (0 for those no longer active) ÷ "
                            "their revenue at the start × 100. New and returning clients do not "
                            "count.")),
    "satisfied": (N_("Sat %"), N_("Share of satisfied clients: of the clients surveyed in the "
                                  "period (their latest answer), those who gave 4–5 of 5 or 9–10 "
                                  "of 10.")),
    "index": (N_("Index"), N_("Average satisfaction score, 0–100: the mean of the clients' latest "
                              "answers in the period, 1–5 as (score − "
                              "1) × 25, 0–10 as score × 10.")),
    "cost": (N_("Cost"), N_("Cost to serve: the monthly cost to serve of the clients active at "
                            "each month's end (today for the current month), summed over the "
                            "period.")),
    "cost_share": (N_("Cost %"), N_("Cost to serve ÷ the recurring revenue of the same clients "
                                    "and months × 100.")),
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

    def figures(self, period: Period, latest: list[Answer]) -> Figures:
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


def figures_by_scope(timelines: Mapping[str, Timeline], surveys: Iterable[Answer],
                     period: Period, today: date) -> dict[str, Figures]:
    """The KPIs of ``period`` for the team (key "team") and for each member who owned a
    client in it (key: the member's id; "" for clients nobody owned)."""
    return series(timelines, list(surveys), [period], today)[0]


def series(timelines: Mapping[str, Timeline], surveys: list[Answer], periods: list[Period],
           today: date) -> list[dict[str, Figures]]:
    """The KPIs of each period, by scope. Each client's state is looked up once per day that
    matters (the days before the periods, their ends and their months' ends), not once per
    period."""
    days = sorted({day for period in periods
                   for day in (period.day_before, min(period.end, today),
                               *months_until(period, today))})
    grid = [states_on(timeline, days) for timeline in timelines.values()]
    column = {day: index for index, day in enumerate(days)}
    served = _served(grid, len(days))
    in_order = sorted(surveys, key=lambda survey: (survey.on, survey.created_at))
    return [_figures(grid, column, served, timelines, in_order, period, today)
            for period in periods]


def _served(grid: list[list[State | None]], days: int
            ) -> list[dict[str, tuple[Decimal, Decimal]]]:
    """For each day: owner ("" for nobody) → (cost to serve, recurring revenue) of the
    clients active that day."""
    totals: list[dict[str, list[Decimal]]] = [{} for _day in range(days)]
    for states in grid:
        for index, state in enumerate(states):
            if state is not None and state.status == "active":
                found = totals[index].get(state.owner_id or "")
                if found is None:
                    totals[index][state.owner_id or ""] = [state.cost, state.revenue]
                else:
                    found[0] += state.cost
                    found[1] += state.revenue
    return [{owner: (pair[0], pair[1]) for owner, pair in day.items()} for day in totals]


def states_on(timeline: Timeline, days: list[date]) -> list[State | None]:
    """The client's state at the end of each of ``days`` (in order), in one walk."""
    found: list[State | None] = []
    current = None
    position = 0
    for day in days:
        while position < len(timeline) and timeline[position].on <= day:
            current = timeline[position]
            position += 1
        found.append(current)
    return found


def _figures(grid: list[list[State | None]], column: dict[date, int],
             served: list[dict[str, tuple[Decimal, Decimal]]],
             timelines: Mapping[str, Timeline], surveys: list[Answer], period: Period,
             today: date) -> dict[str, Figures]:
    start = column[period.day_before]
    end = column[min(period.end, today)]
    months = [column[day] for day in months_until(period, today)]
    tallies: dict[str, _Tally] = {TEAM: _Tally()}
    team = tallies[TEAM]

    def own(owner: Owner) -> _Tally:
        found = tallies.get(owner or "")
        if found is None:
            found = tallies[owner or ""] = _Tally()
        return found

    for states in grid:
        before = states[start]
        if before is not None and before.status == "active":
            after = states[end]
            gone = after is None or after.status == "churned"
            now = after.revenue if after is not None and after.status == "active" else ZERO
            for tally in (team, own(before.owner_id)):
                tally.active += 1
                tally.at_start += before.revenue
                if gone:
                    tally.churned += 1
                    tally.churned_revenue += before.revenue
                elif now > before.revenue:
                    tally.expansion += now - before.revenue
                else:
                    tally.contraction += before.revenue - now
    for index in months:
        for owner, (cost, revenue) in served[index].items():
            for tally in (team, own(owner)):
                tally.cost += cost
                tally.revenue += revenue
    latest: dict[str, dict[str, Answer]] = {TEAM: {}}
    for survey in surveys:  # oldest first: the last one kept is the latest
        if survey.on in period and survey.on <= today:
            then = state_at(timelines.get(survey.client_id, []), survey.on)
            owner = (then.owner_id if then else None) or ""
            latest[TEAM][survey.client_id] = survey
            latest.setdefault(owner, {})[survey.client_id] = survey
            own(owner)
    return {scope: tally.figures(period, list(latest.get(scope, {}).values()))
            for scope, tally in tallies.items()}


def figures(timelines: Mapping[str, Timeline], surveys: Iterable[Answer], period: Period,
            today: date, scope: str = TEAM) -> Figures:
    """The KPIs of ``period`` for the team (``scope`` "team") or one member (their id)."""
    found = figures_by_scope(timelines, surveys, period, today)
    return found.get(scope) or empty_figures(period)


def empty_figures(period: Period) -> Figures:
    """The figures of a scope with no clients in the period."""
    return _Tally().figures(period, [])

