"""The Clients pane, driven by the keys a user presses: filters, search, the client card,
the client and contact forms, conflicts, delete and undo, hostile text."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from amtui.identity import os_user
from amtui.models import Client, Contact, Deal, Member, Message, Money, Task
from amtui.storage import TrashBin, Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.client_card import ClientCard
from amtui.ui.client_forms import ClientForm, ContactForm
from amtui.ui.conflict import ConflictScreen
from amtui.ui.forms import FilterForm
from amtui.ui.widgets.choice import Choice
from conftest import snapshot_files

HOSTILE = "[@click=app.quit]x[/] \x1b[31mred\x1b[0m"
HOSTILE_SHOWN = "[@click=app.quit]x[/] \\x1b[31mred\\x1b[0m"


@pytest.fixture
def base(workspace: Workspace, clock: StillClock) -> Workspace:
    """Three clients; «Ромашка» has a contact, a message three days old, a task and deals."""
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова", login=os_user()))
    igor = workspace.repo(Member).add(Member(name="Игорь Волков"))
    clients = workspace.repo(Client)
    romashka = clients.add(Client(
        name="ООО «Ромашка»", owner_id=anna.id, key_account=True, tags=["vip"],
        timezone="Asia/Yekaterinburg", cadence="weekly", stage="strategic",
        monthly_revenue=Decimal(1_200_000), cost_to_serve=Decimal(300_000),
        industry="e-commerce", preferred_channel="telegram"))
    clients.add(Client(name="Зелёный Квартал", kind="b2c", status="dormant", owner_id=igor.id,
                       tags=["retail"]))
    clients.add(Client(name="Pixel Forge", status="lead"))
    clock.advance(minutes=10)
    workspace.repo(Contact).add(Contact(client_id=romashka.id, name="Марина Орлова",
                                        role="CMO", influence="decision_maker"))
    clock.advance(minutes=10)
    workspace.repo(Message).add(Message(client_id=romashka.id, text="Когда будет макет?",
                                        received_at=clock() - timedelta(days=3)))
    clock.advance(minutes=10)
    workspace.repo(Task).add(Task(title="Макет главной", client_id=romashka.id,
                                  department="design"))
    clock.advance(minutes=10)
    workspace.repo(Deal).add_many([
        Deal(client_id=romashka.id, title="SEO на год", status="won",
             amount=Money(amount=Decimal(100_000))),
        Deal(client_id=romashka.id, title="Export site", status="won",
             amount=Money(amount=Decimal(2_000), currency="USD")),
        Deal(client_id=romashka.id, title="SMM", status="proposal",
             amount=Money(amount=Decimal(50_000))),
    ])
    return workspace


def names_listed(app: AmtuiApp) -> list[str]:
    table = app.screen.query_one("#records", DataTable)
    first = [table.get_row_at(row)[0] for row in range(table.row_count)]
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in first]


def list_status(app: AmtuiApp) -> str:
    return str(app.screen.query_one("#list-status", Static).render())


def shown_text(app: AmtuiApp) -> str:
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


def section(app: AmtuiApp, name: str) -> str:
    return str(app.screen.query_one(f"#card-{name}", Static).render())


async def open_card(app: AmtuiApp, pilot: Pilot[None], name: str) -> ClientCard:
    app.screen.query_one("#records", DataTable).move_cursor(row=names_listed(app).index(name))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ClientCard)
    return app.screen


async def retype(pilot: Pilot[None], field: Input, text: str) -> None:
    """Empty a field and paste ``text`` into it: one event as a terminal delivers a paste,
    where a key per character would make these tests several times slower."""
    field.focus()
    field.clear()
    field.post_message(events.Paste(text))
    await settle(pilot)


# the list: search and filters

async def test_search_is_case_insensitive_any_order_and_reads_yo_as_ye(
        base: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("amtui.ui.panes.clients.MAX_ROWS", 2)
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert names_listed(app) == ["Pixel Forge", "Зелёный Квартал"]  # the first two
        assert "first 2 of 3 found, 3 in all · / to search the list" in list_status(app)
        await pilot.press("slash", *"РОМАШКА ооо")
        await settle(pilot)
        assert names_listed(app) == ["ООО «Ромашка»"]
        assert "1 of 3" in list_status(app)
        assert isinstance(app.screen.focused, Input)  # letters typed in, no binding fired
        await retype(pilot, app.screen.query_one("#search", Input), "зеленый")
        await settle(pilot)
        assert names_listed(app) == ["Зелёный Квартал"]
        await retype(pilot, app.screen.query_one("#search", Input), "смирнова vip")
        await settle(pilot)
        assert names_listed(app) == ["ООО «Ромашка»"]  # the owner's name and a tag


async def test_filters_by_keyboard_and_clearing_them(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FilterForm)
        await pilot.press("enter", "d", "enter", "f2")  # status: dormant
        await settle(pilot)
        assert names_listed(app) == ["Зелёный Квартал"]
        assert "1 of 3 · dormant" in list_status(app)
        await pilot.press("f", "f3")  # clear all
        await settle(pilot)
        assert len(names_listed(app)) == 3
        # owner: "смирнова" typed in the English layout, taken from the list;
        # key account: only key accounts
        await pilot.press("f", "tab", *"cvbhyjdf")
        await settle(pilot)
        assert "Анна Смирнова" in str(app.screen.query_one("PickerField OptionList")
                                      .get_option_at_index(0).prompt)
        await pilot.press("enter", "tab", "enter", "down", "enter", "f2")
        await settle(pilot)
        assert names_listed(app) == ["ООО «Ромашка»"]
        assert "key accounts · owner Анна Смирнова" in list_status(app)
        await pilot.press("F")
        await settle(pilot)
        assert len(names_listed(app)) == 3 and "Анна" not in list_status(app)


async def test_statuses_are_said_in_the_language_in_use(base: Workspace) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#records", DataTable)
        statuses = {str(table.get_row_at(row)[0]): str(table.get_row_at(row)[1])
                    for row in range(table.row_count)}
        assert statuses == {"ООО «Ромашка»": "активный", "Зелёный Квартал": "спящий",
                            "Pixel Forge": "лид"}
        await pilot.press("f", "enter", "с", "enter", "f2")  # status: «спящий», by its letter
        await settle(pilot)
        assert "· спящий" in list_status(app)


async def test_filters_by_kind_tag_and_nobody(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen
        await pilot.press("f")
        app.screen.query_one("#field-kind").focus()
        await pilot.press("enter", "down", "down", "enter")  # B2C
        app.screen.query_one("#field-tag").focus()
        await pilot.press("enter", "down", "enter", "f2")  # retail (then vip)
        await settle(pilot)
        assert app.screen is pane
        assert names_listed(app) == ["Зелёный Квартал"]
        assert "B2C · tag retail" in list_status(app)
        await pilot.press("F", "f")
        app.screen.query_one("#field-owner_id").focus()
        await pilot.press("down", "enter", "f2")  # ↓ lists "nobody" first
        await settle(pilot)
        assert names_listed(app) == ["Pixel Forge"]
        await pilot.press("f", "escape")  # cancelling keeps the filter
        assert names_listed(app) == ["Pixel Forge"]


# the card

async def test_the_card_at_a_fixed_moment(base: Workspace, workspace_path: Path,
                                          clock: StillClock) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        card = await open_card(app, pilot, "ООО «Ромашка»")
        assert not card.has_class("-wide")
        company = section(app, "company")
        for expected in ("B2B · company", "Анна Смирнова", "strategic", "yes ★", "vip",
                         "e-commerce", "RUB\u00a01,200,000", "RUB\u00a0300,000", "4.0×"):
            assert expected in company
        # 09:40 UTC on Thursday is 14:40 in Yekaterinburg: within 10:00-19:00
        reach = section(app, "reach")
        assert "Telegram" in reach and "Thu 14:40 · Asia/Yekaterinburg (UTC+05:00)" in reach
        assert "working now" in reach and "not working" not in reach
        # last contact three days before, in the agency's time (Moscow); next one a week on
        updates = section(app, "updates")
        assert "23.11 12:20 · 3 d ago" in updates
        assert "30.11 12:20 · in 3 d" in updates
        contacts = section(app, "contacts")
        assert "Марина Орлова · CMO · decision maker" in contacts
        deals = section(app, "deals")
        assert "won         RUB\u00a0100,000 · $2,000" in deals
        assert "proposal    RUB\u00a050,000" in deals
        assert "all deals   RUB\u00a0150,000 · $2,000" in deals
        timeline = section(app, "timeline").splitlines()
        assert timeline[0] == "Timeline (7)"  # 3 deals, task, message, 2 created
        order = [line.strip() for line in timeline[2::2]]
        assert order.index("SEO на год") < order.index("Макет главной") < order.index(
            "Марина Орлова") < order.index("Когда будет макет?")  # newest first
        # when, as the rest of the app says it, in the agency's zone (Moscow)
        assert timeline[1].startswith("today 12:40  deal")
        assert timeline[-2].startswith("23.11 12:20  message")
        # another process logs a call: the open card shows it
        other = Workspace.open(workspace_path, clock=clock)
        romashka = other.repo(Client).where(name="ООО «Ромашка»")[0]
        other.repo(Message).add(Message(client_id=romashka.id, text="Созвонились",
                                        direction="outgoing", kind="call",
                                        received_at=clock()))
        app.look_for_changes()
        await settle(pilot)
        assert app.screen is card
        assert section(app, "timeline").splitlines()[2].strip() == "Созвонились"
        timeline = section(app, "timeline").splitlines()
        assert timeline[1].startswith("today 12:40  message · outgoing · call")
        assert "today 12:40 · 1 min ago" in section(app, "updates")


async def test_next_update_overdue_and_local_time_after_hours(base: Workspace,
                                                              clock: StillClock) -> None:
    clock.advance(days=5, hours=5)  # Tuesday 14:40 UTC: 19:40 in Yekaterinburg
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, "ООО «Ромашка»")
        assert "Tue 19:40" in section(app, "reach")
        assert "not working now" in section(app, "reach")
        assert "overdue by 29 h" in section(app, "updates")  # due Monday 09:20 UTC


async def test_the_card_uses_two_columns_when_wide_and_scrolls_when_small(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        card = await open_card(app, pilot, "ООО «Ромашка»")
        assert card.has_class("-wide")
        main = card.query_one("#card-main")
        history = card.query_one("#card-history")
        assert main.region.y == history.region.y and history.region.x > main.region.right - 1
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not card.has_class("-wide")
        body = card.query_one("#card-body")
        assert body.max_scroll_y > 0 and card.focused is body
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y > 0
        await pilot.press("escape")
        assert not isinstance(app.screen, ClientCard)


# forms

async def test_create_a_client_after_fixing_what_the_form_refused(
        base: Workspace, workspace_path: Path) -> None:
    stored = snapshot_files(workspace_path)
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, ClientForm)
        await pilot.press(*"ИП Кузнецова")
        await retype(pilot, form.query_one("#field-timezone", Input), "Mars/Olympus")
        await retype(pilot, form.query_one("#field-monthly_revenue", Input), "12abc")
        await retype(pilot, form.query_one("#field-working_hours", Input), "19:00-10:00")
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is form
        errors = {name: str(form.query_one(f"#error-{name}", Static).render())
                  for name in ("timezone", "monthly_revenue", "working_hours", "name")}
        assert "unknown time zone 'Mars/Olympus'" in errors["timezone"]
        assert "«12abc» is not an amount" in errors["monthly_revenue"]
        assert "must start before they end" in errors["working_hours"]
        assert errors["name"] == ""
        assert form.query_one("#field-name", Input).value == "ИП Кузнецова"
        assert form.query_one("#field-monthly_revenue", Input).value == "12abc"
        assert app.focused is form.query_one("#field-timezone")  # the first wrong field
        assert snapshot_files(workspace_path) == stored

        await retype(pilot, form.query_one("#field-timezone", Input), "asia/novosibirsk")
        await retype(pilot, form.query_one("#field-monthly_revenue", Input), "1 200 000,50")
        await retype(pilot, form.query_one("#field-working_hours", Input), "9:00-18:00 пн-пт")
        await retype(pilot, form.query_one("#field-industry", Input), "beauty")
        await retype(pilot, form.query_one("#field-tags", Input), "vip, салон")
        form.query_one("#field-kind").focus()
        await pilot.press("enter", "down", "enter")  # B2C
        await pilot.press("f2")
        await settle(pilot)
        assert not isinstance(app.screen, ClientForm)
        (client,) = base.repo(Client).where(name="ИП Кузнецова")
        assert client.kind == "b2c" and client.industry == "beauty"
        assert client.timezone == "Asia/Novosibirsk"
        assert client.monthly_revenue == Decimal("1200000.50")
        assert client.working_hours.start.hour == 9
        assert client.tags == ["vip", "салон"]
        anna = base.repo(Member).where(name="Анна Смирнова")[0]
        assert client.owner_id == anna.id  # the member who is working
        assert "ИП Кузнецова" in names_listed(app)
        await pilot.press("u")
        await settle(pilot)
        assert base.repo(Client).where(name="ИП Кузнецова") == []


def notices(app: AmtuiApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_a_new_client_of_the_same_name_is_saved_with_a_warning(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"ромашка", "f2")
        await settle(pilot)
        assert not isinstance(app.screen, ClientForm)
        assert len(base.repo(Client).where(name="ромашка")) == 1  # not refused
        (warning,) = [note for note in app._notifications if note.severity == "warning"]
        assert warning.message == ("A client of the same name was there already: "
                                   "«ООО «Ромашка»».")
        assert not warning.markup
        await pilot.press("n", *"Pixel", "f2")
        await settle(pilot)
        assert len([note for note in app._notifications if note.severity == "warning"]) == 1


async def test_a_client_made_from_a_picker_warns_of_the_same_name_too(base: Workspace) -> None:
    app = AmtuiApp(base, pane="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        task_form = app.screen
        await pilot.press(*"Макет", "tab", *"ромашка")
        matches = task_form.query_one("PickerField OptionList", OptionList)
        assert str(matches.get_option_at_index(matches.option_count - 1).prompt) == (
            "+ new client…")
        await pilot.press(*["down"] * matches.option_count, "enter")  # "new client…"
        await settle(pilot)
        assert app.screen.query_one("#field-name", Input).value == "ромашка"
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is task_form
        assert len(base.repo(Client).where(name="ромашка")) == 1
        assert ("A client of the same name was there already: «ООО «Ромашка»»."
                in notices(app))


async def test_the_form_refuses_an_impossible_revenue(
        base: Workspace, workspace_path: Path) -> None:
    """10^29 was stored once, and the pane could not show it: the model bounds it now."""
    stored = snapshot_files(workspace_path)
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, ClientForm)
        await pilot.press(*"Big")
        await retype(pilot, form.query_one("#field-monthly_revenue", Input),
                     "100 000 000 000 000 000 000 000 000 000")
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#error-monthly_revenue", Static).render())
        assert "too large" in error
        assert snapshot_files(workspace_path) == stored


async def test_the_form_says_what_is_wrong_in_amtuis_own_words(
        base: Workspace, workspace_path: Path) -> None:
    stored = snapshot_files(workspace_path)
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, ClientForm)
        await pilot.press(*"Клиент")
        await retype(pilot, form.query_one("#field-industry", Input), "и" * 501)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#error-industry", Static).render())
        assert error == "can be at most 500 characters long"  # not "String should have…"
        assert snapshot_files(workspace_path) == stored


async def test_edit_from_the_card_and_an_empty_name_is_refused(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, "Pixel Forge")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ClientForm)
        await retype(pilot, form.query_one("#field-name", Input), "")
        await pilot.press("f2")
        await settle(pilot)
        assert "type the client's name" in str(form.query_one("#error-name", Static).render())
        assert base.repo(Client).where(name="Pixel Forge")[0].rev == 1
        await retype(pilot, form.query_one("#field-name", Input), "Pixel Forge Studio")
        await retype(pilot, form.query_one("#field-cost_to_serve", Input), "20 000")
        await pilot.press("f2")
        await settle(pilot)
        (client,) = base.repo(Client).where(name="Pixel Forge Studio")
        assert client.rev == 2 and client.cost_to_serve == Decimal(20_000)
        assert isinstance(app.screen, ClientCard)
        assert "Pixel Forge Studio" in str(app.screen.query_one("#card-title", Static).render())
        assert "changed: cost to serve, name" in section(app, "timeline")
        await pilot.press("escape")
        assert names_listed(app)[0] == "Pixel Forge Studio"  # the list was read again


async def test_the_language_of_our_messages_is_chosen_in_the_client_form(
        base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, "Pixel Forge")
        assert "Messages in   Русский (the workspace's)\n" in section(app, "reach")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ClientForm)
        language = form.query_one("#field-language", Choice)
        assert language.value == ""
        language.focus()
        await pilot.press("right")
        assert language.value == "en"
        await pilot.press("f2")
        await settle(pilot)
        (client,) = base.repo(Client).where(name="Pixel Forge")
        assert client.language == "en"
        assert isinstance(app.screen, ClientCard)
        assert "Messages in   English\n" in section(app, "reach")


async def conflicting_edit(app: AmtuiApp, pilot: Pilot[None], workspace: Workspace,
                           their_industry: str) -> None:
    """Open the edit form, let someone else save the client, then save ours."""
    await settle(pilot)
    app.screen.query_one("#records", DataTable).move_cursor(row=0)  # Pixel Forge
    await pilot.press("e")
    form = app.screen
    theirs = workspace.repo(Client).where(name="Pixel Forge")[0]
    theirs.industry = their_industry
    workspace.repo(Client).update(theirs)
    await retype(pilot, form.query_one("#field-industry", Input), "mine")
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, ConflictScreen)


async def test_a_conflict_reloaded_then_overwritten(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await conflicting_edit(app, pilot, base, "theirs")
        await pilot.press("r")
        await settle(pilot)
        client = base.repo(Client).where(name="Pixel Forge")[0]
        assert (client.industry, client.rev) == ("theirs", 2)
        await open_card(app, pilot, "Pixel Forge")
        assert "theirs" in section(app, "company")
        await pilot.press("escape")
        await conflicting_edit(app, pilot, base, "theirs again")
        await pilot.press("o")
        await settle(pilot)
        client = base.repo(Client).where(name="Pixel Forge")[0]
        assert (client.industry, client.rev) == ("mine", 4)
        await pilot.press("u")  # undo puts their version back
        await settle(pilot)
        assert base.repo(Client).where(name="Pixel Forge")[0].industry == "theirs again"


async def test_add_a_contact_from_the_card(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_card(app, pilot, "Pixel Forge")
        assert "No contacts yet" in section(app, "contacts")
        await pilot.press("c", *"John Smith", "tab", *"CTO")
        form = app.screen
        assert isinstance(form, ContactForm)
        await retype(pilot, form.query_one("#field-email", Input), "not-an-address")
        await pilot.press("f2")
        await settle(pilot)
        assert "is not an e-mail address" in str(form.query_one("#error-email",
                                                                  Static).render())
        assert base.repo(Contact).where(name="John Smith") == []
        await retype(pilot, form.query_one("#field-email", Input), "john@pixel.example")
        await pilot.press("f2")
        await settle(pilot)
        (contact,) = base.repo(Contact).where(name="John Smith")
        assert (contact.role, contact.email) == ("CTO", "john@pixel.example")
        assert "John Smith · CTO · stakeholder" in section(app, "contacts")


# delete and undo

async def test_delete_moves_to_the_trash_and_u_brings_it_back(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # the cursor is on «Pixel Forge»
        await settle(pilot)
        assert base.repo(Client).where(name="Pixel Forge") == []
        assert [entry.title for entry in TrashBin(base).entries()] == ["Pixel Forge"]
        assert names_listed(app) == ["Зелёный Квартал", "ООО «Ромашка»"]
        await pilot.press("u")
        await settle(pilot)
        assert len(base.repo(Client).where(name="Pixel Forge")) == 1
        assert "Pixel Forge" in names_listed(app)
        await open_card(app, pilot, "Зелёный Квартал")
        await pilot.press("delete")
        await settle(pilot)
        assert not isinstance(app.screen, ClientCard)
        assert base.repo(Client).where(name="Зелёный Квартал") == []


# hostile text

async def test_hostile_text_shows_literally_and_clicking_it_does_nothing(
        base: Workspace, clock: StillClock) -> None:
    hostile = base.repo(Client).add(Client(name=HOSTILE, industry=HOSTILE, tags=[HOSTILE]))
    base.repo(Contact).add(Contact(client_id=hostile.id, name=HOSTILE, role=HOSTILE))
    base.repo(Message).add(Message(client_id=hostile.id, text=HOSTILE, received_at=clock()))
    base.repo(Member).add(Member(name=HOSTILE))
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert HOSTILE_SHOWN in names_listed(app)
        row = names_listed(app).index(HOSTILE_SHOWN)
        table = app.screen.query_one("#records", DataTable)
        table.move_cursor(row=row)
        await pilot.click(table, offset=(3, row + 1))
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        card = app.screen
        assert isinstance(card, ClientCard)
        text = shown_text(app)
        assert text.count("[@click=app.quit]x[/]") >= 5  # title, industry, tags, contact, …
        assert "\\x1b[31m" in text and "\x1b" not in text
        await pilot.click("#card-title", offset=(2, 0))
        await pilot.click("#card-company", offset=(16, 6))
        assert app.is_running and app.screen is card
        await pilot.press("escape", "f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterForm)
        dialog.query_one("#field-owner_id").focus()
        await pilot.press("down")  # the owner picker lists the team
        await settle(pilot)
        assert app.is_running
        overlay = dialog.query_one("PickerField OptionList", OptionList)
        shown = [str(overlay.get_option_at_index(index).prompt)
                 for index in range(overlay.option_count)]
        assert HOSTILE_SHOWN in shown


async def test_j_and_k_move_the_cursor_in_the_list(base: Workspace) -> None:
    app = AmtuiApp(base, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#records", DataTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1


def test_the_cards_deal_totals_name_each_status_in_the_language_in_use(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.i18n import Domain
    from test_cli_help_words import PseudoCatalogue, pseudo

    monkeypatch.setattr(Domain, "_catalogue", lambda self: PseudoCatalogue())
    totals = {"proposal": {"RUB": Decimal(150_000)}, "won": {"RUB": Decimal(1)},
              "all": {"RUB": Decimal(150_001)}}
    labels = [line.plain.split("  ")[1].strip() for line in ClientCard._totals(totals)]
    assert labels == [pseudo("proposal"), pseudo("won"), pseudo("all deals")]
