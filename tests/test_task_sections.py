"""One rule (``rules.task_section``) puts each open task in one section of Today, and Today,
``amtui today``, ``amtui list --overdue`` and the Board's overdue filter all follow it."""

from __future__ import annotations

import json
from datetime import date, timedelta

from amtui.models import Client, Task
from amtui.services.agenda import build_agenda
from amtui.services.board import BoardFilter, load_board
from amtui.services.rules import TASK_SECTIONS, task_overdue, task_section
from amtui.storage import Workspace
from amtui.testing import StillClock
from conftest import run_cli

TODAY = date(2026, 11, 26)
"""The test clock's day."""


def some_tasks(workspace: Workspace, clock: StillClock) -> dict[str, str]:
    """One task of each kind Today tells apart, as {title: the section it belongs in}."""
    now = clock()
    client = workspace.repo(Client).add(Client(name="Ромашка", cadence="none"))
    long_ago = now - timedelta(days=10)
    blocked = {"blocked_by_client": True}
    kinds: dict[str, tuple[dict[str, object], str | None]] = {
        "overdue": ({"due": TODAY - timedelta(days=2)}, "overdue_tasks"),
        "overdue and waiting long": ({"due": TODAY - timedelta(days=2), **blocked,
                                      "blocked_since": now - timedelta(days=6)},
                                     "waiting_on_client"),
        "overdue, asked yesterday": ({"due": TODAY - timedelta(days=1), **blocked,
                                      "blocked_since": now - timedelta(days=1)},
                                     "waiting_on_client"),
        "due today and waiting": ({"due": TODAY, **blocked,
                                   "blocked_since": now - timedelta(hours=2)},
                                  "waiting_on_client"),
        "due later, asked today": ({"due": TODAY + timedelta(days=3), **blocked,
                                    "blocked_since": now - timedelta(hours=2)}, None),
        "due today": ({"due": TODAY}, "due_today"),
        "overdue and stuck": ({"due": TODAY - timedelta(days=1), "column": "in_progress",
                               "column_since": long_ago}, "overdue_tasks"),
        "stuck": ({"column": "in_progress", "column_since": long_ago},
                  "stuck_with_department"),
        "done late": ({"due": TODAY - timedelta(days=5), "column": "done", "done_at": now},
                      None),
        "nothing yet": ({"due": TODAY + timedelta(days=1)}, None),
    }
    tasks = workspace.repo(Task)
    for title, (fields, _section) in kinds.items():
        tasks.add(Task.model_validate({"title": title, "client_id": client.id, **fields}))
    return {title: section for title, (_fields, section) in kinds.items() if section}


def test_the_rule_puts_a_task_waiting_on_the_client_there_and_not_under_overdue(
        workspace: Workspace, clock: StillClock) -> None:
    expected = some_tasks(workspace, clock)
    now, settings = clock(), workspace.settings
    decided = {raw["title"]: task_section(raw, now, settings)
               for raw in workspace.file("tasks").scan()}
    assert {title: section for title, section in decided.items() if section} == expected
    assert not task_overdue({"due": "2026-11-01", "column": "todo", "blocked_by_client": True},
                            TODAY, "done")


def test_today_the_cli_and_the_board_agree_with_the_rule(workspace: Workspace,
                                                         clock: StillClock) -> None:
    expected = some_tasks(workspace, clock)
    in_sections = {key: sorted(title for title, section in expected.items() if section == key)
                   for key in TASK_SECTIONS}
    overdue = in_sections["overdue_tasks"]

    today = {section.key: sorted(item.title for item in section.items)
             for section in build_agenda(workspace) if section.key in TASK_SECTIONS}
    assert today == in_sections
    first_lines = {section.key: section.total
                   for section in build_agenda(workspace, limit=1)}
    assert {key: first_lines[key] for key in TASK_SECTIONS} == {
        key: len(titles) for key, titles in in_sections.items()}

    shown = run_cli("today", "--json", workspace=workspace.root)
    assert shown.returncode == 0, shown.stderr
    cli_today = {section["key"]: sorted(item["title"] for item in section["items"])
                 for section in json.loads(shown.stdout) if section["key"] in TASK_SECTIONS}
    assert cli_today == in_sections
    (waiting,) = [section for section in json.loads(shown.stdout)
                  if section["key"] == "waiting_on_client"]
    facts = {item["title"]: item["fact"] for item in waiting["items"]}
    assert facts["overdue and waiting long"] == "waiting on client 6 d, 2 d overdue"
    assert facts["due today and waiting"] == "waiting on client 2 h, due today"

    listed = run_cli("list", "tasks", "--overdue", "--json", workspace=workspace.root)
    assert listed.returncode == 0, listed.stderr
    assert sorted(task["title"] for task in json.loads(listed.stdout)) == overdue

    columns = load_board(workspace, clock())
    only_overdue = BoardFilter(due="overdue")
    assert sorted(card.title for column in columns for card in column.cards
                  if only_overdue.accepts(card, TODAY, workspace.settings.columns[-1])) \
        == overdue
