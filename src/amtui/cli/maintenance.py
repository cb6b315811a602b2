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
    from amtui.services.doctor import check_workspace, restore_table
    from amtui.text import one_line

    workspace = open_workspace(args)
    if args.restore:
        source = restore_table(workspace, args.restore)
        sys.stdout.write(f"restored data/{args.restore}.json from {source}\n")
    findings = check_workspace(workspace)
    for finding in findings:
        sys.stdout.write(f"{finding.level:<7} {one_line(finding.text)}\n")
    problems = sum(1 for finding in findings if finding.level == "problem")
    sys.stdout.write(f"{problems} problem(s) found\n" if problems else "workspace is healthy\n")
    return 1 if problems else 0


def run_backup(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    folder = workspace.backup()
    sys.stdout.write(f"{folder}\n")
    return 0
