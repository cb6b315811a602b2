"""A DataTable that keeps its rendered cells when its look has not changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from amtui.i18n import N_


class RecordTable(DataTable[Any]):
    """A DataTable for record lists.

    Textual re-applies the styles of every widget on a screen each time the screen is shown
    again, and DataTable answers any style update by throwing away every rendered cell, so
    switching back to a pane re-rendered the whole table (about 70 ms for a full screen of
    rows). This table waits until it is next drawn, when the styles are settled, and drops its
    rendered cells only if the styles it draws with really changed (a new theme, focus).
    """

    _COMPONENTS = tuple(sorted(DataTable.COMPONENT_CLASSES))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", N_("Down"), id="table.down", show=False),
        Binding("k", "cursor_up", N_("Up"), id="table.up", show=False),
        Binding("home", "scroll_top", N_("First row"), id="table.first", show=False),
        Binding("end", "scroll_bottom", N_("Last row"), id="table.last", show=False,
                tooltip=N_("The last row shown; in a long list, the next rows come")),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn_with: tuple[Style, ...] | None = None
        self._check_styles = False

    def show_rows(self, rows: Iterable[list[Any]]) -> bool:
        """Put ``rows`` in the table in place of the rows it has, unless as many rows differ
        from them, as they look, in at most half their cells (a list read again after a change
        made elsewhere, or countdowns that moved on): the table then keeps its rows, cursor,
        scroll and drawn cells, and only the cells that differ are put in — drawing a
        screenful of rows again costs more than comparing them.
        Returns whether the rows were replaced (the cursor is then on the first row)."""
        rows = list(rows)
        if len(rows) == self.row_count:
            changed = self._changed_cells(rows, len(rows) * len(self.columns) // 2)
            if changed is not None:
                self._update_cells(changed)
                return False
        self.clear()
        self.add_rows(rows)
        return True

    def _changed_cells(self, rows: list[list[Any]],
                       most: int) -> list[tuple[int, int, Any]] | None:
        """The cells of ``rows`` that look different from the table's (row, column, value);
        None as soon as more than ``most`` do (a search's next letter: other rows)."""
        changed = []
        for index, row in enumerate(rows):
            for column, (value, shown) in enumerate(zip(row, self.get_row_at(index),
                                                        strict=True)):
                if _look(value) != _look(shown):
                    changed.append((index, column, value))
            if len(changed) > most:
                return None
        return changed

    def _update_cells(self, changed: list[tuple[int, int, Any]]) -> None:
        """Put new values in a few cells (countdowns that moved on since the list was last
        shown). DataTable's own ``update_cell`` makes it draw every cell on the screen again;
        when the columns keep their widths, only the rendered rows of these cells are
        thrown away."""
        cells = [(*self.coordinate_to_cell_key(Coordinate(index, column)), value)
                 for index, column, value in changed]
        for row_key, column_key, value in cells:
            self._data[row_key][column_key] = value
        if any(self._width_changes(column_key) for column_key in {key for _, key, _ in cells}):
            for row_key, column_key, value in cells:
                self.update_cell(row_key, column_key, value, update_width=True)
            return
        rows = {row_key for row_key, _, _ in cells}
        for index, _column, _value in changed:
            self._row_renderable_cache.discard((self._update_count, index))
        for cache in (self._cell_render_cache, self._row_render_cache):
            for key in [key for key in cache.keys() if key[0] in rows]:  # noqa: SIM118
                cache.discard(key)
        self._line_cache.clear()
        self.refresh()

    def _width_changes(self, column_key: ColumnKey) -> bool:
        """Whether the column, sized to its cells, needs another width for its values now."""
        column = self.columns[column_key]
        if not column.auto_width:
            return False
        wanted = max([_width(column.label), *map(_width, self.get_column(column_key))])
        return wanted != column.content_width

    def notify_style_update(self) -> None:
        Widget.notify_style_update(self)  # the widget's own style caches, not the cells
        self._check_styles = True
        self.refresh()

    def _look(self) -> tuple[Style, ...]:
        return (self.rich_style, *(self.get_component_rich_style(name, partial=True)
                                   for name in self._COMPONENTS))

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._check_styles:
            self._check_styles = False
            look = self._look()
            if look != self._drawn_with:
                self._drawn_with = look
                super().notify_style_update()
        return super().render_lines(crop)


def _width(value: Any) -> int:
    """How many columns a cell's value takes on one line."""
    return value.cell_len if isinstance(value, Text) else cell_len(str(value))


def _look(value: Any) -> Any:
    """What decides how a cell is drawn: a Text's words and styles, else the value."""
    if isinstance(value, Text):
        return (value.plain, value.style, value.spans, value.justify, value.overflow,
                value.no_wrap, value.end)
    return value
