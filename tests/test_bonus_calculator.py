"""The salary and bonus calculator (plugins/bonus_calculator): every component computed by
hand, tier and band boundaries exactly at the threshold, rounding once per line, caps,
clawback across locked months, privacy, bad plans refused with nothing stored, the command
line, and a property: a statement's total is the sum of its lines."""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from amtui.api import Client, Deal, DealStatus, Member, Message, Money, Role, os_user
from amtui.storage import Workspace
from amtui.testing import StillClock, import_bundled, load_plugin
from conftest import snapshot_files

PLUGIN = Path(__file__).resolve().parents[1] / "plugins" / "bonus_calculator"


def load_bonus() -> ModuleType:
    """The bundled plugin, imported from its folder under a name of its own."""
    return import_bundled("bonus_calculator")


bonus = load_bonus()
engine = importlib.import_module("bonus_calculator.engine")
plans = importlib.import_module("bonus_calculator.plan")
plan_file = importlib.import_module("bonus_calculator.plan_file")
statements = importlib.import_module("bonus_calculator.statements")
facts_module = importlib.import_module("bonus_calculator.facts")
store = importlib.import_module("bonus_calculator.store")
records = importlib.import_module("bonus_calculator.records")
money_module = importlib.import_module("bonus_calculator.money")
whatif = importlib.import_module("bonus_calculator.whatif")
views = importlib.import_module("bonus_calculator.views")
market = importlib.import_module("bonus_calculator.market")

D = Decimal
Period = engine.Period
OCT, NOV, SEP = Period(2026, 10), Period(2026, 11), Period(2026, 9)
MARGINAL = {"basis": "signed", "mode": "marginal",
            "tiers": [{"from": 0, "to": 500_000, "rate": 12}, {"from": 500_000, "rate": 5}]}
BANDS = [{"from": 0, "multiplier": 0}, {"from": 50, "multiplier": 1},
         {"from": 100, "multiplier": D("1.2")}, {"from": 150, "multiplier": D("1.5")}]


def make_plan(**fields: Any) -> Any:
    values: dict[str, Any] = {"name": "Test plan", "member_id": "m1",
                              "valid_from": date(2026, 9, 1), "currency": "RUB"}
    values.update(fields)
    return plans.Plan(**values)


def deal(deal_id: str, amount: Any, day: date | None = date(2026, 10, 5), *,
         status: str = "won", currency: str = "RUB", paid: date | None = None) -> Any:
    return engine.DealFact(deal_id, f"Deal {deal_id}", "Client", D(amount), currency, status,
                           day, paid)


def lines_of(plan: Any, deals: list[Any] = (), period: Any = OCT, **facts: Any) -> list[Any]:
    return engine.own_lines(plan, engine.PeriodFacts(period, deals, **facts))


def amounts(lines: list[Any], kind: str) -> list[Decimal]:
    return [line.amount for line in lines if line.kind == kind]


# Commission: tiers, marginal and whole deal, boundaries ------------------------------------

@pytest.mark.parametrize(("mode", "amount", "expected"), [
    ("marginal", 400_000, "48000.00"),
    ("marginal", 500_000, "60000.00"),       # exactly at the threshold: all in tier 1
    ("marginal", "500000.01", "60000.00"),   # 1 kopek at 5% = 0.0005 → rounds to 0
    ("marginal", 500_001, "60000.05"),
    ("marginal", 1_200_000, "95000.00"),     # 60 000 + 5% of 700 000
    ("whole_deal", 500_000, "60000.00"),     # a tier's `to` belongs to it
    ("whole_deal", 500_001, "25000.05"),     # the whole deal at 5%
    ("whole_deal", 1_200_000, "60000.00"),
    ("marginal", 0, "0.00"),
])
def test_commission_tiers_by_hand(mode: str, amount: Any, expected: str) -> None:
    plan = make_plan(commission={**MARGINAL, "mode": mode})
    lines = lines_of(plan, [deal("d1", amount)])
    assert amounts(lines, "commission") == [D(expected)]
    assert engine.total(lines) == D(expected)


def test_a_commission_line_says_where_it_comes_from_and_how() -> None:
    plan = make_plan(commission=MARGINAL)
    line = lines_of(plan, [deal("d1", 1_200_000)])[0]
    assert (line.source_id, line.basis, line.unit, line.rate) == ("d1", D(1_200_000), "RUB",
                                                                 "12% + 5%")
    assert line.detail == ("signed on 2026-10-05; marginal: 12% of 500,000 (0–500,000) = 60,000; "
                           "5% of 700,000 (above 500,000) = 35,000; together RUB\u00a095,000.00")


def test_deals_count_in_the_month_of_the_plan_basis() -> None:
    signed = make_plan(commission=MARGINAL)
    paid = make_plan(commission={**MARGINAL, "basis": "paid"})
    deals = [deal("sep-signed-oct-paid", 100_000, date(2026, 9, 28), paid=date(2026, 10, 2)),
             deal("oct-signed-unpaid", 100_000, date(2026, 10, 3)),
             deal("lost", 100_000, date(2026, 10, 3), status="lost"),
             deal("open", 100_000, None, status="negotiation")]
    assert [line.source_id for line in lines_of(signed, deals)] == ["oct-signed-unpaid"]
    assert [line.source_id for line in lines_of(paid, deals)] == ["sep-signed-oct-paid"]


# Rounding: once per line, to the currency's minor unit -------------------------------------

def test_each_line_is_rounded_once_halves_away_from_zero() -> None:
    plan = make_plan(commission={"tiers": [{"from": 0, "rate": 1}]})
    lines = lines_of(plan, [deal("a", "12.5"), deal("b", "12.5")])
    assert amounts(lines, "commission") == [D("0.13"), D("0.13")]  # 0.125 each
    assert engine.total(lines) == D("0.26")  # not 0.25: the total adds rounded lines


@pytest.mark.parametrize(("currency", "amount", "expected"), [
    ("JPY", 1_234, "148"),       # 12% = 148.08; no minor unit
    ("KWD", "1.2345", "0.148"),  # 0.14814 → three places
    ("RUB", "0.04", "0.00"),     # 0.0048
    ("RUB", "0.05", "0.01"),     # 0.006
])
def test_rounding_follows_the_currency(currency: str, amount: str, expected: str) -> None:
    plan = make_plan(currency=currency, commission={"tiers": [{"from": 0, "rate": 12}]})
    line = lines_of(plan, [deal("d", amount, currency=currency)])[0]
    assert str(line.amount) == expected


def test_money_is_shown_with_the_currencys_digits() -> None:
    assert money_module.money(D("1234567.5"), "RUB") == "RUB\u00a01,234,567.50"
    assert money_module.money(D(148), "JPY") == "¥148"
    assert money_module.rounded(D("-0.001"), "RUB") == D("0.00")
    assert str(money_module.rounded(D("-0.001"), "RUB")) == "0.00"  # never -0.00


# Caps ----------------------------------------------------------------------------------------

def test_cap_per_deal_is_a_line_of_its_own() -> None:
    plan = make_plan(commission={**MARGINAL, "cap_per_deal": 50_000})
    lines = lines_of(plan, [deal("big", 1_200_000), deal("small", 100_000)])
    assert [(line.kind, line.source_id, line.amount) for line in lines] == [
        ("commission", "big", D("95000.00")), ("cap_deal", "big", D("-45000.00")),
        ("commission", "small", D("12000.00"))]
    assert engine.total(lines) == D("62000.00")


def test_cap_per_month_applies_after_the_deals() -> None:
    plan = make_plan(commission={**MARGINAL, "cap_per_month": 100_000})
    lines = lines_of(plan, [deal("a", 1_200_000), deal("b", 1_200_000)])
    assert amounts(lines, "cap_month") == [D("-90000.00")]
    assert engine.total(lines) == D("100000.00")
    under = lines_of(plan, [deal("a", 500_000)])
    assert amounts(under, "cap_month") == []


# Accelerators --------------------------------------------------------------------------------

@pytest.mark.parametrize(("sales", "multiplier", "commission", "accelerator"), [
    (400_000, "0", "40000.00", "-40000.00"),     # below 50%: nothing
    (500_000, "1", "50000.00", "0.00"),          # exactly 50%: the ×1 band
    (999_999, "1", "99999.90", "0.00"),
    (1_000_000, "1.2", "100000.00", "20000.00"),  # exactly 100%: the ×1.2 band
    (1_499_999, "1.2", "149999.90", "29999.98"),
    (1_500_000, "1.5", "150000.00", "75000.00"),
    (2_000_000, "1.5", "200000.00", "100000.00"),
])
def test_accelerator_bands(sales: int, multiplier: str, commission: str,
                           accelerator: str) -> None:
    plan = make_plan(commission={"tiers": [{"from": 0, "rate": 10}]},
                     quota={"amount": 1_000_000, "bands": BANDS})
    lines = lines_of(plan, [deal("d", sales)])
    assert amounts(lines, "commission") == [D(commission)]
    accelerated = next(line for line in lines if line.kind == "accelerator")
    assert (accelerated.rate, accelerated.amount) == (f"×{multiplier}", D(accelerator))
    assert engine.total(lines) == D(commission) + D(accelerator)


def test_a_quarterly_quota_is_settled_in_the_quarters_last_month() -> None:
    plan = make_plan(commission={"tiers": [{"from": 0, "rate": 10}]},
                     quota={"amount": 3_000_000, "period": "quarter", "bands": BANDS})
    deals = [deal("oct", 1_000_000, date(2026, 10, 10)), deal("nov", 1_000_000,
                                                            date(2026, 11, 10)),
             deal("dec", 1_600_000, date(2026, 12, 10))]
    october = lines_of(plan, deals, OCT)
    assert [(line.kind, line.amount) for line in october] == [
        ("commission", D("100000.00")), ("accelerator", D(0))]
    december = lines_of(plan, deals, Period(2026, 12),
                        earlier_plans={OCT: plan, NOV: plan})
    accelerated = next(line for line in december if line.kind == "accelerator")
    # 3 600 000 of 3 000 000 = 120% → ×1.2 on the quarter's 360 000: +72 000
    assert (accelerated.basis, accelerated.amount) == (D("360000.00"), D("72000.00"))
    assert "2026-10: 100,000; 2026-11: 100,000; 2026-12: 160,000" in accelerated.detail


# KPIs ----------------------------------------------------------------------------------------

KPI_CASES = [
    ("answered_in_time", 90, {"messages_due": 20, "answered_in_time": 18}, True),  # 90% exactly
    ("answered_in_time", 90, {"messages_due": 20, "answered_in_time": 17}, False),
    ("answered_in_time", 90, {}, False),  # nothing was due: nothing to measure, not paid
    ("no_complaints", 0, {"complaints": 0}, True),
    ("no_complaints", 0, {"complaints": 1}, False),
    ("clients_retained", 95, {"clients_at_start": 20, "clients_lost": 1}, True),
    ("clients_retained", 95, {"clients_at_start": 20, "clients_lost": 2}, False),
    ("active_clients", 5, {"active_clients": 5}, True),
    ("active_clients", 5, {"active_clients": 4}, False),
]


@pytest.mark.parametrize(("kind", "target", "measured", "met"), KPI_CASES)
def test_kpis_from_the_inbox_and_clients(kind: str, target: int, measured: dict[str, int],
                                         met: bool) -> None:
    plan = make_plan(base_salary=80_000, kpis=[{"kind": kind, "target": target,
                                                "amount": 7_500}])
    lines = lines_of(plan, kpi=engine.KpiFacts(**measured))
    assert amounts(lines, "kpi") == [D("7500.00") if met else D(0)]


def test_b2b_kpis_from_deals() -> None:
    plan = make_plan(base_salary=80_000, commission={"tiers": [{"from": 0, "rate": 10}]},
                     quota={"amount": 1_000_000},
                     kpis=[{"kind": "plan_fulfilment", "target": 100, "amount": 10_000},
                           {"kind": "average_order_growth", "target": 10,
                            "percent_of_base": 5}])
    earlier = [deal(f"e{n}", 100_000, date(2026, month, 3)) for n, month in
               enumerate((7, 8, 9))]
    lines = lines_of(plan, [*earlier, deal("now1", 600_000), deal("now2", 400_000)])
    fulfilment, growth = (line for line in lines if line.kind == "kpi")
    assert (fulfilment.basis, fulfilment.amount) == (D("100.0"), D("10000.00"))
    # average 500 000 against 100 000: +400% ≥ 10% → 5% of 80 000
    assert (growth.basis, growth.amount) == (D("400.0"), D("4000.00"))
    short = lines_of(plan, [*earlier, deal("now", 105_000)])
    assert amounts(short, "kpi") == [D(0), D(0)]  # 10.5% of the quota; growth 5%


def test_plan_fulfilment_of_a_quarterly_quota_is_measured_at_the_quarters_end() -> None:
    plan = make_plan(commission={"tiers": [{"from": 0, "rate": 10}]},
                     quota={"amount": 3_000_000, "period": "quarter"},
                     kpis=[{"kind": "plan_fulfilment", "target": 100, "amount": 20_000}])
    deals = [deal("oct", 2_000_000, date(2026, 10, 10)),
             deal("dec", 1_000_000, date(2026, 12, 10))]
    october = next(line for line in lines_of(plan, deals, OCT) if line.kind == "kpi")
    assert (october.amount, october.detail) == (
        D(0), "a quarterly quota is measured in 2026-12; nothing to measure: not paid")
    december = next(line for line in lines_of(plan, deals, Period(2026, 12))
                    if line.kind == "kpi")
    assert (december.basis, december.amount) == (D("100.0"), D("20000.00"))


# Overtime ------------------------------------------------------------------------------------

def entry(entry_id: str, day: date, start: str, end: str, client: str = "") -> Any:
    return engine.TimeFact(entry_id, day, time.fromisoformat(start), time.fromisoformat(end),
                           "c1" if client else None, client)


def test_overtime_counts_only_hours_outside_working_hours() -> None:
    plan = make_plan(overtime={"coefficient": "1.5", "hourly_rate": 600})
    entries = [entry("evening", date(2026, 10, 13), "18:00", "21:30"),   # Tue: 2.5 h out
               entry("saturday", date(2026, 10, 17), "11:00", "14:00"),  # Sat: all 3 h
               entry("early", date(2026, 10, 12), "09:00", "10:30"),     # Mon: 1 h out
               entry("office", date(2026, 10, 14), "11:00", "15:00")]    # inside: no line
    lines = lines_of(plan, time_entries=entries)
    assert [(line.source_id, line.basis, line.amount) for line in lines] == [
        ("early", D(1), D("900.00")), ("evening", D("2.5"), D("2250.00")),
        ("saturday", D(3), D("2700.00"))]


def test_overtime_rate_from_the_base_salary_and_billable_hours() -> None:
    plan = make_plan(base_salary=84_000, overtime={"coefficient": 2})
    entries = [entry("e", date(2026, 10, 13), "19:00", "20:30", "Ромашка")]
    line = lines_of(plan, time_entries=entries)[-1]
    assert line.amount == D("1500.00")  # 1.5 h × 84 000/168 (500) × 2
    billed = engine.billable(plan, entries, D("1.5"), D(3000), "RUB")
    assert [(item.client, item.hours, item.billed_hours, item.amount) for item in billed] == [
        ("Ромашка", D("1.5"), D("2.25"), D("6750.00"))]


# A whole month, and an empty one -------------------------------------------------------------

def full_plan() -> Any:
    return make_plan(
        base_salary=80_000,
        commission={**MARGINAL, "cap_per_deal": 90_000},
        quota={"amount": 1_000_000, "bands": BANDS},
        kpis=[{"kind": "answered_in_time", "target": 90, "amount": 5_000},
              {"kind": "no_complaints", "target": 0, "percent_of_base": 5}],
        overtime={"coefficient": "1.5", "hourly_rate": 500})


def test_a_statement_with_every_component_by_hand() -> None:
    lines = lines_of(full_plan(), [deal("a", 1_200_000), deal("b", 300_000)],
                     kpi=engine.KpiFacts(messages_due=10, answered_in_time=9, complaints=0),
                     time_entries=[entry("t", date(2026, 10, 17), "10:00", "12:00")])
    assert [(line.kind, line.amount) for line in lines] == [
        ("base", D("80000.00")),
        ("commission", D("95000.00")), ("cap_deal", D("-5000.00")),   # capped at 90 000
        ("commission", D("36000.00")),
        ("accelerator", D("63000.00")),   # 150% → ×1.5 on 126 000: + half of it
        ("kpi", D("5000.00")),            # 90% answered in time
        ("kpi", D("4000.00")),            # no complaints: 5% of 80 000
        ("overtime", D("1500.00")),       # 2 h × 500 × 1.5
    ]
    assert engine.total(lines) == D("279500.00")


def test_an_empty_month_pays_the_base_and_what_nothing_earns() -> None:
    lines = lines_of(full_plan())
    assert [(line.kind, line.amount) for line in lines] == [
        ("base", D("80000.00")), ("kpi", D(0)), ("kpi", D("4000.00"))]
    assert "nothing to measure" in lines[1].detail
    assert lines_of(None) == []


def test_a_deal_in_another_currency_is_not_counted_and_says_why() -> None:
    lines = lines_of(make_plan(commission=MARGINAL), [deal("usd", 10_000, currency="USD")])
    assert [(line.kind, line.amount, line.unit) for line in lines] == [
        ("excluded", D(0), "USD")]
    assert "the plan pays in RUB" in lines[0].detail


# The property: the total is the sum of the lines ---------------------------------------------

amounts_strategy = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                               allow_infinity=False)


@st.composite
def plans_and_deals(draw: Any) -> tuple[Any, list[Any], Any]:
    bounds = sorted(set(draw(st.lists(st.integers(1, 5_000_000), max_size=3))))
    starts = [0, *bounds]
    tiers = [{"from": start, "to": end, "rate": draw(st.decimals(0, 100, places=3))}
             for start, end in zip(starts, [*bounds, None], strict=True)]
    band_starts = sorted(set(draw(st.lists(st.integers(1, 300), max_size=3))))
    bands = [{"from": start, "multiplier": draw(st.decimals(0, 3, places=2))}
             for start in [0, *band_starts]]
    currency = draw(st.sampled_from(["RUB", "JPY", "KWD"]))
    maybe_cap = st.none() | amounts_strategy
    plan = make_plan(
        currency=currency, base_salary=draw(amounts_strategy),
        commission={"mode": draw(st.sampled_from(["marginal", "whole_deal"])), "tiers": tiers,
                    "cap_per_deal": draw(maybe_cap), "cap_per_month": draw(maybe_cap)},
        quota=draw(st.none() | st.just({"amount": 1_000_000, "bands": bands})),
        kpis=[{"kind": "no_complaints", "target": 0,
               "percent_of_base": draw(st.decimals(0, 50, places=3))}],
        overtime={"coefficient": "1.5"})
    deals = [deal(f"d{index}", amount, date(2026, 10, draw(st.integers(1, 31))))
             for index, amount in enumerate(draw(st.lists(amounts_strategy, max_size=8)))]
    kpi = engine.KpiFacts(complaints=draw(st.integers(0, 2)))
    return plan, deals, kpi


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_and_deals())
def test_the_total_is_the_sum_of_the_lines_each_rounded_once(
        example: tuple[Any, list[Any], Any]) -> None:
    plan, deals, kpi = example
    lines = lines_of(plan, deals, kpi=kpi)
    places = money_module.minor_unit(plan.currency)
    assert engine.total(lines) == sum((line.amount for line in lines), D(0))
    for line in lines:
        assert line.amount == line.amount.quantize(D(1).scaleb(-places)), line
    commission = sum(amounts(lines, "commission"), D(0)) + sum(amounts(lines, "cap_deal"), D(0))
    assert commission >= 0
    if plan.commission.cap_per_month is not None:
        capped = commission + sum(amounts(lines, "accelerator"), D(0)) \
            + sum(amounts(lines, "cap_month"), D(0))
        assert capped <= money_module.rounded(plan.commission.cap_per_month, plan.currency)


# Plans: bad input refused with a message ---------------------------------------------------

GOOD_PLAN = """
name = "KAM plan"
member = "Анна Смирнова"
valid_from = 2026-09-01
currency = "RUB"
base_salary = 80000

[commission]
basis = "signed"
mode = "marginal"
tiers = [
  { from = 0, to = 500000, rate = 12 },
  { from = 500000, rate = 5 },
]

[quota]
amount = 1000000
bands = [
  { from = 0, multiplier = 0 }, { from = 50, multiplier = 1 }, { from = 100, multiplier = 1.2 },
]

[[kpi]]
kind = "no_complaints"
target = 0
amount = 3000

[overtime]
coefficient = 1.5
"""

BAD_PLANS = [
    ("{ from = 500000, rate = 5 }", "{ from = 400000, rate = 5 }",
     "commission: the tiers overlap: tier 1 (0–500,000) and tier 2 (above 400,000)"),
    ("{ from = 500000, rate = 5 }", "{ from = 600000, rate = 5 }",
     "the tiers leave a gap between 500,000 and 600,000"),
    ("rate = 12 }", "rate = -12 }", "the rate cannot be negative (-12%)"),
    ("valid_from = 2026-09-01\n", "", "valid from: is required"),
    ("valid_from = 2026-09-01", "valid_from = 2026-09-15",
     "a plan starts on the first day of a month"),
    ("{ from = 500000, rate = 5 },", "{ from = 500000, to = 900000, rate = 5 },",
     "the last tier ends at 900,000"),
    ("multiplier = 1.2 }", "multiplier = -1 }", "the multiplier cannot be negative"),
    ("{ from = 50, multiplier = 1 }, { from = 100", "{ from = 100, multiplier = 1 }, { from = 50",
     "the bands overlap"),
    ('kind = "no_complaints"', 'kind = "happiness"', "unknown KPI 'happiness'"),
    ("amount = 3000", "amount = 3000\npercent_of_base = 5", "give either amount or"),
    ('member = "Анна Смирнова"', 'member = "nobody"', "member: no member named 'nobody'"),
    ("base_salary = 80000", "base_salary = 80000\nbonus = 1", "bonus: is not a field"),
    ("base_salary = 80000", "base_salary = -1", "the base salary cannot be negative"),
    ("[commission]", "[commission\n", "the plan is not valid TOML"),
    ("rate = 5 }", "rate = 5, rat = 1 }", "is not a field a plan has"),
    ("base_salary = 80000", "base_salary = 1e29", "the base salary is too large"),
    ("amount = 1000000", "amount = 1e40", "the quota is too large"),
    ("multiplier = 1.2 }", "multiplier = 1e30 }", "the multiplier is too large"),
    ("amount = 3000", "amount = 3e20", "the amount is too large"),
]


@pytest.fixture
def team(workspace: Workspace) -> Workspace:
    """Anna (the head, at this keyboard), Igor (an account manager) and a client of each."""
    load_plugin(bonus, workspace, "bonus_calculator")
    members = workspace.repo(Member)
    anna = members.add(Member(name="Анна Смирнова", role="head", login=os_user()))
    igor = members.add(Member(name="Игорь Волков", role="account_manager", login="igor"))
    clients = workspace.repo(Client)
    clients.add(Client(name="ООО «Ромашка»", owner_id=anna.id))
    clients.add(Client(name="Atlas Fitness", kind="b2c", owner_id=igor.id))
    return workspace


def member_id(workspace: Workspace, name: str) -> str:
    return workspace.repo(Member).resolve(name).id


def client_id(workspace: Workspace, name: str) -> str:
    return workspace.repo(Client).resolve(name).id


def good_plan(workspace: Workspace) -> str:
    return GOOD_PLAN


@pytest.mark.parametrize(("old", "new", "message"), BAD_PLANS)
def test_a_bad_plan_is_refused_and_nothing_is_stored(team: Workspace, old: str, new: str,
                                                     message: str) -> None:
    text = good_plan(team)
    assert old in text
    before = snapshot_files(team.root)
    with pytest.raises(plan_file.PlanFileError) as refused:
        store.save_plan(team, text.replace(old, new, 1))
    assert message in str(refused.value)
    assert snapshot_files(team.root) == before


def test_a_plan_in_another_currency_than_the_deals_is_refused(team: Workspace) -> None:
    anna = member_id(team, "Анна Смирнова")
    team.repo(Deal).add(Deal(client_id=client_id(team, "ООО «Ромашка»"), title="Export",
                             amount=Money(amount=D(2_000), currency="USD"), owner_id=anna,
                             status="negotiation"))
    before = snapshot_files(team.root)
    with pytest.raises(plan_file.PlanFileError) as refused:
        store.save_plan(team, good_plan(team))
    assert str(refused.value).startswith("currency: the plan pays in RUB but the deal "
                                         "«Export» of Анна Смирнова is in USD")
    assert snapshot_files(team.root) == before


def test_a_plan_file_reads_back_to_the_same_plan(team: Workspace) -> None:
    saved, new = store.save_plan(team, good_plan(team))
    assert new
    snapshot = facts_module.read_snapshot(team)
    again = plan_file.read_plan(plan_file.write_plan(saved, snapshot.members), snapshot.members,
                                keep_id=saved.id)
    fields = ("member_id", "valid_from", "base_salary", "commission", "quota", "kpis",
              "overtime")
    assert {name: getattr(again, name) for name in fields} == {
        name: getattr(saved, name) for name in fields}
    assert saved.quota.bands[2].multiplier == D("1.2")  # read as a decimal, not a float


def test_saving_replaces_the_plan_of_the_same_month_and_adds_a_later_one(
        team: Workspace) -> None:
    first, _new = store.save_plan(team, good_plan(team))
    again, new = store.save_plan(team, good_plan(team).replace("80000", "85000"))
    assert (again.id, new, again.base_salary, again.rev) == (first.id, False, D(85000), 2)
    later, new = store.save_plan(team, good_plan(team).replace("2026-09-01", "2026-11-01"))
    assert new and later.id != first.id
    snapshot = facts_module.read_snapshot(team)
    anna = member_id(team, "Анна Смирнова")
    assert snapshot.plan_for(anna, OCT).id == first.id
    assert snapshot.plan_for(anna, NOV).id == later.id
    assert snapshot.plan_for(anna, Period(2026, 8)) is None


def test_the_audit_says_a_plan_changed_never_the_amounts(team: Workspace) -> None:
    store.save_plan(team, good_plan(team))
    store.save_plan(team, good_plan(team).replace("80000", "91234"))
    audit = [json.loads(line) for line in
             (team.root / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    changes = [line for line in audit if line["table"] == "bonus_plans"]
    assert [(line["action"], line["fields"]) for line in changes] == [
        ("add", []), ("update", ["base_salary"])]
    text = (team.root / "audit.jsonl").read_text(encoding="utf-8")
    assert "91234" not in text and "80000" not in text


def test_only_the_head_changes_plans(team: Workspace) -> None:
    anna = team.repo(Member).resolve("Анна Смирнова")
    team.repo(Member).update(anna.model_copy(update={"role": Role.KAM}))
    before = snapshot_files(team.root)
    with pytest.raises(statements.NotAllowed, match="only the head changes plans; you are kam"):
        store.save_plan(team, good_plan(team))
    assert snapshot_files(team.root) == before


# Statements from the workspace: locking, adjustments, clawback -------------------------------

PLAN_FOR_IGOR = """
name = "B2C"
member = "igor"
valid_from = 2026-09-01
base_salary = 40000
[commission]
tiers = [{ from = 0, rate = 10 }]
"""


@pytest.fixture
def igor_with_deals(team: Workspace) -> Workspace:
    store.save_plan(team, PLAN_FOR_IGOR)
    atlas = client_id(team, "Atlas Fitness")
    igor = member_id(team, "Игорь Волков")
    team.repo(Deal).add_many([
        Deal(client_id=atlas, title="Годовой абонемент", amount=Money(amount=D(300_000)),
             status="won", signed_on=date(2026, 9, 10), owner_id=igor),
        Deal(client_id=atlas, title="Fitness app", amount=Money(amount=D(100_000)),
             status="won", signed_on=date(2026, 9, 20)),  # no owner: the client's owner
        Deal(client_id=atlas, title="Корпоратив", amount=Money(amount=D(50_000)),
             status="won", signed_on=date(2026, 10, 2), owner_id=igor),
    ])
    return team


def statement(workspace: Workspace, name: str, period: Any) -> Any:
    snapshot = facts_module.read_snapshot(workspace)
    return statements.compute_statement(snapshot, member_id(workspace, name), period)


def summary(result: Any) -> list[tuple[str, str, Decimal]]:
    return [(line.kind, line.source, line.amount) for line in result.lines]


def test_a_locked_statement_never_changes_and_changes_become_adjustments(
        igor_with_deals: Workspace, clock: StillClock) -> None:
    team = igor_with_deals
    igor = member_id(team, "Игорь Волков")
    september = statement(team, "Игорь Волков", SEP)
    assert september.total == D("80000.00")  # 40 000 + 30 000 + 10 000
    locked = statements.lock_statement(team, igor, SEP)
    assert (locked.total, locked.locked_by) == (D("80000.00"), os_user())
    app_deal = team.repo(Deal).resolve("Fitness app")
    clock.advance(minutes=5)
    team.repo(Deal).update(app_deal.model_copy(update={"amount": Money(amount=D(120_000))}))
    assert statement(team, "Игорь Волков", SEP).total == D("80000.00")  # locked: as paid
    october = statement(team, "Игорь Волков", OCT)
    assert summary(october) == [
        ("base", "Base salary", D("40000.00")),
        ("commission", "«Корпоратив» · Atlas Fitness", D("5000.00")),
        ("adjustment", "Adjustment 2026-09: «Fitness app» · Atlas Fitness", D("2000.00"))]
    assert "paid RUB\u00a010,000.00 for this in 2026-09 (locked)" in october.lines[2].detail


def test_clawback_of_a_deal_lost_after_it_was_paid(igor_with_deals: Workspace,
                                                   clock: StillClock) -> None:
    team = igor_with_deals
    igor = member_id(team, "Игорь Волков")
    statements.lock_statement(team, igor, SEP)
    big = team.repo(Deal).resolve("Годовой абонемент")
    team.repo(Deal).update(big.model_copy(update={"status": DealStatus.LOST}))
    october = statement(team, "Игорь Волков", OCT)
    clawback = [line for line in october.lines if line.kind == "clawback"]
    assert [(line.source, line.amount, line.adjusts) for line in clawback] == [
        ("Clawback 2026-09: «Годовой абонемент» · Atlas Fitness", D("-30000.00"), "2026-09")]
    assert "«Годовой абонемент» is now lost" in clawback[0].detail
    assert october.total == D("15000.00")  # 40 000 + 5 000 − 30 000
    statements.lock_statement(team, igor, OCT)
    november = statement(team, "Игорь Волков", NOV)
    assert [line.kind for line in november.lines] == ["base"]  # clawed back once only


def test_adjustments_go_to_the_month_after_the_last_locked(igor_with_deals: Workspace) -> None:
    team = igor_with_deals
    statements.lock_statement(team, member_id(team, "Игорь Волков"), SEP)
    big = team.repo(Deal).resolve("Годовой абонемент")
    team.repo(Deal).update(big.model_copy(update={"status": DealStatus.LOST}))
    november = statement(team, "Игорь Волков", NOV)
    assert not [line for line in november.lines if line.adjusts]
    assert "adjustments to locked months come in 2026-10" in " ".join(november.notes)


@pytest.mark.parametrize(("period", "message"), [
    (NOV, "2026-11 has not ended yet"),
    (Period(2026, 8), "has no plan in 2026-08"),
])
def test_what_cannot_be_locked(igor_with_deals: Workspace, period: Any, message: str) -> None:
    before = snapshot_files(igor_with_deals.root)
    with pytest.raises(Exception, match=message):
        statements.lock_statement(igor_with_deals, member_id(igor_with_deals, "Игорь Волков"),
                                  period)
    assert snapshot_files(igor_with_deals.root) == before


def test_months_are_locked_in_order_once(igor_with_deals: Workspace,
                                         clock: StillClock) -> None:
    team = igor_with_deals
    igor = member_id(team, "Игорь Волков")
    statements.lock_statement(team, igor, OCT)
    with pytest.raises(Exception, match="2026-10 of Игорь Волков is locked already"):
        statements.lock_statement(team, igor, OCT)
    clock.advance(days=40)
    with pytest.raises(Exception, match="the last locked is 2026-10, so the next to lock is "
                                        "2026-11"):
        statements.lock_statement(team, igor, Period(2026, 12))


def test_only_the_head_locks(igor_with_deals: Workspace) -> None:
    anna = igor_with_deals.repo(Member).resolve("Анна Смирнова")
    igor_with_deals.repo(Member).update(anna.model_copy(update={"role": Role.KAM}))
    with pytest.raises(statements.NotAllowed, match="only the head locks statements"):
        statements.lock_statement(igor_with_deals, member_id(igor_with_deals, "Игорь Волков"),
                                  SEP)


def test_answered_in_time_is_measured_from_the_inbox(team: Workspace, clock: StillClock) -> None:
    store.save_plan(team, PLAN_FOR_IGOR + '[[kpi]]\nkind = "answered_in_time"\ntarget = 50\n'
                                          'amount = 1000\n')
    atlas = client_id(team, "Atlas Fitness")
    due = clock() - timedelta(days=1)
    messages = team.repo(Message)
    messages.add_many([
        # answered by a reply an hour after it came: in time
        Message(client_id=atlas, text="Когда отчёт?", received_at=due - timedelta(hours=3),
                answer_by=due, status="done"),
        Message(client_id=atlas, text="Отправили", direction="outgoing", kind="reply",
                received_at=due - timedelta(hours=2), status="done"),
        # still waiting, past its time: late
        Message(client_id=atlas, text="А счёт?", kind="request", status="waiting_on_us",
                received_at=due - timedelta(minutes=30), answer_by=due + timedelta(minutes=1)),
        # due tomorrow and not answered yet: not counted
        Message(client_id=atlas, text="Жалоба", kind="complaint", status="new",
                received_at=clock(), answer_by=clock() + timedelta(days=1)),
    ])
    line = next(line for line in statement(team, "Игорь Волков", NOV).lines
                if line.kind == "kpi")
    assert (line.basis, line.amount) == (D("50.0"), D("1000.00"))
    assert line.detail.startswith("1 of 2 messages due in 2026-11 were answered in time")


# Privacy -------------------------------------------------------------------------------------

def test_a_member_sees_only_their_own_statements(team: Workspace) -> None:
    anna = team.repo(Member).resolve("Анна Смирнова")
    snapshot = facts_module.read_snapshot(team)
    assert [member.name for member in statements.visible_members(snapshot)] == [
        "Анна Смирнова", "Игорь Волков"]
    team.repo(Member).update(anna.model_copy(update={"role": Role.ACCOUNT_MANAGER}))
    snapshot = facts_module.read_snapshot(team)
    assert [member.name for member in statements.visible_members(snapshot)] == [
        "Анна Смирнова"]
    with pytest.raises(statements.NotAllowed, match="may see only your own statements"):
        statements.check_may_see(snapshot, member_id(team, "Игорь Волков"))
    statements.check_may_see(snapshot, anna.id)


def test_someone_who_is_not_a_member_sees_nothing(team: Workspace) -> None:
    anna = team.repo(Member).resolve("Анна Смирнова")
    team.repo(Member).update(anna.model_copy(update={"login": "someone-else"}))
    snapshot = facts_module.read_snapshot(team)
    assert statements.visible_members(snapshot) == []
    with pytest.raises(statements.NotAllowed, match=r"you \(.+\) are not a member"):
        statements.check_may_see(snapshot, anna.id)


# What-if and "what it is worth to me" --------------------------------------------------------

def test_what_if_changes_a_copy_only(igor_with_deals: Workspace) -> None:
    team = igor_with_deals
    snapshot = facts_module.read_snapshot(team)
    igor = member_id(team, "Игорь Волков")
    corporate = team.repo(Deal).resolve("Корпоратив").id
    before = snapshot_files(team.root)
    now = statements.compute_statement(snapshot, igor, OCT)
    then = statements.compute_statement(snapshot, igor, OCT, whatif.WhatIf(
        deal_amounts={corporate: D(80_000)}, tier_rates={0: D(12)}))
    assert (now.total, then.total) == (D("45000.00"), D("49600.00"))  # 40 000 + 12% × 80 000
    assert [(item.source, item.change) for item in whatif.compare(now.lines, then.lines)
            if item.change] == [("«Корпоратив» · Atlas Fitness", D("4600.00"))]
    assert snapshot_files(team.root) == before
    assert statements.compute_statement(snapshot, igor, OCT).total == D("45000.00")
    with pytest.raises(ValueError, match="the rate cannot be negative"):
        statements.compute_statement(snapshot, igor, OCT,
                                     whatif.WhatIf(tier_rates={0: D(-1)}))


def test_the_client_card_says_what_an_open_deal_is_worth(team: Workspace) -> None:
    store.save_plan(team, good_plan(team))
    romashka = client_id(team, "ООО «Ромашка»")
    team.repo(Deal).add(Deal(client_id=romashka, title="SEO на год",
                             amount=Money(amount=D(600_000)), status="negotiation"))
    section = views.worth_section(team, romashka)
    assert section is not None and section.title == "What it is worth to me"
    # 12% of 500 000 + 5% of 100 000 = 65 000, and 60% of the quota: ×1, no accelerator change
    assert section.lines == [
        "«SEO на год» RUB\u00a0600,000.00: +RUB\u00a065,000.00 for Анна Смирнова "
        "if won in 2026-11",
        "    commission +RUB\u00a065,000.00"]
    anna = team.repo(Member).resolve("Анна Смирнова")
    team.repo(Member).update(anna.model_copy(update={"login": "not-me"}))
    assert views.worth_section(team, romashka) is None  # not the owner's, nor the head's


def test_today_shows_my_quota(team: Workspace, clock: StillClock) -> None:
    store.save_plan(team, good_plan(team))
    team.repo(Deal).add(Deal(client_id=client_id(team, "ООО «Ромашка»"), title="SEO",
                             amount=Money(amount=D(400_000)), status="won",
                             signed_on=date(2026, 11, 3)))
    entries = views.agenda_entries(team, clock())
    assert [(entry.title, entry.detail) for entry in entries] == [
        ("Quota November 2026: 40% reached",
         "RUB\u00a0400,000.00 of RUB\u00a01,000,000.00; ×1 from 50%: RUB\u00a0100,000.00 to go"),
        ("October 2026 statements to lock: 1", "once paid; Bonus pane, l: Анна Смирнова")]


@pytest.mark.parametrize(("quota", "title", "sold"), [
    ('period = "month"', "Quota November 2026: 15% reached", "RUB\u00a0150,000.00"),
    ('period = "quarter"', "Quota Q4 2026: 25% reached", "RUB\u00a0250,000.00")])
def test_today_asks_the_index_for_the_deals_won_in_the_quota_period(
        team: Workspace, clock: StillClock, monkeypatch: pytest.MonkeyPatch, quota: str,
        title: str, sold: str) -> None:
    """Won deals signed in the month (or the quarter so far) count: the member's own and
    those with no owner of their clients; not another's, not one still open, not one of
    another month."""
    store.save_plan(team, good_plan(team).replace("[quota]\n", f"[quota]\n{quota}\n"))
    anna, igor = member_id(team, "Анна Смирнова"), member_id(team, "Игорь Волков")
    romashka, atlas = client_id(team, "ООО «Ромашка»"), client_id(team, "Atlas Fitness")
    team.repo(Deal).add_many([
        Deal(client_id=romashka, title=title, amount=Money(amount=D(amount)), status=status,
             owner_id=owner, signed_on=signed_on)
        for title, amount, status, owner, signed_on in [
            ("Ноябрь", 100_000, "won", anna, date(2026, 11, 3)),
            ("Без владельца", 50_000, "won", None, date(2026, 11, 30)),
            ("Октябрь", 100_000, "won", anna, date(2026, 10, 31)),
            ("Сентябрь", 100_000, "won", anna, date(2026, 9, 30)),
            ("Декабрь", 100_000, "won", anna, date(2026, 12, 1)),
            ("Переговоры", 100_000, "negotiation", anna, date(2026, 11, 10)),
            ("Игоря", 100_000, "won", igor, date(2026, 11, 5))]])
    team.repo(Deal).add(Deal(client_id=atlas, title="Клиент Игоря", status="won",
                             amount=Money(amount=D(100_000)), signed_on=date(2026, 11, 6)))

    def quota_line() -> tuple[str, str]:
        entry = views.agenda_entries(team, clock())[0]
        return (entry.title, entry.detail.partition(";")[0])

    expected = (title, f"{sold} of RUB\u00a01,000,000.00")
    assert quota_line() == expected  # the first question makes the copy of the deals
    for table in ("deals", "clients", "bonus_time_entries"):
        for name in ("scan", "stored"):
            monkeypatch.setattr(team.file(table), name,
                                lambda table=table: pytest.fail(f"{table} read through"))
    facts_module.forget_recent("deals")
    assert quota_line() == expected


def test_the_market_reference(team: Workspace) -> None:
    assert market.position(D(20_000), "RUB", market.DEFAULT_MARKET, "b2c", "regions").text == (
        "B2C regions 15,000–30,000 RUB: in range, 33% of the way up")
    assert market.position(D(10_000), "RUB", market.DEFAULT_MARKET, "b2c", "Moscow").text == (
        "B2C Moscow 15,000–50,000 RUB: below range by RUB\u00a05,000.00")
    assert market.position(D(400_000), "RUB", market.DEFAULT_MARKET, "b2b", "moscow").text == (
        "B2B Moscow 20,000–300,000 RUB: above range by RUB\u00a0100,000.00")
    assert "not comparable" in market.position(D(1), "USD", market.DEFAULT_MARKET, "b2b",
                                               "regions").text


def test_market_ranges_are_edited_in_workspace_toml(team: Workspace) -> None:
    config = team.root / "workspace.toml"
    config.write_text(config.read_text(encoding="utf-8") + (
        '\n[bonus]\nregion = "Kazan"\n[[bonus.market]]\nsegment = "b2b"\nregion = "Kazan"\n'
        'low = 30000\nhigh = 90000\n'), encoding="utf-8")
    reopened = Workspace.open(team.root, clock=team.clock)
    load_plugin(bonus, reopened, "bonus_calculator")
    store.save_plan(reopened, good_plan(reopened))
    result = statement(reopened, "Анна Смирнова", OCT)  # 80 000 + 3 000: 53/60 of the way
    assert result.market.text == "B2B Kazan 30,000–90,000 RUB: in range, 88% of the way up"


# The command line ----------------------------------------------------------------------------

def cli(workspace: Workspace, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str,
                                                                                   str]:
    from amtui.cli import main

    monkeypatch.setenv("AMTUI_LOAD_PLUGINS", "bonus_calculator")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main([*args, "--workspace", str(workspace.root)])
    return status, out.getvalue(), err.getvalue()


def test_cli_statement_in_every_format(igor_with_deals: Workspace,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = cli(igor_with_deals, "bonus", "statement", "--member", "igor",
                           "--period", "2026-09", "--format", "json", monkeypatch=monkeypatch)
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert (data["total"], [line["amount"] for line in data["lines"]]) == (
        "80000.00", ["40000.00", "30000.00", "10000.00"])
    status, out, _err = cli(igor_with_deals, "bonus", "statement", "--member", "Игорь Волков",
                            "--period", "2026-09", "--format", "csv", monkeypatch=monkeypatch)
    assert out.splitlines()[-1] == "2026-09,Игорь Волков,total,,,,,80000.00,RUB,,"
    status, out, _err = cli(igor_with_deals, "bonus", "statement", "--member", "igor",
                            "--period", "2026-09", monkeypatch=monkeypatch)
    assert "**Total: RUB\u00a080,000.00**" in out
    assert "| «Годовой абонемент» · Atlas Fitness | 300,000 RUB | 10% | 30,000.00 |" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--member", "nobody", "--period", "2026-10"], "no member named 'nobody'"),
    (["--member", "igor", "--period", "2026-13"], "'2026-13' is not a month: use YYYY-MM"),
])
def test_cli_bad_input_is_one_line_and_status_2(igor_with_deals: Workspace, args: list[str],
                                                message: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = cli(igor_with_deals, "bonus", "statement", *args,
                           monkeypatch=monkeypatch)
    assert (status, out) == (2, "")
    assert message in err and len(err.strip().splitlines()) == 1


def test_cli_refuses_another_members_statement(igor_with_deals: Workspace,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    anna = igor_with_deals.repo(Member).resolve("Анна Смирнова")
    igor_with_deals.repo(Member).update(anna.model_copy(update={"role": Role.KAM}))
    status, out, err = cli(igor_with_deals, "bonus", "statement", "--member", "igor",
                           monkeypatch=monkeypatch)
    assert (status, out) == (2, "")
    assert "may see only your own statements" in err


def test_cli_plan_set_lock_and_hours(team: Workspace, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN_FOR_IGOR + "[overtime]\nhourly_rate = 400\n", encoding="utf-8")
    status, out, err = cli(team, "bonus", "plan", "set", str(plan), monkeypatch=monkeypatch)
    assert (status, err) == (0, "") and out.startswith("added plan ")
    status, out, err = cli(team, "bonus", "hours", "--member", "igor", "--day", "2026-10-17",
                           "--start", "10:00", "--end", "13:00", "--client", "Atlas Fitness",
                           monkeypatch=monkeypatch)
    assert (status, err) == (0, "")
    status, out, err = cli(team, "bonus", "lock", "--member", "igor", "--period", "2026-10",
                           monkeypatch=monkeypatch)
    assert (status, out) == (0, "locked 2026-10 of Игорь Волков: RUB\u00a041,800.00\n")
    status, out, err = cli(team, "bonus", "plan", "show", "--member", "igor",
                           monkeypatch=monkeypatch)
    assert 'member = "igor"' in out and "hourly_rate = 400" in out
    before = snapshot_files(team.root)
    status, out, err = cli(team, "bonus", "hours", "--day", "2026-10-17", "--start", "13:00",
                           "--end", "10:00", monkeypatch=monkeypatch)
    assert status == 2 and "ends (10:00) before it starts (13:00)" in err
    assert snapshot_files(team.root) == before


def test_the_demo_fills_plans_hours_and_locked_months(workspace: Workspace) -> None:
    from amtui.services.demo import fill_demo

    host = load_plugin(bonus, workspace, "bonus_calculator")
    fill_demo(workspace, "small", 3)
    said: list[str] = []
    host.fill_demo(workspace, "small", 3, said.append)
    assert host.plugins["bonus_calculator"].status == "loaded", host.plugins
    snapshot = facts_module.read_snapshot(workspace)
    assert len(snapshot.plans) == 4
    assert sum(len(months) for months in snapshot.locked.values()) == 30  # 6 members × 5
    me = statements.viewer_of(snapshot)
    assert me is not None and me.role == "head"
    for member in snapshot.members.values():
        result = statements.compute_statement(snapshot, member.id, NOV)
        assert result.total == engine.total(result.lines) and result.plan is not None
    assert any("locking 30 statements" in line for line in said)


def test_importing_the_plugin_is_cheap_and_its_commands_need_no_textual(
        igor_with_deals: Workspace) -> None:
    import subprocess

    code = "\n".join([
        "import importlib.util, json, sys",
        f"spec = importlib.util.spec_from_file_location('bonus_calculator', "
        f"{str(PLUGIN / '__init__.py')!r}, submodule_search_locations=[{str(PLUGIN)!r}])",
        "module = importlib.util.module_from_spec(spec)",
        "sys.modules['bonus_calculator'] = module",
        "spec.loader.exec_module(module)",
        "heavy = {'textual', 'pydantic', 'rich'}",
        "on_import = sorted(heavy & {name.split('.')[0] for name in sys.modules})",
        "from amtui.cli import main",
        "status = main(['bonus', 'statement', '--member', 'igor', '--period', '2026-09',",
        f"               '--workspace', {str(igor_with_deals.root)!r}])",
        "after = sorted(heavy & {name.split('.')[0] for name in sys.modules})",
        "print('RESULT', json.dumps([on_import, status, after]))",
    ])
    env = {**os.environ, "AMTUI_LOAD_PLUGINS": "bonus_calculator", "PYTHONIOENCODING": "utf-8"}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    on_import, status, after = json.loads(ran.stdout.rsplit("RESULT ", 1)[1])
    assert on_import == []  # the app imports it before its first screen
    assert status == 0 and "**Total: RUB\u00a080,000.00**" in ran.stdout
    assert "textual" not in after and "pydantic" in after


def test_a_save_in_this_process_is_seen_at_once(igor_with_deals: Workspace,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots are kept between reads while the files are unchanged; a save in this
    process is seen at once even if the files' signatures could not tell (two saves of the
    same size within one clock tick, on a reused inode)."""
    monkeypatch.setattr(facts_module, "data_version", lambda workspace: ("unchanged",))
    assert statement(igor_with_deals, "Игорь Волков", OCT).total == D("45000.00")
    corporate = igor_with_deals.repo(Deal).resolve("Корпоратив")
    igor_with_deals.repo(Deal).update(corporate.model_copy(
        update={"amount": Money(amount=D(60_000))}))  # 50000 → 60000: the same length
    assert statement(igor_with_deals, "Игорь Волков", OCT).total == D("46000.00")


async def test_the_panes_keys_are_shown_in_the_language_in_use(team: Workspace) -> None:
    """Its keys' words, made in English when the module was imported, are shown from the
    plugin's catalogue: in the key bar, in help and as palette commands."""
    from textual.widgets import Static

    from amtui.i18n import use_locale
    from amtui.testing import settle
    from amtui.ui.app import AmtuiApp
    from amtui.ui.widgets.keybar import KeyBar

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(team, pane="bonus", plugins=load_plugin(bonus, team, "bonus_calculator"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert " Часы " in str(app.screen.query_one(KeyBar).render())
        helps = {command.title.rpartition(": ")[2]: command.help
                 for command in app.get_system_commands(app.screen)}
        assert helps["часы"] == ("Записать отработанные часы; вне рабочего времени это "
                                 "переработка (h)")
        await pilot.press("question_mark")
        await settle(pilot)
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert "Часы" in shown and "Hours" not in shown
