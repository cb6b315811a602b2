"""The trash: deleted records of the last 30 days; Enter restores one."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from amtui.i18n import _
from amtui.storage import TrashEntry
from amtui.ui.safe import cell
from amtui.ui.times import day_and_time


class TrashScreen(ModalScreen[str | None]):
    """Dismissed with the id of the entry to restore, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", _("Close"), id="trash.close"),
        Binding("enter", "restore", _("Restore"), id="trash.restore"),
    ]

    def __init__(self, entries: list[TrashEntry], now: datetime) -> None:
        super().__init__()
        self.entries = entries
        self.now = now
        """The time now in the agency's zone, which the times are shown in."""

    def compose(self) -> ComposeResult:
        with Vertical(id="trash-box"):
            yield Static(Content(_("Trash — kept for 30 days. Enter restores.")).stylize("bold"))
            table: DataTable[object] = DataTable(id="trash-table", cursor_type="row")
            table.add_columns(_("Deleted"), _("By"), _("What"), _("Name"))
            table.add_rows(
                [cell(day_and_time(entry.deleted_at, self.now)),
                 cell(entry.deleted_by), cell(entry.source_table), cell(entry.title, 60)]
                for entry in self.entries
            )
            yield table
            if not self.entries:
                yield Static(_("The trash is empty."))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if self.entries and 0 <= table.cursor_row < len(self.entries):
            self.dismiss(self.entries[table.cursor_row].id)

    def action_close(self) -> None:
        self.dismiss(None)
