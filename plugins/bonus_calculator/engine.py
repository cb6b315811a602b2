"""The calculation: a plan and the month's facts in, the statement's lines out.

Pure functions, no store and no clock. Every line says where it comes from (a deal, a KPI, a
time entry), what the rate applies to, the rate, and the amount — computed exactly in Decimal
and rounded once, to the currency's minor unit. The total is the sum of the rounded lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from amtui.api import weekday_names

from .i18n import N_, _
from .money import ZERO, minor_unit, money, number, rounded
from .plan import AT_MOST_KINDS, PERCENT_KINDS, Band, Commission, Kpi, Plan, WorkHours

HUNDRED = Decimal(100)
GROWTH_MONTHS = 3
"""The average order of a month is compared with that of the months before it, this many."""

FINAL_KINDS = frozenset({"kpi", "excluded"})
"""Lines measured once: a locked statement's KPI lines are final, never adjusted."""

BASIS_WORDS = {"signed": N_("signed"), "paid": N_("paid")}
"""The day a deal counts on, in words: the day it was signed or paid."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        parts = text.strip().split("-")
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() \
                and len(parts[0]) == 4 and 1 <= int(parts[1]) <= 12:
            return cls(int(parts[0]), int(parts[1]))
        raise ValueError(_("{text!r} is not a month: use YYYY-MM, e.g. 2026-10").format(text=text))

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        """The last day of the month."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, day: date | None) -> bool:
        return day is not None and day.year == self.year and day.month == self.month

    @property
    def quarter(self) -> str:
        return f"{self.year}-Q{(self.month - 1) // 3 + 1}"

    @property
    def shown(self) -> str:
        """The month as a reader is told it, in the language in use: «ноябрь 2026»."""
        from amtui.api import MONTH_YEAR, format_day  # lazy: Babel, only when a month is shown

        return format_day(self.start, MONTH_YEAR)

    @property
    def shown_quarter(self) -> str:
        """The month's quarter as a reader is told it: "Q4 2026", «4-й кв. 2026»."""
        return _("Q{quarter} {year}").format(quarter=(self.month - 1) // 3 + 1, year=self.year)

    def quarter_months(self) -> list[Period]:
        first = (self.month - 1) // 3 * 3 + 1
        return [Period(self.year, first + offset) for offset in range(3)]

    def months_before(self, count: int) -> list[Period]:
        months, current = [], self
        for _round in range(count):
            current = current.previous()
            months.append(current)
        return months


@dataclass(frozen=True, slots=True)
class DealFact:
    """A deal as the calculation sees it."""

    id: str
    title: str
    client: str
    amount: Decimal
    currency: str
    status: str
    signed_on: date | None = None
    paid_on: date | None = None

    def counted_on(self, basis: str) -> date | None:
        """The day the deal counts for commission on ``basis``, if it counts at all."""
        if self.status != "won":
            return None
        return self.signed_on if basis == "signed" else self.paid_on


@dataclass(frozen=True, slots=True)
class TimeFact:
    """Hours logged on one day."""

    id: str
    day: date
    start: time
    end: time
    client_id: str | None = None
    client: str = ""
    note: str = ""


@dataclass(frozen=True)
class KpiFacts:
    """What the workspace's inbox and clients say about the member's month."""

    messages_due: int = 0
    """Client messages whose answer was due in the month (and is due by now)."""
    answered_in_time: int = 0
    complaints: int = 0
    clients_at_start: int = 0
    """The member's clients at the start of the month (not churned before it)."""
    clients_lost: int = 0
    """Of those, churned during the month."""
    active_clients: int = 0


@dataclass(frozen=True)
class PeriodFacts:
    """Everything a month's statement is computed from."""

    period: Period
    deals: Sequence[DealFact] = ()
    """The member's deals, all of them (the plan's basis picks the month's)."""
    time_entries: Sequence[TimeFact] = ()
    """The member's time entries in the month."""
    kpi: KpiFacts = field(default_factory=KpiFacts)
    earlier_plans: Mapping[Period, Plan | None] = field(default_factory=dict)
    """The plans of the quarter's earlier months (a quarterly accelerator is settled on the
    commission each of them paid)."""


@dataclass(frozen=True)
class Line:
    """One line of a statement."""

    kind: str
    """base, commission, cap_deal, accelerator, cap_month, kpi, overtime, excluded,
    adjustment or clawback."""
    key: str
    """Identifies what the line is about, the same from one computation to the next (an
    adjustment is the difference per key)."""
    source: str
    """What it comes from, in words: the deal, the KPI, the hours."""
    amount: Decimal
    """Rounded to the currency's minor unit."""
    basis: Decimal | None = None
    """What the rate applies to: a deal's amount, the commission, hours, a measured KPI."""
    unit: str = ""
    """The basis's unit: a currency code, ``h`` or ``%`` (or nothing for a count)."""
    rate: str = ""
    detail: str = ""
    """The whole computation in words."""
    source_id: str = ""
    """The deal's or time entry's id, or the KPI's kind."""
    adjusts: str = ""
    """For an adjustment: the locked month (YYYY-MM) it corrects."""


def total(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


# Commission -----------------------------------------------------------------------------------

def tier_of(amount: Decimal, commission: Commission) -> int:
    """The index of the tier ``amount`` falls in (a tier's end belongs to it)."""
    for index, tier in enumerate(commission.tiers):
        if tier.end is None or amount <= tier.end:
            return index
    return len(commission.tiers) - 1  # the last tier has no end (checked with the plan)


def deal_commission(amount: Decimal, commission: Commission,
                    currency: str) -> tuple[Decimal, str, str]:
    """The commission on one deal, not rounded yet, with its rate and how it was computed."""
    tiers = commission.tiers
    if commission.mode == "whole_deal":
        index = tier_of(amount, commission)
        tier = tiers[index]
        value = amount * tier.rate / HUNDRED
        earned = money(rounded(value, currency), currency)
        how = (_("the whole deal ({number}) falls in tier {value} ({tier}): {number2}% of "
                 "{number} = {earned}").format(
            number=number(amount), value=index + 1, tier=tier.label(), number2=number(tier.rate),
            earned=earned))
        return value, f"{number(tier.rate)}%", how
    value, parts, rates = ZERO, [], []
    for tier in tiers:
        upper = amount if tier.end is None else min(amount, tier.end)
        portion = upper - tier.start
        if portion <= 0:
            continue
        share = portion * tier.rate / HUNDRED
        value += share
        rates.append(f"{number(tier.rate)}%")
        parts.append(_("{number}% of {number2} ({tier}) = {number3}").format(
            number=number(tier.rate), number2=number(portion), tier=tier.label(),
            number3=number(share)))
    how = _("marginal: ") + ("; ".join(parts) if parts else _("nothing")) + \
        _("; together {money}").format(money=money(rounded(value, currency), currency))
    return value, " + ".join(rates) or f"{number(tiers[0].rate)}%", how


def counted_deals(deals: Iterable[DealFact], basis: str,
                  months: Sequence[Period]) -> list[DealFact]:
    """Won deals whose basis day falls in one of ``months``, oldest first."""
    found = [deal for deal in deals
             if any(month.contains(deal.counted_on(basis)) for month in months)]
    return sorted(found, key=lambda deal: (deal.counted_on(basis) or date.min, deal.id))


def commission_lines(plan: Plan, deals: Iterable[DealFact], period: Period) -> list[Line]:
    """A line per deal counted in the month, a cap line under any deal over the cap, and a
    zero line for a deal in another currency (it cannot count)."""
    commission = plan.commission
    if commission is None:
        return []
    currency = plan.currency
    lines: list[Line] = []
    for deal in counted_deals(deals, commission.basis, [period]):
        source = f"«{deal.title}» · {deal.client}" if deal.client else f"«{deal.title}»"
        day = deal.counted_on(commission.basis)
        if deal.currency != currency:
            lines.append(Line(
                "excluded", f"excluded:{deal.id}", source, ZERO, deal.amount, deal.currency,
                "—", _("the deal is in {currency} and the plan pays in {currency2}: it is not "
                       "counted (amtui does not convert currencies); correct the deal's currency "
                       "or give the member a plan in {currency}").format(
                    currency=deal.currency, currency2=currency),
                deal.id))
            continue
        value, rate, how = deal_commission(deal.amount, commission, currency)
        amount = rounded(value, currency)
        lines.append(Line("commission", f"commission:{deal.id}", source, amount, deal.amount,
                          currency, rate,
                          _("{basis} on {day}; {how}").format(
                              basis=_(BASIS_WORDS[commission.basis]), day=day, how=how),
                          deal.id))
        cap = commission.cap_per_deal
        if cap is not None and amount > cap:
            cut = rounded(cap, currency) - amount
            lines.append(Line(
                "cap_deal", f"cap_deal:{deal.id}", _("Cap per deal on «{title}»").format(
                    title=deal.title), cut,
                amount, currency, _("at most {number}").format(number=number(cap)),
                _("the deal earned {money}; one deal pays at most {money2}: {money3}").format(
                    money=money(amount, currency), money2=money(rounded(cap, currency), currency),
                    money3=money(cut, currency)), deal.id))
    return lines


def band_of(bands: Sequence[Band], attainment: Decimal) -> Band | None:
    """The band ``attainment`` (percent) falls in: the last one starting at or below it."""
    found = None
    for band in bands:
        if attainment >= band.start:
            found = band
    return found


def attainment(plan: Plan, deals: Iterable[DealFact], months: Sequence[Period]) -> Decimal:
    """Sales in ``months`` (on the commission's basis, in the plan's currency) as a percent of
    the quota."""
    assert plan.quota is not None
    basis = plan.commission.basis if plan.commission else "signed"
    sales = sum((deal.amount for deal in counted_deals(deals, basis, months)
                 if deal.currency == plan.currency), ZERO)
    return sales * HUNDRED / plan.quota.amount


def sales(plan: Plan, deals: Iterable[DealFact], months: Sequence[Period]) -> Decimal:
    basis = plan.commission.basis if plan.commission else "signed"
    return sum((deal.amount for deal in counted_deals(deals, basis, months)
                if deal.currency == plan.currency), ZERO)


def accelerator_line(plan: Plan, facts: PeriodFacts, paid: Decimal) -> Line | None:
    """The accelerator: the commission multiplied by the band the quota's attainment is in
    (a line for the difference). A quarterly quota is settled in the quarter's last month,
    on the commission of the whole quarter."""
    quota = plan.quota
    if quota is None or plan.commission is None or not quota.bands:
        return None
    period, currency = facts.period, plan.currency
    months = period.quarter_months() if quota.period == "quarter" else [period]
    label = period.quarter if quota.period == "quarter" else str(period)
    if quota.period == "quarter" and period != months[-1]:
        return Line("accelerator", "accelerator", _("Accelerator: quota {label}").format(
            label=_quota_period(period, quota.period)), ZERO, None, "",
                    "—", _("a quarterly quota is settled in {months}, on the quarter's "
                           "commission").format(
                        months=months[-1]))
    base, parts = paid, []
    for month in months[:-1]:
        earlier = facts.earlier_plans.get(month)
        earned = total(line for line in commission_lines(earlier, facts.deals, month)
                       if line.kind in ("commission", "cap_deal")) if earlier else ZERO
        base += earned
        parts.append(f"{month}: {number(earned)}")
    if not base:
        return None
    if parts:
        parts.append(f"{period}: {number(paid)}")
    reached = attainment(plan, facts.deals, months)
    band = band_of(quota.bands, reached)
    multiplier = band.multiplier if band else Decimal(1)
    amount = rounded(base * (multiplier - 1), currency)
    sold = sales(plan, facts.deals, months)
    of_what = _("the quarter's commission {number} ({join})").format(
        number=number(base), join='; '.join(parts)) if parts \
        else _("the month's commission {number}").format(number=number(base))
    detail = (_("sales {number} of the quota {number2} = {number3}%, in the band from {number4}%: "
                "×{number5} on {of_what}; {number6} × ({number5} − 1) = {money}").format(
        number=number(sold), number2=number(quota.amount),
        number3=number(reached.quantize(Decimal('0.1'))),
        number4=number(band.start if band else ZERO), number5=number(multiplier), of_what=of_what,
        number6=number(base), money=money(amount, currency)))
    return Line("accelerator", "accelerator", _("Accelerator: quota {label}").format(
        label=_quota_period(period, quota.period)), amount, base,
                currency, f"×{number(multiplier)}", detail, label)


# KPIs -----------------------------------------------------------------------------------------

def average_order(plan: Plan, deals: Sequence[DealFact],
                  months: Sequence[Period]) -> Decimal | None:
    basis = plan.commission.basis if plan.commission else "signed"
    amounts = [deal.amount for deal in counted_deals(deals, basis, months)
               if deal.currency == plan.currency]
    return sum(amounts, ZERO) / len(amounts) if amounts else None


def measure(kpi: Kpi, plan: Plan, facts: PeriodFacts) -> tuple[Decimal | None, str]:
    """The KPI's measured value for the month (None: nothing to measure), and how."""
    kpi_facts, period = facts.kpi, facts.period
    if kpi.kind == "answered_in_time":
        due = kpi_facts.messages_due
        if not due:
            return None, _("no client message was due for an answer in {period}").format(
                period=period)
        share = Decimal(kpi_facts.answered_in_time) * HUNDRED / due
        return share, (_("{answered_in_time} of {due} messages due in {period} were answered in "
                         "time").format(
            answered_in_time=kpi_facts.answered_in_time, due=due, period=period))
    if kpi.kind == "no_complaints":
        return Decimal(kpi_facts.complaints), _("{complaints} complaints in {period}").format(
            complaints=kpi_facts.complaints, period=period)
    if kpi.kind == "clients_retained":
        start = kpi_facts.clients_at_start
        if not start:
            return None, _("no clients at the start of {period}").format(period=period)
        kept = start - kpi_facts.clients_lost
        return (Decimal(kept) * HUNDRED / start,
                _("{kept} of the {start} clients at the start of {period} were kept").format(
                    kept=kept, start=start, period=period))
    if kpi.kind == "plan_fulfilment":
        assert plan.quota is not None
        months = [period]
        if plan.quota.period == "quarter":
            months = period.quarter_months()
            if period != months[-1]:
                return None, _("a quarterly quota is measured in {months}").format(
                    months=months[-1])
        reached = attainment(plan, facts.deals, months)
        span = period.quarter if plan.quota.period == "quarter" else _("the month")
        return reached, (_("sales {number} of {span}'s quota {number2}").format(
            number=number(sales(plan, facts.deals, months)), span=span,
            number2=number(plan.quota.amount)))
    if kpi.kind == "average_order_growth":
        now = average_order(plan, facts.deals, [period])
        earlier_months = period.months_before(GROWTH_MONTHS)
        before = average_order(plan, facts.deals, earlier_months)
        if now is None:
            return None, _("no deal counted in {period}").format(period=period)
        if before is None:
            return None, (_("no deal in the {GROWTH_MONTHS} months before {period} to compare the "
                            "average order with").format(
                GROWTH_MONTHS=GROWTH_MONTHS, period=period))
        growth = (now / before - 1) * HUNDRED
        return growth, (_("average order {number} in {period} against {number2} in "
                          "{earlier_months}…{earlier_months2}").format(
            number=number(rounded(now, plan.currency)), period=period,
            number2=number(rounded(before, plan.currency)), earlier_months=earlier_months[-1],
            earlier_months2=earlier_months[0]))
    return Decimal(kpi_facts.active_clients), _("{active_clients} active clients").format(
        active_clients=kpi_facts.active_clients)


def kpi_line(kpi: Kpi, plan: Plan, facts: PeriodFacts) -> Line:
    currency = plan.currency
    value, how = measure(kpi, plan, facts)
    unit = "%" if kpi.kind in PERCENT_KINDS else ""
    at_most = kpi.kind in AT_MOST_KINDS
    target = f"{'≤' if at_most else '≥'} {number(kpi.target)}{unit}"
    if kpi.amount is not None:
        bonus, bonus_how = kpi.amount, money(rounded(kpi.amount, currency), currency)
    else:
        assert kpi.percent_of_base is not None
        bonus = plan.base_salary * kpi.percent_of_base / HUNDRED
        bonus_how = (_("{number}% of the base salary {number2} = {money}").format(
            number=number(kpi.percent_of_base), number2=number(plan.base_salary),
            money=money(rounded(bonus, currency), currency)))
    met = value is not None and (value <= kpi.target if at_most else value >= kpi.target)
    shown = None if value is None else value.quantize(Decimal("0.1")) if unit else value
    if value is None:
        outcome = _("nothing to measure: not paid")
    else:
        outcome = _("{number}{unit}, target {target}: ").format(
            number=number(shown or ZERO), unit=unit, target=target) + \
            (_("met, {bonus_how}").format(bonus_how=bonus_how) if met else _("not met"))
    return Line("kpi", f"kpi:{kpi.kind}", _("KPI: {kpi}").format(kpi=kpi.label()),
                rounded(bonus, currency) if met else ZERO, shown, unit, target,
                f"{how}; {outcome}", kpi.kind)


# Overtime -------------------------------------------------------------------------------------

def hours_outside(entry: TimeFact, hours: WorkHours) -> Decimal:
    """Hours of the entry outside working hours (all of them on a day off)."""
    def minutes(moment: time) -> int:
        return moment.hour * 60 + moment.minute

    start, end = minutes(entry.start), minutes(entry.end)
    if entry.day.weekday() not in hours.weekdays:
        outside = end - start
    else:
        inside = max(0, min(end, minutes(hours.end)) - max(start, minutes(hours.start)))
        outside = end - start - inside
    return Decimal(outside) / 60


def describe_hours(hours: WorkHours) -> str:
    names = weekday_names()
    days = ", ".join(names[day] for day in hours.weekdays) or _("no days")
    return f"{hours.start:%H:%M}–{hours.end:%H:%M} {days}"


def hourly_rate(plan: Plan) -> tuple[Decimal, str]:
    """Pay per overtime hour before the coefficient, and where it comes from."""
    assert plan.overtime is not None
    if plan.overtime.hourly_rate is not None:
        return plan.overtime.hourly_rate, _("{number} per hour").format(
            number=number(plan.overtime.hourly_rate))
    per_hour = plan.base_salary / plan.overtime.hours_per_month
    return per_hour, (_("the base salary {number} / {number2} h = {number3} per hour").format(
        number=number(plan.base_salary), number2=number(plan.overtime.hours_per_month),
        number3=number(per_hour.quantize(Decimal('0.0001')))))


def overtime_lines(plan: Plan, entries: Iterable[TimeFact]) -> list[Line]:
    overtime = plan.overtime
    if overtime is None:
        return []
    rate, rate_how = hourly_rate(plan)
    lines = []
    for entry in sorted(entries, key=lambda entry: (entry.day, entry.start, entry.id)):
        hours = hours_outside(entry, overtime.working_hours)
        if hours <= 0:
            continue
        amount = rounded(hours * rate * overtime.coefficient, plan.currency)
        where = f" · {entry.client}" if entry.client else ""
        lines.append(Line(
            "overtime", f"overtime:{entry.id}",
            _("Overtime {day} {start:%H:%M}–{end:%H:%M}{where}").format(
                day=_day(entry.day), start=entry.start, end=entry.end, where=where), amount, hours,
            "h", f"{number(rounded(rate, plan.currency), minor_unit(plan.currency))}/{_('h')} "
                 f"×{number(overtime.coefficient)}",
            _("{number} h outside working hours ({describe_hours}); {rate_how}; {number} h × "
              "{number2} × {number3} = {money}").format(
                number=number(hours), describe_hours=describe_hours(overtime.working_hours),
                rate_how=rate_how, number2=number(rate.quantize(Decimal('0.0001'))),
                number3=number(overtime.coefficient),
                money=money(amount, plan.currency)) + (f"; {entry.note}" if entry.note else ""),
            entry.id))
    return lines


@dataclass(frozen=True)
class Billable:
    """Overtime hours the client is billed for, with the workspace's overtime coefficient."""

    client_id: str
    client: str
    hours: Decimal
    billed_hours: Decimal
    """Hours × the coefficient."""
    coefficient: Decimal
    amount: Decimal | None
    """Billed hours × the client hourly rate, if the workspace sets one."""


def billable(plan: Plan | None, entries: Iterable[TimeFact], coefficient: Decimal,
             hourly: Decimal | None, currency: str) -> list[Billable]:
    """The month's overtime per client, as billed to the client."""
    hours_by_client: dict[str, tuple[str, Decimal]] = {}
    work_hours = plan.overtime.working_hours if plan and plan.overtime else WorkHours()
    for entry in entries:
        if not entry.client_id:
            continue
        hours = hours_outside(entry, work_hours)
        if hours > 0:
            name, before = hours_by_client.get(entry.client_id, (entry.client, ZERO))
            hours_by_client[entry.client_id] = (name, before + hours)
    return [Billable(client_id, name, hours, hours * coefficient, coefficient,
                     rounded(hours * coefficient * hourly, currency) if hourly is not None
                     else None)
            for client_id, (name, hours) in sorted(hours_by_client.items(),
                                                   key=lambda item: item[1][0])]


# The statement --------------------------------------------------------------------------------

def own_lines(plan: Plan | None, facts: PeriodFacts) -> list[Line]:
    """The lines of the month itself (adjustments to locked months come on top)."""
    if plan is None:
        return []
    currency = plan.currency
    lines: list[Line] = []
    if plan.base_salary:
        base = rounded(plan.base_salary, currency)
        lines.append(Line("base", "base", _("Base salary"), base, None, "", _("per month"),
                          _("the plan «{name}» pays {money} a month").format(
                              name=plan.name, money=money(base, currency))))
    deals = commission_lines(plan, facts.deals, facts.period)
    lines += deals
    earned = total(line for line in deals if line.kind in ("commission", "cap_deal"))
    accelerator = accelerator_line(plan, facts, earned)
    if accelerator is not None:
        lines.append(accelerator)
        earned += accelerator.amount
    cap = plan.commission.cap_per_month if plan.commission else None
    if cap is not None and earned > cap:
        cut = rounded(cap, currency) - earned
        lines.append(Line("cap_month", "cap_month", _("Cap per month"), cut, earned, currency,
                          _("at most {number}").format(number=number(cap)),
                          _("the month's commission came to {money}; a month pays at most "
                            "{money2}: {money3}").format(
                              money=money(earned, currency),
                              money2=money(rounded(cap, currency), currency),
                              money3=money(cut, currency))))
    lines += [kpi_line(kpi, plan, facts) for kpi in plan.kpis]
    lines += overtime_lines(plan, facts.time_entries)
    return lines


def adjustment_lines(locked_period: str, recomputed: Sequence[Line], paid: Sequence[Line],
                     adjusted: Sequence[Line], currency: str,
                     lost_deals: Mapping[str, str] | None = None) -> list[Line]:
    """What a locked month's lines would be now, less what was paid for them (its own lines)
    and what later months already adjusted: a line per key that differs. KPI lines are final
    once locked. ``lost_deals``: deal id → why it no longer counts (a clawback)."""
    lost_deals = lost_deals or {}
    now: dict[str, Decimal] = {}
    before: dict[str, Decimal] = {}
    names: dict[str, Line] = {}
    for line in recomputed:
        if line.kind not in FINAL_KINDS:
            now[line.key] = now.get(line.key, ZERO) + line.amount
            names.setdefault(line.key, line)
    for line in [*paid, *adjusted]:
        if line.kind not in FINAL_KINDS:
            key = line.key.split("@", 1)[0]
            before[key] = before.get(key, ZERO) + line.amount
            names.setdefault(key, line)
    lines = []
    for key, line in names.items():
        difference = now.get(key, ZERO) - before.get(key, ZERO)
        if not difference:
            continue
        deal_id = key.removeprefix("commission:") if key.startswith("commission:") else ""
        was, will = before.get(key, ZERO), now.get(key, ZERO)
        if deal_id and not will and deal_id in lost_deals:
            lines.append(Line(
                "clawback", f"{key}@{locked_period}", _("Clawback {locked_period}: "
                                                        "{source}").format(
                    locked_period=locked_period, source=line.source),
                difference, was, currency, "−100%",
                _("paid {money} in {locked_period}; {lost_deals}").format(
                    money=money(was, currency), locked_period=locked_period,
                    lost_deals=lost_deals[deal_id]),
                line.source_id, locked_period))
            continue
        lines.append(Line(
            "adjustment", f"{key}@{locked_period}", _("Adjustment {locked_period}: "
                                                      "{source}").format(
                locked_period=locked_period, source=line.source),
            difference, was, currency, "",
            _("paid {money} for this in {locked_period} (locked); computed from today's data it "
              "comes to {money2}").format(
                money=money(was, currency), locked_period=locked_period,
                money2=money(will, currency)), line.source_id,
            locked_period))
    return lines


def _quota_period(period: Period, length: str) -> str:
    """The quota's period as a reader is told it: «4-й кв. 2026», «ноябрь 2026»."""
    return period.shown_quarter if length == "quarter" else period.shown


def _day(day: date) -> str:
    """A day in a line's name, the language's way: «14 нояб.», "14 Nov"."""
    from amtui.api import DAY_MONTH, format_day  # lazy: Babel, only when a line is named

    return format_day(day, DAY_MONTH)
