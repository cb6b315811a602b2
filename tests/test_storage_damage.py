"""Damaged, newer, older, full and read-only: the store never makes a bad situation worse.

A damaged file opens as an empty read-only table and is never overwritten; a file from a
newer amtui opens read-only; an older one is migrated after a backup; a full disk or a
read-only workspace refuses the save with a clear message and leaves every file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

import amtui.storage.files as storage_files
from amtui.models import Client, Record, Task
from amtui.storage import (
    DiskFullError,
    ReadOnlyError,
    StorageError,
    TableSpec,
    TrashBin,
    Workspace,
)
from amtui.storage.files import is_temp_file
from amtui.testing import StillClock
from conftest import as_nobody, python_for_other_user, run_cli, snapshot_files, unavailable

REPO_ROOT = Path(__file__).resolve().parent.parent


def tasks_file(root: Path) -> Path:
    return root / "data" / "tasks.json"


def temp_files(root: Path) -> list[str]:
    return [name for _folder, _subs, names in os.walk(root / "data")
            for name in names if is_temp_file(name)]


def quarantined(root: Path) -> list[bytes]:
    folder = root / "backups" / "quarantine"
    return sorted(path.read_bytes() for path in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def one_task(workspace: Workspace) -> Task:
    """The workspace holds one task (and one client), so tasks.json exists."""
    workspace.repo(Client).add(Client(name="Ромашка"))
    return workspace.repo(Task).add(Task(title="Stored before the damage"))


def _key_differs(valid: bytes, record_id: str) -> bytes:
    data = orjson.loads(valid)
    data["tasks"] = {"SOMEOTHERKEY": data["tasks"][record_id]}
    return orjson.dumps(data)


def _wrapped(valid: bytes, record_id: str) -> bytes:
    return orjson.dumps([orjson.loads(valid)])


def _records_not_object(valid: bytes, record_id: str) -> bytes:
    data = orjson.loads(valid)
    data["tasks"] = list(data["tasks"].values())
    return orjson.dumps(data)


def _no_meta(valid: bytes, record_id: str) -> bytes:
    data = orjson.loads(valid)
    del data["_meta"]
    return orjson.dumps(data)


DAMAGE: dict[str, Callable[[bytes, str], bytes]] = {
    "truncated-half": lambda valid, _id: valid[: len(valid) // 2],
    "truncated-last-byte": lambda valid, _id: valid[:-1],
    "empty": lambda valid, _id: b"",
    "blank": lambda valid, _id: b"  \n\t\n",
    "nul-bytes": lambda valid, _id: b"\x00" * len(valid),
    "deeply-nested": lambda valid, _id: b"[" * 100_000 + b"]" * 100_000,
    "trailing-garbage": lambda valid, _id: valid + b"\ngarbage",
    "trailing-json": lambda valid, _id: valid + b'\n{"tasks":{}}',
    "key-differs-from-id": _key_differs,
    "wrong-top-level-type": _wrapped,
    "records-not-an-object": _records_not_object,
    "no-schema": _no_meta,
}


def damage(root: Path, task: Task, case: str) -> bytes:
    path = tasks_file(root)
    content = DAMAGE[case](path.read_bytes(), task.id)
    path.write_bytes(content)
    return content


@pytest.mark.parametrize("case", list(DAMAGE))
def test_save_into_damaged_file_is_refused_and_the_file_kept(
    workspace_path: Path, clock: StillClock, one_task: Task, case: str,
) -> None:
    """A process that has not read the table yet (a quick capture) tries to add to it."""
    content = damage(workspace_path, one_task, case)
    fresh = Workspace.open(workspace_path, clock=clock)
    with pytest.raises(ReadOnlyError) as caught:
        fresh.repo(Task).add(Task(title="Added after the damage"))
    assert "data/tasks.json" in str(caught.value)
    assert tasks_file(workspace_path).read_bytes() == content
    assert temp_files(workspace_path) == []
    if content:
        assert quarantined(workspace_path) == [content]


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_file_opens_as_an_empty_read_only_table(
    workspace_path: Path, clock: StillClock, one_task: Task, case: str,
) -> None:
    content = damage(workspace_path, one_task, case)
    workspace = Workspace.open(workspace_path, clock=clock)
    tasks = workspace.repo(Task)

    assert tasks.all() == []
    assert tasks.count() == 0
    reasons = workspace.read_only_tables()
    assert list(reasons) == ["tasks"]
    reason = reasons["tasks"]
    assert "data/tasks.json" in reason
    assert "damaged" in reason
    assert "amtui doctor --restore tasks" in reason

    with pytest.raises(ReadOnlyError) as caught:
        tasks.add(Task(title="Added after the damage"))
    assert "data/tasks.json" in str(caught.value)

    assert tasks_file(workspace_path).read_bytes() == content
    assert temp_files(workspace_path) == []
    if content:
        copies = quarantined(workspace_path)
        assert copies == [content]
        assert "backups/quarantine/tasks.json." in reason
    else:
        # Nothing to keep of an empty file; the message must not claim a copy then.
        assert "a copy is kept" not in reason
    # The other tables are not affected.
    assert workspace.repo(Client).add(Client(name="Still writable")).rev == 1


def test_update_and_delete_on_a_damaged_table_say_it_is_read_only(
    workspace_path: Path, clock: StillClock, one_task: Task,
) -> None:
    """Someone edits a record they read before the file was damaged: the save is refused
    because the table is read-only, not because the record "was deleted meanwhile"."""
    reader = Workspace.open(workspace_path, clock=clock)
    held = reader.repo(Task).get(one_task.id)
    content = damage(workspace_path, one_task, "truncated-half")
    with pytest.raises(ReadOnlyError) as caught:
        reader.repo(Task).update(held.model_copy(update={"title": "Changed after the damage"}))
    assert "data/tasks.json" in str(caught.value)
    with pytest.raises(ReadOnlyError):
        reader.repo(Task).delete(held.id)
    assert tasks_file(workspace_path).read_bytes() == content
    assert TrashBin(reader).entries() == []


@pytest.mark.parametrize("case", ["truncated-half", "key-differs-from-id"])
def test_cli_on_a_damaged_file(workspace_path: Path, one_task: Task, case: str) -> None:
    content = damage(workspace_path, one_task, case)
    before = snapshot_files(workspace_path)

    added = run_cli("add", "task", "New task", workspace=workspace_path)
    assert added.returncode == 1
    assert added.stdout == ""
    assert added.stderr.startswith("amtui: error: ")
    assert added.stderr.count("\n") == 1
    assert "data/tasks.json" in added.stderr
    assert "Traceback" not in added.stderr
    assert tasks_file(workspace_path).read_bytes() == content

    # What can be read is printed (nothing), the damage is said on stderr.
    listed = run_cli("list", "tasks", "--json", workspace=workspace_path)
    assert listed.returncode == 1
    assert listed.stdout == "[]\n"
    assert listed.stderr.startswith("amtui: warning: ")
    assert "data/tasks.json" in listed.stderr and "damaged" in listed.stderr
    assert "amtui doctor --restore tasks" in listed.stderr

    doctor = run_cli("doctor", workspace=workspace_path)
    assert doctor.returncode == 1
    assert "data/tasks.json" in doctor.stdout
    assert "--restore tasks" in doctor.stdout

    after = snapshot_files(workspace_path)
    # Only the quarantine copy may have been added.
    assert {k: v for k, v in after.items() if "quarantine" not in k} == before


def test_newer_schema_opens_read_only_with_records_readable(
    workspace_path: Path, clock: StillClock, one_task: Task,
) -> None:
    path = tasks_file(workspace_path)
    data = orjson.loads(path.read_bytes())
    data["_meta"]["schema"] = 99
    data["tasks"][one_task.id]["field_from_the_future"] = [1, 2, 3]
    content = orjson.dumps(data)
    path.write_bytes(content)

    # A quick capture that has not read the file must not write into it either.
    with pytest.raises(ReadOnlyError) as caught:
        Workspace.open(workspace_path, clock=clock).repo(Task).add(Task(title="New"))
    assert "newer" in str(caught.value)
    assert path.read_bytes() == content

    workspace = Workspace.open(workspace_path, clock=clock)
    tasks = workspace.repo(Task)
    assert tasks.get(one_task.id).title == "Stored before the damage"
    assert [task.id for task in tasks.all()] == [one_task.id]
    reason = workspace.read_only_tables()["tasks"]
    assert "data/tasks.json" in reason
    assert "99" in reason
    assert "newer" in reason
    with pytest.raises(ReadOnlyError):
        tasks.add(Task(title="New"))
    with pytest.raises(ReadOnlyError):
        tasks.update(tasks.get(one_task.id).model_copy(update={"title": "Changed"}))
    with pytest.raises(ReadOnlyError):
        tasks.delete(one_task.id)
    assert path.read_bytes() == content
    assert quarantined(workspace_path) == []
    assert temp_files(workspace_path) == []


# migrations


class Gadget(Record):
    """A plugin's record: version 1 stored the size in millimetres, version 2 in centimetres."""

    table = "gadgets"

    name: str
    size_cm: float = 0.0


def _mm_to_cm(records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    migrated = {}
    for record_id, record in records.items():
        record = dict(record)
        record["size_cm"] = record.pop("size_mm") / 10
        migrated[record_id] = record
    return migrated


def test_older_schema_is_migrated_after_a_backup(workspace_path: Path, clock: StillClock) -> None:
    version_1 = Workspace.open(workspace_path, create=True, clock=clock)
    version_1.register_table(TableSpec("gadgets", Gadget, version=1, folder="gadgetry"))
    stored = version_1.repo(Gadget).add(Gadget(name="Widget"))
    path = workspace_path / "data" / "gadgetry" / "gadgets.json"
    data = orjson.loads(path.read_bytes())
    assert data["_meta"]["schema"] == 1
    data["gadgets"][stored.id]["size_mm"] = 125
    del data["gadgets"][stored.id]["size_cm"]
    old_content = orjson.dumps(data)
    path.write_bytes(old_content)

    version_2 = Workspace.open(workspace_path, clock=clock)
    version_2.register_table(TableSpec("gadgets", Gadget, version=2,
                                       migrations={1: _mm_to_cm}, folder="gadgetry"))
    gadget = version_2.repo(Gadget).get(stored.id)

    assert gadget.size_cm == 12.5
    assert "gadgets" not in version_2.read_only_tables()
    migrated = orjson.loads(path.read_bytes())
    assert migrated["_meta"]["schema"] == 2
    assert migrated["gadgets"][stored.id]["size_cm"] == 12.5
    assert "size_mm" not in migrated["gadgets"][stored.id]
    backups = [p for p in (workspace_path / "backups").rglob("gadgets.json")
               if "quarantine" not in p.parts]
    assert [p.read_bytes() for p in backups] == [old_content]
    assert "gadgets" in backups[0].parent.parent.name  # the snapshot says why it was taken
    # The migrated table is writable and stays at version 2.
    version_2.repo(Gadget).update(gadget.model_copy(update={"name": "Widget 2"}))
    assert orjson.loads(path.read_bytes())["_meta"]["schema"] == 2


def test_missing_migration_step_leaves_the_file_alone_and_read_only(
    workspace_path: Path, clock: StillClock,
) -> None:
    version_1 = Workspace.open(workspace_path, create=True, clock=clock)
    version_1.register_table(TableSpec("gadgets", Gadget, version=1))
    stored = version_1.repo(Gadget).add(Gadget(name="Widget", size_cm=3))
    path = workspace_path / "data" / "gadgets.json"
    content = path.read_bytes()

    version_3 = Workspace.open(workspace_path, clock=clock)
    version_3.register_table(TableSpec("gadgets", Gadget, version=3, migrations={1: dict}))
    assert version_3.repo(Gadget).get(stored.id).name == "Widget"
    reason = version_3.read_only_tables()["gadgets"]
    assert "data/gadgets.json" in reason
    assert "2" in reason and "3" in reason
    with pytest.raises(ReadOnlyError):
        version_3.repo(Gadget).add(Gadget(name="New"))
    assert path.read_bytes() == content


# full disk


class FakeDisk:
    """Stands in for ``os`` inside amtui.storage.files: ``write`` has ``room`` bytes left.

    Like a real nearly full disk, a write that does not fit writes what fits and says so; the
    next write fails with ENOSPC.
    """

    def __init__(self, room: int) -> None:
        self.room = room

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, fd: int, data: Any) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        size = min(len(data), self.room)
        written = os.write(fd, bytes(memoryview(data)[:size]))
        self.room -= written
        return written


def _check_refused_save(root: Path, clock: StillClock, save: Callable[[], Any],
                        before: dict[str, bytes]) -> None:
    with pytest.raises(DiskFullError) as caught:
        save()
    message = str(caught.value)
    assert "disk is full" in message
    assert "tasks.json" in message
    assert "\n" not in message
    assert snapshot_files(root) == before
    assert temp_files(root) == []
    # What is stored is still readable, whole, by anyone.
    assert [t.title for t in Workspace.open(root, clock=clock).repo(Task).all()] == ["Kept"]


@pytest.mark.parametrize("room", [0, 20, 300])
@pytest.mark.parametrize("reader", ["quick-capture", "has-read-the-table"])
def test_full_disk_refuses_the_save_and_keeps_the_file(
    workspace_path: Path, clock: StillClock, monkeypatch: pytest.MonkeyPatch,
    room: int, reader: str,
) -> None:
    Workspace.open(workspace_path, create=True, clock=clock).repo(Task).add(Task(title="Kept"))
    before = snapshot_files(workspace_path)
    workspace = Workspace.open(workspace_path, clock=clock)
    if reader == "has-read-the-table":
        workspace.repo(Task).all()
    monkeypatch.setattr(storage_files, "os", FakeDisk(room))
    _check_refused_save(
        workspace_path, clock,
        lambda: workspace.repo(Task).add(Task(title="Does not fit", description="x" * 500)),
        before,
    )
    monkeypatch.undo()
    # With room again, the same workspace object saves normally.
    workspace.repo(Task).add(Task(title="Fits now"))
    titles = sorted(t.title for t in Workspace.open(workspace_path).repo(Task).all())
    assert titles == ["Fits now", "Kept"]


class FullForTheAudit(FakeDisk):
    """A disk with ``room`` bytes left for the audit log, and all the room data files need."""

    def write(self, fd: int, data: Any) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("audit.jsonl"):
            return super().write(fd, data)
        return os.write(fd, data)


@pytest.mark.parametrize("room", [0, 40])
def test_full_disk_at_the_audit_saves_nothing_and_a_retry_adds_once(
    workspace_path: Path, clock: StillClock, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], room: int,
) -> None:
    """The audit line is written before the data: when it does not fit, nothing is saved,
    the command fails, and trying again stores the record once."""
    from amtui.cli import main

    Workspace.open(workspace_path, create=True, clock=clock).repo(Task).add(Task(title="Kept"))
    before = snapshot_files(workspace_path)
    where = ["--workspace", str(workspace_path)]
    monkeypatch.setattr(storage_files, "os", FullForTheAudit(room))

    assert main(["add", "task", "New", *where]) == 1

    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "disk is full" in error and "tasks.json" in error
    assert snapshot_files(workspace_path) == before  # the audit too: a cut line is taken back
    assert temp_files(workspace_path) == []
    monkeypatch.undo()
    assert main(["add", "task", "New", *where]) == 0
    titles = [task.title for task in Workspace.open(workspace_path, clock=clock).repo(Task).all()]
    assert sorted(titles) == ["Kept", "New"]


def test_doctor_finds_records_with_no_audit_entry(workspace_path: Path, one_task: Task) -> None:
    """A revision saved without amtui's audit (a hand edit, another program, an older amtui
    killed between its save and its log) is reported."""
    healthy = run_cli("doctor", workspace=workspace_path)
    assert healthy.returncode == 0, healthy.stdout
    path = tasks_file(workspace_path)
    path.write_bytes(path.read_bytes().replace(b'"rev":1', b'"rev":2'))

    result = run_cli("doctor", workspace=workspace_path)

    assert result.returncode == 1
    assert (f"data/tasks.json: 1 record has no audit entry for its revision (first "
            f"{one_task.id} rev 2)") in result.stdout


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, when this runs as root and may mount one."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        unavailable("mounting a tmpfs needs root (the FakeDisk tests cover this case)")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True, text=True,
    )
    if mounted.returncode != 0:
        unavailable(f"a tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def fill_up(folder: Path) -> Path:
    """Fill the file system holding ``folder``; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            chunk = b"\xff" * size
            with contextlib.suppress(OSError):
                while True:
                    handle.write(chunk)
    assert os.statvfs(folder).f_bavail == 0
    return filler


PAGE = 4096


@pytest.mark.parametrize("free_pages", [0, "just-too-few"])
@pytest.mark.parametrize("reader", ["quick-capture", "has-read-the-table"])
def test_really_full_disk(tiny_disk: Path, clock: StillClock, reader: str,
                          free_pages: int | str) -> None:
    root = tiny_disk / "ws"
    setup = Workspace.open(root, create=True, clock=clock)
    kept = setup.repo(Task).add(Task(title="Kept"))
    # Make the file end 100 bytes before a page boundary, so that the bytes kept from it fit
    # in the pages left while the new record does not: the last write only partly succeeds.
    size = len(tasks_file(root).read_bytes())
    padding = (-(size - 2) - 100) % PAGE
    setup.repo(Task).update(kept.model_copy(update={"description": "p" * padding}))
    assert (len(tasks_file(root).read_bytes()) - 2) % PAGE == PAGE - 100

    workspace = Workspace.open(root, clock=clock)
    if reader == "has-read-the-table":
        workspace.repo(Task).all()
    filler = fill_up(tiny_disk)
    if free_pages == "just-too-few":
        pages = -(-(len(tasks_file(root).read_bytes()) - 2) // PAGE)
        os.truncate(filler, filler.stat().st_size - pages * PAGE)
    before = snapshot_files(root)
    _check_refused_save(
        root, clock,
        lambda: workspace.repo(Task).add(Task(title="Does not fit", description="y" * 600)),
        before,
    )
    filler.unlink()
    workspace.repo(Task).add(Task(title="Fits now"))
    assert sorted(t.title for t in Workspace.open(root).repo(Task).all()) == ["Fits now", "Kept"]


# a workspace this user may read but not change

@pytest.fixture
def shared_readable_workspace(clock: StillClock) -> Iterator[Path]:
    """A workspace outside the (private) pytest temp folder, so another user can reach it."""
    base = Path(tempfile.mkdtemp(prefix="amtui-ro-"))
    try:
        base.chmod(0o755)
        root = base / "ws"
        workspace = Workspace.open(root, create=True, clock=clock)
        client = workspace.repo(Client).add(Client(name="Ромашка"))
        workspace.repo(Task).add(Task(title="Readable task", client_id=client.id))
        yield root
    finally:
        for folder, _subs, _names in os.walk(base):
            os.chmod(folder, 0o755)
        shutil.rmtree(base, ignore_errors=True)


def _every_file(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_read_only_workspace(shared_readable_workspace: Path) -> None:
    root = shared_readable_workspace
    if os.geteuid() == 0:
        for folder, _subs, names in os.walk(root):
            os.chmod(folder, 0o755)
            for name in names:
                os.chmod(Path(folder, name), 0o644)
        preexec: Callable[[], None] | None = as_nobody
    else:
        for folder, _subs, names in os.walk(root, topdown=False):
            for name in names:
                os.chmod(Path(folder, name), 0o444)
            os.chmod(folder, 0o555)
        preexec = None
    before = _every_file(root)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONIOENCODING": "utf-8", "HOME": str(root.parent), "LANG": "C.UTF-8",
           "AMTUI_LANG": "en"}  # the workspace says ru_RU; these lines are checked in English
    python, env = python_for_other_user(preexec, env)

    def amtui(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, "-m", "amtui", *args, "--workspace", str(root)],
            capture_output=True, text=True, env=env, cwd=root.parent,
            preexec_fn=preexec, timeout=60,
        )

    listed = amtui("list", "tasks", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [task["title"] for task in json.loads(listed.stdout)] == ["Readable task"]

    for args in (("add", "task", "X"), ("add", "client", "Y"),
                 ("add", "task", "Z", "--client", "Ромашка")):
        added = amtui(*args)
        assert added.returncode == 1, (args, added.stdout, added.stderr)
        assert added.stdout == ""
        assert added.stderr.startswith("amtui: error: ")
        assert added.stderr.count("\n") == 1
        assert "Traceback" not in added.stderr
        assert "writable" in added.stderr or "read-only" in added.stderr
    assert _every_file(root) == before
    assert temp_files(root) == []


# restore from a backup


def test_doctor_restore_puts_back_the_newest_backup(workspace_path: Path, clock: StillClock,
                                                    one_task: Task) -> None:
    backup = run_cli("backup", workspace=workspace_path)
    assert backup.returncode == 0, backup.stderr
    snapshot = Path(backup.stdout.strip())
    assert (snapshot / "tasks.json").read_bytes() == tasks_file(workspace_path).read_bytes()
    # A later change, then a newer backup, then the damage.
    Workspace.open(workspace_path, clock=clock).repo(Task).add(Task(title="In the newer backup"))
    clock.advance(minutes=1)
    newer = run_cli("backup", workspace=workspace_path)
    assert newer.returncode == 0, newer.stderr
    good = tasks_file(workspace_path).read_bytes()
    damaged = damage(workspace_path, one_task, "truncated-half")
    assert Workspace.open(workspace_path).read_only_tables().keys() == {"tasks"}

    restored = run_cli("doctor", "--restore", "tasks", workspace=workspace_path)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restored data/tasks.json" in restored.stdout
    assert tasks_file(workspace_path).read_bytes() == good
    workspace = Workspace.open(workspace_path, clock=clock)
    assert workspace.read_only_tables() == {}
    assert sorted(t.title for t in workspace.repo(Task).all()) == [
        "In the newer backup", "Stored before the damage",
    ]
    # The damaged file was kept in a snapshot before it was replaced, not thrown away, under
    # a name that no restore takes for a readable copy.
    kept = [p.name for p in (workspace_path / "backups").rglob("tasks.json*")
            if "quarantine" not in p.parts and p.read_bytes() == damaged]
    assert kept == ["tasks.json.damaged"]
    # And the table is writable again.
    assert workspace.repo(Task).add(Task(title="After the restore")).rev == 1


def test_doctor_restore_without_a_backup_fails_clearly(workspace_path: Path,
                                                       one_task: Task) -> None:
    damaged = damage(workspace_path, one_task, "nul-bytes")
    result = run_cli("doctor", "--restore", "tasks", workspace=workspace_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "backup" in result.stderr
    assert tasks_file(workspace_path).read_bytes() == damaged


def test_doctor_restore_unknown_table(workspace_path: Path, one_task: Task) -> None:
    result = run_cli("doctor", "--restore", "nosuchtable", workspace=workspace_path)
    assert result.returncode == 2
    assert "nosuchtable" in result.stderr


def test_damaged_data_file_does_not_hide_read_errors(
    workspace_path: Path, one_task: Task, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unreadable (permission) is not the same as damaged: nothing is quarantined."""
    from amtui.storage import datafile

    path = tasks_file(workspace_path)
    real_open = datafile.open_in

    def refusing_open(within: Path, file: Path, *args: Any, **kwargs: Any) -> Any:
        if file == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(within, file, *args, **kwargs)

    monkeypatch.setattr(datafile, "open_in", refusing_open)
    with pytest.raises(StorageError) as caught:
        Workspace.open(workspace_path).repo(Task).all()
    assert "permission denied" in str(caught.value)
    assert "data/tasks.json" in str(caught.value)
    assert quarantined(workspace_path) == []


# every table, plugins' too: backups, doctor, restore


class Tally(Record):
    """A plugin's table, in data/tallyplugin/."""

    table = "tallies"

    name: str


TALLIES = TableSpec("tallies", Tally, folder="tallyplugin")
EMPTY_POSTS = b'{"_meta":{"schema":1,"table":"posts"},"posts":{\n}}'


def posts_file(root: Path) -> Path:
    return root / "data" / "smm_calendar" / "posts.json"


def test_backup_copies_plugin_tables_whether_or_not_their_plugin_is_loaded(
    workspace: Workspace,
) -> None:
    workspace.register_table(TALLIES)
    workspace.repo(Tally).add(Tally(name="one"))
    posts_file(workspace.root).parent.mkdir()
    posts_file(workspace.root).write_bytes(EMPTY_POSTS)
    for plugins in ("", None):  # none loaded, then the bundled ones
        env = {"AMTUI_LOAD_PLUGINS": plugins} if plugins is not None else {}
        result = run_cli("backup", workspace=workspace.root, env=env)
        assert result.returncode == 0, result.stderr
        snapshot = Path(result.stdout.strip())
        tallies = workspace.root / "data" / "tallyplugin" / "tallies.json"
        assert (snapshot / "tallyplugin" / "tallies.json").read_bytes() == tallies.read_bytes()
        assert (snapshot / "smm_calendar" / "posts.json").read_bytes() == EMPTY_POSTS


@pytest.mark.parametrize("plugins", ["bundled loaded", "none loaded"])
def test_doctor_checks_plugin_tables(workspace: Workspace, plugins: str) -> None:
    env = {} if plugins == "bundled loaded" else {"AMTUI_LOAD_PLUGINS": ""}
    posts_file(workspace.root).parent.mkdir()
    posts_file(workspace.root).write_bytes(EMPTY_POSTS)
    healthy = run_cli("doctor", workspace=workspace.root, env=env)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    posts_file(workspace.root).write_bytes(b"garbage, not a table")

    result = run_cli("doctor", workspace=workspace.root, env=env)

    assert result.returncode == 1
    assert "workspace is healthy" not in result.stdout
    assert "problem data/smm_calendar/posts.json: it is not valid JSON" in result.stdout
    assert "1 problem found" in result.stdout


@pytest.mark.parametrize("name, plugins", [("posts", "bundled loaded"),
                                           ("smm_calendar/posts", "none loaded")])
def test_doctor_restores_a_plugin_table(workspace: Workspace, name: str, plugins: str) -> None:
    env = {} if plugins == "bundled loaded" else {"AMTUI_LOAD_PLUGINS": ""}
    posts_file(workspace.root).parent.mkdir()
    posts_file(workspace.root).write_bytes(EMPTY_POSTS)
    assert run_cli("backup", workspace=workspace.root).returncode == 0
    posts_file(workspace.root).write_bytes(b"garbage")

    result = run_cli("doctor", "--restore", name, workspace=workspace.root, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("restored data/smm_calendar/posts.json from backups/")
    assert posts_file(workspace.root).read_bytes() == EMPTY_POSTS


def test_doctor_restore_names_the_tables_it_knows(workspace: Workspace) -> None:
    posts_file(workspace.root).parent.mkdir()
    posts_file(workspace.root).write_bytes(EMPTY_POSTS)
    result = run_cli("doctor", "--restore", "post", workspace=workspace.root,
                     env={"AMTUI_LOAD_PLUGINS": ""})
    assert result.returncode == 2
    assert "no table named 'post'" in result.stderr and "smm_calendar/posts" in result.stderr
    assert posts_file(workspace.root).read_bytes() == EMPTY_POSTS


def test_backup_of_a_damaged_file_says_so_and_never_prunes_the_last_good_copy(
    workspace: Workspace, clock: StillClock,
) -> None:
    from amtui.services.doctor import restore_table
    from amtui.storage.datafile import KEEP_SNAPSHOTS, snapshots

    workspace.register_table(TALLIES)
    workspace.repo(Tally).add(Tally(name="one"))
    workspace.repo(Task).add(Task(title="Kept"))
    tallies = workspace.root / "data" / "tallyplugin" / "tallies.json"
    good = tallies.read_bytes()
    assert run_cli("backup", workspace=workspace.root).returncode == 0
    first = snapshots(workspace.root)[0]
    tallies.write_bytes(b'{"_meta": ')

    for _backup in range(KEEP_SNAPSHOTS + 3):
        result = run_cli("backup", workspace=workspace.root)
        assert result.returncode == 1
        assert result.stderr == (
            "amtui: data/tallyplugin/tallies.json is damaged (it is not valid JSON (unexpected "
            "end of data: line 1 column 11 (char 10))): kept in this backup as "
            "tallyplugin/tallies.json.damaged; the newest readable copy is in "
            f"backups/{first.name}\n")
        assert (Path(result.stdout.strip()) / "tallyplugin" / "tallies.json.damaged").exists()
    kept = snapshots(workspace.root)
    assert len(kept) == KEEP_SNAPSHOTS + 1
    assert kept[0] == first  # the last readable copy of tallies.json
    assert restore_table(workspace, "tallies") == ("data/tallyplugin/tallies.json",
                                                   f"backups/{first.name}")
    assert tallies.read_bytes() == good
