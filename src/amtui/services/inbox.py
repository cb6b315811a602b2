"""The Inbox: client messages with their people and tasks, the filters over them, and what an
account manager does with a message — reply, call, status, priority, assignee, snooze, task,
brief and department tasks, delete.

Reading works on the stored dicts, so it stays fast on a large workspace. Every change returns
an :class:`~amtui.services.undo.Undo`; a change to a message the user saw at an older revision
raises :class:`~amtui.storage.ConflictError` unless ``overwrite`` is given.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails

from amtui.dates import BadDate, duration, parse_date
from amtui.i18n import N_, _, ngettext
from amtui.models import (
    Channel,
    Client,
    Direction,
    Message,
    MessageKind,
    MessageStatus,
    Note,
    NoteKind,
    Priority,
    Task,
    in_own_words,
)
from amtui.services import undo
from amtui.services.hours import WorkingDays, add_working_hours
from amtui.services.projection import Interner, View
from amtui.services.rules import (
    OPEN_MESSAGE_STATUSES,
    answer_hours,
    message_open,
    message_urgent,
    message_without_client,
    moment,
    snooze_end,
)
from amtui.storage.index import microseconds
from amtui.text import (
    one_line,
)

if TYPE_CHECKING:
    from amtui.models.workspace import WorkspaceSettings
    from amtui.storage import Workspace
    from amtui.storage.changes import Mark

Raw = dict[str, Any]


def countdown(answer_by: str | None, status: str, now: datetime) -> str:
    """How long until the answer is due ("2h05", "3d"), or how long since ("-3h00"); empty
    when the message waits for no answer. Whether it is late is
    :func:`~amtui.services.rules.message_late`'s to say (a snooze, too)."""
    if not answer_by or status not in OPEN_MESSAGE_STATUSES:
        return ""
    left = datetime.fromisoformat(answer_by) - now
    text = duration(left, compact=True)
    return f"-{text}" if left < timedelta(0) else text


def first_line(text: str, width: int = 80) -> str:
    """The first non-empty line of ``text``, on one line, clipped: a title made from a message."""
    lines = [part.strip() for part in text.splitlines() if part.strip()]
    return one_line(lines[0] if lines else text.strip(), width)


def _quoted(text: str) -> str:
    return "«" + first_line(text, 40) + "»"


# reading


@dataclass(frozen=True, slots=True)
class TaskState:
    """Where one task made from a message stands."""

    message_id: str
    title: str
    department: str
    column: str
    done: bool


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One message as the Inbox shows it: the stored record and the names it points at."""

    message: View
    """The fields of the message the Inbox shows (read-only), with the revision the user
    sees; :func:`stored_message` reads the whole record."""
    client: str
    contact: str
    """The contact's name, with their role when known."""
    assignee: str
    tasks: tuple[TaskState, ...]
    search_text: str
    """The text, casefolded."""
    names: str
    """Client and contact, casefolded (one string shared by the client's messages)."""

    def holds(self, wanted: str) -> bool:
        """Whether the search box's (casefolded) text is in the message or its names."""
        return wanted in self.search_text or wanted in self.names

    @property
    def id(self) -> str:
        return str(self.message["id"])

    @property
    def tasks_done(self) -> int:
        return sum(task.done for task in self.tasks)


def stored_message(workspace: Workspace, entry: InboxEntry) -> Message | None:
    """The whole stored message, at the revision the user saw in the Inbox (so saving it
    after someone else changed it is a conflict, as it should be); None if it is gone."""
    raw = workspace.file(Message.table).get(entry.id)
    if raw is None:
        return None
    return Message.model_validate({**raw, "rev": entry.message.get("rev", raw.get("rev"))})


class MessageView(View):
    """What the Inbox keeps of each message; the rest is read from the store when needed."""

    __slots__ = (
        "answer_by",
        "assignee_id",
        "channel",
        "client_id",
        "contact_id",
        "direction",
        "id",
        "kind",
        "priority",
        "received_at",
        "rev",
        "sender_address",
        "sender_name",
        "snoozed_until",
        "status",
        "text",
    )

_SHARED = frozenset({"client_id", "contact_id", "channel", "direction", "kind", "status",
                     "priority", "assignee_id", "snoozed_until"})


def load_inbox(workspace: Workspace) -> list[InboxEntry]:
    """Every message, newest first, but urgent ones waiting for our answer before all, with
    its client, contact, assignee and tasks.

    Tables are read record by record and only what the Inbox shows is kept.
    """
    return read_inbox(workspace).entries


INBOX_TABLES = ("messages", "tasks", "clients", "contacts", "members")
"""What the Inbox shows comes from these tables."""


@dataclass
class InboxRead:
    """What :func:`read_inbox` read, and where each table was then (to read only what
    changed next time)."""

    entries: list[InboxEntry]
    marks: dict[str, Mark]
    tasks: dict[str, TaskState]
    """Task id → where the task stands, of every task made from a message (one flat table:
    a small table per message would take twice the memory)."""
    names: _Names
    places: dict[str, int]
    """Message id → its place in the file (what orders messages received at one moment)."""
    urgent_words: tuple[str, ...]
    """The workspace's urgent words the order was made with."""


class _Names:
    """The names the Inbox shows beside a message: its client's, contact's, assignee's."""

    def __init__(self, workspace: Workspace) -> None:
        self.shared = Interner()
        self.clients = {client["id"]: self.shared(str(client.get("name", "")))
                        for client in workspace.file("clients").stored()}
        self.contacts: dict[str, str] = {}
        for person in workspace.file("contacts").stored():
            name = str(person.get("name", ""))
            if name and person.get("role"):
                name += f" ({person['role']})"
            self.contacts[person["id"]] = self.shared(name)
        self.members = {member["id"]: str(member.get("name", ""))
                        for member in workspace.file("members").stored()}
        # What the Client column says, so that search finds it.
        self.no_client, self.deleted_client = _("no client yet"), _("deleted client")

    def entry(self, message: View, tasks: Iterable[TaskState]) -> InboxEntry:
        client = self.clients.get(message.get("client_id") or "", "")
        contact = self.contacts.get(message.get("contact_id") or "", "")
        named = client
        if message_without_client(message):
            contact = contact or sender(message)
            named = self.no_client
        elif not client:
            named = self.deleted_client
        assignee = self.members.get(message.get("assignee_id") or "", "")
        return InboxEntry(message, client, contact, assignee, tuple(tasks),
                          str(message.get("text", "")).casefold(),
                          self.shared(f"{named} {contact}".casefold()))


def read_inbox(workspace: Workspace, previous: InboxRead | None = None) -> InboxRead:
    """The Inbox's entries (see :func:`load_inbox`). Given the ``previous`` read, only the
    messages and tasks saved since are read again, when the audit can say which (see
    :mod:`amtui.storage.changes`) and no client, contact or member changed; else all."""
    files = {table: workspace.file(table) for table in INBOX_TABLES}
    marks = {table: data_file.mark() for table, data_file in files.items()}  # before reading
    if previous is not None and previous.urgent_words == tuple(workspace.settings.urgent_words):
        changed = {table: data_file.changed_since(previous.marks[table])
                   for table, data_file in files.items()}
        if all(changed[table] == [] for table in ("clients", "contacts", "members")) and \
                changed["messages"] is not None and changed["tasks"] is not None:
            return _read_again(workspace, previous, marks, changed["messages"],
                               changed["tasks"])
    names = _Names(workspace)
    done_column = workspace.settings.columns[-1]
    tasks = {task["id"]: task_state(task, done_column, names.shared)
             for task in files["tasks"].stored() if task.get("message_id")}
    of_message = _by_message(tasks.values())
    entries = [names.entry(MessageView.of(message, names.shared, _SHARED),
                           of_message.get(message["id"], ()))
               for message in files["messages"].stored()]
    del of_message
    places = {entry.id: place for place, entry in enumerate(entries)}
    return InboxRead(_in_inbox_order(entries, places, workspace), marks, tasks, names, places,
                     tuple(workspace.settings.urgent_words))


def _read_again(workspace: Workspace, previous: InboxRead, marks: dict[str, Mark],
                messages: list[str], tasks: list[str]) -> InboxRead:
    """``previous`` with the messages and tasks of these ids read again."""
    names, states = previous.names, dict(previous.tasks)  # the previous read's stay as they were
    touched = set(messages)
    done_column = workspace.settings.columns[-1]
    for task_id, task in workspace.file("tasks").stored_many(tasks).items():
        if (was := states.get(task_id)) is not None:
            touched.add(was.message_id)
        if task is not None and task.get("message_id"):
            states[task_id] = task_state(task, done_column, names.shared)
            touched.add(task["message_id"])
        else:
            states.pop(task_id, None)
    if not touched:  # nothing the Inbox shows changed
        return InboxRead(previous.entries, marks, states, names, previous.places,
                         previous.urgent_words)
    read = workspace.file("messages").stored_many(touched)
    entries = [entry for entry in previous.entries if entry.id not in touched]
    places = dict(previous.places)
    next_place = max(places.values(), default=-1) + 1
    order = _Order(places, workspace.settings)
    of_message = _by_message(state for state in states.values() if state.message_id in touched)
    for message_id in touched:
        message = read.get(message_id)
        if message is None:
            places.pop(message_id, None)
            continue
        if message_id not in places:  # new: after every message read before
            places[message_id], next_place = next_place, next_place + 1
        entry = names.entry(MessageView.of(message, names.shared, _SHARED),
                            of_message.get(message_id, ()))
        entries.insert(bisect.bisect(entries, order.key(entry), key=order.key), entry)
    return InboxRead(entries, marks, states, names, places, previous.urgent_words)


class _Order:
    """The Inbox's order as a key: the urgent messages waiting for our answer first, then
    the newest first, then in file order."""

    def __init__(self, places: dict[str, int], settings: WorkspaceSettings) -> None:
        self.places, self.settings = places, settings

    def key(self, entry: InboxEntry) -> tuple[bool, int, int]:
        message = entry.message
        received = moment(message.get("received_at"))
        return (not (message_open(message) and message_urgent(message, self.settings)),
                -microseconds(received) if received else 0, self.places[entry.id])


def task_state(task: Raw, done_column: str, shared: Interner) -> TaskState:
    """Where a task made from a message stands, as the Inbox and the message view show it."""
    return TaskState(str(task["message_id"]), str(task.get("title", "")),
                     shared(str(task.get("department", ""))),
                     shared(str(task.get("column", ""))), task.get("column") == done_column)


def _by_message(states: Iterable[TaskState]) -> dict[str, list[TaskState]]:
    """Message id → its tasks, in the order given."""
    found: dict[str, list[TaskState]] = {}
    for state in states:
        found.setdefault(state.message_id, []).append(state)
    return found


def _in_inbox_order(entries: list[InboxEntry], places: dict[str, int],
                    workspace: Workspace) -> list[InboxEntry]:
    """Newest first (in file order when received at one moment), but the urgent ones
    waiting for our answer before all."""
    entries.sort(key=_Order(places, workspace.settings).key)
    return entries


def sender(message: Raw | View) -> str:
    """Who a message with no client is from: "Name <address>", or whichever is known."""
    name = str(message.get("sender_name") or "")
    address = str(message.get("sender_address") or "")
    return f"{name} <{address}>" if name and address else name or address


ANY_OPEN = "open"
"""The status filter that keeps messages waiting on us (new or waiting on us)."""


@dataclass(frozen=True)
class InboxFilter:
    """Which messages the Inbox shows; an empty field lets every value through."""

    status: str = ""
    """A message status, or :data:`ANY_OPEN`."""
    client_id: str = ""
    client_name: str = ""
    """The client's name, to show which filter is on."""
    channel: str = ""
    kind: str = ""
    priority: str = ""

    @property
    def active(self) -> bool:
        return any((self.status, self.client_id, self.channel, self.kind, self.priority))

    def matches(self, message: Raw | View) -> bool:
        status = message.get("status")
        if self.status == ANY_OPEN:
            if status not in OPEN_MESSAGE_STATUSES:
                return False
        elif self.status and status != self.status:
            return False
        return all(not wanted or message.get(field) == wanted for field, wanted in (
            ("client_id", self.client_id), ("channel", self.channel), ("kind", self.kind),
            ("priority", self.priority),
        ))



# changing one message


def _changed(workspace: Workspace, message: Message, description: str, overwrite: bool,
             **changes: Any) -> undo.Undo:
    """Save ``message`` (as the user saw it) with ``changes``; with ``overwrite``, make the
    changes to the message as it is stored now, whoever changed it meanwhile."""
    if overwrite:
        message = workspace.repo(Message).get(message.id)
    changed = Message.model_validate({**message.model_dump(), **changes})
    return undo.update(workspace, changed, description)[1]


def set_status(workspace: Workspace, message: Message, status: MessageStatus | str, *,
               overwrite: bool = False) -> undo.Undo:
    status = MessageStatus(status)
    description = _("message {text} marked {status}").format(
        text=_quoted(message.text), status=status.value.replace("_", " "))
    return _changed(workspace, message, description, overwrite, status=status)


def save_message(workspace: Workspace, message: Message) -> undo.Undo:
    """Save an edited message (as read earlier); ConflictError if someone saved it since."""
    return undo.update(workspace, message, _("message {text} edited").format(
        text=_quoted(message.text)))[1]


def set_priority(workspace: Workspace, message: Message, priority: Priority | str, *,
                 overwrite: bool = False) -> undo.Undo:
    priority = Priority(priority)
    description = _("priority of {text} set to {priority}").format(
        text=_quoted(message.text), priority=priority.value)
    return _changed(workspace, message, description, overwrite, priority=priority)


def assign(workspace: Workspace, message: Message, member_id: str | None, *,
           overwrite: bool = False) -> undo.Undo:
    """Give the message to a member (None: to nobody)."""
    description = _("message {text} assigned").format(text=_quoted(message.text))
    return _changed(workspace, message, description, overwrite, assignee_id=member_id or None)


def snooze(workspace: Workspace, message: Message, days: int, *,
           overwrite: bool = False) -> undo.Undo:
    """Keep the message off Today's late answers for ``days``."""
    until = snooze_end(workspace.clock(), days)
    description = ngettext("message {text} snoozed for {days} day",
                           "message {text} snoozed for {days} days", days).format(
        text=_quoted(message.text), days=days)
    return _changed(workspace, message, description, overwrite, snoozed_until=until)


# messages we send


def outgoing(workspace: Workspace, message: Message, kind: MessageKind | str,
             text: str) -> Message:
    """A reply or a call answering ``message``, not yet saved: sent now, on the message's
    channel (a call: by phone), to the same contact. It counts as contact for the cadence."""
    kind = MessageKind(kind)
    return Message(
        client_id=message.client_id, contact_id=message.contact_id,
        channel=Channel.PHONE if kind == MessageKind.CALL else message.channel,
        direction=Direction.OUTGOING, kind=kind, status=MessageStatus.DONE,
        priority=message.priority, text=text, received_at=workspace.clock(),
        assignee_id=message.assignee_id,
    )


def log_outgoing(workspace: Workspace, message: Message, sent: Message,
                 status_after: MessageStatus | str, *, overwrite: bool = False) -> undo.Undo:
    """Store ``sent`` (see :func:`outgoing`) and give ``message`` its status after it."""
    status_after = MessageStatus(status_after)
    what = _("call") if sent.kind == MessageKind.CALL else _("reply")
    description = _("{what} to {text} logged").format(what=what, text=_quoted(message.text))
    steps: list[Callable[[], undo.Undo]] = []
    if status_after != message.status:
        steps.append(lambda: set_status(workspace, message, status_after, overwrite=overwrite))
    steps.append(lambda: undo.add(workspace, sent, description)[1])
    return together(description, steps)


def new_message(workspace: Workspace, *, client_id: str | None, text: str, channel: str = "",
                kind: str = "", priority: str = "", direction: str = "",
                contact_id: str | None = None,
                received_at: datetime | None = None) -> Message:
    """A message received (or sent) now (or at ``received_at``), not yet saved. An incoming
    one is due for an answer within the workspace's answer time (its urgent answer time if
    it is urgent), counted in the client's working hours. Without a client (mail from a
    sender no client has yet), in a new client's working hours in the agency's time zone."""
    client = (workspace.repo(Client).get(client_id) if client_id
              else Client(name="-", timezone=workspace.settings.timezone))
    received = received_at or workspace.clock()
    is_outgoing = direction == Direction.OUTGOING
    values: dict[str, Any] = {
        "client_id": client.id if client_id else None, "contact_id": contact_id,
        "text": text,
        "channel": channel or client.preferred_channel, "received_at": received,
        "assignee_id": client.owner_id,
        "direction": direction or Direction.INCOMING,
        "kind": kind or (MessageKind.UPDATE if is_outgoing else MessageKind.QUESTION),
        "priority": priority or Priority.NORMAL,
        "status": MessageStatus.DONE if is_outgoing else MessageStatus.NEW,
        "answer_by": None if is_outgoing else add_working_hours(
            received, answer_hours({"text": text, "priority": priority}, workspace.settings),
            client.working_hours, client.timezone, WorkingDays.of(workspace.settings)),
    }
    return Message.model_validate(values)


def add_message(workspace: Workspace, message: Message) -> undo.Undo:
    return undo.add(workspace, message, _("message {text} added").format(
        text=_quoted(message.text)))[1]


def delete_message(workspace: Workspace, message_id: str) -> undo.Undo:
    """Move the message to the trash. Tasks made from it stay, no longer linked to it; undo
    brings the message back and links them again."""
    message = workspace.repo(Message).get(message_id)
    description = _("message {text} deleted").format(text=_quoted(message.text))
    return undo.delete_unlinking(workspace, Message, message_id, description,
                                 ((Task, "message_id"),))


# tasks and briefs


def task_from(message: Message, *, title: str, department: str, due: str | date | None,
              description: str | None = None) -> Task:
    """A task made from ``message``, not yet saved: for its client, linked to it."""
    return Task.model_validate({
        "title": title, "department": department, "due": due or None,
        "client_id": message.client_id, "message_id": message.id,
        "priority": message.priority,
        "description": message.text if description is None else description,
    })


def add_task(workspace: Workspace, task: Task) -> undo.Undo:
    return undo.add(workspace, task, _("task {title} added").format(
        title=_quoted(task.title)))[1]


BRIEF_QUESTIONS = (
    (N_("Goal"), N_("What should the work achieve? What changes for the client when it is "
                  "done?")),
    (N_("Audience"), N_("Who is it for: who they are, what they need, where they are.")),
    (N_("Budget and deadlines"), N_("How much the client can spend; when the result is due, "
                                  "and any dates in between.")),
    (N_("Examples"), N_("Work the client likes and dislikes: competitors, references.")),
    (N_("Decision maker"), N_("Who approves the result; who else has a say.")),
    (N_("Success criteria"), N_("How we and the client will know it worked: figures, dates.")),
)


def brief_body(title: str, client: str, contact: str, request: Message) -> str:
    """The brief template in Markdown, filled with the client and the request."""
    quoted = "\n".join(f"> {line}".rstrip() for line in request.text.strip().splitlines())
    lines = [f"# {title}", "", _("Client: {client}").format(client=client)]
    if contact:
        lines.append(_("Contact: {contact}").format(contact=contact))
    lines += ["", _("The request of {day}:").format(day=request.received_at.date().isoformat()),
              "", quoted]
    for heading, question in BRIEF_QUESTIONS:
        lines += ["", f"## {_(heading)}", "", f"_{_(question)}_", ""]
    return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class BriefPlan:
    """A brief and the department tasks made from a request, checked but not yet saved."""

    note: Note
    tasks: list[Task]


def plan_brief(request: Message, *, title: str, client: str, contact: str,
               departments: Iterable[str], due: str | date | None,
               today: date | None = None) -> BriefPlan:
    """The brief note for ``request`` and one task per department, linked to the request and
    its client; ``due`` as typed (see :func:`amtui.dates.parse_date`, counted from ``today``)
    or a day. Raises pydantic's ValidationError naming ``title`` and ``due``, both at once
    when both are wrong, and the due date even when no department is chosen."""
    problems: list[InitErrorDetails] = []
    if isinstance(due, str):
        try:
            due = parse_date(due, today) if due.strip() else None
        except BadDate as error:
            problems.append(InitErrorDetails(type="value_error", loc=("due",), input=due,
                                             ctx={"error": error}))
            due = None
    try:
        note = Note.model_validate({
            "title": title, "client_id": request.client_id, "kind": NoteKind.BRIEF,
            "body": brief_body(title.strip(), client, contact, request),
        })
    except ValidationError as error:
        problems += _details(error)
    try:
        task_from(request, title="-", department="other", due=due)
    except ValidationError as error:
        problems += _details(error)
    if problems:
        raise ValidationError.from_exception_data("brief", problems)
    task_text = _("From the brief {title}.\n\nThe request:\n{text}").format(
        title=_quoted(note.title), text=request.text)
    tasks = [task_from(request, title=f"{note.title} — {department.replace('_', ' ')}",
                       department=department, due=due, description=task_text)
             for department in departments]
    return BriefPlan(note, tasks)


def _details(error: ValidationError) -> list[InitErrorDetails]:
    """The problems of ``error``, to be raised again together with others."""
    details = []
    for problem in in_own_words(error).errors():
        detail = InitErrorDetails(type=problem["type"], loc=problem["loc"],
                                  input=problem["input"])
        if "ctx" in problem:
            detail["ctx"] = problem["ctx"]
        details.append(detail)
    return details


def save_brief(workspace: Workspace, plan: BriefPlan) -> undo.Undo:
    description = ngettext("brief {title} with {count} task added",
                           "brief {title} with {count} tasks added", len(plan.tasks)).format(
        title=_quoted(plan.note.title), count=len(plan.tasks))
    steps: list[Callable[[], undo.Undo]] = [
        lambda: undo.add(workspace, plan.note, description)[1]]
    if plan.tasks:
        steps.append(lambda: undo.add_many(workspace, plan.tasks, description)[1])
    return together(description, steps)




def together(description: str, steps: Iterable[Callable[[], undo.Undo]]) -> undo.Undo:
    """Make the changes ``steps`` make, in order, as one: if a step fails, those already made
    are reverted. The undo reverts them newest first."""
    undos: list[undo.Undo] = []
    try:
        for step in steps:
            undos.append(step())
    except Exception:
        for made in reversed(undos):
            made.revert()
        raise

    def revert() -> None:
        for made in reversed(undos):
            made.revert()

    steps = tuple(step for made in undos for step in made.steps)
    journaled = all(made.steps for made in undos)
    return undo.Undo(description, revert, steps if journaled else ())
