"""Small changes people make from Today and the Inbox: answered, done, contacted.

Each returns an :class:`~amtui.services.undo.Undo`, so the app can take it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amtui.i18n import N_, _, ngettext
from amtui.models import (
    Client,
    Contact,
    Deal,
    Direction,
    Message,
    MessageKind,
    MessageStatus,
    Record,
    Task,
)
from amtui.services import undo
from amtui.services.rules import snooze_end
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.storage import TrashEntry, Workspace


def mark_message_done(workspace: Workspace, message_id: str) -> undo.Undo:
    message = workspace.repo(Message).get(message_id)
    message.status = MessageStatus.DONE
    return undo.update(workspace, message, _("message «{text}» answered").format(
        text=one_line(message.text, 40)))[1]


def mark_task_done(workspace: Workspace, task_id: str) -> undo.Undo:
    """Move the task to the last board column and stamp when it was done."""
    task = workspace.repo(Task).get(task_id)
    task.column = workspace.settings.columns[-1]
    task.done_at = workspace.clock()
    task.blocked_by_client = False
    return undo.update(workspace, task, _("task «{title}» done").format(
        title=one_line(task.title, 40)))[1]


def log_contact(workspace: Workspace, client_id: str, text: str = "Update sent",
                contact_id: str | None = None) -> undo.Undo:
    """Record that we contacted the client (an outgoing update), or one of its contacts: it
    resets the cadence."""
    client = workspace.repo(Client).get(client_id)
    message = Message(
        client_id=client.id, contact_id=contact_id, channel=client.preferred_channel,
        direction=Direction.OUTGOING,
        kind=MessageKind.UPDATE, status=MessageStatus.DONE, text=text,
        received_at=workspace.clock(), assignee_id=client.owner_id,
    )
    return undo.add(workspace, message, _("contact with «{name}» logged").format(
        name=one_line(client.name, 40)))[1]


def snooze(workspace: Workspace, table: str, record_id: str, days: int) -> undo.Undo:
    """Keep a message, or a client's update, off Today for ``days`` days."""
    until = snooze_end(workspace.clock(), days)
    if table == "messages":
        message = workspace.repo(Message).get(record_id)
        message.snoozed_until = until
        what = ngettext("message «{text}» snoozed for {days} day",
                        "message «{text}» snoozed for {days} days", days).format(
            text=one_line(message.text, 40), days=days)
        return undo.update(workspace, message, what)[1]
    client = workspace.repo(Client).get(record_id)
    client.update_snoozed_until = until
    return undo.update(workspace, client,
                       ngettext("update of «{name}» snoozed for {days} day",
                                "update of «{name}» snoozed for {days} days", days).format(
                           name=one_line(client.name, 40), days=days))[1]


DELETED = {
    Task.table: (Task, N_("task «{name}» deleted")),
    Contact.table: (Contact, N_("contact «{name}» deleted")),
    Deal.table: (Deal, N_("deal «{name}» deleted")),
}
"""The tables whose records :func:`delete` moves to the trash, with what it says."""

LINKED: dict[str, tuple[tuple[type[Record], str], ...]] = {
    Contact.table: ((Message, "contact_id"),),
}
"""The records that point to a deleted one: unlinked by the delete (a contact's messages stay
the client's), linked again when it is restored."""


def delete(workspace: Workspace, table: str, record_id: str) -> undo.Undo:
    """Move a task, contact or deal to the trash (clients, messages and notes have their own:
    see services.clients, inbox and notes)."""
    record_type, said = DELETED[table]
    record: Record = workspace.repo(record_type).get(record_id)
    return undo.delete_unlinking(workspace, record_type, record_id,
                                 _(said).format(name=one_line(record.label(), 40)),
                                 LINKED.get(table, ()))


def trashed_name(entry: TrashEntry) -> str:
    """The deleted record's name; for a message deleted before messages had one, its text."""
    if entry.title and entry.title != entry.record_id:
        return entry.title
    record = entry.record
    return str(record.get("name") or record.get("title") or record.get("text")
               or entry.record_id)


def restore(workspace: Workspace, entry: TrashEntry) -> undo.Undo:
    """Put a deleted record back from the trash."""
    return undo.restore(workspace, entry, restored_message(entry))


def restored_message(entry: TrashEntry) -> str:
    return _("«{name}» restored from the trash").format(name=one_line(trashed_name(entry), 40))
