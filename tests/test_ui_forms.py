"""The forms' kit, driven by the keys a user presses: the client picker (typos, no «», the other
keyboard layout, "new client…"), problems shown next to their field and in view at 80×24, Tab
that keeps the text, and ctrl+q from a form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from amtui.models import Client, ClientKind, Member, Message, Task
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.ask import PickScreen
from amtui.ui.confirm import ConfirmScreen
from amtui.ui.forms import FormScreen
from amtui.ui.picker import PickerField
from amtui.ui.widgets.choice import Choice


@pytest.fixture
def agency(workspace: Workspace, clock: StillClock) -> Workspace:
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова", login="anna"))
    clients = workspace.repo(Client)
    romashka = clients.add(Client(name="ООО «Ромашка»", owner_id=anna.id))
    clients.add(Client(name="Atlas Fitness", kind="b2c"))
    clients.add(Client(name="Зелёный Квартал"))
    workspace.repo(Message).add(Message(client_id=romashka.id, text="Когда будет макет?",
                                        received_at=clock()))
    return workspace


@asynccontextmanager
async def form(workspace: Workspace, pane: str, *keys: str, size: tuple[int, int] = (80, 24)
               ) -> AsyncIterator[tuple[AmtuiApp, Pilot[None]]]:
    """The app on ``pane``, with the form the ``keys`` open."""
    app = AmtuiApp(workspace, pane=pane)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        yield app, pilot


def suggestions(app: AmtuiApp) -> list[str]:
    matches = app.screen.query_one(PickerField).query_one(OptionList)
    return [str(matches.get_option_at_index(index).prompt)
            for index in range(matches.option_count)]


def client_id(workspace: Workspace, name: str) -> str:
    return workspace.repo(Client).resolve(name).id


async def test_the_client_picker_forgives_typos_quotes_and_the_other_layout(
        agency: Workspace) -> None:
    async with form(agency, "inbox", "n") as (app, pilot):
        assert app.screen.focused is app.screen.query_one("#field-client", Input)
        for typed, first in (("ооо ромашка", "ООО «Ромашка»"),  # no «» typed
                             ("hjvfirf", "ООО «Ромашка»"),  # «ромашка» in the English layout
                             ("зеленый кавртал", "Зелёный Квартал"),  # ё as е, a typo
                             ("федфы", "Atlas Fitness")):  # "atlas" in the Russian layout
            await pilot.press("ctrl+u", *typed)
            assert suggestions(app)[0] == first, typed
            assert suggestions(app)[-1] == "+ new client…"


async def test_a_client_picked_by_keys_is_the_one_saved(agency: Workspace) -> None:
    async with form(agency, "board", "n") as (app, pilot):
        await pilot.press(*"Макет", "tab", *"hjvfirf")
        await pilot.press("enter")  # takes the first suggestion, goes on to the department
        assert app.screen.query_one("#field-client", Input).value == "ООО «Ромашка»"
        assert app.screen.focused is app.screen.query_one("#field-department")
        await pilot.press("f2")
        await settle(pilot)
    (task,) = agency.repo(Task).all()
    assert (task.title, task.client_id) == ("Макет", client_id(agency, "ООО «Ромашка»"))


async def test_new_client_from_the_picker_logs_a_message_from_a_new_prospect(
        agency: Workspace) -> None:
    async with form(agency, "inbox", "n") as (app, pilot):
        message_form = app.screen
        await pilot.press(*"Кедр")
        assert suggestions(app) == ["+ new client…"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not message_form
        assert app.screen.query_one("#field-name", Input).value == "Кедр"
        await pilot.press("tab", "enter", "down", "enter", "f2")  # kind: B2C
        await settle(pilot)
        await wait_until(pilot, lambda: app.screen.focused is
                         message_form.query_one("#field-text", Input), "the message's text")
        assert app.screen is message_form
        assert message_form.query_one("#field-client", Input).value == "Кедр"
        await pilot.press(*"Нужен сайт", "f2")
        await settle(pilot)
    new = agency.repo(Client).resolve("Кедр")
    assert new.kind == ClientKind.B2C
    assert [(m.text, m.client_id) for m in agency.repo(Message).all()
            if m.text == "Нужен сайт"] == [("Нужен сайт", new.id)]


async def test_choices_are_made_with_arrows_letters_and_the_pick_list(
        agency: Workspace) -> None:
    async with form(agency, "inbox", "n") as (app, pilot):
        message_form = app.screen
        await pilot.press(*"Ромаш", "enter", *"Счёт?", "tab")
        kind = message_form.query_one("#field-kind", Choice)
        assert message_form.focused is kind
        assert str(kind.render()) == "‹ question ›"
        await pilot.press("c")  # the next kind starting with c
        assert str(kind.render()) == "‹ complaint ›"
        await pilot.press("tab", "enter")  # channel: the list to pick from
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("escape")  # leaves it as it was
        await settle(pilot)
        assert message_form.query_one("#field-channel", Choice).value == ""
        await pilot.press("enter", "down", "down", "enter")
        await settle(pilot)
        assert app.screen is message_form
        assert message_form.query_one("#field-channel", Choice).value == "whatsapp"
        await pilot.press("tab", "right", "right", "left", "tab", "space", "f2")
        await settle(pilot)
    (message,) = [m for m in agency.repo(Message).all() if m.text == "Счёт?"]
    assert (message.kind, message.channel, message.priority, message.direction) == (
        "complaint", "whatsapp", "high", "outgoing")


async def test_a_problem_at_80x24_is_shown_next_to_its_field_and_in_view(
        agency: Workspace) -> None:
    async with form(agency, "clients", "n") as (app, pilot):
        screen = app.screen
        assert screen.query_one("#form-title").region.y >= 0
        assert screen.region.contains_region(screen.query_one("#field-name").region)
        await pilot.press(*"Кедр")
        revenue = screen.query_one("#field-monthly_revenue", Input)
        revenue.focus()  # scrolled into view: the box's last line
        await settle(pilot)
        await pilot.press(*"много", "enter")
        await settle(pilot)
        problem = screen.query_one("#error-monthly_revenue", Static)
        assert "много" in str(problem.render())
        assert screen.focused is revenue
        box = screen.query_one("#form-box")
        for widget in (revenue, problem):
            assert widget.region.height > 0
            assert box.region.contains_region(widget.region), widget
            assert screen.region.contains_region(widget.region), widget
        assert problem.region.y == revenue.region.bottom  # right under its field
    assert "Кедр" not in [client.name for client in agency.repo(Client).all()]


async def test_tab_into_a_field_keeps_its_text_unselected(agency: Workspace) -> None:
    async with form(agency, "board", "n") as (app, pilot):
        await pilot.press(*"Макет", "tab", "shift+tab")
        title = app.screen.query_one("#field-title", Input)
        assert app.screen.focused is title
        assert title.selection.is_empty
        await pilot.press("x")
        assert title.value == "Макетx"


async def test_ctrl_q_quits_from_a_form(agency: Workspace) -> None:
    async with form(agency, "inbox", "n") as (app, pilot):
        assert "^q Quit" in str(app.screen.query_one("#key-bar", Static).render())
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None, "the app to quit")
    assert app.return_code == 0


async def test_a_member_is_picked_by_part_of_the_name(agency: Workspace) -> None:
    async with form(agency, "clients", "n") as (app, pilot):
        await pilot.press(*"Кедр")
        app.screen.query_one("#field-owner_id", Input).focus()
        await pilot.press("ctrl+u", *"fyyf")  # «анна» in the English layout
        assert suggestions(app) == ["Анна Смирнова"]  # members: nothing made here
        await pilot.press("enter", "f2")
        await settle(pilot)
    (anna,) = agency.repo(Member).all()
    assert agency.repo(Client).resolve("Кедр").owner_id == anna.id


# typed changes are never thrown away without asking

def question(app: AmtuiApp) -> str:
    assert isinstance(app.screen, ConfirmScreen), app.screen
    return str(app.screen.query_one("#confirm-question", Static).render())


async def test_esc_in_a_form_with_changes_asks_before_throwing_them_away(
        agency: Workspace) -> None:
    async with form(agency, "board", "n") as (app, pilot):
        await pilot.press("escape")  # nothing typed: closed at once
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmScreen)
        await pilot.press("n", *"Важная задача", "escape")
        await settle(pilot)
        assert question(app) == "Discard your changes?"
        await pilot.press("n")  # keep editing: the form as it was
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-title", Input).value == "Важная задача"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmScreen)
    assert agency.repo(Task).all() == []


async def test_esc_in_an_edit_form_asks_only_once_something_was_changed(
        agency: Workspace) -> None:
    task = agency.repo(Task).add(Task(
        title="Макет", client_id=client_id(agency, "ООО «Ромашка»"), assignee="Анна Смирнова",
        column=agency.settings.columns[0], due=date(2026, 12, 24)))
    async with form(agency, "board", "e") as (app, pilot):
        await pilot.press("escape")  # the task's own values, the pickers' too: no question
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmScreen)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-due", Input).focus()
        await pilot.press("ctrl+u", *"+3d", "escape")
        await settle(pilot)
        assert question(app) == "Discard your changes?"
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmScreen)
    assert agency.repo(Task).get(task.id).due == date(2026, 12, 24)


async def test_ctrl_q_from_a_form_with_changes_asks_before_quitting(agency: Workspace) -> None:
    async with form(agency, "board", "n") as (app, pilot):
        await pilot.press(*"Важная задача", "ctrl+q")
        await settle(pilot)
        assert question(app) == "Quit amtui and discard your changes?"
        await pilot.press("n")
        await settle(pilot)
        assert app.return_code is None
        assert app.screen.query_one("#field-title", Input).value == "Важная задача"
        await pilot.press("ctrl+q", "ctrl+q")  # asked, and answered with ctrl+q again
        await wait_until(pilot, lambda: app.return_code is not None, "the app to quit")
    assert agency.repo(Task).all() == []


# problems and suggestions that are out of date go

async def test_a_pickers_problem_goes_once_a_client_is_taken_or_made(agency: Workspace) -> None:
    async with form(agency, "inbox", "n") as (app, pilot):
        screen = app.screen
        problem = screen.query_one("#error-client", Static)
        await pilot.press("f2")
        await settle(pilot)
        assert "take one from the list" in str(problem.render())
        await pilot.press(*"Ромаш", "enter")  # the first suggestion taken
        await settle(pilot)
        assert not problem.has_class("-shown")
        client = screen.query_one("#field-client", Input)
        client.focus()
        client.value = ""
        await pilot.press(*"Кедр", "f2")
        await settle(pilot)
        assert "no client matches «Кедр»" in str(problem.render())
        await pilot.press("enter")  # "new client…": the small client form
        await settle(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.screen is screen
                         and screen.query_one("#field-client", Input).value == "Кедр",
                         "the new client taken")
        assert not problem.has_class("-shown")
        assert str(problem.render()) == ""


async def test_a_fields_problem_goes_once_its_value_is_right(agency: Workspace) -> None:
    async with form(agency, "board", "n") as (app, pilot):
        screen = app.screen
        await pilot.press(*"Макет")
        screen.query_one("#field-due", Input).focus()
        await pilot.press(*"когда-нибудь", "f2")
        await settle(pilot)
        problem = screen.query_one("#error-due", Static)
        assert "когда-нибудь" in str(problem.render())
        await pilot.press("!")  # still no day: the problem stays, as it was
        await settle(pilot)
        assert problem.has_class("-shown") and "когда-нибудь" in str(problem.render())
        await pilot.press("ctrl+u", *"tomorrow")
        await settle(pilot)
        assert not problem.has_class("-shown")
    assert agency.repo(Task).all() == []


async def test_suggestions_close_when_tab_leaves_the_field(agency: Workspace) -> None:
    async with form(agency, "board", "n") as (app, pilot):
        screen = app.screen
        screen.query_one("#field-assignee", Input).focus()
        await pilot.press(*"Ан")
        await settle(pilot)
        assignee = screen.query_one("#field-assignee", Input).parent
        assert isinstance(assignee, PickerField)
        assert assignee.has_class("-matching")
        assert "Анна Смирнова" in [
            str(option.prompt) for option in assignee.query_one(OptionList).options]
        await pilot.press("tab")
        await settle(pilot)
        assert screen.focused is screen.query_one("#field-due", Input)
        assert not assignee.has_class("-matching")
        assert not assignee.query_one(OptionList).display


async def test_new_client_asks_before_making_one_esc_goes_back_and_undo_removes_it(
        agency: Workspace) -> None:
    """Enter on "+ new client…" opens a small form with the name typed (nothing stored yet);
    Esc goes back to the picker, the text and its suggestions kept; the name can be mended
    there or in the form, whose Enter makes the client and takes it; u removes it."""
    from amtui.ui.confirm import ConfirmScreen
    from conftest import snapshot_files

    async with form(agency, "inbox", "n") as (app, pilot):
        message_form = app.screen
        picker_input = message_form.query_one("#field-client", Input)
        files = snapshot_files(agency.root)
        await pilot.press(*"Кедп")  # a typo
        assert suggestions(app) == ["+ new client…"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not message_form and isinstance(app.screen, FormScreen)
        name = app.screen.query_one("#field-name", Input)
        assert name.value == "Кедп" and name.has_focus
        assert snapshot_files(agency.root) == files  # nothing made by that Enter
        await pilot.press("escape")  # back to the picker
        await settle(pilot)
        assert app.screen is message_form and picker_input.has_focus
        assert picker_input.value == "Кедп" and suggestions(app) == ["+ new client…"]
        assert snapshot_files(agency.root) == files
        await pilot.press("enter")
        await settle(pilot)
        name = app.screen.query_one("#field-name", Input)
        await pilot.press("backspace", "р", "enter")  # the name mended, Enter confirms
        await wait_until(pilot, lambda: app.screen is message_form, "back in the message form")
        await settle(pilot)
        assert [client.name for client in agency.repo(Client).all()
                if client.name.startswith("Кед")] == ["Кедр"]
        assert picker_input.value == "Кедр"
        made = agency.repo(Client).resolve("Кедр").id
        assert message_form.query_one(PickerField).record_id == made
        await pilot.press("escape", "y")  # the message not logged (its client was chosen)
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmScreen)
        await pilot.press("u")
        await wait_until(pilot, lambda: agency.repo(Client).find(made) is None, "undone")
