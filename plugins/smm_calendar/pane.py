"""The calendar pane: a month grid, a week grid (a row per channel) or a list, filtered by
client, channel, status and assignee; a day opens with Enter, a post is moved or copied to
another day with the keyboard, and the content plan and exports are a key away."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Region
from textual.widgets import DataTable, Static

from amtui.api import StorageError, Workspace
from amtui.api.ui import PaneScreen, RecordTable, cell, line, save_change

from .forms import (
    ExportRequest,
    SlotRequest,
    comment_form,
    export_form,
    filter_form,
    post_form,
    post_values,
    slots_form,
    status_form,
)
from .grid import WEEKDAYS, CalendarGrid
from .index import CalendarData, Filter, PostRow, client_of, read_calendar
from .model import GLYPHS, CalendarSettings, PostStatus
from .screens import DayScreen, PlanScreen, PostScreen, title_width
from .times import add_months, local, month_bounds
from .workflow import (
    PostFields,
    Saved,
    add_comment,
    add_post,
    advance,
    build_post,
    change_status,
    delete_post,
    duplicate_post,
    edit_post,
    move_post,
    next_status,
    request_changes,
    set_text,
)

if TYPE_CHECKING:
    from amtui.api import Client

    from .model import Post
    from .slots import PlanLine

VIEWS = ("month", "week", "list")
SIDE_PANEL_WIDTH = 110
"""From this terminal width the selected day's posts are listed beside the grid."""
MAX_LIST_ROWS = 500
LIST_COLUMNS = (("Day", 6), ("Time", 5), ("Status", 11), ("Channel", 9), ("Client", 16))


class CalendarPane(PaneScreen):
    PANE_ID = "calendar"
    TITLE_TEXT = "Calendar"
    AUTO_FOCUS = "#calendar-grid"
    DEFAULT_CSS = """
    CalendarPane #calendar-main { height: 1fr; }
    CalendarPane #calendar-day {
        width: 34; height: 1fr; border-left: solid $primary; padding: 0 1; display: none;
    }
    CalendarPane.-wide #calendar-day { display: block; }
    CalendarPane #calendar-list { height: 1fr; display: none; }
    CalendarPane.-list #calendar-list { display: block; }
    CalendarPane.-list #calendar-main { display: none; }
    CalendarPane #calendar-status { height: 1; color: $text-muted; padding: 0 1; }
    CalendarPane.-carrying #calendar-status { color: $warning; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "step(-1)", "Previous day", id="calendar.left", show=False),
        Binding("right,l", "step(1)", "Next day", id="calendar.right", show=False),
        Binding("up,k", "rise(-1)", "Up a week or channel", id="calendar.up", show=False),
        Binding("down,j", "rise(1)", "Down a week or channel", id="calendar.down", show=False),
        Binding("left_square_bracket,pageup", "period(-1)", "Previous month or week",
                id="calendar.previous", show=False),
        Binding("right_square_bracket,pagedown", "period(1)", "Next month or week",
                id="calendar.next", show=False),
        Binding("t,home", "today", "Today", id="calendar.today", show=False),
        Binding("enter", "open_day", "Day", id="calendar.open_day",
                tooltip="The day's posts (or put the post you carry there)"),
        Binding("n", "new", "New", id="calendar.new", tooltip="A new post on the day"),
        Binding("m", "move", "Move", id="calendar.move",
                tooltip="Pick a post up and put it on another day"),
        Binding("d", "duplicate", "Duplicate", id="calendar.duplicate", show=False,
                tooltip="Put a copy of a post on another day"),
        Binding("escape", "cancel", "Cancel move", id="calendar.cancel", show=False),
        Binding("v", "view", "View", id="calendar.view", tooltip="Month, week, list"),
        Binding("f", "filter", "Filter", id="calendar.filter",
                tooltip="Show one client, channel, status or assignee"),
        Binding("F", "clear_filter", "Clear filter", id="calendar.clear_filter", show=False),
        Binding("p", "plan", "Plan", id="calendar.plan",
                tooltip="Content plan: filled and empty slots per client"),
        Binding("g", "slots", "Make slots", id="calendar.slots", show=False,
                tooltip="A content plan rule (VK Mon/Wed/Fri 10:00) and its empty slots"),
        Binding("e", "export", "Export", id="calendar.export",
                tooltip="Write the posts shown to .ics or .csv"),
    ]

    def __init__(self) -> None:
        super().__init__()
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
            yield CalendarGrid(id="calendar-grid")
            yield Static("", id="calendar-day")
        yield RecordTable(id="calendar-list", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the calendar…", id="calendar-status")

    def on_mount(self) -> None:
        table = self.query_one("#calendar-list", RecordTable)
        for label, width in LIST_COLUMNS:
            table.add_column(label, width=width)
        table.add_column("Title", width=title_width(self.app.size.width, LIST_COLUMNS))
        self._fit_side_panel()

    def on_resize(self) -> None:
        self._fit_side_panel()

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
        """The grid's title, the status line, the side panel and (for a new period) the
        list."""
        if self.data is None:
            return
        grid = self.grid
        start, end = grid.shown_range()
        count = sum(len(self._day_rows(start + timedelta(days=offset)))
                    for offset in range((end - start).days + 1))
        if self.view == "week":
            heading = f"Week {start.isocalendar()[1]} · {start:%d %b} – {end:%d %b %Y}"
        else:
            heading = f"{start:%B %Y}"
        heading += f" · {count} post{'s' if count != 1 else ''}"
        if self.chosen:
            heading += f" · {self.chosen.describe(self.data.settings)}"
        if heading != grid.title:
            grid.title = heading
            grid.refresh(Region(0, 0, grid.size.width, 1))
        self._show_status()
        self._show_day_panel()
        if period_changed and self.view == "list":
            self._fill_list()

    def _show_status(self) -> None:
        status = self.query_one("#calendar-status", Static)
        self.set_class(self.carrying is not None, "-carrying")
        cursor = self.grid.cursor
        if self.carrying is not None:
            row, copy = self.carrying
            verb = "Copying" if copy else "Moving"
            status.update(Content.assemble(
                f"{verb} ", line(row.title, 30), f" to {cursor:%a %d %b}: ←→↑↓ choose the day, "
                "Enter puts it there, Esc cancels"))
            return
        channel = self.grid.current_channel
        rows = self._day_rows(cursor, channel)
        where = f" · {self.data.settings.title_of(channel)}" if self.data and channel else ""
        text = (f"{cursor:%a %d %b %Y}{where}: {len(rows)} post"
                f"{'s' if len(rows) != 1 else ''}")
        if self.chosen:
            text += " · filtered (F clears)"
        text += " · ? keys"
        status.update(Content(text))

    def _show_day_panel(self) -> None:
        if self.data is None or not self.has_class("-wide"):
            return
        cursor = self.grid.cursor
        rows = self._day_rows(cursor)
        parts = [Content(f"{cursor:%A %d %B}").stylize("bold")]
        settings = self.data.settings
        for row in rows[:40]:
            parts.append(Content.assemble(
                (f"{row.at} {GLYPHS[row.status]} ", "bold"),
                line(settings.title_of(row.channel), 12), " ", line(row.client_name, 18)))
            parts.append(Content.assemble("  ", line(row.title, 60)))
        if len(rows) > 40:
            parts.append(Content(f"and {len(rows) - 40} more: Enter lists them").stylize("dim"))
        if not rows:
            parts.append(Content("No posts. n makes one.").stylize("dim"))
        self.query_one("#calendar-day", Static).update(Content("\n").join(parts))

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
        table.add_rows([cell(f"{row.day:%a %d}"), cell(row.at),
                        cell(f"{GLYPHS[row.status]} {row.status.short}"),
                        cell(settings.title_of(row.channel)), cell(row.client_name, 40),
                        cell(row.title, 80)] for row in shown)
        self._list_ids = [row.id for row in shown]
        if len(rows) > MAX_LIST_ROWS:
            self.notify(f"The list shows the first {MAX_LIST_ROWS} of {len(rows)} posts: "
                        "filter (f) to see the others.", markup=False)

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

    def action_today(self) -> None:
        if self.data is not None:
            self._go(self.data.today)

    def action_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.set_class(self.view == "list", "-list")
        if self.view != "list":
            self.grid.set_view(self.view)
            self.grid.focus()
        else:
            self.query_one("#calendar-list", RecordTable).focus()
        self._refresh_around()
        self.notify(f"{self.view.capitalize()} view", markup=False, timeout=2)

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

    def open_post(self, post_id: str) -> None:
        self.app.push_screen(PostScreen(self, post_id))

    def new_post(self, day: date | None = None, channel: str | None = None) -> None:
        if self.data is None:
            return
        settings = self.data.settings
        values = {"client": self.chosen.client_name,
                  "channel": channel or self.chosen.channel or self.grid.current_channel
                  or settings.channels[0],
                  "day": (day or self.grid.cursor).isoformat(),
                  "time": f"{settings.default_time:%H:%M}",
                  "assignee_id": self.chosen.assignee_id}
        workspace = self.workspace

        def made(fields: PostFields | None) -> None:
            if fields is not None:
                self._save(lambda: add_post(workspace, build_post(workspace, fields)),
                           "Post added")

        self.app.push_screen(post_form(workspace, self.data, "New post", values), made)

    def action_new(self) -> None:
        self.new_post()

    def edit_post(self, post: Post, client: Client) -> None:
        if self.data is None:
            return
        shown = local(post.publish_at, client.timezone)
        values = post_values(post, self.data, client.name, shown.date(), shown.time())
        workspace = self.workspace

        def edited(fields: PostFields | None) -> None:
            if fields is not None:
                self._save(lambda: edit_post(workspace, post.id, fields, post.rev),
                           "Post saved")

        self.app.push_screen(post_form(workspace, self.data, "Edit post", values), edited)

    def save_text(self, post: Post, text: str) -> None:
        workspace = self.workspace
        self._save(lambda: set_text(workspace, post.id, text, post.rev), "Text saved")

    def _post_here(self, copy: bool) -> None:
        rows = self._day_rows(self.grid.cursor, self.grid.current_channel)
        if not rows:
            self.notify("No post on this day to pick up.", markup=False)
        elif len(rows) == 1:
            self.pick_up(rows[0], copy)
        else:
            self.action_open_day()
            self.notify(f"Choose the post, then {'d' if copy else 'm'}.", markup=False)

    def action_move(self) -> None:
        self._post_here(copy=False)

    def action_duplicate(self) -> None:
        self._post_here(copy=True)

    def pick_up(self, row: PostRow, copy: bool) -> None:
        if not copy and row.status is PostStatus.PUBLISHED:
            self.notify("The post is published: it stays on the day it went out.",
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
                       f"Copy put on {day:%a %d %b}")
        elif day == row.day:
            self.notify("The post stays where it was.", markup=False)
        else:
            self._save(lambda: move_post(workspace, row.id, day),
                       f"Moved to {day:%a %d %b}")
        self._show_status()

    def action_cancel(self) -> None:
        if self.carrying is not None:
            self.carrying = None
            self._show_status()
            self.notify("Nothing moved.", markup=False)

    # the approval loop -------------------------------------------------------------------

    def advance(self, post_id: str) -> None:
        row = self.data.by_id.get(post_id) if self.data else None
        if row is not None and next_status(row.status) is None:
            self.notify(f"The post is {row.status.label}: no step comes after.",
                        severity="warning", markup=False)
            return
        workspace = self.workspace
        self._save_and_say(lambda: advance(workspace, post_id))

    def choose_status(self, post: Post) -> None:
        if post.status is PostStatus.PUBLISHED:
            self.notify("The post is published: its status stays.", markup=False)
            return
        workspace = self.workspace

        def chosen(result: tuple[PostStatus, str] | None) -> None:
            if result is not None:
                target, comment = result
                self._save_and_say(lambda: change_status(workspace, post.id, target, comment))

        self.app.push_screen(status_form(post), chosen)

    def changes_requested(self, post: Post) -> None:
        if post.status not in (PostStatus.CLIENT_APPROVAL, PostStatus.APPROVED):
            self.notify(f"The post is {post.status.label}: changes are asked for a post sent "
                        "for approval (or approved).", severity="warning", markup=False)
            return
        workspace = self.workspace

        def said(comment: str | None) -> None:
            if comment is not None:
                self._save(lambda: request_changes(workspace, post.id, comment),
                           "Back to draft with the client's comment")

        self.app.push_screen(comment_form("The client asked for changes",
                                          "What they asked for"), said)

    def comment(self, post_id: str) -> None:
        workspace = self.workspace

        def said(text: str | None) -> None:
            if text is not None:
                self._save(lambda: add_comment(workspace, post_id, text), "Comment added")

        self.app.push_screen(comment_form("Comment", "Comment"), said)

    def delete(self, post_id: str, title: str) -> None:
        workspace = self.workspace
        self._save_other(lambda: delete_post(workspace, post_id),
                         "Post moved to the trash; u undoes", removed=post_id)

    def _save(self, change: Callable[[], Saved], message: str, say: bool = False) -> None:
        """Save a post in a worker; the calendar then shows it without reading every post
        again (``say``: tell what its status became, known only once it is saved)."""
        app, workspace, data = self.app, self.workspace, self.data

        def save() -> Any:
            saved = change()
            post = saved.post
            if data is not None:
                if post.client_id not in data.clients:
                    data.clients[post.client_id] = client_of(workspace, post.client_id)
                self._saved.append(data.row(post.model_dump(mode="json")))
            if say:
                step = post.trail[-1] if post.trail else None
                before = step.from_status.label if step and step.from_status else ""
                app.call_from_thread(app.notify, f"{post.title}: {before} → "
                                     f"{post.status.label}", markup=False)
            return saved.undo

        save_change(app, save, message)

    def _save_and_say(self, change: Callable[[], Saved]) -> None:
        self._save(change, "", say=True)

    def _save_other(self, change: Callable[[], Any], message: str, removed: str = "") -> None:
        """A change that is not one saved post: a post deleted (``removed``), slots made."""
        def save() -> Any:
            result = change()
            if removed:
                self._saved.append(removed)
            return result

        save_change(self.app, save, message)

    def data_changed(self) -> None:
        """After this pane's own saves the saved posts are put in place; anything else (undo,
        another process's change, F5) reads the calendar again."""
        if not self._saved or self.data is None:
            self._saved.clear()
            super().data_changed()
            return
        days: set[date] = set()
        while self._saved:
            item = self._saved.popleft()
            before = self.data.by_id.get(item if isinstance(item, str) else item.id)
            if before is not None:
                days.add(before.day)
            if isinstance(item, str):
                self.data.remove(item)
            else:
                self.data.put(item)
                days.add(item.day)
        self.grid.forget_days(days)
        self._refresh_around()
        self._refresh_day_screens()

    # filter, plan, export ----------------------------------------------------------------

    def action_filter(self) -> None:
        if self.data is None:
            return

        def chosen(new: Filter | None) -> None:
            if new is not None:
                self._use_filter(new)

        self.app.push_screen(filter_form(self.workspace, self.data, self.chosen), chosen)

    def action_clear_filter(self) -> None:
        self._use_filter(Filter())

    def _use_filter(self, new: Filter) -> None:
        self.chosen = new
        self.grid.set_filter(new or None)
        self.grid.move_to(self.grid.cursor, 0)
        self._refresh_around()

    def show_client(self, client_id: str, client_name: str, channel: str) -> None:
        self._use_filter(Filter(client_id=client_id, client_name=client_name, channel=channel))

    def action_plan(self) -> None:
        start, end = month_bounds(self.grid.cursor)
        self.app.push_screen(PlanScreen(self, start, end))

    def fill_plan(self, item: PlanLine, start: date, end: date) -> None:
        from .slots import make_slots, undo_slots

        workspace = self.workspace
        self._save_other(lambda: undo_slots(workspace, make_slots(
            workspace, item.client_id, item.channel, list(item.weekdays), item.at, start,
            end)), f"Slots made for {item.client_name}")

    def action_slots(self) -> None:
        if self.data is None:
            return
        start, end = month_bounds(self.grid.cursor)
        settings = self.data.settings
        values = {"client": self.chosen.client_name,
                  "channel": self.chosen.channel or self.grid.current_channel
                  or settings.channels[0],
                  "days": "Mon/Wed/Fri", "time": f"{settings.default_time:%H:%M}",
                  "start": start.isoformat(), "end": end.isoformat()}
        workspace = self.workspace

        def chosen(request: SlotRequest | None) -> None:
            if request is not None:
                self._save_other(partial(_make_slots, self.app, workspace, request), "")

        self.app.push_screen(slots_form(workspace, self.data, values), chosen)

    def action_export(self) -> None:
        start, end = self.grid.shown_range()
        if self.view == "list":
            start, end = month_bounds(self.grid.cursor)
        who = self.chosen.client_name or self.workspace.settings.name
        name = "".join(char if char.isalnum() else "-" for char in who).strip("-")[:40]
        values = {"path": f"~/{name or 'calendar'}-{start:%Y-%m}.ics",
                  "start": start.isoformat(), "end": end.isoformat(),
                  "client": self.chosen.client_name, "format": "ics"}

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_worker(partial(self._export, request), thread=True, group="export")

        self.app.push_screen(export_form(self.workspace, values), chosen)

    def _export(self, request: ExportRequest) -> None:
        from .export import write_export

        try:
            count = write_export(self.workspace, request.path, request.start, request.end,
                                 request.client_id, request.fmt)
        except (StorageError, OSError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, f"{count} post{'s' if count != 1 else ''} written to {request.path}",
            markup=False)


def _make_slots(app: Any, workspace: Workspace, request: SlotRequest) -> Any:
    """Runs in the save worker: the rule kept, its slots made, and a message saying how many."""
    from .slots import make_slots, undo_slots

    made = make_slots(workspace, request.client_id, request.channel, request.weekdays,
                      request.at, request.start, request.end)
    days = ", ".join(f"{day:%d %b}" for day in made.taken[:5])
    text = (f"{len(made.made)} empty slots made for {request.client_name} "
            f"({made.rule.channel} {'/'.join(WEEKDAYS[day] for day in made.rule.weekdays)} "
            f"{made.rule.at:%H:%M})")
    if made.taken:
        text += f"; {len(made.taken)} days already had a post ({days}…)"
    app.call_from_thread(app.notify, text, markup=False)
    return undo_slots(workspace, made)
