"""Days typed as people type them («10.12», «завтра») into the app's forms and the CLI's
options are stored as the days they name; the calendar names its months in the locale's words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from amtui import i18n
from amtui.models import Task
from amtui.plugins.host import PluginHost
from amtui.storage import Workspace
from amtui.testing import settle
from amtui.ui.app import AmtuiApp
from conftest import run_cli, snapshot_files
from test_cli_capture import add, listed
from test_ui_board import details
from test_ui_smm_calendar import Agency, agency, calendar, host, shown

__all__ = ["agency", "host"]  # the calendar's fixtures


@pytest.fixture
def russian() -> Iterator[None]:
    before = i18n.current_locale()
    i18n.use_locale("ru_RU")
    yield
    i18n.use_locale(before)


def stored(workspace: Workspace, title: str) -> Task:
    return next(task for task in workspace.repo(Task).all() if task.title == title)


async def test_a_tasks_due_day_is_typed_as_people_type_it(workspace: Workspace) -> None:
    """Today is Thursday 26 November 2026 (the test clock)."""
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Баннеры")
        app.screen.query_one("#field-due", Input).focus()
        await pilot.press(*"10.12", "f2")
        await settle(pilot)
        assert stored(workspace, "Баннеры").due == date(2026, 12, 10)
        assert "10.12" in details(app, workspace.settings.columns[0])[0]
        await pilot.press("e")
        await settle(pilot)
        due = app.screen.query_one("#field-due", Input)
        assert due.value == "10.12.2026"  # as typed, not as stored
        due.focus()
        await pilot.press("ctrl+u", *"завтра", "f2")
        await settle(pilot)
        assert stored(workspace, "Баннеры").due == date(2026, 11, 27)


async def test_a_due_day_that_is_not_one_is_refused_next_to_the_field(
        workspace: Workspace, workspace_path: Path) -> None:
    app = AmtuiApp(workspace, pane="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = snapshot_files(workspace_path)
        await pilot.press("n", *"Баннеры")
        app.screen.query_one("#field-due", Input).focus()
        await pilot.press(*"31.02", "f2")
        await settle(pilot)
        problem = str(app.screen.query_one("#error-due", Static).render())
        assert problem == "31.02 is not a date that exists"
        assert snapshot_files(workspace_path) == before


def test_the_cli_stores_the_day_typed_with_dots_or_in_words(workspace_path: Path) -> None:
    dotted = add(workspace_path, "task", "Отчёт", "--due", "10.12.2026")
    worded = add(workspace_path, "task", "Звонок", "--due", "завтра")
    tasks = listed(workspace_path, "tasks")
    assert tasks[dotted]["due"] == "2026-12-10"
    assert tasks[worded]["due"] == "2026-11-27"


def test_the_cli_refuses_a_day_that_is_not_one(workspace_path: Path) -> None:
    add(workspace_path, "task", "Отчёт")
    before = snapshot_files(workspace_path)
    result = run_cli("add", "task", "Звонок", "--due", "31.02.2026", workspace=workspace_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "amtui: error: --due: 31.02.2026 is not a date that exists\n"
    assert snapshot_files(workspace_path) == before


async def test_the_calendar_names_its_month_and_days_in_russian(
        russian: None, agency: Agency, host: PluginHost) -> None:
    async with calendar(agency.workspace, host) as pilot:
        lines = shown(pilot).splitlines()
        assert lines[0].startswith(" Ноябрь 2026 · ")
        assert lines[1].split()[:3] == ["пн", "вт", "ср"]
        assert " 1 дек." in shown(pilot)
