"""``amtui calendar export|slots|plan``: the calendar from the shell (no Textual imported).

    amtui calendar export --client "ООО «Ромашка»" --from 2026-12-01 --to 2026-12-31 -o dec.ics
    amtui calendar slots --client Atlas --channel vk --days Mon/Wed/Fri --time 10:00 \\
        --from 2026-12-01 --to 2026-12-31
    amtui calendar plan --from 2026-12-01 --to 2026-12-31
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from amtui.api import echo

if TYPE_CHECKING:
    from amtui.api import Workspace


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="calendar_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write posts to an .ics (iCalendar) or .csv file")
    export.add_argument("-o", "--output", required=True, help="the file to write (.ics or .csv)")
    export.add_argument("--format", choices=["ics", "csv"],
                        help="ics or csv (default: from the file name, else ics)")
    _period_and_client(export)
    slots = actions.add_parser("slots", help="make empty slots from a content plan rule")
    slots.add_argument("--client", required=True, help="the client, by name or id")
    slots.add_argument("--channel", required=True, help="vk, instagram, telegram, …")
    slots.add_argument("--days", required=True, help="days of the week: Mon/Wed/Fri")
    slots.add_argument("--time", default="", help="local time in the client's zone (HH:MM)")
    _period(slots)
    plan = actions.add_parser("plan", help="filled and empty slots per client and rule")
    _period_and_client(plan)
    for action in (export, slots, plan):
        action.add_argument("--workspace", "-w", metavar="DIR", default=argparse.SUPPRESS,
                            help="workspace folder")


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: the "
                        "first of this month)")
    parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: the last of "
                        "the month --from is in)")


def _period_and_client(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", help="only this client, by name or id (default: all)")
    _period(parser)


def _dates(args: argparse.Namespace, workspace: Workspace) -> tuple[date, date]:
    from .times import month_bounds, parse_date, zone

    today = workspace.clock().astimezone(zone(workspace.settings.timezone)).date()
    start = parse_date(args.start, "--from", today) if args.start else month_bounds(today)[0]
    end = parse_date(args.end, "--to", today) if args.end else month_bounds(start)[1]
    return start, end


def _client_id(workspace: Workspace, name: str | None) -> str | None:
    from amtui.api import Client

    return workspace.repo(Client).resolve(name).id if name else None


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    action = args.calendar_action
    start, end = _dates(args, workspace)
    if action == "export":
        from .export import write_export

        count = write_export(workspace, args.output, start, end,
                             _client_id(workspace, args.client), args.format)
        echo(f"{count} post{'s' if count != 1 else ''} ({start} – {end}) written to "
             f"{args.output}")
    elif action == "slots":
        from .model import settings_of
        from .slots import make_slots, parse_weekdays
        from .times import parse_time

        client_id = _client_id(workspace, args.client)
        if client_id is None:
            raise ValueError("--client: name the client the slots are for (name or id)")
        at = parse_time(args.time, "--time") if args.time else settings_of(workspace).default_time
        made = make_slots(workspace, client_id, args.channel, parse_weekdays(args.days), at,
                          start, end)
        taken = len(made.taken)
        echo(f"{len(made.made)} empty slots made for {made.rule.label()} ({start} – {end}); "
             f"{taken} day{'s' if taken != 1 else ''} had a post already")
    else:
        from .model import settings_of
        from .slots import plan

        settings = settings_of(workspace)
        lines = plan(workspace, start, end, _client_id(workspace, args.client))
        if not lines:
            echo("no content plan rules (make one with `amtui calendar slots`)")
        for line in lines:
            echo(f"{line.client_name}  {settings.title_of(line.channel)} {line.rule}: "
                 f"{line.filled} of {line.expected} filled, {line.empty} empty, "
                 f"{line.missing} not made")
    return 0
