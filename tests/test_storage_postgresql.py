"""What only the PostgreSQL store does: the database's transactions hold a record being
saved, schema versions and migrations kept in the database, the connection taken from the
environment (never from workspace.toml), one clear line when the database cannot be reached,
and psycopg left unloaded by the file store.

The behaviour both stores share is tested on both (``both_stores`` in test_storage_*.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from amtui.identity import os_user
from amtui.models import Record, Task
from amtui.storage import (
    ConflictError,
    InvalidRecord,
    ReadOnlyError,
    StorageError,
    TableSpec,
    Workspace,
)
from amtui.storage.index import Lookup
from amtui.testing import StillClock
from conftest import audit_entries, postgresql_workspace, run_cli, stored_records


@pytest.fixture
def database(postgresql_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AMTUI_DATABASE_URL", postgresql_url)
    return postgresql_url


@pytest.fixture
def pg(database: str, workspace_path: Path, clock: StillClock) -> Iterator[Workspace]:
    yield postgresql_workspace(workspace_path, clock)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition()`` holds (a minute at most, then fail saying ``what``)."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.01)


def sessions_waiting_for_a_lock(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM pg_stat_activity WHERE "
                                 "wait_event_type = 'Lock'").fetchone()
    return int(row[0]) if row else 0


def test_a_save_waits_for_another_hosts_transaction_then_is_refused_as_a_conflict(
    pg: Workspace, clock: StillClock, database: str,
) -> None:
    """Another host holds the record in its transaction: my save of the copy I read before
    waits for it, then sees their new revision and is refused, as on files."""
    stored = pg.repo(Task).add(Task(title="Original"))
    other_host = Workspace.open(pg.root, clock=clock)
    my_copy = pg.repo(Task).get(stored.id)
    holding, release = threading.Event(), threading.Event()

    def their_save() -> None:
        with other_host.transaction("tasks") as tx:
            current = tx.get("tasks", stored.id)
            assert current is not None
            holding.set()
            release.wait(60)
            tx.put("tasks", {**current, "title": "Their change", "rev": current["rev"] + 1},
                   "update", ["title"])

    outcome: dict[str, BaseException] = {}

    def my_save() -> None:
        try:
            pg.repo(Task).update(my_copy.model_copy(update={"title": "My change"}))
        except BaseException as error:
            outcome["error"] = error

    theirs = threading.Thread(target=their_save)
    theirs.start()
    assert holding.wait(60)
    mine = threading.Thread(target=my_save)
    mine.start()
    wait_for(lambda: sessions_waiting_for_a_lock(database) >= 1,
             "my save waiting for their transaction's hold on the record")
    release.set()
    theirs.join(60)
    mine.join(60)

    error = outcome.get("error")
    assert isinstance(error, ConflictError), error
    assert error.current.title == "Their change"
    assert error.current.rev == 2
    assert pg.repo(Task).get(stored.id).title == "Their change"
    assert [line["action"] for line in audit_entries(pg)] == ["add", "update"]


def test_a_failed_transaction_stores_nothing_of_any_table(pg: Workspace) -> None:
    kept = pg.repo(Task).add(Task(title="Kept"))
    before = stored_records(pg, "tasks")
    versions = (pg.file("tasks").version_on_disk(), pg.file("notes").version_on_disk())
    with pytest.raises(InvalidRecord), pg.transaction("notes", "tasks") as tx:
        tx.remove("tasks", kept.id)
        tx.insert("tasks", [Task(id=kept.id, title="Twice").model_dump(mode="json"),
                            Task(id=kept.id, title="Thrice").model_dump(mode="json")])
    assert stored_records(pg, "tasks") == before
    assert list(before) == [kept.id]
    assert (pg.file("tasks").version_on_disk(), pg.file("notes").version_on_disk()) == versions
    assert [line["action"] for line in audit_entries(pg)] == ["add"]


def test_a_record_is_stored_exactly_even_with_a_nul_character(pg: Workspace,
                                                              clock: StillClock) -> None:
    """jsonb cannot hold a NUL character; the record is kept exactly all the same."""
    title = "a\x00b «Ромашка» \U0001f600"
    stored = pg.repo(Task).add(Task(title=title))
    assert Workspace.open(pg.root, clock=clock).repo(Task).get(stored.id).title == title
    assert pg.repo(Task).query(title=title) == [stored]


def test_the_audit_names_the_os_user_and_the_database_role(pg: Workspace) -> None:
    pg.repo(Task).add(Task(title="Audited"))
    (line,) = audit_entries(pg)
    assert line["db_user"] == "amtui"  # the test server's role
    assert line["user"] == os_user()


class Gadget(Record):
    table = "gadgets"

    name: str
    size_cm: float = 0


def _mm_to_cm(records: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {record_id: {**{k: v for k, v in record.items() if k != "size_mm"},
                        "size_cm": float(record["size_mm"]) / 10}  # type: ignore[arg-type]
            for record_id, record in records.items()}


def test_an_older_table_is_migrated_and_a_newer_one_opens_read_only(
    pg: Workspace, clock: StillClock,
) -> None:
    version_1 = Workspace.open(pg.root, clock=clock)
    version_1.register_table(TableSpec("gadgets", Gadget, version=1, folder="gadgetry"))
    stored = version_1.repo(Gadget).add(Gadget(name="Widget"))
    with version_1.transaction("gadgets") as tx:  # as version 1 kept it
        raw = {k: v for k, v in stored.model_dump(mode="json").items() if k != "size_cm"}
        tx.put("gadgets", {**raw, "size_mm": 125}, "update", ["size_mm"])

    version_2 = Workspace.open(pg.root, clock=clock)
    version_2.register_table(TableSpec("gadgets", Gadget, version=2,
                                       migrations={1: _mm_to_cm}, folder="gadgetry"))
    assert version_2.repo(Gadget).get(stored.id).size_cm == 12.5
    assert "size_mm" not in version_2.file("gadgets").records()[stored.id]
    assert version_2.read_only_tables() == {}
    version_2.repo(Gadget).update(version_2.repo(Gadget).get(stored.id).model_copy(
        update={"name": "Widget 2"}))

    # A version-1 amtui, opened after the upgrade, reads but does not change the table.
    old = Workspace.open(pg.root, clock=clock)
    old.register_table(TableSpec("gadgets", Gadget, version=1, folder="gadgetry"))
    assert old.repo(Gadget).get(stored.id).name == "Widget 2"
    assert "newer amtui" in old.read_only_tables()["gadgets"]
    with pytest.raises(ReadOnlyError):
        old.repo(Gadget).add(Gadget(name="New"))
    assert [gadget.name for gadget in version_2.repo(Gadget).all()] == ["Widget 2"]


def test_the_store_section_refuses_a_password(workspace_path: Path, clock: StillClock) -> None:
    Workspace.open(workspace_path, create=True, clock=clock)
    with open(workspace_path / "workspace.toml", "a", encoding="utf-8") as settings:
        settings.write('\n[store]\nbackend = "postgresql"\npassword = "hunter2"\n')
    with pytest.raises(StorageError) as caught:
        Workspace.open(workspace_path, clock=clock)
    assert ".pgpass" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_a_database_out_of_reach_is_one_line_on_the_command_line(
    workspace_path: Path, clock: StillClock, tmp_path: Path,
) -> None:
    Workspace.open(workspace_path, create=True, clock=clock)
    with open(workspace_path / "workspace.toml", "a", encoding="utf-8") as settings:
        settings.write('\n[store]\nbackend = "postgresql"\n')
    result = run_cli("add", "task", "Lost", workspace=workspace_path, env={
        "AMTUI_DATABASE_URL": f"host={tmp_path / 'no-server'} user=amtui dbname=postgres"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot reach the database" in lines[0]
    assert "Traceback" not in result.stderr


def test_quick_capture_and_listing_work_on_postgresql(pg: Workspace, database: str) -> None:
    added = run_cli("add", "task", "Позвонить «Ромашке»", workspace=pg.root)
    assert added.returncode == 0, added.stderr
    task_id = added.stdout.strip()
    assert pg.repo(Task).get(task_id).title == "Позвонить «Ромашке»"
    assert not (pg.root / "data" / "tasks.json").exists()
    listed = run_cli("list", "tasks", "--json", workspace=pg.root)
    assert listed.returncode == 0, listed.stderr
    assert task_id in listed.stdout


def test_the_file_store_never_imports_psycopg(workspace: Workspace) -> None:
    code = ("import sys; from amtui.storage import Workspace; from amtui.models import Task; "
            f"w = Workspace.open({str(workspace.root)!r}); w.repo(Task).add(Task(title='x')); "
            "print(sorted(m for m in sys.modules if m.startswith('psycopg')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "AMTUI_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_an_archive_of_a_postgresql_workspace_imports_into_a_file_workspace(
    pg: Workspace, tmp_path: Path, clock: StillClock,
) -> None:
    """The archive carries the records and settings, but where records live is the target
    workspace's: the new folder keeps its files, never pointing at the source's database."""
    task = pg.repo(Task).add(Task(title="Moved «сюда»"))
    archive = tmp_path / "all.zip"
    exported = run_cli("export", "--all", str(archive), workspace=pg.root)
    assert exported.returncode == 0, exported.stderr
    target = tmp_path / "files"
    imported = run_cli("import", "--all", str(archive), workspace=target)
    assert imported.returncode == 0, imported.stderr
    opened = Workspace.open(target, clock=clock)
    assert opened.settings.store.backend == "files"
    assert opened.repo(Task).get(task.id).title == "Moved «сюда»"
    assert task.id in stored_records(opened, "tasks")


def test_a_save_on_another_host_is_heard_without_asking_the_database(
    pg: Workspace, clock: StillClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An open app asks every two seconds whether a shown table changed: on PostgreSQL the
    answer is heard (LISTEN/NOTIFY), not asked of the database each time."""
    pg.repo(Task).add(Task(title="First"))
    other_host = Workspace.open(pg.root, clock=clock)
    tasks = pg.file("tasks")
    assert len(list(tasks.scan())) == 1
    assert not tasks.changed_on_disk()  # starts listening

    def no_query(*_args: object) -> None:
        raise AssertionError("asked the database")

    with monkeypatch.context() as patch:
        patch.setattr(pg, "run", no_query)
        assert not tasks.changed_on_disk()
        other_host.repo(Task).add(Task(title="Second"))
        wait_for(tasks.changed_on_disk, "the other host's save heard")
        assert not pg.file("notes").changed_on_disk()
    assert [task["title"] for task in tasks.scan()] == ["First", "Second"]
    assert not tasks.changed_on_disk()


def test_a_query_finds_on_postgresql_what_it_finds_in_a_file(
    pg: Workspace, clock: StillClock, tmp_path: Path,
) -> None:
    """Every lookup and order of test_index_query, asked of the same records in the
    database and in a file: the same records in the same order (lookups on ids narrowed in
    SQL, the others tested as they are read)."""
    from test_index_query import LOOKUPS, ORDERS, Visit, open_with, visits

    pg.register_table(TableSpec("visits", Visit, folder="visiting"))
    plain = open_with(tmp_path / "plain", clock, ())
    for workspace in (pg, plain):
        workspace.repo(Visit).add_many(visits(), keep_timestamps=True)
    found = 0
    for lookups in LOOKUPS:
        for order in ORDERS:
            on_database = pg.repo(Visit).query(**lookups, **order)
            in_file = plain.repo(Visit).query(**lookups, **order)
            assert [visit.id for visit in on_database] == [visit.id for visit in in_file], (
                lookups, order)
            assert on_database == in_file
            found += bool(in_file)
        assert pg.repo(Visit).count(**lookups) == plain.repo(Visit).count(**lookups)
    assert found > len(LOOKUPS) * 7
    narrowed = list(pg.file("visits").candidates([Lookup.parse("client_id", "c1")]))
    assert narrowed and {visit["client_id"] for visit in narrowed} == {"c1"}
