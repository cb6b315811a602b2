"""``amtui import clients|contacts|deals|tasks FILE``: records from a CSV, XLSX or vCard file.

The work is :mod:`amtui.services.importing`'s; this reads the options, shows progress on a
terminal and prints what was (or would be) done. Imports no Textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from amtui.cli import UsageError, workspace_option
from amtui.cli.common import expanded, open_workspace, print_json, table_name
from amtui.cli.exporting import import_all
from amtui.cli.output import ProgressBar
from amtui.i18n import _, ngettext
from amtui.text import one_line

if TYPE_CHECKING:
    from pathlib import Path

    from amtui.services.importing import Outcome, Plan

PRESET_NAMES = {"hubspot": "HubSpot", "amocrm": "amoCRM", "bitrix24": "Bitrix24"}


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "import", help=_("import clients, contacts, deals or tasks from a CSV, XLSX or vCard file"),
        description=_("Import records from a CSV (UTF-8 or cp1251; ; , or tab), XLSX or vCard "
                    "(contacts) file. Columns are found by their headers; see docs/import.md."))
    command.add_argument("table", nargs="?", choices=["clients", "contacts", "deals", "tasks",
                                                      "messages", "telegram"],
                         help=_("what the file holds"))
    command.add_argument("file", nargs="?", metavar=_("FILE"),
                         help=_("a .csv, .xlsx or .vcf file; for messages an .eml file, an mbox "
                              "or a Maildir folder; for telegram a result.json"))
    command.add_argument("--map", default="", metavar=_('"COLUMN=field,..."'),
                         help=_('which column gives which field, e.g. "Компания=name,ИНН=tax_id" '
                              "(field - ignores the column)"))
    command.add_argument("--preset", choices=["hubspot", "amocrm", "bitrix24"],
                         help=_("the CRM that exported the file (default: recognised by its "
                              "headers)"))
    command.add_argument("--on-duplicate", choices=["skip", "update"], default="skip",
                         help=_("a row naming a record already there: skip it (default) or "
                              "update the record with the row's values"))
    command.add_argument("--skip-bad", action="store_true",
                         help=_("import the good rows when some are bad (default: none)"))
    command.add_argument("--dry-run", action="store_true",
                         help=_("say what would be created, updated and skipped; write nothing"))
    command.add_argument("--client", metavar=_("CLIENT"),
                         help=_("the client of rows that name none (contacts, deals, tasks)"))
    command.add_argument("--create-clients", action="store_true",
                         help=_("make the clients that rows name and the workspace lacks"))
    command.add_argument("--json", action="store_true",
                         help=_("print counts and each row's outcome as JSON"))
    command.add_argument("--save-attachments", action="store_true",
                         help=_("messages: save mail attachments in the workspace's files/"))
    command.add_argument("--me", default="", metavar=_("NAME"),
                         help=_("telegram: the agency's side of the chat, when no member has "
                              "that name"))
    command.add_argument("--all", metavar=_("ARCHIVE"),
                         help=_("a whole workspace from `amtui export --all`, into an empty "
                                "one"))
    workspace_option(command, argparse.SUPPRESS)
    command.set_defaults(handler=import_file)


def import_file(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services.importing import (
        ImportRefused,
        Options,
        UnreadableFile,
        load_rows,
        plan_import,
        run_import,
    )

    if args.all:
        return import_all(args)
    if not args.table or not args.file:
        raise UsageError(_("import: name a table and a FILE, or give --all ARCHIVE"))
    path = expanded(args.file, "FILE")
    if args.table in ("messages", "telegram"):
        return import_mail(args, path)
    try:
        rows = load_rows(path, args.table, args.preset, args.map)
    except UnreadableFile as error:
        raise UsageError(f"{args.file}: {error}") from None
    workspace = open_workspace(args, create=not args.dry_run)
    options = Options(on_duplicate=args.on_duplicate, skip_bad=args.skip_bad,
                      client=args.client, create_clients=args.create_clients)
    progress = ProgressBar(_("rows"))
    try:
        if args.dry_run:
            plan = plan_import(workspace, args.table, rows, options, progress=progress)
        else:
            plan = run_import(workspace, args.table, rows, options, progress=progress)[0]
    except ImportRefused as refused:
        progress.done()
        _report(refused.plan, args, refused=True)
        sys.stderr.write(_("amtui: error: {problem}").format(problem=refused) + "\n")
        return 2
    except UnreadableFile as error:
        progress.done()
        raise UsageError(str(error)) from None
    progress.done()
    _report(plan, args)
    return 2 if plan.bad and args.dry_run and not args.skip_bad else 0


def import_mail(args: argparse.Namespace, path: Path) -> int:
    """``amtui import messages PATH`` and ``amtui import telegram result.json --client C``:
    see :mod:`amtui.services.mail_import` and :mod:`amtui.services.telegram_import`."""
    # lazy: pydantic, not loaded for --help
    from amtui.services.importing import UnreadableFile
    from amtui.services.mail_import import plan_mail, read_mails, run_mail_import
    from amtui.services.telegram_import import plan_chat, read_chat, run_chat_import

    if args.table == "telegram" and not args.client:
        raise UsageError(_("import telegram: --client is required"))
    workspace = open_workspace(args, create=not args.dry_run)
    try:
        if args.table == "telegram" and args.dry_run:
            plan = plan_chat(workspace, read_chat(path), args.client, args.me)
        elif args.table == "telegram":
            plan = run_chat_import(workspace, path, args.client, args.me)[0]
        elif args.dry_run:
            plan = plan_mail(workspace, read_mails(path))
        else:
            plan = run_mail_import(workspace, path, save_attachments=args.save_attachments)[0]
    except UnreadableFile as error:
        raise UsageError(f"{args.file}: {error}") from None
    if args.json:
        print_json({**plan.as_json(), "dry_run": args.dry_run})
        return 0
    summary = _("would add {created} messages, {known} already imported, {unmatched} "
                "without a client") if args.dry_run else _(
        "added {created} messages, {known} already imported, {unmatched} without a client")
    sys.stdout.write(summary.format(created=len(plan.new), known=plan.known,
                                    unmatched=len(plan.unmatched)) + "\n")
    if plan.unmatched and args.table == "messages":
        senders = sorted(set(plan.unmatched))
        shown = ", ".join(one_line(sender, 60) for sender in senders[:5])
        sys.stdout.write(_("no client yet for {senders}{more}: in the Inbox, C makes a client "
                           "from the sender; amtui list messages --no-client lists them").format(
            senders=shown, more="…" if len(senders) > 5 else "") + "\n")
    return 0


def _report(plan: Plan, args: argparse.Namespace, refused: bool = False) -> None:
    """Print the outcome: JSON, or bad rows on stderr and (unless ``refused``) a summary."""
    # lazy: pydantic, not loaded for --help
    from amtui.services.importing import Action

    if args.json:
        print_json({**plan.as_json(), "dry_run": args.dry_run,
                    "written": not (args.dry_run or refused)})
    for outcome in plan.bad:
        said = (_("amtui: warning: {problem}") if args.skip_bad
                else _("amtui: error: {problem}"))
        sys.stderr.write(said.format(problem=_line(outcome)) + "\n")
    if refused or args.json:
        return
    if args.dry_run:
        for outcome in plan.outcomes:
            if outcome.action is not Action.BAD:
                sys.stdout.write(_would(outcome, plan.table) + "\n")
    counts = {action: plan.count(action) for action in Action}
    made = len(plan.new.get("clients", {})) if plan.table != "clients" else 0
    summary = (_("would create {created}, update {updated}, skip {skipped} {table}")
               if args.dry_run else _("created {created}, updated {updated}, skipped "
                                      "{skipped} {table}")).format(
        created=counts[Action.CREATE], updated=counts[Action.UPDATE],
        skipped=counts[Action.SKIP], table=table_name(plan.table))
    if made:
        summary += ngettext("; {count} new client", "; {count} new clients", made).format(
            count=made)
    bad = counts[Action.BAD]
    if bad and args.skip_bad:
        summary += ngettext("; {count} bad row left out", "; {count} bad rows left out",
                            bad).format(count=bad)
    elif bad:
        summary += ngettext("; {count} bad row: nothing would be imported without --skip-bad",
                            "; {count} bad rows: nothing would be imported without "
                            "--skip-bad", bad).format(count=bad)
    if plan.preset:
        summary += _(" ({preset} export columns)").format(preset=PRESET_NAMES[plan.preset])
    sys.stdout.write(summary + "\n")


def _line(outcome: Outcome) -> str:
    return _("line {line}: {reason}").format(line=outcome.line, reason=outcome.reason)


def _would(outcome: Outcome, table: str) -> str:
    # lazy: pydantic, not loaded for --help
    from amtui.services.importing import Action

    name = one_line(outcome.label, 60)
    if outcome.action is Action.CREATE:
        return _("line {line}: create «{name}»").format(line=outcome.line, name=name)
    if outcome.action is Action.UPDATE:
        return _("line {line}: update «{name}» ({reason})").format(
            line=outcome.line, name=name, reason=outcome.reason)
    return _("line {line}: skip «{name}»: {reason}").format(
        line=outcome.line, name=name, reason=outcome.reason)


