"""The trash (F8), driven by the keys a user presses: only what a user deleted, by name, at
the agency's local time; restoring links back what the delete unlinked."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from rich.text import Text
from textual.widgets import DataTable

from amtui.models import Client, Message, Task
from amtui.services import clients as client_service, inbox
from amtui.storage import InvalidRecord, StorageError, TrashBin, TrashEntry, Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.client_card import ClientCard
from amtui.ui.trash import TrashScreen


@pytest.fixture
def base(workspace: Workspace, clock: StillClock) -> Workspace:
    """«Ромашка» with a question and a task made from it; the agency is in Yekaterinburg."""
    workspace.settings.timezone = "Asia/Yekaterinburg"  # UTC+5
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    message = workspace.repo(Message).add(Message(
        client_id=client.id, text="Когда будет макет главной страницы?",
        received_at=clock() - timedelta(hours=2)))
    workspace.repo(Task).add(Task(title="Макет главной", client_id=client.id,
                                  message_id=message.id))
    return workspace


def trash_rows(app: AmtuiApp) -> list[list[str]]:
    table = app.screen.query_one("#trash-table", DataTable)
    return [[cell.plain if isinstance(cell, Text) else str(cell)
             for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_the_trash_lists_what_was_deleted_by_name_at_local_time_and_restores_links(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="inbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        (client,) = base.repo(Client).all()
        app.open_record("clients", client.id)
        await settle(pilot)
        assert isinstance(app.screen, ClientCard)
        await pilot.press("d", "u")  # contact logged, then undone: bookkeeping, not deleted
        await settle(pilot)
        await pilot.press("escape", "x")  # the question deleted in the Inbox
        await settle(pilot)
        (task,) = base.repo(Task).all()
        assert task.message_id is None and base.repo(Message).all() == []
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, TrashScreen)
        # Deleted at 09:00 UTC: 14:00 in the agency's zone (UTC+5).
        assert trash_rows(app) == [["today 14:00", trash_rows(app)[0][1], "message",
                                    "Когда будет макет главной страницы?", "ООО «Ромашка»"]]
        await pilot.press("enter")
        await settle(pilot)
        (message,) = base.repo(Message).all()
        assert base.repo(Task).get(task.id).message_id == message.id  # linked again
        assert TrashBin(base).entries() == []
        assert any("restored from the trash" in note.message
                   for note in app._notifications)


def test_a_contact_of_a_client_in_the_trash_is_restored_after_its_client(
        base: Workspace) -> None:
    (client,) = base.repo(Client).all()
    (message,) = base.repo(Message).all()
    inbox.delete_message(base, message.id)
    client_service.delete_client(base, client.id)
    message_entry, client_entry = sorted(TrashBin(base).entries(),
                                         key=lambda entry: entry.source_table != "messages")
    with pytest.raises(InvalidRecord, match="restore the client «ООО «Ромашка»» first"):
        TrashBin(base).restore(message_entry.id)
    assert base.repo(Message).all() == []
    TrashBin(base).restore(client_entry.id)
    TrashBin(base).restore(message_entry.id)
    assert [m.text for m in base.repo(Message).all()] == ["Когда будет макет главной страницы?"]


def test_undoing_an_add_leaves_nothing_in_the_trash(base: Workspace) -> None:
    (client,) = base.repo(Client).all()
    from amtui.services.actions import log_contact

    log_contact(base, client.id).revert()
    assert [m.kind for m in base.repo(Message).all()] == ["question"]
    assert TrashBin(base).entries() == []


def test_a_link_to_a_record_gone_for_good_is_dropped_on_restore(base: Workspace) -> None:
    """The task's message was deleted and its trash entry purged: the task comes back
    without the link; a task whose client is in the trash waits for it."""
    (client,) = base.repo(Client).all()
    (task,) = base.repo(Task).all()
    (message,) = base.repo(Message).all()
    base.repo(Task).delete(task.id)
    message_entry = base.repo(Message).delete(message.id)
    base.repo(TrashEntry).discard(message_entry.id)
    (task_entry,) = TrashBin(base).entries()
    client_service.delete_client(base, client.id)
    with pytest.raises(InvalidRecord, match="restore the client"):
        TrashBin(base).restore(task_entry.id)
    client_entry = next(entry for entry in TrashBin(base).entries()
                        if entry.source_table == "clients")
    TrashBin(base).restore(client_entry.id)
    TrashBin(base).restore(task_entry.id)
    restored = base.repo(Task).get(task.id)
    assert (restored.client_id, restored.message_id) == (client.id, None)


def notices(app: AmtuiApp) -> list[tuple[str, str]]:
    return [(note.severity, note.message) for note in app._notifications]


async def test_the_trash_is_read_off_the_ui_thread_and_a_damaged_one_is_reported(
        base: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    readers: list[threading.Thread] = []

    def unreadable(trash: TrashBin) -> list[TrashEntry]:
        readers.append(threading.current_thread())
        raise StorageError("data/trash.json is damaged")

    monkeypatch.setattr(TrashBin, "entries", unreadable)
    app = AmtuiApp(base, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert not isinstance(app.screen, TrashScreen)
        assert ("error", "data/trash.json is damaged") in notices(app)
        assert readers and threading.main_thread() not in readers
        assert app.is_running


async def test_a_restore_from_the_trash_is_undone_by_u_and_so_is_the_delete_after(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="inbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # the question deleted; its task unlinked
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")  # restored, the task linked again
        await settle(pilot)
        (message,) = base.repo(Message).all()
        (task,) = base.repo(Task).all()
        assert task.message_id == message.id
        assert "restored from the trash" in app.undo_stack[-1][1].description
        await pilot.press("u")  # the restore undone: back in the trash, the task unlinked
        await settle(pilot)
        assert base.repo(Message).all() == []
        assert base.repo(Task).get(task.id).message_id is None
        assert [entry.record_id for entry in TrashBin(base).entries()] == [message.id]
        await pilot.press("u")  # the delete undone
        await settle(pilot)
        assert [m.id for m in base.repo(Message).all()] == [message.id]
        assert base.repo(Task).get(task.id).message_id == message.id
        assert TrashBin(base).entries() == []
        assert not [note for note in notices(app) if note[0] == "error"]


async def test_undoing_a_delete_restored_meanwhile_says_so(base: Workspace) -> None:
    app = AmtuiApp(base, pane="inbox")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        (entry,) = TrashBin(base).entries()
        TrashBin(base).restore(entry.id)  # by another amtui, say
        await pilot.press("u")
        await settle(pilot)
        assert [m.text for m in base.repo(Message).all()] == [
            "Когда будет макет главной страницы?"]
        assert ("information", "«Когда будет макет главной страницы?» was restored from the "
                "trash already.") in notices(app)
        assert not [note for note in notices(app) if note[0] == "error"]
