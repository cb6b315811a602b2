"""What the team view's parts share: a table that adds rows as the cursor nears its end, and
the base of each view (its heading, the figures it was last given, its help line)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from amtui.api.ui import RecordTable

from .i18n import _, translate_keys

if TYPE_CHECKING:
    from .pane import TeamPane
    from .snapshot import TeamFigures

PAGE = 60
"""Rows added to a table at a time (a few screens' worth): 10,000 accounts are never all
drawn at once."""

Cells = Callable[[], list[Text]]


def widths_for(available: int, fixed: Sequence[int], stretchy: int, least: int,
               most: int = 60) -> list[int]:
    """Column widths: ``fixed``, with the one at ``stretchy`` given what is left of
    ``available`` columns (a table cell has a space either side; 2 are kept for a scroll
    bar), between ``least`` and ``most``."""
    used = sum(width for index, width in enumerate(fixed) if index != stretchy)
    left = available - 2 - 2 * len(fixed) - used
    widths = list(fixed)
    widths[stretchy] = max(least, min(most, left))
    return widths


class PagedTable(RecordTable):
    """A table of many rows that holds only the first :data:`PAGE` and adds the next ones when
    the cursor comes near the last row held."""

    def __init__(self, columns: Sequence[tuple[str, int]], **kwargs: Any) -> None:
        """``columns``: (title, width) pairs; the titles are translated when shown."""
        super().__init__(zebra_stripes=True, **kwargs)
        translate_keys(self)
        self._columns = list(columns)
        self._keys: list[str] = []
        self._cells: list[Cells] = []
        self._same: list[object] = []
        self._held = 0
        self.resume: tuple[str | None, int] | None = None
        """Where the cursor was when the view was last shown: (row key, column)."""

    def on_mount(self) -> None:
        for title, width in self._columns:
            self.add_column(_(title), width=width)

    def fit(self, widths: Sequence[int]) -> None:
        """Give the columns these widths (the rows are drawn again if they change)."""
        if len(widths) == len(self._columns):
            self.set_columns([(title, width) for (title, _old), width
                              in zip(self._columns, widths, strict=True)])

    def set_columns(self, columns: Sequence[tuple[str, int]]) -> None:
        """Other columns (titles and widths): the rows are drawn again if they change."""
        if list(columns) == self._columns:
            return
        self._columns = list(columns)
        column = self.cursor_coordinate.column
        if self.resume is None and self._keys:
            self.resume = (self.current_key(), min(column, len(columns) - 1))
        self._keys, self._cells, self._same, self._held = [], [], [], 0
        self.clear(columns=True)
        for title, width in self._columns:
            self.add_column(_(title), width=width)

    def fill(self, rows: Sequence[tuple[str, Cells]], keep: str | None = None,
             column: int | None = None, same: Sequence[object] | None = None) -> None:
        """Show ``rows`` ((key, function making the cells) pairs), the cursor on ``keep`` if
        it is among them (in ``column`` if given), else where it was.

        ``same``: what each row shows (compared with ``==``): when the rows are the ones shown
        already, only those whose ``same`` changed are drawn again."""
        keys = [key for key, _cells in rows]
        if same is not None and self.resume is None and keys == self._keys and len(
                same) == len(self._same):
            self._cells = [cells for _key, cells in rows]
            changed = [index for index, (new, old) in enumerate(zip(same, self._same,
                                                                    strict=True))
                       if new != old]
            self._same = list(same)
            for index in changed:
                if index < self._held:
                    for place, value in enumerate(self._cells[index]()):
                        self.update_cell_at(Coordinate(index, place), value)
            return
        self._same = list(same) if same is not None else []
        row, was_in = self.cursor_coordinate
        if self.resume is not None:
            (keep, column), self.resume = self.resume, None
            row = 0  # (if that row is gone: the top)
        column = was_in if column is None else column
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
                self.update_cell_at(Coordinate(index, column), value)

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


class Remembered:
    """An attribute of a view that the pane keeps while the view is not shown."""

    def __init__(self, default: Any = None, factory: Callable[[], Any] | None = None) -> None:
        self.default = default
        self.factory = factory
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, view: TeamView | None, owner: type) -> Any:
        if view is None:
            return self
        if self.name not in view.state:
            view.state[self.name] = self.factory() if self.factory else self.default
        return view.state[self.name]

    def __set__(self, view: TeamView, value: Any) -> None:
        view.state[self.name] = value


class TeamView(Vertical):
    """One of the pane's views. Only the view shown is in the pane (a pane with fewer widgets
    is quicker to show again); what it should remember while another is shown (the sort, the
    member, the cursor) it keeps in ``self.state``, which the pane holds."""

    VIEW_ID: ClassVar[str] = ""
    DEFAULT_CSS = """
    TeamView { height: 1fr; }
    TeamView > .view-heading { height: 1; padding: 0 1; color: $text; background: $boost; }
    """

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__(id=f"view-{self.VIEW_ID}")
        translate_keys(self)
        self.state = state
        self.figures: TeamFigures | None = None
        self._ready = False
        """Whether every part of the view is there to draw in."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="view-heading")
        yield from self.compose_view()

    def compose_view(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.heading(Content(_("Reading the team's accounts…")))
        # Drawn once every part is there (the parts of parts are made a moment later).
        self.call_after_refresh(self._first_draw)

    def _first_draw(self) -> None:
        if not self.is_attached:
            return  # taken away already (another view was asked for at once)
        self._ready = True
        for table in self.query(PagedTable):
            table.resume = self.state.pop(f"cursor-{table.id}", None)
        figures = self.pane.figures
        if figures is not None:
            self.given(figures)
        self.focus_view()

    def on_resize(self) -> None:
        if self.figures is not None and self._ready:
            self.draw(self.figures)  # the columns fit the new width

    @property
    def pane(self) -> TeamPane:
        return self.screen  # type: ignore[return-value]

    def heading(self, text: Content) -> None:
        self.query_one(".view-heading", Static).update(text)

    def given(self, figures: TeamFigures) -> None:
        """New figures: show them (on the UI thread: only what is visible)."""
        self.figures = figures
        if self._ready and self.is_attached:
            self.draw(figures)
            self.explain()

    def draw(self, figures: TeamFigures) -> None:
        """Show the figures."""

    def key_toggled(self, row: Any) -> None:
        """An account was marked key or not key (``row``: its :class:`KeyRow`, as now)."""
        if self.figures is not None:
            self.given(self.figures)

    def remember(self) -> None:
        """The view is about to be taken away: note where the cursors are."""
        for table in self.query(PagedTable):
            if table.row_count:
                self.state[f"cursor-{table.id}"] = (table.current_key(), table.cursor_column)

    def focus_view(self) -> None:
        """Put the focus where the view's keys work."""
        self.query(DataTable).first().focus()

    def explain(self) -> None:
        """Show the help line of what the cursor is on."""
