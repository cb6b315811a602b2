"""A picker field: type part of a name (with a typo, without «», in the other keyboard layout)
and take the record from the suggestions listed under it; for clients, "new client…" makes one
in place and takes it. :class:`PickerScreen` asks for one record the same way (the Inbox's
"Assign to")."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from amtui.i18n import N_, _
from amtui.services.finder import NameFinder
from amtui.text import fold, one_line
from amtui.ui.safe import content, editable, line

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    from amtui.storage import Workspace

MATCHES_SHOWN = 8
"""Suggestions listed under a picker while typing."""
ALL_LISTED = 200
"""Records listed by a :class:`PickerScreen` before anything is typed."""
NEW = "\x00new"
"""The option id of "new client…" (no record id starts with a NUL)."""
NONE = "\x00none"
"""The option id of the entry that names no record ("nobody")."""

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
    none: tuple[str, str] | None = None
    """(label, value) of an entry that names no record, listed first: ("nobody", "")."""
    free: bool = False
    """A name that matches no record is kept as typed (a task's assignee may be anyone)."""


def client_picker(workspace: Workspace, *, new: bool = True) -> Picker:
    """The workspace's clients; "new client…" makes one (unless ``new`` is false: a filter)."""
    return Picker(_finder(workspace, "clients"), _("client"), create_client if new else None)


def member_picker(workspace: Workspace, *, none: tuple[str, str] | None = None) -> Picker:
    """The workspace's team members (``none``: the entry for nobody, see :class:`Picker`)."""
    return Picker(_finder(workspace, "members"), _("member"), none=none)


def assignee_picker(workspace: Workspace, *, free: bool = False) -> Picker:
    """A task's assignee, which is stored as a name, not a member id: the picker's values are
    the team's names and the names tasks are assigned to already. ``free``: a name that is
    none of these is kept as typed."""
    members, tasks = workspace.file("members"), workspace.file("tasks")

    def names() -> Iterable[dict[str, Any]]:
        seen: set[str] = set()
        for record in itertools.chain(members.scan(), tasks.scan()):
            name = str(record.get("name") or record.get("assignee") or "").strip()
            if name and name not in seen:
                seen.add(name)
                yield {"id": name, "name": name}

    return Picker(NameFinder(names(), "members", lambda name: name), _("member"), free=free)


def _finder(workspace: Workspace, table: str) -> NameFinder:
    """The records of ``table``, read when first searched; one is named by its id before."""
    data = workspace.file(table)

    def lookup(record_id: str) -> str:
        record = data.get(record_id) if record_id else None
        return str(record.get("name") or "") if record else ""

    return NameFinder(data.scan(), table, lookup)


def create_client(app: App[Any], typed: str, picked: Picked) -> None:
    """Ask for a new client's name and kind, save it, then tell ``picked``."""
    # cycle: amtui.ui.client_forms imports this module
    from amtui.ui.client_forms import quick_client

    quick_client(app, typed, picked)


class PickerField(Vertical):
    """A text box and, while typing, the records that match under it. ↑↓ move in the list,
    Enter takes the highlighted one; "new client…" at the end makes one. ``listed``: the
    list shows every record while nothing is typed (a :class:`PickerScreen`'s)."""

    class Taken(Message):
        """A record was taken from the list: its id (the ``none`` value for "nobody")."""

        def __init__(self, record_id: str) -> None:
            super().__init__()
            self.record_id = record_id

    DEFAULT_CSS = """
    PickerField { height: auto; }
    PickerField > OptionList {
        display: none; height: auto; max-height: 9; border: none; background: $panel;
    }
    PickerField.-matching > OptionList { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next suggestion"), id="picker.next", show=False),
        Binding("up", "move(-1)", N_("Previous suggestion"), id="picker.previous", show=False),
    ]

    def __init__(self, picker: Picker, value: str, input_id: str, placeholder: str = "", *,
                 record_id: str = "", compact: bool = False, listed: bool = False) -> None:
        """``value``: the text shown; ``record_id``: the record it names, if one is chosen."""
        super().__init__()
        self.picker = picker
        self.input_id = input_id
        self.placeholder = placeholder
        self.compact = compact
        self.listed = listed
        self.picked: tuple[str, str] | None = (record_id, editable(value)) if record_id else None
        """(id, name as shown) of the record last taken from the list."""
        if picker.none and picker.none[1] and value == picker.none[1]:
            value = picker.none[0]
            self.picked = (picker.none[1], value)
        self.initial = value

    @property
    def finder(self) -> NameFinder:
        return self.picker.finder

    def on_mount(self) -> None:
        self.run_worker(self.finder.warm, thread=True, group="picker", exit_on_error=False)
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def _focus_moved(self, focused: Widget | None) -> None:
        """The suggestions close once the cursor leaves the field for another one (not when
        a click on them focuses the box around it)."""
        if focused is not None and focused not in self.ancestors_with_self \
                and self not in focused.ancestors:
            self._show([])

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
        if self.picker.none and fold(typed.strip()) == fold(self.picker.none[0]):
            return self.picker.none[1]
        if self.picker.free and typed.strip():
            # A name as typed, unless it is one of the names offered (case aside): never a
            # near match, which would store someone else's name.
            wanted = fold(typed.strip())
            return next((record_id for record_id, name in self.finder.find(typed, limit=10)
                         if fold(name) == wanted), typed.strip())
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
            else self.finder.name(found) or found

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
        if self.picked and event.value == self.picked[1] and not self.listed:
            self._show([])
        elif event.value.strip() or self.listed:
            self.suggest()
        else:
            self._show([])

    def suggest(self, highlight: str | None = None) -> None:
        """List the records that match what is typed (the first ones by name if nothing is),
        "nobody" first if it fits; ``highlight``: the id of the one to highlight."""
        typed = self.text
        blank = not typed.strip()
        found = self.finder.find(typed, ALL_LISTED if blank and self.listed else MATCHES_SHOWN)
        options = [Option(line(name, 60), id=record_id) for record_id, name in found]
        none = self.picker.none
        if none and (blank or fold(none[0]).startswith(fold(typed.strip()))):
            options.insert(0, Option(Content.styled(none[0], "italic"), id=NONE))
        if not blank and self.picker.create is not None:
            label = _("new {noun}…").format(noun=self.picker.noun)
            options.append(Option(Content.assemble(("+ ", "bold"), (label, "italic")), id=NEW))
        self._show(options)
        if highlight is not None:
            wanted = NONE if none and highlight == none[1] else highlight
            ids = [option.id for option in options]
            if wanted in ids:
                self.query_one(OptionList).highlighted = ids.index(wanted)

    def _show(self, options: list[Option]) -> None:
        matches = self.query_one(OptionList)
        matches.set_options(options)
        matches.highlighted = 0 if options else None
        self.set_class(bool(options), "-matching")

    def action_move(self, step: int) -> None:
        matches = self.query_one(OptionList)
        if not self.has_class("-matching"):
            self.suggest()
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
        if option.id == NEW:  # the suggestions stay, for Esc in the form it opens
            if self.picker.create is not None:
                self.picker.create(self.app, self.text.strip(), self.take)
            return
        self._show([])
        if option.id == NONE and self.picker.none:
            self.take(self.picker.none[1], self.picker.none[0])
            return
        self.take(str(option.id), self.finder.name(str(option.id)) or str(option.prompt))

    def take(self, record_id: str, name: str) -> None:
        """Choose this record (and go on to the next field)."""
        if not self.picker.none or record_id != self.picker.none[1]:
            self.finder.add(record_id, name)
        shown = editable(name)
        self.picked = (record_id, shown)
        self.query_one(Input).value = shown
        self._show([])
        self.post_message(self.Taken(record_id))
        if self.screen.focused is self.query_one(Input):
            self.screen.focus_next()


class PickerScreen(ModalScreen[str | None]):
    """One record chosen by typing part of its name: every record is listed at first (the
    current one highlighted), typing narrows the list as a picker field does; ↑↓ and Enter
    take one; Esc leaves things as they are. Dismissed with the record's id (the picker's
    ``none`` value for "nobody")."""

    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PickerScreen #picker-title { text-style: bold; }
    PickerScreen #picker-problem { display: none; color: $error; height: auto; }
    PickerScreen #picker-problem.-shown { display: block; }
    PickerScreen #picker-hint { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="picker.cancel"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="picker.quit", show=False),
    ]

    def __init__(self, title: str, picker: Picker, current: str = "") -> None:
        """``current``: the id of the record chosen now (highlighted first)."""
        super().__init__()
        self.picker_title = title
        self.picker = picker
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(line(self.picker_title, 200), id="picker-title")
            yield PickerField(self.picker, "", "picker-name",
                              _("type part of the name"), listed=True)
            yield Static("", id="picker-problem")
            yield Static(Content(_("↑↓ Enter: take · Esc: cancel")), id="picker-hint")

    def on_mount(self) -> None:
        field = self.query_one(PickerField)
        field.query_one(Input).focus()
        field.suggest(highlight=self.current)

    def on_picker_field_taken(self, event: PickerField.Taken) -> None:
        event.stop()
        self.dismiss(event.record_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter with no suggestion left: the record the text names, or why there is none."""
        event.stop()
        field = self.query_one(PickerField)
        if field.text.strip() and (chosen := field.optional_choice()) is not None:
            self.dismiss(chosen[0])
        else:
            problem = self.query_one("#picker-problem", Static)
            problem.update(content(field.problem()))
            problem.add_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)
