"""A picker field: type part of a name (with a typo, without «», in the other keyboard layout)
and take the record from the suggestions listed under it; for clients, "new client…" makes one
in place and takes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from amtui.i18n import _
from amtui.services.finder import NameFinder
from amtui.text import one_line
from amtui.ui.safe import editable, line

if TYPE_CHECKING:
    from textual.app import App

    from amtui.storage import Workspace

MATCHES_SHOWN = 8
"""Suggestions listed under a picker while typing."""
NEW = "\x00new"
"""The option id of "new client…" (no record id starts with a NUL)."""

Picked = Callable[[str, str], None]
"""Told the (id, name) of a record made from the picker."""


@dataclass(frozen=True)
class Picker:
    """What a picker field chooses from."""

    finder: NameFinder
    noun: str = ""
    """What one record is called, for the messages: "client", "member"."""
    create: Callable[[Any, str, Picked], None] | None = None
    """Make a new record named as typed: asks (a small form), saves, then tells ``picked``.
    Called with the app, the typed text and ``picked``; None: nothing can be made here."""


def client_picker(workspace: Workspace, *, new: bool = True) -> Picker:
    """The workspace's clients; "new client…" makes one (unless ``new`` is false: a filter)."""
    return Picker(_finder(workspace, "clients"), _("client"), create_client if new else None)


def member_picker(workspace: Workspace) -> Picker:
    """The workspace's team members."""
    return Picker(_finder(workspace, "members"), _("member"))


def _finder(workspace: Workspace, table: str) -> NameFinder:
    """The records of ``table``, read when first searched; one is named by its id before."""
    data = workspace.file(table)

    def lookup(record_id: str) -> str:
        record = data.get(record_id) if record_id else None
        return str(record.get("name") or "") if record else ""

    return NameFinder(data.scan(), table, lookup)


def create_client(app: App[Any], typed: str, picked: Picked) -> None:
    """Ask for a new client's name and kind, save it, then tell ``picked``."""
    from amtui.ui.client_forms import quick_client

    quick_client(app, typed, picked)


class PickerField(Vertical):
    """A text box and, while typing, the records that match under it. ↑↓ move in the list,
    Enter takes the highlighted one; "new client…" at the end makes one."""

    DEFAULT_CSS = """
    PickerField { height: auto; }
    PickerField > OptionList {
        display: none; height: auto; max-height: 9; border: none; background: $panel;
    }
    PickerField.-matching > OptionList { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", _("Next suggestion"), id="picker.next", show=False),
        Binding("up", "move(-1)", _("Previous suggestion"), id="picker.previous", show=False),
    ]

    def __init__(self, picker: Picker, value: str, input_id: str, placeholder: str = "", *,
                 record_id: str = "", compact: bool = False) -> None:
        """``value``: the text shown; ``record_id``: the record it names, if one is chosen."""
        super().__init__()
        self.picker = picker
        self.initial = value
        self.input_id = input_id
        self.placeholder = placeholder
        self.compact = compact
        self.picked: tuple[str, str] | None = (record_id, editable(value)) if record_id else None
        """(id, name as shown) of the record last taken from the list."""

    @property
    def finder(self) -> NameFinder:
        return self.picker.finder

    def on_mount(self) -> None:
        self.run_worker(self.finder.warm, thread=True, group="picker", exit_on_error=False)

    def compose(self) -> ComposeResult:
        yield Input(editable(self.initial), placeholder=self.placeholder, id=self.input_id,
                    compact=self.compact, select_on_focus=False)
        matches = OptionList()
        matches.can_focus = False
        yield matches

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    @property
    def record_id(self) -> str | None:
        """The record meant: the one taken from the list, or the only one the text names."""
        typed = self.text
        if self.picked and typed == self.picked[1]:
            return self.picked[0]
        return self.finder.resolve(typed)

    def optional_choice(self) -> tuple[str, str] | None:
        """("", "") if nothing is typed, (id, name) of the record meant, or None if the text
        names no single record (:meth:`problem` says why)."""
        if not self.text.strip():
            return "", ""
        found = self.record_id
        if found is None:
            return None
        return found, self.picked[1] if self.picked and self.picked[0] == found \
            else self.finder.name(found)

    def problem(self) -> str:
        """Why no single record is meant by what is typed."""
        typed = self.text.strip()
        noun = self.picker.noun or _("record")
        if not typed:
            return _("type part of the {noun}'s name and take one from the list").format(
                noun=noun)
        shown = one_line(typed, 40)
        if not self.finder.find(typed, limit=1):
            if self.picker.create is not None:
                return _("no {noun} matches «{typed}»: ↓ and Enter on “new {noun}…” makes "
                         "one").format(noun=noun, typed=shown)
            return _("no {noun} matches «{typed}»").format(noun=noun, typed=shown)
        return _("more than one {noun} matches «{typed}»: take one from the list (↑↓, "
                 "Enter)").format(noun=noun, typed=shown)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.picked and event.value == self.picked[1]:
            self._show([])
        else:
            self._suggest(event.value)

    def _suggest(self, typed: str) -> None:
        self._show(self.finder.find(typed, MATCHES_SHOWN) if typed.strip() else [],
                   new=bool(typed.strip()))

    def _show(self, found: list[tuple[str, str]], new: bool = False) -> None:
        matches = self.query_one(OptionList)
        options = [Option(line(name, 60), id=record_id) for record_id, name in found]
        if new and self.picker.create is not None:
            label = _("new {noun}…").format(noun=self.picker.noun)
            options.append(Option(Content.assemble(("+ ", "bold"), (label, "italic")), id=NEW))
        matches.set_options(options)
        matches.highlighted = 0 if options else None
        self.set_class(bool(options), "-matching")

    def action_move(self, step: int) -> None:
        matches = self.query_one(OptionList)
        if not self.has_class("-matching"):
            typed = self.text
            self._show(self.finder.find(typed, MATCHES_SHOWN), new=bool(typed.strip()))
            return
        if matches.option_count:
            current = matches.highlighted or 0
            matches.highlighted = max(0, min(matches.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        matches = self.query_one(OptionList)
        if self.has_class("-matching") and matches.highlighted is not None:
            event.stop()
            self._take(matches.get_option_at_index(matches.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(event.option)

    def _take(self, option: Option) -> None:
        self._show([])
        if option.id == NEW:
            if self.picker.create is not None:
                self.picker.create(self.app, self.text.strip(), self.take)
            return
        self.take(str(option.id), self.finder.name(str(option.id)) or str(option.prompt))

    def take(self, record_id: str, name: str) -> None:
        """Choose this record (and go on to the next field)."""
        self.finder.add(record_id, name)
        shown = editable(name)
        self.picked = (record_id, shown)
        self.query_one(Input).value = shown
        self._show([])
        if self.screen.focused is self.query_one(Input):
            self.screen.focus_next()
