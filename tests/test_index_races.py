"""The record index and the Inbox's read-again against the awkward moments: a save that fails
after its audit lines are written, a save landing while a copy catches up, a transaction that
is given up while the Inbox reads, a plugin table with the index's own name."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest

from amtui.models import Client, Message, Task
from amtui.models.base import Record
from amtui.services.agenda import build_agenda
from amtui.services.inbox import load_inbox, read_inbox
from amtui.storage import Workspace, datafile as datafile_module
from amtui.storage.datafile import DataFile, TableSpec
from amtui.storage.index import RecordIndex
from amtui.testing import StillClock


def teammate_of(workspace: Workspace, clock: StillClock, tmp_path: Path) -> Workspace:
    """The same workspace opened by another user: an index of their own."""
    other = Workspace.open(workspace.root, clock=clock)
    (tmp_path / "their-index").mkdir(mode=0o700)
    other.index = RecordIndex(workspace.root, tmp_path / "their-index")
    return other


class DiskFull(Exception):
    pass


def test_a_failed_save_whose_audit_lines_are_taken_back_is_not_followed_half(
        workspace: Workspace, clock: StillClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy made while a save's audit lines were there, then taken back (the save failed),
    must not read a later save's lines from the middle."""
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    made = [workspace.repo(Task).add(Task(title=f"T{i}", client_id=client.id))
            for i in range(4)]
    teammate = teammate_of(workspace, clock, tmp_path)
    theirs = teammate.file("tasks")
    commit = DataFile.commit

    def failing(self: DataFile, *args: object) -> None:
        teammate.index.fresh(theirs)  # the teammate's Today reads right now
        raise DiskFull

    monkeypatch.setattr(DataFile, "commit", failing)
    with pytest.raises(DiskFull), workspace.transaction("tasks") as change:
        record = dict(change.get("tasks", made[0].id) or {})
        change.put("tasks", {**record, "title": "never saved"}, "update", ["title"])
    monkeypatch.setattr(DataFile, "commit", commit)
    with workspace.transaction("tasks") as change:  # one save of three records
        for task in made[:3]:
            record = dict(change.get("tasks", task.id) or {})
            change.put("tasks", {**record, "title": task.title + " renamed"}, "update",
                       ["title"])
    copy = teammate.index.fresh(theirs)
    in_copy = sorted(title for (title,) in copy.execute(
        "SELECT json_extract(body, '$.title') FROM tasks"))
    assert in_copy == sorted(task["title"] for task in theirs.stored())


def test_a_save_while_a_copy_catches_up_is_taken_in_too(
        workspace: Workspace, clock: StillClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)  # the file is read from disk
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Task).add(Task(title="T0", client_id=client.id, due=date(2026, 11, 2)))
    build_agenda(workspace)
    teammate = teammate_of(workspace, clock, tmp_path)
    teammate.repo(Task).add(Task(title="T1", client_id=client.id, due=date(2026, 11, 2)))
    tasks = workspace.file("tasks")
    opened = tasks._open
    saved: list[int] = []

    def saving_meanwhile() -> object:
        if not saved and inspect.stack()[1].function == "stored_many":
            saved.append(1)
            teammate.repo(Task).add(Task(title="T2", client_id=client.id,
                                         due=date(2026, 11, 2)))
        return opened()

    monkeypatch.setattr(tasks, "_open", saving_meanwhile)
    (overdue,) = [section for section in build_agenda(workspace)
                  if section.key == "overdue_tasks"]
    assert saved and overdue.total == 3


def test_the_inbox_builds_on_what_is_stored_not_on_a_save_given_up(
        workspace: Workspace, clock: StillClock) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Message).add(Message(client_id=client.id, text="real",
                                        received_at=clock()))
    with pytest.raises(DiskFull), workspace.transaction("messages"):
        workspace.file("messages").insert([Message(
            client_id=client.id, text="phantom", received_at=clock()).model_dump(mode="json")])
        first = read_inbox(workspace)  # the Inbox's worker reading meanwhile
        raise DiskFull
    again = read_inbox(workspace, first)
    assert [entry.message.get("text") for entry in again.entries] == [
        entry.message.get("text") for entry in load_inbox(workspace)] == ["real"]


def test_a_plugin_table_may_have_any_name(workspace: Workspace) -> None:
    class Copy(Record):
        table = "copies"

        client_id: str | None = None

    workspace.register_table(TableSpec("copies", Copy, folder="myplugin"))
    workspace.index.fresh(workspace.file("tasks"))
    workspace.index.fresh(workspace.file("copies"))
    assert workspace.index.is_fresh(workspace.file("tasks"))
