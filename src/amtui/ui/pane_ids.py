"""The core panes: id, title and where the pane's class lives.

Importable without Textual (the command line checks ``--pane``), and without importing any pane,
so that only the first pane shown is loaded before the first screen is painted.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from amtui.i18n import _


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
    PaneInfo("today", _("Today"), "amtui.ui.panes.today:TodayPane"),
    PaneInfo("inbox", _("Inbox"), "amtui.ui.panes.inbox:InboxPane"),
    PaneInfo("clients", _("Clients"), "amtui.ui.panes.clients:ClientsPane"),
    PaneInfo("board", _("Board"), "amtui.ui.panes.board:BoardPane"),
    PaneInfo("notes", _("Notes"), "amtui.ui.panes.notes:NotesPane"),
)

CORE_PANE_IDS = tuple(pane.id for pane in CORE_PANES)
