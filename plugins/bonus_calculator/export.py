"""A statement as Markdown, CSV or JSON: every line with its source, basis, rate and amount."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from .i18n import _
from .money import minor_unit, money, number

if TYPE_CHECKING:
    from .statements import Statement

FORMATS = ("md", "csv", "json")


def _md(text: str) -> str:
    """Text for a Markdown table cell: pipes and line breaks cannot break the table."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")


def markdown(statement: Statement) -> str:
    currency = statement.currency
    plan = statement.plan
    state = _("locked") if statement.locked else _("not locked")
    out = [_("# Statement {period}: {md}").format(
        period=statement.period, md=_md(statement.member.name)), "",
           _("Plan: {md} · {currency} · {state}").format(
               md=_md(plan.label()) if plan else 'none', currency=currency, state=state), "",
           _("| What | Basis | Rate | Amount | How |"), "|---|---:|---|---:|---|"]
    for line in statement.lines:
        basis = f"{number(line.basis)} {line.unit}".strip() if line.basis is not None else ""
        out.append(f"| {_md(line.source)} | {_md(basis)} | {_md(line.rate)} | "
                   f"{number(line.amount, minor_unit(currency))} | {_md(line.detail)} |")
    out += ["", _("**Total: {money}**").format(money=money(statement.total, currency)), ""]
    if statement.market is not None:
        out += [_("Market: {md}").format(md=_md(statement.market.text)), ""]
    if statement.billable:
        out += [_("## Overtime billable to clients"), "",
                _("| Client | Hours | Billed hours | Amount |"),
                "|---|---:|---:|---:|"]
        for item in statement.billable:
            amount = money(item.amount, currency) if item.amount is not None else ""
            out.append(f"| {_md(item.client)} | {number(item.hours)} | "
                       f"{number(item.billed_hours)} | {amount} |")
        out.append("")
    for note in statement.notes:
        out.append(f"- {_md(note)}")
    return "\n".join(out).rstrip() + "\n"


def csv_text(statement: Statement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period", "member", "kind", "source", "basis", "unit", "rate", "amount",
                     "currency", "adjusts", "detail"])
    places = minor_unit(statement.currency)
    for line in statement.lines:
        writer.writerow([str(statement.period), statement.member.name, line.kind,
                         _csv_safe(line.source),
                         "" if line.basis is None else format(line.basis, "f"), line.unit,
                         line.rate, f"{line.amount:.{places}f}", statement.currency,
                         line.adjusts, _csv_safe(line.detail)])
    writer.writerow([str(statement.period), statement.member.name, "total", "", "", "", "",
                     f"{statement.total:.{places}f}", statement.currency, "", ""])
    return buffer.getvalue()


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_json(statement: Statement) -> str:
    places = minor_unit(statement.currency)

    def amount(value: Any) -> str:
        return f"{value:.{places}f}"

    data = {
        "member": {"id": statement.member.id, "name": statement.member.name},
        "period": str(statement.period),
        "currency": statement.currency,
        "plan": ({"id": statement.plan.id, "name": statement.plan.name,
                  "valid_from": str(statement.plan.valid_from)} if statement.plan else None),
        "locked": statement.locked is not None,
        "lines": [{"kind": line.kind, "source": line.source, "source_id": line.source_id,
                   "basis": None if line.basis is None else format(line.basis, "f"),
                   "unit": line.unit, "rate": line.rate, "amount": amount(line.amount),
                   "adjusts": line.adjusts, "detail": line.detail}
                  for line in statement.lines],
        "total": amount(statement.total),
        "market": statement.market.text if statement.market else None,
        "billable": [{"client": item.client, "hours": format(item.hours, "f"),
                      "billed_hours": format(item.billed_hours, "f"),
                      "amount": None if item.amount is None else amount(item.amount)}
                     for item in statement.billable],
        "notes": list(statement.notes),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(statement: Statement, fmt: str) -> str:
    return {"md": markdown, "csv": csv_text, "json": as_json}[fmt](statement)
