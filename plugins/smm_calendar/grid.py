"""The calendar drawn as one widget: a month (weeks of day cells) or a week (a row per
channel, a column per day), each cell holding compact post chips.

Nothing is laid out per cell: the widget works out its columns and rows once per size, and
draws each cell's lines from the day index. A cell's lines are kept (as segments) until the
data, the filter or the look changes, so a cursor step redraws the two cells it touches and a
return to the pane redraws nothing new. Post text is the workspace's: it is shown sanitised
and never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.color import Color, ColorParseError
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from amtui.api import MONTH, format_day, one_line, weekday_names

from .i18n import _
from .model import GLYPHS, PostStatus
from .times import month_bounds, month_weeks, week_start

if TYPE_CHECKING:
    from .index import CalendarData, Filter, PostRow

STATUS_COLOURS = {
    PostStatus.DRAFT: "secondary", PostStatus.INTERNAL_REVIEW: "accent",
    PostStatus.CLIENT_APPROVAL: "amtui-waiting-client", PostStatus.APPROVED: "success",
    PostStatus.SCHEDULED: "primary", PostStatus.PUBLISHED: "amtui-done",
    PostStatus.REJECTED: "error",
}
"""Theme variables the status marks are drawn in (ideas are muted)."""

MIN_TIME_WIDTH = 15
"""Cells at least this wide show each post's time."""


class Look(NamedTuple):
    """The styles the grid is drawn with (from the theme and the CSS)."""

    base: Style
    header: Style
    muted: Style
    out_of_month: Style
    cursor: Style
    today: Style
    late: Style
    stripe: Style
    statuses: dict[PostStatus, Style]


def fit(parts: list[tuple[str, Style]], width: int, base: Style) -> list[Segment]:
    """Pieces of text (already made safe to show) one after the other over ``base``, cut with
    an ellipsis or padded to ``width`` cells."""
    segments: list[Segment] = []
    used = 0
    for text, style in parts:
        length = cell_len(text)
        if used + length > width:
            room = width - used
            if room > 0:
                segments.append(Segment(set_cell_size(text, room - 1) + "…", base + style))
            return segments
        if text:
            segments.append(Segment(text, base + style))
            used += length
    if used < width:
        segments.append(Segment(" " * (width - used), base))
    return segments


@dataclass(frozen=True)
class Slot:
    """A column of the grid: where it starts and how wide it is."""

    x: int
    width: int


class CalendarGrid(Widget, can_focus=True):
    """The month or the week around ``cursor``; the pane moves the cursor and says what to
    show."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "calendar-grid--header", "calendar-grid--cursor", "calendar-grid--muted",
        "calendar-grid--today"}
    DEFAULT_CSS = """
    CalendarGrid { height: 1fr; }
    CalendarGrid > .calendar-grid--header { background: $boost; text-style: bold; }
    CalendarGrid > .calendar-grid--muted { color: $text-muted; }
    CalendarGrid > .calendar-grid--today { background: $primary; color: $text; }
    CalendarGrid > .calendar-grid--cursor { background: $block-cursor-blurred-background; }
    CalendarGrid:focus > .calendar-grid--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """

    class DayClicked(Message):
        def __init__(self, day: date, channel: int | None, twice: bool) -> None:
            super().__init__()
            self.day = day
            self.channel = channel
            self.twice = twice

    def __init__(self, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: CalendarData | None = None
        self.chosen: Filter | None = None
        self.view = "month"
        self.cursor = today
        self.channel = 0
        """The week view's row with the cursor."""
        self.title = ""
        """The line above the grid (the pane sets it)."""
        self._width = self._height = 0
        self._slots: list[Slot] = []
        self._label = 0
        """The week view's channel label width."""
        self._look: Look | None = None
        self._look_stale = False
        self._cells: dict[tuple[object, ...], list[Segment]] = {}

    # what is shown

    def show_data(self, data: CalendarData, chosen: Filter | None) -> None:
        self.data, self.chosen = data, chosen
        self._lay_out()
        self.refresh()

    def forget_days(self, days: set[date]) -> None:
        """These days' posts changed: draw their cells again."""
        self._cells = {key: drawn for key, drawn in self._cells.items() if key[1] not in days}
        self.refresh()

    def set_filter(self, chosen: Filter | None) -> None:
        self.chosen = chosen
        self._lay_out()
        self.refresh()

    def set_view(self, view: str) -> None:
        self.view = view
        self._lay_out()
        self.refresh()

    def move_to(self, day: date, channel: int | None = None) -> None:
        """Put the cursor on ``day`` (and the week view's row ``channel``); within the month
        or week shown, only the two cells the cursor leaves and enters are drawn again."""
        before, left = self._frame(), self._cell_region(self.cursor, self.channel)
        self.cursor = day
        if channel is not None:
            self.channel = max(0, min(channel, len(self.channels()) - 1))
        if self._frame() != before:
            self._lay_out()
            self.refresh()
            return
        self.refresh(left, self._cell_region(self.cursor, self.channel))

    def _cell_region(self, day: date, channel: int) -> Region:
        _count, lines = self._rows()
        slot = self._slots[day.weekday()] if self._slots else Slot(0, self._width)
        if self.view == "week":
            row = channel
        else:
            weeks = month_weeks(self.cursor.replace(day=1))
            row = weeks.index(week_start(day)) if week_start(day) in weeks else 0
        return Region(slot.x, 2 + row * lines, slot.width, lines)

    def _frame(self) -> date:
        """The first day shown: the month's or the week's."""
        return self.cursor.replace(day=1) if self.view == "month" else week_start(self.cursor)

    def channels(self) -> list[str]:
        if self.data is None:
            return []
        if self.chosen and self.chosen.channel:
            return [self.chosen.channel]
        return self.data.channels()

    @property
    def current_channel(self) -> str | None:
        channels = self.channels()
        return channels[self.channel] if self.view == "week" and channels else None

    def days(self) -> list[date]:
        """Every day drawn, in order."""
        if self.view == "week":
            start = week_start(self.cursor)
            return [start + timedelta(days=offset) for offset in range(7)]
        weeks = month_weeks(self.cursor.replace(day=1))
        return [week + timedelta(days=offset) for week in weeks for offset in range(7)]

    def shown_range(self) -> tuple[date, date]:
        """The first and last day of the month or week shown."""
        if self.view == "week":
            start = week_start(self.cursor)
            return start, start + timedelta(days=6)
        return month_bounds(self.cursor)

    # layout

    def on_resize(self, event: events.Resize) -> None:
        self._width, self._height = event.size
        self._lay_out()
        self.refresh()

    def _lay_out(self) -> None:
        self._cells.clear()
        self._label = 0
        if self.view == "week" and self.data is not None:
            longest = max((len(self.data.settings.title_of(channel))
                           for channel in self.channels()), default=6)
            self._label = max(min(longest + 2, 14, self._width // 8), 6)
        room = max(self._width - self._label, 7)
        base, extra = divmod(room, 7)
        x = self._label
        self._slots = []
        for column in range(7):
            width = base + (1 if column < extra else 0)
            self._slots.append(Slot(x, width))
            x += width

    def _rows(self) -> tuple[int, int]:
        """How many rows (weeks or channels) and lines each."""
        area = max(self._height - 2, 1)
        if self.view == "week":
            count = max(len(self.channels()), 1)
        else:
            count = len(month_weeks(self.cursor.replace(day=1)))
        return count, max(area // count, 2 if self.view == "month" else 1)

    # drawing

    def render_line(self, y: int) -> Strip:
        look = self.look
        width = self._width
        if y == 0:
            return Strip(self._fit(Text(" " + self.title), width, look.header), width)
        if y == 1:
            return Strip(self._day_names(), width)
        count, lines = self._rows()
        row, offset = divmod(y - 2, lines)
        if self.data is None or row >= count:
            return Strip([Segment(" " * width, look.base)], width)
        segments: list[Segment] = []
        if self.view == "week":
            channel = self.channels()[row]
            start = week_start(self.cursor)
            label = self.data.settings.title_of(channel) if offset == 0 else ""
            stripe = look.stripe if row % 2 else look.base
            segments.extend(self._fit(Text(" " + label, style="bold"), self._label, stripe))
            for column, slot in enumerate(self._slots):
                day = start + timedelta(days=column)
                segments.extend(self._cell(day, channel, row, offset, lines, slot.width))
        else:
            week = month_weeks(self.cursor.replace(day=1))[row]
            for column, slot in enumerate(self._slots):
                day = week + timedelta(days=column)
                segments.extend(self._cell(day, None, row, offset, lines, slot.width))
        return Strip(segments, width)

    def _day_names(self) -> list[Segment]:
        look = self.look
        names = weekday_names()
        segments: list[Segment] = []
        if self.view == "week":
            segments.extend(self._fit(Text(""), self._label, look.muted))
            start = week_start(self.cursor)
            today = self.data.today if self.data else None
            for column, slot in enumerate(self._slots):
                day = start + timedelta(days=column)
                style = look.today if day == today else look.muted
                segments.extend(self._fit(Text(f" {names[column]} {day.day}"), slot.width,
                                          style))
        else:
            for column, slot in enumerate(self._slots):
                segments.extend(self._fit(Text(f" {names[column]}"), slot.width,
                                          look.muted))
        return segments

    def _cell(self, day: date, channel: str | None, row: int, offset: int, lines: int,
              width: int) -> list[Segment]:
        cursor = day == self.cursor and (channel is None or row == self.channel)
        key = (self.view, day, channel, row % 2, offset, lines, width, cursor)
        drawn = self._cells.get(key)
        if drawn is None:
            if len(self._cells) > 4000:
                self._cells.clear()
            drawn = self._cells[key] = self._draw_cell(day, channel, row, offset, lines,
                                                       width, cursor)
        return drawn

    def _draw_cell(self, day: date, channel: str | None, row: int, offset: int, lines: int,
                   width: int, cursor: bool) -> list[Segment]:
        look = self.look
        assert self.data is not None
        rows = self.data.on_day(day, self.chosen)
        if channel is not None:
            rows = [post for post in rows if post.channel == channel]
        inside = self.view == "week" or day.month == self.cursor.month
        if self.view == "week":
            base = look.stripe if row % 2 else look.base
            first_chip = 0
        else:
            base = look.base
            first_chip = 1
            if offset == 0:  # the day's number and how many posts it has
                style = look.header if inside else look.header + look.out_of_month
                if cursor:
                    style = look.cursor
                number = f" {day.day}" if day.day != 1 else f" 1 {format_day(day, MONTH)}"
                count = f"{len(rows)} " if rows else ""
                gap = " " * max(width - cell_len(number) - len(count), 0)
                today = look.today if day == self.data.today else Style()
                return fit([(number, today), (gap, Style()), (count, look.muted)], width,
                           style)
        room = lines - first_chip
        index = offset - first_chip
        if cursor:
            base = look.cursor
        if index >= len(rows) or index < 0:
            return [Segment(" " * width, base)]
        if index == room - 1 and len(rows) > room:
            return fit([(_(" +{count} more").format(
                count=len(rows) - index), look.muted)], width, base)
        return fit(self._chip(rows[index], width, inside), width, base)

    def _chip(self, post: PostRow, width: int, inside: bool) -> list[tuple[str, Style]]:
        """A post in a cell: its status mark, its time if there is room, and the client (or
        its title when one client is shown)."""
        look = self.look
        mark_style = look.late if post.late else look.statuses.get(post.status, look.muted)
        parts = [(" ", Style()), (GLYPHS[post.status], mark_style), (" ", Style())]
        if width >= MIN_TIME_WIDTH:
            parts.append((post.at + " ", look.muted))
        client_chosen = self.chosen is not None and bool(self.chosen.client_id)
        words = post.title if client_chosen or not post.client_name else post.client_name
        quiet = post.empty_slot or post.status is PostStatus.REJECTED or not inside
        parts.append((one_line(words), look.muted if quiet else Style()))
        return parts

    def _fit(self, text: Text, width: int, style: Style) -> list[Segment]:
        """The text cut (with an ellipsis) or padded to ``width`` cells, over ``style``."""
        text.no_wrap = True
        text.truncate(max(width, 0), overflow="ellipsis", pad=True)
        return list(Segment.simplify(Segment.apply_style(text.render(self.app.console), style)))

    # mouse

    def on_click(self, event: events.Click) -> None:
        if self.data is None or event.y < 2:
            return
        column = next((number for number, slot in enumerate(self._slots)
                       if slot.x <= event.x < slot.x + slot.width), None)
        if column is None:
            return
        count, lines = self._rows()
        row = (event.y - 2) // lines
        if row >= count:
            return
        if self.view == "week":
            day = week_start(self.cursor) + timedelta(days=column)
            self.post_message(self.DayClicked(day, row, event.chain >= 2))
        else:
            day = month_weeks(self.cursor.replace(day=1))[row] + timedelta(days=column)
            self.post_message(self.DayClicked(day, None, event.chain >= 2))

    # the look

    @property
    def look(self) -> Look:
        """The styles drawn with, worked out again after a style update (once the styles are
        settled, when next drawn); the cells drawn are kept if it did not change."""
        if self._look is None or self._look_stale:
            self._look_stale = False
            look = self._make_look()
            if look != self._look:
                self._look = look
                self._cells.clear()
        assert self._look is not None
        return self._look

    def _make_look(self) -> Look:
        variables = self.app.get_css_variables()

        def colour(name: str, bold: bool = False) -> Style:
            try:
                return Style(color=Color.parse(variables.get(name, "")).rich_color, bold=bold)
            except ColorParseError:
                return Style(bold=bold)

        base = self.rich_style
        header = base + self.get_component_rich_style("calendar-grid--header")
        muted = Style(color=self.get_component_rich_style("calendar-grid--muted").color)
        return Look(
            base=base, header=header, muted=muted, out_of_month=muted + Style(bold=False),
            cursor=base + self.get_component_rich_style("calendar-grid--cursor"),
            today=self.get_component_rich_style("calendar-grid--today") + Style(bold=True),
            late=colour("amtui-overdue", bold=True),
            stripe=base + Style(bgcolor=header.bgcolor),
            statuses={status: colour(name) for status, name in STATUS_COLOURS.items()})

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look_stale = True
