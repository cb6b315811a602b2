"""Changing clients from the UI: the client form (new, edit), the contact form, delete, and the
dialog that narrows the client list.

Every change goes through ``AmtuiApp.change``: it runs off the UI thread and can be undone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import available_timezones

from textual.suggester import SuggestFromList
from textual.widgets import Input

from amtui.i18n import N_, _
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
from amtui.services.agenda import member_by_login
from amtui.services.senders import SenderClient, sender_client, sender_form_values
from amtui.storage import RecordNotFound
from amtui.text import one_line
from amtui.ui.forms import FilterForm, FormField, FormScreen, choices_of
from amtui.ui.picker import Picker, member_picker

if TYPE_CHECKING:
    from amtui.services.senders import Sender
    from amtui.services.undo import Undo
    from amtui.storage import Workspace
    from amtui.ui.app import AmtuiApp


def plain_choice(text: str, width: int = 40) -> str:
    """A choice's label from workspace text: one line, control characters visible."""
    return one_line(text, width)


def member_names(app: AmtuiApp) -> dict[str, str]:
    return {member_id: str(member.get("name", ""))
            for member_id, member in app.workspace.file("members").records().items()}


def language_choices() -> list[tuple[str, str]]:
    """The languages amtui writes in, each by its own name: ("Русский", "ru")."""
    # lazy: Babel's names, when a client form opens
    from amtui.language import languages
    from amtui.ui.app import language_name

    return [(language_name(language), language) for language in languages()]


def client_fields(owners: Picker, currency: str) -> list[FormField]:
    return [
        FormField("name", _("Name"), placeholder=_("ООО «Ромашка», or a person's name")),
        FormField("kind", _("B2B or B2C"), [("B2B", ClientKind.B2B.value),
                                            ("B2C", ClientKind.B2C.value)]),
        FormField("legal_form", _("Legal form"), choices_of(list(LegalForm))),
        FormField("status", _("Status"), choices_of(list(ClientStatus))),
        FormField("owner_id", _("Owner"), picker=owners,
                  placeholder=_("nobody; type part of a member's name")),
        FormField("stage", _("Relationship stage"),
                  [(_("not set"), ""), *choices_of(list(RelationshipStage))]),
        FormField("key_account", _("Key account"), [(_("no"), "no"), (_("yes"), "yes")]),
        FormField("industry", _("Industry"), placeholder=_("e-commerce, медицина, …")),
        FormField("preferred_channel", _("Preferred channel"), choices_of(list(Channel))),
        FormField("language", _("Language of our messages to the client"),
                  [(_("the workspace's"), ""), *language_choices()]),
        FormField("timezone", _("Time zone (IANA name)"),
                  placeholder="Europe/Moscow, Asia/Yekaterinburg"),
        FormField("working_hours", _("Working hours, in the client's time"),
                  placeholder=_("10:00-19:00 Mon-Fri")),
        FormField("cadence", _("Update cadence"), choices_of(list(Cadence))),
        FormField("monthly_revenue", _("Monthly revenue, {currency}").format(currency=currency),
                  placeholder="1 200 000,50"),
        FormField("cost_to_serve",
                  _("Cost to serve per month, {currency}").format(currency=currency),
                  placeholder="300 000"),
        FormField("tags", _("Tags, separated by commas"), placeholder=_("vip, retail")),
    ]


CONTACT_FIELDS = [
    FormField("name", N_("Full name")),
    FormField("role", N_("Role (job title)"), placeholder=N_("CMO, генеральный директор")),
    FormField("influence", N_("Influence"), choices_of(list(Influence))),
    FormField("email", N_("E-mail")),
    FormField("phone", N_("Phone")),
    FormField("messenger", N_("Messenger"), placeholder="@username"),
]


class ClientForm(FormScreen[Client]):
    """The client form; time zone names are suggested as they are typed."""

    def on_mount(self) -> None:
        suggest_zones(self)


def suggest_zones(form: FormScreen[Any]) -> None:
    """Suggest time zone names in the form's time zone field as they are typed."""
    form.query_one("#field-timezone", Input).suggester = SuggestFromList(
        zone_names(), case_sensitive=False)


@functools.cache
def zone_names() -> list[str]:
    """The IANA time zone names (read from the system's zone files once)."""
    return sorted(available_timezones())


class ContactForm(FormScreen[Contact]):
    """A contact at a client."""


def my_member_id(workspace: Workspace) -> str:
    """The id of the member who is logged in (to the host), or "" if they are not one."""
    member = member_by_login(workspace, os_user())
    return str(member["id"]) if member else ""


def _new_client_values(app: AmtuiApp) -> dict[str, str]:
    """A new client's defaults: owned by the member who is logged in, in the agency's zone."""
    workspace = app.workspace
    values = service.client_form_values(None, my_member_id(workspace))
    values["timezone"] = workspace.settings.timezone
    return values


def _add_client(app: AmtuiApp, client: Client, then: Callable[[], None] | None = None) -> None:
    """Save a new client; once it is saved, warn if clients of the same name were there
    already (added anyway: two clients may share a name), then call ``then``."""
    workspace = app.workspace
    duplicates: list[tuple[str, str]] = []

    def save() -> Undo:
        duplicates.extend(service.duplicates_of(workspace, client.name))
        return service.add_client(workspace, client)

    def saved() -> None:
        if duplicates:
            app.notify(_("A client of the same name was there already: {names}.").format(
                names=", ".join(f"«{one_line(name, 40)}»" for _id, name in duplicates[:3])
                + ("…" if len(duplicates) > 3 else "")), severity="warning", markup=False)
        if then is not None:
            then()

    app.change(save, _("Client «{name}» created").format(name=one_line(client.name, 40)),
               then=saved)


def new_client(app: AmtuiApp) -> None:
    workspace = app.workspace

    def created(client: Client | None) -> None:
        if client is not None:
            _add_client(app, client)

    app.push_screen(ClientForm(_("New client"),
                               client_fields(member_picker(workspace),
                                             workspace.settings.currency),
                               _new_client_values(app),
                               functools.partial(service.client_from_form,
                                                 currency=workspace.settings.currency)),
                    created)


class SenderClientForm(FormScreen[SenderClient]):
    """The client form with the sender as its first contact; time zones suggested as typed."""

    def on_mount(self) -> None:
        suggest_zones(self)


def sender_client_form(app: AmtuiApp, sender: Sender) -> SenderClientForm:
    """The new-client form filled from the sender of mail with no client: its name, and a
    contact with the sender's name and address (see :mod:`amtui.services.senders`)."""
    workspace = app.workspace
    currency = workspace.settings.currency
    name, kind, *rest = client_fields(member_picker(workspace), currency)
    fields = [name, kind, FormField("contact_name", _("Contact (the sender)")),
              FormField("contact_email", _("Contact's e-mail")), *rest]
    return SenderClientForm(
        _("New client from {sender}").format(sender=one_line(sender.address or sender.name,
                                                              50)),
        fields, sender_form_values(sender, _new_client_values(app)),
        lambda values: sender_client(service.client_from_form(values, currency=currency),
                                     values))


QUICK_CLIENT_FIELDS = ["name", "kind"]
"""The fields asked for a client made from a picker; the rest keep a new client's defaults."""


def quick_client(app: AmtuiApp, name: str, picked: Callable[[str, str], None]) -> None:
    """Ask for a new client's name and kind (from a client picker, to log a message from a
    new prospect without leaving the form), save it, then tell ``picked`` its id and name."""
    workspace = app.workspace
    defaults = _new_client_values(app)
    fields = [spec for spec in client_fields(member_picker(workspace), workspace.settings.currency)
              if spec.name in QUICK_CLIENT_FIELDS]

    def created(client: Client | None) -> None:
        if client is not None:
            _add_client(app, client, then=lambda: picked(client.id, client.name))

    app.push_screen(FormScreen(_("New client"), fields, {**defaults, "name": name},
                               lambda values: service.client_from_form(
                                   {**defaults, **values}, currency=workspace.settings.currency)),
                    created)


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
    app.push_screen(ClientForm(title, client_fields(member_picker(workspace),
                                                    workspace.settings.currency),
                               values,
                               lambda values: service.client_from_form(
                                   values, client, workspace.settings.currency)),
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


def filter_form(current: service.ClientFilter, workspace: Workspace,
                tags: list[str]) -> FilterForm[service.ClientFilter]:
    """Narrow the client list; dismissed with the new filter, or None to keep the old one."""
    any_ = (_("any"), "")
    fields = [
        FormField("status", _("Status"), [any_, *choices_of(list(ClientStatus))]),
        FormField("owner_id", _("Owner"),
                  picker=member_picker(workspace, none=(_("nobody"), service.NOBODY)),
                  placeholder=_("any; type part of a name, or “nobody”")),
        FormField("kind", _("B2B / B2C"),
                  [any_, ("B2B", ClientKind.B2B.value), ("B2C", ClientKind.B2C.value)]),
        FormField("key_account", _("Key account"), [any_, (_("key accounts only"), "yes"),
                                                    (_("not key accounts"), "no")]),
        FormField("tag", _("Tag"), [any_, *((plain_choice(tag), tag) for tag in tags)]),
    ]
    values = {spec.name: getattr(current, spec.name) for spec in fields}
    return FilterForm(_("Show clients"), fields, values,
                      lambda typed: service.ClientFilter(**typed), service.ClientFilter())
