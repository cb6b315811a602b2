"""The message view, opened with Enter from the Inbox: what it shows (in words and local
times, never ids or stored ISO times), the Inbox's keys acting from it, and Esc."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from amtui.models import Client, Contact, Member, Message, Task
from amtui.storage import StorageError, Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.message_screen import MessageScreen
from amtui.ui.panes.inbox import InboxPane


@pytest.fixture
def thread(workspace: Workspace, clock: StillClock) -> dict[str, str]:
    """A client in Yekaterinburg (the agency is in Moscow): a question yesterday, our reply,
    then today's urgent request with a task made from it. The clock: 09:00 UTC, 12:00 in
    Moscow, 14:00 in Yekaterinburg."""
    now = clock()
    anna = workspace.repo(Member).add(Member(name="Анна Смирнова"))
    client = workspace.repo(Client).add(Client(name="Уралсталь", timezone="Asia/Yekaterinburg"))
    contact = workspace.repo(Contact).add(Contact(client_id=client.id, name="Ольга",
                                                  role="маркетолог"))
    messages = workspace.repo(Message)
    messages.add(Message(client_id=client.id, contact_id=contact.id, text="Где отчёт?",
                         status="done", received_at=now - timedelta(days=1, hours=2)))
    messages.add(Message(client_id=client.id, text="Отправили отчёт", direction="outgoing",
                         kind="reply", status="done",
                         received_at=now - timedelta(days=1, hours=1)))
    request = messages.add(Message(
        client_id=client.id, contact_id=contact.id, text="Сайт не открывается, срочно",
        channel="telegram", kind="complaint", priority="urgent", status="waiting_on_us",
        assignee_id=anna.id, received_at=now - timedelta(hours=2),
        answer_by=now - timedelta(hours=1)))
    task = workspace.repo(Task).add(Task(title="Поднять сайт", client_id=client.id,
                                         message_id=request.id, department="development",
                                         column="in_progress", due=date(2026, 11, 25)))
    return {"message": request.id, "client": client.id, "contact": contact.id,
            "task": task.id, "member": anna.id}


def view_text(app: AmtuiApp) -> str:
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


async def open_view(app: AmtuiApp, pilot: Pilot[None]) -> MessageScreen:
    await settle(pilot)
    assert isinstance(app.screen, InboxPane)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, MessageScreen)
                     and app.screen.shown is not None, "the message view")
    assert isinstance(app.screen, MessageScreen)
    return app.screen


async def test_enter_opens_the_message_in_words_and_local_times(
        workspace: Workspace, thread: dict[str, str]) -> None:
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(app, pilot)
        assert screen.message_id == thread["message"]
        text = view_text(app)
        assert "Уралсталь · Ольга (маркетолог)" in text
        assert "Telegram · from the client · complaint" in text
        assert "Status: waiting on us" in text and "Priority: urgent" in text
        assert "Assigned to: Анна Смирнова" in text
        # The agency's time, and the client's with whose it is.
        assert "Received: today 10:00 · client's time 12:00 (Yekaterinburg, UTC+5)" in text
        assert "Answer by: today 11:00" in text and "late by 1h00" in text
        assert "Сайт не открывается, срочно" in text
        assert ("· Поднять сайт · development · In progress · !overdue since 25 Nov"
                in text)
        # The conversation, newest last, each with its time and direction.
        lines = text.splitlines()
        start = lines.index("Conversation with the client, newest last")
        assert lines[start + 1:start + 4] == [
            "  yesterday 10:00  ← Ольга: Где отчёт?",
            "  yesterday 11:00  → we: Отправили отчёт",
            "▶ today 10:00  ← Ольга: Сайт не открывается, срочно"]
        # No field dumps: no ids, no stored times.
        for record_id in thread.values():
            assert record_id not in text
        assert not re.search(r"\d{4}-\d\d-\d\d|T\d\d:\d\d|\+00:00", text)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxPane)


async def test_the_inbox_keys_act_from_the_message_view(workspace: Workspace,
                                                        thread: dict[str, str]) -> None:
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(app, pilot)
        footer = str(app.screen.query_one("KeyBar").render())
        assert "Reply" in footer and "Answered" in footer and "Snooze" in footer
        await pilot.press("d")  # answered
        await wait_until(pilot, lambda: "Status: done" in view_text(app), "the new status")
        assert workspace.repo(Message).get(thread["message"]).status == "done"
        assert isinstance(app.screen, MessageScreen)
        await pilot.press("x")  # to the trash: the view closes
        await wait_until(pilot, lambda: isinstance(app.screen, InboxPane), "the Inbox")
        await wait_until(pilot, lambda: workspace.repo(Message).find(thread["message"])
                         is None, "the message in the trash")
        await settle(pilot)
        told = [str(note.message) for note in app._notifications]
        assert any("moved to the trash" in note for note in told)
        assert not any("no longer there" in note for note in told)


async def test_z_in_the_message_view_is_the_one_snooze_dialog(
        workspace: Workspace, thread: dict[str, str], clock: StillClock) -> None:
    """The dialog Today's `s` opens, taking what `amtui snooze` takes: a day, here."""
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(app, pilot)
        await pilot.press("z")
        await settle(pilot)
        assert str(app.screen.query_one("#ask-question", Static).render()) == (
            "Snooze until when?")
        await pilot.press(*"+1w", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MessageScreen)
                         and "Snoozed until" in view_text(app), "the snooze shown")
        assert workspace.repo(Message).get(thread["message"]).snoozed_until == (
            clock() + timedelta(days=7))


async def test_a_message_urgent_by_its_words_is_marked_so_and_its_channel_named(
        workspace: Workspace, clock: StillClock) -> None:
    """The rule that lists it under "Urgent" on Today (services.rules.message_urgent) marks it
    in the view too, though its priority is normal."""
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Message).add(Message(client_id=client.id, text="Срочно нужен лендинг!",
                                        channel="whatsapp", received_at=clock()))
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(app, pilot)
        text = view_text(app)
        assert "Priority: normal · ! urgent (by its words)" in text, text
        assert "WhatsApp · from the client" in text, text


async def test_a_time_in_the_agencys_zone_does_not_name_a_zone(workspace: Workspace,
                                                               clock: StillClock) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))  # Moscow, as the agency
    workspace.repo(Message).add(Message(client_id=client.id, text="Привет",
                                        received_at=clock() - timedelta(days=3)))
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(app, pilot)
        text = view_text(app)
        assert "Received: 23.11 12:00\n" in text and "UTC" not in text


async def test_today_opens_a_late_message_in_the_same_view(workspace: Workspace,
                                                           thread: dict[str, str]) -> None:
    app = AmtuiApp(workspace, pane="today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # on the first line: the late answer
        await wait_until(pilot, lambda: isinstance(app.screen, MessageScreen)
                         and app.screen.shown is not None, "the message view")
        assert isinstance(app.screen, MessageScreen)
        assert app.screen.message_id == thread["message"]
        assert "Сайт не открывается, срочно" in view_text(app)


def test_the_thread_is_the_clients_messages_around_the_one_opened(
        workspace: Workspace, clock: StillClock) -> None:
    from amtui.services.conversation import THREAD_AROUND, conversation

    now = clock()
    ours, other = (workspace.repo(Client).add(Client(name=name)) for name in ("Наш", "Чужой"))
    added = workspace.repo(Message).add_many([Message(
        client_id=(ours if number % 2 == 0 else other).id, text=f"№{number}",
        received_at=now - timedelta(hours=30 - number)) for number in range(30)])
    opened = added[14]  # the 8th of ours (0, 2, …, 28)
    found = conversation(workspace, opened.id, now.date())
    assert found is not None
    assert [message.text for message in found.thread] == [
        f"№{number}" for number in range(4, 25, 2)]
    assert len(found.thread) == 2 * THREAD_AROUND + 1
    assert [message.this for message in found.thread].index(True) == THREAD_AROUND
    assert (found.earlier, found.later) == (2, 2)
    assert conversation(workspace, "no-such-message", now.date()) is None


async def test_a_damaged_file_read_for_the_view_is_told_and_the_list_stays(
        workspace: Workspace, thread: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A data file found damaged while the view reads it (as a large file cut short is)."""
    problem = "data/messages.json is damaged: a record is not valid JSON [bold]x[/]"

    def damaged(*_args: object) -> None:
        raise StorageError(problem)

    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr("amtui.services.conversation.conversation", damaged)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(problem == str(note.message)
                                            for note in app._notifications), "the problem")
        await settle(pilot)
        assert isinstance(app.screen, InboxPane) and app.is_running
        assert "Сайт не открывается, срочно" in view_text(app)  # the list, as it was
        assert workspace.repo(Message).get(thread["message"]).status == "waiting_on_us"


async def test_the_channel_and_the_tasks_work_are_said_in_russian(
        workspace: Workspace, thread: dict[str, str]) -> None:
    from amtui.i18n import use_locale

    use_locale("ru_RU")  # the autouse fixture makes it English again after the test
    app = AmtuiApp(workspace, pane="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(app, pilot)
        text = view_text(app)
        assert "Telegram · от клиента" in text, text
        assert "· Поднять сайт · разработка · В работе ·" in text, text
