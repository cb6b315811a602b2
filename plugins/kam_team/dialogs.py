"""Two small modal questions: type a line (a reason, a file name) or pick one of a list (a
member, a purpose). Workspace text in them is shown as text, never as markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from amtui.api.ui import content, editable, kept, line


class Ask(ModalScreen[str | None]):
    """One line typed; dismissed with it once ``check`` finds no problem (it returns the
    problem, or None). Esc cancels."""

    DEFAULT_CSS = """
    Ask { align: center middle; }
    Ask > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $primary;
        background: $surface; padding: 0 1;
    }
    Ask .ask-title { text-style: bold; }
    Ask #ask-problem { color: $error; height: auto; }
    Ask #ask-hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="kam_team.ask.cancel"),
    ]

    def __init__(self, title: str, context: str = "", default: str = "",
                 check: Callable[[str], str | None] | None = None, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.context = context
        self.default = default
        self.check = check
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(line(self.title_text, 200), classes="ask-title")
            if self.context:
                yield Static(content(self.context))
            yield Input(value=editable(self.default), id="ask-answer")
            yield Static("", id="ask-problem")
            yield Static(Content(self.hint or "Enter: done · Esc: cancel"), id="ask-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = kept(self.default, event.value)
        problem = self.check(answer) if self.check else None
        if problem:
            self.query_one("#ask-problem", Static).update(content(problem))
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Pick(ModalScreen[str | None]):
    """One value from a list: ↑↓ and Enter; Esc leaves things as they are."""

    DEFAULT_CSS = """
    Pick { align: center middle; }
    Pick > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    Pick .pick-title { text-style: bold; }
    Pick OptionList { height: auto; max-height: 16; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="kam_team.pick.cancel"),
    ]

    def __init__(self, title: str, options: list[tuple[Content, str]], current: str = "",
                 context: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(line(self.title_text, 200), classes="pick-title")
            if self.context:
                yield Static(content(self.context))
            yield OptionList(*(label for label, _value in self.options), id="pick-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _label, value in self.options]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
