"""One client message, readable: who wrote it and through what, its times in the agency's
zone (and the client's, when that differs), its status and priority in words, the text, the
tasks made from it and the client's messages around it. The Inbox's keys act on it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from amtui.dates import agency_zone, day_and_time, day_in_words
from amtui.i18n import N_, _, shown
from amtui.text import one_line
from amtui.ui.message_actions import (
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    MessageActions,
    client_title,
    fact,
    message_times,
)
from amtui.ui.reading import ReadInTurn
from amtui.ui.safe import content, line
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.light import LightScreen

if TYPE_CHECKING:
    from amtui.models.workspace import WorkspaceSettings
    from amtui.services.conversation import Conversation
    from amtui.services.inbox import InboxEntry


class ConversationRead(Message):
    """The message and what belongs to it, as read in a worker (None: it is gone)."""

    def __init__(self, found: Conversation | None, now: datetime) -> None:
        super().__init__()
        self.found = found
        self.now = now


class MessageScreen(LightScreen, ReadInTurn, MessageActions):
    """A message opened from the Inbox or Today; Esc goes back."""

    DEFAULT_CSS = """
    MessageScreen #message-title {
        height: 1; background: $panel; color: $text; padding: 0 1; text-style: bold;
    }
    MessageScreen #message-body { height: 1fr; padding: 0 1; }
    MessageScreen .message-section { margin-bottom: 1; }
    MessageScreen #message-thread { text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Back"), id="message.close"),
        Binding("C", "make_client", N_("Client from sender"), id="message.make_client",
                tooltip=N_("Make a client from the sender of mail with no client yet; it gets "
                           "the sender's other such mail too")),
        Binding("l", "attach_client", N_("Attach to client"), id="message.attach_client",
                show=False,
                tooltip=N_("Give mail with no client yet (and the sender's other such mail) to "
                           "a client you pick")),
        Binding("a", "reply", N_("Reply"), id="message.reply",
                tooltip=N_("Log a reply we sent: it answers the message and counts as contact")),
        Binding("d", "done", N_("Answered"), id="message.done",
                tooltip=N_("Mark the message answered (done)")),
        Binding("s", "status", N_("Status"), id="message.status",
                tooltip=N_("Choose the message's status")),
        Binding("z", "snooze", N_("Snooze"), id="message.snooze",
                tooltip=N_("Keep the message off Today's late answers for some days")),
        Binding("t", "task", N_("Task"), id="message.task",
                tooltip=N_("Turn the message into a task for its client")),
        Binding("c", "call", N_("Call"), id="message.call", show=False,
                tooltip=N_("Log a phone call about the message; it counts as contact")),
        Binding("p", "priority", N_("Priority"), id="message.priority", show=False,
                tooltip=N_("Choose the message's priority")),
        Binding("m", "assign", N_("Assign"), id="message.assign", show=False,
                tooltip=N_("Give the message to a member of the team")),
        Binding("b", "brief", N_("Brief"), id="message.brief", show=False,
                tooltip=N_("Write a brief from the request and give departments tasks")),
        Binding("x,delete", "delete", N_("Delete"), id="message.delete", show=False,
                tooltip=N_("Move the message to the trash (u brings it back)")),
    ]

    def __init__(self, message_id: str) -> None:
        super().__init__()
        self.message_id = message_id
        self.shown: Conversation | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Loading…")), id="message-title")
        with VerticalScroll(id="message-body"):
            yield Static(id="message-facts", classes="message-section")
            yield Static(id="message-text", classes="message-section")
            yield Static(id="message-tasks", classes="message-section")
            yield Static(id="message-thread", classes="message-section")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#message-body").focus()
        self.reload()

    # reading

    def data_changed(self) -> None:
        """Something was saved (here, or elsewhere): show the message as it is now."""
        self.reload()

    @work(thread=True, group="message-screen")
    def _read(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.conversation import conversation
        from amtui.storage import StorageError

        workspace = self.amtui.workspace
        now = workspace.clock().astimezone(agency_zone(workspace.settings.timezone))
        try:
            found = conversation(workspace, self.message_id, now.date())
        except StorageError as error:  # a damaged file: say so, and keep what is shown
            self.app.call_from_thread(self._read_failed, str(error))
            return
        self.post_message(ConversationRead(found, now))

    def _read_failed(self, problem: str) -> None:
        """Say what is wrong with the file; with nothing shown yet, go back to the list."""
        self.notify(one_line(problem), severity="error", markup=False)
        if self.shown is None and self.is_current:
            self.dismiss()
        else:
            self.read_done()

    def on_conversation_read(self, read: ConversationRead) -> None:
        self.read_done()
        if read.found is None:
            self.shown = None
            if self.is_current:
                self.app.notify(_("This message is no longer there."), severity="warning")
                self.dismiss()
            return
        self.shown = read.found
        self._show(read.found, read.now)
        self.refresh_bindings()  # the keys for mail with no client yet

    # showing

    def _show(self, found: Conversation, now: datetime) -> None:
        entry = found.entry
        title = client_title(entry, 60)
        if entry.contact:
            title = Content.assemble(title, " · ", line(entry.contact, 60))
        self.query_one("#message-title", Static).update(title)
        self.query_one("#message-facts", Static).update(
            self._facts(found, now, self.amtui.workspace.settings))
        self.query_one("#message-text", Static).update(content(found.message.get("text", "")))
        self.query_one("#message-tasks", Static).update(
            self._tasks(found, self.amtui.workspace.settings, now.date()))
        self.query_one("#message-thread", Static).update(self._thread(found, now))

    @staticmethod
    def _facts(found: Conversation, now: datetime, settings: WorkspaceSettings) -> Content:
        # lazy: kept out of the app start
        from amtui.services.rules import message_urgent

        message = found.message
        status = str(message.get("status", ""))
        priority = str(message.get("priority", ""))
        incoming = message.get("direction") == "incoming"
        rows = [Content(" · ").join([
            line(shown(message.get("channel", ""))),
            Content(_("from the client") if incoming else _("from us")),
            Content(_(KIND_LABELS.get(str(message.get("kind", "")), ""))),
        ])]
        status_text = Content(_(STATUS_LABELS.get(status, status))).stylize("bold")
        priority_text = Content(_(PRIORITY_LABELS.get(priority, priority))).stylize(
            "bold $amtui-overdue" if priority == "urgent" else "")
        if priority != "urgent" and message_urgent(message, settings):
            # The one rule that puts it under "Urgent" on Today and answers it sooner.
            priority_text = Content.assemble(priority_text, " · ", Content(
                "! " + _("urgent (by its words)")).stylize("bold $amtui-overdue"))
        rows.append(Content.assemble(
            fact(_("Status"), status_text), "  ", fact(_("Priority"), priority_text), "  ",
            fact(_("Assigned to"), found.entry.assignee or _("nobody"))))
        rows += message_times(message, now, found.client_zone)
        return Content("\n").join(rows)

    @staticmethod
    def _tasks(found: Conversation, settings: WorkspaceSettings, today: date) -> Content:
        # lazy: pydantic, loaded on first use
        from amtui.models.work import department
        from amtui.services.board import column_title

        heading = Content(_("Tasks from this message")).stylize("bold underline")
        if not found.tasks:
            return Content.assemble(heading, "\n", Content(_(
                "None yet: t makes one, b a brief with department tasks.")).stylize(
                    "italic $text-muted"))
        rows = [heading]
        for task in found.tasks:
            due = Content()
            if task.due is not None:
                day = day_in_words(task.due, today)
                due = Content(" · " + _("due {day}").format(day=day))
                if task.overdue:
                    due = Content.assemble(" · ", ("!" + _("overdue since {day}").format(
                        day=day), "bold $amtui-overdue"))
            rows.append(Content.assemble(
                ("✓ ", "$success") if task.done else "· ", line(task.title, 60), " · ",
                line(department(task.department)), " · ",
                line(column_title(settings, task.column)).stylize("$text-muted"), due))
        return Content("\n").join(rows)

    @staticmethod
    def _thread(found: Conversation, now: datetime) -> Content:
        rows = [Content(_("Conversation with the client, newest last")).stylize(
            "bold underline")]
        if found.earlier:
            rows.append(Content(_("… {count} earlier").format(count=found.earlier)).stylize(
                "$text-muted"))
        for message in found.thread:
            who = (message.contact or _("client")) if message.incoming else _("we")
            arrow = "←" if message.incoming else "→"
            row = Content.assemble(
                ("▶ " if message.this else "  "),
                (f"{day_and_time(message.received_at, now)}  ", "$text-muted"),
                f"{arrow} ", line(who, 30), ": ", line(message.text, 200))
            rows.append(row.stylize("bold") if message.this else row)
        if found.later:
            rows.append(Content(_("… {count} later").format(count=found.later)).stylize(
                "$text-muted"))
        return Content("\n").join(rows)

    # acting

    def _current(self) -> InboxEntry | None:
        return self.shown.entry if self.shown is not None else None

    def _selected(self) -> InboxEntry | None:
        if self.shown is None:
            self.notify(_("The message is still being read."), severity="warning")
            return None
        return self.shown.entry

    def action_delete(self) -> None:
        """To the trash, and back to the list: there is no message left to show."""
        shown = self.shown
        super().action_delete()
        if shown is not None:
            self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
