"""``amtui demo``, ``amtui doctor`` and ``amtui backup``."""

from __future__ import annotations

import argparse
import sys

from amtui.cli import CommandFailed, UsageError, workspace_option
from amtui.cli.common import open_workspace


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("demo", help="fill an empty workspace with realistic demo data")
    demo.add_argument("--size", default="small", help="small (default) or large")
    demo.add_argument("--seed", type=int, default=1, help="same seed, same day: same data")
    workspace_option(demo, argparse.SUPPRESS)
    demo.set_defaults(handler=run_demo)

    doctor = commands.add_parser("doctor", help="check every data file and say what is wrong")
    doctor.add_argument("--restore", metavar="TABLE",
                        help="put back TABLE's file from the newest backup that has it")
    workspace_option(doctor, argparse.SUPPRESS)
    doctor.set_defaults(handler=run_doctor)

    backup = commands.add_parser("backup", help="snapshot every data file into backups/")
    workspace_option(backup, argparse.SUPPRESS)
    backup.set_defaults(handler=run_backup)


DEMO_NAME = "Demo agency «Северный код»"


def run_demo(args: argparse.Namespace) -> int:
    from amtui.services.demo import SIZES, fill_demo

    if args.size not in SIZES:
        raise UsageError(f"--size: {args.size!r} is not one of {', '.join(SIZES)}")
    workspace = open_workspace(args, create=True, name=DEMO_NAME)
    filled = [name for name in workspace.table_names if workspace.file(name).count()]
    if filled:
        raise UsageError(
            f"{workspace.root} already has data ({', '.join(filled)}); demo data goes into an "
            "empty workspace: choose another --workspace"
        )

    def progress(text: str) -> None:
        sys.stderr.write(f"demo: {text}\n")

    from amtui.cli.plugins import load_host, report_failures

    plugins = load_host(args)
    plugins.attach(workspace)
    counts = fill_demo(workspace, args.size, args.seed, progress=progress)
    unfinished = plugins.fill_demo(workspace, args.size, args.seed, progress)
    report_failures(plugins)
    if unfinished:
        raise CommandFailed(f"the demo data is incomplete: {', '.join(unfinished)} could not "
                             "add theirs (see above)")
    sys.stdout.write(
        f"demo workspace at {workspace.root}: {counts.clients:,} clients, {counts.tasks:,} "
        f"tasks, {counts.messages:,} messages, {counts.notes:,} notes, {counts.deals:,} deals\n"
    )
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from amtui.cli.plugins import load_host
    from amtui.services.doctor import check_workspace, restore_table
    from amtui.text import one_line

    workspace = open_workspace(args)
    plugins = load_host(args)
    plugins.attach(workspace)  # their tables are checked too
    for name, error in plugins.failures:
        sys.stderr.write(f"amtui: plugin {name} failed: {one_line(error)}\n")
    if args.restore:
        restored, source = restore_table(workspace, args.restore)
        sys.stdout.write(one_line(f"restored {restored} from {source}") + "\n")
    findings = check_workspace(workspace)
    for finding in findings:
        sys.stdout.write(f"{finding.level:<7} {one_line(finding.text)}\n")
    problems = sum(1 for finding in findings if finding.level == "problem")
    sys.stdout.write(f"{problems} problem(s) found\n" if problems else "workspace is healthy\n")
    return 1 if problems else 0


def run_backup(args: argparse.Namespace) -> int:
    """Snapshot every data file; a damaged one is kept as ``<name>.damaged``, said on stderr
    with where its newest readable copy is, and the status is then 1."""
    from amtui.storage.datafile import readable_copies, snapshots
    from amtui.text import one_line

    workspace = open_workspace(args)
    snapshot = workspace.backup()
    sys.stdout.write(f"{snapshot.folder}\n")
    for relative, problem in snapshot.damaged.items():
        good = next((older for older in reversed(snapshots(workspace.root))
                     if relative in readable_copies(workspace.root, older)), None)
        where = (f"the newest readable copy is in {good.relative_to(workspace.root)}" if good
                 else "no backup holds a readable copy")
        sys.stderr.write(one_line(f"amtui: data/{relative} is damaged ({problem}): kept in this "
                                  f"backup as {relative}.damaged; {where}") + "\n")
    return 1 if snapshot.damaged else 0
