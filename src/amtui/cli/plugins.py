"""``amtui plugins``: what is installed and in what state; ``amtui plugins new``: a plugin
package to start from; and the subcommands plugins add to ``amtui``."""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from amtui.cli import Parser, UsageError, language_option, workspace_option
from amtui.cli.common import (
    check_access,
    expanded,
    open_workspace,
    print_json,
    readable_folder,
    workspace_path,
)
from amtui.i18n import N_, _
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.plugins.host import PluginHost, PluginInfo


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plugins = commands.add_parser("plugins", help=_("list plugins: source, hooks, status, errors"))
    plugins.add_argument("--json", action="store_true", help=_("print JSON"))
    workspace_option(plugins, argparse.SUPPRESS)
    plugins.set_defaults(handler=list_plugins)
    actions = plugins.add_subparsers(title=_("actions"), metavar=_("ACTION"), parser_class=Parser)
    new = actions.add_parser("new", help=_("make a plugin package that passes its own test"))
    new.add_argument("name", metavar=_("NAME"),
                     help=_("the plugin's name: lowercase letters, digits, _"))
    new.add_argument("--dir", default=".", metavar=_("DIR"),
                     help=_("where to make it (default: here)"))
    language_option(new, argparse.SUPPRESS)
    new.set_defaults(handler=new_plugin)


def disabled_plugins(root: Path) -> list[str]:
    """``disabled_plugins`` from the workspace's settings, read without the store."""
    try:
        with open(root / "workspace.toml", "rb") as handle:
            value = tomllib.load(handle).get("disabled_plugins", [])
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return [str(name) for name in value] if isinstance(value, list) else []


def load_host(args: argparse.Namespace) -> PluginHost:
    # lazy: kept out of `amtui --help`
    from amtui.plugins.host import PluginHost

    try:
        root: Path | None = workspace_path(args)
    except UsageError:
        root = None  # the command says so, once the command line is read
    return PluginHost.load(root if root is not None and readable_folder(root) else None,
                           safe_mode=bool(getattr(args, "safe_mode", False)),
                           disabled=disabled_plugins(root) if root is not None else [])


def report_failures(host: PluginHost) -> None:
    """One line on stderr per plugin that failed since the last report."""
    failures, host.failures = host.failures, []
    for name, error in failures:
        sys.stderr.write(_("amtui: plugin {name} failed and is switched off: {error}").format(
            name=one_line(name), error=one_line(error)) + "\n")


STATES = {"loaded": N_("loaded"), "disabled": N_("disabled"), "failed": N_("failed"),
          "shadowed": N_("shadowed")}
"""A plugin's state as the text listing says it (``--json`` keeps the code)."""


def list_plugins(args: argparse.Namespace) -> int:
    # lazy: the plugin host's words, only when plugins are listed
    from amtui.plugins.host import SOURCE_WORDS

    root = workspace_path(args)
    check_access(root)
    host = load_host(args)
    check_settings(host, root)
    listed = []
    for info in host:  # each plugin used, then those it replaces
        listed.append(info)
        listed += [other for other in host.shadowed if other.name == info.name]
    if args.json:
        print_json([info.as_json() for info in listed])
        return 0
    if not listed:
        print(_("no plugins found"))
        return 0
    for info in listed:
        version = f" {info.version}" if info.version else ""
        print(f"{info.name}{version}  [{_(STATES.get(info.status, info.status))}]  "
              f"{_(SOURCE_WORDS.get(info.source, info.source))}: {one_line(info.location)}")
        if info.hooks:
            print(_("    hooks: {hooks}").format(hooks=", ".join(info.hooks)))
        if info.error:
            print(_("    error: {error}").format(error=one_line(info.error)))
        if info.time:
            print(_("    failed in {hook} at {time}; switched off until its files change").format(
                hook=info.hook, time=info.time))
    return 0


def check_settings(host: PluginHost, root: Path) -> None:
    """Check the plugins' settings and tables against the workspace, as the app and every
    command do, so that a plugin they would switch off is listed as failed."""
    if not (root / "workspace.toml").is_file():
        return
    # lazy: pydantic, not loaded for --help
    from amtui.storage import StorageError, Workspace

    try:
        host.attach(Workspace.open(root))
    except StorageError:
        return  # the workspace cannot be opened: the plugins are listed as found


NAME = re.compile(r"[a-z][a-z0-9_]{1,40}")


def new_plugin(args: argparse.Namespace) -> int:
    # lazy: kept out of `amtui --help`
    from amtui.plugins.scaffold import write_plugin

    if not NAME.fullmatch(args.name):
        raise UsageError(_("plugin name {name!r}: use 2-41 lowercase letters, digits and _, "
                           "starting with a letter").format(name=args.name))
    parent = expanded(args.dir, "--dir")
    try:
        is_folder = parent.is_dir()
    except OSError as error:
        raise UsageError(_("--dir: {dir!r}: {strerror}").format(
            dir=args.dir, strerror=error.strerror)) from None
    if not is_folder:
        raise UsageError(_("--dir: {dir!r} is not a folder").format(dir=args.dir)
                         + ("" if parent.exists() else _(" (it does not exist)")))
    folder = parent / f"amtui-{args.name.replace('_', '-')}"
    if folder.exists() or folder.is_symlink():
        raise UsageError(_("{folder} already exists").format(folder=folder))
    try:
        write_plugin(folder, args.name)
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError(_("--dir: cannot make {folder}: {strerror}").format(
            folder=folder, strerror=error.strerror)) from None
    print(folder)
    return 0


def options_everywhere(parser: argparse.ArgumentParser) -> None:
    """Let ``--workspace`` and ``--lang`` come after a plugin command's sub-actions too (as
    after every core command): added to each sub-action's parser that lacks them."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in {id(sub): sub for sub in action.choices.values()}.values():
            if "--workspace" not in sub._option_string_actions:
                names = [name for name in ("--workspace", "-w")
                         if name not in sub._option_string_actions]
                sub.add_argument(*names, metavar=_("DIR"), default=argparse.SUPPRESS,
                                 help=_("workspace folder"))
            if "--lang" not in sub._option_string_actions:
                language_option(sub, argparse.SUPPRESS)
            options_everywhere(sub)


def add_plugin_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                        args_so_far: argparse.Namespace, asked: str | None = None) -> str:
    """Add the subcommands that plugins register (loads the plugins). Returns why ``asked``,
    the command given, cannot run if it is a switched-off plugin's ("" if not): one
    disabled or failed before, or failing now as it adds its arguments."""
    host = load_host(args_so_far)
    taken = set(commands.choices)
    off = None
    for plugin, command in host.cli_commands():
        if command.name in taken:
            host.fail(plugin, _("command {command!r} is taken").format(command=command.name))
            continue
        taken.add(command.name)
        parser = commands.add_parser(command.name, help=_("{help} ({plugin} plugin)").format(
            help=command.help, plugin=plugin))
        workspace_option(parser, argparse.SUPPRESS)
        if host.run_guarded(plugin, lambda parser=parser, command=command:  # type: ignore[misc]
                            command.configure(parser) or True) is None:
            off = host.plugins[plugin] if command.name == asked else off
            continue
        options_everywhere(parser)

        def handler(args: argparse.Namespace, command=command, plugin=plugin) -> int:  # type: ignore[no-untyped-def]
            workspace = open_workspace(args)
            host.attach(workspace)  # may switch it off: a bad value in its settings
            if host.plugins[plugin].status != "loaded":
                raise UsageError(switched_off(command.name, host.plugins[plugin]))
            try:
                return int(command.run(args, workspace) or 0)
            except ValueError as error:  # the plugin's word for bad input: exit 2
                # lazy: pydantic, not loaded for --help
                from pydantic import ValidationError

                if isinstance(error, ValidationError):
                    raise  # described field by field by the usual report
                raise UsageError(str(error)) from None

        parser.set_defaults(handler=handler)
    if asked is not None and asked not in taken:
        off = next((info for info in host if info.status in ("disabled", "failed")
                    and asked in declared_commands(info.source, info.location)), None)
    for name, error in host.failures:
        if off is None or name != off.name:  # its error is in what the command says
            sys.stderr.write(_("amtui: plugin {name} failed: {error}").format(
                name=name, error=error) + "\n")
    return "" if off is None else switched_off(asked or "", off)


def switched_off(command: str, plugin: PluginInfo) -> str:
    """What ``amtui COMMAND`` says when its plugin is switched off."""
    return _("`amtui {command}` is a command of the plugin {plugin}, which is switched off: "
             "{reason} (see `amtui plugins`)").format(
        command=command, plugin=plugin.name, reason=one_line(plugin.error, 300))


SCANNED_FILES = 200
"""The most files of a plugin's source :func:`declared_commands` reads."""


def declared_commands(source: str, location: str) -> set[str]:
    """The command names a plugin's source gives ``CliCommand("name", …)``, read without
    running any of it (the plugin is switched off): a folder plugin's files, or an entry
    point's package where Python would find it."""
    import ast  # lazy: only for a command no loaded plugin has

    if source == "entry point":
        import importlib.util  # lazy: as above

        try:
            spec = importlib.util.find_spec(location.partition(":")[0].partition(".")[0])
        except (ImportError, ValueError):
            return set()
        if spec is None:
            return set()
        paths = [Path(folder) for folder in spec.submodule_search_locations or ()] or (
            [Path(spec.origin)] if spec.origin else [])
    else:
        paths = [Path(location)]
    files = [file for path in paths
             for file in (sorted(path.rglob("*.py")) if path.is_dir() else [path])
             if "__pycache__" not in file.parts][:SCANNED_FILES]
    names = set()
    for file in files:
        try:
            tree = ast.parse(file.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "CliCommand"):
                given = node.args[:1] or [word.value for word in node.keywords
                                          if word.arg == "name"]
                if given and isinstance(given[0], ast.Constant) and isinstance(
                        given[0].value, str):
                    names.add(given[0].value)
    return names
