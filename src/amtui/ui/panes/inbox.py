"""Inbox: client messages, newest first, with filters, a search box and a preview of the
selected message; reply, call, status, priority, assignee, snooze, task, brief, delete."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from amtui.i18n import N_, _, shown
from amtui.services.finder import NameFinder
from amtui.services.rules import message_late, message_snoozed, message_without_client
from amtui.ui.message_actions import (
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    MessageActions,
    client_title,
    fact,
    message_times,
)
from amtui.ui.panes.base import put_text
from amtui.ui.panes.listing import Column, ListPane, ListTable, Row, search_box
from amtui.ui.safe import cell, content, line

if TYPE_CHECKING:
    from textual.theme import Theme

    from amtui.models import Message
    from amtui.models.workspace import WorkspaceSettings
    from amtui.services.inbox import InboxEntry, InboxFilter, InboxRead

STATUS_SHORT = {"new": N_("new"), "waiting_on_us": N_("on us"),
                "waiting_on_client": N_("on client"), "done": N_("done")}
PRIORITY_MARKS = {"low": "↓", "normal": "", "high": "!", "urgent": "!!"}

WIDE = 140
"""From this width on, the preview stands beside the list instead of under it (narrower,
the message column would be left a few letters wide)."""

MESSAGE_WIDTH = 60
"""The message column's width until the table's own width is known."""

MESSAGE_CHARS = 300
"""Most of a message's text put in its cell (the column shows what fits)."""

REFRESH_COUNTDOWN_SECONDS = 60.0
"""How often the answer-by countdown is brought up to date."""


class InboxRows(list["InboxEntry"]):
    """The messages the worker read, newest first, and when it read them (in the agency's
    time zone, which the times shown are in); ``by_id`` finds one (made by the worker too:
    for a large inbox it takes a while)."""

    def __init__(self, entries: list[InboxEntry], now: datetime) -> None:
        super().__init__(entries)
        self.now = now
        self.by_id = {entry.id: entry for entry in entries}


class InboxPane(MessageActions, ListPane):
    PANE_ID = "inbox"
    TITLE_TEXT = N_("Inbox")
    TABLE = "messages"
    COLUMNS: ClassVar[list[Column]] = [(N_("When"), 5), (N_("Answer"), 7), (N_("Status"), 9),
                                       ("!", 2), (N_("Client"), 18), (N_("Message"), MESSAGE_WIDTH)]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("C", "make_client", N_("Client from sender"), id="inbox.make_client",
                tooltip=N_("Make a client from the sender of mail with no client yet; it gets "
                           "the sender's other such mail too")),
        Binding("l", "attach_client", N_("Attach to client"), id="inbox.attach_client",
                show=False,
                tooltip=N_("Give mail with no client yet (and the sender's other such mail) to "
                           "a client you pick")),
        Binding("a", "reply", N_("Reply"), id="inbox.reply",
                tooltip=N_("Log a reply we sent: it answers the message and counts as contact")),
        Binding("c", "call", N_("Call"), id="inbox.call", show=False,
                tooltip=N_("Log a phone call about the message; it counts as contact")),
        Binding("t", "task", N_("Task"), id="inbox.task",
                tooltip=N_("Turn the message into a task for its client")),
        Binding("b", "brief", N_("Brief"), id="inbox.brief",
                tooltip=N_("Write a brief from the request and give departments tasks")),
        Binding("n", "new", N_("New"), id="inbox.new", tooltip=N_("Log a new message")),
        Binding("f", "filter", N_("Filter"), id="inbox.filter",
                tooltip=N_("Show messages by status, client, channel, kind, priority")),
        Binding("F", "clear_filter", N_("Clear filters"), id="inbox.clear_filter", show=False),
        Binding("d", "done", N_("Answered"), id="inbox.done", show=False,
                tooltip=N_("Mark the message answered (done)")),
        Binding("s", "status", N_("Status"), id="inbox.status", show=False,
                tooltip=N_("Choose the message's status")),
        Binding("p", "priority", N_("Priority"), id="inbox.priority", show=False,
                tooltip=N_("Choose the message's priority")),
        Binding("m", "assign", N_("Assign"), id="inbox.assign", show=False,
                tooltip=N_("Give the message to a member of the team")),
        Binding("z", "snooze", N_("Snooze"), id="inbox.snooze", show=False,
                tooltip=N_("Keep the message off Today's late answers for some days")),
        Binding("x,delete", "delete", N_("Delete"), id="inbox.delete", show=False,
                tooltip=N_("Move the message to the trash (u brings it back)")),
    ]
    DEFAULT_CSS = """
    InboxPane #inbox-filters { height: 1; padding: 0 1; color: $text-muted; }
    InboxPane #inbox-main { height: 1fr; layout: vertical; }
    InboxPane #records { overflow-x: hidden; }
    InboxPane #inbox-preview-box {
        height: 45%; min-height: 4; padding: 0 1; border-top: solid $primary;
    }
    InboxPane.-wide #inbox-main { layout: horizontal; }
    InboxPane.-wide #records { width: 3fr; }
    InboxPane.-wide #inbox-preview-box {
        width: 2fr; max-width: 64; height: 1fr; border-top: none;
        border-left: solid $primary;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, InboxEntry] = {}
        self.all_rows: list[InboxEntry] = []
        self.inbox_filter: InboxFilter | None = None
        self.now: datetime | None = None
        self.late_style = Style(bold=True)
        """How a late answer-by countdown is shown: the theme's error colour."""
        self._last_read: InboxRead | None = None
        """The worker's last read (with where each table was), to read only what changed."""
        self._last_rows: InboxRows | None = None
        """What the last read gave (the load worker's own: read one at a time)."""
        self._select_next: str | None = None
        """A message to put the cursor on once it is shown (one just added)."""

    def compose_body(self) -> ComposeResult:
        yield search_box()
        yield Static("", id="inbox-filters")
        with Container(id="inbox-main"):
            yield ListTable(id="records", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="inbox-preview-box"):
                yield Static(Content(_("Loading…")), id="inbox-preview")
        yield Static("", id="list-status")

    def on_mount(self) -> None:
        self._fit_preview()
        self.call_after_refresh(self._fit_message)
        self._use_theme()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.set_interval(REFRESH_COUNTDOWN_SECONDS, self.load)
        self._show_filters()

    def on_resize(self) -> None:
        self._fit_preview()
        self.call_after_refresh(self._fit_message)

    def _fit_message(self) -> None:
        """Give the message column the width the other columns leave (a scroll bar's too)."""
        table = self.query_one(DataTable)
        *others, message = table.ordered_columns
        taken = sum(column.get_render_width(table) for column in others)
        room = (table.size.width - table.styles.scrollbar_size_vertical - taken
                - 2 * table.cell_padding)
        width = max(room, 10)
        if width != message.width:
            message.width = width
            self.refilter()  # drawn again at the new width

    def _fit_preview(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")

    def _use_theme(self) -> None:
        error = self.app.theme_variables.get("error") or self.app.get_css_variables()["error"]
        self.late_style = Style(color=Color.parse(error).rich_color, bold=True)

    def _theme_changed(self, theme: Theme) -> None:
        self._use_theme()
        self.load()

    # reading and showing

    def read(self) -> InboxRows:
        # lazy: pydantic, loaded on first use
        from amtui.services.inbox import read_inbox

        workspace = self.amtui.workspace
        now = workspace.clock().astimezone(ZoneInfo(workspace.settings.timezone))
        # Read again after a change, only what changed is (the audit says which records).
        previous, self._last_read = self._last_read, read_inbox(workspace, self._last_read)
        entries = self._last_read.entries
        rows = self._last_rows
        if previous is not None and entries is previous.entries and rows is not None:
            # No message changed (a task was saved elsewhere, the countdowns' minute): the
            # same rows at a later time, not 20,000 looked up again (nor let go of)
            rows.now = now
            return rows
        self._last_rows = rows = InboxRows(entries, now)
        return rows

    # The rows are the entries themselves; cells are made only for the rows shown.

    def row_id(self, row: InboxEntry) -> str:
        return row.id

    def row_matches(self, row: InboxEntry, wanted: str) -> bool:
        return row.holds(wanted)

    def row_cells(self, row: InboxEntry) -> list[Text]:
        return self._cells(row, self.now)

    def _cells(self, entry: InboxEntry, now: datetime) -> list[Text]:
        # lazy: pydantic, loaded on first use
        from amtui.services.inbox import countdown

        message = entry.message
        status = message.get("status", "")
        due = countdown(message.get("answer_by"), status, now)
        if due and message_snoozed(message, now):
            due = _("snoozed")
        due_cell = cell(due)
        if message_late(message, now):
            due_cell.stylize(self.late_style)
        return [
            cell(_when(message["received_at"], now)),
            due_cell,
            cell(_(STATUS_SHORT.get(status, status))),
            cell(PRIORITY_MARKS.get(message.get("priority", ""), "")),
            client_cell(entry),
            cell(message.get("text", ""), MESSAGE_CHARS),
        ]

    def show(self, payload: list[Row]) -> None:
        assert isinstance(payload, InboxRows), "read() gives InboxRows"
        self.entries = payload.by_id
        self.all_rows = payload
        self.now = payload.now
        self._apply_filter()

    def _apply_filter(self) -> None:
        wanted = self.inbox_filter
        self.rows = ([entry for entry in self.all_rows if wanted.matches(entry.message)]
                     if wanted is not None and wanted.active else self.all_rows)
        self.refilter()

    def refilter(self) -> None:
        super().refilter()
        if self._select_next is not None and self._select_next in self.entries:
            self._go_to(self._select_next)
            self._select_next = None  # read: shown now, or hidden by the filter or search
        self._show_preview()

    def _go_to(self, message_id: str) -> None:
        """Put the cursor on the message if the filter and the search let it through,
        adding the rows down to it."""
        index = next((index for index, entry in enumerate(self.matching)
                      if entry.id == message_id), None)
        if index is not None:
            self.reveal(index)

    def count_note(self) -> str:
        total = len(self.all_rows)
        if len(self.matching) == total:
            return _("{total} messages").format(total=total)
        return _("{matching} of {total} messages match").format(matching=len(self.matching),
                                                               total=total)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_preview()

    def _show_filters(self) -> None:
        wanted = self.inbox_filter
        bar = self.query_one("#inbox-filters", Static)
        if wanted is None or not wanted.active:
            bar.update(Content(_("All messages · f filters")))
            return
        parts: list[Content] = []
        if wanted.status:
            status = STATUS_LABELS.get(wanted.status, N_("open"))  # ANY_OPEN: any open one
            parts.append(Content(_(status)))
        if wanted.client_id:
            parts.append(line(wanted.client_name, 30))
        for value, labels in ((wanted.channel, {}), (wanted.kind, KIND_LABELS),
                              (wanted.priority, PRIORITY_LABELS)):
            if value:
                parts.append(Content(_(labels.get(value, value))))
        bar.update(Content.assemble(
            (_("Only: "), "bold"), Content(" · ").join(parts),
            "  ", (_("f change · F clear"), "italic")))

    def _show_preview(self) -> None:
        self.refresh_bindings()  # the keys for mail with no client yet come and go
        preview = self.query_one("#inbox-preview", Static)
        entry = self.entries.get(self.current_id() or "")
        if entry is None:
            put_text(preview, Content(_("No message matches.") if self.all_rows
                                      else _("No messages yet. n logs one.")))
            return
        put_text(preview, self._preview(entry))

    def _preview(self, entry: InboxEntry) -> Content:
        message = entry.message
        now = self.now or self.amtui.workspace.clock().astimezone()
        status = str(message.get("status", ""))
        client = client_title(entry, 80)
        rows = [Content.assemble(client, " · ", line(entry.contact)) if entry.contact
                else client]
        if message_without_client(message):
            rows.append(Content(_("C makes a client from the sender, l gives the mail to a "
                                  "client")).stylize("italic $text-muted"))
        rows.append(Content(" · ").join([
            Content(_(KIND_LABELS.get(message.get("kind", ""), ""))),
            line(shown(message.get("channel", ""))),
            Content(_("from the client") if message.get("direction") == "incoming"
                    else _("from us")),
            Content(_(STATUS_LABELS.get(status, status))),
            Content(_("priority {priority}").format(
                priority=_(PRIORITY_LABELS.get(message.get("priority", ""), "")))),
        ]))
        rows += message_times(message, now)
        rows.append(fact(_("Assigned to"), entry.assignee or _("nobody")))
        if entry.tasks:
            rows.append(fact(_("Tasks"), Content(_("{done} of {total} done").format(
                done=entry.tasks_done, total=len(entry.tasks))).stylize("bold")))
        rows += [Content(""), content(message.get("text", "")), Content("")]
        rows += self._task_lines(entry, self.amtui.workspace.settings)
        return Content("\n").join(rows)

    @staticmethod
    def _task_lines(entry: InboxEntry, settings: WorkspaceSettings) -> list[Content]:
        # lazy: pydantic, loaded on first use
        from amtui.models.work import department
        from amtui.services.board import column_title

        if not entry.tasks:
            return [Content(_("No tasks from this message yet: t makes one, b a brief with "
                              "department tasks.")).stylize("italic $text-muted")]
        lines = []
        for task in entry.tasks:
            mark = ("✓ ", "$success") if task.done else ("· ", "")
            lines.append(Content.assemble(
                mark, line(department(task.department)), " · ", line(task.title, 60),
                " · ", line(column_title(settings, task.column)).stylize("$text-muted")))
        return lines

    # changes

    def _current(self) -> InboxEntry | None:
        return self.entries.get(self.current_id() or "")

    def _selected(self) -> InboxEntry | None:
        entry = self._current()
        if entry is None:
            self.notify(_("No message is selected."), severity="warning")
        return entry

    def action_new(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.inbox import add_message
        from amtui.ui.inbox_forms import NewMessageForm

        workspace = self.amtui.workspace
        finder = NameFinder(workspace.file("clients").scan())
        client = self.inbox_filter.client_name if self.inbox_filter else ""

        def logged(message: Message | None) -> None:
            if message is not None:
                self._select_next = message.id
                self.amtui.change(lambda: add_message(workspace, message), _("Message added"))

        self.app.push_screen(NewMessageForm(workspace, finder, client), logged)

    def action_filter(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.inbox import InboxFilter
        from amtui.ui.inbox_forms import filter_form

        finder = NameFinder(self.amtui.workspace.file("clients").scan())

        def chosen(wanted: InboxFilter | None) -> None:
            if wanted is not None:
                self._set_filter(wanted)

        self.app.push_screen(filter_form(self.inbox_filter or InboxFilter(), finder), chosen)

    def action_clear_filter(self) -> None:
        self._set_filter(None)

    def _set_filter(self, wanted: InboxFilter | None) -> None:
        self.inbox_filter = wanted
        self._show_filters()
        self._apply_filter()


def client_cell(entry: InboxEntry) -> Text:
    """The Client column: the client's name, "no client yet" (in italics) or, when its client
    was deleted, "deleted client" (muted)."""
    if entry.client:
        return cell(entry.client, 18)
    if message_without_client(entry.message):
        return cell(_("no client yet"), 18, style="italic")
    return cell(_("deleted client"), 18, style="italic dim")


def _when(value: str, now: datetime) -> str:
    """A short time for the list, in ``now``'s time zone: the hour today, the day this year,
    else the year."""
    moment = datetime.fromisoformat(value).astimezone(now.tzinfo)
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%d.%m" if moment.year == now.year else "%Y")
