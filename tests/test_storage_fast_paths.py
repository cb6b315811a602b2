"""The fast save paths: what they skip, and that their result equals a full rewrite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from amtui.models import Client, Task
from amtui.storage import Workspace
from amtui.storage import datafile as datafile_module
from conftest import FakeClock


def fill(workspace: Workspace, count: int = 300) -> Client:
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    workspace.repo(Task).add_many(
        [Task(title=f"Задача {index}", client_id=client.id) for index in range(count)]
    )
    return client


def stored(root: Path) -> dict[str, Any]:
    return orjson.loads((root / "data" / "tasks.json").read_bytes())


def forbid(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{name} was called")

    monkeypatch.setattr(datafile_module, name, refuse)


def test_quick_capture_does_not_parse_the_table(
    workspace_path: Path, workspace: Workspace, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = fill(workspace)
    fresh = Workspace.open(workspace_path, clock=clock)
    forbid(monkeypatch, "parse_table_file")
    forbid(monkeypatch, "encode_table_file")
    added = fresh.repo(Task).add(Task(title="Быстрая задача", client_id=client.id))
    monkeypatch.undo()

    data = stored(workspace_path)
    assert len(data["tasks"]) == 301
    assert data["tasks"][added.id]["title"] == "Быстрая задача"
    assert list(data["tasks"])[-1] == added.id
    assert Workspace.open(workspace_path).repo(Task).get(added.id) == added


def test_a_file_not_as_amtui_wrote_it_is_parsed_before_adding(
    workspace_path: Path, workspace: Workspace, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rewritten by another tool (same records, pretty-printed): quick capture must not
    splice into it blindly."""
    fill(workspace, 5)
    path = workspace_path / "data" / "tasks.json"
    path.write_bytes(orjson.dumps(orjson.loads(path.read_bytes()), option=orjson.OPT_INDENT_2))
    calls: list[str] = []
    real_parse = datafile_module.parse_table_file

    def counting_parse(content: bytes, table: str) -> Any:
        calls.append(table)
        return real_parse(content, table)

    monkeypatch.setattr(datafile_module, "parse_table_file", counting_parse)
    fresh = Workspace.open(workspace_path, clock=clock)
    added = fresh.repo(Task).add(Task(title="После правки"))
    assert calls == ["tasks"]
    assert len(stored(workspace_path)["tasks"]) == 6
    assert stored(workspace_path)["tasks"][added.id]["title"] == "После правки"


def test_a_save_in_the_open_app_edits_only_the_changed_record(
    workspace_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(workspace)
    tasks = workspace.repo(Task)
    ids = list(tasks.raw())
    first, middle, last = tasks.get(ids[0]), tasks.get(ids[150]), tasks.get(ids[-1])
    tasks.delete(ids[1])  # the trash file exists from here on
    forbid(monkeypatch, "encode_table_file")
    middle.title = 'Новое "название" \\ с escape \x1b'
    tasks.update(middle)
    tasks.delete(first.id)
    tasks.delete(last.id)
    monkeypatch.undo()

    on_disk = (workspace_path / "data" / "tasks.json").read_bytes()
    expected = datafile_module.encode_table_file("tasks", 1, tasks.raw())
    assert on_disk == expected
    assert stored(workspace_path)["tasks"][middle.id]["title"] == middle.title
    assert first.id not in stored(workspace_path)["tasks"]


def test_many_changes_at_once_fall_back_to_a_full_rewrite(
    workspace_path: Path, workspace: Workspace,
) -> None:
    fill(workspace, 10)
    tasks = workspace.repo(Task)
    tasks.add_many([Task(title=f"Ещё {index}") for index in range(500)])
    assert len(stored(workspace_path)["tasks"]) == 510
    assert (workspace_path / "data" / "tasks.json").read_bytes() == \
        datafile_module.encode_table_file("tasks", 1, tasks.raw())
