"""The editors the client card and the task view open, driven by the keys a user presses:
deals (new, edit), a contact, a task's checklist."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from amtui.identity import os_user
from amtui.models import ChecklistItem, Client, Contact, Deal, Member, Money, Task
from amtui.services.board import add_checklist_item
from amtui.storage import Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.ask import PickScreen
from amtui.ui.client_card import ClientCard
from amtui.ui.client_forms import ContactForm
from amtui.ui.deal_forms import DealForm
from amtui.ui.task_screen import TaskScreen
from amtui.ui.widgets.choice import Choice


@pytest.fixture
def base(workspace: Workspace, clock: StillClock) -> Workspace:
    """«Ромашка» with two contacts and one deal; a task with a checklist."""
    me = workspace.repo(Member).add(Member(name="Анна Смирнова", login=os_user()))
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»", owner_id=me.id))
    clock.advance(minutes=1)
    workspace.repo(Contact).add_many([
        Contact(client_id=client.id, name="Марина Орлова", role="CMO"),
        Contact(client_id=client.id, name="Олег Петров", role="CEO"),
    ])
    workspace.repo(Deal).add(Deal(client_id=client.id, title="SEO на год", status="proposal",
                                  amount=Money(amount=Decimal(100_000))))
    workspace.repo(Task).add(Task(title="Макет главной", client_id=client.id,
                                  column=workspace.settings.columns[0],
                                  checklist=[ChecklistItem(text="Структура"),
                                             ChecklistItem(text="Черновик")]))
    return workspace


def section(app: AmtuiApp, name: str) -> str:
    return str(app.screen.query_one(f"#card-{name}", Static).render())


async def open_card(app: AmtuiApp, pilot: Pilot[None], workspace: Workspace) -> ClientCard:
    (client,) = workspace.repo(Client).all()
    app.open_record("clients", client.id)
    await settle(pilot)
    assert isinstance(app.screen, ClientCard)
    return app.screen


async def retype(pilot: Pilot[None], field: Input, text: str) -> None:
    """Empty a field and paste ``text`` into it, as a terminal delivers a paste."""
    field.focus()
    field.clear()
    field.post_message(events.Paste(text))
    await settle(pilot)


def error_of(screen: object, name: str) -> str:
    assert isinstance(screen, DealForm | ContactForm)
    return str(screen.query_one(f"#error-{name}", Static).render())


# deals

async def test_n_adds_a_deal_and_a_bad_amount_is_refused_with_nothing_stored(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("n", *"Контекст")
        form = app.screen
        assert isinstance(form, DealForm)
        assert form.query_one("#field-currency", Input).value == "RUB"
        await retype(pilot, form.query_one("#field-amount", Input), "12 апельсинов")
        await pilot.press("f2")
        await settle(pilot)
        assert "is not an amount" in error_of(form, "amount")
        assert app.screen is form
        assert base.repo(Deal).where(title="Контекст") == []
        await retype(pilot, form.query_one("#field-amount", Input), "250 000,50")
        form.query_one("#field-status").focus()
        await pilot.press("w")
        assert form.query_one("#field-status", Choice).value == "won"
        await retype(pilot, form.query_one("#field-signed_on", Input), "2026-11-20")
        await pilot.press("f2")
        await settle(pilot)
        (deal,) = base.repo(Deal).where(title="Контекст")
        assert deal.amount == Money(amount=Decimal("250000.50"))
        assert (deal.status, deal.signed_on) == ("won", date(2026, 11, 20))
        assert deal.owner_id == base.repo(Member).all()[0].id  # the user, by default
        assert isinstance(app.screen, ClientCard)
        assert "Контекст · won · RUB\u00a0250,000.50 · signed 20 Nov" in section(app, "deals")
        await pilot.press("u")
        await settle(pilot)
        assert base.repo(Deal).where(title="Контекст") == []
        assert "Контекст" not in section(app, "deals")


async def test_shift_d_edits_a_deal_and_paid_before_signed_is_refused(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("D")  # one deal: its form opens straight away
        form = app.screen
        assert isinstance(form, DealForm)
        assert form.query_one("#field-amount", Input).value == "100,000"
        await retype(pilot, form.query_one("#field-amount", Input), "120 000")
        await retype(pilot, form.query_one("#field-signed_on", Input), "2026-11-20")
        await retype(pilot, form.query_one("#field-paid_on", Input), "2026-11-01")
        await pilot.press("f2")
        await settle(pilot)
        assert "before the deal was signed" in error_of(form, "paid_on")
        (deal,) = base.repo(Deal).all()
        assert deal.amount.amount == 100_000 and deal.rev == 1
        await retype(pilot, form.query_one("#field-paid_on", Input), "2026-11-25")
        await pilot.press("f2")
        await settle(pilot)
        (deal,) = base.repo(Deal).all()
        assert deal.amount.amount == 120_000
        assert (deal.signed_on, deal.paid_on) == (date(2026, 11, 20), date(2026, 11, 25))
        assert "SEO на год · proposal · RUB\u00a0120,000 · signed 20 Nov · paid 25 Nov" in \
            section(app, "deals")
        await pilot.press("D")  # the days as they are typed, not ISO
        form = app.screen
        assert isinstance(form, DealForm)
        assert (form.query_one("#field-signed_on", Input).value,
                form.query_one("#field-paid_on", Input).value) == ("20.11.2026", "25.11.2026")


async def test_the_deal_owner_is_picked_by_typing_part_of_a_members_name(
        base: Workspace) -> None:
    boris = base.repo(Member).add(Member(name="Борис Ким"))
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("D")
        form = app.screen
        assert isinstance(form, DealForm)
        owner = form.query_one("#field-owner_id", Input)
        assert owner.value == ""  # the deal has no owner yet
        owner.focus()
        await pilot.press(*"бор")
        await settle(pilot)
        await pilot.press("enter")  # takes the first suggestion
        assert owner.value == "Борис Ким"
        await pilot.press("f2")
        await settle(pilot)
        (deal,) = base.repo(Deal).all()
        assert deal.owner_id == boris.id
        assert isinstance(app.screen, ClientCard)
        await pilot.press("n")  # a new deal is the user's by default
        new_form = app.screen
        assert isinstance(new_form, DealForm)
        assert new_form.query_one("#field-owner_id", Input).value == "Анна Смирнова"


async def test_a_deal_owned_by_someone_who_left_can_still_be_edited(
        base: Workspace) -> None:
    gone = base.repo(Member).add(Member(name="Ушедший Менеджер"))
    (deal,) = base.repo(Deal).all()
    base.repo(Deal).update(deal.model_copy(update={"owner_id": gone.id}))
    base.repo(Member).delete(gone.id)
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("D")
        form = app.screen
        assert isinstance(form, DealForm)
        assert form.query_one("#field-owner_id", Input).value == ""  # members only
        await retype(pilot, form.query_one("#field-amount", Input), "110 000")
        await pilot.press("f2")
        await settle(pilot)
        (deal,) = base.repo(Deal).all()
        assert (deal.amount.amount, deal.owner_id) == (110_000, None)  # a stored member only


async def test_the_deal_form_says_what_is_wrong_in_amtuis_own_words(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("D")
        form = app.screen
        assert isinstance(form, DealForm)
        await retype(pilot, form.query_one("#field-title", Input), "и" * 501)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is form
        assert error_of(form, "title") == "can be at most 500 characters long"
        shown = [str(problem.render()) for problem in form.query(".form-error").results(Static)]
        assert not [problem for problem in shown if "should" in problem]  # pydantic's words
        (deal,) = base.repo(Deal).all()
        assert deal.title == "SEO на год" and deal.rev == 1


async def test_shift_c_edits_the_contact_picked(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("C")
        assert isinstance(app.screen, PickScreen)
        await pilot.press("down", "enter")
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.query_one("#field-name", Input).value == "Олег Петров"
        await retype(pilot, form.query_one("#field-email", Input), "oleg@")
        await pilot.press("f2")
        await settle(pilot)
        assert "is not an e-mail address" in error_of(form, "email")
        assert base.repo(Contact).where(name="Олег Петров")[0].email == ""
        await retype(pilot, form.query_one("#field-email", Input), "oleg@romashka.example")
        await retype(pilot, form.query_one("#field-role", Input), "Генеральный директор")
        await pilot.press("f2")
        await settle(pilot)
        (oleg,) = base.repo(Contact).where(name="Олег Петров")
        assert (oleg.role, oleg.email) == ("Генеральный директор", "oleg@romashka.example")
        assert len(base.repo(Contact).all()) == 2
        assert "Олег Петров · Генеральный директор" in section(app, "contacts")
        assert "oleg@romashka.example" in section(app, "contacts")


# the task's checklist

def checklist_shown(app: AmtuiApp) -> list[str]:
    options = app.screen.query_one("#task-checklist", OptionList)
    return [str(options.get_option_at_index(index).prompt)
            for index in range(options.option_count)]


@pytest.mark.parametrize("pane", ["board", "today"])
async def test_the_checklist_is_edited_by_keyboard_and_u_undoes(base: Workspace,
                                                                pane: str) -> None:
    """From the board (its own saves) and from elsewhere (the app's)."""
    app = AmtuiApp(base, pane=pane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (task,) = base.repo(Task).all()
        if pane == "board":
            await pilot.press("enter")
        else:
            app.open_record("tasks", task.id)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        keys = str(app.screen.query_one("#key-bar", Static).render())
        for hint in ("Tick", "Add item", "Rename", "Remove"):
            assert hint in keys
        await pilot.press("a", "enter")  # nothing typed: refused, the dialog stays
        await settle(pilot)
        assert "Type the item's words" in str(app.screen.query_one("#ask-problem",
                                                                   Static).render())
        await pilot.press(*"Согласовать", "enter")
        await settle(pilot)
        assert [item.text for item in base.repo(Task).get(task.id).checklist] == [
            "Структура", "Согласовать", "Черновик"]
        assert checklist_shown(app) == ["☐ Структура", "☐ Согласовать", "☐ Черновик"]
        await pilot.press("space")  # the new item is highlighted
        await settle(pilot)
        assert [item.done for item in base.repo(Task).get(task.id).checklist] == [
            False, True, False]
        await pilot.press("e", "ctrl+u", *"Согласовать с клиентом", "enter")
        await settle(pilot)
        assert checklist_shown(app) == ["☐ Структура", "☑ Согласовать с клиентом",
                                        "☐ Черновик"]
        await pilot.press("down", "x")
        await settle(pilot)
        assert [item.text for item in base.repo(Task).get(task.id).checklist] == [
            "Структура", "Согласовать с клиентом"]
        assert checklist_shown(app) == ["☐ Структура", "☑ Согласовать с клиентом"]
        await pilot.press("u")
        await settle(pilot)
        assert [item.text for item in base.repo(Task).get(task.id).checklist] == [
            "Структура", "Согласовать с клиентом", "Черновик"]
        assert checklist_shown(app)[-1] == "☐ Черновик"


def notices(app: AmtuiApp) -> list[str]:
    return [str(notice.message) for notice in app._notifications]


async def test_enter_in_the_task_view_ticks_nothing_and_a_tick_says_which_way_it_went(
        base: Workspace) -> None:
    """Enter is not a checklist key (space is, as the key bar says): the Enter that opened
    the view and one more change nothing; space says "Unticked" when it unticks."""
    (task,) = base.repo(Task).all()
    base.repo(Task).update(task.model_copy(update={"checklist": [
        ChecklistItem(text="Структура", done=True), ChecklistItem(text="Черновик")]}))
    app = AmtuiApp(base, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")  # the board's Enter opens the task, then one more
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert [item.done for item in base.repo(Task).get(task.id).checklist] == [True, False]
        assert checklist_shown(app) == ["☑ Структура", "☐ Черновик"]
        await pilot.press("space")
        await settle(pilot)
        assert [item.done for item in base.repo(Task).get(task.id).checklist] == [False, False]
        assert checklist_shown(app) == ["☐ Структура", "☐ Черновик"]
        assert notices(app)[-1] == "Unticked"
        await pilot.press("u")
        await settle(pilot)
        assert [item.done for item in base.repo(Task).get(task.id).checklist] == [True, False]
        assert notices(app)[-1] == "Undone: checklist item of «Макет главной» unticked"
        await pilot.press("down", "space")
        await settle(pilot)
        assert [item.done for item in base.repo(Task).get(task.id).checklist] == [True, True]
        assert checklist_shown(app) == ["☑ Структура", "☑ Черновик"]
        assert notices(app)[-1] == "Ticked"


async def test_a_key_pressed_while_an_added_item_is_saved_acts_on_that_item(
        base: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """`a`, the words, Enter, then at once `e`: `e` renames the item just added (highlighted),
    not the one highlighted before, however long the save takes."""
    saving = threading.Event()

    def add_slowly(*args: Any, **kwargs: Any) -> Any:
        saving.wait(10)
        return add_checklist_item(*args, **kwargs)

    monkeypatch.setattr("amtui.ui.task_screen.add_checklist_item", add_slowly)
    (task,) = base.repo(Task).all()
    app = AmtuiApp(base)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_record("tasks", task.id)
        await settle(pilot)
        try:
            await pilot.press("a", *"Согласовать", "enter", "e")
            await pilot.pause()
        finally:
            saving.set()
        await settle(pilot)
        assert [item.text for item in base.repo(Task).get(task.id).checklist] == [
            "Структура", "Согласовать", "Черновик"]
        assert app.screen.query_one("#ask-answer", Input).value == "Согласовать"
        await pilot.press("ctrl+u", *"Согласовать с клиентом", "enter")
        await settle(pilot)
        assert [item.text for item in base.repo(Task).get(task.id).checklist] == [
            "Структура", "Согласовать с клиентом", "Черновик"]


async def test_the_deal_picker_shows_hostile_titles_literally(base: Workspace) -> None:
    (client,) = base.repo(Client).all()
    hostile = "[@click=app.quit]x[/] \x1b[31mred"
    base.repo(Deal).add(Deal(client_id=client.id, title=hostile,
                             amount=Money(amount=Decimal(5))))
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, base)
        await pilot.press("D")
        assert isinstance(app.screen, PickScreen)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(index).prompt)
                 for index in range(options.option_count)]
        assert any(line.startswith("[@click=app.quit]x[/] \\x1b[31mred · proposal · RUB\u00a05")
                   for line in shown)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientCard)
