"""A list of choices to tick, whose boxes read without colour."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.selection_list import SelectionType

TICKED = "✓"


class TickList(SelectionList[SelectionType]):
    """A :class:`~textual.widgets.SelectionList` whose box shows ✓ when ticked and stays empty
    when not: Textual draws the same "X" in both, told apart by colour alone."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if not 0 <= index < self.option_count:
            return strip
        segments = list(strip)
        if len(segments) < 3:
            return strip
        inner = segments[1]
        ticked = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment(TICKED if ticked else " ", inner.style)
        return Strip(segments, strip.cell_length)
