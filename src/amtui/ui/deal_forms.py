"""Editing what the client card lists: a client's deals (new, edit) and contacts (edit), and
either moved to the trash.

Every change goes through ``AmtuiApp.change``: it runs off the UI thread and can be undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from amtui.dates import today_of
from amtui.i18n import N_, _
from amtui.models import Contact, Deal, DealStatus
from amtui.money import format_money
from amtui.services import actions, clients as service
from amtui.text import one_line
from amtui.ui.ask import PickScreen
from amtui.ui.client_forms import CONTACT_FIELDS, ContactForm, member_names, my_member_id
from amtui.ui.confirm import ask_to_delete
from amtui.ui.forms import FormField, FormScreen, choices_of
from amtui.ui.picker import Picker, member_picker
from amtui.ui.safe import line
from amtui.ui.values import shown

if TYPE_CHECKING:
    from amtui.ui.app import AmtuiApp


def pick(app: AmtuiApp, question: str, labels: Sequence[Content],
         chosen: Callable[[int], None]) -> None:
    """``chosen(index)`` of one of ``labels``: asked only when there are several."""
    if len(labels) == 1:
        chosen(0)
        return
    app.push_screen(PickScreen(question, [(label, str(index))
                                          for index, label in enumerate(labels)]),
                    lambda index: chosen(int(index)) if index is not None else None)


def deal_fields(owners: Picker) -> list[FormField]:
    return [
        FormField("title", _("Title"), placeholder=_("SEO for a year, site redesign")),
        FormField("amount", _("Amount"), placeholder="1 200 000,50"),
        FormField("currency", _("Currency (three letters)"), placeholder="RUB"),
        FormField("status", _("Status"), choices_of(list(DealStatus))),
        FormField("owner_id", _("Owner on our side"), picker=owners,
                  placeholder=_("nobody; type part of a member's name")),
        FormField("signed_on", _("Signed on (empty if not yet)"),
                  placeholder=_("31.12.2026, today, +3d")),
        FormField("paid_on", _("Paid on (empty if not yet)"),
                  placeholder=_("31.12.2026, today, +3d")),
    ]


class DealForm(FormScreen[Deal]):
    """A deal's form: the title and the first field in view when it opens, as every form."""


def deal_label(deal: Deal) -> Content:
    return Content.assemble(line(deal.title, 50), " · ", shown(deal.status), " · ",
                            format_money(deal.amount.amount, deal.amount.currency))


def new_deal(app: AmtuiApp, client_id: str, client_name: str) -> None:
    """The deal form for a new deal of the client, owned by the user by default."""
    workspace = app.workspace

    def created(deal: Deal | None) -> None:
        if deal is not None:
            app.change(lambda: service.add_deal(workspace, deal),
                       _("Deal «{title}» added").format(title=one_line(deal.title, 40)))

    title = _("New deal with «{name}»").format(name=one_line(client_name, 50))
    app.push_screen(DealForm(title, deal_fields(member_picker(workspace)),
                             service.deal_form_values(None, workspace.settings.currency,
                                                      my_member_id(workspace)),
                             lambda values: service.deal_from_form(values, client_id,
                                                                   today=today_of(workspace))),
                    created)


def edit_deal(app: AmtuiApp, deal: Deal) -> None:
    """The deal form with ``deal``; saving over someone else's newer change asks whether to
    reload or overwrite."""
    workspace = app.workspace

    def edited(changed: Deal | None) -> None:
        if changed is not None:
            app.change(lambda: service.save_deal(workspace, changed),
                       _("Deal «{title}» saved").format(title=one_line(changed.title, 40)),
                       overwrite=lambda: service.overwrite_deal(workspace, changed))

    values = service.deal_form_values(deal, workspace.settings.currency)
    if values["owner_id"] not in member_names(app):
        values["owner_id"] = ""  # the owner left the team: a deal is saved with members only
    title = _("Edit deal «{title}»").format(title=one_line(deal.title, 50))
    app.push_screen(DealForm(title, deal_fields(member_picker(workspace)), values,
                             lambda values: service.deal_from_form(
                                 values, deal.client_id, deal, today=today_of(workspace))),
                    edited)


def edit_contact(app: AmtuiApp, contact: Contact) -> None:
    """The contact form with ``contact``."""
    workspace = app.workspace

    def edited(changed: Contact | None) -> None:
        if changed is not None:
            app.change(lambda: service.save_contact(workspace, changed),
                       _("Contact «{name}» saved").format(name=one_line(changed.name, 40)),
                       overwrite=lambda: service.overwrite_contact(workspace, changed))

    title = _("Edit contact «{name}»").format(name=one_line(contact.name, 50))
    app.push_screen(ContactForm(title, CONTACT_FIELDS, service.contact_form_values(contact),
                                lambda values: service.contact_from_form(
                                    values, contact.client_id, contact)),
                    edited)


DELETE_QUESTIONS = {
    Contact.table: N_("Move the contact «{name}» to the trash? Their messages stay the "
                      "client's."),
    Deal.table: N_("Move the deal «{name}» to the trash?"),
}


def delete_record(app: AmtuiApp, record: Contact | Deal) -> None:
    """Ask, then move the contact or deal to the trash as ``amtui delete`` does."""
    workspace = app.workspace
    name = record.label()
    ask_to_delete(app, _(DELETE_QUESTIONS[record.table]).format(name=one_line(name, 60)),
                  lambda: app.change(lambda: actions.delete(workspace, record.table, record.id),
                                     _("«{name}» moved to the trash; u undoes").format(
                                         name=one_line(name, 40))))
