"""A yes-or-no question asked before something that is hard to take back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from amtui.i18n import N_, _
from amtui.ui.safe import content
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App


class ConfirmScreen(LightScreen, ModalScreen[bool]):
    """Dismissed with True for ``y`` (or the first button), False for ``n`` or Esc."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 90%; max-width: 70; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen #confirm-question { height: auto; margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; }
    ConfirmScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "choose(False)", N_("No"), id="confirm.no"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="confirm.quit", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        """``yes`` and ``no`` say what each answer does ("Discard the changes")."""
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.question), id="confirm-question")
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")
                yield Button(f"{self.no} (n)", id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_choose(self, yes: bool) -> None:
        self.dismiss(yes)


def ask_to_delete(app: App[Any], question: str, delete: Callable[[], None]) -> None:
    """Ask ``question`` ("Move the task «Макет» to the trash?"); ``delete`` runs on yes."""
    app.push_screen(ConfirmScreen(question, _("Delete"), _("Keep it")),
                    lambda yes: delete() if yes else None)
