"""Forms: fields typed in, checked by the record's model, problems shown next to each field.

A form never loses what was typed: when a check fails the values stay, and the messages say
what to change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from amtui.i18n import _
from amtui.models import Record
from amtui.storage import InvalidRecord, RecordNotFound
from amtui.ui.safe import editable, kept

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class FormField:
    """One field of a form."""

    name: str
    """The model field it fills (or a name the form's ``build`` understands)."""
    label: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    """(label, value) pairs: a select instead of a text box."""
    placeholder: str = ""


class FormScreen(ModalScreen[R | None], Generic[R]):
    """A modal form. ``build`` turns the typed values into a record or raises a
    ValidationError (or InvalidRecord / RecordNotFound naming a field)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="form.cancel"),
        Binding("ctrl+s,f2", "save", _("Save"), id="form.save",
                tooltip=_("Check the fields and save")),
    ]

    def __init__(self, title: str, fields: list[FormField], values: dict[str, str],
                 build: Callable[[dict[str, str]], R]) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.values = values
        self.build = build

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-box"):
            yield Static(Content(self.form_title).stylize("bold"), id="form-title")
            for spec in self.fields:
                yield Label(spec.label, classes="form-label")
                value = self.values.get(spec.name, "")
                if spec.choices:
                    known = {choice for _label, choice in spec.choices}
                    yield Select(spec.choices, value=value if value in known else Select.NULL,
                                 id=f"field-{spec.name}", allow_blank=value not in known)
                else:
                    yield Input(value=editable(value), placeholder=spec.placeholder,
                                id=f"field-{spec.name}")
                yield Static("", id=f"error-{spec.name}", classes="form-error")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(_("Save (F2)"), variant="primary", id="form-save")
                yield Button(_("Cancel (Esc)"), id="form-cancel")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()

    def typed(self) -> dict[str, str]:
        """What is in the fields now."""
        values: dict[str, str] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                values[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                values[spec.name] = kept(self.values.get(spec.name, ""), widget.value)
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        for static in self.query(".form-error").results(Static):
            static.update("")
        try:
            record = self.build(self.typed())
        except ValidationError as error:
            self._show_problems(error)
            return
        except (InvalidRecord, RecordNotFound, ValueError) as error:
            self.query_one("#form-error", Static).update(Content(str(error)))
            return
        self.dismiss(record)

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
            self.query_one(f"#error-{name}", Static).update(Content(message))
        if general:
            self.query_one("#form-error", Static).update(Content("; ".join(general)))
        first = next((spec.name for spec in self.fields
                      if str(self.query_one(f"#error-{spec.name}", Static).render())), None)
        if first:
            self.query_one(f"#field-{first}").focus()


def choices_of(options: list[str] | Any) -> list[tuple[str, str]]:
    """Select choices from enum members or strings, labelled in plain words."""
    values = [getattr(option, "value", option) for option in options]
    return [(str(value).replace("_", " "), str(value)) for value in values]
