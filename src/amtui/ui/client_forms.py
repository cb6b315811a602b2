"""Changing clients from the UI: the client form (new, edit), the contact form, delete, and the
dialog that narrows the client list.

Every change goes through ``AmtuiApp.change``: it runs off the UI thread and can be undone.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import available_timezones

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.markup import escape
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from amtui.i18n import _
from amtui.identity import os_user
from amtui.models import (
    Cadence,
    Channel,
    Client,
    ClientKind,
    ClientStatus,
    Contact,
    Influence,
    LegalForm,
    RelationshipStage,
)
from amtui.services import clients as service
from amtui.storage import RecordNotFound
from amtui.text import one_line
from amtui.ui.forms import FormField, FormScreen, choices_of

if TYPE_CHECKING:
    from amtui.ui.app import AmtuiApp


def plain_choice(text: str, width: int = 40) -> str:
    """A select label from workspace text: one line, and markup shown as the text it is
    (a Select renders its labels as markup)."""
    return escape(one_line(text, width))


def owner_choices(members: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, member id) for every member, by name."""
    return sorted(((plain_choice(name), member_id) for member_id, name in members.items()),
                  key=lambda choice: service.fold(choice[0]))


def member_names(app: AmtuiApp) -> dict[str, str]:
    return {member_id: str(member.get("name", ""))
            for member_id, member in app.workspace.file("members").records().items()}


def client_fields(members: Mapping[str, str], currency: str) -> list[FormField]:
    return [
        FormField("name", _("Name"), placeholder=_("ООО «Ромашка», or a person's name")),
        FormField("kind", _("B2B or B2C"), [("B2B", ClientKind.B2B.value),
                                            ("B2C", ClientKind.B2C.value)]),
        FormField("legal_form", _("Legal form"), choices_of(list(LegalForm))),
        FormField("status", _("Status"), choices_of(list(ClientStatus))),
        FormField("owner_id", _("Owner"), [(_("nobody"), ""), *owner_choices(members)]),
        FormField("stage", _("Relationship stage"),
                  [(_("not set"), ""), *choices_of(list(RelationshipStage))]),
        FormField("key_account", _("Key account"), [(_("no"), "no"), (_("yes"), "yes")]),
        FormField("industry", _("Industry"), placeholder=_("e-commerce, медицина, …")),
        FormField("preferred_channel", _("Preferred channel"), choices_of(list(Channel))),
        FormField("timezone", _("Time zone (IANA name)"),
                  placeholder="Europe/Moscow, Asia/Yekaterinburg"),
        FormField("working_hours", _("Working hours, in the client's time"),
                  placeholder="10:00-19:00 Mon-Fri"),
        FormField("cadence", _("Update cadence"), choices_of(list(Cadence))),
        FormField("monthly_revenue", _("Monthly revenue, {currency}").format(currency=currency),
                  placeholder="1 200 000,50"),
        FormField("cost_to_serve",
                  _("Cost to serve per month, {currency}").format(currency=currency),
                  placeholder="300 000"),
        FormField("tags", _("Tags, separated by commas"), placeholder="vip, retail"),
    ]


CONTACT_FIELDS = [
    FormField("name", _("Name")),
    FormField("role", _("Role (job title)"), placeholder=_("CMO, генеральный директор")),
    FormField("influence", _("Influence"), choices_of(list(Influence))),
    FormField("email", _("E-mail")),
    FormField("phone", _("Phone")),
    FormField("messenger", _("Messenger"), placeholder="@username"),
]


class ClientForm(FormScreen[Client]):
    """The client form; time zone names are suggested as they are typed."""

    AUTO_FOCUS = "#field-name"

    def on_mount(self) -> None:
        self.query_one("#field-timezone", Input).suggester = SuggestFromList(
            zone_names(), case_sensitive=False)


@functools.cache
def zone_names() -> list[str]:
    """The IANA time zone names (read from the system's zone files once)."""
    return sorted(available_timezones())


class ContactForm(FormScreen[Contact]):
    AUTO_FOCUS = "#field-name"


def new_client(app: AmtuiApp) -> None:
    workspace = app.workspace
    owner = next((member_id for member_id, member in
                  workspace.file("members").records().items()
                  if member.get("login") and member.get("login") == os_user()), "")
    values = service.client_form_values(None, owner)
    values["timezone"] = workspace.settings.timezone

    def created(client: Client | None) -> None:
        if client is not None:
            app.change(lambda: service.add_client(workspace, client),
                       _("Client «{name}» created").format(name=one_line(client.name, 40)))

    app.push_screen(ClientForm(_("New client"),
                               client_fields(member_names(app), workspace.settings.currency),
                               values, service.client_from_form), created)


def edit_client(app: AmtuiApp, client_id: str) -> None:
    """The client form with the client as it is stored now; saving over someone else's newer
    change asks whether to reload or overwrite."""
    workspace = app.workspace
    try:
        client = workspace.repo(Client).get(client_id)
    except RecordNotFound:
        app.notify(_("That client is no longer there."), severity="warning")
        return

    def edited(changed: Client | None) -> None:
        if changed is None:
            return
        app.change(lambda: service.save_client(workspace, changed),
                   _("Client «{name}» saved").format(name=one_line(changed.name, 40)),
                   overwrite=lambda: service.overwrite_client(workspace, changed))

    members = member_names(app)
    values = service.client_form_values(client)
    if values["owner_id"] not in members:
        values["owner_id"] = ""  # the owner left the team: the form offers members only
    title = _("Edit «{name}»").format(name=one_line(client.name, 50))
    app.push_screen(ClientForm(title, client_fields(members, workspace.settings.currency),
                               values,
                               lambda values: service.client_from_form(values, client)),
                    edited)


def add_contact(app: AmtuiApp, client_id: str, client_name: str) -> None:
    workspace = app.workspace

    def added(contact: Contact | None) -> None:
        if contact is not None:
            app.change(lambda: service.add_contact(workspace, contact),
                       _("Contact «{name}» added").format(name=one_line(contact.name, 40)))

    title = _("New contact at «{name}»").format(name=one_line(client_name, 50))
    app.push_screen(ContactForm(title, CONTACT_FIELDS, {"influence": Influence.STAKEHOLDER.value},
                               lambda values: service.contact_from_form(values, client_id)),
                    added)


def delete_client(app: AmtuiApp, client_id: str, client_name: str) -> None:
    workspace = app.workspace
    app.change(lambda: service.delete_client(workspace, client_id),
               _("«{name}» moved to the trash; u undoes").format(
                   name=one_line(client_name, 40)))


class FilterScreen(ModalScreen[service.ClientFilter | None]):
    """Narrow the client list; dismissed with the new filter, or None to keep the old one."""

    DEFAULT_CSS = """
    FilterScreen {
        align: center middle;
    }
    FilterScreen #filter-box {
        width: 90%;
        max-width: 72;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    FilterScreen .filter-row {
        height: auto;
    }
    FilterScreen .filter-label {
        width: 14;
        padding-top: 1;
    }
    FilterScreen Select {
        width: 1fr;
    }
    FilterScreen #filter-buttons {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="client_filters.cancel"),
        Binding("ctrl+s,f2", "apply", _("Apply"), id="client_filters.apply",
                tooltip=_("Show the clients that match")),
        Binding("f3", "clear", _("Clear all"), id="client_filters.clear",
                tooltip=_("Show every client")),
    ]

    def __init__(self, current: service.ClientFilter, members: Mapping[str, str],
                 tags: list[str]) -> None:
        super().__init__()
        self.current = current
        self.choices: dict[str, list[tuple[str, str]]] = {
            "status": choices_of(list(ClientStatus)),
            "owner_id": [(_("nobody"), service.NOBODY), *owner_choices(members)],
            "kind": [("B2B", ClientKind.B2B.value), ("B2C", ClientKind.B2C.value)],
            "key_account": [(_("key accounts only"), "yes"), (_("not key accounts"), "no")],
            "tag": [(plain_choice(tag), tag) for tag in tags],
        }

    def compose(self) -> ComposeResult:
        labels = {"status": _("Status"), "owner_id": _("Owner"), "kind": _("B2B / B2C"),
                  "key_account": _("Key account"), "tag": _("Tag")}
        with Vertical(id="filter-box"):
            yield Static(Content(_("Show clients — F2 applies, F3 clears, Esc cancels"))
                         .stylize("bold"))
            for name, label in labels.items():
                value = getattr(self.current, name)
                known = {choice for _label, choice in self.choices[name]}
                with Horizontal(classes="filter-row"):
                    yield Label(label, classes="filter-label")
                    yield Select(self.choices[name], prompt=_("any"), id=f"filter-{name}",
                                 value=value if value in known else Select.NULL)
            with Horizontal(id="filter-buttons"):
                yield Button(_("Apply (F2)"), variant="primary", id="filter-apply")
                yield Button(_("Clear all (F3)"), id="filter-clear")
                yield Button(_("Cancel (Esc)"), id="filter-cancel")

    def chosen(self) -> service.ClientFilter:
        values = {}
        for name in self.choices:
            value = self.query_one(f"#filter-{name}", Select).value
            values[name] = "" if value is Select.NULL else str(value)
        return service.ClientFilter(**values)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"filter-apply": self.action_apply, "filter-clear": self.action_clear,
                   "filter-cancel": self.action_cancel}
        actions[event.button.id or "filter-cancel"]()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_clear(self) -> None:
        self.dismiss(service.ClientFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
