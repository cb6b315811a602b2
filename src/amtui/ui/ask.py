"""A one-line question: "Snooze for how many days?"."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from amtui.i18n import _
from amtui.ui.safe import content, editable, kept


class AskScreen(ModalScreen[str | None]):
    """Dismissed with the answer once ``check`` accepts it (it returns a problem or None)."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical {
        width: 60; height: auto; border: round $primary; background: $surface; padding: 0 1;
    }
    AskScreen #ask-problem { color: $error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="ask.cancel"),
    ]

    def __init__(self, question: str, default: str = "",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.question = question
        self.default = default
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.question))
            yield Input(value=editable(self.default), id="ask-answer")
            yield Static("", id="ask-problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        answer = kept(self.default, event.value)
        problem = self.check(answer) if self.check else None
        if problem:
            self.query_one("#ask-problem", Static).update(content(problem))
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


def check_days(text: str) -> str | None:
    """What is wrong with ``text`` as a number of days to snooze (None: nothing)."""
    from amtui.services.rules import parse_snooze_days

    try:
        parse_snooze_days(text)
    except ValueError as error:
        return str(error)
    return None
