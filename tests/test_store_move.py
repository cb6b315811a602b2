"""``amtui store move``: a file workspace's records into PostgreSQL and back, whole or not at
all, never into a store that holds records already."""

from __future__ import annotations

from pathlib import Path

import pytest

from amtui.models import Client, Task
from amtui.services.store_move import MoveRefused, move_store
from amtui.storage import TrashBin, Workspace
from amtui.testing import StillClock
from conftest import run_cli, snapshot_store, stored_records


@pytest.fixture
def database(postgresql_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AMTUI_DATABASE_URL", postgresql_url)
    return postgresql_url


def everything(workspace: Workspace) -> dict[str, dict[str, object]]:
    return {name: stored_records(workspace, name) for name in ("clients", "tasks", "trash")}


def test_records_move_to_postgresql_and_back_unchanged(
    workspace: Workspace, clock: StillClock, database: str,
) -> None:
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    task = workspace.repo(Task).add(Task(title="Call «them»", client_id=client.id))
    workspace.repo(Task).update(task.model_copy(update={"title": "Call again"}))
    gone = workspace.repo(Task).add(Task(title="Gone"))
    workspace.repo(Task).delete(gone.id)
    before = everything(workspace)

    moved = move_store(workspace, "postgresql", schema="moved_here")
    assert moved.records == 3 and moved.tables["tasks"] == 1
    on_database = Workspace.open(workspace.root, clock=clock)
    assert on_database.settings.store.backend == "postgresql"
    assert on_database.settings.store.schema_name == "moved_here"
    assert everything(on_database) == before
    assert on_database.repo(Task).get(task.id).rev == 2
    assert not list((workspace.root / "data").glob("*.json"))
    assert moved.snapshot is not None and (moved.snapshot.folder / "tasks.json").exists()
    TrashBin(on_database).restore(TrashBin(on_database).entries()[0].id)

    back = move_store(on_database, "files")
    assert back.records == 3
    on_files = Workspace.open(workspace.root, clock=clock)
    assert on_files.settings.store.backend == "files"
    assert {*stored_records(on_files, "tasks")} == {task.id, gone.id}
    assert stored_records(on_files, "trash") == {}


def test_a_move_into_a_store_with_records_is_refused_and_changes_nothing(
    workspace: Workspace, clock: StillClock, database: str,
) -> None:
    workspace.repo(Task).add(Task(title="Here"))
    move_store(workspace, "postgresql", schema="full")
    on_database = Workspace.open(workspace.root, clock=clock)
    move_store(on_database, "files")
    on_files = Workspace.open(workspace.root, clock=clock)
    before = snapshot_store(on_files)
    with pytest.raises(MoveRefused) as caught:
        move_store(on_files, "postgresql", schema="full")
    assert "tasks" in str(caught.value)
    assert snapshot_store(on_files) == before
    with pytest.raises(MoveRefused):
        move_store(on_files, "files")


def test_store_move_on_the_command_line(workspace: Workspace, database: str,
                                        tmp_path: Path) -> None:
    task = workspace.repo(Task).add(Task(title="By the command"))
    result = run_cli("store", "move", "--to", "postgresql", "--schema", "by_command",
                     workspace=workspace.root)
    assert result.returncode == 0, result.stderr
    assert "moved 1 record to postgresql" in result.stdout
    listed = run_cli("list", "tasks", "--json", workspace=workspace.root)
    assert task.id in listed.stdout
    again = run_cli("store", "move", "--to", "postgresql", workspace=workspace.root)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "already" in again.stderr
    wrong = run_cli("store", "move", "--to", "cloud", workspace=workspace.root)
    assert wrong.returncode == 2 and "cloud" in wrong.stderr
