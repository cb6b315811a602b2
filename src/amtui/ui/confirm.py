"""A yes-or-no question asked before something that is hard to take back, and the question
an editor asks before closing with changes not saved."""

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
    from textual.screen import Screen


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


SAVE, DISCARD, KEEP_EDITING = "save", "discard", "keep"
"""The answers of :class:`UnsavedScreen`."""


class UnsavedScreen(LightScreen, ModalScreen[str]):
    """Changes not saved: dismissed with :data:`SAVE` (``s``, or Enter on its button),
    :data:`DISCARD` (``d``) or :data:`KEEP_EDITING` (``k`` or Esc)."""

    DEFAULT_CSS = """
    UnsavedScreen { align: center middle; }
    UnsavedScreen > Vertical {
        width: 90%; max-width: 70; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    UnsavedScreen #unsaved-question { height: auto; margin-bottom: 1; }
    UnsavedScreen Horizontal { height: auto; }
    UnsavedScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('save')", N_("Save"), id="unsaved.save"),
        Binding("d", "choose('discard')", N_("Discard"), id="unsaved.discard"),
        Binding("k,escape", "choose('keep')", N_("Keep editing"), id="unsaved.keep"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.question), id="unsaved-question")
            with Horizontal():
                yield Button(_("Save (s)"), id=SAVE, variant="primary")
                yield Button(_("Discard (d)"), id=DISCARD, variant="warning")
                yield Button(_("Keep editing (Esc)"), id=KEEP_EDITING)

    def on_mount(self) -> None:
        self.query_one(f"#{SAVE}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or KEEP_EDITING)

    def action_choose(self, answer: str) -> None:
        self.dismiss(answer)


def ask_to_delete(app: App[Any], question: str, delete: Callable[[], None]) -> None:
    """Ask ``question`` ("Move the task «Макет» to the trash?"); ``delete`` runs on yes."""
    app.push_screen(ConfirmScreen(question, _("Delete"), _("Keep it")),
                    lambda yes: delete() if yes else None)


def close_unless_kept(screen: Screen[Any], unsaved: bool, question: str) -> None:
    """Close ``screen`` (dismissed with None); with ``unsaved`` changes, only once the user
    agrees to throw them away (``question``: "Discard your changes?")."""
    if not unsaved:
        screen.dismiss(None)
        return
    screen.app.push_screen(ConfirmScreen(question, _("Discard the changes"), _("Keep editing")),
                           lambda discard: screen.dismiss(None) if discard else None)
