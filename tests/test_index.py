"""The record index: Today asks it instead of reading every record, so it must say exactly what
the data files say, however they changed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest

from amtui.models import Client, Message, Task
from amtui.services.agenda import build_agenda
from amtui.services.demo import fill_demo
from amtui.services.doctor import check_workspace
from amtui.services.rules import message_late, message_open, message_urgent, task_overdue
from amtui.storage import Workspace, datafile as datafile_module
from amtui.testing import StillClock
from conftest import NOBODY, as_nobody, python_for_other_user, run_cli, unavailable


def titles(workspace: Workspace, key: str) -> list[str]:
    (found,) = [section for section in build_agenda(workspace) if section.key == key]
    return [item.title for item in found.items]


def totals(workspace: Workspace) -> dict[str, int]:
    return {section.key: section.total for section in build_agenda(workspace, limit=3)}


@pytest.fixture
def client(workspace: Workspace) -> Client:
    return workspace.repo(Client).add(Client(name="Ромашка"))


def test_today_counts_what_the_rules_say_of_every_stored_record(workspace: Workspace,
                                                                 clock: StillClock) -> None:
    """The index's counts against the rules applied to a plain read of the files."""
    fill_demo(workspace, "small", seed=3)
    now = clock()
    done = workspace.settings.columns[-1]
    messages = [m for m in workspace.file("messages").scan()
                if message_open(m) and not (m.get("snoozed_until") and
                                            m["snoozed_until"] > now.isoformat())]
    urgent = sum(1 for m in messages if message_urgent(m, workspace.settings))
    late = sum(1 for m in messages
               if not message_urgent(m, workspace.settings) and message_late(m, now))
    overdue = sum(1 for t in workspace.file("tasks").scan()
                  if task_overdue(t, now.date(), done))
    counted = totals(workspace)
    assert (counted["urgent"], counted["late_answers"], counted["overdue_tasks"]) == (
        urgent, late, overdue)
    assert urgent and late and overdue  # the demo has each, so the comparison means something


def test_a_save_keeps_the_index_in_step_without_a_rebuild(workspace: Workspace,
                                                          client: Client) -> None:
    assert titles(workspace, "overdue_tasks") == []
    tasks = workspace.file("tasks")
    assert workspace.index.is_fresh(tasks)
    task = workspace.repo(Task).add(Task(title="Баннеры", client_id=client.id,
                                         due=date(2026, 11, 20)))
    assert workspace.index.is_fresh(tasks)  # brought along with the save, not rebuilt
    assert workspace.index.get(tasks, task.id)["title"] == "Баннеры"  # type: ignore[index]
    assert titles(workspace, "overdue_tasks") == ["Баннеры"]
    workspace.repo(Task).delete(task.id)
    assert workspace.index.is_fresh(tasks)
    assert titles(workspace, "overdue_tasks") == []


def test_a_file_changed_behind_amtuis_back_is_read_again(workspace: Workspace,
                                                         client: Client) -> None:
    workspace.repo(Task).add(Task(title="Баннеры", client_id=client.id, due=date(2026, 11, 20)))
    assert titles(workspace, "overdue_tasks") == ["Баннеры"]
    path = workspace.root / "data" / "tasks.json"
    data = orjson.loads(path.read_bytes())
    (record,) = data["tasks"].values()
    record["title"] = "Баннеры (правка в редакторе)"
    path.write_bytes(orjson.dumps(data))
    assert not workspace.index.is_fresh(workspace.file("tasks"))
    assert titles(workspace, "overdue_tasks") == ["Баннеры (правка в редакторе)"]


def test_a_teammates_save_makes_this_users_copy_stale(workspace: Workspace, client: Client,
                                                       tmp_path: Path) -> None:
    """Another user's amtui keeps its own index: a save there is found here by the file."""
    assert titles(workspace, "overdue_tasks") == []
    other_cache = tmp_path / "teammate-cache"
    added = run_cli("add", "task", "Отчёт за ноябрь", "--client", client.id, "--due",
                    "2026-11-20", workspace=workspace.root,
                    env={"XDG_CACHE_HOME": str(other_cache)})
    assert added.returncode == 0, added.stderr
    assert titles(workspace, "overdue_tasks") == ["Отчёт за ноябрь"]


def test_a_save_from_another_process_of_this_user_is_brought_along(workspace: Workspace,
                                                                   client: Client) -> None:
    assert titles(workspace, "overdue_tasks") == []
    added = run_cli("add", "task", "Отчёт", "--client", client.id, "--due", "2026-11-20",
                    workspace=workspace.root)
    assert added.returncode == 0, added.stderr
    assert workspace.index.is_fresh(workspace.file("tasks"))  # that process kept it
    assert titles(workspace, "overdue_tasks") == ["Отчёт"]


def test_the_urgent_words_are_looked_for_again_when_they_change(workspace: Workspace,
                                                                client: Client,
                                                                clock: StillClock) -> None:
    now = clock()
    workspace.repo(Message).add(Message(client_id=client.id, text="Реклама остановилась",
                                        received_at=now, answer_by=now + timedelta(hours=2)))
    assert titles(workspace, "urgent") == []
    workspace.settings = workspace.settings.model_copy(
        update={"urgent_words": [*workspace.settings.urgent_words, "остановилась"]})
    assert titles(workspace, "urgent") == ["Реклама остановилась"]


def test_the_index_is_private_to_its_user(workspace: Workspace, client: Client) -> None:
    titles(workspace, "overdue_tasks")
    location = Path(workspace.index.location)
    assert stat.S_IMODE(location.stat().st_mode) == 0o600
    assert stat.S_IMODE(location.parent.stat().st_mode) == 0o700
    assert not str(location).startswith(str(workspace.root))  # nothing in the shared folder


def test_an_index_folder_others_may_write_is_not_used(workspace: Workspace, client: Client,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder someone else could put a database (or a link) in is never opened: the index
    is kept in a folder of the process's own instead, and Today is as right as ever."""
    cache = tmp_path / "shared-cache"
    (cache / "amtui" / "index").mkdir(parents=True)
    os.chmod(cache / "amtui" / "index", 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    opened = Workspace.open(workspace.root, clock=workspace.clock)
    opened.repo(Task).add(Task(title="Баннеры", client_id=client.id, due=date(2026, 11, 20)))
    assert titles(opened, "overdue_tasks") == ["Баннеры"]
    assert opened.index.temporary
    assert list((cache / "amtui" / "index").iterdir()) == []


def test_a_large_file_is_read_by_id_from_the_index(workspace: Workspace, client: Client,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafile_module, "CACHE_BYTES", 0)  # every file counts as large
    opened = Workspace.open(workspace.root, clock=workspace.clock)
    task = opened.repo(Task).add(Task(title="Баннеры", client_id=client.id))
    titles(opened, "overdue_tasks")  # builds the copies
    tasks = opened.file("tasks")

    def searched(*_args: object) -> None:
        raise AssertionError("the file was searched although the index is fresh")

    monkeypatch.setattr(tasks, "_find_line", searched)
    assert opened.repo(Task).get(task.id).title == "Баннеры"


def test_doctor_rebuilds_a_missing_index(workspace: Workspace, client: Client) -> None:
    workspace.repo(Task).add(Task(title="Баннеры", client_id=client.id, due=date(2026, 11, 20)))
    findings = [finding.text for finding in check_workspace(workspace)]
    assert any("record index of" in text and "brought up to date" in text
               for text in findings), findings
    assert workspace.index.is_fresh(workspace.file("tasks"))
    again = [finding.text for finding in check_workspace(workspace)]
    assert any(text.startswith("record index up to date") for text in again), again


def test_amtui_today_shows_the_head_of_each_section_and_counts_them_all(
        workspace: Workspace, client: Client) -> None:
    tasks = workspace.repo(Task)
    for number in range(12):
        tasks.add(Task(title=f"Задача {number:02}", client_id=client.id,
                       due=date(2026, 11, 1) + timedelta(days=number)))
    shown = run_cli("today", workspace=workspace.root)
    assert shown.returncode == 0, shown.stderr
    assert "Tasks overdue (12)" in shown.stdout
    assert "Задача 09" in shown.stdout and "Задача 10" not in shown.stdout
    assert "+2 more (amtui today --limit 0 shows all)" in shown.stdout
    everything = run_cli("today", "--limit", "0", workspace=workspace.root)
    assert "Задача 11" in everything.stdout and "more" not in everything.stdout
    as_json = orjson.loads(run_cli("today", "--json", workspace=workspace.root).stdout)
    (overdue,) = [section for section in as_json if section["key"] == "overdue_tasks"]
    assert (overdue["total"], len(overdue["items"])) == (12, 12)
    refused = run_cli("today", "--limit", "-1", workspace=workspace.root)
    assert refused.returncode == 2 and "whole number" in refused.stderr


def test_two_users_of_a_team_folder_each_keep_their_own_index(clock: StillClock) -> None:
    """The teammate (``nobody``) saves and reads Today with an index of their own; the
    first user's index is theirs alone and follows the teammate's save."""
    if os.geteuid() != 0:
        unavailable("acting as a second user needs root")
    base = Path(tempfile.mkdtemp(prefix="amtui-index-team-"))
    try:
        base.chmod(0o755)
        team, home = base / "team", base / "nobody-home"
        team.mkdir()
        home.mkdir()
        os.chown(team, -1, NOBODY)
        team.chmod(0o2770)
        os.chown(home, NOBODY, NOBODY)
        mine = Workspace.open(team, create=True, clock=clock)
        client = mine.repo(Client).add(Client(name="Ромашка"))
        assert titles(mine, "overdue_tasks") == []
        my_index = Path(mine.index.location)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONIOENCODING": "utf-8", "HOME": str(home), "LANG": "C.UTF-8",
               "AMTUI_NOW": clock().isoformat(), "AMTUI_LANG": "en"}
        python, env = python_for_other_user(as_nobody, env)

        def as_teammate(*args: str) -> str:
            done = subprocess.run([python, "-m", "amtui", *args, "--workspace", str(team)],
                                  capture_output=True, text=True, env=env,
                                  preexec_fn=as_nobody, cwd=str(home), timeout=120)
            assert done.returncode == 0, done.stderr
            return done.stdout

        as_teammate("add", "task", "From nobody", "--client", client.id, "--due", "2026-11-20")
        assert "From nobody" in as_teammate("today")
        theirs = list((home / ".cache" / "amtui" / "index").iterdir())
        assert theirs and all(path.stat().st_uid == NOBODY for path in theirs)
        assert titles(mine, "overdue_tasks") == ["From nobody"]  # found by the file
        assert my_index.stat().st_uid == 0 and stat.S_IMODE(my_index.stat().st_mode) == 0o600
        assert not [path for path in team.rglob("*.sqlite*")]  # nothing in the shared folder
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_copy_is_made_of_what_is_stored_never_of_a_save_not_yet_written(
        workspace: Workspace, client: Client) -> None:
    """Today read in a worker while a save is under way keeps no record that may never be
    written."""
    tasks = workspace.file("tasks")
    staged = Task(title="Not saved", client_id=client.id, due=date(2026, 11, 20))
    with pytest.raises(RuntimeError), workspace.transaction("tasks") as change:
        change.insert("tasks", [staged.model_dump(mode="json")])
        workspace.index.forget(tasks)
        assert titles(workspace, "overdue_tasks") == []
        raise RuntimeError("the save fails")
    assert titles(workspace, "overdue_tasks") == []
    assert workspace.index.get(tasks, staged.id) is None


# Catching up from the audit: a teammate's saves are read from the audit, not the whole file


@pytest.fixture
def no_rebuild(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each table rebuilt from its file (after this fixture is asked for)."""
    from amtui.storage.index import RecordIndex

    rebuilt: list[str] = []
    rebuild = RecordIndex._rebuild

    def noted(self: RecordIndex, connection: object, data_file: object,
              signature: object) -> bool:
        rebuilt.append(data_file.name)  # type: ignore[attr-defined]
        return rebuild(self, connection, data_file, signature)  # type: ignore[arg-type]

    monkeypatch.setattr(RecordIndex, "_rebuild", noted)
    return rebuilt


def teammate(workspace: Workspace, tmp_path: Path, *args: str) -> str:
    """Run amtui as a teammate would: their own cache, so their own index (none here)."""
    done = run_cli(*args, workspace=workspace.root,
                   env={"XDG_CACHE_HOME": str(tmp_path / "teammate-cache")})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_teammates_saves_are_caught_up_from_the_audit(
        workspace: Workspace, client: Client, tmp_path: Path, no_rebuild: list[str]) -> None:
    tasks = workspace.repo(Task)
    kept = tasks.add(Task(title="Отчёт", client_id=client.id, due=date(2026, 11, 20)))
    gone = tasks.add(Task(title="Удалят", client_id=client.id, due=date(2026, 11, 19)))
    assert titles(workspace, "overdue_tasks") == ["Удалят", "Отчёт"]
    no_rebuild.clear()
    teammate(workspace, tmp_path, "add", "task", "Баннеры", "--client", client.id, "--due",
             "2026-11-18")
    teammate(workspace, tmp_path, "edit", kept.id, "--title", "Отчёт за ноябрь")
    teammate(workspace, tmp_path, "delete", gone.id)
    assert titles(workspace, "overdue_tasks") == ["Баннеры", "Отчёт за ноябрь"]
    assert no_rebuild == []  # three saves read from the audit, not 50,000 records


def test_a_file_edited_by_hand_then_saved_by_a_teammate_is_read_whole(
        workspace: Workspace, client: Client, tmp_path: Path, no_rebuild: list[str]) -> None:
    """The teammate's save names no transaction for the file it changed (amtui did not
    write it as it was): the audit cannot say what the hand edit changed."""
    task = workspace.repo(Task).add(Task(title="Отчёт", client_id=client.id,
                                         due=date(2026, 11, 20)))
    assert titles(workspace, "overdue_tasks") == ["Отчёт"]
    path = workspace.root / "data" / "tasks.json"
    data = orjson.loads(path.read_bytes())
    data["tasks"][task.id]["title"] = "Отчёт (в редакторе)"
    path.write_bytes(orjson.dumps(data))
    no_rebuild.clear()
    teammate(workspace, tmp_path, "add", "task", "Баннеры", "--client", client.id, "--due",
             "2026-11-18")
    assert titles(workspace, "overdue_tasks") == ["Баннеры", "Отчёт (в редакторе)"]
    assert no_rebuild == ["tasks"]


def test_a_save_under_way_is_left_for_later(workspace: Workspace, client: Client,
                                            tmp_path: Path, no_rebuild: list[str]) -> None:
    """Audit lines of a save whose file is not written yet (or never was) are not read as
    done: what was saved before them is caught up, and they wait."""
    workspace.repo(Task).add(Task(title="Отчёт", client_id=client.id, due=date(2026, 11, 20)))
    assert titles(workspace, "overdue_tasks") == ["Отчёт"]
    no_rebuild.clear()
    teammate(workspace, tmp_path, "add", "task", "Баннеры", "--client", client.id, "--due",
             "2026-11-18")
    _written, last = workspace.file("tasks").lock.peek_record()
    assert last is not None
    with (workspace.root / "audit.jsonl").open("ab") as audit:
        audit.write(orjson.dumps({"action": "add", "table": "tasks", "id": "01NOTSAVEDYET",
                                  "tx": "feedfeedfeed", "after": last}) + b"\n")
    assert titles(workspace, "overdue_tasks") == ["Баннеры", "Отчёт"]
    assert no_rebuild == []


def test_a_table_made_by_hand_before_a_teammates_save_is_read_whole(
        workspace: Workspace, client: Client, tmp_path: Path, no_rebuild: list[str]) -> None:
    """A copy of a table with no file yet follows the saves that made it, but not a file
    someone put there by hand."""
    assert titles(workspace, "overdue_tasks") == []  # no tasks file yet
    made = Task(title="Из таблицы", client_id=client.id, due=date(2026, 11, 10), rev=1)
    (workspace.root / "data" / "tasks.json").write_bytes(orjson.dumps(
        {"_meta": {"schema": 1, "table": "tasks"},
         "tasks": {made.id: made.model_dump(mode="json")}}))
    no_rebuild.clear()
    teammate(workspace, tmp_path, "add", "task", "Баннеры", "--client", client.id, "--due",
             "2026-11-18")
    assert titles(workspace, "overdue_tasks") == ["Из таблицы", "Баннеры"]
    assert no_rebuild == ["tasks"]


def test_a_table_saved_first_by_a_teammate_is_caught_up(
        workspace: Workspace, client: Client, tmp_path: Path, no_rebuild: list[str]) -> None:
    assert titles(workspace, "overdue_tasks") == []  # no tasks file yet
    no_rebuild.clear()
    teammate(workspace, tmp_path, "add", "task", "Баннеры", "--client", client.id, "--due",
             "2026-11-18")
    assert titles(workspace, "overdue_tasks") == ["Баннеры"]
    assert no_rebuild == []
