"""Forms: fields typed in, checked by the record's model, problems shown next to each field.

A form never loses what was typed: when a check fails the values stay, and the messages say
what to change. One kit builds them all from a list of :class:`FormField`: a text box, a
choice (``choices``) or a picker (``picker``: a client or member found as it is typed);
:class:`FilterForm` is the same kit laid out in rows, with "clear all".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from amtui.dates import BadDate, parse_date
from amtui.i18n import N_, _
from amtui.storage import InvalidRecord, RecordNotFound
from amtui.ui.confirm import close_unless_kept
from amtui.ui.picker import Picker, PickerField
from amtui.ui.safe import editable, kept
from amtui.ui.values import shown
from amtui.ui.widgets.choice import Choice
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.light import LightScreen

R = TypeVar("R")


@dataclass(frozen=True)
class FormField:
    """One field of a form."""

    name: str
    """The model field it fills (or a name the form's ``build`` understands)."""
    label: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    """(label, value) pairs: a :class:`~amtui.ui.widgets.choice.Choice` instead of a text
    box."""
    placeholder: str = ""
    picker: Picker | None = None
    """A record chosen by typing part of its name: the value is its id ("" for none)."""


def field_problem(field: str, message: str) -> ValidationError:
    """A validation error that the form shows next to ``field``."""
    return ValidationError.from_exception_data("form", [
        {"type": "value_error", "loc": (field,), "input": "",
         "ctx": {"error": ValueError(message)}},
    ])


def typed_day(typed: dict[str, str], name: str, today: date) -> date | None:
    """The day typed in the field ``name`` in any form :func:`amtui.dates.parse_date` reads
    ("10.12", "завтра", "+3d"), ``None`` when it is empty; a problem shown next to the field
    when it is not a day."""
    text = typed[name]
    if not text.strip():
        return None
    try:
        return parse_date(text, today)
    except BadDate as error:
        raise field_problem(name, str(error)) from None


class FormScreen(LightScreen, ModalScreen[R | None], Generic[R]):
    """A modal form. ``build`` turns the typed values into a record (or any value) or raises
    a ValidationError (or InvalidRecord / RecordNotFound naming a field). Once something is
    typed, Esc and ctrl+q ask before throwing it away; a field's problem goes once ``build``
    finds none there."""

    DEFAULT_CSS = """
    FormScreen .form-error { display: none; }
    FormScreen .form-error.-shown { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        Binding("ctrl+s,f2", "save", N_("Save"), id="form.save",
                tooltip=N_("Check the fields and save")),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="form.quit",
                tooltip=N_("Quit amtui (asks first when something is typed here)")),
    ]
    SAVE_LABEL = N_("Save (F2)")
    ASK_TO_DISCARD = True
    """Esc (and ctrl+q) ask before throwing away what was typed."""
    AUTO_FOCUS = ""
    """Nothing focused on compose (that would scroll): ``on_mount`` puts the cursor in the
    first field and the title stays in view."""

    def __init__(self, title: str, fields: list[FormField], values: dict[str, str],
                 build: Callable[[dict[str, str]], R]) -> None:
        """``values``: what each field (by name) shows first; ``build``: called on Save with
        the typed values by field name, returns what the form is dismissed with (the
        screen's ``callback`` gets it; None if cancelled)."""
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.values = values
        self.build = build
        self._first: dict[str, str] | None = None
        """What the fields showed when the form opened."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-box"):
            yield Static(Content(self.form_title).stylize("bold"), id="form-title")
            for spec in self.fields:
                yield from self.compose_field(spec)
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield from self.compose_buttons()
        yield KeyBar()

    def compose_field(self, spec: FormField) -> ComposeResult:
        """The field's label, its widget and the line for its problem."""
        yield Label(_(spec.label), classes="form-label")
        yield self.field_widget(spec)
        yield Static("", id=f"error-{spec.name}", classes="form-error")

    def compose_buttons(self) -> ComposeResult:
        yield Button(_(self.SAVE_LABEL), variant="primary", id="form-save")
        yield Button(_("Cancel (Esc)"), id="form-cancel")

    def field_widget(self, spec: FormField) -> Widget:
        """The widget a field is typed or chosen in, with the value it starts with."""
        value = self.values.get(spec.name, "")
        if spec.picker is not None:
            name = spec.picker.finder.name(value)
            return PickerField(spec.picker, name or value, f"field-{spec.name}",
                               _(spec.placeholder), record_id=value if name else "")
        if spec.choices:
            known = {choice for _label, choice in spec.choices}
            blank = [] if value in known else [("—", "")]
            return Choice([*blank, *spec.choices], value, title=_(spec.label),
                          id=f"field-{spec.name}")
        # Marked valid from the start, as the Input marks itself once mounted: else that
        # mark restyles each field again (measured: a quarter of a form's opening).
        return Input(value=editable(value), placeholder=_(spec.placeholder),
                     id=f"field-{spec.name}", select_on_focus=False, classes="-valid")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus(scroll_visible=False)
        self._first = self._shown()

    def _shown(self) -> dict[str, str]:
        """What each field shows now, as typed or chosen."""
        shown: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Input | Choice):
                shown[spec.name] = widget.value
        return shown

    def unsaved_changes(self) -> bool:
        """Something was typed or chosen since the form opened (Esc asks before leaving)."""
        return self.ASK_TO_DISCARD and self._first is not None and self._shown() != self._first

    def typed(self) -> dict[str, str]:
        """What is in the fields now (a picker's: the id of the record taken)."""
        values: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if spec.picker is not None:
                field = self._picker(spec.name)
                chosen = field.optional_choice()
                values[spec.name] = chosen[0] if chosen else ""
            elif isinstance(widget, Choice):
                values[spec.name] = widget.value
            elif isinstance(widget, Input):
                values[spec.name] = kept(self.values.get(spec.name, ""), widget.value)
        return values

    def _picker(self, name: str) -> PickerField:
        field = self.query_one(f"#field-{name}").parent
        assert isinstance(field, PickerField)
        return field

    def _picker_problems(self) -> bool:
        """Show a problem next to each picker whose text names no single record."""
        found = False
        for spec in self.fields:
            if spec.picker is not None:
                field = self._picker(spec.name)
                if field.optional_choice() is None:
                    self.show_problem(spec.name, field.problem())
                    found = True
        return found

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A field with a problem shown: the problem goes once the field is right."""
        name = (event.input.id or "").removeprefix("field-")
        if any(spec.name == name for spec in self.fields) and self._problem_shown(name):
            self._check_again(name)

    def on_picker_field_taken(self, event: PickerField.Taken) -> None:
        """A record taken from a picker's list: that picker's problem is solved."""
        for spec in self.fields:
            if spec.picker is not None and self._problem_shown(spec.name) \
                    and self._picker(spec.name).optional_choice() is not None:
                self.show_problem(spec.name, "")

    def _problem_shown(self, name: str) -> bool:
        return self.query_one(f"#error-{name}").has_class("-shown")

    def _check_again(self, name: str) -> None:
        """Hide the problem of the field ``name`` if the form's check finds none there now
        (the other fields' problems stay as they are until the next save)."""
        try:
            self.build(self.typed())
        except ValidationError as error:
            if any(name in [str(part) for part in problem["loc"]]
                   for problem in error.errors()):
                return
        except Exception:  # a problem of the whole form: shown when it is saved
            pass
        self.show_problem(name, "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Each button runs its action: ``form-save`` saves, ``form-cancel`` cancels."""
        event.stop()
        getattr(self, f"action_{(event.button.id or 'form-cancel').removeprefix('form-')}")()

    def action_cancel(self) -> None:
        """Close; with changes, only once the user agrees to throw them away."""
        close_unless_kept(self, self.unsaved_changes(), _("Discard your changes?"))

    def action_save(self) -> None:
        for static in self.query(".form-error").results(Static):
            static.update("")
            static.remove_class("-shown")
        if self._picker_problems():
            self._show_first_problem()
            return
        try:
            record = self.build(self.typed())
        except ValidationError as error:
            self._show_problems(error)
            return
        except (InvalidRecord, RecordNotFound, ValueError) as error:
            general = self.query_one("#form-error", Static)
            self._show(general, str(error))
            self.call_after_refresh(general.scroll_visible, animate=False)
            return
        self.dismiss(record)

    def show_problem(self, name: str, message: str) -> None:
        """Show ``message`` next to the field ``name``."""
        self._show(self.query_one(f"#error-{name}", Static), message)

    @staticmethod
    def _show(problem: Static, message: str) -> None:
        problem.update(Content(message))
        problem.set_class(bool(message), "-shown")

    def _show_problems(self, error: ValidationError) -> None:
        names = {spec.name for spec in self.fields}
        general: list[str] = []
        for problem in error.errors():
            location = [str(part) for part in problem["loc"]]
            message = str(problem["msg"]).removeprefix("Value error, ")
            if problem["type"] == "missing":
                message = _("required")
            name = next((part for part in location if part in names), None)
            if name is None:
                general.append(f"{'.'.join(location)}: {message}")
                continue
            self.show_problem(name, message)
        if general:
            self._show(self.query_one("#form-error", Static), "; ".join(general))
        self._show_first_problem()

    def _show_first_problem(self) -> None:
        """Put the cursor in the first field with a problem, the problem in view under it."""
        first = next((spec.name for spec in self.fields
                      if self.query_one(f"#error-{spec.name}").has_class("-shown")), None)
        shown = self.query_one(f"#error-{first}" if first else "#form-error", Static)
        if first:
            self.query_one(f"#field-{first}").focus(scroll_visible=False)
        # Once the problem's line has its height: the field and its problem, in view.
        self.call_after_refresh(self._bring_into_view, shown)

    def _bring_into_view(self, problem: Static) -> None:
        box = self.query_one("#form-box", VerticalScroll)
        focused = self.focused
        if focused is not None and focused is not problem:
            box.scroll_to_widget(focused, animate=False, immediate=True)
        box.scroll_to_widget(problem, animate=False, immediate=True)


class FilterForm(FormScreen[R]):
    """A form that narrows a list: fields in rows (label, then the widget), F2 applies, F3
    clears every field (dismissed with ``cleared``), Esc keeps the list as it is."""

    DEFAULT_CSS = """
    FilterForm #form-box { height: auto; max-height: 100%; max-width: 80; }
    FilterForm .filter-row { height: auto; }
    FilterForm .filter-row > .form-label { width: 14; padding-right: 1; }
    FilterForm .filter-row > Choice, FilterForm .filter-row > PickerField { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="filter.cancel"),
        Binding("ctrl+s,f2", "save", N_("Apply"), id="filter.apply",
                tooltip=N_("Show what matches")),
        Binding("f3", "clear", N_("Clear all"), id="filter.clear", tooltip=N_("Show everything")),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="filter.quit"),
    ]
    SAVE_LABEL = N_("Apply (F2)")
    ASK_TO_DISCARD = False

    def __init__(self, title: str, fields: list[FormField], values: dict[str, str],
                 build: Callable[[dict[str, str]], R], cleared: R) -> None:
        """As :class:`FormScreen`; ``cleared`` is what F3 dismisses it with (no filter)."""
        super().__init__(title, fields, values, build)
        self.cleared = cleared

    def compose_field(self, spec: FormField) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            yield Label(_(spec.label), classes="form-label")
            yield self.field_widget(spec)
        yield Static("", id=f"error-{spec.name}", classes="form-error")

    def compose_buttons(self) -> ComposeResult:
        yield Button(_(self.SAVE_LABEL), variant="primary", id="form-save")
        yield Button(_("Clear all (F3)"), id="form-clear")
        yield Button(_("Cancel (Esc)"), id="form-cancel")

    def action_clear(self) -> None:
        self.dismiss(self.cleared)


def choices_of(options: list[str] | Any) -> list[tuple[str, str]]:
    """Choices from enum members or strings, labelled in plain words (translated)."""
    return [(shown(option), str(getattr(option, "value", option))) for option in options]
