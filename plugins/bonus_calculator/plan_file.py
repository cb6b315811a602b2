"""Plans as TOML, the format of ``workspace.toml``: read (checked as a whole) and written.

Numbers are read as exact decimals (``1.2`` is 1.2, not a float near it).
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .i18n import N_, _
from .money import number
from .plan import KPI_KINDS, Plan, describe_plan_error

if TYPE_CHECKING:
    from .facts import MemberInfo

KEYS = ("name", "member", "role", "valid_from", "currency", "base_salary", "market_segment",
        "market_region", "commission", "quota", "kpi", "overtime")
"""The keys a plan file has, in the order they are written."""


KEY_WORDS = {
    "name": N_("plan name"), "member": N_("member: login or name"), "role": N_("role"),
    "valid_from": N_("valid from"), "currency": N_("currency"),
    "base_salary": N_("salary a month"), "market_segment": N_("market segment"),
    "market_region": N_("market region"), "commission": N_("commission on deals"),
    "basis": N_("counted by"), "mode": N_("how tiers apply"), "cap_per_deal": N_("cap per deal"),
    "cap_per_month": N_("cap per month"), "tiers": N_("tiers"), "quota": N_("sales quota"),
    "amount": N_("amount"), "period": N_("period"), "bands": N_("bands"), "kpi": N_("KPI"),
    "kind": N_("kind"), "target": N_("target"), "percent_of_base": N_("percent of salary"),
    "overtime": N_("overtime"), "coefficient": N_("coefficient"),
    "hourly_rate": N_("hourly rate"), "hours_per_month": N_("working hours a month"),
    "working_hours": N_("working hours"),
}
"""What each key of a plan file means, said in a comment beside it in a language other than
English (the keys are the file's format: the same in every language)."""

_KEY_LINE = re.compile(r'(?P<key>\w+) = (?P<value>(?:"(?:[^"\\]|\\.)*"|[^#"])*?)'
                       r'\s*(?:# (?P<comment>.*))?')
_SECTION_LINE = re.compile(r"\[\[?(?P<key>\w+)\]\]?")


def annotated(text: str) -> str:
    """``text``, a plan file, with each key's meaning in a comment beside it where the
    language in use has its own words for it; comments already there follow them."""
    lines = []
    for line in text.split("\n"):
        match = _KEY_LINE.fullmatch(line) or _SECTION_LINE.fullmatch(line)
        word = KEY_WORDS.get(match["key"]) if match else None
        meaning = _(word) if word else None
        if word and meaning != word:
            comment = match.groupdict().get("comment")  # type: ignore[union-attr]
            if comment:
                start = match.start("comment")
                line = f"{line[:start]}{meaning}: {comment}"
            else:
                line = f"{line}  # {meaning}"
        lines.append(line)
    return "\n".join(lines)


class PlanFileError(ValueError):
    """The plan file cannot be stored as it is; the message says what to change."""


def read_plan(text: str, members: dict[str, MemberInfo], *, keep_id: str | None = None) -> Plan:
    """The plan in ``text``. ``member`` may name a member by login, name or id.
    Raises PlanFileError saying what is wrong; nothing is stored here."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise PlanFileError(_("the plan is not valid TOML: {error}").format(error=error)) from None
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        raise PlanFileError(_("{unknown}: is not a field a plan has (fields: {join})").format(
            unknown=unknown[0], join=', '.join(KEYS)))
    if "valid_from" not in data:
        raise PlanFileError(_("valid from: is required: say from which month the plan applies, "
                            "e.g. valid_from = 2026-10-01"))
    fields: dict[str, Any] = {key: value for key, value in data.items()
                              if key not in ("member", "kpi")}
    if "member" in data:
        fields["member_id"] = _member_id(str(data["member"]), members)
    fields["kpis"] = data.get("kpi", [])
    if keep_id:
        fields["id"] = keep_id
    try:
        return Plan.model_validate(fields)
    except ValidationError as error:
        raise PlanFileError(describe_plan_error(error)) from None


def _member_id(wanted: str, members: dict[str, MemberInfo]) -> str:
    if wanted in members:
        return wanted
    folded = wanted.strip().casefold()
    for matches in ([m for m in members.values() if m.login and m.login.casefold() == folded],
                    [m for m in members.values() if m.name.casefold() == folded]):
        if len(matches) == 1:
            return matches[0].id
        if matches:
            raise PlanFileError(_("member: {count} members are named {wanted!r}; name one by "
                                  "login or id").format(count=len(matches), wanted=wanted))
    names = ", ".join(sorted(member.name for member in members.values())[:12])
    raise PlanFileError(_("member: no member named {wanted!r} (members: {value})").format(
        wanted=wanted, value=names or 'none'))


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral_value() else value, "f")
    if isinstance(value, int | date):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return '"' + _ESCAPED.sub(_escape, str(value)) + '"'


_ESCAPED = re.compile('["\\\\\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029'
                      '\u202a-\u202e\u2066-\u2069]')
"""What a TOML string shows as an escape: the quote and backslash, which TOML requires, and
the control characters but tab, which TOML requires for C0 and a terminal showing the file
needs for the rest."""


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    return "\\" + character if character in '"\\' else f"\\u{ord(character):04x}"


def _table(pairs: list[tuple[str, Any]]) -> str:
    return "{ " + ", ".join(f"{key} = {_value(value)}" for key, value in pairs
                            if value is not None) + " }"


def write_plan(plan: Plan, members: dict[str, MemberInfo]) -> str:
    """The plan as a TOML file that :func:`read_plan` reads back to the same plan, each key
    explained in the language in use (:func:`annotated`)."""
    out = [_("# Compensation plan. Checked as a whole when saved; see docs/bonus.md."),
           f"name = {_value(plan.name)}"]
    if plan.member_id:
        member = members.get(plan.member_id)
        who = member.login or member.name if member else plan.member_id
        out.append(f"member = {_value(who)}")
    else:
        out.append(f"role = {_value(plan.role)}")
    out += [f"valid_from = {plan.valid_from}      # " + _("the first day of a month"),
            f"currency = {_value(plan.currency)}",
            f"base_salary = {_value(plan.base_salary)}"]
    if plan.market_segment:
        out.append(f"market_segment = {_value(plan.market_segment)}")
    if plan.market_region:
        out.append(f"market_region = {_value(plan.market_region)}")
    commission = plan.commission
    if commission is not None:
        out += ["", "[commission]",
                f"basis = {_value(commission.basis)}        # " + _("signed or paid"),
                f"mode = {_value(commission.mode)}        # " + _("marginal or whole_deal")]
        if commission.cap_per_deal is not None:
            out.append(f"cap_per_deal = {_value(commission.cap_per_deal)}")
        if commission.cap_per_month is not None:
            out.append(f"cap_per_month = {_value(commission.cap_per_month)}")
        out.append("tiers = [                  # " + _("percent; a tier's `to` belongs to it"))
        out += [f"  {_table([('from', tier.start), ('to', tier.end), ('rate', tier.rate)])},"
                for tier in commission.tiers]
        out.append("]")
    quota = plan.quota
    if quota is not None:
        out += ["", "[quota]", f"amount = {_value(quota.amount)}",
                f"period = {_value(quota.period)}        # " + _("month or quarter"),
                "bands = [                  # "
                + _("attainment in percent; a band starts at its from")]
        out += [f"  {_table([('from', band.start), ('multiplier', band.multiplier)])},"
                for band in quota.bands]
        out.append("]")
    for kpi in plan.kpis:
        out += ["", "[[kpi]]", f"kind = {_value(kpi.kind)}   # {_(KPI_KINDS[kpi.kind])}",
                f"target = {_value(kpi.target)}"]
        if kpi.amount is not None:
            out.append(f"amount = {_value(kpi.amount)}")
        if kpi.percent_of_base is not None:
            out.append(f"percent_of_base = {_value(kpi.percent_of_base)}")
    overtime = plan.overtime
    if overtime is not None:
        hours = overtime.working_hours
        out += ["", "[overtime]", f"coefficient = {_value(overtime.coefficient)}"]
        if overtime.hourly_rate is not None:
            out.append(f"hourly_rate = {_value(overtime.hourly_rate)}")
        shown = _table([("start", f"{hours.start:%H:%M}"), ("end", f"{hours.end:%H:%M}"),
                        ("weekdays", hours.weekdays)])
        out += [f"hours_per_month = {_value(overtime.hours_per_month)}",
                f"working_hours = {shown}"]
    return annotated("\n".join(out) + "\n")


def template(member: MemberInfo, valid_from: date, currency: str) -> str:
    """A starting plan for a member who has none: every component, with example values, each
    key explained in the language in use (:func:`annotated`)."""
    text = _("""# Compensation plan for {name}. F2 saves it; nothing is saved while it has a
# problem. Every component is explained in docs/bonus.md.
name = "{name} {year}"
member = {member}
valid_from = {valid_from}      # the first day of a month
currency = "{currency}"
base_salary = 60000

[commission]
basis = "signed"        # signed or paid: the month a deal counts in
mode = "marginal"       # marginal or whole_deal
cap_per_deal = 150000
tiers = [               # percent; a tier's `to` belongs to it
  {{ from = 0, to = 500000, rate = 12 }},
  {{ from = 500000, rate = 5 }},
]

[quota]
amount = 1000000
period = "month"        # month or quarter
bands = [               # attainment in percent; a band starts at its from
  {{ from = 0, multiplier = 0 }},
  {{ from = 50, multiplier = 1 }},
  {{ from = 100, multiplier = 1.2 }},
  {{ from = 150, multiplier = 1.5 }},
]

[[kpi]]
kind = "answered_in_time"   # share of client messages answered in time, percent
target = 90
amount = 5000

[[kpi]]
kind = "no_complaints"      # at most this many complaints
target = 0
percent_of_base = 5

[overtime]
coefficient = 1.5
hours_per_month = 168
working_hours = {{ start = "10:00", end = "19:00", weekdays = [0, 1, 2, 3, 4] }}
""")
    return annotated(text.format(name=member.name, year=valid_from.year,
                                 member=_value(member.login or member.id),
                                 valid_from=valid_from, currency=currency))


def describe(plan: Plan) -> str:
    """One line: what the plan pays."""
    parts = [_("base {number} {currency}").format(
        number=number(plan.base_salary), currency=plan.currency)]
    if plan.commission:
        rates = "/".join(f"{number(tier.rate)}%" for tier in plan.commission.tiers)
        parts.append(_("commission {rates} {replace}").format(
            rates=rates, replace=plan.commission.mode.replace('_', ' ')))
    if plan.quota:
        parts.append(_("quota {number}/{period}").format(
            number=number(plan.quota.amount), period=plan.quota.period))
    if plan.kpis:
        parts.append(_("{count} KPI").format(count=len(plan.kpis)))
    if plan.overtime:
        parts.append(_("overtime ×{number}").format(number=number(plan.overtime.coefficient)))
    return ", ".join(parts)
