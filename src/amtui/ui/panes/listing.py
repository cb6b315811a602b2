"""A pane that lists records in a table, filtered as you type."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from amtui.i18n import _
from amtui.ui.panes.base import PaneScreen
from amtui.ui.widgets.table import RecordTable

MAX_ROWS = 60
"""Rows added to the table at a time (several screens' worth); more are added when the
cursor reaches the last of them."""

Row = tuple[str, str, list[Text] | Callable[[], list[Text]]]
"""(record id, text to search in, cells — or a function that makes them, called only for the
rows shown)."""

Column = str | tuple[str, int]
"""A column's label, or its label and fixed width (a stable layout, and no measuring)."""


class ListPane(PaneScreen):
    """Subclasses give the table name, the columns, and how to turn records into rows."""

    TABLE: ClassVar[str] = ""
    COLUMNS: ClassVar[list[Column]] = []
    AUTO_FOCUS = "#records"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", _("Search"), id="list.search"),
        Binding("escape", "leave_search", _("Back to the list"), id="list.leave_search",
                show=False),
        Binding("enter", "open", _("Open"), id="list.open", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        """What the list can show: :data:`Row` tuples, or what a subclass's ``row_*``
        methods understand."""
        self.matching: list[Any] = []
        """The rows that match the search, in order; the table holds the first of them."""
        self._shown_ids: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=_("Type to filter…  (/ to search, Esc to the list)"),
                    id="search")
        yield RecordTable(id="records", cursor_type="row", zebra_stripes=True)
        yield Static("", id="list-status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in self.COLUMNS:
            if isinstance(column, tuple):
                table.add_column(column[0], width=column[1])
            else:
                table.add_column(column)

    def read(self) -> list[Row]:
        return self.rows_from(self.amtui.workspace.file(self.TABLE).scan())

    def rows_from(self, records: Iterable[dict[str, Any]]) -> list[Row]:
        raise NotImplementedError

    def show(self, payload: list[Row]) -> None:
        self.rows = payload
        self.refilter()

    def row_id(self, row: Any) -> str:
        return str(row[0])

    def row_matches(self, row: Any, wanted: str) -> bool:
        """Whether the row holds ``wanted`` (casefolded search text)."""
        return wanted in row[1]

    def row_cells(self, row: Any) -> list[Text]:
        cells = row[2]
        return cells() if callable(cells) else cells  # type: ignore[no-any-return]

    def refilter(self) -> None:
        table = self.query_one(RecordTable)
        wanted = self.query_one("#search", Input).value.strip().casefold()
        current = self.current_id()
        matches = self.row_matches
        self.matching = ([row for row in self.rows if matches(row, wanted)] if wanted
                         else self.rows)
        shown = self.matching[:self._rows_to_keep(current)]
        table.show_rows(self.row_cells(row) for row in shown)
        self._shown_ids = [self.row_id(row) for row in shown]
        if current in self._shown_ids:
            table.move_cursor(row=self._shown_ids.index(current))
        self.query_one("#list-status", Static).update(self.count_note())

    def _rows_to_keep(self, current: str | None) -> int:
        """How many rows to put in the table: the first ones, and as far as the cursor's
        row if it was further down (a list read again keeps the place scrolled to)."""
        if current is not None and len(self._shown_ids) > MAX_ROWS:
            for index, row in enumerate(self.matching[:len(self._shown_ids)]):
                if self.row_id(row) == current:
                    return max(MAX_ROWS, -(-(index + 1) // MAX_ROWS) * MAX_ROWS)
        return MAX_ROWS

    def count_note(self) -> str:
        """The status line: how many rows match the search, of how many."""
        return _("{matching} of {total}").format(matching=len(self.matching),
                                                 total=len(self.rows))

    def show_more(self) -> None:
        """Add the next rows that match to the table (the cursor reached the last one)."""
        start = len(self._shown_ids)
        more = self.matching[start:start + MAX_ROWS]
        if more:
            self.query_one(DataTable).add_rows(self.row_cells(row) for row in more)
            self._shown_ids += [self.row_id(row) for row in more]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._shown_ids) - 1:
            self.show_more()

    def current_id(self) -> str | None:
        table = self.query_one(DataTable)
        ids = self._shown_ids
        if table.row_count and 0 <= table.cursor_row < len(ids):
            return str(ids[table.cursor_row])
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.query_one(DataTable).focus()

    def action_open(self) -> None:
        record_id = self.current_id()
        if record_id:
            self.amtui.open_record(self.TABLE, record_id)
