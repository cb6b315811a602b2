"""One rule per domain fact: Today, the Board, the Inbox and the command line agree on which
task is overdue and which message is late, because they all ask :mod:`amtui.services.rules`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from amtui.models import Client, Message, MessageStatus, Task
from amtui.services import rules
from amtui.services.agenda import build_agenda
from amtui.services.board import BoardFilter, load_board
from amtui.storage import Workspace
from amtui.testing import StillClock
from conftest import run_cli


@pytest.fixture
def day(workspace: Workspace, clock: StillClock) -> dict[str, str]:
    """Tasks and messages on both sides of every rule; their titles say which side."""
    now = clock()
    today = now.date()
    done = workspace.settings.columns[-1]
    first = workspace.settings.columns[0]
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    tasks = workspace.repo(Task)
    for title, due, column in (
        ("overdue open", today - timedelta(days=3), first),
        ("overdue in work", today - timedelta(days=1), workspace.settings.columns[1]),
        ("done long ago", today - timedelta(days=5), done),
        ("due today", today, first),
        ("due next week", today + timedelta(days=6), first),
        ("no due day", None, first),
    ):
        tasks.add(Task(title=title, client_id=client.id, due=due, column=column))
    messages = workspace.repo(Message)
    for text, status, answer_by, snoozed_until in (
        ("late new", MessageStatus.NEW, now - timedelta(hours=2), None),
        ("late waiting on us", MessageStatus.WAITING_ON_US, now - timedelta(days=2), None),
        ("late but snoozed", MessageStatus.NEW, now - timedelta(hours=5),
         now + timedelta(days=1)),
        ("snooze ended", MessageStatus.NEW, now - timedelta(hours=5), now - timedelta(hours=1)),
        ("answered", MessageStatus.DONE, now - timedelta(hours=3), None),
        ("waiting on the client", MessageStatus.WAITING_ON_CLIENT, now - timedelta(hours=3),
         None),
        ("not due yet", MessageStatus.NEW, now + timedelta(hours=1), None),
    ):
        messages.add(Message(client_id=client.id, text=text, status=status,
                             received_at=now - timedelta(days=3), answer_by=answer_by,
                             snoozed_until=snoozed_until))
    return {"client": client.id}


OVERDUE = {"overdue open", "overdue in work"}
LATE = {"late new", "late waiting on us", "snooze ended"}


def test_the_rules_themselves(clock: StillClock) -> None:
    now = clock()
    today = now.date()
    assert rules.task_overdue({"due": (today - timedelta(days=1)).isoformat(),
                               "column": "todo"}, today, "done")
    assert not rules.task_overdue({"due": (today - timedelta(days=1)).isoformat(),
                                   "column": "done"}, today, "done")
    assert not rules.task_overdue({"due": today.isoformat(), "column": "todo"}, today, "done")
    late = {"status": "new", "answer_by": (now - timedelta(minutes=1)).isoformat()}
    assert rules.message_late(late, now)
    assert not rules.message_late({**late, "status": "done"}, now)
    assert not rules.message_late(
        {**late, "snoozed_until": (now + timedelta(minutes=1)).isoformat()}, now)
    assert rules.snooze_end(now, 3) == now + timedelta(days=3)
    for bad in (0, rules.MAX_SNOOZE_DAYS + 1):
        with pytest.raises(ValueError, match="snooze for 1 to"):
            rules.snooze_end(now, bad)
    with pytest.raises(ValueError, match="'три' is not a date"):
        rules.parse_snooze_days("три", now.date())


def test_today_board_and_the_command_line_agree_on_overdue_tasks(
        workspace: Workspace, workspace_path: Path, day: dict[str, str]) -> None:
    sections = {section.key: section for section in build_agenda(workspace)}
    on_today = {item.title for item in sections["overdue_tasks"].items}
    columns = load_board(workspace, board_filter=BoardFilter(due="overdue"))
    on_board = {card.title for column in columns for card in column.cards}
    listed = run_cli("list", "tasks", "--overdue", "--json", workspace=workspace_path)
    assert listed.returncode == 0, listed.stderr
    in_cli = {task["title"] for task in json.loads(listed.stdout)}
    assert on_today == on_board == in_cli == OVERDUE


def test_the_week_filter_of_the_board_leaves_done_tasks_out(
        workspace: Workspace, day: dict[str, str]) -> None:
    columns = load_board(workspace, board_filter=BoardFilter(due="week"))
    assert {card.title for column in columns for card in column.cards} == \
        OVERDUE | {"due today", "due next week"}


def test_today_and_the_command_line_agree_on_late_messages(
        workspace: Workspace, workspace_path: Path, day: dict[str, str]) -> None:
    sections = {section.key: section for section in build_agenda(workspace)}
    on_today = {item.title for item in sections["late_answers"].items}
    listed = run_cli("list", "messages", "--overdue", "--json", workspace=workspace_path)
    assert listed.returncode == 0, listed.stderr
    in_cli = {message["text"] for message in json.loads(listed.stdout)}
    assert on_today == in_cli == LATE


# urgent messages


@pytest.mark.parametrize(("text", "priority", "urgent"), [
    ("Сайт упал", "normal", True),
    ("САЙТ УПАЛА ночью", "normal", True),  # any case; the start of a word
    ("Форма не\nработает", "low", True),  # a phrase across a line break
    ("Срочно!", "normal", True),
    ("Сайт не открывается", "normal", True),
    ("Ёлки, всё упало", "normal", True),
    ("The site is down", "normal", True),
    ("asap please", "normal", True),
    ("URGENT: invoice", "normal", True),
    ("Посмотрите, когда будет время", "urgent", True),
    ("Посмотрите, когда будет время", "high", False),  # high is not urgent
    ("Трафик выпал из топа", "normal", False),  # «упал» inside a word is not the word
    ("Всё работает", "normal", False),
    ("Please download the report", "normal", False),  # a longer word is another word
    ("Downtime again, urgently", "normal", True),  # an ending of up to three letters
    ("Прошу срочного ответа", "normal", True),
    ("", "normal", False),
])
def test_a_message_is_urgent_by_its_priority_or_its_words(text: str, priority: str,
                                                          urgent: bool) -> None:
    from amtui.models.workspace import WorkspaceSettings

    assert rules.message_urgent({"text": text, "priority": priority},
                                WorkspaceSettings()) is urgent


def test_the_urgent_words_are_the_workspaces_and_e_is_yo() -> None:
    from amtui.models.workspace import WorkspaceSettings

    settings = WorkspaceSettings(urgent_words=["всё сломалось", "горит"])
    assert rules.message_urgent({"text": "Все сломалось"}, settings)
    assert rules.message_urgent({"text": "ГОРИТ запуск"}, settings)
    assert not rules.message_urgent({"text": "Сайт упал"}, settings)
    assert not rules.message_urgent({"text": "Сайт упал"}, WorkspaceSettings(urgent_words=[]))


def test_an_urgent_message_is_answered_within_the_urgent_minutes() -> None:
    from amtui.models.workspace import WorkspaceSettings

    settings = WorkspaceSettings(answer_within_hours=6, urgent_answer_minutes=30)
    assert rules.answer_hours({"text": "Сайт упал"}, settings) == 0.5
    assert rules.answer_hours({"text": "Пришлите счёт"}, settings) == 6
    assert WorkspaceSettings().urgent_answer_minutes == 60
