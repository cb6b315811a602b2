"""Clients: the client base, narrowed by filters and by the words typed in the search box."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Input

from amtui.i18n import N_, _
from amtui.money import format_amount
from amtui.ui.panes.listing import MAX_ROWS, Column, ListPane
from amtui.ui.safe import cell, line
from amtui.ui.values import shown
from amtui.ui.widgets.table import RecordTable

if TYPE_CHECKING:
    from rich.text import Text

    from amtui.services.clients import ClientFilter, ClientSummary


@dataclass(frozen=True)
class ClientRows:
    """What the pane read: the clients, and what the filters offer."""

    clients: list[ClientSummary]
    members: dict[str, str]
    """Member id → name."""
    tags: list[str]


MAX_CACHED_ROWS = 500
"""Rows whose cells are kept between keystrokes; more are made again when shown."""


class ClientsPane(ListPane):
    PANE_ID = "clients"
    TITLE_TEXT = N_("Clients")
    TABLE = "clients"
    COLUMNS: ClassVar[list[Column]] = [
        (N_("Client"), 26), (N_("Status"), 8), (N_("Kind"), 4), (N_("Key"), 3),
        (N_("Revenue/mo"), 10), (N_("Owner"), 16), (N_("Cadence"), 8), (N_("Tags"), 24),
    ]
    """Fixed widths: the first six fit 80 columns; cadence and tags show from about 100."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="clients.new", tooltip=N_("Create a client")),
        Binding("r", "update", N_("Daily update"), id="clients.update",
                tooltip=N_("Compose today's update for the client, edit it, send it")),
        Binding("e", "edit", N_("Edit"), id="clients.edit",
                tooltip=N_("Edit the selected client")),
        Binding("x,delete", "delete", N_("Delete"), id="clients.delete",
                tooltip=N_("Move the selected client to the trash (u undoes)")),
        Binding("f", "filters", N_("Filters"), id="clients.filters",
                tooltip=N_("Show clients by status, owner, B2B/B2C, key account or tag")),
        Binding("F", "clear_filters", N_("Clear filters"), id="clients.clear_filters",
                show=False, tooltip=N_("Show every client again")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.clients: list[ClientSummary] = []
        self.cells: dict[str, list[Text]] = {}
        """Client id → the cells of its row: those shown first are made at once, the rest by
        a worker after the list is up (for ten thousand clients that takes a second)."""
        self._narrowed: tuple[list[str], ClientFilter | None, list[ClientSummary]] | None = None
        """The words and filter of the last search, and the clients found."""
        self._shown_ids: list[str] = []
        self._rows_changed = False
        self.members: dict[str, str] = {}
        self.tags: list[str] = []
        self.client_filter: ClientFilter | None = None

    # The list's rows carry what the filters look at, so read and show pass more than rows.
    def read(self) -> ClientRows:  # type: ignore[override]
        # lazy: pydantic, loaded on first use
        from amtui.services.clients import all_tags, summarise_clients

        workspace = self.amtui.workspace
        members = workspace.file("members").records()
        summaries = summarise_clients(workspace.file("clients").scan(), members,
                                      workspace.file("contacts").scan())
        return ClientRows(
            summaries,
            {member_id: str(member.get("name", "")) for member_id, member in members.items()},
            all_tags(summaries),
        )

    @staticmethod
    def _cells(client: ClientSummary) -> list[Text]:
        return [
            cell(client.name, 60),
            cell(shown(client.status)),
            cell(client.kind.upper()),
            cell("★" if client.key_account else ""),
            right(cell(format_amount(client.monthly_revenue.quantize(1)))),
            cell(client.owner_name, 24),
            cell(client.cadence),
            cell(", ".join(client.tags), 30),
        ]

    def show(self, payload: ClientRows) -> None:  # type: ignore[override]
        self.clients = payload.clients
        self.cells = {}
        self.members = payload.members
        self.tags = payload.tags
        self._narrowed = None
        self._rows_changed = True
        self.refilter()

    def _candidates(self, query: str) -> list[ClientSummary]:
        """Where to look: while the typed words only grow (and the filter stays), the clients
        found for the last keystroke; otherwise every client."""
        # lazy: pydantic, loaded on first use
        from amtui.services.clients import search_words

        words, last = search_words(query), self._narrowed
        if last and last[1] is self.client_filter and last[0] and all(
                any(old in new for new in words) for old in last[0]):
            return last[2]
        return self.clients

    def action_update(self) -> None:
        client_id = self.current_id()
        if client_id is None:
            self.notify(_("No client is selected."), severity="warning")
            return
        # lazy: kept out of the app start
        from amtui.ui.update_screen import UpdateScreen

        self.app.push_screen(UpdateScreen(client_id))

    def refilter(self) -> None:
        """Show the clients the filter lets through that hold every typed word, keeping the
        cursor on the same client. When none does (a typo, most likely), the names most like
        what was typed are looked for off the UI thread and shown when found."""
        # lazy: pydantic, loaded on first use
        from amtui.services.clients import matching, search_words

        query = self.query_one("#search", Input).value
        found = matching(self._candidates(query), query, self.client_filter)
        self._narrowed = (search_words(query), self.client_filter, found)
        if not found and query.strip():
            self._find_similar(query, self.client_filter)
            self._show_found([], searching=True)
        else:
            self._show_found(found)

    @work(thread=True, exclusive=True, group="similar-clients")
    def _find_similar(self, query: str, client_filter: ClientFilter | None) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.clients import similar

        found = similar(self.clients, query, client_filter, limit=MAX_ROWS)
        self.app.call_from_thread(self._similar_found, query, client_filter, found)

    def _similar_found(self, query: str, client_filter: ClientFilter | None,
                       found: list[ClientSummary]) -> None:
        if (query == self.query_one("#search", Input).value
                and client_filter is self.client_filter):
            self._show_found(found, alike=True)

    def _show_found(self, found: list[ClientSummary], *, alike: bool = False,
                    searching: bool = False) -> None:
        table = self.query_one(RecordTable)
        current = self.current_id()
        shown = found[:MAX_ROWS]
        shown_ids = [summary.id for summary in shown]
        if self._rows_changed or shown_ids != self._shown_ids:
            self._rows_changed = False
            if len(self.cells) > MAX_CACHED_ROWS:
                self.cells = {}  # cells are made for rows shown, and kept while few
            table.show_rows(self.cells.get(summary.id) or self.cells.setdefault(
                summary.id, self._cells(summary)) for summary in shown)
            self._shown_ids = shown_ids
            if current in shown_ids:
                table.move_cursor(row=shown_ids.index(current))
        note = _("{shown} of {total}").format(shown=len(shown_ids), total=len(self.clients))
        if searching:
            note = _("no exact match; looking for similar names…")
        elif alike:
            note = _("no exact match; similar names: {shown} of {total}").format(
                shown=len(shown_ids), total=len(self.clients))
        elif len(found) > MAX_ROWS:
            note = _("first {shown} of {found} found, {total} in all · / to search the "
                     "list").format(shown=len(shown_ids), found=len(found),
                                    total=len(self.clients))
        status = Content(note)
        described = self._describe_filter()
        if described:
            status = Content.assemble(status, " · ", described, muted_hint(_("F clears")))
        else:
            status = Content.assemble(status, muted_hint(_("f filters")))
        self.say_count(status)

    def _describe_filter(self) -> Content:
        # lazy: pydantic, loaded on first use
        from amtui.services.clients import NOBODY

        chosen = self.client_filter
        if chosen is None or not chosen.active:
            return Content("")
        parts: list[Content] = []
        if chosen.status:
            parts.append(Content(shown(chosen.status)))
        if chosen.kind:
            parts.append(Content(chosen.kind.upper()))
        if chosen.key_account:
            parts.append(Content(_("key accounts") if chosen.key_account == "yes"
                                 else _("not key accounts")))
        if chosen.owner_id:
            owner = (_("nobody") if chosen.owner_id == NOBODY
                     else self.members.get(chosen.owner_id, chosen.owner_id))
            parts.append(Content.assemble(_("owner") + " ", line(owner, 30)))
        if chosen.tag:
            parts.append(Content.assemble(_("tag") + " ", line(chosen.tag, 30)))
        return Content(" · ").join(parts).stylize("bold")

    def data_changed(self) -> None:
        """Read again, and so does a client card open above the pane."""
        # lazy: kept out of the app start
        from amtui.ui.client_card import ClientCard

        super().data_changed()
        for screen in self.app.screen_stack:
            if isinstance(screen, ClientCard):
                screen.data_changed()

    def _selected(self) -> tuple[str, str] | None:
        """(id, name) of the client under the cursor, when the list has the focus."""
        record_id = self.current_id()
        if record_id is None or not self.query_one(DataTable).has_focus:
            return None
        name = next((summary.name for summary in self.clients if summary.id == record_id), "")
        return record_id, name

    def action_open(self) -> None:
        # lazy: kept out of the app start
        from amtui.ui.client_card import open_card

        record_id = self.current_id()
        if record_id:
            open_card(self.amtui, record_id)

    def action_new(self) -> None:
        # lazy: kept out of the app start
        from amtui.ui.client_forms import new_client

        new_client(self.amtui)

    def action_edit(self) -> None:
        # lazy: kept out of the app start
        from amtui.ui.client_forms import edit_client

        selected = self._selected()
        if selected:
            edit_client(self.amtui, selected[0])

    def action_delete(self) -> None:
        # lazy: kept out of the app start
        from amtui.ui.client_forms import delete_client

        selected = self._selected()
        if selected:
            delete_client(self.amtui, *selected)

    def action_filters(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.clients import ClientFilter
        from amtui.ui.client_forms import filter_form

        def chosen(new_filter: ClientFilter | None) -> None:
            if new_filter is not None:
                self.client_filter = new_filter
                self.refilter()

        self.app.push_screen(filter_form(self.client_filter or ClientFilter(),
                                         self.amtui.workspace, self.tags), chosen)

    def action_clear_filters(self) -> None:
        self.client_filter = None
        self.refilter()


def right(text: Text) -> Text:
    text.justify = "right"
    return text


def muted_hint(text: str) -> Content:
    return Content(f"  ({text})").stylize("$text-muted")
