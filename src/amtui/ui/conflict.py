"""Asked when a save meets a newer version someone else saved: reload, or overwrite."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from amtui.i18n import N_, _
from amtui.ui.safe import content


class ConflictScreen(ModalScreen[bool]):
    """Dismissed with True to overwrite their change, False to keep it (reload)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,escape", "choose(False)", N_("Reload theirs"), id="conflict.reload"),
        Binding("o", "choose(True)", N_("Overwrite with mine"), id="conflict.overwrite"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Static(content(self.message))
            with Horizontal():
                yield Button(_("Reload theirs (r)"), id="reload", variant="primary")
                yield Button(_("Overwrite with mine (o)"), id="overwrite", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite")

    def action_choose(self, overwrite: bool) -> None:
        self.dismiss(overwrite)
