"""The Inbox shown again after changes made elsewhere: the table shows the new state, drawn,
with the cursor on the message it was on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

from amtui.models import Client, Message, Priority
from amtui.models.work import MessageStatus
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.panes.inbox import InboxPane


def answer_column(app: AmtuiApp) -> list[str]:
    table = app.screen.query_one("#records", DataTable)
    return [cell.plain if isinstance(cell, Text) else str(cell)
            for cell in table.get_column_at(1)]


async def change_elsewhere(pilot: Pilot[None], workspace_path: Path, clock: StillClock,
                           text: str, **update: object) -> None:
    """On the Clients pane, half an hour later, another process changes a message."""
    await pilot.press("3")
    await settle(pilot)
    clock.advance(minutes=30)
    other = Workspace.open(workspace_path, clock=clock)
    (message,) = [m for m in other.repo(Message).all() if m.text == text]
    other.repo(Message).update(message.model_copy(update=update))
    pilot.app.look_for_changes()  # as its timer does
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, InboxPane)


async def test_back_to_the_inbox_the_countdowns_and_a_change_show_and_the_cursor_stays(
        workspace: Workspace, workspace_path: Path, clock: StillClock) -> None:
    now = clock()
    client = workspace.repo(Client).add(Client(name="Atlas Fitness"))
    for hours, text in ((3, "Лендинг"), (5, "Макет"), (7, "Счёт")):
        workspace.repo(Message).add(Message(
            client_id=client.id, text=text, received_at=now - timedelta(hours=10 - hours),
            answer_by=now + timedelta(hours=hours)))
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#records", DataTable)
        await pilot.press("down")
        assert answer_column(app) == ["7h00", "5h00", "3h00"]
        assert table.cursor_row == 1

        # the countdowns move on, every cell as wide as before
        await change_elsewhere(pilot, workspace_path, clock, "Счёт", priority=Priority.LOW)
        await wait_until(pilot, lambda: answer_column(app)[1] == "4h30", "the countdowns")
        assert answer_column(app) == ["6h30", "4h30", "2h30"]
        assert table.cursor_row == 1
        drawn = app.export_screenshot()
        assert "6h30" in drawn and "2h30" in drawn and "5h00" not in drawn

        # a message answered: its countdown goes, the column's width may change
        await change_elsewhere(pilot, workspace_path, clock, "Счёт",
                               status=MessageStatus.DONE)
        await wait_until(pilot, lambda: answer_column(app)[0] == "", "the answered message")
        assert answer_column(app) == ["", "4h00", "2h00"]
        assert table.cursor_row == 1
        assert "Макет" in str(app.screen.query_one("#inbox-preview").render())
        drawn = app.export_screenshot()
        assert "4h00" in drawn and "2h00" in drawn and "4h30" not in drawn
        assert "done" in drawn


async def test_a_change_to_no_message_keeps_the_rows_read_and_moves_the_countdowns_on(
        workspace: Workspace, workspace_path: Path, clock: StillClock) -> None:
    """A task saved elsewhere changes no message: the Inbox keeps the rows it read (not every
    message looked up and let go of again), and its countdowns still move on."""
    from amtui.models import Task

    now = clock()
    client = workspace.repo(Client).add(Client(name="Atlas Fitness"))
    workspace.repo(Message).add(Message(client_id=client.id, text="Лендинг",
                                        received_at=now, answer_by=now + timedelta(hours=3)))
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, InboxPane)
        rows, loads = pane.all_rows, pane.loads_shown
        assert answer_column(app) == ["3h00"]
        clock.advance(minutes=30)
        other = Workspace.open(workspace_path, clock=clock)
        other.repo(Task).add(Task(title="Макет", client_id=client.id))
        app.look_for_changes()  # as its timer does
        await wait_until(pilot, lambda: pane.loads_shown > loads, "the Inbox read again")
        await settle(pilot)
        assert pane.all_rows is rows
        assert answer_column(app) == ["2h30"]
        assert "2h30" in app.export_screenshot()
        # a message changed: read and shown anew
        (message,) = other.repo(Message).all()
        other.repo(Message).update(message.model_copy(update={"text": "Лендинг к акции"}))
        app.look_for_changes()
        await wait_until(pilot, lambda: pane.all_rows is not rows, "the changed message")
        await settle(pilot)
        table = app.screen.query_one("#records", DataTable)
        assert str(table.get_cell_at((0, 5))).startswith("Лендинг к акции")
