"""The fast save paths: what they skip, and that their result equals a full rewrite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from amtui.models import Client, Task
from amtui.storage import ReadOnlyError, Workspace, datafile as datafile_module
from amtui.testing import StillClock


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
    workspace_path: Path, workspace: Workspace, clock: StillClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = fill(workspace)
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)  # a table too large to hold
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
    workspace_path: Path, workspace: Workspace, clock: StillClock,
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


def test_a_large_table_is_read_record_by_record(
    workspace_path: Path, workspace: Workspace, clock: StillClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past CACHE_BYTES a table is never parsed whole nor kept: reads go to the file."""
    client = fill(workspace, 50)
    ids = list(workspace.repo(Task).raw())
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)
    forbid(monkeypatch, "parse_table_file")
    fresh = Workspace.open(workspace_path, clock=clock)
    tasks = fresh.repo(Task)
    assert tasks.count() == 50
    assert [raw["id"] for raw in tasks.scan()] == ids
    assert tasks.get(ids[17]).title == "Задача 17"
    assert tasks.find("01NOSUCHTASK00000000000000") is None
    assert tasks.exists(ids[-1]) and not tasks.exists("01NOSUCHTASK00000000000000")
    assert len(tasks.where(client_id=client.id)) == 50
    changed = tasks.update(tasks.get(ids[3]).model_copy(update={"title": "Новое"}))
    tasks.delete(ids[0])
    assert [raw["id"] for raw in tasks.scan()] == ids[1:]
    assert Workspace.open(workspace_path).repo(Task).get(ids[3]) == changed
    assert fresh.file("tasks")._cache is None


def test_a_large_file_edited_by_another_tool_is_checked_before_it_is_trusted(
    workspace_path: Path, workspace: Workspace, clock: StillClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same layout, one record broken by hand: the store notices before any save."""
    fill(workspace, 20)
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)
    path = workspace_path / "data" / "tasks.json"
    lines = path.read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b'"rev":1', b'"rev":1,,')
    path.write_bytes(b"\n".join(lines))
    fresh = Workspace.open(workspace_path, clock=clock)
    with pytest.raises(ReadOnlyError, match="damaged"):
        fresh.repo(Task).add(Task(title="Ещё одна"))
    assert path.read_bytes() == b"\n".join(lines)
    assert list((workspace_path / "backups" / "quarantine").iterdir())


@pytest.mark.parametrize("block", [7, 64, 1000, 1 << 20])
def test_records_are_found_wherever_blocks_of_the_file_end(
    workspace_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, block: int,
) -> None:
    """Searching the file in blocks finds a record whose line is cut by a block's end."""
    from amtui.storage import patch

    fill(workspace, 40)
    path = workspace_path / "data" / "tasks.json"
    expected = {}
    offset = len(path.read_bytes().split(b"\n")[0]) + 1
    for line in path.read_bytes().split(b"\n")[1:-1]:
        record_id = orjson.loads(b"{" + line.removesuffix(b",") + b"}").popitem()[0]
        expected[record_id] = (offset, line + b"\n")
        offset += len(line) + 1
    monkeypatch.setattr(patch, "BLOCK", block)
    with open(path, "rb") as handle:
        found = patch.search_lines(handle, [*expected, "01NOSUCHTASK00000000000000"])
    assert found == expected


def test_a_new_id_is_not_searched_for_but_a_second_add_of_it_is_refused(
    workspace_path: Path, workspace: Workspace, clock: StillClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from amtui.storage import InvalidRecord, patch

    fill(workspace, 30)
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)
    fresh = Workspace.open(workspace_path, clock=clock)
    searched: list[list[str]] = []
    real_search = patch.search_lines

    def spy(handle: Any, ids: Any) -> Any:
        searched.append(list(ids))
        return real_search(handle, ids)

    monkeypatch.setattr(patch, "search_lines", spy)
    task = Task(title="Новая")
    fresh.repo(Task).add(task)
    assert all(task.id not in ids for ids in searched)
    with pytest.raises(InvalidRecord, match="already there"):
        Workspace.open(workspace_path, clock=clock).repo(Task).add(task)
    assert [raw["id"] for raw in fresh.repo(Task).scan()].count(task.id) == 1


@pytest.mark.parametrize(("cache_bytes", "block"), [(1 << 21, 1 << 20), (0, 1 << 20), (0, 50)])
def test_records_are_counted_by_a_field_without_parsing(
    workspace_path: Path, workspace: Workspace, clock: StillClock,
    monkeypatch: pytest.MonkeyPatch, cache_bytes: int, block: int,
) -> None:
    fill(workspace, 0)
    tasks = workspace.repo(Task)
    tasks.add_many([Task(title=f"Задача {n}", column="todo" if n % 3 else "review",
                         description='"column":"todo"') for n in range(40)])
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", cache_bytes)
    monkeypatch.setattr(datafile_module, "_BLOCK", block)
    fresh = Workspace.open(workspace_path, clock=clock)
    if cache_bytes == 0:
        forbid(monkeypatch, "parse_table_file")
        monkeypatch.setattr(datafile_module, "parse_line", None)  # nothing may be parsed
    assert fresh.file("tasks").count_where("column", "todo") == 26
    assert fresh.file("tasks").count_where("column", "review") == 14
    assert fresh.file("tasks").count_where("column", "done") == 0


def test_a_record_found_once_is_not_searched_for_again(
    workspace_path: Path, workspace: Workspace, clock: StillClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reading a record and then saving it searches a large file once, not once per step."""
    from amtui.storage import patch

    fill(workspace, 30)
    task_id = next(iter(workspace.repo(Task).raw()))
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)
    fresh = Workspace.open(workspace_path, clock=clock)
    searched: list[list[str]] = []
    real_search = patch.search_lines

    def spy(handle: Any, ids: Any) -> Any:
        searched.append(list(ids))
        return real_search(handle, ids)

    monkeypatch.setattr(datafile_module, "search_lines", spy)
    monkeypatch.setattr(patch, "search_lines", spy)
    tasks = fresh.repo(Task)
    task = tasks.get(task_id)
    assert tasks.get(task_id) == task
    tasks.update(task.model_copy(update={"title": "Снова"}))
    assert [ids for ids in searched if task_id in ids] == [[task_id]]
    assert Workspace.open(workspace_path).repo(Task).get(task_id).title == "Снова"
