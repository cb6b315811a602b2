"""``amtui bonus …``: statements, plans, locking and hours from the shell (no Textual)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from amtui.api import BadDate, echo, parse_date, today_of

from .export import render
from .i18n import _
from .money import money

if TYPE_CHECKING:
    from amtui.api import Workspace

    from .engine import Period
    from .facts import Snapshot


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(title=_("actions"), metavar=_("ACTION"), dest="bonus_action",
                                    parser_class=type(parser))
    actions.required = True
    statement = actions.add_parser("statement", help=_("a member's statement for a month"))
    _member_and_period(statement)
    statement.add_argument("--format", choices=("md", "csv", "json"), default="md",
                           help=_("Markdown (default), CSV or JSON"))
    statement.add_argument("--output", "-o", metavar=_("FILE"),
                           help=_("write to FILE (readable by you only) instead of printing"))
    plan = actions.add_parser("plan", help=_("show the plan in force, or store one from a file"))
    plan_actions = plan.add_subparsers(title=_("plan"), metavar="show|set", dest="plan_action",
                                       parser_class=type(parser))
    plan_actions.required = True
    show = plan_actions.add_parser("show", help=_("print the plan in force as TOML"))
    _member_and_period(show)
    store = plan_actions.add_parser("set", help=_("store the plan in a TOML file (the head)"))
    store.add_argument("file", metavar=_("FILE"),
                       help=_("the plan file (see docs/bonus.md), - for stdin"))
    lock = actions.add_parser("lock", help=_("lock a month's statement once paid (the head)"))
    _member_and_period(lock, required=True)
    hours = actions.add_parser("hours", help=_("log hours worked (overtime when outside hours)"))
    hours.add_argument("--member", metavar=_("MEMBER"), help=_("whose hours (default: yours)"))
    hours.add_argument("--day", required=True, metavar=_("DATE"),
                       help=_("10.12.2026, 2026-12-10, today, yesterday, +1d…"))
    hours.add_argument("--start", required=True, metavar=_("HH:MM"))
    hours.add_argument("--end", required=True, metavar=_("HH:MM"))
    hours.add_argument("--client", metavar=_("CLIENT"),
                       help=_("the client they were for (billable)"))
    hours.add_argument("--note", default="", metavar=_("TEXT"))
    market = actions.add_parser("market", help=_("the market ranges statements are compared with"))
    for command in (statement, show, store, lock, hours, market):
        command.add_argument("--workspace", "-w", metavar=_("DIR"), default=argparse.SUPPRESS,
                             help=_("workspace folder (default: $AMTUI_WORKSPACE, else the user "
                                  "data folder)"))


def _member_and_period(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument("--member", metavar=_("MEMBER"), required=required,
                        help=_("login, name or id (default: you)"))
    parser.add_argument("--period", metavar=_("YYYY-MM"), required=required,
                        help=_("the month (default: this month)"))


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from amtui.api import InvalidRecord

    # lazy: pydantic, loaded on first use
    from .plan_file import PlanFileError
    from .statements import NotAllowed

    try:
        return _run(args, workspace)
    except (NotAllowed, PlanFileError, ValueError) as error:
        raise InvalidRecord(str(error)) from None


def _run(args: argparse.Namespace, workspace: Workspace) -> int:
    action = args.bonus_action
    if action == "statement":
        return _statement(args, workspace)
    if action == "plan":
        return _plan(args, workspace)
    if action == "lock":
        return _lock(args, workspace)
    if action == "hours":
        return _hours(args, workspace)
    return _market(workspace)


def _member_id(args: argparse.Namespace, snapshot: Snapshot) -> str:
    """The member ``--member`` names, else the person at the keyboard."""
    # lazy: pydantic, loaded on first use
    from .statements import NotAllowed, find_member, not_a_member, viewer_of

    if args.member:
        return find_member(snapshot, args.member).id
    viewer = viewer_of(snapshot)
    if viewer is None:
        raise NotAllowed(not_a_member())
    return viewer.id


def _who_and_when(args: argparse.Namespace, snapshot: Snapshot) -> tuple[str, Period]:
    # lazy: pydantic, loaded on first use
    from .engine import Period
    from .statements import check_may_see

    member_id = _member_id(args, snapshot)
    check_may_see(snapshot, member_id)
    period = Period.parse(args.period) if args.period else Period.of(snapshot.today)
    return member_id, period


def _statement(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from .facts import read_snapshot
    from .statements import compute_statement

    member_id, period = _who_and_when(args, read_snapshot(workspace, set()))
    snapshot = read_snapshot(workspace, {member_id})
    text = render(compute_statement(snapshot, member_id, period), args.format)
    if args.output:
        write_private(Path(args.output), text)
        echo(args.output)
    else:
        echo(text, end="")
    return 0


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole, readable by the owner only: pay is nobody else's
    business."""
    # lazy: pydantic, loaded on first use
    from amtui.api import write_text_file

    write_text_file(path, text, private=True)


MAX_PLAN_FILE = 100_000
"""The most characters a plan file is read to (a plan takes a few hundred)."""


def _plan(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from .facts import read_snapshot
    from .plan_file import write_plan
    from .store import save_plan

    if args.plan_action == "set":
        try:
            if args.file == "-":
                text = sys.stdin.read(MAX_PLAN_FILE + 1)
            else:
                with open(Path(args.file).expanduser(), encoding="utf-8") as plan_file:
                    text = plan_file.read(MAX_PLAN_FILE + 1)
        except OSError as error:
            raise ValueError(_("cannot read {file}: {strerror}").format(
                file=args.file, strerror=error.strerror)) from None
        except RuntimeError:  # ~user, and no such user
            raise ValueError(_("{file}: no user has that home folder").format(
                file=args.file)) from None
        except UnicodeDecodeError:
            raise ValueError(_("{file} is not UTF-8 text").format(file=args.file)) from None
        if len(text) > MAX_PLAN_FILE:
            raise ValueError(_("{file} is longer than a plan can be ({most:,} characters)").format(
                file=args.file, most=MAX_PLAN_FILE))
        plan, new = save_plan(workspace, text)
        said = (_("added plan {id} «{name}» from {valid_from}") if new
                else _("replaced plan {id} «{name}» from {valid_from}"))
        echo(said.format(id=plan.id, name=plan.name, valid_from=plan.valid_from))
        return 0
    snapshot = read_snapshot(workspace, set())
    member_id, period = _who_and_when(args, snapshot)
    in_force = snapshot.plan_for(member_id, period)
    if in_force is None:
        raise ValueError(_("{name} has no plan in {period}").format(
            name=snapshot.members[member_id].name, period=period))
    echo(write_plan(in_force, snapshot.members), end="")
    return 0


def _lock(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from .engine import Period
    from .facts import read_snapshot
    from .statements import find_member, lock_statement

    member = find_member(read_snapshot(workspace, set()), args.member)
    record = lock_statement(workspace, member.id, Period.parse(args.period))
    echo(_("locked {period} of {name}: {money}").format(
        period=record.period, name=member.name, money=money(record.total, record.currency)))
    return 0


def _hours(args: argparse.Namespace, workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from pydantic import ValidationError

    # lazy: pydantic, loaded on first use
    from amtui.api import Client, describe_validation_error

    # lazy: pydantic, loaded on first use
    from .facts import read_snapshot
    from .records import TimeEntry
    from .store import add_time_entry

    member_id = _member_id(args, read_snapshot(workspace, set()))
    client_id = workspace.repo(Client).resolve(args.client).id if args.client else None
    try:
        entry = TimeEntry(member_id=member_id, day=_day(args.day, "--day", workspace),
                          start=_time(args.start, "--start"),
                          end=_time(args.end, "--end"), client_id=client_id,
                          note=args.note)
    except ValidationError as error:
        raise ValueError(describe_validation_error(error)) from None
    echo(add_time_entry(workspace, entry).id)
    return 0


def _day(text: str, option: str, workspace: Workspace) -> date:
    try:
        return parse_date(text, today_of(workspace))
    except BadDate as error:
        raise ValueError(f"{option}: {error}") from None


def _time(text: str, option: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{option}: {text!r} is not HH:MM").format(
            option=option, text=text)) from None


def _market(workspace: Workspace) -> int:
    # lazy: pydantic, loaded on first use
    from .market import settings_of

    for item in settings_of(workspace).market:
        echo(item.label())
    return 0
