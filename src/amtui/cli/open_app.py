"""``amtui`` with no command: open the workspace in the full-screen app.

When amtui is not talking to a terminal (a script, a pipe), it prints the summary instead.
A folder with no workspace yet (none there, or an empty one) opens on the first-run screen,
which makes the workspace.
The app is started before the store is imported, so the first screen shows quickly; the
workspace is opened by the app's first worker.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from amtui.cli import UsageError
from amtui.cli.common import check_access, workspace_path
from amtui.cli.early_start import EarlyAgenda
from amtui.cli.listing import summary
from amtui.cli.output import terminal_output
from amtui.cli.plugins import load_host
from amtui.i18n import _
from amtui.ui.pane_ids import CORE_PANE_IDS, TODAY_LINES, panes_with_plugins

if TYPE_CHECKING:
    from amtui.storage import Workspace

CONFIG_NAME = "workspace.toml"


def open_app(args: argparse.Namespace) -> int:
    pane = args.pane or CORE_PANE_IDS[0]
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    early = _early_agenda(args) if interactive and pane == CORE_PANE_IDS[0] else None
    plugins = load_host(args)
    pane_ids = [info.id for info in panes_with_plugins(plugins)]
    if pane not in pane_ids:
        raise UsageError(_("--pane: no pane {pane!r} (panes: {pane_ids})").format(
            pane=pane, pane_ids=", ".join(pane_ids)))
    if args.theme:
        # lazy: Textual, not loaded for the CLI
        from textual.theme import BUILTIN_THEMES

        # lazy: Textual, not loaded for the CLI
        from amtui.ui.themes import load_theme_files

        names = {*BUILTIN_THEMES, *(theme.name for theme in load_theme_files().themes),
                 *(str(spec.values.get("name")) for _plugin, spec in plugins.themes())}
        if args.theme not in names:
            raise UsageError(_("--theme: no theme {theme!r} (themes: {names})").format(
                theme=args.theme, names=", ".join(sorted(names))))
    if not interactive:
        return summary(args)
    path = workspace_path(args)
    check_access(path)
    new_workspace_at = path.absolute() if _no_workspace_yet(path) else None
    name, keymap = (path.name, {}) if new_workspace_at else _workspace_name_and_keymap(path)
    # lazy: Textual, not loaded for the CLI
    from amtui.ui.app import AmtuiApp

    def open_workspace() -> Workspace:
        # lazy: pydantic, not loaded for --help
        from amtui.storage import Workspace

        return Workspace.open(path)

    with terminal_output():  # the app shows text safely itself, through Textual
        AmtuiApp(open_workspace, pane, theme=args.theme, name=name, plugins=plugins,
                 keymap=keymap, new_workspace_at=new_workspace_at, first_agenda=early).run()
    return 0


def _early_agenda(args: argparse.Namespace) -> EarlyAgenda | None:
    """Today's first sections, read by a copy of the process from now on (before the
    plugins load and Textual starts); None where there is nothing to read yet. Whatever is
    wrong with the workspace is said later, as without it."""
    try:
        path = workspace_path(args)
        check_access(path)
        if _no_workspace_yet(path):
            return None
    except Exception:
        return None
    return EarlyAgenda(path, TODAY_LINES)


def _no_workspace_yet(path: Path) -> bool:
    """Whether ``path`` is where a new workspace can be made: no folder there yet, or an
    empty one (the first-run screen then asks for its settings)."""
    try:
        if not path.exists():
            return True
        return path.is_dir() and next(path.iterdir(), None) is None
    except OSError:
        return False  # the store says what is wrong, as for any other command


def _workspace_name_and_keymap(path: Path) -> tuple[str, dict[str, str]]:
    """The workspace's name and keymap, read from its settings without importing the store."""
    try:
        with open(path / CONFIG_NAME, "rb") as handle:
            settings = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        # Missing or unreadable: the store says what is wrong, as for any other command.
        # lazy: pydantic, not loaded for --help
        from amtui.storage import Workspace

        workspace = Workspace.open(path)
        return workspace.settings.name, workspace.settings.keymap
    keymap = settings.get("keymap", {})
    if not isinstance(keymap, dict) or not all(
            isinstance(value, str) for value in keymap.values()):
        raise UsageError(_('{value}: keymap: each entry must be "binding.id" = "keys"').format(
            value=path / CONFIG_NAME))
    return str(settings.get("name") or path.name), {str(k): v for k, v in keymap.items()}
