"""What-if: a deal's amount, the quota or a tier's rate changed in a scratch copy, and the
payout compared line by line. Nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .engine import DealFact, Line, Period, PeriodFacts
from .money import ZERO
from .plan import describe_plan_error

if TYPE_CHECKING:
    from .plan import Plan


@dataclass(frozen=True)
class WhatIf:
    """Changes to try. A deal that is still open counts as won in the month at its amount."""

    deal_amounts: dict[str, Decimal] = field(default_factory=dict)
    """Deal id → the amount to try."""
    quota: Decimal | None = None
    tier_rates: dict[int, Decimal] = field(default_factory=dict)
    """Tier index (0 = first) → the rate to try, in percent."""

    def is_empty(self) -> bool:
        return not self.deal_amounts and self.quota is None and not self.tier_rates


def won_in(deal: DealFact, period: Period, amount: Decimal | None = None) -> DealFact:
    """``deal`` as if won (signed and paid) on the month's last day, at ``amount``."""
    day = period.end
    return replace(deal, status="won", amount=deal.amount if amount is None else amount,
                   signed_on=deal.signed_on if deal.status == "won" and deal.signed_on else day,
                   paid_on=deal.paid_on if deal.status == "won" and deal.paid_on else day)


def apply(what_if: WhatIf, plan: Plan, facts: PeriodFacts) -> tuple[Plan, PeriodFacts]:
    """The plan and facts with the changes made (copies; the originals are untouched).
    Raises ValueError if a change makes the plan invalid (a negative rate, …)."""
    if what_if.quota is not None or what_if.tier_rates:
        data = plan.model_dump()
        if what_if.quota is not None and data["quota"] is not None:
            data["quota"]["amount"] = what_if.quota
        if data["commission"] is not None:
            for index, rate in what_if.tier_rates.items():
                if 0 <= index < len(data["commission"]["tiers"]):
                    data["commission"]["tiers"][index]["rate"] = rate
        try:
            plan = type(plan).model_validate(data)
        except ValidationError as error:
            raise ValueError(describe_plan_error(error)) from None
    deals = []
    for deal in facts.deals:
        amount = what_if.deal_amounts.get(deal.id)
        if amount is None:
            deals.append(deal)
        elif deal.status in ("proposal", "negotiation"):
            deals.append(won_in(deal, facts.period, amount))
        else:
            deals.append(replace(deal, amount=amount))
    return plan, replace(facts, deals=deals)


@dataclass(frozen=True)
class Compared:
    """A line of the comparison: what it is now and what it would be."""

    source: str
    now: Decimal
    then: Decimal
    kind: str = ""

    @property
    def change(self) -> Decimal:
        return self.then - self.now


def compare(now: list[Line] | tuple[Line, ...], then: list[Line] | tuple[Line, ...]
            ) -> list[Compared]:
    """Lines side by side, by what they are about, in the what-if's order (lines only
    there now come last)."""
    found: dict[str, Line] = {}
    before: dict[str, Decimal] = {}
    after: dict[str, Decimal] = {}
    for line in then:
        found.setdefault(line.key, line)
        after[line.key] = after.get(line.key, ZERO) + line.amount
    for line in now:
        found.setdefault(line.key, line)
        before[line.key] = before.get(line.key, ZERO) + line.amount
    return [Compared(line.source, before.get(key, ZERO), after.get(key, ZERO), line.kind)
            for key, line in found.items()]
