"""``amtui`` reads Today's first sections in a forked copy of itself while Textual starts; the
Today pane shows them, then reads the rest itself."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date

import pytest
from textual.widgets import OptionList

from amtui.cli.early_start import EarlyAgenda
from amtui.models import Client, Task
from amtui.services.agenda import AgendaItem, build_agenda, first_agenda
from amtui.storage import Workspace
from amtui.testing import StillClock, settle, wait_until
from amtui.ui.app import AmtuiApp
from amtui.ui.pane_ids import TODAY_LINES


def shown(sections: list) -> list[tuple[str, int, list[str]]]:  # type: ignore[type-arg]
    return [(s.key, s.total, [item.title for item in s.items]) for s in sections]


def test_the_copy_reads_what_today_would(workspace: Workspace) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Task).add(Task(title="Баннеры", client_id=client.id, due=date(2026, 11, 2)))
    agenda = EarlyAgenda(workspace.root, TODAY_LINES)()
    assert agenda is not None and agenda.limit == TODAY_LINES
    assert ("overdue_tasks", 1, ["Баннеры"]) in shown(agenda.sections)
    assert shown(agenda.sections) == shown(build_agenda(workspace, agenda.at,
                                                        limit=TODAY_LINES))


def test_a_workspace_that_cannot_be_read_leaves_today_to_read_itself(
        workspace: Workspace) -> None:
    (workspace.root / "workspace.toml").write_text("name = [broken\n", encoding="utf-8")
    assert EarlyAgenda(workspace.root, TODAY_LINES)() is None


async def test_today_shows_the_sections_read_early_then_reads_its_own(
        workspace: Workspace) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Task).add(Task(title="Баннеры", client_id=client.id, due=date(2026, 11, 2)))
    early = first_agenda(workspace, TODAY_LINES)
    marked = [replace(section, items=[AgendaItem(item.table, item.record_id,
                                                 "read early: " + item.title, item.client,
                                                 item.detail, item.client_id, item.fact)
                                      for item in section.items])
              for section in early.sections]
    app = AmtuiApp(lambda: workspace, first_agenda=lambda: replace(early, sections=marked))
    async with app.run_test(size=(100, 30)) as pilot:
        agenda = app.screen.query_one("#agenda", OptionList)

        def lines() -> str:
            return "\n".join(str(agenda.get_option_at_index(index).prompt)
                             for index in range(agenda.option_count))

        await wait_until(pilot, lambda: "read early: Баннеры" in lines(), "the early agenda")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "read early" not in lines() and "Баннеры" in lines(),
                         "Today's own read")
        await settle(pilot)


@pytest.mark.parametrize("saved_in_between", [False, True])
async def test_today_read_early_still_follows_saves_made_elsewhere(
        workspace: Workspace, clock: StillClock, saved_in_between: bool) -> None:
    """The copy's tables are looked at by the app from then on (a teammate's save shows),
    and a save made between the copy's read and the app's first look is read too."""
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    workspace.repo(Task).add(Task(title="Баннеры", client_id=client.id, due=date(2026, 11, 2)))
    read = first_agenda(Workspace.open(workspace.root, clock=clock), TODAY_LINES)
    other = Workspace.open(workspace.root, clock=clock)  # another process: a teammate
    if saved_in_between:
        other.repo(Task).add(Task(title="Отчёт", client_id=client.id, due=date(2026, 11, 4)))
    app = AmtuiApp(lambda: Workspace.open(workspace.root, clock=clock),
                   first_agenda=lambda: read)
    async with app.run_test(size=(100, 30)) as pilot:
        agenda = app.screen.query_one("#agenda", OptionList)

        def lines() -> str:
            return "\n".join(str(agenda.get_option_at_index(index).prompt)
                             for index in range(agenda.option_count))

        await wait_until(pilot, lambda: "Баннеры" in lines(), "the first sections")
        if saved_in_between:
            await wait_until(pilot, lambda: "Отчёт" in lines(), "the save in between")
        await settle(pilot)
        other.repo(Task).add(Task(title="Листовки", client_id=client.id,
                                  due=date(2026, 11, 3)))
        app.look_for_changes()
        await wait_until(pilot, lambda: "Листовки" in lines(), "the teammate's task")


def test_a_copy_that_takes_too_long_is_stopped_and_today_reads_itself(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.cli import early_start

    monkeypatch.setattr(early_start, "WAIT_SECONDS", 0.0)
    monkeypatch.setattr(early_start.EarlyAgenda, "_read_in_copy",
                        lambda self, writing: (__import__("time").sleep(60), os._exit(0)))
    early = early_start.EarlyAgenda(workspace.root, TODAY_LINES)
    assert early() is None  # stopped at once, not after a minute
    with pytest.raises(ChildProcessError):
        os.waitpid(early._child, os.WNOHANG)  # and reaped
