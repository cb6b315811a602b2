"""What shows in place of a plugin pane that could not be made."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from amtui.i18n import _
from amtui.ui.panes.base import PaneScreen
from amtui.ui.safe import content


def failure_notice(plugin: str, error: str) -> Static:
    """Which plugin failed, why, and how to look into it."""
    return Static(Content.assemble(
        (_("This pane could not be opened."), "bold"), "\n\n",
        _("Plugin: "), content(plugin), "\n", _("Error: "), content(error), "\n\n",
        _("The rest of amtui works. `amtui plugins` lists every plugin and its state; "
          "`amtui --safe-mode` starts with amtui's own plugins only."),
    ), id="failed-pane")


class FailedPane(PaneScreen):
    """The plugin's pane failed: say which plugin, why, and how to look into it."""

    def __init__(self, pane_id: str, plugin: str, error: str) -> None:
        self.PANE_ID = pane_id
        super().__init__()
        self.plugin = plugin
        self.error = error

    def compose_body(self) -> ComposeResult:
        yield failure_notice(self.plugin, self.error)

    def on_mount(self) -> None:
        super().on_mount()
        self.amtui.show_plugin_failures()
