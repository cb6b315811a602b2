"""A pane that lists records in a table, and a search box that narrows it as you type.

On the list, letters are the pane's commands (lazygit's way): ``/`` puts the cursor in the
search box, and Enter or Esc takes it back to the list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from amtui.i18n import N_, _
from amtui.ui.panes.base import PaneScreen, put_text
from amtui.ui.widgets.table import RecordTable

MAX_ROWS = 60
"""Rows added to the table at a time (several screens' worth); more are added when the
cursor reaches the last of them (or the first, when the table holds the end of the list)."""

Row = tuple[str, str, list[Text] | Callable[[], list[Text]]]
"""(record id, text to search in, cells — or a function that makes them, called only for the
rows shown)."""

Column = str | tuple[str, int]
"""A column's label, or its label and fixed width (a stable layout, and no measuring)."""


class ListTable(RecordTable):
    """A list pane's table. It holds some of the rows that match, from the first or about
    the cursor; Home and End go to the first and the last of all of them: the pane puts
    them in the table first."""

    class EdgeAsked(Message):
        """Home (``last`` false) or End was pressed."""

        def __init__(self, last: bool) -> None:
            super().__init__()
            self.last = last

    def action_scroll_top(self) -> None:
        self.post_message(self.EdgeAsked(last=False))

    def action_scroll_bottom(self) -> None:
        self.post_message(self.EdgeAsked(last=True))


SEARCH_HINT = N_("/ to search the list")
"""The search box's placeholder while the list has the cursor."""
SEARCHING_HINT = N_("Type to search…  (Enter or Esc: back to the list)")
"""The search box's placeholder while it has the cursor."""


def search_box() -> Input:
    """A list pane's search box (see :meth:`ListPane.on_descendant_focus`)."""
    return Input(placeholder=_(SEARCH_HINT), id="search")


class ListPane(PaneScreen):
    """Subclasses give the table name, the columns, and how to turn records into rows."""

    TABLE: ClassVar[str] = ""
    """The table listed: its records are handed to :meth:`rows_from`; Enter opens one."""
    COLUMNS: ClassVar[list[Column]] = []
    """The columns: a label, or (label, width); labels are translated with amtui's ``_``."""
    AUTO_FOCUS = "#records"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("Search"), id="list.search",
                tooltip=N_("Put the cursor in the search box: what you type there narrows "
                           "the list (on the list, letters are the pane's commands)")),
        Binding("escape", "leave_search", N_("Back to the list"), id="list.leave_search",
                tooltip=N_("Take the cursor from the search box back to the list (Enter "
                           "does too)")),
        Binding("enter", "open", N_("Open"), id="list.open", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        """What the list can show: :data:`Row` tuples, or what a subclass's ``row_*``
        methods understand."""
        self.matching: list[Any] = []
        """The rows that match the search, in order; the table holds the first of them."""
        self._shown_ids: list[str] = []
        self._start = 0
        """Where in :attr:`matching` the table's first row is."""

    def compose_body(self) -> ComposeResult:
        yield search_box()
        yield ListTable(id="records", cursor_type="row", zebra_stripes=True)
        yield Static("", id="list-status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in self.COLUMNS:
            if isinstance(column, tuple):
                table.add_column(_(column[0]), width=column[1])
            else:
                table.add_column(_(column))

    def read(self) -> list[Row]:
        return self.rows_from(self.amtui.workspace.file(self.TABLE).scan())

    def rows_from(self, records: Iterable[dict[str, Any]]) -> list[Row]:
        """The rows to list, in order, made from the table's stored records (dicts, as
        :meth:`amtui.api.Repository.scan` gives them): ``(id, text searched, cells)``, the
        cells made with :func:`cell`. Runs in the worker, with :meth:`read`."""
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
        self._put(*self._window(current))
        if current in self._shown_ids:
            table.move_cursor(row=self._shown_ids.index(current))
        self.say_count(self.count_note())

    def say_count(self, note: str | Content) -> None:
        """Put ``note`` in the status line (below the list)."""
        put_text(self.query_one("#list-status", Static), note)

    def _window(self, current: str | None) -> tuple[int, int]:
        """Which matches to put in the table (start, end): the first ones; as far as the
        cursor's row if it was further down (a list read again keeps the place scrolled
        to); the same stretch if the table held one further on."""
        if current is not None and (self._start or len(self._shown_ids) > MAX_ROWS):
            start, held = self._start, len(self._shown_ids)
            for index, row in enumerate(self.matching[start:start + held], start=start):
                if self.row_id(row) == current:
                    if start:
                        return start, max(start + held, index + 1)
                    return 0, max(MAX_ROWS, -(-(index + 1) // MAX_ROWS) * MAX_ROWS)
        return 0, MAX_ROWS

    def _put(self, start: int, end: int) -> None:
        """Put the matches from ``start`` to ``end`` in the table (the cursor is then on
        the first row, unless the table had these very rows)."""
        shown = self.matching[start:end]
        self.query_one(RecordTable).show_rows(self.row_cells(row) for row in shown)
        self._start = start
        self._shown_ids = [self.row_id(row) for row in shown]

    def reveal(self, index: int) -> None:
        """Put the cursor on the match at ``index``, putting the rows down to it in the
        table (or, far from the rows it holds, the rows about it)."""
        start, end = self._start, self._start + len(self._shown_ids)
        if not start <= index < end:
            if start <= index < end + MAX_ROWS:
                self._put(start, index + 1)
            else:
                start = max(index - MAX_ROWS // 2, 0)
                self._put(start, start + MAX_ROWS)
        self.query_one(RecordTable).move_cursor(row=index - self._start)

    def count_note(self) -> str:
        """The status line: how many rows match the search, of how many."""
        return _("{matching} of {total}").format(matching=len(self.matching),
                                                 total=len(self.rows))

    def show_more(self) -> None:
        """Add the next rows that match to the table (the cursor reached the last one)."""
        start = self._start + len(self._shown_ids)
        more = self.matching[start:start + MAX_ROWS]
        if more:
            self.query_one(DataTable).add_rows(self.row_cells(row) for row in more)
            self._shown_ids += [self.row_id(row) for row in more]

    def show_earlier(self) -> None:
        """Put the rows before the first one in the table (the cursor reached the first one,
        in a table that holds the end of a long list); the cursor stays on its row."""
        start = max(self._start - MAX_ROWS, 0)
        row = self._start - start
        self._put(start, self._start + len(self._shown_ids))
        self.query_one(DataTable).move_cursor(row=row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != event.data_table.cursor_row:
            return  # the table changed since (its rows were put in again)
        if event.cursor_row >= len(self._shown_ids) - 1:
            self.show_more()
        elif event.cursor_row == 0 and self._start:
            self.show_earlier()

    def on_list_table_edge_asked(self, event: ListTable.EdgeAsked) -> None:
        """Home and End: the first and the last of all the rows that match."""
        table = self.query_one(DataTable)
        if event.last:
            if self._start + len(self._shown_ids) < len(self.matching):
                self._put(max(len(self.matching) - MAX_ROWS, 0), len(self.matching))
            table.move_cursor(row=table.row_count - 1)
        else:
            if self._start:
                self._put(0, MAX_ROWS)
            table.move_cursor(row=0)

    def current_id(self) -> str | None:
        """The id of the record on the cursor's row (None when the list is empty)."""
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` is shown while the list has the cursor, Esc while the search box has it."""
        if action in ("search", "leave_search"):
            searching = self.focused is not None and self.focused.id == "search"
            return searching == (action == "leave_search")
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The search box's placeholder says what its keys do while it has the cursor, and
        how to reach it while the list has it."""
        if isinstance(event.widget, Input) and event.widget.id == "search":
            event.widget.placeholder = _(SEARCHING_HINT)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input) and event.widget.id == "search":
            event.widget.placeholder = _(SEARCH_HINT)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.query_one(DataTable).focus()

    def action_open(self) -> None:
        """Enter on a row: open its record (the table's ``open``, see :class:`TableSpec`).
        Override it to do something else with :meth:`current_id`."""
        record_id = self.current_id()
        if record_id:
            self.amtui.open_record(self.TABLE, record_id)
