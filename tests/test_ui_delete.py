"""Deleting a task, a contact or a deal from the app, driven by the keys a user presses: a
question naming the record, the record in the trash and gone from every pane showing it, and
back where it was after ``u`` or a restore from the trash."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from rich.text import Text
from textual.widgets import DataTable, OptionList, Static

from amtui.models import Client, Contact, Deal, Message, MessageStatus, Money, Task
from amtui.services import actions
from amtui.storage import TrashBin, Workspace
from amtui.testing import StillClock, settle
from amtui.text import visible
from amtui.ui.app import AmtuiApp
from amtui.ui.ask import PickScreen
from amtui.ui.client_card import ClientCard
from amtui.ui.confirm import ConfirmScreen
from amtui.ui.help import HelpScreen
from amtui.ui.panes.board import BoardPane
from amtui.ui.task_screen import TaskScreen
from amtui.ui.trash import TrashScreen
from amtui.ui.widgets.cards import BoardView
from amtui.ui.widgets.keybar import KeyBar
from test_ui_editors import open_card, section


@pytest.fixture
def base(workspace: Workspace, clock: StillClock) -> Workspace:
    """«Ромашка» with two contacts (Олег wrote a message), a deal and two tasks to do."""
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    _marina, oleg = workspace.repo(Contact).add_many([
        Contact(client_id=client.id, name="Марина Орлова", role="CMO"),
        Contact(client_id=client.id, name="Олег Петров", role="CEO"),
    ])
    workspace.repo(Message).add(Message(client_id=client.id, contact_id=oleg.id,
                                        text="Пришлите акт за ноябрь",
                                        received_at=clock() - timedelta(hours=1)))
    workspace.repo(Deal).add(Deal(client_id=client.id, title="SEO на год",
                                  amount=Money(amount=Decimal(100_000))))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Макет главной", client_id=client.id, column="todo", position=1.0))
    tasks.add(Task(title="Метатеги", client_id=client.id, column="todo", position=2.0))
    return workspace


def titles(app: AmtuiApp, column: str) -> list[str]:
    board = app.screen.query_one(BoardView)
    return [entry.title for entry in board.column_of(column).entries if entry.card_id]


def question(app: AmtuiApp) -> str:
    assert isinstance(app.screen, ConfirmScreen)
    return str(app.screen.query_one("#confirm-question", Static).render())


def trashed(workspace: Workspace) -> list[tuple[str, str]]:
    return [(entry.source_table, entry.title) for entry in TrashBin(workspace).entries()]


async def test_x_on_the_board_asks_then_moves_the_task_to_the_trash_and_u_brings_it_back(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")  # To do, on «Макет главной»
        shown_before = list(base.repo(Task).all())
        await pilot.press("x")
        assert question(app) == "Move the task «Макет главной» to the trash?"
        await pilot.press("n")  # kept
        await settle(pilot)
        assert base.repo(Task).all() == shown_before and trashed(base) == []
        await pilot.press("x", "y")
        await settle(pilot)
        assert [task.title for task in base.repo(Task).all()] == ["Метатеги"]
        assert trashed(base) == [("tasks", "Макет главной")]
        assert titles(app, "todo") == ["Метатеги"]
        assert "«Макет главной» moved to the trash; u undoes" in [
            note.message for note in app._notifications]
        board = app.screen
        assert isinstance(board, BoardPane) and board.loads_shown == 1  # not read again
        await pilot.press("u")
        await settle(pilot)
        task = next(task for task in base.repo(Task).all() if task.title == "Макет главной")
        assert (task.column, task.position) == ("todo", 1.0)  # where it was
        assert titles(app, "todo") == ["Макет главной", "Метатеги"]
        assert trashed(base) == []


@pytest.mark.parametrize("pane", ["board", "today"])
async def test_shift_x_in_the_task_view_deletes_the_task(base: Workspace, pane: str) -> None:
    """From the board (its own saves) and from elsewhere (the app's)."""
    app = AmtuiApp(base, pane=pane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        task = next(task for task in base.repo(Task).all() if task.title == "Макет главной")
        if pane == "board":
            await pilot.press("l", "enter")
        else:
            app.open_record("tasks", task.id)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert "X Delete task" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("X")
        assert question(app) == "Move the task «Макет главной» to the trash?"
        await pilot.press("escape")  # kept, the task view still open
        assert isinstance(app.screen, TaskScreen) and base.repo(Task).find(task.id)
        await pilot.press("X", "y")
        await settle(pilot)
        assert not isinstance(app.screen, TaskScreen)
        assert base.repo(Task).find(task.id) is None
        assert trashed(base) == [("tasks", "Макет главной")]
        await pilot.press("4")
        await settle(pilot)
        assert titles(app, "todo") == ["Метатеги"]
        await pilot.press("u")
        if pane == "today":  # made in another pane: asked first
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
        await settle(pilot)
        assert base.repo(Task).get(task.id).column == "todo"
        assert titles(app, "todo") == ["Макет главной", "Метатеги"]


async def test_shift_x_on_the_client_card_deletes_a_contact_its_messages_stay_and_u_undoes(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        assert "X delete" in section(app, "contacts")
        await pilot.press("X")
        assert isinstance(app.screen, PickScreen)
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(index).prompt)
                for index in range(options.option_count)] == [
            "Марина Орлова · contact", "Олег Петров · contact",
            "SEO на год · proposal · RUB\u00a0100,000 · deal"]
        await pilot.press("down", "enter")
        assert question(app) == ("Move the contact «Олег Петров» to the trash? Their "
                                 "messages stay the client's.")
        await pilot.press("y")
        await settle(pilot)
        assert [contact.name for contact in base.repo(Contact).all()] == ["Марина Орлова"]
        assert trashed(base) == [("contacts", "Олег Петров")]
        assert "Олег Петров" not in section(app, "contacts")
        assert "Contacts (1)" in section(app, "contacts")
        (message,) = base.repo(Message).all()
        assert message.contact_id is None  # unlinked: it can still be answered
        message.status = MessageStatus.DONE
        base.repo(Message).update(message)
        await pilot.press("u")
        await settle(pilot)
        oleg = base.repo(Contact).where(name="Олег Петров")[0]
        assert base.repo(Message).get(message.id).contact_id == oleg.id  # linked again
        assert "Олег Петров · CEO" in section(app, "contacts")
        assert trashed(base) == []


async def test_a_deal_deleted_from_the_card_is_restored_from_the_trash(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("X", "end", "enter")
        assert question(app) == "Move the deal «SEO на год» to the trash?"
        await pilot.press("y")
        await settle(pilot)
        assert base.repo(Deal).all() == []
        assert "No deals yet" in section(app, "deals")
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, TrashScreen)
        table = app.screen.query_one("#trash-table", DataTable)
        (row,) = [[cell.plain if isinstance(cell, Text) else str(cell)
                   for cell in table.get_row_at(index)] for index in range(table.row_count)]
        assert row[2:] == ["deal", "SEO на год", "ООО «Ромашка»"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientCard)
        assert [deal.title for deal in base.repo(Deal).all()] == ["SEO на год"]
        assert "SEO на год · proposal" in section(app, "deals")
        assert trashed(base) == []


async def test_a_client_without_contacts_or_deals_says_so(workspace: Workspace) -> None:
    workspace.repo(Client).add(Client(name="Пустой"))
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, workspace)
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, ClientCard)
        assert "The client has no contacts or deals." in [
            note.message for note in app._notifications]


async def test_the_delete_keys_are_in_help_and_the_key_bar(base: Workspace) -> None:
    app = AmtuiApp(base, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert " x Delete " in str(app.screen.query_one(KeyBar).render())
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert ("x, del", "Delete") in app.screen.pane_keys
        await pilot.press("escape")
        await open_card(app, pilot, base)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert ("X", "Delete contact or deal") in app.screen.pane_keys


def test_amtui_delete_of_a_contact_unlinks_its_messages_and_restore_links_them(
        base: Workspace) -> None:
    """The service the CLI and the app share."""
    oleg = base.repo(Contact).where(name="Олег Петров")[0]
    (message,) = base.repo(Message).all()
    actions.delete(base, "contacts", oleg.id)
    assert base.repo(Message).get(message.id).contact_id is None
    (entry,) = TrashBin(base).entries()
    assert entry.unlinked == {"messages.contact_id": [message.id]}
    actions.restore(base, entry)
    assert base.repo(Message).get(message.id).contact_id == oleg.id


async def test_the_question_shows_a_hostile_title_as_text(workspace: Workspace) -> None:
    hostile = "[@click=app.quit]x[/] \x1b[31mred"
    workspace.repo(Task).add(Task(title=hostile, column="backlog"))
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert question(app) == f"Move the task «{visible(hostile)}» to the trash?"
        await pilot.press("n")
        assert app.is_running and workspace.repo(Task).all()[0].title == hostile
