"""The ``amtui`` command: open the workspace, quick capture, listing, maintenance.

Parsing the command line imports nothing heavy; each command imports what it needs, and the
capture and listing commands never import Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from amtui import __version__
from amtui.i18n import _


class UsageError(Exception):
    """Bad input on the command line: exit status 2, nothing stored changed."""


class CommandFailed(Exception):
    """A failure that is not the input's fault (a plugin could not finish its part): exit
    status 1, one line."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(_("amtui: error: {message} (see `{prog} --help`)").format(
            message=message, prog=self.prog) + "\n")
        raise SystemExit(2)


def workspace_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    """The options every command takes: the workspace, and the language (see
    :func:`language_option`)."""
    parser.add_argument(
        "--workspace", "-w", metavar=_("DIR"), default=default,
        help=_("workspace folder (default: $AMTUI_WORKSPACE, else the user data folder)"),
    )
    language_option(parser, default)


def language_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    """``--lang``: chosen before the parser is built (see :func:`choose_language`); here so
    that every command accepts it, lists it in its help and refuses a language amtui lacks."""
    # lazy: kept out of `import amtui.cli`
    from amtui.language import languages

    parser.add_argument(
        "--lang", metavar=_("LANG"), type=_language, default=default,
        help=_("language of screens and messages: {languages} (default: $AMTUI_LANG, else "
               "config.toml, else the workspace's locale, else $LANG)").format(
                   languages=", ".join(languages())),
    )


def _language(value: str) -> str:
    # lazy: kept out of `import amtui.cli`
    from amtui.language import languages, normalised

    locale = normalised(value)
    if locale is None:
        raise argparse.ArgumentTypeError(_("no language {value!r} (languages: {languages})")
                                         .format(value=value, languages=", ".join(languages())))
    return locale


def choose_language(argv: Sequence[str]) -> str:
    """Use the language this run asks for (``--lang``, else the settings: see
    :mod:`amtui.language`), before any text is built; returns its locale."""
    # lazy: kept out of `import amtui.cli`
    from amtui.cli.common import workspace_path
    from amtui.language import choose

    options = _Lenient(add_help=False)
    options.add_argument("--workspace", "-w")
    options.add_argument("--lang")
    try:
        known = options.parse_known_args(argv)[0]
    except argparse.ArgumentError:  # the full parser says what is wrong, in one line
        known = argparse.Namespace(workspace=None, lang=None)
    try:
        folder: Path | None = workspace_path(known)
    except UsageError:  # a bad --workspace: said in the chosen language, once it is known
        folder = None
    locale = choose(known.lang, folder)
    # lazy: kept out of `import amtui.cli`
    from amtui.cli.argparse_words import speak

    speak()
    return locale


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser; with ``argv`` naming a command amtui does not have, plugins are loaded to
    add theirs (otherwise no plugin is imported)."""
    parser = Parser(
        prog="amtui",
        description=_("A keyboard-driven terminal workspace for account managers."),
    )
    parser.add_argument("--version", action="version", version=f"amtui {__version__}",
                        help=_("show program's version number and exit"))
    workspace_option(parser)
    parser.add_argument("--pane", metavar=_("NAME"),
                        help=_("pane to open first (today, inbox, ...)"))
    parser.add_argument("--theme", metavar=_("NAME"), help=_("colour theme"))
    parser.add_argument("--safe-mode", action="store_true", help=_("load bundled plugins only"))
    commands = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"), parser_class=Parser)

    # cycle: each of these modules imports amtui.cli
    from amtui.cli import capture, exporting, importing, listing, maintenance, plugins, verbs

    for module in (capture, listing, maintenance, plugins, importing, exporting, verbs):
        module.add_commands(commands)
    asked = None if argv is None else _other_command(argv, set(commands.choices))
    if asked is not None:
        options = _Lenient(add_help=False)
        options.add_argument("--workspace", "-w")
        options.add_argument("--lang")
        options.add_argument("--safe-mode", action="store_true")
        try:
            known = options.parse_known_args(argv)[0]
        except argparse.ArgumentError:  # the full parser says what is wrong, in one line
            known = argparse.Namespace(workspace=None, safe_mode=False)
        off = plugins.add_plugin_commands(commands, known, asked)
        if off:  # a switched-off plugin's command: said at once, whatever follows it
            sys.stderr.write(_("amtui: error: {message}").format(message=off) + "\n")
            raise SystemExit(2)
    # lazy: kept out of `import amtui.cli`
    from amtui.cli.open_app import open_app

    parser.set_defaults(handler=open_app)
    return parser


class _Lenient(argparse.ArgumentParser):
    """A first look at the options that choose the plugins: its errors are left to the full
    parser."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def _other_command(argv: Sequence[str], known: set[str]) -> str | None:
    """The first word of ``argv`` that is not an option, if it names no core command."""
    values = {"--workspace", "-w", "--lang", "--pane", "--theme"}
    words = iter(argv)
    for word in words:
        if word in values:
            next(words, None)
        elif not word.startswith("-"):
            return None if word in known else word
    return None


PYDANTIC_PLUGINS_SWITCH = "PYDANTIC_DISABLE_PLUGINS"
"""amtui uses no pydantic plugins; looking for them scans every installed package's metadata
(about 50 ms of each command), so it is switched off unless the user set it."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; what it prints (help and errors included) is made visible on the
    way out (see :mod:`amtui.cli.output`)."""
    # lazy: kept out of `import amtui.cli`
    from amtui.cli.common import discard_created_workspaces, forget_created_workspaces
    from amtui.cli.output import visible_output

    os.environ.setdefault(PYDANTIC_PLUGINS_SWITCH, "__all__")
    # A path given in bytes that are not UTF-8 is printed escaped (\udcff), never a crash.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    arguments = list(sys.argv[1:] if argv is None else argv)
    with visible_output():
        choose_language(arguments)
        parser = build_parser(arguments)
        args = parser.parse_args(arguments)
        forget_created_workspaces()
        status = _run(args)
        if status != 0:
            discard_created_workspaces()
        forget_created_workspaces()
        return status


def _run(args: argparse.Namespace) -> int:
    # lazy: kept out of `amtui --help`
    from amtui.clock import fixed_moment

    try:
        fixed_moment()  # a bad AMTUI_NOW is bad input, before anything is read or stored
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        sys.stderr.write(_("amtui: interrupted; nothing was changed by the unfinished step") + "\n")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as error:
        return report(error)


def report(error: Exception) -> int:
    """Print one line for ``error`` and return the exit status: 2 bad input, 1 other failure."""
    # lazy: pydantic, not loaded for --help
    from pydantic import ValidationError

    # lazy: kept out of `amtui --help`
    # lazy: pydantic, not loaded for --help
    # lazy: kept out of `import amtui.cli`
    from amtui.clock import BadClockSetting
    from amtui.models import describe_validation_error
    from amtui.storage.errors import (
        InvalidRecord,
        RecordNotFound,
        StorageError,
        WorkspaceNotFound,
    )
    from amtui.text import one_line

    if isinstance(error, ValidationError):
        message, status = describe_validation_error(error), 2
    elif isinstance(error, UsageError | BadClockSetting | InvalidRecord | RecordNotFound
                    | WorkspaceNotFound):
        message, status = str(error), 2
    elif isinstance(error, StorageError | CommandFailed):
        message, status = str(error), 1
    elif isinstance(error, OSError) and error.strerror:
        # The system refused (a file vanished, a device failed): not the input's fault.
        where = f": {error.filename}" if error.filename else ""
        message, status = f"{error.strerror}{where}", 1
    else:
        if os.environ.get("AMTUI_DEBUG"):
            raise error
        message = _("unexpected {kind}: {error} (this is a bug in amtui; run again with "
                    "AMTUI_DEBUG=1 to see where)").format(kind=type(error).__name__, error=error)
        status = 1
    sys.stderr.write(_("amtui: error: {message}").format(message=one_line(message)) + "\n")
    return status


def fail(message: str) -> NoReturn:
    raise UsageError(message)
