"""``amtui team report`` and ``amtui team dossier``: the team view's figures on the command
line (no Textual is imported)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.api import echo

from .fmt import NONE, money, share
from .i18n import _
from .keyaccounts import KEY_FIGURES, SUGGESTIONS, key_accounts, line_rank
from .kpis import KPI_FIGURES, TEAM, Figures, figures_by_scope
from .load import LOAD_FIGURES, team_load
from .periods import Period, month_of, parse_period
from .snapshot import read_team

if TYPE_CHECKING:
    from amtui.api import Workspace

    from .snapshot import TeamData

FORMATS = ("md", "json", "csv")
KPI_KEYS = ("active", "churned", "churn_rate", "expansion_rate", "nrr", "satisfied", "index",
            "cost", "cost_share")
LOAD_KEYS = ("accounts", "key", "revenue", "open", "overdue", "waiting", "late")
TOP_ACCOUNTS = 50
"""Accounts listed in the Markdown report (JSON and CSV list every account above the line)."""


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    report = actions.add_parser("report", help=_("the team's figures for a period"))
    report.add_argument("--period", metavar=_("PERIOD"),
                        help=_("a month (2026-10), quarter (2026-Q4) or year (2026); "
                               "default: the current month"))
    report.add_argument("--format", default="md", metavar=_("FORMAT"),
                        help=_("md (default), json or csv"))
    dossier = actions.add_parser("dossier", help=_("an account's handover dossier in Markdown"))
    dossier.add_argument("--client", required=True, metavar=_("CLIENT"),
                         help=_("the client, by name or id"))
    dossier.add_argument("-o", "--output", metavar=_("FILE"),
                         help=_("the file to write (default: print it)"))
    for sub in (report, dossier):
        sub.add_argument("--workspace", "-w", metavar=_("DIR"), default=argparse.SUPPRESS,
                         help=_("workspace folder"))


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    """Bad input: one line on stderr, exit status 2, nothing written."""
    try:
        if args.action == "dossier":
            return _dossier(args, workspace)
        return _report(args, workspace)
    except ValueError as error:
        echo(f"amtui: error: {error}", err=True)
        return 2


def _report(args: argparse.Namespace, workspace: Workspace) -> int:
    if args.format not in FORMATS:
        raise ValueError(_("--format: {format!r} is not one of {join}").format(
            format=args.format, join=', '.join(FORMATS)))
    today = workspace.clock().date()
    period = parse_period(args.period, today) if args.period else month_of(today)
    data = read_team(workspace, write_history=False)
    report = team_report(data, period)
    text = {"md": as_markdown, "json": as_json, "csv": as_csv}[args.format](report)
    echo(text, end="")
    return 0


def _dossier(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: orjson, loaded with the store
    from .dossier import dossier, write_file

    text, _name = dossier(workspace, args.client)
    if args.output:
        echo(write_file(Path(args.output), text))
    else:
        echo(text, end="")
    return 0


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def team_report(data: TeamData, period: Period) -> dict[str, Any]:
    """The figures of ``period`` as plain values (Decimals as strings)."""
    by_scope = figures_by_scope(data.timelines, data.surveys, period, data.today)
    members = {member.id: member.name for member in data.members}

    def kpis(found: Figures | None) -> dict[str, Any]:
        return {key: _plain(found.value(key)) if found else None for key in KPI_KEYS}

    rows = key_accounts(data, period)
    above = [row for row in rows if row.above_line]
    return {
        "period": period.label, "from": str(period.start), "to": str(period.end),
        "today": str(data.today), "currency": data.currency,
        "team": kpis(by_scope.get(TEAM)),
        "members": [{"id": member_id, "name": name, **kpis(by_scope.get(member_id))}
                    for member_id, name in members.items()],
        "load": [{"id": row.member_id, "name": row.name, "role": row.role,
                  **{key: _plain(getattr(row, key)) for key in LOAD_KEYS}}
                 for row in team_load(data)],
        "key_accounts": {
            "line": str(data.settings.pareto_share), "line_rank": line_rank(rows),
            "ranked": len(rows), "total_revenue": str(sum((row.revenue for row in rows),
                                                           Decimal(0))),
            "key": sum(1 for row in rows if row.key),
            "above_line": [{"rank": row.rank, "id": row.client_id, "name": row.name,
                            "revenue": str(row.revenue), "share": _plain(row.share),
                            "ratio": _plain(row.ratio), "score": _plain(row.score),
                            "key": row.key} for row in above],
            "suggestions": [{"id": row.client_id, "name": row.name, "suggestion": row.suggestion,
                             "why": row.why} for row in rows if row.suggestion],
        },
        "definitions": {section: {key: text for key, (_title, text) in figures.items()}
                        for section, figures in (("kpi", KPI_FIGURES), ("load", LOAD_FIGURES),
                                                 ("key_accounts", KEY_FIGURES))},
    }


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def as_csv(report: dict[str, Any]) -> str:
    """One figure per line: section, scope, figure, value (for a spreadsheet's pivot)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "scope", "figure", "value"])
    for key in KPI_KEYS:
        writer.writerow(["kpi", "team", key, _cell(report["team"][key])])
    for member in report["members"]:
        for key in KPI_KEYS:
            writer.writerow(["kpi", member["name"], key, _cell(member[key])])
    for row in report["load"]:
        for key in LOAD_KEYS:
            writer.writerow(["load", row["name"], key, _cell(row[key])])
    for account in report["key_accounts"]["above_line"]:
        for key in ("rank", "revenue", "share", "ratio", "score", "key"):
            writer.writerow(["pareto", account["name"], key, _cell(account[key])])
    return out.getvalue()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _md(value: object) -> str:
    # lazy: orjson, loaded with the store
    from .dossier import md

    return md(value, 60)


def as_markdown(report: dict[str, Any]) -> str:
    currency = report["currency"]
    titles = {key: title for key, (title, _text) in KPI_FIGURES.items()}
    out = [_("# Team report {period}").format(period=report["period"]), "",
           _("{start} to {end} (today {today}); money in {currency}.").format(
               start=report["from"], end=report["to"], today=report["today"],
               currency=currency),
           "", _("## Portfolio KPIs"), ""]
    header = [_("Scope"), *(_(titles[key]) for key in KPI_KEYS)]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, values in [(_("Team"), report["team"]),
                         *((_md(member["name"]), member) for member in report["members"])]:
        out.append("| " + " | ".join([name, *(_shown(key, values[key]) for key in KPI_KEYS)])
                   + " |")
    out += ["", _("## Load (today)"), ""]
    load_titles = {key: title for key, (title, _text) in LOAD_FIGURES.items()}
    header = [_("Member"), _("Role"), *(_(load_titles[key]) for key in LOAD_KEYS)]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in report["load"]:
        out.append("| " + " | ".join([_md(row["name"]), row["role"].replace("_", " "),
                                      *(_shown(key, row[key]) for key in LOAD_KEYS)]) + " |")
    key_accounts = report["key_accounts"]
    total = money(Decimal(key_accounts["total_revenue"]))
    out += ["", _("## Key accounts"), "",
            _("{line}% of the period's revenue ({total}) is reached at rank {rank} of "
              "{ranked}; {key} accounts are marked key.").format(
                line=key_accounts["line"], total=total, rank=key_accounts["line_rank"],
                ranked=key_accounts["ranked"], key=key_accounts["key"]), ""]
    above = key_accounts["above_line"]
    if above:
        out += [_("| # | Client | Revenue | Cum % | Rev/Cost | Score | Key |"),
                "|---|---|---|---|---|---|---|"]
        for account in above[:TOP_ACCOUNTS]:
            out.append(f"| {account['rank']} | {_md(account['name'])} | "
                       f"{money(Decimal(account['revenue']))} | "
                       f"{_shown('share', account['share'])} | "
                       f"{account['ratio'] or NONE} | {account['score'] or NONE} | "
                       f"{'★' if account['key'] else ''} |")
        if len(above) > TOP_ACCOUNTS:
            out.append(_("\n…and {count} more above the line.").format(
                count=len(above) - TOP_ACCOUNTS))
    if key_accounts["suggestions"]:
        out += ["", _("### Suggestions"), ""]
        out += [f"- {_(SUGGESTIONS[suggestion['suggestion']])}: {_md(suggestion['name'])} "
                f"({suggestion['why']})"
                for suggestion in key_accounts["suggestions"]]
    for section, heading in (("kpi", _("Portfolio KPIs")), ("load", _("Load")),
                             ("key_accounts", _("Key accounts"))):
        out += ["", _("## Definitions: {heading}").format(heading=heading), ""]
        out += [f"- **{key.replace('_', ' ')}**: {_(text)}"
                for key, text in report["definitions"][section].items()]
    return "\n".join(out) + "\n"


def _shown(key: str, value: object) -> str:
    if value is None:
        return NONE
    if key in ("revenue", "cost"):
        return money(Decimal(str(value)))
    if key in ("churn_rate", "expansion_rate", "nrr", "satisfied", "cost_share", "share"):
        return share(Decimal(str(value)))
    return str(value)
