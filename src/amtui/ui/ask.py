"""Two small questions: type a line ("Snooze until when?", a reason, a file name) or pick
one of a short list (a member, a template). Workspace text in them is shown as text, never as
markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from amtui.i18n import N_, _, ngettext
from amtui.services.finder import NameFinder, search_text
from amtui.services.rules import parse_snooze_days
from amtui.ui.safe import content, editable, kept, line
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from datetime import date

    from textual.app import App

    from amtui.services.finder import NameFinder


class AskScreen(LightScreen, ModalScreen[str | None]):
    """One line typed; dismissed with it once ``check`` accepts it (it returns a problem or
    None). Esc cancels."""

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $primary; background: $surface;
        padding: 0 1;
    }
    AskScreen #ask-question { text-style: bold; }
    AskScreen #ask-problem { color: $error; height: auto; }
    AskScreen #ask-hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="ask.cancel"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="ask.quit", show=False),
    ]

    def __init__(self, question: str, default: str = "",
                 check: Callable[[str], str | None] | None = None, *, context: str = "",
                 hint: str = "", placeholder: str = "") -> None:
        """``context``: what the question is about, under it; ``hint``: the line at the
        bottom (the keys, by default); ``placeholder``: shown while nothing is typed."""
        super().__init__()
        self.question = question
        self.default = default
        self.check = check
        self.context = context
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(line(self.question, 200), id="ask-question")
            if self.context:
                yield Static(content(self.context))
            yield Input(value=editable(self.default), id="ask-answer", select_on_focus=False,
                        placeholder=self.placeholder)
            yield Static("", id="ask-problem")
            yield Static(Content(self.hint or _("Enter: done · Esc: cancel")), id="ask-hint")

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


def next_starting(labels: list[str], current: int, letter: str) -> int | None:
    """The index of the next label after ``current`` (round the end) that starts with
    ``letter``, whatever the case; None if none does."""
    letter = letter.casefold()
    for step in range(1, len(labels) + 1):
        index = (current + step) % len(labels)
        if labels[index].casefold().startswith(letter):
            return index
    return None


class PickScreen(LightScreen, ModalScreen[str | None]):
    """One value from a short list: ↑↓ (or the first letter) and Enter; Esc leaves things as
    they are. With ``search`` (a list of people, say), what is typed narrows the list as a
    picker does: any part of a word, a typo, the other keyboard layout."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PickScreen #pick-title { text-style: bold; }
    PickScreen OptionList { height: auto; max-height: 16; border: none; }
    PickScreen #pick-search { border: none; height: 1; padding: 0; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="pick.cancel"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="pick.quit", show=False),
    ]

    def __init__(self, title: str, options: list[tuple[Content, str]], current: str = "",
                 context: str = "", *, search: bool = False) -> None:
        """``options``: (label, value) pairs; ``current``: the value highlighted first;
        ``search``: a line above the list to narrow it by typing."""
        super().__init__()
        self.pick_title = title
        self.options = options
        self.current = current
        self.context = context
        self.search = search
        self.shown = list(range(len(options)))
        """Which of ``options`` the list shows, in its order."""
        self._finder: NameFinder | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(line(self.pick_title, 200), id="pick-title")
            if self.context:
                yield Static(content(self.context))
            if self.search:
                yield Input(placeholder=_("Type to narrow the list"), id="pick-search")
            yield OptionList(*(label for label, _value in self.options), id="choices")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _label, value in self.options]
        if self.current in values:
            options.highlighted = values.index(self.current)
        if self.search:
            self.query_one("#pick-search", Input).focus()
        else:
            options.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Show only the options whose labels match what is typed, best first."""
        event.stop()

        if search_text(event.value):
            if self._finder is None:  # indexed once, at the first letter typed
                self._finder = NameFinder({"id": str(index), "name": label.plain}
                                          for index, (label, _value) in enumerate(self.options))
            self.shown = [int(index) for index, _name in self._finder.find(event.value)]
        else:
            self.shown = list(range(len(self.options)))
        options = self.query_one(OptionList)
        options.set_options(self.options[index][0] for index in self.shown)
        options.highlighted = 0 if self.shown else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and self.shown:
            self.dismiss(self.options[self.shown[highlighted]][1])

    def on_key(self, event: Key) -> None:
        """↑↓ from the search line move in the list; without one, a letter or digit: the next
        value whose label starts with it."""
        options = self.query_one(OptionList)
        if self.search:
            if event.key == "down":
                event.stop()
                options.action_cursor_down()
            elif event.key == "up":
                event.stop()
                options.action_cursor_up()
            return
        if not (event.character or "").isalnum():
            return
        event.stop()
        labels = [label.plain for label, _value in self.options]
        found = next_starting(labels, options.highlighted or 0, event.character or "")
        if found is not None:
            options.highlighted = found

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[self.shown[event.option_index]][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_snooze(app: App[Any], about: str, today: date, snoozed: Callable[[int], None]) -> None:
    """The one snooze dialog: how long ``about`` (a message, a client's update) keeps off
    Today, typed as ``amtui snooze`` takes it (3, tomorrow, fri, 10.12); ``snoozed`` gets the
    number of days."""

    def check(text: str) -> str | None:
        try:
            parse_snooze_days(text, today)
        except ValueError as error:
            return str(error)
        return None

    def answered(text: str | None) -> None:
        if text is not None:
            snoozed(parse_snooze_days(text, today))

    app.push_screen(AskScreen(_("Snooze until when?"), check=check, context=about,
                              placeholder=_("days (3) or a day: tomorrow, fri, 10.12")),
                    answered)


def snoozed_for(days: int) -> str:
    """The notice once a snooze is saved."""
    return ngettext("Snoozed for {days} day", "Snoozed for {days} days", days).format(days=days)
