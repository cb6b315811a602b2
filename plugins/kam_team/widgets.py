"""What the team view's parts share: a table that adds rows as the cursor nears its end, and
the base of each view (its heading, the figures it was last given, its help line)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from amtui.api.ui import RecordTable

if TYPE_CHECKING:
    from .pane import TeamPane
    from .snapshot import TeamFigures

PAGE = 60
"""Rows added to a table at a time (a few screens' worth): 10,000 accounts are never all
drawn at once."""

Cells = Callable[[], list[Text]]


class PagedTable(RecordTable):
    """A table of many rows that holds only the first :data:`PAGE` and adds the next ones when
    the cursor comes near the last row held."""

    def __init__(self, columns: Sequence[tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(zebra_stripes=True, **kwargs)
        self._columns = list(columns)
        self._keys: list[str] = []
        self._cells: list[Cells] = []
        self._held = 0

    def on_mount(self) -> None:
        for title, width in self._columns:
            self.add_column(title, width=width)

    def fill(self, rows: Sequence[tuple[str, Cells]], keep: str | None = None) -> None:
        """Show ``rows`` ((key, function making the cells) pairs), the cursor on ``keep`` if
        it is among them, else where it was."""
        row, column = self.cursor_coordinate
        keep = keep if keep is not None else self.current_key()
        self._keys, self._cells, self._held = [], [], 0
        self.clear()
        self._keys = [key for key, _cells in rows]
        self._cells = [cells for _key, cells in rows]
        wanted = self._keys.index(keep) if keep in self._keys else min(row, len(rows) - 1)
        self._hold(max(PAGE, wanted + PAGE // 2))
        if self._held:
            self.move_cursor(row=max(wanted, 0), column=column, animate=False)

    def _hold(self, count: int) -> None:
        upto = min(count, len(self._keys))
        if upto > self._held:
            start, self._held = self._held, upto  # before adding: adding moves the cursor
            self.add_rows([self._cells[index]() for index in range(start, upto)])

    def current_key(self) -> str | None:
        row = self.cursor_row
        return self._keys[row] if self.row_count and 0 <= row < len(self._keys) else None

    @property
    def keys(self) -> list[str]:
        return self._keys

    def redraw(self, key: str) -> None:
        """Draw one row again (its cells changed)."""
        if key not in self._keys:
            return
        index = self._keys.index(key)
        if index < self._held:
            for column, value in enumerate(self._cells[index]()):
                self.update_cell_at((index, column), value)

    def replace(self, key: str, cells: Cells) -> None:
        if key in self._keys:
            self._cells[self._keys.index(key)] = cells
            self.redraw(key)

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if new.row >= self._held - 5:
            self._hold(self._held + PAGE)

    def action_scroll_bottom(self) -> None:
        self._hold(len(self._keys))
        super().action_scroll_bottom()


class TeamView(Vertical):
    """One of the pane's views: told the figures when they are read, drawn when shown."""

    VIEW_ID: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    DEFAULT_CSS = """
    TeamView { height: 1fr; }
    TeamView > .view-heading { height: 1; padding: 0 1; color: $text; background: $boost; }
    """

    def __init__(self) -> None:
        super().__init__(id=f"view-{self.VIEW_ID}")
        self.figures: TeamFigures | None = None
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static("", classes="view-heading")
        yield from self.compose_view()

    def compose_view(self) -> ComposeResult:
        yield from ()

    @property
    def pane(self) -> TeamPane:
        return self.screen  # type: ignore[return-value]

    def heading(self, text: Content) -> None:
        self.query_one(".view-heading", Static).update(text)

    def given(self, figures: TeamFigures) -> None:
        """New figures: drawn now if the view is shown, else when it is."""
        self.figures = figures
        self._stale = True
        if self.display and self.pane.current_view == self.VIEW_ID:
            self.draw_if_stale()

    def draw_if_stale(self) -> None:
        if self._stale and self.figures is not None:
            self._stale = False
            self.draw(self.figures)

    def draw(self, figures: TeamFigures) -> None:
        """Show the figures (on the UI thread: only what is visible)."""

    def focus_view(self) -> None:
        """Put the focus where the view's keys work."""
        self.query(DataTable).first().focus()

    def explain(self) -> None:
        """Show the help line of what the cursor is on."""
