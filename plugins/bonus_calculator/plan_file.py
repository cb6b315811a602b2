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
    from tomlkit.items import Array, InlineTable, Item

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


def _number(value: Decimal) -> Item:
    """An exact decimal as a TOML number written as it reads (``1.2``, never a float's
    digits); a whole one as an integer."""
    # lazy: tomlkit, only when a TOML file is written
    from tomlkit.items import Float, Integer, Trivia

    if value == value.to_integral_value():
        whole = int(value)
        return Integer(whole, Trivia(), str(whole))
    shown = format(value.normalize(), "f")
    return Float(float(value), Trivia(), shown)


def _item(value: Any, comment: str | None = None) -> Item:
    # lazy: orjson, loaded with the store
    from amtui.api import toml_value

    item = _number(value) if isinstance(value, Decimal) else toml_value(value)
    if comment:
        item.comment(comment)
        item.trivia.comment_ws = "  "
    return item


def _inline(pairs: list[tuple[str, Any]]) -> InlineTable:
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit

    table = tomlkit.inline_table()
    for key, value in pairs:
        if value is not None:
            table[key] = _item(value)
    body = table.value.body  # padded as people write it: { from = 0, rate = 12 }
    body[0][1].trivia.indent = " "
    body[-1][1].trivia.trail = " "
    return table


def _lines(rows: list[InlineTable], comment: str) -> Array:
    """An array written one row a line, ``comment`` above the rows."""
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit

    array = tomlkit.array()
    array.add_line(comment=comment, indent="  ")
    for row in rows:
        array.add_line(row, indent="  ")
    array.add_line(indent="")
    return array


def write_plan(plan: Plan, members: dict[str, MemberInfo]) -> str:
    """The plan as a TOML file that :func:`read_plan` reads back to the same plan, each key
    explained in the language in use (:func:`annotated`)."""
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit

    out = tomlkit.document()
    out.add(tomlkit.comment(_("Compensation plan. Checked as a whole when saved; see "
                              "docs/bonus.md.")))
    out["name"] = _item(plan.name)
    if plan.member_id:
        member = members.get(plan.member_id)
        out["member"] = _item(member.login or member.name if member else plan.member_id)
    else:
        out["role"] = _item(plan.role)
    out["valid_from"] = _item(plan.valid_from, _("the first day of a month"))
    out["currency"] = _item(plan.currency)
    out["base_salary"] = _item(plan.base_salary)
    for key in ("market_segment", "market_region"):
        if getattr(plan, key):
            out[key] = _item(getattr(plan, key))
    commission = plan.commission
    if commission is not None:
        table = tomlkit.table()
        table["basis"] = _item(commission.basis, _("signed or paid"))
        table["mode"] = _item(commission.mode, _("marginal or whole_deal"))
        for key in ("cap_per_deal", "cap_per_month"):
            if getattr(commission, key) is not None:
                table[key] = _item(getattr(commission, key))
        table["tiers"] = _lines(
            [_inline([("from", tier.start), ("to", tier.end), ("rate", tier.rate)])
             for tier in commission.tiers], _("percent; a tier's `to` belongs to it"))
        out["commission"] = table
    quota = plan.quota
    if quota is not None:
        table = tomlkit.table()
        table["amount"] = _item(quota.amount)
        table["period"] = _item(quota.period, _("month or quarter"))
        table["bands"] = _lines(
            [_inline([("from", band.start), ("multiplier", band.multiplier)])
             for band in quota.bands], _("attainment in percent; a band starts at its from"))
        out["quota"] = table
    if plan.kpis:
        kpis = tomlkit.aot()
        for kpi in plan.kpis:
            table = tomlkit.table()
            table["kind"] = _item(kpi.kind, _(KPI_KINDS[kpi.kind]))
            table["target"] = _item(kpi.target)
            for key in ("amount", "percent_of_base"):
                if getattr(kpi, key) is not None:
                    table[key] = _item(getattr(kpi, key))
            kpis.append(table)
        out["kpi"] = kpis
    overtime = plan.overtime
    if overtime is not None:
        hours = overtime.working_hours
        table = tomlkit.table()
        table["coefficient"] = _item(overtime.coefficient)
        if overtime.hourly_rate is not None:
            table["hourly_rate"] = _item(overtime.hourly_rate)
        table["hours_per_month"] = _item(overtime.hours_per_month)
        table["working_hours"] = _inline([("start", f"{hours.start:%H:%M}"),
                                          ("end", f"{hours.end:%H:%M}"),
                                          ("weekdays", hours.weekdays)])
        out["overtime"] = table
    return annotated(out.as_string())


def template(member: MemberInfo, valid_from: date, currency: str) -> str:
    """A starting plan for a member who has none: every component, with example values, each
    key explained in the language in use (:func:`annotated`)."""
    # lazy: tomlkit, only when a TOML file is written
    import tomlkit

    plan = tomlkit.parse(_(TEMPLATE))
    plan["name"] = _item(f"{member.name} {valid_from.year}")
    plan["member"] = _item(member.login or member.id)
    plan["valid_from"] = _item(valid_from)
    plan["currency"] = _item(currency)
    return annotated(plan.as_string())


TEMPLATE = N_("""# Compensation plan. F2 saves it; nothing is saved while it has a problem.
# Every component is explained in docs/bonus.md.
name = ""
member = ""
valid_from = 2026-01-01      # the first day of a month
currency = "RUB"
base_salary = 60000

[commission]
basis = "signed"        # signed or paid: the month a deal counts in
mode = "marginal"       # marginal or whole_deal
cap_per_deal = 150000
tiers = [               # percent; a tier's `to` belongs to it
  { from = 0, to = 500000, rate = 12 },
  { from = 500000, rate = 5 },
]

[quota]
amount = 1000000
period = "month"        # month or quarter
bands = [               # attainment in percent; a band starts at its from
  { from = 0, multiplier = 0 },
  { from = 50, multiplier = 1 },
  { from = 100, multiplier = 1.2 },
  { from = 150, multiplier = 1.5 },
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
working_hours = { start = "10:00", end = "19:00", weekdays = [0, 1, 2, 3, 4] }
""")
"""The starting plan; :func:`template` fills in its name, member, month and currency."""


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
