"""Compensation plans: what a member (or everyone in a role) is paid, from a month on.

A plan is checked as a whole before it is stored: tiers that overlap or leave a gap, a negative
rate, a plan without a start, bands out of order — each is refused with a message that says what
to change, and nothing is saved.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from amtui.api import MAX_AMOUNT, Record, problem_message

from .i18n import N_, _
from .money import number

PLANS_TABLE = "bonus_plans"

ROLES = ("account_manager", "kam", "assistant", "head")
ROLE_NAMES = {"account_manager": N_("account manager"), "kam": N_("kam"),
              "assistant": N_("assistant"), "head": N_("head")}


def role_name(role: str) -> str:
    """A member's role as shown: "account manager", not ``account_manager``."""
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else role.replace("_", " ")

KPI_KINDS = {
    "answered_in_time": N_("messages answered in time"),
    "no_complaints": N_("complaints"),
    "clients_retained": N_("clients retained"),
    "plan_fulfilment": N_("plan fulfilment"),
    "average_order_growth": N_("growth of the average order"),
    "active_clients": N_("active clients"),
}
"""KPI kind → what it measures. B2C: the first three; B2B: the last three."""

AT_MOST_KINDS = frozenset({"no_complaints"})
"""KPIs met when the measured value is at most the target (the others: at least)."""

PERCENT_KINDS = frozenset({"answered_in_time", "clients_retained", "plan_fulfilment",
                           "average_order_growth"})


def _finite(value: Decimal | None, what: str) -> None:
    """A number, and of a size money can have (a larger one is a slip of the keyboard)."""
    if value is not None and not value.is_finite():
        raise ValueError(_("{what} must be a number").format(what=what))
    if value is not None and abs(value) >= MAX_AMOUNT:
        raise ValueError(_("{what} is too large ({value:.3E}; the most is {number})").format(
            what=what, value=value, number=number(MAX_AMOUNT - 1)))


class Strict(BaseModel):
    """A part of a plan: unknown keys are typos, and refused."""

    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)


class Tier(Strict):
    """A commission rate for the part of a deal (or the deals) between two amounts."""

    start: Decimal = Field(validation_alias=AliasChoices("from", "start"))
    """Where the tier starts (exclusive, except 0); ``from`` in the plan file."""
    end: Decimal | None = Field(default=None, validation_alias=AliasChoices("to", "end"))
    """Where it ends (inclusive), or None for no end; ``to`` in the plan file."""
    rate: Decimal
    """Percent of the amount in the tier."""

    @model_validator(mode="after")
    def _sane(self) -> Tier:
        _finite(self.start, "from")
        _finite(self.end, "to")
        _finite(self.rate, _("the rate"))
        if self.rate < 0:
            raise ValueError(_("the rate cannot be negative ({number}%)").format(
                number=number(self.rate)))
        if self.rate > 100:
            raise ValueError(_("a rate above 100% ({number}%) pays more than the deal").format(
                number=number(self.rate)))
        if self.start < 0:
            raise ValueError(_("from cannot be negative ({number})").format(
                number=number(self.start)))
        if self.end is not None and self.end <= self.start:
            raise ValueError(_("the tier ends ({number}) where or before it starts "
                               "({number2})").format(
                number=number(self.end), number2=number(self.start)))
        return self

    def label(self) -> str:
        if self.end is None:
            return _("above {number}").format(
                number=number(self.start)) if self.start else _("any amount")
        return f"{number(self.start)}–{number(self.end)}"


class Commission(Strict):
    """Commission on the member's won deals."""

    basis: Literal["signed", "paid"] = "signed"
    """A deal counts in the month it was signed, or in the month it was paid."""
    mode: Literal["marginal", "whole_deal"] = "marginal"
    """Marginal: each part of a deal at its tier's rate; whole_deal: the whole deal at the
    rate of the tier its amount falls in."""
    tiers: list[Tier] = Field(min_length=1)
    cap_per_deal: Decimal | None = None
    """The most one deal can earn, or None."""
    cap_per_month: Decimal | None = None
    """The most the month's commission (with the accelerator) can come to, or None."""

    @model_validator(mode="after")
    def _tiers_fit(self) -> Commission:
        for what, cap in ((_("cap per deal"), self.cap_per_deal),
                          (_("cap per month"), self.cap_per_month)):
            _finite(cap, what)
            if cap is not None and cap < 0:
                raise ValueError(_("{what} cannot be negative ({number})").format(
                    what=what, number=number(cap)))
        check_tiers(self.tiers)
        return self


def check_tiers(tiers: list[Tier]) -> None:
    """Tiers start at 0, each where the one before ends, and the last has no end."""
    first = tiers[0]
    if first.start != 0:
        raise ValueError(_("the tiers start at 0 (the first starts at {number})").format(
            number=number(first.start)))
    for number_, (before, after) in enumerate(pairwise(tiers), start=1):
        if before.end is None:
            raise ValueError(_("tier {number_} ({before}) has no end but tier {value} follows it: "
                               "only the last tier is open-ended").format(
                number_=number_, before=before.label(), value=number_ + 1))
        if after.start < before.end:
            raise ValueError(_("the tiers overlap: tier {number_} ({before}) and tier {value} "
                               "({after}); each tier starts where the one before ends").format(
                number_=number_, before=before.label(), value=number_ + 1, after=after.label()))
        if after.start > before.end:
            raise ValueError(_("the tiers leave a gap between {number} and {number2}: amounts "
                               "there would have no rate").format(
                number=number(before.end), number2=number(after.start)))
    last = tiers[-1]
    if last.end is not None:
        raise ValueError(_("the last tier ends at {number}: leave out its `to`, or amounts above "
                           "{number} would have no rate").format(number=number(last.end)))


class Band(Strict):
    """From this attainment of the quota on, the commission is multiplied by ``multiplier``."""

    start: Decimal = Field(validation_alias=AliasChoices("from", "start"))
    """Attainment in percent where the band starts (inclusive); ``from`` in the plan file."""
    multiplier: Decimal

    @model_validator(mode="after")
    def _sane(self) -> Band:
        _finite(self.start, "from")
        _finite(self.multiplier, _("the multiplier"))
        if self.start < 0:
            raise ValueError(_("a band cannot start below 0% ({number}%)").format(
                number=number(self.start)))
        if self.multiplier < 0:
            raise ValueError(_("the multiplier cannot be negative (×{number})").format(
                number=number(self.multiplier)))
        return self


class Quota(Strict):
    """The sales plan and the accelerators for reaching it."""

    amount: Decimal
    """Sales (on the commission's basis) the member is to reach in the period."""
    period: Literal["month", "quarter"] = "month"
    """A quarter's accelerator is settled in its last month, on the quarter's commission."""
    bands: list[Band] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bands_fit(self) -> Quota:
        _finite(self.amount, _("the quota"))
        if self.amount <= 0:
            raise ValueError(_("the quota must be more than 0 (it is {number})").format(
                number=number(self.amount)))
        if self.bands and self.bands[0].start != 0:
            raise ValueError(_("the bands start at 0% (the first starts at {number}%): say what "
                               "is paid below it, e.g. {{ from = 0, multiplier = 0 }}").format(
                number=number(self.bands[0].start)))
        for before, after in pairwise(self.bands):
            if after.start <= before.start:
                raise ValueError(_("the bands overlap: {number}% comes after {number2}%; list "
                                   "them from low to high, each starting higher than the one "
                                   "before").format(
                    number=number(after.start), number2=number(before.start)))
        return self


class Kpi(Strict):
    """A bonus paid when a measured figure reaches its target."""

    kind: str
    target: Decimal
    """Percent for shares and growth, a count for complaints and active clients."""
    amount: Decimal | None = None
    """A fixed bonus, in the plan's currency…"""
    percent_of_base: Decimal | None = None
    """…or a percentage of the base salary."""

    @model_validator(mode="after")
    def _sane(self) -> Kpi:
        if self.kind not in KPI_KINDS:
            raise ValueError(_("unknown KPI {kind!r} (KPIs: {join})").format(
                kind=self.kind, join=', '.join(KPI_KINDS)))
        _finite(self.target, _("the target"))
        _finite(self.amount, _("the amount"))
        _finite(self.percent_of_base, _("percent of base"))
        if self.kind != "average_order_growth" and self.target < 0:
            raise ValueError(_("{kind}: the target cannot be negative").format(kind=self.kind))
        if self.kind in PERCENT_KINDS - {"average_order_growth", "plan_fulfilment"} \
                and self.target > 100:
            raise ValueError(_("{kind}: a share cannot be above 100% ({number})").format(
                kind=self.kind, number=number(self.target)))
        if (self.amount is None) == (self.percent_of_base is None):
            raise ValueError(_("{kind}: give either amount or percent_of_base").format(
                kind=self.kind))
        for what, value in (("amount", self.amount), ("percent_of_base", self.percent_of_base)):
            if value is not None and value < 0:
                raise ValueError(_("{kind}: {what} cannot be negative ({number})").format(
                    kind=self.kind, what=what, number=number(value)))
        return self

    def label(self) -> str:
        return _(KPI_KINDS[self.kind])


class WorkHours(Strict):
    """The member's working hours: time logged outside them is overtime."""

    start: time = time(10, 0)
    end: time = time(19, 0)
    weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    """Monday = 0."""

    @model_validator(mode="after")
    def _sane(self) -> WorkHours:
        if self.start >= self.end:
            raise ValueError(_("working hours must start before they end "
                               "({start:%H:%M}–{end:%H:%M})").format(
                start=self.start, end=self.end))
        if any(day < 0 or day > 6 for day in self.weekdays):
            raise ValueError(_("weekdays are numbers from 0 (Monday) to 6 (Sunday)"))
        return self


class Overtime(Strict):
    """Hours logged outside working hours, paid with a coefficient."""

    coefficient: Decimal = Decimal("1.5")
    hourly_rate: Decimal | None = None
    """Pay per hour; if not given, the base salary divided by ``hours_per_month``."""
    hours_per_month: Decimal = Decimal(168)
    working_hours: WorkHours = Field(default_factory=WorkHours)

    @model_validator(mode="after")
    def _sane(self) -> Overtime:
        for what, value in ((_("the coefficient"), self.coefficient),
                            (_("the hourly rate"), self.hourly_rate),
                            (_("hours per month"), self.hours_per_month)):
            _finite(value, what)
            if value is not None and value < 0:
                raise ValueError(_("{what} cannot be negative ({number})").format(
                    what=what, number=number(value)))
        if self.hours_per_month == 0:
            raise ValueError(_("hours per month must be more than 0"))
        return self


class Plan(Record):
    """What a member, or everyone in a role, is paid from ``valid_from`` on (until a later
    plan for the same member or role starts)."""

    table = PLANS_TABLE
    references = {"member_id": "members"}

    name: str = Field(min_length=1, max_length=100)
    member_id: str | None = None
    """The member the plan is for…"""
    role: str | None = None
    """…or the role (a member's own plan comes before their role's)."""
    valid_from: date
    """The first day of the first month the plan applies to."""
    currency: str = Field(default="RUB", pattern=r"^[A-Z]{3}$")
    base_salary: Decimal = Decimal(0)
    commission: Commission | None = None
    quota: Quota | None = None
    kpis: list[Kpi] = Field(default_factory=list)
    overtime: Overtime | None = None
    market_segment: Literal["b2b", "b2c"] | None = None
    """Which market range the statement is compared with (default: b2b for KAMs and the
    head, b2c otherwise)."""
    market_region: str | None = None
    """Default: the ``region`` setting."""

    @field_validator("valid_from")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        if value.day != 1:
            raise ValueError(_("a plan starts on the first day of a month, so that each month has "
                               "one plan: use {replace} or {next_month_start}, not {value}").format(
                replace=value.replace(day=1), next_month_start=next_month_start(value),
                value=value))
        return value

    @field_validator("base_salary")
    @classmethod
    def _base_not_negative(cls, value: Decimal) -> Decimal:
        _finite(value, _("the base salary"))
        if value < 0:
            raise ValueError(_("the base salary cannot be negative ({number})").format(
                number=number(value)))
        return value

    @model_validator(mode="after")
    def _whose(self) -> Plan:
        if (self.member_id is None) == (self.role is None):
            raise ValueError(_("a plan is for one member (member = …) or for a role "
                             "(role = …): give exactly one"))
        if self.role is not None and self.role not in ROLES:
            raise ValueError(_("unknown role {role!r} (roles: {join})").format(
                role=self.role, join=', '.join(ROLES)))
        kinds = [kpi.kind for kpi in self.kpis]
        repeated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if repeated:
            raise ValueError(_("the KPI {repeated} is given twice").format(repeated=repeated[0]))
        if any(kpi.kind == "plan_fulfilment" for kpi in self.kpis) and self.quota is None:
            raise ValueError(_("the plan_fulfilment KPI needs a quota"))
        return self

    def label(self) -> str:
        return _("{name} (from {valid_from})").format(name=self.name, valid_from=self.valid_from)


def next_month_start(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def describe_plan_error(error: Any) -> str:
    """A pydantic error about a plan as one line per problem: "commission tier 2: …"."""
    lines = []
    for problem in error.errors():
        parts: list[str] = []
        for part in problem["loc"]:
            if isinstance(part, int):
                parts.append(f"#{part + 1}")
            else:
                parts.append(str(part).replace("_", " "))
        where = " ".join(parts)
        message = problem_message(problem)
        if problem["type"] == "missing":
            if where == "valid from":
                message += (_(": say from which month the plan applies, e.g. "
                            "valid_from = 2026-10-01"))
        elif problem["type"] == "extra_forbidden":
            message = _("is not a field a plan has (a typo?)")
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)
