"""A damaged data file, or a record in one that does not validate, is shown wherever its table
is read — every pane of the app (plugins' too), ``amtui today``, ``amtui list``, ``amtui report
daily`` — naming the file and how to restore it; what can be read is still shown, and nothing
crashes. ``amtui doctor`` lists each invalid record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.widgets import DataTable, Static

from amtui.models import Client, Message, Note, Task
from amtui.storage import InvalidRecord, ReadOnlyError, Workspace
from amtui.storage.datafile import _signature
from amtui.testing import StillClock, load_plugin, settle
from amtui.ui.app import AmtuiApp
from conftest import run_cli, snapshot_files
from test_smm_calendar import NAME as CALENDAR, add_post, calendar_plugin

ROMASHKA = "ООО «Ромашка»"


@pytest.fixture
def filled(workspace: Workspace, clock: StillClock) -> Workspace:
    """A client, an overdue task, a task due later, a late message and a note."""
    now = clock()
    client = workspace.repo(Client).add(Client(name=ROMASHKA))
    workspace.repo(Client).add(Client(name="Atlas Fitness"))
    tasks = workspace.repo(Task)
    tasks.add(Task(title="Просроченная задача", client_id=client.id, column="todo",
                   due=now.date() - timedelta(days=3)))
    tasks.add(Task(title="Задача на потом", client_id=client.id, column="todo",
                   due=now.date() + timedelta(days=10)))
    workspace.repo(Message).add(Message(
        client_id=client.id, text="Где макет?", status="waiting_on_us",
        received_at=now - timedelta(days=2), answer_by=now - timedelta(days=1)))
    workspace.repo(Note).add(Note(title="Бриф", client_id=client.id, body="Сайт"))
    return workspace


def data_file(workspace: Workspace, table: str) -> Path:
    return workspace.root / "data" / f"{table}.json"


def truncate(workspace: Workspace, table: str) -> None:
    """Cut the table's file in half, as a full disk or a killed copy would."""
    path = data_file(workspace, table)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def edit_records(workspace: Workspace, table: str,
                 change: Callable[[dict[str, dict[str, Any]]], None]) -> None:
    """Change the table's records by hand, as another tool (or a text editor) would."""
    path = data_file(workspace, table)
    data = orjson.loads(path.read_bytes())
    change(data[table])
    path.write_bytes(orjson.dumps(data))


def add_raw(records: dict[str, dict[str, Any]], record_id: str, **fields: Any) -> None:
    """A record copied from the first one, with ``fields`` changed."""
    first = next(iter(records.values()))
    records[record_id] = {**first, "id": record_id, **fields}


BROKEN_TASKS = {
    "01KBAD00000000000000000001": {"rev": "x"},
    "01KBAD00000000000000000002": {"title": None},
    "01KBAD00000000000000000003": {"due": "9999-12-31"},
}


def break_tasks(records: dict[str, dict[str, Any]]) -> None:
    for record_id, fields in BROKEN_TASKS.items():
        add_raw(records, record_id, **{"title": f"Broken {record_id[-1]}", **fields})


def warnings(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert all(line.startswith("amtui: warning: ") for line in lines), stderr
    assert "Traceback" not in stderr and "this is a bug" not in stderr
    return lines


# the command line


def test_today_on_a_truncated_tasks_file_prints_the_rest_and_says_what_is_damaged(
        filled: Workspace) -> None:
    truncate(filled, "tasks")
    result = run_cli("today", workspace=filled.root)
    assert result.returncode == 1
    assert "Answers overdue (1)" in result.stdout and "Где макет?" in result.stdout
    (warning,) = warnings(result.stderr)
    assert "data/tasks.json is damaged" in warning
    assert "amtui doctor --restore tasks" in warning

    as_json = run_cli("today", "--json", workspace=filled.root)
    assert as_json.returncode == 1
    sections = {section["key"]: section for section in json.loads(as_json.stdout)}
    assert [item["title"] for item in sections["late_answers"]["items"]] == ["Где макет?"]
    assert "amtui doctor --restore tasks" in warnings(as_json.stderr)[0]


def test_list_warns_only_when_it_reads_the_damaged_file(filled: Workspace) -> None:
    truncate(filled, "tasks")
    tasks = run_cli("list", "tasks", workspace=filled.root)
    assert tasks.returncode == 1
    assert tasks.stdout == ""
    assert "no tasks match" in tasks.stderr
    assert "data/tasks.json is damaged" in tasks.stderr
    assert "amtui doctor --restore tasks" in tasks.stderr

    clients = run_cli("list", "clients", workspace=filled.root)
    assert clients.returncode == 0, clients.stderr
    assert ROMASHKA in clients.stdout and clients.stderr == ""


def test_report_daily_with_a_damaged_file_is_printed_but_not_logged_as_sent(
        filled: Workspace) -> None:
    truncate(filled, "tasks")
    before = snapshot_files(filled.root)
    result = run_cli("report", "daily", "--client", ROMASHKA, "--sent", workspace=filled.root)
    assert result.returncode == 1
    assert ROMASHKA in result.stdout
    assert "not logged as sent" in result.stderr
    assert "amtui doctor --restore tasks" in result.stderr
    after = snapshot_files(filled.root)
    assert {name: content for name, content in after.items()
            if "quarantine" not in name} == before


def test_records_that_do_not_validate_are_left_out_and_reported(filled: Workspace) -> None:
    good = [task.id for task in filled.repo(Task).all()]
    edit_records(filled, "tasks", break_tasks)

    listed = run_cli("list", "tasks", workspace=filled.root)
    assert listed.returncode == 1
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == good
    (warning,) = warnings(listed.stderr)
    assert "data/tasks.json is damaged: 3 records in it are not valid" in warning
    assert "amtui doctor" in warning and "--restore tasks" in warning

    as_json = run_cli("list", "tasks", "--json", workspace=filled.root)
    assert as_json.returncode == 1
    assert sorted(task["title"] for task in json.loads(as_json.stdout)) == [
        "Задача на потом", "Просроченная задача"]

    today = run_cli("today", workspace=filled.root)
    assert today.returncode == 1
    assert "Просроченная задача" in today.stdout and "Broken" not in today.stdout
    assert "3 records" in warnings(today.stderr)[0]

    doctor = run_cli("doctor", workspace=filled.root)
    assert doctor.returncode == 1
    assert "Traceback" not in doctor.stdout + doctor.stderr
    assert "data/tasks.json: 3 invalid records" in doctor.stdout
    problems = {record_id: line for line in doctor.stdout.splitlines()
                for record_id in BROKEN_TASKS if record_id in line}
    assert set(problems) == set(BROKEN_TASKS)
    assert "rev" in problems["01KBAD00000000000000000001"]
    assert "title" in problems["01KBAD00000000000000000002"]
    assert "9999-12-31" in problems["01KBAD00000000000000000003"]


def test_a_record_stored_before_a_bound_existed_is_found_when_read(
        filled: Workspace, clock: StillClock) -> None:
    """A revenue of 10^29 was accepted before amounts were bounded; the file says it was
    written by amtui, under the older rules: its records are checked again."""
    clients_path = data_file(filled, "clients")
    edit_records(filled, "clients",
                 lambda records: add_raw(records, "01KBIG00000000000000000001", name="Big",
                                         monthly_revenue="1e29"))
    lock = filled.file("clients").lock
    with lock:
        lock.record_written("written {} {} {}".format(*_signature(clients_path.stat())))

    workspace = Workspace.open(filled.root, clock=clock)
    assert sorted(client.name for client in workspace.repo(Client).all()) == [
        "Atlas Fitness", ROMASHKA]
    reason = workspace.read_only_tables()["clients"]
    assert "1 record in it is not valid" in reason and "monthly revenue" in reason
    with pytest.raises(ReadOnlyError):
        workspace.repo(Client).add(Client(name="New"))

    listed = run_cli("list", "clients", workspace=filled.root)
    assert listed.returncode == 1 and "Big" not in listed.stdout
    assert "data/clients.json" in listed.stderr


def test_a_valid_record_in_another_form_is_read_as_amtui_writes_it(
        filled: Workspace, clock: StillClock) -> None:
    """``"rev": "2"`` and a field left out are what another tool may write: read as the
    model says (the board does arithmetic on ``rev``), and written back that way."""
    task = next(task for task in filled.repo(Task).all() if task.title == "Задача на потом")

    def loosen(records: dict[str, dict[str, Any]]) -> None:
        records[task.id]["rev"] = "1"
        del records[task.id]["column"]

    edit_records(filled, "tasks", loosen)
    workspace = Workspace.open(filled.root, clock=clock)
    raw = workspace.file("tasks").get(task.id)
    assert raw is not None and raw["rev"] == 1 and raw["column"] == "backlog"
    assert workspace.read_only_tables() == {}
    workspace.repo(Task).update(workspace.repo(Task).get(task.id).model_copy(
        update={"title": "Переименована"}))
    stored = orjson.loads(data_file(filled, "tasks").read_bytes())["tasks"][task.id]
    assert stored["rev"] == 2 and stored["column"] == "backlog"


def test_a_large_file_with_invalid_records_is_read_record_by_record(
        filled: Workspace, clock: StillClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for a file too large to keep in memory (read a record at a time)."""
    import amtui.storage.datafile as datafile_module

    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 100)
    workspace = Workspace.open(filled.root, clock=clock)
    with workspace.transaction("tasks") as tx:  # written by amtui, in lines
        tx.insert("tasks", [Task(title=f"Task {n}").model_dump(mode="json") for n in range(5)])
    path = data_file(filled, "tasks")
    lines = path.read_bytes().split(b"\n")
    bad = orjson.loads(b"{" + lines[1].rstrip(b",") + b"}")
    ((record_id, record),) = bad.items()
    record["rev"] = "x"
    lines[1] = orjson.dumps({record_id: record})[1:-1] + b","
    path.write_bytes(b"\n".join(lines))

    reader = Workspace.open(filled.root, clock=clock)
    titles = [raw["title"] for raw in reader.file("tasks").scan()]
    assert len(titles) == 6 and record["title"] not in titles
    assert reader.file("tasks").count() == 6
    assert reader.file("tasks").get(record_id) is None
    assert not reader.file("tasks").contains(record_id)
    assert "1 record in it is not valid" in reader.read_only_tables()["tasks"]


# the app


def notice(app: AmtuiApp) -> str:
    widget = app.screen.query_one("#damage-notice", Static)
    return str(widget.render()) if widget.display else ""


PANES_AND_TABLES = [("today", "tasks"), ("board", "tasks"), ("inbox", "messages"),
                    ("clients", "clients"), ("notes", "notes")]


@pytest.mark.parametrize(("pane", "table"), PANES_AND_TABLES)
async def test_each_pane_says_which_file_it_read_is_damaged(
        filled: Workspace, pane: str, table: str) -> None:
    truncate(filled, table)
    app = AmtuiApp(Workspace.open(filled.root, clock=filled.clock), pane=pane)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = notice(app)
        assert f"data/{table}.json is damaged" in shown
        assert f"amtui doctor --restore {table}" in shown


async def test_a_pane_that_does_not_read_the_damaged_file_says_nothing(
        filled: Workspace) -> None:
    data_file(filled, "deals").write_bytes(b"{")
    app = AmtuiApp(Workspace.open(filled.root, clock=filled.clock), pane="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert notice(app) == ""


async def test_the_board_shows_the_valid_cards_of_a_file_with_invalid_records(
        filled: Workspace) -> None:
    edit_records(filled, "tasks", break_tasks)
    app = AmtuiApp(Workspace.open(filled.root, clock=filled.clock), pane="board")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        board = app.screen
        titles = sorted(card.title for card in board.cards.values())  # type: ignore[attr-defined]
        assert titles == ["Задача на потом", "Просроченная задача"]
        assert "3 records in it are not valid" in notice(app)


async def test_the_clients_pane_leaves_out_an_impossible_revenue(filled: Workspace) -> None:
    edit_records(filled, "clients",
                 lambda records: add_raw(records, "01KBIG00000000000000000001", name="Big",
                                         monthly_revenue=1e29))
    app = AmtuiApp(Workspace.open(filled.root, clock=filled.clock), pane="clients")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#records", DataTable).row_count == 2
        assert "data/clients.json" in notice(app) and "monthly revenue" in notice(app)


async def test_a_plugin_pane_says_its_file_is_damaged(workspace: Workspace,
                                                      clock: StillClock) -> None:
    plugin = calendar_plugin()
    host = load_plugin(plugin, workspace, CALENDAR)
    client = workspace.repo(Client).add(Client(name=ROMASHKA))
    add_post(workspace, client, date(2026, 11, 26), title="Анонс")
    posts = next((workspace.root / "data").rglob("posts.json"))
    posts.write_bytes(posts.read_bytes()[:-10])
    relative = posts.relative_to(workspace.root).as_posix()
    app = AmtuiApp(Workspace.open(workspace.root, clock=clock), pane="calendar", plugins=host)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert f"{relative} is damaged" in notice(app)
        assert "amtui doctor --restore " in notice(app)


def test_the_store_writes_only_valid_records(filled: Workspace) -> None:
    """A file amtui wrote is trusted when read, so nothing invalid is written, whatever path
    it takes (a plugin's transaction, a record restored from the trash)."""
    before = snapshot_files(filled.root)
    task = filled.file("tasks").get(filled.repo(Task).all()[0].id)
    assert task is not None
    for record in ({**task, "rev": "x"}, {**task, "title": None},
                   {**task, "id": "01KNEW00000000000000000001", "due": "9999-12-31"}):
        with pytest.raises(InvalidRecord), filled.transaction("tasks") as change:
            change.put("tasks", record, "update", [])
        with pytest.raises(InvalidRecord), filled.transaction("tasks") as change:
            change.insert("tasks", [{**record, "id": "01KNEW00000000000000000002"}])
    assert snapshot_files(filled.root) == before
