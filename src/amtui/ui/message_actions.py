"""What can be done with one message, from the Inbox's list or from the message's own view:
reply, call, answered, status, priority, assignee, snooze, delete, task and brief; for mail
with no client yet, make a client from its sender or give it to a client."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.screen import ModalScreen, Screen

from amtui.dates import agency_zone, day_and_time, elsewhere
from amtui.i18n import N_, _, ngettext
from amtui.services.rules import message_late, message_snoozed, message_without_client, moment
from amtui.text import one_line
from amtui.ui.safe import line

if TYPE_CHECKING:
    from amtui.models import Message, Note, Task
    from amtui.services.inbox import InboxEntry
    from amtui.services.senders import SenderClient
    from amtui.services.undo import Undo
    from amtui.storage import Workspace
    from amtui.ui.app import AmtuiApp

STATUS_LABELS = {"new": N_("new"), "waiting_on_us": N_("waiting on us"),
                 "waiting_on_client": N_("waiting on client"), "done": N_("done")}
KIND_LABELS = {"question": N_("question"), "request": N_("request"), "complaint": N_("complaint"),
               "approval": N_("approval"), "feedback": N_("feedback"), "reply": N_("reply"),
               "update": N_("update"), "call": N_("call")}
PRIORITY_LABELS = {"low": N_("low"), "normal": N_("normal"), "high": N_("high"),
                   "urgent": N_("urgent")}
SENDER_ACTIONS = frozenset({"make_client", "attach_client"})
"""What is done with mail that has no client yet."""


def client_title(entry: InboxEntry, width: int) -> Content:
    """The message's client in bold: its name, "no client yet" for mail from a sender no
    client has, "deleted client" (muted) when its client is gone."""
    if entry.client:
        return line(entry.client, width).stylize("bold")
    if message_without_client(entry.message):
        return Content(_("No client yet")).stylize("bold italic")
    return Content(_("deleted client")).stylize("italic $text-muted")


def fact(label: str, value: Content | str) -> Content:
    """One fact about a message: its label, muted, then its value (text shown as typed)."""
    shown = value if isinstance(value, Content) else line(value)
    return Content.assemble((f"{label}: ", "$text-muted"), shown)


def message_times(message: Mapping[str, Any], now: datetime,
                  client_zone: str = "") -> list[Content]:
    """When a message came, by when it is to be answered (how late, or in how long) and
    until when it is snoozed: in the agency's time (``now``'s), and in ``client_zone``'s
    too when given and it keeps another time. The Inbox's preview and the message view
    both show these."""
    # lazy: pydantic, loaded on first use
    from amtui.services.inbox import countdown

    def when(value: object) -> Content:
        at = datetime.fromisoformat(str(value))
        shown = Content(day_and_time(at, now))
        if client_zone and (there := elsewhere(at, agency_zone(client_zone), now)):
            shown += Content.assemble(" · ", (_("client's time {time}").format(time=there),
                                              "$text-muted"))
        return shown

    rows = [fact(_("Received"), when(message["received_at"]))]
    answer_by = moment(message.get("answer_by"))
    if answer_by is not None:
        due = countdown(message["answer_by"], str(message.get("status", "")), now)
        answer = when(message["answer_by"])
        if message_late(message, now):
            answer += Content.assemble(" ", (_("late by {time}").format(
                time=due.lstrip("-")), "bold $amtui-overdue"))
        elif due and answer_by >= now:
            answer += " " + _("in {time}").format(time=due)
        rows.append(fact(_("Answer by"), answer))
    if message_snoozed(message, now):
        rows.append(fact(_("Snoozed until"), when(message["snoozed_until"])))
    return rows


class MessageActions(Screen[Any]):
    """The actions on the message :meth:`_selected` gives; a screen that shows messages
    subclasses this and binds the keys."""

    @property
    def amtui(self) -> AmtuiApp:
        return self.app  # type: ignore[return-value]

    def _selected(self) -> InboxEntry | None:
        """The message acted on (None, with a notice, if there is none)."""
        raise NotImplementedError

    def _current(self) -> InboxEntry | None:
        """The message acted on, if any (no notice)."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Making a client from the sender, or choosing one, is for messages with no client
        yet: for the others, these keys are not shown (the key bar has room for the rest)."""
        if action in SENDER_ACTIONS:
            entry = self._current()
            return entry is not None and message_without_client(entry.message)
        return super().check_action(action, parameters)

    def _model(self, entry: InboxEntry) -> Message | None:
        """The whole message as the user saw it; None (and a notice) if it is gone."""
        # lazy: pydantic, loaded on first use
        from amtui.services.inbox import stored_message

        message = stored_message(self.amtui.workspace, entry)
        if message is None:
            self.notify(_("This message is no longer there (deleted meanwhile?)."),
                        severity="warning")
        return message

    def _change_message(self, message: Message,
                        change: Callable[[Workspace, Message, bool], Undo],
                        done_message: str) -> None:
        """Save a change to ``message`` as the user saw it; after a conflict they may
        overwrite what someone else saved meanwhile."""
        workspace = self.amtui.workspace
        self.amtui.change(lambda: change(workspace, message, False), done_message,
                          overwrite=lambda: change(workspace, message, True))

    def action_done(self) -> None:
        entry = self._selected()
        if entry is not None and (message := self._model(entry)) is not None:
            # lazy: pydantic, loaded on first use
            from amtui.services.inbox import set_status

            self._change_message(
                message,
                lambda workspace, message, overwrite: set_status(
                    workspace, message, "done", overwrite=overwrite),
                _("Answered"))

    def action_reply(self) -> None:
        self._log_outgoing("reply")

    def action_call(self) -> None:
        self._log_outgoing("call")

    def _log_outgoing(self, kind: str) -> None:
        entry = self._selected()
        if entry is None:
            return
        # lazy: pydantic, loaded on first use
        # cycle: amtui.ui.inbox_forms imports this module
        from amtui.services.inbox import log_outgoing
        from amtui.ui.inbox_forms import OutgoingForm

        message = self._model(entry)
        if message is None:
            return
        form = OutgoingForm(self.amtui.workspace, message, kind)

        def logged(sent: Message | None) -> None:
            if sent is not None:
                self._change_message(
                    form.answered,
                    lambda workspace, message, overwrite: log_outgoing(
                        workspace, message, sent, form.status_after, overwrite=overwrite),
                    _("Call logged") if kind == "call" else _("Reply logged"))

        self.app.push_screen(form, logged)

    def action_status(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.inbox import set_status

        self._pick(_("Status"), [(Content(_(label)), value)
                                   for value, label in STATUS_LABELS.items()],
                     "status", set_status, _("Status changed"))

    def action_priority(self) -> None:
        # lazy: pydantic, loaded on first use
        from amtui.services.inbox import set_priority

        self._pick(_("Priority"), [(Content(_(label)), value)
                                     for value, label in PRIORITY_LABELS.items()],
                     "priority", set_priority, _("Priority changed"))

    def action_assign(self) -> None:
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.inbox import assign
        from amtui.ui.picker import PickerScreen, member_picker

        picker = member_picker(self.amtui.workspace, none=(_("nobody"), ""))
        self._choose(lambda current: PickerScreen(_("Assign to"), picker, current),
                     "assignee_id", assign, _("Assigned"))

    def _pick(self, title: str, options: list[tuple[Content, str]], field: str,
              change: Callable[..., Undo], done_message: str) -> None:
        # lazy: kept out of the app start
        from amtui.ui.ask import PickScreen

        self._choose(lambda current: PickScreen(title, options, current), field, change,
                     done_message)

    def _choose(self, screen: Callable[[str], ModalScreen[str | None]], field: str,
                change: Callable[..., Undo], done_message: str) -> None:
        """Ask for a new value of the message's ``field`` in ``screen`` (made with the value
        now) and save it with ``change``."""
        entry = self._selected()
        if entry is None:
            return
        current = str(entry.message.get(field) or "")

        def chosen(value: str | None) -> None:
            if value is not None and value != current and (
                    message := self._model(entry)) is not None:
                self._change_message(
                    message,
                    lambda workspace, message, overwrite: change(
                        workspace, message, value, overwrite=overwrite),
                    done_message)

        self.app.push_screen(screen(current), chosen)

    def action_snooze(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.dates import today_of
        from amtui.services.inbox import first_line, snooze
        from amtui.ui.ask import ask_snooze, snoozed_for

        message = self._model(entry)
        if message is None:
            return

        def snoozed(days: int) -> None:
            self._change_message(
                message,
                lambda workspace, seen, overwrite: snooze(workspace, seen, days,
                                                          overwrite=overwrite),
                snoozed_for(days))

        ask_snooze(self.app, first_line(message.text, 60), today_of(self.amtui.workspace),
                   snoozed)

    def action_delete(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        # lazy: pydantic, loaded on first use
        from amtui.services.inbox import delete_message

        workspace = self.amtui.workspace
        note = _("Message moved to the trash (u brings it back)")
        if entry.tasks:
            note += " · " + ngettext("its {count} task stays on the board",
                                     "its {count} tasks stay on the board",
                                     len(entry.tasks)).format(count=len(entry.tasks))
        self.amtui.change(lambda: delete_message(workspace, entry.id), note)

    def action_task(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        # lazy: pydantic, loaded on first use
        # cycle: amtui.ui.inbox_forms imports this module
        from amtui.services.inbox import add_task
        from amtui.ui.inbox_forms import task_form

        workspace = self.amtui.workspace

        def made(task: Task | None) -> None:
            if task is not None:
                self.amtui.change(lambda: add_task(workspace, task), _("Task added"))

        if (message := self._model(entry)) is not None:
            self.app.push_screen(task_form(workspace, message), made)

    def action_brief(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        if entry.message.get("direction") != "incoming":
            self.notify(_("A brief starts from a client's request; this message is one we "
                          "sent."), severity="warning")
            return
        # lazy: pydantic, loaded on first use
        # cycle: amtui.ui.inbox_forms imports this module
        from amtui.services.inbox import save_brief
        from amtui.ui.inbox_forms import BriefForm

        workspace = self.amtui.workspace
        message = self._model(entry)
        if message is None:
            return
        form = BriefForm(workspace, message, entry.client, entry.contact)

        def written(note: Note | None) -> None:
            plan = form.plan
            if note is not None and plan is not None:
                self.amtui.change(lambda: save_brief(workspace, plan), _(
                    "Brief written; department tasks added: {count}").format(
                        count=len(plan.tasks)))

        self.app.push_screen(form, written)

    def _without_client(self) -> Message | None:
        """The selected message if it has no client yet; else None, with a notice."""
        entry = self._selected()
        if entry is None:
            return None
        if not message_without_client(entry.message):
            self.notify(_("This message is «{client}»'s already.").format(
                client=one_line(entry.client, 40)), severity="warning", markup=False)
            return None
        return self._model(entry)

    def action_make_client(self) -> None:
        """The new-client form filled from the sender; saved, the client gets the sender's
        messages that have no client."""
        message = self._without_client()
        if message is None:
            return
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.senders import Sender, make_client
        from amtui.ui.client_forms import sender_client_form

        workspace = self.amtui.workspace

        def made(client: SenderClient | None) -> None:
            if client is not None:
                self.amtui.change(lambda: make_client(workspace, client, message),
                                  _("Client «{name}» made from the sender").format(
                                      name=one_line(client.client.name, 40)))

        self.app.push_screen(sender_client_form(self.amtui, Sender.of(message)), made)

    def action_attach_client(self) -> None:
        """Pick a client for the message (and the sender's other messages with no client)."""
        message = self._without_client()
        if message is None:
            return
        # lazy: pydantic, loaded on first use
        # lazy: kept out of the app start
        from amtui.services.senders import attach_to_client
        from amtui.ui.picker import PickerScreen, client_picker

        workspace = self.amtui.workspace

        def picked(client_id: str | None) -> None:
            if client_id:
                self.amtui.change(lambda: attach_to_client(workspace, message, client_id),
                                  _("Message given to the client"))

        self.app.push_screen(PickerScreen(_("Attach to client"),
                                          client_picker(workspace, new=False)), picked)
