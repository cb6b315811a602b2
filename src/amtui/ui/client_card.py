"""The client card: company data, how to reach them now, cadence, contacts, deals and a
timeline of everything that happened, newest first. Two columns when the terminal is wide."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from amtui.dates import (
    TIME,
    WEEKDAY,
    agency_zone,
    day_and_time,
    day_in_words,
    duration,
    format_moment,
    today_of,
)
from amtui.i18n import N_, _
from amtui.money import format_money, format_number
from amtui.services import clients as service
from amtui.services.actions import log_contact
from amtui.storage import RecordNotFound, StorageError
from amtui.text import one_line
from amtui.ui import client_forms, deal_forms
from amtui.ui.reading import ReadInTurn
from amtui.ui.safe import line
from amtui.ui.values import shown
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from amtui.models import Contact, Deal
    from amtui.plugins.specs import ClientSection
    from amtui.services.clients import ClientDetails, DealTotals, TimelineEntry
    from amtui.ui.app import AmtuiApp

WIDE = 110
"""From this many columns the card shows the timeline beside the rest."""

LABEL_WIDTH = 14

TIMELINE_KINDS = {"message": N_("message"), "task": N_("task"), "task_done": N_("task done"),
                  "note": N_("note"), "deal": N_("deal")}
TABLE_NOUNS = {"clients": N_("client"), "contacts": N_("contact"), "messages": N_("message"),
               "tasks": N_("task"), "notes": N_("note"), "deals": N_("deal")}
"""How a change in the audit names the kind of record changed."""
CHANGES = {"add": N_("created"), "update": N_("changed"), "delete": N_("deleted"),
           "restore": N_("restored from the trash"), "discard": N_("removed (its adding undone)")}


class CardLoaded(Message):
    """The card's worker read the client (None: it is no longer there)."""

    def __init__(self, details: ClientDetails | None, problem: str = "",
                 sections: list[tuple[str, ClientSection]] | None = None) -> None:
        super().__init__()
        self.details = details
        self.problem = problem
        self.sections = sections or []
        """(plugin, section) pairs that plugins add to the card."""


def read_card(amtui: AmtuiApp, client_id: str) -> CardLoaded:
    """Read what the card shows of the client, plugins' sections too (in a worker)."""
    workspace = amtui.workspace
    try:
        details = service.client_details(workspace, client_id)
    except RecordNotFound:
        return CardLoaded(None)
    except StorageError as error:
        return CardLoaded(None, str(error))
    sections = amtui.plugins.client_sections(workspace, details.client)
    added = [service.TimelineEntry(item.at, item.kind, item.table, item.record_id, item.text)
             for _plugin, section in sections for item in section.timeline]
    if added:
        details.timeline = sorted([*details.timeline, *added], key=lambda entry: entry.at,
                                  reverse=True)
    return CardLoaded(details, sections=sections)


def open_card(amtui: AmtuiApp, client_id: str) -> None:
    """Read the client off the UI thread, then open its card showing it; a client no longer
    there is said so instead. A newer open replaces one still reading."""

    def read() -> None:
        loaded = read_card(amtui, client_id)
        if not get_current_worker().is_cancelled:
            amtui.call_from_thread(shown, loaded)

    def shown(loaded: CardLoaded) -> None:
        if loaded.details is None:
            amtui.notify(one_line(loaded.problem or _("That client is no longer there.")),
                         severity="warning", markup=False)
        else:
            amtui.push_screen(ClientCard(client_id, loaded))

    amtui.run_worker(read, thread=True, group="open-card", exclusive=True)


def heading(text: str, count: int | None = None, keys: str = "") -> Content:
    """A section's title, with its count and the keys that change what it lists."""
    title = text if count is None else f"{text} ({count})"
    return Content.assemble(Content(title).stylize("bold underline"),
                            muted(f"  {keys}") if keys else "")


def row(label: str, *parts: Content | str) -> Content:
    """A labelled line; ``parts`` are Content (workspace text made safe) or our own words."""
    return Content.assemble((f"{label:<{LABEL_WIDTH}}", "bold"), *parts)


def muted(text: Content | str) -> Content:
    return (text if isinstance(text, Content) else Content(text)).stylize("$text-muted")


class ClientCard(LightScreen, ReadInTurn, Screen[None]):
    """One client; opened with Enter on the client list."""

    DEFAULT_CSS = """
    ClientCard #card-title {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
        text-style: bold;
    }
    ClientCard #card-body {
        height: 1fr;
    }
    ClientCard .card-column {
        height: auto;
        overflow-y: hidden;
        padding: 0 1;
    }
    ClientCard .card-section {
        margin-bottom: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ClientCard.-wide #card-body {
        layout: horizontal;
        overflow-y: hidden;
    }
    ClientCard.-wide .card-column {
        width: 1fr;
        height: 1fr;
        overflow-y: auto;
    }
    ClientCard.-wide #card-history {
        border-left: vkey $primary-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="client_card.close"),
        Binding("e", "edit", N_("Edit"), id="client_card.edit",
                tooltip=N_("Edit the client's data")),
        Binding("c", "add_contact", N_("Add contact"), id="client_card.add_contact",
                tooltip=N_("Add a person on the client's side")),
        Binding("C", "edit_contact", N_("Edit contact"), id="client_card.edit_contact",
                tooltip=N_("Edit one of the client's contacts"), show=False),
        Binding("n", "new_deal", N_("New deal"), id="client_card.new_deal",
                tooltip=N_("Add a deal with the client: amount, status, dates"), show=False),
        Binding("D", "edit_deal", N_("Edit deal"), id="client_card.edit_deal",
                tooltip=N_("Edit one of the client's deals"), show=False),
        Binding("X", "delete_record", N_("Delete contact or deal"),
                id="client_card.delete_record", show=False,
                tooltip=N_("Move one of the client's contacts or deals to the trash "
                           "(u undoes)")),
        Binding("d", "contacted", N_("Contacted"), id="client_card.contacted",
                tooltip=N_("Log an update sent to the client: resets their cadence")),
        Binding("x,delete", "delete", N_("Delete"), id="client_card.delete",
                tooltip=N_("Move the client to the trash (u undoes)")),
        Binding("ctrl+r,f5", "reload", N_("Reload"), id="client_card.reload", show=False),
        Binding("r", "update", N_("Daily update"), id="client_card.update",
                tooltip=N_("Compose today's update for the client, edit it, send it")),
    ]

    def __init__(self, client_id: str, loaded: CardLoaded | None = None) -> None:
        """``loaded``: the client read already (:func:`open_card`): the card opens showing
        it, laid out once, instead of "Loading…" then the client."""
        super().__init__()
        self.client_id = client_id
        self.details: ClientDetails | None = None
        self._first = loaded
        self._wide: bool | None = None
        """Whether the card is laid out in two columns (None before it is laid out)."""

    @property
    def amtui(self) -> AmtuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # Laid out for the width before it is mounted: changing the layout once mounted
        # restyles and refocuses the whole card (measured: a fifth of its opening). The first
        # column that can have the focus gets it.
        wide = self._wide = self.app.size.width >= WIDE
        self.set_class(wide, "-wide")
        yield Static(Content(_("Loading…")), id="card-title")
        with VerticalScroll(id="card-body") as body:
            body.can_focus = not wide
            for column_id, sections in (
                    ("card-main", ("company", "reach", "updates", "contacts", "deals",
                                   "plugins")),
                    ("card-history", ("timeline",))):
                with VerticalScroll(id=column_id, classes="card-column") as column:
                    column.can_focus = wide
                    for section in sections:
                        yield Static(id=f"card-{section}", classes="card-section")
        yield KeyBar()

    def on_mount(self) -> None:
        if self._first is None:
            self.reload()
        else:
            self._loaded(self._first)
            self._first = None

    def on_resize(self) -> None:
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        """Wide: two columns, each scrolls on its own. Narrow: one column that scrolls.
        Nothing to do when the width stays on the same side (the card's first resize)."""
        wide = width >= WIDE
        if wide == self._wide:
            return
        self._wide = wide
        self.set_class(wide, "-wide")
        self.query_one("#card-body").can_focus = not wide
        for column in self.query(".card-column"):
            column.can_focus = wide
        focused = self.focused
        if focused is None or not focused.can_focus:
            self.set_focus(self.query_one("#card-main" if wide else "#card-body"))

    def data_changed(self) -> None:
        """The workspace changed (a save, an undo, another process): read the client again."""
        self.reload()

    @work(thread=True, group="client-card")
    def _read(self) -> None:
        self.post_message(read_card(self.amtui, self.client_id))

    def on_card_loaded(self, message: CardLoaded) -> None:
        self.read_done()
        self._loaded(message)

    def _loaded(self, message: CardLoaded) -> None:
        if message.details is None:
            self._gone(message.problem or _("That client is no longer there."))
            return
        self.details = message.details
        self._show(message.details)
        self._section("plugins", [
            part for _plugin, section in message.sections
            for part in (heading(line(section.title, 60).plain),
                         *(Content.assemble("  ", line(text, 200)) for text in section.lines))])
        self.query_one("#card-plugins").display = bool(message.sections)
        self.amtui.show_plugin_failures()

    def _gone(self, problem: str) -> None:
        self.details = None
        if self.is_current:
            self.app.notify(one_line(problem), severity="warning", markup=False)
            self.dismiss()
        else:
            self.query_one("#card-title", Static).update(line(problem))

    def _show(self, details: ClientDetails) -> None:
        client = details.client
        star = ("  ★" if client.key_account else "", "$amtui-key-account")
        title = Content.assemble(line(client.name, 90), star)
        self.query_one("#card-title", Static).update(title)
        currency = self.amtui.workspace.settings.currency
        self._section("company", [heading(_("Company")), *self._company(details, currency)])
        self._section("reach", [heading(_("Reaching them")), *self._reach(details)])
        self._section("updates", [heading(_("Updates")), *self._updates(details)])
        self._section("contacts", [heading(_("Contacts"), len(details.contacts),
                                           _("c add · C edit · X delete")),
                                   *self._contacts(details)])
        self._section("deals", [heading(_("Deals"), len(details.deals),
                                        _("n new · D edit · X delete")),
                                *self._deals(details)])
        self._section("timeline", [heading(_("Timeline"), len(details.timeline) + details.older),
                                   *self._timeline(details)])

    def _section(self, name: str, lines: list[Content]) -> None:
        self.query_one(f"#card-{name}", Static).update(Content("\n").join(lines))

    def _company(self, details: ClientDetails, currency: str) -> list[Content]:
        client = details.client
        owner = line(details.owner.name, 40) if details.owner else muted(_("nobody"))
        ratio = (muted(_("no cost to serve recorded")) if details.ratio is None
                 else Content(f"{format_number(details.ratio, 1)}×"))
        return [
            row(_("Kind"), client.kind.value.upper(), " · ", shown(client.legal_form)),
            row(_("Status"), shown(client.status)),
            row(_("Owner"), owner),
            row(_("Stage"), shown(client.stage) if client.stage else muted(_("not set"))),
            row(_("Key account"), _("yes ★") if client.key_account else _("no")),
            row(_("Industry"), line(client.industry, 60) if client.industry
                else muted(_("not set"))),
            row(_("Tags"), line(", ".join(client.tags), 80) if client.tags else muted(_("none"))),
            row(_("Revenue/mo"), format_money(client.monthly_revenue, currency)),
            row(_("Cost/mo"), format_money(client.cost_to_serve, currency)),
            row(_("Rev./cost"), ratio),
        ]

    def _reach(self, details: ClientDetails) -> list[Content]:
        client, local = details.client, details.local
        offset = local.now.strftime("%z")
        working = (Content(_("working now")).stylize("$success") if local.working
                   else Content(_("not working now")).stylize("$warning"))
        # lazy: Babel's names and the report's rule, when a card opens
        from amtui.services.report import client_locale
        from amtui.ui.app import language_name

        writes_in = language_name(client_locale(self.amtui.workspace, client).partition("_")[0])
        return [
            row(_("Channel"), shown(client.preferred_channel)),
            row(_("Messages in"), writes_in,
                muted(" " + _("(the workspace's)")) if not client.language else ""),
            row(_("Local time"), format_moment(local.now, f"{WEEKDAY} {TIME}"), " · ",
                line(client.timezone), muted(f" (UTC{offset[:3]}:{offset[3:]})")),
            row(_("Hours"), service.format_hours(local.hours), " · ", working),
        ]

    def _updates(self, details: ClientDetails) -> list[Content]:
        client, update = details.client, details.update
        now = self.amtui.workspace.clock()
        last = (Content.assemble(self._moment(update.last_contact), " · ",
                                 _("{span} ago").format(span=duration(now - update.last_contact)))
                if update.last_contact else muted(_("never")))
        if update.due is None:
            due = muted(_("no fixed cadence") if client.cadence.days is None
                        else _("only active clients get updates"))
        elif update.overdue:
            late = _("due now") if update.last_contact is None else _("overdue by {span}").format(
                span=duration(now - update.due))
            due = Content.assemble(self._moment(update.due), " · ",
                                   Content(late).stylize("bold $amtui-overdue"))
        else:
            due = Content.assemble(self._moment(update.due), " · ",
                                   _("in {span}").format(span=duration(update.due - now)))
        return [row(_("Cadence"), shown(client.cadence)), row(_("Last contact"), last),
                row(_("Next update"), due)]

    def _contacts(self, details: ClientDetails) -> list[Content]:
        """Two lines each: who they are and their weight; then how to reach them."""
        if not details.contacts:
            return [muted(_("No contacts yet: c adds one."))]
        lines = []
        for contact in details.contacts:
            parts: list[Content | str] = [line(contact.name, 40).stylize("bold")]
            if contact.role:
                parts += [" · ", line(contact.role, 40)]
            parts += [" · ", shown(contact.influence)]
            if contact.cadence:
                parts += [" · ", _("cadence {cadence}").format(cadence=shown(contact.cadence))]
            lines.append(Content.assemble(*parts))
            reach = " · ".join(value for value in (contact.email, contact.phone,
                                                   contact.messenger) if value)
            if reach:
                lines.append(Content.assemble("    ", muted(line(reach, 120))))
        return lines

    def _deals(self, details: ClientDetails) -> list[Content]:
        if not details.deals:
            return [muted(_("No deals yet: n adds one."))]
        lines = []
        today = today_of(self.amtui.workspace)
        for deal in details.deals:
            dates = [_("signed {day}").format(day=day_in_words(deal.signed_on, today))
                     if deal.signed_on else "",
                     _("paid {day}").format(day=day_in_words(deal.paid_on, today))
                     if deal.paid_on else ""]
            lines.append(Content.assemble(
                line(deal.title, 50), " · ", shown(deal.status), " · ",
                format_money(deal.amount.amount, deal.amount.currency),
                *(muted(f" · {date}") for date in dates if date)))
        return [*lines, Content(_("Totals")).stylize("bold"), *self._totals(details.totals)]

    @staticmethod
    def _totals(totals: DealTotals) -> list[Content]:
        every = _("all deals")
        return [Content.assemble(
            (f"  {every if status == 'all' else shown(status):<{LABEL_WIDTH - 2}}",
             "bold" if status == "all" else ""),
            " · ".join(format_money(amount, currency)
                       for currency, amount in by_currency.items()))
            for status, by_currency in totals.items()]

    def _timeline(self, details: ClientDetails) -> list[Content]:
        if not details.timeline:
            return [muted(_("Nothing has happened with this client yet."))]
        lines = [part for entry in details.timeline for part in self._entry(entry)]
        if details.older:
            lines.append(muted(_("… {count} older entries not shown").format(
                count=details.older)))
        return lines

    def _entry(self, entry: TimelineEntry) -> list[Content]:
        """Two lines: when, what kind and its facts; then the text, indented."""
        if entry.kind == "change":
            action, fields, user = entry.facts
            kind = _(TABLE_NOUNS.get(entry.table, entry.table))
            facts = [_(CHANGES.get(action, action)) + (f": {fields}" if fields else "")]
            if user:
                facts.append(_("by {user}").format(user=user))
        else:
            kind = _(TIMELINE_KINDS.get(entry.kind, entry.kind))
            facts = list(entry.facts)
        return [
            Content.assemble(self._moment(entry.at), "  ", (kind, "bold"),
                             muted(line(" · " + " · ".join(facts), 100)) if facts else ""),
            Content.assemble("    ", line(entry.text, 200)),
        ]

    def _moment(self, moment: datetime) -> Content:
        """A moment as the app says it ("today 14:00", "03.12 10:30"), in the agency's own
        time zone."""
        workspace = self.amtui.workspace
        now = workspace.clock().astimezone(agency_zone(workspace.settings.timezone))
        return Content(day_and_time(moment, now))

    # actions

    def action_close(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    def action_update(self) -> None:
        # lazy: kept out of the app start
        from amtui.ui.update_screen import UpdateScreen

        self.app.push_screen(UpdateScreen(self.client_id))

    def action_edit(self) -> None:
        client_forms.edit_client(self.amtui, self.client_id)

    def action_add_contact(self) -> None:
        if self.details:
            client_forms.add_contact(self.amtui, self.client_id, self.details.client.name)

    def action_edit_contact(self) -> None:
        if not self.details:
            return
        contacts = self.details.contacts
        if not contacts:
            self.notify(_("No contacts yet: c adds one."), markup=False)
            return
        deal_forms.pick(self.amtui, _("Edit which contact?"),
                        [line(contact.name, 60) for contact in contacts],
                        lambda index: deal_forms.edit_contact(self.amtui, contacts[index]))

    def action_new_deal(self) -> None:
        if self.details:
            deal_forms.new_deal(self.amtui, self.client_id, self.details.client.name)

    def action_edit_deal(self) -> None:
        if not self.details:
            return
        deals = self.details.deals
        if not deals:
            self.notify(_("No deals yet: n adds one."), markup=False)
            return
        deal_forms.pick(self.amtui, _("Edit which deal?"),
                        [deal_forms.deal_label(deal) for deal in deals],
                        lambda index: deal_forms.edit_deal(self.amtui, deals[index]))

    def action_delete_record(self) -> None:
        if not self.details:
            return
        records: list[Contact | Deal] = [*self.details.contacts, *self.details.deals]
        if not records:
            self.notify(_("The client has no contacts or deals."), markup=False)
            return
        labels = [Content.assemble(line(contact.name, 60), muted(" · " + _("contact")))
                  for contact in self.details.contacts]
        labels += [Content.assemble(deal_forms.deal_label(deal), muted(" · " + _("deal")))
                   for deal in self.details.deals]
        deal_forms.pick(self.amtui, _("Delete which contact or deal?"), labels,
                        lambda index: deal_forms.delete_record(self.amtui, records[index]))

    def action_contacted(self) -> None:
        workspace = self.amtui.workspace
        client_id = self.client_id
        self.amtui.change(lambda: log_contact(workspace, client_id), _("Contact logged"))

    def action_delete(self) -> None:
        if self.details:
            client_forms.delete_client(self.amtui, self.client_id, self.details.client.name)
            self.dismiss()
