"""The calendar pane: a month grid, a week grid (a row per channel) or a list, filtered by
client, channel, status and assignee; a day opens with Enter, a post is moved or copied to
another day with the keyboard, and the content plan and exports are a key away."""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Region
from textual.widgets import DataTable, Static

from amtui.api import (
    DAY_MONTH,
    DAY_MONTH_YEAR,
    LONG_DAY,
    MONTH_YEAR,
    WEEKDAY_DAY,
    WEEKDAY_DAY_MONTH,
    WEEKDAY_DAY_MONTH_YEAR,
    Workspace,
    format_day,
)
from amtui.api.ui import RecordTable, cell, line

from .actions import PostActions
from .grid import CalendarGrid
from .i18n import N_, _, ngettext, translate_keys
from .index import CalendarData, Filter, PostRow, read_calendar
from .model import GLYPHS, CalendarSettings, PostStatus
from .screens import DayScreen, shown_columns, title_width
from .times import add_months, month_bounds
from .workflow import duplicate_post, move_post

VIEWS = ("month", "week", "list")
SIDE_PANEL_WIDTH = 110
"""From this terminal width the selected day's posts are listed beside the grid."""
MAX_LIST_ROWS = 500
LIST_COLUMNS = ((N_("Day"), 6), (N_("Time"), 5), (N_("Status"), 11), (N_("Channel"), 9),
                (N_("Client"), 16))


class CalendarPane(PostActions):
    PANE_ID = "calendar"
    TITLE_TEXT = N_("Calendar")
    AUTO_FOCUS = "#calendar-grid"
    DEFAULT_CSS = """
    CalendarPane #calendar-main { height: 1fr; }
    CalendarPane #calendar-day {
        width: 34; height: 1fr; border-left: solid $primary; padding: 0 1; display: none;
    }
    CalendarPane.-wide #calendar-day { display: block; }
    CalendarPane #calendar-list { height: 1fr; }
    CalendarPane.-list #calendar-main { display: none; }
    CalendarPane #calendar-status { height: 1; color: $text-muted; padding: 0 1; }
    CalendarPane.-carrying #calendar-status { color: $warning; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "step(-1)", N_("Previous day"), id="calendar.left", show=False),
        Binding("right,l", "step(1)", N_("Next day"), id="calendar.right", show=False),
        Binding("up,k", "rise(-1)", N_("Up a week or channel"), id="calendar.up", show=False),
        Binding("down,j", "rise(1)", N_("Down a week or channel"), id="calendar.down", show=False),
        Binding("left_square_bracket,pageup", "period(-1)", N_("Previous month or week"),
                id="calendar.previous", show=False),
        Binding("right_square_bracket,pagedown", "period(1)", N_("Next month or week"),
                id="calendar.next", show=False),
        Binding("t", "today", N_("Today"), id="calendar.today", show=False),
        Binding("home", "edge(0)", N_("First day of the month or week"), id="calendar.first",
                show=False),
        Binding("end", "edge(1)", N_("Last day of the month or week"), id="calendar.last",
                show=False),
        Binding("enter", "open_day", N_("Day"), id="calendar.open_day",
                tooltip=N_("The day's posts (or put the post you carry there)")),
        Binding("n", "new", N_("New"), id="calendar.new", tooltip=N_("A new post on the day")),
        Binding("m", "move", N_("Move"), id="calendar.move",
                tooltip=N_("Pick a post up and put it on another day")),
        Binding("d", "duplicate", N_("Duplicate"), id="calendar.duplicate", show=False,
                tooltip=N_("Put a copy of a post on another day")),
        Binding("escape", "cancel", N_("Cancel move"), id="calendar.cancel", show=False),
        Binding("v", "view", N_("View"), id="calendar.view", tooltip=N_("Month, week, list")),
        Binding("f", "filter", N_("Filter"), id="calendar.filter",
                tooltip=N_("Show one client, channel, status or assignee")),
        Binding("F", "clear_filter", N_("Clear filter"), id="calendar.clear_filter", show=False),
        Binding("p", "plan", N_("Plan"), id="calendar.plan",
                tooltip=N_("Content plan: filled and empty slots per client")),
        Binding("g", "slots", N_("Make slots"), id="calendar.slots", show=False,
                tooltip=N_("A content plan rule (VK Mon/Wed/Fri 10:00) and its empty slots")),
        Binding("e", "export", N_("Export"), id="calendar.export",
                tooltip=N_("Write the posts shown to .ics or .csv")),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_keys(self)
        self.data: CalendarData | None = None
        self.chosen = Filter()
        self.view = "month"
        self.carrying: tuple[PostRow, bool] | None = None
        """The post picked up to move (or to copy, if True) to another day."""
        self._list_ids: list[str] = []
        self._saved: deque[PostRow | str] = deque()
        """Posts this pane saved (or the ids of those it deleted) since it last showed them."""

    @property
    def settings(self) -> CalendarSettings | None:
        return self.data.settings if self.data else None

    @property
    def workspace(self) -> Workspace:
        return self.amtui.workspace

    @property
    def grid(self) -> CalendarGrid:
        return self.query_one(CalendarGrid)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="calendar-main"):
            yield CalendarGrid(self.workspace.clock().date(), id="calendar-grid")
            yield Static("", id="calendar-day")
        yield Static(_("Reading the calendar…"), id="calendar-status")

    def on_mount(self) -> None:
        self._fit_side_panel()

    def on_resize(self) -> None:
        self._fit_side_panel()

    def on_screen_resume(self) -> None:
        if self._saved:  # saved while another pane was shown
            self.data_changed()

    def _fit_side_panel(self) -> None:
        self.set_class(self.app.size.width >= SIDE_PANEL_WIDTH, "-wide")

    # reading and showing -----------------------------------------------------------------

    def read(self) -> CalendarData:
        return read_calendar(self.workspace)

    def show(self, payload: CalendarData) -> None:
        first = self.data is None
        self.data = payload
        grid = self.grid
        if first:
            grid.cursor = payload.today
            grid.set_view(self.view)
        grid.show_data(payload, self.chosen or None)
        self._refresh_around()
        self._refresh_day_screens()

    def _refresh_day_screens(self) -> None:
        for screen in self.app.screen_stack:
            if isinstance(screen, DayScreen) and screen.pane is self:
                screen.show_rows(self._day_rows(screen.day))

    def _day_rows(self, day: date, channel: str | None = None) -> list[PostRow]:
        if self.data is None:
            return []
        rows = self.data.on_day(day, self.chosen or None)
        return [row for row in rows if channel is None or row.channel == channel]

    def _refresh_around(self, period_changed: bool = True) -> None:
        """The status line and the side panel; for a new period (or new data) the grid's
        title and the list too."""
        if self.data is None:
            return
        if period_changed:
            self._show_title()
            if self.view == "list":
                self._fill_list()
        self._show_status()
        self._show_day_panel()

    def _show_title(self) -> None:
        assert self.data is not None
        grid = self.grid
        start, end = grid.shown_range()
        count = sum(len(self._day_rows(start + timedelta(days=offset)))
                    for offset in range((end - start).days + 1))
        if self.view == "week":
            heading = _("Week {number} · {start} – {end}").format(
                number=start.isocalendar()[1], start=format_day(start, DAY_MONTH),
                end=format_day(end, DAY_MONTH_YEAR))
        else:
            heading = format_day(start, MONTH_YEAR).capitalize()
        heading += " · " + ngettext("{count} post", "{count} posts", count).format(count=count)
        if self.chosen:
            heading += f" · {self.chosen.describe(self.data.settings)}"
        if heading != grid.title:
            grid.title = heading
            grid.refresh(Region(0, 0, grid.size.width, 1))

    def _show_status(self) -> None:
        status = self.query_one("#calendar-status", Static)
        self.set_class(self.carrying is not None, "-carrying")
        cursor = self.grid.cursor
        if self.carrying is not None:
            row, copy = self.carrying
            verb = _("Copying") if copy else _("Moving")
            status.update(Content.assemble(
                f"{verb} ", line(row.title, 30), _(" to {cursor}: ←→↑↓ choose the day, "
                                                   "Enter puts it there, Esc cancels").format(
                    cursor=format_day(cursor, WEEKDAY_DAY_MONTH))), layout=False)
            return
        channel = self.grid.current_channel
        rows = self._day_rows(cursor, channel)
        where = f" · {self.data.settings.title_of(channel)}" if self.data and channel else ""
        text = f"{format_day(cursor, WEEKDAY_DAY_MONTH_YEAR)}{where}: " + ngettext(
            "{count} post", "{count} posts", len(rows)).format(count=len(rows))
        if self.chosen:
            text += _(" · filtered (F clears)")
        text += _(" · ? keys")
        status.update(Content(text), layout=False)

    def _show_day_panel(self) -> None:
        if self.data is None or not self.has_class("-wide"):
            return
        panel = self.query_one("#calendar-day", Static)
        cursor = self.grid.cursor
        rows = self._day_rows(cursor)
        room = max((panel.size.height - 2) // 2, 1)
        parts = [Content(format_day(cursor, LONG_DAY)).stylize("bold")]
        settings = self.data.settings
        for row in rows[:room]:
            parts.append(Content.assemble(
                (f"{row.at} {GLYPHS[row.status]} ", "bold"),
                line(settings.title_of(row.channel), 12), " ", line(row.client_name, 18)))
            parts.append(Content.assemble("  ", line(row.title, 60)))
        if len(rows) > room:
            parts.append(Content(_("and {count} more: Enter lists them").format(
                count=len(rows) - room)).stylize("dim"))
        if not rows:
            parts.append(Content(_("No posts. n makes one.")).stylize("dim"))
        panel.update(Content("\n").join(parts), layout=False)

    def _fill_list(self) -> None:
        assert self.data is not None
        start, end = month_bounds(self.grid.cursor)
        rows: list[PostRow] = []
        for offset in range((end - start).days + 1):
            rows.extend(self._day_rows(start + timedelta(days=offset)))
        table = self.query_one("#calendar-list", RecordTable)
        settings = self.data.settings
        shown = rows[:MAX_LIST_ROWS]
        table.clear()
        table.add_rows([cell(format_day(row.day, WEEKDAY_DAY)), cell(row.at),
                        cell(f"{GLYPHS[row.status]} {row.status.short}"),
                        cell(settings.title_of(row.channel)), cell(row.client_name, 40),
                        cell(row.title, 80)] for row in shown)
        self._list_ids = [row.id for row in shown]
        if len(rows) > MAX_LIST_ROWS:
            self.notify(_("The list shows the first {shown} of {count} posts: filter (f) to "
                          "see the others.").format(shown=MAX_LIST_ROWS, count=len(rows)),
                        markup=False)

    # moving around -----------------------------------------------------------------------

    def _go(self, day: date, channel: int | None = None) -> None:
        grid = self.grid
        before = grid.shown_range()
        grid.move_to(day, channel)
        self._refresh_around(period_changed=grid.shown_range() != before)

    def action_step(self, days: int) -> None:
        self._go(self.grid.cursor + timedelta(days=days))

    def action_rise(self, step: int) -> None:
        grid = self.grid
        if self.view == "week":
            self._go(grid.cursor, grid.channel + step)
        else:
            self._go(grid.cursor + timedelta(days=7 * step))

    def action_period(self, step: int) -> None:
        cursor = self.grid.cursor
        if self.view == "week":
            self._go(cursor + timedelta(days=7 * step))
        else:
            self._go(add_months(cursor, step))

    def action_edge(self, last: int) -> None:
        """The first (or last) day of the month shown; of the week, in the week view."""
        cursor = self.grid.cursor
        if self.view == "week":
            monday = cursor - timedelta(days=cursor.weekday())
            self._go(monday + timedelta(days=6 * last))
        else:
            self._go(month_bounds(cursor)[last])

    def action_today(self) -> None:
        if self.data is not None:
            self._go(self.data.today)

    async def action_view(self) -> None:
        """Month, week, list. The list's table exists only while it is shown: a table is
        restyled whenever the pane is shown again, even hidden."""
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.set_class(self.view == "list", "-list")
        if self.view != "list":
            for table in self.query("#calendar-list"):
                await table.remove()
            self.grid.set_view(self.view)
            self.grid.focus()
        else:
            table = RecordTable(id="calendar-list", cursor_type="row", zebra_stripes=True)
            columns = shown_columns(LIST_COLUMNS)
            for label, width in columns:
                table.add_column(label, width=width)
            table.add_column(_("Title"), width=title_width(self.app.size.width, columns))
            await self.query_one("#pane-body").mount(
                table, before=self.query_one("#calendar-status"))
            table.focus()
        self._refresh_around()

    def on_calendar_grid_day_clicked(self, message: CalendarGrid.DayClicked) -> None:
        self._go(message.day, message.channel)
        if message.twice:
            self.action_open_day()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "calendar-list" and 0 <= event.cursor_row < len(
                self._list_ids):
            self.open_post(self._list_ids[event.cursor_row])

    # days and posts ----------------------------------------------------------------------

    def action_open_day(self) -> None:
        if self.data is None:
            return
        if self.carrying is not None:
            self._drop()
            return
        day = self.grid.cursor
        self.app.push_screen(DayScreen(self, day, self._day_rows(day), self.grid.current_channel))

    def _post_here(self, copy: bool) -> None:
        rows = self._day_rows(self.grid.cursor, self.grid.current_channel)
        if not rows:
            self.notify(_("No post on this day to pick up."), markup=False)
        elif len(rows) == 1:
            self.pick_up(rows[0], copy)
        else:
            self.action_open_day()
            self.notify(_("Choose the post, then {key}.").format(key="d" if copy else "m"),
                        markup=False)

    def action_move(self) -> None:
        self._post_here(copy=False)

    def action_duplicate(self) -> None:
        self._post_here(copy=True)

    def pick_up(self, row: PostRow, copy: bool) -> None:
        if not copy and row.status is PostStatus.PUBLISHED:
            self.notify(_("The post is published: it stays on the day it went out."),
                        severity="warning", markup=False)
            return
        self.carrying = (row, copy)
        self._go(row.day)

    def _drop(self) -> None:
        assert self.carrying is not None
        (row, copy), day = self.carrying, self.grid.cursor
        self.carrying = None
        workspace = self.workspace
        if copy:
            self._save(lambda: duplicate_post(workspace, row.id, day),
                       _("Copy put on {day}").format(day=format_day(day, WEEKDAY_DAY_MONTH)))
        elif day == row.day:
            self.notify(_("The post stays where it was."), markup=False)
        else:
            self._save(lambda: move_post(workspace, row.id, day),
                       _("Moved to {day}").format(day=format_day(day, WEEKDAY_DAY_MONTH)))
        self._show_status()

    def action_cancel(self) -> None:
        if self.carrying is not None:
            self.carrying = None
            self._show_status()
            self.notify(_("Nothing moved."), markup=False)
