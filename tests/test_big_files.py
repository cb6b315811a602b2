"""A table file larger than amtui keeps in memory is read a record at a time: ``amtui list
--limit N`` holds N records, ``amtui doctor`` checks one record after another. (Times and
whole-process memory on a 200 MB file: ``bench/big_file.py``.)"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from amtui.cli import main
from amtui.models import Client, Task
from amtui.storage import Workspace
from amtui.storage.datafile import CACHE_BYTES, read_table_file


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose tasks file is a few megabytes, past what is kept in memory."""
    root = tmp_path_factory.mktemp("big") / "ws"
    workspace = Workspace.open(root, create=True)
    client = workspace.repo(Client).add(Client(name="ООО «Ромашка»"))
    first = date(2026, 1, 1)
    workspace.repo(Task).add_many([
        Task(title=f"Задача {number:05d}", client_id=client.id, column="todo",
             due=first + timedelta(days=(number * 7919) % 600),
             description="Подготовить тексты, согласовать с клиентом, сверстать. " * 6)
        for number in range(9000)  # a peak of a fixed few hundred kB stays well under size / 8
    ])
    assert (root / "data" / "tasks.json").stat().st_size > CACHE_BYTES
    return root


def peak_memory(run: Callable[[], object]) -> int:
    """The most memory Python held at once while ``run`` ran (what it held before not
    counted)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_list_with_a_limit_holds_only_that_many_records(
        big: Path, capsys: pytest.CaptureFixture[str]) -> None:
    size = (big / "data" / "tasks.json").stat().st_size
    arguments = ["list", "tasks", "--limit", "3", "--json", "--workspace", str(big)]
    assert main(arguments) == 0  # imports and first-time set-up are not measured
    capsys.readouterr()

    peak = peak_memory(lambda: main(arguments))

    listed = json.loads(capsys.readouterr().out)
    everything = sorted(Workspace.open(big).file("tasks").scan(),
                        key=lambda task: (task["due"], task["title"]))
    assert [task["id"] for task in listed] == [task["id"] for task in everything[:3]]
    assert peak < size / 8, f"held {peak:,} bytes reading a {size:,}-byte file"


def test_doctor_checks_a_large_file_record_by_record(
        big: Path, capsys: pytest.CaptureFixture[str]) -> None:
    size = (big / "data" / "tasks.json").stat().st_size
    arguments = ["doctor", "--workspace", str(big)]
    assert main(arguments) == 0
    capsys.readouterr()

    peak = peak_memory(lambda: main(arguments))

    assert "data/tasks.json: 9,000 records" in capsys.readouterr().out
    assert peak < size / 8, f"held {peak:,} bytes checking a {size:,}-byte file"


def test_a_file_in_lines_is_read_before_its_end_is_reached(big: Path) -> None:
    path = big / "data" / "tasks.json"
    with open(path, "rb") as handle:
        version, records = read_table_file(handle, "tasks")
        record_id, record = next(records)
        assert version == 1 and record["id"] == record_id
        assert handle.tell() < path.stat().st_size / 8
