"""The board drawn as one widget: a line of column headers, then the columns side by side,
each with its own cursor and scroll position.

A move, a cursor step or a new read redraws the columns that changed and lays nothing out
again. Each card's lines are made once per look and kept as segments (not as strips, which
Textual fills with caches of their own); only the lines on screen are made at all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from amtui.i18n import N_
from amtui.text import one_line

Part = tuple[str, str]
"""A fact on a card's second line and how it is marked: "" (plain), "late", "today",
"waiting" or "stale" (drawn in the theme's ``$amtui-overdue``, ``$amtui-due-today``,
``$amtui-waiting-client`` and ``$amtui-stale`` colours), "checklist" or "who" (the
assignee, plain; dropped and shortened first when room is short). The text carries its own
mark ("!", "⏸", "◷"), so it reads without colour too."""

MIN_COLUMN_WIDTH = 20
"""Narrower than this, fewer columns are shown and ``h``/``l`` bring in the others."""

SCROLL_STEP = 3
"""Lines a column scrolls per turn of the mouse wheel."""


@dataclass(frozen=True, slots=True)
class CardLines:
    """What one entry of a column shows: a card (its title, then its details) or a note.
    The text is the workspace's: it is shown sanitised and never parsed as markup.
    Entries are equal when they draw the same."""

    card_id: str | None
    """None for a lane heading, a note or a gap, which the cursor skips."""
    title: str
    details: tuple[Part, ...] | None = None
    """The card's facts (due day, waiting, stale, checklist, assignee): never cut before
    ``who``, and the due day never at all."""
    who: tuple[str, ...] = ()
    """Whose work it is (client, department): shortened first when the facts need room."""
    note: bool = False
    """Drawn muted (a lane heading, "and 20 more")."""
    gap: bool = False
    """One blank line (lanes line up across columns with them)."""
    pieces: dict[tuple[int, int, bool, int], list[Segment]] = field(
        default_factory=dict, compare=False, repr=False)
    """Its lines as drawn, by line, width, cursor and look."""

    @property
    def lines(self) -> int:
        """Lines it takes, the rule under it included."""
        if self.gap:
            return 1
        return 3 if self.details is not None else 2


@dataclass(frozen=True, slots=True)
class ColumnHead:
    title: str
    count: str
    over: bool = False
    """Over its WIP limit: drawn in the theme's error colour."""


class BoardColumn:
    """One column as drawn: its entries, the line each starts on, the cursor, the scroll."""

    __slots__ = ("_thumb", "cursor", "entries", "head", "height", "id", "starts", "top")

    def __init__(self, column_id: str, head: ColumnHead) -> None:
        self.id = column_id
        self.head = head
        self.entries: list[CardLines] = []
        self.starts: list[int] = []
        self.height = 0
        self.cursor: int | None = None
        """Index into ``entries`` of the card with the cursor."""
        self.top = 0
        """The first line shown (the column scrolled down)."""
        self._thumb: tuple[tuple[int, int, int], range] = ((-1, -1, -1), range(0))

    def set_entries(self, entries: Sequence[CardLines]) -> bool:
        """Show these entries, the cursor kept on its card if that is still there; False if
        they draw what is drawn already. Entries drawn before keep their lines."""
        if list(entries) == self.entries:
            return False
        current = self.card_id
        drawn = {entry: entry for entry in self.entries}
        self.entries = [drawn.get(entry, entry) for entry in entries]
        starts, line = [], 0
        for entry in self.entries:
            starts.append(line)
            line += entry.lines
        self.starts, self.height = starts, line
        if starts and self.top:
            self.top = starts[self.entry_at(min(self.top, line - 1))]  # on a card's start
        self.cursor = None
        if current is None or not self.find(current):
            self.cursor = self.next_card(0, 1)
        return True

    @property
    def card_id(self) -> str | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.entries):
            return None
        return self.entries[self.cursor].card_id

    @property
    def card_ids(self) -> list[str]:
        return [entry.card_id for entry in self.entries if entry.card_id]

    def find(self, card_id: str) -> bool:
        """Put the cursor on a card; False if it is not in the column."""
        for index, entry in enumerate(self.entries):
            if entry.card_id == card_id:
                self.cursor = index
                return True
        return False

    def next_card(self, start: int, step: int) -> int | None:
        index = start
        while 0 <= index < len(self.entries):
            if self.entries[index].card_id:
                return index
            index += step
        return None

    def entry_at(self, line: int) -> int:
        """The entry drawn on ``line`` (which must be below the column's height)."""
        return bisect_right(self.starts, line) - 1

    def scroll_to_cursor(self, area: int) -> None:
        """Scroll so the cursor's card is in the ``area`` lines shown (the top line the
        start of a card), with its lane's heading above it when that is the line before."""
        if self.cursor is not None:
            start = self.starts[self.cursor]
            end = start + self.entries[self.cursor].lines
            head = self.cursor
            while head > 0 and self.entries[head - 1].card_id is None:
                head -= 1  # the heading (and the gaps above it) the card comes after
            if start < self.top:
                self.top = self.starts[head] if end - self.starts[head] <= area else start
            elif end > self.top + area:
                self.top = min(self.starts[bisect_left(self.starts, end - area)], start)
        self.scroll_by(0, area)

    def scroll_by(self, lines: int, area: int) -> None:
        self.top = max(0, min(self.top + lines, self.height - area))

    def thumb(self, area: int) -> range:
        """The lines of the scroll bar's thumb (none when the column fits)."""
        key = (self.top, self.height, area)
        if self._thumb[0] != key:
            if self.height <= area or area <= 0:
                lines = range(0)
            else:
                size = max(area * area // self.height, 1)
                start = self.top * (area - size) // max(self.height - area, 1)
                lines = range(start, start + size)
            self._thumb = (key, lines)
        return self._thumb[1]


def fit_facts(facts: list[Part], width: int, leave: int = 0) -> list[Part]:
    """The facts that fit in ``width`` cells, ``leave`` of them left over if it can be: the
    assignee (the last fact) shortened to a first name, then the checklist dropped, then the
    assignee cut. The due day and the waiting or stale days are always kept."""
    def cells(parts: list[Part]) -> int:
        return sum(cell_len(part) for part, _kind in parts) + max(len(parts) - 1, 0)

    facts = list(facts)
    if cells(facts) <= width - leave:
        return facts
    if facts and facts[-1][1] == "who":
        name, kind = facts[-1]
        words = name.replace(",", " ").replace("(", " ").split()
        facts[-1] = (words[0] if words else name, kind)
    if cells(facts) > width - leave:
        facts = [fact for fact in facts if fact[1] != "checklist"]
    over = cells(facts) - width
    if over > 0 and facts and facts[-1][1] == "who":
        name, kind = facts.pop()
        keep = cell_len(name) - over - 1
        if keep >= 1:
            facts.append((set_cell_size(name, keep) + "…", kind))
    return facts


WHO_ROOM = 8
"""Cells a card keeps for its client's name if its facts can leave them."""


class Look(NamedTuple):
    """The styles the board is drawn with (from the theme and the CSS)."""

    base: Style
    header: Style
    over: Style
    cursor: Style
    muted: Style
    rule: Style
    thumb: Style
    late: Style
    today: Style
    waiting: Style
    stale: Style


class BoardView(Widget, can_focus=True):
    """The board's columns; ``j``/``k`` move the cursor in the current column."""

    # Few component classes: Textual styles each one like a widget whenever the screen is
    # shown again. Plain theme colours (error, warning, the rule) are read from the theme.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board-view--header", "board-view--cursor", "board-view--muted"}
    DEFAULT_CSS = """
    BoardView { height: 1fr; }
    BoardView > .board-view--header { background: $boost; text-style: bold; }
    BoardView > .board-view--muted { color: $text-muted; }
    BoardView > .board-view--cursor { background: $block-cursor-blurred-background; }
    BoardView:focus > .board-view--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", N_("Down"), id="board.down", show=False),
        Binding("k,up", "cursor(-1)", N_("Up"), id="board.up", show=False),
        Binding("home", "first", N_("First card"), id="board.first", show=False),
        Binding("end", "last", N_("Last card"), id="board.last", show=False),
        Binding("pagedown", "page(1)", N_("Page down"), id="board.page_down", show=False),
        Binding("pageup", "page(-1)", N_("Page up"), id="board.page_up", show=False),
    ]

    class Selected(Message):
        """A double click on a card."""

        def __init__(self, view: BoardView, card_id: str) -> None:
            super().__init__()
            self.view = view
            self.card_id = card_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: list[BoardColumn] = []
        self.column = 0
        """The column with the cursor."""
        self.first = 0
        """The first column shown (when not all fit)."""
        self._width = self._height = 0
        """The size, kept here: Textual works it out from the screen each time it is asked."""
        self._slots: list[tuple[int, int, int]] = []
        """The columns shown: index, first cell, width (a gap cell at its right included)."""
        self._look: Look | None = None
        self._look_id = 0
        self._looks: dict[Look, int] = {}
        self._heads: dict[tuple[ColumnHead, int, bool, int], list[Segment]] = {}
        self.linked = False
        """The columns scroll together (lanes shown: their headings line up)."""
        self._beside_line = 0
        """Linked: the line the cursor was last on, kept while crossing an empty column."""

    # contents

    def set_columns(self, columns: Sequence[tuple[str, ColumnHead]]) -> None:
        """The columns (ids and headers), left to right; a column already shown keeps its
        cards until it is given new ones."""
        known = {column.id: column for column in self.columns}
        self.columns = []
        for column_id, head in columns:
            column = known.get(column_id) or BoardColumn(column_id, head)
            column.head = head
            self.columns.append(column)
        self.column = min(self.column, max(len(self.columns) - 1, 0))
        self._lay_out()
        if self.is_mounted:
            self.refresh()

    def set_column(self, index: int, head: ColumnHead, entries: Sequence[CardLines]) -> None:
        """Show a column's header and entries (redrawn only if they changed); its cursor
        stays on its card if it can."""
        column = self.columns[index]
        changed = head != column.head
        column.head = head
        if column.set_entries(entries):
            if not self.linked or index == self.column:  # linked: the current one leads
                column.scroll_to_cursor(self._area)
            changed = True
        if changed:
            self._refresh_column(index)

    @property
    def current(self) -> BoardColumn | None:
        return self.columns[self.column] if self.columns else None

    @property
    def current_card_id(self) -> str | None:
        column = self.current
        return column.card_id if column is not None else None

    def column_of(self, column_id: str) -> BoardColumn:
        return next(column for column in self.columns if column.id == column_id)

    def move_to(self, card_id: str) -> bool:
        """Put the cursor on a card, in whichever column it is; False if it is not shown."""
        for index, column in enumerate(self.columns):
            cursor, top = column.cursor, column.top
            if column.find(card_id):
                if self.linked:
                    self.column = index
                    column.scroll_to_cursor(self._area)
                    self._lay_out()
                    self._refresh_column(index)
                    return True
                column.scroll_to_cursor(self._area)
                if (cursor, top) != (column.cursor, column.top):
                    self._refresh_column(index)
                self.go_to_column(index)
                return True
        return False

    def go_to_column(self, index: int) -> None:
        if not 0 <= index < len(self.columns) or index == self.column:
            return
        before, self.column = self.column, index
        if self.linked:
            self._cursor_beside(self.columns[before], self.columns[index])
        if self._lay_out():
            self.refresh()
        else:
            self._refresh_column(before)
            self._refresh_column(index)

    # where things are

    @property
    def _area(self) -> int:
        """Lines under the header."""
        return max(self._height - 1, 0)

    def _lay_out(self) -> bool:
        """Work out the columns shown (scrolled sideways so the current one is among them);
        whether that changed."""
        count = len(self.columns)
        shown = min(count, max(self._width // MIN_COLUMN_WIDTH, 1)) if count else 0
        first = min(max(self.first, self.column - shown + 1, 0), self.column)
        self.first = max(min(first, count - shown), 0)
        slots, x = [], 0
        if shown and self._width > 0:
            base, extra = divmod(self._width, shown)
            for offset in range(shown):
                column_width = base + (1 if offset < extra else 0)
                slots.append((self.first + offset, x, column_width))
                x += column_width
        changed, self._slots = slots != self._slots, slots
        return changed

    def column_region(self, column_id: str) -> Region | None:
        """Where the column is drawn in the widget, if it is shown."""
        for index, x, width in self._slots:
            if self.columns[index].id == column_id:
                return Region(x, 0, width, self._height)
        return None

    def _cursor_beside(self, left: BoardColumn, column: BoardColumn) -> None:
        """Put the cursor on the card at the line of ``left``'s cursor (the same lane), or
        of the last cursor if ``left`` has none (a column with no cards)."""
        column.top = left.top
        if left.cursor is not None:
            self._beside_line = left.starts[left.cursor]
        if column.entries:
            line = min(self._beside_line, column.height - 1)
            at = column.entry_at(line)
            # A lane's cards come before its gaps: from a gap, the lane's card is above.
            step = -1 if column.entries[at].gap else 1
            found = column.next_card(at, step)
            column.cursor = found if found is not None else column.next_card(at, -step)
        column.scroll_to_cursor(self._area)

    def _refresh_column(self, index: int) -> None:
        if self.linked:  # every column scrolled as the current one
            current = self.columns[self.column]
            for column in self.columns:
                column.top = current.top
            self.refresh()
            return
        for shown, x, width in self._slots:
            if shown == index:
                self.refresh(Region(x, 0, width, self._height))

    def on_resize(self, event: events.Resize) -> None:
        self._width, self._height = event.size
        self._lay_out()
        for column in self.columns:
            column.scroll_to_cursor(self._area)
        if self.linked and self.columns:
            self._refresh_column(self.column)
        self.refresh()

    # keys and mouse

    def action_cursor(self, step: int) -> None:
        column = self.current
        if column is None:
            return
        start = (column.cursor if column.cursor is not None else -step) + step
        self._set_cursor(column.next_card(start, step))

    def action_first(self) -> None:
        if self.current is not None:
            self._set_cursor(self.current.next_card(0, 1))

    def action_last(self) -> None:
        if self.current is not None:
            self._set_cursor(self.current.next_card(len(self.current.entries) - 1, -1))

    def action_page(self, step: int) -> None:
        """The card a screenful of lines further down (or up) the column; the last (or the
        first) card when there are fewer lines left."""
        column = self.current
        if column is None or column.cursor is None:
            return
        line = column.starts[column.cursor] + step * max(self._area - 1, 1)
        entry = column.entry_at(max(0, min(line, column.height - 1)))
        found = column.next_card(entry, step)
        if found is None or found == column.cursor:
            found = column.next_card(entry, -step)
        self._set_cursor(found)

    def _set_cursor(self, index: int | None) -> None:
        column = self.current
        if column is None or index is None or index == column.cursor:
            return
        column.cursor = index
        column.scroll_to_cursor(self._area)
        self._refresh_column(self.column)

    def _column_at(self, x: int) -> int | None:
        for index, start, width in self._slots:
            if start <= x < start + width:
                return index
        return None

    def on_click(self, event: events.Click) -> None:
        index = self._column_at(event.x)
        if index is None:
            return
        self.go_to_column(index)
        column = self.columns[index]
        line = column.top + event.y - 1
        if event.y < 1 or line >= column.height:
            return
        entry = column.entry_at(line)
        card_id = column.entries[entry].card_id
        if card_id:
            self._set_cursor(entry)
            if event.chain == 2:
                self.post_message(self.Selected(self, card_id))

    def _scroll_column(self, event: events.MouseEvent, lines: int) -> None:
        index = self._column_at(event.x)
        if index is not None:
            event.stop()
            self.columns[self.column if self.linked else index].scroll_by(lines, self._area)
            self._refresh_column(index)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_column(event, SCROLL_STEP)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_column(event, -SCROLL_STEP)

    # drawing

    def render_line(self, y: int) -> Strip:
        look = self.look
        width = self._width
        if not self._slots:
            return Strip([Segment(" " * width, look.base)], width)
        segments: list[Segment] = []
        if y == 0:
            last = len(self.columns) - 1
            for index, _x, column_width in self._slots:
                more_left = index == self.first and index > 0
                segments.extend(self._head(self.columns[index].head, column_width - 1,
                                           more_left))
                more_right = index == self._slots[-1][0] and index < last
                segments.append(Segment("▸" if more_right else " ", look.header))
            return Strip(segments, width)
        row = y - 1
        area = self._area
        for index, _x, column_width in self._slots:
            column = self.columns[index]
            line = column.top + row
            inner = column_width - 1
            if line < column.height:
                number = column.entry_at(line)
                entry = column.entries[number]
                offset = line - column.starts[number]
                cursor = number == column.cursor and index == self.column
                key = (offset, inner, cursor, self._look_id)
                piece = entry.pieces.get(key)
                if piece is None:
                    piece = entry.pieces[key] = self._card_line(entry, offset, inner, cursor)
                segments.extend(piece)
            else:
                segments.append(Segment(" " * inner, look.base))
            segments.append(Segment(" ", look.thumb if row in column.thumb(area) else look.base))
        return Strip(segments, width)

    def _card_line(self, entry: CardLines, offset: int, width: int,
                   cursor: bool) -> list[Segment]:
        look = self.look
        if entry.gap:
            return [Segment(" " * width, look.base)]
        if offset == entry.lines - 1:  # the rule under the entry
            return [Segment("─" * width, look.rule)]
        if offset == 0:
            text = Text(one_line(entry.title), style=look.muted if entry.note else "bold",
                        no_wrap=True)
        else:
            text = self._facts_line(entry, width)
        return self._fit(text, width, look.cursor if cursor else look.base)

    def _facts_line(self, entry: CardLines, width: int) -> Text:
        """Whose work it is on the left, shortened as the facts on the right need."""
        look = self.look
        marks = {"late": look.late, "today": look.today, "waiting": look.waiting,
                 "stale": look.stale}
        facts = fit_facts([(one_line(part), kind) for part, kind in entry.details or ()],
                          width, WHO_ROOM if entry.who else 0)
        right = Text(no_wrap=True)
        for number, (part, kind) in enumerate(facts):
            if number:
                right.append(" ")
            right.append(part, marks.get(kind, look.muted))
        room = width - right.cell_len - (1 if right.cell_len else 0)
        who = [one_line(name) for name in entry.who if name]
        left = Text(" · ".join(who), style=look.muted, no_wrap=True)
        if left.cell_len > room and who and cell_len(who[0]) + 3 > room:
            left = Text(who[0], style=look.muted, no_wrap=True)  # the client, not its team
        if room < 2:
            left = Text()
        else:
            left.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(left, " " if left.cell_len else "", right)

    def _head(self, head: ColumnHead, width: int, more_left: bool) -> list[Segment]:
        key = (head, width, more_left, self._look_id)
        piece = self._heads.get(key)
        if piece is None:
            look = self.look
            count = f" {head.count}"
            title = Text(("◂ " if more_left else "") + head.title)
            title.truncate(max(width - 1 - len(count), 1), overflow="ellipsis")
            piece = self._fit(Text.assemble(" ", title, count), width,
                              look.over if head.over else look.header)
            if len(self._heads) > 200:
                self._heads.clear()
            self._heads[key] = piece
        return piece

    def _fit(self, text: Text, width: int, style: Style) -> list[Segment]:
        """The text cut (with an ellipsis) or padded to ``width`` cells, over ``style``."""
        text.truncate(width, overflow="ellipsis", pad=True)
        return list(Segment.simplify(Segment.apply_style(text.render(self.app.console), style)))

    @property
    def look(self) -> Look:
        if self._look is None:
            self._look = self._make_look()
            self._look_id = self._looks.setdefault(self._look, len(self._looks))
        return self._look

    def _make_look(self) -> Look:
        # As of the stylesheet's last refresh (working them out again takes a millisecond).
        variables = self.app.theme_variables or self.app.get_css_variables()

        def color(name: str, base: str = "", bold: bool = False) -> Style:
            """A theme colour (amtui's own, else the base colour it defaults to)."""
            value = variables.get(name) or variables.get(base, "")
            try:
                return Style(color=Color.parse(value).rich_color, bold=bold)
            except ColorParseError:
                return Style(bold=bold)

        base = self.rich_style
        header = self.get_component_rich_style("board-view--header")
        muted = self.get_component_rich_style("board-view--muted")
        try:
            thumb = Style(bgcolor=Color.parse(variables.get("scrollbar", "")).rich_color)
        except ColorParseError:
            thumb = Style(reverse=True)
        return Look(
            base=base, header=header, over=header + color("error"),
            cursor=base + self.get_component_rich_style("board-view--cursor"),
            muted=Style(color=muted.color), rule=base + color("panel-lighten-2"),
            thumb=base + thumb, late=color("amtui-overdue", "error", bold=True),
            today=color("amtui-due-today", "warning", bold=True),
            waiting=color("amtui-waiting-client", "accent"),
            stale=color("amtui-stale", "warning"))

    def notify_style_update(self) -> None:
        # Screens restyle every widget when shown again, and focus changes the cursor's
        # colours. The lines drawn are kept by the look they were drawn with (which comes
        # back), so nothing needs clearing here.
        super().notify_style_update()
        self._look = None
