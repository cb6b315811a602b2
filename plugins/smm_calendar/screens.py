"""The screens over the calendar: a day's posts, one post with its approval trail, the post's
text in an editor, and the content plan."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static, TextArea

from amtui.api import (
    DAY_MONTH,
    DAY_MONTH_YEAR,
    LONG_DAY,
    TIME,
    WEEKDAY_DAY_MONTH,
    Client,
    format_day,
    format_moment,
)
from amtui.api.ui import RecordTable, cell, content, editable, kept, line

from .i18n import N_, _, ngettext, translate_keys
from .model import GLYPHS, Post, PostStatus, TrailKind
from .slots import plan
from .times import describe_moment, in_words, local

if TYPE_CHECKING:
    from .index import PostRow
    from .pane import CalendarPane
    from .slots import PlanLine

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 96%; max-width: 110; height: 90%; border: round $primary; background: $surface;
    padding: 0 1;
}}
{name} .modal-title {{ text-style: bold; height: 1; }}
{name} .modal-keys {{ color: $text-muted; height: auto; }}
{name} RecordTable {{ height: 1fr; }}
"""


def title_width(screen_width: int, columns: tuple[tuple[str, int], ...],
                margin: int = 0) -> int:
    """What is left for a table's last column (the title) after the others and their
    padding, at least 16."""
    used = sum(width + 2 for _label, width in columns) + 2 + margin
    return max(screen_width - used, 16)


def shown_columns(columns: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """``columns`` with their headings in the language in use and the status column as wide
    as its longest word there (a status is shown whole: "● запланирован")."""
    status = max(len(status.short) for status in PostStatus) + 2
    return tuple((_(label), max(width, status) if label == "Status" else width)
                 for label, width in columns)


DAY_COLUMNS = ((N_("Time"), 5), (N_("Status"), 11), (N_("Channel"), 9), (N_("Client"), 16))
PLAN_COLUMNS = ((N_("Rule"), 22), (N_("Plan"), 4), (N_("Filled"), 6), (N_("Empty"), 5),
                (N_("Missing"), 7))
"""After the client's name: the channel and its rule, then slots planned, filled, empty and
not made."""


def status_label(status: PostStatus) -> Content:
    return Content(f"{GLYPHS[status]} {status.label}")


class DayScreen(ModalScreen[None]):
    """The posts of one day (as the calendar is filtered); the keys act on the one selected."""

    DEFAULT_CSS = MODAL_CSS.format(name="DayScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="calendar_day.close"),
        Binding("n", "new", N_("New"), id="calendar_day.new", tooltip=N_("A new post on this day")),
        Binding("a", "advance", N_("Next status"), id="calendar_day.advance"),
        Binding("m", "move", N_("Move"), id="calendar_day.move",
                tooltip=N_("Pick the post up; choose its day on the calendar")),
        Binding("d", "duplicate", N_("Duplicate"), id="calendar_day.duplicate"),
        Binding("x,delete", "delete", N_("Delete"), id="calendar_day.delete"),
    ]

    def __init__(self, pane: CalendarPane, day: date, rows: list[PostRow],
                 channel: str | None = None) -> None:
        super().__init__()
        translate_keys(self)
        self.pane = pane
        self.day = day
        self.rows = rows
        self.channel = channel

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", classes="modal-title", id="day-title")
            yield RecordTable(id="day-posts", cursor_type="row", zebra_stripes=True)
            yield Static(_("Enter open · a next status · m move · d duplicate · n new · "
                         "x delete · Esc close"), classes="modal-keys")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        columns = shown_columns(DAY_COLUMNS)
        for label, width in columns:
            table.add_column(label, width=width)
        inner = min(self.app.size.width * 96 // 100, 110) - 4
        table.add_column(_("Title"), width=title_width(inner, columns))
        self.show_rows(self.rows)
        if self.channel:
            first = next((number for number, row in enumerate(self.rows)
                          if row.channel == self.channel), None)
            if first is not None:
                table.move_cursor(row=first)

    def show_rows(self, rows: list[PostRow]) -> None:
        """Show these posts, the cursor kept on its post if it is still there."""
        current = self.current
        self.rows = rows
        title = Content(f"{format_day(self.day, LONG_DAY)} {self.day.year}: " + ngettext(
            "{count} post", "{count} posts", len(rows)).format(count=len(rows)))
        self.query_one("#day-title", Static).update(title)
        table = self.query_one(RecordTable)
        settings = self.pane.settings
        table.clear()
        table.add_rows([cell(row.at), cell(f"{GLYPHS[row.status]} {row.status.short}"),
                        cell(settings.title_of(row.channel) if settings else row.channel),
                        cell(row.client_name, 40), cell(row.title, 80)] for row in rows)
        ids = [row.id for row in rows]
        if current is not None and current.id in ids:
            table.move_cursor(row=ids.index(current.id))

    @property
    def current(self) -> PostRow | None:
        table = self.query_one(RecordTable)
        if table.row_count and 0 <= table.cursor_row < len(self.rows):
            return self.rows[table.cursor_row]
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.current is not None:
            self.pane.open_post(self.current.id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self.pane.new_post(self.day, self.channel)

    def action_advance(self) -> None:
        if self.current is not None:
            self.pane.advance(self.current.id)

    def action_move(self) -> None:
        if self.current is not None:
            self.dismiss(None)
            self.pane.pick_up(self.current, copy=False)

    def action_duplicate(self) -> None:
        if self.current is not None:
            self.dismiss(None)
            self.pane.pick_up(self.current, copy=True)

    def action_delete(self) -> None:
        if self.current is not None:
            self.pane.delete(self.current.id, self.current.title)


class PostRead(Message):
    def __init__(self, post: Post | None, client: Client | None) -> None:
        super().__init__()
        self.post = post
        self.client = client


class PostScreen(ModalScreen[None]):
    """One post: what it says, where and when it goes out, and its approval trail."""

    DEFAULT_CSS = MODAL_CSS.format(name="PostScreen") + """
    PostScreen #post-body { height: 1fr; }
    PostScreen .post-heading { text-style: bold underline; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="calendar_post.close"),
        Binding("a", "advance", N_("Next status"), id="calendar_post.advance",
                tooltip=N_("The next step: draft, internal review, client approval, …")),
        Binding("s", "status", N_("Status…"), id="calendar_post.status",
                tooltip=N_("Any allowed status, with a comment")),
        Binding("r", "changes", N_("Changes asked"), id="calendar_post.changes",
                tooltip=N_("The client asked for changes: back to draft with their comment")),
        Binding("c", "comment", N_("Comment"), id="calendar_post.comment"),
        Binding("e", "edit", N_("Edit"), id="calendar_post.edit"),
        Binding("w", "write", N_("Write text"), id="calendar_post.write"),
        Binding("m", "move", N_("Move"), id="calendar_post.move"),
        Binding("d", "duplicate", N_("Duplicate"), id="calendar_post.duplicate"),
        Binding("x,delete", "delete", N_("Delete"), id="calendar_post.delete"),
    ]

    def __init__(self, pane: CalendarPane, post_id: str) -> None:
        super().__init__()
        translate_keys(self)
        self.pane = pane
        self.post_id = post_id
        self.post: Post | None = None
        self.client: Client | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Reading the post…")), classes="modal-title", id="post-title")
            with VerticalScroll(id="post-body"):
                yield Static("", id="post-facts")
                yield Static(Content(_("Text")), classes="post-heading")
                yield Static("", id="post-text")
                yield Static(Content(_("Approval trail")), classes="post-heading")
                yield Static("", id="post-trail")
            yield Static(_("a next status · s status… · r changes asked · c comment · e edit · "
                         "w write text · m move · d duplicate · x delete · Esc close"),
                         classes="modal-keys")

    def on_mount(self) -> None:
        self.read()

    def data_changed(self) -> None:
        self.read()

    @work(thread=True, exclusive=True, group="post")
    def read(self) -> None:
        workspace = self.pane.amtui.workspace
        post = workspace.repo(Post).find(self.post_id)
        client = workspace.repo(Client).find(post.client_id) if post else None
        self.post_message(PostRead(post, client))

    def on_post_read(self, message: PostRead) -> None:
        if message.post is None:
            self.notify(_("That post is no longer there."), severity="warning")
            self.dismiss(None)
            return
        self.post, self.client = message.post, message.client
        self.show_post()

    def show_post(self) -> None:
        post, client = self.post, self.client
        assert post is not None
        settings = self.pane.settings
        zone_name = client.timezone if client else self.pane.amtui.workspace.settings.timezone
        members = self.pane.data.members if self.pane.data else {}
        self.query_one("#post-title", Static).update(line(post.title))
        facts = [
            Content.assemble((_("Client: "), "bold"), line(client.name if client else "?"),
                             "   ", (_("Channel: "), "bold"),
                             line(settings.title_of(post.channel) if settings else post.channel)),
            Content.assemble((_("Publish: "), "bold"),
                             describe_moment(post.publish_at, zone_name, with_zone=True)),
            Content.assemble((_("Status: "), "bold"), status_label(post.status), "   ",
                             (_("Assignee: "), "bold"),
                             line(members.get(post.assignee_id or "", "") or _("nobody"))),
        ]
        if post.status is PostStatus.CLIENT_APPROVAL and post.sent_for_approval_at:
            now = self.pane.amtui.workspace.clock()
            since = local(post.sent_for_approval_at, zone_name)
            facts.append(Content.assemble(
                (_("With the client since "), "bold"),
                f"{format_moment(since, f'{WEEKDAY_DAY_MONTH} {TIME}')} "
                f"({in_words(now - post.sent_for_approval_at)})"))
        if post.hashtags or post.tags:
            facts.append(Content.assemble((_("Hashtags: "), "bold"), line(" ".join(post.hashtags)),
                                          "   ", (_("Tags: "), "bold"), line(", ".join(post.tags))))
        if post.media_notes:
            facts.append(Content.assemble((_("Media: "), "bold"), line(post.media_notes)))
        self.query_one("#post-facts", Static).update(Content("\n").join(facts))
        self.query_one("#post-text", Static).update(
            content(post.text) if post.text.strip()
            else Content(_("No text yet: w writes it.")).stylize("dim"))
        self.query_one("#post-trail", Static).update(self._trail(post))

    def _trail(self, post: Post) -> Content:
        workspace_zone = self.pane.amtui.workspace.settings.timezone
        logins = self.pane.data.member_logins if self.pane.data else {}
        lines = []
        for step in post.trail:
            when = format_moment(local(step.at, workspace_zone), f"{DAY_MONTH} {TIME}")
            who = logins.get(step.by, step.by)
            if step.kind is TrailKind.CREATED:
                what = _("made ({status})").format(
                    status=step.to_status.label if step.to_status else PostStatus.IDEA.label)
            elif step.kind is TrailKind.COMMENT:
                what = "comment"
            elif step.kind is TrailKind.MOVED:
                what = "moved"
            else:
                before = step.from_status.label if step.from_status else "?"
                after = step.to_status.label if step.to_status else "?"
                what = f"{before} → {after}"
                if step.kind is TrailKind.CHANGES_REQUESTED:
                    what = _("client asked for changes: {what}").format(what=what)
            entry = Content.assemble((when, "dim"), "  ", line(who, 20), "  ", (what, "bold"))
            if step.text:
                entry = Content.assemble(entry, ": ", content(step.text))
            lines.append(entry)
        return Content("\n").join(lines) if lines else Content(_("nothing yet"))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_advance(self) -> None:
        self.pane.advance(self.post_id)

    def action_status(self) -> None:
        if self.post is not None:
            self.pane.choose_status(self.post)

    def action_changes(self) -> None:
        if self.post is not None:
            self.pane.changes_requested(self.post)

    def action_comment(self) -> None:
        self.pane.comment(self.post_id)

    def action_edit(self) -> None:
        if self.post is not None and self.client is not None:
            self.pane.edit_post(self.post, self.client)

    def action_write(self) -> None:
        if self.post is not None:
            self.app.push_screen(TextScreen(self.pane, self.post))

    def action_move(self) -> None:
        self._pick_up(copy=False)

    def action_duplicate(self) -> None:
        self._pick_up(copy=True)

    def _pick_up(self, copy: bool) -> None:
        row = self.pane.data.by_id.get(self.post_id) if self.pane.data else None
        if row is None:
            return
        self.dismiss(None)
        for screen in list(self.app.screen_stack):
            if isinstance(screen, DayScreen):
                screen.dismiss(None)
        self.pane.pick_up(row, copy=copy)

    def action_delete(self) -> None:
        if self.post is not None:
            self.pane.delete(self.post_id, self.post.title)
            self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """The post's text in an editor: several paragraphs, emoji, links; F2 saves."""

    DEFAULT_CSS = MODAL_CSS.format(name="TextScreen") + """
    TextScreen TextArea { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,ctrl+s", "save", N_("Save"), id="calendar_text.save"),
        Binding("escape", "cancel", N_("Cancel"), id="calendar_text.cancel"),
    ]

    def __init__(self, pane: CalendarPane, post: Post) -> None:
        super().__init__()
        translate_keys(self)
        self.pane = pane
        self.post = post

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(_("Text of "), line(self.post.title, 60)),
                         classes="modal-title")
            yield TextArea(editable(self.post.text, lines=True), id="post-text-editor",
                           soft_wrap=True)
            yield Static(_("F2 save · Esc cancel (nothing saved)"), classes="modal-keys")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = kept(self.post.text, self.query_one(TextArea).text, lines=True)
        if len(text) > 20_000:
            self.notify(_("The text is longer than 20,000 characters: shorten it."),
                        severity="error")
            return
        self.pane.save_text(self.post, text)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlanRead(Message):
    def __init__(self, lines: list[PlanLine]) -> None:
        super().__init__()
        self.lines = lines


class PlanScreen(ModalScreen[None]):
    """The content plan over the month shown: each rule, how many slots it asks for, how many
    are filled, empty, or not made yet."""

    DEFAULT_CSS = MODAL_CSS.format(name="PlanScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="calendar_plan.close"),
        Binding("g", "fill", N_("Make slots"), id="calendar_plan.fill",
                tooltip=N_("Make the rule's missing slots in this period")),
    ]

    def __init__(self, pane: CalendarPane, start: date, end: date) -> None:
        super().__init__()
        translate_keys(self)
        self.pane = pane
        self.start = start
        self.end = end
        self.lines: list[PlanLine] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Content plan {start} – {end}").format(
                start=format_day(self.start, DAY_MONTH), end=format_day(self.end, DAY_MONTH_YEAR))),
                         classes="modal-title")
            yield RecordTable(id="plan-lines", cursor_type="row", zebra_stripes=True)
            yield Static(_("Enter show the client's posts · g make missing slots · Esc close"),
                         classes="modal-keys")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        inner = min(self.app.size.width * 96 // 100, 110) - 4
        table.add_column(_("Client"), width=title_width(inner, PLAN_COLUMNS))
        for label, width in PLAN_COLUMNS:
            table.add_column(_(label), width=width)
        self.read()

    def data_changed(self) -> None:
        self.read()

    @work(thread=True, exclusive=True, group="plan")
    def read(self) -> None:
        self.post_message(PlanRead(plan(self.pane.amtui.workspace, self.start, self.end)))

    def on_plan_read(self, message: PlanRead) -> None:
        self.lines = message.lines
        table = self.query_one(RecordTable)
        settings = self.pane.settings
        table.clear()
        if not self.lines:
            table.add_row(cell(_("No rules yet: g on the calendar makes one.")), *[cell("")] * 5)
            return
        table.add_rows([cell(item.client_name, 40),
                        cell(f"{settings.title_of(item.channel) if settings else item.channel}"
                             f" {item.rule}"), cell(item.expected), cell(item.filled),
                        cell(item.empty, style="bold" if item.empty else ""),
                        cell(item.missing, style="bold" if item.missing else "")]
                       for item in self.lines)

    @property
    def current(self) -> PlanLine | None:
        table = self.query_one(RecordTable)
        if self.lines and 0 <= table.cursor_row < len(self.lines):
            return self.lines[table.cursor_row]
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        chosen = self.current
        if chosen is not None:
            self.dismiss(None)
            self.pane.show_client(chosen.client_id, chosen.client_name, chosen.channel)

    def action_fill(self) -> None:
        chosen = self.current
        if chosen is not None:
            self.pane.fill_plan(chosen, self.start, self.end)

    def action_close(self) -> None:
        self.dismiss(None)
