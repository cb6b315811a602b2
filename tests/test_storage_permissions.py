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
from dataclasses import dataclass
from pathlib import Path

import pytest

from amtui.models import Client, Note, Record, Task
from amtui.storage import TableSpec, TrashBin, Workspace
from amtui.storage.datafile import KEEP_SNAPSHOTS
from amtui.storage.errors import UnsafePathError
from amtui.testing import StillClock
from conftest import NOBODY, as_nobody, python_for_other_user, run_cli, unavailable


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


# A teammate's links and special files: amtui follows none of them


@dataclass
class Team:
    """A shared workspace (group nogroup, setgid, 2770), the teammate ``nobody`` in its group,
    and the victim (root, running amtui) with a private folder outside it."""

    root: Path
    private: Path
    secret: Path
    """The victim's private file (0600), which the teammate wants read or changed."""
    task_id: str

    def teammate(self, *command: str) -> None:
        """Run a command as the teammate."""
        done = subprocess.run(command, preexec_fn=as_nobody, cwd="/", capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    def link(self, relative: str, target: Path) -> Path:
        """The teammate replaces ``relative`` in the workspace with a link to ``target``."""
        path = self.root / relative
        self.teammate("rm", "-rf", str(path))
        self.teammate("ln", "-s", str(target), str(path))
        assert path.is_symlink()
        return path

    def secret_untouched(self) -> None:
        assert self.secret.read_bytes() == SECRET
        assert stat.S_IMODE(self.secret.stat().st_mode) == 0o600
        assert sorted(p.name for p in self.private.iterdir()) == ["old-backups", "secret"]
        assert [p.name for p in (self.private / "old-backups").iterdir()] == [OLD_SNAPSHOT]


SECRET = b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot for the team\n"
OLD_SNAPSHOT = "20200101T000000000000Z-mine"


@pytest.fixture
def team(clock: StillClock) -> Iterator[Team]:
    if os.geteuid() != 0:
        unavailable("acting as a second user needs root")
    base = Path(tempfile.mkdtemp(prefix="amtui-links-"))
    try:
        base.chmod(0o755)
        root = base / "team"
        root.mkdir()
        os.chown(root, -1, team_group())
        root.chmod(0o2770)
        workspace = Workspace.open(root, create=True, clock=clock)
        client = workspace.repo(Client).add(Client(name="Ромашка"))
        task = workspace.repo(Task).add(Task(title="Shared", client_id=client.id))
        private = base / "victim"
        private.mkdir(mode=0o700)
        secret = private / "secret"
        secret.write_bytes(SECRET)
        secret.chmod(0o600)
        (private / "old-backups" / OLD_SNAPSHOT).mkdir(parents=True)
        yield Team(root, private, secret, task.id)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def assert_refused(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("amtui: error: "), result.stderr
    assert f"{path} is a symbolic link" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("linked", [".locks/tasks.json.lock", "audit.jsonl"])
def test_a_linked_lock_or_audit_log_is_refused_before_anything_is_saved(team: Team,
                                                                        linked: str) -> None:
    link = team.link(linked, team.secret)
    tasks_before = (team.root / "data" / "tasks.json").read_bytes()
    result = run_cli("add", "task", "New", workspace=team.root)
    assert_refused(result, link)
    team.secret_untouched()
    assert (team.root / "data" / "tasks.json").read_bytes() == tasks_before


def test_a_linked_data_file_is_neither_read_nor_quarantined(team: Team,
                                                            clock: StillClock) -> None:
    notes = team.link("data/notes.json", team.secret)
    workspace = Workspace.open(team.root, clock=clock)  # the app: an empty, read-only table
    assert workspace.repo(Note).all() == []
    assert workspace.read_only_tables()["notes"].startswith(f"{notes} is a symbolic link")
    listed = run_cli("list", "notes", workspace=team.root)  # what it can read, and a warning
    assert listed.returncode == 1 and listed.stdout == ""
    assert f"amtui: warning: {notes} is a symbolic link" in listed.stderr
    added = run_cli("add", "note", "Brief", workspace=team.root)
    assert_refused(added, notes)
    team.secret_untouched()
    copies = [path for path in (team.root / "backups").rglob("*") if path.is_file()]
    assert [path for path in copies if path.read_bytes() == SECRET] == []


@pytest.mark.parametrize("linked", [".locks", "data", "data/tallyplugin", "backups"])
def test_a_linked_folder_on_the_way_is_refused(team: Team, clock: StillClock,
                                               linked: str) -> None:
    """Nothing is made, changed or removed in the folder a link points to."""
    elsewhere = team.private / "old-backups"
    (team.root / "data" / "tallyplugin").mkdir(exist_ok=True)
    (team.root / "backups" / "quarantine").mkdir(exist_ok=True)
    link = team.link(linked, elsewhere)

    def use_the_workspace() -> None:
        workspace = Workspace.open(team.root, clock=clock)
        workspace.register_table(TableSpec("tallies", Tally, folder="tallyplugin"))
        workspace.repo(Tally).add(Tally(name="two"))
        workspace.repo(Task).add(Task(title="Another"))
        # A damaged file makes a quarantine copy; a backup prunes the oldest snapshots.
        (team.root / "data" / "notes.json").write_bytes(b'{"_meta": ')
        workspace.read_only_tables()
        for _ in range(KEEP_SNAPSHOTS + 1):
            workspace.backup()

    with pytest.raises(UnsafePathError) as caught:
        use_the_workspace()
    assert str(caught.value).startswith(f"{link} is a symbolic link")
    assert "\n" not in str(caught.value)
    team.secret_untouched()


def test_a_quarantine_copy_is_not_made_through_a_link(team: Team, clock: StillClock) -> None:
    link = team.link("backups/quarantine", team.private / "old-backups")
    (team.root / "data" / "notes.json").write_bytes(b'{"_meta": ')
    reasons = Workspace.open(team.root, clock=clock).read_only_tables()
    assert f"no copy could be kept ({link} is a symbolic link" in reasons["notes"]
    team.secret_untouched()


def test_start_up_cleans_no_temp_file_through_a_linked_folder(team: Team,
                                                              clock: StillClock) -> None:
    victims_temp = team.private / ".tallies.json.tmp-0123abcd"
    victims_temp.write_bytes(b"the victim's own file")
    (team.root / "data" / "tallyplugin").mkdir(exist_ok=True)
    team.link("data/tallyplugin", team.private)
    workspace = Workspace.open(team.root, clock=clock)
    workspace.register_table(TableSpec("tallies", Tally, folder="tallyplugin"))
    workspace.remove_stale_temp_files()
    assert victims_temp.read_bytes() == b"the victim's own file"
    data_link = team.link("data", team.private)
    with pytest.raises(UnsafePathError, match=f"{data_link} is a symbolic link"):
        Workspace.open(team.root, clock=clock)
    assert victims_temp.read_bytes() == b"the victim's own file"


def test_a_hard_link_or_a_fifo_in_place_of_a_log_is_refused(team: Team) -> None:
    """A lock file or the audit log is changed in place, so it must be a regular file with no
    other name (root makes the hard link here: the kernel keeps other users from linking a
    file they cannot write)."""
    lock = team.root / ".locks" / "tasks.json.lock"
    lock.unlink()
    os.link(team.secret, lock)
    result = run_cli("add", "task", "New", workspace=team.root)
    assert result.returncode == 1
    assert f"{lock} has 2 names (hard links)" in result.stderr
    lock.unlink()
    team.secret_untouched()
    audit = team.root / "audit.jsonl"
    team.teammate("rm", "-f", str(audit))
    team.teammate("mkfifo", str(audit))
    result = run_cli("add", "task", "New", workspace=team.root)  # returns: no wait for a reader
    assert result.returncode == 1
    assert f"{audit} is a special file, not a regular file" in result.stderr


def test_a_linked_copy_in_a_backup_is_not_restored(team: Team) -> None:
    backup = run_cli("backup", workspace=team.root)
    assert backup.returncode == 0, backup.stderr
    copy = team.link(f"{Path(backup.stdout.strip()).relative_to(team.root)}/tasks.json",
                     team.secret)
    tasks_before = (team.root / "data" / "tasks.json").read_bytes()
    result = run_cli("doctor", "--restore", "tasks", workspace=team.root)
    assert_refused(result, copy)
    assert (team.root / "data" / "tasks.json").read_bytes() == tasks_before
    team.secret_untouched()
