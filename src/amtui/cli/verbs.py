"""A verb for each change the app makes: ``amtui done|edit|move|assign|snooze|delete|restore
ID`` and ``amtui undo``.

Each verb calls the service the app calls for the same change, so the rules and checks are
the same, and records the change in the undo journal the app shares (see
:mod:`amtui.services.journal`): ``amtui undo`` and ``u`` in the app take back the same last
change. ID is a record's id as ``amtui list`` prints it, or the start of it if no other
record's id starts so. Imports no Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amtui.cli import UsageError, workspace_option
from amtui.cli.capture import _read_body
from amtui.cli.common import (
    DATE_HELP,
    department_named,
    hours_option,
    member_named,
    money_option,
    open_workspace,
    parse_day,
    print_json,
    table_name,
)
from amtui.cli.listing import _first_line
from amtui.cli.plugins import load_host, report_failures
from amtui.i18n import N_, _
from amtui.services.rules import parse_snooze_days
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.models import Record
    from amtui.services.undo import Undo
    from amtui.storage import TrashEntry, Workspace

TABLES = ("clients", "tasks", "messages", "notes", "contacts", "deals")
"""The tables the verbs change (named as ``amtui list`` names them)."""


@dataclass(frozen=True)
class Found:
    """The record an ID names."""

    table: str
    record: Record


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def verb(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]
             ) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        if name != "undo":
            parser.add_argument("id", metavar=_("ID"),
                                help=_("the id `amtui list` shows, or its start"))
        parser.add_argument("--json", action="store_true",
                            help=_("print the changed record as JSON"))
        workspace_option(parser, argparse.SUPPRESS)
        parser.set_defaults(handler=handler)
        return parser

    verb("done", _("mark a task done, or a message answered"), done)
    move = verb("move", _("move a task to a board column"), move_task)
    move.add_argument("column", metavar=_("COLUMN"), help=_("the column's id or title"))
    assign = verb("assign", _("give a task, message, client or deal to a member"), assign_to)
    assign.add_argument("member", metavar=_("LOGIN"), help=_("the member's login (or id, or name)"))
    snooze = verb("snooze", _("keep a message, or a client's update, off Today for a while"),
                  snooze_record)
    snooze.add_argument("when", metavar=_("WHEN"),
                        help=_("days (3), or until a day: {dates}").format(dates=_(DATE_HELP)))
    verb("delete", _("move a record to the trash"), delete)
    verb("restore", _("bring a record back from the trash (ID: the deleted record's)"), restore)
    verb("undo", _("take back your last change (made here or in the app)"), undo_last)
    editing = verb("edit", _("change a record's fields (the options `amtui add` takes)"), edit)
    for option, (_field, tables, _parse, help_text) in EDIT_OPTIONS.items():
        flag = "--" + option.replace("_", "-")
        applies = ", ".join(table_name(table) for table in tables)
        if option == "tag":
            editing.add_argument(flag, action="append", metavar=_("TAG"), help=_(
                "a tag (repeatable; replaces the tags) — {tables}").format(tables=applies))
        elif option in ("pin", "unpin", "blocked_by_client", "not_blocked"):
            editing.add_argument(flag, action="store_true", default=None,
                              help=f"{_(help_text)} — {applies}")
        else:
            editing.add_argument(flag, metavar=_(VALUE_WORDS[option]),
                                 help=f"{_(help_text)} — {applies}" if help_text else applies)
    editing.add_argument("--currency", metavar=_("CURRENCY"),
                         help=_("with --amount: ISO code (default: the deal's)"))


# finding the record


def find(workspace: Workspace, typed: str) -> Found:
    """The record whose id is ``typed``, or the only one whose id starts with it (any
    case); bad input if there is none, or more than one."""
    wanted = typed.strip().upper()
    if not wanted:
        raise UsageError(_("ID: empty; give an id as `amtui list` shows it"))
    for table in TABLES:
        exact = workspace.file(table).get(wanted)
        if exact is not None:
            return _found(workspace, table, exact)
    matches = [(table, raw) for table in TABLES for raw in workspace.file(table).scan()
               if str(raw["id"]).upper().startswith(wanted)]
    if not matches:
        raise UsageError(_("no record has an id starting {typed!r} (see `amtui list`)").format(
            typed=typed))
    if len(matches) > 1:
        raise UsageError(_("{typed!r} starts the ids of {count} records ({ids}); type more of "
                           "it").format(typed=typed, count=len(matches),
                                        ids=", ".join(raw["id"] for _t, raw in matches[:3])))
    return _found(workspace, *matches[0])


def _found(workspace: Workspace, table: str, raw: dict[str, Any]) -> Found:
    spec = workspace.table_spec(table)
    assert spec is not None
    return Found(table, workspace.repo(spec.model).get(str(raw["id"])))


def _only(found: Found, verb: str, tables: tuple[str, ...]) -> None:
    if found.table not in tables:
        raise UsageError(_("`{verb}` applies to {tables}, and {id} is one of the {table}")
                         .format(verb=verb, tables=", ".join(map(table_name, tables)),
                                 id=found.record.id, table=table_name(found.table)))


# what the verbs print


def _changed(workspace: Workspace, args: argparse.Namespace, change: Undo, table: str,
             record_id: str, shown: dict[str, Any] | None = None) -> int:
    """Record ``change`` for `amtui undo`, then say what it was: one line, or with --json
    the record as ``amtui list --json`` shows it (``shown``: the record as it was, for one
    that is gone)."""
    # lazy: pydantic, not loaded for --help
    from amtui.services import journal

    journal.record(workspace, change, journal.FROM_COMMAND)
    if args.json:
        raw = workspace.file(table).get(record_id) if shown is None else shown
        print_json(listed(table, raw or {}))
    else:
        _say(change.description)
    return 0


def listed(table: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A record as ``amtui list --json`` prints it (a message with a title: its first
    line)."""
    if table == "messages" and raw:
        return {"id": raw["id"], "title": _first_line(raw["text"]), **raw}
    return dict(raw)


def _say(description: str) -> None:
    sys.stdout.write(one_line(description[:1].upper() + description[1:]) + "\n")


# the verbs


def done(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services import actions

    workspace = open_workspace(args)
    found = find(workspace, args.id)
    _only(found, "done", ("tasks", "messages"))
    if found.table == "tasks":
        if found.record.column == workspace.settings.columns[-1]:  # type: ignore[attr-defined]
            raise UsageError(_("the task {id} is done already").format(id=found.record.id))
        change = actions.mark_task_done(workspace, found.record.id)
    else:
        if found.record.status == "done":  # type: ignore[attr-defined]
            raise UsageError(_("the message {id} is answered already").format(
                id=found.record.id))
        change = actions.mark_message_done(workspace, found.record.id)
    return _changed(workspace, args, change, found.table, found.record.id)


def move_task(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services import board

    workspace = open_workspace(args)
    found = find(workspace, args.id)
    _only(found, "move", ("tasks",))
    column = column_named(workspace, args.column)
    _task, change = board.move(workspace, found.record.id, column)
    return _changed(workspace, args, change, "tasks", found.record.id)


def column_named(workspace: Workspace, typed: str) -> str:
    """The board column ``typed`` names: its id, or its title (any case)."""
    # lazy: pydantic, not loaded for --help
    from amtui.services.board import column_title

    settings = workspace.settings
    folded = typed.strip().casefold()
    for column in settings.columns:
        if folded in (column.casefold(), column.replace("_", " ").casefold(),
                      column_title(settings, column).casefold()):
            return column
    raise UsageError(_("COLUMN: no board column {typed!r} (columns: {columns})").format(
        typed=typed, columns=", ".join(settings.columns)))


def assign_to(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client, Deal, Member, Message, Task
    from amtui.services import board, clients, inbox

    workspace = open_workspace(args)
    found = find(workspace, args.id)
    _only(found, "assign", ("tasks", "messages", "clients", "deals"))
    member = workspace.repo(Member).get(member_id(workspace, args.member, _("LOGIN")))
    record = found.record
    if isinstance(record, Task):
        change = board.save_task(workspace, record.model_copy(update={"assignee": member.name}))[1]
    elif isinstance(record, Message):
        change = inbox.assign(workspace, record, member.id)
    elif isinstance(record, Client):
        change = clients.save_client(workspace, record.model_copy(update={"owner_id": member.id}))
    else:
        assert isinstance(record, Deal)
        change = clients.save_deal(workspace, record.model_copy(update={"owner_id": member.id}))
    return _changed(workspace, args, change, found.table, record.id)


def member_id(workspace: Workspace, typed: str, option: str) -> str:
    """The member ``typed`` names: by login, id or name; bad input naming ``option`` if
    none."""
    # lazy: the store, not loaded for --help
    from amtui.storage import RecordNotFound

    try:
        return member_named(workspace, typed)
    except RecordNotFound:
        raise UsageError(_("{option}: no member {typed!r} (see `amtui list members`)").format(
            option=option, typed=typed)) from None


def snooze_record(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Message
    from amtui.services import actions, inbox

    workspace = open_workspace(args)
    found = find(workspace, args.id)
    _only(found, "snooze", ("messages", "clients"))
    days = snooze_days(workspace, args.when)
    if isinstance(found.record, Message):
        change = inbox.snooze(workspace, found.record, days)
    else:
        change = actions.snooze(workspace, "clients", found.record.id, days)
    return _changed(workspace, args, change, found.table, found.record.id)


def snooze_days(workspace: Workspace, typed: str) -> int:
    """How many days WHEN asks for (the snooze rule reads it)."""
    # lazy: kept out of `amtui --help`
    from amtui.dates import today_of

    try:
        return parse_snooze_days(typed, today_of(workspace))
    except ValueError as error:
        raise UsageError(_("WHEN: {error}").format(error=error)) from None


def delete(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services import actions, clients, inbox, notes

    workspace = open_workspace(args)
    found = find(workspace, args.id)
    record_id = found.record.id
    was = workspace.file(found.table).get(record_id)
    if found.table == "clients":
        change = clients.delete_client(workspace, record_id)
    elif found.table == "messages":
        change = inbox.delete_message(workspace, record_id)
    elif found.table == "notes":
        change = notes.delete_note(workspace, record_id)
    else:
        change = actions.delete(workspace, found.table, record_id)
    return _changed(workspace, args, change, found.table, record_id, shown=was)


def restore(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services import actions

    workspace = open_workspace(args)
    entry = trashed(workspace, args.id)
    change = actions.restore(workspace, entry)
    return _changed(workspace, args, change, entry.source_table, entry.record_id)


def trashed(workspace: Workspace, typed: str) -> TrashEntry:
    """The trash entry of the deleted record whose id is ``typed`` or starts with it (the
    entry's own id is taken too); the newest if it was deleted more than once."""
    # lazy: pydantic, not loaded for --help
    from amtui.storage import TrashBin

    wanted = typed.strip().upper()
    if not wanted:
        raise UsageError(_("ID: empty; give the deleted record's id"))
    entries = TrashBin(workspace).entries()
    exact = [entry for entry in entries if wanted in (entry.record_id, entry.id)]
    matches = exact or [entry for entry in entries
                        if entry.record_id.upper().startswith(wanted)]
    if not matches:
        raise UsageError(_("nothing in the trash has an id starting {typed!r}").format(
            typed=typed))
    if len({entry.record_id for entry in matches}) > 1:
        ids = sorted({entry.record_id for entry in matches})
        raise UsageError(_("{typed!r} starts the ids of {count} records in the trash ({ids}); "
                           "type more of it").format(typed=typed, count=len(ids),
                                                     ids=", ".join(ids[:3])))
    return max(matches, key=lambda entry: entry.deleted_at)


def undo_last(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services import journal
    from amtui.services.undo import NothingToUndo

    workspace = open_workspace(args)
    entry = journal.last_change(workspace)
    if entry is None:
        # lazy: kept out of `amtui --help`
        from amtui.identity import os_user

        raise UsageError(_("nothing to undo: no change of yours ({login}) is recorded in "
                           "this workspace").format(login=os_user()))
    if {step["table"] for step in entry.steps} - set(workspace.table_names):
        plugins = load_host(args)  # the change was to a plugin's records
        plugins.attach(workspace)
        report_failures(plugins)
    try:
        journal.take_back(workspace, entry.id, entry.description)
    except NothingToUndo as notice:  # taken back another way already (restored by hand)
        sys.stderr.write(_("amtui: {notice}").format(notice=one_line(str(notice))) + "\n")
        return 1
    if args.json:
        records = []
        for step in entry.steps:
            raw = workspace.file(step["table"]).get(step["id"])
            records.append({"table": step["table"], "id": step["id"],
                            "record": None if raw is None else listed(step["table"], raw)})
        print_json({"undone": entry.description, "records": records})
    else:
        _say(_("undone: {what}").format(what=entry.description))
    return 0


# edit


def _text(value: str, _workspace: Workspace, _found: Found) -> Any:
    return value


def _day(option: str) -> Callable[[str, Workspace, Found], Any]:
    return lambda value, workspace, _found: parse_day(value, option, workspace)


def _client(value: str, workspace: Workspace, _found: Found) -> Any:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client

    return workspace.repo(Client).resolve(value).id


def _owner(value: str, workspace: Workspace, _found: Found) -> Any:
    return member_id(workspace, value, "--owner")


def _department(value: str, workspace: Workspace, _found: Found) -> Any:
    return department_named(workspace, value)


def _estimate(value: str, _workspace: Workspace, _found: Found) -> Any:
    return hours_option(value, "--estimate")


def _monthly(option: str) -> Callable[[str, Workspace, Found], Any]:
    def parse(value: str, workspace: Workspace, _found: Found) -> Any:
        # lazy: pydantic, not loaded for --help
        from amtui.models.base import MONTHLY_PLACES

        return money_option(value, option, workspace.settings.currency, places=MONTHLY_PLACES)

    return parse


def _body_file(value: str, _workspace: Workspace, _found: Found) -> Any:
    return _read_body(value)


def _flag(value: bool) -> Callable[[Any, Workspace, Found], Any]:
    return lambda _given, _workspace, _found: value


EDIT_OPTIONS: dict[str, tuple[str, tuple[str, ...], Callable[[Any, Workspace, Found], Any],
                              str]] = {
    "title": ("title", ("tasks", "notes", "deals"), _text, ""),
    "name": ("name", ("clients", "contacts"), _text, ""),
    "text": ("text", ("messages",), _text, ""),
    "client": ("client_id", ("tasks", "notes"), _client, N_("client id or exact name")),
    "due": ("due", ("tasks",), _day("--due"), DATE_HELP),
    "department": ("department", ("tasks",), _department, ""),
    "assignee": ("assignee", ("tasks",), _text, N_("who in the department does it")),
    "priority": ("priority", ("tasks", "messages"), _text, N_("low, normal, high or urgent")),
    "description": ("description", ("tasks",), _text, ""),
    "estimate": ("estimate_hours", ("tasks",), _estimate, N_("hours")),
    "blocked_by_client": ("blocked_by_client", ("tasks",), _flag(True),
                          N_("waiting for something from the client")),
    "not_blocked": ("blocked_by_client", ("tasks",), _flag(False),
                    N_("no longer waiting for the client")),
    "kind": ("kind", ("clients", "messages", "notes"), _text, ""),
    "status": ("status", ("clients", "messages", "deals"), _text, ""),
    "owner": ("owner_id", ("clients", "deals"), _owner, N_("owning member: login, id or name")),
    "stage": ("stage", ("clients",), _text, ""),
    "industry": ("industry", ("clients",), _text, ""),
    "channel": ("channel", ("clients", "messages"), _text,
                N_("telegram, whatsapp, email, phone…")),
    "timezone": ("timezone", ("clients",), _text, N_("IANA zone, e.g. Asia/Yekaterinburg")),
    "cadence": ("cadence", ("clients",), _text, N_("daily, weekly, biweekly, monthly, none")),
    "revenue": ("monthly_revenue", ("clients",), _monthly("--revenue"), N_("monthly revenue")),
    "cost": ("cost_to_serve", ("clients",), _monthly("--cost"), N_("monthly cost to serve")),
    "tag": ("tags", ("clients", "notes"), _text, ""),
    "body": ("body", ("notes",), _text, ""),
    "body_file": ("body", ("notes",), _body_file, N_("read the body from FILE (- for stdin)")),
    "pin": ("pinned", ("notes",), _flag(True), N_("pin the note")),
    "unpin": ("pinned", ("notes",), _flag(False), N_("unpin the note")),
    "role": ("role", ("contacts",), _text, N_("job title")),
    "email": ("email", ("contacts",), _text, ""),
    "phone": ("phone", ("contacts",), _text, ""),
    "messenger": ("messenger", ("contacts",), _text, ""),
    "influence": ("influence", ("contacts",), _text,
                  N_("decision_maker, champion, blocker or stakeholder")),
    "amount": ("amount", ("deals",), _text, ""),
    "signed": ("signed_on", ("deals",), _day("--signed"), DATE_HELP),
    "paid": ("paid_on", ("deals",), _day("--paid"), DATE_HELP),
}
"""``edit``'s options: option → (field, the tables it applies to, how its value is read,
help)."""

VALUE_WORDS = {
    "title": N_("TITLE"), "name": N_("NAME"), "text": N_("TEXT"), "client": N_("CLIENT"),
    "due": N_("DATE"), "department": N_("DEPARTMENT"), "assignee": N_("ASSIGNEE"),
    "priority": N_("PRIORITY"), "description": N_("DESCRIPTION"), "estimate": N_("HOURS"),
    "kind": N_("KIND"), "status": N_("STATUS"), "owner": N_("MEMBER"), "stage": N_("STAGE"),
    "industry": N_("INDUSTRY"), "channel": N_("CHANNEL"), "timezone": N_("ZONE"),
    "cadence": N_("CADENCE"), "revenue": N_("AMOUNT"), "cost": N_("AMOUNT"), "body": N_("TEXT"),
    "body_file": N_("FILE"), "role": N_("ROLE"), "email": N_("EMAIL"), "phone": N_("PHONE"),
    "messenger": N_("MESSENGER"), "influence": N_("INFLUENCE"), "amount": N_("AMOUNT"),
    "signed": N_("DATE"), "paid": N_("DATE"),
}
"""What ``edit --help`` calls the value of each option that takes one."""

FIELD_NAMES = {("clients", "channel"): "preferred_channel"}
"""Where an option's field is named otherwise for one table."""


def edit(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client, Contact, Deal, Message, Note, Task
    from amtui.services import board, clients, inbox, notes

    given = {option: value for option in EDIT_OPTIONS
             if (value := getattr(args, option)) is not None}
    if args.currency is not None and "amount" not in given:
        raise UsageError(_("--currency goes with --amount"))
    for pair in (("pin", "unpin"), ("blocked_by_client", "not_blocked"), ("body", "body_file")):
        if all(option in given for option in pair):
            raise UsageError(_("--{one} and --{other} cannot go together").format(
                one=pair[0].replace("_", "-"), other=pair[1].replace("_", "-")))
    if not given:
        raise UsageError(_("edit: say what to change, e.g. --title TEXT (see `amtui edit "
                           "--help`)"))
    workspace = open_workspace(args)
    found = find(workspace, args.id)
    for option in given:
        tables = EDIT_OPTIONS[option][1]
        if found.table not in tables:
            raise UsageError(_("--{option} does not apply to {table} (it applies to {tables})")
                             .format(option=option.replace("_", "-"),
                                     table=table_name(found.table),
                                     tables=", ".join(map(table_name, tables))))
    changes: dict[str, Any] = {}
    for option, value in given.items():
        field, _tables, parse, _help = EDIT_OPTIONS[option]
        field = FIELD_NAMES.get((found.table, option), field)
        changes[field] = parse(value, workspace, found)
    if "amount" in given:
        changes["amount"] = _deal_amount(workspace, found, given["amount"], args.currency)
    record = found.record
    if "blocked_by_client" in changes and isinstance(record, Task):
        changes["blocked_since"] = workspace.clock() if changes["blocked_by_client"] else None
    changed = type(record).model_validate({**record.model_dump(), **changes})
    save: dict[type[Any], Callable[[Workspace, Any], Undo]] = {
        Task: lambda w, r: board.save_task(w, r)[1], Message: inbox.save_message,
        Client: clients.save_client, Contact: clients.save_contact, Deal: clients.save_deal,
        Note: notes.save_note,
    }
    change = save[type(record)](workspace, changed)
    return _changed(workspace, args, change, found.table, record.id)


def _deal_amount(workspace: Workspace, found: Found, typed: str,
                 currency: str | None) -> Any:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Money

    code = (currency or found.record.amount.currency).upper()  # type: ignore[attr-defined]
    return Money(amount=money_option(typed, "--amount", code), currency=code)
