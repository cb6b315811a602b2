"""Crash safety: ``kill -9`` at any moment never leaves a damaged file or loses a saved change.

A writer process saves records in a loop and reports each save once it has returned; the test
kills it at random moments, then checks that every file still parses, that every reported save
is there, and that the next start removes the temp files the killed writer left behind.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from amtui.models import Client, Task
from amtui.storage import Workspace
from amtui.storage.datafile import parse_table_file
from amtui.storage.files import is_temp_file, temp_target
from amtui.testing import StillClock

WRITER = textwrap.dedent(
    """
    import random
    import sys

    from amtui.models import ChecklistItem, Client, Task
    from amtui.storage import Workspace

    root, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    workspace = Workspace.open(root, create=True)
    repos = {"tasks": workspace.repo(Task), "clients": workspace.repo(Client)}
    label = {"tasks": "title", "clients": "name"}
    known = {table: {r.id: r for r in repo.all()} for table, repo in repos.items()}
    out = sys.stdout
    out.write("ready\\n")
    out.flush()
    step = 0
    while True:
        step += 1
        table = "clients" if rng.random() < 0.3 else "tasks"
        repo = repos[table]
        text = f"{table} {seed}-{step} " + "Ж" * rng.randrange(0, 3000)
        roll = rng.random()
        if known[table] and roll < 0.45:
            record = known[table][rng.choice(list(known[table]))]
            saved = [repo.update(record.model_copy(update={label[table]: text[:400]}))]
        elif table == "tasks" and roll < 0.55:
            batch = [Task(title=f"batch {seed}-{step}-{n}", description=text)
                     for n in range(rng.randrange(2, 6))]
            saved = repo.add_many(batch)
        elif table == "tasks":
            client = rng.choice([None, *known["clients"]])
            saved = [repo.add(Task(title=text[:300], description=text, client_id=client,
                                   checklist=[ChecklistItem(text="шаг 1")]))]
        else:
            saved = [repo.add(Client(name=text[:300], tags=["crash", str(seed)]))]
        for record in saved:
            known[table][record.id] = record
            out.write(f"{table} {record.id} {record.rev}\\n")
        out.flush()
    """
)

ROUNDS = 20


@pytest.fixture
def writer_script(tmp_path: Path) -> Path:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    return script


def data_files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "data").rglob("*.json")
                  if path.is_file() and not is_temp_file(path.name))


def temp_files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "data").rglob("*") if is_temp_file(path.name))


def acknowledged_lines(output: bytes) -> list[tuple[str, str, int]]:
    """The saves the writer reported completely (a line cut by the kill does not count)."""
    lines = output.split(b"\n")[:-1]  # the piece after the last newline is incomplete
    saves = []
    for line in lines:
        if line == b"ready":
            continue
        table, record_id, rev = line.decode().split()
        saves.append((table, record_id, int(rev)))
    return saves


def audited_revisions(root: Path) -> set[tuple[str, str, int]]:
    """(table, id, rev) of every readable audit line."""
    found = set()
    for line in (root / "audit.jsonl").read_bytes().splitlines():
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        found.add((entry["table"], entry["id"], entry.get("rev")))
    return found


def check_workspace(root: Path, acknowledged: dict[tuple[str, str], int]) -> int:
    # Every data file parses as it is on disk (before anything could repair it) ...
    for path in data_files(root):
        content = path.read_bytes()
        data = orjson.loads(content)
        assert isinstance(data, dict), path
        parse_table_file(content, path.stem)
    # ... and through the store, which sees no damage.
    workspace = Workspace.open(root, clock=StillClock())
    assert temp_files(root) == []
    assert workspace.read_only_tables() == {}
    stored = {
        "tasks": {task.id: task.rev for task in workspace.repo(Task).all()},
        "clients": {client.id: client.rev for client in workspace.repo(Client).all()},
    }
    audited = audited_revisions(root)
    unaudited = [(table, record_id, rev) for table, records in stored.items()
                 for record_id, rev in records.items() if (table, record_id, rev) not in audited]
    assert unaudited == [], f"{len(unaudited)} stored revision(s) have no audit line"
    for (table, record_id), rev in acknowledged.items():
        assert record_id in stored[table], f"acknowledged {table} {record_id} is lost"
        assert stored[table][record_id] >= rev, (
            f"{table} {record_id}: revision {rev} was acknowledged, "
            f"{stored[table][record_id]} is stored"
        )
    return sum(len(records) for records in stored.values())


@pytest.mark.slow
def test_kill_during_saves_loses_nothing_acknowledged(tmp_path: Path,
                                                      writer_script: Path) -> None:
    root = tmp_path / "ws"
    rng = random.Random(20261126)
    acknowledged: dict[tuple[str, str], int] = {}
    killed_mid_write = 0
    for round_number in range(ROUNDS):
        writer = subprocess.Popen(
            [sys.executable, str(writer_script), str(root), str(round_number)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        # The delays below choose the moment of the kill, at random; they wait for nothing.
        read = b""
        try:
            if round_number % 5 == 4 and (root / "workspace.toml").exists():
                # Sometimes kill it while it starts (opening, cleaning up temp files).
                time.sleep(rng.uniform(0.0, 0.3))
            else:
                first = writer.stdout.readline()
                assert first == b"ready\n", writer.stderr.read().decode()
                # Some saves are always acknowledged, however slow the machine.
                for _save in range(rng.randint(2, 5)):
                    read += writer.stdout.readline()
                time.sleep(rng.uniform(0.0, 0.3))
            writer.send_signal(signal.SIGKILL)
            output, errors = writer.communicate(timeout=30)
            output = read + output
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        assert writer.returncode == -signal.SIGKILL, errors.decode()
        assert b"Traceback" not in errors, errors.decode()
        if not (root / "workspace.toml").exists():
            continue
        if temp_files(root):
            killed_mid_write += 1
        for table, record_id, rev in acknowledged_lines(output):
            key = (table, record_id)
            acknowledged[key] = max(rev, acknowledged.get(key, 0))
        count = check_workspace(root, acknowledged)
        assert count >= len(acknowledged)
    assert len(acknowledged) >= 20, "the writer saved too little to test anything"
    assert any(rev > 1 for rev in acknowledged.values()), "no update was acknowledged"
    print(f"{len(acknowledged)} records acknowledged, {killed_mid_write} kills left a temp file")


# temp files left by a crash


def test_stale_temp_files_are_removed_at_open(workspace: Workspace, clock: StillClock) -> None:
    workspace.repo(Task).add(Task(title="Kept"))
    data = workspace.root / "data"
    tasks_bytes = (data / "tasks.json").read_bytes()
    stale = [data / ".tasks.json.tmp-a1b2c3d4", data / ".clients.json.tmp-zz_9"]
    for path in stale:
        path.write_bytes(b'{"_meta": {"schema": 1}, "tasks": {"half')
    unrelated = [data / "README.txt", data / ".hidden-notes"]
    for path in unrelated:
        path.write_text("not ours")
    assert all(is_temp_file(path.name) for path in stale)
    assert temp_target(stale[0].name) == "tasks.json"

    reopened = Workspace.open(workspace.root, clock=clock)

    assert [path for path in stale if path.exists()] == []
    assert all(path.exists() for path in unrelated)
    assert (data / "tasks.json").read_bytes() == tasks_bytes
    assert [t.title for t in reopened.repo(Task).all()] == ["Kept"]


HOLDER = textwrap.dedent(
    """
    import sys

    from amtui.storage import Workspace

    workspace = Workspace.open(sys.argv[1])
    lock = workspace.file(sys.argv[2]).lock
    lock.acquire()
    sys.stdout.write("locked\\n")
    sys.stdout.flush()
    sys.stdin.read()
    lock.release()
    """
)


def test_temp_file_of_a_locked_data_file_is_kept(workspace: Workspace, clock: StillClock,
                                                 tmp_path: Path) -> None:
    """A temp file may belong to a save in progress in another process: only the lock says."""
    workspace.repo(Task).add(Task(title="Kept"))
    script = tmp_path / "holder.py"
    script.write_text(HOLDER, encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, str(script), str(workspace.root), "tasks"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    data = workspace.root / "data"
    in_progress = data / ".tasks.json.tmp-inprogress"
    stale = data / ".clients.json.tmp-stale"
    try:
        assert holder.stdout.readline() == b"locked\n", holder.stderr.read().decode()
        in_progress.write_bytes(b"half a file")
        stale.write_bytes(b"half a file")

        Workspace.open(workspace.root, clock=clock)

        assert in_progress.exists(), "removed a temp file whose data file is locked"
        assert in_progress.read_bytes() == b"half a file"
        assert not stale.exists(), "a temp file of an unlocked data file stayed"
    finally:
        holder.communicate(input=b"", timeout=30)
    assert holder.returncode == 0

    Workspace.open(workspace.root, clock=clock)
    assert not in_progress.exists()


# the audit and the data: a stored change always has its audit line

KILLED_AT_THE_RENAME = textwrap.dedent(
    """
    import os
    import signal
    import sys

    import amtui.storage.files as files
    from amtui.models import Task
    from amtui.storage import Workspace

    root, action, moment = sys.argv[1:4]


    class KillAtTheRename:
        \"\"\"``os`` for amtui.storage.files: SIGKILL just before or after tasks.json is
        renamed into place.\"\"\"

        def __getattr__(self, name):
            return getattr(os, name)

        def replace(self, source, target, **folders):
            ours = os.fspath(target).endswith("tasks.json")
            if ours and moment == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            os.replace(source, target, **folders)
            if ours and moment == "after":
                os.kill(os.getpid(), signal.SIGKILL)


    workspace = Workspace.open(root)
    tasks = workspace.repo(Task)
    files.os = KillAtTheRename()
    if action == "add":
        tasks.add(Task(title="Killed while saved"))
    else:
        task = tasks.all()[0]
        tasks.update(task.model_copy(update={"title": "Killed while saved"}))
    """
)


@pytest.mark.parametrize("moment", ["before", "after"])
@pytest.mark.parametrize("action", ["add", "update"])
def test_a_kill_at_the_data_rename_never_leaves_a_change_unaudited(
    tmp_path: Path, clock: StillClock, action: str, moment: str,
) -> None:
    from conftest import run_cli

    root = tmp_path / "ws"
    Workspace.open(root, create=True, clock=clock).repo(Task).add(Task(title="First"))
    script = tmp_path / "killed.py"
    script.write_text(KILLED_AT_THE_RENAME, encoding="utf-8")

    killed = subprocess.run([sys.executable, str(script), str(root), action, moment],
                            capture_output=True, text=True, timeout=60)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stored = {task.id: task for task in Workspace.open(root, clock=clock).repo(Task).all()}
    titles = sorted(task.title for task in stored.values())
    saved = moment == "after"
    if action == "add":
        assert titles == (["First", "Killed while saved"] if saved else ["First"])
    else:
        assert titles == (["Killed while saved"] if saved else ["First"])
    audited = audited_revisions(root)
    assert {("tasks", task.id, task.rev) for task in stored.values()} <= audited
    doctor = run_cli("doctor", workspace=root)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "no audit entry" not in doctor.stdout
    assert ("1 logged change was not saved (1 in tasks)" in doctor.stdout) != saved


def test_a_torn_audit_line_is_ended_before_the_next_one(workspace: Workspace) -> None:
    """A process killed while it appended left half a line: the next save's line starts on a
    line of its own, and only the torn piece is unreadable."""
    first = workspace.repo(Task).add(Task(title="First"))
    audit = workspace.root / "audit.jsonl"
    with open(audit, "ab") as log:
        log.write(b'{"at":"2026-11-26T09:00:00+00:00","user":"killed","act')
    second = workspace.repo(Task).add(Task(title="Second"))
    lines = audit.read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert lines[1].endswith(b'"act')
    entries = [orjson.loads(line) for line in (lines[0], lines[2])]
    assert [(entry["id"], entry["rev"]) for entry in entries] == [(first.id, 1), (second.id, 1)]
