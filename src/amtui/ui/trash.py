"""The trash: deleted records of the last 30 days, by name, at the agency's local time; Enter
restores one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from amtui.dates import day_and_time
from amtui.i18n import N_, _
from amtui.services.actions import trashed_name
from amtui.storage import TrashEntry
from amtui.ui.safe import cell
from amtui.ui.widgets.light import LightScreen

KINDS = {"clients": N_("client"), "contacts": N_("contact"), "messages": N_("message"),
         "tasks": N_("task"), "notes": N_("note"), "deals": N_("deal"), "members": N_("member"),
         "posts": N_("post")}
"""What a deleted record is, in words, by its table."""


class TrashScreen(LightScreen, ModalScreen[TrashEntry | None]):
    """Dismissed with the entry to restore, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="trash.close"),
        Binding("enter", "restore", N_("Restore"), id="trash.restore"),
    ]

    def __init__(self, entries: list[TrashEntry], now: datetime,
                 clients: Mapping[str, str] | None = None) -> None:
        """``now``: the time now in the agency's zone, which the deletion times are shown
        in; ``clients``: client id → name, to say whose record each was."""
        super().__init__()
        self.entries = entries
        self.now = now
        self.clients = clients or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="trash-box"):
            yield Static(Content(_("Trash — kept for 30 days. Enter restores.")).stylize("bold"))
            table: DataTable[object] = DataTable(id="trash-table", cursor_type="row")
            table.add_columns(_("Deleted"), _("By"), _("What"), _("Name"), _("Client"))
            table.add_rows(self._row(entry) for entry in self.entries)
            yield table
            if not self.entries:
                yield Static(_("The trash is empty."))

    def _row(self, entry: TrashEntry) -> list[object]:
        record = entry.record
        client_id = str(record.get("client_id") or "")
        client = self.clients.get(client_id) or _trashed_client(self.entries, client_id)
        return [cell(day_and_time(entry.deleted_at, self.now)),
                cell(entry.deleted_by, 12), cell(_(KINDS.get(entry.source_table,
                                                             entry.source_table)), 10),
                cell(trashed_name(entry), 36), cell(client, 24)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if self.entries and 0 <= table.cursor_row < len(self.entries):
            self.dismiss(self.entries[table.cursor_row])

    def action_close(self) -> None:
        self.dismiss(None)


def _trashed_client(entries: list[TrashEntry], client_id: str) -> str:
    """The name of a client that is in the trash too."""
    if not client_id:
        return ""
    return next((entry.title for entry in entries
                 if entry.source_table == "clients" and entry.record_id == client_id), "")
