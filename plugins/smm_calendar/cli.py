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

from .i18n import _, ngettext

if TYPE_CHECKING:
    from amtui.api import Workspace


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="calendar_action", metavar=_("ACTION"), required=True)
    export = actions.add_parser("export", help=_("write posts to an .ics (iCalendar) or .csv file"))
    export.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                        help=_("the file to write (.ics or .csv)"))
    export.add_argument("--format", choices=["ics", "csv"],
                        help=_("ics or csv (default: from the file name, else ics)"))
    _period_and_client(export)
    slots = actions.add_parser("slots", help=_("make empty slots from a content plan rule"))
    slots.add_argument("--client", required=True, metavar=_("CLIENT"),
                       help=_("the client, by name or id"))
    slots.add_argument("--channel", required=True, metavar=_("CHANNEL"),
                       help=_("vk, instagram, telegram, …"))
    slots.add_argument("--days", required=True, metavar=_("DAYS"),
                       help=_("days of the week: Mon/Wed/Fri"))
    slots.add_argument("--time", default="", metavar=_("HH:MM"),
                       help=_("local time in the client's zone (HH:MM)"))
    _period(slots)
    plan = actions.add_parser("plan", help=_("filled and empty slots per client and rule"))
    _period_and_client(plan)
    for action in (export, slots, plan):
        action.add_argument("--workspace", "-w", metavar=_("DIR"), default=argparse.SUPPRESS,
                            help=_("workspace folder"))


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", metavar=_("DATE"), help=_(
        "first day: 10.12.2026, 10.12, 2026-12-10, today, mon, -3d (default: the first of this "
        "month)"))
    parser.add_argument("--to", dest="end", metavar=_("DATE"), help=_(
        "last day, typed the same ways (default: the last of the month --from is in)"))


def _period_and_client(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", metavar=_("CLIENT"),
                        help=_("only this client, by name or id (default: all)"))
    _period(parser)


def _dates(args: argparse.Namespace, workspace: Workspace) -> tuple[date, date]:
    # lazy: pydantic, loaded on first use
    from .times import month_bounds, parse_date, zone

    today = workspace.clock().astimezone(zone(workspace.settings.timezone)).date()
    start = parse_date(args.start, "--from", today) if args.start else month_bounds(today)[0]
    end = parse_date(args.end, "--to", today) if args.end else month_bounds(start)[1]
    return start, end


def _client_id(workspace: Workspace, name: str | None) -> str | None:
    # lazy: pydantic, loaded on first use
    from amtui.api import Client

    return workspace.repo(Client).resolve(name).id if name else None


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    action = args.calendar_action
    start, end = _dates(args, workspace)
    if action == "export":
        # lazy: pydantic, loaded on first use
        from .export import write_export

        count = write_export(workspace, args.output, start, end,
                             _client_id(workspace, args.client), args.format)
        echo(ngettext("{count} post ({start} – {end}) written to {output}",
                      "{count} posts ({start} – {end}) written to {output}", count).format(
            count=count, start=start, end=end, output=args.output))
    elif action == "slots":
        # lazy: pydantic, loaded on first use
        from .model import settings_of
        from .slots import make_slots, parse_weekdays
        from .times import parse_time

        client_id = _client_id(workspace, args.client)
        if client_id is None:
            raise ValueError(_("--client: name the client the slots are for (name or id)"))
        at = parse_time(args.time, "--time") if args.time else settings_of(workspace).default_time
        made = make_slots(workspace, client_id, args.channel, parse_weekdays(args.days), at,
                          start, end)
        taken = len(made.taken)
        echo(ngettext("{count} empty slot made for {rule} ({start} – {end})",
                      "{count} empty slots made for {rule} ({start} – {end})",
                      len(made.made)).format(count=len(made.made), rule=made.rule.label(),
                                             start=start, end=end)
             + ngettext("; {count} day had a post already", "; {count} days had a post already",
                        taken).format(count=taken))
    else:
        # lazy: pydantic, loaded on first use
        from .model import settings_of
        from .slots import plan

        settings = settings_of(workspace)
        lines = plan(workspace, start, end, _client_id(workspace, args.client))
        if not lines:
            echo(_("no content plan rules (make one with `amtui calendar slots`)"))
        for line in lines:
            echo(_("{client}  {channel} {rule}: {filled} of {expected} filled, {empty} "
                   "empty, {missing} not made").format(
                client=line.client_name, channel=settings.title_of(line.channel), rule=line.rule,
                filled=line.filled, expected=line.expected, empty=line.empty,
                missing=line.missing))
    return 0
