"""A choice of a few values in one line: ←/→ (or space) go through them, a letter jumps to the
next one starting with it, Enter or a click opens the list to pick from. Lighter than Textual's
``Select`` (one widget, no overlay), which made every form slow to open."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Click, Key
from textual.widgets import Static

from amtui.i18n import N_
from amtui.ui.ask import PickScreen, next_starting
from amtui.ui.safe import line


class Choice(Static, can_focus=True):
    """One of ``choices`` ((label, value) pairs); ``value`` reads and sets the value chosen.
    Labels are shown as text, never as markup."""

    DEFAULT_CSS = """
    Choice {
        width: 1fr; height: 3; padding: 0 2;
        background: $surface; color: $foreground; border: tall $border-blurred;
    }
    Choice:focus { border: tall $border; background-tint: $foreground 5%; }
    Choice.-compact { height: 1; padding: 0; border: none; }
    Choice.-compact:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", N_("Previous"), id="choice.previous", show=False),
        Binding("right,space", "step(1)", N_("Next"), id="choice.next", show=False),
        Binding("enter", "pick", N_("Pick"), id="choice.pick",
                tooltip=N_("Pick from the list")),
    ]

    def __init__(self, choices: list[tuple[str, str]], value: str, *, title: str = "",
                 id: str | None = None, compact: bool = False) -> None:
        """``value`` not among ``choices``: the first one. ``title``: the pick list's;
        ``compact``: one line, no border."""
        super().__init__(id=id, classes="-compact" if compact else "")
        self.choices = choices
        self.pick_title = title
        values = [choice for _label, choice in choices]
        self._index = values.index(value) if value in values else 0
        self._show()

    @property
    def value(self) -> str:
        return self.choices[self._index][1] if self.choices else ""

    @value.setter
    def value(self, value: str) -> None:
        values = [choice for _label, choice in self.choices]
        self._index = values.index(value)
        self._show()

    def _show(self) -> None:
        label = self.choices[self._index][0] if self.choices else ""
        self.update(Content.assemble("‹ ", line(label), " ›"))

    def action_step(self, step: int) -> None:
        if self.choices:
            self._index = (self._index + step) % len(self.choices)
            self._show()

    def on_key(self, event: Key) -> None:
        """A letter or digit: the next choice whose label starts with it."""
        if not (event.character or "").isalnum():
            return
        event.stop()
        labels = [label for label, _value in self.choices]
        found = next_starting(labels, self._index, event.character or "")
        if found is not None:
            self._index = found
            self._show()

    def on_click(self, event: Click) -> None:
        event.stop()
        self.action_pick()

    def action_pick(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.value = value
            self.focus()

        options = [(line(label), value) for label, value in self.choices]
        self.app.push_screen(PickScreen(self.pick_title, options, self.value), chosen)
