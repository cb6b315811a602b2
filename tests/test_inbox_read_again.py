"""The Inbox read again after a change reads only the messages and tasks saved since (the
audit says which) and shows exactly what a whole read would."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from amtui.models import Client, Contact, Message, MessageStatus, Task
from amtui.services import inbox
from amtui.services.inbox import InboxRead, read_inbox
from amtui.storage import Workspace
from amtui.testing import StillClock
from conftest import run_cli


def shown(read: InboxRead) -> list[tuple[object, ...]]:
    return [(entry.id, entry.message.get("status"), entry.message.get("rev"), entry.client,
             entry.contact, entry.assignee, entry.tasks, entry.search_text)
            for entry in read.entries]


@pytest.fixture
def whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reads that read every record (they learn every client's name)."""
    reads: list[int] = []
    names = inbox._Names.__init__

    def counted(self: inbox._Names, workspace: Workspace) -> None:
        reads.append(1)
        names(self, workspace)

    monkeypatch.setattr(inbox._Names, "__init__", counted)
    return reads


def test_changes_here_and_elsewhere_are_read_as_a_whole_read_would(
        workspace: Workspace, clock: StillClock, tmp_path: Path, whole_reads: list[int]) -> None:
    now = clock()
    clients = [workspace.repo(Client).add(Client(name=name)) for name in ("Ромашка", "Байкал")]
    contact = workspace.repo(Contact).add(Contact(client_id=clients[0].id, name="Ирина"))
    messages = workspace.repo(Message)
    tasks = workspace.repo(Task)
    made = [messages.add(Message(client_id=clients[i % 2].id, text=f"Письмо {i}",
                                 received_at=now - timedelta(hours=i % 3),
                                 contact_id=contact.id if i % 2 == 0 else None))
            for i in range(8)]
    read = read_inbox(workspace)
    assert len(whole_reads) == 1
    picked = random.Random(7)
    linked: list[Task] = []
    for step in range(12):
        kind = step % 6
        if kind == 0:
            made.append(messages.add(Message(client_id=clients[1].id, text=f"Новое {step}",
                                             received_at=now - timedelta(hours=1))))
        elif kind == 1:
            target = picked.choice(made)
            target = messages.get(target.id)
            messages.update(target.model_copy(update={"status": MessageStatus.WAITING_ON_CLIENT}))
        elif kind == 2:
            linked.append(tasks.add(Task(title=f"Задача {step}", client_id=clients[0].id,
                                         message_id=picked.choice(made).id)))
        elif kind == 3 and linked:
            task = tasks.get(linked[-1].id)
            tasks.update(task.model_copy(update={"column": workspace.settings.columns[-1]}))
        elif kind == 4:
            gone = made.pop(picked.randrange(len(made)))
            for task in list(linked):
                if task.message_id == gone.id:
                    tasks.delete(task.id)
                    linked.remove(task)
            messages.delete(gone.id)
        else:  # a teammate, with an index of their own
            done = run_cli("add", "message", f"От коллеги {step}", "--client", clients[0].id,
                           workspace=workspace.root,
                           env={"XDG_CACHE_HOME": str(tmp_path / "teammate")})
            assert done.returncode == 0, done.stderr
            made.append(messages.get(done.stdout.strip()))
        read = read_inbox(workspace, read)
        assert shown(read) == shown(read_inbox(workspace)), f"after step {step}"
        whole_reads.pop()  # the comparison's own whole read
    assert whole_reads == [1]  # every read again took only what changed


def test_a_task_moved_to_another_message_or_unlinked_is_read_as_a_whole_read_would(
        workspace: Workspace, clock: StillClock, whole_reads: list[int]) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    messages, tasks = workspace.repo(Message), workspace.repo(Task)
    first, second = (messages.add(Message(client_id=client.id, text=text, received_at=clock()))
                     for text in ("Первое", "Второе"))
    moved, kept = (tasks.add(Task(title=title, client_id=client.id, message_id=first.id))
                   for title in ("Перенести", "Оставить"))
    read = read_inbox(workspace)
    tasks.update(tasks.get(moved.id).model_copy(update={"message_id": second.id}))
    read = read_inbox(workspace, read)
    titles = {entry.id: [task.title for task in entry.tasks] for entry in read.entries}
    assert titles == {first.id: ["Оставить"], second.id: ["Перенести"]}
    assert shown(read) == shown(read_inbox(workspace))
    tasks.update(tasks.get(kept.id).model_copy(update={"message_id": None}))
    read = read_inbox(workspace, read)
    titles = {entry.id: [task.title for task in entry.tasks] for entry in read.entries}
    assert titles == {first.id: [], second.id: ["Перенести"]}
    assert shown(read) == shown(read_inbox(workspace))
    whole_reads.pop()
    whole_reads.pop()
    assert whole_reads == [1]


def test_a_renamed_client_is_read_whole(workspace: Workspace, clock: StillClock,
                                        whole_reads: list[int]) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Message).add(Message(client_id=client.id, text="Привет",
                                        received_at=clock()))
    read = read_inbox(workspace)
    workspace.repo(Client).update(client.model_copy(update={"name": "Ромашка Плюс"}))
    read = read_inbox(workspace, read)
    assert [entry.client for entry in read.entries] == ["Ромашка Плюс"]
    assert len(whole_reads) == 2
