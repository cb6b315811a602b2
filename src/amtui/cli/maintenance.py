"""``amtui demo``, ``amtui doctor``, ``amtui backup`` and ``amtui store move``."""

from __future__ import annotations

import argparse
import sys

from amtui.cli import CommandFailed, Parser, UsageError, workspace_option
from amtui.cli.common import open_workspace
from amtui.cli.plugins import load_host, report_failures
from amtui.i18n import _, ngettext
from amtui.text import one_line


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("demo", help=_("fill an empty workspace with realistic demo data"))
    demo.add_argument("--size", default="small", metavar=_("SIZE"),
                      help=_("small (default) or large"))
    demo.add_argument("--seed", type=int, default=1, metavar=_("NUMBER"),
                      help=_("same seed, same day: same data"))
    workspace_option(demo, argparse.SUPPRESS)
    demo.set_defaults(handler=run_demo)

    doctor = commands.add_parser("doctor", help=_("check every data file and say what is wrong"))
    doctor.add_argument("--restore", metavar=_("TABLE"),
                        help=_("put back TABLE's file from the newest backup that has it"))
    workspace_option(doctor, argparse.SUPPRESS)
    doctor.set_defaults(handler=run_doctor)

    backup = commands.add_parser("backup", help=_("snapshot every data file into backups/"))
    workspace_option(backup, argparse.SUPPRESS)
    backup.set_defaults(handler=run_backup)

    store = commands.add_parser("store", help=_("where the records live: `store move --to "
                                                "postgresql` (or `--to files`)"))
    actions = store.add_subparsers(title=_("actions"), metavar=_("ACTION"), required=True,
                                   parser_class=Parser)
    move = actions.add_parser("move", help=_("copy every record into the other store, in one "
                                             "transaction, and switch the workspace to it"))
    move.add_argument("--to", required=True, metavar=_("STORE"),
                      help=_("postgresql (connection from AMTUI_DATABASE_URL or libpq's "
                             "settings) or files"))
    move.add_argument("--schema", metavar=_("NAME"),
                      help=_("the PostgreSQL schema to move into (default: [store]'s, or "
                             "amtui)"))
    workspace_option(move, argparse.SUPPRESS)
    move.set_defaults(handler=run_store_move)


DEMO_NAME = "Demo agency «Северный код»"


def run_demo(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services.demo import SIZES, fill_demo

    if args.size not in SIZES:
        raise UsageError(_("--size: {size!r} is not one of {sizes}").format(
            size=args.size, sizes=", ".join(SIZES)))
    workspace = open_workspace(args, create=True, name=DEMO_NAME)
    filled = [name for name in workspace.table_names if workspace.file(name).count()]
    if filled:
        raise UsageError(
            _("{root} already has data ({filled}); demo data goes into an empty workspace: "
              "choose another --workspace").format(root=workspace.root, filled=", ".join(filled))
        )

    def progress(text: str) -> None:
        sys.stderr.write(_("demo: {text}").format(text=text) + "\n")

    plugins = load_host(args)
    plugins.attach(workspace)
    counts = fill_demo(workspace, args.size, args.seed, progress=progress)
    unfinished = plugins.fill_demo(workspace, args.size, args.seed, progress)
    report_failures(plugins)
    if unfinished:
        raise CommandFailed(_("the demo data is incomplete: {unfinished} could not add theirs "
                              "(see above)").format(unfinished=", ".join(unfinished)))
    sys.stdout.write(
        _("demo workspace at {root}: {clients:,} clients, {tasks:,} tasks, {messages:,} "
          "messages, {notes:,} notes, {deals:,} deals\n").format(
              root=workspace.root, clients=counts.clients, tasks=counts.tasks,
              messages=counts.messages, notes=counts.notes, deals=counts.deals)
    )
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.services.doctor import LEVELS, check_workspace, restore_table

    workspace = open_workspace(args)
    plugins = load_host(args)
    plugins.attach(workspace)  # their tables are checked too
    for name, error in plugins.failures:
        sys.stderr.write(_("amtui: plugin {name} failed: {error}").format(
            name=name, error=one_line(error)) + "\n")
    if args.restore:
        restored, source = restore_table(workspace, args.restore)
        sys.stdout.write(one_line(_("restored {table} from {source}").format(
            table=restored, source=source)) + "\n")
    findings = check_workspace(workspace)
    width = max(len(_(level)) for level in LEVELS.values())
    for finding in findings:
        sys.stdout.write(f"{finding.level_shown:<{width}} {one_line(finding.text)}\n")
    problems = sum(1 for finding in findings if finding.level == "problem")
    if problems:
        sys.stdout.write(ngettext("{count} problem found", "{count} problems found", problems)
                         .format(count=problems) + "\n")
    else:
        sys.stdout.write(_("workspace is healthy") + "\n")
    return 1 if problems else 0


def run_backup(args: argparse.Namespace) -> int:
    """Snapshot every data file; a damaged one is kept as ``<name>.damaged``, said on stderr
    with where its newest readable copy is, and the status is then 1."""
    # lazy: pydantic, not loaded for --help
    from amtui.storage.datafile import readable_copies, snapshots

    workspace = open_workspace(args)
    snapshot = workspace.backup()
    sys.stdout.write(f"{snapshot.folder}\n")
    for relative, problem in snapshot.damaged.items():
        good = next((older for older in reversed(snapshots(workspace.root))
                     if relative in readable_copies(workspace.root, older)), None)
        where = (_("the newest readable copy is in {folder}").format(
                     folder=good.relative_to(workspace.root)) if good
                 else _("no backup holds a readable copy"))
        sys.stderr.write(one_line(_("amtui: data/{file} is damaged ({problem}): kept in this "
                                    "backup as {file}.damaged; {where}").format(
                                        file=relative, problem=problem, where=where)) + "\n")
    return 1 if snapshot.damaged else 0


def run_store_move(args: argparse.Namespace) -> int:
    """Move the records to the other store; a progress bar on a terminal."""
    # lazy: pydantic, not loaded for --help
    from amtui.cli.output import ProgressBar
    from amtui.services.store_move import MoveRefused, move_store

    workspace = open_workspace(args)
    plugins = load_host(args)
    plugins.attach(workspace)  # their tables move too
    report_failures(plugins)
    bar = ProgressBar(_("records"))
    try:
        moved = move_store(workspace, args.to, args.schema, progress=bar)
    except MoveRefused as refused:
        raise UsageError(str(refused)) from None
    finally:
        bar.done()
    sys.stdout.write(ngettext("moved {count:,} record to {store}",
                              "moved {count:,} records to {store}", moved.records)
                     .format(count=moved.records, store=args.to) + "\n")
    if moved.snapshot is not None:
        sys.stdout.write(_("the data files are kept in {folder}").format(
            folder=moved.snapshot.folder.relative_to(workspace.root)) + "\n")
    return 0
