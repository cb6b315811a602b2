"""Member fields are pickers, driven by the keys a user presses: the Inbox's "Assign to", the
task form's and the board filter's assignee (a task keeps the member's name), typed with a
typo or in the other keyboard layout."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from amtui.models import Client, Member, Message, Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.forms import FilterForm, FormScreen
from amtui.ui.picker import PickerField, PickerScreen
from amtui.ui.widgets.cards import BoardView


@pytest.fixture
def team(workspace: Workspace, clock: StillClock) -> Workspace:
    """Three members; a message assigned to nobody; a task of Ольга's and one of Лена's,
    who is no member (a name typed freely)."""
    members = workspace.repo(Member)
    for name in ("Ольга Лебедева", "Пётр Козлов", "Анна Смирнова"):
        members.add(Member(name=name))
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    workspace.repo(Message).add(Message(client_id=client.id, text="Когда будет макет?",
                                        received_at=clock() - timedelta(hours=1)))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Баннер", column="todo", position=1.0, assignee="Ольга Лебедева"))
    tasks.add(Task(title="Тексты", column="todo", position=2.0, assignee="Лена"))
    return workspace


@asynccontextmanager
async def on(workspace: Workspace, pane: str) -> AsyncIterator[tuple[AmtuiApp, Pilot[None]]]:
    app = AmtuiApp(workspace, pane=pane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        yield app, pilot


def suggestions(app: AmtuiApp, field: str = "") -> list[str]:
    picker = (app.screen.query_one(f"#{field}").parent if field
              else app.screen.query_one(PickerField))
    assert isinstance(picker, PickerField)
    matches = picker.query_one(OptionList)
    if not picker.has_class("-matching"):
        return []
    return [str(matches.get_option_at_index(index).prompt)
            for index in range(matches.option_count)]


def member_id(workspace: Workspace, name: str) -> str:
    return workspace.repo(Member).resolve(name).id


def assignee_id(workspace: Workspace) -> str | None:
    (message,) = workspace.repo(Message).all()
    return message.assignee_id


async def test_assign_to_finds_a_member_typed_in_the_other_layout(team: Workspace) -> None:
    async with on(team, "inbox") as (app, pilot):
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        # Everyone is listed before anything is typed, "nobody" (the message's now) first.
        assert suggestions(app) == ["nobody", "Анна Смирнова", "Ольга Лебедева",
                                    "Пётр Козлов"]
        await pilot.press(*"rjpkjd")  # «козлов» in the English layout
        assert suggestions(app)[0] == "Пётр Козлов"
        await pilot.press("enter")
        await settle(pilot)
        assert assignee_id(team) == member_id(team, "Пётр Козлов")
        assert not isinstance(app.screen, PickerScreen)

        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"лебедва")  # a letter left out
        assert suggestions(app)[0] == "Ольга Лебедева"
        await pilot.press("enter")
        await settle(pilot)
        assert assignee_id(team) == member_id(team, "Ольга Лебедева")

        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"nob", "enter")  # unassigned
        await settle(pilot)
        assert assignee_id(team) is None


async def test_assign_to_says_when_nobody_matches_and_esc_changes_nothing(
        team: Workspace) -> None:
    async with on(team, "inbox") as (app, pilot):
        await pilot.press("m", *"zzzz", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert "no member matches «zzzz»" in str(
            app.screen.query_one("#picker-problem").render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PickerScreen)
        assert assignee_id(team) is None


async def test_the_task_form_takes_a_member_by_a_typo_and_keeps_a_free_name(
        team: Workspace) -> None:
    async with on(team, "board") as (app, pilot):
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Макет", "tab", "tab", "tab", *"kt,tltdf")  # «лебедева», English
        assert suggestions(app, "field-assignee")[0] == "Ольга Лебедева"
        await pilot.press("ctrl+u", *"козлв")  # a letter left out
        assert suggestions(app, "field-assignee")[0] == "Пётр Козлов"
        await pilot.press("enter")  # takes it, on to the due date
        assert app.screen.query_one("#field-assignee", Input).value == "Пётр Козлов"
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen.query_one(BoardView), BoardView)
        made = team.repo(Task).where(title="Макет")
        assert [task.assignee for task in made] == ["Пётр Козлов"]  # the name, as stored

        # A name that is nobody's on the team is kept as typed, as before.
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Шрифты", "tab", "tab", "tab", *"Вася из дизайна", "f2")
        await settle(pilot)
        assert [task.assignee for task in team.repo(Task).where(title="Шрифты")] == [
            "Вася из дизайна"]

        # A name typed in full is kept as typed even when it is the start of a member's
        # name: never the near match (which would store someone else).
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Логотип", "tab", "tab", "tab", *"Анна", "f2")
        await settle(pilot)
        assert [task.assignee for task in team.repo(Task).where(title="Логотип")] == ["Анна"]


async def test_editing_a_task_keeps_its_free_assignee(team: Workspace) -> None:
    async with on(team, "board") as (app, pilot):
        await pilot.press("l", "j")  # to-do, its second card
        await settle(pilot)
        await pilot.press("e")  # Тексты, assigned to Лена
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-assignee", Input).value == "Лена"
        await pilot.press("ctrl+u", *"Тексты v2", "f2")
        await settle(pilot)
        assert [task.assignee for task in team.repo(Task).where(title="Тексты v2")] == ["Лена"]


async def test_the_board_filter_finds_the_assignee_by_part_of_a_name(team: Workspace) -> None:
    async with on(team, "board") as (app, pilot):
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, FilterForm)
        await pilot.press("tab", "tab", *"Лебед")  # client, department, assignee
        assert suggestions(app, "field-assignee") == ["Ольга Лебедева"]
        await pilot.press("f2")  # the only match
        await settle(pilot)
        board = app.screen.query_one(BoardView)
        assert [entry.title for entry in board.column_of("todo").entries
                if entry.card_id] == ["Баннер"]

        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("tab", "tab", "ctrl+u", *"kt")  # «ле» in the English layout
        assert suggestions(app, "field-assignee")[:2] == ["Лена", "Ольга Лебедева"]
        await pilot.press("enter", "f2")  # Лена, a name only a task has
        await settle(pilot)
        board = app.screen.query_one(BoardView)
        assert [entry.title for entry in board.column_of("todo").entries
                if entry.card_id] == ["Тексты"]
