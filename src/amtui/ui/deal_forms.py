"""Editing what the client card lists: a client's deals (new, edit) and contacts (edit).

Every change goes through ``AmtuiApp.change``: it runs off the UI thread and can be undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from amtui.i18n import _
from amtui.identity import os_user
from amtui.models import Contact, Deal, DealStatus
from amtui.services import clients as service
from amtui.text import one_line
from amtui.ui.client_forms import CONTACT_FIELDS, ContactForm, member_names, owner_choices
from amtui.ui.forms import FormField, FormScreen, choices_of
from amtui.ui.safe import line

if TYPE_CHECKING:
    from amtui.ui.app import AmtuiApp


class PickOne(ModalScreen[int | None]):
    """Choose one of a few records by name: dismissed with its index, or None."""

    DEFAULT_CSS = """
    PickOne { align: center middle; }
    PickOne > Vertical {
        width: 90%; max-width: 80; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PickOne OptionList { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", _("Cancel"), id="pick.cancel"),
    ]
    AUTO_FOCUS = "OptionList"

    def __init__(self, question: str, labels: Sequence[Content]) -> None:
        super().__init__()
        self.question = question
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.question).stylize("bold"))
            yield OptionList(*(Option(label) for label in self.labels))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


def pick(app: AmtuiApp, question: str, labels: Sequence[Content],
         chosen: Callable[[int], None]) -> None:
    """``chosen(index)`` of one of ``labels``: asked only when there are several."""
    if len(labels) == 1:
        chosen(0)
        return
    app.push_screen(PickOne(question, labels),
                    lambda index: chosen(index) if index is not None else None)


def deal_fields(members: dict[str, str], has_owner: str = "") -> list[FormField]:
    owners = owner_choices(members)
    if has_owner and has_owner not in members:
        owners.append((_("someone who left"), has_owner))
    return [
        FormField("title", _("Title"), placeholder=_("SEO for a year, site redesign")),
        FormField("amount", _("Amount"), placeholder="1 200 000,50"),
        FormField("currency", _("Currency (three letters)"), placeholder="RUB"),
        FormField("status", _("Status"), choices_of(list(DealStatus))),
        FormField("owner_id", _("Owner on our side"), [(_("nobody"), ""), *owners]),
        FormField("signed_on", _("Signed on (YYYY-MM-DD, empty if not yet)"),
                  placeholder="2026-11-26"),
        FormField("paid_on", _("Paid on (YYYY-MM-DD, empty if not yet)"),
                  placeholder="2026-12-01"),
    ]


class DealForm(FormScreen[Deal]):
    AUTO_FOCUS = "#field-title"


def deal_label(deal: Deal) -> Content:
    return Content.assemble(line(deal.title, 50), " · ", deal.status.value, " · ",
                            f"{service.format_amount(deal.amount.amount)} "
                            f"{deal.amount.currency}")


def new_deal(app: AmtuiApp, client_id: str, client_name: str) -> None:
    """The deal form for a new deal of the client, owned by the user by default."""
    workspace = app.workspace
    members = member_names(app)
    me = next((member_id for member_id, member in workspace.file("members").records().items()
               if member.get("login") and member.get("login") == os_user()), "")

    def created(deal: Deal | None) -> None:
        if deal is not None:
            app.change(lambda: service.add_deal(workspace, deal),
                       _("Deal «{title}» added").format(title=one_line(deal.title, 40)))

    title = _("New deal with «{name}»").format(name=one_line(client_name, 50))
    app.push_screen(DealForm(title, deal_fields(members),
                             service.deal_form_values(None, workspace.settings.currency, me),
                             lambda values: service.deal_from_form(values, client_id)),
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

    title = _("Edit deal «{title}»").format(title=one_line(deal.title, 50))
    app.push_screen(DealForm(title, deal_fields(member_names(app), deal.owner_id or ""),
                             service.deal_form_values(deal, workspace.settings.currency),
                             lambda values: service.deal_from_form(values, deal.client_id,
                                                                   deal)),
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
