"""File permissions: a team folder shares with its group, a private folder shares with nobody.

In a setgid, group-writable folder every file amtui makes is 0660 and belongs to the folder's
group (whatever the umask), so the whole team can save; elsewhere files are 0600.
"""

from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from amtui.models import Client, Record, Task
from amtui.storage import TableSpec, TrashBin, Workspace
from amtui.testing import StillClock
from conftest import NOBODY, as_nobody, python_for_other_user, unavailable


class Tally(Record):
    """A plugin's table, kept in a sub-folder of data/."""

    table = "tallies"

    name: str


@pytest.fixture(params=[0o022, 0o077], ids=["umask022", "umask077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def team_group() -> int:
    """A group other than root's when running as root (nogroup/nobody), else one of ours."""
    if os.geteuid() == 0:
        for name in ("nogroup", "nobody"):
            try:
                return grp.getgrnam(name).gr_gid
            except KeyError:
                continue
        return NOBODY
    others = [gid for gid in os.getgroups() if gid != os.getegid()]
    return others[0] if others else os.getegid()


def use_every_kind_of_file(root: Path, clock: StillClock, *, create: bool = True) -> None:
    """Make amtui create each kind of file and folder it ever writes."""
    workspace = Workspace.open(root, create=create, clock=clock)
    workspace.register_table(TableSpec("tallies", Tally, folder="tallyplugin"))
    client = workspace.repo(Client).add(Client(name="Ромашка"))
    task = workspace.repo(Task).add(Task(title="Brief", client_id=client.id))
    task = workspace.repo(Task).update(task.model_copy(update={"title": "Brief v2"}))
    workspace.repo(Task).delete(task.id)  # trash.json
    workspace.repo(Tally).add(Tally(name="one"))
    workspace.backup()  # backups/<snapshot>/...
    # A damaged file makes a quarantine copy.
    (root / "data" / "notes.json").write_bytes(b'{"_meta": ')
    os.chmod(root / "data" / "notes.json", file_mode_expected(root))
    Workspace.open(root, clock=clock).read_only_tables()
    assert list((root / "backups" / "quarantine").iterdir())
    TrashBin(workspace).entries()


def file_mode_expected(root: Path) -> int:
    return 0o660 if root.stat().st_mode & stat.S_IWGRP else 0o600


def tree(root: Path) -> tuple[list[Path], list[Path]]:
    files, folders = [], []
    for folder, subfolders, names in os.walk(root):
        folders += [Path(folder, name) for name in subfolders]
        files += [Path(folder, name) for name in names]
    return sorted(files), sorted(folders)


EXPECTED_FILES = {
    "workspace.toml", "audit.jsonl", "data/clients.json", "data/tasks.json", "data/trash.json",
    "data/tallyplugin/tallies.json", ".locks/tasks.json.lock", ".locks/clients.json.lock",
    ".locks/trash.json.lock", ".locks/tallyplugin/tallies.json.lock",
}


def check_modes(root: Path, file_mode: int, folder_mode: int, gid: int | None) -> None:
    files, folders = tree(root)
    names = {str(path.relative_to(root)) for path in files}
    assert names >= EXPECTED_FILES
    assert any(name.startswith("backups/") and name.endswith("/tasks.json") for name in names)
    assert any(name.startswith("backups/quarantine/notes.json.") for name in names)
    problems = {}
    for path, wanted in [*((p, file_mode) for p in files), *((p, folder_mode) for p in folders)]:
        status = path.stat()
        mode = stat.S_IMODE(status.st_mode)
        if mode != wanted:
            problems[str(path.relative_to(root))] = f"mode {oct(mode)}, not {oct(wanted)}"
        elif gid is not None and status.st_gid != gid:
            problems[str(path.relative_to(root))] = f"group {status.st_gid}, not {gid}"
    assert problems == {}


@pytest.mark.parametrize("layout", ["workspace-is-the-team-folder", "workspace-inside-it"])
def test_team_folder_files_are_0660_and_group_owned(tmp_path: Path, clock: StillClock,
                                                    umask: int, layout: str) -> None:
    gid = team_group()
    team = tmp_path / "team"
    team.mkdir()
    os.chown(team, -1, gid)
    team.chmod(0o2770)
    assert stat.S_IMODE(team.stat().st_mode) == 0o2770
    root = team if layout == "workspace-is-the-team-folder" else team / "ws"

    use_every_kind_of_file(root, clock)

    check_modes(root, 0o660, 0o2770, gid)
    if root != team:
        assert stat.S_IMODE(root.stat().st_mode) == 0o2770
        assert root.stat().st_gid == gid


def test_private_folder_files_are_0600(tmp_path: Path, clock: StillClock, umask: int) -> None:
    private = tmp_path / "private"
    private.mkdir()
    private.chmod(0o700)
    use_every_kind_of_file(private, clock)
    check_modes(private, 0o600, 0o700, None)


def test_workspace_made_in_an_ordinary_folder_is_private(tmp_path: Path, clock: StillClock,
                                                         umask: int) -> None:
    """A group-writable folder without the setgid bit is not a team folder: the workspace
    created in it is private to its owner."""
    parent = tmp_path / "home"
    parent.mkdir()
    parent.chmod(0o775)
    root = parent / "ws"
    use_every_kind_of_file(root, clock)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    check_modes(root, 0o600, 0o700, None)


def test_files_made_private_are_made_shared_when_the_folder_becomes_a_team_folder(
    tmp_path: Path, clock: StillClock, umask: int,
) -> None:
    """The lock files and the audit are kept, not replaced; their mode follows the folder."""
    root = tmp_path / "ws"
    Workspace.open(root, create=True, clock=clock).repo(Task).add(Task(title="Private"))
    assert stat.S_IMODE((root / "audit.jsonl").stat().st_mode) == 0o600
    for folder, _subs, _names in os.walk(root):
        os.chmod(folder, 0o2770)
    Workspace.open(root, clock=clock).repo(Task).add(Task(title="Shared now"))
    for name in ("audit.jsonl", ".locks/tasks.json.lock", "data/tasks.json"):
        assert stat.S_IMODE((root / name).stat().st_mode) == 0o660, name


class Tally2(Record):
    table = "tallies"

    name: str
    count: int = 0


def test_migration_backup_of_a_plugin_table_in_a_team_folder(tmp_path: Path, clock: StillClock,
                                                             umask: int) -> None:
    gid = team_group()
    team = tmp_path / "team"
    team.mkdir()
    os.chown(team, -1, gid)
    team.chmod(0o2770)
    old = Workspace.open(team, create=True, clock=clock)
    old.register_table(TableSpec("tallies", Tally, folder="tallyplugin"))
    old.repo(Tally).add(Tally(name="one"))

    new = Workspace.open(team, clock=clock)
    new.register_table(TableSpec("tallies", Tally2, version=2, folder="tallyplugin",
                                 migrations={1: lambda records: records}))
    assert new.repo(Tally2).count() == 1
    assert new.read_only_tables() == {}
    snapshot = [p for p in (team / "backups").iterdir() if "before-migrating" in p.name]
    assert len(snapshot) == 1
    files, folders = tree(team)
    problems = {
        str(path.relative_to(team)): oct(stat.S_IMODE(path.stat().st_mode))
        for path, wanted in [*((p, 0o660) for p in files), *((p, 0o2770) for p in folders)]
        if stat.S_IMODE(path.stat().st_mode) != wanted or path.stat().st_gid != gid
    }
    assert problems == {}


# two users of one team folder


def test_another_member_of_the_group_can_save(clock: StillClock) -> None:
    if os.geteuid() != 0:
        unavailable("acting as a second user needs root")
    gid = NOBODY
    base = Path(tempfile.mkdtemp(prefix="amtui-team-"))
    try:
        base.chmod(0o755)
        team = base / "team"
        team.mkdir()
        os.chown(team, -1, gid)
        team.chmod(0o2770)
        mine = Workspace.open(team, create=True, clock=clock)
        client = mine.repo(Client).add(Client(name="Ромашка"))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONIOENCODING": "utf-8", "HOME": str(base), "LANG": "C.UTF-8"}
        python, env = python_for_other_user(as_nobody, env)
        added = subprocess.run(
            [python, "-m", "amtui", "add", "task", "From nobody", "--client", "Ромашка",
             "--workspace", str(team)],
            capture_output=True, text=True, env=env, preexec_fn=as_nobody, cwd=str(base),
            timeout=60,
        )
        assert added.returncode == 0, added.stderr
        task_id = added.stdout.strip()

        tasks_json = team / "data" / "tasks.json"
        assert tasks_json.stat().st_uid == NOBODY
        assert tasks_json.stat().st_gid == gid
        assert stat.S_IMODE(tasks_json.stat().st_mode) == 0o660
        audit = team / "audit.jsonl"
        assert stat.S_IMODE(audit.stat().st_mode) == 0o660
        assert b'"user":"nobody"' in audit.read_bytes()
        # And the first member can change what the second saved.
        task = Workspace.open(team, clock=clock).repo(Task).get(task_id)
        assert task.client_id == client.id
        updated = Workspace.open(team, clock=clock).repo(Task).update(
            task.model_copy(update={"title": "Changed by root"}))
        assert updated.rev == 2
        assert stat.S_IMODE(tasks_json.stat().st_mode) == 0o660
        assert tasks_json.stat().st_gid == gid
    finally:
        shutil.rmtree(base, ignore_errors=True)
