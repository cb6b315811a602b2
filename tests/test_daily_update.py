"""The daily client update: composed from the board and messages, sent from the app or CLI."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from amtui.i18n import _, current_locale
from amtui.models import Client, Message, MessageStatus, Task
from amtui.services.agenda import build_agenda
from amtui.services.report import compose_daily_update, log_update_sent
from amtui.storage import Workspace
from amtui.testing import StillClock, settle
from amtui.ui.app import AmtuiApp
from amtui.ui.confirm import ConfirmScreen
from amtui.ui.update_screen import UpdateScreen
from conftest import run_cli, snapshot_files


@pytest.fixture
def client(workspace: Workspace, clock: StillClock) -> Client:
    romashka = workspace.repo(Client).add(Client(name="ООО «Ромашка»", cadence="daily",
                                                 language="en"))
    tasks = workspace.repo(Task)
    now = clock()
    tasks.add(Task(title="Тексты для лендинга", client_id=romashka.id, column="done",
                   done_at=now - timedelta(hours=3)))
    tasks.add(Task(title="Старый отчёт", client_id=romashka.id, column="done",
                   done_at=now - timedelta(days=9)))
    tasks.add(Task(title="Макет главной", client_id=romashka.id, column="in_progress",
                   due=date(2026, 12, 1)))
    tasks.add(Task(title="Согласовать баннеры", client_id=romashka.id,
                   column="client_approval", blocked_by_client=True,
                   blocked_since=now - timedelta(days=2)))
    tasks.add(Task(title="Идея на потом", client_id=romashka.id, column="backlog"))
    tasks.add(Task(title="Просроченный баннер", client_id=romashka.id, column="review",
                   due=date(2026, 11, 20)))
    tasks.add(Task(title="Чужая задача", column="in_progress"))
    workspace.repo(Message).add(Message(
        client_id=romashka.id, text="Пришлите доступы к Метрике, пожалуйста",
        status=MessageStatus.WAITING_ON_CLIENT, received_at=now - timedelta(days=1)))
    return romashka


def test_the_update_says_what_was_done_what_moves_and_what_we_need(
        workspace: Workspace, client: Client) -> None:
    text = compose_daily_update(workspace, client.id).markdown
    done, moving, needed = text.split("## ")[1:]
    assert "Тексты для лендинга" in done and "Старый отчёт" not in done
    assert "Макет главной — In progress, expected by 01 Dec" in moving
    assert "Просроченный баннер — Review, running late (planned for 20 Nov)" in moving
    assert "Идея на потом" not in text and "Чужая задача" not in text
    assert "Согласовать баннеры (we asked on 24 Nov)" in needed
    assert "Пришлите доступы к Метрике" in needed
    assert text.startswith("# Update for ООО «Ромашка» — Thursday 26 November\n")
    assert "## Done since 25 Nov 12:00\n" in text  # a day ago, in the client's time


def test_the_update_is_written_in_the_clients_language_not_the_screens(
        workspace: Workspace, client: Client) -> None:
    assert workspace.settings.locale == "ru_RU" and current_locale() == "en_US"
    clients = workspace.repo(Client)
    russian = clients.update(client.model_copy(update={"language": ""}))  # the workspace's
    update = compose_daily_update(workspace, client.id)
    assert update.locale == "ru_RU"
    assert update.markdown.startswith("# Отчёт для ООО «Ромашка» — четверг 26 ноября\n")
    assert "Макет главной — В работе, ожидаем к 01 дек." in update.markdown
    assert "## Что нужно от вас\n" in update.markdown
    assert current_locale() == "en_US" and _("In progress") == "In progress"
    far = clients.update(russian.model_copy(update={"timezone": "Pacific/Honolulu",
                                                     "language": "en"}))  # 23:00 there
    assert compose_daily_update(workspace, far.id).markdown.startswith(
        "# Update for ООО «Ромашка» — Wednesday 25 November\n")


def test_sending_resets_the_cadence_and_the_next_update_starts_there(
        workspace: Workspace, client: Client, clock: StillClock) -> None:
    def due() -> list[str]:
        sections = {section.key: section for section in build_agenda(workspace)}
        return [item.title for item in sections["updates_due"].items]

    assert due() == ["ООО «Ромашка»"]
    log_update_sent(workspace, client.id, compose_daily_update(workspace, client.id).markdown)
    assert due() == []
    sent = [m for m in workspace.repo(Message).all() if m.kind == "update"]
    assert len(sent) == 1 and sent[0].direction == "outgoing"
    clock.advance(hours=1)
    later = compose_daily_update(workspace, client.id)
    assert later.since == clock() - timedelta(hours=1)
    assert "Тексты для лендинга" not in later.markdown.split("## ")[1]


def test_the_cli_prints_the_update_and_logs_it_when_asked(
        workspace: Workspace, workspace_path: Path, client: Client) -> None:
    printed = run_cli("report", "daily", "--client", "ООО «Ромашка»", "--since", "2026-11-01",
                      workspace=workspace_path)
    assert printed.returncode == 0, printed.stderr
    assert "Старый отчёт" in printed.stdout  # done since November 1st
    assert not [m for m in workspace.repo(Message).all() if m.kind == "update"]
    sent = run_cli("report", "daily", "--client", client.id, "--sent", workspace=workspace_path)
    assert sent.returncode == 0, sent.stderr
    assert len([m for m in workspace.repo(Message).all() if m.kind == "update"]) == 1


@pytest.mark.parametrize("args", [
    ("report", "weekly", "--client", "ООО «Ромашка»"),
    ("report", "daily", "--client", "Нет такого"),
    ("report", "daily", "--client", "ООО «Ромашка»", "--since", "на днях"),
    ("report", "daily"),
])
def test_bad_report_input_is_one_line_and_changes_nothing(
        workspace: Workspace, workspace_path: Path, client: Client, args: tuple[str, ...]) -> None:
    before = snapshot_files(workspace_path)
    result = run_cli(*args, workspace=workspace_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot_files(workspace_path) == before


async def test_r_on_a_client_composes_the_update_and_f3_saves_and_logs_it(
        workspace: Workspace, client: Client) -> None:
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)  # composed in a worker
        assert isinstance(app.screen, UpdateScreen)
        text = app.screen.query_one("#update-text", TextArea)
        assert "Тексты для лендинга" in text.text
        text.load_text(text.text + "\nСпасибо!")
        await pilot.press("f3")
        await settle(pilot)
        saved = workspace.root / "exports" / "updates" / "2026-11-26-ооо-ромашка.md"
        assert saved.read_text().endswith("Спасибо!")
        sent = [m for m in workspace.repo(Message).all() if m.kind == "update"]
        assert len(sent) == 1 and sent[0].text.endswith("Спасибо!")
        await pilot.press("r")  # a second one the same day: a new file
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert saved.read_text().endswith("Спасибо!")
        assert (saved.parent / "2026-11-26-ооо-ромашка-2.md").exists()


async def test_the_composer_writes_in_the_clients_language_around_it_the_users(
        workspace: Workspace, client: Client) -> None:
    russian = workspace.repo(Client).update(client.model_copy(update={"language": "ru"}))
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UpdateScreen)
        title = str(screen.query_one("#update-title", Static).render())
        assert title.startswith("Daily update · ООО «Ромашка»") and title.endswith("in Русский")
        assert str(screen.query_one("#update-hint", Static).render()).startswith(
            "F2 copy and log as sent")
        shown = screen.query_one("#update-text", TextArea).text
        assert shown.startswith("# Отчёт для ООО «Ромашка» — четверг 26 ноября\n")
        assert "Согласовать баннеры (запросили 24 нояб.)" in shown
        await pilot.press("f2")
        await settle(pilot)
        (sent,) = [m for m in workspace.repo(Message).all() if m.kind == "update"]
        assert sent.text == shown and sent.client_id == russian.id
        assert any(note.message == "Update copied and logged as sent"
                   for note in app._notifications)


async def test_escape_leaves_the_update_unsent(workspace: Workspace, client: Client,
                                               workspace_path: Path) -> None:
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = snapshot_files(workspace_path)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, UpdateScreen)
        assert snapshot_files(workspace_path) == before


async def test_r_works_from_today_and_the_board(workspace: Workspace, client: Client) -> None:
    app = AmtuiApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")  # the first line of Today is about the client
        await settle(pilot)
        assert isinstance(app.screen, UpdateScreen)
        await pilot.press("escape", "4")
        await settle(pilot)
        await pilot.press("l", "l", "r")  # in progress: «Макет главной»
        await settle(pilot)
        assert isinstance(app.screen, UpdateScreen)
        assert app.screen.client_id == client.id


async def test_typing_goes_after_the_composed_text_then_where_the_cursor_is(
        workspace: Workspace, client: Client) -> None:
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UpdateScreen)
        text = screen.query_one("#update-text", TextArea)
        composed = text.text
        assert text.cursor_location == text.document.end
        await pilot.press(*"Спасибо!")
        assert text.text == composed + "Спасибо!"
        await pilot.press(*["up"] * text.document.line_count, "home", *"Добрый день. ")
        assert text.text == "Добрый день. " + composed + "Спасибо!"
        shown = text.text
        await pilot.press("f2")
        await settle(pilot)
        (sent,) = [m for m in workspace.repo(Message).all() if m.kind == "update"]
        assert sent.text.encode() == shown.encode()  # logged byte for byte as shown


async def test_escape_after_editing_asks_before_throwing_the_edits_away(
        workspace: Workspace, client: Client, workspace_path: Path) -> None:
    app = AmtuiApp(workspace, pane="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = snapshot_files(workspace_path)
        await pilot.press("r")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, UpdateScreen)
        await pilot.press(*"Созвонимся в пятницу?", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Throw away your changes" in str(app.screen.query_one("#confirm-question",
                                                                      Static).render())
        await pilot.press("n")  # keep editing: nothing lost
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one("#update-text", TextArea).text.endswith("Созвонимся в пятницу?")
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, UpdateScreen | ConfirmScreen)
        assert snapshot_files(workspace_path) == before
