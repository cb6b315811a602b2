"""One message with what it belongs to: its client and contact, the thread of the client's
messages around it, and the tasks made from it. What a message's view shows.

Read from the stored dicts (the thread from a scan of the messages), so it stays quick on a
workspace of tens of thousands of messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from amtui.services.board import column_title
from amtui.services.inbox import InboxEntry, MessageView, sender, task_state
from amtui.services.projection import Interner
from amtui.services.rules import from_sender, task_overdue

if TYPE_CHECKING:
    from amtui.storage import Workspace

THREAD_AROUND = 5
"""Messages of the thread shown before and after the message itself."""


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """A message of the thread, as one line."""

    id: str
    received_at: datetime
    incoming: bool
    text: str
    contact: str
    this: bool
    """The message the view is about."""


@dataclass(frozen=True, slots=True)
class MessageTask:
    """A task made from the message, and where it stands."""

    title: str
    department: str
    column: str
    """The column's title."""
    due: date | None
    done: bool
    overdue: bool


@dataclass(frozen=True)
class Conversation:
    entry: InboxEntry
    """The message as the Inbox has it (what its actions work on)."""
    message: dict[str, object]
    """The whole stored message."""
    client_zone: str
    """The client's time zone ("" when the client is not known)."""
    thread: list[ThreadMessage]
    """The client's messages around this one, oldest first (with no client yet: the
    sender's)."""
    earlier: int
    """The client's messages before the first one in ``thread``."""
    later: int
    """The client's messages after the last one in ``thread``."""
    tasks: list[MessageTask]


def conversation(workspace: Workspace, message_id: str, today: date) -> Conversation | None:
    """The message with its client, contact, thread and tasks; None if it is not stored."""
    raw = workspace.file("messages").get(message_id)
    if raw is None:
        return None
    client_id = raw.get("client_id") or ""
    client = workspace.file("clients").get(client_id) if client_id else None
    assignee = workspace.file("members").get(raw.get("assignee_id") or "") \
        if raw.get("assignee_id") else None
    settings = workspace.settings
    done_column = settings.columns[-1]
    task_file = workspace.file("tasks")
    # Most messages have no task: counted in the file's bytes, the tasks are read only if so.
    tasks = [task for task in task_file.scan() if task.get("message_id") == message_id] \
        if task_file.count_where("message_id", message_id) or task_file.has_changes() else []
    address = str(raw.get("sender_address") or "")

    def same(message: dict[str, object]) -> bool:
        """Of this thread: the client's, or (no client yet) the same sender's."""
        if client_id:
            return message.get("client_id") == client_id
        return message["id"] == message_id or (bool(address) and from_sender(message, address))

    same_client = sorted((message for message in workspace.file("messages").scan()
                          if same(message)),
                         key=lambda message: str(message.get("received_at", "")))
    at = next((index for index, message in enumerate(same_client)
               if message["id"] == message_id), None)
    if at is None:
        return None  # deleted since it was read a moment ago
    first, last = max(at - THREAD_AROUND, 0), at + THREAD_AROUND + 1
    contacts = workspace.file("contacts")
    people = {contact_id: person for contact_id in
              {message.get("contact_id") for message in same_client[first:last]} if contact_id
              and (person := contacts.get(contact_id)) is not None}
    names = {contact_id: str(person.get("name", "")) for contact_id, person in people.items()}
    thread = [ThreadMessage(
        id=message["id"], received_at=datetime.fromisoformat(message["received_at"]),
        incoming=message.get("direction") == "incoming", text=str(message.get("text", "")),
        contact=names.get(message.get("contact_id") or "", "") if client_id
        else str(message.get("sender_name") or message.get("sender_address") or ""),
        this=message["id"] == message_id) for message in same_client[first:last]]
    client_name = str(client.get("name", "")) if client else ""
    person = people.get(raw.get("contact_id") or "")
    contact = _contact_name(person) if person else "" if client_id else sender(raw)
    entry = InboxEntry(
        MessageView.of(raw, Interner()), client_name, contact,
        str(assignee.get("name", "")) if assignee else "",
        tuple(task_state(task, done_column, Interner()) for task in tasks),
        str(raw.get("text", "")).casefold(), f"{client_name} {contact}".casefold())
    return Conversation(
        entry=entry, message=dict(raw),
        client_zone=str(client.get("timezone") or "") if client else "",
        thread=thread, earlier=first, later=max(len(same_client) - last, 0),
        tasks=[MessageTask(
            title=str(task.get("title", "")),
            department=str(task.get("department", "")).replace("_", " "),
            column=column_title(settings, str(task.get("column", ""))),
            due=date.fromisoformat(task["due"]) if task.get("due") else None,
            done=task.get("column") == done_column,
            overdue=task_overdue(task, today, done_column)) for task in tasks])


def _contact_name(person: dict[str, object]) -> str:
    name = str(person.get("name", ""))
    return f"{name} ({person['role']})" if name and person.get("role") else name

