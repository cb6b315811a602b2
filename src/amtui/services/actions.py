"""Small changes people make from Today and the Inbox: answered, done, contacted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amtui.models import Client, Direction, Message, MessageKind, MessageStatus, Task

if TYPE_CHECKING:
    from amtui.storage import Workspace


def mark_message_done(workspace: Workspace, message_id: str) -> Message:
    messages = workspace.repo(Message)
    message = messages.get(message_id)
    message.status = MessageStatus.DONE
    return messages.update(message)


def mark_task_done(workspace: Workspace, task_id: str) -> Task:
    """Move the task to the last board column and stamp when it was done."""
    tasks = workspace.repo(Task)
    task = tasks.get(task_id)
    task.column = workspace.settings.columns[-1]
    task.done_at = workspace.clock()
    task.blocked_by_client = False
    return tasks.update(task)


def log_contact(workspace: Workspace, client_id: str, text: str = "Update sent") -> Message:
    """Record that we contacted the client (an outgoing update): it resets their cadence."""
    client = workspace.repo(Client).get(client_id)
    now = workspace.clock()
    return workspace.repo(Message).add(Message(
        client_id=client.id, channel=client.preferred_channel, direction=Direction.OUTGOING,
        kind=MessageKind.UPDATE, status=MessageStatus.DONE, text=text, received_at=now,
        assignee_id=client.owner_id,
    ))
