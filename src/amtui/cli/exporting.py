"""``amtui export TABLE --format F [--output FILE]`` and ``amtui export --all ARCHIVE.zip``;
``amtui import --all ARCHIVE.zip`` (the rest of ``import`` is :mod:`amtui.cli.importing`'s).

The work is :mod:`amtui.services.exporting`'s and :mod:`amtui.services.archive`'s; this reads
the options, shows progress on a terminal and says what was written. Imports no Textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from amtui import __version__
from amtui.cli import UsageError, workspace_option
from amtui.cli.common import (
    check_access,
    expanded,
    open_workspace,
    print_json,
    table_name,
    workspace_path,
)
from amtui.cli.output import ProgressBar
from amtui.cli.plugins import load_host, report_failures
from amtui.i18n import _

if TYPE_CHECKING:
    from pathlib import Path



def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "export", help=_("export a table as CSV, JSON, XLSX, vCard, iCalendar or Markdown, or "
                         "the whole workspace as a ZIP archive"),
        description=_("Export records with the column names `amtui import` reads; see "
                      "docs/export.md."))
    command.add_argument("table", nargs="?", metavar=_("TABLE"),
                         help=_("what to export: {tables}").format(
                             tables="clients, contacts, deals, tasks, messages, notes"))
    command.add_argument("--format", "-f", default="csv", metavar=_("FORMAT"),
                         help=_("{formats} (default: csv; vcf for contacts, ics for tasks, "
                                "markdown for notes)").format(
                                    formats="csv, json, xlsx, vcf, ics, markdown"))
    command.add_argument("--output", "-o", metavar=_("FILE"),
                         help=_("the file to write (default: standard output; xlsx needs a "
                                "file, markdown a new or empty folder)"))
    command.add_argument("--excel", action="store_true",
                         help=_("CSV for Russian Excel: UTF-8 with a BOM, ; between cells, "
                                "decimal commas"))
    command.add_argument("--client", metavar=_("CLIENT"),
                         help=_("only this client's records (its name or id)"))
    command.add_argument("--open", action="store_true",
                         help=_("only open records (tasks not done, messages awaiting an "
                                "answer, deals neither won nor lost)"))
    command.add_argument("--all", metavar=_("ARCHIVE"),
                         help=_("the whole workspace, plugins' tables and the trash included, "
                                "into a ZIP archive"))
    command.add_argument("--json", action="store_true",
                         help=_("print what was written as JSON"))
    workspace_option(command, argparse.SUPPRESS)
    command.set_defaults(handler=export_command)


def export_command(args: argparse.Namespace) -> int:
    # lazy: kept out of `amtui --help`
    from amtui.services.exporting import ExportRefused, Filters, check_choice, export

    if args.all:
        return export_all(args)
    if not args.table:
        raise UsageError(_("export: name a table, or give --all ARCHIVE"))
    output = expanded(args.output, "--output") if args.output else None
    if args.json and output is None:
        raise UsageError(_("--json needs --output (the records go to standard output)"))
    if args.excel and args.format != "csv":
        raise UsageError(_("--excel is for --format csv"))
    try:
        check_choice(args.table, args.format, output)
        workspace = open_workspace(args)
        done = export(workspace, args.table, args.format, output, excel=args.excel,
                      filters=Filters(args.client, args.open), write=_to_stdout)
    except ExportRefused as error:
        raise UsageError(str(error)) from None
    if args.json:
        print_json(done.as_json())
    elif output is not None:
        sys.stderr.write(_("exported {count} {table} to {output}").format(
            count=done.count, table=table_name(done.table), output=output) + "\n")
    return 0


def _to_stdout(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def export_all(args: argparse.Namespace) -> int:
    # lazy: orjson, loaded with the store
    from amtui.services.archive import BadArchive, export_archive

    if args.table or args.output or args.excel or args.client or args.open:
        raise UsageError(_("export --all takes the archive's name and no table or other "
                           "options"))
    output = expanded(args.all, "--all")
    if not output.parent.is_dir():
        raise UsageError(_("{folder}: no such folder").format(folder=output.parent))
    workspace = open_workspace(args)
    plugins = load_host(args)
    plugins.attach(workspace)
    report_failures(plugins)
    progress = ProgressBar(_("records"))
    try:
        summary = export_archive(workspace, output, progress, __version__)
    except BadArchive as error:
        raise UsageError(str(error)) from None
    finally:
        progress.done()
    for path in summary.left_out:
        sys.stderr.write(_("amtui: warning: data/{path} left out: no plugin loaded here keeps "
                           "it").format(path=path) + "\n")
    if args.json:
        print_json(summary.as_json())
    else:
        sys.stdout.write(_("exported {records} records of {tables} tables and {files} files to "
                           "{output}").format(records=sum(summary.tables.values()),
                                              tables=len(summary.tables), files=summary.files,
                                              output=output) + "\n")
    return 0


def import_all(args: argparse.Namespace) -> int:
    """``amtui import --all ARCHIVE``: a whole workspace into an empty one."""
    # lazy: orjson, loaded with the store
    from amtui.services.archive import (
        BadArchive,
        NotEmpty,
        import_archive,
        import_into_new,
        read_archive,
    )

    if args.table or args.file or any(
            getattr(args, option) for option in ("map", "preset", "skip_bad", "dry_run",
                                                 "client", "create_clients",
                                                 "save_attachments", "me")):
        raise UsageError(_("import --all takes the archive alone, no table, file or other "
                           "options"))
    path: Path = expanded(args.all, "--all")
    try:
        archive = read_archive(path)
    except BadArchive as error:
        raise UsageError(str(error)) from None
    root = workspace_path(args)
    check_access(root)
    plugins = load_host(args)
    progress = ProgressBar(_("records"))
    try:
        if _new(root):
            summary = import_into_new(root, archive, plugins.attach, progress)
        else:
            workspace = open_workspace(args, create=True)
            plugins.attach(workspace)
            summary = import_archive(workspace, archive, progress)
    except (BadArchive, NotEmpty) as error:
        raise UsageError(str(error)) from None
    finally:
        progress.done()
        report_failures(plugins)
    if args.json:
        print_json(summary.as_json())
    else:
        sys.stdout.write(_("imported {records} records of {tables} tables and {files} files "
                           "into {root}").format(records=sum(summary.tables.values()),
                                                 tables=len(summary.tables),
                                                 files=summary.files, root=root)
                         + "\n")
    return 0


def _new(root: Path) -> bool:
    """Whether ``root`` can be made whole beside it and renamed into place: it does not exist
    or is an empty folder, in a folder that does."""
    try:
        return root.parent.is_dir() and (not root.exists() or (
            root.is_dir() and not root.is_symlink() and not any(root.iterdir())))
    except OSError:
        return False


