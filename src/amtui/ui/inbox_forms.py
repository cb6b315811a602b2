"""The Inbox's dialogs: reply or call, task, snooze, brief, new message, filters, and a short
list to choose one value from. Imported when first needed (it loads the models)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from amtui.i18n import _
from amtui.models import Channel, Message, MessageKind, MessageStatus, Note, Record, Task
from amtui.services import inbox
from amtui.services.inbox import ClientFinder, InboxFilter
from amtui.text import one_line
from amtui.ui.forms import FormField, FormScreen
from amtui.ui.panes.inbox import KIND_LABELS, PRIORITY_LABELS, STATUS_LABELS
from amtui.ui.safe import line

if TYPE_CHECKING:
    from amtui.storage import Workspace

R = TypeVar("R", bound=Record)

MATCHES_SHOWN = 8
"""Clients listed under a client field while typing."""

def field_problem(field: str, message: str) -> ValidationError:
    """A validation error that the form shows next to ``field``."""
    return ValidationError.from_exception_data("form", [
        {"type": "value_error", "loc": (field,), "input": "",
         "ctx": {"error": ValueError(message)}},
    ])


def choices(labels: dict[str, str], values: list[str] | None = None) -> list[tuple[str, str]]:
    return [(labels.get(value, value.replace("_", " ")), value)
            for value in (values if values is not None else list(labels))]


class ChoiceScreen(ModalScreen[str | None]):
    """Choose one value from a short list: ↑↓ and Enter, Esc to leave it as it is."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    #choice-box {
        width: 50; max-width: 90%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    #choice-box OptionList { height: auto; max-height: 16; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="choice.cancel"),
    ]

    def __init__(self, title: str, options: list[tuple[Content, str]], current: str) -> None:
        super().__init__()
        self.choice_title = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(Content(self.choice_title).stylize("bold"))
            yield OptionList(*(label for label, _value in self.options), id="choices")

    def on_mount(self) -> None:
        options = self.query_one("#choices", OptionList)
        values = [value for _label, value in self.options]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ClientField(Vertical):
    """Type part of a client's name; the clients that match are listed under it.
    ↑↓ move in the list, Enter takes the highlighted client."""

    DEFAULT_CSS = """
    ClientField { height: auto; }
    ClientField > OptionList {
        display: none; height: auto; max-height: 8; border: none; background: $panel;
    }
    ClientField.-matching > OptionList { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", _("Next client"), id="client_field.next", show=False),
        Binding("up", "move(-1)", _("Previous client"), id="client_field.previous",
                show=False),
    ]

    def __init__(self, finder: ClientFinder, value: str, input_id: str,
                 placeholder: str = "", *, client_id: str = "", compact: bool = False) -> None:
        """``client_id``: the client ``value`` names, if it is one already chosen."""
        super().__init__()
        self.finder = finder
        self.initial = value
        self.input_id = input_id
        self.placeholder = placeholder
        self.compact = compact
        self.picked: tuple[str, str] | None = (client_id, value) if client_id else None
        """(id, name as shown) of the client last taken from the list."""

    def compose(self) -> ComposeResult:
        yield Input(self.initial, placeholder=self.placeholder, id=self.input_id,
                    compact=self.compact)
        matches = OptionList()
        matches.can_focus = False
        yield matches

    @property
    def client_id(self) -> str | None:
        """The client meant: the one taken from the list, or the only one the text names."""
        typed = self.query_one(Input).value
        if self.picked and typed == self.picked[1]:
            return self.picked[0]
        return self.finder.resolve(typed)

    def optional_choice(self) -> tuple[str, str] | None:
        """("", "") if nothing is typed, (id, name) of the client meant, or None if the text
        names no single client (:meth:`problem` says why)."""
        if not self.query_one(Input).value.strip():
            return "", ""
        found = self.client_id
        return None if found is None else (found, self.finder.name(found))

    def problem(self) -> str:
        """Why no single client is meant by what is typed."""
        typed = self.query_one(Input).value.strip()
        if not typed:
            return _("type part of the client's name and take one from the list")
        if not self.finder.find(typed, limit=1):
            return _("no client matches «{typed}»").format(typed=one_line(typed, 40))
        return _("several clients match «{typed}»: take one from the list (↑↓, Enter)").format(
            typed=one_line(typed, 40))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.picked and event.value == self.picked[1]:
            self._show([])
        else:
            self._show(self.finder.find(event.value, MATCHES_SHOWN) if event.value.strip()
                       else [])

    def _show(self, found: list[tuple[str, str]]) -> None:
        matches = self.query_one(OptionList)
        matches.set_options(Option(line(name, 60), id=client_id) for client_id, name in found)
        matches.highlighted = 0 if found else None
        self.set_class(bool(found), "-matching")

    def action_move(self, step: int) -> None:
        matches = self.query_one(OptionList)
        if not self.has_class("-matching"):
            self._show(self.finder.find(self.query_one(Input).value, MATCHES_SHOWN))
            return
        if matches.option_count:
            current = matches.highlighted or 0
            matches.highlighted = max(0, min(matches.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        matches = self.query_one(OptionList)
        if self.has_class("-matching") and matches.highlighted is not None:
            event.stop()
            self._take(matches.get_option_at_index(matches.highlighted))
            self.screen.focus_next()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(event.option)

    def _take(self, option: Option) -> None:
        name = str(option.prompt)
        self.picked = (str(option.id), name)
        self.query_one(Input).value = name
        self._show([])


class InboxForm(FormScreen[R]):
    """A form that opens with the cursor in its first field."""

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].name}").focus()


class NewMessageForm(InboxForm[Message]):
    """A message logged by hand: the client found by typing part of its name."""

    def __init__(self, workspace: Workspace, finder: ClientFinder, client: str = "") -> None:
        fields = [
            FormField("client", _("Client"), placeholder=_("type part of the name; ↓ lists "
                                                            "clients")),
            FormField("text", _("Message")),
            FormField("kind", _("Kind"), choices(KIND_LABELS)),
            FormField("channel", _("Channel"), [(_("the client's preferred one"), ""),
                                                 *choices({}, [c.value for c in Channel])]),
            FormField("priority", _("Priority"), choices(PRIORITY_LABELS)),
            FormField("direction", _("Direction"), [(_("from the client"), "incoming"),
                                                     (_("from us"), "outgoing")]),
        ]
        values = {"client": client, "kind": "question", "priority": "normal",
                  "direction": "incoming"}
        super().__init__(_("New message"), fields, values, self._build)
        self.workspace = workspace
        self.finder = finder

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if widget.id == "field-client" and isinstance(widget, Input):
                yield ClientField(self.finder, widget.value, "field-client", widget.placeholder)
            else:
                yield widget

    def _build(self, values: dict[str, str]) -> Message:
        field = self.query_one(ClientField)
        client_id = field.client_id
        if client_id is None:
            raise field_problem("client", field.problem())
        return inbox.new_message(
            self.workspace, client_id=client_id, text=values["text"],
            channel=values["channel"], kind=values["kind"], priority=values["priority"],
            direction=values["direction"],
        )


class OutgoingForm(InboxForm[Message]):
    """Log a reply or a call that answers a message, and what its status becomes."""

    def __init__(self, workspace: Workspace, message: Message, kind: str) -> None:
        title = (_("Log a call about: {text}") if kind == MessageKind.CALL
                 else _("Log a reply to: {text}")).format(text=inbox.first_line(message.text, 50))
        fields = [
            FormField("text", _("What was said") if kind == MessageKind.CALL
                      else _("What we replied")),
            FormField("status", _("The message is then"), choices(STATUS_LABELS)),
        ]
        super().__init__(title, fields, {"status": MessageStatus.DONE.value}, self._build)
        self.workspace = workspace
        self.answered = message
        self.kind = kind
        self.status_after = MessageStatus.DONE
        """What the answered message's status becomes; set when the form is saved."""

    def _build(self, values: dict[str, str]) -> Message:
        sent = inbox.outgoing(self.workspace, self.answered, self.kind, values["text"])
        self.status_after = MessageStatus(values["status"] or self.answered.status)
        return sent


def task_form(workspace: Workspace, message: Message) -> InboxForm[Task]:
    """A task made from the message: for its client, its text as the description."""
    departments = workspace.settings.departments
    fields = [
        FormField("title", _("Task")),
        FormField("department", _("Department"), choices({}, departments)),
        FormField("due", _("Due (YYYY-MM-DD, optional)"), placeholder="2026-12-31"),
    ]
    values = {"title": inbox.first_line(message.text, 120),
              "department": "other" if "other" in departments else departments[0]}

    def build(typed: dict[str, str]) -> Task:
        return inbox.task_from(message, title=typed["title"], department=typed["department"],
                               due=typed["due"].strip() or None)

    return InboxForm(_("Task from the message"), fields, values, build)


class SnoozeForm(InboxForm[Message]):
    """For how many days the message keeps off Today's late answers."""

    def __init__(self, message: Message) -> None:
        fields = [FormField("days", _("Snooze for how many days"), placeholder="1")]
        super().__init__(_("Snooze: {text}").format(text=inbox.first_line(message.text, 50)),
                         fields, {"days": "1"}, self._build)
        self.snoozed = message
        self.days = 1
        """For how long; set when the form is saved."""

    def _build(self, values: dict[str, str]) -> Message:
        try:
            self.days = inbox.parse_days(values["days"])
        except ValueError as error:
            raise field_problem("days", str(error)) from None
        return self.snoozed


class BriefForm(InboxForm[Note]):
    """A brief from a request, and the departments that each get a task linked to it."""

    def __init__(self, workspace: Workspace, message: Message, client: str,
                 contact: str) -> None:
        fields = [
            FormField("title", _("Brief")),
            FormField("due", _("The tasks are due (YYYY-MM-DD, optional)"),
                      placeholder="2026-12-31"),
        ]
        title = _("Brief: {text}").format(text=inbox.first_line(message.text, 60))
        super().__init__(_("Brief from the request"), fields, {"title": title}, self._build)
        self.request = message
        self.client_name = client
        self.contact_name = contact
        self.departments = workspace.settings.departments
        self.plan: inbox.BriefPlan | None = None
        """The brief and its tasks, checked; set when the form is saved."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield widget
            if widget.id == "error-title":
                yield from self._departments()

    def _departments(self) -> list[Widget]:
        return [
            Label(_("Departments that get a task (Space ticks one)"), classes="form-label"),
            SelectionList[str](
                *(Selection(line(name.replace("_", " ")), name) for name in self.departments),
                id="field-departments",
            ),
        ]

    def _build(self, values: dict[str, str]) -> Note:
        chosen = self.query_one("#field-departments", SelectionList).selected
        self.plan = inbox.plan_brief(
            self.request, title=values["title"], client=self.client_name,
            contact=self.contact_name,
            departments=[name for name in self.departments if name in chosen],
            due=values["due"].strip() or None,
        )
        return self.plan.note


class FilterScreen(ModalScreen[InboxFilter | None]):
    """Which messages the Inbox shows: by status, client, channel, kind and priority."""

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    #filter-box {
        width: 90%; max-width: 80; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    #filter-box .filter-row { height: auto; }
    #filter-box .filter-label { width: 12; padding: 1 1 0 0; }
    #filter-box Select, #filter-box ClientField { width: 1fr; }
    #filter-error { color: $error; height: auto; }
    #filter-buttons { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="filter.cancel"),
        Binding("ctrl+s,f2", "apply", _("Apply"), id="filter.apply"),
        Binding("f3", "clear", _("Clear all"), id="filter.clear"),
    ]

    def __init__(self, current: InboxFilter, finder: ClientFinder) -> None:
        super().__init__()
        self.current = current
        self.finder = finder

    def compose(self) -> ComposeResult:
        status_choices = [(_("open: new or waiting on us"), inbox.ANY_OPEN),
                          *choices(STATUS_LABELS)]
        selects: list[tuple[str, str, list[tuple[str, str]], str]] = [
            ("status", _("Status"), status_choices, self.current.status),
            ("channel", _("Channel"), choices({}, [c.value for c in Channel]),
             self.current.channel),
            ("kind", _("Kind"), choices(KIND_LABELS), self.current.kind),
            ("priority", _("Priority"), choices(PRIORITY_LABELS), self.current.priority),
        ]
        with VerticalScroll(id="filter-box"):
            yield Static(Content(_("Show messages")).stylize("bold"))
            for name, label, options, value in selects[:1]:
                yield from self._select_row(name, label, options, value)
            with Horizontal(classes="filter-row"):
                yield Label(_("Client"), classes="filter-label")
                yield ClientField(self.finder, one_line(self.current.client_name),
                                  "filter-client", _("any client; type part of the name"),
                                  client_id=self.current.client_id)
            for name, label, options, value in selects[1:]:
                yield from self._select_row(name, label, options, value)
            yield Static("", id="filter-error")
            with Horizontal(id="filter-buttons"):
                yield Button(_("Apply (F2)"), variant="primary", id="filter-apply")
                yield Button(_("Clear all (F3)"), id="filter-clear")
                yield Button(_("Cancel (Esc)"), id="filter-cancel")

    def _select_row(self, name: str, label: str, options: list[tuple[str, str]],
                    value: str) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            yield Label(label, classes="filter-label")
            yield Select([(_("any"), ""), *options], value=value, allow_blank=False,
                         id=f"filter-{name}")

    def on_mount(self) -> None:
        self.query_one("#filter-status", Select).focus()

    def _value(self, name: str) -> str:
        return str(self.query_one(f"#filter-{name}", Select).value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions: dict[str | None, Callable[[], None]] = {
            "filter-apply": self.action_apply, "filter-clear": self.action_clear,
        }
        actions.get(event.button.id, self.action_cancel)()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        field = self.query_one(ClientField)
        chosen = field.optional_choice()
        if chosen is None:
            self.query_one("#filter-error", Static).update(Content(field.problem()))
            self.query_one("#filter-client", Input).focus()
            return
        client_id, client_name = chosen
        self.dismiss(InboxFilter(
            status=self._value("status"), client_id=client_id, client_name=client_name,
            channel=self._value("channel"), kind=self._value("kind"),
            priority=self._value("priority"),
        ))

    def action_clear(self) -> None:
        self.dismiss(InboxFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
