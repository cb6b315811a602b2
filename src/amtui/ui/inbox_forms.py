"""The Inbox's dialogs: reply or call, task, brief, new message, filters, and a short
list to choose one value from. Imported when first needed (it loads the models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from amtui.dates import today_of
from amtui.i18n import _
from amtui.models import Channel, Message, MessageKind, MessageStatus, Note, Task
from amtui.models.work import department
from amtui.services import inbox
from amtui.services.inbox import InboxFilter
from amtui.text import one_line
from amtui.ui.forms import FilterForm, FormField, FormScreen, field_problem, typed_day
from amtui.ui.message_actions import KIND_LABELS, PRIORITY_LABELS, STATUS_LABELS
from amtui.ui.picker import Picker, PickerField, create_client
from amtui.ui.safe import line
from amtui.ui.widgets.ticklist import TickList

if TYPE_CHECKING:
    from amtui.services.finder import NameFinder
    from amtui.storage import Workspace


def choices(labels: dict[str, str], values: list[str] | None = None) -> list[tuple[str, str]]:
    return [(_(labels.get(value, value.replace("_", " "))), value)
            for value in (values if values is not None else list(labels))]


class NewMessageForm(FormScreen[Message]):
    """A message logged by hand: the client found by typing part of its name, or made on the
    spot ("new client…") for a message from a new prospect."""

    def __init__(self, workspace: Workspace, finder: NameFinder, client: str = "") -> None:
        picker = Picker(finder, _("client"), create_client)
        fields = [
            FormField("client", _("Client"), picker=picker,
                      placeholder=_("type part of the name; ↓ lists clients")),
            FormField("text", _("Message")),
            FormField("kind", _("Kind"), choices(KIND_LABELS)),
            FormField("channel", _("Channel"), [(_("the client's preferred one"), ""),
                                                 *choices({}, [c.value for c in Channel])]),
            FormField("priority", _("Priority"), choices(PRIORITY_LABELS)),
            FormField("direction", _("Direction"), [(_("from the client"), "incoming"),
                                                     (_("from us"), "outgoing")]),
        ]
        values = {"kind": "question", "priority": "normal", "direction": "incoming"}
        super().__init__(_("New message"), fields, values, self._build)
        self.workspace = workspace
        self.client_text = client
        """The client's name the client field starts with (the Inbox's filter's)."""

    def field_widget(self, spec: FormField) -> Widget:
        if spec.picker is not None:
            return PickerField(spec.picker, self.client_text, "field-client", spec.placeholder)
        return super().field_widget(spec)

    def _build(self, values: dict[str, str]) -> Message:
        if not values["client"]:
            raise field_problem("client", self._picker("client").problem())
        return inbox.new_message(
            self.workspace, client_id=values["client"], text=values["text"],
            channel=values["channel"], kind=values["kind"], priority=values["priority"],
            direction=values["direction"],
        )


class OutgoingForm(FormScreen[Message]):
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


def task_form(workspace: Workspace, message: Message) -> FormScreen[Task]:
    """A task made from the message: for its client, its text as the description."""
    departments = workspace.settings.departments
    fields = [
        FormField("title", _("Task")),
        FormField("department", _("Department"), choices({}, departments)),
        FormField("due", _("Due (optional)"), placeholder=_("31.12.2026, tomorrow, fri, +3d")),
    ]
    values = {"title": inbox.first_line(message.text, 120),
              "department": "other" if "other" in departments else departments[0]}

    def build(typed: dict[str, str]) -> Task:
        return inbox.task_from(message, title=typed["title"], department=typed["department"],
                               due=typed_day(typed, "due", today_of(workspace)))

    return FormScreen(_("Task from the message"), fields, values, build)


class BriefForm(FormScreen[Note]):
    """A brief from a request, and the departments that each get a task linked to it."""

    def __init__(self, workspace: Workspace, message: Message, client: str,
                 contact: str) -> None:
        fields = [
            FormField("title", _("Brief")),
            FormField("due", _("The tasks are due (optional)"),
                      placeholder=_("31.12.2026, tomorrow, fri, +3d")),
        ]
        title = _("Brief: {text}").format(text=inbox.first_line(message.text, 60))
        super().__init__(_("Brief from the request"), fields, {"title": title}, self._build)
        self.request = message
        self.client_name = client
        self.contact_name = contact
        self.departments = workspace.settings.departments
        self.today = today_of(workspace)
        """What "tomorrow" and "+3d" typed as the due day are counted from."""
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
            TickList[str](
                *(Selection(line(department(name)), name) for name in self.departments),
                id="field-departments",
            ),
        ]

    def _build(self, values: dict[str, str]) -> Note:
        chosen = self.query_one("#field-departments", SelectionList).selected
        self.plan = inbox.plan_brief(
            self.request, title=values["title"], client=self.client_name,
            contact=self.contact_name,
            departments=[name for name in self.departments if name in chosen],
            due=values["due"], today=self.today,
        )
        return self.plan.note


def filter_form(current: InboxFilter, finder: NameFinder) -> FilterForm[InboxFilter]:
    """Which messages the Inbox shows: by status, client, channel, kind and priority."""
    any_ = (_("any"), "")
    fields = [
        FormField("status", _("Status"), [any_, (_("open: new or waiting on us"),
                                                 inbox.ANY_OPEN), *choices(STATUS_LABELS)]),
        FormField("client", _("Client"), picker=Picker(finder, _("client")),
                  placeholder=_("any client; type part of the name")),
        FormField("channel", _("Channel"), [any_, *choices({}, [c.value for c in Channel])]),
        FormField("kind", _("Kind"), [any_, *choices(KIND_LABELS)]),
        FormField("priority", _("Priority"), [any_, *choices(PRIORITY_LABELS)]),
    ]
    if current.client_id:
        finder.add(current.client_id, one_line(current.client_name))
    values = {"status": current.status, "client": current.client_id, "channel": current.channel,
              "kind": current.kind, "priority": current.priority}

    def build(typed: dict[str, str]) -> InboxFilter:
        return InboxFilter(status=typed["status"], client_id=typed["client"],
                           client_name=finder.name(typed["client"]), channel=typed["channel"],
                           kind=typed["kind"], priority=typed["priority"])

    return FilterForm(_("Show messages"), fields, values, build, InboxFilter())
