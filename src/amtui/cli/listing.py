"""``amtui list …`` and the workspace summary. Imports no Textual."""

from __future__ import annotations

import argparse
import functools
import heapq
import re
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from amtui.cli import UsageError, workspace_option
from amtui.cli.common import (
    DATE_HELP,
    member_named,
    open_workspace,
    parse_day,
    print_json,
    print_table,
    table_name,
)
from amtui.cli.plugins import load_host, report_failures
from amtui.i18n import _, ngettext, shown
from amtui.services.rules import (
    message_late,
    message_open,
    message_without_client,
    task_overdue,
)
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.services.agenda_items import AgendaItem, AgendaSection, Mine
    from amtui.storage import Workspace

TABLES = ("clients", "tasks", "messages", "notes", "contacts", "deals", "members")

FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "client": ("client_id", ("tasks", "messages", "notes", "contacts", "deals")),
    "status": ("status", ("clients", "messages", "deals")),
    "owner": ("owner_id", ("clients", "deals")),
    "kind": ("kind", ("clients", "messages", "notes")),
    "department": ("department", ("tasks",)),
    "assignee": ("assignee", ("tasks",)),
    "column": ("column", ("tasks",)),
    "priority": ("priority", ("tasks", "messages")),
    "channel": ("channel", ("messages",)),
    "tag": ("tags", ("clients", "notes")),
    "role": ("role", ("members",)),
}
"""Option → (field, tables it applies to)."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser("list", help=_("list records (as text, or --json)"))
    listing.add_argument("table", metavar=_("WHAT"), help=", ".join(TABLES))
    listing.add_argument("--json", action="store_true", help=_("print a JSON list of records"))
    filters = {
        "client": (_("CLIENT"), _("only the tasks, messages, notes, contacts and deals of this "
                                  "client (its name or id)")),
        "status": (_("STATUS"), _("only the clients, messages or deals in this status")),
        "owner": (_("MEMBER"), _("only the clients or deals this member owns")),
        "kind": (_("KIND"), _("only the clients, messages or notes of this kind")),
        "department": (_("DEPARTMENT"), _("only the tasks of this department")),
        "assignee": (_("ASSIGNEE"), _("only the tasks of this assignee")),
        "column": (_("COLUMN"), _("only the tasks in this board column")),
        "priority": (_("PRIORITY"), _("only the tasks or messages of this priority")),
        "channel": (_("CHANNEL"), _("only the messages that came by this channel")),
        "tag": (_("TAG"), _("only the clients or notes with this tag")),
        "role": (_("ROLE"), _("only the members with this role")),
    }
    for option in FILTERS:
        metavar, help_text = filters[option]
        listing.add_argument(f"--{option}", metavar=metavar, help=help_text)
    listing.add_argument("--overdue", action="store_true",
                         help=_("tasks past their due date / messages past their answer time"))
    listing.add_argument("--no-client", action="store_true",
                         help=_("messages with no client yet (mail from unknown senders)"))
    listing.add_argument("--search", metavar=_("TEXT"), help=_("only records containing TEXT"))
    listing.add_argument("--limit", type=int, metavar=_("N"), help=_("at most N records (0: all)"))
    workspace_option(listing, argparse.SUPPRESS)
    listing.set_defaults(handler=list_records)

    report = commands.add_parser("report", help=_("reports: `report daily --client C` composes "
                                   "the daily client update"))
    report.add_argument("kind", metavar=_("KIND"), help="daily")
    report.add_argument("--client", required=True, metavar=_("CLIENT"),
                        help=_("the client, by name or id"))
    report.add_argument("--since", metavar=_("DATE"),
                        help=_("done since this day (default: the last update sent, or a day "
                               "ago): {dates}").format(dates=_(DATE_HELP)))
    report.add_argument("--sent", action="store_true",
                        help=_("also log the update as sent (an outgoing message to the client)"))
    workspace_option(report, argparse.SUPPRESS)
    report.set_defaults(handler=show_report)

    today = commands.add_parser("today", help=_("the agenda of the day (as text, or --json)"))
    shape = today.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help=_("print the sections as JSON"))
    shape.add_argument("--format", choices=("text", "markdown"), default="text",
                       help=_("text (default): plain lines, for a terminal or a mail; "
                              "markdown: a heading for the day and each section, a bullet "
                              "for each line"))
    today.add_argument("--limit", type=_section_limit, metavar=_("LINES"),
                       help=_("lines shown per section (text and markdown: 10 unless given; "
                              "JSON: all unless given); 0 shows all"))
    whose = today.add_mutually_exclusive_group()
    whose.add_argument("--mine", action="store_true",
                       help=_("only my records: the member whose login is this OS user's"))
    whose.add_argument("--for", dest="member_login", metavar=_("LOGIN"),
                       help=_("only the records of the member with this login"))
    workspace_option(today, argparse.SUPPRESS)
    today.set_defaults(handler=show_today)


TODAY_LINES = 10
"""Lines per section ``amtui today`` prints as text or Markdown unless told (``task next``
shows a screenful too); the section's heading counts them all."""


def _section_limit(typed: str) -> int:
    try:
        number = int(typed)
    except ValueError:
        raise argparse.ArgumentTypeError(_("a whole number of lines, e.g. 10")) from None
    if number < 0:
        raise argparse.ArgumentTypeError(_("a whole number of lines, e.g. 10"))
    return number


def list_records(args: argparse.Namespace) -> int:
    table = args.table
    if table not in TABLES:
        raise UsageError(_("cannot list {table!r}: choose one of {tables}").format(
            table=table, tables=", ".join(TABLES)))
    for option, (_field, tables) in FILTERS.items():
        if getattr(args, option) is not None and table not in tables:
            raise UsageError(_("--{option} does not apply to {table} (it applies to {tables})")
                             .format(option=option, table=table_name(table),
                                     tables=", ".join(map(table_name, tables))))
    if args.overdue and table not in ("tasks", "messages"):
        raise UsageError(_("--overdue applies to tasks and messages"))
    if args.no_client and (table != "messages" or args.client is not None):
        raise UsageError(_("--no-client applies to messages, without --client"))
    if args.limit is not None and args.limit < 0:
        raise UsageError(_("--limit must be zero or more"))
    # lazy: pydantic, not loaded for --help
    from amtui.storage.damage import damaged_files_read

    workspace = open_workspace(args)
    with damaged_files_read() as damaged:
        records = _matching(workspace, args)
        if args.json:
            if table == "messages":
                records = [{"id": raw["id"], "title": _first_line(raw["text"]), **raw}
                           for raw in records]
            print_json(records)
        else:
            _print_records(workspace, table, records)
    return warn_damaged(damaged)


def warn_damaged(damaged: dict[str, str]) -> int:
    """Say on stderr which damaged files were read, and how to restore them (what was printed
    lacks their records): exit status 1 if there were any, else 0."""
    for reason in damaged.values():
        sys.stderr.write(_("amtui: warning: {reason}").format(reason=one_line(reason)) + "\n")
    return 1 if damaged else 0


def _matching(workspace: Workspace, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The records ``list`` prints, in order; with ``--limit N`` only the first N are ever
    held, however large the table."""
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client

    table = args.table
    wanted: dict[str, str] = {}
    for option, (field, _tables) in FILTERS.items():
        value = getattr(args, option)
        if value is None:
            continue
        if option == "client":
            value = workspace.repo(Client).resolve(value).id
        elif option == "owner":
            value = member_named(workspace, value)
        wanted[field] = value
    now = workspace.clock()
    today = now.date()
    search = args.search.casefold() if args.search else None
    done_column = workspace.settings.columns[-1]

    def matching() -> Iterator[dict[str, Any]]:
        for raw in workspace.file(table).scan():
            if any(
                (value not in raw.get(field, ())) if field == "tags" else raw.get(field) != value
                for field, value in wanted.items()
            ):
                continue
            if args.overdue:
                if table == "tasks" and not task_overdue(raw, today, done_column):
                    continue
                if table == "messages" and not message_late(raw, now):
                    continue
            if args.no_client and not message_without_client(raw):
                continue
            if search and not any(search in str(value).casefold() for value in raw.values()
                                  if isinstance(value, str)):
                continue
            yield raw

    key: Callable[[dict[str, Any]], Any] = {
        "tasks": lambda r: (r.get("due") or "9999", r.get("title", "")),
        "messages": lambda r: r.get("received_at", ""),
        "notes": lambda r: r.get("updated_at", ""),
    }.get(table, lambda r: str(r.get("name", "")).casefold())
    newest_first = table in ("messages", "notes")
    if args.limit:  # 0: all of them, as for `today`
        pick = heapq.nlargest if newest_first else heapq.nsmallest
        return pick(args.limit, matching(), key=key)
    return sorted(matching(), key=key, reverse=newest_first)




def _print_records(workspace: Workspace, table: str, records: list[dict[str, Any]]) -> None:
    # lazy: pydantic, not loaded for --help
    from amtui.models.work import department
    from amtui.services.board import column_title
    from amtui.services.inbox import sender

    if not records:
        sys.stderr.write(_("no {table} match").format(table=table_name(table)) + "\n")
        return
    wanted = {raw.get("client_id") for raw in records}
    clients = {raw["id"]: str(raw.get("name", "")) for raw in workspace.file("clients").scan()
               if raw["id"] in wanted}

    # Days and times as the app shows them: the agency's time, the language's month names.
    # lazy: Babel's names, only for a listing that shows days
    from amtui.dates import agency_zone, day_and_time, day_in_words, today_of

    now = workspace.clock().astimezone(agency_zone(workspace.settings.timezone))
    today = today_of(workspace)

    @functools.cache
    def day(stored: str) -> str:
        return day_in_words(date.fromisoformat(stored), today) if stored else ""

    def moment(stored: str) -> str:
        return day_and_time(datetime.fromisoformat(stored), now) if stored else ""

    def client(raw: dict[str, Any]) -> str:
        if table == "messages" and message_without_client(raw):
            return _("no client yet: {sender}").format(sender=sender(raw))
        return clients.get(raw.get("client_id") or "", "")

    columns: dict[str, tuple[list[str], Any]] = {
        "clients": ([_("ID"), _("STATUS"), _("KIND"), _("REVENUE/MO"), _("NAME")],
                    lambda r: [shown(r["status"]), shown(r["kind"]),
                               _amount(r.get("monthly_revenue")), r["name"]]),
        "tasks": ([_("ID"), _("DUE"), _("COLUMN"), _("DEPARTMENT"), _("CLIENT"), _("TITLE")],
                  lambda r: [day(r.get("due") or ""), column_title(workspace.settings, r["column"]),
                             department(r["department"]), client(r), r["title"]]),
        "messages": ([_("ID"), _("RECEIVED"), _("STATUS"), _("KIND"), _("CLIENT"), _("TEXT")],
                     lambda r: [moment(r["received_at"]), shown(r["status"]),
                                shown(r["kind"]), client(r), r["text"]]),
        "notes": ([_("ID"), _("KIND"), _("CLIENT"), _("TITLE")],
                  lambda r: [shown(r["kind"]), client(r), r["title"]]),
        "contacts": ([_("ID"), _("INFLUENCE"), _("CLIENT"), _("NAME")],
                     lambda r: [shown(r["influence"]), client(r), r["name"]]),
        "deals": ([_("ID"), _("STATUS"), _("AMOUNT"), _("CLIENT"), _("TITLE")],
                  lambda r: [shown(r["status"]), _money(r["amount"]), client(r), r["title"]]),
        "members": ([_("ID"), _("ROLE"), _("LOGIN"), _("NAME")],
                    lambda r: [shown(r["role"]), r.get("login", ""), r["name"]]),
    }
    headers, cells = columns[table]
    print_table(headers, [[raw["id"], *cells(raw)] for raw in records])


def _first_line(text: str, width: int = 80) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return one_line(line, width)


def _amount(value: Any) -> str:
    # lazy: kept out of `amtui --help`
    from amtui.money import format_amount

    return format_amount(Decimal(str(value or 0)))


def _money(value: dict[str, Any]) -> str:
    # lazy: kept out of `amtui --help`
    from amtui.money import format_money

    return format_money(Decimal(str(value["amount"])), str(value["currency"]))


def show_today(args: argparse.Namespace) -> int:
    # lazy: kept out of `amtui --help`
    # lazy: pydantic, not loaded for --help
    from amtui.dates import today_of
    from amtui.services.agenda import build_agenda, plugin_sections
    from amtui.storage.damage import damaged_files_read

    workspace = open_workspace(args)
    mine = _member_asked(args, workspace)
    plugins = load_host(args)
    plugins.attach(workspace)
    now = workspace.clock()
    limit = args.limit if args.limit is not None else (None if args.json else TODAY_LINES)
    with damaged_files_read() as damaged:
        sections = (build_agenda(workspace, now, limit=limit or None, mine=mine)
                    + plugin_sections(workspace, plugins, now, limit=limit or None, mine=mine))
    report_failures(plugins)
    if args.json:
        print_json([{"key": section.key, "title": section.title, "total": section.total,
                     "items": [item.as_json() for item in section.items]}
                    for section in sections])
        return warn_damaged(damaged)
    if args.format == "markdown":
        text = agenda_markdown(sections, mine, today_of(workspace))
    else:
        text = agenda_text(sections, mine)
    sys.stdout.write(text)
    sys.stdout.flush()
    return warn_damaged(damaged)


def agenda_text(sections: list[AgendaSection], mine: Mine | None) -> str:
    """The agenda as plain lines: each section's title and count, then its lines indented,
    the fact first in a column as wide as the section's longest one."""
    lines = []
    if mine is not None:
        lines += [_("Today for {name} ({login})").format(name=one_line(mine.name, 60),
                                                         login=one_line(mine.login, 30)), ""]
    for section in sections:
        lines.append(f"{section.title} ({section.total})")
        if not section.items:
            lines.append(f"  {section.empty}")
        width = max(len(item.fact) for item in section.items) if section.items else 0
        for item in section.items:
            fact = f"{one_line(item.fact):<{width}}  " if width else ""
            lines.append(f"  {fact}{' · '.join(_item_parts(item))}")
        if more := _more(section):
            lines.append(f"  {more}")
        lines.append("")
    return "\n".join(lines)


def agenda_markdown(sections: list[AgendaSection], mine: Mine | None, day: date) -> str:
    """The agenda as Markdown, e.g. for a morning mail: a heading with the day (and whose
    it is), a second-level heading for each section, a bullet for each line with its fact
    in bold. Workspace text is escaped, so it reads as written."""
    # lazy: kept out of `amtui --help`
    from amtui.dates import WEEKDAY_DAY_MONTH_YEAR, format_day

    when = format_day(day, WEEKDAY_DAY_MONTH_YEAR)
    heading = (_("Today, {day}").format(day=when) if mine is None else
               _("Today for {name} ({login}), {day}").format(
                   name=markdown_text(one_line(mine.name, 60)),
                   login=markdown_text(one_line(mine.login, 30)), day=when))
    lines = [f"# {heading}", ""]
    for section in sections:
        lines += [f"## {markdown_text(section.title)} ({section.total})", ""]
        if not section.items:
            lines += [f"_{markdown_text(section.empty)}_", ""]
            continue
        for item in section.items:
            fact = f"**{markdown_text(one_line(item.fact))}** — " if item.fact else ""
            lines.append(f"- {fact}{' · '.join(map(markdown_text, _item_parts(item)))}")
        if more := _more(section):
            lines.append(f"- _{markdown_text(more)}_")
        lines.append("")
    return "\n".join(lines)


def _more(section: AgendaSection) -> str:
    """What a section shown in part leaves out, and how to see it all."""
    left = section.total - len(section.items)
    if left <= 0:
        return ""
    return ngettext("+{count} more (amtui today --limit 0 shows all)",
                    "+{count} more (amtui today --limit 0 shows all)", left).format(count=left)


def _item_parts(item: AgendaItem) -> list[str]:
    parts = [one_line(item.title, 60)]
    if item.client and item.client != item.title:
        parts.append(one_line(item.client, 40))
    if item.detail:
        parts.append(one_line(item.detail))
    return parts


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def markdown_text(text: str) -> str:
    """``text`` with every character Markdown gives a meaning escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _member_asked(args: argparse.Namespace, workspace: Workspace) -> Mine | None:
    """Whose agenda ``--mine`` or ``--for LOGIN`` asks for (None: everyone's)."""
    # lazy: kept out of `amtui --help`
    # lazy: pydantic, not loaded for --help
    from amtui.identity import os_user
    from amtui.services.agenda import Mine, member_by_login

    if args.mine:
        member = member_by_login(workspace, os_user())
        if member is None:
            raise UsageError(_("--mine: no member of this workspace logs in as {os_user!r}; "
                               "name one with --for LOGIN (see `amtui list members`)").format(
                                   os_user=os_user()))
        return Mine.of(member)
    if args.member_login is not None:
        member = member_by_login(workspace, args.member_login)
        if member is None:
            raise UsageError(_("--for: no member logs in as {member_login!r} (see `amtui list "
                               "members`)").format(member_login=args.member_login))
        return Mine.of(member)
    return None


def summary(args: argparse.Namespace) -> int:
    """What opening the workspace shows until the full-screen app is there."""
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client, Message, Task

    workspace = open_workspace(args)
    now = workspace.clock()
    today: date = now.date()
    done = workspace.settings.columns[-1]
    overdue = sum(task_overdue(t, today, done) for t in workspace.file(Task.table).scan())
    late = waiting = 0
    for message in workspace.file(Message.table).scan():
        late += message_late(message, now)
        waiting += message_open(message)
    active = sum(1 for c in workspace.file(Client.table).scan() if c.get("status") == "active")
    lines = [f"{one_line(workspace.settings.name)} — {workspace.root}"]
    for name in TABLES:  # the names `amtui list` takes
        lines.append(f"  {name:<9} {workspace.file(name).count():>7,}")
    lines += [
        "  " + _("messages waiting on us: {waiting:,} ({late:,} past their answer time)").format(
            waiting=waiting, late=late),
        "  " + _("tasks overdue: {overdue:,}").format(overdue=overdue),
        "  " + _("clients active: {active:,}").format(active=active),
    ]
    for table, reason in workspace.read_only_tables().items():
        lines.append("  " + _("read-only {table}: {reason}").format(
            table=table, reason=one_line(reason)))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def show_report(args: argparse.Namespace) -> int:
    """Print the daily update for a client as Markdown (and log it as sent with --sent)."""
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client
    from amtui.services.report import compose_daily_update, log_update_sent

    if args.kind != "daily":
        raise UsageError(_("no report {kind!r}: the reports are: daily").format(kind=args.kind))
    # lazy: pydantic, not loaded for --help
    from amtui.storage.damage import damaged_files_read

    workspace = open_workspace(args)
    day = parse_day(args.since, "--since", workspace)
    since = None if day is None else datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    with damaged_files_read() as damaged:
        client = workspace.repo(Client).resolve(args.client)
        update = compose_daily_update(workspace, client.id, since)
    sys.stdout.write(update.markdown)
    sys.stdout.flush()
    if damaged:
        if args.sent:
            sys.stderr.write(_("amtui: warning: not logged as sent: the update may lack what "
                               "the damaged files below hold\n"))
        return warn_damaged(damaged)
    if args.sent:
        log_update_sent(workspace, client.id, update.markdown)
    return 0
