"""Several processes, one workspace: nothing is lost, conflicts are caught, waits are bounded."""

from __future__ import annotations

import multiprocessing
import socket
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from amtui.models import Task
from amtui.storage import ConflictError, LockTimeout, Workspace, os_user
from conftest import snapshot_files

# Forked workers start in milliseconds and need nothing pickled but their arguments.
CONTEXT = multiprocessing.get_context("fork")
WRITERS = 4
ADDS_PER_WRITER = 40


def _add_tasks(root: str, writer: int, start: Any, results: Any) -> None:
    try:
        tasks = Workspace.open(root).repo(Task)
        start.wait(timeout=30)
        ids = []
        for number in range(ADDS_PER_WRITER):
            if number % 10 == 9:
                batch = [Task(title=f"writer {writer} batch {number}.{n}") for n in range(3)]
                ids += [task.id for task in tasks.add_many(batch)]
            else:
                ids.append(tasks.add(Task(title=f"writer {writer} task {number}")).id)
        results.put(("ok", writer, ids))
    except BaseException as error:  # report everything to the test
        results.put(("error", writer, repr(error)))


def test_concurrent_adders_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.open(root, create=True)
    start = CONTEXT.Barrier(WRITERS)
    results = CONTEXT.Queue()
    workers = [CONTEXT.Process(target=_add_tasks, args=(str(root), n, start, results))
               for n in range(WRITERS)]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    errors = [report for report in reports if report[0] != "ok"]
    assert errors == []
    added = [record_id for _status, _writer, ids in reports for record_id in ids]
    per_writer = ADDS_PER_WRITER - ADDS_PER_WRITER // 10 + 3 * (ADDS_PER_WRITER // 10)
    assert len(added) == WRITERS * per_writer
    assert len(set(added)) == len(added)

    stored = Workspace.open(root).repo(Task).all()
    assert len(stored) == len(added)
    assert {task.id for task in stored} == set(added)
    raw = orjson.loads((root / "data" / "tasks.json").read_bytes())
    assert set(raw["tasks"]) == set(added)
    # The audit has one line per added record, none torn or interleaved.
    lines = [orjson.loads(line) for line in (root / "audit.jsonl").read_bytes().splitlines()]
    assert sorted(line["id"] for line in lines if line["action"] == "add") == sorted(added)


def _read_then_update(root: str, record_id: str, title: str, both_read: Any,
                      results: Any) -> None:
    try:
        tasks = Workspace.open(root).repo(Task)
        mine = tasks.get(record_id)
        both_read.wait(timeout=30)
        try:
            saved = tasks.update(mine.model_copy(update={"title": title}))
        except ConflictError as conflict:
            results.put(("conflict", title, mine.rev, conflict.current.title,
                         conflict.current.rev))
        else:
            results.put(("saved", title, mine.rev, saved.title, saved.rev))
    except BaseException as error:
        results.put(("error", title, repr(error)))


@pytest.mark.parametrize("trial", range(5))
def test_two_updates_of_the_same_revision_one_wins_one_conflicts(tmp_path: Path,
                                                                 trial: int) -> None:
    root = tmp_path / "ws"
    workspace = Workspace.open(root, create=True)
    original = workspace.repo(Task).add(Task(title="Original title"))
    both_read = CONTEXT.Barrier(2)
    results = CONTEXT.Queue()
    titles = ["Alice's title", "Bobby's title"]  # same length: the file size does not change
    workers = [
        CONTEXT.Process(target=_read_then_update,
                        args=(str(root), original.id, title, both_read, results))
        for title in titles
    ]
    for worker in workers:
        worker.start()
    reports = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)

    assert [report[0] for report in reports] == ["conflict", "saved"], reports
    conflict, saved = reports
    winner = saved[1]
    assert saved[2] == 1 and conflict[2] == 1  # both read revision 1
    assert saved[3:] == (winner, 2)
    assert conflict[1] != winner
    assert conflict[3:] == (winner, 2)  # the loser is shown the winner's record
    stored = Workspace.open(root).repo(Task).get(original.id)
    assert (stored.title, stored.rev) == (winner, 2)


def _hold_lock(root: str, table: str, locked: Any, release: Any, hold_for: float) -> None:
    workspace = Workspace.open(root)
    lock = workspace.file(table).lock
    lock.acquire()
    locked.set()
    release.wait(timeout=hold_for)
    lock.release()


def test_lock_timeout_names_the_holder(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.open(root, create=True).repo(Task).add(Task(title="Existing"))
    locked, release = CONTEXT.Event(), CONTEXT.Event()
    holder = CONTEXT.Process(target=_hold_lock, args=(str(root), "tasks", locked, release, 30))
    holder.start()
    try:
        assert locked.wait(timeout=30)
        before = snapshot_files(root)
        waiting = Workspace.open(root, lock_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(LockTimeout) as caught:
            waiting.repo(Task).add(Task(title="Blocked"))
        waited = time.monotonic() - started
        message = str(caught.value)
        assert f"{os_user()}@{socket.gethostname()}" in message
        assert f"pid {holder.pid}" in message
        assert "tasks" in message
        assert "\n" not in message
        assert 0.45 <= waited < 5
        assert snapshot_files(root) == before
        # Another table is not blocked by this lock.
        from amtui.models import Client

        assert waiting.repo(Client).add(Client(name="Not blocked")).rev == 1
    finally:
        release.set()
        holder.join(timeout=30)
    assert holder.exitcode == 0
    # Once the holder is gone, the same workspace object saves normally.
    assert waiting.repo(Task).add(Task(title="After")).rev == 1
    assert sorted(t.title for t in Workspace.open(root).repo(Task).all()) == ["After", "Existing"]


def test_a_short_wait_for_the_lock_succeeds(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.open(root, create=True)
    locked, release = CONTEXT.Event(), CONTEXT.Event()
    holder = CONTEXT.Process(target=_hold_lock,
                             args=(str(root), "tasks", locked, release, 0.4))
    holder.start()
    try:
        assert locked.wait(timeout=30)
        started = time.monotonic()
        saved = Workspace.open(root, lock_timeout=10).repo(Task).add(Task(title="Waited"))
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=30)
    assert saved.rev == 1
    assert 0.2 <= waited < 5
    assert [t.title for t in Workspace.open(root).repo(Task).all()] == ["Waited"]
