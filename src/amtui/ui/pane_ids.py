"""The core panes: id, title and where the pane's class lives.

Importable without Textual (the command line checks ``--pane``), and without importing any pane,
so that only the first pane shown is loaded before the first screen is painted.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amtui.i18n import N_

if TYPE_CHECKING:
    from amtui.plugins.host import PluginHost


@dataclass(frozen=True)
class PaneInfo:
    id: str
    title: str
    location: str
    """``module:Class`` of the pane's screen."""

    def create(self) -> Any:
        """A new screen for the pane (its module is imported on first use)."""
        module_name, _colon, class_name = self.location.partition(":")
        return getattr(importlib.import_module(module_name), class_name)()


CORE_PANES = (
    PaneInfo("today", N_("Today"), "amtui.ui.panes.today:TodayPane"),
    PaneInfo("inbox", N_("Inbox"), "amtui.ui.panes.inbox:InboxPane"),
    PaneInfo("clients", N_("Clients"), "amtui.ui.panes.clients:ClientsPane"),
    PaneInfo("board", N_("Board"), "amtui.ui.panes.board:BoardPane"),
    PaneInfo("notes", N_("Notes"), "amtui.ui.panes.notes:NotesPane"),
)

CORE_PANE_IDS = tuple(pane.id for pane in CORE_PANES)


@dataclass(frozen=True)
class PluginPane:
    """A plugin's pane: made by the plugin's factory, or an error panel if that fails."""

    id: str
    title: str
    plugin: str
    factory: Callable[[], Any]
    host: PluginHost

    def create(self) -> Any:
        screen = self.host.run_guarded(self.plugin, self.factory, hook="pane")
        if screen is None:
            # lazy: Textual, not loaded for the CLI
            from amtui.ui.panes.failed import FailedPane

            error = self.host.plugins[self.plugin].error
            return FailedPane(self.id, self.plugin, error)
        # lazy: Textual, not loaded for the CLI
        from amtui.ui.panes.base import PaneScreen

        if isinstance(screen, PaneScreen):  # what it raises then fails only the plugin
            screen.plugin = self.plugin
        return screen


def panes_with_plugins(host: PluginHost) -> list[PaneInfo | PluginPane]:
    """The core panes, then the bundled plugins' (so that their keys never move: 6, 7, 8),
    then the other plugins' (a plugin pane cannot take a core pane's id)."""
    panes: list[PaneInfo | PluginPane] = list(CORE_PANES)
    taken = set(CORE_PANE_IDS)
    found = host.panes()  # in order, then title
    for plugin, spec in sorted(found, key=lambda pair: host.plugins[pair[0]].source != "bundled"):
        if spec.id in taken:
            host.fail(plugin, f"pane id {spec.id!r} is taken")
            continue
        taken.add(spec.id)
        panes.append(PluginPane(spec.id, spec.title, plugin, spec.factory, host))
    return panes


TODAY_LINES = 100
"""Lines Today reads per section at first ("+K more" reads more when a section opens past
them); ``amtui`` reads that many while the app starts (see :mod:`amtui.cli.early_start`)."""
