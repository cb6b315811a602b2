"""Several processes, one workspace: nothing is lost, conflicts are caught, waits are bounded."""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from amtui.models import Task
from amtui.storage import ConflictError, LockTimeout, Workspace, locks, os_user
from amtui.testing import StillClock
from conftest import (
    audit_entries,
    both_stores,
    postgresql_workspace,
    snapshot_files,
    stored_records,
)

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


def new_workspace(root: Path, store: str, request: pytest.FixtureRequest) -> Workspace:
    """A new workspace on ``store``; the processes forked later find its database in the
    environment they inherit."""
    if store == "postgresql":
        request.getfixturevalue("monkeypatch").setenv(
            "AMTUI_DATABASE_URL", request.getfixturevalue("postgresql_url"))
        return postgresql_workspace(root, StillClock())
    return Workspace.open(root, create=True)


@both_stores
def test_concurrent_adders_lose_nothing(tmp_path: Path, store: str,
                                        request: pytest.FixtureRequest) -> None:
    root = tmp_path / "ws"
    workspace = new_workspace(root, store, request)
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
    assert set(stored_records(workspace, "tasks")) == set(added)
    # The audit has one line per added record, none torn or interleaved.
    lines = audit_entries(workspace)
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


@both_stores
@pytest.mark.parametrize("trial", range(5))
def test_two_updates_of_the_same_revision_one_wins_one_conflicts(
        tmp_path: Path, trial: int, store: str, request: pytest.FixtureRequest) -> None:
    root = tmp_path / "ws"
    workspace = new_workspace(root, store, request)
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


def _hold_lock(root: str, table: str, locked: Any, release: Any, released: Any) -> None:
    workspace = Workspace.open(root)
    lock = workspace.file(table).lock
    lock.acquire()
    locked.set()
    release.wait(timeout=120)
    lock.release()
    released.set()


class LockHolder:
    """Another process holding ``table``'s lock until :meth:`release`."""

    def __init__(self, root: Path, table: str) -> None:
        self.locked, self._release, self.released = (CONTEXT.Event() for _ in range(3))
        self.process = CONTEXT.Process(target=_hold_lock, args=(
            str(root), table, self.locked, self._release, self.released))

    def __enter__(self) -> LockHolder:
        self.process.start()
        assert self.locked.wait(timeout=120)
        return self

    def release(self) -> None:
        self._release.set()
        assert self.released.wait(timeout=120)

    def __exit__(self, *exc_info: object) -> None:
        self._release.set()
        self.process.join(timeout=120)


class WaitingTime:
    """The lock's view of time while it waits: every pause it takes moves this clock on by
    exactly that much, at once, and may let something happen (``then``)."""

    def __init__(self, then: Callable[[float], None] | None = None) -> None:
        self.now = 0.0
        self.then = then

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        if self.then is not None:
            self.then(self.now)


def test_lock_timeout_names_the_holder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    Workspace.open(root, create=True).repo(Task).add(Task(title="Existing"))
    waited = WaitingTime()
    with LockHolder(root, "tasks") as holder:
        before = snapshot_files(root)
        waiting = Workspace.open(root, lock_timeout=0.5)
        monkeypatch.setattr(locks, "time", waited)
        with pytest.raises(LockTimeout) as caught:
            waiting.repo(Task).add(Task(title="Blocked"))
        message = str(caught.value)
        assert f"{os_user()}@{socket.gethostname()}" in message
        assert f"pid {holder.process.pid}" in message
        assert "tasks" in message and "0.5 s" in message
        assert "\n" not in message
        assert 0.5 <= waited.now < 0.6  # it gave up once the timeout had passed, not before
        assert snapshot_files(root) == before
        # Another table is not blocked by this lock.
        from amtui.models import Client

        assert waiting.repo(Client).add(Client(name="Not blocked")).rev == 1
    assert holder.process.exitcode == 0
    # Once the holder is gone, the same workspace object saves normally.
    assert waiting.repo(Task).add(Task(title="After")).rev == 1
    assert sorted(t.title for t in Workspace.open(root).repo(Task).all()) == ["After", "Existing"]


def test_a_short_wait_for_the_lock_succeeds(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    Workspace.open(root, create=True)
    with LockHolder(root, "tasks") as holder:
        def release_after_a_while(now: float) -> None:
            if now >= 0.4 and not holder.released.is_set():
                holder.release()

        waited = WaitingTime(release_after_a_while)
        monkeypatch.setattr(locks, "time", waited)
        saved = Workspace.open(root, lock_timeout=10).repo(Task).add(Task(title="Waited"))
    assert saved.rev == 1
    assert 0.4 <= waited.now < 0.5  # it took the lock at its first try after the release
    assert [t.title for t in Workspace.open(root).repo(Task).all()] == ["Waited"]
