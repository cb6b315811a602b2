"""One clock for the whole program: ``AMTUI_NOW`` stops it for every amtui process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from amtui import clock as program_clock
from amtui.storage import Workspace
from amtui.testing import START, StillClock
from conftest import run_cli, snapshot_files


def added_task(root: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, str]:
    added = run_cli("add", "task", "Баннеры", *args, workspace=root, env=env)
    assert added.returncode == 0, added.stderr
    listed = run_cli("list", "tasks", "--json", workspace=root, env=env)
    return next(task for task in json.loads(listed.stdout) if task["id"] == added.stdout.strip())


def test_a_process_started_by_a_test_sees_the_tests_moment(workspace_path: Path) -> None:
    assert added_task(workspace_path)["created_at"] == START.isoformat()


def test_advancing_the_tests_clock_moves_the_processes_it_starts(
        workspace_path: Path, clock: StillClock) -> None:
    clock.advance(days=200, hours=3)
    task = added_task(workspace_path, "--due", "2027-06-01")
    assert datetime.fromisoformat(task["created_at"]) == START + timedelta(days=200, hours=3)
    overdue = run_cli("list", "tasks", "--overdue", "--json", workspace=workspace_path)
    assert [t["title"] for t in json.loads(overdue.stdout)] == ["Баннеры"]


def test_a_moment_with_an_offset_or_none(workspace_path: Path) -> None:
    moscow = added_task(workspace_path, env={"AMTUI_NOW": "2027-03-01T10:00:00+03:00"})
    assert moscow["created_at"] == "2027-03-01T07:00:00+00:00"
    plain = added_task(workspace_path, env={"AMTUI_NOW": "2027-03-01T10:00:00"})
    assert plain["created_at"] == "2027-03-01T10:00:00+00:00"


@pytest.mark.parametrize("value", ["yesterday", "2027-13-01T00:00", "1700000000"])
def test_a_bad_moment_is_bad_input_and_changes_nothing(workspace_path: Path, value: str) -> None:
    added_task(workspace_path)
    before = snapshot_files(workspace_path)
    refused = run_cli("add", "task", "Ещё", workspace=workspace_path, env={"AMTUI_NOW": value})
    assert refused.returncode == 2
    assert refused.stderr.startswith("amtui: error: AMTUI_NOW=")
    assert "ISO 8601" in refused.stderr and "Traceback" not in refused.stderr
    assert snapshot_files(workspace_path) == before


def test_without_the_variable_the_machines_clock_is_used(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AMTUI_NOW")
    before = datetime.now(UTC)
    shown = program_clock.now()
    assert before <= shown <= datetime.now(UTC)
    workspace = Workspace.open(tmp_path / "ws", create=True)
    assert before <= workspace.clock() <= datetime.now(UTC)


def test_the_tests_clock_and_the_program_clock_agree(clock: StillClock,
                                                      workspace: Workspace) -> None:
    assert program_clock.now() == clock() == workspace.clock() == START
    clock.advance(minutes=90)
    assert program_clock.now() == clock() == START + timedelta(minutes=90)


def test_backups_stay_in_the_order_made_when_the_clock_stands_still_or_goes_back(
        workspace_path: Path, clock: StillClock) -> None:
    added_task(workspace_path)
    made = []
    for step in (0, 0, -3):  # twice at the same moment, then with the clock set back 3 days
        clock.advance(days=step)
        backup = run_cli("backup", workspace=workspace_path)
        assert backup.returncode == 0, backup.stderr
        made.append(Path(backup.stdout.strip()))
    assert len(set(made)) == 3
    assert sorted(made) == made
    assert made[0].name.startswith(START.strftime("%Y%m%dT%H%M%S"))
