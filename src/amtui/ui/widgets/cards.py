"""A column of cards drawn line by line: only the lines on screen are made, and each card's
lines are kept until the card changes, so a board with many cards stays quick."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from amtui.i18n import _
from amtui.text import one_line

Part = tuple[str, str]
"""A piece of a card's second line and how it is marked: "" (plain), "late", "today" or
"waiting" (drawn in the theme's error / warning colours)."""


@dataclass(frozen=True)
class CardLines:
    """What one entry of the column shows: a card (its title, then its details) or a note.
    The text is the workspace's: it is shown sanitised and never parsed as markup."""

    key: object
    """Changes whenever what is drawn changes (id and revision, say)."""
    card_id: str | None
    """None for a lane heading or a note, which the cursor skips."""
    title: str
    details: tuple[Part, ...] | None = None
    note: bool = False
    """Drawn muted (a lane heading, "and 20 more")."""


class CardColumn(ScrollView, can_focus=True):
    """Cards one under another, a rule between them, a cursor on one card."""

    # Few component classes: Textual styles each one like a widget whenever the screen is
    # shown again. Plain theme colours (error, warning, the rule) are read from the theme.
    COMPONENT_CLASSES: ClassVar[set[str]] = {"card-column--cursor", "card-column--muted"}
    DEFAULT_CSS = """
    CardColumn { height: 1fr; padding-right: 1; }
    CardColumn > .card-column--muted { color: $text-muted; }
    CardColumn > .card-column--cursor { background: $block-cursor-blurred-background; }
    CardColumn:focus > .card-column--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", _("Down"), id="board.down", show=False),
        Binding("k,up", "cursor(-1)", _("Up"), id="board.up", show=False),
        Binding("left", "screen.column(-1)", _("Column left"), id="board.left_arrow",
                show=False),
        Binding("right", "screen.column(1)", _("Column right"), id="board.right_arrow",
                show=False),
        Binding("home", "first", _("First card"), id="board.first", show=False),
        Binding("end", "last", _("Last card"), id="board.last", show=False),
    ]

    class Selected(Message):
        """Enter (or a click) on a card."""

        def __init__(self, column: CardColumn, card_id: str) -> None:
            super().__init__()
            self.column = column
            self.card_id = card_id

    def __init__(self, column_id: str, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.column_id = column_id
        self.entries: list[CardLines] = []
        self._starts: list[int] = []
        """First line of each entry."""
        self._height = 0
        self.cursor: int | None = None
        """Index into ``entries`` of the card with the cursor."""
        self._cache: dict[tuple[object, int, int, bool, object], Strip] = {}
        self._look: tuple[object, ...] = ()

    # contents

    def set_entries(self, entries: Sequence[CardLines]) -> None:
        """Show these entries, keeping the cursor on the same card if it is still there."""
        current = self.current_card_id
        self.entries = list(entries)
        starts, line = [], 0
        for entry in self.entries:
            starts.append(line)
            line += 2 if entry.details is not None else 1
            line += 1  # the rule under it
        self._starts, self._height = starts, line
        if len(self._cache) > 2000:
            self._cache.clear()
        self.virtual_size = Size(self.size.width, self._height)
        self.cursor = None
        if current is not None:
            self.move_to(current)
        if self.cursor is None:
            self.cursor = self._next_card(0, 1)
        self._scroll_to_cursor()
        self.refresh()

    @property
    def card_ids(self) -> list[str]:
        return [entry.card_id for entry in self.entries if entry.card_id]

    @property
    def current_card_id(self) -> str | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.entries):
            return None
        return self.entries[self.cursor].card_id

    def move_to(self, card_id: str) -> bool:
        """Put the cursor on a card; False if it is not in the column."""
        for index, entry in enumerate(self.entries):
            if entry.card_id == card_id:
                self._set_cursor(index)
                return True
        return False

    def _next_card(self, start: int, step: int) -> int | None:
        index = start
        while 0 <= index < len(self.entries):
            if self.entries[index].card_id:
                return index
            index += step
        return None

    def _set_cursor(self, index: int | None) -> None:
        if index == self.cursor:
            return
        self.cursor = index
        self.refresh()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if self.cursor is None:
            self.scroll_home(animate=False, immediate=True)
            return
        top = self._starts[self.cursor]
        bottom = (self._starts[self.cursor + 1] if self.cursor + 1 < len(self._starts)
                  else self._height)
        self.scroll_to_region(Region(0, top, 1, bottom - top), animate=False, immediate=True)

    def on_focus(self) -> None:
        self.refresh()  # the cursor is drawn in the focused column only

    def on_blur(self) -> None:
        self.refresh()

    # keys and mouse

    def action_cursor(self, step: int) -> None:
        start = (self.cursor if self.cursor is not None else -step) + step
        found = self._next_card(start, step)
        if found is not None:
            self._set_cursor(found)

    def action_first(self) -> None:
        self._set_cursor(self._next_card(0, 1))

    def action_last(self) -> None:
        self._set_cursor(self._next_card(len(self.entries) - 1, -1))

    def key_enter(self, event: events.Key) -> None:
        card_id = self.current_card_id
        if card_id is not None:
            event.stop()
            self.post_message(self.Selected(self, card_id))

    def on_click(self, event: events.Click) -> None:
        line = event.y + int(self.scroll_y)
        for index in range(len(self.entries) - 1, -1, -1):
            if self._starts[index] <= line:
                if self.entries[index].card_id:
                    self._set_cursor(index)
                    if event.chain == 2:
                        self.post_message(self.Selected(self, self.entries[index].card_id))
                return

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self._height)

    # drawing

    def render_line(self, y: int) -> Strip:
        line = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if line >= self._height or not self.entries:
            return Strip.blank(width, base)
        index = self._entry_at(line)
        entry = self.entries[index]
        offset = line - self._starts[index]
        lines = 2 if entry.details is not None else 1
        cursor = index == self.cursor and self.has_focus
        key = (entry.key, offset, width, cursor, self._look)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._draw(entry, offset, lines, width, cursor, base)
            self._cache[key] = strip
        return strip

    def _entry_at(self, line: int) -> int:
        low, high = 0, len(self._starts) - 1
        while low < high:  # the last entry starting at or before the line
            middle = (low + high + 1) // 2
            if self._starts[middle] <= line:
                low = middle
            else:
                high = middle - 1
        return low

    def _draw(self, entry: CardLines, offset: int, lines: int, width: int, cursor: bool,
              base: Style) -> Strip:
        if offset >= lines:  # the rule under the entry
            rule = self._theme_style("panel-lighten-2")
            return Strip([Segment("─" * width, base + rule)], width)
        text = self._text(entry, offset)
        style = base + self.get_component_rich_style("card-column--cursor") if cursor else base
        segments = list(text.render(self.app.console))
        strip = Strip(segments).apply_style(style)
        if strip.cell_length > width:
            strip = strip.crop(0, max(width - 1, 0)).extend_cell_length(width - 1, style)
            strip = Strip([*strip, Segment("…", style)], width)
        return strip.extend_cell_length(width, style)

    def _theme_style(self, variable: str, bold: bool = False) -> Style:
        value = self.app.theme_variables.get(variable) or self.app.get_css_variables().get(
            variable, "")
        try:
            return Style(color=Color.parse(value).rich_color, bold=bold)
        except ColorParseError:
            return Style(bold=bold)

    def _text(self, entry: CardLines, offset: int) -> Text:
        muted = self.get_component_rich_style("card-column--muted")
        if offset == 0:
            return Text(one_line(entry.title), style=muted if entry.note else Style(bold=True),
                        no_wrap=True)
        marks = {"late": self._theme_style("error", bold=True),
                 "today": self._theme_style("warning", bold=True),
                 "waiting": self._theme_style("warning")}
        text = Text(no_wrap=True)
        for number, (part, kind) in enumerate(entry.details or ()):
            if number:
                text.append(" · ", muted)
            text.append(one_line(part), marks.get(kind, muted))
        return text

    def notify_style_update(self) -> None:
        # Screens restyle every widget when shown again; the drawn lines are kept unless the
        # look they were drawn with changed (a new theme, say).
        super().notify_style_update()
        try:
            look: tuple[object, ...] = (
                self.app.theme, self.rich_style,
                *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)))
        except KeyError:  # component styles not made yet (being mounted)
            look = ()
        # Lines are cached by the look they were drawn with (focus changes it, and comes
        # back), so nothing needs clearing here but the oldest lines now and then.
        self._look = look if look else (self.app.theme, self.has_focus)
        if len(self._cache) > 4000:
            self._cache.clear()
